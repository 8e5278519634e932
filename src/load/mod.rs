//! The load stage: content files → [`SourceArticle`]s (decoded, front matter checked,
//! Markdown rendered, summary cut). Every bad file is reported, not just the first.

pub mod boundary;
pub mod dates;
pub mod decode;
pub mod front_matter;
pub mod markdown;
pub mod walk;

use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::text::slug::pinyin_sort_key_and_slug;
use crate::text::summary::{has_visible_text, summarize, TextLength};
use crate::text::term_bag::TermBag;
use front_matter::FrontMatter;
use markdown::{render_markdown, Markdown, MarkdownOptions};

/// Characters a summary cut from the body aims at.
const SUMMARY_CHARS: usize = 120;
/// Larger files are almost certainly a mistake (a pasted database dump, a binary).
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// One article as read from disk, before the model gives it a URL.
#[derive(Debug, Clone)]
pub struct SourceArticle {
    /// The path as shown in messages (relative to the site root when possible).
    pub path: PathBuf,
    pub meta: FrontMatter,
    pub body: Markdown,
    pub summary: String,
    pub reading_minutes: u32,
    pub word_count: usize,
    /// What related articles read of the title and text: their terms, counted. Empty when
    /// related articles are off. The plain text itself is not kept.
    pub terms: TermBag,
    /// The title's pinyin sort key, which orders articles of the same time (worked out
    /// here, in parallel and once per file, not in the model stage).
    pub sort_key: String,
    /// The slug the title gives when the front matter has none.
    pub title_slug: String,
    /// The plain text of the body, packed ([`crate::text::packed`]), for the search index
    /// (its matching and its snippets); empty when search is off.
    pub search_text: crate::text::packed::PackedText,
    /// A hash of the file's text: an unchanged file gives an unchanged article.
    pub fingerprint: u64,
    /// What is wrong but does not stop a build (an article without text), kept with the
    /// article so that one taken from the cache still reports it. The build reports
    /// those of the articles it publishes.
    pub warnings: Vec<Diagnostic>,
}

/// Everything under `content/`: the articles and the other files to copy.
pub struct LoadedContent {
    pub articles: Vec<Arc<SourceArticle>>,
    /// (path relative to content/, absolute path) of non-Markdown files.
    pub assets: Vec<(PathBuf, PathBuf)>,
}

/// Loads every article in `<root>/content`, in parallel; errors for all bad files at once.
pub fn load_content(root: &Path, config: &Config) -> Result<LoadedContent, Vec<Diagnostic>> {
    load_content_cached(root, config, &mut ContentCache::default(), None)
}

/// Articles loaded by an earlier build, kept while their files stay as they were, so that
/// `serve --watch` re-reads only what an edit touched. Valid for one site.toml: a changed
/// configuration (time zone, raw HTML) needs a new cache.
#[derive(Default)]
pub struct ContentCache {
    files: HashMap<PathBuf, (FileStamp, Arc<SourceArticle>)>,
    /// What the last walk of content/ found, kept up to date from the watcher's reports so
    /// that an edit does not walk thousands of files again.
    listing: Option<Listing>,
    /// How many articles the last load read from disk (the rest came from the cache).
    pub last_reloaded: usize,
    /// The articles of the last load, in listing order.
    last: Vec<Arc<SourceArticle>>,
}

/// The files of content/, by kind.
#[derive(Clone)]
struct Listing {
    articles: BTreeSet<PathBuf>,
    assets: BTreeSet<PathBuf>,
}

impl Listing {
    /// Applies the watcher's report of changed paths in place. False when one of them is
    /// not a plain file (a folder created, removed or renamed): then only a walk can tell,
    /// and the listing is not to be used.
    fn apply(&mut self, content_dir: &Path, changed: &[PathBuf]) -> bool {
        for path in changed {
            let Ok(relative) = path.strip_prefix(content_dir) else { continue };
            if relative.components().any(|c| walk::is_ignored(&c.as_os_str().to_string_lossy())) {
                continue;
            }
            let known = self.articles.remove(path) | self.assets.remove(path);
            // A symbolic link is checked by a walk (it may leave the site folder).
            match std::fs::symlink_metadata(path) {
                Ok(meta) if meta.is_file() => {
                    let kind = if walk::is_markdown(path) { &mut self.articles } else { &mut self.assets };
                    kind.insert(path.clone());
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && known => {}
                _ => return false,
            }
        }
        true
    }
}

impl ContentCache {
    /// Forces these files to be read again, whatever their stamps say (the watcher reported
    /// them; a stamp cannot tell two writes within the file system's time resolution apart).
    pub fn forget(&mut self, paths: &[PathBuf]) {
        for path in paths {
            self.files.remove(path);
        }
    }
}

/// What tells a changed file from an unchanged one without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    /// Inode and change time on Unix: a rename-save gives a new inode even when size and
    /// modification time look the same.
    identity: (u64, i64, i64),
}

impl FileStamp {
    fn of(path: &Path) -> Option<FileStamp> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let identity = {
            use std::os::unix::fs::MetadataExt;
            (meta.ino(), meta.ctime(), meta.ctime_nsec())
        };
        #[cfg(not(unix))]
        let identity = (0, 0, 0);
        Some(FileStamp { len: meta.len(), modified: meta.modified().ok(), identity })
    }
}

/// [`load_content`], reusing the articles of `cache` whose files are unchanged and
/// leaving the cache holding exactly the articles of this load. `changed` (the watcher's
/// report since the last load) spares the walk of content/ when it names only files.
pub fn load_content_cached(root: &Path, config: &Config, cache: &mut ContentCache, changed: Option<&[PathBuf]>) -> Result<LoadedContent, Vec<Diagnostic>> {
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        // Building no articles would replace a good site with an empty one.
        return Err(vec![Diagnostic::new(&content_dir, "the site has no content/ folder")
            .help("run gazette in the site folder (the one with site.toml and content/), give it with --root, or create content/ for a site without articles yet")]);
    }
    // With the watcher's report applied to the last listing, files it did not name are
    // taken as unchanged without even a stat (the named ones were forgotten, so they are
    // read); otherwise content/ is walked and every file's stamp compared.
    let reported = match (cache.listing.take(), changed) {
        (Some(mut listing), Some(changed)) => listing.apply(&content_dir, changed).then_some(listing),
        _ => None,
    };
    let trust_report = reported.is_some();
    if let (Some(listing), Some(changed)) = (&reported, changed) {
        if let Some(articles) = replace_edited(root, config, cache, listing, changed) {
            let assets = listing.assets.iter().filter_map(|abs| abs.strip_prefix(&content_dir).ok().map(|rel| (rel.to_path_buf(), abs.clone()))).collect();
            cache.listing = reported;
            cache.last = articles.clone();
            return Ok(LoadedContent { articles, assets });
        }
    }
    let (listing, mut errors) = match reported {
        Some(listing) => (listing, Vec::new()),
        None => {
            let walked = walk::content_files(&content_dir, &boundary::Boundary::of(root));
            let listing = Listing { articles: walked.articles.into_iter().collect(), assets: walked.assets.into_iter().collect() };
            cache.files.retain(|path, _| listing.articles.contains(path));
            (listing, walked.errors)
        }
    };
    if let Some(changed) = changed {
        // Deleted or renamed away: out of the cache (a walk has done this already).
        cache.files.retain(|path, _| !changed.contains(path) || listing.articles.contains(path));
    }
    let options = MarkdownOptions { allow_raw_html: config.markdown.allow_raw_html };
    let read: Vec<(&PathBuf, Option<FileStamp>, Result<Arc<SourceArticle>, Vec<Diagnostic>>)> = listing
        .articles
        .par_iter()
        .filter_map(|path| {
            let cached = cache.files.get(path);
            if trust_report && cached.is_some() {
                return None;
            }
            let stamp = FileStamp::of(path);
            if cached.is_some_and(|(old, _)| stamp == Some(*old)) {
                return None;
            }
            Some((path, stamp, load_article(path, &display_path(root, path), config, &options).map(Arc::new)))
        })
        .collect();
    cache.last_reloaded = read.len();
    // Read, but without a stamp to cache them by: used by this load only.
    let mut unstamped: HashMap<&PathBuf, Arc<SourceArticle>> = HashMap::new();
    for (path, stamp, result) in read {
        cache.files.remove(path);
        match (result, stamp) {
            (Ok(article), Some(stamp)) => {
                cache.files.insert(path.clone(), (stamp, article));
            }
            (Ok(article), None) => {
                unstamped.insert(path, article);
            }
            (Err(mut e), _) => errors.append(&mut e),
        }
    }
    let articles: Vec<Arc<SourceArticle>> = listing
        .articles
        .iter()
        .filter_map(|path| cache.files.get(path).map(|(_, a)| a).or_else(|| unstamped.get(path)).map(Arc::clone))
        .collect();
    let assets = listing
        .assets
        .iter()
        .filter_map(|abs| abs.strip_prefix(&content_dir).ok().map(|rel| (rel.to_path_buf(), abs.clone())))
        .collect();
    if !errors.is_empty() {
        // The listing may come from a walk with errors (a symlink loop, an unreadable
        // folder), which the next load must not trust.
        return Err(errors);
    }
    cache.listing = Some(listing);
    cache.last = articles.clone();
    Ok(LoadedContent { articles, assets })
}

/// With the same article files as last time and only some of them edited: the last load's
/// articles with the edited ones read again, without looking at the others.
fn replace_edited(root: &Path, config: &Config, cache: &mut ContentCache, listing: &Listing, changed: &[PathBuf]) -> Option<Vec<Arc<SourceArticle>>> {
    if listing.articles.len() != cache.last.len() {
        return None;
    }
    let options = MarkdownOptions { allow_raw_html: config.markdown.allow_raw_html };
    let mut articles = cache.last.clone();
    let mut reloaded = 0;
    for path in changed.iter().filter(|p| listing.articles.contains(*p)) {
        let shown = display_path(root, path);
        let i = articles.binary_search_by(|a| a.path.cmp(&shown)).ok()?;
        let stamp = FileStamp::of(path)?;
        let article = Arc::new(load_article(path, &shown, config, &options).ok()?);
        cache.files.insert(path.clone(), (stamp, Arc::clone(&article)));
        articles[i] = article;
        reloaded += 1;
    }
    cache.last_reloaded = reloaded;
    Some(articles)
}

/// `content/2024/a.md` rather than `/home/editor/site/content/2024/a.md`.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

fn load_article(path: &Path, shown: &Path, config: &Config, options: &MarkdownOptions) -> Result<SourceArticle, Vec<Diagnostic>> {
    let text = read_text(path, shown).map_err(|d| vec![d])?;
    let problem = |p: front_matter::Problem| {
        let mut d = Diagnostic::new(shown, p.message).at(p.line, p.column);
        d.help = p.help;
        d
    };
    let (yaml, body_src, body_line) = front_matter::split(&text).map_err(|p| vec![problem(p)])?;
    let meta = front_matter::parse(yaml, &config.timezone).map_err(|ps| ps.into_iter().map(problem).collect::<Vec<_>>())?;
    let fingerprint = {
        let mut hasher = std::hash::DefaultHasher::new();
        text.hash(&mut hasher);
        hasher.finish()
    };
    let mut body = render_markdown(body_src, options);
    // Every article is held until its page is written; its plain text is read here, and
    // only its terms are kept.
    let plain = std::mem::take(&mut body.plain);
    let summary = match &meta.summary {
        Some(s) => s.clone(),
        None => summarize(&plain, SUMMARY_CHARS),
    };
    let length = TextLength::of(&plain);
    let terms = if config.related.count > 0 { TermBag::of(&meta.title, &plain) } else { TermBag::default() };
    let (sort_key, title_slug) = pinyin_sort_key_and_slug(&meta.title);
    let warnings = if has_visible_text(&plain) { Vec::new() } else { vec![no_text(shown, body_line)] };
    let search_text = if config.search.enabled { crate::text::packed::pack(&plain) } else { Default::default() };
    Ok(SourceArticle {
        path: shown.to_path_buf(),
        reading_minutes: length.reading_minutes(),
        word_count: length.words(),
        terms,
        summary,
        sort_key,
        title_slug,
        search_text,
        fingerprint,
        warnings,
        meta,
        body,
    })
}

/// An article whose body shows no text (empty, or only images and code) would be published
/// saying "全文约 0 字", with the site's description for its own: most likely a paste that
/// went wrong. Named at the front matter's closing `---`, where the text should follow.
fn no_text(shown: &Path, body_line: usize) -> Diagnostic {
    Diagnostic::new(shown, "the article has no text")
        .at(body_line.saturating_sub(1).max(1), None)
        .help("write its text below the front matter (the summary, description and length come from it), or mark it `draft: true` until it is written")
}

fn read_text(path: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let cannot = |e: std::io::Error| Diagnostic::new(shown, format!("cannot read the file: {e}"));
    let size = std::fs::metadata(path).map_err(cannot)?.len();
    if size > MAX_FILE_BYTES {
        return Err(Diagnostic::new(shown, format!("the file is {} MB; articles are limited to {} MB", size >> 20, MAX_FILE_BYTES >> 20))
            .help("split it into several articles, or move large data out of content/"));
    }
    let bytes = std::fs::read(path).map_err(cannot)?;
    decode::decode(&bytes).map_err(|e| {
        Diagnostic::new(shown, e.to_string()).at(e.line, None).help(decode::convert_hint(e.encoding, &shown.display().to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_with_related(count: usize) -> SourceArticle {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        let text = "---\ntitle: 北碚與綿陽攜手推動協同創新\ndate: 2024-03-01\nregion: 重庆市/北碚区\ncategory: 科技合作\n---\n\n北碚区与绵阳市签署**科技合作**协议。\n\n双方共建协同创新平台。\n";
        std::fs::write(&path, text).unwrap();
        let toml = format!("title = \"科技\"\nbase_url = \"https://example.cn/\"\n[related]\ncount = {count}\n");
        let config = Config::parse(&toml, Path::new("site.toml")).unwrap();
        load_article(&path, Path::new("content/a.md"), &config, &MarkdownOptions::default()).unwrap()
    }

    #[test]
    fn keeps_the_terms_of_title_and_text_not_the_text() {
        let article = load_with_related(5);
        assert!(article.body.plain.is_empty());
        let plain = render_markdown("北碚区与绵阳市签署**科技合作**协议。\n\n双方共建协同创新平台。\n", &MarkdownOptions::default()).plain;
        assert_eq!(article.terms, TermBag::of("北碚與綿陽攜手推動協同創新", &plain));
        assert!(article.terms.len() > 10);
        // Summary and length still come from the whole text.
        assert!(article.summary.starts_with("北碚区与绵阳市签署科技合作协议"), "{}", article.summary);
        assert!(article.word_count > 20);

        let off = load_with_related(0);
        assert!(off.terms.is_empty() && off.body.plain.is_empty());
        assert_eq!(off.summary, article.summary);
    }
}
