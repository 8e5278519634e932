//! `include_cached`, the template function for parts of a page that do not depend on the
//! page (docs/templates.md): a header, a navigation bar, a footer. It renders a template
//! with `site` and the arguments it is given once per build for each distinct set of
//! arguments, and every later call with the same arguments reuses that HTML, the way
//! Hugo's `partialCached` does.
//!
//! Why: Tera 1 looks up every dotted name anew on every page (about 3,500 instructions
//! each), and the default theme's header and footer were a quarter of the render stage,
//! the same few variants rendered for ten thousand pages.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, PoisonError};

use serde_json::Value;

/// The function's name in templates.
pub const NAME: &str = "include_cached";

/// The argument naming the template to render; every other argument is passed to it.
const TEMPLATE_ARG: &str = "template";

/// `include_cached` for one build of one site.
pub struct CachedInclude {
    /// The theme's templates, without this function: a cached part cannot itself call it.
    tera: tera::Tera,
    site: Value,
    /// HTML by template name and arguments (their JSON, keys sorted).
    rendered: Mutex<HashMap<String, String>>,
}

impl CachedInclude {
    pub fn new(tera: tera::Tera, site: Value) -> CachedInclude {
        CachedInclude { tera, site, rendered: Mutex::new(HashMap::new()) }
    }

    fn render(&self, template: &str, args: &BTreeMap<&String, &Value>) -> tera::Result<String> {
        let mut context = tera::Context::new();
        context.insert("site", &self.site);
        for (name, value) in args {
            context.insert(name.as_str(), value);
        }
        let html = self.tera.render(template, &context)?;
        // Trimmed, as entry.html is: the template file's final newline stays out of the page.
        Ok(html.trim().to_string())
    }
}

impl tera::Function for CachedInclude {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let Some(template) = args.get(TEMPLATE_ARG) else {
            return Err(tera::Error::msg(format!(
                "{NAME} needs the template to render, e.g. {NAME}(template=\"header.html\", section=section)"
            )));
        };
        let Some(template) = template.as_str() else {
            return Err(tera::Error::msg(format!("{NAME}: `{TEMPLATE_ARG}` must be a template name such as \"header.html\", not {template}")));
        };
        let passed: BTreeMap<&String, &Value> = args.iter().filter(|(name, _)| name.as_str() != TEMPLATE_ARG).collect();
        let key = format!("{template}\n{}", serde_json::to_string(&passed).unwrap_or_default());
        let cached = self.rendered.lock().unwrap_or_else(PoisonError::into_inner).get(&key).cloned();
        let html = match cached {
            Some(html) => html,
            None => {
                // Rendered outside the lock; two pages asking at once get the same text.
                let html = self
                    .render(template, &passed)
                    .map_err(|e| tera::Error::chain(format!("{NAME}: cannot render '{template}'"), e))?;
                self.rendered.lock().unwrap_or_else(PoisonError::into_inner).insert(key, html.clone());
                html
            }
        };
        Ok(Value::String(html))
    }

    /// Its HTML was escaped where the included template printed values.
    fn is_safe(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tera::Function;

    fn include() -> CachedInclude {
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(vec![("part.html", "\n<p>{{ site.title }}｜{{ n }}｜{{ page.title | default(value=\"无页面\") }}</p>\n"), ("bad.html", "{{ nope.x }}")])
            .unwrap();
        tera.autoescape_on(vec![".html"]);
        CachedInclude::new(tera, json!({"title": "川渝<科技>"}))
    }

    fn call(include: &CachedInclude, args: Value) -> tera::Result<Value> {
        let args: HashMap<String, Value> = serde_json::from_value(args).unwrap();
        include.call(&args)
    }

    fn cached(include: &CachedInclude) -> usize {
        include.rendered.lock().unwrap().len()
    }

    #[test]
    fn renders_with_site_and_the_arguments_once_for_each_set_of_them() {
        let include = include();
        let first = call(&include, json!({"template": "part.html", "n": "一"})).unwrap();
        // Trimmed; escaped where the part printed values; no page in sight.
        assert_eq!(first, json!("<p>川渝&lt;科技&gt;｜一｜无页面</p>"));
        assert_eq!(call(&include, json!({"template": "part.html", "n": "一"})).unwrap(), first);
        assert_eq!(cached(&include), 1, "the same arguments reuse the first render");
        assert_eq!(call(&include, json!({"template": "part.html", "n": 2})).unwrap(), json!("<p>川渝&lt;科技&gt;｜2｜无页面</p>"));
        assert_eq!(cached(&include), 2);
        assert!(include.is_safe(), "its HTML is not escaped again");
    }

    #[test]
    fn a_missing_or_failing_template_is_an_error_that_names_it() {
        let include = include();
        let message = |args| call(&include, args).map(|_| ()).map_err(|e| crate::render::theme::error_chain(&e)).unwrap_err();
        assert!(message(json!({"n": 1})).contains("include_cached needs the template to render"));
        assert!(message(json!({"template": 3})).contains("must be a template name"));
        let missing = message(json!({"template": "nowhere.html"}));
        assert!(missing.contains("cannot render 'nowhere.html'") && missing.contains("not found"), "{missing}");
        let failing = message(json!({"template": "bad.html"}));
        assert!(failing.contains("cannot render 'bad.html'") && failing.contains("nope.x"), "{failing}");
        assert_eq!(cached(&include), 0, "nothing is kept of a failed render");
    }
}
