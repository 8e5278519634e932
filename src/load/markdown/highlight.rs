//! Syntax highlighting of fenced code blocks with syntect, as class-based HTML plus one CSS file.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Every highlight class starts with this, so theme CSS cannot clash with ours.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The built-in theme that `syntax_css` is generated from.
const THEME_NAME: &str = "InspiredGitHub";

/// The syntax definitions, loaded on first use only: most articles have no code.
fn syntax_set() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The syntax for a fence's language name (`rust`, `py`, `JSON`), if syntect knows one.
/// Plain Text counts as unknown: highlighting it would only add empty spans.
fn find_syntax(lang: &str) -> Option<&'static SyntaxReference> {
    let set = syntax_set();
    set.find_syntax_by_token(lang)
        .filter(|syntax| syntax.name != "Plain Text")
}

/// Highlights `code` as `lang` and returns the complete `<pre>` element, or `None` when the
/// language is unknown (or syntect fails), in which case the caller prints escaped code.
pub(super) fn highlight_code_block(code: &str, lang: &str) -> Option<String> {
    let syntax = find_syntax(lang)?;
    // syntect is third-party code running on user input: a panic inside it must not take a
    // whole site build down, so fall back to unhighlighted code instead.
    let spans = catch_unwind(AssertUnwindSafe(|| highlight_lines(code, syntax)))
        .ok()
        .flatten()?;
    Some(format!(
        "<pre class=\"hl-code\"><code class=\"language-{}\">{}</code></pre>\n",
        crate::escape::html(lang),
        spans
    ))
}

/// Runs the class-based generator over every line; `None` if syntect reports an error.
fn highlight_lines(code: &str, syntax: &SyntaxReference) -> Option<String> {
    let mut generator =
        ClassedHTMLGenerator::new_with_class_style(syntax, syntax_set(), CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

/// The stylesheet for the `hl-` classes, from the built-in InspiredGitHub theme.
pub(super) fn theme_css() -> String {
    let themes = ThemeSet::load_defaults();
    themes
        .themes
        .get(THEME_NAME)
        .and_then(|theme| css_for_theme_with_class_style(theme, CLASS_STYLE).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_prefixed_classes() {
        let html = highlight_code_block("// 注释：科技政策\nlet x = \"廣元市\";\n", "rust")
            .expect("rust is a built-in syntax");
        assert!(html.starts_with("<pre class=\"hl-code\"><code class=\"language-rust\">"));
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("科技政策"));
        assert!(html.contains("廣元市"));
    }

    #[test]
    fn language_names_are_case_insensitive_tokens() {
        assert!(highlight_code_block("{\"地区\": \"四川省\"}", "JSON").is_some());
        assert!(highlight_code_block("print('重慶')", "py").is_some());
    }

    #[test]
    fn unknown_and_plain_languages_are_not_highlighted() {
        assert!(highlight_code_block("通知", "no-such-lang").is_none());
        assert!(highlight_code_block("通知", "txt").is_none());
        assert!(highlight_code_block("通知", "").is_none());
    }

    #[test]
    fn html_in_code_is_escaped() {
        let html = highlight_code_block("<script>alert('政策')</script>\n", "html").unwrap();
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;"));
    }

    #[test]
    fn css_uses_the_prefix() {
        let css = theme_css();
        assert!(css.contains(".hl-code"), "{css}");
        assert!(css.contains(".hl-"));
    }
}
