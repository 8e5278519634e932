//! The theme: Tera templates parsed once per build, and the static folders to copy.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::Diagnostic;
use crate::load::boundary::Boundary;
use crate::render::assets::{self, AssetFunction, Assets};
use crate::render::builtin_theme;
use crate::render::cached_include::{self, CachedInclude};

/// Templates every theme must provide (see docs/templates.md).
pub const REQUIRED: &[&str] = &["home.html", "article.html", "list.html", "terms.html", "404.html"];

pub struct Theme {
    pub tera: tera::Tera,
    /// `themes/<name>/templates`, named in errors found while rendering (also for the
    /// built-in theme: that is where a copy of it would live).
    pub templates: PathBuf,
    /// Files built into the binary (the default theme's static files), copied first.
    pub embedded_static: &'static [(&'static str, &'static [u8])],
    /// Copied to the output root after those, theme first so that the site's own files win
    /// (those that exist).
    pub static_dirs: Vec<PathBuf>,
    /// A hash of every template's name and text: pages rendered with equal fingerprints
    /// need not be rendered again (serve --watch).
    pub fingerprint: u64,
    /// The site folder, which no symbolic link of the static folders may leave.
    pub boundary: Boundary,
}

impl Theme {
    /// `themes/<name>/` of the site; for `default`, the built-in theme when the site has none.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
        let dir = root.join("themes").join(name);
        let templates = dir.join("templates");
        let site_static = root.join("static");
        let boundary = Boundary::of(root);
        let (tera, embedded_static, fingerprint) = if templates.is_dir() {
            links_stay_inside(&templates, &boundary)?;
            let glob = format!("{}/**/*.html", templates.display());
            let tera = tera::Tera::new(&glob).map_err(|e| vec![template_diagnostic(&templates, &e)])?;
            (tera, &[][..], folder_fingerprint(&templates))
        } else if name == "default" {
            let mut tera = tera::Tera::default();
            tera.add_raw_templates(builtin_theme::TEMPLATES.to_vec()).map_err(|e| vec![template_diagnostic(&templates, &e)])?;
            let mut hasher = DefaultHasher::new();
            builtin_theme::TEMPLATES.hash(&mut hasher);
            (tera, builtin_theme::STATIC, hasher.finish())
        } else {
            return Err(vec![Diagnostic::new(root.join("site.toml"), format!("theme `{name}` not found: there is no folder {}", templates.display()))
                .help("set `theme` in site.toml to a folder under themes/, or to `default` for the built-in theme")]);
        };
        let mut tera = tera;
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(crate::escape::html);
        let missing: Vec<Diagnostic> = REQUIRED
            .iter()
            .filter(|t| !tera.get_template_names().any(|n| n == **t))
            .map(|t| Diagnostic::new(templates.join(t), format!("theme `{name}` has no template {t}")).help("every theme needs home.html, article.html, list.html, terms.html and 404.html"))
            .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        // Kept even when missing: a folder created later is copied by the next rebuild.
        let static_dirs = vec![dir.join("static"), site_static];
        Ok(Theme { tera, templates, embedded_static, static_dirs, fingerprint, boundary })
    }
}

impl Theme {
    /// This theme for one render of a site: its templates with `asset` (URLs of `assets`)
    /// and `include_cached`, whose cache of rendered parts lasts as long as this copy
    /// (one build).
    pub fn for_render(&self, site: &serde_json::Value, assets: &Arc<Assets>) -> Theme {
        let mut parts = self.tera.clone();
        parts.register_function(assets::NAME, AssetFunction(Arc::clone(assets)));
        let mut tera = parts.clone();
        tera.register_function(cached_include::NAME, CachedInclude::new(parts, site.clone()));
        Theme {
            tera,
            templates: self.templates.clone(),
            embedded_static: self.embedded_static,
            static_dirs: self.static_dirs.clone(),
            fingerprint: self.fingerprint,
            boundary: self.boundary.clone(),
        }
    }
}

/// Tera reads every template under `dir`, following links: none may leave the site.
fn links_stay_inside(dir: &Path, boundary: &Boundary) -> Result<(), Vec<Diagnostic>> {
    let mut outside = Vec::new();
    let walker = walkdir::WalkDir::new(dir).follow_links(true).into_iter().filter_entry(|e| boundary.check_entry(e).map_err(|d| outside.push(d)).is_ok());
    walker.for_each(drop);
    if outside.is_empty() {
        Ok(())
    } else {
        Err(outside)
    }
}

/// Names and contents of the files under `dir` (what `Tera::new` just read from it).
fn folder_fingerprint(dir: &Path) -> u64 {
    let mut hasher = DefaultHasher::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().flatten() {
        if entry.file_type().is_file() {
            entry.path().hash(&mut hasher);
            std::fs::read(entry.path()).ok().hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// Tera's errors nest; the useful text (template name, line, what) is in the chain.
pub fn template_diagnostic(templates: &Path, err: &tera::Error) -> Diagnostic {
    let chain = error_chain(err);
    let file = chain
        .split(['\'', '`', '"'])
        .find(|s| s.ends_with(".html"))
        .map(|name| templates.join(name))
        .unwrap_or_else(|| templates.to_path_buf());
    let line = chain.split("-->").nth(1).and_then(|s| s.trim().split(':').next()).and_then(|n| n.trim().parse().ok());
    Diagnostic::new(file, format!("template error: {chain}")).at_line(line)
}

pub fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
