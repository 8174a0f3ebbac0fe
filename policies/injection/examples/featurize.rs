//! Training helper: read JSONL cases (`text`, optional `role`) on stdin and write
//! one JSON line per case with the folded text the model sees and the heuristic
//! score without the model, and whether the detector would damp it as a discussion
//! of attacks, with each hit's weight and whether the model's veto leaves it alone
//! (`{"folded": "...", "heur": 0.42, "w": [0.4], "u": [false], "disc": false}`).
//!
//! `cargo run -p warden-policy-injection --example featurize --release < train.jsonl`

use std::io::{BufRead, Write};

use warden_policy_injection::detector::{Detector, Options, Source, UNDAMPED};
use warden_policy_injection::normalize::Folded;
use warden_policy_injection::signals::Group;

fn main() {
    let opts = Options {
        groups: Group::CONFIGURABLE
            .into_iter()
            .filter(|g| *g != Group::Model)
            .collect(),
        ..Options::default()
    };
    let det = Detector::new(&opts).expect("detector");
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("stdin");
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line).expect("json");
        let text = v["text"].as_str().unwrap_or_default();
        let source = if v["role"].as_str() == Some("tool") {
            Source::Tool
        } else {
            Source::User
        };
        let scan = det.scan(text, source);
        let heur = scan.score;
        let weights: Vec<f32> = scan.hits.iter().map(|h| h.weight).collect();
        let undamped: Vec<bool> = scan
            .hits
            .iter()
            .map(|h| UNDAMPED.contains(&det.defs[h.def].id.as_str()))
            .collect();
        let folded = Folded::new(text).text;
        let disc = source == Source::User && det.is_discussion(&folded);
        let row = serde_json::json!({"folded": folded, "heur": heur, "w": weights, "u": undamped, "disc": disc});
        writeln!(out, "{row}").expect("stdout");
    }
}
