//! Chinese text: pinyin slugs, sort keys, summaries, reading time, similarity tokens.

pub mod chars;
pub mod slug;
pub mod summary;
pub mod tokens;
