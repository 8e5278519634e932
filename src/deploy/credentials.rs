//! Which environment variables hold an S3-compatible target's keys. Each store's own
//! documentation names its variables (Aliyun OSS `OSS_ACCESS_KEY_ID`, Tencent COS
//! `COS_SECRET_ID`, Huawei OBS `ACCESS_KEY_ID` …); a target's provider is its `provider =`
//! key or, without one, its endpoint's host. The usual `AWS_*` variables work for every
//! provider. Keys are never read from site.toml (`super::config` refuses them).

use crate::diagnostics::Diagnostic;

/// Whose store a target is: decides the variables its keys are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Aws,
    Oss,
    Cos,
    Obs,
}

/// One pair of variables (and the optional token's) that together give a key.
#[derive(Debug)]
pub struct Pair {
    pub id: &'static str,
    pub secret: &'static str,
    pub token: Option<&'static str>,
}

const AWS: Pair = Pair { id: "AWS_ACCESS_KEY_ID", secret: "AWS_SECRET_ACCESS_KEY", token: Some("AWS_SESSION_TOKEN") };

impl Provider {
    pub const ALL: [Provider; 4] = [Provider::Aws, Provider::Oss, Provider::Cos, Provider::Obs];

    /// The value of `provider =` in site.toml.
    pub fn name(self) -> &'static str {
        match self {
            Provider::Aws => "aws",
            Provider::Oss => "oss",
            Provider::Cos => "cos",
            Provider::Obs => "obs",
        }
    }

    pub fn parse(name: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.name() == name.trim().to_ascii_lowercase())
    }

    /// The provider of a target without `provider =`: OSS, COS and OBS by their public
    /// endpoints' domains, anything else (AWS, MinIO, a local server) AWS's variables.
    pub fn of_endpoint(endpoint: Option<&str>) -> Provider {
        let host = endpoint.map(|e| e.split("://").nth(1).unwrap_or(e)).and_then(|h| h.split(['/', ':']).next()).unwrap_or("").to_ascii_lowercase();
        let under = |domain: &str| host == domain || host.ends_with(&format!(".{domain}"));
        if under("aliyuncs.com") {
            Provider::Oss
        } else if under("myqcloud.com") || under("tencentcos.cn") {
            Provider::Cos
        } else if under("myhuaweicloud.com") {
            Provider::Obs
        } else {
            Provider::Aws
        }
    }

    /// The pairs tried, in order; the first whose key id is set is used. The store's own
    /// names come first, `AWS_*` last.
    pub fn pairs(self) -> &'static [Pair] {
        match self {
            Provider::Aws => &[AWS],
            // Aliyun's OSS SDKs (environment-variable credentials) and its other SDKs
            Provider::Oss => &[
                Pair { id: "OSS_ACCESS_KEY_ID", secret: "OSS_ACCESS_KEY_SECRET", token: Some("OSS_SESSION_TOKEN") },
                Pair { id: "ALIBABA_CLOUD_ACCESS_KEY_ID", secret: "ALIBABA_CLOUD_ACCESS_KEY_SECRET", token: Some("ALIBABA_CLOUD_SECURITY_TOKEN") },
                AWS,
            ],
            // Tencent's COS SDK samples, and Tencent Cloud's general API key variables
            Provider::Cos => &[
                Pair { id: "COS_SECRET_ID", secret: "COS_SECRET_KEY", token: None },
                Pair { id: "TENCENTCLOUD_SECRET_ID", secret: "TENCENTCLOUD_SECRET_KEY", token: None },
                AWS,
            ],
            // OBS_-prefixed names like the other stores', then Huawei's SDK samples' names
            // (`OBS_SECURITY_TOKEN` for temporary keys is theirs too)
            Provider::Obs => &[
                Pair { id: "OBS_ACCESS_KEY_ID", secret: "OBS_SECRET_ACCESS_KEY", token: Some("OBS_SECURITY_TOKEN") },
                Pair { id: "ACCESS_KEY_ID", secret: "SECRET_ACCESS_KEY", token: Some("OBS_SECURITY_TOKEN") },
                AWS,
            ],
        }
    }

    /// What the store calls the two halves of a key, for messages.
    fn key_words(self) -> &'static str {
        match self {
            Provider::Aws => "the access key of an account that may list, write and delete in the bucket",
            Provider::Oss => "the AccessKey ID and AccessKey secret of a RAM user that may write to the bucket",
            Provider::Cos => "the SecretId and SecretKey of a CAM user that may write to the bucket",
            Provider::Obs => "the AK and SK (access key ID and secret access key) of an IAM user that may write to the bucket",
        }
    }

    /// "OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET", for messages.
    pub fn main_variables(self) -> String {
        let p = &self.pairs()[0];
        format!("{} and {}", p.id, p.secret)
    }
}

/// Credentials, read from the environment only.
#[derive(Debug)]
pub struct Credentials {
    pub key_id: String,
    pub secret: String,
    pub token: Option<String>,
    pub region: Option<String>,
    /// The variables the key came from, for messages.
    pub from: &'static Pair,
}

impl Credentials {
    /// The first of the provider's pairs whose key id is set; its secret must be set too.
    /// The region is `AWS_REGION` (or `AWS_DEFAULT_REGION`) for every provider.
    pub fn from_env(target: &str, provider: Provider) -> Result<Credentials, Diagnostic> {
        Credentials::from(target, provider, &|name| std::env::var(name).ok())
    }

    /// [`Credentials::from_env`] with the environment as a function (for tests).
    pub fn from(target: &str, provider: Provider, env: &dyn Fn(&str) -> Option<String>) -> Result<Credentials, Diagnostic> {
        let var = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        let others = || provider.pairs()[1..].iter().map(|p| format!("{} and {}", p.id, p.secret)).collect::<Vec<_>>();
        let pairs: &'static [Pair] = provider.pairs();
        let Some((pair, key_id)) = pairs.iter().find_map(|p| var(p.id).map(|v| (p, v))) else {
            let alternatives = others();
            let or = if alternatives.is_empty() { String::new() } else { format!(" (or {})", alternatives.join(", or ")) };
            return Err(Diagnostic::general(format!("deploy to `{target}`: {} is not set (provider {})", provider.pairs()[0].id, provider.name())).help(format!(
                "set {}{or} in the environment: {}; credentials are never read from site.toml (docs/deploy.md)",
                provider.main_variables(),
                provider.key_words()
            )));
        };
        let Some(secret) = var(pair.secret) else {
            return Err(Diagnostic::general(format!("deploy to `{target}`: {} is not set ({} is)", pair.secret, pair.id))
                .help(format!("set {} in the environment too: {}", pair.secret, provider.key_words())));
        };
        Ok(Credentials { key_id, secret, token: pair.token.and_then(var), region: var("AWS_REGION").or_else(|| var("AWS_DEFAULT_REGION")), from: pair })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
    }

    #[test]
    fn the_endpoint_names_the_provider() {
        for (endpoint, provider) in [
            ("https://oss-cn-hangzhou.aliyuncs.com", Provider::Oss),
            ("https://cos.ap-guangzhou.myqcloud.com", Provider::Cos),
            ("https://obs.cn-north-4.myhuaweicloud.com:443/", Provider::Obs),
            ("https://s3.eu-west-1.amazonaws.com", Provider::Aws),
            ("http://127.0.0.1:9000", Provider::Aws),
            ("https://notaliyuncs.com", Provider::Aws),
        ] {
            assert_eq!(Provider::of_endpoint(Some(endpoint)), provider, "{endpoint}");
        }
        assert_eq!(Provider::of_endpoint(None), Provider::Aws);
        assert_eq!(Provider::parse(" OSS"), Some(Provider::Oss));
        assert_eq!(Provider::parse("gcs"), None);
    }

    #[test]
    fn the_stores_own_variables_come_first_and_aws_ones_still_work() {
        let c = Credentials::from("t", Provider::Oss, &env(&[("OSS_ACCESS_KEY_ID", "a"), ("OSS_ACCESS_KEY_SECRET", "b"), ("OSS_SESSION_TOKEN", "c"), ("AWS_ACCESS_KEY_ID", "x")])).unwrap();
        assert_eq!((c.key_id.as_str(), c.secret.as_str(), c.token.as_deref(), c.from.id), ("a", "b", Some("c"), "OSS_ACCESS_KEY_ID"));
        let c = Credentials::from("t", Provider::Cos, &env(&[("AWS_ACCESS_KEY_ID", "x"), ("AWS_SECRET_ACCESS_KEY", "y")])).unwrap();
        assert_eq!(c.from.id, "AWS_ACCESS_KEY_ID");
        let c = Credentials::from("t", Provider::Obs, &env(&[("ACCESS_KEY_ID", "x"), ("SECRET_ACCESS_KEY", "y")])).unwrap();
        assert_eq!(c.from.id, "ACCESS_KEY_ID");
    }

    #[test]
    fn a_missing_key_names_the_providers_variables() {
        let e = Credentials::from("oss", Provider::Oss, &env(&[])).unwrap_err();
        assert!(e.message.contains("OSS_ACCESS_KEY_ID is not set"), "{e}");
        assert!(e.help.as_deref().unwrap().contains("OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET"), "{e}");
        let e = Credentials::from("cos", Provider::Cos, &env(&[("COS_SECRET_ID", "a"), ("AWS_SECRET_ACCESS_KEY", "b")])).unwrap_err();
        assert!(e.message.contains("COS_SECRET_KEY is not set (COS_SECRET_ID is)"), "{e}");
        let e = Credentials::from("s3", Provider::Aws, &env(&[("AWS_ACCESS_KEY_ID", " ")])).unwrap_err();
        assert!(e.message.contains("AWS_ACCESS_KEY_ID is not set"), "{e}");
    }
}
