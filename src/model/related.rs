//! STAND-IN (replaced by the related helper's file).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RelatedConfig { pub count: usize }
impl Default for RelatedConfig { fn default() -> Self { RelatedConfig { count: 5 } } }
pub struct RelatedDoc<'a> { pub tags: &'a [u32], pub regions: &'a [Vec<u32>], pub category: u32, pub timestamp: i64, pub text: &'a str, pub key: &'a str }
pub fn compute_related(docs: &[RelatedDoc], cfg: &RelatedConfig) -> Vec<Vec<u32>> {
    docs.iter().enumerate().map(|(i, d)| {
        let mut scored: Vec<(usize, usize)> = docs.iter().enumerate().filter(|(j, _)| *j != i).map(|(j, o)| (d.tags.iter().filter(|t| o.tags.contains(t)).count() + usize::from(d.category == o.category), j)).filter(|(s, _)| *s > 0).collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().take(cfg.count).map(|(_, j)| j as u32).collect()
    }).collect()
}
