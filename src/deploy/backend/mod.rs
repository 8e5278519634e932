//! Where a deploy sends files: an S3-compatible store ([`s3`], through OpenDAL) or a
//! folder ([`dir`]). Both answer the same three questions: what is there (with an MD5
//! per file where the target can tell), put this file, delete these.

pub mod dir;
pub mod s3;

use crate::diagnostics::Diagnostic;

use super::local::LocalFile;

/// A file the target holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteFile {
    pub rel: String,
    /// `None` when the target cannot tell (an ETag that is not an MD5: a multipart or
    /// KMS-encrypted upload): such a file is always uploaded again.
    pub md5: Option<[u8; 16]>,
}

#[derive(Clone)]
pub enum Backend {
    S3(s3::S3Backend),
    Dir(dir::DirBackend),
}

impl Backend {
    pub async fn list(&self) -> Result<Vec<RemoteFile>, Diagnostic> {
        match self {
            Backend::S3(b) => b.list().await,
            Backend::Dir(b) => b.list().await,
        }
    }

    pub async fn put(&self, file: &LocalFile, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        match self {
            Backend::S3(b) => b.put(file, bytes).await,
            Backend::Dir(b) => b.put(file, bytes).await,
        }
    }

    pub async fn delete(&self, rels: Vec<String>) -> Result<(), Diagnostic> {
        match self {
            Backend::S3(b) => b.delete(rels).await,
            Backend::Dir(b) => b.delete(rels).await,
        }
    }

    /// Files sent at once.
    pub fn concurrency(&self) -> usize {
        match self {
            Backend::S3(_) => 16,
            Backend::Dir(_) => 4,
        }
    }
}

/// `d41d8cd98f00b204e9800998ecf8427e` (quoted or not, any case) → bytes.
pub fn md5_of_etag(etag: &str) -> Option<[u8; 16]> {
    let hex = etag.trim().trim_start_matches("W/").trim_matches('"');
    if hex.len() != 32 {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_etag_is_an_md5_only_when_it_looks_like_one() {
        assert_eq!(super::md5_of_etag("\"D41D8CD98F00B204E9800998ECF8427E\"").map(|m| m[0]), Some(0xd4));
        assert_eq!(super::md5_of_etag("\"d41d8cd98f00b204e9800998ecf8427e-2\""), None, "multipart");
        assert_eq!(super::md5_of_etag("zz1d8cd98f00b204e9800998ecf8427e"), None);
    }
}
