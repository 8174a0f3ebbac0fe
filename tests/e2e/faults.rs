//! Every guest fault is a typed error, the host keeps serving, and the
//! failure mode is honoured.

use std::time::{Duration, Instant};

use warden::policy::{FaultKind, LoadError};

use crate::support::*;

fn one_policy(mode: &str, extra: &str) -> warden::Warden {
    warden(&format!(
        "{}[tenants.t.chain]\nrequest = [\"m\"]\n",
        misbehave("m", mode, extra)
    ))
}

fn fault_of(mode: &str, extra: &str, text: &str) -> FaultKind {
    let w = one_policy(mode, extra);
    let out = request(&w, "t", text);
    assert_eq!(out.action, "deny", "failure mode deny must deny on a fault");
    assert_eq!(out.decided_by.as_deref(), Some("m"));
    assert_eq!(
        out.deny.as_ref().unwrap().code.as_deref(),
        Some("policy_fault")
    );
    assert_eq!(out.faults.len(), 1);
    // The host keeps serving: the same policy faults the same way on a fresh instance.
    let again = request(&w, "t", text);
    assert_eq!(again.faults.len(), 1);
    assert_eq!(again.faults[0].kind.label(), out.faults[0].kind.label());
    out.faults[0].kind.clone()
}

#[test]
fn trap_is_a_typed_fault() {
    assert!(matches!(fault_of("trap", "", "hi"), FaultKind::Trap(_)));
}

#[test]
fn infinite_loop_is_stopped_at_the_time_limit() {
    let t0 = Instant::now();
    let kind = fault_of("loop", "timeout_ms = 30", "hi");
    assert_eq!(kind, FaultKind::Timeout(Duration::from_millis(30)));
    assert!(
        t0.elapsed() < Duration::from_secs(5),
        "two timeouts took {:?}",
        t0.elapsed()
    );
}

#[test]
fn memory_bomb_is_stopped_at_the_memory_limit() {
    assert_eq!(
        fault_of("memory-bomb", "memory_mib = 16", "hi"),
        FaultKind::MemoryLimit(16 << 20)
    );
}

#[test]
fn span_out_of_range_is_an_invalid_verdict() {
    assert!(
        matches!(fault_of("bad-span", "", "hello"), FaultKind::InvalidVerdict(m) if m.contains("out of range"))
    );
}

#[test]
fn span_splitting_a_character_is_an_invalid_verdict() {
    assert!(
        matches!(fault_of("split-char", "", "école"), FaultKind::InvalidVerdict(m) if m.contains("UTF-8"))
    );
}

#[test]
fn undeclared_effect_is_a_fault() {
    assert_eq!(
        fault_of("undeclared-route", "", "hi"),
        FaultKind::UndeclaredEffect("route")
    );
}

#[test]
fn guest_error_is_a_fault() {
    assert_eq!(
        fault_of("guest-error", "", "hi"),
        FaultKind::Guest("the guest gave up".into())
    );
}

#[test]
fn failure_mode_allow_skips_the_faulting_policy_and_still_reports_it() {
    let toml = format!(
        "{}{}[tenants.t.chain]\nrequest = [\"m\", \"tag\"]\n",
        misbehave("m", "trap", "failure_mode = \"allow\""),
        guest("tag", r#"{ mode = "tag", tag = "ok" }"#, "")
    );
    let w = warden(&toml);
    let out = request(&w, "t", "hi");
    assert_eq!(out.action, "modify", "the next policy still ran");
    assert_eq!(out.messages[0].content, "hi [ok]");
    assert_eq!(out.faults.len(), 1);
    assert_eq!(out.faults[0].kind.label(), "trap");
}

#[test]
fn faults_in_one_tenant_do_not_affect_another() {
    let toml = format!(
        "{}{}[tenants.bad.chain]\nrequest = [\"m\"]\n[tenants.good.chain]\nrequest = [\"ok\"]\n",
        misbehave("m", "memory-bomb", "memory_mib = 8"),
        misbehave("ok", "allow", "")
    );
    let w = warden(&toml);
    for _ in 0..3 {
        assert_eq!(request(&w, "bad", "x").action, "deny");
        assert_eq!(request(&w, "good", "x").action, "allow");
    }
}

#[test]
fn fresh_instance_strategy_works_and_logging_is_granted() {
    let w = one_policy("log", "instances = \"fresh\"");
    for _ in 0..3 {
        let out = request(&w, "t", "hi");
        assert_eq!(out.action, "allow");
        assert!(out.faults.is_empty());
    }
}

#[test]
fn wrong_world_is_rejected_at_load() {
    let toml = format!(
        "[policies.w]\nsource = {:?}\n[tenants.t.chain]\nrequest = [\"w\"]\n",
        warden_artifacts::TEST_WRONG_WORLD
    );
    match start_error(&toml) {
        LoadError::WorldMismatch { reason, .. } => {
            assert!(reason.contains("warden:policy/guard"), "{reason}")
        }
        e => panic!("unexpected: {e}"),
    }
}

#[test]
fn forbidden_import_is_rejected_naming_it() {
    let toml = format!(
        "[policies.fs]\nsource = {:?}\n[tenants.t.chain]\nrequest = [\"fs\"]\n",
        warden_artifacts::TEST_FS_READER
    );
    match start_error(&toml) {
        LoadError::ForbiddenImport { import, .. } => {
            assert!(import.contains("wasi:filesystem/"), "{import}")
        }
        e => panic!("unexpected: {e}"),
    }
}

#[test]
fn bad_config_is_rejected_with_the_policy_message_and_key() {
    let e = start_error(&format!(
        "{}[tenants.t.chain]\nrequest = [\"m\"]\n",
        misbehave("m", "explode", "")
    ));
    match &e {
        LoadError::Configure {
            policy,
            key,
            message,
        } => {
            assert_eq!(policy, "m");
            assert_eq!(key.as_deref(), Some("mode"));
            assert!(message.contains("explode"), "{message}");
        }
        e => panic!("unexpected: {e}"),
    }
    assert!(e.to_string().contains("config key `mode`"), "{e}");
}

#[test]
fn bytes_that_are_not_a_component_are_a_compile_error() {
    let dir = std::env::temp_dir().join(format!("warden-notwasm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("junk.wasm");
    std::fs::write(&file, b"definitely not wasm").unwrap();
    let toml = format!(
        "[policies.j]\nsource = {:?}\n[tenants.t.chain]\nrequest = [\"j\"]\n",
        file.display().to_string()
    );
    assert!(matches!(start_error(&toml), LoadError::Compile { .. }));
}
