//! The thread that makes spend records durable, in batches.
//!
//! Every answered call writes one spend record, and a record is only
//! acknowledged once it is on disk (an fsync). One fsync per request would cap
//! the gateway at the disk's fsync rate and park a thread per request while it
//! waits. Instead, requests hand their record to this writer and wait (async
//! or blocking); the writer takes everything queued, writes it as one
//! transaction with one fsync, and answers each request with its own result.
//! Under load, batches grow by themselves; alone, a record is written at once.

use std::future::Future;
use std::pin::Pin;
use std::sync::mpsc;

use super::{SpendRecord, StoreError};

/// Resolves once the record is durable: `Ok(true)` written, `Ok(false)` its
/// id was already in the ledger (nothing written).
pub type SpendAck = Pin<Box<dyn Future<Output = Result<bool, StoreError>> + Send>>;

/// Most records written in one transaction.
const MAX_BATCH: usize = 512;

type Outcome = Result<bool, StoreError>;

enum Reply {
    Blocking(mpsc::SyncSender<Outcome>),
    Async(tokio::sync::oneshot::Sender<Outcome>),
}

impl Reply {
    fn send(self, outcome: Outcome) {
        // A caller that stopped waiting (a dropped request) needs no answer.
        let _ = match self {
            Reply::Blocking(tx) => tx.send(outcome).map_err(drop),
            Reply::Async(tx) => tx.send(outcome).map_err(drop),
        };
    }
}

/// Handle to the writer thread; dropping it lets the thread finish the queue and exit.
#[derive(Debug)]
pub struct SpendWriter {
    jobs: mpsc::Sender<(SpendRecord, Reply)>,
    /// For the error when the thread is gone.
    path: String,
}

impl std::fmt::Debug for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Reply")
    }
}

impl SpendWriter {
    /// Start the thread; `write` stores one batch and returns one outcome per
    /// record, in order.
    pub fn spawn(
        path: String,
        write: impl Fn(&[SpendRecord]) -> Vec<Outcome> + Send + 'static,
    ) -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::channel::<(SpendRecord, Reply)>();
        std::thread::Builder::new()
            .name("warden-spend".into())
            .spawn(move || {
                while let Ok(first) = queue.recv() {
                    let mut batch = vec![first];
                    while batch.len() < MAX_BATCH {
                        match queue.try_recv() {
                            Ok(job) => batch.push(job),
                            Err(_) => break,
                        }
                    }
                    let (records, replies): (Vec<SpendRecord>, Vec<Reply>) =
                        batch.into_iter().unzip();
                    let outcomes = write(&records);
                    debug_assert_eq!(outcomes.len(), replies.len());
                    for (reply, outcome) in replies.into_iter().zip(outcomes) {
                        reply.send(outcome);
                    }
                }
            })?;
        Ok(Self { jobs, path })
    }

    fn gone(&self) -> StoreError {
        StoreError::Unwritable {
            path: self.path.clone(),
            reason: "the spend writer thread stopped".into(),
        }
    }

    /// Write `record` and block until it is durable.
    pub fn write_blocking(&self, record: SpendRecord) -> Outcome {
        let (tx, rx) = mpsc::sync_channel(1);
        self.jobs
            .send((record, Reply::Blocking(tx)))
            .map_err(|_| self.gone())?;
        rx.recv().map_err(|_| self.gone())?
    }

    /// Write `record`; the returned future resolves once it is durable.
    pub fn write(&self, record: SpendRecord) -> SpendAck {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let gone = self.gone();
        if self.jobs.send((record, Reply::Async(tx))).is_err() {
            return Box::pin(std::future::ready(Err(gone)));
        }
        Box::pin(async move { rx.await.map_err(|_| gone)? })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use rust_decimal::Decimal;

    use super::*;

    fn record(id: &str) -> SpendRecord {
        SpendRecord {
            request_id: id.into(),
            tenant: "t".into(),
            user: None,
            model: "m".into(),
            input_tokens: 1,
            output_tokens: 1,
            cost_usd: Decimal::ONE,
            at_ms: 0,
        }
    }

    /// A writer over an in-memory id set that counts its batches and takes
    /// 5 ms per batch (the "fsync").
    fn writer() -> (SpendWriter, Arc<AtomicUsize>) {
        let batches = Arc::new(AtomicUsize::new(0));
        let seen = Arc::new(Mutex::new(std::collections::HashSet::new()));
        let b = batches.clone();
        let w = SpendWriter::spawn("test".into(), move |records| {
            b.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(5));
            let mut seen = seen.lock().unwrap();
            records
                .iter()
                .map(|r| Ok(seen.insert(r.request_id.clone())))
                .collect()
        })
        .unwrap();
        (w, batches)
    }

    #[test]
    fn blocking_writes_get_their_own_outcome() {
        let (w, _) = writer();
        assert!(w.write_blocking(record("a")).unwrap());
        assert!(!w.write_blocking(record("a")).unwrap(), "same id twice");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_async_writes_share_batches() {
        let (w, batches) = writer();
        let w = Arc::new(w);
        let acks: Vec<_> = (0..64).map(|i| w.write(record(&format!("r{i}")))).collect();
        for ack in acks {
            assert!(ack.await.unwrap());
        }
        let n = batches.load(Ordering::SeqCst);
        assert!(
            n < 64,
            "{n} batches for 64 queued records: nothing was shared"
        );
    }
}
