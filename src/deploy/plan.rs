//! What a deploy does, decided before anything is sent: local files against what the
//! target lists. A file whose MD5 is the target's is skipped; the rest go up, assets
//! first and pages (HTML, XML) after them; files the target has and the build does not
//! are deleted last. Recomputed from the listing every run, so a deploy that was
//! interrupted is finished by the next one.

use std::collections::HashMap;

use super::backend::RemoteFile;
use super::headers::{is_hashed, is_page};
use super::local::LocalFile;

#[derive(Debug, Default)]
pub struct Plan {
    /// Everything but pages, sent first: a page never refers to an asset not yet there.
    pub assets: Vec<LocalFile>,
    /// HTML and XML (pages, feeds, the sitemap).
    pub pages: Vec<LocalFile>,
    pub delete: Vec<String>,
    pub unchanged: usize,
    /// Uploads that replace a file the target held (a CDN may have cached the old one).
    pub replaced: Vec<String>,
}

impl Plan {
    pub fn new(local: Vec<LocalFile>, remote: Vec<RemoteFile>, force: bool) -> Plan {
        let mut remote: HashMap<String, Option<[u8; 16]>> = remote.into_iter().map(|r| (r.rel, r.md5)).collect();
        let mut plan = Plan::default();
        for file in local {
            let held = remote.remove(&file.rel);
            let same = matches!(held, Some(Some(md5)) if md5 == file.md5);
            if same && !force {
                plan.unchanged += 1;
                continue;
            }
            if held.is_some() {
                plan.replaced.push(file.rel.clone());
            }
            if is_page(&file.rel) {
                plan.pages.push(file);
            } else {
                plan.assets.push(file);
            }
        }
        plan.delete = remote.into_keys().collect();
        plan.delete.sort();
        plan.replaced.sort();
        plan
    }

    /// The files a CDN in front of the target may hold stale copies of: those replaced
    /// and those deleted, except hashed assets (a new version has a new name, so such a
    /// name is never replaced; its deletion only follows its pages').
    pub fn stale(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.replaced.iter().chain(&self.delete).map(String::as_str).filter(|rel| !is_hashed(rel)).collect();
        out.sort();
        out
    }

    pub fn uploads(&self) -> usize {
        self.assets.len() + self.pages.len()
    }

    pub fn upload_bytes(&self) -> u64 {
        self.assets.iter().chain(&self.pages).map(|f| f.size).sum()
    }

    /// The plan for people (`--dry-run`): counts and the first files of each kind.
    pub fn describe(&self) -> String {
        const SHOWN: usize = 10;
        let mut out = format!(
            "{} to upload ({:.1} MB): {} assets, then {} pages; {} to delete; {} unchanged\n",
            self.uploads(),
            self.upload_bytes() as f64 / 1e6,
            self.assets.len(),
            self.pages.len(),
            self.delete.len(),
            self.unchanged
        );
        let mut list = |title: &str, names: Vec<&str>| {
            if names.is_empty() {
                return;
            }
            out.push_str(&format!("{title}:\n"));
            for n in names.iter().take(SHOWN) {
                out.push_str(&format!("  {n}\n"));
            }
            if names.len() > SHOWN {
                out.push_str(&format!("  … and {} more\n", names.len() - SHOWN));
            }
        };
        list("upload (assets)", self.assets.iter().map(|f| f.rel.as_str()).collect());
        list("upload (pages)", self.pages.iter().map(|f| f.rel.as_str()).collect());
        list("delete", self.delete.iter().map(String::as_str).collect());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::headers::for_path;
    use crate::deploy::local::Source;

    fn local(rel: &str, md5: u8) -> LocalFile {
        LocalFile { rel: rel.into(), source: Source::File(rel.into()), size: 1, md5: [md5; 16], headers: for_path(rel), encoding: None }
    }

    fn remote(rel: &str, md5: Option<u8>) -> RemoteFile {
        RemoteFile { rel: rel.into(), md5: md5.map(|m| [m; 16]) }
    }

    #[test]
    fn only_changed_files_go_up_assets_first_and_gone_files_are_deleted() {
        let l = vec![local("a/index.html", 1), local("b/index.html", 2), local("s.css", 3), local("img.png", 4), local("feed.xml", 5)];
        let r = vec![remote("a/index.html", Some(1)), remote("b/index.html", Some(9)), remote("img.png", None), remote("old/index.html", Some(7)), remote("feed.xml", Some(5))];
        let p = Plan::new(l.clone(), r.clone(), false);
        let names = |v: &[LocalFile]| v.iter().map(|f| f.rel.clone()).collect::<Vec<_>>();
        assert_eq!(names(&p.assets), ["s.css", "img.png"], "new, and an ETag that is no MD5");
        assert_eq!(names(&p.pages), ["b/index.html"]);
        assert_eq!(p.delete, ["old/index.html"]);
        assert_eq!(p.unchanged, 2);
        assert_eq!(p.replaced, ["b/index.html", "img.png"], "held by the target with other bytes");
        assert_eq!(p.stale(), ["b/index.html", "img.png", "old/index.html"]);
        let forced = Plan::new(l, r, true);
        assert_eq!((forced.uploads(), forced.unchanged, forced.delete.len()), (5, 0, 1));
        assert!(p.describe().starts_with("3 to upload (0.0 MB): 2 assets, then 1 pages; 1 to delete; 2 unchanged\n"), "{}", p.describe());
    }
}
