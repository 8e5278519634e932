//! Text terms for similarity scoring: Han character bigrams (traditional folded to simplified) and lowercase Latin words, as stable `u64` ids.
//!
//! Chinese has no spaces, so each run of Han characters yields its overlapping character
//! bigrams (`科技创新` → 科技, 技创, 创新); a run of one character yields that character.
//! Latin letters and digits form words; pure numbers and one-letter words are dropped
//! because amounts, dates and initials say nothing about what an article is about.
//! Ids are stable on every platform and run: Han terms encode their code points exactly,
//! Latin words are FNV-1a hashes.

/// A term id: a Han bigram, a single Han character, or a lowercase Latin word.
pub type TermId = u64;

/// Similarity (related articles) reads at most this many characters of an article's
/// title and of its body, which bounds the work on huge articles (see `term_bag`).
pub const SIMILARITY_CHARS: usize = 6000;

/// All terms of `text` in reading order, repeats included (callers count frequencies).
pub fn text_terms(text: &str) -> Vec<TermId> {
    let mut terms = Vec::with_capacity(text.len() / 3);
    for_each_term(text, |t| terms.push(t));
    terms
}

/// Calls `f` with each term of `text` in reading order, repeats included: [`text_terms`]
/// without the list, for callers that only count.
pub fn for_each_term(text: &str, f: impl FnMut(TermId)) {
    for_each_term_of(text.chars(), f);
}

/// [`for_each_term`] over characters, such as a text's first `n`: `text.chars().take(n)`.
pub fn for_each_term_of(chars: impl Iterator<Item = char>, mut f: impl FnMut(TermId)) {
    let mut han_run = HanRun::default();
    let mut word = String::new();
    for raw in chars {
        // Han characters first: they are most of the text, and `fold_width` keeps them.
        if is_han(raw) {
            if !word.is_empty() {
                flush_word(&mut word, &mut f);
            }
            han_run.push(to_simplified(raw), &mut f);
            continue;
        }
        let c = fold_width(raw);
        han_run.finish(&mut f);
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        } else {
            flush_word(&mut word, &mut f);
        }
    }
    han_run.finish(&mut f);
    flush_word(&mut word, &mut f);
}

/// The state of the current run of Han characters.
#[derive(Default)]
struct HanRun {
    previous: Option<char>,
    emitted_bigram: bool,
}

impl HanRun {
    fn push(&mut self, c: char, f: &mut impl FnMut(TermId)) {
        if let Some(prev) = self.previous {
            f(bigram_id(prev, c));
            self.emitted_bigram = true;
        }
        self.previous = Some(c);
    }

    /// Ends the run; a lone character between non-Han text still counts as a term.
    fn finish(&mut self, f: &mut impl FnMut(TermId)) {
        if let (Some(c), false) = (self.previous, self.emitted_bigram) {
            f(unigram_id(c));
        }
        *self = HanRun::default();
    }
}

fn flush_word(word: &mut String, f: &mut impl FnMut(TermId)) {
    if word.is_empty() {
        return;
    }
    let has_letter = word.bytes().any(|b| b.is_ascii_alphabetic());
    if has_letter && word.len() >= 2 {
        f(word_id(word));
    }
    word.clear();
}

// The top bits say what a term is, so a Han bigram, a lone character and a word never
// share an id. Han terms are encoded exactly (a code point fits in 21 bits); words are
// hashed.
const KIND_BIGRAM: u64 = 1 << 62;
const KIND_UNIGRAM: u64 = 1 << 61;
const KIND_WORD: u64 = 1 << 60;

fn bigram_id(first: char, second: char) -> TermId {
    KIND_BIGRAM | u64::from(u32::from(first)) << 21 | u64::from(u32::from(second))
}

fn unigram_id(c: char) -> TermId {
    KIND_UNIGRAM | u64::from(u32::from(c))
}

/// FNV-1a over the word's bytes, cut to 60 bits to leave room for the kind.
fn word_id(word: &str) -> TermId {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    let h = word
        .bytes()
        .fold(OFFSET, |h, b| (h ^ u64::from(b)).wrapping_mul(PRIME));
    KIND_WORD | (h & (KIND_WORD - 1))
}

/// CJK unified ideographs (basic, extension A, compatibility, and the supplementary planes).
fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}')
}

/// Full-width Latin letters and digits (ＡＢＣ１２３), common in pasted Chinese text, become ASCII.
fn fold_width(c: char) -> char {
    match c {
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c)
        }
        _ => c,
    }
}

/// Folds the traditional characters most frequent in policy news to their simplified
/// forms, so a re-posted traditional article shares bigrams with simplified ones.
/// A small hand-made table, not a full converter: unlisted characters pass unchanged.
#[inline]
fn to_simplified(c: char) -> char {
    if is_traditional_candidate(c) {
        simplified_of(c)
    } else {
        c
    }
}

/// The table's simplified form of a candidate (kept out of line: the rare case).
#[inline(never)]
fn simplified_of(c: char) -> char {
    match TRAD_TO_SIMP.binary_search_by_key(&c, |&(t, _)| t) {
        Ok(i) => TRAD_TO_SIMP.get(i).map_or(c, |&(_, s)| s),
        Err(_) => c,
    }
}

/// One bit per basic-plane Han character, set when it is in `TRAD_TO_SIMP`. Most text is
/// simplified, so the common case costs a single bit test.
fn is_traditional_candidate(c: char) -> bool {
    let Some(offset) = (c as usize).checked_sub(HAN_BASE) else {
        return false;
    };
    TRAD_BITMAP
        .get(offset / 64)
        .is_some_and(|word| word >> (offset % 64) & 1 == 1)
}

const HAN_BASE: usize = 0x4E00;
const BITMAP_WORDS: usize = (0xA000 - HAN_BASE) / 64;
const TRAD_BITMAP: [u64; BITMAP_WORDS] = trad_bitmap();

/// Built at compile time; a table entry outside the basic Han block fails the build.
const fn trad_bitmap() -> [u64; BITMAP_WORDS] {
    let mut bits = [0u64; BITMAP_WORDS];
    let mut i = 0;
    while i < TRAD_TO_SIMP.len() {
        let offset = TRAD_TO_SIMP[i].0 as usize - HAN_BASE;
        bits[offset / 64] |= 1 << (offset % 64);
        i += 1;
    }
    bits
}

/// Traditional → simplified, sorted by the traditional character (binary-searched).
const TRAD_TO_SIMP: [(char, char); 531] = [
    ('並', '并'), ('亞', '亚'), ('來', '来'), ('倉', '仓'), ('個', '个'), ('們', '们'), ('傑', '杰'), ('備', '备'),
    ('傳', '传'), ('僅', '仅'), ('價', '价'), ('億', '亿'), ('優', '优'), ('儲', '储'), ('兒', '儿'), ('內', '内'),
    ('兩', '两'), ('凱', '凯'), ('則', '则'), ('剛', '刚'), ('創', '创'), ('劃', '划'), ('劉', '刘'), ('劑', '剂'),
    ('動', '动'), ('務', '务'), ('勝', '胜'), ('勞', '劳'), ('勢', '势'), ('勵', '励'), ('匯', '汇'), ('區', '区'),
    ('協', '协'), ('卻', '却'), ('參', '参'), ('吳', '吴'), ('員', '员'), ('問', '问'), ('啟', '启'), ('單', '单'),
    ('嚴', '严'), ('國', '国'), ('圍', '围'), ('園', '园'), ('圓', '圆'), ('圖', '图'), ('團', '团'), ('堅', '坚'),
    ('報', '报'), ('場', '场'), ('塊', '块'), ('壇', '坛'), ('壓', '压'), ('壯', '壮'), ('夥', '伙'), ('奮', '奋'),
    ('婦', '妇'), ('孫', '孙'), ('學', '学'), ('實', '实'), ('寧', '宁'), ('寶', '宝'), ('將', '将'), ('專', '专'),
    ('對', '对'), ('導', '导'), ('屆', '届'), ('層', '层'), ('屬', '属'), ('島', '岛'), ('峽', '峡'), ('嶺', '岭'),
    ('師', '师'), ('幣', '币'), ('幫', '帮'), ('廠', '厂'), ('廢', '废'), ('廣', '广'), ('廳', '厅'), ('張', '张'),
    ('強', '强'), ('彈', '弹'), ('後', '后'), ('徑', '径'), ('從', '从'), ('徵', '征'), ('態', '态'), ('慶', '庆'),
    ('應', '应'), ('戰', '战'), ('戲', '戏'), ('戶', '户'), ('擁', '拥'), ('擇', '择'), ('擔', '担'), ('據', '据'),
    ('擬', '拟'), ('擴', '扩'), ('攜', '携'), ('攝', '摄'), ('敵', '敌'), ('數', '数'), ('斷', '断'), ('於', '于'),
    ('時', '时'), ('晉', '晋'), ('曆', '历'), ('書', '书'), ('會', '会'), ('東', '东'), ('條', '条'), ('楊', '杨'),
    ('業', '业'), ('極', '极'), ('構', '构'), ('樂', '乐'), ('樓', '楼'), ('標', '标'), ('樣', '样'), ('樹', '树'),
    ('橋', '桥'), ('機', '机'), ('檔', '档'), ('檢', '检'), ('權', '权'), ('歡', '欢'), ('歲', '岁'), ('歷', '历'),
    ('歸', '归'), ('殘', '残'), ('氣', '气'), ('氫', '氢'), ('決', '决'), ('況', '况'), ('涼', '凉'), ('減', '减'),
    ('測', '测'), ('湯', '汤'), ('準', '准'), ('溝', '沟'), ('溫', '温'), ('滅', '灭'), ('滬', '沪'), ('滿', '满'),
    ('漁', '渔'), ('漢', '汉'), ('潤', '润'), ('澤', '泽'), ('濟', '济'), ('濱', '滨'), ('灘', '滩'), ('灣', '湾'),
    ('災', '灾'), ('為', '为'), ('無', '无'), ('煉', '炼'), ('熱', '热'), ('燈', '灯'), ('燒', '烧'), ('營', '营'),
    ('爭', '争'), ('爾', '尔'), ('牽', '牵'), ('獎', '奖'), ('獨', '独'), ('獲', '获'), ('獸', '兽'), ('獻', '献'),
    ('現', '现'), ('環', '环'), ('瓊', '琼'), ('產', '产'), ('畢', '毕'), ('畫', '画'), ('當', '当'), ('療', '疗'),
    ('發', '发'), ('盡', '尽'), ('監', '监'), ('盧', '卢'), ('眾', '众'), ('碩', '硕'), ('確', '确'), ('碼', '码'),
    ('礦', '矿'), ('禮', '礼'), ('稅', '税'), ('種', '种'), ('積', '积'), ('穩', '稳'), ('窮', '穷'), ('競', '竞'),
    ('筆', '笔'), ('節', '节'), ('範', '范'), ('築', '筑'), ('簡', '简'), ('簽', '签'), ('粵', '粤'), ('糧', '粮'),
    ('糾', '纠'), ('紀', '纪'), ('約', '约'), ('紅', '红'), ('納', '纳'), ('紐', '纽'), ('純', '纯'), ('紙', '纸'),
    ('級', '级'), ('細', '细'), ('紹', '绍'), ('終', '终'), ('組', '组'), ('結', '结'), ('絡', '络'), ('給', '给'),
    ('統', '统'), ('絲', '丝'), ('經', '经'), ('綜', '综'), ('綠', '绿'), ('維', '维'), ('綱', '纲'), ('網', '网'),
    ('綿', '绵'), ('緊', '紧'), ('緒', '绪'), ('線', '线'), ('緣', '缘'), ('編', '编'), ('練', '练'), ('縣', '县'),
    ('縮', '缩'), ('縱', '纵'), ('總', '总'), ('績', '绩'), ('織', '织'), ('繼', '继'), ('續', '续'), ('罰', '罚'),
    ('羅', '罗'), ('義', '义'), ('習', '习'), ('聖', '圣'), ('聞', '闻'), ('聯', '联'), ('聲', '声'), ('職', '职'),
    ('聽', '听'), ('肅', '肃'), ('脈', '脉'), ('腦', '脑'), ('膽', '胆'), ('臉', '脸'), ('臺', '台'), ('與', '与'),
    ('興', '兴'), ('舉', '举'), ('舊', '旧'), ('艦', '舰'), ('艱', '艰'), ('莊', '庄'), ('華', '华'), ('萬', '万'),
    ('葉', '叶'), ('蔣', '蒋'), ('蕭', '萧'), ('藝', '艺'), ('藥', '药'), ('蘆', '芦'), ('蘇', '苏'), ('蘊', '蕴'),
    ('蘭', '兰'), ('處', '处'), ('號', '号'), ('蟲', '虫'), ('術', '术'), ('衛', '卫'), ('衝', '冲'), ('補', '补'),
    ('裝', '装'), ('裡', '里'), ('製', '制'), ('複', '复'), ('襲', '袭'), ('見', '见'), ('規', '规'), ('視', '视'),
    ('親', '亲'), ('覺', '觉'), ('覽', '览'), ('觀', '观'), ('觸', '触'), ('訂', '订'), ('計', '计'), ('訊', '讯'),
    ('討', '讨'), ('訓', '训'), ('託', '托'), ('記', '记'), ('訪', '访'), ('設', '设'), ('許', '许'), ('診', '诊'),
    ('評', '评'), ('詞', '词'), ('詢', '询'), ('試', '试'), ('話', '话'), ('該', '该'), ('詳', '详'), ('誌', '志'),
    ('認', '认'), ('語', '语'), ('誠', '诚'), ('誤', '误'), ('說', '说'), ('説', '说'), ('誰', '谁'), ('課', '课'),
    ('調', '调'), ('談', '谈'), ('請', '请'), ('論', '论'), ('諮', '咨'), ('諾', '诺'), ('謀', '谋'), ('講', '讲'),
    ('謝', '谢'), ('謹', '谨'), ('證', '证'), ('識', '识'), ('譚', '谭'), ('譜', '谱'), ('議', '议'), ('護', '护'),
    ('讀', '读'), ('變', '变'), ('讓', '让'), ('讚', '赞'), ('豐', '丰'), ('貝', '贝'), ('負', '负'), ('財', '财'),
    ('貢', '贡'), ('貧', '贫'), ('貨', '货'), ('販', '贩'), ('責', '责'), ('貴', '贵'), ('買', '买'), ('貸', '贷'),
    ('費', '费'), ('貼', '贴'), ('貿', '贸'), ('賀', '贺'), ('資', '资'), ('賓', '宾'), ('賦', '赋'), ('質', '质'),
    ('賬', '账'), ('賴', '赖'), ('賺', '赚'), ('購', '购'), ('賽', '赛'), ('贊', '赞'), ('贏', '赢'), ('贛', '赣'),
    ('趕', '赶'), ('趙', '赵'), ('趨', '趋'), ('跡', '迹'), ('蹤', '踪'), ('躍', '跃'), ('車', '车'), ('軌', '轨'),
    ('軍', '军'), ('軟', '软'), ('軸', '轴'), ('較', '较'), ('載', '载'), ('輔', '辅'), ('輕', '轻'), ('輪', '轮'),
    ('輯', '辑'), ('輸', '输'), ('轄', '辖'), ('轉', '转'), ('辦', '办'), ('辭', '辞'), ('農', '农'), ('這', '这'),
    ('連', '连'), ('週', '周'), ('進', '进'), ('運', '运'), ('過', '过'), ('達', '达'), ('違', '违'), ('遞', '递'),
    ('遠', '远'), ('適', '适'), ('遲', '迟'), ('選', '选'), ('遼', '辽'), ('邁', '迈'), ('還', '还'), ('邊', '边'),
    ('邏', '逻'), ('郵', '邮'), ('鄉', '乡'), ('鄧', '邓'), ('鄭', '郑'), ('鄰', '邻'), ('醫', '医'), ('釋', '释'),
    ('針', '针'), ('銀', '银'), ('銷', '销'), ('鋪', '铺'), ('鋼', '钢'), ('錄', '录'), ('錢', '钱'), ('錫', '锡'),
    ('錯', '错'), ('鍵', '键'), ('鍾', '钟'), ('鎮', '镇'), ('鏈', '链'), ('鏡', '镜'), ('鐘', '钟'), ('鐵', '铁'),
    ('鑒', '鉴'), ('長', '长'), ('門', '门'), ('閃', '闪'), ('閆', '闫'), ('閉', '闭'), ('開', '开'), ('間', '间'),
    ('閘', '闸'), ('閣', '阁'), ('閩', '闽'), ('閱', '阅'), ('闊', '阔'), ('關', '关'), ('闡', '阐'), ('陝', '陕'),
    ('陣', '阵'), ('陰', '阴'), ('陳', '陈'), ('陸', '陆'), ('陽', '阳'), ('隊', '队'), ('際', '际'), ('隨', '随'),
    ('險', '险'), ('隱', '隐'), ('隴', '陇'), ('雖', '虽'), ('雙', '双'), ('雜', '杂'), ('雞', '鸡'), ('離', '离'),
    ('難', '难'), ('雲', '云'), ('電', '电'), ('霧', '雾'), ('靈', '灵'), ('韋', '韦'), ('韓', '韩'), ('響', '响'),
    ('頁', '页'), ('頂', '顶'), ('項', '项'), ('順', '顺'), ('須', '须'), ('預', '预'), ('頒', '颁'), ('頓', '顿'),
    ('領', '领'), ('頭', '头'), ('頸', '颈'), ('頻', '频'), ('題', '题'), ('額', '额'), ('顏', '颜'), ('願', '愿'),
    ('類', '类'), ('顧', '顾'), ('顯', '显'), ('風', '风'), ('飛', '飞'), ('飯', '饭'), ('飲', '饮'), ('飼', '饲'),
    ('飽', '饱'), ('養', '养'), ('餘', '余'), ('館', '馆'), ('馬', '马'), ('馮', '冯'), ('驅', '驱'), ('驗', '验'),
    ('驚', '惊'), ('體', '体'), ('髮', '发'), ('鬆', '松'), ('鬥', '斗'), ('魚', '鱼'), ('魯', '鲁'), ('鮮', '鲜'),
    ('鳥', '鸟'), ('鳳', '凤'), ('鴻', '鸿'), ('鶴', '鹤'), ('鹽', '盐'), ('麗', '丽'), ('麥', '麦'), ('麵', '面'),
    ('麼', '么'), ('黃', '黄'), ('點', '点'), ('黨', '党'), ('齊', '齐'), ('齒', '齿'), ('齡', '龄'), ('龍', '龙'),
    ('龐', '庞'), ('龔', '龚'), ('龜', '龟'),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn bigrams(pairs: &[&str]) -> Vec<TermId> {
        pairs
            .iter()
            .map(|p| {
                let mut cs = p.chars();
                match (cs.next(), cs.next()) {
                    (Some(a), Some(b)) => bigram_id(a, b),
                    _ => 0,
                }
            })
            .collect()
    }

    #[test]
    fn han_runs_become_overlapping_bigrams() {
        assert_eq!(text_terms("科技创新"), bigrams(&["科技", "技创", "创新"]));
    }

    #[test]
    fn punctuation_and_spaces_break_bigram_runs() {
        assert_eq!(
            text_terms("科技，创新。县域 经济"),
            bigrams(&["科技", "创新", "县域", "经济"])
        );
        assert_eq!(text_terms("“新质生产力”"), bigrams(&["新质", "质生", "生产", "产力"]));
    }

    #[test]
    fn traditional_characters_fold_to_simplified() {
        assert_eq!(text_terms("科技創新"), text_terms("科技创新"));
        assert_eq!(
            text_terms("北碚與綿陽攜手推動協同創新"),
            text_terms("北碚与绵阳携手推动协同创新")
        );
        assert_eq!(text_terms("鎮江市科技創新引領產業強市"), text_terms("镇江市科技创新引领产业强市"));
    }

    #[test]
    fn a_lone_han_character_is_a_term_of_its_own() {
        let terms = text_terms("川、渝");
        assert_eq!(terms, vec![unigram_id('川'), unigram_id('渝')]);
        assert_ne!(unigram_id('川'), bigram_id('川', '渝'));
    }

    #[test]
    fn latin_words_are_lowercased_and_numbers_dropped() {
        let words = text_terms("GDP增长 5G 2024年 R&D AI");
        let expected = vec![
            word_id("gdp"),
            bigram_id('增', '长'),
            word_id("5g"),
            unigram_id('年'),
            word_id("ai"),
        ];
        assert_eq!(words, expected);
        assert_eq!(text_terms("ＡＩ芯片"), text_terms("ai芯片"));
    }

    #[test]
    fn nothing_to_read_gives_no_terms() {
        assert!(text_terms("").is_empty());
        assert!(text_terms("2024-11-22，12.5%！").is_empty());
    }

    #[test]
    fn ids_are_fixed_values() {
        // Ids must not change between versions or platforms: a stored value pins them.
        assert_eq!(bigram_id('科', '技'), (1 << 62) | (0x79D1 << 21) | 0x6280);
        assert_eq!(word_id("ai") & !(KIND_WORD - 1), KIND_WORD);
        assert_ne!(word_id("ai"), word_id("ia"));
    }

    #[test]
    fn fold_table_is_sorted_and_maps_only_to_simplified() {
        for pair in TRAD_TO_SIMP.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{:?} before {:?}", pair[0], pair[1]);
        }
        for &(trad, simp) in TRAD_TO_SIMP.iter() {
            assert_ne!(trad, simp);
            assert_eq!(to_simplified(trad), simp);
            assert_eq!(to_simplified(simp), simp, "{simp} is itself folded");
        }
        assert_eq!(to_simplified('科'), '科');
        assert_eq!(to_simplified('A'), 'A');
    }
}
