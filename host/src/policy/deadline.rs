//! A policy's time limit counts the CPU time its call used, not the time on
//! the wall clock.
//!
//! Epoch ticks fire on wall time: on a busy machine a policy thread can be
//! descheduled for longer than the whole limit while its policy needs a few
//! hundred microseconds, and a wall-clock deadline would then fail an
//! innocent call (a 403 under the default `deny` failure mode). So when the
//! epoch deadline passes, [`install`]'s callback checks the calling thread's
//! CPU clock: the call goes on, re-checked every tick, until it has really
//! used its limit in CPU time. A wall-clock cap of [`WALL_FACTOR`] times the
//! limit still bounds the latency a policy can add on an overloaded host.

use std::time::{Duration, Instant};

use wasmtime::{Store, UpdateDeadline};

use super::bindings::GuestState;
use crate::engine::Engine;

/// The wall-clock cap, as a multiple of the limit.
pub const WALL_FACTOR: u32 = 10;

/// When the current call must stop.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    cpu: Duration,
    wall: Instant,
}

impl Deadline {
    /// A deadline `limit` from now, in this thread's CPU time.
    fn start(limit: Duration) -> Self {
        Self {
            cpu: thread_cpu_time() + limit,
            wall: Instant::now() + limit * WALL_FACTOR,
        }
    }

    fn expired(&self) -> bool {
        thread_cpu_time() >= self.cpu || Instant::now() >= self.wall
    }
}

impl Default for Deadline {
    fn default() -> Self {
        Self::start(Duration::from_secs(5))
    }
}

/// Let `store` run guest code for `limit` of CPU time from now.
pub fn arm(store: &mut Store<GuestState>, limit: Duration) {
    store.data_mut().deadline = Deadline::start(limit);
    store.set_epoch_deadline(Engine::ticks_for(limit));
}

/// Install the CPU-time check on `store` (once, when it is created).
pub fn install(store: &mut Store<GuestState>) {
    store.epoch_deadline_callback(|ctx| {
        Ok(if ctx.data().deadline.expired() {
            UpdateDeadline::Interrupt
        } else {
            UpdateDeadline::Continue(1)
        })
    });
}

/// CPU time used by the calling thread.
#[cfg(unix)]
fn thread_cpu_time() -> Duration {
    let ts = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Without a thread CPU clock the limit is wall time.
#[cfg(not(unix))]
fn thread_cpu_time() -> Duration {
    Duration::MAX
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_thread_cpu_clock_counts_work_not_sleep() {
        let t0 = thread_cpu_time();
        std::thread::sleep(Duration::from_millis(30));
        let slept = thread_cpu_time() - t0;
        assert!(slept < Duration::from_millis(10), "{slept:?}");
        let t1 = thread_cpu_time();
        let mut x = 0u64;
        while thread_cpu_time() - t1 < Duration::from_millis(5) {
            x = x.wrapping_add(std::hint::black_box(1));
        }
        assert!(x > 0);
    }

    #[test]
    fn a_deadline_expires_on_cpu_time_or_the_wall_cap() {
        let d = Deadline::start(Duration::from_millis(2));
        assert!(!d.expired());
        std::thread::sleep(Duration::from_millis(5));
        assert!(!d.expired(), "sleeping uses no CPU time");
        std::thread::sleep(Duration::from_millis(20));
        assert!(d.expired(), "the wall cap (10 x 2 ms) has passed");
    }
}
