//! Gateway settings: `[server]`, `[upstreams.*]` and `[models.*]` validated
//! into typed values. Errors are [`ConfigError`]s naming the key to fix.
//!
//! Provider API keys are read here, once, from the environment or a file the
//! config names: never from the config text, and never logged (`Debug` on
//! [`UpstreamSettings`] redacts them).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use hyper::Uri;

use crate::config::{Config, ConfigError, RawUpstream};

/// Validated `[server]` settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where to listen.
    pub listen: SocketAddr,
    /// Largest request body (413 beyond).
    pub max_body_bytes: u64,
    /// Most message characters per request (400 beyond).
    pub max_input_chars: usize,
    /// Default upstream time limit (504 beyond).
    pub upstream_timeout: Duration,
    /// Concurrent requests (503 beyond).
    pub max_concurrent_requests: usize,
    /// Grace period for in-flight requests on shutdown.
    pub shutdown_grace: Duration,
    /// Bytes of streamed text held back for the response chain.
    pub stream_window_bytes: usize,
    /// Whether prompts and answers may be logged.
    pub log_prompts: bool,
    /// Upstream for models not under `[models]`.
    pub default_upstream: Option<String>,
    /// Upstreams by name.
    pub upstreams: BTreeMap<String, UpstreamSettings>,
    /// Model name to upstream name.
    pub models: BTreeMap<String, String>,
    /// Bearer token for `/admin/` (`None`: the admin API is off, 404).
    pub admin_token: Option<AdminToken>,
}

/// The admin bearer token; `Debug` never shows it.
#[derive(Clone)]
pub struct AdminToken(pub String);

impl std::fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AdminToken(<redacted>)")
    }
}

/// The wire dialect of an upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpstreamKind {
    /// OpenAI-compatible `POST {base}/chat/completions`.
    OpenAi,
    /// Anthropic `POST {base}/v1/messages`.
    Anthropic,
    /// The built-in deterministic echo model.
    Mock,
}

impl UpstreamKind {
    /// Config spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            UpstreamKind::OpenAi => "openai",
            UpstreamKind::Anthropic => "anthropic",
            UpstreamKind::Mock => "mock",
        }
    }
}

/// One validated upstream.
#[derive(Clone)]
pub struct UpstreamSettings {
    /// Section name.
    pub name: String,
    /// Dialect.
    pub kind: UpstreamKind,
    /// Base URL (unused for `mock`).
    pub base_url: Uri,
    /// Provider API key, if any.
    pub api_key: Option<String>,
    /// Time limit.
    pub timeout: Duration,
}

impl std::fmt::Debug for UpstreamSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpstreamSettings")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .finish()
    }
}

fn err(key: impl Into<String>, reason: impl Into<String>) -> ConfigError {
    ConfigError {
        key: key.into(),
        reason: reason.into(),
    }
}

fn positive(key: &str, v: Option<u64>, default: u64) -> Result<u64, ConfigError> {
    match v {
        Some(0) => Err(err(key, "must be at least 1")),
        Some(n) => Ok(n),
        None => Ok(default),
    }
}

/// `server.admin_token_env` / `server.admin_token_file`: an empty token is an
/// error (it would let anyone in).
fn admin_token(
    s: &crate::config::RawServer,
    base: &Path,
) -> Result<Option<AdminToken>, ConfigError> {
    let (key, token) = match (&s.admin_token_env, &s.admin_token_file) {
        (Some(_), Some(_)) => {
            return Err(err(
                "server.admin_token_file",
                "give admin_token_env or admin_token_file, not both",
            ));
        }
        (Some(var), None) => (
            "server.admin_token_env",
            std::env::var(var).map_err(|_| {
                err(
                    "server.admin_token_env",
                    format!("environment variable {var} is not set"),
                )
            })?,
        ),
        (None, Some(file)) => {
            let path = base.join(file);
            let text = std::fs::read_to_string(&path).map_err(|e| {
                err(
                    "server.admin_token_file",
                    format!("cannot read {}: {e}", path.display()),
                )
            })?;
            ("server.admin_token_file", text)
        }
        (None, None) => return Ok(None),
    };
    let token = token.trim().to_string();
    if token.is_empty() {
        return Err(err(key, "the admin token is empty"));
    }
    Ok(Some(AdminToken(token)))
}

impl Settings {
    /// Validate the gateway sections of `config`; `base` resolves relative key files.
    pub fn from_config(config: &Config, base: &Path) -> Result<Self, ConfigError> {
        let s = &config.raw.server;
        let listen = s.listen.as_deref().unwrap_or("127.0.0.1:8080");
        let listen: SocketAddr = listen.parse().map_err(|_| {
            err(
                "server.listen",
                format!("{listen:?} is not an address like 127.0.0.1:8080"),
            )
        })?;
        let upstream_timeout = Duration::from_millis(positive(
            "server.upstream_timeout_ms",
            s.upstream_timeout_ms,
            60_000,
        )?);
        let mut upstreams = BTreeMap::new();
        for (name, raw) in &config.raw.upstreams {
            upstreams.insert(name.clone(), upstream(name, raw, upstream_timeout, base)?);
        }
        let mut models = BTreeMap::new();
        for (model, m) in &config.raw.models {
            // `mock` is implicit while no upstream is configured.
            let implicit_mock = m.upstream == "mock" && config.raw.upstreams.is_empty();
            if !implicit_mock && !upstreams.contains_key(&m.upstream) {
                return Err(err(
                    format!("models.{model}.upstream"),
                    format!("no upstream {:?} in [upstreams]", m.upstream),
                ));
            }
            models.insert(model.clone(), m.upstream.clone());
        }
        // No upstreams at all (the embedded default, a first try): the mock model
        // answers everything, so `warden serve` works out of the box.
        let mut default_upstream = s.default_upstream.clone();
        if upstreams.is_empty() {
            upstreams.insert(
                "mock".into(),
                upstream("mock", &RawUpstream::default(), upstream_timeout, base)?,
            );
            default_upstream.get_or_insert_with(|| "mock".into());
            if models.is_empty() {
                models.insert("mock".into(), "mock".into());
            }
        }
        if let Some(d) = &default_upstream
            && !upstreams.contains_key(d)
        {
            return Err(err(
                "server.default_upstream",
                format!("no upstream {d:?} in [upstreams]"),
            ));
        }
        Ok(Self {
            listen,
            max_body_bytes: positive("server.max_body_bytes", s.max_body_bytes, 1 << 20)?,
            max_input_chars: positive("server.max_input_chars", s.max_input_chars, 50_000)?
                as usize,
            upstream_timeout,
            max_concurrent_requests: positive(
                "server.max_concurrent_requests",
                s.max_concurrent_requests,
                256,
            )? as usize,
            shutdown_grace: Duration::from_millis(s.shutdown_grace_ms.unwrap_or(10_000)),
            stream_window_bytes: positive("server.stream_window_bytes", s.stream_window_bytes, 64)?
                as usize,
            log_prompts: s.log_prompts.unwrap_or(false),
            default_upstream,
            upstreams,
            models,
            admin_token: admin_token(s, base)?,
        })
    }

    /// The upstream serving `model`: its `[models]` entry, else the default.
    pub fn upstream_for(&self, model: &str) -> Option<&UpstreamSettings> {
        let name = self.models.get(model).or(self.default_upstream.as_ref())?;
        self.upstreams.get(name)
    }
}

fn upstream(
    name: &str,
    raw: &RawUpstream,
    timeout: Duration,
    base: &Path,
) -> Result<UpstreamSettings, ConfigError> {
    let key = format!("upstreams.{name}");
    let kind = match raw.kind.as_deref().unwrap_or(name) {
        "openai" => UpstreamKind::OpenAi,
        "anthropic" => UpstreamKind::Anthropic,
        "mock" => UpstreamKind::Mock,
        other if raw.kind.is_some() => {
            return Err(err(
                format!("{key}.kind"),
                format!("{other:?} is not `openai`, `anthropic` or `mock`"),
            ));
        }
        _ => {
            return Err(err(
                format!("{key}.kind"),
                "missing: `openai`, `anthropic` or `mock`",
            ));
        }
    };
    let default_url = match kind {
        UpstreamKind::OpenAi => "https://api.openai.com/v1",
        UpstreamKind::Anthropic => "https://api.anthropic.com",
        UpstreamKind::Mock => "http://mock.invalid",
    };
    let url = raw.base_url.as_deref().unwrap_or(default_url);
    let base_url: Uri = url
        .parse()
        .map_err(|e| err(format!("{key}.base_url"), format!("{url:?}: {e}")))?;
    match base_url.scheme_str() {
        Some("http") if base_url.host().is_some() => {}
        Some("https") if base_url.host().is_some() => {
            if !super::upstream::TLS_SUPPORTED {
                return Err(err(
                    format!("{key}.base_url"),
                    format!(
                        "{url:?}: this build has no TLS client; use http:// (e.g. through a TLS-terminating proxy)"
                    ),
                ));
            }
        }
        _ => {
            return Err(err(
                format!("{key}.base_url"),
                format!("{url:?} is not an http:// or https:// URL"),
            ));
        }
    }
    let api_key = match (&raw.api_key_env, &raw.api_key_file) {
        (Some(_), Some(_)) => {
            return Err(err(
                format!("{key}.api_key_file"),
                "give api_key_env or api_key_file, not both",
            ));
        }
        (Some(var), None) => Some(std::env::var(var).map_err(|_| {
            err(
                format!("{key}.api_key_env"),
                format!("environment variable {var} is not set"),
            )
        })?),
        (None, Some(file)) => {
            let path = base.join(file);
            let text = std::fs::read_to_string(&path).map_err(|e| {
                err(
                    format!("{key}.api_key_file"),
                    format!("cannot read {}: {e}", path.display()),
                )
            })?;
            Some(text.trim().to_string())
        }
        (None, None) => None,
    };
    let timeout = match raw.timeout_ms {
        Some(0) => return Err(err(format!("{key}.timeout_ms"), "must be at least 1")),
        Some(ms) => Duration::from_millis(ms),
        None => timeout,
    };
    Ok(UpstreamSettings {
        name: name.to_string(),
        kind,
        base_url,
        api_key,
        timeout,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(toml: &str) -> Result<Settings, ConfigError> {
        Settings::from_config(
            &Config::from_toml(toml, Path::new("/")).unwrap(),
            Path::new("/"),
        )
    }

    #[test]
    fn defaults_are_safe_and_errors_name_the_key() {
        let s = settings("").unwrap();
        assert_eq!(s.max_body_bytes, 1 << 20);
        assert_eq!(s.max_input_chars, 50_000);
        assert_eq!(s.upstream_for("anything").unwrap().kind, UpstreamKind::Mock);
        assert_eq!(
            settings("[server]\nmax_body_bytes = 0\n").unwrap_err().key,
            "server.max_body_bytes"
        );
        assert_eq!(
            settings("[upstreams.x]\nkind = \"nope\"\n")
                .unwrap_err()
                .key,
            "upstreams.x.kind"
        );
        assert_eq!(
            settings("[upstreams.openai]\nbase_url = \"ftp://x\"\n")
                .unwrap_err()
                .key,
            "upstreams.openai.base_url"
        );
        let e = settings(
            "[upstreams.openai]\nbase_url = \"http://h\"\n[models.m]\nupstream = \"nope\"\n",
        )
        .unwrap_err();
        assert_eq!(e.key, "models.m.upstream");
        let e = settings(
            "[upstreams.openai]\nbase_url = \"http://h\"\napi_key_env = \"WARDEN_TEST_SURELY_UNSET\"\n",
        )
            .unwrap_err();
        assert_eq!(e.key, "upstreams.openai.api_key_env");
        let e = Config::from_toml("[server]\nlisten_on = \"x\"\n", Path::new("/")).unwrap_err();
        assert!(e.reason.contains("listen_on"), "{e}");
    }

    #[test]
    fn models_map_to_upstreams_with_a_default() {
        let s = settings(
            "[server]\ndefault_upstream = \"b\"\n[upstreams.a]\nkind = \"openai\"\nbase_url = \"http://127.0.0.1:1/v1\"\n\
             [upstreams.b]\nkind = \"anthropic\"\nbase_url = \"http://127.0.0.1:2\"\n[models.gpt]\nupstream = \"a\"\n",
        )
        .unwrap();
        assert_eq!(s.upstream_for("gpt").unwrap().name, "a");
        assert_eq!(s.upstream_for("claude").unwrap().name, "b");
    }
}
