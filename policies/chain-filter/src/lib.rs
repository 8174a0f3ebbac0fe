//! The chain filter: Warden's four built-in policies in one proxy-wasm module.
//!
//! Envoy runs it as one `envoy.filters.http.wasm` entry whose plugin
//! configuration lists the policies to run, in order, each with the same JSON
//! config as in `warden.toml`:
//!
//! ```json
//! {"policies": [{"policy": "injection", "config": {"threshold": 0.5}},
//!               {"policy": "pii"}, {"policy": "router", "config": {"tiers": []}},
//!               {"policy": "risk"}]}
//! ```
//!
//! Compared with one filter per policy, a request crosses into the VM once per
//! callback instead of once per callback per policy, its body is buffered and
//! parsed once, and a rewritten body is serialised once. Decisions, refusals
//! and counters (`warden_<policy>_<action>`) are the same; the policies run in
//! the listed order in every phase, as in a `warden serve` chain.
//!
//! Build: `cargo build --target wasm32-wasip1 --profile filter -p warden-chain-filter`
//! (`cargo build` at the root does it through `warden-artifacts`).

#[cfg(target_arch = "wasm32")]
warden_sdk::__private::proxy_wasm::main! {{
    warden_sdk::proxy_wasm::start_chain(builtins);
}}

/// The policies this module can run, by name.
pub fn builtins() -> Vec<warden_sdk::proxy_wasm::Builtin> {
    use warden_sdk::proxy_wasm::builtin;
    vec![
        builtin::<warden_policy_injection::Injection>(),
        builtin::<warden_policy_pii::Pii>(),
        builtin::<warden_policy_router::Router>(),
        builtin::<warden_policy_risk::RiskPolicy>(),
    ]
}

#[cfg(test)]
mod tests {
    use warden_sdk::proxy_wasm::stages::chain;

    #[test]
    fn the_example_chain_configures_and_names_a_bad_policy_config() {
        let s = chain(
            r#"{"policies":[{"policy":"injection","config":{"threshold":0.5}},{"policy":"pii"},{"policy":"router"},{"policy":"risk"}]}"#,
            &super::builtins(),
        )
        .unwrap();
        let names: Vec<&str> = s.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["injection", "pii", "router", "risk"]);
        let e = chain(
            r#"{"policies":[{"policy":"pii","config":{"modes":{"email":"blur"}}}]}"#,
            &super::builtins(),
        )
        .unwrap_err();
        assert!(e.contains("modes.email"), "{e}");
    }
}
