//! The one order of the site's articles, which every list follows (home, tag, category,
//! region and archive pages, their feeds): newest day first; within a day, `weight:`
//! (lower first, weighted before unweighted, as in Hugo), then the time of day (newest
//! first; a date without a time is midnight), then the title in pinyin order, then the
//! file path so that the order is total.
//!
//! Weight orders only articles of the same day: Hugo sorts by weight before date, which on
//! a news site would keep a weighted article of 2020 above today's news. A weight beats the
//! time of day because it is what the editor asked for; the time orders the rest.
//!
//! Age is another matter ([`chronological`]): which of two articles is older decides who
//! keeps a plain slug or a spelling, and must not change when an editor reorders a day.

use std::cmp::Ordering;

use crate::load::SourceArticle;

/// Newest first by the instant of the date; ties by title in pinyin order, then by path.
/// The site order before weights existed, and still the order of age: the later of two
/// articles here is the older one.
pub fn chronological(a: &SourceArticle, b: &SourceArticle) -> Ordering {
    b.meta.date.timestamp().cmp(&a.meta.date.timestamp()).then_with(|| a.sort_key.cmp(&b.sort_key)).then_with(|| a.path.cmp(&b.path))
}

/// The site order (see the module documentation).
pub fn listing(a: &SourceArticle, b: &SourceArticle) -> Ordering {
    b.meta.date.date().cmp(&a.meta.date.date()).then_with(|| weight_rank(a).cmp(&weight_rank(b))).then_with(|| chronological(a, b))
}

/// Weighted articles first, lower weights first; no weight (0) last.
fn weight_rank(a: &SourceArticle) -> (bool, i32) {
    let w = a.meta.weight;
    (w == 0, w)
}
