//! Test helpers: real site folders in temp dirs, built through the library or the binary.
#![allow(dead_code)]

pub mod browser;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use gazette::{BuildError, BuildOptions, BuildReport};

pub const SITE_TOML: &str = r#"title = "川渝科技政策观察"
base_url = "https://policy.example.org/"
language = "zh-CN"
timezone = "Asia/Shanghai"
theme = "default"
paginate = 20

[categories]
"科技合作" = "cooperation"
"政策解读" = "interpretation"
"区域协同" = "regional"
"#;

/// A site folder in a temp dir, with the repo's default theme.
pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// site.toml (as given) and the default theme; no content yet.
    pub fn new(site_toml: &str) -> TestSite {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(&repo().join("themes/default"), &dir.path().join("themes/default"));
        fs::write(dir.path().join("site.toml"), site_toml).expect("write site.toml");
        TestSite { dir }
    }

    /// A copy of the repository's sample site.
    pub fn sample() -> TestSite {
        let site = TestSite::new(&fs::read_to_string(repo().join("site.toml")).expect("sample site.toml"));
        copy_dir(&repo().join("content"), &site.root().join("content"));
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> &Self {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        self
    }

    /// Writes `content/<name>.md` with the required keys and any extra front-matter lines.
    pub fn article(&self, name: &str, title: &str, date: &str, region: &str, category: &str, more: &str, body: &str) -> &Self {
        let text = format!("---\ntitle: {title}\ndate: {date}\nregion: {region}\ncategory: {category}\n{more}---\n\n{body}\n");
        self.write(&format!("content/{name}.md"), text)
    }

    pub fn build(&self) -> Result<BuildReport, BuildError> {
        gazette::build(&BuildOptions { root: self.root().to_path_buf(), ..Default::default() })
    }

    pub fn build_ok(&self) -> BuildReport {
        match self.build() {
            Ok(r) => r,
            Err(e) => panic!("build failed:\n{e}"),
        }
    }

    /// Runs the real binary in the site folder.
    pub fn run(&self, args: &[&str]) -> Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_gazette")).args(args).current_dir(self.root()).output().expect("run gazette")
    }

    /// A file of the output, as text.
    pub fn read(&self, rel: &str) -> String {
        let path = self.public().join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.public().join(rel).is_file()
    }

    /// Every file of the output with its bytes, for byte-for-byte comparisons.
    pub fn snapshot(&self) -> Vec<(String, Vec<u8>)> {
        self.files().into_iter().map(|f| {
            let bytes = fs::read(self.public().join(&f)).unwrap();
            (f, bytes)
        }).collect()
    }

    /// Every file of the output, relative, sorted (not gazette's own bookkeeping in
    /// `public/.gazette/`, which is not part of the site).
    pub fn files(&self) -> Vec<String> {
        let mut out: Vec<String> = walkdir::WalkDir::new(self.public())
            .into_iter()
            .filter_entry(|e| !(e.depth() == 1 && e.file_name() == ".gazette"))
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(self.public()).unwrap().to_string_lossy().replace('\\', "/"))
            .collect();
        out.sort();
        out
    }
}

/// A tmpfs mounted at `dir` while the value lives (tests run as root in CI). Outside CI,
/// where mounting is not allowed, the tests that need one are skipped.
pub struct Tmpfs(PathBuf);

impl Tmpfs {
    pub fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        fs::create_dir_all(dir).unwrap();
        let ok = std::process::Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"]).arg(dir).status().is_ok_and(|s| s.success());
        if !ok {
            assert!(std::env::var_os("CI").is_none(), "CI runs as root and must be able to mount a tmpfs");
            eprintln!("skipped: cannot mount a tmpfs here (not root)");
            return None;
        }
        Some(Tmpfs(dir.to_path_buf()))
    }

    pub fn remount(&self, options: &str) {
        assert!(std::process::Command::new("mount").args(["-o", &format!("remount,{options}")]).arg(&self.0).status().unwrap().success());
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().filter_map(Result::ok) {
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// The article links of a list page, in order: the first `<a href>` of each element whose
/// class list holds `entry`.
pub fn entry_links(html: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("class=\"") {
        rest = &rest[i + 7..];
        let classes = rest.split('"').next().unwrap_or_default();
        if classes.split_whitespace().any(|c| c == "entry") {
            if let Some(href) = rest.split("href=\"").nth(1).and_then(|s| s.split('"').next()) {
                links.push(href.to_string());
            }
        }
    }
    links
}

/// The links inside `<aside class="related">`, in order.
pub fn related_links(html: &str) -> Vec<String> {
    let Some(aside) = html.split("<aside class=\"related\"").nth(1).and_then(|s| s.split("</aside>").next()) else {
        return Vec::new();
    };
    aside.split("href=\"").skip(1).filter_map(|s| s.split('"').next()).map(String::from).collect()
}

/// Items of an RSS feed as (title, link), checked to be well-formed XML.
pub fn feed_items(xml: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("feed is not XML: {e}\n{xml}"));
    let rss = doc.root_element();
    assert_eq!(rss.tag_name().name(), "rss");
    assert_eq!(rss.attribute("version"), Some("2.0"));
    doc.descendants()
        .filter(|n| n.has_tag_name("item"))
        .map(|item| {
            let child = |name: &str| item.children().find(|c| c.has_tag_name(name)).and_then(|c| c.text()).unwrap_or_default().to_string();
            (child("title"), child("link"))
        })
        .collect()
}
