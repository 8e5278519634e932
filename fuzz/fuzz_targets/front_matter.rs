//! Fuzz target: any bytes through decoding, the front-matter splitter and the YAML parser.
//! Must never panic; every problem must sit on a line of the file.
#![no_main]

use gazette::load::decode::decode;
use gazette::load::front_matter::{parse, split};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = decode(bytes) else { return };
    let lines = text.split('\n').count();
    let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap_or(jiff::tz::TimeZone::UTC);
    match split(&text) {
        Err(p) => assert!((1..=lines).contains(&p.line), "{p:?}"),
        Ok((yaml, _, _)) => {
            if let Err(problems) = parse(yaml, &tz) {
                for p in problems {
                    assert!((1..=lines).contains(&p.line), "{p:?}");
                }
            }
        }
    }
});
