//! Reliability through the real binary: `--format json` for tools, a build killed part-way
//! that loses nothing, symbolic-link loops, huge files, alias bombs and deep nesting that
//! end in a located error (never a hang or a panic).

mod common;

use std::fs;
use std::path::Path;

use common::*;
use serde_json::Value;

fn good_site() -> TestSite {
    let site = TestSite::new(SITE_TOML);
    site.article("good", "局县会商", "2024-03-15", "四川省/广元市", "科技合作", "slug: good\n", "正文。");
    site
}

fn stdout_json(out: &std::process::Output) -> Value {
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{text}\nstderr:\n{}", String::from_utf8_lossy(&out.stderr)))
}

/// The error of `doc` about `file`.
fn error_about<'a>(doc: &'a Value, file: &str) -> &'a Value {
    let errors = doc["errors"].as_array().expect("errors is a list");
    errors.iter().find(|e| e["file"] == file).unwrap_or_else(|| panic!("no error about {file}: {doc:#}"))
}

// --- --format json -----------------------------------------------------------------------

fn site_with_two_bad_files() -> TestSite {
    let site = good_site();
    site.write("content/2024/错字.md", "---\ntitle: 錯字的文章\ndate: 2024-03-15\nregion: 四川省\ncatagory: 科技合作\n---\n正文\n");
    site.write("content/yaml.md", "---\ntitle: [未闭合, 四川\ndate: 2024-03-15\n---\n正文\n");
    site
}

#[test]
fn build_format_json_lists_every_bad_file_with_line_column_help_and_snippet() {
    let site = site_with_two_bad_files();
    let out = site.run(&["build", "--format", "json"]);
    assert!(!out.status.success());
    let doc = stdout_json(&out);
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["command"], "build");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["error_count"], 2, "{doc:#}");

    let typo = error_about(&doc, "content/2024/错字.md");
    assert_eq!(typo["severity"], "error");
    assert_eq!((typo["line"].as_u64(), typo["column"].as_u64()), (Some(5), Some(1)), "{typo:#}");
    assert!(typo["message"].as_str().unwrap().contains("unknown field `catagory`"), "{typo:#}");
    assert!(typo["help"].as_str().unwrap().contains("did you mean `category`?"), "{typo:#}");
    assert_eq!(typo["snippet"]["text"], "catagory: 科技合作");
    assert_eq!(typo["snippet"]["line"], 5);

    let yaml = error_about(&doc, "content/yaml.md");
    assert_eq!(yaml["line"], 3, "{yaml:#}");
    assert!(yaml["column"].as_u64().is_some(), "{yaml:#}");
    assert!(yaml["snippet"]["rendered"].as_str().unwrap().contains("3 | date: 2024-03-15"), "{yaml:#}");

    let root = Path::new(doc["root"].as_str().unwrap());
    assert!(root.join("content/yaml.md").is_file(), "root + file opens the file: {root:?}");
    assert!(!site.public().exists(), "nothing written on error");
}

#[test]
fn check_format_json_fails_the_same_way_and_succeeds_with_a_summary() {
    let site = site_with_two_bad_files();
    let out = site.run(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc = stdout_json(&out);
    assert_eq!((doc["command"].as_str(), doc["ok"].as_bool(), doc["error_count"].as_u64()), (Some("check"), Some(false), Some(2)));

    fs::remove_file(site.root().join("content/2024/错字.md")).unwrap();
    fs::remove_file(site.root().join("content/yaml.md")).unwrap();
    let out = site.run(&["check", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let doc = stdout_json(&out);
    assert_eq!((doc["ok"].as_bool(), doc["articles"].as_u64(), doc["errors"].as_array().map(Vec::len)), (Some(true), Some(1), Some(0)));
}

#[test]
fn build_format_json_on_success_summarises_what_was_written() {
    let site = good_site();
    let out = site.run(&["build", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = stdout_json(&out);
    assert_eq!(doc["ok"], true);
    assert_eq!(doc["articles"], 1);
    assert!(doc["files"].as_u64().unwrap() > 1, "{doc:#}");
    assert!(Path::new(doc["output"].as_str().unwrap()).join("2024/03/good/index.html").is_file(), "{doc:#}");
}

#[test]
fn a_problem_outside_content_has_a_null_file_or_the_config_file() {
    let site = good_site();
    site.write("site.toml", SITE_TOML.replace("paginate = 20", "paginate = 20\nbase_ulr = \"x\""));
    let doc = stdout_json(&site.run(&["check", "--format", "json"]));
    let bad = error_about(&doc, "site.toml");
    assert_eq!((bad["line"].as_u64(), bad["column"].as_u64()), (Some(7), Some(1)), "{bad:#}");
    assert_eq!(bad["snippet"]["text"], "base_ulr = \"x\"");
    site.write("site.toml", SITE_TOML);
    let out = site.run(&["build", "--format", "json", "--base-url", "ftp://x"]);
    let doc = stdout_json(&out);
    assert!(doc["errors"].as_array().unwrap().iter().any(|e| e["file"].is_null()), "{doc:#}");
}

#[test]
fn an_unknown_format_is_refused_by_the_argument_parser() {
    let out = good_site().run(&["build", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("human"), "the choices are listed");
}

// --- an interrupted build -------------------------------------------------------------------

/// `count` small articles, each with its own slug, spread over folders.
fn many_articles(site: &TestSite, from: usize, count: usize, marker: &str) {
    for i in from..from + count {
        site.write(
            &format!("content/{:02}/a{i}.md", i / 200),
            format!(
                "---\ntitle: 第{i}篇 四川省科技厅与广元市局县会商{marker}\ndate: 2024-03-{:02}\nregion: 四川省/广元市\ncategory: 科技合作\nslug: a-{i}\ntags: [局县会商, 标签{}]\n---\n\n正文第{i}段：科技创新推动县域发展。{marker}\n",
                i % 28 + 1,
                i % 40
            ),
        );
    }
}

/// What a build leaves in gazette's folder of the output while it runs: its staging
/// folder and its journal.
fn staging_leftovers(site: &TestSite) -> Vec<String> {
    let Ok(entries) = fs::read_dir(site.public().join(".gazette")) else { return Vec::new() };
    entries.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n == "staging" || n == "journal").collect()
}

/// Starts `gazette build` and SIGKILLs it as soon as its staging folder appears. Returns
/// whether the kill interrupted it (false: it finished before the folder was seen).
#[cfg(unix)]
fn build_killed_part_way(site: &TestSite) -> bool {
    build_killed_when(site, |s| !staging_leftovers(s).is_empty())
}

/// Starts `gazette build` and SIGKILLs it as soon as `ready` holds. Returns whether the
/// kill interrupted it (false: it finished first).
#[cfg(unix)]
fn build_killed_when(site: &TestSite, ready: impl Fn(&TestSite) -> bool) -> bool {
    use std::os::unix::process::ExitStatusExt;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("build")
        .current_dir(site.root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start gazette");
    loop {
        if ready(site) {
            child.kill().expect("kill");
            break;
        }
        if child.try_wait().expect("poll").is_some() {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    child.wait().expect("reap").signal() == Some(9)
}

/// A site whose previous build is in public/, then a build of changed content killed
/// part-way. Returns the site and how many articles it now has.
#[cfg(unix)]
fn site_after_a_killed_build() -> (TestSite, usize) {
    let site = good_site();
    many_articles(&site, 0, 100, "");
    site.build_ok();
    assert!(site.snapshot().len() > 100);

    // Enough work that the kill lands while pages are written; more if the machine was
    // quicker than the polling (each try changes every page).
    let mut count = 3000;
    for attempt in 0..3 {
        many_articles(&site, 0, count, &format!("（修订{attempt}）"));
        let before = site.snapshot();
        if build_killed_part_way(&site) {
            assert!(site.snapshot() == before, "the previous site is byte-for-byte intact");
            return (site, count + 1);
        }
        count *= 2;
    }
    panic!("the build was never caught part-way");
}

#[cfg(unix)]
#[test]
fn a_build_killed_part_way_leaves_the_previous_site_intact_and_the_next_build_works() {
    let (site, articles) = site_after_a_killed_build();
    let report = site.build_ok();
    assert_eq!(report.articles, articles);
    assert!(site.read(&format!("2024/03/a-{}/index.html", articles - 2)).contains("修订"));
    assert!(site.exists("2024/03/good/index.html"));
}

#[cfg(unix)]
#[test]
fn the_staging_folder_of_a_killed_build_is_removed_by_the_next_build() {
    let (site, _) = site_after_a_killed_build();
    assert!(!staging_leftovers(&site).is_empty(), "the killed build left its staging folder");
    site.build_ok();
    assert_eq!(staging_leftovers(&site), Vec::<String>::new(), "no staging folder is left over");
}

#[cfg(unix)]
#[test]
fn a_build_killed_while_moving_its_files_in_is_finished_by_the_next_build() {
    let site = good_site();
    many_articles(&site, 0, 100, "");
    site.build_ok();
    // Killed after it wrote its journal (it had decided), while renaming files into place.
    let mut count = 3000;
    for attempt in 0..4 {
        many_articles(&site, 0, count, &format!("（第{attempt}次修订）"));
        if build_killed_when(&site, |s| s.public().join(".gazette/journal").exists()) {
            let next = site.build_ok();
            assert_eq!((next.written, next.removed), (0, 0), "the killed build was finished first, so nothing was left to write");
            assert!(!site.public().join(".gazette/journal").exists() && !site.public().join(".gazette/staging").exists());
            let fresh = tempfile::tempdir().unwrap();
            gazette::build(&gazette::BuildOptions { root: site.root().to_path_buf(), output: Some(fresh.path().join("out")), ..Default::default() }).unwrap();
            let theirs = TestSite { dir: fresh };
            let rename = |snapshot: Vec<(String, Vec<u8>)>| snapshot;
            let ours = rename(site.snapshot());
            let mut expected: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(theirs.root().join("out"))
                .into_iter()
                .filter_entry(|e| !(e.depth() == 1 && e.file_name() == ".gazette"))
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| (e.path().strip_prefix(theirs.root().join("out")).unwrap().to_string_lossy().into_owned(), fs::read(e.path()).unwrap()))
                .collect();
            expected.sort();
            assert!(ours == expected, "the output equals a fresh build of the same content");
            return;
        }
        count *= 2;
    }
    panic!("the build was never caught while moving its files in");
}

// --- hostile content/ ----------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_content_is_a_located_error() {
    let site = good_site();
    fs::create_dir_all(site.root().join("content/2024/四川")).unwrap();
    std::os::unix::fs::symlink("../..", site.root().join("content/2024/四川/回环")).unwrap();
    let out = site.run(&["check", "--format", "json"]);
    assert!(!out.status.success());
    let doc = stdout_json(&out);
    let errors = doc["errors"].as_array().unwrap();
    let looped = errors.iter().find(|e| e["message"].as_str().unwrap_or_default().contains("loop")).unwrap_or_else(|| panic!("{doc:#}"));
    assert!(looped["file"].as_str().unwrap().ends_with("content/2024/四川/回环"), "{looped:#}");
    assert!(looped["help"].as_str().unwrap().contains("symbolic link"), "{looped:#}");
}

#[cfg(unix)]
#[test]
fn a_symlink_to_itself_is_a_located_error() {
    let site = good_site();
    std::os::unix::fs::symlink("自己.md", site.root().join("content/自己.md")).unwrap();
    let err = site.build().unwrap_err();
    assert_eq!(err.diagnostics.len(), 1, "{err}");
    let d = &err.diagnostics[0];
    assert!(d.file.ends_with("content/自己.md"), "{err}");
}

#[test]
fn a_file_over_the_size_limit_is_named_with_the_fix() {
    let site = good_site();
    let mut text = String::from("---\ntitle: 数据\ndate: 2024-03-15\nregion: 四川省\ncategory: 科技合作\n---\n");
    let row = "| 四川省 | 广元市 | 旺苍县 | 科技合作 | 2024 |\n";
    while text.len() <= 8 * 1024 * 1024 {
        text.push_str(row);
    }
    site.write("content/dump.md", &text);
    let err = site.build().unwrap_err();
    assert_eq!(err.diagnostics.len(), 1, "{err}");
    let shown = err.with_sources(site.root()).to_string();
    assert!(shown.starts_with("content/dump.md: error: the file is 8 MB; articles are limited to 8 MB"), "{shown}");
    assert!(shown.contains("help: split it into several articles"), "{shown}");
}

fn alias_bomb_site() -> TestSite {
    let site = good_site();
    let mut yaml = String::from("title: 炸弹\ndate: 2024-03-15\nregion: 四川省\ncategory: 科技合作\nextra:\n  a0: &a0 [\"局县会商\", \"局县会商\", \"局县会商\", \"局县会商\", \"局县会商\", \"局县会商\", \"局县会商\", \"局县会商\", \"局县会商\"]\n");
    for i in 1..12 {
        let p = i - 1;
        yaml.push_str(&format!("  a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
    }
    site.write("content/bomb.md", format!("---\n{yaml}---\n正文\n"));
    site
}

#[test]
fn a_yaml_alias_bomb_is_refused_with_the_fix() {
    let err = alias_bomb_site().build().unwrap_err();
    let d = err.diagnostics.iter().find(|d| d.file.ends_with("bomb.md")).unwrap_or_else(|| panic!("{err}"));
    assert!(d.line.is_some(), "{err}");
    assert!(d.help.as_deref().unwrap_or_default().contains("anchors"), "{err}");
}

#[test]
fn a_yaml_alias_bomb_is_placed_on_its_first_alias() {
    let err = alias_bomb_site().build().unwrap_err();
    let d = err.diagnostics.iter().find(|d| d.file.ends_with("bomb.md")).unwrap_or_else(|| panic!("{err}"));
    assert_eq!(d.line, Some(8), "the line of `a1: &a1 [*a0, …]`: {err}");
}

#[test]
fn deeply_nested_markdown_builds_without_a_panic() {
    let site = good_site();
    site.article("quotes", "引用", "2024-03-16", "四川省", "科技合作", "slug: quotes\n", &format!("{}**通知：**正文", ">".repeat(100_000)));
    site.article("brackets", "括号", "2024-03-17", "四川省", "科技合作", "slug: brackets\n", &format!("{}鎮江{}", "[".repeat(100_000), "](/x)".repeat(1_000)));
    site.article("lists", "列表", "2024-03-18", "四川省", "科技合作", "slug: lists\n", &"- ".repeat(50_000));
    site.build_ok();
    assert!(site.read("2024/03/quotes/index.html").contains("通知："));
    assert!(site.read("2024/03/brackets/index.html").contains("鎮江"));
}
