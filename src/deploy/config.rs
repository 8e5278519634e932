//! `[[deploy.targets]]` of site.toml: where `gazette deploy` publishes, validated like the
//! rest of the config (errors name the key and line). Credentials are never read here:
//! a key that looks like one is an error saying to use the environment.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::credentials::Provider;
use crate::config::line_col;
use crate::diagnostics::Diagnostic;

/// `[deploy]`, validated.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeployConfig {
    pub targets: Vec<Target>,
}

/// One `[[deploy.targets]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub name: String,
    /// As written (`s3://bucket/prefix`, `file:///srv/www/site`), for messages.
    pub url: String,
    pub kind: TargetKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TargetKind {
    S3(S3Target),
    /// An absolute folder (an nginx host's root, a mounted share).
    Dir(std::path::PathBuf),
}

#[derive(Debug, Clone, PartialEq)]
pub struct S3Target {
    pub bucket: String,
    /// Key prefix without slashes at either end; empty for the whole bucket.
    pub prefix: String,
    /// `https://oss-cn-hangzhou.aliyuncs.com`; `None`: AWS S3 of the region.
    pub endpoint: Option<String>,
    /// `None`: `AWS_REGION`, else `us-east-1`.
    pub region: Option<String>,
    /// `https://endpoint/bucket/key` rather than `https://bucket.endpoint/key`.
    pub path_style: bool,
    /// Send text files gzip-compressed with `Content-Encoding: gzip`.
    pub gzip: bool,
    /// Whose variables hold the keys (`provider =`, else by the endpoint's host).
    pub provider: Provider,
}

/// `[deploy]` as written.
#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct RawDeploy {
    targets: Vec<RawTarget>,
}

/// Keys that hold secrets in other tools' configs; here each is an error with its line.
const SECRET_KEYS: &[&str] = &[
    "access_key_id",
    "secret_access_key",
    "session_token",
    "access_key",
    "secret_key",
    "secret_id",
    "secret",
    "password",
    "token",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    name: Spanned<String>,
    url: Spanned<String>,
    endpoint: Option<Spanned<String>>,
    region: Option<Spanned<String>>,
    path_style: Option<Spanned<bool>>,
    content_encoding: Option<Spanned<String>>,
    provider: Option<Spanned<String>>,
    // Credentials: accepted by the parser only to be refused with a clear message.
    access_key_id: Option<Spanned<toml::Value>>,
    secret_access_key: Option<Spanned<toml::Value>>,
    session_token: Option<Spanned<toml::Value>>,
    access_key: Option<Spanned<toml::Value>>,
    secret_key: Option<Spanned<toml::Value>>,
    secret_id: Option<Spanned<toml::Value>>,
    secret: Option<Spanned<toml::Value>>,
    password: Option<Spanned<toml::Value>>,
    token: Option<Spanned<toml::Value>>,
}

impl RawTarget {
    fn secrets(&self) -> [&Option<Spanned<toml::Value>>; 9] {
        [
            &self.access_key_id,
            &self.secret_access_key,
            &self.session_token,
            &self.access_key,
            &self.secret_key,
            &self.secret_id,
            &self.secret,
            &self.password,
            &self.token,
        ]
    }
}

/// Checks every target; problems go to `errors`.
pub fn validate(raw: RawDeploy, text: &str, path: &Path, errors: &mut Vec<Diagnostic>) -> DeployConfig {
    let line = |start: usize| Some(line_col(text, start).0);
    let mut targets: Vec<Target> = Vec::new();
    for t in raw.targets {
        let mut ok = true;
        let mut err = |start: usize, message: String, help: &str| {
            errors.push(Diagnostic::new(path, message).at_line(line(start)).help(help));
            ok = false;
        };
        for (key, value) in SECRET_KEYS.iter().zip(t.secrets()) {
            if let Some(v) = value {
                err(
                    v.span().start,
                    format!("deploy.targets: `{key}` in site.toml: credentials are never read from site.toml"),
                    "remove the key and set the credentials in the environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or the store's own (OSS_ACCESS_KEY_ID, COS_SECRET_ID, OBS_ACCESS_KEY_ID …: docs/deploy.md)",
                );
            }
        }
        let name = t.name.get_ref().trim().to_string();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            err(t.name.span().start, format!("deploy.targets: `{name}` is not a target name"), "use ASCII letters, digits, `-` and `_`, e.g. name = \"oss\"");
        } else if targets.iter().any(|o| o.name == name) {
            err(t.name.span().start, format!("deploy.targets: two targets are named `{name}`"), "give every target its own name");
        }
        let url = t.url.get_ref().trim().to_string();
        let url_at = t.url.span().start;
        let kind = if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() || !bucket.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.') {
                err(url_at, format!("deploy.targets: `{url}` does not name a bucket"), "write url = \"s3://bucket\" or \"s3://bucket/prefix\" (lowercase bucket name)");
            }
            let endpoint = t.endpoint.as_ref().map(|e| e.get_ref().trim().trim_end_matches('/').to_string());
            if let (Some(e), Some(raw)) = (&endpoint, &t.endpoint) {
                let host = e.strip_prefix("https://").or_else(|| e.strip_prefix("http://"));
                if host.is_none_or(|h| h.is_empty() || h.contains(['/', '?', '#']) || h.contains(char::is_whitespace)) {
                    err(raw.span().start, format!("deploy.targets: endpoint `{e}` is not an http(s) address"), "write the service address only, e.g. endpoint = \"https://oss-cn-hangzhou.aliyuncs.com\"");
                }
            }
            let gzip = match &t.content_encoding {
                None => false,
                Some(v) if v.get_ref() == "gzip" => true,
                Some(v) => {
                    err(v.span().start, format!("deploy.targets: content_encoding `{}` is not supported", v.get_ref()), "write content_encoding = \"gzip\", or leave it out to send files as they are");
                    false
                }
            };
            let provider = match &t.provider {
                None => Provider::of_endpoint(endpoint.as_deref()),
                Some(v) => Provider::parse(v.get_ref()).unwrap_or_else(|| {
                    let names: Vec<_> = Provider::ALL.iter().map(|p| format!("\"{}\"", p.name())).collect();
                    err(v.span().start, format!("deploy.targets: provider `{}` is not known", v.get_ref()), &format!("write provider = one of {} (whose environment variables hold the keys), or leave it out to go by the endpoint", names.join(", ")));
                    Provider::Aws
                }),
            };
            let path_style = match &t.path_style {
                Some(v) => *v.get_ref(),
                None => endpoint.as_deref().is_some_and(is_local_endpoint),
            };
            TargetKind::S3(S3Target {
                bucket: bucket.to_string(),
                prefix: prefix.trim_matches('/').to_string(),
                endpoint,
                region: t.region.as_ref().map(|r| r.get_ref().trim().to_string()).filter(|r| !r.is_empty()),
                path_style,
                gzip,
                provider,
            })
        } else if let Some(dir) = url.strip_prefix("file://") {
            for (key, span) in [("endpoint", t.endpoint.as_ref().map(|v| v.span())), ("region", t.region.as_ref().map(|v| v.span())), ("path_style", t.path_style.as_ref().map(|v| v.span())), ("content_encoding", t.content_encoding.as_ref().map(|v| v.span())), ("provider", t.provider.as_ref().map(|v| v.span()))] {
                if let Some(span) = span {
                    err(span.start, format!("deploy.targets: `{key}` is for s3:// targets, and `{name}` is a folder"), "remove the key (a folder target gets the files as built, .gz/.br siblings included)");
                }
            }
            if !dir.starts_with('/') {
                err(url_at, format!("deploy.targets: `{url}` is not an absolute folder"), "write three slashes and the full path, e.g. url = \"file:///srv/www/site\"");
            }
            TargetKind::Dir(std::path::PathBuf::from(dir))
        } else {
            err(url_at, format!("deploy.targets: `{url}` is neither s3:// nor file://"), "write url = \"s3://bucket/prefix\" (any S3-compatible store, with `endpoint`) or url = \"file:///srv/www/site\"");
            continue;
        };
        if ok {
            targets.push(Target { name, url, kind });
        }
    }
    DeployConfig { targets }
}

/// MinIO, moto and other local servers are addressed by path (`bucket.127.0.0.1` has no DNS).
fn is_local_endpoint(endpoint: &str) -> bool {
    let host = endpoint.split("://").nth(1).unwrap_or(endpoint);
    let host = host.split('/').next().unwrap_or(host);
    let name = host.rsplit_once(':').map_or(host, |(h, port)| if port.chars().all(|c| c.is_ascii_digit()) { h } else { host });
    name == "localhost" || name.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok()
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use std::path::Path;

    const HEAD: &str = "title = \"t\"\nbase_url = \"https://ex.org/\"\n";

    fn parse(s: &str) -> Result<Config, Vec<crate::Diagnostic>> {
        Config::parse(&format!("{HEAD}{s}"), Path::new("site.toml"))
    }

    #[test]
    fn targets_are_read() {
        let c = parse("[[deploy.targets]]\nname = \"oss\"\nurl = \"s3://site/www/\"\nendpoint = \"https://oss-cn-hangzhou.aliyuncs.com/\"\nregion = \"oss-cn-hangzhou\"\ncontent_encoding = \"gzip\"\n[[deploy.targets]]\nname = \"nginx\"\nurl = \"file:///srv/www/site\"\n").unwrap();
        let t = &c.deploy.targets;
        assert_eq!(t.len(), 2);
        let super::TargetKind::S3(s3) = &t[0].kind else { panic!() };
        assert_eq!((s3.bucket.as_str(), s3.prefix.as_str()), ("site", "www"));
        assert_eq!(s3.endpoint.as_deref(), Some("https://oss-cn-hangzhou.aliyuncs.com"));
        assert!(!s3.path_style && s3.gzip);
        assert_eq!(s3.provider, super::Provider::Oss, "by the endpoint");
        assert_eq!(t[1].kind, super::TargetKind::Dir("/srv/www/site".into()));
        let c = parse("[[deploy.targets]]\nname = \"minio\"\nurl = \"s3://b\"\nendpoint = \"http://127.0.0.1:9000\"\n").unwrap();
        let super::TargetKind::S3(s3) = &c.deploy.targets[0].kind else { panic!() };
        assert!(s3.path_style, "a local endpoint is addressed by path");
    }

    #[test]
    fn unknown_keys_and_bad_values_name_their_line() {
        let e = parse("[[deploy.targets]]\nname = \"a\"\nurl = \"s3://b\"\nendpont = \"https://x\"\n").unwrap_err();
        assert_eq!(e[0].line, Some(6), "{e:?}");
        assert!(e[0].message.contains("endpont"), "{}", e[0]);
        let e = parse("[[deploy.targets]]\nname = \"a\"\nurl = \"ftp://b\"\n[[deploy.targets]]\nname = \"a\"\nurl = \"file://relative\"\nendpoint = \"x\"\n").unwrap_err();
        let lines: Vec<_> = e.iter().map(|d| d.line).collect();
        assert_eq!(lines, [Some(5), Some(9), Some(8)], "{e:?}");
        let e = parse("[[deploy.targets]]\nname = \"a\"\nurl = \"s3://b\"\n[[deploy.targets]]\nname = \"a\"\nurl = \"s3://c\"\n").unwrap_err();
        assert_eq!(e[0].line, Some(7), "{e:?}");
    }

    #[test]
    fn provider_is_one_of_the_known_and_wins_over_the_endpoint() {
        let c = parse("[[deploy.targets]]\nname = \"a\"\nurl = \"s3://b\"\nendpoint = \"http://127.0.0.1:9000\"\nprovider = \"cos\"\n").unwrap();
        let super::TargetKind::S3(s3) = &c.deploy.targets[0].kind else { panic!() };
        assert_eq!(s3.provider, super::Provider::Cos);
        let e = parse("[[deploy.targets]]\nname = \"a\"\nurl = \"s3://b\"\nprovider = \"aliyun\"\n").unwrap_err();
        assert_eq!(e[0].line, Some(6), "{e:?}");
        assert!(e[0].message.contains("provider `aliyun` is not known"), "{}", e[0]);
        assert!(e[0].help.as_deref().unwrap().contains("\"oss\""), "{}", e[0]);
        let e = parse("[[deploy.targets]]\nname = \"a\"\nurl = \"file:///srv/www\"\nprovider = \"oss\"\n").unwrap_err();
        assert!(e[0].message.contains("`provider` is for s3:// targets"), "{}", e[0]);
    }

    #[test]
    fn a_secret_in_site_toml_is_refused() {
        let e = parse("[[deploy.targets]]\nname = \"a\"\nurl = \"s3://b\"\nsecret_access_key = \"abc\"\n").unwrap_err();
        assert_eq!(e[0].line, Some(6));
        assert!(e[0].message.contains("secret_access_key"), "{}", e[0]);
        assert!(e[0].help.as_deref().unwrap().contains("AWS_SECRET_ACCESS_KEY"));
    }
}
