//! An S3-compatible store (AWS S3, Aliyun OSS, Tencent COS, Huawei OBS, MinIO) through
//! OpenDAL's `s3` service: listing with ETags, single-part PUTs with headers, batched
//! deletes; transient failures (5xx, timeouts, refused connections) are retried with
//! exponential backoff by OpenDAL's retry layer.

use std::time::Duration;

use opendal::layers::{RetryLayer, TimeoutLayer};
use opendal::{ErrorKind, Operator};

use super::{md5_of_etag, RemoteFile};
use crate::deploy::config::S3Target;
pub use crate::deploy::credentials::Credentials;
use crate::deploy::local::{is_private, LocalFile};
use crate::diagnostics::Diagnostic;

#[derive(Clone)]
pub struct S3Backend {
    op: Operator,
    target: String,
    /// `s3://bucket/prefix` and the endpoint, for messages.
    url: String,
    endpoint: String,
    /// "OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET": where the key came from.
    keys: String,
}

impl S3Backend {
    pub fn new(name: &str, url: &str, t: &S3Target, creds: &Credentials) -> Result<S3Backend, Diagnostic> {
        // One TLS provider for the process (an error only means one is installed already).
        // `ring` is deprecated in rustls for lacking post-quantum key exchange; the other
        // provider, aws-lc-rs, is a long C build (docs/deploy.md)
        #[allow(deprecated)]
        let _ = rustls::crypto::ring::default_provider().install_default();
        // OpenDAL's process-wide HTTP client (first install wins; later calls do nothing)
        opendal_http_transport_reqwest::install_default();
        let region = t.region.clone().or_else(|| creds.region.clone()).unwrap_or_else(|| "us-east-1".into());
        let endpoint = t.endpoint.clone().unwrap_or_else(|| format!("https://s3.{region}.amazonaws.com"));
        let mut b = opendal::services::S3::default()
            .bucket(&t.bucket)
            .root(&format!("/{}", t.prefix))
            .endpoint(&endpoint)
            .region(&region)
            .access_key_id(&creds.key_id)
            .secret_access_key(&creds.secret)
            // only what is given here: no ~/.aws files, no instance metadata probes
            .disable_config_load()
            .disable_ec2_metadata();
        if let Some(token) = &creds.token {
            b = b.session_token(token);
        }
        if !t.path_style {
            b = b.enable_virtual_host_style();
        }
        let op = Operator::new(b)
            .map_err(|e| Diagnostic::general(format!("deploy to `{name}`: {e}")).help("check url, endpoint and region of the target in site.toml"))?
            .layer(TimeoutLayer::new().with_timeout(Duration::from_secs(60)).with_io_timeout(Duration::from_secs(30)))
            .layer(RetryLayer::new().with_max_times(4).with_min_delay(Duration::from_millis(200)).with_max_delay(Duration::from_secs(5)).with_jitter());
        Ok(S3Backend { op, target: name.to_string(), url: url.to_string(), endpoint, keys: format!("{} and {}", creds.from.id, creds.from.secret) })
    }

    /// A message naming the target and what to check for this kind of failure.
    fn fail(&self, doing: &str, e: opendal::Error) -> Diagnostic {
        let (what, help) = match e.kind() {
            ErrorKind::PermissionDenied => (
                "the store refused the credentials".to_string(),
                format!("check {} (the key pair of an account that may list, write and delete in the bucket), and the target's region", self.keys),
            ),
            ErrorKind::NotFound => ("the bucket was not found".to_string(), format!("check the bucket in url (`{}`), the endpoint and the region", self.url)),
            ErrorKind::ConfigInvalid => ("the target is not usable".to_string(), "check url, endpoint, region and path_style in site.toml".to_string()),
            // 503 Slow Down / Service Unavailable (or 429) to the request and every retry
            ErrorKind::RateLimited => (
                format!("{} is overloaded or unavailable: it refused the request and its 4 retries", self.endpoint),
                "run the deploy again later (it sends only what is missing); if it persists, check the store's status and the endpoint".to_string(),
            ),
            // a refused or failed connection is not `temporary` to OpenDAL: name it too
            _ if e.is_temporary() || e.to_string().contains("send http request") => (
                format!("cannot reach {} (after retries)", self.endpoint),
                "check the endpoint in site.toml and the network; run the deploy again to finish it (it sends only what is missing)".to_string(),
            ),
            _ => (format!("the store answered with an error at {}", self.endpoint), "check endpoint, region and path_style; run the deploy again to finish it".to_string()),
        };
        Diagnostic::general(format!("deploy to `{}`: {doing}: {what} ({})", self.target, short(&e))).help(help)
    }

    pub async fn list(&self) -> Result<Vec<RemoteFile>, Diagnostic> {
        let entries = self.op.list_with("").recursive(true).await.map_err(|e| self.fail("cannot list the bucket", e))?;
        Ok(entries
            .into_iter()
            .filter(|e| !e.metadata().is_dir() && !e.path().is_empty() && !e.path().ends_with('/'))
            .filter(|e| !e.path().split('/').enumerate().any(|(i, part)| is_private(part.as_ref(), i + 1)))
            .map(|e| RemoteFile { rel: e.path().to_string(), md5: e.metadata().etag().and_then(md5_of_etag) })
            .collect())
    }

    pub async fn put(&self, file: &LocalFile, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        let mut w = self.op.write_with(&file.rel, bytes).content_type(file.headers.content_type).cache_control(file.headers.cache_control);
        if let Some(enc) = file.encoding {
            w = w.content_encoding(enc);
        }
        w.await.map(|_| ()).map_err(|e| self.fail(&format!("cannot upload {}", file.rel), e))
    }

    pub async fn delete(&self, rels: Vec<String>) -> Result<(), Diagnostic> {
        self.op.delete_iter(rels).await.map_err(|e| self.fail("cannot delete", e))
    }
}

/// The error without OpenDAL's context dump: its kind and the service's message.
fn short(e: &opendal::Error) -> String {
    let text = e.to_string();
    let first = text.lines().next().unwrap_or(&text);
    let mut s: String = first.chars().take(300).collect();
    if first.chars().count() > 300 {
        s.push('…');
    }
    s
}
