//! The built site as a deploy sees it: every file of the output folder but gazette's own
//! `.gazette/` (and a `.git/`), each with the bytes to send, their MD5 (what an S3
//! listing's ETag is for a single-part upload) and their headers.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use md5::{Digest, Md5};
use rayon::prelude::*;

use super::headers::{self, Headers};
// gzip with `build --compress`'s settings: a page compressed here has the bytes (and
// ETag) its `.gz` sibling would have.
use crate::write::compress::gzip;

/// One file to publish under the name `rel`.
#[derive(Debug, Clone)]
pub struct LocalFile {
    pub rel: String,
    pub source: Source,
    /// Bytes sent (compressed, when `encoding` is set).
    pub size: u64,
    pub md5: [u8; 16],
    pub headers: Headers,
    /// `Some("gzip")`: `source` gives gzip bytes, sent with `Content-Encoding: gzip`.
    pub encoding: Option<&'static str>,
}

/// Where the bytes of a [`LocalFile`] come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// The file as it is (for a gzip-encoded file: its `.gz` sibling).
    File(PathBuf),
    /// The file, gzip-compressed here ([`gzip`]).
    Gzip(PathBuf),
}

impl LocalFile {
    /// The bytes to send.
    pub fn bytes(&self) -> io::Result<Vec<u8>> {
        match &self.source {
            Source::File(path) => fs::read(path),
            Source::Gzip(path) => gzip(&fs::read(path)?),
        }
    }
}

/// What to do with `build --compress`'s `.gz`/`.br` siblings of text files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Siblings {
    /// A folder target: they are files of the site like any other (nginx `gzip_static`).
    Keep,
    /// An object store: no object of their own (a CDN would serve them as downloads).
    Drop,
    /// An object store with `content_encoding = "gzip"`: drop them, and send each text
    /// file gzip-compressed (its `.gz` sibling's bytes when there is one).
    Gzip,
}

/// The files of the output folder `dir`, sorted by name.
pub fn files(dir: &Path, siblings: Siblings) -> io::Result<Vec<LocalFile>> {
    let mut rels: Vec<String> = Vec::new();
    let walk = walkdir::WalkDir::new(dir).follow_links(true).into_iter().filter_entry(|e| !(e.depth() >= 1 && is_private(e.file_name(), e.depth())));
    for entry in walk {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).map_err(io::Error::other)?;
            let Some(rel) = rel.to_str() else {
                return Err(io::Error::new(io::ErrorKind::InvalidData, format!("{}: the file name is not UTF-8", entry.path().display())));
            };
            rels.push(rel.replace('\\', "/"));
        }
    }
    rels.sort();
    let all: HashSet<&str> = rels.iter().map(String::as_str).collect();
    rels.par_iter()
        .filter(|rel| siblings == Siblings::Keep || sibling_of(rel, &all).is_none())
        .map(|rel| {
            let path = dir.join(rel);
            let mut headers = headers::for_path(rel);
            if siblings == Siblings::Keep {
                // `x.html.gz` is served for `x.html`: it keeps that file's cache lifetime.
                if let Some(base) = sibling_of(rel, &all) {
                    headers.cache_control = headers::for_path(base).cache_control;
                }
            }
            let file = if siblings == Siblings::Gzip && headers::is_text(rel) {
                let gz = dir.join(format!("{rel}.gz"));
                let (source, bytes) = if all.contains(format!("{rel}.gz").as_str()) {
                    let bytes = fs::read(&gz)?;
                    (Source::File(gz), bytes)
                } else {
                    (Source::Gzip(path.clone()), gzip(&fs::read(&path)?)?)
                };
                LocalFile { rel: rel.clone(), source, size: bytes.len() as u64, md5: Md5::digest(&bytes).into(), headers, encoding: Some("gzip") }
            } else {
                let bytes = fs::read(&path)?;
                LocalFile { rel: rel.clone(), source: Source::File(path), size: bytes.len() as u64, md5: Md5::digest(&bytes).into(), headers, encoding: None }
            };
            Ok(file)
        })
        .collect()
}

/// `x.html` for `x.html.gz` or `x.html.br` when `x.html` is a text file of the site.
fn sibling_of<'a>(rel: &'a str, all: &HashSet<&str>) -> Option<&'a str> {
    let base = rel.strip_suffix(".gz").or_else(|| rel.strip_suffix(".br"))?;
    (all.contains(base) && headers::is_text(base)).then_some(base)
}

/// gazette's bookkeeping at the top (`.gazette/`), and version-control folders anywhere:
/// never published, never deleted on a target.
pub fn is_private(name: &std::ffi::OsStr, depth: usize) -> bool {
    (depth == 1 && name == ".gazette") || name == ".git"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siblings_are_kept_dropped_or_sent_as_the_encoding() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir_all(d.join(".gazette")).unwrap();
        fs::write(d.join(".gazette/manifest"), "x").unwrap();
        fs::write(d.join("index.html"), "<p>hi</p>").unwrap();
        fs::write(d.join("index.html.gz"), gzip(b"<p>hi</p>").unwrap()).unwrap();
        fs::write(d.join("index.html.br"), "brotli").unwrap();
        fs::write(d.join("a.css"), "p{}").unwrap();
        fs::write(d.join("logo.png"), "png").unwrap();
        fs::write(d.join("old.tar.gz"), "not a sibling").unwrap();
        let names = |s| files(d, s).unwrap().into_iter().map(|f| f.rel).collect::<Vec<_>>();
        assert_eq!(names(Siblings::Keep), ["a.css", "index.html", "index.html.br", "index.html.gz", "logo.png", "old.tar.gz"]);
        assert_eq!(names(Siblings::Drop), ["a.css", "index.html", "logo.png", "old.tar.gz"]);
        let gz = files(d, Siblings::Gzip).unwrap();
        let html = &gz[1];
        assert!(matches!(&html.source, Source::File(p) if p.ends_with("index.html.gz")), "{html:?}");
        assert_eq!(html.encoding, Some("gzip"));
        assert_eq!(html.bytes().unwrap(), fs::read(d.join("index.html.gz")).unwrap());
        let css = &gz[0];
        assert!(matches!(css.source, Source::Gzip(_)));
        assert_eq!(css.md5, <[u8; 16]>::from(Md5::digest(gzip(b"p{}").unwrap())));
        assert_eq!(gz[2].encoding, None, "images are sent as they are");
    }
}
