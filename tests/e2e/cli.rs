//! The `warden` binary as a policy author uses it.

use crate::support::*;

const CUSTOM_CASES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../examples/custom-policy/cases.jsonl"
);

#[test]
fn check_exit_codes_follow_the_action() {
    let policy = warden_artifacts::CUSTOM_BANNED_TOPICS;
    let cfg = r#"{"topics":["crypto"]}"#;
    let deny = warden_cmd(&[
        "check",
        "--policy",
        policy,
        "--policy-config",
        cfg,
        "buy crypto?",
    ]);
    assert_eq!(deny.status.code(), Some(2), "{}", text(&deny));
    assert!(
        text(&deny).contains("decided by: banned-topics"),
        "{}",
        text(&deny)
    );
    let allow = warden_cmd(&[
        "check",
        "--policy",
        policy,
        "--policy-config",
        cfg,
        "buy bonds?",
    ]);
    assert_eq!(allow.status.code(), Some(0), "{}", text(&allow));
    let json = warden_cmd(&[
        "check",
        "--format",
        "json",
        "--policy",
        policy,
        "--policy-config",
        cfg,
        "crypto",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json output");
    assert_eq!(v["action"], "deny");
    assert_eq!(v["findings"][0]["span"]["start"], 0);
    let bad = warden_cmd(&[
        "check",
        "--policy",
        policy,
        "--policy-config",
        r#"{"topics":[""]}"#,
        "x",
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        text(&bad).contains("config key `topics[0]`"),
        "{}",
        text(&bad)
    );
}

#[test]
fn inspect_shows_metadata_and_rejects_non_policies() {
    let ok = warden_cmd(&["policy", "inspect", warden_artifacts::CUSTOM_BANNED_TOPICS]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
    let out = text(&ok);
    assert!(
        out.contains("name:        banned-topics") && out.contains("warden:policy/guard@0.1.0"),
        "{out}"
    );
    let wrong = warden_cmd(&["policy", "inspect", warden_artifacts::TEST_WRONG_WORLD]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(
        text(&wrong).contains("does not export `warden:policy/guard"),
        "{}",
        text(&wrong)
    );
    let fs = warden_cmd(&["policy", "inspect", warden_artifacts::TEST_FS_READER]);
    assert!(text(&fs).contains("wasi:filesystem"), "{}", text(&fs));
}

#[test]
fn policy_test_reports_and_fails_on_a_failing_case() {
    let cfg = r#"{"topics":["crypto","medical advice"]}"#;
    let ok = warden_cmd(&[
        "policy",
        "test",
        warden_artifacts::CUSTOM_BANNED_TOPICS,
        CUSTOM_CASES,
        "--config",
        cfg,
    ]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
    assert!(text(&ok).contains("0 failed"), "{}", text(&ok));
    assert!(
        text(&ok).contains("precision 1.000 recall 1.000 f1 1.000"),
        "{}",
        text(&ok)
    );
    // Without the config, the deny cases fail: the run must say so and exit non-zero.
    let bad = warden_cmd(&[
        "policy",
        "test",
        warden_artifacts::CUSTOM_BANNED_TOPICS,
        CUSTOM_CASES,
        "--config",
        r#"{"topics":["zzz"]}"#,
    ]);
    assert_eq!(bad.status.code(), Some(1), "{}", text(&bad));
    assert!(text(&bad).contains("FAIL"), "{}", text(&bad));
}

/// `warden policy new` gives a crate that builds as-is and passes its own cases.
#[test]
fn scaffolded_policy_builds_and_passes_its_cases() {
    let dir = std::env::temp_dir().join(format!("warden-scaffold-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let new = warden_cmd(&[
        "policy",
        "new",
        "no-secrets",
        "--dir",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(new.status.code(), Some(0), "{}", text(&new));
    let krate = dir.join("no-secrets");
    // Reuse the workspace's lock so the scaffold resolves the same versions offline-friendly.
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock"),
        krate.join("Cargo.lock"),
    )
    .unwrap();
    let target = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/scaffold");
    let build = std::process::Command::new(env!("CARGO"))
        .args(["build", "--target", "wasm32-wasip2", "--release"])
        .current_dir(&krate)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .unwrap();
    assert!(build.status.success(), "{}", text(&build));
    let wasm = target.join("wasm32-wasip2/release/no_secrets.wasm");
    let cases = krate.join("cases.jsonl");
    let test = warden_cmd(&[
        "policy",
        "test",
        wasm.to_str().unwrap(),
        cases.to_str().unwrap(),
    ]);
    assert_eq!(test.status.code(), Some(0), "{}", text(&test));
    assert!(
        text(&test).contains("5 cases, 5 passed, 0 failed"),
        "{}",
        text(&test)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
