//! Source snippets under an error: the offending line, trimmed to fit a terminal, with a
//! caret under the column, lined up even when the line holds Chinese (double-width) text.
//!
//! Our own renderer rather than miette or codespan: we need one line and one caret, and a
//! diagnostic crate would bring its own error types, colours and a dozen dependencies for
//! what is below. `unicode-width` gives the East Asian widths.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use unicode_width::UnicodeWidthChar;

use crate::diagnostics::{code_point, Diagnostic, Severity};
use crate::text::names::is_invisible;

/// A line wider than this (in terminal columns) is cut around the column.
pub const MAX_WIDTH: usize = 100;
/// Files larger than this are not read for a snippet (articles are limited to 8 MiB).
const MAX_SOURCE_BYTES: u64 = 16 * 1024 * 1024;
/// How tabs are shown: always this many spaces, so the caret can be placed.
const TAB: &str = "    ";
const ELLIPSIS: char = '…';

/// One line of source as shown under an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The 1-based line number in the file.
    pub line: usize,
    /// The line as shown: tabs expanded, control characters dropped, cut with `…` when long.
    pub text: String,
    /// Where the caret goes in `text`: (terminal columns before it, its width). `None` when
    /// the diagnostic names a line but no column.
    pub caret: Option<(usize, usize)>,
}

impl Snippet {
    /// The snippet for `line` (1-based) and `column` (1-based, in characters) of `source`;
    /// `None` when the line is not in the source.
    pub fn from_source(source: &str, line: usize, column: Option<usize>) -> Option<Snippet> {
        let raw = source.split('\n').nth(line.checked_sub(1)?)?;
        let cells = display_cells(raw.strip_suffix('\r').unwrap_or(raw));
        let caret_at = column.map(|c| c.max(1) - 1);
        let (text, caret) = fit(&cells, caret_at);
        Some(Snippet { line, text, caret })
    }

    /// Reads `path` and cuts the snippet; `None` when the file cannot be read, is not UTF-8
    /// or has no such line.
    pub fn from_file(path: &Path, line: usize, column: Option<usize>) -> Option<Snippet> {
        Snippet::from_source(&read_source(path)?, line, column)
    }

    /// The snippet as printed: a gutter with the line number, the line, the caret.
    pub fn render(&self) -> String {
        let number = self.line.to_string();
        let pad = " ".repeat(number.len());
        let mut out = format!("{pad} |\n{number} | {}", self.text);
        if let Some((before, width)) = self.caret {
            let _ = write!(out, "\n{pad} | {}{}", " ".repeat(before), "^".repeat(width.max(1)));
        }
        out
    }
}

/// The snippet of a diagnostic, with its file found under the site `root`.
pub fn for_diagnostic(d: &Diagnostic, root: &Path) -> Option<Snippet> {
    Snippet::from_file(&locate(root, &d.file)?, d.line?, d.column)
}

/// The file a diagnostic names: as given when absolute, else under the site root, else
/// relative to the working folder (paths that already start with the root).
pub fn locate(root: &Path, file: &Path) -> Option<PathBuf> {
    if file.as_os_str().is_empty() {
        return None;
    }
    if file.is_absolute() {
        return Some(file.to_path_buf());
    }
    [root.join(file), file.to_path_buf()].into_iter().find(|p| p.is_file())
}

/// `content/a.md` rather than `./content/a.md` or `/srv/site/content/a.md` (some paths come
/// back absolute and with symbolic links resolved, e.g. from the template engine).
pub fn shown_path(root: &Path, file: &Path) -> PathBuf {
    let roots = [Some(root.to_path_buf()), std::path::absolute(root).ok(), std::fs::canonicalize(root).ok()];
    roots
        .into_iter()
        .flatten()
        .find_map(|r| file.strip_prefix(r).ok().filter(|p| !p.as_os_str().is_empty()).map(Path::to_path_buf))
        .unwrap_or_else(|| file.to_path_buf())
}

/// Diagnostics as printed in a terminal: each with its source line, headed by its
/// severity (`error:` for a failed build, `warning:` for a build's warnings).
pub struct WithSources<'a> {
    pub diagnostics: &'a [Diagnostic],
    pub severity: Severity,
    pub root: &'a Path,
}

impl std::fmt::Display for WithSources<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut sources = SourceCache::default();
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                // a blank line between errors: each is several lines long now
                write!(f, "\n\n")?;
            }
            let d = Diagnostic { file: shown_path(self.root, &d.file), ..d.clone() };
            d.fmt_heading_as(f, self.severity)?;
            if let Some(snippet) = sources.snippet(&d, self.root) {
                write!(f, "\n{}", indent(&snippet.render()))?;
            }
            d.fmt_help(f)?;
        }
        let n = self.diagnostics.len();
        if n > 1 {
            write!(f, "\n{n} {}s", self.severity.label())?;
        }
        Ok(())
    }
}

/// Files read once per report, however many errors they hold.
#[derive(Default)]
pub struct SourceCache {
    files: HashMap<PathBuf, Option<String>>,
}

impl SourceCache {
    pub fn snippet(&mut self, d: &Diagnostic, root: &Path) -> Option<Snippet> {
        let line = d.line?;
        let path = locate(root, &d.file)?;
        let source = self.files.entry(path).or_insert_with_key(|p| read_source(p));
        Snippet::from_source(source.as_deref()?, line, d.column)
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")
}

/// The text the loader saw (BOM and CR removed the same way), or nothing for a file that
/// is not a regular file, too large, or not UTF-8.
fn read_source(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_SOURCE_BYTES {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).ok()?;
    Some(if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text.to_string() })
}

/// One character of the line and the terminal columns it takes.
#[derive(Debug, Clone, Copy)]
struct Cell {
    ch: char,
    width: usize,
}

/// The line's characters with their widths. Control characters (which could move the
/// cursor or recolour the terminal) take no room and are not printed, but still count as
/// a character, so columns stay those of the file; a tab takes [`TAB`]; an invisible
/// character is shown as its code point (`<U+200B>`), as in messages.
fn display_cells(line: &str) -> Vec<Cell> {
    line.chars()
        .map(|ch| match ch {
            '\t' => Cell { ch, width: TAB.len() },
            c if c.is_control() => Cell { ch, width: 0 },
            c if is_invisible(c) => Cell { ch, width: code_point(c).len() },
            c => Cell { ch, width: c.width().unwrap_or(0) },
        })
        .collect()
}

fn cells_text(cells: &[Cell]) -> String {
    let mut text = String::new();
    for cell in cells {
        match cell.ch {
            '\t' => text.push_str(TAB),
            c if c.is_control() => {}
            c if is_invisible(c) => text.push_str(&code_point(c)),
            c => text.push(c),
        }
    }
    text
}

fn width_of(cells: &[Cell]) -> usize {
    cells.iter().map(|c| c.width).sum()
}

/// The shown text and the caret's (offset, width), cutting a long line to a window of
/// [`MAX_WIDTH`] columns that holds the caret. `caret_at` is a 0-based character index; past
/// the end of the line the caret goes just after it.
fn fit(cells: &[Cell], caret_at: Option<usize>) -> (String, Option<(usize, usize)>) {
    let caret_at = caret_at.map(|i| i.min(cells.len()));
    let caret_width = |i: usize| cells.get(i).map_or(1, |c| c.width.max(1));
    if width_of(cells) <= MAX_WIDTH {
        let caret = caret_at.map(|i| (width_of(cells.get(..i).unwrap_or(cells)), caret_width(i)));
        return (cells_text(cells), caret);
    }
    let start = window_start(cells, caret_at.unwrap_or(0));
    let end = window_end(cells, start);
    let mut text = String::new();
    let mut offset = 0;
    if start > 0 {
        text.push(ELLIPSIS);
        offset = 1;
    }
    let window = cells.get(start..end).unwrap_or_default();
    text.push_str(&cells_text(window));
    if end < cells.len() {
        text.push(ELLIPSIS);
    }
    let caret = caret_at.map(|i| (offset + width_of(cells.get(start..i).unwrap_or_default()), caret_width(i)));
    (text, caret)
}

/// The first character shown: the line's start when the caret is near it, else about a
/// third of the window before the caret.
fn window_start(cells: &[Cell], caret_at: usize) -> usize {
    let before = MAX_WIDTH / 3;
    let mut start = caret_at.min(cells.len());
    let mut width = 0;
    while start > 0 {
        let w = cells.get(start - 1).map_or(0, |c| c.width);
        if width + w > before {
            break;
        }
        width += w;
        start -= 1;
    }
    start
}

/// One past the last character that fits in the window (leaving room for two `…`).
fn window_end(cells: &[Cell], start: usize) -> usize {
    let room = MAX_WIDTH - 2;
    let mut width = 0;
    let mut end = start;
    while let Some(c) = cells.get(end) {
        if width + c.width > room {
            break;
        }
        width += c.width;
        end += 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_shown_and_the_caret_stays_under_its_character() {
        let s = Snippet::from_source("catego\u{200B}ry: 科技合作", 1, Some(8)).unwrap();
        assert_eq!(s.text, "catego<U+200B>ry: 科技合作");
        assert_eq!(s.caret, Some((14, 1)), "under the `r`");
    }

    /// The column (in terminal cells) where the caret line's `^` starts, and the text above it.
    fn caret_col(rendered: &str) -> usize {
        let caret_line = rendered.lines().last().unwrap();
        caret_line.find('^').unwrap()
    }

    /// Terminal columns of `s`.
    fn cols(s: &str) -> usize {
        s.chars().map(|c| c.width().unwrap_or(0)).sum()
    }

    #[test]
    fn ascii_caret_sits_under_the_column() {
        let s = Snippet::from_source("---\ntitle: x\ncatagory: 科技合作\n---\n", 3, Some(1)).unwrap();
        assert_eq!(s.render(), "  |\n3 | catagory: 科技合作\n  | ^");
    }

    #[test]
    fn caret_under_a_simplified_chinese_character_lines_up() {
        // column 8 is 旺 (after "region: " is column 9: r-e-g-i-o-n-:-space = 8 chars)
        let source = "region: 四川省/广元市/旺苍县";
        let col = source.chars().position(|c| c == '旺').unwrap() + 1;
        let s = Snippet::from_source(source, 1, Some(col)).unwrap();
        let rendered = s.render();
        let text_line = rendered.lines().nth(1).unwrap();
        let prefix: String = text_line.chars().take_while(|&c| c != '旺').collect();
        assert_eq!(caret_col(&rendered), cols(&prefix), "{rendered}");
        assert_eq!(s.caret, Some((cols("region: 四川省/广元市/"), 2)), "a wide character gets a two-cell caret");
    }

    #[test]
    fn caret_under_traditional_chinese_and_full_width_punctuation_lines_up() {
        let source = "title: 「鎮江」新一輪創新發展藍圖：已繪就";
        let col = source.chars().position(|c| c == '藍').unwrap() + 1;
        let s = Snippet::from_source(source, 1, Some(col)).unwrap();
        assert_eq!(s.caret, Some((cols("title: 「鎮江」新一輪創新發展"), 2)));
    }

    #[test]
    fn tabs_are_spaces_and_the_caret_follows() {
        let s = Snippet::from_source("\ttags: [局县会商", 1, Some(2)).unwrap();
        assert_eq!(s.text, "    tags: [局县会商");
        assert_eq!(s.caret, Some((4, 1)));
    }

    #[test]
    fn control_characters_are_not_printed() {
        let s = Snippet::from_source("title: \u{1b}[31m红色\u{7}", 1, Some(8)).unwrap();
        assert!(!s.text.chars().any(char::is_control), "{:?}", s.text);
        assert_eq!(s.caret, Some((7, 1)));
    }

    #[test]
    fn a_line_beyond_the_end_has_no_snippet() {
        assert_eq!(Snippet::from_source("a\nb\n", 4, Some(1)), None);
        assert_eq!(Snippet::from_source("a\nb", 0, None), None);
        assert!(Snippet::from_source("a\nb\n", 3, Some(1)).is_some(), "the empty line after the last newline is the end of the file");
    }

    #[test]
    fn a_column_past_the_end_puts_the_caret_after_the_line() {
        let s = Snippet::from_source("title: [未闭合", 1, Some(99)).unwrap();
        assert_eq!(s.caret, Some((cols("title: [未闭合"), 1)));
    }

    #[test]
    fn no_column_means_no_caret() {
        let s = Snippet::from_source("date: 2024-02-30", 1, None).unwrap();
        assert_eq!(s.render(), "  |\n1 | date: 2024-02-30");
    }

    #[test]
    fn crlf_line_ends_are_not_shown() {
        let s = Snippet::from_source("---\r\ntitle: 標題\r\n", 2, Some(1)).unwrap();
        assert_eq!(s.text, "title: 標題");
    }

    #[test]
    fn a_long_line_is_cut_around_the_column() {
        let line = format!("summary: {}错{}", "科技创新".repeat(100), "县域发展".repeat(100));
        let col = line.chars().position(|c| c == '错').unwrap() + 1;
        let s = Snippet::from_source(&line, 1, Some(col)).unwrap();
        assert!(cols(&s.text) <= MAX_WIDTH, "{} columns", cols(&s.text));
        assert!(s.text.starts_with('…') && s.text.ends_with('…'), "{}", s.text);
        let (before, width) = s.caret.unwrap();
        let shown_before: String = s.text.chars().take_while(|&c| c != '错').collect();
        assert_eq!(before, cols(&shown_before));
        assert_eq!(width, 2);
    }

    #[test]
    fn a_long_line_with_the_column_near_the_start_keeps_the_start() {
        let line = format!("title: {}", "a".repeat(500));
        let s = Snippet::from_source(&line, 1, Some(1)).unwrap();
        assert!(s.text.starts_with("title: ") && s.text.ends_with('…'));
        assert_eq!(s.caret, Some((0, 1)));
        let s = Snippet::from_source(&line, 1, Some(10_000)).unwrap();
        assert!(s.text.starts_with('…') && !s.text.ends_with('…'), "{}", s.text);
        assert_eq!(s.caret, Some((cols(&s.text), 1)));
    }

    #[test]
    fn a_long_line_without_a_column_shows_its_start() {
        let line = "四川省科技厅".repeat(100);
        let s = Snippet::from_source(&line, 1, None).unwrap();
        assert!(s.text.starts_with("四川省") && s.text.ends_with('…'));
        assert!(cols(&s.text) <= MAX_WIDTH);
    }

    #[test]
    fn files_are_found_under_the_root_and_shown_relative_to_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/a.md"), "---\ntitle: 局县会商\ncatagory: 科技合作\n---\n").unwrap();
        let rel = Path::new("content/a.md");
        assert_eq!(locate(dir.path(), rel), Some(dir.path().join(rel)));
        assert_eq!(shown_path(dir.path(), &dir.path().join(rel)), rel);
        let resolved = std::fs::canonicalize(dir.path()).unwrap().join(rel);
        assert_eq!(shown_path(&dir.path().join("content/.."), &resolved), rel, "a root given with `..` or through a link");
        assert_eq!(shown_path(dir.path(), Path::new("/elsewhere/b.md")), Path::new("/elsewhere/b.md"));
        let d = Diagnostic::new(rel, "unknown field `catagory`").at(3, Some(1));
        assert_eq!(for_diagnostic(&d, dir.path()).unwrap().text, "catagory: 科技合作");
        assert_eq!(for_diagnostic(&d, &dir.path().join("elsewhere")), None);
    }

    #[test]
    fn a_file_that_is_not_utf8_has_no_snippet() {
        let dir = tempfile::tempdir().unwrap();
        let (gbk, _, _) = encoding_rs::GBK.encode("---\ntitle: 四川省科学技术厅\n---\n");
        std::fs::write(dir.path().join("gbk.md"), &gbk).unwrap();
        assert_eq!(Snippet::from_file(&dir.path().join("gbk.md"), 2, None), None);
    }

    #[test]
    fn the_terminal_report_holds_the_heading_the_snippet_and_the_help() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "---\ntitle: 錯字\ncatagory: 科技合作\n---\n").unwrap();
        let error = crate::diagnostics::BuildError::new(vec![
            Diagnostic::new("a.md", "unknown field `catagory`").at(3, Some(1)).help("did you mean `category`?"),
            Diagnostic::new("missing.md", "cannot read the file").at(1, None),
        ]);
        let shown = error.with_sources(dir.path()).to_string();
        assert_eq!(
            shown,
            "a.md:3:1: error: unknown field `catagory`\n    |\n  3 | catagory: 科技合作\n    | ^\n  help: did you mean `category`?\n\nmissing.md:1: error: cannot read the file\n2 errors"
        );
        // warnings look the same, headed `warning:`
        let shown = crate::diagnostics::warnings_with_sources(&error.diagnostics, dir.path()).to_string();
        assert!(shown.starts_with("a.md:3:1: warning: unknown field `catagory`\n    |\n  3 | catagory"), "{shown}");
        assert!(shown.ends_with("missing.md:1: warning: cannot read the file\n2 warnings"), "{shown}");
    }
}
