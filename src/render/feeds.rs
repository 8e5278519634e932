//! RSS 2.0 feeds: the site's and one beside every tag, category and region page. Each
//! article's `<item>` is written once and reused by every feed it appears in.

use std::sync::OnceLock;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::load::dates::rfc822;
use crate::model::{Article, Site};
use crate::render::context::SharedData;
use crate::render::fingerprint;
use crate::escape::xml;
use crate::render::pages::ListSpec;
use crate::write::Sink;

/// Every article's `<item>` without its closing tag (the site feed adds the full text),
/// each made the first time a feed needs it and then reused by every other feed.
pub struct FeedItems<'a> {
    site: &'a Site,
    items: Vec<OnceLock<String>>,
}

impl<'a> FeedItems<'a> {
    pub fn new(site: &'a Site) -> Self {
        FeedItems { site, items: (0..site.articles.len()).map(|_| OnceLock::new()).collect() }
    }

    fn get(&self, id: u32) -> &str {
        self.items[id as usize].get_or_init(|| item(self.site, &self.site.articles[id as usize]))
    }
}

fn item(site: &Site, a: &Article) -> String {
    let link = xml(&site.urls.permalink(&a.url));
    let mut item = format!(
        "<item><title>{}</title><link>{link}</link><guid isPermaLink=\"true\">{link}</guid><pubDate>{}</pubDate><description>{}</description>",
        xml(&a.src.meta.title),
        rfc822(&a.src.meta.date),
        xml(&a.src.summary),
    );
    item.push_str(&format!("<category>{}</category>", xml(&site.categories[a.category as usize].name)));
    for &t in &a.tags {
        item.push_str(&format!("<category>{}</category>", xml(&site.tags[t as usize].name)));
    }
    if let Some(author) = &a.src.meta.author {
        // RSS 2.0 wants an e-mail in <author>; a name goes in Dublin Core.
        item.push_str(&format!("<dc:creator>{}</dc:creator>", xml(author)));
    }
    item
}

/// Writes `feed.xml` for every list that has one.
pub fn write_all(site: &Site, data: &SharedData, lists: &[ListSpec], items: &FeedItems, sink: &dyn Sink) -> Result<(), Diagnostic> {
    lists.par_iter().filter(|l| l.feed).try_for_each(|list| {
        let full_text = list.kind == "home" && site.config.feed.full_content;
        let file = format!("{}feed.xml", list.rel);
        let shown = || list.articles.iter().take(site.config.feed.limit).map(|&i| &site.articles[i as usize]);
        let inputs = || {
            // The items come from the entries; the full text from the file.
            let entries: Vec<u64> = list.articles.iter().take(site.config.feed.limit).map(|&i| data.entry_hash(site, i as usize)).collect();
            let bodies: Vec<u64> = if full_text { shown().map(|a| a.src.fingerprint).collect() } else { Vec::new() };
            let settings = (&site.config.title, &site.config.description, &site.config.language);
            fingerprint::of((data.site_hash, settings, list.kind, &list.title, &list.rel, entries, bodies))
        };
        if sink.reuse(&file, &inputs).map_err(|e| Diagnostic::general(format!("cannot write {file}: {e}")))? {
            return Ok(());
        }
        let feed = feed_xml(site, list, items, full_text);
        sink.write(&file, feed.as_bytes()).map_err(|e| Diagnostic::general(format!("cannot write {file}: {e}")))
    })
}

fn feed_xml(site: &Site, list: &ListSpec, items: &FeedItems, full_text: bool) -> String {
    let urls = &site.urls;
    let ids: Vec<u32> = list.articles.iter().take(site.config.feed.limit).copied().collect();
    let title = if list.kind == "home" { site.config.title.clone() } else { format!("{} · {}", list.title, site.config.title) };
    let description = if site.config.description.is_empty() { title.clone() } else { site.config.description.clone() };
    let mut out = String::with_capacity(1024 + ids.iter().map(|&i| items.get(i).len() + 16).sum::<usize>());
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"");
    if full_text {
        out.push_str(" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"");
    }
    out.push_str(">\n<channel>\n");
    out.push_str(&format!("<title>{}</title>\n", xml(&title)));
    out.push_str(&format!("<link>{}</link>\n", xml(&urls.permalink(&urls.url(&list.rel)))));
    out.push_str(&format!("<description>{}</description>\n", xml(&description)));
    out.push_str(&format!("<language>{}</language>\n", xml(&site.config.language)));
    out.push_str(&format!("<generator>gazette {}</generator>\n", env!("CARGO_PKG_VERSION")));
    // The newest date, not the first item's: `weight:` may put an earlier article of the
    // newest day first.
    if let Some(newest) = ids.iter().map(|&id| &site.articles[id as usize].src.meta.date).max_by_key(|date| date.timestamp()) {
        out.push_str(&format!("<lastBuildDate>{}</lastBuildDate>\n", rfc822(newest)));
    }
    let self_url = urls.permalink(&urls.url(&format!("{}feed.xml", list.rel)));
    out.push_str(&format!("<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n", xml(&self_url)));
    for &id in &ids {
        out.push_str(items.get(id));
        if full_text {
            out.push_str("<content:encoded>");
            out.push_str(&xml(&site.articles[id as usize].src.body.html));
            out.push_str("</content:encoded>");
        }
        out.push_str("</item>\n");
    }
    out.push_str("</channel>\n</rss>\n");
    out
}
