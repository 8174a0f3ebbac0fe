//! Hot paths of issue 6's controls, in memory:
//! - `budget/reserve_commit`: the pre-call budget check (reserve the estimate
//!   against global, tenant and user budgets) plus the post-call spend record
//!   (commit the actual cost to the ledger, `MemoryStore`);
//! - `ratelimit/check`: one request admitted by tenant and key token buckets.
//!
//! Run with `cargo bench -p warden --bench controls`.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use criterion::{Criterion, criterion_group, criterion_main};
use warden::budget::config::Controls;
use warden::budget::{Ledger, Usage};
use warden::ratelimit::RateLimiter;
use warden::store::MemoryStore;

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

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = budget, ratelimit
}
criterion_main!(benches);
