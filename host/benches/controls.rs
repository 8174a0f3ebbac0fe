//! Hot paths of issue 6's controls, in memory:
//! - `budget/reserve_commit`: the pre-call budget check (reserve the estimate
//!   against global, tenant and user budgets) plus the post-call spend record
//!   (commit the actual cost to the ledger, `MemoryStore`);
//! - `ratelimit/check`: one request admitted by tenant and key token buckets;
//! - `spend/sqlite_durable_1` and `spend/sqlite_durable_32`: the durable
//!   spend record in SQLite with `spend_fsync = "per-answer"` (an fsync before
//!   each acknowledgement), one at a time and 32 in flight together (the
//!   gateway's case under load: they share one transaction and fsync). Divide
//!   the second by 32 for the cost per record;
//! - `spend/sqlite_periodic_1` and `spend/sqlite_periodic_32`: the same with
//!   the default `spend_fsync = "periodic"` (committed to the OS, fsynced
//!   within a second by the writer thread).
//!
//! Run with `cargo bench -p warden --bench controls`.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use criterion::{Criterion, criterion_group, criterion_main};
use warden::budget::config::Controls;
use warden::budget::{Ledger, Usage};
use warden::ratelimit::RateLimiter;
use warden::store::{MemoryStore, SpendRecord, SpendSync, SqliteStore, Store};

const CONTROLS: &str = r#"
[budgets]
global = { limit_usd = "1000000000.00", period = "monthly" }
[budgets.default]
tenant = { limit_usd = "1000000000.00", period = "monthly" }
user = { limit_usd = "1000000000.00", period = "daily" }
[rate_limits]
tenant = { rpm = 1000000000, tpm = 1000000000000 }
key = { rpm = 1000000000, tpm = 1000000000000 }
"#;

fn controls() -> Controls {
    Controls::from_table(&CONTROLS.parse::<toml::Table>().unwrap()).expect("valid controls")
}

fn budget(c: &mut Criterion) {
    let controls = controls();
    let ledger = Ledger::open(
        Arc::new(MemoryStore::new()),
        controls.budgets,
        controls.prices,
        SystemTime::now(),
    )
    .unwrap();
    let estimate = Usage::estimate(2000, Some(500));
    let actual = Usage {
        input_tokens: 480,
        output_tokens: 120,
    };
    let mut n = 0u64;
    c.bench_function("budget/reserve_commit", |b| {
        b.iter(|| {
            n += 1;
            let now = SystemTime::now();
            let r = ledger
                .reserve("acme", Some("bob"), "gpt-4o-mini", estimate, now)
                .unwrap();
            ledger
                .commit(
                    r,
                    &n.to_string(),
                    "acme",
                    Some("bob"),
                    "gpt-4o-mini",
                    actual,
                    now,
                )
                .unwrap()
        })
    });
}

fn ratelimit(c: &mut Criterion) {
    let limiter = RateLimiter::new(controls().rate_limits, Instant::now());
    c.bench_function("ratelimit/check", |b| {
        b.iter(|| {
            limiter
                .check("acme", Some("key-hash"), 600, Instant::now())
                .unwrap()
        })
    });
}

fn record(n: u64) -> SpendRecord {
    SpendRecord {
        // Ascending, like the gateway's time-ordered ids.
        request_id: format!("req_{n:028x}"),
        tenant: "acme".into(),
        user: Some("bob".into()),
        model: "gpt-4o-mini".into(),
        input_tokens: 480,
        output_tokens: 120,
        cost_usd: "0.000144".parse().unwrap(),
        at_ms: 0,
    }
}

fn spend(c: &mut Criterion) {
    for (name, sync) in [
        ("durable", SpendSync::PerAnswer),
        ("periodic", SpendSync::default()),
    ] {
        spend_with(c, name, sync);
    }
}

fn spend_with(c: &mut Criterion, name: &str, sync: SpendSync) {
    let dir =
        std::env::temp_dir().join(format!("warden-bench-spend-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = Arc::new(SqliteStore::open_with(&dir, sync).expect("open the bench store"));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut n = 0u64;
    c.bench_function(&format!("spend/sqlite_{name}_1"), |b| {
        b.iter(|| {
            n += 1;
            assert!(store.record_spend(&record(n)).unwrap());
        })
    });
    c.bench_function(&format!("spend/sqlite_{name}_32"), |b| {
        b.iter(|| {
            let acks: Vec<_> = (0..32)
                .map(|_| {
                    n += 1;
                    store.record_spend_async(record(n))
                })
                .collect();
            rt.block_on(async {
                for ack in acks {
                    assert!(ack.await.unwrap());
                }
            })
        })
    });
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = budget, ratelimit, spend
}
criterion_main!(benches);
