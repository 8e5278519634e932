//! `build` and `check`: load → model → render → write, timed, with every error collected.
//! [`incremental`] does the same again and again for `serve --watch`, keeping what an
//! edit did not change.

pub mod incremental;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::config::{normalize_base_url, Config};
use crate::diagnostics::{BuildError, Diagnostic};
use crate::links::check_internal_links;
use crate::load::load_content;
use crate::model::{Selection, Site};
use crate::render::assets::AssetUrls;
use crate::render::{render_site, Theme};
use crate::write::{DryRun, OutputFolder, Sink};

/// What `gazette build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site folder (site.toml, content/, themes/, static/).
    pub root: PathBuf,
    /// Default `<root>/public`.
    pub output: Option<PathBuf>,
    /// Overrides site.toml's `base_url` (e.g. for a preview server).
    pub base_url: Option<String>,
    pub drafts: bool,
    pub future: bool,
    /// Write `FILE.gz` and `FILE.br` beside every text file (`--compress`); `None`: as
    /// site.toml's `[build] compress` says. `serve` never compresses.
    pub compress: Option<bool>,
    /// Link static files by their plain names, as `serve` does, rather than by
    /// content-hashed ones (`css/style.css`, not `css/style.0123456789.css`), and publish
    /// no hashed copies: a build to compare with the live preview.
    pub plain_assets: bool,
}

impl BuildOptions {
    fn asset_urls(&self) -> AssetUrls {
        if self.plain_assets {
            AssetUrls::Plain
        } else {
            AssetUrls::Hashed
        }
    }
}

impl BuildOptions {
    pub fn output_dir(&self) -> PathBuf {
        self.output.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub articles: usize,
    pub files: usize,
    pub bytes: u64,
    /// Files written because their bytes changed (the others were left untouched).
    pub written: usize,
    /// Files of the previous build that this one no longer produces, removed.
    pub removed: usize,
    /// `.gz` and `.br` files made by compressing (`--compress`; unchanged files keep
    /// theirs without compressing).
    pub compressed: usize,
    /// Whether this build wrote `.gz` and `.br` siblings.
    pub compress: bool,
    pub output: PathBuf,
    pub elapsed: Duration,
    pub stages: StageTimes,
    /// Problems that did not stop the build (articles without text), sorted by file.
    pub warnings: Vec<Diagnostic>,
}

/// What a successful `gazette check` found.
#[derive(Debug, Clone)]
pub struct CheckReport {
    pub articles: usize,
    /// As in [`BuildReport::warnings`].
    pub warnings: Vec<Diagnostic>,
}

/// Where the time went, stage by stage.
#[derive(Debug, Clone, Copy, Default)]
pub struct StageTimes {
    /// Reading, decoding, front matter, Markdown, summaries (and the theme's templates).
    pub load: Duration,
    /// URLs, slugs, taxonomies, region tree.
    pub model: Duration,
    pub related: Duration,
    /// Rendering, and writing changed files into the staging folder.
    pub render: Duration,
    /// Moving the changed files into place and removing stale ones.
    pub commit: Duration,
}

impl std::fmt::Display for StageTimes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| d.as_millis();
        write!(
            f,
            "load {} ms, model {} ms, related {} ms, render {} ms, commit {} ms",
            ms(self.load),
            ms(self.model),
            ms(self.related),
            ms(self.render),
            ms(self.commit)
        )
    }
}

/// Builds the site into the output folder; on any error the old output stays as it was.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let start = Instant::now();
    let (site, theme, mut stages) = prepare(opts)?;
    let output = opts.output_dir();
    let clock = Instant::now();
    let mut folder = OutputFolder::open(&opts.root, &output)?;
    let compress = opts.compress.unwrap_or(site.config.build.compress);
    folder.set_compress(compress);
    let sink = folder.sink();
    if let Err(err) = render_site(&site, &theme, &sink, opts.asset_urls()) {
        drop(sink);
        folder.abandon();
        return Err(err.into());
    }
    stages.render = clock.elapsed();
    let clock = Instant::now();
    let written = match sink.commit() {
        Ok(committed) => committed.written,
        Err(e) => {
            folder.abandon();
            return Err(BuildError::io(&output, "update the output folder", &e));
        }
    };
    stages.commit = clock.elapsed();
    Ok(BuildReport {
        articles: site.articles.len(),
        files: written.files,
        bytes: written.bytes,
        written: written.changed,
        removed: written.removed,
        compressed: written.compressed,
        compress,
        output,
        elapsed: start.elapsed(),
        stages,
        warnings: warnings(&site),
    })
}

/// Everything `build` checks, plus internal links, without writing a file.
pub fn check(opts: &BuildOptions) -> Result<CheckReport, BuildError> {
    let (site, theme, _) = prepare(opts)?;
    let dry_run = DryRun::default();
    render_site(&site, &theme, &dry_run as &dyn Sink, opts.asset_urls())?;
    let broken = check_internal_links(&site, &opts.root, &dry_run.outputs());
    if !broken.is_empty() {
        return Err(BuildError::new(broken));
    }
    Ok(CheckReport { articles: site.articles.len(), warnings: warnings(&site) })
}

/// The warnings of the articles this build publishes (a draft left without text while it
/// is being written is not reported, unless `--drafts` publishes it), sorted by file.
fn warnings(site: &Site) -> Vec<Diagnostic> {
    let mut all: Vec<Diagnostic> = site.articles.iter().flat_map(|a| a.src.warnings.iter().cloned()).collect();
    all.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    all
}

/// Load and model: config, theme, content, then the site.
fn prepare(opts: &BuildOptions) -> Result<(Site, Theme, StageTimes), BuildError> {
    let mut stages = StageTimes::default();
    let clock = Instant::now();
    let config = load_config(opts)?;
    let (theme, content) = both(Theme::load(&opts.root, &config.theme), load_content(&opts.root, &config))?;
    stages.load = clock.elapsed();
    let clock = Instant::now();
    let mut site = Site::build(config, content, &selection(opts)).map_err(BuildError::new)?;
    stages.model = clock.elapsed();
    let clock = Instant::now();
    site.link_related();
    stages.related = clock.elapsed();
    Ok((site, theme, stages))
}

/// The theme and the content, or the errors of both (an editor sees every problem at once).
fn both<T, C>(theme: Result<T, Vec<Diagnostic>>, content: Result<C, Vec<Diagnostic>>) -> Result<(T, C), BuildError> {
    match (theme, content) {
        (Ok(t), Ok(c)) => Ok((t, c)),
        (t, c) => {
            let mut all = t.err().unwrap_or_default();
            all.extend(c.err().unwrap_or_default());
            Err(BuildError::new(all))
        }
    }
}

/// site.toml, with `--base-url` applied.
fn load_config(opts: &BuildOptions) -> Result<Config, BuildError> {
    let mut config = Config::load(&opts.root).map_err(BuildError::new)?;
    if let Some(url) = &opts.base_url {
        config.base_url = normalize_base_url(url).map_err(|msg| Diagnostic::general(format!("--base-url: {msg}")))?;
    }
    Ok(config)
}

/// Which articles this build publishes (drafts, future dates), as of now.
fn selection(opts: &BuildOptions) -> Selection {
    Selection { drafts: opts.drafts, future: opts.future, now: jiff::Timestamp::now() }
}
