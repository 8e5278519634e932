//! Script variants (SPEC 10, docs/templates.md "Script variants"): with `[variants]
//! traditional = true` every page, feed and script the render stage writes also gets a
//! traditional twin under `zh-hant/`, the same path below it.
//!
//! The pages are rendered once, in the site's own script, and each one is converted on
//! its way to the output ([`Tee`], in the same rayon worker that rendered it): converting
//! the rendered text costs a fraction of rendering it again, and it reaches everything a
//! reader sees — titles, bodies, term names and the theme's own words — with one rule
//! ([`convert`]). Links to pages of the site are pointed at their twins ([`Twins::map`]).

pub mod convert;
pub mod cost;
mod matcher;

use std::collections::HashSet;
use std::io;
use std::path::Path;
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::config::Config;
use crate::write::Sink;

/// The folder of the traditional twin, under the site's base path.
pub const FOLDER: &str = "zh-hant/";

/// The twin URLs of a site: which links have a traditional twin, and where.
pub struct Twins {
    base_url: String,
    base_path: String,
}

/// What kind of file `rel` is, if it has a twin: pages (and aliases), feeds, scripts
/// (their messages are text too: `js/search.js` says 找到/找到).
fn twin_kind(rel: &str) -> Option<convert::Kind> {
    if rel.starts_with(FOLDER) {
        return None;
    }
    if rel.ends_with(".html") || rel.ends_with(".js") {
        Some(convert::Kind::Html)
    } else if rel == "feed.xml" || rel.ends_with("/feed.xml") {
        Some(convert::Kind::Feed)
    } else {
        None
    }
}

impl Twins {
    /// `base_url` is absolute and ends in `/` (as [`Config::base_url`]).
    pub fn new(base_url: &str) -> Twins {
        Twins { base_url: base_url.to_string(), base_path: crate::config::base_path_of(base_url).to_string() }
    }

    /// The twin of a link to this site, when it has one: a page (`/2024/03/x/`, `/404.html`),
    /// a feed or a script, by the root-relative path or the absolute URL; its query and
    /// fragment kept. None for other sites, assets (style sheets, images, attachments),
    /// relative links (they stay within the twin) and links already into the twin.
    pub fn map(&self, url: &str) -> Option<String> {
        let (prefix, rest) = if let Some(rest) = url.strip_prefix(self.base_url.as_str()) {
            (self.base_url.as_str(), rest)
        } else if url.starts_with(self.base_path.as_str()) && !url.starts_with("//") {
            (self.base_path.as_str(), &url[self.base_path.len()..])
        } else {
            return None;
        };
        let path = &rest[..rest.find(['?', '#']).unwrap_or(rest.len())];
        if rest.starts_with(FOLDER) || (!path.is_empty() && !path.ends_with('/') && twin_kind(path).is_none()) {
            return None;
        }
        Some(format!("{prefix}{FOLDER}{rest}"))
    }

    /// The absolute URLs of a page's two scripts (`location` as pages are written:
    /// `2024/03/x/`, `404.html`, `` for home).
    pub fn pair(&self, location: &str) -> (String, String) {
        (format!("{}{location}", self.base_url), format!("{}{FOLDER}{location}", self.base_url))
    }
}

/// A sink that writes each file it is given, and the traditional twin of those that have
/// one. A page that [`Sink::reuse`] keeps from the last build keeps its twin too.
pub struct Tee<'a> {
    inner: &'a dyn Sink,
    twins: Twins,
    /// Pages whose twin the last build wrote with the same inputs, but not the page
    /// itself (so it is rendered, and its twin must not be written twice).
    twin_kept: Mutex<HashSet<String>>,
    /// CPU time spent on twins, when it is counted ([`cost`]).
    pub cost: Option<cost::Counter>,
    /// The part of it spent converting (the rest is writing the twin's file).
    pub converting: Option<cost::Counter>,
}

impl<'a> Tee<'a> {
    /// The sink to render `config`'s site into: a [`Tee`] when it has variants.
    pub fn wrap(config: &Config, inner: &'a dyn Sink) -> Option<Tee<'a>> {
        config.variants.traditional.then(|| Tee { inner, twins: Twins::new(&config.base_url), twin_kept: Mutex::default(), cost: cost::wanted().then(cost::Counter::default), converting: cost::wanted().then(cost::Counter::default) })
    }

    fn write_twin(&self, rel: &str, kind: convert::Kind, bytes: &[u8]) -> io::Result<()> {
        let Some(counter) = &self.cost else {
            return self.convert_and_write(rel, kind, bytes);
        };
        let started = cost::thread_cpu();
        let written = self.convert_and_write(rel, kind, bytes);
        counter.add(cost::thread_cpu().saturating_sub(started));
        written
    }

    fn convert_and_write(&self, rel: &str, kind: convert::Kind, bytes: &[u8]) -> io::Result<()> {
        if self.twin_kept.lock().unwrap_or_else(PoisonError::into_inner).remove(rel) {
            return Ok(());
        }
        let twin = format!("{FOLDER}{rel}");
        match simdutf8::basic::from_utf8(bytes) {
            Ok(text) => {
                let started = self.converting.as_ref().map(|_| cost::thread_cpu());
                let converted = convert::document(text, kind, &self.twins);
                if let (Some(counter), Some(started)) = (&self.converting, started) {
                    counter.add(cost::thread_cpu().saturating_sub(started));
                }
                self.inner.write(&twin, converted.as_bytes())
            }
            // Not UTF-8 (a static file in another encoding): nothing gazette can convert.
            Err(_) => self.inner.write(&twin, bytes),
        }
    }
}

/// A twin's fingerprint: its page's, told apart.
fn twin_inputs(inputs: u64) -> u64 {
    inputs.rotate_left(17) ^ 0x7a68_2d68_616e_74
}

impl Sink for Tee<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.inner.write(rel, bytes)?;
        match twin_kind(rel) {
            Some(kind) => self.write_twin(rel, kind, bytes),
            None => Ok(()),
        }
    }

    fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        self.inner.copy(rel, from)?;
        match twin_kind(rel) {
            Some(kind) => self.write_twin(rel, kind, &std::fs::read(from)?),
            None => Ok(()),
        }
    }

    fn reuse(&self, rel: &str, inputs: &dyn Fn() -> u64) -> io::Result<bool> {
        let Some(kind) = twin_kind(rel) else {
            return self.inner.reuse(rel, inputs);
        };
        let fingerprint = OnceLock::new();
        let inputs = || *fingerprint.get_or_init(inputs);
        let page = self.inner.reuse(rel, &inputs)?;
        let twin = self.inner.reuse(&format!("{FOLDER}{rel}"), &|| twin_inputs(inputs()))?;
        match (page, twin) {
            (true, true) | (false, false) => {}
            // The page is kept but its twin is not: made again from the page as it is.
            (true, false) => {
                let bytes = self.inner.previous(rel).ok_or_else(|| io::Error::other(format!("{rel}: the last build's page is gone")))?;
                self.write_twin(rel, kind, &bytes)?;
            }
            (false, true) => {
                self.twin_kept.lock().unwrap_or_else(PoisonError::into_inner).insert(rel.to_string());
            }
        }
        Ok(page)
    }

    fn keep(&self, rel: &str) -> io::Result<bool> {
        self.inner.keep(rel)
    }

    fn can_keep(&self, rel: &str) -> bool {
        self.inner.can_keep(rel)
    }

    fn previous(&self, rel: &str) -> Option<Vec<u8>> {
        self.inner.previous(rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_feeds_and_scripts_have_twins_assets_do_not() {
        let t = Twins::new("https://ex.org/p/");
        let map = |u: &str| t.map(u);
        assert_eq!(map("/p/").as_deref(), Some("/p/zh-hant/"));
        assert_eq!(map("/p/2024/03/a/#fn1").as_deref(), Some("/p/zh-hant/2024/03/a/#fn1"));
        assert_eq!(map("/p/search/?q=发展").as_deref(), Some("/p/zh-hant/search/?q=发展"));
        assert_eq!(map("https://ex.org/p/tags/x/feed.xml").as_deref(), Some("https://ex.org/p/zh-hant/tags/x/feed.xml"));
        assert_eq!(map("/p/404.html").as_deref(), Some("/p/zh-hant/404.html"));
        assert_eq!(map("/p/js/search.js").as_deref(), Some("/p/zh-hant/js/search.js"));
        for stays in ["/p/css/style.css", "/p/2024/03/a/发展.pdf", "/p/zh-hant/a/", "https://other.org/p/", "//ex.org/p/", "#x", "mailto:a@b.c", "/q/a/", "a/"] {
            assert_eq!(map(stays), None, "{stays}");
        }
        assert_eq!(t.pair(""), ("https://ex.org/p/".to_string(), "https://ex.org/p/zh-hant/".to_string()));
    }

    #[test]
    fn only_pages_feeds_and_scripts_are_twinned() {
        assert!(twin_kind("index.html").is_some() && twin_kind("a/b/index.html").is_some() && twin_kind("js/search.js").is_some());
        assert!(twin_kind("feed.xml").is_some() && twin_kind("tags/x/feed.xml").is_some());
        for none in ["sitemap.xml", "robots.txt", "css/style.css", "search/meta.json", "zh-hant/index.html"] {
            assert!(twin_kind(none).is_none(), "{none}");
        }
    }
}
