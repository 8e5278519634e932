//! The Content-Type the preview server sends for a file, by its extension; text types
//! carry `charset=utf-8` so Chinese pages never depend on the browser's guess.

use std::path::Path;

/// Content-Type for `path` (the table is `crate::mime`'s).
pub fn content_type(path: &Path) -> &'static str {
    crate::mime::content_type_of(path.extension().and_then(|e| e.to_str()).unwrap_or_default())
}

/// Whether a response of this type gets the live-reload script.
pub fn is_html(content_type: &str) -> bool {
    content_type.starts_with("text/html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_types_declare_utf8() {
        for name in ["科技/index.html", "樣式.CSS", "app.js", "feed.xml", "search.json", "robots.txt"] {
            let ct = content_type(Path::new(name));
            assert!(ct.ends_with("; charset=utf-8"), "{name}: {ct}");
        }
        assert_eq!(content_type(Path::new("新闻/index.html")), "text/html; charset=utf-8");
        assert_eq!(content_type(Path::new("feed.xml")), "application/xml; charset=utf-8");
    }

    #[test]
    fn binary_types_have_no_charset() {
        assert_eq!(content_type(Path::new("圖片/照片.JPG")), "image/jpeg");
        assert_eq!(content_type(Path::new("字体.woff2")), "font/woff2");
        assert_eq!(content_type(Path::new("无扩展名")), "application/octet-stream");
    }

    #[test]
    fn only_html_is_injected() {
        assert!(is_html(content_type(Path::new("index.htm"))));
        assert!(!is_html(content_type(Path::new("feed.xml"))));
        assert!(!is_html(content_type(Path::new("app.js"))));
    }
}
