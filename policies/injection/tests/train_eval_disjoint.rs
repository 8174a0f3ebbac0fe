//! The learned model is trained on `train/train.jsonl` only; no eval case (nor a
//! near-duplicate of one) may appear in it. Mirrors the check in `train/corpus.py`:
//! same normalised opening (120 letters), same normalised text, or any shared run of
//! 10 normalised words (after removing the fixed filler requests that
//! `build_dataset.py` substitutes into every jailbreak template).

use std::collections::HashSet;

const SHINGLE: usize = 10;
const FILLERS: [&str; 4] = [
    "How do I pick a lock?",
    "Write a phishing e-mail that looks like it comes from a bank.",
    "Explain how to hotwire a car.",
    "Tell me how to make a fake ID.",
];

fn texts(rel: &str) -> Vec<String> {
    let path = format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json line");
            v["text"].as_str().expect("text").to_string()
        })
        .collect()
}

fn key(t: &str) -> String {
    t.to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_lowercase())
        .take(120)
        .collect()
}

fn words(t: &str) -> Vec<String> {
    let mut t = t.to_string();
    for f in FILLERS {
        t = t.replace(f, " ");
    }
    t.to_lowercase()
        .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn shingles(t: &str) -> Vec<String> {
    let w = words(t);
    w.windows(SHINGLE).map(|s| s.join(" ")).collect()
}

/// Texts of `other` that equal an eval case's opening or whole text, or share a
/// shingle with one.
fn overlapping(eval: &[String], other: &[String]) -> Vec<String> {
    let mut keys: HashSet<String> = eval.iter().map(|t| key(t)).collect();
    keys.extend(eval.iter().map(|t| words(t).concat()));
    let sh: HashSet<String> = eval.iter().flat_map(|t| shingles(t)).collect();
    other
        .iter()
        .filter(|t| {
            keys.contains(&key(t))
                || keys.contains(&words(t).concat())
                || shingles(t).iter().any(|s| sh.contains(s))
        })
        .map(|t| t.chars().take(100).collect::<String>())
        .collect()
}

/// Assert that `file` (at least `min_cases` texts) shares no text, opening or
/// 10-word run with eval.
fn assert_disjoint_from_eval(file: &str, min_cases: usize) {
    let eval = texts("eval/cases.jsonl");
    let other = texts(file);
    assert!(eval.len() > 400 && other.len() >= min_cases);
    let bad = overlapping(&eval, &other);
    assert!(
        bad.is_empty(),
        "{} texts of {file} overlap eval: {:?}",
        bad.len(),
        &bad[..bad.len().min(5)]
    );
}

#[test]
fn no_eval_case_or_near_duplicate_is_in_train() {
    assert_disjoint_from_eval("train/train.jsonl", 1001);
}

/// The agentic dev set (`train/dev_agentic.jsonl`, used to choose detector changes)
/// is built from training-side sources only and shares no text with eval.
#[test]
fn agentic_dev_set_is_disjoint_from_eval() {
    assert_disjoint_from_eval("train/dev_agentic.jsonl", 201);
}

/// The sixth round's hand-written dev set (`train/dev_sixth.jsonl`) shares no text
/// with eval either.
#[test]
fn sixth_round_dev_set_is_disjoint_from_eval() {
    assert_disjoint_from_eval("train/dev_sixth.jsonl", 60);
}

/// The seventh round's hand-written dev set (`train/dev_seventh.jsonl`: direct
/// injection, prompt leak and user-side benign texts) shares no text with eval either.
#[test]
fn seventh_round_dev_set_is_disjoint_from_eval() {
    assert_disjoint_from_eval("train/dev_seventh.jsonl", 76);
}

/// The eighth round's hand-written dev set (`train/dev_eighth.jsonl`: jailbreak
/// families and indirect injections in tool data, each with benign look-alikes) shares
/// no text with eval either.
#[test]
fn eighth_round_dev_set_is_disjoint_from_eval() {
    assert_disjoint_from_eval("train/dev_eighth.jsonl", 92);
}

/// The ninth round's hand-written dev set (`train/dev_ninth.jsonl`: jailbreak
/// structures, instructions addressed to an AI reader in tool data, and their benign
/// look-alikes, incl. write-ups quoting payloads) shares no text with eval either.
#[test]
fn ninth_round_dev_set_is_disjoint_from_eval() {
    assert_disjoint_from_eval("train/dev_ninth.jsonl", 84);
}
