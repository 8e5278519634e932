//! `sitemap.xml` (sitemaps.org 0.9; split under a sitemap index above 50,000 URLs, as the
//! protocol requires) and `robots.txt` pointing at it.

use crate::diagnostics::Diagnostic;
use crate::load::dates::rfc3339;
use crate::model::Site;
use crate::escape::xml;
use crate::render::context::SharedData;
use crate::render::fingerprint;
use crate::render::pages::ListSpec;
use crate::render::variants::Twins;
use crate::write::Sink;

/// The protocol's limit of URLs per sitemap file.
const MAX_URLS: usize = 50_000;

pub fn write(site: &Site, data: &SharedData, lists: &[ListSpec], sink: &dyn Sink) -> Result<(), Diagnostic> {
    let put = |file: &str, text: String| sink.write(file, text.as_bytes()).map_err(|e| Diagnostic::general(format!("cannot write {file}: {e}")));
    let robots = format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", site.urls.permalink(&site.urls.url("sitemap.xml")));
    put("robots.txt", robots)?;
    let scripts = if site.config.variants.traditional { 2 } else { 1 };
    let urls = (site.articles.len() + lists.len() + 4) * scripts;
    if urls <= MAX_URLS {
        // Made of the entries (URLs, dates) and the lists (their pages, newest article).
        let inputs = || {
            let lists: Vec<(&str, &[u32])> = lists.iter().map(|l| (l.rel.as_str(), l.articles)).collect();
            fingerprint::of((data.site_hash, data.entry_hashes(site).collect::<Vec<u64>>(), lists))
        };
        if sink.reuse("sitemap.xml", &inputs).map_err(|e| Diagnostic::general(format!("cannot write sitemap.xml: {e}")))? {
            return Ok(());
        }
    }
    let entries = entries(site, lists);
    if entries.len() <= MAX_URLS {
        put("sitemap.xml", urlset(&entries))?;
    } else {
        let mut index = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (n, chunk) in entries.chunks(MAX_URLS).enumerate() {
            let file = format!("sitemap-{}.xml", n + 1);
            let loc = site.urls.permalink(&site.urls.url(&file));
            index.push_str(&format!("<sitemap><loc>{}</loc></sitemap>\n", xml(&loc)));
            put(&file, urlset(chunk))?;
        }
        index.push_str("</sitemapindex>\n");
        put("sitemap.xml", index)?;
    }
    Ok(())
}

/// (permalink, lastmod) of every page worth indexing: articles, the first page of every
/// list, and the term indexes. Later pages of a list are reachable from the first.
fn entries(site: &Site, lists: &[ListSpec]) -> Vec<(String, Option<String>)> {
    let modified = |id: u32| {
        let m = &site.articles[id as usize].src.meta;
        m.updated.as_ref().unwrap_or(&m.date)
    };
    let lastmod = |id: u32| rfc3339(modified(id));
    let permalink = |rel: &str| site.urls.permalink(&site.urls.url(rel));
    let mut out = Vec::with_capacity(site.articles.len() + lists.len() + 4);
    for list in lists {
        // Compared as instants, formatted once: a region's list can hold most of the site.
        let newest = list.articles.iter().copied().max_by_key(|&i| modified(i).timestamp()).map(lastmod);
        out.push((permalink(&list.rel), newest));
    }
    for location in ["tags/", "categories/", "regions/", "archive/"] {
        out.push((permalink(location), None));
    }
    for (i, a) in site.articles.iter().enumerate() {
        out.push((site.urls.permalink(&a.url), Some(lastmod(i as u32))));
    }
    if site.config.variants.traditional {
        // Every page again in traditional characters (SPEC 10), as plain entries.
        let twins = Twins::new(&site.config.base_url);
        let hant: Vec<_> = out.iter().filter_map(|(loc, m)| Some((twins.map(loc)?, m.clone()))).collect();
        out.extend(hant);
    }
    out
}

fn urlset(entries: &[(String, Option<String>)]) -> String {
    let mut out = String::with_capacity(entries.len() * 120 + 200);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (loc, lastmod) in entries {
        out.push_str("<url><loc>");
        out.push_str(&xml(loc));
        out.push_str("</loc>");
        if let Some(m) = lastmod {
            out.push_str("<lastmod>");
            out.push_str(m);
            out.push_str("</lastmod>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}
