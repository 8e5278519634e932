//! `gazette new`: writes a new article file with correct front matter at
//! `content/<year>/<slug>.md`, refusing to overwrite. Like `import`, it produces content
//! and stands outside load → model → render → write.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::Config;
use crate::diagnostics::{suggest, Diagnostic};
use crate::text::names;
use crate::text::slug::{is_valid_slug, pinyin_slug};

/// What `gazette new` was asked for.
#[derive(Debug, Clone, Default)]
pub struct NewArticle {
    pub root: PathBuf,
    pub title: String,
    /// Region paths, province first: `四川省/广元市/旺苍县`.
    pub regions: Vec<String>,
    pub category: String,
    pub tags: Vec<String>,
    /// `YYYY-MM-DD`; today in the site's time zone when absent.
    pub date: Option<String>,
    pub slug: Option<String>,
}

/// The front matter written, in SPEC order. New articles start as drafts (as with Hugo's
/// `new`): they show in `serve --drafts` and `build --drafts` until `draft: true` goes.
#[derive(Serialize)]
struct FrontMatter<'a> {
    title: &'a str,
    date: &'a str,
    region: RegionValue<'a>,
    category: &'a str,
    tags: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    slug: Option<&'a str>,
    draft: bool,
}

#[derive(Serialize)]
#[serde(untagged)]
enum RegionValue<'a> {
    One(&'a str),
    Many(&'a [String]),
}

/// Writes the article and returns its path; nothing is written when anything is wrong.
pub fn new_article(req: &NewArticle) -> Result<PathBuf, Diagnostic> {
    let config = Config::load(&req.root).map_err(|mut errors| errors.remove(0))?;
    let site_toml = req.root.join("site.toml");
    let title = req.title.trim();
    if title.is_empty() {
        return Err(Diagnostic::general("the title is empty").help("gazette new \"标题\" --region 四川省/广元市 --category 科技合作"));
    }
    // Names as the site will read them (docs/names.md): the category as site.toml spells it.
    let regions: Vec<String> = req.regions.iter().map(|r| r.split('/').map(names::normalize).collect::<Vec<_>>().join("/")).collect();
    let tags: Vec<String> = req.tags.iter().map(|t| names::normalize(t)).filter(|t| !t.is_empty()).collect();
    check_regions(&regions)?;
    check_category(&config, &req.category, &site_toml)?;
    let category = config.find_category(&req.category).map_or_else(|| names::normalize(&req.category), |(name, _)| name.clone());
    let date = match &req.date {
        Some(d) => crate::load::dates::parse(d, &config.timezone).map_err(|why| Diagnostic::general(format!("--date {d} {why}")).help("write --date 2024-03-15"))?,
        None => jiff::Zoned::now().with_time_zone(config.timezone.clone()),
    };
    let slug = match &req.slug {
        Some(s) if !is_valid_slug(s) => {
            return Err(Diagnostic::general(format!("--slug `{s}` may only hold lowercase ASCII letters, digits and single dashes")));
        }
        Some(s) => s.clone(),
        None => pinyin_slug(title),
    };
    let date_text = date.strftime("%Y-%m-%d").to_string();
    let front = FrontMatter {
        title,
        date: &date_text,
        region: match regions.as_slice() {
            [one] => RegionValue::One(one),
            many => RegionValue::Many(many),
        },
        category: &category,
        tags: &tags,
        slug: req.slug.as_deref(),
        draft: true,
    };
    let yaml = serde_yaml::to_string(&front).map_err(|e| Diagnostic::general(format!("cannot write the front matter: {e}")))?;
    let path = req.root.join("content").join(date.year().to_string()).join(format!("{slug}.md"));
    write_new(&path, &format!("---\n{yaml}---\n\n"))?;
    Ok(path)
}

fn check_regions(regions: &[String]) -> Result<(), Diagnostic> {
    let bad = regions.is_empty() || regions.iter().any(|r| r.split('/').any(|level| level.trim().is_empty()));
    if bad {
        return Err(Diagnostic::general("every article needs a region, levels joined by `/`").help("--region 四川省/广元市/旺苍县 (repeat --region for several)"));
    }
    Ok(())
}

fn check_category(config: &Config, category: &str, site_toml: &Path) -> Result<(), Diagnostic> {
    let known: Vec<&str> = config.categories.iter().map(|(n, _)| n.as_str()).collect();
    if category.trim().is_empty() {
        return Err(Diagnostic::general("every article needs a category").help(format!("--category {}", known.first().copied().unwrap_or("科技合作"))));
    }
    if known.is_empty() || config.find_category(category).is_some() {
        return Ok(());
    }
    let hint = match suggest(category, &known) {
        Some(k) => format!("did you mean `{k}`? The categories are in [categories] in site.toml"),
        None => format!("use one of: {}", known.join("、")),
    };
    Err(Diagnostic::new(site_toml, format!("unknown category `{category}`")).help(hint))
}

/// Creates the file only if it does not exist yet (no check-then-write race).
fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Diagnostic::new(dir, format!("cannot create the folder: {e}")))?;
    }
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Diagnostic::new(path, "the file already exists; gazette new never overwrites").help("choose another title or give --slug")
        } else {
            Diagnostic::new(path, format!("cannot create the file: {e}"))
        }
    })?;
    file.write_all(text.as_bytes()).map_err(|e| Diagnostic::new(path, format!("cannot write the file: {e}")))
}
