//! Native throughput of `builtin:pii`'s detector on the independent set:
//! total UTF-8 bytes of all texts / wall time of `scan` over all of them,
//! best of several passes (after one warm-up pass). JSON parsing is excluded.
//!
//! ```text
//! cargo run --release --manifest-path policies/pii/eval/independent/bench/Cargo.toml -- policies/pii/eval/independent/cases.jsonl
//! ```
use std::hint::black_box;
use std::time::Instant;

use warden_policy_pii::detect::scan;
use warden_policy_pii::entity::EntitySet;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "policies/pii/eval/independent/cases.jsonl".into());
    let data = std::fs::read_to_string(&path).expect("read cases");
    let texts: Vec<String> = data
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            v["text"].as_str().expect("text").to_owned()
        })
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let once = || {
        let mut n = 0usize;
        for t in &texts {
            n += black_box(scan(black_box(t), EntitySet::all())).len();
        }
        n
    };
    let detections = once(); // warm-up
    // Each pass is tiny (~30 KB), so repeat inside a pass for a stable timer.
    let reps = 200;
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let t0 = Instant::now();
        for _ in 0..reps {
            black_box(once());
        }
        best = best.min(t0.elapsed().as_secs_f64() / reps as f64);
    }
    println!(
        "warden builtin:pii scan: {} texts, {} bytes, {} detections; {:.3} ms per pass; {:.1} MB/s (best of 5 x {} passes, 1 thread)",
        texts.len(),
        bytes,
        detections,
        best * 1e3,
        bytes as f64 / best / 1e6,
        reps
    );
}
