use std::time::Instant;
use warden_policy_router::complexity::assess;
use warden_sdk::{Message, Role};

#[test]
fn timing() {
    let text = "Something recent, please, and ideally a paperback edition because I read on the train. Also, do you have a gift wrapping option for one of them? It is for my sister's birthday next month, so there is no rush. ".repeat(3);
    for role in [Role::System, Role::User] {
        let msgs = vec![Message::new(role, text.clone())];
        let t = Instant::now();
        for _ in 0..10000 {
            std::hint::black_box(assess(std::hint::black_box(&msgs), 0));
        }
        println!(
            "{role:?} {} bytes: {:?}/iter",
            text.len(),
            t.elapsed() / 10000
        );
    }
    let t = Instant::now();
    for _ in 0..10000 {
        std::hint::black_box(
            std::hint::black_box(&text).contains("Traceback (most recent call last)"),
        );
    }
    println!("contains: {:?}", t.elapsed() / 10000);
}
