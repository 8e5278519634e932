//! Browsing by time: month archives (`/archive/2024/03/`) under the year archives, what
//! a reader of the year and month pages sees, and that the rest of gazette (sitemap,
//! feeds, `gazette check`, `serve --watch`) knows the month pages.

mod common;

use std::time::Duration;

use common::{entry_links, TestSite, SITE_TOML};
use gazette::{BuildOptions, LiveSite};

/// Two entries a page, so that a month of five articles has three pages.
fn site() -> TestSite {
    let site = TestSite::new(&SITE_TOML.replace("paginate = 20", "paginate = 2"));
    let march = [
        ("m1", "成都推进科技成果转化", "2024-03-05"),
        ("m2", "重庆北碚召开科技金融对接会", "2024-03-05"),
        ("m3", "镇江发布产业强市行动方案", "2024-03-18"),
        // 2024-03-01 00:30 in Shanghai is still February in UTC: March in the site's time.
        ("m4", "绵阳启动创新平台建设", "2024-03-01T00:30:00+08:00"),
        ("m5", "广元局县科技会商", "2024-03-28"),
    ];
    for (name, title, date) in march {
        site.article(name, title, date, "四川省/成都市", "科技合作", "", "正文。");
    }
    // A weight orders its day in every list, month pages too.
    site.article("m6", "置顶：三月科技工作要点", "2024-03-05", "四川省", "政策解读", "weight: 1\n", "正文。");
    site.article("f1", "二月科技简报", "2024-02-10", "重庆市/北碚区", "科技合作", "", "正文。");
    // 2024-03-31 20:00 UTC is 1 April in Shanghai: April in the site's time.
    site.article("a1", "四月科技简报", "2024-03-31T20:00:00Z", "江苏省/镇江市", "区域协同", "", "正文。");
    site.article("d1", "二〇二三年终总结", "2023-12-30", "四川省", "政策解读", "", "正文。");
    site
}

/// The article links of every page of the list at `rel` (`archive/2024/`), in order,
/// following `rel="next"` from page to page.
fn whole_list(site: &TestSite, rel: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut page = format!("{rel}index.html");
    loop {
        let html = site.read(&page);
        links.extend(entry_links(&html));
        let next = html.split("rel=\"next\" href=\"").nth(1).and_then(|s| s.split('"').next());
        match next {
            Some(url) => page = format!("{}index.html", url.trim_start_matches('/')),
            None => return links,
        }
    }
}

#[test]
fn a_month_page_lists_that_month_in_the_site_order_page_by_page() {
    let site = site();
    site.build_ok();
    let march = whole_list(&site, "archive/2024/03/");
    // The same order as the year page, cut to March (in Shanghai time).
    let year: Vec<String> = whole_list(&site, "archive/2024/").into_iter().filter(|u| u.starts_with("/2024/03/")).collect();
    assert_eq!(march, year);
    assert_eq!(march.len(), 6, "{march:?}");
    // 28th, 18th, then the 5th led by its weighted article, then the 1st.
    assert!(march[2].contains("zhi-ding"), "{march:?}");
    assert!(march[5].contains("mian-yang"), "{march:?}");
    assert!(site.exists("archive/2024/03/page/2/index.html") && site.exists("archive/2024/03/page/3/index.html"));
    assert!(!site.exists("archive/2024/03/page/4/index.html"));
    let page2 = site.read("archive/2024/03/page/2/index.html");
    assert!(page2.contains("rel=\"prev\"") && page2.contains("rel=\"next\""), "{page2}");
    // Each article's month is that of its URL, both in the site's time zone.
    assert_eq!(entry_links(&site.read("archive/2024/04/index.html")).len(), 1);
    assert!(entry_links(&site.read("archive/2024/04/index.html"))[0].starts_with("/2024/04/"));
    assert_eq!(whole_list(&site, "archive/2024/02/").len(), 1);
    // No page for a month without articles.
    assert!(!site.exists("archive/2024/01/index.html"));
}

#[test]
fn the_year_page_links_its_months_newest_first_with_counts_before_the_list() {
    let site = site();
    site.build_ok();
    let year = site.read("archive/2024/index.html");
    let months = ["2024年4月", "2024年3月", "2024年2月"];
    let at: Vec<usize> = months.iter().map(|m| year.find(&format!("{m}</a>")).unwrap_or_else(|| panic!("{m} is not linked: {year}"))).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "newest first: {at:?}");
    assert!(year.contains("<a href=\"/archive/2024/03/\">2024年3月</a><span class=\"count\">（6篇）</span>"), "{year}");
    assert!(year.contains("<a href=\"/archive/2024/04/\">2024年4月</a><span class=\"count\">（1篇）</span>"), "{year}");
    let first_entry = year.find("class=\"entry\"").unwrap();
    assert!(at[0] < first_entry, "the months come before the list");
    // Every page of the year shows them, and only that year's months.
    let page2 = site.read("archive/2024/page/2/index.html");
    assert!(page2.contains("href=\"/archive/2024/03/\""));
    assert!(!year.contains("/archive/2023/12/"));
}

#[test]
fn a_month_page_leads_back_to_its_year_and_on_to_the_months_around_it() {
    let site = site();
    site.build_ok();
    let feb = site.read("archive/2024/02/index.html");
    assert!(feb.contains("<title>2024年2月 - 川渝科技政策观察</title>"), "{feb}");
    assert!(feb.contains("<h1 class=\"list-header__title\">2024年2月</h1>"), "{feb}");
    let crumbs = feb.split("aria-label=\"当前位置\"").nth(1).and_then(|s| s.split("</nav>").next()).unwrap();
    assert!(crumbs.contains("<a href=\"/archive/\">归档</a>") && crumbs.contains("<a href=\"/archive/2024/\">2024 年</a>"), "{crumbs}");
    assert!(crumbs.contains("<span aria-current=\"page\">2024年2月</span>"), "{crumbs}");
    // January has no articles: February's earlier neighbour is December of the year before.
    assert!(feb.contains("<a href=\"/archive/2023/12/\">上一月：2023年12月</a>"), "{feb}");
    assert!(feb.contains("<a href=\"/archive/2024/03/\">下一月：2024年3月</a>"), "{feb}");
    // The newest month has no later one, the oldest no earlier one; neither is pagination.
    let april = site.read("archive/2024/04/index.html");
    assert!(april.contains("上一月：2024年3月") && !april.contains("下一月"), "{april}");
    assert!(!site.read("archive/2023/12/index.html").contains("上一月"));
    assert!(!april.contains("rel=\"prev\"") && !april.contains("rel=\"next\""));
}

#[test]
fn the_sitemap_has_each_first_month_page_and_months_have_no_feed() {
    let site = site();
    site.build_ok();
    let sitemap = site.read("sitemap.xml");
    for month in ["2024/04", "2024/03", "2024/02", "2023/12"] {
        assert!(sitemap.contains(&format!("<loc>https://policy.example.org/archive/{month}/</loc>")), "{month}: {sitemap}");
    }
    assert!(!sitemap.contains("archive/2024/03/page/2/"));
    assert!(!site.exists("archive/2024/03/feed.xml"));
    assert!(!site.read("archive/2024/03/index.html").contains("application/rss+xml\" title=\"2024年3月"));
}

#[test]
fn gazette_check_knows_the_month_pages() {
    let site = site();
    site.article("links", "链接", "2024-03-20", "四川省", "科技合作", "slug: links\n", "见[三月](/archive/2024/03/)与[第二页](/archive/2024/03/page/2/)。");
    let out = site.run(&["check"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    site.article("links", "链接", "2024-03-20", "四川省", "科技合作", "slug: links\n", "见[一月](/archive/2024/01/)。");
    let out = site.run(&["check"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("broken internal link `/archive/2024/01/`"), "{err}");
}

#[test]
fn serve_watch_moves_an_article_between_months_like_a_fresh_build() {
    let site = site();
    let output = site.root().join(".gazette/live");
    let options = BuildOptions { root: site.root().to_path_buf(), output: Some(output.clone()), ..Default::default() };
    let mut live = LiveSite::new(options).defer_related_after(Duration::MAX);
    live.rebuild(&[]).unwrap_or_else(|e| panic!("first build failed:\n{e}"));
    let read = |rel: &str| std::fs::read_to_string(output.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    // March → February: both months, the year's counts and the neighbours change.
    let m3 = site.root().join("content/m3.md");
    let text = std::fs::read_to_string(&m3).unwrap();
    std::fs::write(&m3, text.replace("date: 2024-03-18", "date: 2024-02-18")).unwrap();
    live.rebuild(std::slice::from_ref(&m3)).unwrap_or_else(|e| panic!("rebuild failed:\n{e}"));
    live.settle().unwrap();
    assert_eq!(entry_links(&read("archive/2024/02/index.html")).len(), 2);
    assert!(read("archive/2024/index.html").contains("2024年3月</a><span class=\"count\">（5篇）"));
    assert_fresh(&site, &output);
    // The only April article moves to January: April goes, January comes.
    let a1 = site.root().join("content/a1.md");
    let text = std::fs::read_to_string(&a1).unwrap();
    std::fs::write(&a1, text.replace("date: 2024-03-31T20:00:00Z", "date: 2024-01-15")).unwrap();
    let rebuilt = live.rebuild(&[a1]).unwrap_or_else(|e| panic!("rebuild failed:\n{e}"));
    live.settle().unwrap();
    assert!(rebuilt.removed.iter().any(|r| r.starts_with("archive/2024/04/")), "{:?}", rebuilt.removed);
    assert!(read("archive/2024/02/index.html").contains("上一月：2024年1月"));
    assert_fresh(&site, &output);
    // A body edit keeps the model; month pages still equal a fresh build.
    let text = std::fs::read_to_string(&m3).unwrap();
    std::fs::write(&m3, text.replace("正文。", "正文有改动。")).unwrap();
    live.rebuild(&[m3]).unwrap_or_else(|e| panic!("rebuild failed:\n{e}"));
    live.settle().unwrap();
    assert_fresh(&site, &output);
}

/// The served folder equals a fresh build of the same site, file for file.
fn assert_fresh(site: &TestSite, served: &std::path::Path) {
    let elsewhere = tempfile::tempdir().unwrap();
    let fresh = elsewhere.path().join("fresh");
    // Plain asset URLs, as the preview links them (docs/live-preview.md).
    let options = BuildOptions { root: site.root().to_path_buf(), output: Some(fresh.clone()), plain_assets: true, ..Default::default() };
    gazette::build(&options).unwrap_or_else(|e| panic!("fresh build failed:\n{e}"));
    let (ours, theirs) = (tree(served), tree(&fresh));
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&ours), names(&theirs));
    for ((name, a), (_, b)) in ours.iter().zip(&theirs) {
        assert!(a == b, "{name} differs from a fresh build:\n--- served\n{}\n--- fresh\n{}", String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    }
}

fn tree(root: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| !(e.depth() == 1 && e.file_name() == ".gazette"))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(root).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect();
    out.sort();
    out
}
