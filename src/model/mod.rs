//! The model stage: loaded articles → a read-only [`Site`] with every URL, slug, index
//! (tags, categories, region tree, years) and related list decided once, in one place.

pub mod order;
pub mod regions;
pub mod related;
pub mod slugs;
pub mod urls;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{suggest, Diagnostic};
use crate::load::{LoadedContent, SourceArticle};
use crate::text::names::{self, Spellings};
use crate::text::slug::{pinyin_slug, pinyin_sort_key, slug_words};
use regions::RegionTree;
use related::{compute_related, RelatedDoc};
use slugs::{assign_unique, SlugRequest};
use urls::{rel, Urls};

/// An article with everything the renderers need to know about its place in the site.
#[derive(Debug, Clone)]
pub struct Article {
    /// Shared with the load cache of `serve --watch`, so that a rebuild copies no text.
    pub src: Arc<SourceArticle>,
    pub slug: String,
    /// Site-relative location: `2024/03/slug/`.
    pub rel: String,
    pub url: String,
    pub year: i16,
    pub month: i8,
    pub tags: Vec<u32>,
    pub category: u32,
    /// Each region as node ids from the top level down.
    pub regions: Vec<Vec<u32>>,
    /// Related articles, in rank order.
    pub related: Vec<u32>,
}

/// A tag, a category or a year: a named list of articles with a URL.
#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub rel: String,
    pub url: String,
    /// In site order (newest first, ties by title).
    pub articles: Vec<u32>,
}

/// A month of the archive (`/archive/2024/03/`): its articles in site order.
#[derive(Debug, Clone)]
pub struct Month {
    pub year: i16,
    /// 1–12.
    pub month: i8,
    /// Its index in [`Site::years`].
    pub year_id: u32,
    /// `name` is `2024年3月`, `slug` `03`.
    pub term: Term,
}

/// The whole site, built once and read-only afterwards.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    pub urls: Urls,
    /// In site order ([`order::listing`]: newest day first; within a day by weight, time,
    /// title, path). Ids everywhere index this. Each one shared, so that a patched site
    /// copies none.
    pub articles: Vec<Arc<Article>>,
    /// By article count (most first), then pinyin.
    pub tags: Vec<Term>,
    /// In site.toml order, then any others by pinyin.
    pub categories: Vec<Term>,
    pub regions: RegionTree,
    /// Newest year first.
    pub years: Vec<Term>,
    /// Every month that has articles, newest first: each year's list cut by month.
    pub months: Vec<Month>,
    /// (old location relative to the site root, article id).
    pub aliases: Vec<(String, u32)>,
    /// Non-Markdown files under content/: (path relative to content/, absolute path).
    pub assets: Vec<(PathBuf, PathBuf)>,
    pub has_code: bool,
    /// Which [`Site::build`] this site comes from. Sites of one layout differ at most in
    /// their articles' sources ([`Site::patched`] keeps every URL, list and index), their
    /// related lists and `has_code`; renderers may match their articles by id.
    pub layout: u64,
    /// Every loaded article, selected or not, in load order: what the next
    /// [`Site::patched`] compares with.
    pub sources: Vec<Arc<SourceArticle>>,
}

/// Which articles a build includes.
#[derive(Debug, Clone)]
pub struct Selection {
    pub drafts: bool,
    pub future: bool,
    pub now: jiff::Timestamp,
}

impl Selection {
    /// Whether the build includes this article.
    pub fn includes(&self, a: &SourceArticle) -> bool {
        (self.drafts || !a.meta.draft) && (self.future || a.meta.date.timestamp() <= self.now)
    }
}

/// Gives every [`Site::build`] a layout of its own.
static LAYOUTS: AtomicU64 = AtomicU64::new(1);

impl Site {
    pub fn build(config: Config, content: LoadedContent, selection: &Selection) -> Result<Site, Vec<Diagnostic>> {
        let mut sources: Vec<Arc<SourceArticle>> = content.articles.iter().filter(|a| selection.includes(a)).cloned().collect();
        // Each article's age is its place in chronological order (larger is older): what
        // decides who keeps a plain slug or a spelling, whatever the weights.
        sources.sort_by(|a, b| order::chronological(a, b));
        let mut ranked: Vec<(usize, Arc<SourceArticle>)> = sources.into_iter().enumerate().collect();
        // Days are already together, newest first: only weights move articles, so this sort
        // of an almost sorted list is cheap.
        ranked.sort_by(|(_, a), (_, b)| order::listing(a, b));
        let (ages, sources): (Vec<usize>, Vec<Arc<SourceArticle>>) = ranked.into_iter().unzip();
        let urls = Urls::new(&config.base_url);
        // Four independent passes over the sources, side by side on the cores
        // (`serve --watch` runs this stage on every edit).
        let (((categories, category_ids), category_errors), ((slugs, slug_errors), ((tags, tag_ids), (regions, region_ids)))) = rayon::join(
            || {
                let mut errors = Vec::new();
                (build_categories(&config, &sources, &ages, &urls, &mut errors), errors)
            },
            || {
                rayon::join(
                    || {
                        let mut errors = Vec::new();
                        (article_slugs(&sources, &ages, &mut errors), errors)
                    },
                    || {
                        rayon::join(
                            || build_tags(&sources, &ages, &urls),
                            || {
                                let region_lists: Vec<&[Vec<String>]> = sources.iter().map(|a| a.meta.regions.as_slice()).collect();
                                RegionTree::build(&region_lists, &ages, &urls)
                            },
                        )
                    },
                )
            },
        );
        let mut errors = category_errors;
        errors.extend(slug_errors);
        let articles: Vec<Arc<Article>> = sources
            .into_par_iter()
            .zip(slugs)
            .zip(region_ids)
            .zip(tag_ids)
            .zip(category_ids)
            .map(|((((src, slug), region_ids), tags), category)| {
                let (year, month) = (src.meta.date.year(), src.meta.date.month());
                let rel = rel::article(year, month, &slug);
                Arc::new(Article {
                    url: urls.url(&rel),
                    rel,
                    slug,
                    year,
                    month,
                    tags,
                    category,
                    regions: region_ids,
                    related: Vec::new(),
                    src,
                })
            })
            .collect();
        let years = build_years(&articles, &urls);
        let months = build_months(&articles, &urls);
        let aliases = collect_aliases(&articles, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        let has_code = articles.iter().any(|a| a.src.body.has_code);
        let layout = LAYOUTS.fetch_add(1, Ordering::Relaxed);
        Ok(Site { config, urls, articles, tags, categories, regions, years, months, aliases, assets: content.assets, has_code, layout, sources: content.articles })
    }

    /// This site with the sources of edited articles put in, when no edit changes
    /// anything [`Site::build`] derives from the set of articles (see [`same_place`]): the
    /// same files are selected, and each edited one keeps its URL, sort position, tags,
    /// category, regions and aliases. Then the result equals what `Site::build` would
    /// make (same layout, related lists kept by id); otherwise `content` is handed back.
    /// Costs a copy of the site, not the pinyin, slugs and indexes of a full build.
    pub fn patched(&self, content: LoadedContent, selection: &Selection) -> Result<Site, LoadedContent> {
        if content.assets != self.assets || content.articles.len() != self.sources.len() {
            return Err(content);
        }
        // Both lists are in load order (by path); unchanged articles are the very same
        // loaded article, shared with the load cache.
        let mut edited: Vec<(usize, &Arc<SourceArticle>)> = Vec::new();
        for (old, new) in self.sources.iter().zip(&content.articles) {
            if Arc::ptr_eq(old, new) {
                continue;
            }
            if old.path.as_os_str() != new.path.as_os_str() {
                return Err(content); // a file added, another removed
            }
            match (selection.includes(old), selection.includes(new)) {
                (false, false) => {} // a draft (or a future article) stays out
                (true, true) if same_place(old, new) => {
                    match self.articles.iter().position(|a| Arc::ptr_eq(&a.src, old)) {
                        Some(id) => edited.push((id, new)),
                        None => return Err(content), // it came due since the last build
                    }
                }
                _ => return Err(content),
            }
        }
        // Also catches unchanged articles whose date came due since the last build.
        if content.articles.iter().filter(|a| selection.includes(a)).count() != self.articles.len() {
            return Err(content);
        }
        let mut site = self.clone();
        for (id, src) in edited {
            let article = Article { src: Arc::clone(src), ..Article::clone(&site.articles[id]) };
            site.articles[id] = Arc::new(article);
        }
        site.has_code = site.articles.iter().any(|a| a.src.body.has_code);
        site.sources = content.articles;
        Ok(site)
    }
}

/// Whether `new` (the same file as `old`, edited) reads the same in everything
/// [`Site::build`] uses besides the text itself: selection, sort order, slug, URL, tags,
/// category, regions and aliases. Keep in step with `Site::build`.
fn same_place(old: &SourceArticle, new: &SourceArticle) -> bool {
    let (o, n) = (&old.meta, &new.meta);
    old.path == new.path
        && o.draft == n.draft
        && o.date.timestamp() == n.date.timestamp()
        && o.weight == n.weight
        && (o.date.year(), o.date.month()) == (n.date.year(), n.date.month())
        && old.sort_key == new.sort_key
        && old.title_slug == new.title_slug
        && o.slug == n.slug
        && o.tags == n.tags
        && o.category == n.category
        && o.regions == n.regions
        && o.aliases == n.aliases
}

/// Categories in site.toml order. With categories configured, an article naming another
/// one is an error (a typo must not create a new section); without any, slugs are pinyin.
/// Names are matched by their [key](names::key): `AI政策` in an article is `AI 政策` of
/// site.toml. Returns the terms and each article's category.
fn build_categories(config: &Config, sources: &[Arc<SourceArticle>], ages: &[usize], urls: &Urls, errors: &mut Vec<Diagnostic>) -> (Vec<Term>, Vec<u32>) {
    let (mut terms, keys): (Vec<Term>, Vec<String>) = if config.categories.is_empty() {
        let found = merged_names(sources.iter().map(|a| std::iter::once(a.meta.category.as_str())), ages);
        let keys = found.iter().map(|n| n.key.clone()).collect();
        (unique_terms(&found, rel::category, urls), keys)
    } else {
        let terms = config.categories.iter().map(|(name, slug)| term(name, slug, rel::category(slug), urls)).collect();
        (terms, config.categories.iter().map(|(name, _)| names::key(name)).collect())
    };
    let index: HashMap<&str, u32> = keys.iter().enumerate().map(|(i, k)| (k.as_str(), i as u32)).collect();
    let known: Vec<&str> = terms.iter().map(|t| t.name.as_str()).collect();
    let mut ids = Vec::with_capacity(sources.len());
    for a in sources {
        match index.get(names::key(&a.meta.category).as_str()) {
            Some(&id) => ids.push(id),
            None => {
                let hint = match suggest(&a.meta.category, &known) {
                    Some(k) => format!("did you mean `{k}`? Or add the category to [categories] in site.toml"),
                    None => format!("use one of: {}; or add it to [categories] in site.toml", known.join("、")),
                };
                errors.push(Diagnostic::new(&a.path, format!("unknown category `{}`", a.meta.category)).at_line(a.meta.line_of("category")).help(hint));
                ids.push(0);
            }
        }
    }
    let mut lists = vec![Vec::new(); terms.len()];
    for (i, &c) in ids.iter().enumerate() {
        if let Some(list) = lists.get_mut(c as usize) {
            list.push(i as u32);
        }
    }
    for (t, list) in terms.iter_mut().zip(lists) {
        t.articles = list;
    }
    (terms, ids)
}

/// Tags, one per [key](names::key) (`AI` and `ai` are one tag, shown in the spelling most
/// articles use). Returns the terms, by article count (most first) then pinyin, and each
/// article's tags as term ids.
fn build_tags(sources: &[Arc<SourceArticle>], ages: &[usize], urls: &Urls) -> (Vec<Term>, Vec<Vec<u32>>) {
    let found = merged_names(sources.iter().map(|a| a.meta.tags.iter().map(String::as_str)), ages);
    let mut terms = unique_terms(&found, rel::tag, urls);
    let sort_keys: Vec<String> = terms.iter().map(|t| pinyin_sort_key(&t.name)).collect();
    let mut order: Vec<usize> = (0..terms.len()).collect();
    order.sort_by(|&a, &b| found[b].articles.len().cmp(&found[a].articles.len()).then_with(|| sort_keys[a].cmp(&sort_keys[b])));
    let mut id_of = vec![0u32; order.len()];
    for (id, &i) in order.iter().enumerate() {
        id_of[i] = id as u32;
    }
    let index: HashMap<&str, u32> = found.iter().zip(&id_of).map(|(n, &id)| (n.key.as_str(), id)).collect();
    // Each article's tags in the order it gives them.
    let per_article = sources.iter().map(|a| a.meta.tags.iter().filter_map(|t| index.get(names::key(t).as_str()).copied()).collect()).collect();
    for (t, n) in terms.iter_mut().zip(found) {
        t.articles = n.articles;
    }
    let mut slots: Vec<Option<Term>> = terms.into_iter().map(Some).collect();
    let terms = order.iter().filter_map(|&i| slots[i].take()).collect();
    (terms, per_article)
}

/// One name of the site (a tag, or a category when site.toml names none) with every
/// spelling of it merged.
struct MergedName {
    /// The spelling shown ([`Spellings::shown`]).
    name: String,
    key: String,
    /// [Age](order::chronological) of the oldest article that uses it (larger is older).
    oldest: usize,
    /// Its articles, in site order.
    articles: Vec<u32>,
}

/// The distinct names of each article's list, merged by [key](names::key), sorted by the
/// spelling shown. `ages` gives each article's age (larger is older).
fn merged_names<'a, I, J>(lists: I, ages: &[usize]) -> Vec<MergedName>
where
    I: Iterator<Item = J>,
    J: Iterator<Item = &'a str>,
{
    let mut by_key: HashMap<String, (Spellings<'a>, Vec<u32>)> = HashMap::new();
    for (i, names) in lists.enumerate() {
        for n in names {
            let (spellings, articles) = by_key.entry(names::key(n)).or_default();
            spellings.add(n, ages.get(i).copied().unwrap_or(i));
            // An article names each key once (front matter drops repeats), but be sure.
            if articles.last() != Some(&(i as u32)) {
                articles.push(i as u32);
            }
        }
    }
    let mut merged: Vec<MergedName> = by_key
        .into_iter()
        .map(|(key, (spellings, articles))| MergedName {
            name: spellings.shown().to_string(),
            oldest: articles.iter().filter_map(|&i| ages.get(i as usize).copied()).max().unwrap_or(0),
            key,
            articles,
        })
        .collect();
    merged.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    merged
}

/// Terms with pinyin slugs; on a collision the name used earliest (oldest article) wins.
fn unique_terms(names: &[MergedName], make_rel: fn(&str) -> String, urls: &Urls) -> Vec<Term> {
    let requests: Vec<SlugRequest<(std::cmp::Reverse<usize>, &str)>> = names
        .iter()
        .map(|n| SlugRequest { scope: String::new(), wanted: pinyin_slug(&n.name), precedence: (std::cmp::Reverse(n.oldest), n.name.as_str()) })
        .collect();
    let slugs = assign_unique(&requests, |i| names.get(i).map(|n| slug_words(&n.name)).unwrap_or_default());
    names.iter().zip(slugs).map(|(n, slug)| term(&n.name, &slug, make_rel(&slug), urls)).collect()
}

fn term(name: &str, slug: &str, rel: String, urls: &Urls) -> Term {
    Term { name: name.to_string(), slug: slug.to_string(), url: urls.url(&rel), rel, articles: Vec::new() }
}

/// Slugs unique within each month's folder. An explicit slug used twice is an error;
/// a pinyin slug another article has already is read further, or numbered
/// ([`assign_unique`]; the older article keeps the plain one).
fn article_slugs(sources: &[Arc<SourceArticle>], ages: &[usize], errors: &mut Vec<Diagnostic>) -> Vec<String> {
    let mut explicit: HashMap<String, &Arc<SourceArticle>> = HashMap::new();
    for a in sources {
        if let Some(slug) = &a.meta.slug {
            let key = rel::article(a.meta.date.year(), a.meta.date.month(), slug);
            if let Some(first) = explicit.insert(key.clone(), a) {
                errors.push(
                    Diagnostic::new(&a.path, format!("the URL /{key} is also the URL of {}", first.path.display()))
                        .at_line(a.meta.line_of("slug"))
                        .help("give one of the two articles another `slug`"),
                );
            }
        }
    }
    let requests: Vec<SlugRequest<(bool, std::cmp::Reverse<usize>)>> = sources
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let wanted = a.meta.slug.clone().unwrap_or_else(|| a.title_slug.clone());
            // Only articles of the same month folder compete.
            let scope = format!("{}/{:02}/", a.meta.date.year(), a.meta.date.month());
            // Written slugs first, then the oldest article (never the weight: reordering a
            // day must not move URLs).
            let age = ages.get(i).copied().unwrap_or(i);
            SlugRequest { scope, wanted, precedence: (a.meta.slug.is_none(), std::cmp::Reverse(age)) }
        })
        .collect();
    // A slug written in front matter is used as written, never lengthened.
    assign_unique(&requests, |i| sources.get(i).filter(|a| a.meta.slug.is_none()).map(|a| slug_words(&a.meta.title)).unwrap_or_default())
}

fn build_years(articles: &[Arc<Article>], urls: &Urls) -> Vec<Term> {
    let mut years: Vec<Term> = Vec::new();
    for (i, a) in articles.iter().enumerate() {
        if years.last().is_none_or(|t| t.name != a.year.to_string()) {
            let name = a.year.to_string();
            years.push(term(&name, &name, rel::year(a.year), urls));
        }
        if let Some(t) = years.last_mut() {
            t.articles.push(i as u32);
        }
    }
    years
}

/// Months with articles, newest first, in one pass: the site order is newest day first,
/// so each month's articles follow one another (as each year's do).
fn build_months(articles: &[Arc<Article>], urls: &Urls) -> Vec<Month> {
    let mut months: Vec<Month> = Vec::new();
    let mut year_id: Option<u32> = None;
    for (i, a) in articles.iter().enumerate() {
        let same = months.last().is_some_and(|m| (m.year, m.month) == (a.year, a.month));
        if !same {
            let next_year = match (months.last(), year_id) {
                (Some(m), Some(y)) if m.year == a.year => y,
                (_, Some(y)) => y + 1,
                (_, None) => 0,
            };
            year_id = Some(next_year);
            let name = format!("{}年{}月", a.year, a.month);
            let term = term(&name, &format!("{:02}", a.month), rel::month(a.year, a.month), urls);
            months.push(Month { year: a.year, month: a.month, year_id: next_year, term });
        }
        if let Some(m) = months.last_mut() {
            m.term.articles.push(i as u32);
        }
    }
    months
}

/// Alias locations, checked against each other and against article URLs.
fn collect_aliases(articles: &[Arc<Article>], errors: &mut Vec<Diagnostic>) -> Vec<(String, u32)> {
    let pages: HashMap<&str, u32> = articles.iter().enumerate().map(|(i, a)| (a.rel.as_str(), i as u32)).collect();
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut out = Vec::new();
    for (i, a) in articles.iter().enumerate() {
        for alias in &a.src.meta.aliases {
            let loc = alias.trim_start_matches('/').to_string();
            let clash = pages.get(loc.as_str()).or_else(|| seen.get(&loc)).copied();
            if let Some(other) = clash.filter(|&o| o != i as u32) {
                errors.push(
                    Diagnostic::new(&a.src.path, format!("alias `{alias}` is already the URL of {}", articles[other as usize].src.path.display()))
                        .at_line(a.src.meta.line_of("aliases"))
                        .help("remove the alias or change it"),
                );
                continue;
            }
            if seen.insert(loc.clone(), i as u32).is_none() {
                out.push((loc, i as u32));
            }
        }
    }
    out
}

impl Site {
    /// Fills every article's related list (SPEC section 5). Separate from [`Site::build`]
    /// so that callers can time it; renderers expect it to have run.
    pub fn link_related(&mut self) {
        let lists = self.related_lists();
        self.set_related(lists);
    }

    /// Every article's related list, by article id (what [`Site::link_related`] fills in).
    pub fn related_lists(&self) -> Vec<Vec<u32>> {
        if self.config.related.count == 0 || self.articles.len() < 2 {
            return vec![Vec::new(); self.articles.len()];
        }
        let docs: Vec<RelatedDoc> = self
            .articles
            .iter()
            .map(|a| RelatedDoc {
                tags: &a.tags,
                regions: &a.regions,
                category: a.category,
                timestamp: a.src.meta.date.timestamp().as_second(),
                terms: &a.src.terms,
                key: &a.url,
            })
            .collect();
        compute_related(&docs, &self.config.related)
    }

    /// Puts in related lists made elsewhere (one per article, by id).
    pub fn set_related(&mut self, lists: Vec<Vec<u32>>) {
        for (a, list) in self.articles.iter_mut().zip(lists) {
            // Articles shared with another site are copied only when their list changes.
            if a.related != list {
                Arc::make_mut(a).related = list;
            }
        }
    }
}
