//! The non-chat endpoints: `GET /v1/models`, `POST /v1/guard/evaluate`,
//! `/metrics`, `/healthz`, `/readyz`.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};
use warden_sdk::{Input, Message, Phase, ToolCall};

use super::ctx::Ctx;
use super::error::{ClientError, GatewayError, bad_request};
use super::guard::Guard;
use super::http::{Body, json, read_body, respond};
use super::{Gateway, approvals};
use crate::approval::NewApproval;

/// `GET /v1/models`: the models the caller's tenant may use, OpenAI list shape.
pub fn models(
    gw: &Gateway,
    ctx: &mut Ctx,
    req: &Request<Incoming>,
) -> Result<Response<Body>, GatewayError> {
    let tenant = gw.tenant(req.headers())?;
    ctx.tenant = tenant.clone();
    let data: Vec<Value> = gw
        .models_for(&tenant)
        .into_iter()
        .filter(|m| gw.settings.upstream_for(m).is_some())
        .map(|m| {
            let owner = gw
                .settings
                .upstream_for(&m)
                .map_or("warden".to_string(), |u| u.name.clone());
            json!({"id": m, "object": "model", "created": 0, "owned_by": owner})
        })
        .collect();
    Ok(json(
        StatusCode::OK,
        &json!({"object": "list", "data": data}),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GuardRequest {
    #[serde(default)]
    phase: Option<String>,
    #[serde(default)]
    messages: Vec<GuardMessage>,
    #[serde(default)]
    model: Option<String>,
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    tool_call: Option<GuardToolCall>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GuardMessage {
    role: String,
    content: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GuardToolCall {
    name: String,
    /// JSON text, or any JSON value (serialised).
    #[serde(default)]
    arguments: Value,
}

/// `POST /v1/guard/evaluate`: run one phase of the caller's chain and return
/// the verdict (the chain outcome: action, deciding policy, findings, edited
/// messages, timings). A `tool-call` phase that requires approval files one
/// when `[approvals]` is configured and adds `approval_id` and `approval_url`.
pub async fn evaluate(
    gw: &Arc<Gateway>,
    ctx: &mut Ctx,
    req: Request<Incoming>,
) -> Result<Response<Body>, GatewayError> {
    let tenant = gw.tenant(req.headers())?;
    ctx.tenant = tenant.clone();
    let session = approvals::session(req.headers(), &ctx.request_id);
    let bytes = read_body(req, gw.settings.max_body_bytes).await?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|e| bad_request(format!("request body is not valid UTF-8: {e}")))?;
    let body: GuardRequest =
        serde_json::from_str(text).map_err(|e| bad_request(format!("invalid request: {e}")))?;
    let phase: Phase = match &body.phase {
        Some(p) => p.parse().map_err(bad_request)?,
        None if body.tool_call.is_some() => Phase::ToolCall,
        None => Phase::Request,
    };
    let mut messages = Vec::new();
    for (i, m) in body.messages.iter().enumerate() {
        let role = m
            .role
            .parse()
            .map_err(|e: String| bad_request(format!("`messages[{i}].role`: {e}")))?;
        messages.push(Message::new(role, m.content.clone()));
    }
    let chars: usize = messages.iter().map(|m| m.content.chars().count()).sum();
    if chars > gw.settings.max_input_chars {
        return Err(ClientError::InputTooLong {
            chars,
            max: gw.settings.max_input_chars,
        }
        .into());
    }
    let tool_call = body.tool_call.map(|t| ToolCall {
        name: t.name,
        arguments: match t.arguments {
            Value::String(s) => s,
            Value::Null => "{}".into(),
            other => other.to_string(),
        },
    });
    if phase == Phase::ToolCall && tool_call.is_none() {
        return Err(bad_request(
            "phase `tool-call` needs a `tool_call` with `name` and `arguments`",
        ));
    }
    if phase != Phase::ToolCall && messages.is_empty() {
        return Err(bad_request("`messages` is required for this phase"));
    }
    let chain = gw
        .warden
        .chain(&tenant)
        .ok_or_else(|| ClientError::NotFound(format!("tenant `{tenant}` has no policy chain")))?;
    let mut base = Input::new(phase, Vec::new());
    base.tenant = tenant.clone();
    base.model = body.model.unwrap_or_else(|| "mock".into());
    base.user = body.user;
    base.metadata = vec![
        ("api".into(), "guard".into()),
        ("request_id".into(), ctx.request_id.clone()),
    ];
    ctx.model = base.model.clone();
    let mut guard = Guard::new(gw.clone(), chain, base);
    let out = guard.run(phase, messages, tool_call).await;
    ctx.action = out.action;
    ctx.decided_by = out.decided_by.clone().unwrap_or_default();
    ctx.policy_us = guard.policy_us;
    let mut v = serde_json::to_value(&out).map_err(|e| bad_request(e.to_string()))?;
    if phase == Phase::ToolCall
        && let (Some(a), Some(call)) = (&out.approval, &out.tool_call)
        && let Some(filed) = approvals::file(
            gw,
            NewApproval {
                tenant,
                session,
                tool: call.name.clone(),
                arguments: call.arguments.clone(),
                risk: approvals::risk(a.level),
                reason: a.reason.clone(),
            },
        )
    {
        let filed = filed?;
        v["approval_id"] = json!(filed.id);
        v["approval_url"] = json!(approvals::url(&filed.id));
    }
    Ok(json(StatusCode::OK, &v))
}

/// `/healthz`: the process is up. `/readyz`: it serves (fails while draining).
pub fn health(gw: &Gateway, ready: bool) -> Response<Body> {
    if ready && gw.draining.load(Ordering::Relaxed) {
        return respond(StatusCode::SERVICE_UNAVAILABLE, "text/plain", "draining\n");
    }
    respond(StatusCode::OK, "text/plain", "ok\n")
}

/// `/metrics`: Prometheus text format.
pub fn metrics(gw: &Gateway) -> Response<Body> {
    respond(
        StatusCode::OK,
        "text/plain; version=0.0.4",
        gw.metrics.render(),
    )
}
