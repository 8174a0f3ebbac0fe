//! Runs every case of `eval/cases.jsonl` through the native policy and checks its
//! `expect`, so the eval file (also used by `warden policy test`) stays true.

use warden_policy_router::Router;

#[test]
fn every_case_holds() {
    let (n, failures) = warden_sdk::cases::run::<Router>(include_str!("../eval/cases.jsonl"));
    assert!(n >= 20, "only {n} cases");
    assert!(
        failures.is_empty(),
        "{} of {n} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
