//! Guarded streaming: a task reads the upstream's SSE, passes each event
//! through the API's translator ([`super::stream_openai`],
//! [`super::stream_anthropic`]), which holds text back in a [`TextWindow`]
//! for the response chain and buffers tool calls for the tool-call chain, and
//! sends the result to the client through a channel.
//!
//! A policy deny mid-stream ends the stream with an error event in the
//! provider's format (OpenAI: `data: {"error":{..}}`; Anthropic:
//! `event: error`), which each SDK raises as an API error. A client that goes
//! away stops the task and closes the upstream connection.

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::Response;
use hyper::header::{CACHE_CONTROL, CONTENT_TYPE};
use tokio::sync::mpsc;
use warden_sdk::Phase;

use super::Gateway;
use super::controls::Billing;
use super::ctx::Ctx;
use super::error::{GatewayError, PolicyBlock, UpstreamError};
use super::guard::Guard;
use super::http::{Body, ChannelBody};
use super::settings::UpstreamSettings;
use super::shape::Api;
use super::sse::{self, Event};
use super::stream_anthropic::AnthropicStream;
use super::stream_openai::OpenAiStream;
use super::tools::RemovedToolCall;
use super::upstream::UpstreamReply;
use super::window;

/// Streamed answer text held back for the response chain (see [`window`]).
#[derive(Debug, Default)]
pub struct TextWindow {
    held: String,
}

impl TextWindow {
    /// Add a delta; returns the text that may be sent now.
    pub async fn push(
        &mut self,
        delta: &str,
        guard: &mut Guard,
        size: usize,
    ) -> Result<String, PolicyBlock> {
        if !guard.has(Phase::Response) {
            return Ok(delta.to_string());
        }
        self.held.push_str(delta);
        if self.held.len() <= size {
            return Ok(String::new());
        }
        let raw = std::mem::take(&mut self.held);
        let edited = guard.response_text(raw.clone()).await?;
        let (emit, hold) = window::split(&raw, &edited, size);
        self.held = hold;
        Ok(emit)
    }

    /// The end of the text: check and release everything held.
    pub async fn flush(&mut self, guard: &mut Guard) -> Result<String, PolicyBlock> {
        guard.response_text(std::mem::take(&mut self.held)).await
    }
}

/// What a translator reports besides the events it emits.
#[derive(Debug, Default)]
pub struct StreamFacts {
    /// `(input, output)` tokens, when the upstream reported them.
    pub usage: (Option<u64>, Option<u64>),
    /// Tool calls removed.
    pub removed: Vec<RemovedToolCall>,
    /// Start of the answer text (for `server.log_prompts`).
    pub answer: String,
}

enum Translator {
    OpenAi(OpenAiStream),
    Anthropic(AnthropicStream),
}

impl Translator {
    async fn on_event(&mut self, ev: Event, guard: &mut Guard) -> Result<Vec<Bytes>, GatewayError> {
        match self {
            Translator::OpenAi(t) => t.on_event(ev, guard).await,
            Translator::Anthropic(t) => t.on_event(ev, guard).await,
        }
    }
    async fn finish(&mut self, guard: &mut Guard) -> Result<Vec<Bytes>, GatewayError> {
        match self {
            Translator::OpenAi(t) => t.finish(guard).await,
            Translator::Anthropic(t) => t.finish(guard).await,
        }
    }
    fn facts(&mut self) -> StreamFacts {
        match self {
            Translator::OpenAi(t) => std::mem::take(&mut t.facts),
            Translator::Anthropic(t) => std::mem::take(&mut t.facts),
        }
    }
}

/// Start the stream task and return the SSE response it feeds.
#[allow(
    clippy::too_many_arguments,
    reason = "the request's parts, handed over to the stream task"
)]
pub fn respond(
    gw: Arc<Gateway>,
    ctx: &mut Ctx,
    api: Api,
    guard: Guard,
    reply: UpstreamReply,
    up: UpstreamSettings,
    started: Instant,
    billing: Billing,
) -> Response<Body> {
    ctx.streaming = true;
    let (tx, rx) = mpsc::channel(32);
    tokio::spawn(run(
        gw,
        ctx.clone(),
        api,
        guard,
        reply,
        up,
        started,
        tx,
        billing,
    ));
    let mut r = Response::new(ChannelBody(rx).boxed());
    r.headers_mut().insert(
        CONTENT_TYPE,
        "text/event-stream".parse().expect("valid header"),
    );
    r.headers_mut()
        .insert(CACHE_CONTROL, "no-cache".parse().expect("valid header"));
    r
}

/// Why a stream ended early.
enum Stop {
    ClientGone,
    Error(GatewayError),
}

#[allow(clippy::too_many_arguments)]
async fn run(
    gw: Arc<Gateway>,
    mut ctx: Ctx,
    api: Api,
    mut guard: Guard,
    reply: UpstreamReply,
    up: UpstreamSettings,
    started: Instant,
    tx: mpsc::Sender<Bytes>,
    billing: Billing,
) {
    let size = gw.settings.stream_window_bytes;
    let mut t = match api {
        Api::OpenAi => Translator::OpenAi(OpenAiStream::new(size)),
        Api::Anthropic => Translator::Anthropic(AnthropicStream::new(size)),
    };
    let mut body = reply.body;
    let mut parser = sse::Parser::default();
    let outcome: Result<(), Stop> = async {
        loop {
            // Also watch the client: one that left is noticed even while the upstream is silent.
            let next = tokio::select! {
                next = tokio::time::timeout(up.timeout, body.next_chunk()) => next,
                _ = tx.closed() => return Err(Stop::ClientGone),
            };
            let chunk = match next {
                Err(_) => {
                    return Err(Stop::Error(
                        UpstreamError::Timeout(up.name.clone(), up.timeout).into(),
                    ));
                }
                Ok(None) => break,
                Ok(Some(Err(e))) => {
                    return Err(Stop::Error(
                        UpstreamError::Unreachable(up.name.clone(), e).into(),
                    ));
                }
                Ok(Some(Ok(c))) => c,
            };
            let events = parser
                .push(&chunk)
                .map_err(|e| Stop::Error(UpstreamError::BadResponse(up.name.clone(), e).into()))?;
            for ev in events {
                let out = t.on_event(ev, &mut guard).await.map_err(Stop::Error)?;
                send_all(&tx, out).await?;
            }
        }
        if let Some(ev) = parser
            .finish()
            .map_err(|e| Stop::Error(UpstreamError::BadResponse(up.name.clone(), e).into()))?
        {
            let out = t.on_event(ev, &mut guard).await.map_err(Stop::Error)?;
            send_all(&tx, out).await?;
        }
        let out = t.finish(&mut guard).await.map_err(Stop::Error)?;
        send_all(&tx, out).await
    }
    .await;
    match outcome {
        Ok(()) => {}
        Err(Stop::ClientGone) => ctx.error = Some("client: disconnected mid-stream".into()),
        Err(Stop::Error(e)) => {
            ctx.error = Some(format!("{}: {e}", e.label()));
            if let GatewayError::Policy(b) = &e {
                ctx.decided_by = b.policy.clone();
                ctx.action = "deny";
            }
            let body = String::from_utf8_lossy(&api.error_body(&e)).into_owned();
            let ev = match api {
                Api::OpenAi => format!("data: {body}\n\n"),
                Api::Anthropic => format!("event: error\ndata: {body}\n\n"),
            };
            let _ = tx.send(Bytes::from(ev)).await;
        }
    }
    drop(body);
    let upstream_secs = started.elapsed().as_secs_f64();
    gw.metrics
        .upstream_duration
        .with_label_values(&[up.name.as_str()])
        .observe(upstream_secs);
    let facts = t.facts();
    gw.metrics
        .add_tokens(&ctx.tenant, &ctx.model, facts.usage.0, facts.usage.1);
    // The upstream was called: its tokens are spent whether or not the stream
    // finished (unreported counts are charged at the estimate).
    billing.settle(&gw, &ctx.model, facts.usage).await;
    ctx.upstream_ms = Some((upstream_secs * 1000.0) as u64);
    ctx.policy_us = guard.policy_us;
    ctx.tool_calls_removed = facts.removed.len();
    if gw.settings.log_prompts {
        ctx.answer = Some(facts.answer);
    }
    ctx.finish(&gw, 200);
}

async fn send_all(tx: &mpsc::Sender<Bytes>, out: Vec<Bytes>) -> Result<(), Stop> {
    for b in out {
        tx.send(b).await.map_err(|_| Stop::ClientGone)?;
    }
    Ok(())
}
