//! Related articles: for every article, the few others most related to it by shared tags, region, category, text and date, found through inverted indexes (never all pairs).
//!
//! How it works:
//! 1. Per article: its text terms (a `text::term_bag`, counted when it was loaded)
//!    weighted by TF-IDF into a short signature of its most characteristic terms; its
//!    tags and regions.
//! 2. Articles are renumbered in date order, and inverted indexes (postings) map each
//!    tag, region node, category and signature term to the articles carrying it. A long
//!    posting list is not read whole: only the `WINDOW` articles nearest in date are
//!    candidates, which bounds the work per article however large the site grows. Date
//!    order also keeps the memory each article touches close together.
//! 3. Per article, in parallel: candidates collect partial scores from the postings; the
//!    best of them are scored exactly and ranked. Ties go to the newer article, then to
//!    the smaller key, so the output depends neither on thread count nor on input order.

use rayon::prelude::*;

use crate::text::term_bag::{TermBag, TermTable};

/// The `[related]` table of site.toml.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RelatedConfig {
    /// How many related articles each article lists (0 turns the feature off).
    pub count: usize,
    /// Weight of shared tags: the share of this article's tag weight that the other
    /// article also carries (rarer tags weigh more, by inverse document frequency).
    pub tags: f64,
    /// Weight of sharing a county or district (third level of a region path, or deeper).
    pub region_county: f64,
    /// Weight of sharing a city but no county (second level of a region path).
    pub region_city: f64,
    /// Weight of sharing only a province (first level of a region path).
    pub region_province: f64,
    /// Weight of being in the same category.
    pub category: f64,
    /// Weight of text similarity: cosine of the two articles' TF-IDF bigram signatures.
    pub text: f64,
    /// Weight of closeness in date, `exp(-days apart / date_scale_days)`.
    pub date: f64,
    /// Days over which the date preference fades to about a third (e⁻¹).
    pub date_scale_days: f64,
}

impl Default for RelatedConfig {
    fn default() -> Self {
        RelatedConfig {
            count: 5,
            tags: 1.0,
            region_county: 0.6,
            region_city: 0.4,
            region_province: 0.15,
            category: 0.2,
            text: 0.5,
            date: 0.1,
            date_scale_days: 365.0,
        }
    }
}

/// One article as the related-articles search sees it.
pub struct RelatedDoc<'a> {
    /// Tag ids, dense 0..n_tags.
    pub tags: &'a [u32],
    /// Each region as node ids from the province down; ids unique across the whole tree.
    pub regions: &'a [Vec<u32>],
    pub category: u32,
    /// Unix seconds of the article date.
    pub timestamp: i64,
    /// The terms of its title and text, counted when it was loaded.
    pub terms: &'a TermBag,
    /// Stable tie-breaker (the article URL).
    pub key: &'a str,
}

/// For each article, indexes into `docs` of its most related articles in rank order:
/// at most `cfg.count`, never itself. Deterministic for any thread count.
pub fn compute_related(docs: &[RelatedDoc], cfg: &RelatedConfig) -> Vec<Vec<u32>> {
    if cfg.count == 0 || docs.len() < 2 {
        return vec![Vec::new(); docs.len()];
    }
    let weights = Weights::from_config(cfg);
    let corpus = Corpus::build(docs);
    let shortlist = cfg.count.saturating_mul(4).max(MIN_SHORTLIST);
    let by_rank: Vec<Vec<u32>> = (0..corpus.len())
        .into_par_iter()
        .map_init(
            Scratch::default,
            |scratch, r| related_for(r as u32, &corpus, &weights, cfg.count, shortlist, scratch),
        )
        .collect();
    corpus.to_input_order(by_rank)
}

// ---------------------------------------------------------------------------
// Tuning constants, chosen by measurement on the generated 10k/100k corpora: they trade
// recall of weak candidates for bounded work per article.
// ---------------------------------------------------------------------------

/// Candidates taken from one posting list: the articles nearest in date.
const WINDOW: usize = 48;
/// Terms kept in an article's text signature.
const SIGNATURE_TERMS: usize = 24;
/// Signature terms whose postings are walked to find candidates.
const QUERY_TERMS: usize = 10;
/// Terms in more than this share of articles say nothing about any one of them.
const MAX_TERM_DF_SHARE: f64 = 0.5;
/// Fewest candidates scored exactly, whatever `count` is.
const MIN_SHORTLIST: usize = 24;

/// Config weights made safe to compute with (NaN or infinite becomes 0).
struct Weights {
    tags: f64,
    /// Indexed by the number of region levels shared: none, province, city, county.
    region_by_depth: [f64; 4],
    category: f64,
    text: f64,
    date: f64,
    date_scale_secs: f64,
}

impl Weights {
    fn from_config(cfg: &RelatedConfig) -> Self {
        Weights {
            tags: finite_or_zero(cfg.tags),
            region_by_depth: [
                0.0,
                finite_or_zero(cfg.region_province),
                finite_or_zero(cfg.region_city),
                finite_or_zero(cfg.region_county),
            ],
            category: finite_or_zero(cfg.category),
            text: finite_or_zero(cfg.text),
            date: finite_or_zero(cfg.date),
            date_scale_secs: finite_or_zero(cfg.date_scale_days) * 86_400.0,
        }
    }

    fn region(&self, shared_depth: u8) -> f64 {
        let level = usize::from(shared_depth).min(self.region_by_depth.len() - 1);
        self.region_by_depth.get(level).copied().unwrap_or(0.0)
    }

    fn category(&self, same: bool) -> f64 {
        if same {
            self.category
        } else {
            0.0
        }
    }

    fn date_closeness(&self, a: i64, b: i64) -> f64 {
        if self.date == 0.0 || self.date_scale_secs <= 0.0 {
            return 0.0;
        }
        let apart = a.abs_diff(b) as f64;
        (-apart / self.date_scale_secs).exp()
    }
}

fn finite_or_zero(x: f64) -> f64 {
    if x.is_finite() {
        x
    } else {
        0.0
    }
}

// ---------------------------------------------------------------------------
// The corpus in date order, with its inverted indexes. Built once, read-only after.
// Every per-article vector below is indexed by rank, not by input index.
// ---------------------------------------------------------------------------

struct Corpus {
    /// rank → index in the caller's `docs`. Ranks follow (date, key, index).
    order: Vec<u32>,
    timestamp: Vec<i64>,
    category: Vec<u32>,
    /// Each article's region paths, flattened: per path its length, then its nodes
    /// (one allocation for all, in rank order, rather than a vector per path).
    regions: Lists<u32>,
    /// Each article's tags as dense tag numbers (slots of `tag_postings`), sorted.
    tags: Lists<u32>,
    /// Inverse document frequency per tag slot.
    tag_idf: Vec<f64>,
    /// Sum of the idf of each article's tags.
    tag_mass: Vec<f64>,
    /// L2-normalised TF-IDF weights of each article's strongest terms, sorted by term.
    signatures: Lists<(u32, f32)>,
    tag_postings: Postings,
    region_postings: Postings,
    category_postings: Postings,
    term_postings: Postings,
}

impl Corpus {
    fn build(docs: &[RelatedDoc]) -> Self {
        let order = date_order(docs);
        let in_order = || order.iter().filter_map(|&d| docs.get(d as usize));
        let tag_postings = Postings::build(in_order().enumerate().flat_map(|(r, doc)| {
            doc.tags.iter().map(move |&t| (t, r as u32, 1.0))
        }));
        let tags = Lists::from_iter(in_order().map(|doc| tag_slots(doc.tags, &tag_postings)));
        let tag_idf: Vec<f64> = (0..tag_postings.keys.len())
            .map(|slot| idf(tag_postings.len_of_slot(slot), docs.len()))
            .collect();
        let tag_mass = (0..tags.len())
            .map(|r| tags.get(r).iter().map(|&t| idf_of(&tag_idf, t)).sum())
            .collect();
        let region_postings = Postings::build(in_order().enumerate().flat_map(|(r, doc)| {
            region_nodes(doc).into_iter().map(move |n| (n, r as u32, 1.0))
        }));
        let category_postings = Postings::build(
            in_order().enumerate().map(|(r, doc)| (doc.category, r as u32, 1.0)),
        );
        let bags: Vec<&TermBag> = in_order().map(|doc| doc.terms).collect();
        let signatures = text_signatures(&bags);
        let term_postings = Postings::build((0..signatures.len()).flat_map(|r| {
            signatures.get(r).iter().map(move |&(t, w)| (t, r as u32, w))
        }));
        Corpus {
            timestamp: in_order().map(|doc| doc.timestamp).collect(),
            category: in_order().map(|doc| doc.category).collect(),
            regions: Lists::from_iter(in_order().map(|doc| flatten_paths(doc.regions))),
            order,
            tags,
            tag_idf,
            tag_mass,
            signatures,
            tag_postings,
            region_postings,
            category_postings,
            term_postings,
        }
    }

    fn len(&self) -> usize {
        self.order.len()
    }

    fn doc_index(&self, rank: u32) -> Option<u32> {
        self.order.get(rank as usize).copied()
    }

    /// Turns per-rank lists of ranks into per-input lists of input indexes.
    fn to_input_order(&self, by_rank: Vec<Vec<u32>>) -> Vec<Vec<u32>> {
        let mut out = vec![Vec::new(); self.len()];
        for (r, list) in by_rank.into_iter().enumerate() {
            let Some(d) = self.doc_index(r as u32) else {
                continue;
            };
            if let Some(slot) = out.get_mut(d as usize) {
                *slot = list.into_iter().filter_map(|c| self.doc_index(c)).collect();
            }
        }
        out
    }
}

/// Input indexes sorted by (date, key, index).
fn date_order(docs: &[RelatedDoc]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..docs.len() as u32).collect();
    order.par_sort_unstable_by(|&a, &b| {
        let (da, db) = (docs.get(a as usize), docs.get(b as usize));
        da.map(|x| x.timestamp)
            .cmp(&db.map(|x| x.timestamp))
            .then_with(|| da.map(|x| x.key).cmp(&db.map(|x| x.key)))
            .then(a.cmp(&b))
    });
    order
}

/// The article's tags as sorted, distinct slots of the tag index.
fn tag_slots(tags: &[u32], tag_postings: &Postings) -> Vec<u32> {
    let mut slots: Vec<u32> = tags
        .iter()
        .filter_map(|&t| tag_postings.slot_of(t).map(|s| s as u32))
        .collect();
    slots.sort_unstable();
    slots.dedup();
    slots
}

/// Region paths as one list: each path's length, then its nodes.
fn flatten_paths(paths: &[Vec<u32>]) -> Vec<u32> {
    let mut flat = Vec::with_capacity(paths.iter().map(|p| p.len() + 1).sum());
    for path in paths {
        flat.push(u32::try_from(path.len()).unwrap_or(u32::MAX));
        flat.extend_from_slice(path);
    }
    flat
}

/// The paths of a list made by [`flatten_paths`].
#[derive(Clone, Copy)]
struct RegionPaths<'a>(&'a [u32]);

impl<'a> Iterator for RegionPaths<'a> {
    type Item = &'a [u32];

    fn next(&mut self) -> Option<&'a [u32]> {
        let (&len, rest) = self.0.split_first()?;
        let len = (len as usize).min(rest.len());
        let (path, after) = rest.split_at(len);
        self.0 = after;
        Some(path)
    }
}

/// Every node on any of the article's region paths, once each.
fn region_nodes(doc: &RelatedDoc) -> Vec<u32> {
    let mut nodes: Vec<u32> = doc.regions.iter().flatten().copied().collect();
    nodes.sort_unstable();
    nodes.dedup();
    nodes
}

/// BM25's idf: always positive, large for rare keys.
fn idf(df: usize, n: usize) -> f64 {
    let (df, n) = (df as f64, n as f64);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

fn idf_of(tag_idf: &[f64], slot: u32) -> f64 {
    tag_idf.get(slot as usize).copied().unwrap_or(0.0)
}

/// Many short lists in one allocation: list `i` is `items[starts[i]..starts[i + 1]]`.
struct Lists<T> {
    starts: Vec<usize>,
    items: Vec<T>,
}

impl<T> Lists<T> {
    fn from_iter(lists: impl Iterator<Item = Vec<T>>) -> Self {
        let mut out = Lists {
            starts: vec![0],
            items: Vec::new(),
        };
        for list in lists {
            out.items.extend(list);
            out.starts.push(out.items.len());
        }
        out
    }

    fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    fn get(&self, i: usize) -> &[T] {
        let start = self.starts.get(i).copied().unwrap_or(0);
        let end = self.starts.get(i + 1).copied().unwrap_or(start);
        self.items.get(start..end).unwrap_or(&[])
    }
}

/// Inverted index: sorted keys, and for each key the ranks of the articles carrying it
/// (ascending, hence in date order) with a weight.
struct Postings {
    keys: Vec<u32>,
    starts: Vec<usize>,
    ranks: Vec<u32>,
    weights: Vec<f32>,
}

impl Postings {
    fn build(entries: impl Iterator<Item = (u32, u32, f32)>) -> Self {
        let mut all: Vec<(u32, u32, f32)> = entries.collect();
        all.par_sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        // A key listed twice on one article (a repeated tag) counts once.
        all.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        let mut p = Postings {
            keys: Vec::new(),
            starts: Vec::new(),
            ranks: Vec::with_capacity(all.len()),
            weights: Vec::with_capacity(all.len()),
        };
        for (key, rank, weight) in all {
            if p.keys.last() != Some(&key) {
                p.keys.push(key);
                p.starts.push(p.ranks.len());
            }
            p.ranks.push(rank);
            p.weights.push(weight);
        }
        p.starts.push(p.ranks.len());
        p
    }

    fn slot_of(&self, key: u32) -> Option<usize> {
        self.keys.binary_search(&key).ok()
    }

    fn range_of_slot(&self, slot: usize) -> (usize, usize) {
        let start = self.starts.get(slot).copied().unwrap_or(0);
        let end = self.starts.get(slot + 1).copied().unwrap_or(start);
        (start, end)
    }

    fn len_of_slot(&self, slot: usize) -> usize {
        let (start, end) = self.range_of_slot(slot);
        end - start
    }

    /// The (rank, weight) pairs of `key` nearest in date to rank `around`: all of them
    /// when there are at most `WINDOW`. Long lists are thus capped, not skipped.
    fn window(&self, key: u32, around: u32) -> (&[u32], &[f32]) {
        let Some(slot) = self.slot_of(key) else {
            return (&[], &[]);
        };
        let (start, end) = self.range_of_slot(slot);
        let len = end - start;
        let (from, to) = if len <= WINDOW {
            (start, end)
        } else {
            let ranks = self.ranks.get(start..end).unwrap_or(&[]);
            let here = ranks.partition_point(|&r| r < around);
            let from = here.saturating_sub(WINDOW / 2).min(len - WINDOW);
            (start + from, start + from + WINDOW)
        };
        match (self.ranks.get(from..to), self.weights.get(from..to)) {
            (Some(r), Some(w)) => (r, w),
            _ => (&[], &[]),
        }
    }
}

// ---------------------------------------------------------------------------
// Text signatures, from each article's term bag (`text::term_bag`, counted when it was
// loaded): first in how many articles each term appears, then each article's strongest
// terms. The tables here grow with the vocabulary (tens of thousands of terms), not
// with the site.
// ---------------------------------------------------------------------------

/// Text signatures for all articles: each article's strongest TF-IDF terms.
fn text_signatures(bags: &[&TermBag]) -> Lists<(u32, f32)> {
    let vocabulary = Vocabulary::new(&document_frequencies(bags), bags.len());
    // Counts are u8, so the sublinear tf weight 1 + ln(tf) is one table lookup.
    let tf_weight: Vec<f64> = (0..=255u8).map(|tf| 1.0 + f64::from(tf.max(1)).ln()).collect();
    let signatures: Vec<Vec<(u32, f32)>> = bags
        .par_iter()
        .map(|bag| signature(bag, &vocabulary, &tf_weight))
        .collect();
    Lists::from_iter(signatures.into_iter())
}

/// Number of articles containing each term (a bag holds each of its terms once).
fn document_frequencies(bags: &[&TermBag]) -> TermTable<u32> {
    bags.par_iter()
        // Each table grows to the vocabulary: fewer, larger shares of the articles.
        .with_min_len(1024)
        .fold(
            || TermTable::with_capacity(0),
            |mut df: TermTable<u32>, bag| {
                for (t, _) in bag.iter() {
                    if let Some(docs) = df.entry(t) {
                        *docs += 1;
                    }
                }
                df
            },
        )
        .reduce(
            || TermTable::with_capacity(0),
            |a, b| {
                // Sums, so the merge order does not matter; the larger table absorbs the smaller.
                let (mut into, from) = if a.len() >= b.len() { (a, b) } else { (b, a) };
                for (t, docs) in from.iter() {
                    if let Some(total) = into.entry(t) {
                        *total += docs;
                    }
                }
                into
            },
        )
}

/// The terms able to relate articles, with their idf: a term no other article has
/// relates nothing, and one in most articles says nothing about any of them. Other
/// terms cannot be in a signature.
struct Vocabulary {
    idf: TermTable<f32>,
}

impl Vocabulary {
    fn new(df: &TermTable<u32>, n: usize) -> Self {
        // Never below 2, or a tiny site could not relate its articles by text at all.
        let max_df = ((n as f64 * MAX_TERM_DF_SHARE) as u32).max(2);
        let kept = || df.iter().filter(|&(_, docs)| (2..=max_df).contains(&docs));
        let mut idf_of = TermTable::with_capacity(kept().count());
        for (t, docs) in kept() {
            if let Some(v) = idf_of.entry(t) {
                *v = idf(docs as usize, n) as f32;
            }
        }
        Vocabulary { idf: idf_of }
    }
}

/// An article's `SIGNATURE_TERMS` strongest vocabulary terms by TF-IDF, L2-normalised,
/// sorted by term. The bag's order does not matter: the strongest are chosen by
/// (weight, term), a total order over distinct terms.
fn signature(bag: &TermBag, vocabulary: &Vocabulary, tf_weight: &[f64]) -> Vec<(u32, f32)> {
    let mut weighted: Vec<(u32, f64)> = bag
        .iter()
        .filter_map(|(t, count)| {
            let idf = vocabulary.idf.get(t)?;
            let tf = tf_weight.get(usize::from(count)).copied().unwrap_or(1.0);
            Some((t, tf * f64::from(idf)))
        })
        .collect();
    let stronger = |a: &(u32, f64), b: &(u32, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if weighted.len() > SIGNATURE_TERMS {
        weighted.select_nth_unstable_by(SIGNATURE_TERMS - 1, stronger);
        weighted.truncate(SIGNATURE_TERMS);
    }
    weighted.sort_unstable_by_key(|&(t, _)| t);
    let norm = weighted.iter().map(|&(_, w)| w * w).sum::<f64>().sqrt();
    if norm <= 0.0 {
        return Vec::new();
    }
    weighted
        .into_iter()
        .map(|(t, w)| (t, (w / norm) as f32))
        .collect()
}

// ---------------------------------------------------------------------------
// Per-article search.
// ---------------------------------------------------------------------------

/// What the postings walk learned about one candidate.
#[derive(Clone, Copy, Default)]
struct Partial {
    tag_share: f32,
    text_dot: f32,
    region_depth: u8,
}

/// Per-thread accumulator from candidate rank to its `Partial`, reused from one article
/// to the next: a small open-addressing table (linear probing) rather than an array over
/// all articles, which would outgrow the CPU caches on large sites and make each
/// article's work grow with the site. Only the used slots are cleared between articles.
#[derive(Default)]
struct Scratch {
    ranks: Vec<u32>,
    partials: Vec<Partial>,
    /// Slots in the order their candidates were first seen.
    used: Vec<usize>,
}

/// Marks a free slot of the `Scratch` table (no article has this rank: ranks are u32
/// indexes below the article count).
const NO_RANK: u32 = u32::MAX;

impl Scratch {
    /// The candidate's record, created empty on first sight.
    fn at(&mut self, rank: u32) -> Option<&mut Partial> {
        if (self.used.len() + 1) * 2 > self.ranks.len() {
            self.grow();
        }
        let mask = self.ranks.len() - 1;
        let mut slot = (rank.wrapping_mul(0x9E37_79B1) as usize) & mask;
        loop {
            match self.ranks.get_mut(slot)? {
                r if *r == rank => break,
                r if *r == NO_RANK => {
                    *r = rank;
                    self.used.push(slot);
                    break;
                }
                _ => slot = (slot + 1) & mask,
            }
        }
        self.partials.get_mut(slot)
    }

    /// Doubles the table (at least 1024 slots), keeping the entries and their order.
    fn grow(&mut self) {
        let old: Vec<(u32, Partial)> = self.drain();
        let size = (self.ranks.len() * 2).max(1024);
        self.ranks = vec![NO_RANK; size];
        self.partials = vec![Partial::default(); size];
        for (rank, p) in old {
            if let Some(slot) = self.at(rank) {
                *slot = p;
            }
        }
    }

    /// The candidates in first-seen order, leaving the table empty.
    fn drain(&mut self) -> Vec<(u32, Partial)> {
        let mut out = Vec::with_capacity(self.used.len());
        for &slot in &self.used {
            if let (Some(r), Some(p)) = (self.ranks.get_mut(slot), self.partials.get_mut(slot)) {
                out.push((*r, *p));
                *r = NO_RANK;
                *p = Partial::default();
            }
        }
        self.used.clear();
        out
    }
}

/// A candidate (by rank) and its score.
struct Scored {
    rank: u32,
    score: f64,
}

/// The related articles of the article of rank `r`, as ranks, best first.
fn related_for(
    r: u32,
    corpus: &Corpus,
    w: &Weights,
    count: usize,
    shortlist: usize,
    scratch: &mut Scratch,
) -> Vec<u32> {
    gather_candidates(r, corpus, scratch);
    let mut best: Vec<Scored> = scratch
        .drain()
        .into_iter()
        .filter(|&(c, _)| c != r)
        .map(|(c, p)| Scored {
            rank: c,
            score: partial_score(r, c, &p, corpus, w),
        })
        .collect();
    keep_best(&mut best, shortlist, corpus);
    for s in &mut best {
        s.score = exact_score(r, s.rank, corpus, w);
    }
    keep_best(&mut best, count, corpus);
    best.into_iter().map(|s| s.rank).collect()
}

/// Walks the windows of the article's tags, region nodes, category and strongest
/// signature terms, noting each candidate's partial tag and text scores and the
/// deepest region level it shares.
fn gather_candidates(r: u32, corpus: &Corpus, s: &mut Scratch) {
    let i = r as usize;
    let mass = corpus.tag_mass.get(i).copied().unwrap_or(0.0);
    for &slot in corpus.tags.get(i) {
        let share = if mass > 0.0 { idf_of(&corpus.tag_idf, slot) / mass } else { 0.0 };
        let key = corpus.tag_postings.keys.get(slot as usize).copied().unwrap_or(0);
        for &c in corpus.tag_postings.window(key, r).0 {
            if let Some(p) = s.at(c) {
                p.tag_share += share as f32;
            }
        }
    }
    for path in RegionPaths(corpus.regions.get(i)) {
        for (level, &node) in path.iter().enumerate() {
            let depth = (level + 1).min(usize::from(u8::MAX)) as u8;
            for &c in corpus.region_postings.window(node, r).0 {
                if let Some(p) = s.at(c) {
                    p.region_depth = p.region_depth.max(depth);
                }
            }
        }
    }
    if let Some(&category) = corpus.category.get(i) {
        for &c in corpus.category_postings.window(category, r).0 {
            s.at(c);
        }
    }
    for (term, wq) in query_terms(corpus.signatures.get(i)) {
        let (cands, weights) = corpus.term_postings.window(term, r);
        for (&c, &wc) in cands.iter().zip(weights) {
            if let Some(p) = s.at(c) {
                p.text_dot += wq * wc;
            }
        }
    }
}

/// The signature's strongest terms, best first: they find the textually close candidates.
fn query_terms(signature: &[(u32, f32)]) -> Vec<(u32, f32)> {
    let mut q = signature.to_vec();
    q.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    q.truncate(QUERY_TERMS);
    q
}

/// The score from what the postings walk saw. Tags and text may be incomplete when a
/// shared key's window did not reach the candidate; the exact score fixes that, and adds
/// the date preference, left out here because it is the costliest part.
fn partial_score(r: u32, c: u32, p: &Partial, corpus: &Corpus, w: &Weights) -> f64 {
    let same_category = corpus.category.get(r as usize) == corpus.category.get(c as usize);
    w.tags * f64::from(p.tag_share)
        + w.region(p.region_depth)
        + w.category(same_category)
        + w.text * f64::from(p.text_dot)
}

fn exact_score(r: u32, c: u32, corpus: &Corpus, w: &Weights) -> f64 {
    let (i, j) = (r as usize, c as usize);
    let mass = corpus.tag_mass.get(i).copied().unwrap_or(0.0);
    let tag_share = if mass > 0.0 {
        shared_tag_idf(corpus.tags.get(i), corpus.tags.get(j), &corpus.tag_idf) / mass
    } else {
        0.0
    };
    let region_depth = shared_region_depth(corpus.regions.get(i), corpus.regions.get(j));
    let same_category = corpus.category.get(i) == corpus.category.get(j);
    let text = cosine(corpus.signatures.get(i), corpus.signatures.get(j));
    let (ti, tj) = (timestamp_of(corpus, r), timestamp_of(corpus, c));
    w.tags * tag_share
        + w.region(region_depth)
        + w.category(same_category)
        + w.text * text
        + w.date * w.date_closeness(ti, tj)
}

fn timestamp_of(corpus: &Corpus, r: u32) -> i64 {
    corpus.timestamp.get(r as usize).copied().unwrap_or(0)
}

/// Sum of the idf of the tags both sorted lists contain.
fn shared_tag_idf(a: &[u32], b: &[u32], tag_idf: &[f64]) -> f64 {
    let mut sum = 0.0;
    for_each_common(a, b, |slot| sum += idf_of(tag_idf, slot));
    sum
}

/// The most levels any region of `a` shares with any region of `b`, from the province
/// down (ids are unique across the tree, so equal ids mean the same place).
fn shared_region_depth(a: &[u32], b: &[u32]) -> u8 {
    let mut best = 0usize;
    for pa in RegionPaths(a) {
        for pb in RegionPaths(b) {
            let common = pa.iter().zip(pb).take_while(|(x, y)| x == y).count();
            best = best.max(common);
        }
    }
    best.min(usize::from(u8::MAX)) as u8
}

/// The dot product of two sorted sparse vectors. The merge steps without branching on
/// the keys (signatures are short and their keys random, so branches would mispredict);
/// the products are added in key order as a plain merge would add them, so the sum is
/// the same to the last bit (adding +0.0 changes no sum that starts at +0.0).
fn cosine(a: &[(u32, f32)], b: &[(u32, f32)]) -> f64 {
    let mut dot = 0.0f64;
    let (mut i, mut j) = (0, 0);
    while let (Some(&(ka, wa)), Some(&(kb, wb))) = (a.get(i), b.get(j)) {
        let product = f64::from(wa) * f64::from(wb);
        dot += if ka == kb { product } else { 0.0 };
        i += usize::from(ka <= kb);
        j += usize::from(kb <= ka);
    }
    dot
}

/// Calls `f` with each value both sorted lists hold.
fn for_each_common(a: &[u32], b: &[u32], mut f: impl FnMut(u32)) {
    let (mut ia, mut ib) = (a.iter().peekable(), b.iter().peekable());
    while let (Some(&&x), Some(&&y)) = (ia.peek(), ib.peek()) {
        match x.cmp(&y) {
            std::cmp::Ordering::Less => {
                ia.next();
            }
            std::cmp::Ordering::Greater => {
                ib.next();
            }
            std::cmp::Ordering::Equal => {
                f(x);
                ia.next();
                ib.next();
            }
        }
    }
}

/// Keeps the `k` best in order: higher score, then newer, then (same date) lower rank,
/// which is the smaller key and then the earlier input.
fn keep_best(v: &mut Vec<Scored>, k: usize, corpus: &Corpus) {
    let better = |a: &Scored, b: &Scored| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| timestamp_of(corpus, b.rank).cmp(&timestamp_of(corpus, a.rank)))
            .then(a.rank.cmp(&b.rank))
    };
    if k > 0 && v.len() > k {
        v.select_nth_unstable_by(k - 1, better);
    }
    v.truncate(k);
    v.sort_unstable_by(better);
}


#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::text::term_bag::{fold_term, TITLE_BOOST};
    use crate::text::tokens::SIMILARITY_CHARS;

    // Region node ids: a small tree, province → city → county.
    const SICHUAN: u32 = 1;
    const GUANGYUAN: u32 = 10;
    const WANGCANG: u32 = 100;
    const CANGXI: u32 = 101;
    const CHENGDU: u32 = 11;
    const WUHOU: u32 = 110;
    const CHONGQING: u32 = 2;
    const BEIBEI: u32 = 20;
    const JIANGSU: u32 = 3;
    const ZHENJIANG: u32 = 30;

    const DAY: i64 = 86_400;

    struct Doc {
        tags: Vec<u32>,
        regions: Vec<Vec<u32>>,
        category: u32,
        timestamp: i64,
        text: String,
        /// The first line of `text` is the title, the rest the body.
        bag: TermBag,
        key: String,
    }

    fn doc(key: &str, day: i64, tags: &[u32], regions: &[&[u32]], category: u32, text: &str) -> Doc {
        Doc {
            tags: tags.to_vec(),
            regions: regions.iter().map(|r| r.to_vec()).collect(),
            category,
            timestamp: 1_700_000_000 + day * DAY,
            text: text.to_string(),
            bag: match text.split_once('\n') {
                Some((title, body)) => TermBag::of(title, body),
                None => TermBag::of(text, ""),
            },
            key: key.to_string(),
        }
    }

    fn view(docs: &[Doc]) -> Vec<RelatedDoc<'_>> {
        docs.iter()
            .map(|d| RelatedDoc {
                tags: &d.tags,
                regions: &d.regions,
                category: d.category,
                timestamp: d.timestamp,
                terms: &d.bag,
                key: &d.key,
            })
            .collect()
    }

    fn related(docs: &[Doc], cfg: &RelatedConfig) -> Vec<Vec<u32>> {
        compute_related(&view(docs), cfg)
    }

    fn keys_of(docs: &[Doc], list: &[u32]) -> Vec<String> {
        list.iter().map(|&i| docs[i as usize].key.clone()).collect()
    }

    const TEA: &str = "旺苍县科技特派员深入茶园开展技术服务\n科技特派员围绕茶叶种植、加工和品牌建设开展技术培训，帮助茶农提高产量，茶产业综合产值持续增长。";
    const TEA_2: &str = "苍溪县组织科技特派员服务茶产业\n今年以来，全县科技特派员走进茶园，推广茶叶加工新技术，茶农增收明显，茶产业成为乡村振兴的重要支撑。";
    const CHIPS: &str = "成都市出台支持集成电路产业发展若干措施\n对集成电路设计企业流片给予补助，支持半导体材料和芯片封装测试项目建设，打造电子信息产业集群。";
    const CHIPS_2: &str = "集成电路产业链协同发展推进会召开\n会议围绕芯片设计、半导体材料、封装测试等环节，推动集成电路企业与高校院所开展联合攻关。";
    const TALENT: &str = "人才公寓建设提速 柔性引才成效明显\n通过人才飞地和柔性引才机制，引进海外高层次人才和青年科技人才，完善人才评价改革配套政策。";
    const FINANCE: &str = "科技金融精准滴灌 科创贷余额持续增长\n设立风险补偿资金，推广知识产权质押融资和科技保险，缓解科技型中小企业融资难题。";
    const BEIBEI_SIMP: &str = "北碚与绵阳携手推动协同创新\n北碚区与绵阳市签署科技合作协议，双方将共建协同创新平台，推动科技成果转化和产业协同发展。";
    const BEIBEI_TRAD: &str = "北碚與綿陽攜手推動協同創新\n北碚區與綿陽市簽署科技合作協議，雙方將共建協同創新平臺，推動科技成果轉化和產業協同發展。";

    fn mixed_corpus() -> Vec<Doc> {
        vec![
            doc("/2024/01/tea-a/", 0, &[0, 1], &[&[SICHUAN, GUANGYUAN, WANGCANG]], 0, TEA),
            doc("/2024/01/tea-b/", 3, &[0, 1], &[&[SICHUAN, GUANGYUAN, CANGXI]], 1, TEA_2),
            doc("/2024/02/chips-a/", 30, &[0, 2], &[&[SICHUAN, CHENGDU, WUHOU]], 2, CHIPS),
            doc("/2024/02/chips-b/", 33, &[2], &[&[JIANGSU, ZHENJIANG]], 2, CHIPS_2),
            doc("/2024/03/talent/", 60, &[3], &[&[CHONGQING, BEIBEI]], 3, TALENT),
            doc("/2024/03/finance/", 61, &[0, 4], &[&[SICHUAN]], 4, FINANCE),
            doc("/2024/04/beibei/", 90, &[5], &[&[CHONGQING, BEIBEI], &[SICHUAN]], 0, BEIBEI_SIMP),
        ]
    }

    #[test]
    fn never_lists_itself_and_keeps_to_count() {
        let docs = mixed_corpus();
        let cfg = RelatedConfig { count: 3, ..RelatedConfig::default() };
        let lists = related(&docs, &cfg);
        assert_eq!(lists.len(), docs.len());
        assert_eq!(lists[0].len(), 3);
        for (i, list) in lists.iter().enumerate() {
            assert!(!list.contains(&(i as u32)), "article {i} lists itself: {list:?}");
            assert!(!list.is_empty() && list.len() <= 3, "article {i}: {list:?}");
            let mut distinct = list.clone();
            distinct.sort_unstable();
            distinct.dedup();
            assert_eq!(distinct.len(), list.len(), "article {i} lists one twice");
        }
    }

    #[test]
    fn count_larger_than_site_lists_all_that_share_something_and_zero_lists_none() {
        let docs = mixed_corpus();
        let many = related(&docs, &RelatedConfig { count: 50, ..RelatedConfig::default() });
        // The first tea article shares a tag, Sichuan or its category with 1, 2, 5 and 6.
        let mut first = many[0].clone();
        first.sort_unstable();
        for shared in [1, 2, 5, 6] {
            assert!(first.contains(&shared), "{first:?}");
        }
        assert!(!first.contains(&0));
        let none = related(&docs, &RelatedConfig { count: 0, ..RelatedConfig::default() });
        assert_eq!(none, vec![Vec::<u32>::new(); docs.len()]);
    }

    #[test]
    fn empty_site_and_single_article() {
        assert!(related(&[], &RelatedConfig::default()).is_empty());
        let one = vec![doc("/only/", 0, &[0], &[&[SICHUAN]], 0, TEA)];
        assert_eq!(related(&one, &RelatedConfig::default()), vec![Vec::<u32>::new()]);
    }

    #[test]
    fn same_result_for_any_thread_count_run_and_input_order() {
        let docs = mixed_corpus();
        let cfg = RelatedConfig::default();
        let in_pool = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .map(|pool| pool.install(|| related(&docs, &cfg)))
        };
        let one = in_pool(1).ok();
        assert!(one.is_some());
        assert_eq!(one, in_pool(3).ok());
        assert_eq!(one, Some(related(&docs, &cfg)));

        // Reversed input: the same articles, by key, in the same order.
        let reversed: Vec<Doc> = mixed_corpus().into_iter().rev().collect();
        let forward = related(&docs, &cfg);
        let backward = related(&reversed, &cfg);
        for (i, list) in forward.iter().enumerate() {
            let j = docs.len() - 1 - i;
            assert_eq!(keys_of(&docs, list), keys_of(&reversed, &backward[j]));
        }
    }

    #[test]
    fn article_without_tags_or_shared_region_is_related_by_its_text() {
        let mut docs = mixed_corpus();
        // A tea article with no tags, in a region and category no other article has.
        docs.push(doc("/2024/05/tea-c/", 120, &[], &[&[9, 90]], 9, "茶产业科技特派员服务团成立\n科技特派员将为茶农提供茶叶种植和加工技术指导，助力茶产业提质增效。"));
        let lists = related(&docs, &RelatedConfig::default());
        let top2 = keys_of(&docs, &lists[7][..2]);
        assert!(top2.contains(&"/2024/01/tea-a/".to_string()), "{top2:?}");
        assert!(top2.contains(&"/2024/01/tea-b/".to_string()), "{top2:?}");
    }

    #[test]
    fn traditional_text_finds_its_simplified_neighbour() {
        let mut docs = mixed_corpus();
        // No tag, region or category in common with anything: only the text can match.
        docs.push(doc("/2024/06/beibei-trad/", 150, &[], &[&[8]], 8, BEIBEI_TRAD));
        let lists = related(&docs, &RelatedConfig::default());
        assert_eq!(keys_of(&docs, &lists[7][..1]), vec!["/2024/04/beibei/".to_string()]);
    }

    /// Articles with empty text, no category in common and the same date, so that only
    /// the feature under test separates them.
    fn plain(key: &str, tags: &[u32], regions: &[&[u32]], category: u32) -> Doc {
        doc(key, 0, tags, regions, category, "")
    }

    #[test]
    fn rarer_shared_tag_beats_common_one() {
        const COMMON: u32 = 0;
        const RARE: u32 = 7;
        let mut docs = vec![
            plain("/query/", &[COMMON, RARE], &[], 0),
            plain("/a-shares-common/", &[COMMON], &[], 1),
            plain("/b-shares-rare/", &[RARE], &[], 2),
        ];
        for i in 0..10 {
            docs.push(plain(&format!("/filler-{i}/"), &[COMMON], &[], 3));
        }
        let lists = related(&docs, &RelatedConfig::default());
        // "/a-…" would win a tie on key: the rare tag must outweigh the common one.
        assert_eq!(keys_of(&docs, &lists[0][..2]), vec!["/b-shares-rare/", "/a-shares-common/"]);
    }

    #[test]
    fn same_county_beats_same_city_beats_same_province_and_unrelated_is_left_out() {
        let docs = vec![
            plain("/query/", &[], &[&[SICHUAN, GUANGYUAN, WANGCANG]], 0),
            plain("/a-same-province/", &[], &[&[SICHUAN, CHENGDU, WUHOU]], 1),
            plain("/b-same-city/", &[], &[&[SICHUAN, GUANGYUAN, CANGXI]], 2),
            plain("/c-same-county/", &[], &[&[SICHUAN, GUANGYUAN, WANGCANG]], 3),
            plain("/d-elsewhere/", &[], &[&[JIANGSU, ZHENJIANG]], 4),
        ];
        let lists = related(&docs, &RelatedConfig::default());
        assert_eq!(
            keys_of(&docs, &lists[0]),
            vec!["/c-same-county/", "/b-same-city/", "/a-same-province/"]
        );
    }

    #[test]
    fn two_region_article_matches_on_either_region() {
        let docs = vec![
            plain("/query/", &[], &[&[SICHUAN, GUANGYUAN, WANGCANG], &[JIANGSU, ZHENJIANG]], 0),
            plain("/a-chongqing/", &[], &[&[CHONGQING, BEIBEI]], 1),
            plain("/b-zhenjiang/", &[], &[&[JIANGSU, ZHENJIANG]], 2),
            plain("/c-wangcang/", &[], &[&[SICHUAN, GUANGYUAN, WANGCANG]], 3),
        ];
        let lists = related(&docs, &RelatedConfig::default());
        assert_eq!(keys_of(&docs, &lists[0]), vec!["/c-wangcang/", "/b-zhenjiang/"]);
        // And the other way round: the Zhenjiang article finds the two-region one first.
        assert_eq!(keys_of(&docs, &lists[2][..1]), vec!["/query/"]);
    }

    #[test]
    fn ties_go_to_the_newer_article_then_the_smaller_key() {
        let mut docs = vec![
            doc("/query/", 0, &[], &[&[SICHUAN]], 0, ""),
            doc("/c-old/", -10, &[], &[&[SICHUAN]], 0, ""),
            doc("/b-new/", 10, &[], &[&[SICHUAN]], 0, ""),
            doc("/a-old/", -10, &[], &[&[SICHUAN]], 0, ""),
        ];
        // Without the date preference all three score the same.
        let cfg = RelatedConfig { date: 0.0, ..RelatedConfig::default() };
        let lists = related(&docs, &cfg);
        assert_eq!(keys_of(&docs, &lists[0]), vec!["/b-new/", "/a-old/", "/c-old/"]);
        // With it, the closer date wins over key order: move "/c-old/" nearer.
        docs[1].timestamp = docs[0].timestamp - 2 * DAY;
        let lists = related(&docs, &RelatedConfig::default());
        assert_eq!(keys_of(&docs, &lists[0]), vec!["/c-old/", "/b-new/", "/a-old/"]);
    }

    #[test]
    fn strong_match_far_away_in_date_is_found_past_long_postings() {
        // 300 articles share the query's province and category, close to it in date, so
        // those postings are cut to a window; the one sharing its county and a rare tag
        // is years away but must still come first.
        let mut docs = vec![doc("/query/", 0, &[1, 2], &[&[SICHUAN, GUANGYUAN, WANGCANG]], 0, TEA)];
        for i in 0..300 {
            docs.push(doc(&format!("/near-{i:03}/"), i % 7, &[1], &[&[SICHUAN, CHENGDU]], 0, CHIPS));
        }
        docs.push(doc("/far-match/", 3000, &[2], &[&[SICHUAN, GUANGYUAN, WANGCANG]], 5, TEA_2));
        let lists = related(&docs, &RelatedConfig::default());
        assert_eq!(keys_of(&docs, &lists[0][..1]), vec!["/far-match/"]);
        assert_eq!(lists[0].len(), 5);
    }

    #[test]
    fn nonsense_weights_do_not_break_the_ranking() {
        let docs = mixed_corpus();
        let cfg = RelatedConfig {
            tags: f64::NAN,
            text: f64::INFINITY,
            date_scale_days: -1.0,
            ..RelatedConfig::default()
        };
        let lists = related(&docs, &cfg);
        assert!(lists.iter().enumerate().all(|(i, l)| !l.is_empty() && l.len() <= 5 && !l.contains(&(i as u32))));
    }

    #[test]
    fn flattened_region_paths_read_back_as_given() {
        let paths = vec![vec![SICHUAN, GUANGYUAN, WANGCANG], vec![], vec![JIANGSU]];
        let flat = flatten_paths(&paths);
        assert_eq!(RegionPaths(&flat).collect::<Vec<_>>(), vec![&paths[0][..], &[][..], &paths[2][..]]);
        assert_eq!(RegionPaths(&[]).count(), 0);
        // A length running past the end (never made by flatten_paths) is cut, not a panic.
        assert_eq!(RegionPaths(&[5, 1, 2]).collect::<Vec<_>>(), vec![&[1, 2][..]]);
        assert_eq!(shared_region_depth(&flatten_paths(&[vec![CHONGQING, BEIBEI]]), &flat), 0);
        assert_eq!(shared_region_depth(&flatten_paths(&[vec![3], vec![SICHUAN, GUANGYUAN, CANGXI]]), &flat), 2);
    }

    #[test]
    fn sparse_dot_product_matches_a_plain_merge() {
        let a = [(1, 0.5f32), (4, 0.25), (9, 0.125), (12, 1.0)];
        let b = [(0, 1.0f32), (4, 0.5), (5, 2.0), (12, 0.75), (20, 1.0)];
        assert_eq!(cosine(&a, &b), 0.25f64 * 0.5 + 1.0 * 0.75);
        assert_eq!(cosine(&a, &[]), 0.0);
        assert_eq!(cosine(&a, &a), 0.25 + 0.0625 + 0.015625 + 1.0);
    }

    /// Text signatures made the plain way, straight from the texts: every article's term
    /// counts in an ordered map, then all of an article's terms sorted by strength.
    /// `text_signatures` over term bags must give exactly these.
    fn one_pass_signatures(texts: &[(&str, &str)]) -> Vec<Vec<(u32, f32)>> {
        let counts: Vec<BTreeMap<u32, u8>> = texts
            .iter()
            .map(|&(title, body)| {
                let mut counts = BTreeMap::new();
                for (text, times) in [(title, TITLE_BOOST), (body, 1)] {
                    let prefix: String = text.chars().take(SIMILARITY_CHARS).collect();
                    crate::text::tokens::for_each_term(&prefix, |t| {
                        let count: &mut u8 = counts.entry(fold_term(t)).or_default();
                        *count = count.saturating_add(times);
                    });
                }
                counts
            })
            .collect();
        let mut df: BTreeMap<u32, usize> = BTreeMap::new();
        for article in &counts {
            for &t in article.keys() {
                *df.entry(t).or_default() += 1;
            }
        }
        let n = texts.len();
        let max_df = ((n as f64 * MAX_TERM_DF_SHARE) as usize).max(2);
        let stronger = |a: &(u32, f64), b: &(u32, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        counts
            .iter()
            .map(|article| {
                let mut weighted: Vec<(u32, f64)> = article
                    .iter()
                    .filter(|&(t, _)| (2..=max_df).contains(&df[t]))
                    .map(|(&t, &tf)| {
                        let idf = idf(df[&t], n) as f32;
                        (t, (1.0 + f64::from(tf.max(1)).ln()) * f64::from(idf))
                    })
                    .collect();
                weighted.sort_by(stronger);
                weighted.truncate(SIGNATURE_TERMS);
                weighted.sort_by_key(|&(t, _)| t);
                let norm = weighted.iter().map(|&(_, w)| w * w).sum::<f64>().sqrt();
                if norm <= 0.0 {
                    return Vec::new();
                }
                weighted.into_iter().map(|(t, w)| (t, (w / norm) as f32)).collect()
            })
            .collect()
    }

    /// Pseudo-random articles of simplified and traditional characters (common ones far
    /// more often than rare ones), Latin words, digits and punctuation, so that terms
    /// repeat within and across articles at every rate; a few are longer than read.
    fn generated_texts(n: usize) -> Vec<(String, String)> {
        const TRADITIONAL: &[char] = &['與', '綿', '陽', '協', '產', '術', '縣', '員', '環', '際'];
        const OTHER: &[&str] = &["，", "。", " AI ", " chip ", " 5G ", " x ", "Ｚｈｉ", "、"];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut below = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n.max(1) as u64) as usize
        };
        let text = |chars: usize, below: &mut dyn FnMut(usize) -> usize| {
            let mut s = String::new();
            for _ in 0..chars {
                match below(10) {
                    0 => s.push(TRADITIONAL[below(TRADITIONAL.len())]),
                    1 => s.push_str(OTHER[below(OTHER.len())]),
                    _ => {
                        let common = below(600) + 1;
                        s.push(char::from_u32(0x4E00 + below(common) as u32).unwrap_or('一'));
                    }
                }
            }
            s
        };
        (0..n)
            .map(|i| {
                let title_len = if i % 97 == 0 { 400 } else { below(20) };
                let body_len = if i % 41 == 0 { SIMILARITY_CHARS + 2000 } else { below(500) };
                (text(title_len, &mut below), text(body_len, &mut below))
            })
            .collect()
    }

    #[test]
    fn signatures_are_those_of_the_one_pass_way() {
        let mut owned: Vec<(String, String)> = mixed_corpus()
            .iter()
            .chain(&[doc("/trad/", 0, &[], &[], 0, BEIBEI_TRAD)])
            .map(|d| match d.text.split_once('\n') {
                Some((title, body)) => (title.to_string(), body.to_string()),
                None => (d.text.clone(), String::new()),
            })
            .collect();
        owned.push(("科技创新".repeat(1000), String::new()));
        owned.push((String::new(), String::new()));
        owned.extend(generated_texts(400));
        let texts: Vec<(&str, &str)> = owned.iter().map(|(t, b)| (t.as_str(), b.as_str())).collect();
        let expected = one_pass_signatures(&texts);
        let owned_bags: Vec<TermBag> = texts.iter().map(|&(title, body)| TermBag::of(title, body)).collect();
        let bags: Vec<&TermBag> = owned_bags.iter().collect();
        // Not a degenerate corpus: full signatures, short ones and empty ones.
        let lens: Vec<usize> = expected.iter().map(Vec::len).collect();
        assert!(lens.contains(&SIGNATURE_TERMS) && lens.contains(&0), "{lens:?}");
        assert!(lens.iter().any(|&l| l > 0 && l < SIGNATURE_TERMS), "{lens:?}");
        for threads in [1, 3] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build();
            let signatures = pool.map(|p| p.install(|| text_signatures(&bags)));
            let signatures = signatures.ok();
            assert_eq!(signatures.as_ref().map(Lists::len), Some(expected.len()));
            for (i, e) in expected.iter().enumerate() {
                assert_eq!(signatures.as_ref().map(|s| s.get(i)), Some(&e[..]), "article {i}, {threads} threads");
            }
        }
    }

    #[test]
    fn default_config_lists_five() {
        assert_eq!(RelatedConfig::default().count, 5);
    }
}
