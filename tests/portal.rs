//! The default theme as a policy portal (issue #20, part 1): the `[site_info]` footer,
//! article pages (previous/next, tools, `zh-Hant`), the regions tree and what an empty
//! category offers. Each test builds a real site and reads the pages a reader gets.

mod common;

use common::{TestSite, SITE_TOML};

fn site(toml_extra: &str) -> TestSite {
    let site = TestSite::new(&format!("{SITE_TOML}{toml_extra}"));
    site.article("a1", "成渝共建科技创新中心", "2024-01-10", "四川省/成都市/高新区", "科技合作", "slug: a1\n", "会议强调，要以科技创新引领双城经济圈建设。");
    site.article("a2", "广元市推进县域创新", "2024-02-10", "四川省/广元市/旺苍县", "科技合作", "slug: a2\n", "旺苍县科技局召开会议，推动高新技术企业发展。");
    site.article("a3", "重庆发布人才新政", "2024-03-10", "重庆市/北碚区", "科技合作", "slug: a3\n", "重庆市发布新一轮科技人才政策。");
    site.article("a4", "镇江发布培育方案", "2024-04-10", "江苏省/镇江市", "政策解读", "slug: a4\n", "镇江市发布高新技术企业培育方案。");
    site.article("j1", "江苏科技厅会商", "2024-05-10", "江苏省/南京市", "政策解读", "slug: j1\n", "江苏省科技厅召开会商会。");
    site.article("j2", "苏州创新平台", "2024-05-11", "江苏省/苏州市", "政策解读", "slug: j2\n", "苏州市建设创新平台。");
    site.article(
        "hant",
        "北碚區與綿陽市簽署科技合作協議",
        "2024-06-10",
        "重庆市/北碚区",
        "政策解读",
        "slug: hant\n",
        "雙方將共建成渝地區雙城經濟圈協同創新平台，推動科技成果轉化與產業發展。",
    );
    site
}

fn page(site: &TestSite, rel: &str) -> String {
    site.read(rel)
}

const INFO: &str = r#"
[site_info]
sponsor = "四川省科学技术厅"
organizer = "四川省科技信息中心"
phone = "028-12345678"
email = "kjt@sc.example.gov.cn"
icp = "蜀ICP备05000001号"
police_record = "川公网安备 51010702000001号"
site_code = "5100000001"
"#;

#[test]
fn site_info_is_in_the_footer_of_every_page() {
    let s = site(INFO);
    s.build_ok();
    for rel in ["index.html", "2024/01/a1/index.html", "regions/index.html", "404.html", "categories/cooperation/index.html"] {
        let html = page(&s, rel);
        let footer = &html[html.find("<footer class=\"site-footer\"").unwrap_or_else(|| panic!("{rel}: no footer"))..];
        assert!(footer.contains("主办单位：四川省科学技术厅"), "{rel}: {footer}");
        assert!(footer.contains("承办单位：四川省科技信息中心"), "{rel}");
        assert!(footer.contains("电话：028-12345678"), "{rel}");
        assert!(footer.contains("<a href=\"mailto:kjt@sc.example.gov.cn\">"), "{rel}");
        assert!(footer.contains("<a href=\"https://beian.miit.gov.cn/\" rel=\"external noopener\" translate=\"no\">蜀ICP备05000001号</a>"), "{rel}");
        assert!(footer.contains("href=\"https://beian.mps.gov.cn/#/query/webSearch?code=51010702000001\""), "{rel}");
        assert!(footer.contains("川公网安备 51010702000001号"), "{rel}");
        assert!(footer.contains("网站标识码：5100000001"), "{rel}");
        // Keys not set are not shown, not even their label.
        assert!(!footer.contains("地址："), "{rel}");
    }
}

#[test]
fn without_site_info_the_footer_is_as_before() {
    let s = site("");
    s.build_ok();
    let html = page(&s, "index.html");
    assert!(!html.contains("site-info"), "an empty [site_info] list was rendered");
    assert!(!html.contains("beian"));
    assert!(html.contains("本站由 gazette"));
}

#[test]
fn an_unknown_site_info_key_is_an_error_naming_it() {
    let s = site("\n[site_info]\nsponsor = \"x\"\nicp_number = \"蜀ICP备1号\"\n");
    let err = s.build().expect_err("an unknown key must fail the build").to_string();
    assert!(err.contains("icp_number"), "{err}");
    assert!(err.contains("site.toml"), "{err}");
}

#[test]
fn articles_link_the_previous_and_next_of_their_category() {
    let s = site("");
    s.build_ok();
    // 科技合作 holds a1 (oldest), a2, a3 (newest).
    let middle = page(&s, "2024/02/a2/index.html");
    assert!(middle.contains("<a href=\"/2024/01/a1/\" rel=\"prev\">成渝共建科技创新中心</a>"), "{middle}");
    assert!(middle.contains("<a href=\"/2024/03/a3/\" rel=\"next\">重庆发布人才新政</a>"));
    let oldest = page(&s, "2024/01/a1/index.html");
    assert!(!oldest.contains("上一篇"));
    assert!(oldest.contains("下一篇"));
    // Never across categories: a4 (政策解读) is newer than a3 but not its neighbour.
    let newest = page(&s, "2024/03/a3/index.html");
    assert!(!newest.contains("下一篇"), "a3 is the newest of its category");
    assert!(!newest.contains("/2024/04/a4/\" rel"));
}

#[test]
fn article_tools_need_scripting_and_print_drops_the_chrome() {
    let s = site("");
    s.build_ok();
    let html = page(&s, "2024/01/a1/index.html");
    // By its content-hashed name (docs/templates.md, `asset`), deferred.
    let script = html.split("<script src=\"/").find(|s| s.starts_with("js/article.")).and_then(|s| s.split_once("\" defer></script>")).map(|(src, _)| src).unwrap_or_default();
    assert!(script.starts_with("js/article.") && script.ends_with(".js"), "{html}");
    assert_eq!(page(&s, script), page(&s, "js/article.js"));
    assert!(!html.contains("<script>"), "no inline script");
    // Hidden until article.js shows them.
    assert!(html.contains("data-print data-article-tool hidden>打印本页</button>"), "{html}");
    for size in ["大", "中", "小"] {
        assert!(html.contains(&format!("aria-pressed=\"{}\">{size}</button>", if size == "中" { "true" } else { "false" })), "{size}");
    }
    let js = page(&s, "js/article.js");
    assert!(js.contains("window.print()") && js.contains("localStorage"));
    let css = page(&s, "css/style.css");
    let print = &css[css.find("@media print").expect("a print stylesheet")..];
    let hidden = &print[..print.find("display: none").unwrap()];
    for class in [".site-nav", ".site-search", ".site-footer__links", ".article-tools"] {
        assert!(hidden.contains(class), "print must hide {class}");
    }
    assert!(!print.contains("attr(href)"), "print does not spell out link URLs");
}

#[test]
fn traditional_articles_are_marked_zh_hant() {
    let s = site("");
    s.build_ok();
    assert!(page(&s, "2024/06/hant/index.html").contains("<article class=\"article\" lang=\"zh-Hant\">"));
    assert!(page(&s, "2024/01/a1/index.html").contains("<article class=\"article\">"));
}

#[test]
fn the_regions_index_is_a_tree_with_home_regions_first() {
    let s = site("\n[regions]\nhome = [\"重庆市\", \"四川省\"]\n");
    s.build_ok();
    let html = page(&s, "regions/index.html");
    let pos = |name: &str| html.find(&format!(">{name}</a>")).unwrap_or_else(|| panic!("{name} missing"));
    // Home regions first, in the order given, then the rest by count.
    assert!(pos("重庆市") < pos("四川省") && pos("四川省") < pos("江苏省"), "{html}");
    // Three levels, with counts, in <details>; home regions open.
    assert!(html.contains(">旺苍县</a> <span class=\"count\">1 篇</span>"), "{html}");
    assert!(html.contains(">广元市</a> <span class=\"count\">1 篇</span>"));
    assert!(html.contains(">四川省</a> <span class=\"count\">2 篇</span>"));
    assert!(html.contains("<details class=\"region-tree__below\" open>"));
    assert!(html.contains("<details class=\"region-tree__below\">"), "江苏省 is not a home region: closed");
}

#[test]
fn without_home_regions_the_most_used_come_first() {
    let s = site("");
    s.build_ok();
    let html = page(&s, "regions/index.html");
    let pos = |name: &str| html.find(&format!(">{name}</a>")).unwrap();
    // 江苏省 3, 重庆市 2, 四川省 2 (code order among equals: 重庆 50 before 四川 51).
    assert!(pos("江苏省") < pos("重庆市") && pos("重庆市") < pos("四川省"), "{html}");
    assert!(!html.contains(" open>"));
}

#[test]
fn an_unknown_regions_key_is_an_error() {
    let err = site("\n[regions]\nhomes = [\"四川省\"]\n").build().expect_err("must fail").to_string();
    assert!(err.contains("homes"), "{err}");
}

#[test]
fn empty_categories_are_not_linked_and_offer_no_feed() {
    let s = site("");
    s.build_ok();
    let not_found = page(&s, "404.html");
    let main_of = |html: &str| html[html.find("<main").unwrap()..html.find("</main>").unwrap()].to_string();
    let not_found = main_of(&not_found);
    assert!(!not_found.contains("/categories/regional/"), "区域协同 has no articles");
    assert!(not_found.contains("<a href=\"/categories/cooperation/\">科技合作</a>"));
    let empty_page = page(&s, "categories/regional/index.html");
    let empty = main_of(&empty_page);
    assert!(empty.contains("共 0 篇"), "{empty}");
    assert!(!empty.contains("RSS"), "{empty}");
    assert!(!empty_page.contains("title=\"分类：区域协同"), "no per-list feed link in the head");
    assert!(page(&s, "categories/cooperation/index.html").contains("RSS 订阅"));
}

#[test]
fn the_address_is_shown_alone_and_the_twin_footer_is_converted() {
    // `address` is the one key the test above leaves unset; with [variants] the footer's
    // labels and values are in traditional characters, the links still the filing sites,
    // and the filing number as it was filed (translate="no").
    let s = site("\n[variants]\ntraditional = true\n\n[site_info]\naddress = \"成都市高新区天府大道\"\nsponsor = \"四川省科学技术厅\"\nicp = \"蜀ICP备05000001号\"\n");
    s.build_ok();
    let html = page(&s, "index.html");
    let footer = &html[html.find("<footer class=\"site-footer\"").expect("a footer")..];
    assert!(footer.contains("<li>地址：成都市高新区天府大道</li>"), "{footer}");
    assert!(!footer.contains("电话：") && !footer.contains("网站标识码"), "{footer}");
    let twin = page(&s, "zh-hant/index.html");
    let footer = &twin[twin.find("<footer class=\"site-footer\"").expect("a footer in the twin")..];
    assert!(footer.contains("<li>地址：成都市高新區天府大道</li>"), "{footer}");
    assert!(footer.contains("主辦單位：四川省科學技術廳"), "{footer}");
    assert!(footer.contains("<a href=\"https://beian.miit.gov.cn/\" rel=\"external noopener\" translate=\"no\">蜀ICP备05000001号</a>"), "{footer}");
}
