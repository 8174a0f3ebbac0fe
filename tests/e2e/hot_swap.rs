//! Hot swap: replacing a tenant's chain under load drops nothing, and every
//! result comes wholly from the old or wholly from the new chain.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use warden::config::Config;

use crate::support::*;

fn config(tag: &str) -> String {
    // Two policies per version: a mixed result would show two different tags.
    format!(
        "{}{}{}[tenants.t.chain]\nrequest = [\"first\", \"second\"]\n",
        guest("first", &format!("{{ mode = \"tag\", tag = {tag:?} }}"), ""),
        guest(
            "second",
            &format!("{{ mode = \"tag\", tag = {tag:?} }}"),
            ""
        ),
        misbehave("broken", "not-a-mode", ""),
    )
}

#[test]
fn concurrent_evaluations_survive_repeated_swaps() {
    // `broken` is defined but unused at start; only the bad swap below uses it.
    let w = warden(&config("v0"));
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicUsize::new(0));
    let mut workers = Vec::new();
    for _ in 0..4 {
        let (w, stop, done) = (w.clone(), stop.clone(), done.clone());
        workers.push(std::thread::spawn(move || {
            let mut seen = std::collections::BTreeSet::new();
            while !stop.load(Ordering::Relaxed) {
                let out = request(&w, "t", "hi");
                assert!(out.faults.is_empty(), "fault during swap: {:?}", out.faults);
                assert_eq!(out.action, "modify");
                let text = &out.messages[0].content;
                let tags = text.strip_prefix("hi [").and_then(|r| r.strip_suffix(']'));
                let (a, b) = tags.and_then(|t| t.split_once("] [")).expect("two tags");
                assert_eq!(a, b, "mixed chain versions: {text}");
                seen.insert(a.to_string());
                done.fetch_add(1, Ordering::Relaxed);
            }
            seen
        }));
    }
    for i in 1..=20 {
        let next = Config::from_toml(&config(&format!("v{i}")), std::path::Path::new("/")).unwrap();
        w.swap_tenant("t", &next.tenants["t"]).expect("valid swap");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    stop.store(true, Ordering::Relaxed);
    let mut versions = std::collections::BTreeSet::new();
    for h in workers {
        versions.extend(h.join().expect("no worker failed"));
    }
    assert!(
        done.load(Ordering::Relaxed) > 100,
        "too few evaluations to mean anything"
    );
    assert!(versions.len() > 2, "workers saw only {versions:?}");
}

#[test]
fn a_bad_swap_is_rejected_and_the_old_chain_keeps_serving() {
    let w = warden(&config("old"));
    let before = w.chain("t").unwrap().version;
    let bad = Config::from_toml(
        &config("new").replace(
            "request = [\"first\", \"second\"]",
            "request = [\"first\", \"broken\"]",
        ),
        std::path::Path::new("/"),
    )
    .unwrap();
    let err = w.swap_tenant("t", &bad.tenants["t"]).unwrap_err();
    assert!(err.to_string().contains("broken"), "{err}");
    assert_eq!(w.chain("t").unwrap().version, before);
    assert_eq!(request(&w, "t", "hi").messages[0].content, "hi [old] [old]");
}
