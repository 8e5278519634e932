//! Keeps executable content off the page: URL scheme checks for Markdown links and images,
//! and an ammonia pass over whole rendered fragments that contain raw HTML.

mod style;

use std::borrow::Cow;
use std::sync::OnceLock;

/// Schemes a Markdown link may point to; anything else (javascript:, vbscript:, data:, …)
/// is refused. An allow-list, because a deny-list misses the next odd scheme.
const LINK_SCHEMES: &[&str] = &["http", "https", "mailto", "tel", "ftp", "sms"];

/// Schemes an image may load from. `data:` is allowed only for `data:image/…`.
const IMAGE_SCHEMES: &[&str] = &["http", "https"];

/// True if `url` is relative or uses an allowed scheme. For images, `data:image/…` is also
/// allowed (an image cannot run script).
pub(super) fn is_safe_url(url: &str, for_image: bool) -> bool {
    // Browsers ignore leading spaces/control characters and tabs/newlines anywhere in a URL
    // (`java\tscript:`), so the scheme is read with those removed.
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_control() && !c.is_whitespace())
        .collect();
    let Some(scheme) = url_scheme(&cleaned) else {
        return true;
    };
    let scheme = scheme.to_ascii_lowercase();
    if for_image {
        IMAGE_SCHEMES.contains(&scheme.as_str()) || is_data_image(&cleaned)
    } else {
        LINK_SCHEMES.contains(&scheme.as_str())
    }
}

/// The URL's scheme as a browser reads it: a letter, then letters, digits, `+`, `-` or `.`,
/// up to the first `:`. `None` for a relative URL such as `/新闻/2024/`, `政策.html#第一条`
/// or `foo):` (a `)` cannot be part of a scheme, so that is a relative path).
fn url_scheme(url: &str) -> Option<&str> {
    let end = url.find(':')?;
    let scheme = url.get(..end)?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

/// `data:image/png;base64,…` and the like.
fn is_data_image(url: &str) -> bool {
    url.get(..11)
        .is_some_and(|head| head.eq_ignore_ascii_case("data:image/"))
}

/// Cleans a whole rendered fragment: removes scripts, styles, frames, event handlers and
/// unsafe URLs, while keeping everything our own renderer emits.
pub(super) fn sanitize_html(html: &str) -> String {
    add_missing_alt(&cleaner().clean(html).to_string())
}

/// The ammonia configuration, built once and shared by all threads.
fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(build_cleaner)
}

fn build_cleaner() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["input", "section"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        // Any element may keep a few safe declarations of its `style` (see `style.rs`);
        // `filter_attribute` does the filtering, not ammonia's name-only style filter.
        .add_generic_attributes(["style"])
        // `data` passes here only so that the attribute filter below can keep data:image in
        // <img src>; everywhere else it removes data: URLs again.
        .add_url_schemes(["data"])
        .attribute_filter(filter_attribute)
        // Same markup with and without raw HTML: do not add rel="noopener noreferrer".
        .link_rel(None);
    for tag in [
        "code", "pre", "span", "div", "sup", "a", "section", "li", "ol",
    ] {
        builder.add_tag_attributes(tag, ["class"]);
    }
    for tag in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        builder.add_tag_attributes(tag, ["id", "class"]);
    }
    for tag in ["li", "sup", "div", "section"] {
        builder.add_tag_attributes(tag, ["id"]);
    }
    remove_obsolete_markup(&mut builder);
    builder
}

/// HTML 4 leftovers that ammonia allows by default but HTML5 (and the Nu checker) rejects;
/// pasted CMS pages are full of them. The tags go and their text stays.
fn remove_obsolete_markup(builder: &mut ammonia::Builder<'static>) {
    builder.rm_tags(["acronym", "center", "strike", "tt"]);
    for tag in [
        "col", "colgroup", "tbody", "tfoot", "thead", "tr", "td", "th", "table",
    ] {
        builder.rm_tag_attributes(tag, ["align", "char", "charoff", "summary", "headers"]);
    }
    builder
        .rm_tag_attributes("hr", ["align", "size", "width"])
        .rm_tag_attributes("img", ["align"])
        .rm_tag_attributes("a", ["hreflang"])
        .rm_tag_attributes("del", ["datetime"])
        .rm_tag_attributes("ins", ["datetime"]);
}

/// Drops `data:` URLs except images, and keeps `<input>` a disabled checkbox (the only input
/// our renderer emits, for task lists).
fn filter_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    let is_data_url = url_scheme(value.trim()).is_some_and(|s| s.eq_ignore_ascii_case("data"));
    match (element, attribute) {
        ("img", "src") if is_data_url => is_data_image(value.trim()).then_some(value.into()),
        (_, _) if is_data_url => None,
        (_, "style") => style::filter_style(value).map(Cow::Owned),
        ("input", "type") => Some("checkbox".into()),
        ("img", "width" | "height") | ("td" | "th", "colspan") => {
            is_positive_integer(value).then_some(value.into())
        }
        ("td" | "th", "rowspan") => value.trim().parse::<u32>().is_ok().then_some(value.into()),
        ("ol", "start") => value.trim().parse::<i64>().is_ok().then_some(value.into()),
        ("th", "scope") => {
            matches!(value, "row" | "col" | "rowgroup" | "colgroup").then_some(value.into())
        }
        (_, "lang") => is_plain_language_tag(value).then_some(value.into()),
        _ => Some(value.into()),
    }
}

/// `600` but not `100%` or `600px` (old CMS HTML), which HTML5 does not allow.
fn is_positive_integer(value: &str) -> bool {
    value.trim().parse::<u32>().is_ok_and(|n| n > 0)
}

/// `zh`, `zh-CN`, `zh-Hant-TW`, but not `zh_CN` or `chinese`, which the Nu checker rejects.
fn is_plain_language_tag(value: &str) -> bool {
    let mut parts = value.split('-');
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    primary_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Gives every `<img>` without `alt` an empty one: the Nu checker rejects an image with no
/// alt at all (common in pasted CMS HTML), and nothing better is known about it. Works on
/// ammonia's serialisation, where a `<` in text is always escaped (so each `<` starts a tag)
/// and attribute values are double-quoted (and may hold `<`, `>`).
fn add_missing_alt(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 16);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let (before, from_tag) = rest.split_at(open);
        out.push_str(before);
        let (tag, after) = from_tag.split_at(tag_length(from_tag));
        match tag.strip_prefix("<img") {
            Some(attributes)
                if is_tag_name_end(attributes) && !has_attribute(attributes, "alt") =>
            {
                out.push_str("<img alt=\"\"");
                out.push_str(attributes);
            }
            _ => out.push_str(tag),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Length of the tag `html` starts with, up to and including its `>` outside quotes.
fn tag_length(html: &str) -> usize {
    let mut in_quotes = false;
    for (index, c) in html.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            '>' if !in_quotes => return index + 1,
            _ => {}
        }
    }
    html.len()
}

/// True when `rest` (what follows `<img`) does not continue the tag name (`<imgx>`).
fn is_tag_name_end(rest: &str) -> bool {
    rest.starts_with([' ', '>', '/'])
}

/// Whether the attribute list (` src="…" alt="…">`) names `name`, ignoring quoted values.
fn has_attribute(attributes: &str, name: &str) -> bool {
    attributes
        .split('"')
        .step_by(2) // the pieces outside quotes
        .flat_map(|piece| piece.split([' ', '/', '>']))
        .any(|word| word.trim_end_matches('=') == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_and_web_urls_are_safe() {
        assert!(is_safe_url("/新闻/2024/揭榜挂帅/", false));
        assert!(is_safe_url("政策解讀.html#第一條", false));
        assert!(is_safe_url("https://kjt.sc.gov.cn/通知?id=1", false));
        assert!(is_safe_url("mailto:kjj@guangyuan.gov.cn", false));
        assert!(is_safe_url("#脚注", false));
        assert!(is_safe_url("?page=2:3", false));
        // Not schemes: a browser reads these as relative paths.
        assert!(is_safe_url("foo):", false));
        assert!(is_safe_url("政策:解读.html", false));
    }

    #[test]
    fn script_schemes_are_refused_in_any_spelling() {
        for url in [
            "javascript:alert(1)",
            "JavaScript:alert('通知')",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "data:image/png;base64,AAAA",
        ] {
            assert!(!is_safe_url(url, false), "{url:?}");
        }
    }

    #[test]
    fn images_may_use_data_image_only() {
        assert!(is_safe_url("data:image/png;base64,iVBORw0KGgo=", true));
        assert!(is_safe_url("DATA:IMAGE/gif;base64,R0lGOD", true));
        assert!(!is_safe_url("data:text/html;base64,PHNjcmlwdD4=", true));
        assert!(!is_safe_url("javascript:alert('圖片')", true));
        assert!(is_safe_url("/images/会商现场.jpg", true));
    }

    #[test]
    fn sanitizer_removes_executable_markup() {
        let dirty = concat!(
            "<p onclick=\"steal()\">科技局通知<script>alert(1)</script></p>",
            "<style>body{display:none}</style>",
            "<iframe src=\"https://evil.example/\"></iframe>",
            "<object data=\"x.swf\"></object>",
            "<a href=\"javascript:alert(1)\">點擊</a>",
            "<a href=\"vbscript:x\">b</a>",
            "<a href=\"data:text/html,x\">c</a>",
            "<img src=\"x.png\" onerror=\"alert(1)\">",
        );
        let clean = sanitize_html(dirty);
        for banned in [
            "<script",
            "alert(1)",
            "<style",
            "display:none",
            "<iframe",
            "<object",
            "onclick",
            "onerror",
            "javascript:",
            "vbscript:",
            "data:text",
        ] {
            assert!(!clean.contains(banned), "{banned} in {clean}");
        }
        assert!(clean.contains("科技局通知"));
        assert!(clean.contains("點擊"));
    }

    #[test]
    fn sanitizer_keeps_our_own_markup() {
        let ours = concat!(
            "<h2 id=\"工作目标\" class=\"c\">工作目标</h2>",
            "<pre class=\"hl-code\"><code class=\"language-rust\"><span class=\"hl-source\">x</span></code></pre>",
            "<table><thead><tr><th style=\"text-align: center\">地區</th></tr></thead></table>",
            "<ul><li><input disabled=\"\" type=\"checkbox\" checked=\"\">完成</li></ul>",
            "<p>文<sup class=\"footnote-reference\" id=\"fnref-1\"><a href=\"#fn-1\">1</a></sup></p>",
            "<section class=\"footnotes\"><ol><li id=\"fn-1\"><p>注</p></li></ol></section>",
            "<p>行一<br>行二<sup>2</sup><span>重點</span></p>",
            "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"圖\">",
        );
        let clean = sanitize_html(ours);
        for kept in [
            "id=\"工作目标\"",
            "class=\"hl-code\"",
            "class=\"language-rust\"",
            "class=\"hl-source\"",
            "style=\"text-align:center\"",
            "type=\"checkbox\"",
            "checked",
            "disabled",
            "id=\"fnref-1\"",
            "href=\"#fn-1\"",
            "<section class=\"footnotes\">",
            "<li id=\"fn-1\">",
            "<br>",
            "<sup>2</sup>",
            "<span>重點</span>",
            "src=\"data:image/png;base64,iVBORw0KGgo=\"",
        ] {
            assert!(clean.contains(kept), "{kept} missing in {clean}");
        }
        assert!(!clean.contains("rel="), "{clean}");
    }

    #[test]
    fn styles_other_than_alignment_are_dropped() {
        let clean = sanitize_html(
            "<table><tr><td style=\"text-align: right; background: url(x)\">一</td></tr></table>",
        );
        assert!(clean.contains("text-align:right"), "{clean}");
        assert!(!clean.contains("background"), "{clean}");
    }

    #[test]
    fn obsolete_cms_markup_is_made_html5() {
        let clean = sanitize_html(concat!(
            "<center><font color=\"red\">四川省科学技术厅</font></center>",
            "<table align=\"center\" summary=\"表\"><tr><td align=\"left\" colspan=\"0\">項目</td>",
            "<td colspan=\"2\" width=\"50%\">金額</td></tr></table>",
            "<img src=\"a.jpg\" width=\"100%\" height=\"300\" align=\"left\">",
            "<p lang=\"zh_CN\">简体</p><p lang=\"zh-Hant\">繁體</p><strike>舊</strike><tt>碼</tt>",
        ));
        for gone in [
            "<center",
            "<font",
            "align=",
            "summary=",
            "colspan=\"0\"",
            "width=",
            "zh_CN",
            "<strike",
            "<tt",
        ] {
            assert!(!clean.contains(gone), "{gone} in {clean}");
        }
        for kept in [
            "四川省科学技术厅",
            "colspan=\"2\"",
            "height=\"300\"",
            "lang=\"zh-Hant\"",
            "舊",
            "碼",
        ] {
            assert!(clean.contains(kept), "{kept} missing in {clean}");
        }
    }

    #[test]
    fn images_without_alt_get_an_empty_one() {
        let clean = sanitize_html(concat!(
            "<p><img src=\"/圖片/會商.jpg\"> <img src=\"b.png\" alt=\"广元会商现场\">",
            "<img src=\"c.png\" title=\"alt=&gt;x\"></p>",
        ));
        assert!(
            clean.contains("<img alt=\"\" src=\"/圖片/會商.jpg\">"),
            "{clean}"
        );
        assert!(clean.contains("alt=\"广元会商现场\""), "{clean}");
        assert!(!clean.contains("alt=\"\" src=\"b.png\""), "{clean}");
        assert!(clean.contains("<img alt=\"\" src=\"c.png\""), "{clean}");
        assert_eq!(
            add_missing_alt("<p>文<img src=\"x\" title=\"a>b\"></p>"),
            "<p>文<img alt=\"\" src=\"x\" title=\"a>b\"></p>"
        );
        assert_eq!(add_missing_alt("<imgx>未閉合<img"), "<imgx>未閉合<img");
    }

    #[test]
    fn inputs_stay_checkboxes() {
        let clean = sanitize_html("<input type=\"text\" value=\"密碼\">");
        assert!(clean.contains("type=\"checkbox\""), "{clean}");
        assert!(!clean.contains("value"), "{clean}");
    }
}
