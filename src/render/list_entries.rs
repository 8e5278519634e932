//! Pre-rendered list entries. A theme with an `entry.html` template gets each article's
//! entry rendered once per build, and every list page the article appears on (home, tags,
//! category, regions, year; up to a dozen lists an article) reuses that HTML as `e.html`
//! instead of laying the entry out again. Like Hugo's content views (`.Render "summary"`).
//!
//! A fragment is made with its article's page, from the same entry, or else the first
//! time a list page asks for it. `serve --watch` lends the previous build's fragments to
//! the next one when the theme, the `site` value and the article's entry are unchanged,
//! so a rebuild renders only the entries that changed.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use serde_json::{Map, Value};

use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::render::context::SharedData;
use crate::render::pages::PageContext;
use crate::render::theme::Theme;

/// The template that lays out one article on a list page.
pub const TEMPLATE: &str = "entry.html";

/// Each article's rendered `entry.html`, made when its article page is rendered (the
/// entry is at hand then) or else on first use.
pub struct ListEntries {
    /// None when the theme has no `entry.html`: list pages then show entries without `html`.
    key: Option<(u64, u64)>,
    cells: Vec<OnceLock<Arc<str>>>,
}

impl ListEntries {
    /// Whether `theme` lays entries out with `entry.html`.
    pub fn theme_has_template(theme: &Theme) -> bool {
        theme.tera.get_template_names().any(|n| n == TEMPLATE)
    }

    /// Empty cells for this build, those of unchanged entries filled from `previous`: the
    /// last build's fragments and the data they were rendered from.
    pub fn new(theme: &Theme, site: &Site, data: &SharedData, previous: Option<(&ListEntries, &SharedData)>) -> ListEntries {
        let key = Self::theme_has_template(theme).then_some((theme.fingerprint, data.site_hash));
        let lendable: HashMap<u64, &Arc<str>> = match previous {
            Some((p, p_data)) if p.key.is_some() && p.key == key => {
                p.cells.iter().enumerate().filter_map(|(id, cell)| Some((p_data.entry_hash(site, id), cell.get()?))).collect()
            }
            _ => HashMap::new(),
        };
        let cells = (0..site.articles.len())
            .map(|id| {
                let cell = OnceLock::new();
                // Nothing to lend in a full build: its entries are not even hashed.
                let lent = if lendable.is_empty() { None } else { lendable.get(&data.entry_hash(site, id)) };
                if let Some(html) = lent {
                    let _ = cell.set(Arc::clone(html));
                }
                cell
            })
            .collect();
        ListEntries { key, cells }
    }

    /// Renders article `id`'s fragment from its `entry` unless it is made already, and
    /// gives the entry back for the article's page.
    pub fn prepare(&self, ctx: &mut PageContext, theme: &Theme, id: usize, entry: Arc<Value>) -> Result<Arc<Value>, Diagnostic> {
        match self.cells.get(id) {
            Some(cell) if self.key.is_some() && cell.get().is_none() => {
                let (html, entry) = render(ctx, theme, entry)?;
                let _ = cell.set(html);
                Ok(Arc::new(entry))
            }
            _ => Ok(entry),
        }
    }

    /// Article `id`'s entry as a list page shows it. Without `entry.html`, the whole entry.
    /// With it, the fragment as `html` beside the few keys a list template may still want
    /// for grouping or marking entries (title, url and dates): copying every entry whole
    /// into every list page it appears on was an eighth of a whole build's instructions.
    pub fn entry(&self, ctx: &mut PageContext, theme: &Theme, site: &Site, data: &SharedData, id: usize) -> Result<Value, Diagnostic> {
        if id >= site.articles.len() {
            return Ok(Value::Null);
        }
        if self.key.is_none() {
            return Ok(Value::clone(&data.entry(site, id)));
        }
        let mut light = data.light_entry(site, id);
        light.insert("html".into(), Value::String(self.html(ctx, theme, site, data, id)?.to_string()));
        Ok(Value::Object(light))
    }

    fn html(&self, ctx: &mut PageContext, theme: &Theme, site: &Site, data: &SharedData, id: usize) -> Result<&Arc<str>, Diagnostic> {
        let Some(cell) = self.cells.get(id) else {
            return Err(Diagnostic::general(format!("no list entry for article {id}")));
        };
        if let Some(html) = cell.get() {
            return Ok(html);
        }
        let (html, _) = render(ctx, theme, data.entry(site, id))?;
        // Two pages may render the same entry at once; either result is the same text.
        Ok(cell.get_or_init(|| html))
    }
}

/// `entry.html` with `site` and `entry` in the context, trimmed of the whitespace around
/// it (a template file's final newline would otherwise land between entries); and the
/// entry, given back. An entry only this page holds is moved in and out, not copied.
fn render(ctx: &mut PageContext, theme: &Theme, entry: Arc<Value>) -> Result<(Arc<str>, Value), Diagnostic> {
    let what = format!("the list entry of {}", entry["url"].as_str().unwrap_or_default());
    let mut vars = Map::new();
    vars.insert("entry".into(), Arc::try_unwrap(entry).unwrap_or_else(|shared| Value::clone(&shared)));
    let html = ctx.render(theme, TEMPLATE, &mut vars, &what)?;
    let html = String::from_utf8_lossy(&html);
    Ok((Arc::from(html.trim()), vars.remove("entry").unwrap_or_default()))
}
