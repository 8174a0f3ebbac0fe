//! Prometheus metrics on the gateway's own registry (never the global one,
//! so tests and embedders can run several gateways in one process).

use prometheus::{
    CounterVec, Encoder, GaugeVec, Histogram, HistogramOpts, HistogramVec, IntCounterVec, IntGauge,
    Opts, Registry, TextEncoder,
};

use crate::chain::ChainOutcome;

/// Every gateway metric.
#[derive(Debug, Clone)]
pub struct Metrics {
    registry: Registry,
    /// `warden_requests_total{tenant,route,status}`.
    pub requests: IntCounterVec,
    /// `warden_request_duration_seconds`.
    pub request_duration: Histogram,
    /// `warden_upstream_duration_seconds{upstream}`.
    pub upstream_duration: HistogramVec,
    /// `warden_policy_duration_seconds{policy,phase}`.
    pub policy_duration: HistogramVec,
    /// `warden_policy_decisions_total{policy,action}`.
    pub decisions: IntCounterVec,
    /// `warden_injection_blocked_total{tenant}`.
    pub injection_blocked: IntCounterVec,
    /// `warden_pii_detections_total{entity}`.
    pub pii_detections: IntCounterVec,
    /// `warden_tokens_total{tenant,model,direction}`.
    pub tokens: IntCounterVec,
    /// `warden_active_requests`.
    pub active: IntGauge,
    /// `warden_policy_faults_total{policy,kind}`.
    pub faults: IntCounterVec,
    /// `warden_rate_limited_total{tenant}`.
    pub rate_limited: IntCounterVec,
    /// `warden_cost_usd_total{tenant,model}` (f64 for the metric only; money is `Decimal`).
    pub cost_usd: CounterVec,
    /// `warden_budget_utilisation_ratio{scope,tenant}`: spent + reserved over the
    /// limit of the tightest budget of the tenant's last request.
    pub budget_utilisation: GaugeVec,
    /// `warden_budget_refused_total{tenant,scope}`.
    pub budget_refused: IntCounterVec,
    /// `warden_approvals_total{state}`: approvals filed (`pending`) and
    /// transitions (`approved`, `rejected`, `escalated`).
    pub approvals: IntCounterVec,
    /// `warden_breaker_state{upstream}`: 0 closed, 1 half-open, 2 open.
    pub breaker_state: GaugeVec,
    /// `warden_upstream_retries_total{upstream}`.
    pub upstream_retries: IntCounterVec,
}

fn counter(r: &Registry, name: &str, help: &str, labels: &[&str]) -> IntCounterVec {
    let c = IntCounterVec::new(Opts::new(name, help), labels).expect("valid metric");
    r.register(Box::new(c.clone())).expect("unique metric");
    c
}

fn histogram(
    r: &Registry,
    name: &str,
    help: &str,
    labels: &[&str],
    buckets: Vec<f64>,
) -> HistogramVec {
    let h = HistogramVec::new(HistogramOpts::new(name, help).buckets(buckets), labels)
        .expect("valid metric");
    r.register(Box::new(h.clone())).expect("unique metric");
    h
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Create and register every metric.
    pub fn new() -> Self {
        let r = Registry::new();
        let secs = prometheus::DEFAULT_BUCKETS.to_vec();
        let policy_secs = vec![
            0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
        ];
        let request_duration = Histogram::with_opts(
            HistogramOpts::new(
                "warden_request_duration_seconds",
                "Gateway request latency, end to end",
            )
            .buckets(secs.clone()),
        )
        .expect("valid metric");
        r.register(Box::new(request_duration.clone()))
            .expect("unique metric");
        let active =
            IntGauge::new("warden_active_requests", "Requests in flight").expect("valid metric");
        r.register(Box::new(active.clone())).expect("unique metric");
        Self {
            requests: counter(
                &r,
                "warden_requests_total",
                "Gateway requests",
                &["tenant", "route", "status"],
            ),
            request_duration,
            upstream_duration: histogram(
                &r,
                "warden_upstream_duration_seconds",
                "Upstream latency until the answer (or stream) ended",
                &["upstream"],
                secs,
            ),
            policy_duration: histogram(
                &r,
                "warden_policy_duration_seconds",
                "Time spent in one policy call",
                &["policy", "phase"],
                policy_secs,
            ),
            approvals: counter(
                &r,
                "warden_approvals_total",
                "Approval requests filed and decided, by resulting state",
                &["state"],
            ),
            decisions: counter(
                &r,
                "warden_policy_decisions_total",
                "Policy verdicts",
                &["policy", "action"],
            ),
            injection_blocked: counter(
                &r,
                "warden_injection_blocked_total",
                "Requests denied as injection",
                &["tenant"],
            ),
            pii_detections: counter(
                &r,
                "warden_pii_detections_total",
                "PII findings",
                &["entity"],
            ),
            tokens: counter(
                &r,
                "warden_tokens_total",
                "Tokens reported by upstreams",
                &["tenant", "model", "direction"],
            ),
            active,
            faults: counter(
                &r,
                "warden_policy_faults_total",
                "Policy faults",
                &["policy", "kind"],
            ),
            rate_limited: counter(
                &r,
                "warden_rate_limited_total",
                "Requests refused by [rate_limits] (429)",
                &["tenant"],
            ),
            cost_usd: {
                let c = CounterVec::new(
                    Opts::new(
                        "warden_cost_usd_total",
                        "Spend in USD, priced from reported usage",
                    ),
                    &["tenant", "model"],
                )
                .expect("valid metric");
                r.register(Box::new(c.clone())).expect("unique metric");
                c
            },
            budget_utilisation: {
                let g = GaugeVec::new(
                    Opts::new(
                        "warden_budget_utilisation_ratio",
                        "Used fraction of the tightest budget (spent + reserved) / limit",
                    ),
                    &["scope", "tenant"],
                )
                .expect("valid metric");
                r.register(Box::new(g.clone())).expect("unique metric");
                g
            },
            breaker_state: {
                let g = GaugeVec::new(
                    Opts::new(
                        "warden_breaker_state",
                        "Circuit breaker state per upstream: 0 closed, 1 half-open, 2 open",
                    ),
                    &["upstream"],
                )
                .expect("valid metric");
                r.register(Box::new(g.clone())).expect("unique metric");
                g
            },
            upstream_retries: counter(
                &r,
                "warden_upstream_retries_total",
                "Upstream calls retried after a connection error, 429 or 5xx",
                &["upstream"],
            ),
            budget_refused: counter(
                &r,
                "warden_budget_refused_total",
                "Requests refused because a budget was exhausted",
                &["tenant", "scope"],
            ),
            registry: r,
        }
    }

    /// Record one chain run: per-policy time, verdict, faults and findings.
    pub fn observe_chain(&self, tenant: &str, phase: &str, out: &ChainOutcome) {
        for t in &out.timings {
            self.policy_duration
                .with_label_values(&[t.policy.as_str(), phase])
                .observe(t.micros as f64 / 1e6);
            self.decisions
                .with_label_values(&[t.policy.as_str(), t.action])
                .inc();
        }
        for f in &out.faults {
            self.faults
                .with_label_values(&[f.policy.as_str(), f.kind.label()])
                .inc();
        }
        for f in &out.findings {
            if f.finding.category == "pii" {
                let entity = f
                    .finding
                    .rule
                    .strip_prefix("pii.")
                    .unwrap_or(&f.finding.rule);
                self.pii_detections.with_label_values(&[entity]).inc();
            }
        }
        if out.action == "deny" {
            let by = out.decided_by.as_deref().unwrap_or_default();
            let injection = by.contains("injection")
                || out
                    .findings
                    .iter()
                    .any(|f| f.policy == by && f.finding.category == "injection");
            if injection {
                self.injection_blocked.with_label_values(&[tenant]).inc();
            }
        }
    }

    /// Count tokens reported by an upstream.
    pub fn add_tokens(&self, tenant: &str, model: &str, input: Option<u64>, output: Option<u64>) {
        for (dir, n) in [("input", input), ("output", output)] {
            if let Some(n) = n {
                self.tokens
                    .with_label_values(&[tenant, model, dir])
                    .inc_by(n);
            }
        }
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut buf)
            .expect("encode metrics");
        String::from_utf8(buf).unwrap_or_default()
    }
}
