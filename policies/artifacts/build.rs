//! Builds every Wasm guest in two nested `cargo build`s, so `cargo build` and
//! `cargo test` at the root need no manual step (the pattern of wasmtime's
//! `crates/test-programs/artifacts`): the components (`wasm32-wasip2`, profile
//! `guest`) and the proxy-wasm filters (`wasm32-wasip1`, profile `filter`, the
//! same policy crates with their `proxy-wasm` feature, plus the public-API
//! example filter).
//!
//! Why the details matter:
//! - one nested invocation per target: the guests share std and `regex`, and
//!   building them together costs ~30 s instead of ~30 s each;
//! - both invocations share one target directory (per-target subdirectories), so
//!   build scripts and proc macros are compiled once;
//! - `CARGO_TARGET_DIR` under `OUT_DIR`: the outer build holds the lock on the
//!   root target directory, so a nested build there would wait forever;
//! - the chain filter gets a third invocation with its own target directory
//!   (its policies are built as plain libraries, a feature that must not
//!   unify with the single filters);
//! - host `RUSTFLAGS` must not leak into the wasm build;
//! - `rerun-if-changed` comes from the nested `.d` files, so editing a policy
//!   rebuilds it and nothing else triggers a rebuild.

use std::env;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// (package, const name, embedded as `builtin:<name>`?)
const COMPONENTS: &[(&str, &str, Option<&str>)] = &[
    ("warden-policy-injection", "INJECTION", Some("injection")),
    ("warden-policy-pii", "PII", Some("pii")),
    ("warden-policy-risk", "RISK", Some("risk")),
    ("warden-policy-router", "ROUTER", Some("router")),
    ("banned-topics", "CUSTOM_BANNED_TOPICS", None),
    ("test-guest-misbehave", "TEST_MISBEHAVE", None),
    ("test-guest-wrong-world", "TEST_WRONG_WORLD", None),
    ("test-guest-fs-reader", "TEST_FS_READER", None),
];

const TARGET: &str = "wasm32-wasip2";
const PROFILE: &str = "guest";

/// Proxy-wasm filter modules: (package, const name). The policy crates are built
/// with `--features proxy-wasm`; the example filter has no such feature and needs
/// none (cargo applies `--features` to the selected packages that define it).
const FILTERS: &[(&str, &str)] = &[
    ("warden-policy-injection", "INJECTION_FILTER"),
    ("warden-policy-pii", "PII_FILTER"),
    ("warden-policy-risk", "RISK_FILTER"),
    ("warden-policy-router", "ROUTER_FILTER"),
    ("banned-topics", "CUSTOM_BANNED_TOPICS_FILTER"),
    ("test-guest-misbehave", "TEST_MISBEHAVE_FILTER"),
    ("proxy-wasm-keyword-filter", "KEYWORD_FILTER"),
];

/// The chain filter: the built-in policies linked into one module. Its own cargo
/// invocation and target directory, because it enables the policies' `library`
/// feature (no export of their own), which must not unify with the single
/// filters above (cdylib outputs carry no hash, so one directory would thrash).
const CHAIN_FILTER: (&str, &str) = ("warden-chain-filter", "CHAIN_FILTER");

const FILTER_TARGET: &str = "wasm32-wasip1";
const FILTER_PROFILE: &str = "filter";

fn main() {
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").unwrap());
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest_dir
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    let target_dir = out_dir.join("guests");

    let packages: Vec<&str> = COMPONENTS.iter().map(|c| c.0).collect();
    nested_build(&root, &target_dir, TARGET, PROFILE, &packages, None);
    let filters: Vec<&str> = FILTERS.iter().map(|f| f.0).collect();
    nested_build(
        &root,
        &target_dir,
        FILTER_TARGET,
        FILTER_PROFILE,
        &filters,
        Some("proxy-wasm"),
    );
    let chain_target_dir = out_dir.join("guests-chain");
    nested_build(
        &root,
        &chain_target_dir,
        FILTER_TARGET,
        FILTER_PROFILE,
        &[CHAIN_FILTER.0],
        None,
    );

    let artifacts = target_dir.join(TARGET).join(PROFILE);
    let mut generated = String::new();
    let mut builtins = String::new();
    for (package, konst, builtin) in COMPONENTS {
        let file = package.replace('-', "_");
        let wasm = artifacts.join(format!("{file}.wasm"));
        assert!(wasm.exists(), "missing artifact {}", wasm.display());
        writeln!(
            generated,
            "/// Path of the `{package}` component.\npub const {konst}: &str = {:?};",
            wasm.display().to_string()
        )
        .unwrap();
        if let Some(name) = builtin {
            writeln!(
                builtins,
                "    ({name:?}, include_bytes!({:?})),",
                wasm.display().to_string()
            )
            .unwrap();
        }
        rerun_from_dep_info(&artifacts.join(format!("{file}.d")));
    }
    let filter_dir = target_dir.join(FILTER_TARGET).join(FILTER_PROFILE);
    for (package, konst) in FILTERS {
        let file = package.replace('-', "_");
        let wasm = filter_dir.join(format!("{file}.wasm"));
        assert!(wasm.exists(), "missing artifact {}", wasm.display());
        writeln!(
            generated,
            "/// Path of the `{package}` proxy-wasm filter module (wasm32-wasip1).\npub const {konst}: &str = {:?};",
            wasm.display().to_string()
        )
        .unwrap();
        rerun_from_dep_info(&filter_dir.join(format!("{file}.d")));
    }
    let chain_dir = chain_target_dir.join(FILTER_TARGET).join(FILTER_PROFILE);
    let (package, konst) = CHAIN_FILTER;
    let file = package.replace('-', "_");
    let wasm = chain_dir.join(format!("{file}.wasm"));
    assert!(wasm.exists(), "missing artifact {}", wasm.display());
    writeln!(
        generated,
        "/// Path of the chain filter module (`{package}`: the built-in policies in one proxy-wasm module).\npub const {konst}: &str = {:?};",
        wasm.display().to_string()
    )
    .unwrap();
    rerun_from_dep_info(&chain_dir.join(format!("{file}.d")));
    writeln!(
        generated,
        "/// Built-in policies embedded in the binary: (name, component bytes).\n\
         pub static BUILTINS: &[(&str, &[u8])] = &[\n{builtins}];"
    )
    .unwrap();
    std::fs::write(out_dir.join("gen.rs"), generated).unwrap();

    println!("cargo:rerun-if-changed={}", root.join("wit").display());
    println!(
        "cargo:rerun-if-changed={}",
        root.join("Cargo.lock").display()
    );
    // The guest and filter profiles live in the root manifest.
    println!(
        "cargo:rerun-if-changed={}",
        root.join("Cargo.toml").display()
    );
    println!("cargo:rerun-if-changed=build.rs");
}

/// The Rust flags of the guest builds (nothing from the host's).
///
/// Components (run by wasmtime, which compiles Wasm SIMD to native vector
/// code) get `simd128`: memchr, aho-corasick and hashbrown then take their
/// 16-byte paths instead of scalar loops.
fn guest_rustflags(target: &str) -> &'static str {
    if target == TARGET {
        "-Ctarget-feature=+simd128"
    } else {
        ""
    }
}

/// One nested `cargo build` of `packages` for `target` with `profile`.
fn nested_build(
    root: &Path,
    target_dir: &Path,
    target: &str,
    profile: &str,
    packages: &[&str],
    features: Option<&str>,
) {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root)
        .arg("build")
        .arg("--locked")
        .arg("--target")
        .arg(target)
        .arg("--profile")
        .arg(profile)
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_ENCODED_RUSTFLAGS", guest_rustflags(target))
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .env_remove("CARGO_BUILD_TARGET")
        .env_remove("CARGO_PRIMARY_PACKAGE");
    for package in packages {
        cmd.arg("-p").arg(package);
    }
    if let Some(f) = features {
        cmd.arg("--features").arg(f);
    }
    let status = cmd
        .status()
        .expect("failed to run the nested cargo build of the guests");
    if !status.success() {
        panic!(
            "building the Wasm guests for {target} failed (see above). If the error says the \
             target may not be installed, run: rustup target add wasm32-wasip2 wasm32-wasip1"
        );
    }
}

/// Emit `rerun-if-changed` for every source file the nested build read.
fn rerun_from_dep_info(dep_file: &Path) {
    let Ok(text) = std::fs::read_to_string(dep_file) else {
        return;
    };
    for line in text.lines() {
        let Some((_, deps)) = line.split_once(": ") else {
            continue;
        };
        for dep in deps.split_whitespace() {
            // Sources outside the workspace (registry crates, std) never change.
            if !dep.contains("/.cargo/registry/") && !dep.contains("/rustlib/") {
                println!("cargo:rerun-if-changed={dep}");
            }
        }
    }
}
