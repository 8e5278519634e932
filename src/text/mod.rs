//! Chinese text: pinyin slugs, sort keys, summaries, reading time, similarity terms, and
//! one spelling for the names of tags, categories and regions, and HTML character
//! references decoded.

pub mod chars;
pub mod entities;
pub mod fold;
pub mod names;
pub mod packed;
pub mod script;
pub mod slug;
pub mod summary;
pub mod term_bag;
pub mod tokens;
