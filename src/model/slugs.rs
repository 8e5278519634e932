//! Unique slugs: two different names never share one. Collisions are settled by a stable
//! rule so that the same input always gives the same URLs and new content rarely moves old
//! URLs. The name with the highest precedence (the one seen earliest: by its oldest
//! article) keeps the plain slug. Every later one that shares it reads its name further,
//! syllable by syllable, until it differs from every earlier one
//! ([`lengthened_slug`]): two long titles that agree on their first 48 characters of
//! pinyin get two readable slugs, not `-2`. Only a name that reads the same as an earlier
//! one (科技, 可记), or differs from it only beyond [`MAX_LENGTHENED_SLUG_LEN`], gets
//! `-2`, `-3` … in precedence order.
//!
//! A name's slug depends only on itself and on names of higher precedence, so a new,
//! newer article never moves an older one's URL. Names are grouped by wanted slug and
//! compared only with the neighbours of their reading in their own group: no pairs are
//! compared across the site.
//!
//! [`MAX_LENGTHENED_SLUG_LEN`]: crate::text::slug::MAX_LENGTHENED_SLUG_LEN

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Bound;

use crate::text::slug::lengthened_slug;

/// One thing that needs a slug: its wanted slug and the key that decides precedence.
pub struct SlugRequest<K: Ord> {
    /// Where the slug must be unique, as a prefix of the slug: an article's month folder
    /// (`2024/03/`); empty for tags, categories and regions.
    pub scope: String,
    pub wanted: String,
    pub precedence: K,
}

/// Returns one unique slug per request, in request order. `reading(i)` gives the words
/// request `i`'s wanted slug was cut from ([`slug_words`]), empty when it may not be
/// lengthened (a slug written in front matter); it is called only for requests that
/// share their wanted slug with another.
///
/// [`slug_words`]: crate::text::slug::slug_words
pub fn assign_unique<K: Ord>(requests: &[SlugRequest<K>], reading: impl Fn(usize) -> Vec<String>) -> Vec<String> {
    let keys: Vec<String> = requests.iter().map(|r| format!("{}{}", r.scope, r.wanted)).collect();
    let mut group_size: HashMap<&str, usize> = HashMap::new();
    for k in &keys {
        *group_size.entry(k.as_str()).or_default() += 1;
    }
    let mut order: Vec<usize> = (0..requests.len()).collect();
    order.sort_by(|&a, &b| requests[a].precedence.cmp(&requests[b].precedence));
    let mut taken: HashSet<String> = HashSet::new();
    // The readings of the requests of each shared wanted slug already settled, sorted.
    let mut earlier: HashMap<&str, BTreeSet<Vec<String>>> = HashMap::new();
    let mut next_suffix: HashMap<&str, usize> = HashMap::new();
    let mut out = vec![String::new(); requests.len()];
    for i in order {
        let (key, request) = (keys[i].as_str(), &requests[i]);
        let free = |slug: &str| {
            let qualified = format!("{}{slug}", request.scope);
            // Never take a slug that another name wants plainly.
            !taken.contains(&qualified) && !group_size.contains_key(qualified.as_str())
        };
        let shared = group_size.get(key).is_some_and(|&n| n > 1);
        let words = if shared { reading(i) } else { Vec::new() };
        let slug = if !taken.contains(key) {
            request.wanted.clone()
        } else if let Some(longer) = earlier.get(key).and_then(|e| lengthened(&words, e, request.wanted.len(), &free)) {
            longer
        } else {
            let n = next_suffix.entry(key).or_insert(2);
            loop {
                let slug = format!("{}-{n}", request.wanted);
                *n += 1;
                if free(&slug) {
                    break slug;
                }
            }
        };
        taken.insert(format!("{}{slug}", request.scope));
        if shared && !words.is_empty() {
            earlier.entry(key).or_default().insert(words);
        }
        out[i] = slug;
    }
    out
}

/// The shortest slug of `words` longer than the wanted slug (`wanted_len` bytes) that
/// reads past the longest beginning it shares with any of `earlier` and is free; None
/// when there is none within the limit of [`lengthened_slug`].
fn lengthened(words: &[String], earlier: &BTreeSet<Vec<String>>, wanted_len: usize, free: &dyn Fn(&str) -> bool) -> Option<String> {
    if words.is_empty() {
        return None;
    }
    // In sorted order, the longest common beginning with any member is with a neighbour.
    let before = earlier.range::<[String], _>((Bound::Unbounded, Bound::Included(words))).next_back();
    let after = earlier.range::<[String], _>((Bound::Excluded(words), Bound::Unbounded)).next();
    let shared = [before, after].into_iter().flatten().map(|e| common_words(e, words)).max().unwrap_or(0);
    (shared + 1..=words.len())
        .map_while(|n| lengthened_slug(words, n))
        .find(|slug| slug.len() > wanted_len && free(slug))
}

/// How many words two readings begin with in common.
fn common_words(a: &[String], b: &[String]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(w: &str, k: u32) -> SlugRequest<u32> {
        SlugRequest { scope: String::new(), wanted: w.into(), precedence: k }
    }

    fn no_reading(_: usize) -> Vec<String> {
        Vec::new()
    }

    fn words(s: &str) -> Vec<String> {
        s.split('-').map(String::from).collect()
    }

    #[test]
    fn earliest_keeps_the_plain_slug() {
        // 智造 (precedence 1) was seen before 制造 (2): both read zhi-zao.
        let s = assign_unique(&[req("zhi-zao", 2), req("zhi-zao", 1), req("ke-ji", 0)], no_reading);
        assert_eq!(s, ["zhi-zao-2", "zhi-zao", "ke-ji"]);
    }

    #[test]
    fn suffix_never_steals_a_wanted_slug() {
        let s = assign_unique(&[req("a", 0), req("a", 1), req("a-2", 2)], no_reading);
        assert_eq!(s, ["a", "a-3", "a-2"]);
    }

    #[test]
    fn later_names_read_on_until_they_differ_from_every_earlier_one() {
        let readings = [words("a-b-c-d-e"), words("a-b-c-x-y"), words("a-b-q-r"), words("a-b-c-d-z"), words("a-b-c-d-e")];
        let requests: Vec<SlugRequest<u32>> = (0..5).map(|k| req("a-b", k)).collect();
        let s = assign_unique(&requests, |i| readings[i].clone());
        assert_eq!(s, ["a-b", "a-b-c-x", "a-b-q", "a-b-c-d-z", "a-b-2"], "the same reading gets a number");
        // Scopes keep groups apart.
        let scoped = [SlugRequest { scope: "2024/03/".into(), wanted: "a-b".into(), precedence: 1 }, SlugRequest { scope: "2024/04/".into(), wanted: "a-b".into(), precedence: 0 }];
        assert_eq!(assign_unique(&scoped, |_| words("a-b-c")), ["a-b", "a-b"]);
    }

    #[test]
    fn a_lengthened_slug_is_never_one_taken_or_wanted() {
        // Request 2 would read on to a-b-c, which request 0 wants as written.
        let readings = [Vec::new(), words("a-b-x"), words("a-b-c-d")];
        let s = assign_unique(&[req("a-b-c", 0), req("a-b", 1), req("a-b", 2)], |i| readings[i].clone());
        assert_eq!(s, ["a-b-c", "a-b", "a-b-c-d"]);
    }
}
