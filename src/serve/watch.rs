//! `--watch`: notices edits under content/, themes/, static/ and to site.toml — however
//! editors save them — and hands each burst of changes, once, to a callback.
//!
//! Folders are watched, never single files: editors that save by writing a temp file and
//! renaming it over the original would otherwise leave the watch on a deleted inode. The
//! site root itself is watched without recursion, for site.toml and for content/, themes/
//! or static/ appearing later.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{channel, Receiver};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::thread::JoinHandle;
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

/// The folders under the site root whose whole trees are watched.
pub const WATCHED_FOLDERS: [&str; 3] = ["content", "themes", "static"];
/// The one file at the root that is watched.
pub const CONFIG_FILE: &str = "site.toml";

/// Quiet time before a burst of events is reported: long enough to see a rename-save as
/// one change (its events come microseconds apart), short enough that a save feels
/// instant. A longer burst (a `git checkout`) may give two rebuilds, each one cheap.
const DEBOUNCE: Duration = Duration::from_millis(25);

/// What the watcher reports.
#[derive(Debug, PartialEq, Eq)]
pub enum WatchEvent {
    /// Relevant paths that were created, changed, removed or renamed (sorted, no repeats).
    Changed(Vec<PathBuf>),
    /// The watcher itself had trouble (for example the inotify watch limit).
    Error(String),
}

type FsDebouncer = Debouncer<RecommendedWatcher, RecommendedCache>;

/// A running watcher; dropping it stops watching (after the current callback returns).
pub struct Watcher {
    debouncer: Option<Arc<Mutex<FsDebouncer>>>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        // Dropping the only strong reference stops the debouncer, which closes the channel
        // and ends the thread.
        self.debouncer.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Decides which paths are part of the site's input. `root` must be canonical (notify
/// reports paths under the folders as they were given to it).
#[derive(Debug, Clone)]
pub struct Filter {
    root: PathBuf,
    ignored: PathBuf,
}

impl Filter {
    /// `ignored` is the serve output folder, in case it was put inside a watched folder.
    pub fn new(root: PathBuf, ignored: PathBuf) -> Self {
        Filter { root, ignored }
    }

    /// Whether a change to `path` can change the site.
    pub fn is_relevant(&self, path: &Path) -> bool {
        if path.starts_with(&self.ignored) {
            return false;
        }
        let Ok(relative) = path.strip_prefix(&self.root) else { return false };
        let names: Vec<&OsStr> = relative
            .components()
            .filter_map(|c| match c {
                Component::Normal(name) => Some(name),
                _ => None,
            })
            .collect();
        match names.as_slice() {
            [only] => *only == CONFIG_FILE || is_watched_folder(only),
            [top, rest @ ..] if is_watched_folder(top) => !rest.iter().any(|name| is_hidden(name)) && !rest.last().is_some_and(|name| is_editor_temp(name)),
            _ => false,
        }
    }

    /// A top folder (content/, themes/, static/) as it appears: it needs a watch of its own.
    fn new_top_folder(&self, path: &Path) -> bool {
        path.parent() == Some(self.root.as_path())
            && path.file_name().is_some_and(is_watched_folder)
            && path.is_dir()
    }
}

fn is_watched_folder(name: &OsStr) -> bool {
    WATCHED_FOLDERS.iter().any(|folder| name == *folder)
}

fn is_hidden(name: &OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// Files that editors write beside the real one while saving, never site input.
pub fn is_editor_temp(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    name == "4913" // vim's probe for whether it may write in a folder
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.starts_with(".#") // emacs lock
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#')) // emacs auto-save
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
}

/// Starts watching the site at `root` (canonical); `on_event` runs on the watcher's own
/// thread, once per burst of changes. A slow callback (a rebuild) makes the next burst
/// queue up and arrive as one.
pub fn watch(root: &Path, ignored: &Path, mut on_event: impl FnMut(WatchEvent) + Send + 'static) -> notify::Result<Watcher> {
    let (sender, receiver) = channel();
    let mut debouncer = new_debouncer(DEBOUNCE, None, sender)?;
    debouncer.watch(root, RecursiveMode::NonRecursive)?;
    for folder in WATCHED_FOLDERS {
        let path = root.join(folder);
        if path.is_dir() {
            debouncer.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    let debouncer = Arc::new(Mutex::new(debouncer));
    let weak = Arc::downgrade(&debouncer);
    let filter = Filter::new(root.to_path_buf(), ignored.to_path_buf());
    let thread = std::thread::Builder::new()
        .name("gazette-watch".into())
        .spawn(move || run(&receiver, &filter, &weak, &mut on_event))
        .map_err(|e| notify::Error::generic(&format!("could not start the watcher thread: {e}")))?;
    Ok(Watcher { debouncer: Some(debouncer), thread: Some(thread) })
}

fn run(receiver: &Receiver<DebounceEventResult>, filter: &Filter, debouncer: &Weak<Mutex<FsDebouncer>>, on_event: &mut impl FnMut(WatchEvent)) {
    while let Ok(first) = receiver.recv() {
        let mut changed = BTreeSet::new();
        let mut errors = Vec::new();
        collect(first, filter, &mut changed, &mut errors);
        // Whatever queued up meanwhile (during the last rebuild) joins this burst.
        while let Ok(more) = receiver.try_recv() {
            collect(more, filter, &mut changed, &mut errors);
        }
        watch_new_top_folders(&changed, filter, debouncer, &mut errors);
        for error in errors {
            on_event(WatchEvent::Error(error));
        }
        if !changed.is_empty() {
            on_event(WatchEvent::Changed(changed.into_iter().collect()));
        }
    }
}

fn collect(result: DebounceEventResult, filter: &Filter, changed: &mut BTreeSet<PathBuf>, errors: &mut Vec<String>) {
    match result {
        Ok(events) => {
            for event in events {
                // Reads (open, close without writing) change nothing.
                if matches!(event.kind, EventKind::Access(_)) {
                    continue;
                }
                changed.extend(event.paths.iter().filter(|p| filter.is_relevant(p)).cloned());
            }
        }
        Err(errs) => errors.extend(errs.iter().map(|e| e.to_string())),
    }
}

fn watch_new_top_folders(changed: &BTreeSet<PathBuf>, filter: &Filter, debouncer: &Weak<Mutex<FsDebouncer>>, errors: &mut Vec<String>) {
    let Some(debouncer) = debouncer.upgrade() else { return };
    let mut debouncer = debouncer.lock().unwrap_or_else(PoisonError::into_inner);
    for path in changed.iter().filter(|p| filter.new_top_folder(p)) {
        if let Err(e) = debouncer.watch(path, RecursiveMode::Recursive) {
            errors.push(format!("could not watch {}: {e}", path.display()));
        }
    }
}

/// A short description of what changed, for the one line printed per rebuild: up to three
/// paths relative to the root, then a count.
pub fn describe(root: &Path, changed: &[PathBuf]) -> String {
    const SHOWN: usize = 3;
    let mut names: Vec<String> = changed
        .iter()
        .take(SHOWN)
        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
        .collect();
    if changed.len() > SHOWN {
        names.push(format!("and {} more", changed.len() - SHOWN));
    }
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::sync::mpsc::RecvTimeoutError;
    use std::time::Instant;

    fn filter() -> Filter {
        Filter::new(PathBuf::from("/site"), PathBuf::from("/site/.gazette/serve-1111"))
    }

    #[test]
    fn articles_templates_static_and_config_are_relevant() {
        let f = filter();
        for path in [
            "/site/content/四川/广元/旺苍县局县会商.md",
            "/site/content/臺灣/科技園區.md",
            "/site/themes/default/templates/article.html",
            "/site/static/圖片/logo.png",
            "/site/site.toml",
            "/site/content",
        ] {
            assert!(f.is_relevant(Path::new(path)), "{path}");
        }
    }

    #[test]
    fn editor_temp_files_hidden_files_and_other_folders_are_not() {
        let f = filter();
        for path in [
            "/site/content/4913",
            "/site/content/四川/科技.md~",
            "/site/content/四川/.科技.md.swp",
            "/site/content/四川/科技.md.swx",
            "/site/content/.#科技.md",
            "/site/content/#科技.md#",
            "/site/content/科技.md___jb_tmp___",
            "/site/content/科技.md___jb_old___",
            "/site/content/.git/index",
            "/site/content/.DS_Store",
            "/site/site.toml~",
            "/site/.site.toml.swp",
            "/site/public/index.html",
            "/site/.gazette/serve-1111/index.html",
            "/site/README.md",
            "/elsewhere/content/科技.md",
        ] {
            assert!(!f.is_relevant(Path::new(path)), "{path}");
        }
    }

    #[test]
    fn the_output_folder_is_ignored_even_inside_a_watched_folder() {
        let f = Filter::new(PathBuf::from("/site"), PathBuf::from("/site/static/預覽"));
        assert!(!f.is_relevant(Path::new("/site/static/預覽/index.html")));
        assert!(f.is_relevant(Path::new("/site/static/預覽.css")));
    }

    #[test]
    fn describes_up_to_three_paths_then_a_count() {
        let root = Path::new("/site");
        let one = [PathBuf::from("/site/content/科技.md")];
        assert_eq!(describe(root, &one), "content/科技.md");
        let five: Vec<PathBuf> = ["a", "b", "c", "d", "e"].iter().map(|n| root.join(format!("content/{n}.md"))).collect();
        assert_eq!(describe(root, &five), "content/a.md, content/b.md, content/c.md, and 2 more");
    }

    /// Waits for the first `Changed` event, skipping errors.
    fn next_change(events: &Receiver<WatchEvent>) -> Result<Vec<PathBuf>, RecvTimeoutError> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if let WatchEvent::Changed(paths) = events.recv_timeout(left)? {
                return Ok(paths);
            }
        }
    }

    #[test]
    fn reports_a_rename_save_once_and_ignores_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir_all(root.join("content/四川")).unwrap();
        let article = root.join("content/四川/会商.md");
        fs::write(&article, "---\ntitle: 旧标题\n---\n").unwrap();
        let (sender, events) = channel();
        let _watcher = watch(&root, &root.join(".gazette"), move |e| {
            let _ = sender.send(e);
        })
        .unwrap();

        // The JetBrains / VS Code way: write a temp file, then rename it over the article.
        let temp = root.join("content/四川/会商.md___jb_tmp___");
        fs::write(&temp, "---\ntitle: 新標題\n---\n").unwrap();
        fs::rename(&temp, &article).unwrap();
        assert_eq!(next_change(&events).unwrap(), vec![article.clone()]);

        // A folder that appears later is watched too.
        fs::create_dir_all(root.join("static")).unwrap();
        assert_eq!(next_change(&events).unwrap(), vec![root.join("static")]);
        let css = root.join("static/樣式.css");
        fs::write(&css, "body{}").unwrap();
        assert_eq!(next_change(&events).unwrap(), vec![css]);
    }
}
