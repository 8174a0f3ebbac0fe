//! Shared helpers: build a Warden from TOML, run the real binary.

use std::path::Path;
use std::process::{Command, Output};

use warden::Warden;
use warden::chain::{ChainOutcome, StateBag};
use warden::config::Config;
use warden_sdk::{Input, Phase};

pub mod envoy;

/// Start a Warden from TOML text.
pub fn warden(toml: &str) -> Warden {
    Warden::start(Config::from_toml(toml, Path::new("/")).expect("valid test config"))
        .expect("warden starts")
}

/// Start a Warden from TOML text, expecting a start error; returns it as text.
pub fn start_error(toml: &str) -> warden::policy::LoadError {
    match Warden::start(Config::from_toml(toml, Path::new("/")).expect("valid test config")) {
        Ok(_) => panic!("expected the start to fail"),
        Err(warden::StartErrorKind::Load(e)) => e,
        Err(e) => panic!("unexpected error: {e}"),
    }
}

/// Evaluate one user message through `tenant`'s request chain.
pub fn request(w: &Warden, tenant: &str, text: &str) -> ChainOutcome {
    w.evaluate(
        tenant,
        Phase::Request,
        Input::request(text),
        &mut StateBag::new(),
    )
    .expect("tenant exists")
}

/// A `[policies.<name>]` section for the misbehaving test guest in `mode`.
pub fn misbehave(name: &str, mode: &str, extra: &str) -> String {
    guest(name, &format!("{{ mode = {mode:?} }}"), extra)
}

/// A `[policies.<name>]` section for the misbehaving test guest with an inline TOML config.
pub fn guest(name: &str, config: &str, extra: &str) -> String {
    format!(
        "[policies.{name}]\nsource = {:?}\nconfig = {config}\n{extra}\n",
        warden_artifacts::TEST_MISBEHAVE
    )
}

/// Run the real `warden` binary.
pub fn warden_cmd(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_warden"))
        .args(args)
        .output()
        .expect("run warden")
}

/// stdout + stderr as text.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
