//! Retry policy for upstream calls: exponential backoff with full jitter
//! (AWS architecture blog, "Exponential Backoff And Jitter": full jitter spreads
//! a thundering herd best for the least total wait).

use std::time::Duration;

use super::random_u64;

/// Retries after the first attempt: two more tries ride out a blip; more multiplies
/// load on an upstream that is already struggling and the client's wait.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// First backoff ceiling: long enough for a connection reset to clear.
pub const DEFAULT_BACKOFF_BASE: Duration = Duration::from_millis(250);
/// Largest backoff ceiling: beyond this the client is better served by an error.
pub const DEFAULT_BACKOFF_MAX: Duration = Duration::from_secs(8);

/// How an upstream attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A 2xx/3xx answer.
    Success,
    /// The connection failed (refused, reset, TLS, DNS) before any answer.
    Connect,
    /// The upstream did not answer in time. Not retried: the model may still be
    /// generating (and billing) the first answer, and the client's deadline is spent.
    Timeout,
    /// An HTTP status.
    Status(u16),
}

impl Outcome {
    /// Worth another try: connection failures, 429 and 5xx. Other 4xx mean the
    /// request itself is wrong and would fail again.
    pub fn is_transient(self) -> bool {
        match self {
            Outcome::Connect => true,
            Outcome::Status(s) => s == 429 || (500..600).contains(&s),
            Outcome::Success | Outcome::Timeout => false,
        }
    }

    /// Counts against the upstream's circuit breaker (a 4xx is the client's fault).
    pub fn is_upstream_failure(self) -> bool {
        match self {
            Outcome::Connect | Outcome::Timeout => true,
            Outcome::Status(s) => s == 429 || s >= 500,
            Outcome::Success => false,
        }
    }
}

/// When and how long to retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// Backoff ceiling for the first retry; doubles per retry.
    pub base: Duration,
    /// Cap on the backoff ceiling.
    pub max: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: DEFAULT_MAX_RETRIES,
            base: DEFAULT_BACKOFF_BASE,
            max: DEFAULT_BACKOFF_MAX,
        }
    }
}

impl RetryPolicy {
    /// Whether to try again after attempt number `attempt` (1 = the first call) ended
    /// with `outcome`. Never once streaming has started: bytes already reached the
    /// client, and a second answer would be spliced onto the first.
    pub fn should_retry(&self, outcome: Outcome, attempt: u32, streaming_started: bool) -> bool {
        !streaming_started && outcome.is_transient() && attempt <= self.max_retries
    }

    /// The ceiling before retry number `attempt` (1-based): `min(max, base * 2^(attempt-1))`.
    pub fn backoff_cap(&self, attempt: u32) -> Duration {
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.max)
    }

    /// Full jitter: uniform in `[0, backoff_cap(attempt)]`.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let cap = u64::try_from(self.backoff_cap(attempt).as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(random_u64() % cap.saturating_add(1).max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_connection_errors_429_and_5xx_only() {
        let p = RetryPolicy::default();
        for o in [
            Outcome::Connect,
            Outcome::Status(429),
            Outcome::Status(500),
            Outcome::Status(503),
        ] {
            assert!(p.should_retry(o, 1, false), "{o:?}");
        }
        for o in [
            Outcome::Success,
            Outcome::Timeout,
            Outcome::Status(400),
            Outcome::Status(401),
            Outcome::Status(404),
            Outcome::Status(422),
        ] {
            assert!(!p.should_retry(o, 1, false), "{o:?}");
        }
    }

    #[test]
    fn never_retries_after_streaming_started() {
        assert!(!RetryPolicy::default().should_retry(Outcome::Status(502), 1, true));
        assert!(!RetryPolicy::default().should_retry(Outcome::Connect, 1, true));
    }

    #[test]
    fn stops_after_max_retries() {
        let p = RetryPolicy {
            max_retries: 2,
            ..RetryPolicy::default()
        };
        assert!(p.should_retry(Outcome::Connect, 1, false));
        assert!(p.should_retry(Outcome::Connect, 2, false));
        assert!(!p.should_retry(Outcome::Connect, 3, false));
        assert!(
            !RetryPolicy {
                max_retries: 0,
                ..p
            }
            .should_retry(Outcome::Connect, 1, false)
        );
    }

    #[test]
    fn backoff_cap_doubles_then_saturates() {
        let p = RetryPolicy {
            max_retries: 50,
            base: Duration::from_millis(100),
            max: Duration::from_secs(1),
        };
        assert_eq!(p.backoff_cap(1), Duration::from_millis(100));
        assert_eq!(p.backoff_cap(2), Duration::from_millis(200));
        assert_eq!(p.backoff_cap(4), Duration::from_millis(800));
        assert_eq!(p.backoff_cap(5), Duration::from_secs(1));
        assert_eq!(p.backoff_cap(64), Duration::from_secs(1), "no overflow");
    }

    #[test]
    fn backoff_is_full_jitter_within_the_cap() {
        let p = RetryPolicy::default();
        let samples: Vec<Duration> = (0..200).map(|_| p.backoff(3)).collect();
        assert!(samples.iter().all(|d| *d <= p.backoff_cap(3)));
        let distinct: std::collections::HashSet<_> = samples.iter().collect();
        assert!(distinct.len() > 150, "jittered");
        assert!(
            samples.iter().any(|d| *d < p.backoff_cap(3) / 2),
            "full, not equal, jitter"
        );
        assert_eq!(
            RetryPolicy {
                base: Duration::ZERO,
                ..p
            }
            .backoff(1),
            Duration::ZERO
        );
    }

    #[test]
    fn breaker_failures_exclude_client_errors() {
        assert!(Outcome::Timeout.is_upstream_failure());
        assert!(Outcome::Status(502).is_upstream_failure());
        assert!(!Outcome::Status(400).is_upstream_failure());
        assert!(!Outcome::Success.is_upstream_failure());
    }
}
