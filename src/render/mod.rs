//! The render stage: a [`Site`] → files in a [`Sink`]: pages through the theme, feeds,
//! sitemap, robots.txt, aliases and static files. Renderers ask the model; they never
//! recompute URLs or slugs.

pub mod builtin_theme;
pub mod context;
pub mod feeds;
pub mod files;
pub mod fingerprint;
pub mod list_entries;
pub mod pages;
pub mod sitemap;
pub mod theme;

use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::write::Sink;
use context::SharedData;
use list_entries::ListEntries;
pub use theme::Theme;

pub fn render_site(site: &Site, theme: &Theme, sink: &dyn Sink) -> Result<(), Diagnostic> {
    render_site_cached(site, theme, sink, &mut RenderCache::default())
}

/// What one render of a site can lend the next render of the same site (`serve --watch`).
/// Only valid while site.toml stays the same.
#[derive(Default)]
pub struct RenderCache {
    data: Option<SharedData>,
    entries: Option<ListEntries>,
}

/// [`render_site`], reusing the serialised entries of the previous render where their
/// inputs did not change.
pub fn render_site_cached(site: &Site, theme: &Theme, sink: &dyn Sink, cache: &mut RenderCache) -> Result<(), Diagnostic> {
    let data = SharedData::new(site, cache.data.as_ref());
    let home: Vec<u32> = (0..site.articles.len() as u32).collect();
    let lists = pages::all_lists(site, &home);
    pages::articles(site, theme, &data, sink)?;
    let entries = ListEntries::new(theme, &data, cache.entries.as_ref().zip(cache.data.as_ref()));
    pages::lists(site, theme, &data, &entries, &lists, sink)?;
    pages::term_indexes(site, theme, &data, sink)?;
    pages::not_found(theme, &data, sink)?;
    let items = feeds::FeedItems::new(site);
    feeds::write_all(site, &data, &lists, &items, sink)?;
    sitemap::write(site, &data, &lists, sink)?;
    files::aliases(site, sink)?;
    files::copy_static(site, theme, sink)?;
    cache.data = Some(data);
    cache.entries = Some(entries);
    Ok(())
}
