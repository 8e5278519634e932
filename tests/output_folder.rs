//! The output folder is gazette's, and only its own (SPEC section 8): where it may be, the
//! files of others that it keeps, folders that are links or mount points, a full disk,
//! one build at a time, writing only what changed, and nothing read from outside the site.

mod common;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use common::*;

fn good_site() -> TestSite {
    let site = TestSite::new(SITE_TOML);
    site.article("good", "局县会商", "2024-03-15", "四川省/广元市", "科技合作", "slug: good\ntags: [县域创新]\n", "正文。科技创新推动县域发展。");
    site
}

/// Runs `gazette build` with `args` and returns (success, stdout + stderr).
fn build_with(site: &TestSite, args: &[&str]) -> (bool, String) {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let out = site.run(&all);
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

/// Every file under `dir` (relative, sorted) with its bytes.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), fs::read(e.path()).unwrap()))
        .collect();
    out.sort();
    out
}

// --- where the output may be -----------------------------------------------------------------

#[test]
fn the_site_folder_a_parent_or_a_source_folder_is_refused_before_anything_is_written() {
    let site = good_site();
    let sources = tree(site.root());
    let parent = site.root().parent().unwrap().to_string_lossy().into_owned();
    let root = site.root().to_string_lossy().into_owned();
    for output in [root.as_str(), ".", parent.as_str(), "content", "themes", "themes/default/static", "content/public", "static"] {
        let (ok, text) = build_with(&site, &["--output", output]);
        assert!(!ok, "--output {output} must fail:\n{text}");
        assert!(text.contains("would destroy the site's sources"), "--output {output}:\n{text}");
        assert!(tree(site.root()) == sources, "--output {output}: nothing written, nothing removed");
    }
}

#[test]
fn an_output_that_is_a_file_is_an_error_and_the_file_stays_where_it_is() {
    let site = good_site();
    site.write("public", "用户自己的文件");
    let (ok, text) = build_with(&site, &[]);
    assert!(!ok && text.contains("is a file, not a folder"), "{text}");
    assert_eq!(fs::read_to_string(site.public()).unwrap(), "用户自己的文件");
    let names: Vec<String> = fs::read_dir(site.root()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().all(|n| !n.contains("gazette")), "nothing hidden beside it: {names:?}");
}

#[test]
fn a_site_without_content_is_an_error_and_the_old_output_stays() {
    let site = good_site();
    site.build_ok();
    let before = site.snapshot();
    fs::rename(site.root().join("content"), site.root().join("content-moved")).unwrap();
    let (ok, text) = build_with(&site, &[]);
    assert!(!ok && text.contains("content") && text.contains("no content/ folder"), "{text}");
    assert!(site.snapshot() == before, "the good site is not replaced by an empty one");
}

// --- files that are not gazette's --------------------------------------------------------------

#[test]
fn dotfiles_cname_and_a_readme_in_the_output_are_kept_across_builds() {
    let site = good_site();
    site.write("public/.git/HEAD", "ref: refs/heads/gh-pages\n");
    site.write("public/.nojekyll", "");
    site.write("public/CNAME", "policy.example.org\n");
    site.write("public/README.md", "# 发布分支\n");
    site.build_ok();
    assert!(site.exists("2024/03/good/index.html"));
    site.article("second", "第二篇", "2024-03-16", "四川省", "科技合作", "slug: second\n", "正文。");
    site.build_ok();
    fs::remove_file(site.root().join("content/second.md")).unwrap();
    site.build_ok();
    assert!(!site.exists("2024/03/second/index.html"), "what gazette wrote and no longer builds is removed");
    assert_eq!(site.read(".git/HEAD"), "ref: refs/heads/gh-pages\n");
    assert!(site.exists(".nojekyll"));
    assert_eq!(site.read("CNAME"), "policy.example.org\n");
    assert_eq!(site.read("README.md"), "# 发布分支\n");
}

#[test]
fn a_file_of_someone_else_where_gazette_writes_is_an_error_naming_it() {
    let site = good_site();
    site.write("public/index.html", "<p>another tool's home page</p>");
    let (ok, text) = build_with(&site, &[]);
    assert!(!ok, "{text}");
    assert!(text.contains("index.html") && text.contains("gazette did not write"), "{text}");
    assert_eq!(site.read("index.html"), "<p>another tool's home page</p>");
    assert!(!site.exists("2024/03/good/index.html"), "nothing of the failed build is visible");
}

#[test]
fn the_output_of_an_older_gazette_is_taken_over_and_its_stale_files_removed() {
    let site = good_site();
    site.build_ok();
    // An output written before gazette kept a list of its files.
    fs::remove_dir_all(site.public().join(".gazette")).unwrap();
    site.write("public/2023/01/old/index.html", "<p>旧文章</p>");
    site.write("public/CNAME", "policy.example.org\n");
    site.build_ok();
    assert!(!site.exists("2023/01/old/index.html"), "a page of the older output that is no longer built");
    assert!(site.exists("CNAME"), "CNAME is never taken for gazette's");
    assert!(site.exists("2024/03/good/index.html"));
}

// --- writing only what changed -----------------------------------------------------------------

fn mtimes(site: &TestSite) -> Vec<(String, std::time::SystemTime)> {
    site.files().into_iter().map(|f| {
        let t = fs::metadata(site.public().join(&f)).unwrap().modified().unwrap();
        (f, t)
    }).collect()
}

#[test]
fn a_rebuild_writes_only_the_files_whose_bytes_changed() {
    let site = good_site();
    site.article("second", "第二篇 重庆市科技局", "2023-05-01", "重庆市/北碚区", "政策解读", "slug: second\n", "重庆正文。");
    let first = site.build_ok();
    assert_eq!(first.written, first.files);
    let before = mtimes(&site);
    let manifest = || fs::metadata(site.public().join(".gazette/manifest")).unwrap().modified().unwrap();
    let manifest_before = manifest();
    std::thread::sleep(std::time::Duration::from_millis(20));

    let again = site.build_ok();
    assert_eq!((again.written, again.removed), (0, 0), "nothing changed, nothing written");
    assert!(mtimes(&site) == before, "no file touched");
    assert_eq!(manifest(), manifest_before, "not even gazette's list of its files");

    site.article("second", "第二篇 重庆市科技局", "2023-05-01", "重庆市/北碚区", "政策解读", "slug: second\n", "重庆正文，补充一句。");
    let edited = site.build_ok();
    assert!(edited.written > 0 && edited.written < first.files / 2, "{} of {} files written", edited.written, first.files);
    let after = mtimes(&site);
    let touched: Vec<&String> = after.iter().zip(&before).filter(|(a, b)| a.1 != b.1).map(|(a, _)| &a.0).collect();
    assert!(touched.contains(&&"2023/05/second/index.html".to_string()), "{touched:?}");
    assert!(!touched.contains(&&"2024/03/good/index.html".to_string()), "an unrelated page keeps its time: {touched:?}");
    assert_eq!(touched.len(), edited.written);

    // A file changed by hand in the output is put back.
    site.write("public/2024/03/good/index.html", "edited by hand");
    site.build_ok();
    assert!(site.read("2024/03/good/index.html").contains("局县会商"));
}

// --- links and mount points ------------------------------------------------------------------------

#[test]
fn a_public_symlink_stays_a_link_and_the_site_goes_where_it_points() {
    let site = good_site();
    let away = tempfile::tempdir().unwrap();
    symlink(away.path(), site.public()).unwrap();
    site.build_ok();
    site.build_ok();
    assert!(fs::symlink_metadata(site.public()).unwrap().file_type().is_symlink());
    assert!(away.path().join("2024/03/good/index.html").is_file());
}

#[test]
fn an_output_that_is_a_mount_point_is_written_in_place() {
    let site = good_site();
    let Some(_mount) = Tmpfs::mount(&site.public(), "16m") else { return };
    site.build_ok();
    site.article("second", "第二篇", "2024-03-16", "四川省", "科技合作", "slug: second\n", "正文。");
    site.build_ok();
    assert!(site.exists("2024/03/second/index.html") && site.exists("2024/03/good/index.html"));
}

#[test]
fn a_full_disk_fails_the_build_and_leaves_the_previous_site_as_it_was() {
    let site = good_site();
    // Room for the site (its pages, feeds and search index) but not for the article below.
    let Some(mount) = Tmpfs::mount(&site.public(), "2m") else { return };
    site.build_ok();
    let before = site.snapshot();
    // More than the disk holds: an article of 3 MB.
    site.article("big", "长篇报告", "2024-03-17", "四川省", "科技合作", "slug: big\n", &"科技创新推动县域经济高质量发展。".repeat(66000));
    let (ok, text) = build_with(&site, &[]);
    assert!(!ok, "{text}");
    assert!(text.contains("No space left on device"), "{text}");
    assert!(site.snapshot() == before, "the previous site byte for byte");
    assert!(!site.public().join(".gazette/staging").exists(), "the staging folder is cleaned up");

    mount.remount("size=64m");
    site.build_ok();
    assert!(site.read("2024/03/big/index.html").contains("长篇报告"));
}

#[test]
fn a_read_only_output_is_a_clear_error() {
    let site = good_site();
    let Some(mount) = Tmpfs::mount(&site.public(), "1m") else { return };
    mount.remount("ro");
    let (ok, text) = build_with(&site, &[]);
    assert!(!ok, "{text}");
    assert!(text.contains("cannot create the output folder") && text.contains("Read-only file system") && text.contains("--output"), "{text}");
}

// --- one build at a time -----------------------------------------------------------------------------

#[test]
fn a_second_build_while_one_is_writing_says_so() {
    let site = good_site();
    site.build_ok();
    let before = site.snapshot();
    // The lock a running build holds.
    let held = fs::File::options().write(true).open(site.public().join(".gazette/lock")).unwrap();
    held.lock().unwrap();
    let (ok, text) = build_with(&site, &[]);
    assert!(!ok && text.contains("another gazette build is writing to this output folder"), "{text}");
    assert!(site.snapshot() == before);
    drop(held);
    assert!(build_with(&site, &[]).0);
}

// --- nothing from outside the site --------------------------------------------------------------------

#[test]
fn symlinks_that_leave_the_site_are_errors_naming_the_link() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("passwd"), "root:x:0:0:root:/root:/bin/bash\n").unwrap();
    fs::write(outside.path().join("secret.md"), "---\ntitle: 秘密\ndate: 2024-03-15\nregion: 四川省\ncategory: 科技合作\n---\n机密。\n").unwrap();
    fs::create_dir_all(outside.path().join("templates")).unwrap();
    fs::write(outside.path().join("templates/part.html"), "root:x:0:0").unwrap();
    let cases = [
        ("static/passwd", outside.path().join("passwd")),
        ("static/etc", outside.path().to_path_buf()),
        ("content/2024/secret.md", outside.path().join("secret.md")),
        ("themes/default/templates/part.html", outside.path().join("templates/part.html")),
    ];
    for (link, target) in cases {
        let site = good_site();
        fs::create_dir_all(site.root().join(link).parent().unwrap()).unwrap();
        symlink(&target, site.root().join(link)).unwrap();
        for command in ["build", "check"] {
            let out = site.run(&[command]);
            let text = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "{command} with {link}:\n{text}");
            assert!(text.contains(link) && text.contains("symbolic link leaves the site folder"), "{command} with {link}:\n{text}");
        }
        assert!(!site.public().exists(), "{link}: nothing published");
    }
}

#[test]
fn symlinks_inside_the_site_are_followed() {
    let site = good_site();
    site.write("common-assets/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    fs::create_dir_all(site.root().join("static")).unwrap();
    symlink(site.root().join("common-assets/logo.svg"), site.root().join("static/logo.svg")).unwrap();
    symlink("../common-assets", site.root().join("static/assets")).unwrap();
    site.build_ok();
    assert!(site.exists("logo.svg") && site.exists("assets/logo.svg"));
}

#[test]
fn two_static_files_that_differ_only_in_case_are_an_error_naming_both() {
    let site = good_site();
    site.write("static/img/Logo.png", "大");
    site.write("static/img/logo.png", "小");
    let (ok, text) = build_with(&site, &[]);
    assert!(!ok, "{text}");
    assert!(text.contains("img/Logo.png") && text.contains("img/logo.png") && text.contains("differ only in letter case"), "{text}");
}
