//! Splits an article into YAML front matter and Markdown body, and turns the YAML into a
//! typed [`FrontMatter`]: unknown keys rejected (with a suggestion), required keys checked,
//! scalars read as strings where strings are expected, every problem placed on its line.

use std::collections::HashMap;

use serde::Deserialize;

use crate::diagnostics::suggest;
use crate::load::dates;
use crate::load::markdown::raw_html::find_unclosed;
use crate::text::names;
use crate::text::slug::is_valid_slug;

/// A problem in one article, placed on a line of the file (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    fn new(line: usize, message: impl Into<String>) -> Self {
        Problem { line, column: None, message: message.into(), help: None }
    }
    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Where an article names its origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub name: String,
    pub url: String,
}

/// The front matter, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter {
    pub title: String,
    pub date: jiff::Zoned,
    /// Each region as its levels, province first: `[四川省, 广元市, 旺苍县]`.
    pub regions: Vec<Vec<String>>,
    pub category: String,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub source: Option<Source>,
    pub author: Option<String>,
    pub slug: Option<String>,
    pub updated: Option<jiff::Zoned>,
    pub draft: bool,
    pub aliases: Vec<String>,
    /// Order among the articles of one day, lower first (`weight:` as in Hugo); 0 when
    /// not given, which, as in Hugo, is no weight: after every weighted article of the
    /// day. The model's `order` module says how it combines with the date.
    pub weight: i32,
    /// Marked as the home page's lead story (头条, `featured: true`): the newest article
    /// so marked leads; without one, the newest article does.
    pub featured: bool,
    pub extra: serde_json::Value,
    /// The file line of each top-level key, for errors found later (an unknown category,
    /// a URL taken twice).
    pub key_lines: KeyLines,
}

impl FrontMatter {
    /// The file line where `key` is written, if it is.
    pub fn line_of(&self, key: &str) -> Option<usize> {
        self.key_lines.get(key)
    }
}

pub const KEYS: &[&str] =
    &["title", "date", "region", "category", "tags", "summary", "source", "author", "slug", "updated", "draft", "aliases", "weight", "featured", "extra"];

/// Where each key of [`KEYS`] is written (file line numbers: YAML line + 1 for the `---`;
/// 0 when absent). A fixed array, not a map: every article keeps one until the build
/// ends, and a map of owned key names cost about 700 bytes an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KeyLines([u32; KEYS.len()]);

impl KeyLines {
    fn of(yaml: &str) -> Self {
        let mut lines = KeyLines::default();
        for (i, line) in yaml.lines().enumerate() {
            let slot = top_level_key(line).and_then(|key| KEYS.iter().position(|k| *k == key));
            if let Some(slot) = slot.filter(|&slot| lines.0[slot] == 0) {
                lines.0[slot] = u32::try_from(i + 2).unwrap_or(u32::MAX);
            }
        }
        lines
    }

    /// The line of `key`, if it is written.
    pub fn get(&self, key: &str) -> Option<usize> {
        let slot = KEYS.iter().position(|k| *k == key)?;
        (self.0[slot] > 0).then_some(self.0[slot] as usize)
    }
}

/// Splits `---\n yaml \n---\n body`. Returns (yaml, body, the body's first line number).
/// A body whose raw HTML leaves open what would swallow the rest of it is refused here
/// ([`check_raw_html`]).
pub fn split(text: &str) -> Result<(&str, &str, usize), Problem> {
    let Some(rest) = text.strip_prefix("---\n").or_else(|| (text.trim_end() == "---").then_some("")) else {
        let msg = if text.trim().is_empty() { "the file is empty" } else { "the file does not start with front matter" };
        return Err(Problem::new(1, msg).help("start the file with a line `---`, the front matter (title, date, region, category), and another `---`"));
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let body_line = 2 + yaml.matches('\n').count() + 1;
            check_raw_html(body, body_line)?;
            return Ok((yaml, body, body_line));
        }
        offset += line.len();
    }
    Err(Problem::new(1, "the front matter is not closed").help("add a line `---` after the last front-matter key"))
}

/// An unclosed `<script>`, `<!--`, `<template>` … in the body ([`find_unclosed`]), placed
/// on its file line. Checked in [`split`], the one step every article file passes before
/// its body is rendered, so that `build` and `check` both refuse it, drafts included.
fn check_raw_html(body: &str, body_line: usize) -> Result<(), Problem> {
    let Some(unclosed) = find_unclosed(body) else { return Ok(()) };
    let before = body.get(..unclosed.offset).unwrap_or(body);
    let line = body_line + before.matches('\n').count();
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Err(Problem { line, column: Some(column), message: unclosed.message(), help: Some(unclosed.help()) })
}

/// Parses the YAML between the `---` lines. Line numbers are those of the whole file.
pub fn parse(yaml: &str, tz: &jiff::tz::TimeZone) -> Result<FrontMatter, Vec<Problem>> {
    let key_lines = KeyLines::of(yaml);
    if let Some(dup) = duplicate_key(yaml) {
        return Err(vec![dup]);
    }
    let raw: RawFrontMatter = if yaml.trim().is_empty() {
        RawFrontMatter::default()
    } else {
        serde_yaml::from_str(yaml).map_err(|e| vec![yaml_problem(&e, yaml)])?
    };
    validate(raw, key_lines, tz)
}

fn top_level_key(line: &str) -> Option<&str> {
    if line.starts_with([' ', '\t', '#', '-']) {
        return None;
    }
    let (key, _) = line.split_once(':')?;
    let key = key.trim().trim_matches(['"', '\'']);
    (!key.is_empty()).then_some(key)
}

/// serde_yaml reports a duplicate key without a line; find it ourselves.
fn duplicate_key(yaml: &str) -> Option<Problem> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, line) in yaml.lines().enumerate() {
        if let Some(key) = top_level_key(line) {
            if let Some(first) = seen.insert(key, i + 2) {
                return Some(
                    Problem::new(i + 2, format!("the key `{key}` is given twice (first on line {first})"))
                        .help("keep one of them; YAML would silently drop the other"),
                );
            }
        }
    }
    None
}

fn yaml_problem(e: &serde_yaml::Error, yaml: &str) -> Problem {
    // An alias bomb comes without a location: it is placed on the first alias instead.
    let (line, column) = e.location().map_or_else(|| (first_alias_line(yaml).unwrap_or(1), None), |l| (l.line() + 1, Some(l.column())));
    let text = e.to_string();
    // serde_yaml appends " at line X column Y"; we place the problem ourselves.
    let message = text.split(" at line ").next().unwrap_or(&text).to_string();
    let mut p = Problem { line, column, message: format!("front matter: {message}"), help: None };
    if let Some(unknown) = message.strip_prefix("unknown field `").and_then(|r| r.split('`').next()) {
        p.help = Some(match suggest(unknown, KEYS) {
            Some(k) => format!("did you mean `{k}`? (free-form keys for themes go under `extra:`)"),
            None => format!("known keys: {}; free-form keys go under `extra:`", KEYS.join(", ")),
        });
    } else if message.contains("expected a boolean") {
        p.help = Some("write `true` or `false`, without quotes (e.g. `featured: true`)".into());
    } else if message.contains("repetition limit") || message.contains("recursion limit") {
        p.help = Some("remove the YAML anchors and aliases (`&x`, `*x`) from the front matter".into());
    } else {
        p.help = Some("check the YAML syntax on this line; quote values that contain `:` or start with `[`, `{`, `*`, `&`".into());
    }
    p
}

/// The file line of the first YAML alias (`*name`) in the front matter.
fn first_alias_line(yaml: &str) -> Option<usize> {
    let is_alias = |line: &str| line.match_indices('*').any(|(i, _)| line[i + 1..].chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_'));
    yaml.lines().position(is_alias).map(|i| i + 2)
}

/// A scalar read as text, whether YAML saw a string, a number or a boolean (`tags: [2024, 5G]`).
#[derive(Debug, Clone, PartialEq)]
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_yaml::Value::deserialize(d)? {
            serde_yaml::Value::String(s) => Ok(Text(s)),
            serde_yaml::Value::Number(n) => Ok(Text(n.to_string())),
            serde_yaml::Value::Bool(b) => Ok(Text(b.to_string())),
            serde_yaml::Value::Null => Ok(Text(String::new())),
            _ => Err(serde::de::Error::custom("expected a single value, not a list or a map")),
        }
    }
}

/// One value or a list of them (`region: 四川省` or `region: [a, b]`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(Text),
    Many(Vec<Text>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(t) => vec![t.0],
            OneOrMany::Many(v) => v.into_iter().map(|t| t.0).collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
enum RawSource {
    Name(Text),
    Full(SourceMap),
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceMap {
    name: Text,
    #[serde(default)]
    url: Option<Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrontMatter {
    title: Option<Text>,
    date: Option<Text>,
    region: Option<OneOrMany>,
    category: Option<Text>,
    tags: Option<OneOrMany>,
    summary: Option<Text>,
    source: Option<RawSource>,
    author: Option<Text>,
    slug: Option<Text>,
    updated: Option<Text>,
    draft: Option<bool>,
    aliases: Option<OneOrMany>,
    weight: Option<Text>,
    featured: Option<bool>,
    extra: Option<serde_yaml::Value>,
}

fn validate(raw: RawFrontMatter, lines: KeyLines, tz: &jiff::tz::TimeZone) -> Result<FrontMatter, Vec<Problem>> {
    let mut problems = Vec::new();
    let line = |key: &str| lines.get(key).unwrap_or(1);
    let mut required = |key: &str, value: Option<Text>, example: &str| -> String {
        match value.map(|t| t.0.trim().to_string()) {
            Some(v) if !v.is_empty() => v,
            Some(_) => {
                problems.push(Problem::new(line(key), format!("`{key}` is empty")).help(format!("write e.g. `{key}: {example}`")));
                String::new()
            }
            None => {
                problems.push(Problem::new(1, format!("the required key `{key}` is missing")).help(format!("add e.g. `{key}: {example}`")));
                String::new()
            }
        }
    };
    let title = required("title", raw.title, "携手共谋县域创新 四川首次举办局县科技会商");
    let date_text = required("date", raw.date, "2024-03-15");
    let category = required("category", raw.category.map(|t| Text(names::normalize(&t.0))), "科技合作");
    let regions = match raw.region {
        Some(r) => parse_regions(r.into_vec(), line("region"), &mut problems),
        None => {
            problems.push(Problem::new(1, "the required key `region` is missing").help("add e.g. `region: 四川省/广元市/旺苍县`"));
            Vec::new()
        }
    };
    let date = parse_date(&date_text, "date", line("date"), tz, &mut problems);
    let updated = raw.updated.filter(|t| !t.0.trim().is_empty()).and_then(|t| parse_date(t.0.trim(), "updated", line("updated"), tz, &mut problems));
    let slug = raw.slug.map(|t| t.0.trim().to_string()).filter(|s| !s.is_empty());
    if let Some(s) = &slug {
        if !is_valid_slug(s) {
            problems.push(
                Problem::new(line("slug"), format!("slug `{s}` may only hold lowercase ASCII letters, digits and single dashes"))
                    .help("e.g. `slug: wangcang-county-consultation`, or remove it to get a pinyin slug from the title"),
            );
        }
    }
    let tags = clean_names(raw.tags.map(OneOrMany::into_vec).unwrap_or_default());
    let aliases = clean_list(raw.aliases.map(OneOrMany::into_vec).unwrap_or_default());
    for alias in &aliases {
        if let Err(why) = check_alias(alias) {
            problems.push(Problem::new(line("aliases"), format!("alias `{alias}` {why}")).help("write a path on this site, e.g. `aliases: [/old/path.html]`"));
        }
    }
    let weight = match raw.weight.map(|t| t.0.trim().to_string()).filter(|w| !w.is_empty()) {
        None => 0,
        Some(w) => w.parse::<i32>().unwrap_or_else(|_| {
            problems.push(
                Problem::new(line("weight"), format!("`weight: {w}` is not a whole number"))
                    .help("write e.g. `weight: 1`: among the articles of one day, lower weights come first"),
            );
            0
        }),
    };
    let extra = match raw.extra.map(serde_json::to_value) {
        None => serde_json::Value::Object(Default::default()),
        Some(Ok(v)) => v,
        Some(Err(e)) => {
            problems.push(Problem::new(line("extra"), format!("`extra` cannot be used by templates: {e}")));
            serde_json::Value::Null
        }
    };
    let source = raw.source.map(|s| match s {
        RawSource::Name(n) => Source { name: n.0.trim().to_string(), url: String::new() },
        RawSource::Full(m) => Source { name: m.name.0.trim().to_string(), url: m.url.map(|u| crate::escape::href(u.0.trim())).unwrap_or_default() },
    });
    if let Some(src) = &source {
        if !src.url.is_empty() && !(src.url.starts_with("https://") || src.url.starts_with("http://")) {
            problems.push(Problem::new(line("source"), format!("source url `{}` is not an http(s) address", src.url)).help("write `source: { name: 石家庄地方网, url: \"https://…\" }`"));
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        return Err(problems);
    }
    let Some(date) = date else { return Err(problems) };
    Ok(FrontMatter {
        title,
        date,
        regions,
        category,
        tags,
        summary: raw.summary.map(|t| t.0.trim().to_string()).filter(|s| !s.is_empty()),
        source: source.filter(|s| !s.name.is_empty()),
        author: raw.author.map(|t| t.0.trim().to_string()).filter(|s| !s.is_empty()),
        slug,
        updated,
        draft: raw.draft.unwrap_or(false),
        aliases,
        weight,
        featured: raw.featured.unwrap_or(false),
        extra,
        key_lines: lines,
    })
}

fn parse_date(text: &str, key: &str, line: usize, tz: &jiff::tz::TimeZone, problems: &mut Vec<Problem>) -> Option<jiff::Zoned> {
    if text.is_empty() {
        return None;
    }
    dates::parse(text, tz)
        .map_err(|why| {
            let help = match why {
                dates::DateError::OutOfRange { .. } => {
                    format!("dates run from {}-01-01 to {}-12-31; check the year for a typo", dates::MIN_YEAR, dates::MAX_YEAR)
                }
                _ => "write `2024-03-15` or `2024-03-15T09:30:00+08:00`".to_string(),
            };
            problems.push(Problem::new(line, format!("`{key}: {text}` {why}")).help(help))
        })
        .ok()
}

fn parse_regions(paths: Vec<String>, line: usize, problems: &mut Vec<Problem>) -> Vec<Vec<String>> {
    let mut regions: Vec<Vec<String>> = Vec::new();
    for path in paths {
        let levels: Vec<String> = path.split('/').map(names::normalize).collect();
        let keys: Vec<String> = levels.iter().map(|l| names::key(l)).collect();
        if levels.iter().any(String::is_empty) {
            problems.push(
                Problem::new(line, format!("region `{path}` has an empty level"))
                    .help("join levels with single `/`, province first: `四川省/广元市/旺苍县`"),
            );
        } else if !regions.iter().any(|r| r.iter().map(|l| names::key(l)).eq(keys.iter().cloned())) {
            regions.push(levels);
        }
    }
    if regions.is_empty() && problems.is_empty() {
        problems.push(Problem::new(line, "`region` is empty").help("write e.g. `region: 四川省/广元市/旺苍县`"));
    }
    regions
}

/// Tag names [normalised](names::normalize), without empties and without repeats (two
/// spellings of one name keep the first), in the order given.
fn clean_names(items: Vec<String>) -> Vec<String> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(items.len());
    for item in items {
        let name = names::normalize(&item);
        let key = names::key(&name);
        if !name.is_empty() && !out.iter().any(|(k, _)| *k == key) {
            out.push((key, name));
        }
    }
    out.into_iter().map(|(_, name)| name).collect()
}

/// Trims, drops empties and repeats, keeps the order given.
fn clean_list(items: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        let item = item.trim().to_string();
        if !item.is_empty() && !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// An alias must be a path on this site that cannot climb out of the output folder.
fn check_alias(alias: &str) -> Result<(), &'static str> {
    if !alias.starts_with('/') || alias.starts_with("//") {
        return Err("must start with a single `/`");
    }
    if alias.contains('\\') || alias.contains('\0') || alias.contains(['?', '#']) {
        return Err("may not contain `\\`, `?`, `#` or control characters");
    }
    if alias.split('/').any(|seg| seg == ".." || seg == ".") {
        return Err("may not contain `.` or `..` segments");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tz() -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get("Asia/Shanghai").unwrap()
    }

    const GOOD: &str = "title: 携手共谋县域创新\ndate: 2024-03-15\nregion: 四川省/广元市/旺苍县\ncategory: 科技合作\ntags: [局县会商, 2024, 5G]\n";

    #[test]
    fn weight_is_a_whole_number_and_zero_when_absent() {
        assert_eq!(parse(GOOD, &tz()).unwrap().weight, 0);
        assert_eq!(parse(&format!("{GOOD}weight: -2\n"), &tz()).unwrap().weight, -2);
        let problems = parse(&format!("{GOOD}weight: 1.5\n"), &tz()).unwrap_err();
        assert_eq!((problems[0].line, problems[0].message.as_str()), (7, "`weight: 1.5` is not a whole number"));
        assert!(parse(&format!("{GOOD}weight: [1]\n"), &tz()).is_err());
        let typo = parse(&format!("{GOOD}wieght: 1\n"), &tz()).unwrap_err();
        assert!(typo[0].help.as_deref().unwrap_or_default().contains("`weight`"), "{typo:?}");
    }

    #[test]
    fn splits_front_matter_and_body() {
        let (yaml, body, line) = split("---\ntitle: x\n---\n正文\n").unwrap();
        assert_eq!(yaml, "title: x\n");
        assert_eq!(body, "正文\n");
        assert_eq!(line, 4);
    }

    #[test]
    fn an_unclosed_comment_in_the_body_is_placed_on_its_file_line() {
        let p = split("---\ntitle: x\n---\n\n前文。\n\n前文<template>正文\n\n正文第二段。\n").unwrap_err();
        assert_eq!((p.line, p.column), (7, Some(3)));
        assert!(p.message.starts_with("`<template>` is opened here and never closed"), "{}", p.message);
        assert!(split("---\ntitle: x\n---\n用 `<!--` 开始注释。\n").is_ok());
    }

    #[test]
    fn unclosed_and_missing_front_matter_are_errors() {
        assert!(split("---\ntitle: x\n").unwrap_err().message.contains("not closed"));
        assert!(split("正文").unwrap_err().message.contains("does not start"));
        assert!(split("").unwrap_err().message.contains("empty"));
    }

    #[test]
    fn key_lines_are_file_lines_of_top_level_keys() {
        // Line 1 of the file is `---`; a nested `slug:` and a comment are not keys.
        let yaml = "title: 甲\ndate: 2024-03-15\nextra:\n  slug: 不是\n# category: 不是\ncategory: 科技合作\nregion: 四川省\n";
        let fm = parse(yaml, &tz()).unwrap();
        assert_eq!(fm.line_of("title"), Some(2));
        assert_eq!(fm.line_of("category"), Some(7));
        assert_eq!(fm.line_of("region"), Some(8));
        assert_eq!(fm.line_of("slug"), None);
        assert_eq!(fm.line_of("no-such-key"), None);
    }

    #[test]
    fn scalars_are_read_as_strings() {
        let fm = parse(GOOD, &tz()).unwrap();
        assert_eq!(fm.tags, ["局县会商", "2024", "5G"]);
        assert_eq!(fm.regions, [vec!["四川省", "广元市", "旺苍县"]]);
        assert_eq!(fm.date.to_string(), "2024-03-15T00:00:00+08:00[Asia/Shanghai]");
    }

    #[test]
    fn names_are_normalised_where_they_enter() {
        let yaml = "title: 甲\ndate: 2024-03-15\nregion: [\"四川省 / 广元市\\u200b\", 四川省/广元市]\ncategory: \"科技合作\\u200b\"\ntags: [科技　创新, \"科技\\u200b创新\", AI, ai, \"Que\\u0301bec\", \"\\u200b\"]\n";
        let fm = parse(yaml, &tz()).unwrap();
        assert_eq!(fm.category, "科技合作");
        assert_eq!(fm.regions, [vec!["四川省", "广元市"]]);
        assert_eq!(fm.tags, ["科技创新", "AI", "Québec"]);
        let p = parse(&GOOD.replace("category: 科技合作", "category: \"\\u200b\""), &tz()).unwrap_err();
        assert_eq!(p[0].message, "`category` is empty");
    }

    #[test]
    fn several_regions() {
        let fm = parse(&GOOD.replace("region: 四川省/广元市/旺苍县", "region: [重庆市/北碚区, 四川省/绵阳市]"), &tz()).unwrap();
        assert_eq!(fm.regions.len(), 2);
        assert_eq!(fm.regions[1], ["四川省", "绵阳市"]);
    }

    #[test]
    fn misspelt_key_is_named_on_its_line_with_a_suggestion() {
        let yaml = GOOD.replace("category:", "catagory:");
        let p = &parse(&yaml, &tz()).unwrap_err()[0];
        assert_eq!(p.line, 5);
        assert!(p.message.contains("catagory"), "{}", p.message);
        assert!(p.help.as_deref().unwrap().contains("`category`"));
    }

    #[test]
    fn missing_required_keys_are_all_reported() {
        let p = parse("title: x\n", &tz()).unwrap_err();
        let msgs: Vec<_> = p.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(p.len(), 3, "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("`date`")));
        assert!(msgs.iter().any(|m| m.contains("`region`")));
        assert!(msgs.iter().any(|m| m.contains("`category`")));
    }

    #[test]
    fn impossible_date_is_placed() {
        let p = parse(&GOOD.replace("2024-03-15", "2024-02-30"), &tz()).unwrap_err();
        assert_eq!(p[0].line, 3);
        assert!(p[0].message.contains("2024-02-30"));
    }

    #[test]
    fn duplicate_key_is_placed() {
        let p = parse(&format!("{GOOD}title: again\n"), &tz()).unwrap_err();
        assert_eq!(p[0].line, 7);
        assert!(p[0].message.contains("twice"));
    }

    #[test]
    fn yaml_syntax_error_is_placed() {
        let p = parse("title: [unclosed\ndate: 2024-01-01\n", &tz()).unwrap_err();
        assert!(p[0].line >= 2, "{p:?}");
    }

    #[test]
    fn alias_bomb_is_rejected() {
        let bomb = "title: &a [x, x, x, x, x, x, x, x, x]\nextra:\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n  g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n  h: [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n";
        assert!(parse(bomb, &tz()).is_err());
    }

    #[test]
    fn bad_slug_and_alias_are_errors() {
        let p = parse(&format!("{GOOD}slug: 旺苍\naliases: [/../../etc/passwd]\n"), &tz()).unwrap_err();
        assert_eq!(p.len(), 2, "{p:?}");
    }

    #[test]
    fn source_as_name_or_map() {
        let fm = parse(&format!("{GOOD}source: {{ name: 石家庄地方网, url: \"https://sjz.zhxinw.cn/\" }}\n"), &tz()).unwrap();
        assert_eq!(fm.source.unwrap().url, "https://sjz.zhxinw.cn/");
        let fm = parse(&format!("{GOOD}source: 今日重慶\n"), &tz()).unwrap();
        assert_eq!(fm.source.unwrap().name, "今日重慶");
    }

    #[test]
    fn source_urls_from_old_cms_pages_are_percent_encoded() {
        let fm = parse(&format!("{GOOD}source: {{ name: 四川省科技厅, url: \"https://kjt.sc.gov.cn/通知 2024.html?id=\\\"7\\\"&t=[1]#第一條#注\" }}\n"), &tz()).unwrap();
        assert_eq!(fm.source.unwrap().url, "https://kjt.sc.gov.cn/通知%202024.html?id=%227%22&t=%5B1%5D#第一條%23注");
    }
}
