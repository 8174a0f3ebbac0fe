//! Native evaluation runner for the PII detector.
//!
//! ```text
//! cargo run -p warden-policy-pii --release --example pii_eval -- policies/pii/eval/test.jsonl [--verbose]
//! ```
//!
//! Matching: a detection is a true positive when it has the same entity type as a
//! labelled span and the two byte ranges *overlap*; each label and each detection
//! is used at most once. The exact-span rate (start and end identical) is printed
//! beside it. The false-positive rate is the share of PII-free texts
//! (`expect: "allow"`) with at least one detection.

use std::collections::BTreeMap;

use serde::Deserialize;
use warden_policy_pii::detect::scan;
use warden_policy_pii::entity::{Entity, EntitySet};

#[derive(Deserialize)]
struct Case {
    id: String,
    text: String,
    expect: String,
    entities: Vec<Label>,
}

#[derive(Deserialize)]
struct Label {
    #[serde(rename = "type")]
    kind: String,
    start: usize,
    end: usize,
}

#[derive(Default)]
struct Counts {
    tp: usize,
    exact: usize,
    fp: usize,
    fn_: usize,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose" || a == "-v");
    let path = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .cloned()
        .unwrap_or_else(|| "policies/pii/eval/test.jsonl".into());
    let data = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    let mut counts: BTreeMap<Entity, Counts> = Entity::ALL
        .into_iter()
        .map(|e| (e, Counts::default()))
        .collect();
    let (mut clean, mut clean_flagged, mut cases) = (0, 0, 0);
    for (n, line) in data
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let case: Case =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{path}:{}: {e}", n + 1));
        cases += 1;
        let found = scan(&case.text, EntitySet::all());
        let mut used = vec![false; found.len()];
        for l in &case.entities {
            let kind = Entity::from_name(&l.kind)
                .unwrap_or_else(|| panic!("{}: unknown type {}", case.id, l.kind));
            let c = counts.get_mut(&kind).expect("all kinds");
            let hit = found.iter().enumerate().position(|(i, d)| {
                !used[i] && d.kind == kind && d.start < l.end && l.start < d.end
            });
            match hit {
                Some(i) => {
                    used[i] = true;
                    c.tp += 1;
                    if found[i].start == l.start && found[i].end == l.end {
                        c.exact += 1;
                    } else if verbose {
                        println!(
                            "SPAN {} {}: want {:?} got {:?}",
                            case.id,
                            l.kind,
                            &case.text[l.start..l.end],
                            &case.text[found[i].start..found[i].end]
                        );
                    }
                }
                None => {
                    c.fn_ += 1;
                    if verbose {
                        println!(
                            "MISS {} {} {:?} in {:?}",
                            case.id,
                            l.kind,
                            &case.text[l.start..l.end],
                            case.text
                        );
                    }
                }
            }
        }
        for (d, _) in found.iter().zip(&used).filter(|(_, u)| !**u) {
            counts.get_mut(&d.kind).expect("all kinds").fp += 1;
            if verbose {
                println!(
                    "FP   {} {} {:?} in {:?}",
                    case.id,
                    d.kind.name(),
                    &case.text[d.start..d.end],
                    case.text
                );
            }
        }
        if case.expect == "allow" {
            clean += 1;
            if !found.is_empty() {
                clean_flagged += 1;
            }
        }
    }
    println!(
        "{path}: {cases} cases, span match = same type + overlapping bytes (exact = identical bytes)"
    );
    println!(
        "{:<12} {:>6} {:>6} {:>6} {:>9} {:>9} {:>9}",
        "entity", "tp", "fp", "fn", "precision", "recall", "exact"
    );
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let (mut ok, mut tot) = (true, Counts::default());
    for (e, c) in &counts {
        let p = ratio(c.tp, c.tp + c.fp);
        let r = ratio(c.tp, c.tp + c.fn_);
        ok &= p >= 0.95 && r >= 0.95;
        println!(
            "{:<12} {:>6} {:>6} {:>6} {:>9.3} {:>9.3} {:>9.3}",
            e.name(),
            c.tp,
            c.fp,
            c.fn_,
            p,
            r,
            ratio(c.exact, c.tp)
        );
        tot.tp += c.tp;
        tot.fp += c.fp;
        tot.fn_ += c.fn_;
        tot.exact += c.exact;
    }
    println!(
        "{:<12} {:>6} {:>6} {:>6} {:>9.3} {:>9.3} {:>9.3}",
        "all",
        tot.tp,
        tot.fp,
        tot.fn_,
        ratio(tot.tp, tot.tp + tot.fp),
        ratio(tot.tp, tot.tp + tot.fn_),
        ratio(tot.exact, tot.tp)
    );
    println!(
        "false-positive rate on PII-free texts: {clean_flagged}/{clean} = {:.3}",
        ratio(clean_flagged, clean)
    );
    println!(
        "target (P and R >= 0.95 per entity): {}",
        if ok { "met" } else { "NOT met" }
    );
}
