//! Rebuilds for `serve --watch`. A [`LiveSite`] keeps the last build in memory — site.toml,
//! the theme, every loaded article and a fingerprint of every output file — so that an
//! edit costs what it changes:
//!
//! - an article's file is read and its Markdown rendered again only when the watcher
//!   reports it or its size, time or inode changed;
//! - the model (URLs, slugs, lists, region tree) is patched when the edits move nothing
//!   (same files, and each edited one keeps its URL, date, tags, category, regions and
//!   aliases: [`Site::patched`]), and rebuilt whole otherwise;
//! - a page is rendered again only when something it shows changed (its fingerprint,
//!   see [`crate::render::fingerprint`]), a file is written only when its bytes changed,
//!   and files no longer produced are removed;
//! - a template change re-renders pages without reading any article; a site.toml change
//!   reads everything again.
//!
//! Related lists depend on the whole site (word weights, every other article), so they
//! are the one costly step on a large site. When they took long the last time, a rebuild
//! carries each article's previous list over (by file) and reports them as pending; the
//! exact lists follow from a [`RelatedJob`], computed without holding the site, and only
//! the pages whose lists changed are rendered again. The search index, which also reads
//! every article, is treated the same way: when it took long the last time, a rebuild
//! keeps the last one and the job's pass makes it anew. Once that is applied, the folder
//! equals what `gazette build` writes (tests/incremental.rs checks this).

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use super::{both, load_config, selection, BuildOptions, StageTimes};
use crate::config::Config;
use crate::diagnostics::BuildError;
use crate::load::{load_content_cached, ContentCache};
use crate::model::{Article, Site};
use crate::render::{render_site_cached, RenderCache, Theme};
use crate::write::{Committed, OutputFolder};

/// Related lists that took longer than this last time are computed after the rebuild
/// rather than inside it.
pub const DEFER_RELATED_AFTER: Duration = Duration::from_millis(40);

/// The last build of a site, kept to make the next one cheap.
pub struct LiveSite {
    options: BuildOptions,
    config: Option<Config>,
    theme: Option<Theme>,
    content: ContentCache,
    rendered: RenderCache,
    /// The output folder, open (and locked) from the first build on, with what was
    /// written there last time.
    output: Option<OutputFolder>,
    /// The current site, with its related lists as they are in the output.
    site: Option<Arc<Site>>,
    /// Counts builds; a related job for an older one is stale.
    generation: u64,
    /// Whether the output is not yet exact: related lists carried over, or the search
    /// index of an earlier build kept ([`crate::render::search::SearchCache`]).
    related_pending: bool,
    /// Whether the current site's related lists are exact (only the index is pending).
    related_exact: bool,
    /// How long the related lists took the last time they were computed.
    related_cost: Option<Duration>,
    defer_related_after: Duration,
}

/// What one rebuild did.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    pub articles: usize,
    /// Articles read from disk (the others came from memory).
    pub reloaded: usize,
    /// Pages rendered (the others were unchanged).
    pub rendered: usize,
    /// Files the site has.
    pub files: usize,
    /// Output files written (their bytes changed) and removed, relative to the output
    /// folder, sorted.
    pub written: Vec<String>,
    pub removed: Vec<String>,
    /// Whether everything was read again (first build, site.toml changed).
    pub full: bool,
    /// Whether the model was patched (only article texts changed, nothing moved) rather
    /// than built anew.
    pub patched: bool,
    /// Whether related lists were carried over or the last search index kept: a
    /// [`RelatedJob`] will make the output exact.
    pub related_pending: bool,
    pub elapsed: Duration,
    pub stages: StageTimes,
}

impl LiveSite {
    /// Nothing is read until the first [`LiveSite::rebuild`], which opens the output
    /// folder (see [`OutputFolder::open_live`]) and brings it to the site.
    pub fn new(options: BuildOptions) -> Self {
        LiveSite {
            options,
            config: None,
            theme: None,
            content: ContentCache::default(),
            rendered: RenderCache::default(),
            output: None,
            site: None,
            generation: 0,
            related_pending: false,
            related_exact: true,
            related_cost: None,
            defer_related_after: DEFER_RELATED_AFTER,
        }
    }

    /// From how long related lists may take before they are left to a [`RelatedJob`]
    /// (`Duration::ZERO`: always, `Duration::MAX`: never).
    pub fn defer_related_after(mut self, limit: Duration) -> Self {
        self.defer_related_after = limit;
        self
    }

    pub fn output_dir(&self) -> PathBuf {
        self.options.output_dir()
    }

    /// Builds again after the files in `changed` (absolute paths, as the watcher reports
    /// them) were created, edited, renamed or removed. On an error the output folder stays
    /// as the last good build left it.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Rebuilt, BuildError> {
        let start = Instant::now();
        let mut stages = StageTimes::default();
        let clock = Instant::now();
        let full = self.refresh_config()?;
        self.content.forget(changed);
        let theme_changed = changed.iter().any(|p| p.starts_with(self.options.root.join("themes")));
        if full || theme_changed || self.theme.is_none() {
            self.theme = None;
        }
        let config = self.config.clone().ok_or_else(|| BuildError::from(crate::Diagnostic::general("site.toml is not loaded")))?;
        let theme = match self.theme.take() {
            Some(theme) => Ok(theme),
            None => Theme::load(&self.options.root, &config.theme),
        };
        // Right after a full read there is no listing to update; an empty report means
        // "look at everything".
        let hint = (!changed.is_empty()).then_some(changed);
        let content = load_content_cached(&self.options.root, &config, &mut self.content, hint);
        let (theme, content) = both(theme, content)?;
        let theme = self.theme.insert(theme);
        let reloaded = self.content.last_reloaded;
        stages.load = clock.elapsed();

        let clock = Instant::now();
        let selection = selection(&self.options);
        // Edits that move nothing patch the last model; anything else builds it anew.
        let patched = match self.site.as_deref() {
            Some(previous) => previous.patched(content, &selection),
            None => Err(content),
        };
        let (mut site, patched) = match patched {
            Ok(site) => (site, true),
            Err(content) => (Site::build(config, content, &selection).map_err(BuildError::new)?, false),
        };
        stages.model = clock.elapsed();

        let clock = Instant::now();
        let defer = !full && self.related_cost.is_some_and(|cost| cost >= self.defer_related_after);
        if defer {
            // A patched site has the same articles under the same ids: its lists are
            // already the ones to carry.
            if !patched {
                let carried = carry_related(self.site.as_deref(), &site);
                site.set_related(carried);
            }
        } else {
            site.link_related();
            self.related_cost = Some(clock.elapsed());
        }
        stages.related = clock.elapsed();

        let clock = Instant::now();
        let output = self.options.output_dir();
        let sink = open_folder(&mut self.output, &self.options.root, &output)?.sink();
        // A large site's search index, like its related lists, follows after the reload.
        self.rendered.search.defer_after = (!full).then_some(self.defer_related_after);
        render_site_cached(&site, theme, &sink, &mut self.rendered)?;
        let search_pending = self.rendered.search.pending;
        stages.render = clock.elapsed();
        let clock = Instant::now();
        let committed = sink.commit();
        let applied = advance(&mut self.output, committed, &output)?;
        self.rendered.search.committed();
        stages.commit = clock.elapsed();

        self.generation += 1;
        self.related_pending = defer || search_pending;
        self.related_exact = !defer;
        let articles = site.articles.len();
        self.site = Some(Arc::new(site));
        Ok(Rebuilt {
            articles,
            reloaded,
            rendered: applied.rendered,
            files: applied.written.files,
            written: applied.changed,
            removed: applied.removed,
            full,
            patched,
            related_pending: defer || search_pending,
            elapsed: start.elapsed(),
            stages,
        })
    }

    /// The work that makes carried-over related lists exact, if any is pending.
    pub fn related_job(&self) -> Option<RelatedJob> {
        let site = self.site.as_ref().filter(|_| self.related_pending)?;
        Some(RelatedJob { site: Arc::clone(site), generation: self.generation, exact: self.related_exact })
    }

    /// Renders the pages whose related lists the job changed. Returns `None` when a newer
    /// build came first (its own job will follow).
    pub fn apply_related(&mut self, done: RelatedLists) -> Result<Option<Rebuilt>, BuildError> {
        if done.generation != self.generation || !self.related_pending {
            return Ok(None);
        }
        let start = Instant::now();
        self.related_cost = Some(done.elapsed);
        self.related_pending = false;
        let (Some(current), Some(theme)) = (self.site.as_ref(), self.theme.as_ref()) else { return Ok(None) };
        let mut site = Site::clone(current);
        site.set_related(done.lists);
        let clock = Instant::now();
        let output = self.options.output_dir();
        let sink = open_folder(&mut self.output, &self.options.root, &output)?.sink();
        self.rendered.search.defer_after = None;
        render_site_cached(&site, theme, &sink, &mut self.rendered)?;
        let render = clock.elapsed();
        let committed = sink.commit();
        let applied = advance(&mut self.output, committed, &output)?;
        self.rendered.search.committed();
        self.generation += 1;
        let articles = site.articles.len();
        self.site = Some(Arc::new(site));
        Ok(Some(Rebuilt {
            articles,
            reloaded: 0,
            rendered: applied.rendered,
            files: applied.written.files,
            written: applied.changed,
            removed: applied.removed,
            full: false,
            patched: true,
            related_pending: false,
            elapsed: start.elapsed() + done.elapsed,
            stages: StageTimes { related: done.elapsed, render, ..StageTimes::default() },
        }))
    }

    /// Runs the pending related job here and applies it (what tests and one-shot callers
    /// do; the server runs the job on a thread of its own).
    pub fn settle(&mut self) -> Result<Option<Rebuilt>, BuildError> {
        match self.related_job() {
            Some(job) => self.apply_related(job.compute()),
            None => Ok(None),
        }
    }

    /// Loads site.toml; when it differs from the last one, everything is read and
    /// rendered again. Returns whether that happened.
    fn refresh_config(&mut self) -> Result<bool, BuildError> {
        let config = match load_config(&self.options) {
            Ok(config) => config,
            Err(error) => {
                self.config = None;
                return Err(error);
            }
        };
        if self.config.as_ref() == Some(&config) {
            return Ok(false);
        }
        self.config = Some(config);
        self.content = ContentCache::default();
        self.rendered = RenderCache::default();
        if let Some(folder) = &mut self.output {
            folder.forget_inputs();
        }
        self.site = None;
        Ok(true)
    }
}

/// A snapshot of the site whose related lists are to be computed.
pub struct RelatedJob {
    site: Arc<Site>,
    generation: u64,
    /// The site's lists are already exact (only the search index is pending).
    exact: bool,
}

/// Exact related lists for the build a [`RelatedJob`] was taken from.
pub struct RelatedLists {
    lists: Vec<Vec<u32>>,
    generation: u64,
    elapsed: Duration,
}

impl RelatedJob {
    /// The costly part; needs no access to the [`LiveSite`].
    pub fn compute(self) -> RelatedLists {
        let clock = Instant::now();
        let lists = match related_pool() {
            _ if self.exact => self.site.articles.iter().map(|a| a.related.clone()).collect(),
            Some(pool) => pool.install(|| self.site.related_lists()),
            None => self.site.related_lists(),
        };
        RelatedLists { lists, generation: self.generation, elapsed: clock.elapsed() }
    }
}

/// The threads related jobs run on, apart from rayon's global pool: a rebuild started
/// while a job runs must not queue behind the job's work there (rayon takes work from
/// outside its pool last). The lists are the same on any number of threads.
fn related_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| rayon::ThreadPoolBuilder::new().thread_name(|i| format!("gazette-related-{i}")).build().ok()).as_ref()
}

/// Each article's related list of the previous build, by file, in the new site's ids.
/// New articles start with none; articles that are gone drop out of every list.
fn carry_related(previous: Option<&Site>, site: &Site) -> Vec<Vec<u32>> {
    let Some(previous) = previous else { return vec![Vec::new(); site.articles.len()] };
    // Unchanged articles are the very same loaded article in both sites: matched by
    // address, which is much cheaper to hash than a path; the few others by path.
    let address = |a: &Article| Arc::as_ptr(&a.src) as usize;
    let new_ids: HashMap<usize, u32> = site.articles.iter().enumerate().map(|(i, a)| (address(a), i as u32)).collect();
    let old_ids: HashMap<usize, u32> = previous.articles.iter().enumerate().map(|(i, a)| (address(a), i as u32)).collect();
    let unmatched = |a: &&Arc<Article>| !old_ids.contains_key(&address(a)) || !new_ids.contains_key(&address(a));
    let new_by_path: HashMap<&std::ffi::OsStr, u32> =
        site.articles.iter().enumerate().filter(|(_, a)| unmatched(a)).map(|(i, a)| (a.src.path.as_os_str(), i as u32)).collect();
    let old_by_path: HashMap<&std::ffi::OsStr, u32> =
        previous.articles.iter().enumerate().filter(|(_, a)| unmatched(a)).map(|(i, a)| (a.src.path.as_os_str(), i as u32)).collect();
    let new_id_of_old = |old: &Arc<Article>| new_ids.get(&address(old)).or_else(|| new_by_path.get(old.src.path.as_os_str())).copied();
    site.articles
        .iter()
        .enumerate()
        .map(|(id, a)| {
            let old = old_ids.get(&address(a)).or_else(|| old_by_path.get(a.src.path.as_os_str())).copied();
            let Some(old) = old.and_then(|o| previous.articles.get(o as usize)) else { return Vec::new() };
            old.related
                .iter()
                .filter_map(|&r| previous.articles.get(r as usize))
                .filter_map(new_id_of_old)
                .filter(|&r| r != id as u32)
                .collect()
        })
        .collect()
}

/// The output folder, opened (and locked) by the first build and kept open.
fn open_folder<'a>(output: &'a mut Option<OutputFolder>, root: &Path, dir: &Path) -> Result<&'a OutputFolder, BuildError> {
    let folder = match output.take() {
        Some(folder) => folder,
        None => OutputFolder::open_live(root, dir)?,
    };
    Ok(output.insert(folder))
}

/// Keeps in memory what a commit wrote. A commit that failed lets the folder go: the
/// next build opens it again, and finishes from its journal or starts from its manifest.
fn advance(output: &mut Option<OutputFolder>, committed: io::Result<Committed>, dir: &Path) -> Result<Committed, BuildError> {
    match committed {
        Ok(mut committed) => {
            if let Some(folder) = output {
                folder.advance(&mut committed);
            }
            Ok(committed)
        }
        Err(e) => {
            *output = None;
            Err(BuildError::io(dir, "update the output folder", &e))
        }
    }
}
