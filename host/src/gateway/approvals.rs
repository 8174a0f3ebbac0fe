//! Human approval in the gateway (on when `[approvals]` is configured).
//!
//! - `POST /v1/guard/evaluate` with phase `tool-call` whose outcome is
//!   `require-approval` files an approval and adds `approval_id` and
//!   `approval_url` (`/v1/approvals/{id}`) to its JSON.
//! - A chat request whose request chain requires approval is answered 403 in
//!   the provider's shape with type `approval_required` and the fields
//!   `approval_id` and `approval_url`; once approved, the client sends the
//!   same request again with `x-warden-approval: <id>`, honoured only for an
//!   approved approval of the same tenant filed for the same messages (the
//!   approval stores their sha256), so it cannot unlock a different prompt.
//! - `GET /v1/approvals/{id}?wait=30s` (tenant API key): the approval, long-
//!   polled up to `wait` (max 60 s); another tenant's id is 404.
//! - Admin: `GET /admin/approvals` (pending and escalated, all tenants),
//!   `POST /admin/approvals/{id}/approve` and `/reject` with
//!   `{"approver": "...", "reason": "..."}`.
//! - A background task escalates timed-out approvals every 2 s.

use std::sync::Arc;
use std::time::Duration;

use hyper::body::Incoming;
use hyper::{HeaderMap, Request, Response, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

use super::Gateway;
use super::ctx::Ctx;
use super::error::{ClientError, GatewayError, bad_request};
use super::http::{Body, json, read_body};
use crate::approval::{
    ApprovalError, ApprovalRequest, ApprovalStatus, Approvals, NewApproval, RiskLevel,
};
use crate::config::Config;
use crate::resilience::SystemClock;
use crate::store::Store;

/// Longest long-poll of `GET /v1/approvals/{id}?wait=`.
pub const MAX_WAIT: Duration = Duration::from_secs(60);

/// How often timed-out approvals are escalated.
pub const SWEEP_EVERY: Duration = Duration::from_secs(2);

/// The approval service, when `[approvals]` is configured and the store is open.
pub fn open(config: &Config, store: Option<&Arc<dyn Store>>) -> Option<Approvals> {
    if !config.approvals_configured() {
        return None;
    }
    Some(Approvals::new(
        store?.clone(),
        config.controls.approvals.clone(),
        Arc::new(SystemClock),
    ))
}

/// The policy's risk level as the approval service knows it.
pub fn risk(level: warden_sdk::RiskLevel) -> RiskLevel {
    match level {
        warden_sdk::RiskLevel::Low => RiskLevel::Low,
        warden_sdk::RiskLevel::Medium => RiskLevel::Medium,
        warden_sdk::RiskLevel::High => RiskLevel::High,
        warden_sdk::RiskLevel::Critical => RiskLevel::Critical,
    }
}

/// The agent session: the `x-warden-session` header, else the request id.
pub fn session(headers: &HeaderMap, request_id: &str) -> String {
    headers
        .get("x-warden-session")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.len() <= 256)
        .unwrap_or(request_id)
        .to_string()
}

/// Where a client reads approval `id`.
pub fn url(id: &str) -> String {
    format!("/v1/approvals/{id}")
}

fn map_err(e: ApprovalError) -> GatewayError {
    match e {
        ApprovalError::NotFound { .. } => ClientError::NotFound(e.to_string()).into(),
        ApprovalError::AlreadyDecided { .. } | ApprovalError::DuplicateApprover { .. } => {
            ClientError::Conflict(e.to_string()).into()
        }
        ApprovalError::NoApprover { .. } => bad_request(e.to_string()),
        ApprovalError::Store(_) => bad_request(format!("approval store: {e}")),
    }
}

fn service(gw: &Gateway) -> Result<&Approvals, GatewayError> {
    gw.approvals
        .as_ref()
        .ok_or_else(|| ClientError::NotFound("approvals are not configured".into()).into())
}

/// File a pending approval (`None` when approvals are off).
pub fn file(gw: &Gateway, new: NewApproval) -> Option<Result<ApprovalRequest, GatewayError>> {
    let svc = gw.approvals.as_ref()?;
    let r = svc.create(new).map_err(map_err);
    if r.is_ok() {
        gw.metrics.approvals.with_label_values(&["pending"]).inc();
    }
    Some(r)
}

/// Whether `id` is an approved approval of `tenant` for this very request
/// content (`fingerprint`, see [`fingerprint`]): an approval unlocks the
/// request a person looked at, not any later request of the tenant.
pub fn approved(gw: &Gateway, tenant: &str, id: &str, fingerprint: &str) -> bool {
    gw.approvals
        .as_ref()
        .and_then(|s| s.get(tenant, id).ok())
        .is_some_and(|a| a.status == ApprovalStatus::Approved && a.arguments == fingerprint)
}

/// `sha256:<hex>` of the request's messages, stored with a request-phase
/// approval so that only a retry of the same request is released by it.
pub fn fingerprint(messages: &[warden_sdk::Message]) -> String {
    use sha2::{Digest, Sha256};
    let text = serde_json::to_string(messages).unwrap_or_default();
    format!("sha256:{}", hex::encode(Sha256::digest(text.as_bytes())))
}

fn view(a: &ApprovalRequest) -> Value {
    let mut v = serde_json::to_value(a).unwrap_or(Value::Null);
    v["url"] = json!(url(&a.id));
    v["approvals_needed"] = json!(a.risk.approvals_needed());
    v
}

/// `wait=30s`, `wait=500ms` or `wait=30` (seconds).
fn parse_wait(query: &str) -> Result<Duration, GatewayError> {
    let Some(w) = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("wait="))
        .filter(|w| !w.is_empty())
    else {
        return Ok(Duration::ZERO);
    };
    let bad = || bad_request(format!("invalid `wait={w}`: use e.g. `30s` or `500ms`"));
    let d = if let Some(ms) = w.strip_suffix("ms") {
        Duration::from_millis(ms.parse().map_err(|_| bad())?)
    } else {
        Duration::from_secs(w.trim_end_matches('s').parse().map_err(|_| bad())?)
    };
    Ok(d.min(MAX_WAIT))
}

/// `GET /v1/approvals/{id}[?wait=30s]`.
pub async fn get(
    gw: &Arc<Gateway>,
    ctx: &mut Ctx,
    req: &Request<Incoming>,
    id: &str,
) -> Result<Response<Body>, GatewayError> {
    let tenant = gw.tenant(req.headers())?;
    ctx.tenant = tenant.clone();
    let svc = service(gw)?;
    let wait = parse_wait(req.uri().query().unwrap_or_default())?;
    let a = if wait.is_zero() {
        svc.get(&tenant, id)
    } else {
        svc.wait(&tenant, id, wait).await
    }
    .map_err(map_err)?;
    Ok(json(StatusCode::OK, &view(&a)))
}

/// `GET /admin/approvals`: pending and escalated approvals of every tenant.
pub fn admin_list(gw: &Gateway) -> Result<Response<Body>, GatewayError> {
    let svc = service(gw)?;
    let mut out = Vec::new();
    for tenant in gw.warden.config().tenants.keys() {
        for a in svc.list(tenant).map_err(map_err)? {
            if !a.status.is_final() {
                out.push(view(&a));
            }
        }
    }
    Ok(json(StatusCode::OK, &json!({ "approvals": out })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionBody {
    approver: String,
    #[serde(default)]
    reason: String,
}

/// `POST /admin/approvals/{id}/approve` or `/reject`.
pub async fn admin_decide(
    gw: &Gateway,
    id: &str,
    approve: bool,
    req: Request<Incoming>,
) -> Result<Response<Body>, GatewayError> {
    let svc = service(gw)?;
    let bytes = read_body(req, gw.settings.max_body_bytes).await?;
    let body: DecisionBody = serde_json::from_slice(&bytes)
        .map_err(|e| bad_request(format!("invalid decision: {e}")))?;
    let approver = body.approver.trim();
    // The admin API is tenant-agnostic: find the tenant owning `id`.
    let config = gw.warden.config();
    let tenant = config
        .tenants
        .keys()
        .find(|t| svc.get(t, id).is_ok())
        .ok_or_else(|| ClientError::NotFound(format!("approval `{id}` not found")))?;
    let a = if approve {
        svc.approve(tenant, id, approver, &body.reason)
    } else {
        svc.reject(tenant, id, approver, &body.reason)
    }
    .map_err(map_err)?;
    if a.status.is_final() {
        gw.metrics
            .approvals
            .with_label_values(&[a.status.as_str()])
            .inc();
    }
    tracing::info!(
        id,
        tenant,
        approver,
        status = a.status.as_str(),
        "approval decided"
    );
    Ok(json(StatusCode::OK, &view(&a)))
}

/// Escalate timed-out approvals every [`SWEEP_EVERY`] until the gateway is dropped.
pub fn spawn_sweeper(gw: &Arc<Gateway>) -> Option<tokio::task::JoinHandle<()>> {
    gw.approvals.as_ref()?;
    let weak = Arc::downgrade(gw);
    Some(tokio::spawn(async move {
        let mut tick = tokio::time::interval(SWEEP_EVERY);
        loop {
            tick.tick().await;
            let Some(gw) = weak.upgrade() else { break };
            let Some(svc) = gw.approvals.as_ref() else {
                break;
            };
            match svc.sweep() {
                Ok(escalated) => {
                    for a in &escalated {
                        tracing::warn!(id = %a.id, tenant = %a.tenant, tool = %a.tool, "approval escalated");
                    }
                    gw.metrics
                        .approvals
                        .with_label_values(&["escalated"])
                        .inc_by(escalated.len() as u64);
                }
                Err(e) => tracing::warn!(error = %e, "approval sweep failed"),
            }
        }
    }))
}
