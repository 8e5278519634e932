//! The blocks of the home page's first page (docs/templates.md, `home`): the lead story
//! (头条), the newest articles, the newest titles of each category and the way into the
//! regions. Made once per build from the model, so that the template only lays them out.

use serde_json::{json, Map, Value};

use crate::model::regions::RegionKind;
use crate::model::Site;
use crate::render::context::SharedData;

/// Titles per category block.
const PER_CATEGORY: usize = 5;
/// Top-level regions shown on the home page at most (the site's own ones always are).
const REGIONS: usize = 12;
/// Regions below each of the site's own top-level regions shown at most.
const HOME_CHILDREN: usize = 8;

/// The `home` value; `None` for a site without articles (the template then shows its
/// empty list as before).
pub fn blocks(site: &Site, data: &SharedData) -> Option<Value> {
    if site.articles.is_empty() {
        return None;
    }
    let light = |id: usize| Value::Object(with_lang(site, id, data.light_entry(site, id)));
    // The newest article marked `featured: true` leads; without one, the newest article.
    let lead = site.articles.iter().position(|a| a.src.meta.featured).unwrap_or(0);
    // The rest of the first page of the newest list, so that `/page/2/` goes on from it.
    let latest: Vec<Value> = (0..site.config.paginate.min(site.articles.len())).filter(|&id| id != lead).map(light).collect();
    let categories: Vec<Value> = site
        .categories
        .iter()
        .filter(|c| !c.articles.is_empty())
        .map(|c| {
            let entries: Vec<Value> = c.articles.iter().take(PER_CATEGORY).map(|&id| light(id as usize)).collect();
            json!({"name": c.name, "url": c.url, "count": c.articles.len(), "entries": entries})
        })
        .collect();
    let mut home = Map::new();
    home.insert("lead".into(), lead_value(site, data, lead));
    home.insert("latest".into(), latest.into());
    home.insert("categories".into(), categories.into());
    home.insert("regions".into(), regions(site).into());
    Some(Value::Object(home))
}

/// The lead story: the light entry keys, its summary, category and regions, and whether
/// it was marked `featured`.
fn lead_value(site: &Site, data: &SharedData, id: usize) -> Value {
    let a = &site.articles[id];
    let mut m = with_lang(site, id, data.light_entry(site, id));
    m.insert("summary".into(), a.src.summary.clone().into());
    let c = &site.categories[a.category as usize];
    m.insert("category".into(), json!({"name": c.name, "url": c.url}));
    let regions: Vec<Value> = a
        .regions
        .iter()
        .filter_map(|path| path.last())
        .map(|&n| &site.regions.nodes[n as usize])
        .map(|n| json!({"name": n.name, "url": n.url}))
        .collect();
    m.insert("regions".into(), regions.into());
    m.insert("featured".into(), a.src.meta.featured.into());
    Value::Object(m)
}

/// `entry` with `lang: zh-Hant` when article `id` is written in traditional characters
/// (the rule of `page.lang`), so that the theme's traditional font rules apply to its
/// title. A few dozen articles per build: the home page's, not every list's.
fn with_lang(site: &Site, id: usize, mut entry: Map<String, Value>) -> Map<String, Value> {
    let a = &site.articles[id];
    if crate::text::script::is_traditional([a.src.meta.title.as_str(), a.src.body.html.as_str()]) {
        entry.insert("lang".into(), "zh-Hant".into());
    }
    entry
}

/// Top-level domestic regions: the site's own (`[regions] home`, in that order, each with
/// its most-used regions below it), then the others by article count, most first.
fn regions(site: &Site) -> Vec<Value> {
    let nodes = &site.regions.nodes;
    let node_link = |id: u32| {
        let n = &nodes[id as usize];
        json!({"name": n.name, "url": n.url, "count": n.articles.len()})
    };
    ranked_roots(site)
        .into_iter()
        .filter(|&(_, id)| nodes[id as usize].kind == RegionKind::Domestic)
        .enumerate()
        .take_while(|&(i, (rank, _))| rank.is_some() || i < REGIONS)
        .map(|(_, (rank, id))| {
            let mut v = node_link(id);
            v["home"] = rank.is_some().into();
            if rank.is_some() {
                let mut below = nodes[id as usize].children.clone();
                below.sort_by_key(|&c| std::cmp::Reverse(nodes[c as usize].articles.len()));
                v["children"] = below.into_iter().take(HOME_CHILDREN).map(node_link).collect::<Vec<_>>().into();
            }
            v
        })
        .collect()
}

/// Every top-level region with its place in `[regions] home` (if it is one): the site's
/// own first in their order, then the others by article count, most first (the model's
/// official order among equals). The regions index lists them so too.
pub fn ranked_roots(site: &Site) -> Vec<(Option<usize>, u32)> {
    let nodes = &site.regions.nodes;
    let home_rank = |name: &str| {
        let key = crate::text::names::key(name);
        site.config.regions.home.iter().position(|h| crate::text::names::key(h) == key)
    };
    let mut roots: Vec<(Option<usize>, u32)> = site.regions.roots.iter().map(|&i| (home_rank(&nodes[i as usize].name), i)).collect();
    // A stable sort keeps the model's order among equals.
    roots.sort_by_key(|&(rank, i)| (rank.is_none(), rank, std::cmp::Reverse(nodes[i as usize].articles.len())));
    roots
}
