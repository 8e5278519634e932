//! Where a story is when it is not (only) in a Chinese county: national news (`全国`)
//! and foreign news (`国际/<国家>`), and the choice between them and the divisions that
//! `regions.rs` finds. docs/regions.md says how sites file such items.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::regions::{divisions, word_boundaries, RegionMatch, SECOND_REGION_PERCENT, TITLE_WEIGHT};
use crate::model::regions::{INTERNATIONAL, NATIONAL};

/// The country table: one country per line, its path name first, then other names.
const COUNTRIES_TXT: &str = include_str!("data/countries.txt");

/// Words that make a story with no place in it national: the central bodies that
/// issue nationwide policy. Counted as whole words, the title's thrice.
const NATIONAL_MARKERS: &[&str] = &[
    "全国", "国务院", "党中央", "中共中央", "中央政治局", "全国人大", "全国政协", "科技部", "教育部", "财政部",
    "工业和信息化部", "工信部", "商务部", "农业农村部", "生态环境部", "交通运输部", "水利部", "自然资源部",
    "人力资源社会保障部", "国家发展改革委", "国家发改委", "国家卫生健康委", "国家知识产权局", "国家统计局",
    "国家税务总局", "国家自然科学基金委", "中国科学院", "中科院", "中国工程院", "中国科协",
];
/// Weighted marker count that makes a story without any place national.
const MIN_NATIONAL_SCORE: u32 = 2;
/// A country next to a Chinese place must score at least this share (percent) of the
/// Chinese place's score: stories at home often name a country in passing (打破美国垄断).
const COUNTRY_BESIDE_HOME_PERCENT: u32 = 50;

/// The regions of a story, at most two, from its simplified title and body: Chinese
/// divisions, a country under `国际`, or `全国`; empty when nothing is believable.
pub fn detect(title: &str, body: &str) -> Vec<String> {
    let home = divisions().detect(title, body);
    let abroad = countries().detect(title, body);
    let home_best = home.first().map_or(0, |m| m.score);
    let abroad_best = abroad.first().map_or(0, |m| m.score);
    let mut picked: Vec<RegionMatch> = Vec::new();
    if abroad_best > home_best {
        // A foreign story; a Chinese place it names strongly enough comes second
        // (a provincial delegation abroad).
        picked.extend(abroad.iter().take(1).cloned());
        picked.extend(home.iter().take(1).filter(|m| m.score * 100 >= abroad_best * SECOND_REGION_PERCENT).cloned());
        picked.extend(abroad.iter().skip(1).take(1).filter(|m| m.score * 100 >= abroad_best * SECOND_REGION_PERCENT).cloned());
    } else if !home.is_empty() {
        picked.extend(home.iter().cloned());
        picked.extend(abroad.iter().take(1).filter(|m| m.score * 100 >= home_best * COUNTRY_BESIDE_HOME_PERCENT).cloned());
    } else if national_score(title, body) >= MIN_NATIONAL_SCORE {
        picked.push(RegionMatch { path: NATIONAL.to_string(), score: 0 });
    }
    picked.truncate(2);
    picked.into_iter().map(|m| m.path).collect()
}

/// How strongly a text speaks for the whole nation: marker words, title thrice.
fn national_score(title: &str, body: &str) -> u32 {
    whole_word_counts(title, NATIONAL_MARKERS.iter().copied()).values().sum::<u32>() * TITLE_WEIGHT
        + whole_word_counts(body, NATIONAL_MARKERS.iter().copied()).values().sum::<u32>()
}

/// The countries, by every name people write for them.
struct Countries {
    /// Any name → the country's path name.
    by_name: HashMap<&'static str, &'static str>,
}

fn countries() -> &'static Countries {
    static TABLE: OnceLock<Countries> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut by_name = HashMap::new();
        for line in COUNTRIES_TXT.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let mut names = line.split_whitespace();
            if let Some(country) = names.next() {
                by_name.insert(country, country);
                for other in names {
                    by_name.insert(other, country);
                }
            }
        }
        Countries { by_name }
    })
}

impl Countries {
    /// Countries named in a story, best first (ties in name order, for determinism),
    /// as `国际/<国家>` matches.
    fn detect(&self, title: &str, body: &str) -> Vec<RegionMatch> {
        let mut scores: HashMap<&str, u32> = HashMap::new();
        for (text, weight) in [(title, TITLE_WEIGHT), (body, 1)] {
            for (name, count) in whole_word_counts(text, self.by_name.keys().copied()) {
                if let Some(country) = self.by_name.get(name) {
                    *scores.entry(country).or_insert(0) += count * weight;
                }
            }
        }
        let mut ranked: Vec<(&str, u32)> = scores.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        ranked.into_iter().map(|(country, score)| RegionMatch { path: format!("{INTERNATIONAL}/{country}"), score }).collect()
    }
}

/// How often each of `words` occurs in `text` as a whole word (starting and ending
/// where the segmenter puts word boundaries: 加纳 is not in 增加纳税). The longest
/// word wins where several start at one place (几内亚 inside 巴布亚新几内亚).
fn whole_word_counts<'w>(text: &str, words: impl Iterator<Item = &'w str>) -> HashMap<&'w str, u32> {
    let mut by_first: HashMap<char, Vec<&'w str>> = HashMap::new();
    for word in words {
        if let Some(first) = word.chars().next() {
            by_first.entry(first).or_default().push(word);
        }
    }
    for candidates in by_first.values_mut() {
        candidates.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    }
    let chars: Vec<char> = text.chars().collect();
    let boundaries = word_boundaries(text, chars.len());
    let at_boundary = |i: usize| boundaries.get(i).copied().unwrap_or(false);
    let mut counts = HashMap::new();
    let mut position = 0;
    while position < chars.len() {
        let found = chars.get(position).and_then(|c| by_first.get(c)).filter(|_| at_boundary(position)).and_then(|candidates| {
            candidates.iter().find(|word| {
                let length = word.chars().count();
                at_boundary(position + length) && chars.get(position..position + length).is_some_and(|s| s.iter().copied().eq(word.chars()))
            })
        });
        match found {
            Some(word) => {
                *counts.entry(*word).or_insert(0) += 1;
                position += word.chars().count();
            }
            None => position += 1,
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_foreign_story_is_filed_under_its_country_not_a_chinese_county() {
        assert_eq!(detect("佛罗里达州遭飓风袭击", "美国佛罗里达州多地停电，美国国家飓风中心发布警报。"), vec!["国际/美国"]);
        assert_eq!(detect("日本发布新一轮半导体产业政策", "日本经济产业省宣布，将向芯片企业追加补贴。"), vec!["国际/日本"]);
        // Other names of a country are the same country.
        assert_eq!(detect("沙特举办科技大会", "沙特阿拉伯投资部表示，沙特将扩大数字经济投入。"), vec!["国际/沙特阿拉伯"]);
    }

    #[test]
    fn a_chinese_story_naming_a_country_in_passing_stays_at_home() {
        let found = detect(
            "四川旺苍县绿色家居产业园投产",
            "旺苍县科技局介绍，园区产品打破美国企业垄断。旺苍县将继续推进县域创新，旺苍县各乡镇积极参与。",
        );
        assert_eq!(found, vec!["四川省/广元市/旺苍县"]);
    }

    #[test]
    fn a_delegation_abroad_has_both_places() {
        let found = detect("四川省代表团访问德国", "四川省代表团在德国柏林考察，德国多家企业与四川企业签约。");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.contains(&"国际/德国".to_string()) && found.contains(&"四川省".to_string()), "{found:?}");
    }

    #[test]
    fn a_story_from_the_central_bodies_without_a_place_is_national() {
        assert_eq!(detect("国务院印发关于加快科技成果转化的意见", "国务院近日印发意见，要求各部门抓好落实。"), vec!["全国"]);
        // One passing mention in the body is not enough.
        assert!(detect("一项新技术通过鉴定", "专家组认为该技术达到先进水平，科技部有关负责人出席。").is_empty());
    }

    #[test]
    fn hong_kong_macao_and_taiwan_are_chinese_regions() {
        assert_eq!(detect("香港科技园新一批企业入驻", "香港特别行政区政府表示，香港将加快创新科技发展。"), vec!["香港特别行政区"]);
    }

    #[test]
    fn names_inside_other_words_are_not_countries() {
        // 加纳 in 增加纳税, 马里 in 马里奥, 几内亚 in 巴布亚新几内亚.
        assert!(countries().detect("企业增加纳税", "今年企业增加纳税额度。").is_empty());
        let png = countries().detect("巴布亚新几内亚", "巴布亚新几内亚总理到访。");
        assert_eq!(png.iter().map(|m| m.path.as_str()).collect::<Vec<_>>(), vec!["国际/巴布亚新几内亚"]);
    }
}
