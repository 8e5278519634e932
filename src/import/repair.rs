//! Character-level repairs of scraped page text: pinyin glued after characters, stray
//! HTML fragments, damaged characters, and full-width/half-width punctuation and spacing.

/// Whether `c` is a CJK ideograph (the characters of Chinese words).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F) || c == '〇'
}

/// Whether `c` is full-width punctuation used in Chinese text (including quotes).
pub fn is_cjk_punct(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65)
        || matches!(c, '“' | '”' | '‘' | '’' | '…' | '—' | '·')
}

/// Whether `c` belongs to Chinese running text (ideograph or its punctuation).
pub fn is_chinese(c: char) -> bool {
    is_cjk(c) || is_cjk_punct(c)
}

/// Vowels with tone marks: a parenthesised run of letters containing one is pinyin.
const TONE_VOWELS: &str = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ";

fn is_pinyin_letter(c: char) -> bool {
    c.is_ascii_lowercase() || c == 'ü' || TONE_VOWELS.contains(c)
}

/// The placeholder written for a character the page lost (as Chinese editors do).
pub const LOST_CHARACTER: char = '□';

/// Result of repairing one line: the text and what could not be repaired.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Repaired {
    pub text: String,
    pub warnings: Vec<String>,
}

/// All character-level repairs, in order, on one line of page text.
pub fn repair_line(line: &str) -> Repaired {
    let cleaned: String = line
        .chars()
        .filter(|c| !matches!(c, '\u{200B}'..='\u{200D}' | '\u{FEFF}' | '\u{00AD}'))
        .map(|c| if c == '\u{00A0}' || c == '\u{3000}' || c == '\t' { ' ' } else { c })
        .collect();
    let mut warnings = Vec::new();
    let text = remove_pinyin_annotations(&cleaned);
    let text = repair_tag_fragments(&text);
    let text = mark_lost_characters(&text, &mut warnings);
    let text = realign_gbk_mojibake(&text);
    if has_damaged_question_mark(&text) {
        warnings.push(format!("damaged characters ('?' inside Chinese text) kept as is: {}", excerpt_around_question_mark(&text)));
    }
    warnings.extend(unreadable_character_warnings(&text));
    warnings.extend(stray_letter_warnings(&text));
    Repaired { text, warnings }
}

/// Private-use code points (U+E000–U+F8FF and the supplementary planes 15–16) mean
/// nothing outside the font or encoding table that produced them, and U+FFFD is a
/// character a decoder could not read: either way a character of the page is lost.
/// They are kept as they are (the reviewer may know the character) and reported.
fn unreadable_character_warnings(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .enumerate()
        .filter(|(_, c)| is_private_use(**c) || **c == char::REPLACEMENT_CHARACTER)
        .map(|(at, &c)| {
            let what = if c == char::REPLACEMENT_CHARACTER { "an unreadable character" } else { "a private-use character" };
            format!("damaged text: {what} U+{:04X} (no standard meaning) kept as is: {}", c as u32, excerpt(&chars, at))
        })
        .collect()
}

fn is_private_use(c: char) -> bool {
    matches!(c as u32, 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD)
}

/// Mojibake such as `燃□鉁u輪`: when a double-byte character is read with the wrong
/// table or alignment, its second byte (0x40–0x7E) comes out as an ASCII letter glued
/// to a rare ideograph. One lower-case letter with an ideograph directly on both sides
/// is such a leftover; written Chinese puts Latin letters between ideographs only as
/// words or capitals (`R&D`, `5G`, `A股`, `B超`, `17共享網`), which are not reported.
fn stray_letter_warnings(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    (1..chars.len())
        .filter(|&at| {
            let letter = chars.get(at).is_some_and(|c| c.is_ascii_lowercase());
            let before = chars.get(at - 1).is_some_and(|c| is_cjk(*c));
            let after = chars.get(at + 1).is_some_and(|c| is_cjk(*c));
            letter && before && after
        })
        .map(|at| {
            let letter = chars.get(at).copied().unwrap_or('?');
            format!("damaged text: a stray Latin letter '{letter}' inside Chinese words (mis-decoded bytes) kept as is: {}", excerpt(&chars, at))
        })
        .collect()
}

/// Up to six characters either side of `at`; code points that do not print are shown
/// as `<U+XXXX>` so that the review line can be read.
fn excerpt(chars: &[char], at: usize) -> String {
    let start = at.saturating_sub(6);
    chars
        .iter()
        .skip(start)
        .take(13)
        .map(|&c| if is_private_use(c) || c == char::REPLACEMENT_CHARACTER || c.is_control() { format!("<U+{:04X}>", c as u32) } else { c.to_string() })
        .collect()
}

/// `引領(lǐng)` → `引領`: pages that annotate characters with pinyin in parentheses.
pub fn remove_pinyin_annotations(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut index = 0;
    while let Some(&c) = chars.get(index) {
        out.push(c);
        index += 1;
        if is_cjk(c) {
            if let Some(length) = pinyin_annotation_length(&chars, index) {
                index += length;
            }
        }
    }
    out
}

/// Length in chars of a `(pinyin)` annotation starting at `start`, if there is one.
fn pinyin_annotation_length(chars: &[char], start: usize) -> Option<usize> {
    let open = *chars.get(start)?;
    if open != '(' && open != '（' {
        return None;
    }
    let letters = chars.get(start + 1..)?.iter().take_while(|c| is_pinyin_letter(**c)).count();
    let close = *chars.get(start + 1 + letters)?;
    let has_tone = chars.get(start + 1..start + 1 + letters)?.iter().any(|c| TONE_VOWELS.contains(*c) || *c == 'ü');
    ((1..=7).contains(&letters) && has_tone && (close == ')' || close == '）')).then_some(letters + 2)
}

/// `?lián)` is a character whose bytes were merged with its `(`: the character is lost.
fn mark_lost_characters(text: &str, warnings: &mut Vec<String>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut index = 0;
    while let Some(&c) = chars.get(index) {
        let letters = chars.get(index + 1..).map_or(0, |rest| rest.iter().take_while(|c| is_pinyin_letter(**c)).count());
        let closes = chars.get(index + 1 + letters) == Some(&')');
        let has_tone = chars.get(index + 1..index + 1 + letters).is_some_and(|s| s.iter().any(|c| TONE_VOWELS.contains(*c)));
        if c == '?' && closes && has_tone && (1..=7).contains(&letters) {
            let reading: String = chars.get(index + 1..index + 1 + letters).map(|s| s.iter().collect()).unwrap_or_default();
            warnings.push(format!("a character read '{reading}' was lost in the page; written as {LOST_CHARACTER}"));
            out.push(LOST_CHARACTER);
            index += letters + 2;
        } else {
            out.push(c);
            index += 1;
        }
    }
    out
}

/// `转移?/p>` → `转移”`: a closing quote whose bytes swallowed the `<` of `</p>`; plain
/// leftover tags (`</p>`, `<o:p>`) are removed.
fn repair_tag_fragments(text: &str) -> String {
    const DAMAGED_TAGS: [&str; 7] = ["?/p>", "?o:p>", "?/o:p>", "?/span>", "?/div>", "?br>", "?br/>"];
    // `。”</p>` whose bytes were mangled reads `?!?/p>`.
    let mut out = DAMAGED_TAGS.iter().fold(text.to_string(), |t, tag| t.replace(&format!("?!{tag}"), &format!("。{tag}")));
    if out.ends_with("?!") && out.chars().rev().nth(2).is_some_and(is_chinese) {
        out.truncate(out.len() - 2);
        out.push('。');
    }
    for damaged in DAMAGED_TAGS {
        if out.contains(damaged) {
            let opens = out.matches('“').count();
            let closes = out.matches('”').count();
            let replacement = if opens > closes { "”" } else { "" };
            out = out.replace(damaged, replacement);
        }
    }
    for tag in ["</p>", "<p>", "<o:p>", "</o:p>", "<br>", "<br/>", "<br />", "</span>", "</div>"] {
        out = out.replace(tag, "");
    }
    out
}

/// GBK text decoded one byte late reads `?!笔锌萍季志珠L` for `。”市科技局局長`: the
/// lost byte is the lead byte 0xA1 of `。`, and `！` stands for the bytes A3 A1. When
/// re-reading the run one byte earlier gives `。”` and ideographs only, use that.
fn realign_gbk_mojibake(text: &str) -> String {
    let Some(start) = text.find("?!") else { return text.to_string() };
    let (before, rest) = text.split_at(start);
    let after_marker = rest.get(2..).unwrap_or_default();
    let run: String = after_marker.chars().take_while(|c| is_cjk(*c)).collect();
    let Some(last) = after_marker.get(run.len()..).and_then(|t| t.chars().next()).filter(|c| c.is_ascii_alphanumeric()) else {
        return text.to_string();
    };
    let (encoded, _, unmappable) = encoding_rs::GBK.encode(&run);
    if unmappable || run.chars().count() < 4 {
        return text.to_string();
    }
    let mut bytes = vec![0xA1, 0xA3, 0xA1];
    bytes.extend_from_slice(&encoded);
    bytes.push(last as u8);
    let Some(decoded) = encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(&bytes) else {
        return text.to_string();
    };
    let words = decoded.strip_prefix("。”").filter(|w| !w.is_empty() && w.chars().all(is_cjk));
    match words {
        Some(_) => format!("{before}{decoded}{}", after_marker.get(run.len() + 1..).unwrap_or_default()),
        None => text.to_string(),
    }
}

/// A `?` between Chinese text and `!`, `/` or a Latin letter is a character the page
/// lost (a genuine question mark is followed by Chinese, a quote, a space or nothing).
fn has_damaged_question_mark(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(3).any(|w| matches!(w, [before, '?', after] if is_chinese(*before) && (*after == '!' || *after == '/' || after.is_ascii_alphabetic())))
}

fn excerpt_around_question_mark(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = chars.iter().position(|&c| c == '?').unwrap_or(0);
    excerpt(&chars, at)
}

/// Body text normalisation: ASCII punctuation inside Chinese becomes full-width, spaces
/// that only separate Chinese punctuation or split a number (`5月1 3日`) are removed.
pub fn normalize_punctuation(text: &str) -> String {
    let widened = widen_punctuation(text);
    remove_stray_spaces(&widened)
}

/// `,` in Chinese text → `，`, `;` `:` `?` `!` after Chinese → full-width; `(…)`
/// around Chinese → `（…）`.
fn widen_punctuation(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    for (index, &c) in chars.iter().enumerate() {
        let previous = index.checked_sub(1).and_then(|i| chars.get(i)).copied();
        let next = chars.get(index + 1).copied();
        let after_chinese = previous.is_some_and(is_chinese);
        let before_digit = next.is_some_and(|n| n.is_ascii_digit());
        let wide = match c {
            ',' if is_chinese_comma(&chars, index) => '，',
            ';' if after_chinese => '；',
            ':' if after_chinese && !before_digit => '：',
            ':' if after_chinese => '：',
            '?' if after_chinese && next.is_none_or(|n| !n.is_ascii_alphanumeric()) => '？',
            '!' if after_chinese => '！',
            _ => c,
        };
        out.push(wide);
    }
    widen_parentheses(&out)
}

/// Whether the `,` at `index` separates clauses of Chinese text. It does when Chinese
/// is on either side, read across an ASCII word glued to the comma (`增幅达27%,R&D经费`:
/// `27%` leads back to 达, `R&D` on to 经). A thousands separator (`2,300`) and
/// English text (a comma followed by a space, ASCII words on both sides) stay.
fn is_chinese_comma(chars: &[char], index: usize) -> bool {
    let previous = index.checked_sub(1).and_then(|i| chars.get(i)).copied();
    let next = chars.get(index + 1).copied();
    if previous.is_some_and(is_chinese) {
        return true;
    }
    let between_digits = previous.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit());
    let english_spacing = next.is_none_or(|n| n.is_whitespace());
    if between_digits || english_spacing {
        return false;
    }
    let glued = |c: &&char| c.is_ascii_graphic() && **c != ',';
    let before = chars.get(..index).unwrap_or(&[]).iter().rev().find(|c| !glued(c));
    let after = chars.get(index + 1..).unwrap_or(&[]).iter().find(|c| !glued(c));
    before.is_some_and(|c| is_chinese(*c)) || after.is_some_and(|c| is_chinese(*c))
}

/// Pairs of ASCII parentheses whose content holds Chinese become full-width.
fn widen_parentheses(chars: &[char]) -> String {
    let mut out: Vec<char> = chars.to_vec();
    let mut open: Option<usize> = None;
    for index in 0..chars.len() {
        match chars.get(index) {
            Some('(') => open = Some(index),
            Some(')') => {
                if let Some(start) = open.take() {
                    let inner = chars.get(start + 1..index).unwrap_or(&[]);
                    if inner.iter().any(|c| is_cjk(*c)) {
                        if let Some(slot) = out.get_mut(start) {
                            *slot = '（';
                        }
                        if let Some(slot) = out.get_mut(index) {
                            *slot = '）';
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out.into_iter().collect()
}

fn remove_stray_spaces(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (index, &c) in chars.iter().enumerate() {
        if c == ' ' && is_stray_space(&chars, index) {
            continue;
        }
        out.push(c);
    }
    out
}

/// A space is stray when it touches Chinese punctuation, repeats, or splits digits
/// written between Chinese characters.
fn is_stray_space(chars: &[char], index: usize) -> bool {
    let previous = index.checked_sub(1).and_then(|i| chars.get(i)).copied();
    let next = chars.get(index + 1).copied();
    let (Some(previous), Some(next)) = (previous, next) else { return true };
    if previous == ' ' || is_cjk_punct(previous) || is_cjk_punct(next) {
        return true;
    }
    previous.is_ascii_digit() && next.is_ascii_digit() && digits_are_inside_chinese(chars, index)
}

fn digits_are_inside_chinese(chars: &[char], space: usize) -> bool {
    let before = chars.get(..space).unwrap_or(&[]).iter().rev().find(|c| !c.is_ascii_digit());
    let after = chars.get(space + 1..).unwrap_or(&[]).iter().find(|c| !c.is_ascii_digit());
    before.is_some_and(|c| is_cjk(*c)) && after.is_some_and(|c| is_cjk(*c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_annotations_are_removed_from_traditional_text() {
        assert_eq!(remove_pinyin_annotations("以科技為引領(lǐng)唱好“雙城記”"), "以科技為引領唱好“雙城記”");
        assert_eq!(remove_pinyin_annotations("綿陽(yáng)與北碚數(shù)據(jù)"), "綿陽與北碚數據");
    }

    #[test]
    fn parentheses_that_are_not_pinyin_stay() {
        assert_eq!(remove_pinyin_annotations("中國西部(旺苍)绿色家居"), "中國西部(旺苍)绿色家居");
        assert_eq!(remove_pinyin_annotations("首次公开募股(IPO)"), "首次公开募股(IPO)");
        assert_eq!(remove_pinyin_annotations("数量(a)项"), "数量(a)项");
    }

    #[test]
    fn lost_characters_become_placeholders_with_a_warning() {
        let repaired = repair_line("體現(xiàn)新?lián)?dāng),實現(xiàn)新作為");
        assert_eq!(repaired.text, "體現新□□,實現新作為");
        assert_eq!(repaired.warnings.len(), 2, "{:?}", repaired.warnings);
    }

    #[test]
    fn swallowed_closing_quote_is_restored() {
        let repaired = repair_line("表示：“推动两地科技成果双向转移?/p>");
        assert_eq!(repaired.text, "表示：“推动两地科技成果双向转移”");
        assert_eq!(repair_line("仍在推進?/p>").text, "仍在推進");
        assert_eq!(repair_line("表示：“兩地成果雙向轉移?!?/p>").text, "表示：“兩地成果雙向轉移。”");
        assert_eq!(repair_line("突破一批產業‘卡脖子’技術?!?o:p>").text, "突破一批產業‘卡脖子’技術。");
    }

    #[test]
    fn gbk_text_read_one_byte_late_is_realigned() {
        let repaired = repair_line("也是我們工作的主線主題?!笔锌萍季志珠L肖敬東表示");
        assert_eq!(repaired.text, "也是我們工作的主線主題。”市科技局局長肖敬東表示");
        assert!(repaired.warnings.is_empty(), "{:?}", repaired.warnings);
        // A real "?!" before ordinary words and a Latin letter stays as it is.
        assert_eq!(realign_gbk_mojibake("真的嗎?!我們的AI"), "真的嗎?!我們的AI");
    }

    #[test]
    fn question_mark_inside_chinese_is_reported() {
        let repaired = repair_line("工作的主線主題?!誤碼");
        assert!(!repaired.warnings.is_empty());
        assert!(repair_line("下一步如何做?").warnings.is_empty());
    }

    #[test]
    fn punctuation_is_widened_inside_chinese_only() {
        assert_eq!(normalize_punctuation("生态资源丰富,中国西部(旺苍)绿色家居"), "生态资源丰富，中国西部（旺苍）绿色家居");
        assert_eq!(normalize_punctuation("達1.8万家,備案2,300家"), "達1.8万家，備案2,300家");
        assert_eq!(normalize_punctuation("北碚:以科技為引領"), "北碚：以科技為引領");
        assert_eq!(normalize_punctuation("(2020-2022年)提出"), "（2020-2022年）提出");
        assert_eq!(normalize_punctuation("募股(IPO),可能"), "募股(IPO)，可能");
    }

    #[test]
    fn comma_between_chinese_clauses_is_widened_across_glued_ascii() {
        assert_eq!(
            normalize_punctuation("全县高新技术产业主营业务收入增幅达27%,R&D经费投入强度增幅达32.4%"),
            "全县高新技术产业主营业务收入增幅达27%，R&D经费投入强度增幅达32.4%"
        );
        assert_eq!(normalize_punctuation("全縣主營業務收入增幅達27%,R&D經費投入強度"), "全縣主營業務收入增幅達27%，R&D經費投入強度");
        assert_eq!(normalize_punctuation("PM2.5,臭氧濃度均有下降"), "PM2.5，臭氧濃度均有下降");
        assert_eq!(normalize_punctuation("采用AI,ML等技术"), "采用AI，ML等技术");
    }

    #[test]
    fn thousands_separators_and_english_commas_stay() {
        assert_eq!(normalize_punctuation("技术合同成交额达1,000亿元"), "技术合同成交额达1,000亿元");
        assert_eq!(normalize_punctuation("備案2,300家"), "備案2,300家");
        assert_eq!(normalize_punctuation("The plan, issued in 2024, covers R&D"), "The plan, issued in 2024, covers R&D");
        assert_eq!(normalize_punctuation("刊于 Nature,Science 等期刊"), "刊于 Nature,Science 等期刊");
    }

    #[test]
    fn private_use_and_unreadable_characters_are_kept_and_reported() {
        let repaired = repair_line("體現(xiàn)新?lián)\u{E2FD}?dāng),實現(xiàn)新作為");
        assert_eq!(repaired.text, "體現新□\u{E2FD}□,實現新作為");
        assert_eq!(repaired.warnings.len(), 3, "{:?}", repaired.warnings);
        assert!(repaired.warnings[2].contains("private-use character U+E2FD") && repaired.warnings[2].contains("新□<U+E2FD>□"), "{:?}", repaired.warnings);
        let simplified = repair_line("体现新担\u{F8FF}，实现新作为");
        assert_eq!(simplified.text, "体现新担\u{F8FF}，实现新作为");
        assert_eq!(simplified.warnings.len(), 1, "{:?}", simplified.warnings);
        assert!(repair_line("推动科技\u{FFFD}创新").warnings.iter().any(|w| w.contains("U+FFFD")));
        assert!(repair_line("体现新担当，实现新作为").warnings.is_empty());
    }

    #[test]
    fn a_stray_latin_letter_between_ideographs_is_reported() {
        let repaired = repair_line("中國航發燃氣鉁u輪研究院為代表");
        assert_eq!(repaired.text, "中國航發燃氣鉁u輪研究院為代表");
        assert_eq!(repaired.warnings.len(), 1, "{:?}", repaired.warnings);
        assert!(repaired.warnings[0].contains("'u'") && repaired.warnings[0].contains("鉁u輪"), "{:?}", repaired.warnings);
        assert_eq!(repair_line("中国航发燃气鉁u轮研究院").warnings.len(), 1);
    }

    #[test]
    fn mixed_chinese_and_latin_text_is_not_reported() {
        let fine = [
            "R&D經費投入強度增幅達32.4%",
            "建成5G基站1.2萬個",
            "PM2.5濃度下降",
            "四川軍民融合大型科學儀器共享平臺（即“17共享網”，www.17gxw.cn）",
            "A股上市公司",
            "做B超检查",
            "卡拉OK厅",
            "维生素C片",
            "的iPhone手机",
            "每平方米10kg以下",
        ];
        for text in fine {
            assert!(repair_line(text).warnings.is_empty(), "{text}: {:?}", repair_line(text).warnings);
        }
    }

    #[test]
    fn spaces_splitting_numbers_or_touching_punctuation_go() {
        assert_eq!(normalize_punctuation("5月1 3日，兩地"), "5月13日，兩地");
        assert_eq!(normalize_punctuation("旺苍县 ，地处"), "旺苍县，地处");
        assert_eq!(normalize_punctuation("记者 陈志奎"), "记者 陈志奎");
        assert_eq!(normalize_punctuation("R&D经费 2024 年"), "R&D经费 2024 年");
    }
}
