//! Fingerprints of what a page is rendered from. A sink that keeps the last build's output
//! (`serve --watch`) compares them and skips pages whose inputs did not change; a full
//! build never computes them.
//!
//! A fingerprint covers everything the page's template context is made of: the theme's
//! templates, the `site` value, and per page the serialised entries, bodies and list data
//! it shows. Equal fingerprints mean equal contexts, hence equal pages.

use std::hash::{DefaultHasher, Hash, Hasher};

use serde_json::{Map, Value};

/// Feeds a JSON value into `hasher`, structure included (so that `["ab"]` and `["a","b"]`
/// differ), without serialising it to text first.
pub fn hash_value(value: &Value, hasher: &mut impl Hasher) {
    match value {
        Value::Null => 0u8.hash(hasher),
        Value::Bool(b) => (1u8, b).hash(hasher),
        Value::Number(n) => (2u8, n.to_string()).hash(hasher),
        Value::String(s) => (3u8, s).hash(hasher),
        Value::Array(items) => {
            (4u8, items.len()).hash(hasher);
            items.iter().for_each(|item| hash_value(item, hasher));
        }
        Value::Object(map) => hash_object(map, hasher),
    }
}

/// [`hash_value`] of `Value::Object(map)`, without making one.
pub fn hash_object(map: &Map<String, Value>, hasher: &mut impl Hasher) {
    (5u8, map.len()).hash(hasher);
    for (key, item) in map {
        key.hash(hasher);
        hash_value(item, hasher);
    }
}

/// The fingerprint of one JSON value.
pub fn of_value(value: &Value) -> u64 {
    let mut hasher = DefaultHasher::new();
    hash_value(value, &mut hasher);
    hasher.finish()
}

/// The fingerprint of a JSON object's map (equal to that of the object as a value).
pub fn of_object(map: &Map<String, Value>) -> u64 {
    let mut hasher = DefaultHasher::new();
    hash_object(map, &mut hasher);
    hasher.finish()
}

/// The fingerprint of JSON values (a page's list of items).
pub fn of_values(values: &[Value]) -> u64 {
    let mut hasher = DefaultHasher::new();
    values.len().hash(&mut hasher);
    values.iter().for_each(|v| hash_value(v, &mut hasher));
    hasher.finish()
}

/// The fingerprint of anything hashable (a tuple of the parts a page is made of).
pub fn of(parts: impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    parts.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn equal_values_have_equal_fingerprints_and_any_change_shows() {
        let page = json!({"title": "四川首次举办局县科技会商", "tags": ["科技会商", "县域创新"], "count": 3});
        assert_eq!(of_value(&page), of_value(&page.clone()));
        for changed in [
            json!({"title": "四川首次舉辦局縣科技會商", "tags": ["科技会商", "县域创新"], "count": 3}),
            json!({"title": "四川首次举办局县科技会商", "tags": ["科技会商县域创新"], "count": 3}),
            json!({"title": "四川首次举办局县科技会商", "tags": ["科技会商", "县域创新"], "count": 4}),
            json!({"title": "四川首次举办局县科技会商", "tags": ["科技会商", "县域创新"], "count": "3"}),
        ] {
            assert_ne!(of_value(&page), of_value(&changed), "{changed}");
        }
    }
}
