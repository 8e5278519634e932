//! The `--format json` documents of `gazette build` and `gazette check`, for editors' tools
//! and CI annotations. The format is described in docs/errors.md; `version` changes only
//! when a field changes meaning or goes away (new fields may be added).

use std::path::Path;

use serde_json::{json, Value};

use crate::diagnostics::snippet::{shown_path, SourceCache, Snippet};
use crate::diagnostics::{shown, BuildError, Diagnostic, Severity};
use crate::BuildReport;

/// The version of the documents below.
pub const FORMAT_VERSION: u32 = 1;

/// A failed `command`: every diagnostic, files relative to `root`, with source snippets.
pub fn failure(command: &str, error: &BuildError, root: &Path) -> Value {
    let errors = diagnostics(&error.diagnostics, Severity::Error, root);
    json!({
        "version": FORMAT_VERSION,
        "command": command,
        "ok": false,
        "root": absolute(root),
        "error_count": errors.len(),
        "errors": errors,
    })
}

/// Each diagnostic as an object, files relative to `root`, with its source snippet.
fn diagnostics(list: &[Diagnostic], severity: Severity, root: &Path) -> Vec<Value> {
    let mut sources = SourceCache::default();
    list.iter()
        .map(|d| {
            let d = Diagnostic {
                file: shown_path(root, &d.file),
                message: shown(&d.message).into_owned(),
                help: d.help.as_deref().map(|h| shown(h).into_owned()),
                ..d.clone()
            };
            let snippet = sources.snippet(&d, root);
            diagnostic(&d, severity, snippet.as_ref())
        })
        .collect()
}

/// A successful `gazette build`.
pub fn built(report: &BuildReport, root: &Path) -> Value {
    json!({
        "version": FORMAT_VERSION,
        "command": "build",
        "ok": true,
        "root": absolute(root),
        "error_count": 0,
        "errors": [],
        "warning_count": report.warnings.len(),
        "warnings": diagnostics(&report.warnings, Severity::Warning, root),
        "articles": report.articles,
        "files": report.files,
        "bytes": report.bytes,
        "output": absolute(&report.output),
        "elapsed_ms": u64::try_from(report.elapsed.as_millis()).unwrap_or(u64::MAX),
    })
}

/// A successful `gazette check` of `articles` articles, with its `warnings`.
pub fn checked(articles: usize, warnings: &[Diagnostic], root: &Path) -> Value {
    json!({
        "version": FORMAT_VERSION,
        "command": "check",
        "ok": true,
        "root": absolute(root),
        "error_count": 0,
        "errors": [],
        "warning_count": warnings.len(),
        "warnings": diagnostics(warnings, Severity::Warning, root),
        "articles": articles,
    })
}

/// One diagnostic; `file` is null for problems that belong to no file.
fn diagnostic(d: &Diagnostic, severity: Severity, snippet: Option<&Snippet>) -> Value {
    let file = (!d.file.as_os_str().is_empty()).then(|| d.file.to_string_lossy().into_owned());
    let mut value = json!({
        "severity": severity.label(),
        "file": file,
        "line": d.line,
        "column": d.column,
        "message": d.message,
        "help": d.help,
    });
    if let (Some(s), Some(map)) = (snippet, value.as_object_mut()) {
        map.insert("snippet".into(), snippet_json(s));
    }
    value
}

fn snippet_json(s: &Snippet) -> Value {
    let caret = s.caret.map(|(start, width)| json!({ "start": start, "width": width }));
    json!({ "line": s.line, "text": s.text, "caret": caret, "rendered": s.render() })
}

/// The root as an absolute path (not resolving symbolic links), so that tools can open
/// `root/file` from any working folder.
fn absolute(path: &Path) -> String {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()).to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_lists_every_error_with_its_snippet() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/旺苍.md"), "---\ntitle: 局县会商\ncatagory: 科技合作\n---\n").unwrap();
        let error = BuildError::new(vec![
            Diagnostic::new(dir.path().join("content/旺苍.md"), "unknown field `catagory`").at(3, Some(1)).help("did you mean `category`?"),
            Diagnostic::general("could not write the output"),
        ]);
        let doc = failure("build", &error, dir.path());
        assert_eq!(doc["ok"], false);
        assert_eq!(doc["error_count"], 2);
        let errors = doc["errors"].as_array().unwrap();
        assert_eq!(errors[0]["file"], Value::Null);
        assert!(errors[0].get("snippet").is_none());
        let typo = &errors[1];
        assert_eq!(typo["file"], "content/旺苍.md");
        assert_eq!((typo["line"].as_u64(), typo["column"].as_u64()), (Some(3), Some(1)));
        assert_eq!(typo["help"], "did you mean `category`?");
        assert_eq!(typo["snippet"]["text"], "catagory: 科技合作");
        assert_eq!(typo["snippet"]["caret"], json!({ "start": 0, "width": 1 }));
        assert_eq!(doc["root"], std::path::absolute(dir.path()).unwrap().to_string_lossy().as_ref());
    }

    #[test]
    fn a_successful_check_has_an_empty_error_list() {
        let doc = checked(12, &[], Path::new("."));
        assert_eq!(doc["ok"], true);
        assert_eq!(doc["articles"], 12);
        assert_eq!(doc["errors"], json!([]));
        assert_eq!((doc["warning_count"].as_u64(), &doc["warnings"]), (Some(0), &json!([])));
    }
}
