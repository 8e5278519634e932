//! Detects the administrative regions an article is about, from a checked-in table of
//! Chinese provinces, cities and counties (see `data/README.md` for its source and year).

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// The division table, one `code,name,parent,level` row per line after a header.
const DIVISIONS_CSV: &str = include_str!("data/divisions.csv");

/// Weight of a mention in the title compared with one in the body.
pub(super) const TITLE_WEIGHT: u32 = 3;
/// A second region is listed only when its own score reaches this share (percent) of
/// the first region's score.
pub(super) const SECOND_REGION_PERCENT: u32 = 30;
/// A child is preferred over its parent when it scores at least this share (percent)
/// of the parent's chain score, and at least `MIN_CHILD_SCORE`.
const CHILD_PERCENT: u32 = 15;
const MIN_CHILD_SCORE: u32 = 2;

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Division {
    pub code: String,
    pub name: String,
    pub parent: Option<usize>,
    /// 1 = province level, 2 = city, 3 = county.
    pub level: u8,
}

/// The table plus an index from every full and short name to its rows.
#[derive(Debug)]
pub struct Divisions {
    rows: Vec<Division>,
    by_name: HashMap<String, Vec<NameHit>>,
    longest_name: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct NameHit {
    row: usize,
    /// A short name (旺苍 for 旺苍县) is weaker evidence than the full name.
    short: bool,
}

/// One place found in a text: its region path and how strongly the text points at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionMatch {
    pub path: String,
    pub score: u32,
}

/// The shared, lazily parsed division table.
pub fn divisions() -> &'static Divisions {
    static TABLE: OnceLock<Divisions> = OnceLock::new();
    TABLE.get_or_init(|| Divisions::parse(DIVISIONS_CSV))
}

/// Suffixes that may be dropped to get the name people write (四川省 → 四川). Longest first.
const NAME_SUFFIXES: &[&str] = &[
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "省",
    "市",
    "县",
    "区",
    "盟",
    "旗",
];

/// Endings after which a stripped name would be a fragment (镇江新区 → 镇江新).
const NO_SHORT_ENDINGS: &[&str] = &["新区", "矿区", "城区", "郊区", "林区", "特区", "开发区"];

/// Short names that are ordinary words far more often than places.
const GENERIC_SHORT_NAMES: &[&str] = &[
    "市中", "城中", "城关", "东区", "西区", "南区", "北区", "中区", "新城", "和平", "新华",
    "红旗", "向阳", "平安", "长安", "江南", "江北", "南山", "北山", "东山", "西山", "白云",
    "城东", "城西", "城南", "城北", "河东", "河西", "河南区", "开发", "高新", "金山", "龙华",
    "永安", "新市", "东方", "吉利", "合作", "通道", "大同", "清河", "桥东", "桥西", "宁江",
    "朝阳", "太平", "普陀", "青山", "铁山", "矿区", "郊区", "新兴", "宝山", "鼓楼", "城区",
];

impl Divisions {
    /// Parses the CSV; malformed rows are skipped (the file is ours and tested).
    fn parse(csv: &str) -> Divisions {
        let mut rows: Vec<Division> = Vec::new();
        let mut index_of_code: HashMap<String, usize> = HashMap::new();
        let mut parent_codes: Vec<String> = Vec::new();
        for line in csv.lines().skip(1) {
            let mut fields = line.split(',');
            let (Some(code), Some(name), Some(parent), Some(level)) =
                (fields.next(), fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            let Ok(level) = level.trim().parse::<u8>() else { continue };
            index_of_code.insert(code.to_string(), rows.len());
            parent_codes.push(parent.to_string());
            rows.push(Division { code: code.to_string(), name: name.to_string(), parent: None, level });
        }
        for (row, parent_code) in rows.iter_mut().zip(parent_codes.iter()) {
            row.parent = index_of_code.get(parent_code).copied();
        }
        let mut by_name: HashMap<String, Vec<NameHit>> = HashMap::new();
        for (index, row) in rows.iter().enumerate() {
            by_name.entry(row.name.clone()).or_default().push(NameHit { row: index, short: false });
            if let Some(short) = short_name(&row.name) {
                by_name.entry(short).or_default().push(NameHit { row: index, short: true });
            }
        }
        let longest_name = by_name.keys().map(|name| name.chars().count()).max().unwrap_or(0);
        Divisions { rows, by_name, longest_name }
    }

    /// The number of rows (for tests and reports).
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the table is empty (never, for the shipped file).
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// `四川省/广元市/旺苍县` for the row.
    pub fn path_of(&self, row: usize) -> String {
        self.chain(row).iter().rev().filter_map(|&r| self.rows.get(r)).map(|d| d.name.as_str()).collect::<Vec<_>>().join("/")
    }

    /// The row and its ancestors, the row first.
    fn chain(&self, row: usize) -> Vec<usize> {
        let mut chain = vec![row];
        let mut current = row;
        while let Some(parent) = self.rows.get(current).and_then(|d| d.parent) {
            if chain.contains(&parent) {
                break; // a cycle would be a data error; never loop
            }
            chain.push(parent);
            current = parent;
        }
        chain
    }

    /// Whether `text` is nothing but place names (a trailing "四川省旺苍" tag line).
    pub fn is_only_place_names(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace() && !"|｜,，、/·".contains(*c)).collect();
        if chars.is_empty() {
            return false;
        }
        let mut position = 0;
        while position < chars.len() {
            match self.longest_name_at(&chars, position) {
                Some((length, _)) => position += length,
                None => return false,
            }
        }
        true
    }

    /// The longest table name starting at `position`, as (length in chars, hits).
    fn longest_name_at(&self, chars: &[char], position: usize) -> Option<(usize, &Vec<NameHit>)> {
        let remaining = chars.len().saturating_sub(position);
        let max_length = self.longest_name.min(remaining);
        (2..=max_length).rev().find_map(|length| {
            let candidate: String = chars.get(position..position + length)?.iter().collect();
            self.by_name.get(&candidate).map(|hits| (length, hits))
        })
    }

    /// All name mentions in a simplified-Chinese text, in order: whole words only. A
    /// name must start and end where the segmenter puts a word boundary, so 达州 in
    /// 佛罗里达州, 大理 in 重大理论 and 上海 in 上海合作组织 are not mentions.
    fn mentions(&self, text: &str) -> Vec<Vec<NameHit>> {
        let chars: Vec<char> = text.chars().collect();
        let boundaries = word_boundaries(text, chars.len());
        let at_boundary = |i: usize| boundaries.get(i).copied().unwrap_or(false);
        let mut found = Vec::new();
        let mut position = 0;
        while position < chars.len() {
            let whole = at_boundary(position).then(|| self.longest_whole_name_at(&chars, position, &at_boundary)).flatten();
            match whole {
                Some((length, hits)) => {
                    found.push(hits.clone());
                    position += length;
                }
                None => position += 1,
            }
        }
        found
    }

    /// The longest table name starting at `position` that also ends at a word boundary.
    fn longest_whole_name_at(&self, chars: &[char], position: usize, at_boundary: &dyn Fn(usize) -> bool) -> Option<(usize, &Vec<NameHit>)> {
        let remaining = chars.len().saturating_sub(position);
        let max_length = self.longest_name.min(remaining);
        (2..=max_length).rev().filter(|length| at_boundary(position + length)).find_map(|length| {
            let candidate: String = chars.get(position..position + length)?.iter().collect();
            self.by_name.get(&candidate).map(|hits| (length, hits))
        })
    }

    /// Regions of an article ranked by mentions (title weighs more), at most two;
    /// texts must be in simplified characters.
    pub fn detect(&self, title: &str, body: &str) -> Vec<RegionMatch> {
        let title_mentions = self.mentions(title);
        let body_mentions = self.mentions(body);
        let context = self.context_rows(title_mentions.iter().chain(body_mentions.iter()));
        let mut scores: BTreeMap<usize, u32> = BTreeMap::new();
        for (mentions, weight) in [(&title_mentions, TITLE_WEIGHT), (&body_mentions, 1)] {
            for hits in mentions {
                if let Some(row) = self.resolve(hits, &context) {
                    *scores.entry(row).or_insert(0) += weight;
                }
            }
        }
        self.pick_regions(&scores)
    }

    /// Rows of every province or city named anywhere: the context that makes a short
    /// county name (北碚) believable and picks among same-named places.
    fn context_rows<'a>(&self, mentions: impl Iterator<Item = &'a Vec<NameHit>>) -> Vec<usize> {
        let mut context: Vec<usize> = mentions
            .flatten()
            .filter(|hit| self.rows.get(hit.row).is_some_and(|d| d.level <= 2))
            .map(|hit| hit.row)
            .collect();
        context.sort_unstable();
        context.dedup();
        context
    }

    /// Which row a mention means, or None when it is too ambiguous to count.
    fn resolve(&self, hits: &[NameHit], context: &[usize]) -> Option<usize> {
        let has_context = |hit: &&NameHit| self.chain(hit.row).iter().skip(1).any(|a| context.contains(a));
        let level = |hit: &NameHit| self.rows.get(hit.row).map_or(u8::MAX, |d| d.level);
        let supported: Vec<&NameHit> = hits.iter().filter(has_context).collect();
        let pool: Vec<&NameHit> = if supported.is_empty() { hits.iter().collect() } else { supported };
        // People write 广安 for the city, not for 广安区: prefer the higher level.
        let best = pool.iter().min_by_key(|hit| (level(hit), hit.row))?;
        let believable = !best.short || level(best) <= 2 || has_context(best);
        let unambiguous = pool.iter().filter(|hit| level(hit) == level(best)).count() == 1;
        (believable && (unambiguous || has_context(best))).then_some(best.row)
    }

    /// From per-row scores to at most two region paths, most specific where supported.
    fn pick_regions(&self, scores: &BTreeMap<usize, u32>) -> Vec<RegionMatch> {
        let chain_score = |row: usize| -> u32 { self.chain(row).iter().map(|r| scores.get(r).copied().unwrap_or(0)).sum() };
        let mut candidates: Vec<(u32, usize)> = scores
            .keys()
            .map(|&row| (chain_score(row), row))
            .filter(|&(_, row)| self.is_specific_enough(row, scores, chain_score(row)))
            .collect();
        // Highest chain score first; ties by table order for determinism.
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut picked: Vec<(u32, usize)> = Vec::new();
        for (score, row) in candidates {
            let related = picked.iter().any(|&(_, p)| self.chain(p).contains(&row) || self.chain(row).contains(&p));
            let first_score = picked.first().map_or(score, |&(s, _)| s);
            let strong = picked.is_empty() || score * 100 >= first_score * SECOND_REGION_PERCENT;
            let own = scores.get(&row).copied().unwrap_or(0);
            let own_strong = picked.is_empty() || own * 100 >= first_score * SECOND_REGION_PERCENT;
            if !related && strong && own_strong && picked.len() < 2 {
                picked.push((score, row));
            }
        }
        if picked.is_empty() {
            // A short text naming one place once still means that place.
            if let [(&row, &score)] = scores.iter().collect::<Vec<_>>().as_slice() {
                return vec![RegionMatch { path: self.path_of(row), score }];
            }
            return self.common_province(scores).into_iter().collect();
        }
        picked.into_iter().map(|(score, row)| RegionMatch { path: self.path_of(row), score }).collect()
    }

    /// When each place is named only once (成都、德阳、眉山), the province they share.
    fn common_province(&self, scores: &BTreeMap<usize, u32>) -> Option<RegionMatch> {
        let mut by_province: BTreeMap<usize, u32> = BTreeMap::new();
        for (&row, &score) in scores {
            if let Some(&province) = self.chain(row).last() {
                *by_province.entry(province).or_insert(0) += score;
            }
        }
        let (&province, &score) = by_province.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?;
        (score >= MIN_CHILD_SCORE).then(|| RegionMatch { path: self.path_of(province), score })
    }

    /// A row is a candidate when it is mentioned often enough compared with its chain.
    fn is_specific_enough(&self, row: usize, scores: &BTreeMap<usize, u32>, chain_score: u32) -> bool {
        let own = scores.get(&row).copied().unwrap_or(0);
        let has_parent = self.rows.get(row).and_then(|d| d.parent).is_some();
        !has_parent || (own >= MIN_CHILD_SCORE && own * 100 >= chain_score * CHILD_PERCENT)
    }
}

/// The name without its administrative suffix, when that still names the place.
fn short_name(name: &str) -> Option<String> {
    if NO_SHORT_ENDINGS.iter().any(|ending| name.ends_with(ending)) {
        return None;
    }
    let stem = NAME_SUFFIXES.iter().find_map(|suffix| name.strip_suffix(suffix))?;
    let stem = strip_ethnic_names(stem);
    let long_enough = stem.chars().count() >= 2;
    (long_enough && !GENERIC_SHORT_NAMES.contains(&stem) && stem != name).then(|| stem.to_string())
}

/// 甘孜藏族 → 甘孜, 阿坝藏族羌族 → 阿坝: names of autonomous areas carry ethnic names.
fn strip_ethnic_names(stem: &str) -> &str {
    ETHNIC_PREFIXES
        .iter()
        .filter_map(|ethnic| stem.find(ethnic))
        .filter(|&byte| stem.get(..byte).is_some_and(|place| place.chars().count() >= 2))
        .min()
        .and_then(|byte| stem.get(..byte))
        .unwrap_or(stem)
}

/// Names that begin with a Chinese place but are not about it, and foreign places
/// that end in one: the segmenter keeps each as one word.
const NOT_PLACES: &[&str] = &[
    "上海合作组织", "上合组织", "佛罗里达州", "佛罗里达", "马里兰州", "宾夕法尼亚州", "加利福尼亚州", "弗吉尼亚州", "西弗吉尼亚州", "亚利桑那州",
    "明尼苏达州", "北达科他州", "南达科他州", "马萨诸塞州", "路易斯安那州", "印第安纳州", "密西西比州", "新南威尔士州", "昆士兰州",
    "重大理论", "重大", "理论", "伊朗", "伊拉克", "阿拉善", "长城汽车", "中山大学", "中山装", "中山陵",
];

/// Where words start and end in a text (by char index, `len + 1` entries): jieba's
/// segmentation without its guesser for unknown words, so unknown names stay apart
/// as single characters rather than glued to their neighbours.
pub(super) fn word_boundaries(text: &str, len: usize) -> Vec<bool> {
    static SEGMENTER: OnceLock<jieba_rs::Jieba> = OnceLock::new();
    let jieba = SEGMENTER.get_or_init(|| {
        let mut jieba = jieba_rs::Jieba::new();
        for word in NOT_PLACES {
            let frequency = jieba.suggest_freq(word).max(2000);
            jieba.add_word(word, Some(frequency), Some("n"));
        }
        jieba
    });
    let mut boundaries = vec![false; len + 1];
    let mut position = 0;
    if let Some(first) = boundaries.first_mut() {
        *first = true;
    }
    for word in jieba.cut(text, false) {
        position += word.word.chars().count();
        if let Some(slot) = boundaries.get_mut(position) {
            *slot = true;
        }
    }
    boundaries
}

/// Ethnic names found in the names of autonomous prefectures and counties.
const ETHNIC_PREFIXES: &[&str] = &[
    "藏族", "羌族", "彝族", "苗族", "侗族", "土家族", "布依族", "壮族", "瑶族", "白族", "傣族", "景颇族",
    "傈僳族", "哈尼族", "回族", "蒙古族", "朝鲜族", "哈萨克族", "柯尔克孜族", "黎族", "畲族", "满族",
    "土族", "撒拉族", "纳西族", "佤族", "拉祜族", "仡佬族", "水族", "各族", "达斡尔族", "鄂温克族",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(found: &[RegionMatch]) -> Vec<&str> {
        found.iter().map(|m| m.path.as_str()).collect()
    }

    #[test]
    fn names_inside_other_words_are_not_places() {
        let table = divisions();
        assert!(table.detect("佛罗里达州遭飓风袭击", "美国佛罗里达州多地停电，佛罗里达州州长宣布进入紧急状态。").is_empty());
        assert!(table.detect("深入学习重大理论成果", "会议强调，要深入学习党的重大理论创新成果，做好重大理论宣传。").is_empty());
        assert!(table.detect("上海合作组织峰会开幕", "上海合作组织成员国领导人出席会议，上海合作组织秘书长致辞。").is_empty());
        assert_eq!(paths(&table.detect("四川达州推进科技创新", "达州市科技局表示，达州将加快建设创新平台。")), vec!["四川省/达州市"]);
        assert_eq!(paths(&table.detect("上海发布科技创新政策", "上海市科委近日印发通知，上海将加大支持力度。")), vec!["上海市"]);
    }

    #[test]
    fn table_loads_all_levels() {
        let table = divisions();
        assert!(table.len() > 3000, "{} rows", table.len());
        assert!(table.rows.iter().any(|d| d.name == "旺苍县" && d.level == 3));
    }

    #[test]
    fn municipality_districts_hang_under_the_municipality() {
        let table = divisions();
        let row = table.rows.iter().position(|d| d.name == "北碚区").expect("北碚区 in table");
        assert_eq!(table.path_of(row), "重庆市/北碚区");
    }

    #[test]
    fn short_names_drop_suffixes_and_ethnic_names() {
        assert_eq!(short_name("四川省").as_deref(), Some("四川"));
        assert_eq!(short_name("甘孜藏族自治州").as_deref(), Some("甘孜"));
        assert_eq!(short_name("阿坝藏族羌族自治州").as_deref(), Some("阿坝"));
        assert_eq!(short_name("广西壮族自治区").as_deref(), Some("广西"));
        assert_eq!(short_name("镇江新区"), None);
        assert_eq!(short_name("市中区"), None);
    }

    #[test]
    fn county_under_city_is_chosen_when_mentioned_most() {
        let found = divisions().detect(
            "携手共谋县域创新 四川首次举办局县科技会商",
            "四川省广元市科学技术局与旺苍县人民政府开展会商。旺苍县地处四川盆地北缘。旺苍县科技局说,广元市将支持旺苍。",
        );
        assert_eq!(paths(&found), vec!["四川省/广元市/旺苍县"]);
    }

    #[test]
    fn two_places_give_two_regions() {
        let found = divisions().detect(
            "北碚：以科技为引领唱好“双城记”",
            "北碚与绵阳签署《四川省绵阳市人民政府重庆市北碚区人民政府合作计划》。北碚与绵阳两地合作。绵阳是科技城,北碚有西南大学。",
        );
        assert_eq!(paths(&found), vec!["重庆市/北碚区", "四川省/绵阳市"]);
    }

    #[test]
    fn a_district_mentioned_once_does_not_replace_its_city() {
        let found = divisions().detect(
            "四川省科学技术厅广安市人民政府第三次厅市工作会商会议在广安召开",
            "广安市创新发展。广安市综合实力提升。广安区成功创建国家可持续发展试验区。广安加快发展。",
        );
        assert_eq!(paths(&found), vec!["四川省/广安市"]);
    }

    #[test]
    fn short_county_name_without_context_is_ignored() {
        // 朝阳 is a generic word and several places; no province or city is named.
        let found = divisions().detect("朝阳产业蓬勃发展", "新兴产业如朝阳般升起。");
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn places_named_once_each_give_their_province() {
        let found = divisions().detect("“新春第一会”吹响发展号角", "组织与会者分赴成都、德阳、眉山等地的先进制造业企业考察。");
        assert_eq!(paths(&found), vec!["四川省"]);
    }

    #[test]
    fn one_mention_in_a_short_text_is_enough() {
        let found = divisions().detect("加快培育新質生產力", "近年来，镇江深入贯彻落实，取得良好成效。");
        assert_eq!(paths(&found), vec!["江苏省/镇江市"]);
    }

    #[test]
    fn place_name_lines_are_recognised() {
        assert!(divisions().is_only_place_names("四川省旺苍"));
        assert!(divisions().is_only_place_names("涿鹿县| 泸西县| 曲松县"));
        assert!(!divisions().is_only_place_names("旺苍县地处四川盆地北缘"));
    }
}
