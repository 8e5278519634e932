//! `site.toml` → [`Config`]: typed, with defaults, and errors that name the key and line.

use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{suggest, Diagnostic};
use crate::model::related::RelatedConfig;
use crate::text::names;
use crate::text::slug::is_valid_slug;

/// The site configuration, validated. Field docs are the site.toml keys.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute, always ending in `/` (`https://example.org/policy/`).
    pub base_url: String,
    pub language: String,
    pub timezone: jiff::tz::TimeZone,
    pub timezone_name: String,
    pub theme: String,
    pub paginate: usize,
    /// Policy categories in site.toml order: (name, URL slug). Names are normalised
    /// ([`crate::text::names`]), and no two are one name.
    pub categories: Vec<(String, String)>,
    pub related: RelatedConfig,
    pub feed: FeedConfig,
    pub markdown: MarkdownConfig,
    pub search: SearchConfig,
    pub site_info: SiteInfo,
    pub regions: RegionsConfig,
    /// `[[deploy.targets]]` (src/deploy/config.rs).
    pub deploy: crate::deploy::config::DeployConfig,
    pub build: BuildConfig,
    pub variants: VariantsConfig,
}

/// `[build]`: how `gazette build` writes the output (the command line wins).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BuildConfig {
    /// Also write `FILE.gz` and `FILE.br` beside every text file (`--compress`).
    pub compress: bool,
}

/// `[variants]`: script variants of the whole site (SPEC 10).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VariantsConfig {
    /// Also publish the site in traditional characters under `/zh-hant/`.
    pub traditional: bool,
}

/// `[site_info]`: what a government site must show in its footer (SPEC 13). Every key is
/// optional; the theme shows the ones that are set.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct SiteInfo {
    /// 主办单位.
    pub sponsor: String,
    /// 承办单位.
    pub organizer: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    /// ICP备案号, linked to the MIIT filing site.
    pub icp: String,
    /// 公安机关备案号, linked to the national police filing site.
    pub police_record: String,
    /// 网站标识码.
    pub site_code: String,
}

/// `[regions]`: how the regions index orders its top level.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegionsConfig {
    /// The portal's own top-level regions (`["四川省", "重庆市"]`), shown first in this
    /// order; empty: the most-used ones first.
    pub home: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// Write the search page (`/search/`) and its index, and show the search box.
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedConfig {
    /// Items per feed.
    pub limit: usize,
    /// Put each article's full HTML in the site-wide feed (`content:encoded`).
    pub full_content: bool,
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig { limit: 50, full_content: true }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Let raw HTML in articles through unsanitised. Only for sites whose every author is trusted.
    pub allow_raw_html: bool,
}

/// The file as written; `Config` is this after validation.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: String,
    #[serde(default)]
    description: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default = "default_timezone")]
    timezone: String,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default = "default_paginate")]
    paginate: usize,
    #[serde(default)]
    categories: toml::Table,
    #[serde(default)]
    related: RelatedConfig,
    #[serde(default)]
    feed: FeedConfig,
    #[serde(default)]
    markdown: MarkdownConfig,
    #[serde(default)]
    search: SearchConfig,
    #[serde(default)]
    site_info: SiteInfo,
    #[serde(default)]
    regions: RegionsConfig,
    #[serde(default)]
    deploy: crate::deploy::config::RawDeploy,
    #[serde(default)]
    build: BuildConfig,
    #[serde(default)]
    variants: VariantsConfig,
}

const TOP_KEYS: &[&str] =
    &["title", "base_url", "description", "language", "timezone", "theme", "paginate", "categories", "related", "feed", "markdown", "search", "site_info", "regions", "build", "deploy", "variants"];

fn default_language() -> String {
    "zh-CN".into()
}
fn default_timezone() -> String {
    "Asia/Shanghai".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_paginate() -> usize {
    20
}

impl Config {
    /// Reads and validates `<root>/site.toml`.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join("site.toml");
        let text = std::fs::read_to_string(&path).map_err(|e| {
            vec![Diagnostic::new(&path, format!("cannot read site.toml: {e}"))
                .help("run gazette in a site folder (one with site.toml), or pass --root DIR")]
        })?;
        Config::parse(&text, &path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Config, Vec<Diagnostic>> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| vec![toml_diagnostic(&e, text, path)])?;
        validate(raw, text, path)
    }

    /// The configured category that `name` is, by the rules of [`names`] (`科技　合作`,
    /// `科技合作\u{200B}` are `科技合作`): its (name, slug).
    pub fn find_category(&self, name: &str) -> Option<&(String, String)> {
        let key = names::key(&names::normalize(name));
        self.categories.iter().find(|(n, _)| names::key(n) == key)
    }

    /// The path part of `base_url`: `/` or `/policy/`.
    pub fn base_path(&self) -> &str {
        base_path_of(&self.base_url)
    }
}

/// `https://host/policy/` → `/policy/`.
pub fn base_path_of(base_url: &str) -> &str {
    let after_scheme = base_url.find("://").map_or(0, |i| i + 3);
    base_url[after_scheme..].find('/').map_or("/", |i| &base_url[after_scheme + i..])
}

/// Normalises a base URL given on the command line or in site.toml.
pub fn normalize_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("`{url}` is not an absolute http(s) URL"))?;
    if rest.is_empty() || rest.starts_with('/') || rest.contains(char::is_whitespace) || rest.contains(['?', '#']) {
        return Err(format!("`{url}` is not a usable base URL"));
    }
    let mut url = url.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

fn validate(raw: RawConfig, text: &str, path: &Path) -> Result<Config, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let at = |key: &str| key_line(text, key);
    let base_url = normalize_base_url(&raw.base_url).unwrap_or_else(|msg| {
        errors.push(
            Diagnostic::new(path, format!("base_url: {msg}"))
                .at_line(at("base_url"))
                .help("write the address the site is published at, e.g. base_url = \"https://policy.example.org/\""),
        );
        String::from("https://example.invalid/")
    });
    let timezone = jiff::tz::TimeZone::get(&raw.timezone).unwrap_or_else(|_| {
        errors.push(
            Diagnostic::new(path, format!("timezone: `{}` is not a known IANA time zone", raw.timezone))
                .at_line(at("timezone"))
                .help("use a name like \"Asia/Shanghai\""),
        );
        jiff::tz::TimeZone::UTC
    });
    if raw.paginate == 0 {
        errors.push(Diagnostic::new(path, "paginate must be at least 1").at_line(at("paginate")));
    }
    if raw.title.trim().is_empty() {
        errors.push(Diagnostic::new(path, "title is empty").at_line(at("title")));
    }
    let categories = validate_categories(&raw.categories, text, path, &mut errors);
    let site_info = validate_site_info(raw.site_info, text, path, &mut errors);
    let regions = validate_regions(raw.regions, text, path, &mut errors);
    let deploy = crate::deploy::config::validate(raw.deploy, text, path, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Config {
        title: raw.title,
        description: raw.description,
        base_url,
        language: raw.language,
        timezone,
        timezone_name: raw.timezone,
        theme: raw.theme,
        paginate: raw.paginate,
        categories,
        related: raw.related,
        feed: raw.feed,
        markdown: raw.markdown,
        search: raw.search,
        site_info,
        regions,
        build: raw.build,
        deploy,
        variants: raw.variants,
    })
}

/// Trims every `[site_info]` value; an e-mail must look like one (it becomes a mailto: link).
fn validate_site_info(mut info: SiteInfo, text: &str, path: &Path, errors: &mut Vec<Diagnostic>) -> SiteInfo {
    for v in [&mut info.sponsor, &mut info.organizer, &mut info.address, &mut info.phone, &mut info.email, &mut info.icp, &mut info.police_record, &mut info.site_code] {
        *v = v.trim().to_string();
    }
    let e = &info.email;
    if !e.is_empty() && (e.contains(char::is_whitespace) || !e.split_once('@').is_some_and(|(a, b)| !a.is_empty() && b.contains('.'))) {
        errors.push(
            Diagnostic::new(path, format!("site_info.email: `{e}` is not an e-mail address"))
                .at_line(key_line(text, "email"))
                .help("write it as email = \"office@example.gov.cn\""),
        );
    }
    info
}

/// `[regions] home`: names trimmed, none empty, none twice.
fn validate_regions(mut regions: RegionsConfig, text: &str, path: &Path, errors: &mut Vec<Diagnostic>) -> RegionsConfig {
    let line = key_line(text, "home");
    let mut seen: Vec<String> = Vec::new();
    for name in &mut regions.home {
        *name = names::normalize(name);
        if name.is_empty() {
            errors.push(Diagnostic::new(path, "regions.home: an empty region name").at_line(line).help("write top-level regions as named in articles, e.g. home = [\"四川省\", \"重庆市\"]"));
        } else if seen.iter().any(|s| names::key(s) == names::key(name)) {
            errors.push(Diagnostic::new(path, format!("regions.home: `{name}` is given twice")).at_line(line).help("name each region once"));
        }
        seen.push(name.clone());
    }
    regions
}

fn validate_categories(table: &toml::Table, text: &str, path: &Path, errors: &mut Vec<Diagnostic>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (written, value) in table {
        let line = key_line(text, written).or_else(|| key_line(text, &format!("\"{written}\"")));
        let name = names::normalize(written);
        if name.is_empty() {
            errors.push(Diagnostic::new(path, format!("categories: `{written}` is not a name")).at_line(line).help("give the category a name, e.g. \"科技合作\" = \"cooperation\""));
            continue;
        }
        if let Some((other, _)) = out.iter().find(|(n, _)| names::key(n) == names::key(&name)) {
            errors.push(
                Diagnostic::new(path, format!("categories: `{written}` and `{other}` are the same name"))
                    .at_line(line)
                    .help("names that differ only in letter case, spaces or invisible characters are one category (see docs/names.md); remove one"),
            );
            continue;
        }
        let Some(slug) = value.as_str() else {
            errors.push(
                Diagnostic::new(path, format!("categories: the slug of `{name}` must be a string"))
                    .at_line(line)
                    .help(format!("write \"{name}\" = \"ascii-slug\"")),
            );
            continue;
        };
        if !is_valid_slug(slug) {
            errors.push(
                Diagnostic::new(path, format!("categories: `{slug}` (for `{name}`) is not a URL slug"))
                    .at_line(line)
                    .help("use lowercase ASCII letters, digits and single dashes, e.g. \"cooperation\""),
            );
        } else if let Some((other, _)) = out.iter().find(|(_, s)| s == slug) {
            errors.push(
                Diagnostic::new(path, format!("categories: `{name}` and `{other}` share the slug `{slug}`"))
                    .at_line(line)
                    .help("give every category its own slug"),
            );
        }
        out.push((name, slug.to_string()));
    }
    out
}

/// 1-based line where `key = …` is written, for errors toml cannot place.
fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines().position(|l| {
        let l = l.trim_start();
        l.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with('='))
    })
    .map(|i| i + 1)
}

fn toml_diagnostic(err: &toml::de::Error, text: &str, path: &Path) -> Diagnostic {
    let message = err.message().to_string();
    let (line, col) = match err.span() {
        Some(span) => line_col(text, span.start),
        None => (1, 1),
    };
    let mut d = Diagnostic::new(path, format!("site.toml: {message}")).at(line, Some(col));
    if let Some(unknown) = message.strip_prefix("unknown field `").and_then(|r| r.split('`').next()) {
        let hint = match suggest(unknown, TOP_KEYS) {
            Some(k) => format!("did you mean `{k}`?"),
            None => format!("the keys site.toml knows are: {}", TOP_KEYS.join(", ")),
        };
        d = d.help(hint);
    } else if let Some(missing) = message.strip_prefix("missing field `").and_then(|r| r.split('`').next()) {
        d = d.help(format!("add `{missing} = …` at the top of site.toml"));
    }
    d
}

/// 1-based (line, column in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(s, Path::new("site.toml"))
    }

    #[test]
    fn defaults_fill_what_is_not_given() {
        let c = parse("title = \"t\"\nbase_url = \"https://ex.org/policy\"\n").unwrap();
        assert_eq!(c.base_url, "https://ex.org/policy/");
        assert_eq!(c.base_path(), "/policy/");
        assert_eq!(c.paginate, 20);
        assert_eq!(c.language, "zh-CN");
        assert_eq!(c.feed.limit, 50);
        assert!(!c.variants.traditional, "no traditional variant unless asked for");
    }

    #[test]
    fn variants_are_read_and_checked() {
        let c = parse("title = \"t\"\nbase_url = \"https://ex.org/\"\n[variants]\ntraditional = true\n").unwrap();
        assert!(c.variants.traditional);
        let e = parse("title = \"t\"\nbase_url = \"https://ex.org/\"\n[variants]\ntraditonal = true\n").unwrap_err();
        assert!(e[0].message.contains("traditonal"), "{:?}", e[0].message);
        assert_eq!(e[0].line, Some(4));
        let e = parse("title = \"t\"\nbase_url = \"https://ex.org/\"\n[variants]\ntraditional = \"yes\"\n").unwrap_err();
        assert_eq!(e[0].line, Some(4), "{:?}", e[0].message);
    }

    #[test]
    fn categories_keep_their_order() {
        let c = parse("title = \"t\"\nbase_url = \"https://ex.org/\"\n[categories]\n\"政策解读\" = \"interpretation\"\n\"科技合作\" = \"cooperation\"\n").unwrap();
        assert_eq!(c.categories[0], ("政策解读".to_string(), "interpretation".to_string()));
        assert_eq!(c.categories[1].1, "cooperation");
    }

    #[test]
    fn unknown_key_is_named_with_line_and_suggestion() {
        let e = parse("title = \"t\"\nbase_url = \"https://ex.org/\"\npaginat = 3\n").unwrap_err();
        assert_eq!(e[0].line, Some(3));
        assert!(e[0].message.contains("paginat"), "{}", e[0]);
        assert_eq!(e[0].help.as_deref(), Some("did you mean `paginate`?"));
    }

    #[test]
    fn bad_values_are_all_reported() {
        let e = parse("title = \"t\"\nbase_url = \"ex.org\"\ntimezone = \"Mars/Base\"\n[categories]\n\"科技合作\" = \"Co op\"\n").unwrap_err();
        assert_eq!(e.len(), 3, "{e:?}");
        assert_eq!(e[0].line, Some(2));
        assert_eq!(e[1].line, Some(3));
        assert_eq!(e[2].line, Some(5));
    }

    #[test]
    fn category_names_are_normalised_and_one_name_is_one_category() {
        let c = parse("title = \"t\"\nbase_url = \"https://ex.org/\"\n[categories]\n\"科技\u{3000}合作\\u200B\" = \"cooperation\"\n\"AI 政策\" = \"ai\"\n").unwrap();
        assert_eq!(c.categories[0].0, "科技合作");
        assert_eq!(c.categories[1].0, "AI 政策");
        let e = parse("title = \"t\"\nbase_url = \"https://ex.org/\"\n[categories]\n\"AI政策\" = \"ai\"\n\"ai 政策\" = \"ai-2\"\n").unwrap_err();
        assert_eq!(e[0].message, "categories: `ai 政策` and `AI政策` are the same name");
        assert_eq!(e[0].line, Some(5));
        assert_eq!(c.find_category("ai政策\u{200B}").map(|(_, slug)| slug.as_str()), Some("ai"));
        assert_eq!(c.find_category("科技合做"), None);
    }

    #[test]
    fn site_info_is_read_and_unknown_keys_are_named() {
        let c = parse("title = \"t\"\nbase_url = \"https://ex.org/\"\n[site_info]\nsponsor = \" 四川省科学技术厅 \"\nicp = \"蜀ICP备05000001号\"\n").unwrap();
        assert_eq!(c.site_info.sponsor, "四川省科学技术厅");
        assert_eq!(c.site_info.icp, "蜀ICP备05000001号");
        assert_eq!(c.site_info.phone, "");
        let e = parse("title = \"t\"\nbase_url = \"https://ex.org/\"\n[site_info]\nsponser = \"x\"\n").unwrap_err();
        assert!(e[0].message.contains("sponser"), "{}", e[0]);
        assert_eq!(e[0].line, Some(4));
        let e = parse("title = \"t\"\nbase_url = \"https://ex.org/\"\n[site_info]\nemail = \"kjt at sc\"\n").unwrap_err();
        assert_eq!(e[0].line, Some(4), "{e:?}");
    }

    #[test]
    fn regions_home_is_checked() {
        let c = parse("title = \"t\"\nbase_url = \"https://ex.org/\"\n[regions]\nhome = [\"四川省\", \"重庆市\"]\n").unwrap();
        assert_eq!(c.regions.home, ["四川省", "重庆市"]);
        let e = parse("title = \"t\"\nbase_url = \"https://ex.org/\"\n[regions]\nhome = [\"四川省\", \"四川省\"]\n").unwrap_err();
        assert!(e[0].message.contains("twice"), "{}", e[0]);
        assert!(parse("title = \"t\"\nbase_url = \"https://ex.org/\"\n[regions]\nhom = []\n").is_err());
    }

    #[test]
    fn build_compress_is_a_boolean() {
        let base = "title = \"t\"\nbase_url = \"https://ex.org/\"\n";
        assert!(!parse(base).unwrap().build.compress);
        assert!(parse(&format!("{base}[build]\ncompress = true\n")).unwrap().build.compress);
        let e = parse(&format!("{base}[build]\ncompress = \"yes\"\n")).unwrap_err();
        assert_eq!(e[0].line, Some(4), "{e:?}");
        assert!(e[0].message.contains("bool"), "{}", e[0]);
        let e = parse(&format!("{base}[build]\ncompres = true\n")).unwrap_err();
        assert!(e[0].message.contains("compres"), "{}", e[0]);
        assert_eq!(e[0].line, Some(4));
    }

    #[test]
    fn missing_title_is_named() {
        let e = parse("base_url = \"https://ex.org/\"\n").unwrap_err();
        assert!(e[0].message.contains("title"));
    }
}
