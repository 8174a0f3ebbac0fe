//! The chat flow shared by both API shapes: authenticate, parse, run the
//! request chain, call the upstream, then guard the answer (here when it is a
//! single JSON document, in [`super::stream`] when it is streamed).

use std::sync::Arc;
use std::time::Instant;

use hyper::body::Incoming;
use hyper::{HeaderMap, Request, Response, StatusCode};
use serde_json::Value;
use warden_sdk::{Input, Phase};

use super::controls::max_tokens;
use super::ctx::Ctx;
use super::error::{ClientError, GatewayError, UpstreamError, bad_request};
use super::guard::{Guard, block};
use super::http::{Body, json, read_body, respond};
use super::settings::{UpstreamKind, UpstreamSettings};
use super::shape::Api;
use super::upstream::{Forward, Payload, UpstreamReply};
use super::{Gateway, approvals};
use super::{resilient, stream, tools};
use crate::approval::NewApproval;
use crate::budget::Usage;

/// Largest upstream answer accepted (non-streamed).
const MAX_ANSWER_BYTES: usize = 32 << 20;

fn header(h: &HeaderMap, name: &str) -> Option<String> {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Serve one chat request.
pub async fn chat(
    gw: &Arc<Gateway>,
    ctx: &mut Ctx,
    api: Api,
    req: Request<Incoming>,
) -> Result<Response<Body>, GatewayError> {
    let tenant = gw.tenant(req.headers())?;
    ctx.tenant = tenant.clone();
    let key_id = Gateway::key_hash(req.headers());
    let h = req.headers();
    let session = approvals::session(h, &ctx.request_id);
    let approval_sent = header(h, "x-warden-approval");
    let fwd = Forward {
        request_id: ctx.request_id.clone(),
        traceparent: header(h, "traceparent"),
        anthropic_version: header(h, "anthropic-version"),
        anthropic_beta: header(h, "anthropic-beta"),
    };
    let bytes = read_body(req, gw.settings.max_body_bytes).await?;
    let mut chat = api.parse_request(&bytes)?;
    ctx.model = chat.model.clone();
    let chars = chat.texts.chars();
    if chars > gw.settings.max_input_chars {
        return Err(ClientError::InputTooLong {
            chars,
            max: gw.settings.max_input_chars,
        }
        .into());
    }
    if gw.settings.log_prompts {
        ctx.prompt = chat.texts.messages.last().map(|m| m.content.clone());
    }
    if !gw.model_allowed(&tenant, &chat.model) {
        return Err(ClientError::NotFound(format!(
            "model `{}` does not exist or is not available to this API key",
            chat.model
        ))
        .into());
    }
    let estimate = Usage::estimate(chars, max_tokens(&chat.body));
    gw.check_rate(&tenant, key_id.as_deref(), estimate)?;
    let chain = gw
        .warden
        .chain(&tenant)
        .ok_or_else(|| ClientError::NotFound(format!("tenant `{tenant}` has no policy chain")))?;
    let mut base = Input::new(Phase::Request, Vec::new());
    base.tenant = tenant.clone();
    base.model = chat.model.clone();
    base.user = chat.body["user"]
        .as_str()
        .or(chat.body["metadata"]["user_id"].as_str())
        .map(str::to_string);
    let user = base.user.clone();
    base.metadata = vec![
        (
            "api".into(),
            if api == Api::OpenAi {
                "openai"
            } else {
                "anthropic"
            }
            .into(),
        ),
        ("stream".into(), chat.stream.to_string()),
        ("request_id".into(), ctx.request_id.clone()),
    ];
    if let Some(r) = gw.remaining(&tenant, user.as_deref()) {
        base.metadata.extend([
            ("budget-remaining-usd".into(), r.remaining_usd.to_string()),
            ("budget-limit-usd".into(), r.limit_usd.to_string()),
        ]);
    }
    let mut guard = Guard::new(gw.clone(), chain, base);
    guard.session = session.clone();

    let out = guard
        .run(Phase::Request, chat.texts.messages.clone(), None)
        .await;
    ctx.action = out.action;
    ctx.decided_by = out.decided_by.clone().unwrap_or_default();
    ctx.policy_us = guard.policy_us;
    // An approved approval of this tenant (`x-warden-approval`) lifts a
    // require-approval outcome; a deny still stands.
    let approved = out.deny.is_none()
        && out.approval.is_some()
        && approval_sent.as_deref().is_some_and(|id| {
            let fingerprint = approvals::fingerprint(&chat.texts.messages);
            approvals::approved(gw, &tenant, id, &fingerprint)
        });
    if !approved && let Some(mut b) = block(&out) {
        if out.deny.is_none()
            && let Some(a) = &out.approval
            && let Some(filed) = approvals::file(
                gw,
                NewApproval {
                    tenant: tenant.clone(),
                    session,
                    tool: String::new(),
                    // Binds the approval to this request's content (see `approvals::approved`).
                    arguments: approvals::fingerprint(&chat.texts.messages),
                    risk: approvals::risk(a.level),
                    reason: a.reason.clone(),
                },
            )
        {
            b.approval_id = Some(filed?.id);
        }
        return Err(b.into());
    }
    let mut edited = out.modified;
    if out.modified {
        chat.texts.write_back(&mut chat.body, &out.messages);
    }
    let model = if out.model.is_empty() {
        chat.model.clone()
    } else {
        out.model.clone()
    };
    if model != chat.model {
        edited = true;
        chat.body["model"] = Value::from(model.clone());
        ctx.model = model.clone();
        guard.set_model(&model);
    }
    let up = pick_upstream(gw, api, &model, out.route.upstream.as_deref())?;
    ctx.upstream = up.name.clone();
    // Held until the usage is known; dropped (released) on any failure below.
    let billing = gw.reserve(
        &ctx.request_id,
        &tenant,
        user.as_deref(),
        key_id.as_deref(),
        &model,
        estimate,
    )?;

    let mut payload = if edited {
        Payload::edited(chat.body)
    } else {
        Payload::unchanged(chat.body, bytes)
    };
    let started = Instant::now();
    let (up, reply) = resilient::send(gw, api, up, &mut payload, &fwd, |m, routed| {
        pick_upstream(gw, api, m, routed)
    })
    .await?;
    ctx.upstream = up.name.clone();
    if !reply.status.is_success() {
        return Err(upstream_failure(&up, reply).await.into());
    }
    if chat.stream {
        if !reply
            .content_type
            .as_deref()
            .is_some_and(|c| c.starts_with("text/event-stream"))
        {
            let got = reply.content_type.unwrap_or_else(|| "none".into());
            return Err(UpstreamError::BadResponse(
                up.name.clone(),
                format!("expected an event stream, got content-type {got}"),
            )
            .into());
        }
        return Ok(stream::respond(
            gw.clone(),
            ctx,
            api,
            guard,
            reply,
            up,
            started,
            billing,
        ));
    }
    let body = tokio::time::timeout(up.timeout, reply.body.collect(MAX_ANSWER_BYTES))
        .await
        .map_err(|_| UpstreamError::Timeout(up.name.clone(), up.timeout))?
        .map_err(|e| UpstreamError::Unreachable(up.name.clone(), e))?;
    let upstream_secs = started.elapsed().as_secs_f64();
    gw.metrics
        .upstream_duration
        .with_label_values(&[up.name.as_str()])
        .observe(upstream_secs);
    ctx.upstream_ms = Some((upstream_secs * 1000.0) as u64);
    let mut answer: Value = serde_json::from_slice(&body)
        .ok()
        .filter(Value::is_object)
        .ok_or_else(|| {
            UpstreamError::BadResponse(up.name.clone(), "the answer is not a JSON object".into())
        })?;
    let (tin, tout) = api.usage(&answer);
    gw.metrics.add_tokens(&tenant, &model, tin, tout);
    billing.settle(gw, &model, (tin, tout)).await;

    let mut edited = false;
    let texts = api.answer_texts(&answer);
    if !texts.messages.is_empty() && guard.has(Phase::Response) {
        let out = guard
            .run(Phase::Response, texts.messages.clone(), None)
            .await;
        if let Some(b) = block(&out) {
            ctx.policy_us = guard.policy_us;
            return Err(b.into());
        }
        if out.modified {
            edited = true;
            texts.write_back(&mut answer, &out.messages);
        }
    }
    if gw.settings.log_prompts {
        ctx.answer = api
            .answer_texts(&answer)
            .messages
            .first()
            .map(|m| m.content.clone());
    }
    let (removed, tools_edited) = tools::guard_answer(&mut guard, api, &mut answer).await;
    ctx.policy_us = guard.policy_us;
    ctx.tool_calls_removed = removed.len();
    if !removed.is_empty() {
        answer["warden"] = tools::report(&removed);
    }
    // An answer no policy changed goes back byte for byte.
    let mut resp = if edited || tools_edited {
        json(StatusCode::OK, &answer)
    } else {
        respond(StatusCode::OK, "application/json", body)
    };
    if !removed.is_empty() {
        resp.headers_mut()
            .insert("x-warden-tool-calls-removed", removed.len().into());
    }
    Ok(resp)
}

/// The upstream for `model` (or the one a policy routed to), if it speaks `api`.
fn pick_upstream(
    gw: &Gateway,
    api: Api,
    model: &str,
    routed: Option<&str>,
) -> Result<UpstreamSettings, GatewayError> {
    let up = match routed {
        Some(name) => gw.settings.upstreams.get(name).ok_or_else(|| {
            bad_request(format!(
                "a policy routed this request to upstream `{name}`, which is not configured"
            ))
        })?,
        None => gw.settings.upstream_for(model).ok_or_else(|| {
            ClientError::NotFound(format!(
                "model `{model}` does not exist or is not available to this API key"
            ))
        })?,
    };
    let fits = matches!(
        (api, up.kind),
        (_, UpstreamKind::Mock)
            | (Api::OpenAi, UpstreamKind::OpenAi)
            | (Api::Anthropic, UpstreamKind::Anthropic)
    );
    if !fits {
        let path = if up.kind == UpstreamKind::OpenAi {
            "/v1/chat/completions"
        } else {
            "/v1/messages"
        };
        return Err(bad_request(format!(
            "model `{model}` is served by the {} upstream `{}`: call {path} for it",
            up.kind.as_str(),
            up.name
        )));
    }
    Ok(up.clone())
}

/// A non-2xx upstream answer: passed through when it is JSON (the provider's
/// own error shape), else a 502.
async fn upstream_failure(up: &UpstreamSettings, reply: UpstreamReply) -> UpstreamError {
    let status = reply.status;
    match tokio::time::timeout(up.timeout, reply.body.collect(1 << 20)).await {
        Ok(Ok(body)) if serde_json::from_slice::<Value>(&body).is_ok() => {
            UpstreamError::Status { status, body }
        }
        _ => UpstreamError::BadResponse(
            up.name.clone(),
            format!("HTTP {status} without a JSON error body"),
        ),
    }
}
