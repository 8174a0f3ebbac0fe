//! Circuit breaker per upstream: stop sending traffic to an upstream that keeps
//! failing, probe it after a pause, and resume once it answers again.
//!
//! closed --N consecutive failures--> open --recovery time--> half-open
//! half-open --M successes--> closed;  half-open --any failure--> open.
//! Half-open lets every request through as a probe (no permit counting), so a
//! caller that is cancelled and never reports cannot wedge the breaker.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::Clock;

/// Consecutive failures that open the breaker: enough to ignore a single blip.
pub const DEFAULT_FAILURE_THRESHOLD: u32 = 5;
/// Time open before probing: long enough for a provider incident to start clearing.
pub const DEFAULT_RECOVERY: Duration = Duration::from_secs(60);
/// Half-open successes that close it again: one lucky answer is not recovery.
pub const DEFAULT_SUCCESS_THRESHOLD: u32 = 3;

/// Thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakerSettings {
    /// Consecutive failures (closed) that open the breaker.
    pub failure_threshold: u32,
    /// Time open before half-open.
    pub recovery: Duration,
    /// Successes (half-open) that close it.
    pub success_threshold: u32,
}

impl Default for BreakerSettings {
    fn default() -> Self {
        Self {
            failure_threshold: DEFAULT_FAILURE_THRESHOLD,
            recovery: DEFAULT_RECOVERY,
            success_threshold: DEFAULT_SUCCESS_THRESHOLD,
        }
    }
}

/// The breaker's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerState {
    /// Traffic flows.
    Closed,
    /// Traffic refused.
    Open,
    /// Traffic flows as probes.
    HalfOpen,
}

/// A transition, handed to the state-change callback (logs, metrics).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateChange {
    /// Upstream name.
    pub upstream: String,
    /// Before.
    pub from: BreakerState,
    /// After.
    pub to: BreakerState,
}

/// The breaker is open: do not call the upstream (use a fallback or answer 503).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("upstream `{upstream}` circuit open; next probe in {retry_in:?}")]
pub struct CircuitOpen {
    /// Upstream name.
    pub upstream: String,
    /// Time until it goes half-open.
    pub retry_in: Duration,
}

type Callback = Arc<dyn Fn(&StateChange) + Send + Sync>;

#[derive(Debug, Clone, Copy)]
enum Inner {
    Closed { failures: u32 },
    Open { since: Instant },
    HalfOpen { successes: u32 },
}

impl Inner {
    fn state(self) -> BreakerState {
        match self {
            Inner::Closed { .. } => BreakerState::Closed,
            Inner::Open { .. } => BreakerState::Open,
            Inner::HalfOpen { .. } => BreakerState::HalfOpen,
        }
    }
}

/// One upstream's breaker. Call [`allow`](Self::allow) before each attempt and
/// [`record`](Self::record) after it.
pub struct CircuitBreaker {
    upstream: String,
    settings: BreakerSettings,
    clock: Arc<dyn Clock>,
    inner: Mutex<Inner>,
    on_change: Option<Callback>,
}

impl std::fmt::Debug for CircuitBreaker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CircuitBreaker")
            .field("upstream", &self.upstream)
            .field("settings", &self.settings)
            .field("state", &self.state())
            .finish_non_exhaustive()
    }
}

impl CircuitBreaker {
    /// A closed breaker for `upstream`.
    pub fn new(
        upstream: impl Into<String>,
        settings: BreakerSettings,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            upstream: upstream.into(),
            settings,
            clock,
            inner: Mutex::new(Inner::Closed { failures: 0 }),
            on_change: None,
        }
    }

    /// Call `f` on every state change (after the breaker's lock is released).
    pub fn on_change(mut self, f: impl Fn(&StateChange) + Send + Sync + 'static) -> Self {
        self.on_change = Some(Arc::new(f));
        self
    }

    /// The current state (an open breaker whose recovery time passed reads half-open).
    pub fn state(&self) -> BreakerState {
        let (state, change) = {
            let mut inner = self.lock();
            let change = self.maybe_half_open(&mut inner);
            (inner.state(), change)
        };
        self.notify(change);
        state
    }

    /// May a request go to the upstream now?
    pub fn allow(&self) -> Result<(), CircuitOpen> {
        let (result, change) = {
            let mut inner = self.lock();
            let change = self.maybe_half_open(&mut inner);
            let result = match *inner {
                Inner::Open { since } => Err(CircuitOpen {
                    upstream: self.upstream.clone(),
                    retry_in: self
                        .settings
                        .recovery
                        .saturating_sub(self.clock.now() - since),
                }),
                _ => Ok(()),
            };
            (result, change)
        };
        self.notify(change);
        result
    }

    /// Report an attempt's result: `true` for success, `false` for an upstream failure
    /// (see [`super::Outcome::is_upstream_failure`]; client errors should count as success).
    pub fn record(&self, success: bool) {
        let change = {
            let mut inner = self.lock();
            let before = inner.state();
            let now = self.clock.now();
            *inner = match (*inner, success) {
                (Inner::Closed { .. }, true) => Inner::Closed { failures: 0 },
                (Inner::Closed { failures }, false)
                    if failures + 1 >= self.settings.failure_threshold =>
                {
                    Inner::Open { since: now }
                }
                (Inner::Closed { failures }, false) => Inner::Closed {
                    failures: failures + 1,
                },
                (Inner::HalfOpen { successes }, true)
                    if successes + 1 >= self.settings.success_threshold =>
                {
                    Inner::Closed { failures: 0 }
                }
                (Inner::HalfOpen { successes }, true) => Inner::HalfOpen {
                    successes: successes + 1,
                },
                (Inner::HalfOpen { .. }, false) => Inner::Open { since: now },
                // A late report from a call let through before the breaker opened: ignore.
                (open @ Inner::Open { .. }, _) => open,
            };
            self.change(before, inner.state())
        };
        self.notify(change);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn maybe_half_open(&self, inner: &mut Inner) -> Option<StateChange> {
        if let Inner::Open { since } = *inner
            && self.clock.now() - since >= self.settings.recovery
        {
            *inner = Inner::HalfOpen { successes: 0 };
            return self.change(BreakerState::Open, BreakerState::HalfOpen);
        }
        None
    }

    fn change(&self, from: BreakerState, to: BreakerState) -> Option<StateChange> {
        (from != to).then(|| StateChange {
            upstream: self.upstream.clone(),
            from,
            to,
        })
    }

    fn notify(&self, change: Option<StateChange>) {
        if let Some(change) = change {
            tracing::warn!(upstream = %change.upstream, from = ?change.from, to = ?change.to, "circuit breaker state change");
            if let Some(f) = &self.on_change {
                f(&change);
            }
        }
    }
}

/// One breaker per upstream, created up front from the configured upstream names
/// so the hot path is a lock-free map read.
#[derive(Debug, Default)]
pub struct Breakers {
    by_upstream: HashMap<String, Arc<CircuitBreaker>>,
}

impl Breakers {
    /// Breakers for `upstreams`, all with `settings`, sharing `on_change`.
    pub fn new<'a>(
        upstreams: impl IntoIterator<Item = &'a str>,
        settings: BreakerSettings,
        clock: Arc<dyn Clock>,
        on_change: impl Fn(&StateChange) + Send + Sync + 'static,
    ) -> Self {
        let on_change: Callback = Arc::new(on_change);
        let by_upstream = upstreams
            .into_iter()
            .map(|name| {
                let cb = on_change.clone();
                let breaker =
                    CircuitBreaker::new(name, settings, clock.clone()).on_change(move |c| cb(c));
                (name.to_string(), Arc::new(breaker))
            })
            .collect();
        Self { by_upstream }
    }

    /// The breaker of `upstream`, if it is configured.
    pub fn get(&self, upstream: &str) -> Option<&Arc<CircuitBreaker>> {
        self.by_upstream.get(upstream)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resilience::ManualClock;

    type Log = Arc<Mutex<Vec<(BreakerState, BreakerState)>>>;

    fn breaker() -> (CircuitBreaker, Arc<ManualClock>, Log) {
        let clock = Arc::new(ManualClock::new());
        let log = Arc::new(Mutex::new(Vec::new()));
        let l = log.clone();
        let b = CircuitBreaker::new("openai", BreakerSettings::default(), clock.clone())
            .on_change(move |c| l.lock().unwrap().push((c.from, c.to)));
        (b, clock, log)
    }

    fn open(b: &CircuitBreaker) {
        for _ in 0..DEFAULT_FAILURE_THRESHOLD {
            b.record(false);
        }
    }

    #[test]
    fn opens_after_n_consecutive_failures_only() {
        let (b, _, _) = breaker();
        for _ in 0..4 {
            b.record(false);
        }
        b.record(true);
        for _ in 0..4 {
            b.record(false);
        }
        assert_eq!(
            b.state(),
            BreakerState::Closed,
            "a success resets the count"
        );
        b.record(false);
        assert_eq!(b.state(), BreakerState::Open);
        let err = b.allow().unwrap_err();
        assert_eq!(err.retry_in, DEFAULT_RECOVERY);
        assert!(err.to_string().contains("openai"));
    }

    #[test]
    fn half_opens_after_recovery_and_closes_after_m_successes() {
        let (b, clock, log) = breaker();
        open(&b);
        clock.advance(Duration::from_secs(59));
        assert_eq!(b.allow().unwrap_err().retry_in, Duration::from_secs(1));
        clock.advance(Duration::from_secs(1));
        assert!(b.allow().is_ok());
        assert_eq!(b.state(), BreakerState::HalfOpen);
        b.record(true);
        b.record(true);
        assert_eq!(b.state(), BreakerState::HalfOpen);
        b.record(true);
        assert_eq!(b.state(), BreakerState::Closed);
        use BreakerState::*;
        assert_eq!(
            *log.lock().unwrap(),
            [(Closed, Open), (Open, HalfOpen), (HalfOpen, Closed)]
        );
    }

    #[test]
    fn failure_in_half_open_reopens() {
        let (b, clock, log) = breaker();
        open(&b);
        clock.advance(DEFAULT_RECOVERY);
        b.allow().unwrap();
        b.record(true);
        b.record(false);
        assert_eq!(b.state(), BreakerState::Open);
        assert_eq!(
            b.allow().unwrap_err().retry_in,
            DEFAULT_RECOVERY,
            "recovery restarts"
        );
        assert_eq!(
            log.lock().unwrap().last(),
            Some(&(BreakerState::HalfOpen, BreakerState::Open))
        );
    }

    #[test]
    fn late_reports_while_open_are_ignored() {
        let (b, _, log) = breaker();
        open(&b);
        b.record(true);
        b.record(false);
        assert_eq!(b.state(), BreakerState::Open);
        assert_eq!(log.lock().unwrap().len(), 1);
    }

    #[test]
    fn breakers_are_per_upstream() {
        let clock = Arc::new(ManualClock::new());
        let count = Arc::new(std::sync::atomic::AtomicU32::new(0));
        let c = count.clone();
        let set = Breakers::new(
            ["a", "b"],
            BreakerSettings {
                failure_threshold: 1,
                ..Default::default()
            },
            clock,
            move |_| {
                c.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            },
        );
        set.get("a").unwrap().record(false);
        assert_eq!(set.get("a").unwrap().state(), BreakerState::Open);
        assert_eq!(set.get("b").unwrap().state(), BreakerState::Closed);
        assert!(set.get("c").is_none());
        assert_eq!(count.load(std::sync::atomic::Ordering::Relaxed), 1);
    }
}
