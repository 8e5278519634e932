//! The render stage: a [`Site`] → files in a [`Sink`]: pages through the theme, feeds,
//! sitemap, robots.txt, aliases and static files. Renderers ask the model; they never
//! recompute URLs or slugs.

pub mod assets;
pub mod builtin_theme;
pub mod cached_include;
pub mod context;
pub mod feeds;
pub mod files;
pub mod fingerprint;
pub mod home;
pub mod list_entries;
pub mod pages;
pub mod search;
pub mod sitemap;
pub mod theme;
pub mod variants;

use std::sync::Arc;

use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::write::Sink;
use assets::{AssetUrls, Assets};
use context::SharedData;
use list_entries::ListEntries;
pub use theme::Theme;

/// Renders a site once (`gazette build`), with `asset()` URLs as `urls` says. Each entry
/// is made for its page and let go, unless the theme has no `entry.html`: its list pages
/// then print whole entries, each up to a dozen times, and those are better made once and
/// kept.
pub fn render_site(site: &Site, theme: &Theme, sink: &dyn Sink, urls: AssetUrls) -> Result<(), Diagnostic> {
    let data = if ListEntries::theme_has_template(theme) { SharedData::one_shot(site) } else { SharedData::keeping_entries(site, None) };
    let assets = Arc::new(Assets::new(files::StaticFiles::collect(site, theme)?, site.config.base_path(), urls));
    let theme = &theme.for_render(&data.site, &assets);
    let entries = ListEntries::new(theme, site, &data, None);
    render_with(site, theme, sink, &data, &entries, None, &assets)
}

/// What one render of a site can lend the next render of the same site (`serve --watch`).
/// Only valid while site.toml stays the same.
#[derive(Default)]
pub struct RenderCache {
    data: Option<SharedData>,
    entries: Option<ListEntries>,
    /// The last search index, and whether this render may keep it ([`search::SearchCache`]).
    pub search: search::SearchCache,
}

/// [`render_site`] for `serve --watch`, keeping every entry and reusing those of the
/// previous render whose inputs did not change. `asset()` gives plain URLs: a style edit
/// then changes no page.
pub fn render_site_cached(site: &Site, theme: &Theme, sink: &dyn Sink, cache: &mut RenderCache) -> Result<(), Diagnostic> {
    let data = SharedData::keeping_entries(site, cache.data.as_ref());
    let assets = Arc::new(Assets::new(files::StaticFiles::collect(site, theme)?, site.config.base_path(), AssetUrls::Plain));
    let theme = &theme.for_render(&data.site, &assets);
    let entries = ListEntries::new(theme, site, &data, cache.entries.as_ref().zip(cache.data.as_ref()));
    render_with(site, theme, sink, &data, &entries, Some(&mut cache.search), &assets)?;
    cache.data = Some(data);
    cache.entries = Some(entries);
    Ok(())
}

fn render_with(site: &Site, theme: &Theme, sink: &dyn Sink, data: &SharedData, entries: &ListEntries, search: Option<&mut search::SearchCache>, assets: &Assets) -> Result<(), Diagnostic> {
    // With [variants], every page also goes out converted under zh-hant/ (variants::Tee).
    let tee = variants::Tee::wrap(&site.config, sink);
    let sink: &dyn Sink = tee.as_ref().map_or(sink, |t| t);
    // GAZETTE_TWIN_COST=1: each part's CPU time, and the twins' share (variants::cost).
    let zero = variants::cost::Counter::default();
    let twins = tee.as_ref().and_then(|t| t.cost.as_ref()).unwrap_or(&zero);
    let mut cost = variants::cost::Report::default();
    let home: Vec<u32> = (0..site.articles.len() as u32).collect();
    let lists = pages::all_lists(site, &home, home::blocks(site, data));
    cost.part("articles", twins, || pages::articles(site, theme, data, entries, sink))?;
    cost.part("lists", twins, || pages::lists(site, theme, data, entries, &lists, sink))?;
    cost.part("term indexes", twins, || pages::term_indexes(site, theme, data, sink))?;
    pages::not_found(theme, data, sink)?;
    let items = feeds::FeedItems::new(site);
    cost.part("feeds", twins, || feeds::write_all(site, data, &lists, &items, sink))?;
    sitemap::write(site, data, &lists, sink)?;
    cost.part("search", twins, || search::write(site, theme, data, sink, search))?;
    files::aliases(site, sink)?;
    cost.part("static", twins, || files::copy_static(assets, sink))?;
    if variants::cost::wanted() {
        cost.print();
        if let Some(converting) = tee.as_ref().and_then(|t| t.converting.as_ref()) {
            eprintln!("  of the twins, converting: {:.0} ms (the rest is writing their files)", converting.get().as_secs_f64() * 1000.0);
        }
    }
    Ok(())
}
