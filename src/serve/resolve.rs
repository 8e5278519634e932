//! Maps a request target (`/tags/%E7%A7%91%E6%8A%80/?p=2`) to a file inside the served
//! folder, and refuses anything that could reach outside it, or into gazette's own
//! bookkeeping at its top (`.gazette/`: lock, manifest, staging), which is not the site.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::write::BOOKKEEPING;

/// What a request path turned out to be.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A regular file inside the served folder (canonical path).
    File(PathBuf),
    /// A folder asked for without its trailing slash: redirect here (an absolute path).
    AddSlash(String),
    /// Nothing there.
    NotFound,
    /// A malformed or dangerous path (`..`, encoded slash, NUL, …); the reason is for logs.
    BadRequest(&'static str),
    /// The path exists but leaves the served folder through a symlink.
    Forbidden(&'static str),
}

/// Resolves `target` (the raw request target, query included) against `root`.
pub fn resolve(root: &Path, target: &str) -> Resolved {
    let (path, query) = split_query(target);
    if !path.starts_with('/') {
        return Resolved::BadRequest("the request target is not an absolute path");
    }
    let segments = match decode_segments(path) {
        Ok(segments) => segments,
        Err(reason) => return Resolved::BadRequest(reason),
    };
    // Any letter case: on a case-insensitive disk `.GAZETTE` is the same folder.
    if segments.first().is_some_and(|first| first.eq_ignore_ascii_case(BOOKKEEPING)) {
        return Resolved::NotFound;
    }
    let wants_folder = path.ends_with('/');
    let mut candidate = root.to_path_buf();
    candidate.extend(&segments);

    // Containment is checked on the real path before anything else, so that even the
    // existence of a folder outside the site is never revealed through a redirect.
    let (Ok(real_root), Ok(real)) = (fs::canonicalize(root), fs::canonicalize(&candidate)) else {
        return Resolved::NotFound;
    };
    if !real.starts_with(&real_root) {
        return Resolved::Forbidden("the path leaves the site through a symlink");
    }
    if real.starts_with(real_root.join(BOOKKEEPING)) {
        return Resolved::NotFound;
    }
    if real.is_dir() {
        if !wants_folder {
            return Resolved::AddSlash(folder_location(&segments, query));
        }
        return index_file(&real, &real_root);
    }
    if wants_folder || !real.is_file() {
        return Resolved::NotFound;
    }
    Resolved::File(real)
}

/// The `index.html` of a folder, itself checked (it could be a symlink leading out).
fn index_file(folder: &Path, real_root: &Path) -> Resolved {
    match fs::canonicalize(folder.join("index.html")) {
        Ok(real) if !real.starts_with(real_root) => Resolved::Forbidden("index.html leaves the site through a symlink"),
        Ok(real) if real.starts_with(real_root.join(BOOKKEEPING)) => Resolved::NotFound,
        Ok(real) if real.is_file() => Resolved::File(real),
        _ => Resolved::NotFound,
    }
}

/// The decoded value of `name=` in the target's query, if present and well formed.
pub fn query_value(target: &str, name: &str) -> Option<String> {
    let (_, query) = split_query(target);
    let raw = query?.split('&').find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))?;
    String::from_utf8(percent_decode(&raw.replace('+', " "))?).ok()
}

/// Splits off `?query` (and drops a `#fragment`, which clients should not send anyway).
fn split_query(target: &str) -> (&str, Option<&str>) {
    let target = target.split('#').next().unwrap_or_default();
    match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    }
}

/// Splits the path on its literal slashes, then percent-decodes each segment, so that an
/// encoded slash (`%2F`) can never create a new path level.
fn decode_segments(path: &str) -> Result<Vec<String>, &'static str> {
    let mut segments = Vec::new();
    for raw in path.split('/') {
        let bytes = percent_decode(raw).ok_or("malformed percent-encoding")?;
        let segment = String::from_utf8(bytes).map_err(|_| "the path is not UTF-8 after decoding")?;
        if segment.is_empty() || segment == "." {
            continue;
        }
        check_segment(&segment)?;
        segments.push(segment);
    }
    Ok(segments)
}

/// Rejects a decoded segment that is anything but one plain file name on this platform.
fn check_segment(segment: &str) -> Result<(), &'static str> {
    if segment == ".." {
        return Err("`..` in the path");
    }
    if segment.contains('/') {
        return Err("an encoded slash in the path");
    }
    if segment.contains('\\') {
        return Err("a backslash in the path");
    }
    if segment.contains('\0') {
        return Err("a NUL byte in the path");
    }
    // Catches what is special on other platforms too (a drive prefix like `C:` on Windows).
    let mut components = Path::new(segment).components();
    match (components.next(), components.next()) {
        (Some(Component::Normal(name)), None) if name == segment => Ok(()),
        _ => Err("a path segment that is not a plain name"),
    }
}

/// Decodes `%XX` escapes; `None` if an escape is cut short or not hexadecimal.
fn percent_decode(raw: &str) -> Option<Vec<u8>> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hi = hex_value(*bytes.get(i + 1)?)?;
            let lo = hex_value(*bytes.get(i + 2)?)?;
            out.push(hi * 16 + lo);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    Some(out)
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The redirect target for a folder: rebuilt from the decoded segments (never the raw
/// path, so `//evil.example` cannot become a protocol-relative redirect), re-encoded.
fn folder_location(segments: &[String], query: Option<&str>) -> String {
    let mut location = String::from("/");
    for segment in segments {
        location.push_str(&percent_encode(segment, false));
        location.push('/');
    }
    if let Some(query) = query {
        location.push('?');
        location.push_str(&percent_encode(query, true));
    }
    location
}

/// Percent-encodes everything but unreserved characters (and, in a query, the characters
/// that carry its structure), so the result is plain ASCII fit for a header.
pub(crate) fn percent_encode(text: &str, is_query: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (is_query && matches!(b, b'=' | b'&' | b'%' | b'+'));
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A served folder with Chinese names (simplified and traditional), plus a secret
    /// file beside it that must never be reachable.
    fn site() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("public");
        fs::create_dir_all(root.join("tags/科技合作")).unwrap();
        fs::create_dir_all(root.join("regions/臺灣")).unwrap();
        fs::write(root.join("index.html"), "首页").unwrap();
        fs::write(root.join("tags/科技合作/index.html"), "科技合作").unwrap();
        fs::write(root.join("regions/臺灣/index.html"), "臺灣").unwrap();
        fs::write(root.join("政策解读.txt"), "政策解读").unwrap();
        fs::write(dir.path().join("secret.txt"), "机密").unwrap();
        (dir, root)
    }

    fn file_name(resolved: &Resolved) -> String {
        match resolved {
            Resolved::File(p) => fs::read_to_string(p).unwrap(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn serves_index_html_for_folders() {
        let (_dir, root) = site();
        assert_eq!(file_name(&resolve(&root, "/")), "首页");
        assert_eq!(file_name(&resolve(&root, "/?page=2")), "首页");
    }

    #[test]
    fn decodes_percent_encoded_chinese_paths() {
        let (_dir, root) = site();
        let simplified = "/tags/%E7%A7%91%E6%8A%80%E5%90%88%E4%BD%9C/";
        assert_eq!(file_name(&resolve(&root, simplified)), "科技合作");
        assert_eq!(file_name(&resolve(&root, "/regions/%E8%87%BA%E7%81%A3/")), "臺灣");
        assert_eq!(file_name(&resolve(&root, "/%E6%94%BF%E7%AD%96%E8%A7%A3%E8%AF%BB.txt")), "政策解读");
        // Raw UTF-8 in the request line works too.
        assert_eq!(file_name(&resolve(&root, "/tags/科技合作/")), "科技合作");
    }

    #[test]
    fn redirects_a_folder_without_slash_keeping_the_query() {
        let (_dir, root) = site();
        assert_eq!(
            resolve(&root, "/regions/%E8%87%BA%E7%81%A3?a=1&b=%E5%8F%B0"),
            Resolved::AddSlash("/regions/%E8%87%BA%E7%81%A3/?a=1&b=%E5%8F%B0".into())
        );
        // The redirect is rebuilt from segments: a doubled slash cannot leave the host.
        assert_eq!(resolve(&root, "//tags"), Resolved::AddSlash("/tags/".into()));
    }

    #[test]
    fn misses_are_not_found() {
        let (_dir, root) = site();
        assert_eq!(resolve(&root, "/tags/不存在/"), Resolved::NotFound);
        assert_eq!(resolve(&root, "/政策解读.txt/"), Resolved::NotFound);
        assert_eq!(resolve(&root, "/regions/"), Resolved::NotFound, "a folder without index.html");
    }

    #[test]
    fn refuses_dot_dot_plain_and_encoded() {
        let (_dir, root) = site();
        for target in ["/../secret.txt", "/tags/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/.%2e/secret.txt"] {
            assert!(matches!(resolve(&root, target), Resolved::BadRequest(_)), "{target}");
        }
    }

    #[test]
    fn refuses_encoded_slashes_backslashes_and_nul() {
        let (_dir, root) = site();
        for target in ["/..%2fsecret.txt", "/tags%2F..%2F..%2Fsecret.txt", "/..%5csecret.txt", "/..\\secret.txt", "/index.html%00.txt", "/%"] {
            assert!(matches!(resolve(&root, target), Resolved::BadRequest(_)), "{target}");
        }
    }

    #[test]
    fn refuses_absolute_and_non_path_targets() {
        let (dir, root) = site();
        let absolute = format!("{}/secret.txt", dir.path().display());
        // An absolute file path is just a path under the site root: not found, not the secret.
        assert_eq!(resolve(&root, &absolute), Resolved::NotFound);
        assert!(matches!(resolve(&root, "http://example.org/secret.txt"), Resolved::BadRequest(_)));
        assert!(matches!(resolve(&root, "*"), Resolved::BadRequest(_)));
        assert!(matches!(resolve(&root, "/%FF%FE"), Resolved::BadRequest(_)), "not UTF-8");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symlinks_that_leave_the_site_but_follows_those_inside() {
        let (dir, root) = site();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("泄露.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path(), root.join("外部")).unwrap();
        std::os::unix::fs::symlink(root.join("tags"), root.join("標籤")).unwrap();
        assert!(matches!(resolve(&root, "/泄露.txt"), Resolved::Forbidden(_)));
        assert!(matches!(resolve(&root, "/外部/secret.txt"), Resolved::Forbidden(_)));
        assert!(matches!(resolve(&root, "/外部"), Resolved::Forbidden(_)), "no redirect reveals it");
        assert_eq!(file_name(&resolve(&root, "/標籤/科技合作/")), "科技合作");
    }

    #[test]
    fn gazette_s_own_folder_is_not_served() {
        let (_dir, root) = site();
        fs::create_dir_all(root.join(".gazette/staging/2024")).unwrap();
        fs::write(root.join(".gazette/manifest"), "gazette-manifest 1\n").unwrap();
        fs::write(root.join(".gazette/staging/2024/index.html"), "未发布").unwrap();
        for target in ["/.gazette/manifest", "/.gazette/", "/.gazette", "/%2Egazette/manifest", "/.GAZETTE/manifest", "/./.gazette/staging/2024/", "/.gazette/staging/2024/index.html"] {
            assert_eq!(resolve(&root, target), Resolved::NotFound, "{target}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join(".gazette/manifest"), root.join("清单.txt")).unwrap();
            std::os::unix::fs::symlink(root.join(".gazette/staging/2024"), root.join("草稿")).unwrap();
            assert_eq!(resolve(&root, "/清单.txt"), Resolved::NotFound);
            assert_eq!(resolve(&root, "/草稿/"), Resolved::NotFound);
        }
        assert_eq!(file_name(&resolve(&root, "/")), "首页", "the site itself still is");
    }

    #[test]
    fn query_values_are_decoded() {
        let target = "/__gazette/events?t=1&page=2024%2F03%2F%E6%97%BA%E8%8B%8D%2Findex.html";
        assert_eq!(query_value(target, "page").as_deref(), Some("2024/03/旺苍/index.html"));
        assert_eq!(query_value(target, "pag"), None);
        assert_eq!(query_value("/x?page=%E6%9", "page"), None, "a cut escape");
        assert_eq!(query_value("/x", "page"), None);
    }

    #[test]
    fn percent_encoding_is_plain_ascii() {
        assert_eq!(percent_encode("科技 合作", false), "%E7%A7%91%E6%8A%80%20%E5%90%88%E4%BD%9C");
        assert_eq!(percent_encode("q=臺&x=1", true), "q=%E8%87%BA&x=1");
    }
}
