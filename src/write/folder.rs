//! `gazette build`'s output folder, written in place. The folder is locked for the build;
//! new bytes are written into `.gazette/staging/` inside it and moved into place only
//! when the whole site rendered; only files whose bytes changed are written, and only
//! files gazette wrote (listed in `.gazette/manifest`) are ever replaced or removed. A
//! journal makes the move finishable: a build killed while moving files is completed by
//! the next one. The design and its failure analysis: `docs/output-folder.md`.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

use walkdir::WalkDir;

use super::manifest::{content_hash, modified_ns, Manifest, Record};
use super::{checked, checked_any, lock, remove_file_and_empty_parents, Claims, Sink};
use crate::diagnostics::Diagnostic;

/// gazette's own folder at the top of the output: lock, manifest, journal, staging.
pub const BOOKKEEPING: &str = ".gazette";
const LOCK: &str = "lock";
const MANIFEST: &str = "manifest";
const JOURNAL: &str = "journal";
const STAGING: &str = "staging";

/// An output folder, locked for one build.
pub struct OutputFolder {
    dir: PathBuf,
    /// Held open: the lock lasts as long as this value.
    _lock: File,
    /// What gazette wrote there last time: the only files a build may replace or remove.
    previous: Manifest,
    /// An output of a gazette from before manifests: its files are taken as gazette's,
    /// except dotfiles and the files a site host keeps (CNAME, README, LICENSE).
    adopted: bool,
    /// The folder did not exist before this build.
    created: bool,
}

/// What a build did to its output folder.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    /// Files the site has, and their bytes.
    pub files: usize,
    pub bytes: u64,
    /// Files written because their bytes changed (new files included).
    pub changed: usize,
    /// Files of the last build that this one no longer produces, removed.
    pub removed: usize,
}

impl OutputFolder {
    /// Checks where `output` is (never the site or its sources), creates it if needed,
    /// takes the lock (one build at a time), finishes a build that was killed while
    /// moving its files in, and reads what gazette wrote last time.
    pub fn open(root: &Path, output: &Path) -> Result<OutputFolder, Diagnostic> {
        let dir = super::check_output_place(root, output)?;
        let created = !dir.exists();
        let fail = |action: &str, e: io::Error| {
            Diagnostic::new(output, format!("cannot {action}: {e}")).help("make the output folder writable, or choose another with --output")
        };
        let own = dir.join(BOOKKEEPING);
        fs::create_dir_all(&own).map_err(|e| fail("create the output folder", e))?;
        let lock_file = File::options().create(true).truncate(false).write(true).open(own.join(LOCK)).map_err(|e| fail("write to the output folder", e))?;
        match lock_file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(Diagnostic::new(output, "another gazette build is writing to this output folder")
                    .help("wait for it to finish and build again; only one build at a time may write a folder"));
            }
            Err(fs::TryLockError::Error(e)) => return Err(fail("lock the output folder", e)),
        }
        let mut folder = OutputFolder { dir, _lock: lock_file, previous: Manifest::default(), adopted: false, created };
        folder.recover().map_err(|e| fail("finish the interrupted build in the output folder", e))?;
        match Manifest::read(&own.join(MANIFEST)).map_err(|e| fail("read gazette's list of its files", e))? {
            Some(manifest) => folder.previous = manifest,
            None => folder.adopt_older_output(),
        }
        Ok(folder)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A sink that renders into this folder; nothing is visible until [`InPlace::commit`].
    pub fn sink(&self) -> InPlace<'_> {
        InPlace { folder: self, claims: Claims::default(), records: Mutex::default(), files: AtomicUsize::new(0), bytes: AtomicU64::new(0), committed: false }
    }

    /// After a failed build: a folder this build created holds nothing but gazette's own
    /// bookkeeping, and goes; an existing one is left as it was.
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(self.own(STAGING));
        if self.created {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }

    fn own(&self, name: &str) -> PathBuf {
        self.dir.join(BOOKKEEPING).join(name)
    }

    /// A journal means a build was killed after it had decided to move its files in:
    /// finish that build. Staged files without a journal belong to a build that was
    /// stopped before; they go.
    fn recover(&self) -> io::Result<()> {
        match fs::read_to_string(self.own(JOURNAL)) {
            Ok(text) => {
                let next = Manifest::parse(&text).map_err(|msg| io::Error::new(io::ErrorKind::InvalidData, format!("journal: {msg}")))?;
                let previous = Manifest::read(&self.own(MANIFEST))?.unwrap_or_default();
                self.move_in(&previous, &next)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => match fs::remove_dir_all(self.own(STAGING)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            },
            Err(e) => Err(e),
        }
    }

    /// No manifest: if the folder holds the site of a gazette from before manifests (its
    /// home page says so), its files are taken as gazette's, so that they are replaced and
    /// stale ones removed. Anything else already there is left alone.
    fn adopt_older_output(&mut self) {
        let home = fs::read_to_string(self.dir.join("index.html")).unwrap_or_default();
        if !home.contains("<meta name=\"generator\" content=\"gazette") {
            return;
        }
        self.adopted = true;
        let walker = WalkDir::new(&self.dir).min_depth(1).into_iter().filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker.flatten().filter(|e| e.file_type().is_file()) {
            let Some(rel) = relative(&self.dir, entry.path()) else { continue };
            if !kept_by_hosts(&rel) {
                self.previous.files.insert(rel, Record { hash: 0, size: 0, modified: None });
            }
        }
    }

    /// Brings the folder from `previous` to `next`: removes what `next` no longer has,
    /// moves the staged files into place, then makes `next` the manifest. Safe to run
    /// again after an interruption: each step finds done what was done.
    fn move_in(&self, previous: &Manifest, next: &Manifest) -> io::Result<()> {
        let mut stale: Vec<&String> = previous.files.keys().filter(|rel| !next.files.contains_key(*rel)).collect();
        stale.sort_unstable();
        for rel in stale {
            remove_file_and_empty_parents(&self.dir, rel)?;
        }
        let staging = self.own(STAGING);
        if staging.is_dir() {
            let staged: Vec<PathBuf> = WalkDir::new(&staging).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()).map(walkdir::DirEntry::into_path).collect();
            for path in staged {
                let Some(rel) = relative(&staging, &path) else { continue };
                let dest = self.dir.join(checked_any(&rel)?);
                if let Some(parent) = dest.parent() {
                    fs::create_dir_all(parent)?;
                }
                fs::rename(&path, &dest)?;
            }
        }
        fs::rename(self.own(JOURNAL), self.own(MANIFEST))?;
        match fs::remove_dir_all(&staging) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// Files a site host or a repository keeps at the top of a published folder; an adopted
/// older output never counts them as gazette's.
fn kept_by_hosts(rel: &str) -> bool {
    let upper = rel.to_uppercase();
    !rel.contains('/') && (upper == "CNAME" || upper.starts_with("README") || upper.starts_with("LICENSE"))
}

/// `dir/a/b.html` → `a/b.html`.
fn relative(dir: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(dir).ok()?;
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Renders into an [`OutputFolder`]: a file whose bytes gazette already wrote there is
/// not written again; others go to the staging folder until [`InPlace::commit`].
pub struct InPlace<'a> {
    folder: &'a OutputFolder,
    claims: Claims,
    /// Every file of this build: its record, and whether it was staged (bytes changed).
    records: Mutex<Vec<(String, Record, bool)>>,
    files: AtomicUsize,
    bytes: AtomicU64,
    committed: bool,
}

impl InPlace<'_> {
    fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        checked(rel)?;
        self.claims.claim(rel)?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        let dir = &self.folder.dir;
        let hash = content_hash(bytes);
        let on_disk = fs::symlink_metadata(dir.join(rel));
        match (self.folder.previous.files.get(rel), &on_disk) {
            (Some(record), Ok(meta)) if record.hash == hash && record.matches_disk(meta) => {
                lock(&self.records).push((rel.to_string(), *record, false));
                return Ok(());
            }
            // A folder in the way is looked at before anything moves (`check_places`).
            (None, Ok(meta)) if !self.folder.adopted && !meta.is_dir() => return Err(not_ours(dir, rel)),
            _ => {}
        }
        let staged = self.folder.own(STAGING).join(rel);
        if let Some(parent) = staged.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&staged, bytes)?;
        let modified = modified_ns(&fs::metadata(&staged)?);
        lock(&self.records).push((rel.to_string(), Record { hash, size: bytes.len() as u64, modified }, true));
        Ok(())
    }

    /// Moves the new files into place and removes the stale ones: first the journal (the
    /// new manifest) is written, so that a kill from then on is finished by the next build.
    pub fn commit(mut self) -> io::Result<Written> {
        if let Some(written) = self.unchanged() {
            return Ok(written);
        }
        let (next, written) = self.write_journal()?;
        self.folder.move_in(&self.folder.previous, &next)?;
        Ok(written)
    }

    /// When every file is as the last build left it (none staged, none stale), nothing is
    /// to be done, not even the manifest rewritten: a no-op rebuild writes no file.
    fn unchanged(&mut self) -> Option<Written> {
        let records = lock(&self.records);
        let previous = &self.folder.previous.files;
        let same = records.len() == previous.len() && records.iter().all(|(rel, record, staged)| !staged && previous.get(rel) == Some(record));
        drop(records);
        same.then(|| Written { files: self.files.load(Ordering::Relaxed), bytes: self.bytes.load(Ordering::Relaxed), changed: 0, removed: 0 })
    }

    /// The decision: after this, the build's files are the folder's, whatever happens.
    fn write_journal(&mut self) -> io::Result<(Manifest, Written)> {
        let records = std::mem::take(&mut *lock(&self.records));
        self.check_places(&records)?;
        let changed = records.iter().filter(|r| r.2).count();
        let removed = self.folder.previous.files.keys().filter(|rel| !self.claims_has(rel)).count();
        let mut plain: Vec<(String, Record)> = records.into_iter().map(|(rel, record, _)| (rel, record)).collect();
        let text = Manifest::text(&mut plain);
        let temp = self.folder.own("journal.new");
        fs::write(&temp, text)?;
        fs::rename(&temp, self.folder.own(JOURNAL))?;
        self.committed = true;
        let written = Written { files: self.files.load(Ordering::Relaxed), bytes: self.bytes.load(Ordering::Relaxed), changed, removed };
        Ok((Manifest { files: plain.into_iter().collect() }, written))
    }

    fn claims_has(&self, rel: &str) -> bool {
        lock(&self.claims.0).taken.contains(rel)
    }

    /// Before anything moves: every staged file's place must be free for it. A folder in
    /// its path may not be a file that stays (one gazette did not write, or one this
    /// build writes too), and the place itself may not be a folder.
    fn check_places(&self, records: &[(String, Record, bool)]) -> io::Result<()> {
        let dir = &self.folder.dir;
        let staying = |rel: &str| !self.folder.previous.files.contains_key(rel) || self.claims_has(rel);
        let mut seen: HashSet<&str> = HashSet::new();
        for (rel, _, staged) in records {
            if !staged {
                continue;
            }
            if fs::symlink_metadata(dir.join(rel)).is_ok_and(|m| m.is_dir()) {
                // Free once the stale files in it are removed; not when something stays.
                let inside = WalkDir::new(dir.join(rel)).into_iter().filter_map(Result::ok).filter(|e| !e.file_type().is_dir());
                if let Some(stays) = inside.filter_map(|e| relative(dir, e.path())).find(|r| staying(r)) {
                    return Err(io::Error::new(
                        io::ErrorKind::AlreadyExists,
                        format!("{} is a folder holding {stays}, and this build writes the file {rel} there; move the folder away", dir.join(rel).display()),
                    ));
                }
            }
            let mut end = rel.len();
            while let Some(slash) = rel[..end].rfind('/') {
                let parent = &rel[..slash];
                if !seen.insert(parent) {
                    break;
                }
                match fs::symlink_metadata(dir.join(parent)) {
                    Ok(meta) if !meta.is_dir() && staying(parent) => return Err(not_ours(dir, parent)),
                    _ => {}
                }
                end = slash;
            }
        }
        Ok(())
    }
}

/// The error for a file in the way that gazette did not write.
fn not_ours(dir: &Path, rel: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("the output folder already holds {}, which gazette did not write, where this build writes {rel}; gazette replaces only its own files: move it away, or rename the page or file", dir.join(rel).display()),
    )
}

impl Sink for InPlace<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.put(rel, bytes)
    }

    fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        let bytes = fs::read(from)?;
        self.put(rel, &bytes)
    }
}

impl Drop for InPlace<'_> {
    fn drop(&mut self) {
        if !self.committed {
            let staging = self.folder.own(STAGING);
            let _ = fs::remove_dir_all(&staging);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir_all(tmp.path().join("content")).unwrap();
        tmp
    }

    fn build(root: &Path, files: &[(&str, &str)]) -> Written {
        let folder = OutputFolder::open(root, &root.join("public")).unwrap();
        let sink = folder.sink();
        for (rel, text) in files {
            sink.write(rel, text.as_bytes()).unwrap();
        }
        sink.commit().unwrap()
    }

    /// A build killed after its journal was written (and `moved` of its staged files
    /// moved in): the next open finishes it.
    fn killed_after_the_journal(root: &Path, files: &[(&str, &str)], moved: usize) {
        let folder = OutputFolder::open(root, &root.join("public")).unwrap();
        let mut sink = folder.sink();
        for (rel, text) in files {
            sink.write(rel, text.as_bytes()).unwrap();
        }
        sink.write_journal().unwrap();
        let staging = folder.own(STAGING);
        let mut staged: Vec<PathBuf> = WalkDir::new(&staging).into_iter().flatten().filter(|e| e.file_type().is_file()).map(|e| e.into_path()).collect();
        staged.sort();
        for path in staged.into_iter().take(moved) {
            let dest = folder.dir().join(path.strip_prefix(&staging).unwrap());
            fs::create_dir_all(dest.parent().unwrap()).unwrap();
            fs::rename(path, dest).unwrap();
        }
        std::mem::forget(sink); // killed: nothing runs after this
    }

    fn read(root: &Path, rel: &str) -> Option<String> {
        fs::read_to_string(root.join("public").join(rel)).ok()
    }

    #[test]
    fn a_build_killed_while_moving_its_files_in_is_finished_by_the_next_one() {
        for moved in [0, 1, 2] {
            let tmp = site();
            let root = tmp.path();
            build(root, &[("index.html", "旧首页"), ("2024/03/a/index.html", "甲"), ("tags/gone/index.html", "将删除")]);
            killed_after_the_journal(root, &[("index.html", "新首页"), ("2024/03/a/index.html", "甲"), ("2024/03/b/index.html", "乙")], moved);
            let folder = OutputFolder::open(root, &root.join("public")).unwrap();
            assert_eq!(read(root, "index.html").as_deref(), Some("新首页"), "moved {moved}");
            assert_eq!(read(root, "2024/03/b/index.html").as_deref(), Some("乙"));
            assert_eq!(read(root, "tags/gone/index.html"), None);
            assert!(!root.join("public/tags").exists(), "emptied folders go too");
            assert!(!folder.own(JOURNAL).exists() && !folder.own(STAGING).exists());
            assert_eq!(folder.previous.files.len(), 3, "the finished build's manifest");
            drop(folder);
            let again = build(root, &[("index.html", "新首页"), ("2024/03/a/index.html", "甲"), ("2024/03/b/index.html", "乙")]);
            assert_eq!((again.changed, again.removed), (0, 0), "moved {moved}");
        }
    }

    #[test]
    fn a_build_stopped_before_its_journal_leaves_the_old_files_and_no_staging() {
        let tmp = site();
        let root = tmp.path();
        build(root, &[("index.html", "旧首页")]);
        {
            let folder = OutputFolder::open(root, &root.join("public")).unwrap();
            let sink = folder.sink();
            sink.write("index.html", "新首页".as_bytes()).unwrap();
            assert!(folder.own(STAGING).join("index.html").exists());
            std::mem::forget(sink);
        }
        let folder = OutputFolder::open(root, &root.join("public")).unwrap();
        assert_eq!(read(root, "index.html").as_deref(), Some("旧首页"));
        assert!(!folder.own(STAGING).exists());
    }

    #[test]
    fn a_page_where_a_stale_page_of_the_last_build_was_a_folder_or_a_file() {
        let tmp = site();
        let root = tmp.path();
        build(root, &[("a", "曾是文件"), ("b/index.html", "曾是文件夹")]);
        build(root, &[("a/index.html", "现在是文件夹"), ("b", "现在是文件")]);
        assert_eq!(read(root, "a/index.html").as_deref(), Some("现在是文件夹"));
        assert_eq!(read(root, "b").as_deref(), Some("现在是文件"));
    }
}
