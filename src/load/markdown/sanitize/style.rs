//! The `style` attributes of pasted rich text: a communiqué's centred title
//! (`<p style="text-align: center">`) and its indented paragraphs keep their look, while
//! everything that could load, position or hide anything is dropped, one declaration at a
//! time.
//!
//! The declarations are read with `cssparser` (Servo's CSS Syntax tokenizer, already built
//! for ammonia's own style filter) rather than by splitting on `;` and `:`: it follows the
//! CSS Syntax spec for quotes, parentheses, comments and `\` escapes, so
//! `content: "a;b"` or `/* ; */` cannot cut a declaration in two and `\65xpression` reaches
//! us as `expression`. Ammonia's `filter_style_properties` checks property names only and
//! lets any value through; here each kept property also has a value grammar, and what we
//! write back is our own spelling of what we understood, never the author's text.

use cssparser::{
    AtRuleParser, CowRcStr, DeclarationParser, ParseError, Parser, ParserState,
    QualifiedRuleParser, RuleBodyItemParser, RuleBodyParser, ToCss, Token,
};

/// The kept declarations of a `style` attribute, as `name:value;name:value`, or `None`
/// when nothing is left (so the attribute goes).
pub(super) fn filter_style(style: &str) -> Option<String> {
    let mut input = Parser::new(style);
    let mut declarations = Declarations;
    let kept: Vec<String> = RuleBodyParser::new(&mut input, &mut declarations)
        .filter_map(Result::ok)
        .collect();
    (!kept.is_empty()).then(|| kept.join(";"))
}

/// What a kept property's value may be.
#[derive(Clone, Copy)]
enum Grammar {
    /// Exactly one of these keywords.
    OneKeyword(&'static [&'static str]),
    /// One to three different keywords of the list, in any order.
    KeywordSet(&'static [&'static str]),
    /// One non-negative length or percentage, at most `MAX_INDENT_EM` (or `0`).
    Indent,
    /// A keyword, or a number from 1 to 1000.
    Weight(&'static [&'static str]),
}

/// The properties a news article may set on its own text. Not `color` and
/// `background-color`: text pasted from other sites carries their theme's colours
/// (`color: rgb(51, 51, 51); background-color: rgb(255, 255, 255)`), which fight the
/// portal's theme and its print style, and can hide text (white on white) or fail contrast.
/// Not `margin-*`/`padding-*`: negative or huge values move text over the page's own
/// navigation or off screen; `text-indent` covers the 2-character indent of Chinese prose.
const PROPERTIES: &[(&str, Grammar)] = &[
    (
        "text-align",
        Grammar::OneKeyword(&["left", "right", "center", "justify", "start", "end"]),
    ),
    ("text-indent", Grammar::Indent),
    (
        "font-weight",
        Grammar::Weight(&["normal", "bold", "bolder", "lighter"]),
    ),
    (
        "font-style",
        Grammar::OneKeyword(&["normal", "italic", "oblique"]),
    ),
    // No `none`: on a link it hides that the text is a link. No colours (see above).
    ("text-decoration", Grammar::KeywordSet(DECORATIONS)),
    (
        "text-decoration-line",
        Grammar::KeywordSet(DECORATION_LINES),
    ),
];

const DECORATION_LINES: &[&str] = &["underline", "overline", "line-through"];

const DECORATIONS: &[&str] = &[
    "underline",
    "overline",
    "line-through",
    "solid",
    "double",
    "dotted",
    "dashed",
    "wavy",
];

/// The largest indent kept, in em. Chinese prose indents 2em; anything far beyond a few
/// characters is not an indent but the old way of pushing text off screen to hide it.
const MAX_INDENT_EM: f32 = 8.0;

/// Length units for indents, with their size in em (16 px to the em, as browsers default).
const INDENT_UNITS: &[(&str, f32)] = &[
    ("em", 1.0),
    ("rem", 1.0),
    ("ch", 0.5),
    ("px", 1.0 / 16.0),
    ("pt", 1.0 / 12.0),
];

/// Percentages of the line's width kept in an indent.
const MAX_INDENT_PERCENT: f32 = 25.0;

/// The `cssparser` callbacks: declarations are checked, at-rules (`@import`) and nested
/// rules are refused by the traits' default methods.
struct Declarations;

impl<'i> DeclarationParser<'i> for Declarations {
    type Declaration = String;
    type Error = ();

    fn parse_value(
        &mut self,
        name: CowRcStr<'i>,
        input: &mut Parser<'i>,
        _start: &ParserState,
    ) -> Result<String, ParseError<()>> {
        // Property names are ASCII case-insensitive; escapes are already resolved.
        let name = name.to_ascii_lowercase();
        let Some(&(name, grammar)) = PROPERTIES.iter().find(|(p, _)| *p == name) else {
            return Err(ParseError::custom(()));
        };
        let value = read_value(input, grammar).ok_or(ParseError::custom(()))?;
        Ok(format!("{name}:{value}"))
    }
}

impl<'i> AtRuleParser<'i> for Declarations {
    type Prelude = ();
    type AtRule = String;
    type Error = ();
}

impl<'i> QualifiedRuleParser<'i> for Declarations {
    type Prelude = ();
    type QualifiedRule = String;
    type Error = ();
}

impl<'i> RuleBodyItemParser<'i, String, ()> for Declarations {
    fn parse_declarations(&self) -> bool {
        true
    }
    fn parse_qualified(&self) -> bool {
        false
    }
}

/// The whole value of one declaration in our spelling, or `None` if any part of it is not
/// in `grammar` (which includes `!important`: a `!` is not a keyword, length or number).
fn read_value(input: &mut Parser<'_>, grammar: Grammar) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    while let Ok(token) = input.next() {
        parts.push(read_part(token, grammar)?);
    }
    let count_ok = match grammar {
        Grammar::KeywordSet(_) => (1..=3).contains(&parts.len()) && all_different(&parts),
        _ => parts.len() == 1,
    };
    count_ok.then(|| parts.join(" "))
}

/// One component of a value, if `grammar` allows it.
fn read_part(token: &Token<'_>, grammar: Grammar) -> Option<String> {
    match (grammar, token) {
        (
            Grammar::OneKeyword(words) | Grammar::KeywordSet(words) | Grammar::Weight(words),
            Token::Ident(word),
        ) => keyword(words, word),
        (
            Grammar::Weight(_),
            Token::Number {
                value,
                int_value: Some(n),
                ..
            },
        ) if (1..=1000).contains(n) && *value >= 1.0 => Some(n.to_string()),
        (Grammar::Indent, _) => indent(token),
        _ => None,
    }
}

/// Our spelling of `word` if it is one of `words` (keywords are ASCII case-insensitive).
fn keyword(words: &[&'static str], word: &str) -> Option<String> {
    words
        .iter()
        .find(|w| w.eq_ignore_ascii_case(word))
        .map(|w| (*w).to_string())
}

/// A non-negative indent no larger than `MAX_INDENT_EM` (or `MAX_INDENT_PERCENT`).
fn indent(token: &Token<'_>) -> Option<String> {
    match token {
        Token::Number { value, .. } if *value == 0.0 => Some("0".to_string()),
        Token::Dimension {
            value,
            int_value,
            unit,
            ..
        } => {
            let &(unit, em) = INDENT_UNITS
                .iter()
                .find(|(u, _)| u.eq_ignore_ascii_case(unit))?;
            let in_range = *value >= 0.0 && value * em <= MAX_INDENT_EM;
            in_range.then(|| format!("{}{unit}", number(*value, *int_value)))
        }
        Token::Percentage {
            unit_value,
            int_value,
            ..
        } => {
            let percent = unit_value * 100.0;
            let in_range = (0.0..=MAX_INDENT_PERCENT).contains(&percent);
            in_range.then(|| format!("{}%", number(percent, *int_value)))
        }
        _ => None,
    }
}

/// A number as CSS writes it (`2`, `1.5`, so `2.0em` becomes `2em`), without the author's
/// sign or exponent.
fn number(value: f32, int_value: Option<i32>) -> String {
    let whole = (value.fract() == 0.0 && value.abs() <= 1e6).then_some(value as i32);
    let int_value = int_value.or(whole);
    Token::Number {
        has_sign: false,
        value,
        int_value,
    }
    .to_css_string()
}

/// True when no keyword repeats (`underline underline` is invalid CSS).
fn all_different(parts: &[String]) -> bool {
    parts
        .iter()
        .enumerate()
        .all(|(i, p)| !parts[..i].contains(p))
}

#[cfg(test)]
mod tests {
    use super::filter_style;

    fn kept(style: &str) -> String {
        filter_style(style).unwrap_or_default()
    }

    #[test]
    fn communique_styles_are_kept_in_one_spelling() {
        assert_eq!(kept("text-align: center"), "text-align:center");
        assert_eq!(kept("TEXT-ALIGN:CENTER;"), "text-align:center");
        assert_eq!(
            kept(" text-indent: 2em ; font-weight : bold "),
            "text-indent:2em;font-weight:bold"
        );
        assert_eq!(kept("text-indent:2.0em"), "text-indent:2em");
        assert_eq!(
            kept("text-indent: 32px; font-weight: 700"),
            "text-indent:32px;font-weight:700"
        );
        assert_eq!(kept("text-indent: 21.0pt"), "text-indent:21pt");
        assert_eq!(kept("text-indent: 0"), "text-indent:0");
        assert_eq!(kept("text-indent: 5%"), "text-indent:5%");
        assert_eq!(kept("font-style: italic"), "font-style:italic");
        assert_eq!(
            kept("text-decoration: underline dotted"),
            "text-decoration:underline dotted"
        );
        assert_eq!(
            kept("text-decoration-line: line-through"),
            "text-decoration-line:line-through"
        );
    }

    #[test]
    fn unlisted_properties_go_one_by_one() {
        assert_eq!(
            kept("margin: 0px; padding: 0px; font-family: 仿宋_GB2312; font-size: 16px; text-align: justify; line-height: 2em; color: rgb(51, 51, 51); background-color: rgb(255, 255, 255)"),
            "text-align:justify"
        );
        assert_eq!(
            kept("mso-char-indent-count:2.0;text-indent:2.0em;mso-bidi-font-weight:normal"),
            "text-indent:2em"
        );
        assert_eq!(
            filter_style("position: fixed; top: 0; left: 0; width: 100%; z-index: 9999"),
            None
        );
    }

    #[test]
    fn values_outside_the_grammar_drop_the_declaration() {
        for style in [
            "text-align: center !important",
            "text-align: center ! important",
            "text-align: -webkit-center",
            "text-align: center left",
            "text-align: expression(alert(1))",
            "text-align: url(https://tracker.example/p.gif)",
            "text-align: var(--x)",
            "text-align: \"center\"",
            "text-indent: -9999px",
            "text-indent: 9999px",
            "text-indent: 2in",
            "text-indent: 80%",
            "text-indent: calc(2em + 1px)",
            "text-indent: 2",
            "font-weight: 1001",
            "font-weight: 0",
            "font-weight: 700.5",
            "font-weight: bold bold",
            "text-decoration: none",
            "text-decoration: blink",
            "text-decoration: underline underline",
            "text-decoration: underline red",
            "text-decoration: underline url(x)",
        ] {
            assert_eq!(filter_style(style), None, "{style}");
        }
    }

    #[test]
    fn hostile_syntax_cannot_smuggle_a_declaration() {
        // Escapes are resolved before the name is checked, so these are what they say.
        assert_eq!(
            kept("\\74 ext-align: center; \\66ont-weight: bold"),
            "text-align:center;font-weight:bold"
        );
        assert_eq!(filter_style("width: \\65xpression(alert(1))"), None);
        assert_eq!(filter_style("text-align: \\65xpression(alert(1))"), None);
        assert_eq!(
            filter_style("behavior: url(x.htc); -moz-binding: url(x.xml#xss)"),
            None
        );
        // A `;` inside quotes, parentheses or a comment does not end the declaration.
        assert_eq!(
            kept("font-family: \"a;text-align:center\"; font-style: italic"),
            "font-style:italic"
        );
        assert_eq!(
            kept("background: url(\"x;text-align:center\"); font-style: italic"),
            "font-style:italic"
        );
        assert_eq!(
            kept("background: url(x;text-align:center); font-style: italic"),
            "font-style:italic"
        );
        assert_eq!(
            kept("text-align: /* ; */ center; /* font-weight: bold */"),
            "text-align:center"
        );
        assert_eq!(
            kept("text-/**/align: center; font-style: italic"),
            "font-style:italic"
        );
        // At-rules and nested rules are skipped up to their end, and what follows counts.
        assert_eq!(
            kept("@import url(https://tracker.example/a.css); text-align: center"),
            "text-align:center"
        );
        assert_eq!(
            kept("@media print { text-align: right } text-align: center"),
            "text-align:center"
        );
        assert_eq!(
            kept("x { text-align: right } text-align: center; font-style: italic"),
            "font-style:italic"
        );
        assert_eq!(
            kept("text-align: center }; font-style: italic"),
            "font-style:italic"
        );
        assert_eq!(filter_style(""), None);
        assert_eq!(filter_style(";;;"), None);
        assert_eq!(filter_style("text-align:"), None);
    }
}
