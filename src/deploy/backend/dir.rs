//! A folder target (`file:///srv/www/site`): the same plan as a bucket, files written
//! atomically (a temporary file beside the place, renamed over it), so that a site
//! served from the folder shows each file whole, old or new.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use md5::{Digest, Md5};
use rayon::prelude::*;

use super::RemoteFile;
use crate::deploy::local::{is_private, LocalFile};
use crate::diagnostics::Diagnostic;

/// Temporary files end with this; one left by a killed deploy is not a site file, so
/// the next deploy deletes it.
const TMP_SUFFIX: &str = ".gazette-tmp";

#[derive(Clone)]
pub struct DirBackend {
    pub dir: PathBuf,
    pub target: String,
}

impl DirBackend {
    fn fail(&self, what: &str, path: &Path, e: &io::Error) -> Diagnostic {
        Diagnostic::general(format!("deploy to `{}`: cannot {what} {}: {e}", self.target, path.display()))
            .help(format!("check that the folder {} exists and that this user may write to it", self.dir.display()))
    }

    pub async fn list(&self) -> Result<Vec<RemoteFile>, Diagnostic> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.list_now()).await.map_err(|e| Diagnostic::general(e.to_string()))?
    }

    fn list_now(&self) -> Result<Vec<RemoteFile>, Diagnostic> {
        match fs::metadata(&self.dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err(self.fail("use", &self.dir, &io::Error::other("not a folder"))),
            // a first deploy creates the folder, if its parent is there (a missing mount
            // point or a typo in the path is an error, not a new folder on the root disk)
            Err(e) if e.kind() == io::ErrorKind::NotFound && self.dir.parent().is_some_and(Path::is_dir) => {
                fs::create_dir(&self.dir).map_err(|e| self.fail("create", &self.dir, &e))?;
                return Ok(Vec::new());
            }
            Err(e) => return Err(self.fail("open the folder", &self.dir, &e)),
        }
        let mut rels = Vec::new();
        let walk = walkdir::WalkDir::new(&self.dir).into_iter().filter_entry(|e| !(e.depth() >= 1 && is_private(e.file_name(), e.depth())));
        for entry in walk {
            let entry = entry.map_err(|e| {
                let path = e.path().map_or_else(|| self.dir.clone(), Path::to_path_buf);
                self.fail("read", &path, &io::Error::from(e))
            })?;
            if !entry.file_type().is_dir() {
                let rel = entry.path().strip_prefix(&self.dir).unwrap_or(entry.path());
                rels.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
        rels.par_iter()
            .map(|rel| {
                let path = self.dir.join(rel);
                let md5 = match fs::read(&path) {
                    Ok(bytes) => Some(Md5::digest(&bytes).into()),
                    // a symbolic link that leads nowhere, a socket: replaced or deleted
                    Err(_) => None,
                };
                Ok(RemoteFile { rel: rel.clone(), md5 })
            })
            .collect()
    }

    pub async fn put(&self, file: &LocalFile, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        let this = self.clone();
        let rel = file.rel.clone();
        tokio::task::spawn_blocking(move || this.put_now(&rel, &bytes)).await.map_err(|e| Diagnostic::general(e.to_string()))?
    }

    fn put_now(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let dest = self.dir.join(rel);
        let parent = dest.parent().unwrap_or(&self.dir);
        fs::create_dir_all(parent).map_err(|e| self.fail("create", parent, &e))?;
        let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let tmp = parent.join(format!(".{name}{TMP_SUFFIX}"));
        fs::write(&tmp, bytes).map_err(|e| self.fail("write", &tmp, &e))?;
        fs::rename(&tmp, &dest).map_err(|e| {
            let _ = fs::remove_file(&tmp);
            self.fail("write", &dest, &e)
        })
    }

    pub async fn delete(&self, rels: Vec<String>) -> Result<(), Diagnostic> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || {
            for rel in rels {
                let path = this.dir.join(&rel);
                match fs::remove_file(&path) {
                    Ok(()) => this.remove_empty_parents(&path),
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(this.fail("delete", &path, &e)),
                }
            }
            Ok(())
        })
        .await
        .map_err(|e| Diagnostic::general(e.to_string()))?
    }

    /// Folders a deletion left empty go too (never the target folder itself).
    fn remove_empty_parents(&self, path: &Path) {
        let mut dir = path.parent();
        while let Some(d) = dir {
            if d == self.dir || !d.starts_with(&self.dir) || fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
}
