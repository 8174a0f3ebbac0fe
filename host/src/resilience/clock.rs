//! Injectable time: monotonic for durations (breaker), wall clock for records
//! (approval deadlines). Tests use [`ManualClock`] instead of sleeping.

use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

/// A source of time.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Monotonic now, for measuring intervals.
    fn now(&self) -> Instant;
    /// Wall-clock now, for timestamps that are stored or shown.
    fn wall(&self) -> SystemTime;
}

/// The real clocks.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
    fn wall(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that moves only when told to; both readings advance together.
#[derive(Debug)]
pub struct ManualClock {
    start: Instant,
    start_wall: SystemTime,
    offset: Mutex<Duration>,
}

impl ManualClock {
    /// Starts at the real current time.
    pub fn new() -> Self {
        Self {
            start: Instant::now(),
            start_wall: SystemTime::now(),
            offset: Mutex::new(Duration::ZERO),
        }
    }

    /// Move both clocks forward.
    pub fn advance(&self, by: Duration) {
        *self.offset.lock().unwrap_or_else(|p| p.into_inner()) += by;
    }

    fn offset(&self) -> Duration {
        *self.offset.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Default for ManualClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.start + self.offset()
    }
    fn wall(&self) -> SystemTime {
        self.start_wall + self.offset()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_advanced() {
        let c = ManualClock::new();
        let (t0, w0) = (c.now(), c.wall());
        assert_eq!(c.now(), t0);
        c.advance(Duration::from_secs(5));
        assert_eq!(c.now() - t0, Duration::from_secs(5));
        assert_eq!(c.wall().duration_since(w0).unwrap(), Duration::from_secs(5));
    }
}
