//! Built-in policies, embedded in the binary from `warden-artifacts` so one
//! `warden` binary runs anywhere: `builtin:injection`, `builtin:pii`,
//! `builtin:risk`, `builtin:router`.

/// The component bytes of built-in policy `name`.
pub fn bytes(name: &str) -> Option<&'static [u8]> {
    warden_artifacts::BUILTINS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, b)| *b)
}

/// Whether `builtin:<name>` exists.
pub fn exists(name: &str) -> bool {
    bytes(name).is_some()
}

/// Names of all built-in policies.
pub fn names() -> Vec<&'static str> {
    warden_artifacts::BUILTINS.iter().map(|(n, _)| *n).collect()
}
