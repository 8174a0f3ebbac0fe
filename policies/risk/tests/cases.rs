//! Runs every case of `eval/cases.jsonl` through the native policy and checks its
//! `expect`, so the eval file (also used by `warden policy test`) stays true.

use warden_policy_risk::RiskPolicy;
use warden_sdk::Policy;
use warden_sdk::cases::Case;

#[test]
fn every_case_holds() {
    let text = include_str!("../eval/cases.jsonl");
    let (n, mut failures) = warden_sdk::cases::run::<RiskPolicy>(text);
    // Level categories also pin the level itself (score = level / 3).
    for (line, case) in Case::parse_lines(text).unwrap() {
        let category = case.category.as_deref().unwrap_or_default();
        let Some(level) = ["low", "medium", "high", "critical"]
            .iter()
            .position(|l| *l == category)
        else {
            continue;
        };
        let policy = RiskPolicy::configure(&case.config_json("{}")).unwrap();
        let score = policy.evaluate(&case.input().unwrap()).unwrap().score;
        if score.is_none_or(|s| (s - level as f32 / 3.0).abs() > 1e-6) {
            failures.push(format!(
                "{}: expected level {category}, got score {score:?}",
                case.name(line)
            ));
        }
    }
    assert!(n >= 40, "only {n} cases");
    assert!(
        failures.is_empty(),
        "{} of {n} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
