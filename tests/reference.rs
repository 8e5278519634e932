//! Output stays byte-identical across optimisations: the sample site and a generated site
//! are built and every output file's SHA-256 is compared with the manifest stored in
//! `tests/reference/`. A change to templates, content or rendering that is meant to change
//! the output is accepted by running `GAZETTE_BLESS=1 cargo test --test reference` and
//! committing the new manifest; its diff shows which files changed.

mod common;

use std::fs;
use std::path::PathBuf;

use common::{TestSite, SITE_TOML};
use sha2::{Digest, Sha256};

fn manifest(site: &TestSite) -> String {
    site.snapshot().iter().map(|(path, bytes)| format!("{:x}  {path}\n", Sha256::digest(bytes))).collect()
}

fn check(name: &str, site: &TestSite) {
    site.build_ok();
    let actual = manifest(site);
    let stored = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference").join(format!("{name}.sha256"));
    if std::env::var_os("GAZETTE_BLESS").is_some() {
        fs::write(&stored, &actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&stored).unwrap_or_else(|e| panic!("{}: {e}; create it with GAZETTE_BLESS=1", stored.display()));
    if actual != expected {
        let (a, e): (Vec<&str>, Vec<&str>) = (actual.lines().collect(), expected.lines().collect());
        let changed: std::collections::BTreeSet<&str> =
            a.iter().filter(|l| !e.contains(l)).chain(e.iter().filter(|l| !a.contains(l))).map(|l| l.get(66..).unwrap_or(l)).collect();
        panic!(
            "the {name} output differs from {}: {changed:?}\nif the change is intended: GAZETTE_BLESS=1 cargo test --test reference",
            stored.display()
        );
    }
}

#[test]
fn the_sample_site_builds_to_its_reference_output() {
    check("sample-site", &TestSite::sample());
}

#[test]
fn a_generated_site_builds_to_its_reference_output() {
    let site = TestSite::new(SITE_TOML);
    let places = ["四川省/成都市/郫都区", "重庆市/北碚区", "江苏省/镇江市", "四川省/绵阳市", "臺灣省/臺北市"];
    let topics = ["科技成果转化", "县域创新", "科技金融", "創新平臺", "人才政策"];
    let categories = ["科技合作", "政策解读", "区域协同"];
    for i in 0..60 {
        let (place, topic, category) = (places[i % 5], topics[(i / 5) % 5], categories[i % 3]);
        site.article(
            &format!("{}/{i:02}", 2020 + i % 4),
            &format!("{place}发布{topic}第{i}号通知"),
            &format!("{}-{:02}-{:02}", 2020 + i % 4, 1 + i % 12, 1 + i % 28),
            place,
            category,
            &format!("tags: [{topic}, 第{}批]\n", i % 7),
            &format!("## 背景\n\n{place}科技局就**{topic}**发布通知。\n\n## 要点\n\n- 一、加强统筹\n- 二、落实责任\n\n第{i}号。"),
        );
    }
    check("generated-site", &site);
}
