//! Fuzz target: one whole article as the loader handles it: decode, front matter,
//! Markdown (raw HTML sanitised or allowed, by the first byte), summary and word count.
#![no_main]

use gazette::load::decode::decode;
use gazette::load::front_matter::{parse, split};
use gazette::load::markdown::{render_markdown, MarkdownOptions};
use gazette::text::summary::{count_words, reading_minutes, summarize};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, bytes)) = data.split_first() else { return };
    let Ok(text) = decode(bytes) else { return };
    let tz = jiff::tz::TimeZone::UTC;
    let body = match split(&text) {
        Ok((yaml, body, _)) => {
            let _ = parse(yaml, &tz);
            body
        }
        Err(_) => text.as_str(),
    };
    let doc = render_markdown(body, &MarkdownOptions { allow_raw_html: flags & 1 == 1 });
    let _ = (summarize(&doc.plain, 120), reading_minutes(&doc.plain), count_words(&doc.plain));
});
