//! Chinese-aware ASCII slugs and sort keys: pinyin slugs for articles and tags, one-word
//! region slugs, slug validation and a pinyin sort key.
//!
//! Han characters are read with the `pinyin` crate (toneless, `ü` written `v`), which
//! knows one reading per character (its most common one). Words whose reading differs
//! in context (重庆 chong, 长沙 chang, 银行 hang, 厦门 xia …) are looked up first in
//! `PHRASES`, longest match first, so the same table serves titles, tags and places.
//! Traditional characters work the same way; the table lists both forms where they
//! differ. The crate's first reading is already right for 重大/重要/重点 (zhong),
//! 发展 (fa zhan), 朝阳 (chao), 台州 (tai), 亳州 (bo), 丽水 (li), 莘县 (shen).

use pinyin::ToPinyin;

/// Longest article slug, in bytes (slugs are ASCII, so also in characters).
const MAX_SLUG_LEN: usize = 48;

/// Longest slug read further than [`MAX_SLUG_LEN`] to tell a name from an older one
/// whose slug it shares ([`lengthened_slug`]): about 28 Chinese characters, enough for
/// the long formulae news titles open with (中共中央总书记、国家主席、中央军委主席习近平…),
/// and well below the 255 bytes a file name may have.
pub const MAX_LENGTHENED_SLUG_LEN: usize = 128;

/// Slug for a title or tag that has no letters, digits or Han characters (only
/// punctuation or emoji). The caller makes colliding slugs unique.
const FALLBACK_SLUG: &str = "article";

/// Region slug for a name with nothing to read (never expected for real names).
const FALLBACK_REGION_SLUG: &str = "region";

/// Separates the pinyin part of a sort key from the original text. It sorts below the
/// space between syllables, so "chong qing" (重庆) sorts before "chong qing shi" (重庆市).
const SORT_KEY_SEPARATOR: char = '\u{1f}';

/// Readings that differ from the `pinyin` crate's first reading, as space-separated
/// toneless syllables (a single token such as `shaanxi` stays one word). Sorted by the
/// UTF-8 bytes of the key so it can be binary-searched; lookups try the longest phrase
/// at a position first. Covers policy vocabulary and place names; a word that merely
/// contains a listed phrase by accident (进行业务) is guarded by listing the competing
/// phrase too (进行).
const PHRASES: &[(&str, &str)] = &[
    ("专长", "zhuan chang"),
    ("东阿", "dong e"),
    ("主角", "zhu jue"),
    ("举行", "ju xing"),
    ("乐亭", "lao ting"),
    ("乐清", "yue qing"),
    ("乐都", "le du"),
    ("于都", "yu du"),
    ("人参", "ren shen"),
    ("人參", "ren shen"),
    ("什邡", "shi fang"),
    ("会计", "kuai ji"),
    ("传记", "zhuan ji"),
    ("佛山", "fo shan"),
    ("佛教", "fo jiao"),
    ("供給", "gong ji"),
    ("供给", "gong ji"),
    ("便宜", "pian yi"),
    ("偿还", "chang huan"),
    ("傳記", "zhuan ji"),
    ("償還", "chang huan"),
    ("先行", "xian xing"),
    ("全长", "quan chang"),
    ("六合", "lu he"),
    ("六安", "lu an"),
    ("关卡", "guan qia"),
    ("出差", "chu chai"),
    ("出行", "chu xing"),
    ("协调", "xie tiao"),
    ("協調", "xie tiao"),
    ("单县", "shan xian"),
    ("卡脖子", "qia bo zi"),
    ("厦门", "xia men"),
    ("参差", "cen ci"),
    ("參差", "cen ci"),
    ("双重", "shuang chong"),
    ("发行", "fa xing"),
    ("可行", "ke xing"),
    ("各行各业", "ge hang ge ye"),
    ("各行各業", "ge hang ge ye"),
    ("商行", "shang hang"),
    ("喀什", "ka shi"),
    ("單縣", "shan xian"),
    ("執行", "zhi xing"),
    ("大夫", "dai fu"),
    ("央行", "yang hang"),
    ("宜都", "yi du"),
    ("实行", "shi xing"),
    ("實行", "shi xing"),
    ("履行", "lv xing"),
    ("平行", "ping xing"),
    ("廈門", "xia men"),
    ("延長", "yan chang"),
    ("延长", "yan chang"),
    ("弥勒", "mi le"),
    ("彌勒", "mi le"),
    ("归还", "gui huan"),
    ("成都", "cheng du"),
    ("成长期", "cheng zhang qi"),
    ("执行", "zhi xing"),
    ("排行", "pai hang"),
    ("推行", "tui xing"),
    ("擅长", "shan chang"),
    ("施行", "shi xing"),
    ("昆都仑", "kun du lun"),
    ("會計", "kuai ji"),
    ("朝气", "zhao qi"),
    ("朝氣", "zhao qi"),
    ("東阿", "dong e"),
    ("枞阳", "zong yang"),
    ("校准", "jiao zhun"),
    ("校準", "jiao zhun"),
    ("樂清", "yue qing"),
    ("樂都", "le du"),
    ("樅陽", "zong yang"),
    ("模样", "mu yang"),
    ("模樣", "mu yang"),
    ("歸還", "gui huan"),
    ("沉着", "chen zhuo"),
    ("泌阳", "bi yang"),
    ("洪洞", "hong tong"),
    ("浚县", "xun xian"),
    ("涡阳", "guo yang"),
    ("渦陽", "guo yang"),
    ("漫長", "man chang"),
    ("漫长", "man chang"),
    ("牟平", "mu ping"),
    ("特长", "te chang"),
    ("犍为", "qian wei"),
    ("犍為", "qian wei"),
    ("率先", "shuai xian"),
    ("率領", "shuai ling"),
    ("率领", "shuai ling"),
    ("珲春", "hun chun"),
    ("琿春", "hun chun"),
    ("番禺", "pan yu"),
    ("發行", "fa xing"),
    ("着力", "zhuo li"),
    ("着实", "zhuo shi"),
    ("着手", "zhuo shou"),
    ("着眼", "zhuo yan"),
    ("着重", "zhuo zhong"),
    ("着陆", "zhuo lu"),
    ("秦都", "qin du"),
    ("空調", "kong tiao"),
    ("空调", "kong tiao"),
    ("筠连", "jun lian"),
    ("筠連", "jun lian"),
    ("給予", "ji yu"),
    ("给予", "ji yu"),
    ("自給", "zi ji"),
    ("自给", "zi ji"),
    ("自行", "zi xing"),
    ("舉行", "ju xing"),
    ("著力", "zhuo li"),
    ("著手", "zhuo shou"),
    ("著眼", "zhuo yan"),
    ("著重", "zhuo zhong"),
    ("著陸", "zhuo lu"),
    ("蔚县", "yu xian"),
    ("蔚縣", "yu xian"),
    ("薄弱", "bo ruo"),
    ("藏族", "zang zu"),
    ("蚌埠", "beng bu"),
    ("蚌山", "beng shan"),
    ("行业", "hang ye"),
    ("行列", "hang lie"),
    ("行情", "hang qing"),
    ("行業", "hang ye"),
    ("行長", "hang zhang"),
    ("行长", "hang zhang"),
    ("补给", "bu ji"),
    ("補給", "bu ji"),
    ("西藏", "xi zang"),
    ("角色", "jue se"),
    ("試行", "shi xing"),
    ("調和", "tiao he"),
    ("調控", "tiao kong"),
    ("調整", "tiao zheng"),
    ("調節", "tiao jie"),
    ("調解", "tiao jie"),
    ("調適", "tiao shi"),
    ("试行", "shi xing"),
    ("调和", "tiao he"),
    ("调控", "tiao kong"),
    ("调整", "tiao zheng"),
    ("调节", "tiao jie"),
    ("调解", "tiao jie"),
    ("调适", "tiao shi"),
    ("较长", "jiao chang"),
    ("运行", "yun xing"),
    ("还款", "huan kuan"),
    ("还贷", "huan dai"),
    ("进行", "jin xing"),
    ("進行", "jin xing"),
    ("運行", "yun xing"),
    ("還款", "huan kuan"),
    ("郫都", "pi du"),
    ("都会", "du hui"),
    ("都市", "du shi"),
    ("都會", "du hui"),
    ("都江堰", "du jiang yan"),
    ("重叠", "chong die"),
    ("重启", "chong qi"),
    ("重啟", "chong qi"),
    ("重回", "chong hui"),
    ("重塑", "chong su"),
    ("重复", "chong fu"),
    ("重庆", "chong qing"),
    ("重建", "chong jian"),
    ("重慶", "chong qing"),
    ("重振", "chong zhen"),
    ("重整", "chong zheng"),
    ("重新", "chong xin"),
    ("重构", "chong gou"),
    ("重構", "chong gou"),
    ("重现", "chong xian"),
    ("重現", "chong xian"),
    ("重申", "chong shen"),
    ("重疊", "chong die"),
    ("重組", "chong zu"),
    ("重组", "chong zu"),
    ("重置", "chong zhi"),
    ("重複", "chong fu"),
    ("重返", "chong fan"),
    ("重重", "chong chong"),
    ("重阳", "chong yang"),
    ("重陽", "chong yang"),
    ("鉛山", "yan shan"),
    ("銀行", "yin hang"),
    ("铅山", "yan shan"),
    ("银行", "yin hang"),
    ("長三角", "chang san jiao"),
    ("長城", "chang cheng"),
    ("長壽", "chang shou"),
    ("長安", "chang an"),
    ("長寧", "chang ning"),
    ("長征", "chang zheng"),
    ("長效", "chang xiao"),
    ("長春", "chang chun"),
    ("長期", "chang qi"),
    ("長樂", "chang le"),
    ("長江", "chang jiang"),
    ("長沙", "chang sha"),
    ("長興", "chang xing"),
    ("長豐", "chang feng"),
    ("長達", "chang da"),
    ("長遠", "chang yuan"),
    ("长三角", "chang san jiao"),
    ("长丰", "chang feng"),
    ("长久", "chang jiu"),
    ("长乐", "chang le"),
    ("长兴", "chang xing"),
    ("长周期", "chang zhou qi"),
    ("长垣", "chang yuan"),
    ("长城", "chang cheng"),
    ("长处", "chang chu"),
    ("长宁", "chang ning"),
    ("长安", "chang an"),
    ("长寿", "chang shou"),
    ("长尾", "chang wei"),
    ("长度", "chang du"),
    ("长廊", "chang lang"),
    ("长征", "chang zheng"),
    ("长效", "chang xiao"),
    ("长春", "chang chun"),
    ("长期", "chang qi"),
    ("长株潭", "chang zhu tan"),
    ("长汀", "chang ting"),
    ("长江", "chang jiang"),
    ("长沙", "chang sha"),
    ("长河", "chang he"),
    ("长治", "chang zhi"),
    ("长白山", "chang bai shan"),
    ("长短", "chang duan"),
    ("长篇", "chang pian"),
    ("长葛", "chang ge"),
    ("长足", "chang zu"),
    ("长达", "chang da"),
    ("长远", "chang yuan"),
    ("閔行", "min hang"),
    ("關卡", "guan qia"),
    ("闵行", "min hang"),
    ("陕西", "shaanxi"),
    ("陝西", "shaanxi"),
    ("雙重", "shuang chong"),
    ("音乐", "yin yue"),
    ("音樂", "yin yue"),
    ("首都", "shou du"),
    ("魏都", "wei du"),
    ("黃陂", "huang pi"),
    ("黄陂", "huang pi"),
];

/// Length in characters of the longest key in [`PHRASES`] (checked by a test).
const MAX_PHRASE_CHARS: usize = 4;

/// Readings used only inside place names, where a character's place-name reading is
/// the usual one (长宁, 长兴 chang; 于都, 宜都 du; 西藏 zang; 锡林郭勒, 阿勒泰 le).
/// Phrases still win.
const PLACE_READINGS: &[(char, &str)] = &[
    ('勒', "le"),
    ('藏', "zang"),
    ('都', "du"),
    ('長', "chang"),
    ('长', "chang"),
];

/// Administrative suffixes a region name may end with, longest first; one is dropped
/// when at least two characters remain (泸县 stays 泸县, 沙县区 becomes 沙县).
/// 新区 is dropped like 区 (浦东新区 → pudong, 两江新区 → liangjiang): the 新 is part of
/// the administrative kind, not of the place name.
const ADMIN_SUFFIXES: &[&str] = &[
    "特别行政区",
    "特別行政區",
    "自治区",
    "自治區",
    "自治州",
    "自治县",
    "自治縣",
    "自治旗",
    "地区",
    "地區",
    "林区",
    "林區",
    "新区",
    "新區",
    "省",
    "市",
    "县",
    "縣",
    "区",
    "區",
    "盟",
    "旗",
];

/// Ethnic names that stand between a place name and 自治区/州/县/旗
/// (广西壮族自治区, 阿坝藏族羌族自治州), in simplified and traditional forms. 维吾尔
/// appears without 族 in 新疆维吾尔自治区. 蒙古 alone is not listed: 内蒙古 is the name.
const ETHNIC_NAMES: &[&str] = &[
    "阿昌族",
    "白族",
    "保安族",
    "布朗族",
    "布依族",
    "朝鲜族",
    "朝鮮族",
    "达斡尔族",
    "達斡爾族",
    "傣族",
    "德昂族",
    "东乡族",
    "東鄉族",
    "侗族",
    "独龙族",
    "獨龍族",
    "俄罗斯族",
    "俄羅斯族",
    "鄂伦春族",
    "鄂倫春族",
    "鄂温克族",
    "鄂溫克族",
    "高山族",
    "仡佬族",
    "哈尼族",
    "哈萨克族",
    "哈薩克族",
    "赫哲族",
    "回族",
    "基诺族",
    "基諾族",
    "京族",
    "景颇族",
    "景頗族",
    "柯尔克孜族",
    "柯爾克孜族",
    "拉祜族",
    "黎族",
    "傈僳族",
    "珞巴族",
    "满族",
    "滿族",
    "毛南族",
    "门巴族",
    "門巴族",
    "蒙古族",
    "苗族",
    "仫佬族",
    "纳西族",
    "納西族",
    "怒族",
    "普米族",
    "羌族",
    "撒拉族",
    "畲族",
    "水族",
    "塔吉克族",
    "塔塔尔族",
    "塔塔爾族",
    "土家族",
    "土族",
    "佤族",
    "维吾尔族",
    "維吾爾族",
    "维吾尔",
    "維吾爾",
    "乌孜别克族",
    "烏孜別克族",
    "锡伯族",
    "錫伯族",
    "瑶族",
    "瑤族",
    "彝族",
    "裕固族",
    "藏族",
    "壮族",
    "壯族",
];

/// Which readings to use for Han characters outside [`PHRASES`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Readings {
    /// The `pinyin` crate's first reading (titles, tags, sort keys).
    Common,
    /// The common reading, except the place-name readings of [`PLACE_READINGS`].
    PlaceName,
}

/// Article or tag slug: toneless pinyin syllables and lowercased ASCII letter/digit runs,
/// joined by `-` (`5G网络` → `5g-wang-luo`). Every other character separates words, so
/// `R&D经费` → `r-d-jing-fei`. Full-width letters and digits count as ASCII (`５Ｇ` → `5g`).
/// At most 48 characters, cut after a whole word (a single longer word is cut at 48).
/// Never empty: text with nothing readable gives `article`.
#[must_use]
pub fn pinyin_slug(text: &str) -> String {
    slug_of_words(&pinyin_words(text, Readings::Common))
}

/// [`pinyin_sort_key`] and [`pinyin_slug`] of one text, reading it once (an article's
/// title needs both).
#[must_use]
pub fn pinyin_sort_key_and_slug(text: &str) -> (String, String) {
    let words = pinyin_words(text, Readings::Common);
    (sort_key_of_words(&words, text), slug_of_words(&words))
}

/// The words a [`pinyin_slug`] is made of, uncut: what [`lengthened_slug`] reads further.
#[must_use]
pub fn slug_words(text: &str) -> Vec<String> {
    pinyin_words(text, Readings::Common)
}

/// The slug of the first `n` of a name's [`slug_words`], when it has that many and they
/// fit in [`MAX_LENGTHENED_SLUG_LEN`]; a longer slug is never made (a number is added
/// instead, by the caller).
#[must_use]
pub fn lengthened_slug(words: &[String], n: usize) -> Option<String> {
    let words = words.get(..n).filter(|w| !w.is_empty())?;
    let len = words.iter().map(String::len).sum::<usize>() + words.len() - 1;
    (len <= MAX_LENGTHENED_SLUG_LEN).then(|| words.join("-"))
}

fn slug_of_words(words: &[String]) -> String {
    let slug = shorten_at_dash(&words.join("-"), MAX_SLUG_LEN);
    if slug.is_empty() {
        FALLBACK_SLUG.to_string()
    } else {
        slug
    }
}

/// Slug for one level of a region path, as a single word: 四川省 → `sichuan`,
/// 广西壮族自治区 → `guangxi`, 莘县 → `shenxian` (the suffix stays when it would leave
/// one character), 陕西省 → `shaanxi` (the official spelling, distinct from 山西 `shanxi`),
/// 东阿县 → `donge`. Never empty (`region` when nothing is readable).
#[must_use]
pub fn region_slug(name: &str) -> String {
    let base = strip_region_suffix(name.trim());
    let slug: String = pinyin_words(base, Readings::PlaceName).concat();
    if slug.is_empty() {
        FALLBACK_REGION_SLUG.to_string()
    } else {
        slug
    }
}

/// True for `[a-z0-9]+(-[a-z0-9]+)*`: lowercase ASCII words joined by single dashes.
#[must_use]
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Key that sorts names in pinyin order: the syllables separated by spaces, then a
/// U+001F separator and the original text, so distinct names never compare equal and
/// equal readings (科技, 可记) sort by code point.
#[must_use]
pub fn pinyin_sort_key(s: &str) -> String {
    sort_key_of_words(&pinyin_words(s, Readings::Common), s)
}

fn sort_key_of_words(words: &[String], text: &str) -> String {
    let mut key = words.join(" ");
    key.push(SORT_KEY_SEPARATOR);
    key.push_str(text);
    key
}

/// True for Han ideographs (CJK unified ideographs, extensions A–H, compatibility
/// ideographs) and 〇. Shared with the summary module.
#[must_use]
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3007}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}'
        | '\u{30000}'..='\u{323AF}')
}

/// Splits text into lowercase ASCII words: one per Han syllable, one per letter/digit run.
fn pinyin_words(text: &str, readings: Readings) -> Vec<String> {
    let mut words = Vec::new();
    let mut ascii_run = String::new();
    let mut pos = 0;
    while let Some(rest) = text.get(pos..) {
        let Some(c) = rest.chars().next() else {
            break;
        };
        let mut step = c.len_utf8();
        if let Some(ascii) = fold_to_ascii_alnum(c) {
            ascii_run.push(ascii.to_ascii_lowercase());
        } else {
            flush_word(&mut ascii_run, &mut words);
            if let Some((phrase_len, reading)) = longest_phrase_at(rest) {
                words.extend(reading.split(' ').map(str::to_string));
                step = phrase_len;
            } else if let Some(syllable) = char_reading(c, readings) {
                words.push(syllable);
            }
        }
        pos += step;
    }
    flush_word(&mut ascii_run, &mut words);
    words
}

/// Moves a finished ASCII run into the word list.
fn flush_word(run: &mut String, words: &mut Vec<String>) {
    if !run.is_empty() {
        words.push(std::mem::take(run));
    }
}

/// ASCII letters and digits, and their full-width forms (Ａ, ５) folded to ASCII.
fn fold_to_ascii_alnum(c: char) -> Option<char> {
    if c.is_ascii_alphanumeric() {
        return Some(c);
    }
    let folded = match c {
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            char::from_u32(u32::from(c) - 0xFEE0)
        }
        _ => None,
    };
    folded.filter(char::is_ascii_alphanumeric)
}

/// The longest [`PHRASES`] entry that `text` starts with: its length in bytes and reading.
fn longest_phrase_at(text: &str) -> Option<(usize, &'static str)> {
    // Most characters start no phrase: one search for the first character settles that.
    let first = text.chars().next()?;
    let mut utf8 = [0; 4];
    let first = first.encode_utf8(&mut utf8).as_bytes();
    let from = PHRASES.partition_point(|(key, _)| key.as_bytes() < first);
    if !PHRASES.get(from).is_some_and(|(key, _)| key.as_bytes().starts_with(first)) {
        return None;
    }
    // byte lengths of the first 1, 2, … MAX_PHRASE_CHARS characters
    let mut ends = text.char_indices().map(|(i, c)| i + c.len_utf8());
    let prefix_ends: [Option<usize>; MAX_PHRASE_CHARS] = std::array::from_fn(|_| ends.next());
    // phrases have at least two characters
    prefix_ends.iter().skip(1).rev().flatten().find_map(|&end| {
        let candidate = text.get(..end)?;
        let index = PHRASES
            .binary_search_by(|(key, _)| key.as_bytes().cmp(candidate.as_bytes()))
            .ok()?;
        PHRASES.get(index).map(|(_, reading)| (end, *reading))
    })
}

/// Toneless ASCII reading of one character, or None if it has none.
fn char_reading(c: char, readings: Readings) -> Option<String> {
    let place_reading = (readings == Readings::PlaceName)
        .then(|| PLACE_READINGS.iter().find(|(han, _)| *han == c))
        .flatten();
    if let Some((_, reading)) = place_reading {
        return Some((*reading).to_string());
    }
    let plain = c.to_pinyin()?.plain();
    let ascii: String = plain
        .chars()
        .filter_map(|ch| match ch {
            'ü' => Some('v'),
            'ê' => Some('e'),
            _ if ch.is_ascii_lowercase() => Some(ch),
            _ => None,
        })
        .collect();
    Some(ascii).filter(|s| !s.is_empty())
}

/// Cuts a dash-joined slug to at most `max` bytes after a whole word; a first word
/// longer than `max` is cut inside.
fn shorten_at_dash(slug: &str, max: usize) -> String {
    if slug.len() <= max {
        return slug.to_string();
    }
    // The slug is ASCII, so every byte index is a char boundary.
    let head = slug.get(..=max).unwrap_or(slug);
    let cut = match head.rfind('-') {
        Some(dash) if dash > 0 => dash,
        _ => max,
    };
    slug.get(..cut)
        .unwrap_or_default()
        .trim_end_matches('-')
        .to_string()
}

/// Drops one administrative suffix (and the ethnic names before 自治…) if at least two
/// characters remain.
fn strip_region_suffix(name: &str) -> &str {
    let stripped = ADMIN_SUFFIXES.iter().find_map(|suffix| {
        let rest = name.strip_suffix(suffix)?;
        (rest.chars().count() >= 2).then_some((rest, *suffix))
    });
    match stripped {
        Some((rest, suffix)) if suffix.starts_with("自治") => strip_ethnic_names(rest),
        Some((rest, _)) => rest,
        None => name,
    }
}

/// Removes trailing ethnic names (阿坝藏族羌族 → 阿坝) while two characters remain.
fn strip_ethnic_names(mut base: &str) -> &str {
    loop {
        let shorter = ETHNIC_NAMES
            .iter()
            .filter_map(|ethnic| base.strip_suffix(ethnic))
            .filter(|rest| rest.chars().count() >= 2)
            .min_by_key(|rest| rest.len());
        match shorter {
            Some(rest) => base = rest,
            None => return base,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The region tree of `shared/bench/gen_corpus.py` (`REGION_DATA`), one province
    /// or municipality a line: `province|city:county,county|city …`.
    const BENCH_REGIONS: &str = "
四川省|成都市:武侯区,郫都区,双流区,新津区,都江堰市,彭州市,金堂县,蒲江县|绵阳市:涪城区,游仙区,江油市,三台县,梓潼县,北川羌族自治县|德阳市:旌阳区,广汉市,什邡市,绵竹市,中江县|广元市:利州区,昭化区,朝天区,旺苍县,青川县,剑阁县,苍溪县|广安市:广安区,前锋区,华蓥市,岳池县,武胜县,邻水县|巴中市:巴州区,恩阳区,通江县,南江县,平昌县|泸州市:江阳区,龙马潭区,纳溪区,泸县,合江县,古蔺县|宜宾市:翠屏区,叙州区,江安县,长宁县,兴文县|南充市:顺庆区,高坪区,阆中市,南部县,仪陇县|达州市:通川区,达川区,万源市,宣汉县,大竹县|眉山市:东坡区,彭山区,仁寿县,洪雅县|乐山市:五通桥区,峨眉山市,犍为县,夹江县|自贡市:自流井区,贡井区,荣县,富顺县|内江市:东兴区,隆昌市,威远县,资中县|遂宁市:船山区,安居区,射洪市,蓬溪县|资阳市:雁江区,安岳县,乐至县|攀枝花市:仁和区,米易县,盐边县|雅安市:雨城区,名山区,汉源县,石棉县|甘孜藏族自治州:康定市,泸定县,雅江县|凉山彝族自治州:西昌市,会理市,冕宁县|阿坝藏族羌族自治州:马尔康市,汶川县,九寨沟县
重庆市|北碚区|渝中区|江北区|沙坪坝区|九龙坡区|南岸区|渝北区|巴南区|万州区|涪陵区|永川区|合川区|江津区|璧山区|荣昌区|綦江区|开州区|忠县|奉节县|石柱土家族自治县
北京市|海淀区|朝阳区|丰台区|昌平区|大兴区|顺义区|怀柔区
上海市|浦东新区|徐汇区|闵行区|嘉定区|松江区|杨浦区|青浦区
天津市|滨海新区|南开区|西青区|东丽区|武清区
河北省|石家庄市:正定县,鹿泉区,藁城区,辛集市|保定市:涿州市,高碑店市,安国市|唐山市:迁安市,遵化市,曹妃甸区|廊坊市:固安县,三河市,香河县|张家口市:张北县,崇礼区,怀来县
山西省|太原市:小店区,清徐县,古交市|大同市:云冈区,阳高县|长治市:潞州区,襄垣县|晋中市:榆次区,太谷区,平遥县|运城市:盐湖区,永济市,河津市
内蒙古自治区|呼和浩特市:赛罕区,托克托县,和林格尔县|包头市:昆都仑区,九原区|鄂尔多斯市:东胜区,准格尔旗,伊金霍洛旗|赤峰市:红山区,宁城县
辽宁省|沈阳市:浑南区,铁西区,新民市|大连市:甘井子区,金州区,瓦房店市,庄河市|鞍山市:铁东区,海城市|丹东市:振兴区,东港市,凤城市
吉林省|长春市:朝阳区,九台区,榆树市,农安县|吉林市:船营区,蛟河市,桦甸市|四平市:铁西区,梨树县,双辽市|延边朝鲜族自治州:延吉市,珲春市,敦化市
黑龙江省|哈尔滨市:南岗区,松北区,五常市,尚志市|齐齐哈尔市:龙沙区,讷河市,克山县|大庆市:萨尔图区,肇州县|牡丹江市:海林市,宁安市
江苏省|南京市:玄武区,江宁区,浦口区,溧水区|苏州市:昆山市,常熟市,张家港市,太仓市,吴江区|无锡市:江阴市,宜兴市,新吴区|常州市:武进区,溧阳市,金坛区|镇江市:京口区,丹阳市,句容市,扬中市|南通市:海门区,如皋市,启东市|徐州市:铜山区,邳州市,沛县
浙江省|杭州市:西湖区,余杭区,萧山区,滨江区,桐庐县|宁波市:鄞州区,余姚市,慈溪市,宁海县|温州市:鹿城区,瑞安市,乐清市|嘉兴市:南湖区,海宁市,桐乡市,嘉善县|湖州市:吴兴区,德清县,长兴县,安吉县|绍兴市:越城区,诸暨市,新昌县|金华市:婺城区,义乌市,东阳市,永康市
安徽省|合肥市:蜀山区,包河区,肥西县,长丰县,巢湖市|芜湖市:镜湖区,鸠江区,无为市|蚌埠市:蚌山区,怀远县|安庆市:迎江区,桐城市,潜山市|阜阳市:颍州区,界首市,太和县
福建省|福州市:鼓楼区,闽侯县,福清市,长乐区|厦门市:思明区,湖里区,集美区,海沧区|泉州市:晋江市,石狮市,南安市,安溪县|漳州市:芗城区,龙海区|三明市:三元区,永安市,沙县区|龙岩市:新罗区,长汀县,上杭县
江西省|南昌市:红谷滩区,南昌县,进贤县|赣州市:章贡区,瑞金市,于都县,南康区|九江市:濂溪区,瑞昌市,共青城市|上饶市:信州区,婺源县,德兴市|宜春市:袁州区,丰城市,樟树市
山东省|济南市:历下区,章丘区,历城区,平阴县|青岛市:黄岛区,崂山区,即墨区,胶州市,平度市|烟台市:芝罘区,龙口市,莱州市|潍坊市:奎文区,寿光市,诸城市,青州市|淄博市:张店区,临淄区,桓台县|临沂市:兰山区,沂水县|济宁市:任城区,曲阜市,邹城市
河南省|郑州市:金水区,中原区,新郑市,巩义市,中牟县|洛阳市:涧西区,偃师区,孟津区,栾川县|新乡市:红旗区,长垣市,辉县市|南阳市:卧龙区,邓州市,西峡县|许昌市:魏都区,禹州市,长葛市|周口市:川汇区,项城市,太康县
湖北省|武汉市:洪山区,江夏区,东西湖区,蔡甸区,黄陂区|襄阳市:樊城区,襄州区,枣阳市,宜城市|宜昌市:西陵区,夷陵区,宜都市,当阳市|十堰市:茅箭区,丹江口市,郧阳区|荆州市:沙市区,荆州区,松滋市,监利市|黄冈市:黄州区,麻城市,武穴市
湖南省|长沙市:岳麓区,雨花区,浏阳市,宁乡市,长沙县|株洲市:天元区,醴陵市,攸县|湘潭市:岳塘区,湘乡市,韶山市|衡阳市:蒸湘区,耒阳市,常宁市|岳阳市:岳阳楼区,汨罗市,临湘市|常德市:武陵区,津市市,桃源县
广东省|广州市:天河区,黄埔区,番禺区,南沙区,增城区|深圳市:南山区,福田区,宝安区,龙岗区,龙华区,光明区|佛山市:顺德区,南海区,禅城区|东莞市|惠州市:惠城区,惠阳区,博罗县|珠海市:香洲区,斗门区,金湾区|汕头市:金平区,龙湖区,澄海区|湛江市:赤坎区,廉江市,雷州市
广西壮族自治区|南宁市:青秀区,西乡塘区,武鸣区,横州市|柳州市:柳北区,柳江区,鹿寨县|桂林市:秀峰区,临桂区,阳朔县,荔浦市|玉林市:玉州区,北流市,容县|北海市:海城区,银海区,合浦县
海南省|海口市:龙华区,美兰区,秀英区,琼山区|三亚市:吉阳区,天涯区,崖州区|儋州市|琼海市|文昌市
贵州省|贵阳市:观山湖区,花溪区,清镇市,修文县|遵义市:红花岗区,汇川区,仁怀市,赤水市,湄潭县|六盘水市:钟山区,盘州市,水城区|安顺市:西秀区,平坝区|毕节市:七星关区,大方县|黔东南苗族侗族自治州:凯里市,雷山县
云南省|昆明市:五华区,呈贡区,安宁市,宜良县|曲靖市:麒麟区,宣威市,陆良县|玉溪市:红塔区,澄江市,通海县|大理白族自治州:大理市,祥云县|红河哈尼族彝族自治州:蒙自市,个旧市,弥勒市|西双版纳傣族自治州:景洪市,勐海县
西藏自治区|拉萨市:城关区,堆龙德庆区|日喀则市:桑珠孜区,江孜县|林芝市:巴宜区|山南市:乃东区
陕西省|西安市:雁塔区,长安区,未央区,高陵区,鄠邑区|宝鸡市:渭滨区,金台区,凤翔区|咸阳市:秦都区,兴平市,彬州市,三原县|渭南市:临渭区,韩城市,富平县|汉中市:汉台区,南郑区,城固县|榆林市:榆阳区,神木市,府谷县
甘肃省|兰州市:城关区,七里河区,榆中县|天水市:秦州区,麦积区|酒泉市:肃州区,玉门市,敦煌市|张掖市:甘州区,临泽县|白银市:白银区,景泰县
青海省|西宁市:城东区,城北区,湟中区|海东市:乐都区,平安区,互助土族自治县|海西蒙古族藏族自治州:德令哈市,格尔木市
宁夏回族自治区|银川市:兴庆区,金凤区,西夏区,永宁县,贺兰县,灵武市|石嘴山市:大武口区,平罗县|吴忠市:利通区,青铜峡市|中卫市:沙坡头区,中宁县
新疆维吾尔自治区|乌鲁木齐市:天山区,沙依巴克区,米东区|克拉玛依市:克拉玛依区,独山子区|吐鲁番市:高昌区,鄯善县|哈密市:伊州区|昌吉回族自治州:昌吉市,阜康市,玛纳斯县|喀什地区:喀什市,莎车县";

    /// (parent, children) pairs of the benchmark tree, the root's children first.
    fn bench_sibling_groups() -> Vec<(String, Vec<String>)> {
        let mut provinces = Vec::new();
        let mut groups = Vec::new();
        for line in BENCH_REGIONS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            let mut parts = line.split('|');
            let province = parts.next().unwrap_or_default().to_string();
            let mut cities = Vec::new();
            for item in parts {
                let (city, counties) = item.split_once(':').unwrap_or((item, ""));
                cities.push(city.to_string());
                let counties: Vec<String> = counties
                    .split(',')
                    .filter(|c| !c.is_empty())
                    .map(str::to_string)
                    .collect();
                groups.push((city.to_string(), counties));
            }
            groups.push((province.clone(), cities));
            provinces.push(province);
        }
        groups.insert(0, ("(root)".to_string(), provinces));
        groups
    }

    #[test]
    fn bench_region_tree_has_the_documented_size() {
        let groups = bench_sibling_groups();
        let names: usize = groups.iter().map(|(_, children)| children.len()).sum();
        assert_eq!(groups.first().map(|(_, p)| p.len()), Some(31));
        assert_eq!(names, 31 + 160 + 560);
    }

    #[test]
    fn every_bench_region_gets_a_one_word_ascii_slug_unique_among_siblings() {
        for (parent, children) in bench_sibling_groups() {
            let mut seen = std::collections::BTreeMap::new();
            for name in &children {
                let slug = region_slug(name);
                assert!(
                    !slug.is_empty()
                        && slug
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
                    "{name} → {slug:?}"
                );
                if let Some(other) = seen.insert(slug.clone(), name.clone()) {
                    panic!("{other} and {name} under {parent} both give {slug}");
                }
            }
        }
    }

    #[test]
    fn region_slugs_of_the_task_examples() {
        let cases = [
            ("四川省", "sichuan"),
            ("广元市", "guangyuan"),
            ("旺苍县", "wangcang"),
            ("重庆市", "chongqing"),
            ("北碚区", "beibei"),
            ("长沙市", "changsha"),
            ("厦门市", "xiamen"),
            ("鎮江市", "zhenjiang"),
            ("绵阳市", "mianyang"),
            ("六安市", "luan"),
            ("蚌埠市", "bengbu"),
            ("番禺区", "panyu"),
            ("乐山市", "leshan"),
            ("莘县", "shenxian"),
            ("郫都区", "pidu"),
            ("亳州市", "bozhou"),
            ("台州市", "taizhou"),
            ("丽水市", "lishui"),
            ("洪洞县", "hongtong"),
            ("黄陂区", "huangpi"),
            ("珲春市", "hunchun"),
            ("涡阳县", "guoyang"),
            ("歙县", "shexian"),
            ("荥阳市", "xingyang"),
            ("枞阳县", "zongyang"),
            ("犍为县", "qianwei"),
            ("单县", "shanxian"),
            ("曲阜市", "qufu"),
            ("东阿县", "donge"),
        ];
        for (name, slug) in cases {
            assert_eq!(region_slug(name), slug, "{name}");
        }
    }

    #[test]
    fn region_slugs_drop_autonomous_suffixes_with_their_ethnic_names() {
        let cases = [
            ("广西壮族自治区", "guangxi"),
            ("内蒙古自治区", "neimenggu"),
            ("新疆维吾尔自治区", "xinjiang"),
            ("西藏自治区", "xizang"),
            ("宁夏回族自治区", "ningxia"),
            ("甘孜藏族自治州", "ganzi"),
            ("阿坝藏族羌族自治州", "aba"),
            ("北川羌族自治县", "beichuan"),
            ("石柱土家族自治县", "shizhu"),
            ("海西蒙古族藏族自治州", "haixi"),
            ("红河哈尼族彝族自治州", "honghe"),
            ("延邊朝鮮族自治州", "yanbian"),
            ("廣西壯族自治區", "guangxi"),
            ("香港特别行政区", "xianggang"),
        ];
        for (name, slug) in cases {
            assert_eq!(region_slug(name), slug, "{name}");
        }
    }

    #[test]
    fn region_slugs_drop_exactly_one_other_suffix() {
        let cases = [
            ("浦东新区", "pudong"),
            ("喀什地区", "kashi"),
            ("神农架林区", "shennongjia"),
            ("锡林郭勒盟", "xilinguole"),
            ("准格尔旗", "zhungeer"),
            ("辉县市", "huixian"),
            ("津市市", "jinshi"),
            ("沙县区", "shaxian"),
            ("泸县", "luxian"),
            ("高新区", "gaoxin"),
            ("陕西省", "shaanxi"),
            ("山西省", "shanxi"),
            ("重慶市", "chongqing"),
            ("廈門市", "xiamen"),
            ("長沙縣", "changsha"),
            ("于都县", "yudu"),
            ("乐清市", "yueqing"),
            ("闵行区", "minhang"),
            ("佛山市", "foshan"),
            ("长宁县", "changning"),
            (" 四川省 ", "sichuan"),
        ];
        for (name, slug) in cases {
            assert_eq!(region_slug(name), slug, "{name}");
        }
    }

    #[test]
    fn region_slug_is_never_empty() {
        assert_eq!(region_slug(""), "region");
        assert_eq!(region_slug("省"), "sheng");
        assert_eq!(region_slug("——"), "region");
        assert_eq!(region_slug("🏙"), "region");
    }

    #[test]
    fn pinyin_slug_reads_simplified_titles() {
        assert_eq!(
            pinyin_slug("四川首次举办局县科技会商"),
            "si-chuan-shou-ci-ju-ban-ju-xian-ke-ji-hui-shang"
        );
        assert_eq!(pinyin_slug("科技创新"), "ke-ji-chuang-xin");
        assert_eq!(pinyin_slug("绿色家居"), "lv-se-jia-ju");
    }

    #[test]
    fn pinyin_slug_reads_traditional_titles() {
        assert_eq!(pinyin_slug("鎮江"), "zhen-jiang");
        assert_eq!(
            pinyin_slug("以科技為引領唱好“雙城記”"),
            "yi-ke-ji-wei-yin-ling-chang-hao-shuang-cheng-ji"
        );
        assert_eq!(pinyin_slug("數字經濟"), "shu-zi-jing-ji");
        assert_eq!(
            pinyin_slug("重慶銀行業發展"),
            "chong-qing-yin-hang-ye-fa-zhan"
        );
    }

    #[test]
    fn pinyin_slug_uses_phrase_readings_for_polyphones() {
        assert_eq!(pinyin_slug("重庆"), "chong-qing");
        assert_eq!(
            pinyin_slug("长沙长春长江长三角"),
            "chang-sha-chang-chun-chang-jiang-chang-san-jiao"
        );
        assert_eq!(pinyin_slug("建立长效机制"), "jian-li-chang-xiao-ji-zhi");
        assert_eq!(pinyin_slug("重大重要重点"), "zhong-da-zhong-yao-zhong-dian");
        assert_eq!(pinyin_slug("银行行业发展"), "yin-hang-hang-ye-fa-zhan");
        assert_eq!(pinyin_slug("厦门"), "xia-men");
        assert_eq!(pinyin_slug("破解卡脖子难题"), "po-jie-qia-bo-zi-nan-ti");
        // single-character default readings stay where no phrase applies
        assert_eq!(
            pinyin_slug("市长调研经济增长"),
            "shi-zhang-diao-yan-jing-ji-zeng-zhang"
        );
    }

    #[test]
    fn longer_competing_phrase_blocks_a_false_match() {
        // 行业 must not be read inside 进行业务 (进行 + 业务)
        assert_eq!(pinyin_slug("进行业务"), "jin-xing-ye-wu");
        assert_eq!(pinyin_slug("企业成长期"), "qi-ye-cheng-zhang-qi");
    }

    #[test]
    fn pinyin_slug_keeps_ascii_runs_as_words() {
        assert_eq!(pinyin_slug("5G网络"), "5g-wang-luo");
        assert_eq!(pinyin_slug("R&D经费投入"), "r-d-jing-fei-tou-ru");
        assert_eq!(pinyin_slug("２０２４年ＡＩ大会"), "2024-nian-ai-da-hui");
        assert_eq!(pinyin_slug("增幅达32.4%"), "zeng-fu-da-32-4");
        assert_eq!(pinyin_slug("  --Hello,   World!! "), "hello-world");
    }

    #[test]
    fn pinyin_slug_without_readable_text_falls_back() {
        assert_eq!(pinyin_slug(""), "article");
        assert_eq!(pinyin_slug("“”——！？……"), "article");
        assert_eq!(pinyin_slug("🚀🎉"), "article");
    }

    #[test]
    fn pinyin_slug_is_shortened_at_a_dash() {
        let title =
            "加快培育新质生产力 以科技创新推动产业创新——解读《镇江市科技创新引领产业强市行动方案》";
        let slug = pinyin_slug(title);
        assert_eq!(slug, "jia-kuai-pei-yu-xin-zhi-sheng-chan-li-yi-ke-ji");
        assert!(slug.len() <= 48);
        // a word ending exactly at 48 is kept whole
        let exact = format!("{}-{}", "a".repeat(40), "bbbbbbb");
        assert_eq!(exact.len(), 48);
        assert_eq!(shorten_at_dash(&format!("{exact}-cc"), 48), exact);
        // one word longer than the limit is cut inside it
        assert_eq!(pinyin_slug(&"x".repeat(60)), "x".repeat(48));
    }

    #[test]
    fn lengthened_slugs_continue_the_cut_one_up_to_their_limit() {
        let title = "加快培育新质生产力 以科技创新推动产业创新——解读《镇江市科技创新引领产业强市行动方案》";
        let words = slug_words(title);
        let cut = pinyin_slug(title);
        let n = cut.split('-').count();
        assert_eq!(lengthened_slug(&words, n).as_deref(), Some(cut.as_str()));
        assert_eq!(lengthened_slug(&words, n + 1), Some(format!("{cut}-chuang")));
        assert_eq!(lengthened_slug(&words, 0), None);
        assert_eq!(lengthened_slug(&words, words.len() + 1), None, "no more words to read");
        let longest = (1..=words.len()).filter_map(|k| lengthened_slug(&words, k)).next_back().unwrap_or_default();
        assert!(longest.len() <= MAX_LENGTHENED_SLUG_LEN && longest.len() > MAX_LENGTHENED_SLUG_LEN - 10, "{longest}");
        assert!(is_valid_slug(&longest));
        assert_eq!(lengthened_slug(&["x".repeat(129)], 1), None);
    }

    #[test]
    fn every_slug_made_is_valid() {
        let long_ascii = "x".repeat(100);
        let long_han = "科技创新".repeat(20);
        let titles = [
            "携手共谋县域创新 四川首次举办局县科技会商",
            "北碚:以科技為引領(lǐng)唱好“雙城記”",
            "R&D",
            "-a--b-",
            "é",
            "🚀科技🚀",
            "２０２４",
            &long_ascii,
            &long_han,
        ];
        for title in titles {
            let slug = pinyin_slug(title);
            assert!(is_valid_slug(&slug), "{title} → {slug}");
            assert!(slug.len() <= 48, "{title} → {slug}");
        }
    }

    #[test]
    fn is_valid_slug_accepts_only_lowercase_words_with_single_dashes() {
        for good in ["a", "5g", "si-chuan", "2024-nian-ke-ji"] {
            assert!(is_valid_slug(good), "{good}");
        }
        for bad in [
            "", "-a", "a-", "a--b", "A", "si_chuan", "si chuan", "四川", "ü",
        ] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
    }

    #[test]
    fn sort_keys_order_provinces_by_pinyin() {
        let mut names = vec![
            "重庆市",
            "北京市",
            "安徽省",
            "长沙市",
            "广东省",
            "四川省",
            "浙江省",
            "澳门",
        ];
        names.sort_by_key(|name| pinyin_sort_key(name));
        assert_eq!(
            names,
            [
                "安徽省",
                "澳门",
                "北京市",
                "长沙市",
                "重庆市",
                "广东省",
                "四川省",
                "浙江省"
            ]
        );
    }

    #[test]
    fn every_phrase_is_found_where_it_starts() {
        for (key, reading) in PHRASES {
            let (len, found) = longest_phrase_at(&format!("{key}科技")).unwrap_or((0, ""));
            assert!(len >= key.len(), "{key}");
            if len == key.len() {
                assert_eq!(found, *reading);
            }
        }
        assert_eq!(longest_phrase_at("科技"), None);
        assert_eq!(longest_phrase_at(""), None);
    }

    #[test]
    fn sort_key_and_slug_together_are_those_made_apart() {
        for title in ["重庆市长寿区：科技创新“加速跑”", "鎮江市科技創新引領產業強市", "5G网络建设 R&D", "", "！？"] {
            assert_eq!(pinyin_sort_key_and_slug(title), (pinyin_sort_key(title), pinyin_slug(title)), "{title}");
        }
        for title in awkward_strings() {
            assert_eq!(pinyin_sort_key_and_slug(&title), (pinyin_sort_key(&title), pinyin_slug(&title)), "{title:?}");
        }
    }

    #[test]
    fn sort_keys_of_equal_readings_still_differ() {
        let a = pinyin_sort_key("科技");
        let b = pinyin_sort_key("可记");
        assert_ne!(a, b);
        assert!(a.starts_with("ke ji\u{1f}") && b.starts_with("ke ji\u{1f}"));
        // a name sorts before its longer continuation
        assert!(pinyin_sort_key("重庆") < pinyin_sort_key("重庆市"));
        assert!(pinyin_sort_key("重慶") < pinyin_sort_key("重庆市"));
    }

    #[test]
    fn phrase_table_is_sorted_unique_and_well_formed() {
        for pair in PHRASES.windows(2) {
            if let [(a, _), (b, _)] = pair {
                assert!(a.as_bytes() < b.as_bytes(), "{a} must sort before {b}");
            }
        }
        let longest = PHRASES.iter().map(|(key, _)| key.chars().count()).max();
        assert_eq!(longest, Some(MAX_PHRASE_CHARS));
        for (key, reading) in PHRASES {
            assert!(key.chars().count() >= 2 && key.chars().all(is_han), "{key}");
            assert!(
                reading
                    .split(' ')
                    .all(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase())),
                "{reading}"
            );
        }
    }

    #[test]
    fn is_han_covers_simplified_traditional_and_extensions() {
        assert!("重慶长沙鎮江〇𠀀".chars().all(is_han));
        assert!(!"a5，。“Ａ🚀ー".chars().any(is_han));
    }

    /// Deterministic pseudo-random strings over an alphabet of awkward characters.
    fn awkward_strings() -> impl Iterator<Item = String> {
        const ALPHABET: &[char] = &[
            '重', '庆', '長', '沙', '县', '区', '自', '治', '族', '行', '银', 'A', 'z', '5', '-',
            ' ', '\n', '。', '“', '”', '&', '５', 'Ｇ', 'é', '\u{301}', '🚀', '\u{200D}', '〇',
            '𠀀',
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        (0..2000).map(move |_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let len = usize::try_from(state >> 58).unwrap_or(0);
            (0..len)
                .map(|_| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1);
                    let index = usize::try_from(state >> 33).unwrap_or(0) % ALPHABET.len();
                    ALPHABET.get(index).copied().unwrap_or('a')
                })
                .collect()
        })
    }

    #[test]
    fn slugs_of_awkward_input_are_always_valid() {
        for text in awkward_strings() {
            let slug = pinyin_slug(&text);
            assert!(
                is_valid_slug(&slug) && slug.len() <= 48,
                "{text:?} → {slug}"
            );
            let region = region_slug(&text);
            assert!(
                is_valid_slug(&region) && !region.contains('-'),
                "{text:?} → {region}"
            );
            assert!(pinyin_sort_key(&text).ends_with(text.as_str()));
        }
    }
}
