//! What each uploaded file is sent with: `Content-Type` (with `charset=utf-8` for text)
//! and `Cache-Control` by kind. The table is docs/deploy.md's.

/// Hashed assets (`style.0123456789.css`): their URL changes with their bytes.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Pages, feeds, the sitemap, the search index: they change in place, so a CDN and a
/// browser check back within five minutes.
pub const SHORT: &str = "public, max-age=300";
/// Everything else (images, attachments, fonts, unhashed CSS and JS): a day.
pub const MEDIUM: &str = "public, max-age=86400";

/// How a file is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Headers {
    pub content_type: &'static str,
    pub cache_control: &'static str,
}

/// The headers of the file at `rel` (a path of the site, `/`-separated).
pub fn for_path(rel: &str) -> Headers {
    let ext = extension(rel);
    let cache_control = if is_hashed(rel) {
        IMMUTABLE
    } else if matches!(ext.as_str(), "html" | "htm" | "xml" | "json" | "txt" | "webmanifest") {
        SHORT
    } else {
        MEDIUM
    };
    Headers { content_type: crate::mime::content_type_of(&ext), cache_control }
}

/// Whether the file is a page or feed (HTML or XML), uploaded after the assets it uses.
pub fn is_page(rel: &str) -> bool {
    matches!(extension(rel).as_str(), "html" | "htm" | "xml")
}

/// Whether the file is text: the files `content_encoding = "gzip"` compresses, the same
/// that `build --compress` writes `.gz`/`.br` siblings of.
pub use crate::write::compress::is_text;

/// `name.0123456789.css`: exactly ten lowercase hex digits before the extension (the
/// convention of `build`'s hashed asset URLs).
pub fn is_hashed(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let Some((stem, ext)) = name.rsplit_once('.') else { return false };
    let Some((_, hash)) = stem.rsplit_once('.') else { return false };
    !ext.is_empty()
        && ext.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && hash.len() == 10
        && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn extension(rel: &str) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').map_or(String::new(), |(_, e)| e.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_get_their_headers() {
        assert_eq!(for_path("index.html"), Headers { content_type: "text/html; charset=utf-8", cache_control: SHORT });
        assert_eq!(for_path("feed.xml").cache_control, SHORT);
        assert_eq!(for_path("theme/style.0123456789.css"), Headers { content_type: "text/css; charset=utf-8", cache_control: IMMUTABLE });
        assert_eq!(for_path("theme/style.css").cache_control, MEDIUM);
        assert_eq!(for_path("a/图.PNG"), Headers { content_type: "image/png", cache_control: MEDIUM });
        assert_eq!(for_path("LICENSE").content_type, "application/octet-stream");
    }

    #[test]
    fn only_ten_lowercase_hex_digits_make_a_hashed_name() {
        assert!(is_hashed("app.abcdef0123.js"));
        assert!(!is_hashed("app.abcdef012.js"), "nine digits");
        assert!(!is_hashed("app.ABCDEF0123.js"), "upper case");
        assert!(!is_hashed("app.abcdef0123.JS"), "upper-case extension");
        assert!(!is_hashed("abcdef0123.js"), "no name before the hash");
        assert!(is_page("a/index.html") && is_page("sitemap.xml") && !is_page("search/index.json"));
        assert!(is_text("a.css") && !is_text("a.png"));
    }
}
