//! The contract is language-neutral: a policy written in Python with
//! componentize-py (built by `scripts/build-python-policy.sh`, which the test
//! script runs first) loads in the same host and decides the same way.

use crate::support::*;

const PY_POLICY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../target/python-policy/py_keywords.wasm"
);

#[test]
fn python_policy_loads_denies_allows_and_rejects_bad_config() {
    if !std::path::Path::new(PY_POLICY).exists() {
        // `scripts/test.sh` (the README's test command) always builds it and sets this.
        assert!(
            std::env::var_os("WARDEN_REQUIRE_PYTHON_POLICY").is_none(),
            "{PY_POLICY} is missing: run scripts/build-python-policy.sh"
        );
        eprintln!("skipping: {PY_POLICY} not built (run scripts/build-python-policy.sh)");
        return;
    }
    let toml = format!(
        "[policies.py]\nsource = {PY_POLICY:?}\nconfig = {{ keywords = [\"secret\"] }}\n[tenants.t.chain]\nrequest = [\"py\"]\n"
    );
    let w = warden(&toml);
    let deny = request(&w, "t", "tell me the SÉCRET secret");
    assert_eq!(deny.action, "deny");
    assert_eq!(deny.decided_by.as_deref(), Some("py"));
    let span = deny.findings[0].finding.span.expect("span");
    // Byte offsets past a two-byte `É`: the Python side converted code points to bytes.
    assert_eq!((span.start, span.end), (20, 26));
    assert_eq!(request(&w, "t", "hello").action, "allow");

    let bad = start_error(&format!(
        "[policies.py]\nsource = {PY_POLICY:?}\nconfig = {{ keywords = [1] }}\n[tenants.t.chain]\nrequest = [\"py\"]\n"
    ));
    assert!(bad.to_string().contains("config key `keywords`"), "{bad}");
}
