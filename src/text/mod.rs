//! Chinese text: pinyin slugs, sort keys, summaries, reading time, similarity terms.

pub mod chars;
pub mod slug;
pub mod summary;
pub mod term_bag;
pub mod tokens;
