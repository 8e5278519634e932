//! An output folder written in place, by `gazette build` and by every rebuild of
//! `serve --watch` alike. The folder is locked while it is open; new bytes are written
//! into `.gazette/staging/` inside it and moved into place only when the whole site
//! rendered; only files whose bytes changed are written, and only files gazette wrote
//! (listed in `.gazette/manifest`) are ever replaced or removed. A journal makes the move
//! finishable: a build killed while moving files is completed by the next one. The design
//! and its failure analysis: `docs/output-folder.md`.
//!
//! `serve --watch` keeps the folder open between rebuilds ([`OutputFolder::open_live`]):
//! what it wrote last time stays in memory with the fingerprint of each page's inputs, so
//! a page whose inputs did not change is not rendered, and a file whose bytes did not
//! change costs no disk access.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fs::{self, File};
use std::hash::{Hash, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;
use walkdir::WalkDir;

use super::compress::{self, Encoding};
use super::known::{has_upper, FileIndex, Known};
use super::manifest::{content_hash, modified_ns, Manifest, Record};
use super::{checked, lock, remove_file_and_empty_parents, two_outputs, Sink};
use crate::diagnostics::Diagnostic;

/// gazette's own folder at the top of the output: lock, manifest, journal, staging.
pub const BOOKKEEPING: &str = ".gazette";
const LOCK: &str = "lock";
const MANIFEST: &str = "manifest";
const JOURNAL: &str = "journal";
const STAGING: &str = "staging";
/// A live folder's last manifest but one, written over by the next journal.
const SPARE: &str = "spare";

/// An output folder, locked for as long as this value lives.
pub struct OutputFolder {
    dir: PathBuf,
    /// Held open: the lock lasts as long as this value.
    _lock: File,
    /// What gazette wrote there last time: the only files a build may replace or remove.
    previous: Known,
    /// An output of a gazette from before manifests: its files are taken as gazette's,
    /// except dotfiles and the files a site host keeps (CNAME, README, LICENSE).
    adopted: bool,
    /// The folder did not exist before this build.
    created: bool,
    /// Kept open from build to build (`serve --watch`): pages whose inputs are unchanged
    /// are reused, and input fingerprints are remembered.
    live: bool,
    /// Every file in `previous` was written or checked on disk by this process, so an
    /// unchanged file need not be looked at again.
    verified: bool,
    /// The manifest as this process last wrote it, patched by the next rebuild.
    text: Mutex<ManifestText>,
    /// Write `.gz` and `.br` beside each text file (`build --compress`; never a live folder).
    compress: bool,
}

/// The text of the last manifest written and where its lines start, so that a rebuild
/// that changed a few files copies the other lines rather than formatting 17,000 of them
/// (at 10,000 articles), and buffers for the next text, kept so that their memory is not
/// fresh each time (on this kind of virtual machine fresh memory costs more than writing
/// the text into it).
#[derive(Default)]
struct ManifestText {
    text: String,
    starts: Vec<usize>,
    /// The files `text` lists, when it is the manifest of the folder's `previous`.
    of: Option<Arc<FileIndex>>,
    next: String,
    next_starts: Vec<usize>,
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
    /// `.gz` and `.br` siblings made by compressing (the others were kept as they were).
    pub compressed: usize,
}

/// What [`InPlace::commit`] did, file by file.
#[derive(Debug, Default)]
pub struct Committed {
    pub written: Written,
    /// Files written because their bytes changed (new files included), sorted.
    pub changed: Vec<String>,
    /// Files removed because this build no longer produces them, sorted.
    pub removed: Vec<String>,
    /// Pages rendered because their inputs changed (the others were reused).
    pub rendered: usize,
    /// The folder as it now is, for [`OutputFolder::advance`].
    next: Known,
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
        let mut folder = OutputFolder { dir, _lock: lock_file, previous: Known::default(), adopted: false, created, live: false, verified: false, text: Mutex::default(), compress: false };
        folder.recover().map_err(|e| fail("finish the interrupted build in the output folder", e))?;
        match Manifest::read(&own.join(MANIFEST)).map_err(|e| fail("read gazette's list of its files", e))? {
            Some(manifest) => folder.previous = Known::from_manifest(manifest),
            None => folder.adopt_older_output(),
        }
        Ok(folder)
    }

    /// [`OutputFolder::open`] for a folder that is gazette's alone and stays open from one
    /// build to the next (the private folder of `serve --watch`): pages whose inputs did
    /// not change since the last build through this value are not rendered again. A
    /// folder without a manifest (left by a gazette from before manifests) is emptied
    /// first, as nothing in it is anyone else's.
    pub fn open_live(root: &Path, output: &Path) -> Result<OutputFolder, Diagnostic> {
        let mut folder = OutputFolder::open(root, output)?;
        if folder.previous.len() == 0 || folder.adopted {
            folder.clear().map_err(|e| Diagnostic::new(output, format!("cannot clear the preview folder: {e}")))?;
            (folder.previous, folder.adopted) = (Known::default(), false);
        }
        folder.live = true;
        Ok(folder)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether builds through this folder write a `.gz` and a `.br` beside each text file
    /// ([`compress`] says which, and when they pay). The siblings are files of the build
    /// like any other (in the manifest, kept when unchanged, removed when no longer
    /// made), and a file whose bytes did not change keeps the siblings it has without
    /// being compressed again. A live folder (`serve --watch`) never compresses.
    pub fn set_compress(&mut self, on: bool) {
        self.compress = on && !self.live;
    }

    /// A sink that renders into this folder; nothing is visible until [`InPlace::commit`].
    pub fn sink(&self) -> InPlace<'_> {
        InPlace {
            folder: self,
            kept: self.previous.records.iter().map(|_| AtomicBool::new(false)).collect(),
            updated: Mutex::default(),
            added: Mutex::default(),
            rendering: Mutex::default(),
            rendered: AtomicUsize::new(0),
            compressed: AtomicUsize::new(0),
            committed: false,
        }
    }

    /// Takes what a commit made of the folder as what it holds, for the next build
    /// through this value.
    pub fn advance(&mut self, committed: &mut Committed) {
        self.previous = std::mem::take(&mut committed.next);
        self.adopted = false;
        self.verified = true;
    }

    /// Makes every page render again next time (when something outside the fingerprints
    /// changed, such as site.toml's Markdown options); unchanged bytes are still not
    /// written again, and stale files are still removed.
    pub fn forget_inputs(&mut self) {
        self.previous.inputs.iter_mut().for_each(|inputs| *inputs = None);
    }

    /// After a failed build: a folder this build created holds nothing but gazette's own
    /// bookkeeping, and goes; an existing one is left as it was. A build that failed after
    /// its journal was written has decided: the next one finishes it.
    pub fn abandon(self) {
        if self.own(JOURNAL).exists() {
            return;
        }
        let _ = fs::remove_dir_all(self.own(STAGING));
        if self.created {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }

    fn own(&self, name: &str) -> PathBuf {
        self.dir.join(BOOKKEEPING).join(name)
    }

    /// Removes everything in the folder but gazette's own folder (not the folder itself,
    /// which may be a mount point).
    fn clear(&self) -> io::Result<()> {
        for entry in fs::read_dir(&self.dir)? {
            let entry = entry?;
            if entry.file_name() == BOOKKEEPING {
                continue;
            }
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                fs::remove_dir_all(&path)?;
            } else {
                fs::remove_file(&path)?;
            }
        }
        Ok(())
    }

    /// A journal means a build was killed after it had decided to move its files in:
    /// finish that build. Staged files without a journal belong to a build that was
    /// stopped before; they go.
    fn recover(&self) -> io::Result<()> {
        match fs::read_to_string(self.own(JOURNAL)) {
            Ok(text) => {
                let next = Manifest::parse(&text).map_err(|msg| io::Error::new(io::ErrorKind::InvalidData, format!("journal: {msg}")))?;
                let previous = Manifest::read(&self.own(MANIFEST))?.unwrap_or_default();
                let mut stale: Vec<&String> = previous.files.keys().filter(|rel| !next.files.contains_key(*rel)).collect();
                stale.sort_unstable();
                self.move_in(stale.into_iter().map(String::as_str))
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
        let mut files = Manifest::default();
        let walker = WalkDir::new(&self.dir).min_depth(1).into_iter().filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker.flatten().filter(|e| e.file_type().is_file()) {
            let Some(rel) = relative(&self.dir, entry.path()) else { continue };
            if !kept_by_hosts(&rel) {
                files.files.insert(rel, Record { hash: 0, size: 0, modified: None });
            }
        }
        self.previous = Known::from_manifest(files);
    }

    /// Brings the folder to the build in the journal: removes the `stale` files, moves
    /// the staged files into place, then makes the journal the manifest. Safe to run
    /// again after an interruption: each step finds done what was done.
    ///
    /// A live folder keeps the staging folder's empty folders for the next rebuild: on a
    /// disk mounted with `discard` every folder removed costs a few milliseconds, and a
    /// rebuild would otherwise create and remove the same three or four each time.
    fn move_in<'a>(&self, stale: impl Iterator<Item = &'a str>) -> io::Result<()> {
        for rel in stale {
            remove_file_and_empty_parents(&self.dir, rel)?;
        }
        let staging = self.own(STAGING);
        if staging.is_dir() {
            move_tree(&staging, &self.dir)?;
        }
        if self.live {
            // The manifest being replaced lives on as the next journal's file.
            let _ = fs::hard_link(self.own(MANIFEST), self.own(SPARE));
        }
        fs::rename(self.own(JOURNAL), self.own(MANIFEST))?;
        if self.live {
            return Ok(());
        }
        match fs::remove_dir_all(&staging) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// Moves what is in `from` into `to`: a file over its old version, a folder whose place
/// is free in one rename (a first build moves in a handful of folders, not every page),
/// a folder whose place is a folder by moving what is in it. Folders without a file
/// (left by a live folder's earlier rebuilds) stay. What was moved is no longer in
/// `from`, so running it again after an interruption moves the rest.
fn move_tree(from: &Path, to: &Path) -> io::Result<()> {
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let dest = to.join(entry.file_name());
        if !entry.file_type()?.is_dir() {
            fs::rename(entry.path(), &dest)?;
        } else if fs::symlink_metadata(&dest).is_ok_and(|meta| meta.is_dir()) {
            move_tree(&entry.path(), &dest)?;
        } else if WalkDir::new(entry.path()).into_iter().filter_map(Result::ok).any(|e| !e.file_type().is_dir()) {
            fs::rename(entry.path(), &dest)?;
        }
    }
    Ok(())
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
///
/// A file of the last build that this one produces again costs one lookup and one flag;
/// only files that are new or rewritten take locks.
pub struct InPlace<'a> {
    folder: &'a OutputFolder,
    /// Per file of the last build: whether this build produces it again (also what keeps
    /// two outputs from claiming one file).
    kept: Vec<AtomicBool>,
    /// Files of the last build whose record or inputs changed.
    updated: Mutex<Vec<Update>>,
    /// Files the last build did not have (all staged): record and inputs.
    added: Mutex<FxHashMap<String, (Record, Option<u64>)>>,
    /// Input fingerprints of pages that are being rendered again (live folders only).
    rendering: Mutex<FxHashMap<String, u64>>,
    rendered: AtomicUsize,
    /// Siblings made by compressing.
    compressed: AtomicUsize,
    committed: bool,
}

/// A file of the last build that this build produces with another record or inputs.
struct Update {
    place: usize,
    record: Record,
    inputs: Option<u64>,
    /// New bytes were staged.
    staged: bool,
}

impl InPlace<'_> {
    /// Claims `rel` (at `place` in the last build) with `bytes`, and its compressed
    /// siblings when the folder makes them.
    fn put(&self, rel: &str, place: Option<usize>, bytes: &[u8], inputs: Option<u64>) -> io::Result<()> {
        let unchanged = self.put_one(rel, place, bytes, inputs)?;
        if self.folder.compress && compress::wanted(rel, bytes.len()) {
            self.put_siblings(rel, unchanged, &|| Ok(Cow::Borrowed(bytes)))?;
        }
        Ok(())
    }

    /// The `.gz` and `.br` of the file at `rel`. When the file is as the last build left
    /// it, a sibling that build wrote (and that is still as it was) is kept without
    /// compressing anything; otherwise the sibling is made from `bytes()`, and written
    /// when it pays ([`compress::worth_it`]).
    fn put_siblings<'b>(&self, rel: &str, unchanged: bool, load: &dyn Fn() -> io::Result<Cow<'b, [u8]>>) -> io::Result<()> {
        let mut loaded: Option<Cow<'b, [u8]>> = None;
        for encoding in Encoding::ALL {
            let sibling = format!("{rel}{}", encoding.suffix());
            if unchanged {
                if let Some(place) = self.keepable(&sibling) {
                    self.claim(&sibling, place)?;
                    continue;
                }
            }
            if loaded.is_none() {
                loaded = Some(load()?);
            }
            let bytes = loaded.as_deref().unwrap_or_default();
            let compressed = encoding.compress(bytes)?;
            if compress::worth_it(&compressed, bytes) {
                self.compressed.fetch_add(1, Ordering::Relaxed);
                self.put_one(&sibling, self.folder.previous.index.place(&sibling), &compressed, None)?;
            }
        }
        Ok(())
    }

    /// Claims `rel` (at `place` in the last build) with `bytes`: kept when gazette already
    /// wrote those bytes there (true), staged otherwise (false).
    fn put_one(&self, rel: &str, place: Option<usize>, bytes: &[u8], inputs: Option<u64>) -> io::Result<bool> {
        let hash = content_hash(bytes);
        let folder = self.folder;
        let Some(place) = place else {
            // A new file: its place must not hold a file of someone else's. (A folder in
            // the way is looked at before anything moves: `check_places`.)
            if let Ok(meta) = fs::symlink_metadata(folder.dir.join(rel)) {
                if !folder.adopted && !meta.is_dir() {
                    return Err(not_ours(&folder.dir, rel));
                }
            }
            if lock(&self.added).contains_key(rel) {
                return Err(two_outputs(rel));
            }
            let record = self.stage(rel, hash, bytes)?;
            return match lock(&self.added).insert(rel.to_string(), (record, inputs)) {
                Some(_) => Err(two_outputs(rel)),
                None => Ok(false),
            };
        };
        self.claim(rel, place)?;
        let record = folder.previous.records[place];
        // What this process wrote is trusted; otherwise the file on disk must still have
        // the size and time gazette gave it.
        let same = record.hash == hash && (folder.verified || fs::symlink_metadata(folder.dir.join(rel)).is_ok_and(|meta| record.matches_disk(&meta)));
        if same {
            if folder.previous.inputs[place] != inputs {
                lock(&self.updated).push(Update { place, record, inputs, staged: false });
            }
            return Ok(true);
        }
        let record = self.stage(rel, hash, bytes)?;
        lock(&self.updated).push(Update { place, record, inputs, staged: true });
        Ok(false)
    }

    /// The place of a file of the last build that is still as gazette wrote it.
    fn keepable(&self, rel: &str) -> Option<usize> {
        let place = self.folder.previous.index.place(rel)?;
        let record = self.folder.previous.records[place];
        let as_written = self.folder.verified || fs::symlink_metadata(self.folder.dir.join(rel)).is_ok_and(|meta| record.matches_disk(&meta));
        as_written.then_some(place)
    }

    /// Takes the last build's file at `place` for this build.
    fn claim(&self, rel: &str, place: usize) -> io::Result<()> {
        if self.kept[place].swap(true, Ordering::AcqRel) {
            return Err(two_outputs(rel));
        }
        Ok(())
    }

    /// Writes `bytes` into the staging folder.
    fn stage(&self, rel: &str, hash: u128, bytes: &[u8]) -> io::Result<Record> {
        let staged = self.folder.own(STAGING).join(rel);
        if let Some(parent) = staged.parent() {
            fs::create_dir_all(parent)?;
        }
        if let Err(e) = fs::write(&staged, bytes) {
            // An empty folder a live folder kept from an earlier rebuild, where this
            // build has a file (a folder of pages that became one file).
            if !fs::symlink_metadata(&staged).is_ok_and(|meta| meta.is_dir()) {
                return Err(e);
            }
            fs::remove_dir_all(&staged)?;
            fs::write(&staged, bytes)?;
        }
        let modified = modified_ns(&fs::metadata(&staged)?);
        Ok(Record { hash, size: bytes.len() as u64, modified })
    }

    /// Moves the new files into place and removes the stale ones: first the journal (the
    /// new manifest) is written, so that a kill from then on is finished by the next
    /// build. When every file is as the last build left it (none staged, none stale),
    /// nothing is written, not even the manifest: a no-op rebuild writes no file.
    pub fn commit(mut self) -> io::Result<Committed> {
        let committed = self.decide()?;
        if !committed.changed.is_empty() || !committed.removed.is_empty() {
            self.folder.move_in(committed.removed.iter().map(String::as_str))?;
        }
        Ok(committed)
    }

    /// Everything up to the decision: the checks, the folder's next state, and the
    /// journal when something on disk is to change.
    fn decide(&mut self) -> io::Result<Committed> {
        let folder = self.folder;
        let previous = &folder.previous;
        let kept: Vec<bool> = std::mem::take(&mut self.kept).into_iter().map(AtomicBool::into_inner).collect();
        let added = std::mem::take(&mut *lock(&self.added));
        let updated = std::mem::take(&mut *lock(&self.updated));
        self.check_letter_case(&kept, &added)?;

        let mut changed: Vec<String> = added.keys().cloned().collect();
        changed.extend(updated.iter().filter(|u| u.staged).map(|u| previous.index.names[u.place].to_string()));
        changed.sort_unstable();
        let removed: Vec<String> = kept.iter().zip(&previous.index.names).filter(|(k, _)| !**k).map(|(_, name)| name.to_string()).collect();
        let on_disk = !changed.is_empty() || !removed.is_empty();
        if on_disk {
            self.check_places(&changed, &kept)?;
        }

        let updated_places: Vec<usize> = updated.iter().filter(|u| u.staged).map(|u| u.place).collect();
        let (mut records, mut inputs) = (previous.records.clone(), previous.inputs.clone());
        for u in updated {
            (records[u.place], inputs[u.place]) = (u.record, u.inputs);
        }
        let next = if added.is_empty() && removed.is_empty() {
            Known { index: Arc::clone(&previous.index), records, inputs }
        } else {
            let mut files: Vec<(Arc<str>, Record, Option<u64>)> =
                kept.iter().enumerate().filter(|(_, k)| **k).map(|(place, _)| (Arc::clone(&previous.index.names[place]), records[place], inputs[place])).collect();
            files.extend(added.into_iter().map(|(name, (record, input))| (Arc::from(name), record, input)));
            files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            let mut next = Known { index: Arc::default(), records: Vec::with_capacity(files.len()), inputs: Vec::with_capacity(files.len()) };
            let mut names = Vec::with_capacity(files.len());
            for (name, record, input) in files {
                names.push(name);
                next.records.push(record);
                next.inputs.push(input);
            }
            next.index = Arc::new(FileIndex::new(names));
            next
        };
        // Counted here rather than file by file: a reused page then touches no shared
        // counter.
        let written = Written { files: next.len(), bytes: next.records.iter().map(|r| r.size).sum(), changed: changed.len(), removed: removed.len(), compressed: self.compressed.load(Ordering::Relaxed) };
        if on_disk {
            let mut restaged: Vec<usize> = updated_places;
            restaged.sort_unstable();
            self.write_journal(&next, &restaged)?;
        }
        self.committed = true;
        Ok(Committed { written, changed, removed, rendered: self.rendered.load(Ordering::Relaxed), next })
    }

    /// The decision: after this, the build's files are the folder's, whatever happens.
    /// `restaged`: the places (sorted) whose records changed, when `next` has the same
    /// files as the folder's `previous`.
    fn write_journal(&mut self, next: &Known, restaged: &[usize]) -> io::Result<()> {
        let temp = self.folder.own("journal.new");
        let mut cache = lock(&self.folder.text);
        let cache = &mut *cache;
        // The same files as the last manifest this process wrote: patch its lines.
        match &cache.of {
            Some(of) if Arc::ptr_eq(of, &next.index) => next.patched_text(&cache.text, &cache.starts, restaged, &mut cache.next, &mut cache.next_starts),
            _ => next.manifest_text(&mut cache.next, &mut cache.next_starts),
        }
        let text = &cache.next;
        if self.folder.live {
            // The last manifest but one, kept by `move_in`, is written over rather than a
            // file created and one freed: each costs milliseconds on a disk mounted with
            // `discard`, and a live folder writes its manifest at every rebuild.
            let _ = fs::rename(self.folder.own(SPARE), &temp);
        }
        let mut file = File::options().write(true).create(true).truncate(false).open(&temp)?;
        file.write_all(text.as_bytes())?;
        file.set_len(text.len() as u64)?;
        drop(file);
        fs::rename(&temp, self.folder.own(JOURNAL))?;
        std::mem::swap(&mut cache.text, &mut cache.next);
        std::mem::swap(&mut cache.starts, &mut cache.next_starts);
        cache.of = Some(Arc::clone(&next.index));
        self.committed = true;
        Ok(())
    }

    /// No two outputs may differ only in letter case: a case-insensitive disk (macOS,
    /// Windows) or CDN would keep one. Only names with an upper-case letter can meet
    /// another, so only those are looked at (the last build's that are kept, and the new).
    fn check_letter_case(&self, kept: &[bool], added: &FxHashMap<String, (Record, Option<u64>)>) -> io::Result<()> {
        let names = &self.folder.previous.index.names;
        let kept_upper = self.folder.previous.index.upper.iter().map(|&p| p as usize).filter(|&p| kept[p]).map(|p| &*names[p]);
        let added_upper = added.keys().map(String::as_str).filter(|name| has_upper(name));
        let taken = |name: &str| added.contains_key(name) || self.folder.previous.index.place(name).is_some_and(|p| kept[p]);
        let mut folded: FxHashMap<String, &str> = FxHashMap::default();
        for name in kept_upper.chain(added_upper) {
            let lower = name.to_lowercase();
            let other = match folded.get(&lower) {
                Some(other) => Some(*other),
                None if taken(&lower) => Some(lower.as_str()),
                None => None,
            };
            if let Some(other) = other {
                let (a, b) = if other < name { (other, name) } else { (name, other) };
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("two outputs differ only in letter case, {a:?} and {b:?}: a case-insensitive disk or CDN keeps only one; rename one of them"),
                ));
            }
            folded.insert(lower, name);
        }
        Ok(())
    }

    /// Before anything moves: every staged file's place must be free for it. A folder in
    /// its path may not be a file that stays (one gazette did not write, or one this
    /// build writes too), and the place itself may not be a folder.
    fn check_places(&self, staged: &[String], kept: &[bool]) -> io::Result<()> {
        let dir = &self.folder.dir;
        let previous = &self.folder.previous;
        let staying = |rel: &str| previous.index.place(rel).is_none_or(|place| kept[place]);
        let mut seen: HashSet<&str> = HashSet::new();
        for rel in staged {
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
        checked(rel)?;
        let inputs = if self.folder.live { lock(&self.rendering).remove(rel) } else { None };
        if inputs.is_some() {
            self.rendered.fetch_add(1, Ordering::Relaxed);
        }
        self.put(rel, self.folder.previous.index.place(rel), bytes, inputs)
    }

    fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        checked(rel)?;
        let place = self.folder.previous.index.place(rel);
        if !self.folder.live {
            return self.put(rel, place, &fs::read(from)?, None);
        }
        // A live folder knows a copied file by its source's place, size and time, and
        // does not read it while they stay the same.
        let meta = fs::metadata(from)?;
        let stamp = hash_of((from, meta.len(), meta.modified().ok()));
        match place {
            Some(place) if self.folder.previous.inputs[place] == Some(stamp) => {
                self.claim(rel, place)?;
                Ok(())
            }
            _ => self.put(rel, place, &fs::read(from)?, Some(stamp)),
        }
    }

    /// Keeps a file of the last build that is still as gazette wrote it (a live folder
    /// trusts what it wrote; otherwise its size and time on disk must match).
    fn keep(&self, rel: &str) -> io::Result<bool> {
        let Some(place) = self.keepable(rel) else { return Ok(false) };
        self.claim(rel, place)?;
        let size = self.folder.previous.records[place].size;
        if self.folder.compress && compress::wanted(rel, size as usize) {
            // Siblings the last build did not make (it was not compressed) are made from
            // the file on disk.
            self.put_siblings(rel, true, &|| fs::read(self.folder.dir.join(rel)).map(Cow::Owned))?;
        }
        Ok(true)
    }

    fn can_keep(&self, rel: &str) -> bool {
        self.keepable(rel).is_some()
    }

    fn previous(&self, rel: &str) -> Option<Vec<u8>> {
        self.keepable(rel).and_then(|_| fs::read(self.folder.dir.join(rel)).ok())
    }

    /// Only a live folder reuses pages; a build started from disk renders every page,
    /// without computing a fingerprint.
    fn reuse(&self, rel: &str, inputs: &dyn Fn() -> u64) -> io::Result<bool> {
        if !self.folder.live {
            return Ok(false);
        }
        let place = self.folder.previous.index.place(rel);
        // A name the last build had passed `checked` then.
        if place.is_none() {
            checked(rel)?;
        }
        let fingerprint = inputs();
        match place {
            Some(place) if self.folder.previous.inputs[place] == Some(fingerprint) => {
                self.claim(rel, place)?;
                Ok(true)
            }
            _ => {
                lock(&self.rendering).insert(rel.to_string(), fingerprint);
                Ok(false)
            }
        }
    }
}

fn hash_of(value: impl Hash) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
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
        sink.commit().unwrap().written
    }

    /// A build killed after its journal was written (and `moved` of its staged files
    /// moved in): the next open finishes it.
    fn killed_after_the_journal(root: &Path, files: &[(&str, &str)], moved: usize) {
        let folder = OutputFolder::open(root, &root.join("public")).unwrap();
        let mut sink = folder.sink();
        for (rel, text) in files {
            sink.write(rel, text.as_bytes()).unwrap();
        }
        sink.decide().unwrap();
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
            assert_eq!(folder.previous.len(), 3, "the finished build's manifest");
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

    // --- a folder kept open from build to build (`serve --watch`) ---------------------

    /// One build through a live folder: `(path, inputs, text)`, with `inputs` offered for
    /// reuse first when given.
    fn live_build(folder: &mut OutputFolder, files: &[(&str, Option<u64>, &str)]) -> io::Result<Committed> {
        let sink = folder.sink();
        for (rel, inputs, text) in files {
            if let Some(inputs) = inputs {
                if sink.reuse(rel, &|| *inputs)? {
                    continue;
                }
            }
            sink.write(rel, text.as_bytes())?;
        }
        let mut committed = sink.commit()?;
        folder.advance(&mut committed);
        // The manifest on disk, patched or not, is the one of what the folder now holds.
        let (mut text, mut starts) = (String::new(), Vec::new());
        folder.previous.manifest_text(&mut text, &mut starts);
        assert_eq!(fs::read_to_string(folder.own(MANIFEST)).unwrap(), text);
        assert_eq!(starts.len(), folder.previous.len() + 1);
        Ok(committed)
    }

    #[test]
    fn a_patched_manifest_equals_one_written_whole() {
        let tmp = site();
        let root = tmp.path();
        let mut folder = OutputFolder::open_live(root, &root.join("public")).unwrap();
        let files = ["a/index.html", "b/index.html", "c/index.html", "d/index.html", "新闻/旧 页.html"];
        live_build(&mut folder, &files.map(|rel| (rel, Some(1), "一"))).unwrap();
        // The first, a middle, the last, then none, then all the lines patched (`live_build`
        // compares each manifest with one formatted whole).
        let mut inputs = [1u64; 5];
        for (round, changed) in [&[0usize][..], &[2], &[4], &[], &[0, 1, 2, 3, 4], &[1, 3]].into_iter().enumerate() {
            let text = format!("第{round}版");
            for &i in changed {
                inputs[i] = round as u64 + 2;
            }
            let batch: Vec<(&str, Option<u64>, &str)> =
                files.iter().enumerate().map(|(i, rel)| (*rel, Some(inputs[i]), if changed.contains(&i) { text.as_str() } else { "" })).collect();
            let done = live_build(&mut folder, &batch).unwrap();
            assert_eq!(done.changed.len(), changed.len());
        }
    }

    #[test]
    fn a_live_folder_cannot_claim_a_file_twice_either() {
        let tmp = site();
        let mut folder = OutputFolder::open_live(tmp.path(), &tmp.path().join("public")).unwrap();
        let sink = folder.sink();
        assert!(!sink.reuse("regions/sichuan/index.html", &|| 7).unwrap());
        sink.write("regions/sichuan/index.html", "四川".as_bytes()).unwrap();
        assert_eq!(sink.write("regions/sichuan/index.html", b"x").unwrap_err().kind(), io::ErrorKind::AlreadyExists);
        let mut committed = sink.commit().unwrap();
        assert_eq!(committed.rendered, 1);
        folder.advance(&mut committed);
        let again = folder.sink();
        assert!(again.reuse("regions/sichuan/index.html", &|| 7).unwrap(), "same inputs: reused");
        assert_eq!(again.reuse("regions/sichuan/index.html", &|| 7).unwrap_err().kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(again.write("regions/sichuan/index.html", b"x").unwrap_err().kind(), io::ErrorKind::AlreadyExists);
    }

    #[test]
    fn a_live_folder_keeps_adds_and_removes_files_and_reuses_unchanged_pages() {
        let tmp = site();
        let root = tmp.path();
        let mut folder = OutputFolder::open_live(root, &root.join("public")).unwrap();
        let first = live_build(&mut folder, &[("index.html", Some(1), "首页"), ("tags/a/index.html", Some(1), "甲"), ("tags/b/index.html", Some(1), "乙")]).unwrap();
        assert_eq!((first.changed.len(), first.rendered), (3, 3));

        let second = live_build(&mut folder, &[("index.html", Some(1), "不会渲染"), ("tags/a/index.html", Some(2), "甲"), ("tags/c/index.html", None, "丙")]).unwrap();
        assert_eq!((second.changed.as_slice(), second.removed.as_slice()), (&["tags/c/index.html".to_string()][..], &["tags/b/index.html".to_string()][..]));
        assert_eq!(second.rendered, 1, "index.html reused; tags/a rendered again (new inputs, same bytes)");
        assert_eq!(read(root, "index.html").as_deref(), Some("首页"));
        assert!(!root.join("public/tags/b").exists() && root.join("public/tags/c/index.html").exists());
        assert_eq!(folder.previous.len(), 3);

        let index_before = Arc::clone(&folder.previous.index);
        let third = live_build(&mut folder, &[("index.html", Some(1), ""), ("tags/a/index.html", Some(2), ""), ("tags/c/index.html", Some(3), "丙丙")]).unwrap();
        assert_eq!(third.changed, ["tags/c/index.html"], "the inputs tags/a was rendered from last time: reused");
        assert!(Arc::ptr_eq(&folder.previous.index, &index_before), "the same files share one index");
        assert_eq!(read(root, "tags/c/index.html").as_deref(), Some("丙丙"));

        // The manifest on disk is what a build through a fresh open starts from.
        drop(folder);
        let again = build(root, &[("index.html", "首页"), ("tags/a/index.html", "甲"), ("tags/c/index.html", "丙丙")]);
        assert_eq!((again.changed, again.removed), (0, 0));
    }

    #[test]
    fn a_failed_live_build_leaves_the_folder_as_the_last_build_left_it() {
        let tmp = site();
        let root = tmp.path();
        let mut folder = OutputFolder::open_live(root, &root.join("public")).unwrap();
        live_build(&mut folder, &[("a/index.html", None, "甲一"), ("z/index.html", None, "乙一")]).unwrap();

        // A file of someone else's where the folder of a new page must go: the build fails
        // after its other pages were staged.
        fs::write(root.join("public/blocked"), "").unwrap();
        let error = live_build(&mut folder, &[("a/index.html", None, "甲二"), ("blocked/index.html", None, "新")]).expect_err("blocked");
        assert!(error.to_string().contains("gazette did not write"), "{error}");
        assert_eq!(read(root, "a/index.html").as_deref(), Some("甲一"), "no page of the failed build is served");
        assert_eq!(read(root, "z/index.html").as_deref(), Some("乙一"), "nothing removed");
        assert!(!folder.own(STAGING).exists() && !folder.own(JOURNAL).exists(), "nothing staged is left");

        // The next good build starts from the last good state and removes what it drops.
        fs::remove_file(root.join("public/blocked")).unwrap();
        let third = live_build(&mut folder, &[("a/index.html", None, "甲三")]).unwrap();
        assert_eq!(third.removed, ["z/index.html"]);
        assert!(!root.join("public/z").exists());
        // The manifest on disk (written over the one before last, now shorter) says so.
        drop(folder);
        let again = build(root, &[("a/index.html", "甲三")]);
        assert_eq!((again.changed, again.removed), (0, 0));
    }

    #[test]
    fn a_live_folder_trusts_what_it_wrote_and_a_fresh_open_checks_the_disk() {
        let tmp = site();
        let root = tmp.path();
        let mut folder = OutputFolder::open_live(root, &root.join("public")).unwrap();
        live_build(&mut folder, &[("index.html", None, "首页")]).unwrap();
        // Changed behind gazette's back (same size): a live rebuild with the same bytes
        // does not look at the disk, so it does not notice.
        fs::write(root.join("public/index.html"), "尾页").unwrap();
        let again = live_build(&mut folder, &[("index.html", None, "首页")]).unwrap();
        assert_eq!(again.changed.len(), 0);
        assert_eq!(read(root, "index.html").as_deref(), Some("尾页"));
        // Opened again (a new server): the disk is checked once, and the file put right.
        drop(folder);
        let mut folder = OutputFolder::open_live(root, &root.join("public")).unwrap();
        let fresh = live_build(&mut folder, &[("index.html", None, "首页")]).unwrap();
        assert_eq!(fresh.changed, ["index.html"]);
        assert_eq!(read(root, "index.html").as_deref(), Some("首页"));
    }

    #[test]
    fn a_live_folder_without_a_manifest_is_emptied_first() {
        let tmp = site();
        let root = tmp.path();
        fs::create_dir_all(root.join("public/2019/old")).unwrap();
        fs::write(root.join("public/2019/old/index.html"), "旧预览").unwrap();
        let mut folder = OutputFolder::open_live(root, &root.join("public")).unwrap();
        live_build(&mut folder, &[("index.html", None, "首页")]).unwrap();
        assert!(!root.join("public/2019").exists());
        assert!(root.join("public/.gazette/manifest").is_file());
    }

    #[test]
    fn a_live_rebuild_killed_while_moving_its_files_in_is_finished_by_the_next_open() {
        for moved in [0, 1, 2] {
            let tmp = site();
            let root = tmp.path();
            let mut folder = OutputFolder::open_live(root, &root.join("public")).unwrap();
            live_build(&mut folder, &[("index.html", Some(1), "旧首页"), ("2024/03/a/index.html", Some(1), "甲"), ("tags/gone/index.html", Some(1), "将删除")]).unwrap();
            live_build(&mut folder, &[("index.html", Some(2), "次首页"), ("2024/03/a/index.html", Some(1), ""), ("tags/gone/index.html", Some(1), "")]).unwrap();
            // The third rebuild through the same open folder is killed after its journal.
            let mut sink = folder.sink();
            for (rel, text) in [("index.html", "新首页"), ("2024/03/a/index.html", "甲"), ("2024/03/b/index.html", "乙")] {
                sink.write(rel, text.as_bytes()).unwrap();
            }
            sink.decide().unwrap();
            let staging = folder.own(STAGING);
            let mut staged: Vec<PathBuf> = WalkDir::new(&staging).into_iter().flatten().filter(|e| e.file_type().is_file()).map(|e| e.into_path()).collect();
            staged.sort();
            for path in staged.into_iter().take(moved) {
                let dest = folder.dir().join(path.strip_prefix(&staging).unwrap());
                fs::create_dir_all(dest.parent().unwrap()).unwrap();
                fs::rename(path, dest).unwrap();
            }
            std::mem::forget(sink);
            drop(folder); // the process dies: its lock goes with it

            let folder = OutputFolder::open_live(root, &root.join("public")).unwrap();
            assert_eq!(read(root, "index.html").as_deref(), Some("新首页"), "moved {moved}");
            assert_eq!(read(root, "2024/03/b/index.html").as_deref(), Some("乙"));
            assert!(!root.join("public/tags").exists());
            assert_eq!(folder.previous.len(), 3, "the killed rebuild's manifest");
            drop(folder);
            let again = build(root, &[("index.html", "新首页"), ("2024/03/a/index.html", "甲"), ("2024/03/b/index.html", "乙")]);
            assert_eq!((again.changed, again.removed), (0, 0), "moved {moved}");
        }
    }

    #[test]
    fn a_live_folder_s_kept_staging_folders_do_not_stand_in_the_way_of_a_file() {
        let tmp = site();
        let root = tmp.path();
        let mut folder = OutputFolder::open_live(root, &root.join("public")).unwrap();
        live_build(&mut folder, &[("docs/a.txt", None, "甲")]).unwrap();
        live_build(&mut folder, &[("docs/a.txt", None, "甲二")]).unwrap();
        assert!(folder.own(STAGING).join("docs").is_dir(), "kept for the next rebuild");
        let file = live_build(&mut folder, &[("docs", None, "现在是文件")]).unwrap();
        assert_eq!((file.changed.as_slice(), file.removed.as_slice()), (&["docs".to_string()][..], &["docs/a.txt".to_string()][..]));
        assert_eq!(read(root, "docs").as_deref(), Some("现在是文件"));
        // And back: the staged folder moves in whole; no empty folder comes with it.
        live_build(&mut folder, &[("docs/b/index.html", None, "乙")]).unwrap();
        assert_eq!(read(root, "docs/b/index.html").as_deref(), Some("乙"));
    }

    #[test]
    fn outputs_that_differ_only_in_letter_case_are_refused_at_commit() {
        let tmp = site();
        let root = tmp.path();
        let mut folder = OutputFolder::open_live(root, &root.join("public")).unwrap();
        live_build(&mut folder, &[("img/Logo.png", Some(1), "大")]).unwrap();
        // Kept from the last build, and a new one that folds onto it.
        let error = live_build(&mut folder, &[("img/Logo.png", Some(1), ""), ("img/logo.png", None, "小")]).expect_err("refused");
        assert!(error.to_string().contains("\"img/Logo.png\" and \"img/logo.png\""), "{error}");
        // A rename that changes only the case is fine: the old name goes.
        let renamed = live_build(&mut folder, &[("img/logo.png", None, "小")]).unwrap();
        assert_eq!((renamed.changed.as_slice(), renamed.removed.as_slice()), (&["img/logo.png".to_string()][..], &["img/Logo.png".to_string()][..]));
        let error = live_build(&mut folder, &[("img/logo.png", None, "小"), ("IMG/LOGO.PNG", None, "大")]).expect_err("refused");
        assert!(error.to_string().contains("differ only in letter case"), "{error}");
    }
}

