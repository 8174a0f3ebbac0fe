//! Retries, circuit breakers and fallbacks around the upstream call (on when
//! `[resilience]` sets anything).
//!
//! Before the call, the upstream's breaker is asked: when open, the request
//! goes to `fallback_upstreams[upstream]`, else to `fallback_models[model]`
//! (with the body's `model` rewritten), else it is answered 503
//! `upstream_unavailable`. A connection error, 429 or 5xx is retried with
//! jittered exponential backoff (`max_retries`) before any byte reaches the
//! client; every attempt is reported to the breaker. Metrics:
//! `warden_breaker_state{upstream}` (0 closed, 1 half-open, 2 open) and
//! `warden_upstream_retries_total{upstream}`.

use std::sync::Arc;

use super::Gateway;
use super::error::{GatewayError, UpstreamError};
use super::metrics::Metrics;
use super::settings::{Settings, UpstreamSettings};
use super::shape::Api;
use super::upstream::{self, Forward, Payload, UpstreamReply};
use crate::config::Config;
use crate::resilience::{
    BreakerSettings, BreakerState, Breakers, Fallbacks, Outcome, RetryPolicy, SystemClock,
};

/// The runtime side of `[resilience]`.
#[derive(Debug)]
pub struct Resilience {
    retry: RetryPolicy,
    breakers: Breakers,
    fallbacks: Fallbacks,
}

impl Resilience {
    /// `None` unless `[resilience]` changes a default (existing behaviour stays).
    pub fn open(config: &Config, settings: &Settings, metrics: &Metrics) -> Option<Self> {
        let c = &config.controls;
        if c.retry == RetryPolicy::default()
            && c.breaker == BreakerSettings::default()
            && c.fallbacks == Fallbacks::default()
        {
            return None;
        }
        let gauge = metrics.breaker_state.clone();
        for name in settings.upstreams.keys() {
            gauge.with_label_values(&[name.as_str()]).set(0.0);
        }
        let breakers = Breakers::new(
            settings.upstreams.keys().map(String::as_str),
            c.breaker,
            Arc::new(SystemClock),
            move |change| {
                let v = match change.to {
                    BreakerState::Closed => 0.0,
                    BreakerState::HalfOpen => 1.0,
                    BreakerState::Open => 2.0,
                };
                gauge.with_label_values(&[change.upstream.as_str()]).set(v);
            },
        );
        Some(Self {
            retry: c.retry,
            breakers,
            fallbacks: c.fallbacks.clone(),
        })
    }
}

/// Send `body` to `up` (or its fallback), with retries and the breaker when
/// configured. Returns the upstream actually used with its reply (any status).
pub async fn send(
    gw: &Gateway,
    api: Api,
    up: UpstreamSettings,
    body: &mut Payload,
    fwd: &Forward,
    pick: impl Fn(&str, Option<&str>) -> Result<UpstreamSettings, GatewayError>,
) -> Result<(UpstreamSettings, UpstreamReply), GatewayError> {
    let Some(r) = &gw.resilience else {
        let reply = once(&up, api, body, fwd).await?;
        return Ok((up, reply));
    };
    let mut up = up;
    if let Some(b) = r.breakers.get(&up.name)
        && let Err(open) = b.allow()
    {
        let model = body.model().to_string();
        if let Some(name) = r.fallbacks.upstream(&up.name) {
            up = pick(&model, Some(name))?;
        } else if let Some(m) = r.fallbacks.model(&model) {
            up = pick(m, None)?;
            body.set_model(m);
        } else {
            return Err(
                UpstreamError::Unavailable(format!("{open}; no fallback configured")).into(),
            );
        }
        tracing::warn!(from = %open.upstream, to = %up.name, "circuit open, using the fallback");
    }
    let breaker = r.breakers.get(&up.name).cloned();
    let mut attempt = 1;
    loop {
        let result = once(&up, api, body, fwd).await;
        let outcome = match &result {
            Ok(reply) if reply.status.is_success() || reply.status.is_redirection() => {
                Outcome::Success
            }
            Ok(reply) => Outcome::Status(reply.status.as_u16()),
            Err(GatewayError::Upstream(UpstreamError::Timeout(..))) => Outcome::Timeout,
            Err(_) => Outcome::Connect,
        };
        if let Some(b) = &breaker {
            b.record(!outcome.is_upstream_failure());
        }
        if r.retry.should_retry(outcome, attempt, false) {
            gw.metrics
                .upstream_retries
                .with_label_values(&[up.name.as_str()])
                .inc();
            tokio::time::sleep(r.retry.backoff(attempt)).await;
            attempt += 1;
            continue;
        }
        return result.map(|reply| (up, reply));
    }
}

async fn once(
    up: &UpstreamSettings,
    api: Api,
    body: &Payload,
    fwd: &Forward,
) -> Result<UpstreamReply, GatewayError> {
    Ok(
        tokio::time::timeout(up.timeout, upstream::send(up, api, body, fwd))
            .await
            .map_err(|_| UpstreamError::Timeout(up.name.clone(), up.timeout))??,
    )
}
