//! The Content-Type the preview server sends for a file, by its extension; text types
//! carry `charset=utf-8` so Chinese pages never depend on the browser's guess.

use std::path::Path;

/// Content-Type for `path`; `application/octet-stream` when the extension is unknown.
pub fn content_type(path: &Path) -> &'static str {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "webmanifest" => "application/manifest+json; charset=utf-8",
        "xml" | "xsl" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
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
