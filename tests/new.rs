//! `gazette new`: a new article with correct front matter, never over an existing file.

mod common;

use common::*;

#[test]
fn new_writes_a_draft_that_builds() {
    let site = TestSite::new(SITE_TOML);
    let out = site.run(&["new", "旺苍县召开局县科技会商会议", "--region", "四川省/广元市/旺苍县", "--region", "重庆市/北碚区", "--category", "科技合作", "--tags", "局县会商,县域创新", "--date", "2024-03-15"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let path = site.root().join("content/2024/wang-cang-xian-zhao-kai-ju-xian-ke-ji-hui-shang.md");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    assert!(text.starts_with("---\ntitle: 旺苍县召开局县科技会商会议\n"), "{text}");
    assert!(text.contains("draft: true"));
    assert_eq!(site.build_ok().articles, 0, "a draft is not published");
    let out = site.run(&["build", "--drafts"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(site.exists("2024/03/wang-cang-xian-zhao-kai-ju-xian-ke-ji-hui-shang/index.html"));
    assert!(site.exists("regions/chongqing/beibei/index.html") && site.exists("tags/ju-xian-hui-shang/index.html"));
}

#[test]
fn new_refuses_to_overwrite_and_checks_the_category() {
    let site = TestSite::new(SITE_TOML);
    let args = ["new", "标题", "--region", "四川省", "--category", "科技合作", "--slug", "same", "--date", "2024-01-01"];
    assert!(site.run(&args).status.success());
    std::fs::write(site.root().join("content/2024/same.md"), "edited by hand").unwrap();
    let again = site.run(&args);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(std::fs::read_to_string(site.root().join("content/2024/same.md")).unwrap(), "edited by hand");
    let typo = site.run(&["new", "标题二", "--region", "四川省", "--category", "科技合做"]);
    assert!(!typo.status.success());
    assert!(String::from_utf8_lossy(&typo.stderr).contains("did you mean `科技合作`"));
}

#[test]
fn titles_that_need_quoting_survive_the_round_trip() {
    let site = TestSite::new(SITE_TOML);
    let title = "关于“揭榜挂帅”: [第一批] 项目 #1 的通知";
    let out = site.run(&["new", title, "--region", "四川省", "--category", "科技合作", "--slug", "q", "--date", "2024-01-01"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    site.run(&["build", "--drafts"]);
    assert!(site.read("2024/01/q/index.html").contains("关于“揭榜挂帅”: [第一批] 项目 #1 的通知"));
}

#[test]
fn names_are_written_as_the_site_reads_them() {
    let site = TestSite::new(SITE_TOML);
    let out = site.run(&["new", "标题", "--region", "四川省 / 广元市\u{200b}", "--category", "科技　合作", "--tags", "县域 创新,\u{200b}", "--slug", "n", "--date", "2024-01-01"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(site.root().join("content/2024/n.md")).unwrap();
    assert!(text.contains("region: 四川省/广元市\n") && text.contains("category: 科技合作\n") && text.contains("- 县域创新\n"), "{text}");
    assert!(!text.contains('\u{200b}'), "{text}");
}
