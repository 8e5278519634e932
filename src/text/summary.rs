//! Plain-text article summaries cut at a sentence end, word counts and reading time for
//! Chinese (simplified and traditional) mixed with Latin text.

use super::chars::is_alphanumeric;
use super::slug::is_han;

/// Appended when a summary has to be cut inside a sentence.
const ELLIPSIS: &str = "……";

/// Characters normalised beyond 1.5 × target, to see closing quotes and the character
/// after a sentence end.
const LOOKAHEAD_CHARS: usize = 16;

/// Punctuation dropped from the end of a cut summary before `……` is appended.
const SOFT_BEFORE_ELLIPSIS: &[char] = &[
    '，', '、', '；', '：', ',', ';', ':', '“', '‘', '《', '（', '(', '「', '『', '【',
];

/// Reading speed for Han characters, per minute.
const HAN_PER_MINUTE: u64 = 400;

/// Reading speed for Latin words, per minute.
const WORDS_PER_MINUTE: u64 = 200;

/// How a character behaves next to a whitespace run that is being collapsed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Width {
    /// Han, kana, hangul, CJK and full-width punctuation: no space beside them.
    Wide,
    /// Curly quotes, dashes, ellipsis, middle dot: used in both scripts; a space stays
    /// only if the other side is Latin.
    Neutral,
    /// Everything else (Latin letters, digits, ASCII punctuation).
    Narrow,
}

/// The opening text normalised to one line, and where its blocks ended.
struct Opening {
    chars: Vec<char>,
    /// Positions (in `chars`) where a block ended after 。, ……, a closing quote and the
    /// like. Blocks ending without punctuation (headings, lines broken mid-sentence in
    /// pasted text) are not counted as ends.
    block_ends: Vec<usize>,
    /// True when `plain` goes on beyond `chars`.
    truncated: bool,
}

/// Summary of an article body (`plain`: blocks separated by `\n`) of about
/// `target_chars` characters (~120 is usual). Ends at the sentence end (。！？, `!`, `?`,
/// `.` before a space or the end, with closing quotes such as `……。”`) or block end closest
/// to the target, at most 1.5 × target characters in. When the first sentence is longer,
/// it is cut at the target and `……` appended. Whitespace becomes one space between Latin
/// words and nothing next to Han text. Empty only when `plain` has no visible text.
///
/// Blocks are never glued: a block that ends without punctuation (a heading, a list item,
/// a table row, a bold line standing for a heading in pasted HTML) is followed by one space,
/// in Chinese as in Latin text: "以巴冲突再起3名巴勒斯坦人死亡 巴勒斯坦卫生部12日……", as
/// Chinese search engines and portals join a headline and its text. Chinese has no
/// spaces within running text, so a space there reads as the boundary it is; a 。 would
/// put words in the author's mouth, and dropping a leading heading would lose a summary's
/// only text when the heading is all there is. After 。！？…, closing quotes after them,
/// and ，、；： nothing is added (the punctuation already separates).
#[must_use]
pub fn summarize(plain: &str, target_chars: usize) -> String {
    let target = target_chars.max(1);
    let max_len = target.saturating_add(target / 2);
    let opening = normalize_opening(plain, max_len.saturating_add(LOOKAHEAD_CHARS));
    if opening.chars.is_empty() {
        return String::new();
    }
    match best_boundary(&opening, target, max_len) {
        Some(end) => opening.chars.iter().take(end).collect(),
        None => cut_inside_sentence(&opening.chars, target),
    }
}

/// Whether `plain` has a character a reader can see: false for an empty body, or one of
/// images, code blocks, spaces and invisible characters only. Decided as [`summarize`]
/// decides it (a summary is empty exactly when this is false); stops at the first such
/// character.
#[must_use]
pub fn has_visible_text(plain: &str) -> bool {
    plain.chars().any(|c| !c.is_whitespace() && !is_invisible(c))
}

/// Minutes to read `plain`: Han characters at 400 a minute plus Latin words at 200 a
/// minute, rounded up, at least 1.
#[must_use]
pub fn reading_minutes(plain: &str) -> u32 {
    TextLength::of(plain).reading_minutes()
}

/// Han characters plus Latin words (a run of letters/digits other than Han counts once).
#[must_use]
pub fn count_words(plain: &str) -> usize {
    TextLength::of(plain).words()
}

/// How long a text is: its Han characters and its runs of other letters and digits,
/// counted in one pass for both [`count_words`] and [`reading_minutes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextLength {
    han: usize,
    other_words: usize,
}

impl TextLength {
    #[must_use]
    pub fn of(plain: &str) -> TextLength {
        let (han, other_words) = count_han_and_words(plain);
        TextLength { han, other_words }
    }

    /// See [`count_words`].
    #[must_use]
    pub fn words(self) -> usize {
        self.han.saturating_add(self.other_words)
    }

    /// See [`reading_minutes`].
    #[must_use]
    pub fn reading_minutes(self) -> u32 {
        // han / 400 + words / 200, rounded up, in one integer division
        let weighted = (self.han as u64)
            .saturating_add((self.other_words as u64).saturating_mul(HAN_PER_MINUTE / WORDS_PER_MINUTE));
        let minutes = weighted.div_ceil(HAN_PER_MINUTE).max(1);
        u32::try_from(minutes).unwrap_or(u32::MAX)
    }
}

/// Counts Han characters and runs of other letters and digits.
fn count_han_and_words(plain: &str) -> (usize, usize) {
    let bytes = plain.as_bytes();
    let mut han = 0usize;
    let mut words = 0usize;
    let mut in_word = false;
    let mut i = 0;
    while let Some(&lead) = bytes.get(i) {
        // Most of a Chinese text is counted from its first byte, without decoding (this
        // runs over every article body): three-byte sequences led by E5..E9 are
        // U+5000..U+9FFF, and those led by E4 are U+4000..U+4FFF, all Han except
        // U+4DC0..U+4DFF (second byte B7).
        let han_by_lead = match lead {
            0xE5..=0xE9 => true,
            0xE4 => bytes.get(i + 1) != Some(&0xB7),
            _ => false,
        };
        if han_by_lead {
            han += 1;
            in_word = false;
            i += 3;
            continue;
        }
        let is_word_char = if lead.is_ascii() {
            i += 1;
            lead.is_ascii_alphanumeric()
        } else {
            let Some(c) = plain.get(i..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            i += c.len_utf8();
            if is_han(c) {
                han += 1;
                in_word = false;
                continue;
            }
            is_alphanumeric(c)
        };
        if is_word_char && !in_word {
            words += 1;
        }
        in_word = is_word_char;
    }
    (han, words)
}

/// Collapses whitespace in the first `limit` visible characters of `plain` and notes
/// where blocks end.
fn normalize_opening(plain: &str, limit: usize) -> Opening {
    let mut chars: Vec<char> = Vec::new();
    let mut block_ends = Vec::new();
    let mut pending_space = false;
    let mut pending_block_end = false;
    for c in plain.chars() {
        if c.is_whitespace() {
            pending_space = true;
            pending_block_end |= matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}');
            continue;
        }
        if is_invisible(c) {
            continue;
        }
        if chars.len() >= limit {
            return Opening {
                chars,
                block_ends,
                truncated: true,
            };
        }
        if let Some(&previous) = chars.last() {
            let closed = pending_block_end && ends_sentence(&chars);
            if closed {
                block_ends.push(chars.len());
            }
            let between_blocks = pending_block_end && !closed && !ends_clause(previous);
            if between_blocks || (pending_space && keeps_space_between(previous, c)) {
                chars.push(' ');
            }
        }
        pending_space = false;
        pending_block_end = false;
        chars.push(c);
    }
    Opening {
        chars,
        block_ends,
        truncated: false,
    }
}

/// True when the text ends a sentence: 。！？, `.`, or `…`, followed by any closing quotes
/// and brackets (`……”`, `。）`). A block ending so may end a summary.
fn ends_sentence(chars: &[char]) -> bool {
    chars
        .iter()
        .rev()
        .find(|&&c| !is_closer(c))
        .is_some_and(|&c| c == '…' || is_sentence_mark(c))
}

/// A comma, colon or semicolon: the next block reads on from it (`主要任务：` + a list).
fn ends_clause(c: char) -> bool {
    matches!(c, '，' | '、' | '；' | '：' | ',' | ';' | ':')
}

/// Zero-width and control characters that would only disturb the summary.
fn is_invisible(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

/// A collapsed whitespace run stays one space only between Latin text on both sides
/// (or Latin text and a quote or dash).
fn keeps_space_between(before: char, after: char) -> bool {
    let (left, right) = (width_class(before), width_class(after));
    left != Width::Wide && right != Width::Wide && (left == Width::Narrow || right == Width::Narrow)
}

/// Whether `c` takes spaces around it in running text; see [`Width`].
fn width_class(c: char) -> Width {
    if is_han(c) {
        return Width::Wide;
    }
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}' | '\u{2014}' | '\u{2026}'
        | '\u{00B7}' => Width::Neutral,
        '\u{1100}'..='\u{11FF}'
        | '\u{2E80}'..='\u{2FDF}'
        | '\u{3000}'..='\u{30FF}'
        | '\u{3130}'..='\u{318F}'
        | '\u{31F0}'..='\u{31FF}'
        | '\u{AC00}'..='\u{D7AF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FFEF}' => Width::Wide,
        _ => Width::Narrow,
    }
}

/// The sentence or block end closest to `target` that is at most `max_len` characters
/// in (the earlier one on a tie); the end of a short text counts too.
fn best_boundary(opening: &Opening, target: usize, max_len: usize) -> Option<usize> {
    let text_end =
        (!opening.truncated && opening.chars.len() <= max_len).then_some(opening.chars.len());
    sentence_ends(&opening.chars, opening.truncated)
        .into_iter()
        .chain(opening.block_ends.iter().copied())
        .chain(text_end)
        .filter(|&end| end > 0 && end <= max_len)
        .min_by_key(|&end| (end.abs_diff(target), end))
}

/// Positions just after each sentence end, including the closing quotes or brackets
/// that follow it.
fn sentence_ends(chars: &[char], truncated: bool) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        if !is_sentence_mark(c) {
            continue;
        }
        // a run such as ？！ or !! ends once, after its closing quotes
        while chars
            .get(i)
            .is_some_and(|&next| is_sentence_mark(next) || is_closer(next))
        {
            i += 1;
        }
        let after_digit = c == '.' && i >= 2 && chars.get(i - 2).is_some_and(char::is_ascii_digit);
        let ends_here = match chars.get(i).copied() {
            None => !truncated || !c.is_ascii(),
            // "1.加快…" numbers a list item; "in 2024. The" still ends a sentence
            Some(next) if after_digit => next == ' ',
            Some(next) => !c.is_ascii() || ascii_mark_ends_before(next),
        };
        if ends_here {
            ends.push(i);
        }
    }
    ends
}

/// 。！？ always end a sentence; ASCII `.`, `!`, `?` only before a space or Chinese text
/// (not in 3.5, example.com, ?id=1).
fn is_sentence_mark(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '｡' | '.' | '!' | '?')
}

fn ascii_mark_ends_before(next: char) -> bool {
    next == ' ' || width_class(next) != Width::Narrow
}

/// Closing quotes and brackets that belong to the sentence before them.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '”' | '’' | '」' | '』' | '）' | ')' | '】' | '》' | '〉' | '"' | '\'' | '］' | ']'
    )
}

/// The first `target` characters, moved off a combining sequence and a Latin word,
/// without trailing commas or spaces, followed by `……`.
fn cut_inside_sentence(chars: &[char], target: usize) -> String {
    let cut = avoid_splitting_word(
        chars,
        avoid_splitting_cluster(chars, target.min(chars.len())),
    );
    let head = chars.get(..cut).unwrap_or(chars);
    let trimmed = trim_trailing_soft_punctuation(head);
    let kept = if trimmed.is_empty() { head } else { trimmed };
    let mut summary: String = kept.iter().collect();
    summary.push_str(ELLIPSIS);
    summary
}

/// Moves a cut position forward past combining marks, variation selectors, emoji
/// modifiers, zero-width joiner sequences and the second half of a flag.
fn avoid_splitting_cluster(chars: &[char], mut cut: usize) -> usize {
    while let Some(&c) = chars.get(cut) {
        let after_joiner = cut > 0 && chars.get(cut - 1) == Some(&'\u{200D}');
        if !(is_extending(c) || after_joiner || splits_flag(chars, cut)) {
            break;
        }
        cut += 1;
    }
    cut
}

/// Characters that attach to the one before them.
fn is_extending(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{200C}'..='\u{200D}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{302A}'..='\u{302F}'
        | '\u{3099}'..='\u{309A}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FE20}'..='\u{FE2F}'
        | '\u{1F3FB}'..='\u{1F3FF}'
        | '\u{E0020}'..='\u{E007F}'
        | '\u{E0100}'..='\u{E01EF}')
}

/// True when a cut before `chars[cut]` would separate the two regional indicators of
/// a flag (an odd number of them precede the cut).
fn splits_flag(chars: &[char], cut: usize) -> bool {
    let is_regional = |c: &char| matches!(c, '\u{1F1E6}'..='\u{1F1FF}');
    let before = chars.get(..cut).unwrap_or_default();
    let run = before.iter().rev().take_while(|c| is_regional(c)).count();
    run % 2 == 1 && chars.get(cut).is_some_and(is_regional)
}

/// Moves a cut that falls inside a Latin word back to the word's start, unless the word
/// starts the text.
fn avoid_splitting_word(chars: &[char], cut: usize) -> usize {
    let is_latin = |c: &char| c.is_alphanumeric() && !is_han(*c);
    let inside_word =
        cut > 0 && chars.get(cut).is_some_and(is_latin) && chars.get(cut - 1).is_some_and(is_latin);
    if !inside_word {
        return cut;
    }
    let before = chars.get(..cut).unwrap_or_default();
    let word_len = before.iter().rev().take_while(|c| is_latin(c)).count();
    match cut - word_len {
        0 => cut,
        start => start,
    }
}

/// Drops trailing spaces, commas, colons and opening quotes, which read badly before `……`.
fn trim_trailing_soft_punctuation(chars: &[char]) -> &[char] {
    let is_soft = |c: &&char| c.is_whitespace() || SOFT_BEFORE_ELLIPSIS.contains(*c);
    let keep = chars.len() - chars.iter().rev().take_while(is_soft).count();
    chars.get(..keep).unwrap_or(chars)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Opening of seed 000 (simplified, ASCII punctuation as on the page, indented with
    /// no-break spaces).
    const SEED_WANGCANG: &str = "\u{a0}\u{a0}\u{a0}\u{a0}“地处秦巴山区的旺苍县生态资源丰富,中国西部(旺苍)绿色家居产业城发展态势良好,未来如何通过科技赋能实现相关产业高质量发展?”“通过实施《绿色家居加工关键技术研发项目》,可引导家具企业运用云计算、物联网、人工智能等,开展网络化协同制造、大规模个性化定制……”\n\n\u{a0}\u{a0}\u{a0}\u{a0}这是本月中旬,四川省广元市科学技术局与旺苍县人民政府开展“局县会商工作会议”的部分议题。\n\n\u{a0}\u{a0}\u{a0}\u{a0}旺苍县地处四川盆地北缘,是典型的秦巴山区兼革命老区,该县去年科技工作成绩不俗:全县高新技术产业主营业务收入增幅达27%,R&D经费投入强度增幅达32.4%,旺苍农业科技园区也成功获批创建省级农业科技示范园区。";

    /// Opening of seed 002 (traditional, the page's pronunciation notes removed).
    const SEED_BEIBEI: &str = "1月3日,中央財經委員會第六次會議作出的推動成渝地區雙城經濟圈建設重大決策,又一次把重慶和成都推到合作共贏的新起點。\n\n北碚具有兩江新區、中國(重慶)自由貿易試驗區、重慶高新區“三區疊加”的區位優勢,也處於成渝地區雙城經濟圈發展主軸上。北碚將搶抓戰略機遇,體現新擔當,實現新作為,加快推進主城都市區高質量發展。";

    /// Opening of seed 004 (traditional, full-width punctuation).
    const SEED_ZHENJIANG: &str = "鎮江新一輪創新發展藍圖已繪就。日前，市委辦公室和市政府辦公室印發《鎮江市科技創新引領產業強市行動方案》（下稱《行動方案》），奏響科技創新與產業創新深度融合的最強音。參與方案制定的相關專家表示，《行動方案》旨在充分發揮創新引領作用，以科技創新推動產業創新，大力發展新興產業和未來產業，加快培育新質生產力，為江蘇打造具有全球影響力的產業科技創新中心作出鎮江貢獻。";

    /// Opening of seed 003: a block without final punctuation, then one starting with ……
    const SEED_TASKS: &str = "力争全年高新技术企业达1.8万家,备案入库科技型中小企业2.3万家,技术合同成交额达2200亿元,科技信息服务业实现营业收入5600亿元,高新技术产业实现营业收入3万亿元\n\n……这是2024年四川省科技创新工作会议确定的新一年四川科技创新“任务书”。\n\n科技厅相关负责人表示,新的一年,四川将一手抓提升科技创新内核能\n\n级、一手抓打造一流创新生态,完善科技创新体系,优化创新资源布局。";

    fn char_len(s: &str) -> usize {
        s.chars().count()
    }

    #[test]
    fn quoted_paragraph_ending_in_ellipsis_ends_the_summary() {
        let summary = summarize(SEED_WANGCANG, 120);
        assert!(summary.starts_with("“地处秦巴山区的旺苍县"), "{summary}");
        assert!(summary.ends_with("大规模个性化定制……”"), "{summary}");
        assert_eq!(char_len(&summary), 129);
    }

    #[test]
    fn ascii_question_mark_before_a_quote_ends_a_sentence() {
        // 63 characters in; with a target of 60 it is the closest end
        let summary = summarize(SEED_WANGCANG, 60);
        assert!(summary.ends_with("高质量发展?”"), "{summary}");
        assert_eq!(char_len(&summary), 63);
    }

    #[test]
    fn traditional_text_is_cut_at_the_closest_sentence_end() {
        let summary = summarize(SEED_BEIBEI, 120);
        assert_eq!(
            summary,
            "1月3日,中央財經委員會第六次會議作出的推動成渝地區雙城經濟圈建設重大決策,又一次把重慶和成都推到合作共贏的新起點。北碚具有兩江新區、中國(重慶)自由貿易試驗區、重慶高新區“三區疊加”的區位優勢,也處於成渝地區雙城經濟圈發展主軸上。"
        );
        let summary = summarize(SEED_ZHENJIANG, 120);
        assert!(summary.ends_with("最強音。"), "{summary}");
        assert_eq!(char_len(&summary), 82);
    }

    #[test]
    fn block_without_final_punctuation_is_not_an_end() {
        let summary = summarize(SEED_TASKS, 120);
        // the two paragraphs are not glued: a space where the first has no punctuation
        assert!(summary.contains("3万亿元 ……这是2024年"), "{summary}");
        assert!(summary.ends_with("“任务书”。"), "{summary}");
        // the page's line broken inside 内核能级 is never taken as an end
        assert!(!summarize(SEED_TASKS, 150).ends_with("内核能"));
    }

    #[test]
    fn blocks_without_punctuation_are_separated_by_a_space() {
        // a heading and the paragraph after it, simplified and traditional
        assert_eq!(
            summarize("以巴冲突再起3名巴勒斯坦人死亡\n巴勒斯坦卫生部12日说，一名巴勒斯坦人死亡。", 120),
            "以巴冲突再起3名巴勒斯坦人死亡 巴勒斯坦卫生部12日说，一名巴勒斯坦人死亡。"
        );
        assert_eq!(
            summarize("北碚：以科技為引領唱好“雙城記”\n一、重點任務\n北碚將搶抓戰略機遇。", 120),
            "北碚：以科技為引領唱好“雙城記” 一、重點任務 北碚將搶抓戰略機遇。"
        );
        // mixed Chinese and Latin, table cells and list items
        assert_eq!(summarize("AI 赋能 Smart City\nThe plan\n5G 基站\n3 个", 120), "AI赋能Smart City The plan 5G基站 3个");
        // after sentence or clause punctuation the blocks join as they are
        assert_eq!(
            summarize("会议指出：\n要强化协同。\n“三区叠加”优势明显。”\nIt works.\nWell, yes", 120),
            "会议指出：要强化协同。“三区叠加”优势明显。” It works. Well, yes"
        );
        // a heading is not a sentence end: the summary does not stop after it
        let text = format!("二、主要任务\n{}", "加快建设科技创新平台。".repeat(20));
        assert_eq!(summarize(&text, 12), "二、主要任务 加快建设科技创新平台。");
        // a bracket or quote alone does not end a sentence either
        assert_eq!(summarize("《行动方案》\n正文第一句。", 9), "《行动方案》 正文第一句。");
    }

    #[test]
    fn overlong_first_sentence_is_cut_at_the_target_with_an_ellipsis() {
        // the 15-character first sentence fits 1.5 × 10, not 1.5 × 8
        assert_eq!(
            summarize(SEED_ZHENJIANG, 10),
            "鎮江新一輪創新發展藍圖已繪就。"
        );
        assert_eq!(summarize(SEED_ZHENJIANG, 8), "鎮江新一輪創新發……");
        // a comma at the cut is dropped before the ellipsis
        let summary = summarize("为加快实施创新驱动发展战略,全面推进大众创业", 13);
        assert_eq!(summary, "为加快实施创新驱动发展战略……");
        let summary = summarize("为加快实施创新驱动发展战略,全面推进大众创业", 14);
        assert_eq!(summary, "为加快实施创新驱动发展战略……");
    }

    #[test]
    fn sentence_end_closest_to_the_target_wins() {
        let sentences = [
            "一二三四五六七八九十。",
            "一二三四五六七八九十。",
            "一二三四五六七八九十。",
        ];
        let text = sentences.concat();
        assert_eq!(char_len(&summarize(&text, 12)), 11);
        assert_eq!(char_len(&summarize(&text, 20)), 22);
        assert_eq!(char_len(&summarize(&text, 17)), 22);
        // 16.5 away from both 11 and 22 → the earlier one
        assert_eq!(char_len(&summarize(&text, 16)), 11);
    }

    #[test]
    fn short_body_is_returned_whole() {
        assert_eq!(
            summarize("科技创新推动产业创新", 120),
            "科技创新推动产业创新"
        );
        assert_eq!(
            summarize("\n  北碚：以科技為引領唱好“雙城記”  \n", 120),
            "北碚：以科技為引領唱好“雙城記”"
        );
    }

    #[test]
    fn whitespace_collapses_to_one_space_only_between_latin_words() {
        assert_eq!(
            summarize("Science  and\n\ntechnology\tpolicy", 120),
            "Science and technology policy"
        );
        assert_eq!(
            summarize("四川省科技厅\u{3000}\u{3000}召开会议", 120),
            "四川省科技厅召开会议"
        );
        assert_eq!(
            summarize("推动 5G 网络建设，实现 AI 应用", 120),
            "推动5G网络建设，实现AI应用"
        );
        assert_eq!(
            summarize("He said “yes” and left", 120),
            "He said “yes” and left"
        );
        assert_eq!(
            summarize("用好科技这把“金钥匙” 解决难题", 120),
            "用好科技这把“金钥匙”解决难题"
        );
    }

    #[test]
    fn latin_sentence_ends_need_a_space_or_the_end_after_them() {
        let text = "The plan was approved by the council today. It covers 5G networks and AI.";
        assert_eq!(
            summarize(text, 45),
            "The plan was approved by the council today."
        );
        // decimals, domains and query strings are not sentence ends
        let text = "增幅达32.4%,详见www.most.gov.cn?id=1页面说明,其余内容从略并继续展开说明";
        assert_eq!(summarize(text, 10), "增幅达32.4%,详……");
        // a list number before Chinese text is not a sentence end, a year before a space is
        assert_eq!(
            summarize("一是强化创新。1.加快建设平台,推动产业升级", 9),
            "一是强化创新。"
        );
        assert_eq!(
            summarize("It opened in 2024. The plan works well", 18),
            "It opened in 2024."
        );
        // ASCII ! or ? right before Chinese text ends a sentence
        assert_eq!(
            summarize("真的吗?当然是真的,而且还有很多很多", 4),
            "真的吗?"
        );
    }

    #[test]
    fn cut_does_not_split_a_latin_word() {
        let summary = summarize(
            "Innovation drives development of regional technology policy everywhere",
            30,
        );
        assert_eq!(summary, "Innovation drives development……");
        // a single long word starting the text is cut inside
        assert_eq!(
            summarize(&"x".repeat(50), 10),
            format!("{}……", "x".repeat(10))
        );
    }

    #[test]
    fn cut_does_not_split_combining_or_emoji_sequences() {
        assert_eq!(
            summarize("科技e\u{301}\u{301}创新发展", 3),
            "科技e\u{301}\u{301}……"
        );
        let family = "👨\u{200D}👩\u{200D}👧";
        assert_eq!(
            summarize(&format!("科技{family}创新发展"), 3),
            format!("科技{family}……")
        );
        let flag = "\u{1F1E8}\u{1F1F3}";
        assert_eq!(
            summarize(&format!("中国{flag}创新发展"), 3),
            format!("中国{flag}……")
        );
    }

    #[test]
    fn never_empty_when_there_is_text() {
        assert_eq!(summarize("", 120), "");
        assert_eq!(summarize(" \n\u{3000}\u{a0}\t", 120), "");
        assert_eq!(summarize("科技", 0), "科……");
        assert_eq!(summarize("，，，，，，", 2), "，，……");
        assert_eq!(summarize("！", 120), "！");
    }

    #[test]
    fn counts_han_characters_and_latin_words() {
        assert_eq!(count_words("R&D经费投入强度增幅达32.4%"), 4 + 9);
        assert_eq!(count_words("以科技為引領唱好“雙城記”"), 11);
        assert_eq!(count_words("5G network 建设"), 2 + 2);
        assert_eq!(count_words("，。！ …… 🚀"), 0);
        assert_eq!(count_words(SEED_ZHENJIANG), 161);
    }

    /// The byte-level shortcut for U+5000..U+9FFF counts exactly what decoding every
    /// character would: around the edges of the shortcut's range and of `is_han`, next
    /// to kana, full-width letters, Latin words and four-byte characters.
    #[test]
    fn han_shortcut_counts_as_decoding_does() {
        fn by_chars(plain: &str) -> (usize, usize) {
            let (mut han, mut words, mut in_word) = (0, 0, false);
            for c in plain.chars() {
                let word_char = !is_han(c) && c.is_alphanumeric();
                han += usize::from(is_han(c));
                words += usize::from(word_char && !in_word);
                in_word = word_char;
            }
            (han, words)
        }
        let edges = [
            '\u{3006}', '\u{3007}', '\u{3041}', '\u{4000}', '\u{4DC5}', '\u{30A2}', '\u{33FF}', '\u{3400}', '\u{4DBF}', '\u{4DC0}', '\u{4DFF}',
            '\u{4E00}', '\u{4FFF}', '\u{5000}', '\u{9FFF}', '\u{A000}', '\u{AC00}', '\u{F900}', '\u{FF21}', '\u{20000}',
            '\u{1F680}', 'a', 'Z', '7', ' ', '。', '\u{00E9}',
        ];
        let mut text = String::new();
        for (i, &a) in edges.iter().enumerate() {
            for &b in &edges[i..] {
                text.extend([a, b, a]);
            }
        }
        assert_eq!(count_han_and_words(&text), by_chars(&text));
        assert_eq!(count_han_and_words(SEED_WANGCANG), by_chars(SEED_WANGCANG));
        assert_eq!(count_han_and_words(SEED_BEIBEI), by_chars(SEED_BEIBEI));
    }

    #[test]
    fn reading_time_rounds_up_and_is_at_least_one_minute() {
        assert_eq!(reading_minutes(""), 1);
        assert_eq!(reading_minutes(&"科".repeat(400)), 1);
        assert_eq!(reading_minutes(&"科".repeat(401)), 2);
        assert_eq!(reading_minutes(&"word ".repeat(200)), 1);
        assert_eq!(reading_minutes(&"word ".repeat(201)), 2);
        // 300 Han (0.75 min) + 100 words (0.5 min) = 1.25 → 2
        assert_eq!(
            reading_minutes(&format!("{}{}", "創".repeat(300), " tech".repeat(100))),
            2
        );
        assert_eq!(reading_minutes(&SEED_BEIBEI.repeat(10)), 4);
    }

    #[test]
    fn summaries_of_awkward_input_are_trimmed_single_lines() {
        const ALPHABET: &[char] = &[
            '科',
            '技',
            '。',
            '！',
            '?',
            '.',
            '!',
            '”',
            '“',
            '，',
            ' ',
            '\n',
            '\u{3000}',
            'a',
            'B',
            '7',
            '…',
            '\u{301}',
            '\u{200D}',
            '🚀',
            '\u{1F1E8}',
            '\u{FEFF}',
            '\u{0}',
        ];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move |bound: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            usize::try_from(state >> 33).unwrap_or(0) % bound
        };
        for _ in 0..3000 {
            let len = next(60);
            let text: String = (0..len)
                .filter_map(|_| ALPHABET.get(next(ALPHABET.len())).copied())
                .collect();
            let target = next(40);
            let summary = summarize(&text, target);
            let visible = text.chars().any(|c| !c.is_whitespace() && !is_invisible(c));
            assert_eq!(summary.is_empty(), !visible, "{text:?}");
            assert_eq!(summary.trim(), summary, "{text:?}");
            assert!(!summary.contains('\n'), "{text:?}");
        }
    }
}
