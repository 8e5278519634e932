//! Unique slugs: two different names never share one. Collisions are settled by a stable
//! rule so that the same input always gives the same URLs and new content rarely moves old
//! URLs: the name seen earliest (by its first article's date, then by name) keeps the plain
//! slug; later ones get `-2`, `-3` … in that order.

use std::collections::{HashMap, HashSet};

/// One thing that needs a slug: its wanted slug and the key that decides precedence.
pub struct SlugRequest<K: Ord> {
    pub wanted: String,
    pub precedence: K,
}

/// Returns one unique slug per request, in request order.
pub fn assign_unique<K: Ord>(requests: &[SlugRequest<K>]) -> Vec<String> {
    let mut order: Vec<usize> = (0..requests.len()).collect();
    order.sort_by(|&a, &b| requests[a].precedence.cmp(&requests[b].precedence));
    let wanted: HashSet<&str> = requests.iter().map(|r| r.wanted.as_str()).collect();
    let mut taken: HashSet<String> = HashSet::new();
    let mut next_suffix: HashMap<&str, usize> = HashMap::new();
    let mut out = vec![String::new(); requests.len()];
    for i in order {
        let base = requests[i].wanted.as_str();
        let mut slug = base.to_string();
        if taken.contains(&slug) {
            let n = next_suffix.entry(base).or_insert(2);
            loop {
                slug = format!("{base}-{n}");
                *n += 1;
                // Never take a suffixed slug that another name wants plainly.
                if !taken.contains(&slug) && !wanted.contains(slug.as_str()) {
                    break;
                }
            }
        }
        taken.insert(slug.clone());
        out[i] = slug;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(w: &str, k: u32) -> SlugRequest<u32> {
        SlugRequest { wanted: w.into(), precedence: k }
    }

    #[test]
    fn earliest_keeps_the_plain_slug() {
        // 智造 (precedence 1) was seen before 制造 (2): both read zhi-zao.
        let s = assign_unique(&[req("zhi-zao", 2), req("zhi-zao", 1), req("ke-ji", 0)]);
        assert_eq!(s, ["zhi-zao-2", "zhi-zao", "ke-ji"]);
    }

    #[test]
    fn suffix_never_steals_a_wanted_slug() {
        let s = assign_unique(&[req("a", 0), req("a", 1), req("a-2", 2)]);
        assert_eq!(s, ["a", "a-3", "a-2"]);
    }
}
