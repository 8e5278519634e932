//! The load stage: content files → [`SourceArticle`]s (decoded, front matter checked,
//! Markdown rendered, summary cut). Every bad file is reported, not just the first.

pub mod dates;
pub mod decode;
pub mod front_matter;
pub mod markdown;
pub mod walk;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::text::summary::{count_words, reading_minutes, summarize};
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
}

/// Everything under `content/`: the articles and the other files to copy.
pub struct LoadedContent {
    pub articles: Vec<SourceArticle>,
    /// (path relative to content/, absolute path) of non-Markdown files.
    pub assets: Vec<(PathBuf, PathBuf)>,
}

/// Loads every article in `<root>/content`, in parallel; errors for all bad files at once.
pub fn load_content(root: &Path, config: &Config) -> Result<LoadedContent, Vec<Diagnostic>> {
    let content_dir = root.join("content");
    let files = walk::content_files(&content_dir);
    let mut errors = files.errors;
    let options = MarkdownOptions { allow_raw_html: config.markdown.allow_raw_html };
    let results: Vec<Result<SourceArticle, Vec<Diagnostic>>> =
        files.articles.par_iter().map(|path| load_article(path, &display_path(root, path), config, &options)).collect();
    let mut articles = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(a) => articles.push(a),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let assets = files
        .assets
        .into_iter()
        .filter_map(|abs| abs.strip_prefix(&content_dir).ok().map(|rel| (rel.to_path_buf(), abs.clone())))
        .collect();
    Ok(LoadedContent { articles, assets })
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
    let (yaml, body_src, _) = front_matter::split(&text).map_err(|p| vec![problem(p)])?;
    let meta = front_matter::parse(yaml, &config.timezone).map_err(|ps| ps.into_iter().map(problem).collect::<Vec<_>>())?;
    let body = render_markdown(body_src, options);
    let summary = match &meta.summary {
        Some(s) => s.clone(),
        None => summarize(&body.plain, SUMMARY_CHARS),
    };
    Ok(SourceArticle {
        path: shown.to_path_buf(),
        reading_minutes: reading_minutes(&body.plain),
        word_count: count_words(&body.plain),
        summary,
        meta,
        body,
    })
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
