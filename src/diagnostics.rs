//! Errors as values: every problem gazette reports names a file, a line and what to do.
//!
//! Only `main.rs` (and serve's terminal and browser overlay) print these; the pipeline
//! collects them so that one run reports every bad file, not just the first. [`snippet`]
//! adds the offending source line, [`json`] the `--format json` document.
//!
//! A warning is a [`Diagnostic`] too, kept in a list of its own ([`BuildReport::warnings`](crate::BuildReport)):
//! which list holds it is its severity, so every error stays an error wherever it goes
//! and a warning can never fail a build.

pub mod json;
pub mod snippet;

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::text::names::is_invisible;

/// One problem in one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    /// The message goes through [`shown`], like the help: both quote what users wrote.
    pub fn new(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic { file: file.into(), line: None, column: None, message: shown(&message.into()).into_owned(), help: None }
    }

    pub fn at(mut self, line: usize, column: Option<usize>) -> Self {
        self.line = Some(line);
        self.column = column;
        self
    }

    pub fn at_line(self, line: Option<usize>) -> Self {
        match line {
            Some(l) => self.at(l, None),
            None => self,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(shown(&help.into()).into_owned());
        self
    }

    /// For problems that are not about one input file (an I/O failure while writing).
    pub fn general(message: impl Into<String>) -> Self {
        Diagnostic::new(PathBuf::new(), message)
    }
}

/// How bad a diagnostic is: errors fail the command, warnings are printed and it goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// `error` / `warning`, as printed before the message and in JSON's `severity`.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl Diagnostic {
    /// `file:line:col: error: message`, the first line of every report.
    fn fmt_heading(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_heading_as(f, Severity::Error)
    }

    /// `file:line:col: warning: message` and the like.
    fn fmt_heading_as(&self, f: &mut fmt::Formatter<'_>, severity: Severity) -> fmt::Result {
        if !self.file.as_os_str().is_empty() {
            write!(f, "{}", self.file.display())?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(col) = self.column {
                    write!(f, ":{col}")?;
                }
            }
            write!(f, ": ")?;
        }
        write!(f, "{}: {}", severity.label(), shown(&self.message))
    }

    fn fmt_help(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.help {
            // Set directly by some callers, so made visible here too.
            Some(help) => write!(f, "\n  help: {}", shown(help)),
            None => Ok(()),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_heading(f)?;
        self.fmt_help(f)
    }
}

/// A failed build: every diagnostic found, sorted by file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    pub diagnostics: Vec<Diagnostic>,
}

impl BuildError {
    pub fn new(mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        BuildError { diagnostics }
    }

    pub fn one(d: Diagnostic) -> Self {
        BuildError { diagnostics: vec![d] }
    }

    pub fn io(path: &Path, action: &str, err: &std::io::Error) -> Self {
        BuildError::one(Diagnostic::new(path, format!("could not {action}: {err}")))
    }

    /// The errors as a terminal shows them: files relative to the site `root`, each with
    /// its source line and a caret under the column. (`Display` is the same without the
    /// source lines, for callers that do not know the root.)
    pub fn with_sources<'a>(&'a self, root: &'a Path) -> snippet::WithSources<'a> {
        snippet::WithSources { diagnostics: &self.diagnostics, severity: Severity::Error, root }
    }
}

/// Warnings as a terminal shows them: like [`BuildError::with_sources`], each headed
/// `warning:`, and `N warnings` after several.
pub fn warnings_with_sources<'a>(warnings: &'a [Diagnostic], root: &'a Path) -> snippet::WithSources<'a> {
    snippet::WithSources { diagnostics: warnings, severity: Severity::Warning, root }
}

impl BuildError {
}

impl From<Diagnostic> for BuildError {
    fn from(d: Diagnostic) -> Self {
        BuildError::one(d)
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        let n = self.diagnostics.len();
        if n > 1 {
            write!(f, "\n{n} errors")?;
        }
        Ok(())
    }
}

impl std::error::Error for BuildError {}

/// Text for a message, with every character a reader could not see or tell from a space
/// written as its code point: `科技合作<U+200B>`, `科技<U+3000>创新`. Invisible characters
/// (zero-width spaces, joiners, BOMs, direction marks …), control characters (which could
/// also move a terminal's cursor) and spaces other than the ASCII one; newlines stay.
/// Every [`Diagnostic`] message and help passes here, so quoted values are always seen as
/// they are written.
pub fn shown(text: &str) -> Cow<'_, str> {
    let hidden = |c: char| c != '\n' && c != ' ' && (is_invisible(c) || c.is_control() || c.is_whitespace());
    if !text.contains(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&code_point(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `<U+200B>`: how a character is shown where it could not be seen.
pub fn code_point(c: char) -> String {
    format!("<U+{:04X}>", u32::from(c))
}

/// The closest of `candidates` to a misspelt `word`, for "did you mean" hints.
pub fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_key() {
        let keys = ["title", "date", "region", "category", "tags"];
        assert_eq!(suggest("catagory", &keys), Some("category"));
        assert_eq!(suggest("regoin", &keys), Some("region"));
        assert_eq!(suggest("zzzzzzzz", &keys), None);
    }

    #[test]
    fn invisible_characters_are_shown_by_code_point() {
        let d = Diagnostic::new("content/a.md", "unknown category `科技合作\u{200B}`").help("did you mean `科技合作`?\u{FEFF}");
        assert_eq!(d.message, "unknown category `科技合作<U+200B>`");
        assert_eq!(d.to_string(), "content/a.md: error: unknown category `科技合作<U+200B>`\n  help: did you mean `科技合作`?<U+FEFF>");
        assert_eq!(shown("科技\u{3000}创新\u{00A0}\t\u{1b}[31m"), "科技<U+3000>创新<U+00A0><U+0009><U+001B>[31m");
        assert_eq!(shown("第一行\n第二行 New Energy"), "第一行\n第二行 New Energy");
    }

    #[test]
    fn display_names_file_line_and_help() {
        let d = Diagnostic::new("content/a.md", "unknown key `catagory`").at(3, Some(1)).help("did you mean `category`?");
        assert_eq!(d.to_string(), "content/a.md:3:1: error: unknown key `catagory`\n  help: did you mean `category`?");
    }
}
