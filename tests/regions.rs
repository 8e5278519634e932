//! National (`全国`) and foreign (`国际/<国家>`) items in the region tree (docs/regions.md):
//! their own pages, their own section of the regions index, never a province.

mod common;

use common::{entry_links, TestSite, SITE_TOML};

/// The regions index split at the `全国与国际` heading: (before, after).
fn index_halves(site: &TestSite) -> (String, String) {
    let html = site.read("regions/index.html");
    match html.split_once("全国与国际</h2>") {
        Some((before, after)) => (before.to_string(), after.to_string()),
        None => panic!("no 全国与国际 section on the regions index:\n{html}"),
    }
}

#[test]
fn national_items_have_a_page_and_a_section_apart_from_the_provinces() {
    let site = TestSite::new(SITE_TOML);
    site.article("a", "全国科技工作会议召开", "2024-03-01", "全国", "科技合作", "", "正文。")
        .article("b", "川渝协同创新", "2024-03-02", "[全国, 四川省]", "科技合作", "", "正文。")
        .article("c", "旺苍局县会商", "2024-03-03", "四川省/广元市/旺苍县", "科技合作", "", "正文。")
        .article("d", "北京科技周", "2024-03-04", "北京市", "科技合作", "", "正文。");
    site.build_ok();

    let national = site.read("regions/quanguo/index.html");
    let links = entry_links(&national);
    assert_eq!(links.len(), 2, "全国 lists its two articles: {links:?}");
    assert!(national.contains("href=\"/regions/\""), "breadcrumb back to the regions index");

    let (provinces, beyond) = index_halves(&site);
    assert!(provinces.contains("/regions/beijing/") && provinces.contains("/regions/sichuan/"));
    // The most-used province first (四川 2 articles, 北京 1); GB/T 2260 order only among equals.
    assert!(provinces.find("/regions/sichuan/") < provinces.find("/regions/beijing/"), "most articles first");
    assert!(!provinces.contains("/regions/quanguo/"), "全国 is not among the provinces");
    assert!(beyond.contains("<a href=\"/regions/quanguo/\">全国</a>"));
}

#[test]
fn foreign_items_sit_under_guoji_by_country_in_either_script() {
    let site = TestSite::new(SITE_TOML);
    site.article("a", "日本科技政策", "2024-03-01", "國際/日本", "科技合作", "", "正文。")
        .article("b", "美国芯片法案", "2024-03-02", "国际/美国", "科技合作", "", "正文。")
        .article("c", "美國半導體補貼", "2024-03-03", "國際/美國", "科技合作", "", "正文。")
        .article("d", "全国会议", "2024-03-04", "全国", "科技合作", "", "正文。")
        .article("e", "四川新闻", "2024-03-05", "四川省", "科技合作", "", "正文。");
    site.build_ok();

    assert!(!site.exists("regions/guoji-2/index.html"), "國際 and 国际 are one node");
    assert_eq!(entry_links(&site.read("regions/guoji/index.html")).len(), 3);
    let us = site.read("regions/guoji/meiguo/index.html");
    assert_eq!(entry_links(&us).len(), 2, "美國 and 美国 are one country");
    assert!(us.contains("href=\"/regions/guoji/\""), "breadcrumb through 国际");
    assert!(site.exists("regions/guoji/riben/index.html"));

    let (provinces, beyond) = index_halves(&site);
    assert!(provinces.contains("/regions/sichuan/") && !provinces.contains("/regions/guoji/"));
    let (national, foreign) = (beyond.find("/regions/quanguo/"), beyond.find("<a href=\"/regions/guoji/\">国际</a>"));
    assert!(national.is_some() && foreign.is_some() && national < foreign, "全国, then 国际:\n{beyond}");
}

#[test]
fn a_site_without_national_or_foreign_items_has_no_empty_section() {
    let site = TestSite::new(SITE_TOML);
    site.article("a", "旺苍局县会商", "2024-03-03", "四川省/广元市/旺苍县", "科技合作", "", "正文。");
    site.build_ok();
    let html = site.read("regions/index.html");
    assert!(html.contains("/regions/sichuan/") && !html.contains("全国与国际"));
}
