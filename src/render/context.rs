//! What templates see (docs/templates.md): each article's entry (its `page` keys but the
//! body) as a JSON value, the short values list pages and related lists show of it, and
//! the `site` value shared by all pages.
//!
//! A one-shot build makes an article's entry when its page is rendered and lets it go:
//! holding all of them was 7.7 KB per article (a fifth of a 50,000-article build's
//! memory), and only two readers ever need the whole entry, the article's page and its
//! `entry.html` fragment, both made in the same step. `serve --watch` keeps every entry,
//! to lend unchanged ones to the next build and to fingerprint what a page shows.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use serde_json::{json, Map, Value};

use crate::load::dates::rfc3339;
use crate::model::regions::RegionNode;
use crate::model::{Article, Site};
use crate::render::fingerprint;

/// Values computed once per build and shared by every page.
pub struct SharedData {
    pub site: Value,
    /// The fingerprint of `site` (see [`crate::render::fingerprint`]).
    pub site_hash: u64,
    /// Per article, its dates as templates print them, made the first time a page shows
    /// them: one article is named on a dozen list pages and in several related lists.
    dates: Vec<OnceLock<Dates>>,
    /// Every entry, for builds that read them more than once; `None` in a one-shot build.
    kept: Option<KeptEntries>,
}

/// An article's date as templates print it.
struct Dates {
    /// RFC 3339, for `<time datetime>` and feeds.
    rfc3339: String,
    /// `2024-03-01`.
    ymd: String,
    /// `2024年3月1日`.
    zh: String,
}

impl Dates {
    fn of(z: &jiff::Zoned) -> Dates {
        Dates {
            rfc3339: rfc3339(z),
            ymd: z.strftime("%Y-%m-%d").to_string(),
            zh: format!("{}年{}月{}日", z.year(), z.month(), z.day()),
        }
    }
}

/// The entries of a build that keeps them, with what the next build needs to lend them.
struct KeptEntries {
    /// Per article: its `page` keys except `content`, `extra` and `related`. Shared with
    /// the next build of `serve --watch` when its inputs stay the same.
    entries: Vec<Arc<Value>>,
    /// Fingerprints of each entry, made on first use ([`SharedData::entry_hash`]): only
    /// `serve --watch` compares them, and hashing every entry was 1% of a full build.
    entry_hashes: Vec<OnceLock<u64>>,
    /// Per article, a fingerprint of what its entry is made from.
    entry_inputs: Vec<u64>,
    /// The site's layout and, per article, its file's fingerprint: within one layout an
    /// entry changes only with its file.
    layout: u64,
    sources: Vec<u64>,
}

/// (entry, its fingerprint if known yet, the fingerprint of its inputs) of each article.
type Made = Vec<(Arc<Value>, OnceLock<u64>, u64)>;

/// A site of the same layout as `previous` (a patched model): the same articles under
/// the same ids, so an entry is made again only where the article's file changed.
fn lend_by_id(site: &Site, previous: &KeptEntries) -> Made {
    site.articles
        .iter()
        .enumerate()
        .map(|(i, a)| {
            if previous.sources[i] == a.src.fingerprint {
                return (Arc::clone(&previous.entries[i]), previous.entry_hashes[i].clone(), previous.entry_inputs[i]);
            }
            let entry = entry_value(site, a, &|id| region_value(site, &site.regions.nodes[id as usize]));
            (Arc::new(entry), OnceLock::new(), entry_inputs(site, a))
        })
        .collect()
}

/// Any other site: entries are lent from `previous` by the fingerprint of their inputs.
fn lend_by_inputs(site: &Site, previous: Option<&KeptEntries>) -> Made {
    let regions: Vec<Value> = site.regions.nodes.par_iter().map(|n| region_value(site, n)).collect();
    let lendable: HashMap<u64, usize> = previous.map(|p| p.entry_inputs.iter().enumerate().map(|(i, &k)| (k, i)).collect()).unwrap_or_default();
    site.articles
        .par_iter()
        .map(|a| {
            let inputs = entry_inputs(site, a);
            if let (Some(&i), Some(p)) = (lendable.get(&inputs), previous) {
                return (Arc::clone(&p.entries[i]), p.entry_hashes[i].clone(), inputs);
            }
            let entry = entry_value(site, a, &|id| regions[id as usize].clone());
            (Arc::new(entry), OnceLock::new(), inputs)
        })
        .collect()
}

impl KeptEntries {
    fn new(site: &Site, previous: Option<&KeptEntries>) -> KeptEntries {
        let made = match previous {
            Some(p) if p.layout == site.layout && p.sources.len() == site.articles.len() => lend_by_id(site, p),
            _ => lend_by_inputs(site, previous),
        };
        let mut kept = KeptEntries {
            entries: Vec::with_capacity(made.len()),
            entry_hashes: Vec::with_capacity(made.len()),
            entry_inputs: Vec::with_capacity(made.len()),
            layout: site.layout,
            sources: site.articles.iter().map(|a| a.src.fingerprint).collect(),
        };
        for (entry, hash, inputs) in made {
            kept.entries.push(entry);
            kept.entry_hashes.push(hash);
            kept.entry_inputs.push(inputs);
        }
        kept
    }
}

impl SharedData {
    /// Data that makes each entry when a page asks for it and keeps none: for a build
    /// whose every entry is read once, by its article's page and `entry.html` together.
    pub fn one_shot(site: &Site) -> SharedData {
        SharedData::with(site, None)
    }

    /// Data that keeps every entry. `previous`, the data of the last build of the same
    /// site, lends the entries whose inputs did not change (a rebuild after one edit makes
    /// one entry, not thousands).
    pub fn keeping_entries(site: &Site, previous: Option<&SharedData>) -> SharedData {
        let kept = KeptEntries::new(site, previous.and_then(|p| p.kept.as_ref()));
        SharedData::with(site, Some(kept))
    }

    fn with(site: &Site, kept: Option<KeptEntries>) -> SharedData {
        let site_value = site_value(site);
        SharedData {
            site_hash: fingerprint::of_value(&site_value),
            site: site_value,
            dates: (0..site.articles.len()).map(|_| OnceLock::new()).collect(),
            kept,
        }
    }

    /// Article `id`'s entry: the kept one, or one made now.
    pub fn entry(&self, site: &Site, id: usize) -> Arc<Value> {
        match self.kept.as_ref().and_then(|k| k.entries.get(id)) {
            Some(entry) => Arc::clone(entry),
            None => Arc::new(entry_value(site, &site.articles[id], &|node| region_value(site, &site.regions.nodes[node as usize]))),
        }
    }

    /// The fingerprint of article `id`'s entry. Only sinks that keep the last build's
    /// output ask for it, and those are fed by data that keeps its entries.
    pub fn entry_hash(&self, site: &Site, id: usize) -> u64 {
        match &self.kept {
            Some(k) => *k.entry_hashes[id].get_or_init(|| fingerprint::of_value(&k.entries[id])),
            None => fingerprint::of_value(&self.entry(site, id)),
        }
    }

    /// The fingerprints of all entries, in article order.
    pub fn entry_hashes<'a>(&'a self, site: &'a Site) -> impl Iterator<Item = u64> + 'a {
        (0..site.articles.len()).map(move |id| self.entry_hash(site, id))
    }

    fn dates(&self, site: &Site, id: usize) -> &Dates {
        self.dates[id].get_or_init(|| Dates::of(&site.articles[id].src.meta.date))
    }

    /// The keys of article `id` a list page keeps beside its `entry.html` fragment: enough
    /// to group or mark entries, made from the model rather than copied from its entry.
    pub fn light_entry(&self, site: &Site, id: usize) -> Map<String, Value> {
        let a = &site.articles[id];
        let d = self.dates(site, id);
        let mut m = Map::new();
        m.insert("title".into(), a.src.meta.title.clone().into());
        m.insert("url".into(), a.url.clone().into());
        m.insert("date".into(), d.rfc3339.clone().into());
        m.insert("date_ymd".into(), d.ymd.clone().into());
        m.insert("date_zh".into(), d.zh.clone().into());
        m
    }

    /// The full `page` value of an article page, made of its `entry`.
    pub fn page(&self, site: &Site, id: usize, entry: Arc<Value>) -> Value {
        let article = &site.articles[id];
        // A one-shot build's entry is this page's alone: taken, not copied.
        let mut page = match Arc::try_unwrap(entry) {
            Ok(Value::Object(m)) => m,
            Ok(_) => Map::new(),
            Err(shared) => shared.as_object().cloned().unwrap_or_default(),
        };
        page.insert("content".into(), Value::String(article.src.body.html.clone()));
        page.insert("extra".into(), article.src.meta.extra.clone());
        page.insert("related".into(), Value::Array(self.related_values(site, id)));
        Value::Object(page)
    }

    /// The related list of article `id`, in rank order. Bulletins share a title
    /// ("国内联播快讯" every day, sometimes twice a day): the date tells them apart, and
    /// where two of the same title share the day too, so does the time of day.
    fn related_values(&self, site: &Site, id: usize) -> Vec<Value> {
        let ranked: Vec<usize> = site.articles[id].related.iter().map(|&r| r as usize).collect();
        ranked
            .iter()
            .map(|&r| {
                let mut others = std::iter::once(id).chain(ranked.iter().copied()).filter(|&o| o != r);
                let namesake_that_day = others.any(|o| self.same_title_and_day(site, o, r));
                self.related_value(site, r, namesake_that_day)
            })
            .collect()
    }

    /// True when articles `a` and `b` have the same title and the same date.
    fn same_title_and_day(&self, site: &Site, a: usize, b: usize) -> bool {
        site.articles[a].src.meta.title == site.articles[b].src.meta.title
            && self.dates(site, a).ymd == self.dates(site, b).ymd
    }

    /// One related entry. `time` (`19:00`) is set only when `with_time` and the article's
    /// date has a time of day (a date alone is midnight, which says nothing).
    fn related_value(&self, site: &Site, id: usize, with_time: bool) -> Value {
        let a = &site.articles[id];
        let d = self.dates(site, id);
        let mut r = Map::new();
        r.insert("title".into(), a.src.meta.title.clone().into());
        r.insert("url".into(), a.url.clone().into());
        r.insert("date".into(), d.rfc3339.clone().into());
        r.insert("date_ymd".into(), d.ymd.clone().into());
        r.insert("date_zh".into(), d.zh.clone().into());
        let z = &a.src.meta.date;
        let has_time = (z.hour(), z.minute(), z.second()) != (0, 0, 0);
        let time = if with_time && has_time { z.strftime("%H:%M").to_string() } else { String::new() };
        r.insert("time".into(), time.into());
        // The first region's name, path and URL; not its trail, which no related list shows.
        let first = a.regions.iter().filter_map(|path| path.last()).next().map(|&node| &site.regions.nodes[node as usize]);
        let region = match first {
            Some(n) => json!({"name": n.name, "path": n.path, "url": n.url}),
            None => Value::Null,
        };
        r.insert("region".into(), region);
        Value::Object(r)
    }
}

fn site_value(site: &Site) -> Value {
    let c = &site.config;
    let u = &site.urls;
    let categories: Vec<Value> = site
        .categories
        .iter()
        .map(|t| json!({"name": t.name, "slug": t.slug, "url": t.url, "count": t.articles.len()}))
        .collect();
    json!({
        "title": c.title,
        "description": c.description,
        "language": c.language,
        "base_url": c.base_url,
        "base_path": u.base_path(),
        "feed_url": u.url("feed.xml"),
        "nav": {
            "home": u.home(), "regions": u.url("regions/"), "categories": u.url("categories/"),
            "tags": u.url("tags/"), "archive": u.url("archive/"),
        },
        // the search page's URL, or "" when search is off (no search box then)
        "search": if c.search.enabled { u.url("search/") } else { String::new() },
        "categories": categories,
        "has_syntax_css": site.has_code,
        // [variants] traditional: pages get `variants` (their two scripts' URLs)
        "variants": c.variants.traditional,
        "info": site_info_value(&c.site_info),
        "generator": concat!("gazette ", env!("CARGO_PKG_VERSION")),
    })
}

/// `[site_info]` as the footer shows it (docs/templates.md, `site.info`): only the keys
/// that are set, plus the filing sites' links. An empty object when none is set.
fn site_info_value(info: &crate::config::SiteInfo) -> Value {
    let mut m = Map::new();
    let fields = [
        ("sponsor", &info.sponsor), ("organizer", &info.organizer), ("address", &info.address), ("phone", &info.phone),
        ("email", &info.email), ("icp", &info.icp), ("police_record", &info.police_record), ("site_code", &info.site_code),
    ];
    for (key, value) in fields {
        if !value.is_empty() {
            m.insert(key.into(), value.as_str().into());
        }
    }
    if !info.icp.is_empty() {
        m.insert("icp_url".into(), "https://beian.miit.gov.cn/".into());
    }
    if !info.police_record.is_empty() {
        // 川公网安备 51010702000001号 → the record's own page on the national filing site.
        let code: String = info.police_record.chars().filter(char::is_ascii_digit).collect();
        let url = if code.is_empty() { "https://beian.mps.gov.cn/".to_string() } else { format!("https://beian.mps.gov.cn/#/query/webSearch?code={code}") };
        m.insert("police_record_url".into(), url.into());
    }
    Value::Object(m)
}

fn region_value(site: &Site, node: &RegionNode) -> Value {
    let trail: Vec<Value> = node
        .trail
        .iter()
        .map(|&id| {
            let n = &site.regions.nodes[id as usize];
            json!({"name": n.name, "url": n.url})
        })
        .collect();
    json!({"name": node.name, "path": node.path, "url": node.url, "trail": trail})
}

/// Everything [`entry_value`] reads, hashed: the file (front matter, summary, counts all
/// come from its text), where the article sits, and the names and URLs of its tags,
/// category and regions.
fn entry_inputs(site: &Site, a: &Article) -> u64 {
    // Fed straight into one hasher: this runs for every article on every rebuild.
    let mut h = std::hash::DefaultHasher::new();
    (a.src.fingerprint, &a.src.path, &a.url, &site.config.base_url).hash(&mut h);
    let c = &site.categories[a.category as usize];
    (&c.name, &c.slug, &c.url).hash(&mut h);
    for t in a.tags.iter().map(|&t| &site.tags[t as usize]) {
        (&t.name, &t.slug, &t.url).hash(&mut h);
    }
    for node in a.regions.iter().filter_map(|path| path.last()).map(|&id| &site.regions.nodes[id as usize]) {
        (&node.name, &node.path, &node.url).hash(&mut h);
        for step in node.trail.iter().map(|&t| &site.regions.nodes[t as usize]) {
            (&step.name, &step.url).hash(&mut h);
        }
    }
    // Counts close the variable-length parts, so that no two articles hash alike by shifting.
    (a.tags.len(), a.regions.len()).hash(&mut h);
    h.finish()
}

/// `region` gives the value of a region node by id.
fn entry_value(site: &Site, a: &Article, region: &dyn Fn(u32) -> Value) -> Value {
    let m = &a.src.meta;
    let mut e = Map::new();
    e.insert("title".into(), m.title.clone().into());
    e.insert("url".into(), a.url.clone().into());
    e.insert("permalink".into(), site.urls.permalink(&a.url).into());
    insert_dates(&mut e, "", &m.date);
    if let Some(u) = &m.updated {
        insert_dates(&mut e, "updated", u);
    }
    e.insert("summary".into(), a.src.summary.clone().into());
    e.insert("reading_minutes".into(), a.src.reading_minutes.into());
    e.insert("char_count".into(), a.src.word_count.into());
    let own_regions: Vec<Value> = a.regions.iter().filter_map(|path| path.last()).map(|&id| region(id)).collect();
    e.insert("regions".into(), own_regions.into());
    let c = &site.categories[a.category as usize];
    e.insert("category".into(), json!({"name": c.name, "slug": c.slug, "url": c.url}));
    let tags: Vec<Value> = a.tags.iter().map(|&t| &site.tags[t as usize]).map(|t| json!({"name": t.name, "slug": t.slug, "url": t.url})).collect();
    e.insert("tags".into(), tags.into());
    if let Some(s) = &m.source {
        e.insert("source".into(), json!({"name": s.name, "url": s.url}));
    }
    if let Some(author) = &m.author {
        e.insert("author".into(), author.clone().into());
    }
    // Traditional-script articles: `lang` for their <article> (rule in crate::text::script).
    if crate::text::script::is_traditional([m.title.as_str(), a.src.body.html.as_str()]) {
        e.insert("lang".into(), "zh-Hant".into());
    }
    Value::Object(e)
}

/// `date`, `date_ymd`, `date_zh` (or `updated`, `updated_ymd`, `updated_zh`).
fn insert_dates(e: &mut Map<String, Value>, prefix: &str, z: &jiff::Zoned) {
    let key = |suffix: &str| match (prefix, suffix) {
        ("", "") => "date".to_string(),
        ("", s) => format!("date_{s}"),
        (p, "") => p.to_string(),
        (p, s) => format!("{p}_{s}"),
    };
    let d = Dates::of(z);
    e.insert(key(""), d.rfc3339.into());
    e.insert(key("ymd"), d.ymd.into());
    e.insert(key("zh"), d.zh.into());
}
