//! Publishing for a CDN (SPEC section 11): `build --compress` writes a `.gz` and a `.br`
//! beside every text file, with the same bytes every time and only when the file
//! changed; theme CSS and JS get content-hashed URLs that pages link.

mod common;

use std::fs;
use std::io::Read;
use std::time::SystemTime;

use common::*;
use gazette::{BuildOptions, BuildReport};

/// A small site with a few articles, a binary and a tiny static file, and a larger text
/// one of the site's own.
fn site() -> TestSite {
    let site = TestSite::new(SITE_TOML);
    let body = "四川省科技厅与广元市旺苍县召开局县科技会商会议，围绕县域创新驱动发展，推动科技成果转化。\n\n".repeat(6);
    site.article("2024/wangcang", "旺苍县局县会商", "2024-03-15", "四川省/广元市/旺苍县", "科技合作", "slug: wangcang\ntags: [县域创新]\n", &body);
    site.article("2024/beibei", "北碚区科技合作", "2024-02-01", "重庆市/北碚区", "区域协同", "slug: beibei\ntags: [科技合作]\n", &body);
    site.article("2023/zhenjiang", "镇江市科技金融", "2023-11-20", "江苏省/镇江市", "政策解读", "slug: zhenjiang\n", &body);
    // A PNG's first bytes and some noise: not text, never compressed.
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend((0..2000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    site.write("static/img/logo.png", png);
    site.write("static/tiny.txt", "短");
    site.write("static/data/regions.json", format!("[{}]", vec!["{\"name\": \"四川省\", \"code\": 510000}"; 40].join(", ")));
    site
}

fn build(site: &TestSite, compress: bool) -> BuildReport {
    let options = BuildOptions { root: site.root().to_path_buf(), compress: Some(compress), ..Default::default() };
    gazette::build(&options).unwrap_or_else(|e| panic!("build failed:\n{e}"))
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).expect("a valid gzip file");
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli_decompressor::Decompressor::new(bytes, 4096).read_to_end(&mut out).expect("a valid brotli file");
    out
}

fn is_sibling(rel: &str) -> bool {
    rel.ends_with(".gz") || rel.ends_with(".br")
}

fn siblings(site: &TestSite) -> Vec<String> {
    site.files().into_iter().filter(|f| is_sibling(f)).collect()
}

fn mtimes(site: &TestSite) -> Vec<(String, SystemTime)> {
    site.files().into_iter().map(|f| (f.clone(), fs::metadata(site.public().join(&f)).unwrap().modified().unwrap())).collect()
}

// --- build --compress --------------------------------------------------------------------------

#[test]
fn every_text_file_has_a_gz_and_a_br_that_decompress_to_its_bytes() {
    let site = site();
    build(&site, true);
    let files = site.files();
    let mut checked = 0;
    for rel in files.iter().filter(|f| !is_sibling(f)) {
        let bytes = fs::read(site.public().join(rel)).unwrap();
        let ext = rel.rsplit('.').next().unwrap();
        let text = ["html", "css", "js", "xml", "json", "txt", "svg"].contains(&ext);
        let (gz, br) = (format!("{rel}.gz"), format!("{rel}.br"));
        if text && bytes.len() >= 256 {
            assert!(site.exists(&gz) && site.exists(&br), "{rel} ({} bytes) has no .gz or .br", bytes.len());
            let (gz, br) = (fs::read(site.public().join(&gz)).unwrap(), fs::read(site.public().join(&br)).unwrap());
            assert_eq!(gunzip(&gz), bytes, "{rel}.gz");
            assert_eq!(unbrotli(&br), bytes, "{rel}.br");
            assert!(gz.len() < bytes.len() && br.len() < bytes.len(), "{rel}: siblings are smaller");
            checked += 1;
        } else {
            assert!(!site.exists(&gz) && !site.exists(&br), "{rel} ({} bytes) must have no siblings", bytes.len());
        }
    }
    // Every kind the SPEC names was seen, and no sibling lacks its file.
    for rel in ["index.html", "2024/03/wangcang/index.html", "css/style.css", "js/search.js", "feed.xml", "sitemap.xml", "data/regions.json", "search/inputs.txt", "favicon.svg"] {
        assert!(site.exists(&format!("{rel}.gz")) && site.exists(&format!("{rel}.br")), "{rel}");
    }
    for rel in ["img/logo.png", "tiny.txt", "search/meta.z", "search/d/0.bin"] {
        assert!(site.exists(rel) && !site.exists(&format!("{rel}.gz")) && !site.exists(&format!("{rel}.br")), "{rel}");
    }
    for sibling in siblings(&site) {
        assert!(files.contains(&sibling[..sibling.len() - 3].to_string()), "{sibling} without its file");
    }
    assert!(checked > 20, "{checked} files checked");
    assert_eq!(siblings(&site).len(), 2 * checked);
}

#[test]
fn two_builds_give_byte_identical_siblings() {
    let site = site();
    build(&site, true);
    let first: Vec<(String, Vec<u8>)> = site.snapshot().into_iter().filter(|(f, _)| is_sibling(f)).collect();
    fs::remove_dir_all(site.public()).unwrap();
    build(&site, true);
    let second: Vec<(String, Vec<u8>)> = site.snapshot().into_iter().filter(|(f, _)| is_sibling(f)).collect();
    assert!(!first.is_empty());
    assert!(first == second, "siblings differ between two builds of the same site");
}

#[test]
fn a_rebuild_with_nothing_changed_writes_and_compresses_nothing() {
    let site = site();
    let first = build(&site, true);
    assert!(first.compressed > 40, "{} compressed", first.compressed);
    let before = mtimes(&site);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let again = build(&site, true);
    assert_eq!((again.written, again.removed, again.compressed), (0, 0, 0), "{again:?}");
    assert!(mtimes(&site) == before, "no file touched");
    assert_eq!(again.files, first.files);
}

#[test]
fn an_article_edit_rewrites_only_the_siblings_of_the_pages_it_changes() {
    let site = site();
    build(&site, true);
    let before = mtimes(&site);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let path = site.root().join("content/2023/zhenjiang.md");
    fs::write(&path, fs::read_to_string(&path).unwrap().replace("推动科技成果转化。", "推动科技成果转化，补充一句。")).unwrap();
    let edited = build(&site, true);
    let after = mtimes(&site);
    assert_eq!(after.len(), before.len());
    let touched: Vec<&str> = after.iter().zip(&before).filter(|(a, b)| a.1 != b.1).map(|(a, _)| a.0.as_str()).collect();
    assert_eq!(touched.len(), edited.written);
    for page in ["2023/11/zhenjiang/index.html", "2023/11/zhenjiang/index.html.gz", "2023/11/zhenjiang/index.html.br"] {
        assert!(touched.contains(&page), "{page} not rewritten: {touched:?}");
    }
    assert!(!touched.iter().any(|f| f.starts_with("2024/03/wangcang/")), "an unrelated article keeps its files: {touched:?}");
    assert!(!touched.contains(&"css/style.css.br"), "{touched:?}");
    // A sibling is rewritten only with its file, and what was compressed is what changed.
    for sibling in touched.iter().filter(|f| is_sibling(f)) {
        assert!(touched.contains(&&sibling[..sibling.len() - 3]), "{sibling} rewritten, its file not");
    }
    assert_eq!(edited.compressed, touched.iter().filter(|f| is_sibling(f)).count(), "{touched:?}");
    assert!(edited.written < before.len() / 3, "{} of {} files written", edited.written, before.len());
}

#[test]
fn a_build_without_compress_removes_the_siblings_and_one_with_it_brings_them_back() {
    let site = site();
    let with = build(&site, true);
    let count = siblings(&site).len();
    assert!(count > 40);
    let without = build(&site, false);
    assert_eq!((without.written, without.removed), (0, count), "only the siblings go");
    assert!(siblings(&site).is_empty());
    assert_eq!(without.files, with.files - count);
    let again = build(&site, true);
    assert_eq!((again.written, again.compressed), (count, count));
}

#[test]
fn site_toml_turns_compression_on_and_the_command_line_wins() {
    let site = site();
    site.write("site.toml", format!("{SITE_TOML}\n[build]\ncompress = true\n"));
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(site.exists("index.html.gz") && site.exists("index.html.br"));
    let out = site.run(&["build", "--no-compress"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(siblings(&site).is_empty());
    site.write("site.toml", SITE_TOML);
    let out = site.run(&["build", "--compress"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("compressed"), "{said}");
    assert!(site.exists("index.html.gz") && site.exists("index.html.br"));

    site.write("site.toml", format!("{SITE_TOML}\n[build]\ncompress = \"yes\"\n"));
    let out = site.run(&["build"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("site.toml") && err.contains("compress"), "{err}");
}

#[test]
fn a_static_file_named_like_a_sibling_is_a_clear_error() {
    let site = site();
    site.write("static/data/regions.json.gz", b"\x1f\x8b precompressed by hand");
    build(&site, false);
    let options = BuildOptions { root: site.root().to_path_buf(), compress: Some(true), ..Default::default() };
    let err = gazette::build(&options).unwrap_err().to_string();
    assert!(err.contains("regions.json.gz") && err.contains("--compress"), "{err}");
    assert!(!site.exists("index.html.gz"), "the failed build changed nothing");
}

// --- content-hashed asset URLs -----------------------------------------------------------------

/// The `href`s or `src`s of `page` that point into `folder` (`/css/`, `/js/`).
fn links_into(page: &str, prefix: &str) -> Vec<String> {
    page.split(['"', '\'']).filter(|s| s.starts_with(prefix) && !s.contains(' ')).map(str::to_string).collect()
}

/// `css/style.0123456789.css` → true.
fn is_hashed(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap();
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3 && {
        let hash = parts[parts.len() - 2];
        hash.len() == 10 && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    }
}

#[test]
fn pages_link_hashed_css_and_js_whose_files_hold_the_same_bytes() {
    let site = site();
    site.write("content/2024/code.md", "---\ntitle: 代码示例\ndate: 2024-01-05\nregion: 四川省\ncategory: 科技合作\nslug: code\n---\n\n```rust\nfn main() {}\n```\n");
    build(&site, false);
    let article = site.read("2024/03/wangcang/index.html");
    let css = links_into(&article, "/css/");
    assert_eq!(css.len(), 2, "style.css and syntax.css: {css:?}");
    let js = links_into(&article, "/js/");
    let search = links_into(&site.read("search/index.html"), "/js/");
    // Every page also links the 适老模式 script (js/elder.js) in its head.
    assert_eq!(js.len(), 2, "elder.js and article.js: {js:?}");
    let search: Vec<String> = search.into_iter().filter(|url| !url.starts_with("/js/elder.")).collect();
    for (url, plain) in css.iter().chain(&js).chain(&search).zip(["css/style.css", "css/syntax.css", "js/elder.js", "js/article.js", "js/search.js"]) {
        let rel = url.trim_start_matches('/');
        assert!(is_hashed(rel), "{url} is not a hashed name");
        assert!(rel.starts_with(&plain[..plain.len() - plain.rsplit('.').next().unwrap().len()]), "{url} for {plain}");
        // The hashed file holds the plain file's bytes; the plain copy stays for
        // templates that link it by name.
        assert_eq!(fs::read(site.public().join(rel)).unwrap(), fs::read(site.public().join(plain)).unwrap(), "{url}");
    }
    assert_eq!(links_into(&site.read("index.html"), "/css/"), css, "every page links the same style sheets");
    // Only what templates asked for gets a hashed copy.
    let hashed: Vec<String> = site.files().into_iter().filter(|f| is_hashed(f)).collect();
    assert_eq!(hashed.len(), 5, "{hashed:?}");
    // With --compress, hashed files get siblings like any text file.
    build(&site, true);
    let style = css[0].trim_start_matches('/');
    assert_eq!(unbrotli(&fs::read(site.public().join(format!("{style}.br"))).unwrap()), fs::read(site.public().join(style)).unwrap());
}

#[test]
fn a_css_change_changes_the_hash_and_every_reference() {
    let site = site();
    site.write("site.toml", SITE_TOML.replace("https://policy.example.org/", "https://example.org/policy/"));
    build(&site, false);
    let old = links_into(&site.read("index.html"), "/policy/css/");
    assert_eq!(old.len(), 1, "the site's base path comes first");
    let style = fs::read_to_string(common::repo().join("themes/default/static/css/style.css")).unwrap();
    site.write("static/css/style.css", format!("{style}\n.notice {{ color: #a00; }}\n"));
    build(&site, false);
    let new = links_into(&site.read("index.html"), "/policy/css/");
    assert_ne!(new, old);
    assert!(site.read("2024/03/wangcang/index.html").contains(&new[0]));
    let served = site.read(new[0].trim_start_matches("/policy/"));
    assert!(served.ends_with(".notice { color: #a00; }\n"), "the site's own style.css wins");
    assert!(!site.exists(old[0].trim_start_matches("/policy/")), "the old hashed copy goes with the last build");
}

#[test]
fn asset_of_a_missing_file_is_an_error_naming_the_template_and_the_path() {
    let site = site();
    let article = fs::read_to_string(common::repo().join("themes/default/templates/article.html")).unwrap();
    site.write(
        "themes/default/templates/article.html",
        article.replace("{%- endblock head_extra -%}", "<link rel=\"stylesheet\" href=\"{{ asset(path=\"css/print.css\") }}\">\n{%- endblock head_extra -%}"),
    );
    let err = site.build().unwrap_err().to_string();
    assert!(err.contains("article.html") && err.contains("css/print.css") && err.contains("static/"), "{err}");
    assert!(!site.public().exists(), "nothing written");
    // Once the file exists, the same template builds.
    site.write("static/css/print.css", "@media print { nav { display: none } }");
    build(&site, false);
    assert_eq!(links_into(&site.read("2024/03/wangcang/index.html"), "/css/print.").len(), 1);
}

#[test]
fn plain_asset_urls_link_the_plain_files_and_publish_no_hashed_copies() {
    let site = site();
    let options = BuildOptions { root: site.root().to_path_buf(), plain_assets: true, ..Default::default() };
    gazette::build(&options).unwrap();
    assert!(site.read("index.html").contains("href=\"/css/style.css\""));
    assert!(site.read("2024/03/wangcang/index.html").contains("src=\"/js/article.js\""));
    assert!(!site.files().iter().any(|f| is_hashed(f)));
}

#[test]
fn the_live_preview_links_plain_names_so_a_css_edit_rewrites_no_page() {
    let site = site();
    let output = site.root().join(".gazette/live");
    let mut live = gazette::LiveSite::new(BuildOptions { root: site.root().to_path_buf(), output: Some(output.clone()), compress: Some(true), ..Default::default() });
    live.rebuild(&[]).unwrap();
    assert!(fs::read_to_string(output.join("index.html")).unwrap().contains("href=\"/css/style.css\""));
    assert!(!output.join("index.html.gz").exists(), "serve never compresses");
    site.write("static/css/style.css", "body { color: #222 }");
    let rebuilt = live.rebuild(&[site.root().join("static/css/style.css")]).unwrap();
    assert_eq!(rebuilt.written, ["css/style.css"], "one file, no page");
}
