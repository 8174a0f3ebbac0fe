//! A small, fixed pool of threads that run policy chains for async callers.
//!
//! Policy calls are synchronous Wasm (up to their time limit), so they must not
//! run on the reactor. tokio's `spawn_blocking` would grow a thread per
//! concurrent request (32 connections: 32 threads on 2 cores, all contending);
//! a pool sized to the cores keeps CPU work at the parallelism the machine has
//! and queues the rest. Queueing does not eat into a policy's time limit: the
//! deadline is set when the call starts.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

type Job = Box<dyn FnOnce() + Send + 'static>;

/// The pool. Dropping it lets the workers finish queued jobs and exit.
#[derive(Debug)]
pub struct ChainWorkers {
    jobs: Sender<Job>,
}

impl ChainWorkers {
    /// Start `threads` workers (at least one).
    pub fn new(threads: usize) -> Self {
        let (tx, rx) = channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..threads.max(1) {
            let rx: Arc<Mutex<Receiver<Job>>> = rx.clone();
            std::thread::Builder::new()
                .name(format!("warden-policy-{i}"))
                .spawn(move || {
                    loop {
                        // The lock is held only while waiting for the next job.
                        let job = match rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return, // the pool was dropped
                        }
                    }
                })
                .expect("spawn policy worker thread");
        }
        Self { jobs: tx }
    }

    /// One worker per core (at least two, so one slow policy cannot stall all).
    pub fn per_core() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self::new(cores.max(2))
    }

    /// Run `f` on a worker and await its result.
    pub async fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> T {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = tx.send(f());
        });
        match self.jobs.send(job) {
            Ok(()) => rx
                .await
                .expect("policy worker dropped a job (the job panicked)"),
            // Unreachable while `self` lives (workers exit only when it drops).
            Err(e) => {
                tokio::task::spawn_blocking(e.0)
                    .await
                    .expect("policy job panicked");
                rx.await.expect("policy job result")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn runs_jobs_concurrently_on_a_bounded_pool() {
        let pool = Arc::new(ChainWorkers::new(2));
        let mut handles = Vec::new();
        for i in 0..20u64 {
            let pool = pool.clone();
            handles.push(tokio::spawn(async move {
                pool.run(move || (i * 2, std::thread::current().name().map(str::to_string)))
                    .await
            }));
        }
        let mut names = std::collections::BTreeSet::new();
        for (i, h) in handles.into_iter().enumerate() {
            let (v, name) = h.await.unwrap();
            assert_eq!(v, i as u64 * 2);
            names.insert(name.unwrap());
        }
        assert!(
            names.len() <= 2 && names.iter().all(|n| n.starts_with("warden-policy-")),
            "{names:?}"
        );
    }
}
