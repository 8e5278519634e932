//! Files that are not theme pages: static folders, content assets, the syntax-highlighting
//! stylesheet and alias redirect pages.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;
use crate::load::markdown::syntax_css;
use crate::load::walk::is_ignored;
use crate::model::urls::rel;
use crate::model::Site;
use crate::escape::html;
use crate::render::Theme;
use crate::write::Sink;

/// Where a copied file comes from.
enum Origin<'a> {
    Embedded(&'static [u8]),
    Disk(&'a Path),
}

/// Writes the built-in theme's files, then copies the theme's and the site's `static/`
/// (site last, so it wins) and the non-Markdown files of content/.
/// The default theme's search script (`themes/default/static/js/search.js`).
const SEARCH_SCRIPT: &str = "js/search.js";

pub fn copy_static(site: &Site, theme: &Theme, sink: &dyn Sink) -> Result<(), Diagnostic> {
    let mut files: BTreeMap<String, Origin> = theme.embedded_static.iter().map(|(rel, bytes)| (rel.to_string(), Origin::Embedded(bytes))).collect();
    let mut found: Vec<(String, PathBuf)> = Vec::new();
    for dir in theme.static_dirs.iter().filter(|d| d.is_dir()) {
        let mut outside = None;
        let walker = WalkDir::new(dir).follow_links(true).sort_by_file_name().into_iter().filter_entry(|e| {
            (e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy())) && theme.boundary.check_entry(e).map_err(|d| outside = Some(d)).is_ok()
        });
        for entry in walker {
            let entry = entry.map_err(|e| Diagnostic::new(e.path().unwrap_or(dir), format!("cannot read: {e}")))?;
            if entry.file_type().is_file() {
                if let Some(rel) = relative(entry.path(), dir) {
                    found.push((rel, entry.into_path()));
                }
            }
        }
        if let Some(link) = outside {
            return Err(link);
        }
    }
    for (rel, abs) in &site.assets {
        if let Some(rel) = relative(rel, Path::new("")) {
            found.push((rel, abs.clone()));
        }
    }
    for (rel, abs) in &found {
        files.insert(rel.clone(), Origin::Disk(abs));
    }
    if !site.config.search.enabled {
        // the search page's script, with no page to run it
        files.remove(SEARCH_SCRIPT);
    }
    for (rel, origin) in &files {
        match origin {
            Origin::Embedded(bytes) => sink.write(rel, bytes).map_err(|e| Diagnostic::general(format!("cannot write {rel}: {e}")))?,
            Origin::Disk(abs) => sink.copy(rel, abs).map_err(|e| Diagnostic::new(abs, format!("cannot copy to the output: {e}")))?,
        }
    }
    if site.has_code {
        sink.write("css/syntax.css", syntax_css().as_bytes()).map_err(|e| Diagnostic::general(format!("cannot write css/syntax.css: {e}")))?;
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
