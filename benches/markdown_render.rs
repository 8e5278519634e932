//! Renders Markdown documents with gazette's article renderer and with plain pulldown-cmark
//! (the same parser options), for benches/markdown_conformance.py.
//!
//! Reads a JSON array of Markdown strings on stdin; prints a JSON array of
//! `[gazette_html, gazette_html_with_raw_html_allowed, pulldown_cmark_html]`, one per
//! document (the middle one tells the sanitiser's changes from the renderer's).
//!
//!     cargo run --release --example markdown_render < docs.json

use std::io::Read;

use gazette::load::markdown::{render_markdown, MarkdownOptions};
use pulldown_cmark::{html, Options, Parser};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let docs: Vec<String> = serde_json::from_str(&input)?;
    // Keep in step with parser_options() in src/load/markdown.rs.
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let out: Vec<[String; 3]> = docs
        .iter()
        .map(|doc| {
            let ours = render_markdown(doc, &MarkdownOptions::default()).html;
            let unsanitised = render_markdown(doc, &MarkdownOptions { allow_raw_html: true }).html;
            let mut plain = String::new();
            html::push_html(&mut plain, Parser::new_ext(doc, options));
            [ours, unsanitised, plain]
        })
        .collect();
    println!("{}", serde_json::to_string(&out)?);
    Ok(())
}
