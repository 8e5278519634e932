//! HTML pages through the theme: articles, paginated lists (home, tag, category, region,
//! year, month), the term indexes and 404.

use rayon::prelude::*;
use serde_json::{json, Map, Value};

use crate::diagnostics::Diagnostic;
use crate::model::urls::rel;
use crate::model::{Month, Site, Term};
use crate::render::context::SharedData;
use crate::render::fingerprint;
use crate::render::list_entries::ListEntries;
use crate::render::theme::{template_diagnostic, Theme};
use crate::render::variants::Twins;
use crate::write::Sink;

/// What a list page shows besides its articles (docs/templates.md, `list`).
pub struct ListSpec<'a> {
    pub kind: &'static str,
    pub name: String,
    pub title: String,
    /// Location of the first page, relative to the site root.
    pub rel: String,
    pub feed: bool,
    pub articles: &'a [u32],
    pub extra: Map<String, Value>,
    /// Template variables of the first page only: `home` on the home page.
    pub first_page: Map<String, Value>,
}

/// Whether the sink already has the page at `location` from inputs with this fingerprint.
pub fn reused(sink: &dyn Sink, location: &str, inputs: &dyn Fn() -> u64) -> Result<bool, Diagnostic> {
    let file = rel::file(location);
    sink.reuse(&file, inputs).map_err(|e| Diagnostic::general(format!("cannot write {file}: {e}")))
}

/// A Tera context that keeps `site` for all the pages one worker renders and takes each
/// page's own values in and out again: copying the site's value into every page's
/// context, and dropping it after, was 3% of a build's instructions.
pub struct PageContext {
    context: tera::Context,
    /// The site's script variants, when it has them (each page gets `variants`).
    twins: Option<Twins>,
}

impl PageContext {
    pub fn new(data: &SharedData) -> PageContext {
        let mut context = tera::Context::new();
        context.insert("site", &data.site);
        let twins = (data.site["variants"] == true).then(|| Twins::new(data.site["base_url"].as_str().unwrap_or_default()));
        PageContext { context, twins }
    }

    /// Renders `template` with `site` and `vars`, whose values are moved into the context
    /// and back into `vars` afterwards; `what` names the page in errors.
    pub fn render(&mut self, theme: &Theme, template: &str, vars: &mut Map<String, Value>, what: &str) -> Result<Vec<u8>, Diagnostic> {
        let names: Vec<String> = vars.keys().cloned().collect();
        let page = tera::Context::from_value(Value::Object(std::mem::take(vars))).map_err(|e| Diagnostic::general(format!("template context: {e}")))?;
        self.context.extend(page);
        // Into bytes: `Tera::render` would check the whole page is UTF-8 once more at the end.
        let mut html = Vec::with_capacity(16 * 1024);
        let rendered = theme.tera.render_to(template, &self.context, &mut html);
        for name in names {
            if let Some(value) = self.context.remove(&name) {
                vars.insert(name, value);
            }
        }
        rendered.map_err(|e| {
            let mut d = template_diagnostic(&theme.templates, &e);
            d.message = format!("{} (while rendering {what})", d.message);
            d
        })?;
        Ok(html)
    }
}

/// Renders one template with `site` and `vars`, and writes it.
pub fn write_page(ctx: &mut PageContext, theme: &Theme, template: &str, mut vars: Map<String, Value>, location: &str, sink: &dyn Sink) -> Result<(), Diagnostic> {
    if let Some(twins) = &ctx.twins {
        // The page in each script (docs/templates.md, `variants`).
        let (hans, hant) = twins.pair(location);
        let path = |url: &str| crate::config::base_path_of(url).to_string();
        vars.insert("variants".into(), json!({"hans": hans, "hant": hant, "hans_path": path(&hans), "hant_path": path(&hant)}));
    }
    let html = ctx.render(theme, template, &mut vars, &format!("/{location}"))?;
    let file = rel::file(location);
    sink.write(&file, &html).map_err(|e| Diagnostic::general(format!("cannot write {file}: {e}")))
}

/// Article pages, each with its list entry fragment made from the same entry.
pub fn articles(site: &Site, theme: &Theme, data: &SharedData, entries: &ListEntries, sink: &dyn Sink) -> Result<(), Diagnostic> {
    let neighbours = category_neighbours(site);
    (0..site.articles.len()).into_par_iter().try_for_each_init(|| PageContext::new(data), |ctx, id| {
        let a = &site.articles[id];
        let (older, newer) = neighbours[id];
        let inputs = || {
            let related: Vec<u64> = a.related.iter().map(|&r| data.entry_hash(site, r as usize)).collect();
            let shown = |n: Option<u32>| n.map(|n| (&site.articles[n as usize].src.meta.title, &site.articles[n as usize].url));
            fingerprint::of((theme.fingerprint, data.site_hash, &a.rel, data.entry_hash(site, id), a.src.fingerprint, related, shown(older), shown(newer)))
        };
        if reused(sink, &a.rel, &inputs)? {
            return Ok(());
        }
        let entry = entries.prepare(ctx, theme, id, data.entry(site, id))?;
        let mut page = data.page(site, id, entry);
        if let Value::Object(m) = &mut page {
            let link = |n: u32| json!({"title": site.articles[n as usize].src.meta.title, "url": site.articles[n as usize].url});
            if let Some(n) = older {
                m.insert("prev".into(), link(n));
            }
            if let Some(n) = newer {
                m.insert("next".into(), link(n));
            }
        }
        let mut v = Map::new();
        v.insert("page".into(), page);
        write_page(ctx, theme, "article.html", v, &site.articles[id].rel, sink)
    })
}

/// Per article, (the article before it, the one after it) in its category: the older
/// and the newer neighbour in site order (`page.prev`, `page.next`).
fn category_neighbours(site: &Site) -> Vec<(Option<u32>, Option<u32>)> {
    let mut out = vec![(None, None); site.articles.len()];
    for c in &site.categories {
        // Newest first: the older article comes after, the newer one before.
        for (i, &id) in c.articles.iter().enumerate() {
            let older = c.articles.get(i + 1).copied();
            let newer = i.checked_sub(1).map(|j| c.articles[j]);
            out[id as usize] = (older, newer);
        }
    }
    out
}

/// Every list of the site: home, tags, categories, years, months and regions.
/// `home` is every article id in site order; `home_blocks` what the home page shows
/// besides them ([`crate::render::home`]).
pub fn all_lists<'a>(site: &'a Site, home: &'a [u32], home_blocks: Option<Value>) -> Vec<ListSpec<'a>> {
    let mut lists = Vec::new();
    let mut first_page = Map::new();
    if let Some(blocks) = home_blocks {
        first_page.insert("home".into(), blocks);
    }
    lists.push(ListSpec {
        kind: "home",
        name: site.config.title.clone(),
        title: site.config.title.clone(),
        rel: String::new(),
        feed: true,
        articles: home,
        extra: Map::new(),
        first_page,
    });
    for t in &site.tags {
        lists.push(term_list("tag", format!("标签：{}", t.name), t, true));
    }
    for t in &site.categories {
        lists.push(term_list("category", format!("分类：{}", t.name), t, true));
    }
    lists.extend(year_lists(site));
    lists.extend(month_lists(site));
    for node in &site.regions.nodes {
        let trail: Vec<Value> = node.trail.iter().map(|&i| &site.regions.nodes[i as usize]).map(|n| json!({"name": n.name, "url": n.url})).collect();
        let children: Vec<Value> = node
            .children
            .iter()
            .map(|&i| &site.regions.nodes[i as usize])
            .map(|n| json!({"name": n.name, "url": n.url, "count": n.articles.len(), "group": n.kind.as_str()}))
            .collect();
        let title = node.trail.iter().map(|&i| site.regions.nodes[i as usize].name.as_str()).collect::<Vec<_>>().join(" · ");
        let mut extra = Map::new();
        extra.insert("trail".into(), trail.into());
        extra.insert("children".into(), children.into());
        lists.push(ListSpec { kind: "region", name: node.name.clone(), title, rel: node.rel.clone(), feed: true, articles: &node.articles, extra, first_page: Map::new() });
    }
    lists
}

/// Year pages, each with its months (`list.months`, newest first) to browse by.
fn year_lists(site: &Site) -> Vec<ListSpec<'_>> {
    // Months are grouped by year already (both newest first): one pass hands them out.
    let mut months_of: Vec<Vec<Value>> = vec![Vec::new(); site.years.len()];
    for m in &site.months {
        if let Some(list) = months_of.get_mut(m.year_id as usize) {
            list.push(month_link(m));
        }
    }
    site.years
        .iter()
        .zip(months_of)
        .map(|(t, months)| {
            let mut list = term_list("year", format!("{} 年", t.name), t, false);
            list.extra.insert("months".into(), months.into());
            list
        })
        .collect()
}

/// Month pages: each links its year (`list.year`) and the months before and after it
/// that have articles (`list.prev_month`, older; `list.next_month`, newer). No feed: a
/// month's articles are all in the site feed and in their tag, category and region feeds.
fn month_lists(site: &Site) -> Vec<ListSpec<'_>> {
    let months = &site.months;
    months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let mut list = term_list("month", m.term.name.clone(), &m.term, false);
            if let Some(y) = site.years.get(m.year_id as usize) {
                list.extra.insert("year".into(), json!({"name": y.name, "url": y.url}));
            }
            // Newest first: the older month comes after, the newer one before.
            if let Some(older) = months.get(i + 1) {
                list.extra.insert("prev_month".into(), month_link(older));
            }
            if let Some(newer) = i.checked_sub(1).and_then(|j| months.get(j)) {
                list.extra.insert("next_month".into(), month_link(newer));
            }
            list
        })
        .collect()
}

/// A month as year and month pages link it: name (`2024年3月`), URL and article count.
fn month_link(m: &Month) -> Value {
    json!({"name": m.term.name, "url": m.term.url, "count": m.term.articles.len()})
}

fn term_list<'a>(kind: &'static str, title: String, t: &'a Term, feed: bool) -> ListSpec<'a> {
    ListSpec { kind, name: t.name.clone(), title, rel: t.rel.clone(), feed, articles: &t.articles, extra: Map::new(), first_page: Map::new() }
}

pub fn lists(site: &Site, theme: &Theme, data: &SharedData, entries: &ListEntries, lists: &[ListSpec], sink: &dyn Sink) -> Result<(), Diagnostic> {
    // Pages of all lists flattened, so that a few long lists do not serialise the work.
    let jobs: Vec<(&ListSpec, usize)> =
        lists.iter().flat_map(|l| (1..=page_count(l.articles.len(), site.config.paginate)).map(move |p| (l, p))).collect();
    jobs.par_iter()
        .try_for_each_init(|| PageContext::new(data), |ctx, &(list, page)| list_page(ctx, site, theme, data, entries, list, page, sink))
}

/// The page numbers a pagination bar shows: the first, the last and two either side of the
/// current one. A window, not every page: a list of thousands of pages would otherwise
/// cost each of its pages thousands of links (quadratic in the list's length).
fn page_window(current: usize, total: usize) -> impl Iterator<Item = usize> {
    let near = current.saturating_sub(2).max(1)..=(current + 2).min(total);
    let mut numbers: Vec<usize> = std::iter::once(1).chain(near).chain(std::iter::once(total)).collect();
    numbers.dedup();
    numbers.into_iter()
}

fn page_count(n: usize, per_page: usize) -> usize {
    n.div_ceil(per_page).max(1)
}

#[allow(clippy::too_many_arguments)]
fn list_page(ctx: &mut PageContext, site: &Site, theme: &Theme, data: &SharedData, entries: &ListEntries, list: &ListSpec, page: usize, sink: &dyn Sink) -> Result<(), Diagnostic> {
    let ids = list.articles;
    let per = site.config.paginate;
    let total_pages = page_count(ids.len(), per);
    let url_of = |n: usize| site.urls.url(&rel::page(&list.rel, n));
    let location = rel::page(&list.rel, page);
    let window = || ids.iter().skip((page - 1) * per).take(per).map(|&i| i as usize);
    let inputs = || {
        let list_data = (list.kind, &list.name, &list.title, &list.rel, list.feed, fingerprint::of_object(&list.extra));
        let shown: Vec<u64> = window().map(|i| data.entry_hash(site, i)).collect();
        let first_page = if page == 1 { fingerprint::of_object(&list.first_page) } else { 0 };
        fingerprint::of((theme.fingerprint, data.site_hash, list_data, ids.len(), page, total_pages, shown, first_page))
    };
    if reused(sink, &location, &inputs)? {
        return Ok(());
    }
    let entries: Vec<Value> = window().map(|i| entries.entry(ctx, theme, site, data, i)).collect::<Result<_, _>>()?;
    let mut paginator = Map::new();
    paginator.insert("entries".into(), entries.into());
    paginator.insert("current".into(), page.into());
    paginator.insert("total_pages".into(), total_pages.into());
    paginator.insert("first_url".into(), url_of(1).into());
    if page > 1 {
        paginator.insert("prev_url".into(), url_of(page - 1).into());
    }
    if page < total_pages {
        paginator.insert("next_url".into(), url_of(page + 1).into());
    }
    let pages: Vec<Value> = page_window(page, total_pages).map(|n| json!({"number": n, "url": url_of(n), "current": n == page})).collect();
    paginator.insert("pages".into(), pages.into());
    paginator.insert("permalink".into(), site.urls.permalink(&url_of(page)).into());

    let mut l = list.extra.clone();
    l.insert("kind".into(), list.kind.into());
    l.insert("name".into(), list.name.clone().into());
    l.insert("title".into(), list.title.clone().into());
    l.insert("url".into(), url_of(1).into());
    l.insert("permalink".into(), site.urls.permalink(&url_of(1)).into());
    l.insert("total".into(), ids.len().into());
    // A list with no articles offers no feed: there is nothing to follow.
    if list.feed && !ids.is_empty() {
        l.insert("feed_url".into(), site.urls.url(&format!("{}feed.xml", list.rel)).into());
    }
    let mut v = Map::new();
    v.insert("list".into(), l.into());
    v.insert("paginator".into(), paginator.into());
    if page == 1 {
        v.extend(list.first_page.clone());
    }
    let template = if list.kind == "home" { "home.html" } else { "list.html" };
    write_page(ctx, theme, template, v, &location, sink)
}

/// `/tags/`, `/categories/`, `/regions/`, `/archive/`.
pub fn term_indexes(site: &Site, theme: &Theme, data: &SharedData, sink: &dyn Sink) -> Result<(), Diagnostic> {
    let items = |terms: &[Term]| -> Vec<Value> { terms.iter().map(|t| json!({"name": t.name, "url": t.url, "count": t.articles.len()})).collect() };
    let regions = region_tree(site);
    let indexes = [
        ("tags", "标签", "tags/", items(&site.tags)),
        ("categories", "分类", "categories/", items(&site.categories)),
        ("regions", "地区", "regions/", regions),
        ("archive", "归档", "archive/", items(&site.years)),
    ];
    let ctx = &mut PageContext::new(data);
    for (kind, title, location, items) in indexes {
        if reused(sink, location, &|| fingerprint::of((theme.fingerprint, data.site_hash, kind, fingerprint::of_values(&items))))? {
            continue;
        }
        let mut v = Map::new();
        let url = site.urls.url(location);
        v.insert("terms".into(), json!({"kind": kind, "title": title, "permalink": site.urls.permalink(&url), "url": url, "items": items}));
        write_page(ctx, theme, "terms.html", v, location, sink)?;
    }
    Ok(())
}

/// The regions index as a tree (docs/templates.md, `terms.items` of `regions`): each
/// top-level region with its `children`, theirs with theirs. The top level puts the
/// site's own regions first (`[regions] home`, in that order, marked `home`), then the
/// others by article count, most first; below it the tree keeps the model's order.
fn region_tree(site: &Site) -> Vec<Value> {
    fn node_value(site: &Site, id: u32) -> Value {
        let n = &site.regions.nodes[id as usize];
        let children: Vec<Value> = n.children.iter().map(|&c| node_value(site, c)).collect();
        json!({"name": n.name, "url": n.url, "count": n.articles.len(), "group": n.kind.as_str(), "children": children})
    }
    crate::render::home::ranked_roots(site)
        .into_iter()
        .map(|(rank, i)| {
            let mut v = node_value(site, i);
            v["home"] = rank.is_some().into();
            v
        })
        .collect()
}

pub fn not_found(theme: &Theme, data: &SharedData, sink: &dyn Sink) -> Result<(), Diagnostic> {
    if reused(sink, "404.html", &|| fingerprint::of((theme.fingerprint, data.site_hash, "404.html")))? {
        return Ok(());
    }
    write_page(&mut PageContext::new(data), theme, "404.html", Map::new(), "404.html", sink)
}

#[cfg(test)]
mod tests {
    use super::page_window;

    #[test]
    fn the_window_holds_first_last_and_neighbours() {
        assert_eq!(page_window(1, 1).collect::<Vec<_>>(), [1]);
        assert_eq!(page_window(1, 9).collect::<Vec<_>>(), [1, 2, 3, 9]);
        assert_eq!(page_window(5, 9).collect::<Vec<_>>(), [1, 3, 4, 5, 6, 7, 9]);
        assert_eq!(page_window(9, 9).collect::<Vec<_>>(), [1, 7, 8, 9]);
        assert_eq!(page_window(2, 3).collect::<Vec<_>>(), [1, 2, 3]);
    }
}
