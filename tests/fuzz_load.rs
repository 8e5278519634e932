//! Fuzz-like properties of the article loader: no bytes make it panic, and every problem
//! it reports is placed on a line of the file. Random text and bytes, and near-misses of
//! real front matter (misspelt keys, unclosed `---`, bad dates, deep nesting, alias bombs).
//!
//! 256 cases per property by default (the whole-site one runs an eighth of that);
//! `PROPTEST_CASES=20000 cargo test --release --test fuzz_load` for a longer run. The
//! cargo-fuzz targets in fuzz/ cover the same ground with coverage guidance.

mod common;

use gazette::load::decode::decode;
use gazette::load::front_matter::{self, KEYS};
use gazette::load::markdown::{render_markdown, MarkdownOptions};
use gazette::text::summary::{count_words, reading_minutes, summarize};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError};

use common::{TestSite, SITE_TOML};

fn tz() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("Asia/Shanghai").expect("bundled time zone")
}

fn config(divide_cases_by: u32) -> Config {
    let default = Config::default(); // reads PROPTEST_CASES
    Config { cases: (default.cases / divide_cases_by).max(1), failure_persistence: None, ..default }
}

/// What the loader does with one file, through the public functions: decode, split,
/// parse the front matter, render the body, summarise. Checks every problem's line.
fn load_like(bytes: &[u8], allow_raw_html: bool) -> Result<(), TestCaseError> {
    let text = match decode(bytes) {
        Ok(text) => text,
        Err(not_utf8) => {
            let lines = bytes.split(|&b| b == b'\n').count();
            prop_assert!((1..=lines).contains(&not_utf8.line), "not-UTF-8 line {} of {lines}", not_utf8.line);
            return Ok(());
        }
    };
    let lines = text.split('\n').count();
    let placed = |line: usize, column: Option<usize>, what: &str| -> Result<(), TestCaseError> {
        prop_assert!((1..=lines).contains(&line), "{what}: line {line} of a {lines}-line file");
        prop_assert!(column.is_none_or(|c| c >= 1), "{what}: column {column:?}");
        Ok(())
    };
    let (yaml, body, body_line) = match front_matter::split(&text) {
        Ok(parts) => parts,
        Err(p) => return placed(p.line, p.column, &p.message),
    };
    prop_assert!(body_line <= lines + 1, "body starts on line {body_line} of {lines}");
    if let Err(problems) = front_matter::parse(yaml, &tz()) {
        prop_assert!(!problems.is_empty());
        for p in problems {
            placed(p.line, p.column, &p.message)?;
        }
    }
    let doc = render_markdown(body, &MarkdownOptions { allow_raw_html });
    let _ = (summarize(&doc.plain, 120), reading_minutes(&doc.plain), count_words(&doc.plain));
    if !allow_raw_html {
        prop_assert!(!doc.html.to_ascii_lowercase().contains("<script"), "raw HTML is escaped: {}", doc.html);
    }
    Ok(())
}

// --- generators ------------------------------------------------------------------------------

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(KEYS).prop_map(String::from),
        proptest::sample::select(&["catagory", "titel", "regoin", "tag", "date ", "\"title\"", "'slug'", "标题", "日期", "? title", "- title", "<<"][..]).prop_map(String::from),
        "[a-z_]{1,10}",
    ]
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(
            &[
                "四川省/广元市/旺苍县", "重庆市/北碚区", "[重庆市/北碚区, 四川省/绵阳市]", "科技合作", "科技合做", "鎮江新一輪創新發展藍圖已繪就",
                "2024-03-15", "2024-02-30", "2024-13-01", "2024-03-15T25:00:00+08:00", "2024-03-15T09:30:00+99:00", "0000-00-00", "99999-01-01", "1e400",
                "-9223372036854775809", "true", "no", "~", "null", "", "[局县会商, 2024, 5G]", "[a, [b, [c, {d: e}]]]", "[未闭合", "{ name: 石家庄地方网, url: \"https://sjz.zhxinw.cn/\" }",
                "{ name: x, url: javascript:alert(1) }", "{a: b", "&x 四川省", "*x", "*未定义", "!!binary 5Zub5bed", "!custom x", "|", ">-", "'未结束", "\"转义 \\u12\"",
                "\"\\uD800\"", "/../../etc/passwd", "[/2024/03/a/, //evil.example/]", "<script>alert(1)</script>", "%TAG ! x", "---", "...", "？：，。", "\u{3000}全角空格",
            ][..],
        )
        .prop_map(String::from),
        "\\PC{0,40}",
        (1usize..2000).prop_map(|n| "[".repeat(n)),
        (1usize..200).prop_map(|n| "{a: ".repeat(n)),
    ]
}

fn indent() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(&["", "", "", "  ", "\t", "    ", "- "][..])
}

fn separator() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(&[": ", ": ", ": ", ":", " : ", "：", "", ":\n  "][..])
}

fn yaml_line() -> impl Strategy<Value = String> {
    (indent(), key(), separator(), value()).prop_map(|(i, k, s, v)| format!("{i}{k}{s}{v}"))
}

/// A chain of anchors, each repeating the previous one `width` times.
fn alias_chain() -> impl Strategy<Value = String> {
    (1usize..14, 1usize..12).prop_map(|(depth, width)| {
        let mut yaml = String::from("extra:\n  a0: &a0 [局县会商, 局县会商]\n");
        for i in 1..depth {
            let items = vec![format!("*a{}", i - 1); width].join(", ");
            yaml.push_str(&format!("  a{i}: &a{i} [{items}]\n"));
        }
        yaml
    })
}

fn closing() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(&["---\n", "---\n", "---\n", "--- \n", "---", "...\n", "----\n", "", "\n"][..])
}

fn body() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("正文：四川省科技厅与广元市举行局县会商。\n".to_string()),
        Just("鎮江新一輪創新發展藍圖已繪就。\n".to_string()),
        (1usize..5000).prop_map(|n| format!("{}引用", ">".repeat(n))),
        (1usize..3000).prop_map(|n| "- ".repeat(n)),
        (1usize..5000).prop_map(|n| format!("{}链接{}", "[".repeat(n), "](/x)".repeat(n % 50))),
        (1usize..3000).prop_map(|n| format!("{}强调{}", "*".repeat(n), "_".repeat(n))),
        (1usize..8).prop_map(|n| format!("{} 标题 {{#id}}\n", "#".repeat(n))),
        Just("```rust\nfn main() {}\n".to_string()),
        Just("| 地区 | 项目 |\n|---|---|\n| 四川 | 会商 |\n".to_string()),
        Just("[^1]\n\n[^1]: 脚注[^1]\n".to_string()),
        Just("<script>alert(1)</script><img src=x onerror=alert(1)><a href=\"javascript:x\">链</a>\n".to_string()),
        Just("---\ntitle: 第二个\n---\n".to_string()),
        "\\PC{0,80}",
    ];
    proptest::collection::vec(piece, 0..6).prop_map(|pieces| pieces.join("\n"))
}

/// Front matter that is almost right: real keys and near-misses, bad values, unclosed.
fn near_miss_article() -> impl Strategy<Value = String> {
    let bom = proptest::sample::select(&["", "", "\u{feff}"][..]);
    let crlf = any::<bool>();
    let anchors = prop_oneof![3 => Just(String::new()), 1 => alias_chain()];
    (bom, proptest::collection::vec(yaml_line(), 0..12), anchors, closing(), body(), crlf).prop_map(|(bom, lines, anchors, close, body, crlf)| {
        let text = format!("{bom}---\n{}\n{anchors}{close}{body}", lines.join("\n"));
        if crlf { text.replace('\n', "\r\n") } else { text }
    })
}

/// Valid front matter around a random body, so that Markdown is reached.
fn valid_front_matter_with(body: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    body.prop_map(|b| format!("---\ntitle: 局县会商\ndate: 2024-03-15\nregion: 四川省/广元市\ncategory: 科技合作\n---\n{b}"))
}

// --- properties --------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(1))]

    #[test]
    fn arbitrary_text_never_panics_and_problems_are_placed(text in "\\PC*", front in any::<bool>()) {
        let text = if front { format!("---\n{text}") } else { text };
        load_like(text.as_bytes(), false)?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600), front in any::<bool>()) {
        let bytes = if front { [b"---\n".as_slice(), &bytes].concat() } else { bytes };
        load_like(&bytes, false)?;
    }

    #[test]
    fn near_miss_front_matter_never_panics_and_problems_are_placed(text in near_miss_article()) {
        load_like(text.as_bytes(), false)?;
    }

    #[test]
    fn hostile_markdown_never_panics(text in valid_front_matter_with(body()), raw in proptest::bool::weighted(0.2)) {
        load_like(text.as_bytes(), raw)?;
    }
}

proptest! {
    #![proptest_config(config(8))]

    /// The real pipeline (walk, load, model, render, links) on a site holding the article.
    #[test]
    fn the_whole_check_never_panics_and_names_the_file(text in prop_oneof![near_miss_article(), valid_front_matter_with(body())]) {
        let site = TestSite::new(SITE_TOML);
        site.write("content/fuzz.md", text.as_bytes());
        let outcome = std::panic::catch_unwind(|| gazette::check(&gazette::BuildOptions { root: site.root().to_path_buf(), ..Default::default() }));
        let Ok(result) = outcome else { return Err(TestCaseError::fail("gazette::check panicked")) };
        if let Err(error) = result {
            prop_assert!(!error.diagnostics.is_empty());
            let lines = text.split('\n').count();
            for d in &error.diagnostics {
                prop_assert!(d.file.ends_with("content/fuzz.md"), "{d}");
                prop_assert!(d.line.is_some(), "no line: {d}");
                prop_assert!(d.line.is_none_or(|l| (1..=lines).contains(&l)), "line beyond the file: {d}");
                // The terminal report never fails, whatever the line.
                let _ = error.with_sources(site.root()).to_string();
            }
        }
    }
}

/// Cases the properties once found, kept so they stay fixed.
#[test]
fn regressions_found_by_the_properties() {
    for text in ["---\n---", "---\n", "---\n\n---\n", "\u{feff}---\r\n---\r\n"] {
        load_like(text.as_bytes(), false).unwrap();
    }
}
