//! Internal links, for `gazette check`: every link from an article to this site must lead
//! to a file the build writes, and a `#fragment` to an id on the article it points at.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::model::urls::rel;
use crate::model::Site;

/// Problems with the internal links of every article; `outputs` are the files the build writes.
pub fn check_internal_links(site: &Site, root: &Path, outputs: &HashSet<String>) -> Vec<Diagnostic> {
    let by_location: HashMap<&str, usize> = site.articles.iter().enumerate().map(|(i, a)| (a.rel.as_str(), i)).collect();
    let ids: Vec<HashSet<&str>> = site.articles.iter().map(|a| ids_in(&a.src.body.html)).collect();
    let mut problems: Vec<Diagnostic> = site
        .articles
        .par_iter()
        .flat_map_iter(|article| {
            hrefs_in(&article.src.body.html)
                .filter_map(|href| {
                    let target = internal_target(site, &article.url, &href)?;
                    let why = broken(&target, outputs, &by_location, &ids)?;
                    let shown = percent_decode(&href);
                    let line = source_line(&root.join(&article.src.path), &shown);
                    Some(Diagnostic::new(&article.src.path, format!("broken internal link `{shown}`: {why}")).at_line(line))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    problems
}

/// A link into this site: the location relative to the site root and the fragment.
struct Target {
    location: String,
    fragment: Option<String>,
}

/// `None` for links that leave the site (other hosts, mailto:, …).
fn internal_target(site: &Site, page_url: &str, href: &str) -> Option<Target> {
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or_default();
    let base_url = site.config.base_url.as_str();
    let absolute = if path.is_empty() {
        page_url.to_string()
    } else if let Some(rest) = path.strip_prefix(base_url.trim_end_matches('/')) {
        format!("/{}", rest.trim_start_matches('/'))
    } else if path.starts_with("//") || path.contains(':') {
        return None;
    } else if path.starts_with('/') {
        path.to_string()
    } else {
        resolve_relative(page_url, path)
    };
    let base_path = site.urls.base_path();
    let location = match absolute.strip_prefix(base_path) {
        Some(l) => percent_decode(l),
        None => format!("\u{0}outside {base_path}"),
    };
    Some(Target { location, fragment })
}

/// Why a link is broken, or `None` when it is fine.
fn broken(t: &Target, outputs: &HashSet<String>, by_location: &HashMap<&str, usize>, ids: &[HashSet<&str>]) -> Option<String> {
    if t.location.starts_with('\u{0}') {
        return Some("it points outside the site's base path".into());
    }
    let with_slash = if t.location.is_empty() || t.location.ends_with('/') || t.location.contains('.') { t.location.clone() } else { format!("{}/", t.location) };
    if !outputs.contains(&rel::file(&t.location)) && !outputs.contains(&rel::file(&with_slash)) {
        return Some("no page of the site has this URL".into());
    }
    let fragment = t.fragment.as_deref().filter(|f| !f.is_empty())?;
    // Anchors are checked on article pages, whose ids gazette knows.
    let ids = &ids[*by_location.get(with_slash.as_str())?];
    let fragment = percent_decode(fragment);
    (!ids.contains(fragment.as_str())).then(|| format!("the page has no heading or anchor `#{fragment}`"))
}

/// `href="…"` values of an HTML fragment, entity `&amp;` decoded.
fn hrefs_in(html: &str) -> impl Iterator<Item = String> + '_ {
    html.split("href=\"").skip(1).filter_map(|s| s.split('"').next()).map(|h| h.replace("&amp;", "&"))
}

fn ids_in(html: &str) -> HashSet<&str> {
    html.split(" id=\"").skip(1).filter_map(|s| s.split('"').next()).collect()
}

/// `../b/` from `/2024/03/a/` → `/2024/03/b/`.
fn resolve_relative(page_url: &str, path: &str) -> String {
    let mut parts: Vec<&str> = page_url.split('/').filter(|p| !p.is_empty()).collect();
    for segment in path.split('/') {
        match segment {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let trailing = if path.ends_with('/') || path.ends_with("/.") || path.ends_with("..") { "/" } else { "" };
    format!("/{}{trailing}", parts.join("/"))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The line of the article that holds the link, read again only when a link is broken.
fn source_line(path: &Path, href: &str) -> Option<usize> {
    let text = std::fs::read_to_string(path).ok()?;
    let path_part = href.split('#').next().filter(|p| !p.is_empty()).unwrap_or(href);
    let line_with = |needle: &str| text.lines().position(|l| l.contains(needle)).map(|i| i + 1);
    line_with(href).or_else(|| line_with(path_part))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_resolve_against_the_page() {
        assert_eq!(resolve_relative("/2024/03/a/", "../b/"), "/2024/03/b/");
        assert_eq!(resolve_relative("/2024/03/a/", "../../../tags/x/"), "/tags/x/");
        assert_eq!(resolve_relative("/policy/2024/03/a/", "img.png"), "/policy/2024/03/a/img.png");
    }

    #[test]
    fn percent_decoding_keeps_chinese() {
        assert_eq!(percent_decode("%E6%96%B0%E9%97%BB/"), "新闻/");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
