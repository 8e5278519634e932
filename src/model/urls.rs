//! The one place URLs are made. Every URL is a path that already includes the site's base
//! path (`/policy/2024/03/slug/`); permalinks add the origin; output files follow from it.

/// Turns site-relative locations (`tags/zhi-zao/`) into URLs, permalinks and output paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Urls {
    /// `https://example.org` (no trailing slash).
    origin: String,
    /// `/` or `/policy/`.
    base_path: String,
}

impl Urls {
    /// `base_url` must be normalised (absolute, ending in `/`).
    pub fn new(base_url: &str) -> Urls {
        let base_path = crate::config::base_path_of(base_url).to_string();
        let origin = base_url[..base_url.len() - base_path.len()].to_string();
        Urls { origin, base_path }
    }

    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// `tags/x/` → `/policy/tags/x/`.
    pub fn url(&self, rel: &str) -> String {
        format!("{}{}", self.base_path, rel)
    }

    /// A URL path → `https://example.org/policy/tags/x/`, percent-encoding what is not ASCII.
    pub fn permalink(&self, url: &str) -> String {
        format!("{}{}", self.origin, percent_encode_path(url))
    }

    pub fn home(&self) -> String {
        self.url("")
    }
}

/// Site-relative locations of each kind of page (without base path).
pub mod rel {
    pub fn article(year: i16, month: i8, slug: &str) -> String {
        format!("{year}/{month:02}/{slug}/")
    }
    pub fn tag(slug: &str) -> String {
        format!("tags/{slug}/")
    }
    pub fn category(slug: &str) -> String {
        format!("categories/{slug}/")
    }
    pub fn year(year: i16) -> String {
        format!("archive/{year}/")
    }
    /// `archive/2024/03/`: two-digit month, as in article locations.
    pub fn month(year: i16, month: i8) -> String {
        format!("archive/{year}/{month:02}/")
    }
    /// Page `n` (1-based) of a list whose first page is at `list`.
    pub fn page(list: &str, n: usize) -> String {
        if n <= 1 {
            list.to_string()
        } else {
            format!("{list}page/{n}/")
        }
    }
    /// The file that serves a location: `tags/x/` → `tags/x/index.html`.
    pub fn file(location: &str) -> String {
        if location.is_empty() || location.ends_with('/') {
            let mut file = String::with_capacity(location.len() + 10);
            file.push_str(location);
            file.push_str("index.html");
            file
        } else {
            location.to_string()
        }
    }
}

/// Percent-encodes a URL path for feeds and sitemaps (RFC 3986: keep unreserved and `/`).
pub fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~' | b'%' | b':' | b'@' | b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_path_base_urls() {
        let u = Urls::new("https://example.org/policy/");
        assert_eq!(u.url(&rel::tag("zhi-zao")), "/policy/tags/zhi-zao/");
        assert_eq!(u.permalink("/policy/tags/zhi-zao/"), "https://example.org/policy/tags/zhi-zao/");
        assert_eq!(u.home(), "/policy/");
        let root = Urls::new("https://example.org/");
        assert_eq!(root.url(&rel::article(2024, 3, "a")), "/2024/03/a/");
        assert_eq!(u.url(&rel::month(2024, 3)), "/policy/archive/2024/03/");
        assert_eq!(rel::page(&rel::month(2024, 11), 2), "archive/2024/11/page/2/");
    }

    #[test]
    fn pages_and_files() {
        assert_eq!(rel::page("tags/x/", 1), "tags/x/");
        assert_eq!(rel::page("tags/x/", 2), "tags/x/page/2/");
        assert_eq!(rel::page("", 3), "page/3/");
        assert_eq!(rel::file(""), "index.html");
        assert_eq!(rel::file("old/path.html"), "old/path.html");
    }

    #[test]
    fn chinese_paths_are_encoded() {
        assert_eq!(percent_encode_path("/新闻/a b.html"), "/%E6%96%B0%E9%97%BB/a%20b.html");
    }
}
