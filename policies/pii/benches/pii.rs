//! PII policy benchmarks (native).
//!
//! ```text
//! cargo bench -p warden-policy-pii --bench pii
//! ```
//! 1. `scan/clean_64k`: detector throughput on ~64 KB of PII-free English prose
//!    (with the numbers, dates and punctuation real prose has); target >= 200 MB/s.
//! 2. `evaluate/chat_2k`: the full policy on tests/fixtures/chat-2k.json.
//! 3. `evaluate/pii_2k`: the full policy on ~2 KB of text with several PII values.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use warden_policy_pii::Pii;
use warden_policy_pii::detect::scan;
use warden_policy_pii::entity::EntitySet;
use warden_sdk::{Input, Message, Phase, Policy};

const PROSE: &str = "The harbour town grew slowly over the eighteenth century, as merchants \
built warehouses along the quay and mapmakers charted the coast. Most families earned a living \
from fishing, rope making and the trade in salt; a few grew rich on it. In the spring of 1764 \
a storm wrecked three ships and the council met twice to decide how to rebuild the pier. \
Readers who enjoy long historical fiction will recognise the pattern: several narrators, a slow \
start, and a story that rewards patience. Chapter 12 follows the youngest daughter as she learns \
the accounts, while chapter 13 returns to the captain, who has lost his nerve (and his ship). \
Prices in the market were noted carefully: bread, cheese, tallow and wool all rose that winter. \
\"We will manage,\" her mother said, \"as we always have.\" Nobody in the family believed her. ";

fn clean_text(size: usize) -> String {
    let mut s = String::with_capacity(size + PROSE.len());
    while s.len() < size {
        s.push_str(PROSE);
    }
    s
}

fn chat_fixture() -> Input {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/chat-2k.json"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json");
    let messages = json["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .map(|m| {
            let role = m["role"].as_str().unwrap_or("user").parse().expect("role");
            Message::new(role, m["content"].as_str().unwrap_or_default())
        })
        .collect();
    Input::new(Phase::Request, messages)
}

fn pii_text() -> String {
    let mut s = String::new();
    let para = "Hi team, the customer Jane Doe (jane.doe@example.com, +44 20 7946 0958) says her card \
4111 1111 1111 1111 was charged twice on 2024-03-15 for order #48213377. Her IBAN is \
DE89 3704 0044 0532 0130 00 and she logged in from 203.0.113.42. ";
    let filler = "She has been a loyal customer for years and would like a quick answer, ideally \
before the end of the week, with an explanation she can forward to her bank. ";
    while s.len() < 2048 {
        s.push_str(para);
        s.push_str(filler);
        s.push_str(filler);
    }
    s
}

fn benches(c: &mut Criterion) {
    let text = clean_text(64 * 1024);
    assert!(
        scan(&text, EntitySet::all()).is_empty(),
        "bench prose must be PII-free"
    );
    let mut g = c.benchmark_group("scan");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("clean_64k", |b| {
        b.iter(|| scan(black_box(&text), EntitySet::all()))
    });
    g.finish();

    let policy = Pii::configure("").expect("default config");
    let chat = chat_fixture();
    let pii = Input::request(pii_text());
    let mut g = c.benchmark_group("evaluate");
    let chat_bytes: usize = chat.messages.iter().map(|m| m.content.len()).sum();
    g.throughput(Throughput::Bytes(chat_bytes as u64));
    g.bench_function("chat_2k", |b| {
        b.iter(|| policy.evaluate(black_box(&chat)).expect("verdict"))
    });
    g.throughput(Throughput::Bytes(pii.messages[0].content.len() as u64));
    g.bench_function("pii_2k", |b| {
        b.iter(|| policy.evaluate(black_box(&pii)).expect("verdict"))
    });
    g.finish();
}

criterion_group!(pii_benches, benches);
criterion_main!(pii_benches);
