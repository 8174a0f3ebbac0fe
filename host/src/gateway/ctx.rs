//! Per-request bookkeeping: what the access log line and the request metrics
//! report, and the concurrency slot the request holds.

use std::sync::Arc;
use std::time::Instant;

use tokio::sync::OwnedSemaphorePermit;

use super::Gateway;

/// A concurrency slot: held until the response (including a stream) ends.
#[derive(Debug)]
pub struct InFlight {
    _permit: OwnedSemaphorePermit,
    gauge: prometheus::IntGauge,
}

impl InFlight {
    /// Take a slot, or `None` when all are in use.
    pub fn try_new(gw: &Gateway) -> Option<Self> {
        let permit = gw.limiter.clone().try_acquire_owned().ok()?;
        gw.metrics.active.inc();
        Some(Self {
            _permit: permit,
            gauge: gw.metrics.active.clone(),
        })
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.gauge.dec();
    }
}

/// What one request did, for its log line and metrics.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// `x-request-id` (the client's, or generated).
    pub request_id: String,
    /// Route label.
    pub route: &'static str,
    /// Tenant (`-` until known).
    pub tenant: String,
    /// Model asked for, then routed to.
    pub model: String,
    /// Upstream used.
    pub upstream: String,
    /// Deciding policy of the request chain.
    pub decided_by: String,
    /// Request chain action.
    pub action: &'static str,
    /// Microseconds spent in policies, all phases.
    pub policy_us: u64,
    /// Upstream latency in milliseconds.
    pub upstream_ms: Option<u64>,
    /// When the request arrived.
    pub started: Instant,
    /// Set when the response is a stream: the stream task logs at its end.
    pub streaming: bool,
    /// Tool calls removed from the answer.
    pub tool_calls_removed: usize,
    /// Error label and message, if the request failed.
    pub error: Option<String>,
    /// Prompt text, only with `server.log_prompts`.
    pub prompt: Option<String>,
    /// Answer text, only with `server.log_prompts`.
    pub answer: Option<String>,
    /// The concurrency slot (shared with a stream task).
    pub inflight: Option<Arc<InFlight>>,
}

impl Ctx {
    /// A fresh context.
    pub fn new(request_id: String, route: &'static str) -> Self {
        Self {
            request_id,
            route,
            tenant: "-".into(),
            model: String::new(),
            upstream: String::new(),
            decided_by: String::new(),
            action: "",
            policy_us: 0,
            upstream_ms: None,
            started: Instant::now(),
            streaming: false,
            tool_calls_removed: 0,
            error: None,
            prompt: None,
            answer: None,
            inflight: None,
        }
    }

    /// Count the request and write its one log line.
    pub fn finish(&mut self, gw: &Gateway, status: u16) {
        let elapsed = self.started.elapsed();
        let status_label = status.to_string();
        gw.metrics
            .requests
            .with_label_values(&[self.tenant.as_str(), self.route, status_label.as_str()])
            .inc();
        gw.metrics.request_duration.observe(elapsed.as_secs_f64());
        tracing::info!(
            target: "warden::access",
            request_id = %self.request_id,
            tenant = %self.tenant,
            route = self.route,
            model = %self.model,
            upstream = %self.upstream,
            decided_by = %self.decided_by,
            action = self.action,
            status,
            stream = self.streaming,
            latency_ms = elapsed.as_millis() as u64,
            upstream_ms = self.upstream_ms,
            policy_us = self.policy_us,
            tool_calls_removed = self.tool_calls_removed,
            error = self.error.as_deref(),
            prompt = self.prompt.as_deref(),
            answer = self.answer.as_deref(),
            "request"
        );
        self.inflight = None;
    }
}
