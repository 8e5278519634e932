//! Bytes → text: UTF-8 with or without BOM, LF or CRLF. Anything else is an error that
//! names the encoding the file most likely is, never mojibake in the output.

/// A file that is not UTF-8: the line of the first bad byte and what it looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotUtf8 {
    pub line: usize,
    pub encoding: &'static str,
}

impl std::fmt::Display for NotUtf8 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the file is not UTF-8; it looks like {}", self.encoding)
    }
}

/// Decodes an input file to UTF-8 text with `\n` line ends, or says what it looks like.
pub fn decode(bytes: &[u8]) -> Result<String, NotUtf8> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // simdutf8 checks Chinese text many times faster than the standard library; the error
    // path asks the standard library again for the position of the first bad byte.
    match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => Ok(normalize_newlines(text)),
        Err(_) => Err(not_utf8_message(bytes, std::str::from_utf8(bytes).err().map_or(0, |e| e.valid_up_to()))),
    }
}

/// `\n` line ends, and no control characters but tab and newline: C0 ones are invisible
/// debris of text pasted from Word or old CMSs, forbidden in YAML and in XML feeds; DEL and
/// the C1 range (U+0080–U+009F, e.g. NEL from mis-decoded Windows-1252) are forbidden in HTML.
fn normalize_newlines(text: &str) -> String {
    if !may_need_cleaning(text) {
        return text.to_string();
    }
    let mut clean = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // `\r\n` and a lone `\r` both end one line.
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' => clean.push('\n'),
            c if is_unwanted_control(c) => {}
            c => clean.push(c),
        }
    }
    clean
}

/// False when `text` surely has no `\r` and no unwanted control character: a byte test
/// the compiler vectorises, true for every C0 control but tab and newline, DEL, and the
/// lead byte of U+0080–U+00BF (C1 controls, but also `·` or a no-break space).
fn may_need_cleaning(text: &str) -> bool {
    let suspect = |b: u8| (b < 0x20 && b != b'\n' && b != b'\t') | (b == 0x7F) | (b == 0xC2);
    text.as_bytes().chunks(64).any(|chunk| chunk.iter().fold(false, |seen, &b| seen | suspect(b)))
}

fn is_unwanted_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

fn not_utf8_message(bytes: &[u8], valid_up_to: usize) -> NotUtf8 {
    let line = bytes[..valid_up_to].iter().filter(|&&b| b == b'\n').count() + 1;
    NotUtf8 { line, encoding: likely_encoding(bytes) }
}

/// The best guess at a legacy encoding: GB18030 (GBK, GB2312), Big5, Shift_JIS …
pub fn likely_encoding(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return "UTF-16";
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
    encoding.name()
}

/// The command that converts such a file, for the error's help line.
pub fn convert_hint(encoding: &str, file: &str) -> String {
    let from = if encoding.eq_ignore_ascii_case("gbk") || encoding.eq_ignore_ascii_case("gb2312") { "GB18030" } else { encoding };
    format!("convert it to UTF-8, e.g. `iconv -f {from} -t UTF-8 '{file}' -o '{file}.utf8' && mv '{file}.utf8' '{file}'`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_removed() {
        assert_eq!(decode(b"\xEF\xBB\xBF---\r\ntitle: x\r\n").unwrap(), "---\ntitle: x\n");
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(decode("标题\u{8}含\u{b}控制符\t\n".as_bytes()).unwrap(), "标题含控制符\t\n");
    }

    #[test]
    fn delete_and_c1_controls_are_dropped() {
        assert_eq!(decode("北碚\u{7f}科技\u{85}創新\u{9f}。\n".as_bytes()).unwrap(), "北碚科技創新。\n");
    }

    #[test]
    fn lone_carriage_returns_end_lines_and_latin_1_text_is_kept() {
        assert_eq!(decode(b"a\rb\r\r\nc\r\x01\nd\r").unwrap(), "a\nb\n\nc\n\nd\n");
        assert_eq!(decode("阿卜杜·热合曼 25°C\u{a0}±1".as_bytes()).unwrap(), "阿卜杜·热合曼 25°C\u{a0}±1");
        assert!(!may_need_cleaning(&"科技创新\t2024\n".repeat(100)));
        for suspect in ["\r", "\u{1}", "\u{7f}", "\u{85}", "·"] {
            assert!(may_need_cleaning(&format!("{}{suspect}{}", "科".repeat(40), "技".repeat(40))), "{suspect:?}");
        }
    }

    #[test]
    fn not_utf8_is_placed_on_its_line() {
        assert_eq!(decode(b"---\ntitle: a\n\xFF\n").unwrap_err().line, 3);
    }

    #[test]
    fn gbk_text_is_named() {
        let (gbk, _, _) = encoding_rs::GBK.encode("---\ntitle: 四川省科学技术厅广安市人民政府第三次厅市工作会商会议在广安召开\n---\n");
        let err = decode(&gbk).unwrap_err();
        assert_eq!(err, NotUtf8 { line: 2, encoding: "GBK" });
    }

    #[test]
    fn big5_text_is_named() {
        let (big5, _, _) = encoding_rs::BIG5.encode("鎮江新一輪創新發展藍圖已繪就。市委辦公室和市政府辦公室印發行動方案，奏響科技創新與產業創新深度融合的最強音。");
        assert_eq!(decode(&big5).unwrap_err().encoding, "Big5");
    }
}
