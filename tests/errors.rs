//! Bad input: every bad file reported in one run with file, line and a fix; non-zero exit;
//! the previous output left exactly as it was.

mod common;

use common::*;

fn good_site() -> TestSite {
    let site = TestSite::new(SITE_TOML);
    site.article("good", "局县会商", "2024-03-15", "四川省/广元市", "科技合作", "slug: good\n", "正文。");
    site
}

#[test]
fn all_bad_files_are_reported_with_file_line_and_help() {
    let site = good_site();
    site.write("content/typo.md", "---\ntitle: 错字\ndate: 2024-03-15\nregion: 四川省\ncatagory: 科技合作\n---\n正文\n");
    site.write("content/baddate.md", "---\ntitle: 日期\ndate: 2024-02-30\nregion: 四川省\ncategory: 科技合作\n---\n正文\n");
    site.write("content/unclosed.md", "---\ntitle: 没有结束\ndate: 2024-03-15\n");
    let out = site.run(&["build"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("content/typo.md:5:1: error: front matter: unknown field `catagory`"), "{err}");
    assert!(err.contains("help: did you mean `category`?"), "{err}");
    assert!(err.contains("content/baddate.md:3: error: `date: 2024-02-30` is not a real calendar date"), "{err}");
    assert!(err.contains("content/unclosed.md:1: error: the front matter is not closed"), "{err}");
    assert!(err.contains("3 errors"), "{err}");
    assert!(!site.public().exists(), "nothing written on error");
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = good_site();
    site.build_ok();
    let before = site.snapshot();
    site.write("content/bad.md", "---\ntitle: [\n---\n");
    assert!(site.build().is_err());
    let after = site.snapshot();
    assert!(before == after);
    assert!(!site.public().join(".gazette/staging").exists(), "the staging folder is removed");
    assert!(!site.public().join(".gazette/journal").exists());
}

#[test]
fn deleted_articles_disappear_from_the_output() {
    let site = good_site();
    site.article("gone", "将被删除", "2024-03-16", "四川省", "科技合作", "slug: gone\ntags: [删除]\n", "正文。");
    site.build_ok();
    assert!(site.exists("2024/03/gone/index.html") && site.exists("tags/shan-chu/index.html"));
    std::fs::remove_file(site.root().join("content/gone.md")).unwrap();
    site.build_ok();
    assert!(!site.exists("2024/03/gone/index.html") && !site.exists("tags/shan-chu/index.html"));
    assert!(site.exists("2024/03/good/index.html"));
}

#[test]
fn a_gbk_file_is_named_with_its_encoding_and_the_fix() {
    let site = good_site();
    let (gbk, _, _) = encoding_rs::GBK.encode("---\ntitle: 四川省科学技术厅广安市人民政府第三次厅市工作会商会议\ndate: 2016-11-17\nregion: 四川省/广安市\ncategory: 科技合作\n---\n为加快实施创新驱动发展战略，全面推进大众创业、万众创新。\n");
    site.write("content/gbk.md", gbk);
    let err = site.build().unwrap_err().to_string();
    assert!(err.contains("content/gbk.md:2: error"), "the line of the first bad byte: {err}");
    assert!(err.contains("not UTF-8") && (err.contains("GBK") || err.contains("GB18030")), "{err}");
    assert!(err.contains("iconv -f GB18030 -t UTF-8"), "{err}");
}

#[test]
fn bom_and_crlf_files_build() {
    let site = good_site();
    site.write("content/crlf.md", "\u{feff}---\r\ntitle: Windows 文件\r\ndate: 2024-03-01\r\nregion: 四川省\r\ncategory: 科技合作\r\nslug: crlf\r\n---\r\n\r\n第一段。\r\n");
    site.build_ok();
    assert!(site.read("2024/03/crlf/index.html").contains("第一段。"));
}

#[test]
fn unknown_category_is_an_error_with_a_suggestion() {
    let site = good_site();
    site.article("cat", "分类写错", "2024-03-15", "四川省", "科技合做", "", "正文。");
    let err = site.build().unwrap_err().to_string();
    assert!(err.contains("unknown category `科技合做`"), "{err}");
    assert!(err.contains("科技合作"), "{err}");
}

#[test]
fn explicit_slug_used_twice_names_both_files() {
    let site = good_site();
    site.article("dup", "另一篇", "2024-03-20", "四川省", "科技合作", "slug: good\n", "正文。");
    let err = site.build().unwrap_err().to_string();
    assert!(err.contains("dup.md") && err.contains("good.md"), "{err}");
}

#[test]
fn alias_over_an_article_is_refused() {
    let site = good_site();
    site.article("al", "别名冲突", "2024-03-20", "四川省", "科技合作", "slug: al\naliases: [/2024/03/good/]\n", "正文。");
    let err = site.build().unwrap_err().to_string();
    assert!(err.contains("already the URL of"), "{err}");
}

#[test]
fn bad_site_toml_names_the_key_and_line() {
    let site = good_site();
    site.write("site.toml", &SITE_TOML.replace("paginate = 20", "paginate = 20\nbase_ulr = \"x\""));
    let err = site.build().unwrap_err().to_string();
    assert!(err.contains("site.toml:7:1"), "{err}");
    assert!(err.contains("base_ulr") && err.contains("did you mean `base_url`?"), "{err}");
}

#[test]
fn editor_temp_files_are_ignored() {
    let site = good_site();
    site.write("content/.#good.md", "garbage");
    site.write("content/good.md~", "garbage");
    site.write("content/.good.md.swp", "garbage");
    site.write("content/4913", "garbage");
    let report = site.build_ok();
    assert_eq!(report.articles, 1);
}

#[test]
fn check_reports_errors_and_writes_nothing() {
    let site = good_site();
    let out = site.run(&["check"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!site.public().exists());
    site.write("content/bad.md", "---\ntitle: x\n---\n");
    let out = site.run(&["check"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("content/bad.md"));
}

#[test]
fn a_template_error_names_the_template() {
    let site = good_site();
    let path = "themes/default/templates/article.html";
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    site.write(path, text.replacen("{{ page.title }}", "{{ page.title | no_such_filter }}", 1));
    let err = site.build().unwrap_err().to_string();
    assert!(err.contains("article.html"), "{err}");
    assert!(err.contains("no_such_filter"), "{err}");
}

#[test]
fn a_missing_theme_is_named() {
    let site = good_site();
    site.write("site.toml", &SITE_TOML.replace("theme = \"default\"", "theme = \"nope\""));
    let err = site.build().unwrap_err().to_string();
    assert!(err.contains("theme `nope` not found"), "{err}");
}

#[test]
fn an_alias_over_a_list_page_or_a_static_file_over_a_page_is_refused() {
    let site = good_site();
    site.article("al", "别名冲突", "2024-03-20", "四川省", "科技合作", "slug: al\naliases: [/tags/]\n", "正文。");
    let err = site.build().unwrap_err().to_string();
    assert!(err.contains("tags/index.html"), "{err}");
    std::fs::remove_file(site.root().join("content/al.md")).unwrap();
    site.write("static/index.html", "<p>hand-made</p>");
    let err = site.build().unwrap_err().to_string();
    assert!(err.contains("index.html"), "{err}");
}

#[test]
fn check_finds_broken_internal_links_and_anchors() {
    let site = good_site();
    site.article(
        "links",
        "链接",
        "2024-03-16",
        "四川省/广元市",
        "科技合作",
        "slug: links\n",
        "## 政策背景\n\n见[旧文](/2024/03/good/)、[地区](/regions/sichuan/)、[本节](#政策背景)、[外站](https://example.com/x)。\n\n另见[不存在](/2024/03/missing/)。\n\n还有[错锚点](/2024/03/good/#没有这一节)。",
    );
    let out = site.run(&["check"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("content/links.md:13: error: broken internal link `/2024/03/missing/`: no page of the site has this URL"), "{err}");
    assert!(err.contains("content/links.md:15: error: broken internal link `/2024/03/good/#没有这一节`: the page has no heading or anchor `#没有这一节`"), "{err}");
    assert!(err.contains("2 errors"), "only the two broken links: {err}");
    std::fs::write(site.root().join("content/links.md"), "---\ntitle: 链接\ndate: 2024-03-16\nregion: 四川省\ncategory: 科技合作\nslug: links\n---\n\n[旧文](/2024/03/good/)与[本节](#top)。\n\n## top\n").unwrap();
    let out = site.run(&["check"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn errors_show_the_source_line_with_a_caret_under_the_column() {
    let site = good_site();
    site.write("content/yaml.md", "---\ntitle: [鎮江創新發展, 四川\ndate: 2024-03-15\n---\n正文\n");
    site.write("content/typo.md", "---\ntitle: 错字\ndate: 2024-03-15\nregion: 四川省\n\tcatagory: 科技合作\n---\n正文\n");
    let out = site.run(&["build"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("content/yaml.md:3:5: error: front matter: did not find expected ',' or ']'\n    |\n  3 | date: 2024-03-15\n    |     ^\n  help: "), "{err}");
    assert!(out.stdout.is_empty(), "errors go to stderr only");
}

#[test]
fn a_caret_under_chinese_text_lines_up_in_the_terminal() {
    let site = good_site();
    // a second `:` in an unquoted value: YAML points at it, after seven wide characters
    site.write("content/colon.md", "---\nregion: 四川省\ntitle: 旺苍县局县会商: 科技\ndate: 2024-03-15\ncategory: 科技合作\n---\n正文\n");
    let out = site.run(&["check"]);
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    let Some(i) = lines.iter().position(|l| l.contains("| title: 旺苍县局县会商: 科技")) else { panic!("no snippet line: {err}") };
    let column: usize = lines[i - 2].split(':').nth(2).and_then(|c| c.parse().ok()).unwrap_or_else(|| panic!("no column: {err}"));
    let source_line = lines[i].split_once("| ").unwrap().1;
    let caret_line = lines[i + 1].split_once("| ").unwrap().1;
    let before: String = source_line.chars().take(column - 1).collect();
    let cells = before.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum::<usize>();
    assert_eq!(caret_line.find('^'), Some(cells), "caret under column {column}: {err}");
}

#[test]
fn unknown_category_is_placed_on_its_line() {
    let site = good_site();
    site.article("cat", "分类写错", "2024-03-15", "四川省", "科技合做", "", "正文。");
    let err = site.build().unwrap_err();
    assert_eq!(err.diagnostics[0].line, Some(5), "{err}");
}

#[test]
fn dates_outside_1900_to_2999_are_refused_in_our_own_words() {
    let site = good_site();
    site.write("content/zero.md", "---\ntitle: 零年\ndate: 0000-01-01\nregion: 四川省\ncategory: 科技合作\n---\n正文\n");
    site.write("content/one.md", "---\ntitle: 一年\nregion: 四川省\ncategory: 科技合作\ndate: 0001-03-15\n---\n正文\n");
    site.write("content/far.md", "---\ntitle: 遥远\ndate: 9999-12-31T23:59:59+14:00\nregion: 四川省\ncategory: 科技合作\n---\n正文\n");
    let out = site.run(&["check"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("content/zero.md:3: error: `date: 0000-01-01` is out of range: year 0 is not in 1900–2999"), "{err}");
    assert!(err.contains("content/one.md:5: error: `date: 0001-03-15` is out of range: year 1 is not in 1900–2999"), "{err}");
    assert!(err.contains("content/far.md:3: error: `date: 9999-12-31T23:59:59+14:00` is out of range: year 9999 is not in 1900–2999"), "{err}");
    assert!(err.contains("help: dates run from 1900-01-01 to 2999-12-31"), "{err}");
    assert!(!err.to_lowercase().contains("overflow"), "no message of the date library: {err}");
}

#[test]
fn dates_at_the_edges_of_the_range_build() {
    let site = good_site();
    site.article("first", "最早", "1900-01-01", "四川省", "科技合作", "slug: first\n", "正文。");
    site.article("last", "最晚", "2999-12-31T23:59:59+08:00", "四川省", "科技合作", "slug: last\n", "正文。");
    gazette::build(&gazette::BuildOptions { root: site.root().to_path_buf(), future: true, ..Default::default() }).unwrap();
    assert!(site.exists("1900/01/first/index.html") && site.exists("archive/1900/index.html"), "{:#?}", site.files());
    assert!(site.exists("2999/12/last/index.html") && site.exists("archive/2999/index.html"), "{:#?}", site.files());
}

/// Runs `gazette import --dry-run` on `input`, killed after a minute if it does not stop.
fn import_dry_run(dir: &std::path::Path, input: &std::path::Path) -> (bool, String) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["import", "--dry-run"])
        .arg(input)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("gazette import {} did not stop", input.display());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    (status.success(), err)
}

#[test]
fn import_refuses_an_input_over_the_size_cap() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("旺苍县局县会商.html");
    std::fs::File::create(&big).unwrap().set_len(gazette::import::MAX_INPUT_BYTES + 1).unwrap();
    let (ok, err) = import_dry_run(dir.path(), &big);
    assert!(!ok);
    assert!(err.contains("旺苍县局县会商.html: is larger than 32 MiB, the most gazette import reads of one page"), "{err}");
}

#[cfg(target_os = "linux")]
#[test]
fn import_of_an_endless_device_stops_at_the_cap() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, err) = import_dry_run(dir.path(), std::path::Path::new("/dev/zero"));
    assert!(!ok);
    assert!(err.contains("/dev/zero: is larger than 32 MiB"), "{err}");
}
