//! The admin API under `/admin/`, for operators (never tenants).
//!
//! Off (every path 404) unless `[server] admin_token_env` or
//! `admin_token_file` names a token. Every call must send
//! `Authorization: Bearer <admin token>`; anything else, tenant API keys
//! included, is 401. The token is compared in constant time.
//!
//! - `GET /admin/tenants`: each tenant's live chain: policy names per phase and
//!   the chain version.
//! - `PUT /admin/tenants/{t}/chain`: body `{"request": [...], "response": [...],
//!   "tool-call": [...]}` with entries written as in `[tenants.<t>.chain]` (a
//!   policy name, or `{"policy", "failure_mode", "config"}`); a missing phase is
//!   empty. The chain is built and validated before it is published: a bad
//!   change is 400 with the reason and the old chain keeps serving. Answers
//!   `{"tenant", "version"}`.
//! - `GET /admin/spend`: per tenant, the tightest budget left (when budgets are
//!   configured) and the spend recorded in the store.
//! - `GET /admin/ledger[?tenant=T]`: the spend ledger itself, oldest first: one
//!   record per upstream call (`request_id`, `tenant`, `user`, `model`,
//!   `input_tokens`, `output_tokens`, `cost_usd`, `at_ms`); `request_id` is the
//!   request's id, suffixed `#<hex>` for a call that reused an id already charged.
//! - `GET /admin/audit[?tenant=T]`: the audit log (approval transitions),
//!   oldest first per tenant: `at_ms`, `tenant`, `subject` (the approval id),
//!   `action`, `actor`, `detail`. Without `tenant`, every configured tenant.
//! - `POST /admin/reload`: re-read the config file and rebuild every chain
//!   (policies and chains only; `[server]`, upstreams, API keys, limits and
//!   budgets take a restart). SIGHUP does the same (see [`reload_config`]).
//! - `GET /admin/approvals`: pending and escalated approvals of every tenant.
//! - `POST /admin/approvals/{id}/approve`, `/reject`: body `{"approver",
//!   "reason"}`; a critical approval needs two distinct approvers (the same
//!   one twice is 409, as is deciding a decided one).
//!
//! Errors use the OpenAI error shape.

use std::collections::BTreeMap;
use std::sync::Arc;

use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use warden_sdk::Phase;

use super::ctx::Ctx;
use super::error::{ClientError, GatewayError, bad_request};
use super::http::{Body, json, read_body};
use super::{Gateway, approvals};
use crate::config::{Config, RawChains};

/// Route one `/admin/` request.
pub async fn handle(
    gw: &Arc<Gateway>,
    ctx: &mut Ctx,
    req: Request<Incoming>,
) -> Result<Response<Body>, GatewayError> {
    let path = req.uri().path().to_string();
    let Some(token) = &gw.settings.admin_token else {
        return Err(ClientError::NotFound(format!("no route {} {path}", req.method())).into());
    };
    ctx.tenant = "admin".into();
    let sent = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|a| {
            a.strip_prefix("Bearer ")
                .or_else(|| a.strip_prefix("bearer "))
        })
        .map(str::trim)
        .unwrap_or_default();
    if !same(sent, &token.0) {
        return Err(ClientError::Unauthorized(
            "the admin API needs `Authorization: Bearer <admin token>`".into(),
        )
        .into());
    }
    let parts: Vec<&str> = path
        .trim_start_matches("/admin/")
        .trim_end_matches('/')
        .split('/')
        .collect();
    let method = req.method().clone();
    match (method, parts.as_slice()) {
        (Method::GET, ["tenants"]) => Ok(tenants(gw)),
        (Method::PUT, ["tenants", t, "chain"]) => {
            let t = t.to_string();
            put_chain(gw, &t, req).await
        }
        (Method::GET, ["spend"]) => spend(gw),
        (Method::GET, ["ledger"]) => ledger(gw, req.uri().query()),
        (Method::GET, ["audit"]) => audit(gw, req.uri().query()),
        (Method::POST, ["reload"]) => reload(gw),
        (Method::GET, ["approvals"]) => approvals::admin_list(gw),
        (Method::POST, ["approvals", id, verb @ ("approve" | "reject")]) => {
            let (id, approve) = (id.to_string(), *verb == "approve");
            approvals::admin_decide(gw, &id, approve, req).await
        }
        (
            _,
            ["tenants"]
            | ["tenants", _, "chain"]
            | ["spend"]
            | ["ledger"]
            | ["audit"]
            | ["reload"]
            | ["approvals"]
            | ["approvals", _, "approve" | "reject"],
        ) => Err(ClientError::MethodNotAllowed.into()),
        _ => Err(ClientError::NotFound(format!("no admin route {path}")).into()),
    }
}

/// Constant-time equality: both sides hashed to equal length, then compared
/// without an early exit.
fn same(a: &str, b: &str) -> bool {
    let (x, y) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    x.iter()
        .zip(y.iter())
        .fold(0u8, |acc, (p, q)| acc | (p ^ q))
        == 0
}

fn tenants(gw: &Gateway) -> Response<Body> {
    let mut out = Vec::new();
    for name in gw.warden.registry().tenants() {
        let Some(chain) = gw.warden.chain(&name) else {
            continue;
        };
        let mut phases = serde_json::Map::new();
        for phase in [Phase::Request, Phase::Response, Phase::ToolCall] {
            let names: Vec<&str> = chain.policies(phase).iter().map(|p| &*p.name).collect();
            phases.insert(phase.as_str().to_string(), json!(names));
        }
        out.push(json!({"tenant": name, "version": chain.version, "chain": phases}));
    }
    json(StatusCode::OK, &json!({ "tenants": out }))
}

async fn put_chain(
    gw: &Gateway,
    tenant: &str,
    req: Request<Incoming>,
) -> Result<Response<Body>, GatewayError> {
    let bytes = read_body(req, gw.settings.max_body_bytes).await?;
    let chains: RawChains =
        serde_json::from_slice(&bytes).map_err(|e| bad_request(format!("invalid chain: {e}")))?;
    let config = gw.warden.config();
    if config.tenant(tenant).is_none() {
        return Err(ClientError::NotFound(format!("no tenant `{tenant}`")).into());
    }
    let tcfg = config
        .tenant_with_chains(tenant, &chains)
        .map_err(|e| bad_request(e.to_string()))?;
    let version = gw
        .warden
        .swap_tenant(tenant, &tcfg)
        .map_err(|e| bad_request(format!("chain not changed: {e}")))?;
    tracing::info!(tenant, version, "chain replaced through the admin API");
    Ok(json(
        StatusCode::OK,
        &json!({"tenant": tenant, "version": version}),
    ))
}

fn spend(gw: &Gateway) -> Result<Response<Body>, GatewayError> {
    let config = gw.warden.config();
    let mut spent: BTreeMap<String, Decimal> = BTreeMap::new();
    if let Some(store) = &gw.controls.store {
        let records = store
            .spend_since(i64::MIN)
            .map_err(|e| bad_request(format!("store: {e}")))?;
        for r in records {
            *spent.entry(r.tenant).or_default() += r.cost_usd;
        }
    }
    let mut out = Vec::new();
    for name in config.tenants.keys() {
        let budget = gw.remaining(name, None).map(|r| {
            json!({
                "scope": r.scope.as_str(),
                "period": r.period.as_str(),
                "limit_usd": r.limit_usd.to_string(),
                "remaining_usd": r.remaining_usd.to_string(),
            })
        });
        out.push(json!({
            "tenant": name,
            "spent_usd": spent.get(name).copied().unwrap_or_default().to_string(),
            "budget": budget.unwrap_or(Value::Null),
        }));
    }
    Ok(json(
        StatusCode::OK,
        &json!({"store": gw.controls.store.is_some(), "tenants": out}),
    ))
}

/// The value of `key` in a query string (`a=1&tenant=acme`), percent-decoded.
fn query_param(query: Option<&str>, key: &str) -> Result<Option<String>, GatewayError> {
    let Some(raw) = query
        .unwrap_or_default()
        .split('&')
        .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
    else {
        return Ok(None);
    };
    let bad = || bad_request(format!("invalid query parameter `{key}={raw}`"));
    let mut out = Vec::with_capacity(raw.len());
    let mut bytes = raw.bytes();
    while let Some(b) = bytes.next() {
        out.push(match b {
            b'%' => {
                let hex = [bytes.next().ok_or_else(bad)?, bytes.next().ok_or_else(bad)?];
                let hex = std::str::from_utf8(&hex).map_err(|_| bad())?;
                u8::from_str_radix(hex, 16).map_err(|_| bad())?
            }
            b'+' => b' ',
            b => b,
        });
    }
    String::from_utf8(out).map(Some).map_err(|_| bad())
}

/// The tenants a store read covers: the one asked for, else every configured tenant.
fn tenants_asked(gw: &Gateway, query: Option<&str>) -> Result<Vec<String>, GatewayError> {
    Ok(match query_param(query, "tenant")? {
        Some(t) => vec![t],
        None => gw.warden.config().tenants.keys().cloned().collect(),
    })
}

/// `GET /admin/ledger[?tenant=T]`: every spend record, oldest first.
fn ledger(gw: &Gateway, query: Option<&str>) -> Result<Response<Body>, GatewayError> {
    let tenant = query_param(query, "tenant")?;
    let mut out = Vec::new();
    if let Some(store) = &gw.controls.store {
        let records = store
            .spend_since(i64::MIN)
            .map_err(|e| bad_request(format!("store: {e}")))?;
        for r in records {
            if tenant.as_ref().is_some_and(|t| *t != r.tenant) {
                continue;
            }
            out.push(json!({
                "request_id": r.request_id,
                "tenant": r.tenant,
                "user": r.user,
                "model": r.model,
                "input_tokens": r.input_tokens,
                "output_tokens": r.output_tokens,
                "cost_usd": r.cost_usd.to_string(),
                "at_ms": r.at_ms,
            }));
        }
    }
    Ok(json(
        StatusCode::OK,
        &json!({"store": gw.controls.store.is_some(), "records": out}),
    ))
}

/// `GET /admin/audit[?tenant=T]`: the audit log, oldest first per tenant.
fn audit(gw: &Gateway, query: Option<&str>) -> Result<Response<Body>, GatewayError> {
    let mut out = Vec::new();
    if let Some(store) = &gw.controls.store {
        for tenant in tenants_asked(gw, query)? {
            let entries = store
                .audit(&tenant)
                .map_err(|e| bad_request(format!("store: {e}")))?;
            out.extend(entries.into_iter().map(|e| {
                json!({
                    "at_ms": e.at_ms,
                    "tenant": e.tenant,
                    "subject": e.subject,
                    "action": e.action,
                    "actor": e.actor,
                    "detail": e.detail,
                })
            }));
        }
    }
    Ok(json(
        StatusCode::OK,
        &json!({"store": gw.controls.store.is_some(), "audit": out}),
    ))
}

/// Re-read the config file and rebuild every chain: what `POST /admin/reload`
/// and SIGHUP do. The new config is parsed, validated and built before it is
/// published; on any error nothing changes (the old chains keep serving) and
/// the error says why. Returns the tenants of the new config.
pub(super) fn reload_config(gw: &Gateway, via: &str) -> Result<Vec<String>, String> {
    let Some(path) = &gw.config_path else {
        return Err("running on the embedded default: there is no config file to reload".into());
    };
    let failed =
        |e: &dyn std::fmt::Display| format!("config not reloaded from `{}`: {e}", path.display());
    let config = Config::from_file(path).map_err(|e| failed(&e))?;
    let tenants: Vec<String> = config.tenants.keys().cloned().collect();
    gw.warden.reload(config).map_err(|e| failed(&e))?;
    tracing::info!(path = %path.display(), via, "config reloaded");
    Ok(tenants)
}

fn reload(gw: &Gateway) -> Result<Response<Body>, GatewayError> {
    let tenants = reload_config(gw, "admin API").map_err(bad_request)?;
    Ok(json(
        StatusCode::OK,
        &json!({"reloaded": true, "tenants": tenants}),
    ))
}
