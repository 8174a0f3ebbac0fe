//! Print the signals that fire on each argument (debugging aid).
//!
//! `cargo run -p warden-policy-injection --example scan -- "text" [--tool]`

use warden_policy_injection::detector::{Detector, Options, Source};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let source = if args.iter().any(|a| a == "--tool") {
        Source::Tool
    } else {
        Source::User
    };
    let d = Detector::new(&Options::default()).expect("builtin patterns compile");
    for text in args.iter().filter(|a| *a != "--tool") {
        let scan = d.scan(text, source);
        let folded = warden_policy_injection::normalize::Folded::new(text).text;
        let p = warden_policy_injection::model::Model::embedded().probability(
            &folded,
            source == Source::Tool,
            &mut Vec::new(),
        );
        println!("score {:.3} (model p {p:.3}): {text}", scan.score);
        for h in &scan.hits {
            println!(
                "  {:<36} w={:.2} {:?} {:?}",
                d.defs[h.def].id,
                h.weight,
                &text[h.start..h.end],
                h.decoded
            );
        }
    }
}
