//! Real content as editors publish it: rich text pasted from government portals and CMS
//! editors (what a reader sees of its inline styles once the sanitiser has kept the safe
//! ones), and daily bulletins that all bear the same title.

mod common;

use common::{related_links, TestSite, SITE_TOML};

/// A notice as a provincial science department's CMS pastes it: centred title and issuing
/// number, 2-character indents, a right-aligned signature, and the editor's noise.
const NOTICE: &str = r#"<p style="text-align: center;"><strong><span style="font-family: 方正小标宋简体; font-size: 22px;">四川省科学技术厅关于开展2024年度科技型中小企业评价工作的通知</span></strong></p>
<p style="TEXT-ALIGN: center; margin-bottom: 0px">川科高〔2024〕12号</p>
<p style="text-indent: 2em; line-height: 2em; color: rgb(51, 51, 51); background-color: rgb(255, 255, 255);">各市（州）科技局，各有关单位：</p>
<p style="text-indent:32px;mso-char-indent-count:2.0">为贯彻落实《科技型中小企业评价办法》，现将有关事项通知如下。</p>
<p style="text-align: right; font-family: 仿宋_GB2312">四川省科学技术厅<br>2024年3月15日</p>
"#;

/// Hostile `style` values an editor (or an attacker) might paste.
const HOSTILE: &str = r#"<p style="position: fixed; top: 0; left: 0; width: 100%; height: 100%; z-index: 9999">覆盖层</p>
<p style="background: url(https://tracker.example/p.gif); text-align: center">跟踪像素</p>
<p style="width: expression(alert(1)); text-align: \65xpression(alert(1))">表达式</p>
<p style="text-align: center !important; behavior: url(x.htc)">重要</p>
<p style="text-indent: -9999px">隐藏文字</p>
<p style="font-family: &quot;a;position:fixed&quot;; font-weight: bold">引号</p>
<p style="@import url(https://tracker.example/a.css); text-align: left">导入</p>
"#;

fn build_with(body: &str) -> String {
    let site = TestSite::new(SITE_TOML);
    site.article("notice", "关于开展科技型中小企业评价工作的通知", "2024-03-15", "四川省", "政策解读", "slug: notice\n", body);
    site.build_ok();
    site.read("2024/03/notice/index.html")
}

#[test]
fn a_pasted_notice_keeps_its_centring_and_indents() {
    let html = build_with(NOTICE);
    for kept in [
        "<p style=\"text-align:center\"><strong><span>四川省科学技术厅关于",
        "<p style=\"text-align:center\">川科高〔2024〕12号</p>",
        "<p style=\"text-indent:2em\">各市（州）科技局",
        "<p style=\"text-indent:32px\">为贯彻落实",
        "<p style=\"text-align:right\">四川省科学技术厅<br>2024年3月15日</p>",
    ] {
        assert!(html.contains(kept), "{kept} missing in {html}");
    }
    for gone in ["font-family", "font-size", "margin", "line-height", "color:", "rgb(", "mso-"] {
        assert!(!html.contains(gone), "{gone} left in {html}");
    }
}

#[test]
fn hostile_styles_lose_every_unsafe_declaration() {
    let html = build_with(HOSTILE);
    let body = html.split("<article").nth(1).unwrap_or_default();
    for gone in [
        "position", "fixed", "z-index", "url(", "tracker.example", "expression", "important",
        "behavior", "-9999", "@import", "width",
    ] {
        assert!(!body.contains(gone), "{gone} left in {body}");
    }
    for kept in [
        "<p>覆盖层</p>",
        "<p style=\"text-align:center\">跟踪像素</p>",
        "<p>表达式</p>",
        "<p>重要</p>",
        "<p>隐藏文字</p>",
        "<p style=\"font-weight:bold\">引号</p>",
        "<p style=\"text-align:left\">导入</p>",
    ] {
        assert!(body.contains(kept), "{kept} missing in {body}");
    }
}

/// Six "国内联播快讯" bulletins, two of them on 13 March (08:00 and 19:00).
fn bulletins() -> TestSite {
    let site = TestSite::new(SITE_TOML);
    let dates = [
        "2024-03-11",
        "2024-03-12",
        "2024-03-13T08:00:00+08:00",
        "2024-03-13T19:00:00+08:00",
        "2024-03-14",
        "2024-03-15",
    ];
    for (i, date) in dates.iter().enumerate() {
        let body = "国内联播快讯：科技部部署科技型中小企业评价工作，各地科技部门开展政策培训。";
        site.article(&format!("b{i}"), "国内联播快讯", date, "四川省", "政策解读", &format!("slug: b{i}\ntags: [联播快讯]\n"), body);
    }
    site.build_ok();
    site
}

/// The text of each `<li>` of the related list, tags removed, whitespace collapsed.
fn related_items(html: &str) -> Vec<String> {
    let aside = html.split("<aside class=\"related\"").nth(1).unwrap_or_default();
    let aside = aside.split("</aside>").next().unwrap_or_default();
    aside.split("<li>").skip(1).map(|li| li.split("</li>").next().unwrap_or_default().to_string()).collect()
}

#[test]
fn same_titled_bulletins_in_a_related_list_show_their_dates_and_same_day_times() {
    let site = bulletins();
    let html = site.read("2024/03/b0/index.html");
    assert_eq!(related_links(&html).len(), 5, "{html}");
    let items = related_items(&html);
    let by_url = |slug: &str| items.iter().find(|li| li.contains(&format!("href=\"/2024/03/{slug}/\""))).cloned().unwrap_or_default();
    assert!(by_url("b1").contains("<time datetime=\"2024-03-12\">2024年3月12日</time>"), "{items:?}");
    assert!(by_url("b5").contains("<time datetime=\"2024-03-15\">2024年3月15日</time>"), "{items:?}");
    assert!(by_url("b2").contains("<time datetime=\"2024-03-13T08:00:00+08:00\">2024年3月13日 08:00</time>"), "{items:?}");
    assert!(by_url("b3").contains("<time datetime=\"2024-03-13T19:00:00+08:00\">2024年3月13日 19:00</time>"), "{items:?}");
    // The evening bulletin's page lists the morning one: same title, same day as the page.
    let evening = site.read("2024/03/b3/index.html");
    let items = related_items(&evening);
    assert!(items.iter().any(|li| li.contains("2024年3月13日 08:00</time>")), "{items:?}");
    assert!(!items.iter().any(|li| li.contains("19:00")), "{items:?}");
}
