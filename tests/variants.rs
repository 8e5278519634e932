//! Script variants (SPEC 10): `[variants] traditional = true` publishes the whole site
//! again in traditional characters under `/zh-hant/`, with hreflang links and a 简/繁
//! switch between twins, both scripts in the sitemap, feeds per script, and `serve
//! --watch` rewriting both twins of an edited article.

mod common;

use std::fs;
use std::time::Duration;

use common::{entry_links, feed_items, TestSite, SITE_TOML};
use gazette::{BuildOptions, LiveSite};

const BASE: &str = "https://policy.example.org/";
const ARTICLE: &str = "2024/03/ruan-jian/index.html";
const TRAD: &str = "2024/02/fan-ti/index.html";

fn site(variants: bool) -> TestSite {
    let toml = if variants { format!("{SITE_TOML}\n[variants]\ntraditional = true\n") } else { SITE_TOML.to_string() };
    let site = TestSite::new(&toml);
    site.article(
        "2024/ruanjian",
        "软件产业发展行动方案",
        "2024-03-01",
        "四川省/广元市/旺苍县",
        "科技合作",
        "slug: ruan-jian\ntags: [软件产业, 发展规划]\nsummary: 推动软件产业发展，培养干部人才。\n",
        "## 头发与干部\n\n旺苍县推进软件产业发展。[附件](/files/发展.pdf)\n\n```\nlet 发展 = \"软件\";\n```\n\n行内 `软件发展` 代码。",
    );
    site.article(
        "2024/fanti",
        "川渝科技創新協同發展會議舉行",
        "2024-02-01",
        "重庆市/北碚区",
        "区域协同",
        "slug: fan-ti\n",
        "兩地科技部門舉行會議，共同推動創新資源開放共享與協同發展。",
    );
    for i in 0..25 {
        site.article(&format!("2023/gen{i:02}"), &format!("第{i}期科技工作简报"), &format!("2023-05-{:02}", 1 + i), "四川省/成都市", "政策解读", "", "科技部门部署工作。");
    }
    site.write("static/files/发展.pdf", b"%PDF-1.4");
    site
}

/// The `href` of the first `<link>` in `html` with these attributes.
fn link_href(html: &str, attrs: &str) -> Option<String> {
    html.split("<link ").skip(1).map(|l| l.split('>').next().unwrap()).find(|l| l.contains(attrs)).and_then(|l| l.split("href=\"").nth(1)).map(|h| h.split('"').next().unwrap().to_string())
}

#[test]
fn every_kind_of_page_has_its_twin_under_zh_hant() {
    let site = site(true);
    site.build_ok();
    let pages = [
        "index.html",
        "page/2/index.html",
        ARTICLE,
        TRAD,
        "tags/index.html",
        "tags/ruan-jian-chan-ye/index.html",
        "categories/index.html",
        "categories/cooperation/index.html",
        "regions/index.html",
        "regions/sichuan/guangyuan/wangcang/index.html",
        "archive/index.html",
        "archive/2024/index.html",
        "404.html",
        "search/index.html",
        "feed.xml",
        "categories/cooperation/feed.xml",
        "regions/sichuan/feed.xml",
    ];
    for page in pages {
        assert!(site.exists(page), "{page} is missing");
        assert!(site.exists(&format!("zh-hant/{page}")), "zh-hant/{page} is missing");
    }
    // Assets and the search index are shared, not copied.
    assert!(site.exists("css/style.css") && !site.exists("zh-hant/css/style.css"));
    assert!(site.exists("files/发展.pdf") && !site.exists("zh-hant/files/发展.pdf"));
    assert!(!site.files().iter().any(|f| f.starts_with("zh-hant/search/") && !f.ends_with("index.html")), "one search index for both scripts");
    assert!(!site.exists("zh-hant/sitemap.xml") && !site.exists("zh-hant/robots.txt"));
    // The traditional pages say so.
    let home = site.read("zh-hant/index.html");
    assert!(home.contains("<html lang=\"zh-Hant\">"), "{home}");
    assert!(site.read("index.html").contains("<html lang=\"zh-CN\">"));
}

#[test]
fn twins_link_each_other_both_ways_with_hreflang_and_the_switch() {
    let site = site(true);
    site.build_ok();
    for page in [ARTICLE, "index.html", "tags/index.html", "regions/sichuan/index.html", "404.html", "search/index.html"] {
        let dir = page.trim_end_matches("index.html");
        let (hans, hant) = (format!("{BASE}{dir}"), format!("{BASE}zh-hant/{dir}"));
        let hans = if page == "404.html" { format!("{BASE}404.html") } else { hans };
        let hant = if page == "404.html" { format!("{BASE}zh-hant/404.html") } else { hant };
        for html in [site.read(page), site.read(&format!("zh-hant/{page}"))] {
            assert_eq!(link_href(&html, "hreflang=\"zh-Hans\"").as_deref(), Some(hans.as_str()), "{page}");
            assert_eq!(link_href(&html, "hreflang=\"zh-Hant\"").as_deref(), Some(hant.as_str()), "{page}");
            assert_eq!(link_href(&html, "hreflang=\"x-default\"").as_deref(), Some(hans.as_str()), "{page}");
            let switch = html.split("<nav class=\"script-switch\"").nth(1).unwrap_or_else(|| panic!("{page} has no switch")).split("</nav>").next().unwrap().to_string();
            assert!(switch.contains(&format!("href=\"{}\"", &hans[BASE.len() - 1..])) && switch.contains(&format!("href=\"{}\"", &hant[BASE.len() - 1..])), "{page}: {switch}");
            assert!(switch.contains("简体") && switch.contains("繁體"), "the switch names each script in its own characters: {switch}");
        }
        let current = |html: &str| html.split("<nav class=\"script-switch\"").nth(1).unwrap().split("</nav>").next().unwrap().split("<a ").filter(|a| a.contains("aria-current=\"page\"")).map(|a| a.split("hreflang=\"").nth(1).unwrap().split('"').next().unwrap().to_string()).collect::<Vec<_>>();
        assert_eq!(current(&site.read(page)), ["zh-Hans"], "{page}");
        assert_eq!(current(&site.read(&format!("zh-hant/{page}"))), ["zh-Hant"], "{page}");
        // The canonical link of a twin is the twin itself.
        if page != "404.html" && page != "search/index.html" {
            assert_eq!(link_href(&site.read(&format!("zh-hant/{page}")), "rel=\"canonical\"").as_deref(), Some(hant.as_str()), "{page}");
        }
    }
}

#[test]
fn text_converts_at_phrase_level_and_links_slugs_and_code_do_not() {
    let site = site(true);
    site.build_ok();
    let hans = site.read(ARTICLE);
    let hant = site.read(&format!("zh-hant/{ARTICLE}"));
    assert!(hans.contains("软件产业发展行动方案") && hans.contains("头发与干部"));
    // Title, headings, body, summary; the OpenCC standard table (軟件, not the Taiwan 軟體).
    assert!(hant.contains("<title>軟件產業發展行動方案"), "{hant}");
    assert!(hant.contains("頭髮與幹部") && hant.contains("旺蒼縣推進軟件產業發展"), "{hant}");
    assert!(hant.contains("content=\"推動軟件產業發展，培養幹部人才。\""), "the description converts");
    assert!(!hant.contains("軟體"));
    // The theme's own words too.
    assert!(hans.contains("发布日期") && hant.contains("發佈日期") || hant.contains("發布日期"), "{hant}");
    // URLs and slugs are not converted; links into the site go to the twin, files stay.
    assert!(hant.contains("href=\"/files/%E5%8F%91%E5%B1%95.pdf\""), "attachment links stay: {hant}");
    assert!(hant.contains("href=\"/zh-hant/tags/ruan-jian-chan-ye/\""), "{hant}");
    assert!(hant.contains("href=\"/zh-hant/regions/sichuan/guangyuan/wangcang/\""), "{hant}");
    assert!(hant.contains("href=\"/css/style.") && !hant.contains("/zh-hant/css/"), "style sheets are shared: {hant}");
    assert!(hant.contains("id=\"") == hans.contains("id=\""));
    // Code is left as written, as OpenCC's document converters do.
    assert!(hant.contains("let 发展 = &quot;软件&quot;;") || hant.contains("let 发展 = \"软件\";"), "{hant}");
    assert!(hant.contains("<code>软件发展</code>"), "{hant}");
    // List pages link the twins of their articles.
    let list = site.read("zh-hant/categories/cooperation/index.html");
    assert_eq!(entry_links(&list), ["/zh-hant/2024/03/ruan-jian/"]);
    assert!(list.contains("軟件產業發展行動方案"));
}

#[test]
fn a_traditional_article_keeps_its_lang_mark_in_both_scripts() {
    let site = site(true);
    site.build_ok();
    for page in [TRAD.to_string(), format!("zh-hant/{TRAD}")] {
        let html = site.read(&page);
        assert!(html.contains("<article class=\"article\" lang=\"zh-Hant\">"), "{page}");
        assert!(html.contains("兩地科技部門舉行會議"), "{page}");
    }
    // A simplified article is not marked in the simplified site: the page's lang says it.
    assert!(!site.read(ARTICLE).contains("<article class=\"article\" lang="));
}

#[test]
fn each_script_has_its_own_feeds() {
    let site = site(true);
    site.build_ok();
    for (feed, prefix, title) in [("feed.xml", BASE.to_string(), "软件产业发展行动方案"), ("zh-hant/feed.xml", format!("{BASE}zh-hant/"), "軟件產業發展行動方案")] {
        let xml = site.read(feed);
        let items = feed_items(&xml);
        assert_eq!(items.len(), 27, "{feed}");
        assert!(items.iter().all(|(_, link)| link.starts_with(&prefix) && !link[prefix.len()..].starts_with("zh-hant/")), "{feed}: {items:?}");
        assert!(items.iter().any(|(t, _)| t == title), "{feed}: {items:?}");
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let self_link = doc.descendants().find(|n| n.tag_name().name() == "link" && n.attribute("rel") == Some("self")).unwrap();
        assert_eq!(self_link.attribute("href"), Some(format!("{prefix}feed.xml").as_str()));
    }
    let hant = site.read("zh-hant/feed.xml");
    assert!(hant.contains("<language>zh-Hant</language>"));
    // The full text is converted as a page is, code kept.
    assert!(hant.contains("旺蒼縣推進軟件產業發展") && hant.contains("&lt;code&gt;软件发展&lt;/code&gt;"), "{hant}");
    let region = feed_items(&site.read("zh-hant/regions/sichuan/guangyuan/feed.xml"));
    assert_eq!(region, [("軟件產業發展行動方案".to_string(), format!("{BASE}zh-hant/2024/03/ruan-jian/"))]);
}

#[test]
fn the_sitemap_lists_both_scripts() {
    let site = site(true);
    site.build_ok();
    let xml = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let locs: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("loc")).filter_map(|n| n.text()).collect();
    for page in ["", "2024/03/ruan-jian/", "tags/", "regions/sichuan/guangyuan/wangcang/"] {
        assert!(locs.contains(&format!("{BASE}{page}").as_str()), "{page}");
        assert!(locs.contains(&format!("{BASE}zh-hant/{page}").as_str()), "zh-hant/{page}");
    }
    let (hant, hans): (Vec<&str>, Vec<&str>) = locs.iter().partition(|l| l.starts_with(&format!("{BASE}zh-hant/")));
    assert_eq!(hant.len(), hans.len());
}

#[test]
fn the_search_page_of_each_script_reads_the_one_index() {
    let site = site(true);
    site.build_ok();
    let hant = site.read("zh-hant/search/index.html");
    assert!(hant.contains("data-search-index=\"/search/\""), "the same index");
    assert!(hant.contains("data-home=\"/zh-hant/\"") && hant.contains("data-base=\"/\""), "results link this script's pages");
    // The script by its content-hashed name (docs/templates.md, `asset`), converted.
    assert!(hant.contains("站內搜索") && hant.contains("src=\"/zh-hant/js/search."), "{hant}");
    // The script's own messages are traditional too.
    assert!(site.read("zh-hant/js/search.js").contains("正在搜索"));
    assert!(site.read("zh-hant/js/search.js").contains("沒有找到"));
    assert!(site.read("search/index.html").contains("data-home=\"/\""));
}

#[test]
fn a_site_without_the_key_has_no_twin_no_switch_and_no_hreflang() {
    let site = site(false);
    site.build_ok();
    assert!(!site.files().iter().any(|f| f.starts_with("zh-hant/")));
    for page in ["index.html", ARTICLE, "search/index.html", "404.html"] {
        let html = site.read(page);
        assert!(!html.contains("hreflang") && !html.contains("script-switch"), "{page}");
    }
    assert!(!site.read("search/index.html").contains("data-home"));
    assert!(!site.read("sitemap.xml").contains("zh-hant"));
}

#[test]
fn a_base_path_is_kept_in_front_of_the_twin() {
    let site = site(false);
    fs::write(site.root().join("site.toml"), SITE_TOML.replace(BASE, "https://ex.org/policy/") + "\n[variants]\ntraditional = true\n").unwrap();
    site.build_ok();
    let hant = site.read(&format!("zh-hant/{ARTICLE}"));
    assert!(hant.contains("href=\"/policy/zh-hant/tags/ruan-jian-chan-ye/\""), "{hant}");
    assert!(hant.contains("href=\"https://ex.org/policy/zh-hant/2024/03/ruan-jian/\""), "{hant}");
}

#[test]
fn an_article_edit_under_watch_rewrites_both_twins_and_not_the_whole_site() {
    let site = site(true);
    let options = BuildOptions { root: site.root().to_path_buf(), output: Some(site.root().join(".gazette/live")), ..Default::default() };
    let mut live = LiveSite::new(options).defer_related_after(Duration::MAX);
    let first = live.rebuild(&[]).unwrap();
    assert!(first.full);
    let file = site.root().join("content/2024/ruanjian.md");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, text.replace("旺苍县推进软件产业发展。", "旺苍县推进软件产业高质量发展。")).unwrap();
    let rebuilt = live.rebuild(std::slice::from_ref(&file)).unwrap();
    live.settle().unwrap();
    assert!(rebuilt.patched, "{rebuilt:?}");
    for page in [ARTICLE.to_string(), format!("zh-hant/{ARTICLE}"), "feed.xml".to_string(), "zh-hant/feed.xml".to_string()] {
        assert!(rebuilt.written.contains(&page), "{page} not rewritten: {:?}", rebuilt.written);
    }
    // Each page counts twice: the simplified one rendered, its twin converted.
    assert!(rebuilt.rendered < 40, "an edit re-rendered {} pages of {}", rebuilt.rendered, rebuilt.files);
    assert!(!rebuilt.written.iter().any(|w| w.contains("gen0")), "other articles stay: {:?}", rebuilt.written);
    let out = live.output_dir();
    assert!(fs::read_to_string(out.join(format!("zh-hant/{ARTICLE}"))).unwrap().contains("軟件產業高質量發展"));
    // The live folder equals a fresh build.
    let fresh = tempfile::tempdir().unwrap();
    // The preview links plain asset names (docs/live-preview.md); so does this build.
    gazette::build(&BuildOptions { root: site.root().to_path_buf(), output: Some(fresh.path().join("o")), plain_assets: true, ..Default::default() }).unwrap();
    for page in [format!("zh-hant/{ARTICLE}"), "zh-hant/index.html".to_string(), "zh-hant/feed.xml".to_string(), "sitemap.xml".to_string()] {
        assert_eq!(fs::read(out.join(&page)).unwrap(), fs::read(fresh.path().join("o").join(&page)).unwrap(), "{page}");
    }
}
