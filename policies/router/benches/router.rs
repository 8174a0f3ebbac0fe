//! Router evaluation on the ~2 KB chat fixture (OpenAI JSON), model `auto`.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use serde::Deserialize;
use warden_policy_router::Router;
use warden_sdk::{Input, Message, Phase, Policy};

#[derive(Deserialize)]
struct Chat {
    messages: Vec<ChatMessage>,
}
#[derive(Deserialize)]
struct ChatMessage {
    role: String,
    content: String,
}

const FIXTURE: &str = include_str!("../../../tests/fixtures/chat-2k.json");

fn input_from_openai(json: &str) -> Input {
    let chat: Chat = serde_json::from_str(json).unwrap();
    let messages = chat
        .messages
        .into_iter()
        .map(|m| Message::new(m.role.parse().unwrap(), m.content))
        .collect();
    let mut input = Input::new(Phase::Request, messages);
    input.model = "auto".into();
    input.metadata = vec![
        ("budget-remaining-usd".into(), "42.50".into()),
        ("budget-limit-usd".into(), "100".into()),
        ("tools-offered".into(), "3".into()),
    ];
    input
}

fn bench(c: &mut Criterion) {
    let router = Router::configure("{}").unwrap();
    let input = input_from_openai(FIXTURE);
    c.bench_function("router/evaluate-chat-2k", |b| {
        b.iter(|| router.evaluate(black_box(&input)).unwrap())
    });
    c.bench_function("router/complexity-chat-2k", |b| {
        b.iter(|| warden_policy_router::complexity::assess(black_box(&input.messages), 3))
    });
    c.bench_function("router/parse-and-evaluate-chat-2k", |b| {
        b.iter(|| {
            router
                .evaluate(&input_from_openai(black_box(FIXTURE)))
                .unwrap()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
