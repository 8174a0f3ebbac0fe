//! `warden serve`: the guarded LLM gateway.
//!
//! Clients speak the OpenAI (`/v1/chat/completions`) or Anthropic
//! (`/v1/messages`) API to Warden instead of the provider. Each call runs the
//! tenant's `request` chain before the upstream, the `response` chain on the
//! answer (through a sliding [`window`] when streamed) and the `tool-call`
//! chain on every tool call in the answer.
//!
//! Tool calls a policy denies (or holds for approval) are removed from the
//! answer and reported, so clients never run them:
//! - non-streamed: a top-level `warden` field on the response JSON,
//!   `{"tool_calls_removed": [{"id", "name", "action", "policy", "reason"}]}`,
//!   and the header `x-warden-tool-calls-removed: N`;
//! - streamed (OpenAI): a last chunk before `data: [DONE]` with `choices: []`
//!   and the same `warden` field; (Anthropic): the `warden` field on the
//!   `message_delta` event.
//!
//! A choice or message left without tool calls finishes with `stop` /
//! `end_turn` instead of `tool_calls` / `tool_use`.
//!
//! With `[approvals]` configured, a `require-approval` outcome files an
//! approval (see the `approvals` module): the request chain answers 403, error
//! type `approval_required` with `approval_id` and `approval_url`
//! (`/v1/approvals/{id}`), and the client retries with `x-warden-approval:
//! <id>` once approved; a removed tool call's entry carries `approval_id`;
//! `/v1/guard/evaluate` (tool-call) adds `approval_id` / `approval_url`.
//! `GET /v1/approvals/{id}?wait=30s` long-polls it (tenant key, max 60 s);
//! operators decide under `/admin/approvals`. `x-warden-session` names the
//! agent session.
//!
//! With `[resilience]` configured, upstream calls are retried (connection
//! error, 429, 5xx; before any byte is streamed) and guarded by a circuit
//! breaker per upstream; an open breaker sends the request to the configured
//! fallback upstream or model, else answers 503 `upstream_unavailable`.

pub mod error;
pub mod metrics;
pub mod settings;
pub mod shape;
pub mod sse;
pub mod upstream;
pub mod window;

mod admin;
mod api;
mod approvals;
mod controls;
mod ctx;
mod guard;
mod http;
mod mock;
mod proxy;
mod resilient;
mod server;
mod stream;
mod stream_anthropic;
mod stream_openai;
mod tools;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use hyper::HeaderMap;
use tokio::sync::Semaphore;

pub use error::GatewayError;
pub use metrics::Metrics;
pub use server::serve;
pub use settings::Settings;

use crate::Warden;
use crate::config::hash_api_key;
use error::ClientError;

/// Everything a request handler needs, shared by all connections.
#[derive(Debug)]
pub struct Gateway {
    /// The policy host.
    pub warden: Warden,
    /// Validated `[server]`/`[upstreams]`/`[models]`.
    pub settings: Settings,
    /// Metrics registry.
    pub metrics: Metrics,
    limiter: Arc<Semaphore>,
    /// sha256(key) → tenant.
    keys: HashMap<String, String>,
    /// The tenant every request maps to when no keys are configured.
    open_tenant: Option<String>,
    /// Set once shutdown begins (`/readyz` then fails).
    draining: AtomicBool,
    /// Rate limits, budgets, the store.
    controls: controls::Controls,
    /// Retries, breakers, fallbacks, when `[resilience]` is configured.
    resilience: Option<resilient::Resilience>,
    /// Human approvals, when `[approvals]` is configured.
    approvals: Option<crate::approval::Approvals>,
    /// The config file, for `POST /admin/reload` (`None`: the embedded default).
    config_path: Option<PathBuf>,
}

/// The API key as the provider SDKs send it.
fn api_key(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .or_else(|| {
            let auth = headers.get("authorization")?.to_str().ok()?;
            auth.strip_prefix("Bearer ")
                .or_else(|| auth.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|k| !k.is_empty())
}

impl Gateway {
    /// A gateway over `warden` with `settings`. Opens the store (in
    /// `[store] data_dir`) when the config needs one; a data directory that
    /// cannot be created or written is an error here, before serving.
    pub fn new(warden: Warden, settings: Settings) -> Result<Self, crate::store::StoreError> {
        let config = warden.config();
        let controls = controls::Controls::open(&config)?;
        let approvals = approvals::open(&config, controls.store.as_ref());
        let mut keys = HashMap::new();
        for (tenant, t) in &config.tenants {
            for h in &t.api_key_hashes {
                keys.insert(h.clone(), tenant.clone());
            }
        }
        let open_tenant = if config.embedded || keys.is_empty() {
            if config.tenants.contains_key("default") {
                Some("default".to_string())
            } else if config.tenants.len() == 1 {
                config.tenants.keys().next().cloned()
            } else {
                None
            }
        } else {
            None
        };
        let metrics = Metrics::new();
        let resilience = resilient::Resilience::open(&config, &settings, &metrics);
        Ok(Self {
            resilience,
            limiter: Arc::new(Semaphore::new(settings.max_concurrent_requests)),
            warden,
            settings,
            metrics,
            keys,
            open_tenant,
            draining: AtomicBool::new(false),
            controls,
            approvals,
            config_path: None,
        })
    }

    /// Remember the config file `POST /admin/reload` re-reads.
    pub fn with_config_path(mut self, path: Option<PathBuf>) -> Self {
        self.config_path = path;
        self
    }

    /// The data directory, when the store is open (for the banner).
    pub fn data_dir(&self) -> Option<PathBuf> {
        self.controls
            .store
            .as_ref()
            .map(|_| self.warden.config().controls.data_dir.clone())
    }

    /// The tenant any key maps to, when tenants have no keys (for the banner).
    pub fn open_tenant(&self) -> Option<&str> {
        self.open_tenant.as_deref()
    }

    /// The hash of the request's API key, if it sent one: the identity of
    /// per-key rate limits.
    pub fn key_hash(headers: &HeaderMap) -> Option<String> {
        api_key(headers).map(hash_api_key)
    }

    /// The tenant behind the request's API key (`Authorization: Bearer` or
    /// `x-api-key`, as the provider SDKs send it). Keys are compared as hashes.
    pub fn tenant(&self, headers: &HeaderMap) -> Result<String, ClientError> {
        if let Some(t) = &self.open_tenant {
            return Ok(t.clone());
        }
        let key = api_key(headers).ok_or_else(|| {
            ClientError::Unauthorized(
                "missing API key: send `Authorization: Bearer <key>` or `x-api-key: <key>`".into(),
            )
        })?;
        self.keys
            .get(&hash_api_key(key))
            .cloned()
            .ok_or_else(|| ClientError::Unauthorized("invalid API key".into()))
    }

    /// Whether `tenant` may call `model` (listed for it, and served by an upstream).
    pub fn model_allowed(&self, tenant: &str, model: &str) -> bool {
        let config = self.warden.config();
        let listed = config
            .tenant(tenant)
            .is_none_or(|t| t.models.is_empty() || t.models.iter().any(|m| m == model));
        listed && self.settings.upstream_for(model).is_some()
    }

    /// Models `tenant` may use: its own list, else every configured model.
    pub fn models_for(&self, tenant: &str) -> Vec<String> {
        let config = self.warden.config();
        match config.tenant(tenant) {
            Some(t) if !t.models.is_empty() => t.models.clone(),
            _ => self.settings.models.keys().cloned().collect(),
        }
    }
}
