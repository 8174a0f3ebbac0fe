//! The thread that makes spend records durable, in batches.
//!
//! Every answered call writes one spend record, and a record is only
//! acknowledged once it is committed (see [`super::SpendSync`] for whether
//! that includes an fsync). One commit per request would cap the gateway at
//! the disk's commit rate and park a thread per request while it waits.
//! Instead, requests hand their record to this writer and wait (async or
//! blocking); the writer takes everything queued, writes it as one
//! transaction, and answers each request with its own result. Under load,
//! batches grow by themselves; alone, a record is written at once.
//!
//! With a periodic fsync the writer also flushes the disk once the oldest
//! unflushed batch is `interval` old (and when it stops), so the window a
//! power cut can take is bounded even when traffic stops.

use std::future::Future;
use std::pin::Pin;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

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
    /// record, in order. With `flush = Some((interval, f))`, `f` makes
    /// everything written so far durable and runs at most `interval` after a
    /// batch was written (and once more when the writer stops).
    pub fn spawn(
        path: String,
        write: impl Fn(&[SpendRecord]) -> Vec<Outcome> + Send + 'static,
        flush: Option<(Duration, Box<dyn Fn() + Send>)>,
    ) -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::channel::<(SpendRecord, Reply)>();
        std::thread::Builder::new()
            .name("warden-spend".into())
            .spawn(move || {
                // When the oldest batch not yet flushed was written.
                let mut unflushed: Option<Instant> = None;
                loop {
                    let first = match (&flush, unflushed) {
                        (Some((every, _)), Some(since)) => {
                            match queue.recv_timeout(every.saturating_sub(since.elapsed())) {
                                Ok(job) => Some(job),
                                Err(RecvTimeoutError::Timeout) => None,
                                Err(RecvTimeoutError::Disconnected) => break,
                            }
                        }
                        _ => match queue.recv() {
                            Ok(job) => Some(job),
                            Err(_) => break,
                        },
                    };
                    if let Some(first) = first {
                        write_batch(&queue, first, &write);
                        unflushed.get_or_insert_with(Instant::now);
                    }
                    if let (Some((every, f)), Some(since)) = (&flush, unflushed)
                        && since.elapsed() >= *every
                    {
                        f();
                        unflushed = None;
                    }
                }
                if let (Some((_, f)), Some(_)) = (&flush, unflushed) {
                    f();
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

/// Write `first` and whatever else is queued (up to [`MAX_BATCH`]) as one batch.
fn write_batch(
    queue: &mpsc::Receiver<(SpendRecord, Reply)>,
    first: (SpendRecord, Reply),
    write: &impl Fn(&[SpendRecord]) -> Vec<Outcome>,
) {
    let mut batch = vec![first];
    while batch.len() < MAX_BATCH {
        match queue.try_recv() {
            Ok(job) => batch.push(job),
            Err(_) => break,
        }
    }
    let (records, replies): (Vec<SpendRecord>, Vec<Reply>) = batch.into_iter().unzip();
    let outcomes = write(&records);
    debug_assert_eq!(outcomes.len(), replies.len());
    for (reply, outcome) in replies.into_iter().zip(outcomes) {
        reply.send(outcome);
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
        let (w, batches, _) = writer_with(None);
        (w, batches)
    }

    /// Like [`writer`], with a periodic flush (when `every` is set) that counts its calls.
    fn writer_with(every: Option<Duration>) -> (SpendWriter, Arc<AtomicUsize>, Arc<AtomicUsize>) {
        let batches = Arc::new(AtomicUsize::new(0));
        let flushes = Arc::new(AtomicUsize::new(0));
        let seen = Arc::new(Mutex::new(std::collections::HashSet::new()));
        let (b, f) = (batches.clone(), flushes.clone());
        let flush = every.map(|every| {
            let f: Box<dyn Fn() + Send> = Box::new(move || {
                f.fetch_add(1, Ordering::SeqCst);
            });
            (every, f)
        });
        let w = SpendWriter::spawn(
            "test".into(),
            move |records| {
                b.fetch_add(1, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(5));
                let mut seen = seen.lock().unwrap();
                records
                    .iter()
                    .map(|r| Ok(seen.insert(r.request_id.clone())))
                    .collect()
            },
            flush,
        )
        .unwrap();
        (w, batches, flushes)
    }

    #[test]
    fn periodic_flush_follows_a_write_and_only_a_write() {
        let (w, _, flushes) = writer_with(Some(Duration::from_millis(50)));
        std::thread::sleep(Duration::from_millis(150));
        assert_eq!(
            flushes.load(Ordering::SeqCst),
            0,
            "nothing written, nothing to flush"
        );
        assert!(w.write_blocking(record("a")).unwrap());
        assert!(w.write_blocking(record("b")).unwrap());
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(
            flushes.load(Ordering::SeqCst),
            1,
            "one flush for the two writes within one interval, with no further traffic"
        );
        assert!(w.write_blocking(record("c")).unwrap());
        drop(w);
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(
            flushes.load(Ordering::SeqCst),
            2,
            "a stopping writer flushes what it wrote"
        );
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
