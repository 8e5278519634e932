//! HTML character references (`&nbsp;`, `&#12288;`, `&ldquo;` …) decoded once, for the
//! plain text of article bodies and for imported pages alike.

/// Decodes HTML character references once: decimal and hex ones (`&#12288;`, `&#x3000;`,
/// with the code points 0x80–0x9F read as Windows-1252, as browsers do: `&#147;` is `“`),
/// and the named ones that Chinese news pages use (`&nbsp;`, `&amp;`, `&ldquo;`,
/// `&hellip;`, `&times;`, Greek letters …). A name gazette does not know, or one without
/// its `;`, stays as written: better shown than guessed.
pub fn decode(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(rest.get(..at).unwrap_or(""));
        let after = rest.get(at + 1..).unwrap_or("");
        match decode_reference(after) {
            Some((c, used)) => {
                out.push(c);
                rest = after.get(used..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// The character of the reference at the start of `after` (the text after `&`) and how
/// many bytes of `after` it takes.
fn decode_reference(after: &str) -> Option<(char, usize)> {
    if let Some(number) = after.strip_prefix('#') {
        let (hex, digits_from) = match number.strip_prefix(['x', 'X']) {
            Some(_) => (true, 2),
            None => (false, 1),
        };
        let digits: &str = after.get(digits_from..)?;
        let len = digits
            .bytes()
            .take_while(|b| if hex { b.is_ascii_hexdigit() } else { b.is_ascii_digit() })
            .count();
        if len == 0 {
            return None;
        }
        let value = u32::from_str_radix(digits.get(..len)?, if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
        let semicolon = usize::from(digits.as_bytes().get(len) == Some(&b';'));
        return Some((numeric_char(value), digits_from + len + semicolon));
    }
    // the longest name known is 6 letters; a `;` further on belongs to other text
    let end = after.bytes().take(8).position(|b| b == b';')?;
    let c = named_char(after.get(..end)?)?;
    Some((c, end + 1))
}

/// The character of a numeric reference, as the HTML standard reads it.
fn numeric_char(value: u32) -> char {
    const WINDOWS_1252: [u32; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152,
        0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122,
        0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    let value = match value {
        0x80..=0x9F => WINDOWS_1252.get((value - 0x80) as usize).copied().unwrap_or(value),
        other => other,
    };
    match value {
        0 => '\u{FFFD}',
        v => char::from_u32(v).unwrap_or('\u{FFFD}'),
    }
}

/// Lower-case Greek letters in code point order from U+03B1 (`sigmaf` is U+03C2).
const GREEK: [&str; 25] = [
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
    "nu", "xi", "omicron", "pi", "rho", "sigmaf", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
];

fn named_char(name: &str) -> Option<char> {
    if let Some(i) = GREEK.iter().position(|g| *g == name) {
        return char::from_u32(0x3B1 + i as u32);
    }
    let mut lower = name.chars();
    if let (Some(first), true) = (lower.next(), name != "sigmaf") {
        if first.is_ascii_uppercase() {
            let lowered = format!("{}{}", first.to_ascii_lowercase(), lower.as_str());
            if let Some(i) = GREEK.iter().position(|g| *g == lowered && *g != "sigmaf") {
                return char::from_u32(0x391 + i as u32);
            }
        }
    }
    let c = match name {
        "nbsp" => '\u{A0}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "zwnj" => '\u{200C}',
        "zwj" => '\u{200D}',
        "shy" => '\u{AD}',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sbquo" => '‚',
        "bdquo" => '„',
        "laquo" => '«',
        "raquo" => '»',
        "lsaquo" => '‹',
        "rsaquo" => '›',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "middot" => '·',
        "bull" => '•',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "times" => '×',
        "divide" => '÷',
        "deg" => '°',
        "plusmn" => '±',
        "micro" => 'µ',
        "para" => '¶',
        "sect" => '§',
        "yen" => '¥',
        "cent" => '¢',
        "pound" => '£',
        "euro" => '€',
        "permil" => '‰',
        "prime" => '′',
        "Prime" => '″',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "frac12" => '½',
        "frac14" => '¼',
        "frac34" => '¾',
        "sup1" => '¹',
        "sup2" => '²',
        "sup3" => '³',
        "le" => '≤',
        "ge" => '≥',
        "ne" => '≠',
        "asymp" => '≈',
        "infin" => '∞',
        "minus" => '−',
        "radic" => '√',
        "sum" => '∑',
        "iexcl" => '¡',
        "iquest" => '¿',
        _ => return None,
    };
    Some(c)
}

