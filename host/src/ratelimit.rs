//! Rate limits per tenant and per API key: requests per minute and tokens per
//! minute, answered with 429 and `Retry-After` by the gateway.
//!
//! Each limit is a GCRA (generic cell rate algorithm), which is a token bucket
//! of one minute's capacity stored as a single atomic "theoretical arrival time":
//! a check is one compare-and-swap, no lock, no allocation once the tenant's and
//! key's buckets exist (a read lock finds them; a write lock only on first sight).
//! A full minute's worth may arrive as a burst; then the rate is steady.

use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const MINUTE_NS: u64 = 60_000_000_000;

/// Refused: try again after this long (the gateway's `Retry-After`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("rate limit exceeded; retry after {:?}", .0)]
pub struct RetryAfter(pub Duration);

impl RetryAfter {
    /// Whole seconds, rounded up, at least 1: the `Retry-After` header value.
    pub fn header_secs(&self) -> u64 {
        self.0.as_secs() + u64::from(self.0.subsec_nanos() > 0)
    }
}

/// One pair of limits; `None` is unlimited.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limits {
    /// Requests per minute.
    pub rpm: Option<u64>,
    /// Tokens (input + output) per minute.
    pub tpm: Option<u64>,
}

impl Limits {
    fn is_unlimited(self) -> bool {
        self.rpm.is_none() && self.tpm.is_none()
    }
}

/// Limits for one tenant and for each of its API keys.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TenantLimits {
    /// Shared by all of the tenant's traffic.
    pub tenant: Limits,
    /// Applied to each API key separately.
    pub key: Limits,
}

/// Validated `[rate_limits]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateLimitConfig {
    /// For tenants not listed.
    pub default: TenantLimits,
    /// Per tenant.
    pub tenants: HashMap<String, TenantLimits>,
}

impl RateLimitConfig {
    fn for_tenant(&self, tenant: &str) -> TenantLimits {
        self.tenants.get(tenant).copied().unwrap_or(self.default)
    }
}

/// GCRA state for one limit.
#[derive(Debug)]
struct Gcra {
    /// Theoretical arrival time, ns since the limiter's origin.
    tat: AtomicU64,
    /// ns of capacity one unit uses up.
    interval: u64,
    per_minute: u64,
}

impl Gcra {
    fn new(per_minute: u64) -> Self {
        let per_minute = per_minute.max(1);
        Self {
            tat: AtomicU64::new(0),
            interval: (MINUTE_NS / per_minute).max(1),
            per_minute,
        }
    }

    /// Take `n` units (capped at one minute's capacity, so an oversized request waits
    /// for a full bucket instead of never passing).
    fn take(&self, n: u64, now: u64) -> Result<u64, Duration> {
        let cost = n.min(self.per_minute) * self.interval;
        let mut tat = self.tat.load(Ordering::Relaxed);
        loop {
            let new = tat.max(now) + cost;
            let ahead = new - now;
            if ahead > MINUTE_NS {
                return Err(Duration::from_nanos(ahead - MINUTE_NS));
            }
            match self
                .tat
                .compare_exchange_weak(tat, new, Ordering::AcqRel, Ordering::Relaxed)
            {
                Ok(_) => return Ok(cost),
                Err(actual) => tat = actual,
            }
        }
    }

    /// Give back capacity taken by [`take`](Self::take) (a later check failed).
    fn refund(&self, cost: u64) {
        let _ = self
            .tat
            .fetch_update(Ordering::AcqRel, Ordering::Relaxed, |t| {
                Some(t.saturating_sub(cost))
            });
    }

    /// Charge extra units without a check (actual usage above the estimate), at most
    /// down to an empty bucket so a single huge answer cannot lock a tenant out for hours.
    fn charge(&self, n: u64, now: u64) {
        let cost = n.saturating_mul(self.interval);
        let _ = self
            .tat
            .fetch_update(Ordering::AcqRel, Ordering::Relaxed, |t| {
                Some(t.max(now).saturating_add(cost).min(now + MINUTE_NS))
            });
    }
}

#[derive(Debug)]
struct Buckets {
    rpm: Option<Gcra>,
    tpm: Option<Gcra>,
}

impl Buckets {
    fn new(l: Limits) -> Self {
        Self {
            rpm: l.rpm.map(Gcra::new),
            tpm: l.tpm.map(Gcra::new),
        }
    }

    fn take(&self, tokens: u64, now: u64) -> Result<(u64, u64), Duration> {
        let r = match &self.rpm {
            Some(g) => g.take(1, now)?,
            None => 0,
        };
        let t = match &self.tpm {
            Some(g) => g.take(tokens, now).inspect_err(|_| self.refund(r, 0))?,
            None => 0,
        };
        Ok((r, t))
    }

    fn refund(&self, r: u64, t: u64) {
        if let Some(g) = &self.rpm {
            g.refund(r);
        }
        if let Some(g) = &self.tpm {
            g.refund(t);
        }
    }
}

/// The limiter. Buckets are created on first use of a tenant or key.
#[derive(Debug)]
pub struct RateLimiter {
    config: RateLimitConfig,
    origin: Instant,
    tenants: RwLock<HashMap<String, Buckets>>,
    keys: RwLock<HashMap<String, Buckets>>,
}

impl RateLimiter {
    /// A limiter; `origin` is any instant not after the first check (use `Instant::now()`).
    pub fn new(config: RateLimitConfig, origin: Instant) -> Self {
        Self {
            config,
            origin,
            tenants: RwLock::default(),
            keys: RwLock::default(),
        }
    }

    /// Admit one request of `tokens` estimated tokens for `tenant` (and its API `key`,
    /// an identity such as the key's hash), or say how long to wait. Nothing is taken
    /// from any bucket when the answer is `Err`.
    pub fn check(
        &self,
        tenant: &str,
        key: Option<&str>,
        tokens: u64,
        now: Instant,
    ) -> Result<(), RetryAfter> {
        let limits = self.config.for_tenant(tenant);
        let now = self.ns(now);
        let taken = with_buckets(&self.tenants, tenant, limits.tenant, |b| {
            b.take(tokens, now)
        })
        .map_err(RetryAfter)?;
        if let Some(key) = key {
            let r = with_buckets(&self.keys, key, limits.key, |b| b.take(tokens, now));
            if let Err(wait) = r {
                if let Some((rq, tk)) = taken {
                    with_buckets(&self.tenants, tenant, limits.tenant, |b| {
                        b.refund(rq, tk);
                        Ok(())
                    })
                    .ok();
                }
                return Err(RetryAfter(wait));
            }
        }
        Ok(())
    }

    /// After the call: charge tokens used beyond the estimate passed to [`check`](Self::check).
    pub fn settle(
        &self,
        tenant: &str,
        key: Option<&str>,
        estimated: u64,
        actual: u64,
        now: Instant,
    ) {
        let Some(extra) = actual.checked_sub(estimated).filter(|e| *e > 0) else {
            return;
        };
        let limits = self.config.for_tenant(tenant);
        let now = self.ns(now);
        let charge = |b: &Buckets| {
            if let Some(g) = &b.tpm {
                g.charge(extra, now);
            }
            Ok(())
        };
        let _ = with_buckets(&self.tenants, tenant, limits.tenant, charge);
        if let Some(key) = key {
            let _ = with_buckets(&self.keys, key, limits.key, charge);
        }
    }

    fn ns(&self, now: Instant) -> u64 {
        u64::try_from(now.saturating_duration_since(self.origin).as_nanos()).unwrap_or(u64::MAX / 2)
    }
}

/// Run `f` on `name`'s buckets, creating them on first use. `Ok(None)` when unlimited.
fn with_buckets<T>(
    map: &RwLock<HashMap<String, Buckets>>,
    name: &str,
    limits: Limits,
    f: impl Fn(&Buckets) -> Result<T, Duration>,
) -> Result<Option<T>, Duration> {
    if limits.is_unlimited() {
        return Ok(None);
    }
    if let Some(b) = map.read().unwrap_or_else(|p| p.into_inner()).get(name) {
        return f(b).map(Some);
    }
    let mut w = map.write().unwrap_or_else(|p| p.into_inner());
    let b = w
        .entry(name.to_string())
        .or_insert_with(|| Buckets::new(limits));
    f(b).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(tenant: Limits, key: Limits) -> (RateLimiter, Instant) {
        let t0 = Instant::now();
        let config = RateLimitConfig {
            default: TenantLimits { tenant, key },
            tenants: HashMap::new(),
        };
        (RateLimiter::new(config, t0), t0)
    }

    fn rpm(n: u64) -> Limits {
        Limits {
            rpm: Some(n),
            tpm: None,
        }
    }

    #[test]
    fn rpm_allows_a_minute_burst_then_refuses_with_retry_after() {
        let (l, t0) = limiter(rpm(60), Limits::default());
        for _ in 0..60 {
            l.check("acme", None, 0, t0).unwrap();
        }
        let err = l.check("acme", None, 0, t0).unwrap_err();
        assert_eq!(err, RetryAfter(Duration::from_secs(1)));
        assert_eq!(err.header_secs(), 1);
        // One second later exactly one more request fits.
        let t1 = t0 + Duration::from_secs(1);
        l.check("acme", None, 0, t1).unwrap();
        assert!(l.check("acme", None, 0, t1).is_err());
    }

    #[test]
    fn tenants_have_separate_buckets() {
        let (l, t0) = limiter(rpm(1), Limits::default());
        l.check("a", None, 0, t0).unwrap();
        l.check("b", None, 0, t0).unwrap();
        assert!(l.check("a", None, 0, t0).is_err());
    }

    #[test]
    fn tpm_counts_tokens_and_caps_oversized_requests() {
        let (l, t0) = limiter(
            Limits {
                rpm: None,
                tpm: Some(1000),
            },
            Limits::default(),
        );
        l.check("acme", None, 600, t0).unwrap();
        let wait = l.check("acme", None, 600, t0).unwrap_err().0;
        assert_eq!(
            wait,
            Duration::from_secs(12),
            "200 tokens short at 1000/min"
        );
        let later = t0 + Duration::from_secs(120);
        l.check("acme", None, 50_000, later).unwrap();
        assert!(
            l.check("acme", None, 1, later).is_err(),
            "the oversized request drained the bucket"
        );
    }

    #[test]
    fn a_refused_check_takes_nothing() {
        let (l, t0) = limiter(
            Limits {
                rpm: Some(10),
                tpm: Some(100),
            },
            Limits::default(),
        );
        assert!(l.check("acme", None, 101, t0).is_ok(), "capped to capacity");
        for _ in 0..5 {
            assert!(l.check("acme", None, 10, t0).is_err());
        }
        // Each refused request's rpm unit was refunded: 9 token-free requests still fit.
        for _ in 0..9 {
            l.check("acme", None, 0, t0).unwrap();
        }
        assert!(l.check("acme", None, 0, t0).is_err());
    }

    #[test]
    fn key_limit_applies_per_key_and_refunds_the_tenant() {
        let (l, t0) = limiter(rpm(3), rpm(1));
        l.check("acme", Some("k1"), 0, t0).unwrap();
        assert!(l.check("acme", Some("k1"), 0, t0).is_err(), "k1 exhausted");
        l.check("acme", Some("k2"), 0, t0).unwrap();
        // The refused k1 request did not use the tenant's third slot.
        l.check("acme", Some("k3"), 0, t0).unwrap();
        assert!(
            l.check("acme", Some("k4"), 0, t0).is_err(),
            "tenant exhausted"
        );
    }

    #[test]
    fn per_tenant_overrides_and_unlimited_default() {
        let t0 = Instant::now();
        let mut tenants = HashMap::new();
        tenants.insert(
            "small".to_string(),
            TenantLimits {
                tenant: rpm(1),
                key: Limits::default(),
            },
        );
        let l = RateLimiter::new(
            RateLimitConfig {
                default: TenantLimits::default(),
                tenants,
            },
            t0,
        );
        for _ in 0..1000 {
            l.check("big", Some("k"), 1_000_000, t0).unwrap();
        }
        l.check("small", None, 0, t0).unwrap();
        assert!(l.check("small", None, 0, t0).is_err());
        assert!(
            l.tenants.read().unwrap().get("big").is_none(),
            "unlimited tenants allocate nothing"
        );
    }

    #[test]
    fn settle_charges_tokens_beyond_the_estimate() {
        let (l, t0) = limiter(
            Limits {
                rpm: None,
                tpm: Some(600),
            },
            Limits::default(),
        );
        l.check("acme", None, 100, t0).unwrap();
        l.settle("acme", None, 100, 500, t0);
        let wait = l.check("acme", None, 200, t0).unwrap_err().0;
        assert_eq!(wait, Duration::from_secs(10), "100 tokens short at 10/s");
        l.settle("acme", None, 100, 10_000_000, t0);
        let wait = l
            .check("acme", None, 1, t0 + Duration::from_secs(60))
            .map_err(|e| e.0);
        assert_eq!(wait, Ok(()), "debt capped at one empty bucket");
    }

    #[test]
    fn concurrent_checks_never_admit_more_than_capacity() {
        let (l, t0) = limiter(rpm(1000), Limits::default());
        let admitted = AtomicU64::new(0);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    for _ in 0..500 {
                        if l.check("acme", None, 0, t0).is_ok() {
                            admitted.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                });
            }
        });
        assert_eq!(admitted.load(Ordering::Relaxed), 1000);
    }
}
