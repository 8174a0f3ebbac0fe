//! What happens to a detected value: the per-entity [`Mode`] and the
//! replacement text of the non-reversible modes.

use sha2::{Digest, Sha256};

use crate::entity::Entity;

/// Treatment of one entity family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Replace with `[EMAIL]`: the model knows *that* there was a value.
    Redact,
    /// Keep the last four characters: enough for a human to recognise a card.
    Mask,
    /// `<EMAIL:3f9a1c2b>`: stable per tenant, so the model can tell values apart
    /// and analytics can join on them, without the value.
    Hash,
    /// `<EMAIL_1>` in the request, restored in the response from the state blob.
    Pseudonymise,
    /// Refuse the call (`pii_blocked`).
    Block,
}

impl Mode {
    /// Config spelling; both British and American spellings of pseudonymise.
    pub fn parse(s: &str) -> Option<Mode> {
        Some(match s {
            "redact" => Mode::Redact,
            "mask" => Mode::Mask,
            "hash" => Mode::Hash,
            "pseudonymise" | "pseudonymize" => Mode::Pseudonymise,
            "block" => Mode::Block,
            _ => return None,
        })
    }

    /// Config spelling.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Redact => "redact",
            Mode::Mask => "mask",
            Mode::Hash => "hash",
            Mode::Pseudonymise => "pseudonymise",
            Mode::Block => "block",
        }
    }
}

/// `[LABEL]`.
pub fn redact(kind: Entity) -> String {
    format!("[{}]", kind.label())
}

/// Replace every letter and digit but the last four with `*`, keeping
/// separators so the shape stays readable: `**** **** **** 1111`.
pub fn mask(value: &str) -> String {
    let keep_from = value
        .char_indices()
        .rev()
        .filter(|(_, c)| c.is_alphanumeric())
        .nth(3)
        .map_or(0, |(i, _)| i);
    value
        .char_indices()
        .map(|(i, c)| {
            if i < keep_from && c.is_alphanumeric() {
                '*'
            } else {
                c
            }
        })
        .collect()
}

/// `<LABEL:8 hex>`: the first 32 bits of SHA-256 over salt, tenant, family and the
/// normalised value. Enough to tell a handful of values apart in one prompt;
/// short enough not to crowd the model's context.
pub fn hash_token(kind: Entity, normalised: &str, salt: &str, tenant: &str) -> String {
    let mut h = Sha256::new();
    for part in [salt, tenant, kind.name(), normalised] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    let d = h.finalize();
    format!(
        "<{}:{:02x}{:02x}{:02x}{:02x}>",
        kind.label(),
        d[0],
        d[1],
        d[2],
        d[3]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_keeps_last_four_and_layout() {
        assert_eq!(mask("4111 1111 1111 1234"), "**** **** **** 1234");
        assert_eq!(mask("bob@example.com"), "***@******e.com");
        assert_eq!(mask("abc"), "abc");
        assert_eq!(mask("ééééé1"), "**ééé1");
    }

    #[test]
    fn hash_is_stable_per_tenant_and_salt() {
        let a = hash_token(Entity::Email, "bob@x.io", "", "acme");
        assert_eq!(a, hash_token(Entity::Email, "bob@x.io", "", "acme"));
        assert_ne!(a, hash_token(Entity::Email, "bob@x.io", "", "globex"));
        assert_ne!(a, hash_token(Entity::Email, "bob@x.io", "pepper", "acme"));
        assert!(
            a.starts_with("<EMAIL:") && a.len() == "<EMAIL:>".len() + 8,
            "{a}"
        );
    }

    #[test]
    fn modes_parse() {
        for m in [
            Mode::Redact,
            Mode::Mask,
            Mode::Hash,
            Mode::Pseudonymise,
            Mode::Block,
        ] {
            assert_eq!(Mode::parse(m.name()), Some(m));
        }
        assert_eq!(Mode::parse("pseudonymize"), Some(Mode::Pseudonymise));
        assert_eq!(Mode::parse("blur"), None);
    }
}
