//! The default theme, compiled into the binary, so that a site folder with content and a
//! site.toml but no `themes/default/` builds as it is. A site's own `themes/default/`
//! replaces it.

/// (template name, source) of `themes/default/templates/`.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("404.html", include_str!("../../themes/default/templates/404.html")),
    ("article.html", include_str!("../../themes/default/templates/article.html")),
    ("base.html", include_str!("../../themes/default/templates/base.html")),
    ("entries.html", include_str!("../../themes/default/templates/entries.html")),
    ("entry.html", include_str!("../../themes/default/templates/entry.html")),
    ("footer.html", include_str!("../../themes/default/templates/footer.html")),
    ("head.html", include_str!("../../themes/default/templates/head.html")),
    ("header.html", include_str!("../../themes/default/templates/header.html")),
    ("home.html", include_str!("../../themes/default/templates/home.html")),
    ("list.html", include_str!("../../themes/default/templates/list.html")),
    ("macros.html", include_str!("../../themes/default/templates/macros.html")),
    ("pagination.html", include_str!("../../themes/default/templates/pagination.html")),
    ("script_links.html", include_str!("../../themes/default/templates/script_links.html")),
    ("script_switch.html", include_str!("../../themes/default/templates/script_switch.html")),
    ("search.html", include_str!("../../themes/default/templates/search.html")),
    ("terms.html", include_str!("../../themes/default/templates/terms.html")),
];

/// (path in the output, bytes) of `themes/default/static/`.
pub const STATIC: &[(&str, &[u8])] = &[
    ("css/style.css", include_bytes!("../../themes/default/static/css/style.css")),
    ("favicon.svg", include_bytes!("../../themes/default/static/favicon.svg")),
    ("js/article.js", include_bytes!("../../themes/default/static/js/article.js")),
    ("js/elder.js", include_bytes!("../../themes/default/static/js/elder.js")),
    ("js/search.js", include_bytes!("../../themes/default/static/js/search.js")),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Adding a file to themes/default without listing it here would ship a broken theme.
    #[test]
    fn every_theme_file_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = TEMPLATES
            .iter()
            .map(|(n, _)| format!("templates/{n}"))
            .chain(STATIC.iter().map(|(n, _)| format!("static/{n}")))
            .collect();
        embedded.sort();
        assert_eq!(embedded, on_disk);
    }
}
