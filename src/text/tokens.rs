//! STAND-IN (replaced by the related helper's file).
pub fn text_terms(text: &str) -> Vec<u64> { let c: Vec<char> = text.chars().collect(); c.windows(2).map(|w| (w[0] as u64) << 32 | w[1] as u64).collect() }
