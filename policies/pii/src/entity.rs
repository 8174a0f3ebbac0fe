//! The entity families the detector knows, and small per-family facts
//! (config name, placeholder label, severity, value normalisation).

use warden_sdk::Severity;

/// One family of personal data or secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entity {
    /// E-mail address.
    Email,
    /// Telephone number (North American or international `+` form).
    Phone,
    /// Payment card number (Luhn- and IIN-checked).
    CreditCard,
    /// US social security number.
    Ssn,
    /// International bank account number (mod-97 checked).
    Iban,
    /// IPv4 or IPv6 address.
    Ip,
    /// API key, token, private key or assigned password.
    Secret,
}

impl Entity {
    /// Every family, in config order.
    pub const ALL: [Entity; 7] = [
        Entity::Email,
        Entity::Phone,
        Entity::CreditCard,
        Entity::Ssn,
        Entity::Iban,
        Entity::Ip,
        Entity::Secret,
    ];

    /// Config and eval spelling: `email`, `credit_card`, ...
    pub fn name(self) -> &'static str {
        match self {
            Entity::Email => "email",
            Entity::Phone => "phone",
            Entity::CreditCard => "credit_card",
            Entity::Ssn => "ssn",
            Entity::Iban => "iban",
            Entity::Ip => "ip",
            Entity::Secret => "secret",
        }
    }

    /// Upper-case label used in replacements: `[EMAIL]`, `<CREDIT_CARD_1>`.
    pub fn label(self) -> &'static str {
        match self {
            Entity::Email => "EMAIL",
            Entity::Phone => "PHONE",
            Entity::CreditCard => "CREDIT_CARD",
            Entity::Ssn => "SSN",
            Entity::Iban => "IBAN",
            Entity::Ip => "IP",
            Entity::Secret => "SECRET",
        }
    }

    /// Finding rule id, `pii.<name>`.
    pub fn rule(self) -> &'static str {
        match self {
            Entity::Email => "pii.email",
            Entity::Phone => "pii.phone",
            Entity::CreditCard => "pii.credit_card",
            Entity::Ssn => "pii.ssn",
            Entity::Iban => "pii.iban",
            Entity::Ip => "pii.ip",
            Entity::Secret => "pii.secret",
        }
    }

    /// Parse a config name.
    pub fn from_name(name: &str) -> Option<Entity> {
        Entity::ALL.into_iter().find(|e| e.name() == name)
    }

    /// Parse a placeholder label (`CREDIT_CARD`).
    pub fn from_label(label: &str) -> Option<Entity> {
        Entity::ALL.into_iter().find(|e| e.label() == label)
    }

    /// Severity of a finding: what damage a leak does.
    pub fn severity(self) -> Severity {
        match self {
            Entity::Secret => Severity::Critical,
            Entity::CreditCard | Entity::Ssn | Entity::Iban => Severity::High,
            Entity::Email | Entity::Phone => Severity::Medium,
            Entity::Ip => Severity::Low,
        }
    }

    /// Tie-break when two detections of equal length overlap: the more specific
    /// (checksummed, rarer) family wins.
    pub fn specificity(self) -> u8 {
        match self {
            Entity::Secret => 7,
            Entity::CreditCard => 6,
            Entity::Iban => 5,
            Entity::Ssn => 4,
            Entity::Email => 3,
            Entity::Ip => 2,
            Entity::Phone => 1,
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of families as a bit mask: `Copy`, no allocation on the hot path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntitySet(u8);

impl EntitySet {
    /// Every family.
    pub const fn all() -> Self {
        EntitySet(0x7f)
    }
    /// No family.
    pub const fn empty() -> Self {
        EntitySet(0)
    }
    /// Add `e`.
    pub fn insert(&mut self, e: Entity) {
        self.0 |= e.bit();
    }
    /// Whether `e` is in the set.
    pub fn contains(self, e: Entity) -> bool {
        self.0 & e.bit() != 0
    }
    /// Whether any of `es` is in the set.
    pub fn any(self, es: &[Entity]) -> bool {
        es.iter().any(|e| self.contains(*e))
    }
}

/// Canonical form of a matched value, so that `4111-1111-...` and `4111 1111 ...`
/// (or `Bob@X.io` and `bob@x.io`) hash, pseudonymise and allow-list alike.
pub fn normalise(kind: Entity, value: &str) -> String {
    match kind {
        Entity::Email | Entity::Ip => value.to_ascii_lowercase(),
        Entity::Phone | Entity::CreditCard | Entity::Ssn | Entity::Iban => {
            let mut s: String = value
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect();
            s.make_ascii_uppercase();
            if kind == Entity::Phone && value.trim_start().starts_with('+') {
                s.insert(0, '+');
            }
            s
        }
        Entity::Secret => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_labels_round_trip() {
        for e in Entity::ALL {
            assert_eq!(Entity::from_name(e.name()), Some(e));
            assert_eq!(Entity::from_label(e.label()), Some(e));
            assert!(EntitySet::all().contains(e));
            assert!(!EntitySet::empty().contains(e));
        }
    }

    #[test]
    fn normalisation_ignores_layout() {
        assert_eq!(
            normalise(Entity::CreditCard, "4111-1111 1111 1111"),
            "4111111111111111"
        );
        assert_eq!(normalise(Entity::Email, "Bob@X.io"), "bob@x.io");
        assert_eq!(
            normalise(Entity::Phone, "+1 (415) 555-0132"),
            "+14155550132"
        );
    }
}
