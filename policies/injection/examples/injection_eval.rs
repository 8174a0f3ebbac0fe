//! Precision, recall, F1 and false-positive rate per category on a labelled JSONL
//! case file, at the default threshold (or `--config JSON`).
//!
//! `cargo run -p warden-policy-injection --example injection_eval --release -- policies/injection/eval/cases.jsonl`
//! Add `--errors` to print the misclassified cases.

use std::collections::BTreeMap;

use serde::Deserialize;
use warden_policy_injection::Injection;
use warden_sdk::{Input, Message, Phase, Policy, Role};

#[derive(Deserialize)]
struct Case {
    id: String,
    category: String,
    text: String,
    #[serde(default)]
    role: Option<String>,
    expect: String,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .iter()
        .find(|a| !a.starts_with("--") && !a.starts_with('{'))
        .expect("usage: eval CASES.jsonl");
    let config = args
        .iter()
        .position(|a| a == "--config")
        .map_or("{}", |i| args[i + 1].as_str());
    let show = args.iter().any(|a| a == "--errors");
    let policy = Injection::configure(config).expect("config");
    let text = std::fs::read_to_string(path).expect("read cases");
    // category -> (cases, flagged)
    let mut per: BTreeMap<String, (usize, usize, bool)> = BTreeMap::new();
    let (mut tp, mut fp, mut fneg, mut tn) = (0, 0, 0, 0);
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Case = serde_json::from_str(line).expect("case JSON");
        let messages = match case.role.as_deref() {
            Some("tool") => vec![
                Message::user("Summarise this page"),
                Message::new(Role::Tool, case.text.clone()),
            ],
            _ => vec![Message::user(case.text.clone())],
        };
        let verdict = policy
            .evaluate(&Input::new(Phase::Request, messages))
            .expect("evaluate");
        let flagged = verdict.action.name() == "deny";
        let positive = case.expect == "deny";
        let e = per.entry(case.category.clone()).or_insert((0, 0, positive));
        e.0 += 1;
        e.1 += usize::from(flagged);
        match (positive, flagged) {
            (true, true) => tp += 1,
            (true, false) => fneg += 1,
            (false, true) => fp += 1,
            (false, false) => tn += 1,
        }
        if show && positive != flagged {
            let s: String = case.text.chars().take(160).collect();
            let signals: Vec<String> = verdict.findings.iter().map(|f| f.detail.clone()).collect();
            println!(
                "MISS {} {} score={:.2}: {}\n     signals: {}",
                case.id,
                case.category,
                verdict.score.unwrap_or(0.0),
                s.replace('\n', " "),
                signals.join("; ")
            );
        }
    }
    println!(
        "{:<20} {:>6} {:>8} {:>8}",
        "category", "cases", "recall", "FPR"
    );
    for (cat, (n, flagged, positive)) in &per {
        let rate = *flagged as f64 / *n as f64;
        if *positive {
            println!("{cat:<20} {n:>6} {rate:>8.3} {:>8}", "-");
        } else {
            println!("{cat:<20} {n:>6} {:>8} {rate:>8.3}", "-");
        }
    }
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fneg).max(1) as f64;
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    let fpr = fp as f64 / (fp + tn).max(1) as f64;
    println!(
        "overall: precision {p:.3} recall {r:.3} F1 {f1:.3} FPR(benign) {fpr:.3}  (tp {tp} fp {fp} fn {fneg} tn {tn})"
    );
}
