//! `asset(path=…)`, the template function that gives a static file's URL: for
//! `gazette build`, a content-hashed name (`css/style.0123456789.css`) that a CDN may
//! cache for a year, published beside the plain copy; for `serve`, the plain name, so
//! that a style edit rewrites one file and no page (docs/templates.md, "asset").

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::Value;

use crate::render::files::StaticFiles;

/// The function's name in templates.
pub const NAME: &str = "asset";

/// How many hex digits of the content hash a hashed name carries: the convention that
/// `gazette deploy` and the docs' server rules match (`\.[0-9a-f]{10}\.[a-z0-9]+$`).
pub const HASH_DIGITS: usize = 10;

/// Which URLs `asset()` gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssetUrls {
    /// `css/style.0123456789.css`, and that file published (`gazette build`).
    Hashed,
    /// `css/style.css` (`serve`, and builds compared with it).
    Plain,
}

/// The static files of one render, and the hashed names templates asked for.
pub struct Assets {
    files: StaticFiles,
    base_path: String,
    urls: AssetUrls,
    /// Plain path → hashed path, for each file `asset()` gave a hashed name.
    hashed: Mutex<HashMap<String, String>>,
}

impl Assets {
    pub fn new(files: StaticFiles, base_path: &str, urls: AssetUrls) -> Assets {
        Assets { files, base_path: base_path.to_string(), urls, hashed: Mutex::default() }
    }

    pub fn files(&self) -> &StaticFiles {
        &self.files
    }

    /// The URL of the static file at `rel` (relative to the output, as published).
    pub fn url(&self, rel: &str) -> Result<String, String> {
        let rel = rel.trim_start_matches('/');
        if !self.files.contains(rel) {
            return Err(format!(
                "{NAME}(path=\"{rel}\"): there is no such file in the theme's static/ folder, the site's static/ folder or content/; check the path (relative to static/, e.g. \"css/style.css\")"
            ));
        }
        if self.urls == AssetUrls::Plain {
            return Ok(format!("{}{rel}", self.base_path));
        }
        if let Some(hashed) = self.hashed.lock().unwrap_or_else(PoisonError::into_inner).get(rel) {
            return Ok(format!("{}{hashed}", self.base_path));
        }
        let bytes = self.files.bytes(rel).map_err(|e| format!("{NAME}(path=\"{rel}\"): cannot read the file: {e}"))?;
        let hashed = hashed_name(rel, &bytes);
        let url = format!("{}{hashed}", self.base_path);
        self.hashed.lock().unwrap_or_else(PoisonError::into_inner).insert(rel.to_string(), hashed);
        Ok(url)
    }

    /// (plain path, hashed path) of every file given a hashed name, sorted: the copies
    /// to publish.
    pub fn hashed_copies(&self) -> BTreeMap<String, String> {
        self.hashed.lock().unwrap_or_else(PoisonError::into_inner).iter().map(|(a, b)| (a.clone(), b.clone())).collect()
    }
}

/// `css/style.css` with `bytes` → `css/style.HHHHHHHHHH.css`: the first ten hex digits of
/// the content hash the output folder uses (SipHash 1-3, 128 bits, stable across
/// versions), between the stem and the extension, so that the file keeps its type and
/// its folder (relative `url(…)`s in a style sheet still resolve). A name without an
/// extension gets the hash at the end.
pub fn hashed_name(rel: &str, bytes: &[u8]) -> String {
    let hash = format!("{:032x}", crate::write::content_hash(bytes));
    let hash = &hash[..HASH_DIGITS];
    let (dir, name) = rel.rsplit_once('/').map_or(("", rel), |(d, n)| (d, n));
    let name = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}.{hash}.{ext}"),
        _ => format!("{name}.{hash}"),
    };
    if dir.is_empty() {
        name
    } else {
        format!("{dir}/{name}")
    }
}

/// The Tera function.
pub struct AssetFunction(pub Arc<Assets>);

impl tera::Function for AssetFunction {
    fn call(&self, args: &std::collections::HashMap<String, Value>) -> tera::Result<Value> {
        match args.get("path").map(Value::as_str) {
            Some(Some(path)) => self.0.url(path).map(Value::String).map_err(tera::Error::msg),
            _ => Err(tera::Error::msg(format!("{NAME} needs the file's path under static/, e.g. {{{{ {NAME}(path=\"css/style.css\") }}}}"))),
        }
    }

    // A URL is escaped like any other value where the template prints it.
    fn is_safe(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_name_keeps_folder_stem_and_extension() {
        let name = hashed_name("css/style.css", b"body{}");
        assert_eq!(name.len(), "css/style..css".len() + HASH_DIGITS);
        let (stem, rest) = name.split_once('.').unwrap();
        assert_eq!(stem, "css/style");
        let (hash, ext) = rest.split_once('.').unwrap();
        assert!(hash.len() == HASH_DIGITS && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{hash}");
        assert_eq!(ext, "css");
        assert_ne!(hashed_name("css/style.css", b"body{color:red}"), name);
        assert_eq!(hashed_name("css/style.css", b"body{}"), name, "the same bytes, the same name");
        assert!(hashed_name("js/vendor.min.js", b"x").starts_with("js/vendor.min."));
        assert!(hashed_name("LICENSE", b"x").starts_with("LICENSE."));
        assert!(hashed_name("app.js", b"x").ends_with(".js") && !hashed_name("app.js", b"x").contains('/'));
    }
}
