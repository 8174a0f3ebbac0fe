//! Upstream resilience: when to retry a failed upstream call and how long to
//! wait ([`RetryPolicy`]), when to stop calling an upstream that keeps failing
//! ([`CircuitBreaker`]), and where to go instead ([`Fallbacks`]).
//!
//! Time comes from a [`Clock`] so tests drive the breaker with a [`ManualClock`].

mod breaker;
mod clock;
mod retry;

use std::collections::HashMap;

pub use breaker::{
    BreakerSettings, BreakerState, Breakers, CircuitBreaker, CircuitOpen, StateChange,
};
pub use clock::{Clock, ManualClock, SystemClock};
pub use retry::{Outcome, RetryPolicy};

/// Where to send a request when its model or upstream is unavailable (breaker open,
/// retries exhausted). One hop only: a fallback's own fallback is not followed, so a
/// cycle in the config cannot loop.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fallbacks {
    /// Model → model to use instead.
    pub models: HashMap<String, String>,
    /// Upstream → upstream to use instead.
    pub upstreams: HashMap<String, String>,
}

impl Fallbacks {
    /// The fallback model for `model`, if configured.
    pub fn model(&self, model: &str) -> Option<&str> {
        self.models.get(model).map(String::as_str)
    }

    /// The fallback upstream for `upstream`, if configured.
    pub fn upstream(&self, upstream: &str) -> Option<&str> {
        self.upstreams.get(upstream).map(String::as_str)
    }
}

/// 64 unpredictable bits without a `rand` dependency: std's `RandomState` is seeded
/// from the OS and re-keyed per call, and SipHash of a counter under it is uniform.
pub(crate) fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_u64_values_differ() {
        let set: std::collections::HashSet<u64> = (0..1000).map(|_| random_u64()).collect();
        assert_eq!(set.len(), 1000);
    }

    #[test]
    fn fallbacks_are_one_hop_lookups() {
        let mut f = Fallbacks::default();
        f.models.insert("gpt-4o".into(), "gpt-4o-mini".into());
        f.upstreams.insert("openai".into(), "azure".into());
        assert_eq!(f.model("gpt-4o"), Some("gpt-4o-mini"));
        assert_eq!(f.model("gpt-4o-mini"), None);
        assert_eq!(f.upstream("openai"), Some("azure"));
    }
}
