//! Files that are not theme pages: static folders, content assets, the syntax-highlighting
//! stylesheet and alias redirect pages.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;
use crate::load::markdown::syntax_css;
use crate::load::walk::is_ignored;
use crate::model::urls::rel;
use crate::model::Site;
use crate::escape::html;
use crate::render::assets::Assets;
use crate::render::Theme;
use crate::write::Sink;

/// Where a published static file comes from.
enum Origin {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

/// The default theme's search script (`themes/default/static/js/search.js`).
const SEARCH_SCRIPT: &str = "js/search.js";

/// Where the site's syntax-highlighting stylesheet is published (when an article has code).
const SYNTAX_CSS: &str = "css/syntax.css";

/// The files copied to the output as they are: the built-in theme's, then the theme's
/// and the site's `static/` (site last, so it wins) and the non-Markdown files of
/// content/, by their path in the output. Read once per render: `asset()` looks files
/// up here, and [`copy_static`] publishes them.
pub struct StaticFiles {
    files: BTreeMap<String, Origin>,
    /// `css/syntax.css`, when some article has code.
    syntax_css: Option<String>,
}

impl StaticFiles {
    pub fn collect(site: &Site, theme: &Theme) -> Result<StaticFiles, Diagnostic> {
        let mut files: BTreeMap<String, Origin> = theme.embedded_static.iter().map(|(rel, bytes)| (rel.to_string(), Origin::Embedded(bytes))).collect();
        for dir in theme.static_dirs.iter().filter(|d| d.is_dir()) {
            let mut outside = None;
            let walker = WalkDir::new(dir).follow_links(true).sort_by_file_name().into_iter().filter_entry(|e| {
                (e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy())) && theme.boundary.check_entry(e).map_err(|d| outside = Some(d)).is_ok()
            });
            for entry in walker {
                let entry = entry.map_err(|e| Diagnostic::new(e.path().unwrap_or(dir), format!("cannot read: {e}")))?;
                if entry.file_type().is_file() {
                    if let Some(rel) = relative(entry.path(), dir) {
                        files.insert(rel, Origin::Disk(entry.into_path()));
                    }
                }
            }
            if let Some(link) = outside {
                return Err(link);
            }
        }
        for (rel, abs) in &site.assets {
            if let Some(rel) = relative(rel, Path::new("")) {
                files.insert(rel, Origin::Disk(abs.clone()));
            }
        }
        if !site.config.search.enabled {
            // the search page's script, with no page to run it
            files.remove(SEARCH_SCRIPT);
        }
        Ok(StaticFiles { files, syntax_css: site.has_code.then(syntax_css) })
    }

    /// Whether the output gets a file at `rel` from here.
    pub fn contains(&self, rel: &str) -> bool {
        self.files.contains_key(rel) || (rel == SYNTAX_CSS && self.syntax_css.is_some())
    }

    /// The bytes published at `rel`.
    pub fn bytes(&self, rel: &str) -> std::io::Result<Cow<'_, [u8]>> {
        match (self.files.get(rel), &self.syntax_css) {
            (_, Some(css)) if rel == SYNTAX_CSS => Ok(Cow::Borrowed(css.as_bytes())),
            (Some(Origin::Embedded(bytes)), _) => Ok(Cow::Borrowed(bytes)),
            (Some(Origin::Disk(abs)), _) => std::fs::read(abs).map(Cow::Owned),
            (None, _) => Err(std::io::Error::new(std::io::ErrorKind::NotFound, format!("no static file {rel}"))),
        }
    }
}

/// Publishes the static files, and a copy under its hashed name of each one `asset()`
/// gave a hashed URL (docs/templates.md: the plain copy stays for templates and pages
/// that link it by name).
pub fn copy_static(assets: &Assets, sink: &dyn Sink) -> Result<(), Diagnostic> {
    let statics = assets.files();
    for (rel, origin) in &statics.files {
        match origin {
            Origin::Embedded(bytes) => sink.write(rel, bytes).map_err(|e| Diagnostic::general(format!("cannot write {rel}: {e}")))?,
            Origin::Disk(abs) => sink.copy(rel, abs).map_err(|e| Diagnostic::new(abs, format!("cannot copy to the output: {e}")))?,
        }
    }
    if let Some(css) = &statics.syntax_css {
        sink.write(SYNTAX_CSS, css.as_bytes()).map_err(|e| Diagnostic::general(format!("cannot write {SYNTAX_CSS}: {e}")))?;
    }
    for (rel, hashed) in assets.hashed_copies() {
        let failed = |e: std::io::Error| Diagnostic::general(format!("cannot write {hashed} (the hashed copy of {rel}): {e}"));
        match statics.files.get(&rel) {
            Some(Origin::Disk(abs)) if rel != SYNTAX_CSS => sink.copy(&hashed, abs).map_err(failed)?,
            _ => sink.write(&hashed, &statics.bytes(&rel).map_err(failed)?).map_err(failed)?,
        }
    }
    Ok(())
}

/// `dir/a/b.css` → `a/b.css` with `/` separators.
fn relative(path: &Path, dir: &Path) -> Option<String> {
    let rel = path.strip_prefix(dir).ok()?;
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// A small page at each alias that sends browsers and crawlers to the article.
pub fn aliases(site: &Site, sink: &dyn Sink) -> Result<(), Diagnostic> {
    for (location, id) in &site.aliases {
        let article = &site.articles[*id as usize];
        let target = html(&site.urls.permalink(&article.url));
        let page = format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<link rel=\"canonical\" href=\"{target}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n<p>本文已迁移至 <a href=\"{target}\">{title}</a>。</p>\n</body>\n</html>\n",
            lang = html(&site.config.language),
            title = html(&article.src.meta.title),
        );
        let file = rel::file(location);
        sink.write(&file, page.as_bytes()).map_err(|e| Diagnostic::new(&article.src.path, format!("cannot write alias {location}: {e}")))?;
    }
    Ok(())
}
