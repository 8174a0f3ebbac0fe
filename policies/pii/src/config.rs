//! Tenant configuration: parsed strictly, so a typo fails `configure` with the
//! dotted key to fix instead of silently weakening protection.

use std::collections::BTreeMap;

use serde::Deserialize;
use warden_sdk::{ConfigError, Role, parse_config};

use crate::entity::{Entity, EntitySet};
use crate::modes::Mode;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    modes: BTreeMap<String, String>,
    #[serde(default)]
    entities: Option<Vec<String>>,
    #[serde(default)]
    hash_salt: String,
    #[serde(default)]
    roles: Option<Vec<Role>>,
    #[serde(default)]
    allow_list: Vec<String>,
}

/// Validated configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Mode per family, indexed by `Entity as usize`.
    pub modes: [Mode; 7],
    /// Families scanned.
    pub enabled: EntitySet,
    /// Prefix of the hash salt (the tenant is appended per call).
    pub hash_salt: String,
    /// Roles scanned in both phases; `None` = all in request, assistant in response.
    pub roles: Option<Vec<Role>>,
    /// Literal values never flagged, compared loosely (case, spaces, dashes).
    pub allow_list: Vec<String>,
}

/// The defaults documented at the top of `lib.rs`.
pub fn default_mode(e: Entity) -> Mode {
    match e {
        Entity::Email | Entity::Phone | Entity::CreditCard => Mode::Pseudonymise,
        Entity::Ssn | Entity::Iban | Entity::Ip | Entity::Secret => Mode::Redact,
    }
}

/// Loose comparison key for the allow list.
pub fn allow_key(value: &str) -> String {
    value
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '+'))
        .flat_map(char::to_lowercase)
        .collect()
}

impl Settings {
    /// Parse and validate `json`.
    pub fn parse(json: &str) -> Result<Self, ConfigError> {
        let raw: Raw = parse_config(json)?;
        let mut modes = Entity::ALL.map(default_mode);
        for (name, mode) in &raw.modes {
            let key = format!("modes.{name}");
            let Some(e) = Entity::from_name(name) else {
                return Err(ConfigError::at(
                    key,
                    format!("unknown entity {name:?} (expected one of {})", names()),
                ));
            };
            let Some(m) = Mode::parse(mode) else {
                return Err(ConfigError::at(
                    key,
                    format!(
                        "unknown mode {mode:?} (expected redact, mask, hash, pseudonymise or block)"
                    ),
                ));
            };
            modes[e as usize] = m;
        }
        let enabled = match &raw.entities {
            None => EntitySet::all(),
            Some(list) => {
                let mut set = EntitySet::empty();
                for (i, name) in list.iter().enumerate() {
                    let e = Entity::from_name(name).ok_or_else(|| {
                        ConfigError::at(
                            format!("entities[{i}]"),
                            format!("unknown entity {name:?} (expected one of {})", names()),
                        )
                    })?;
                    set.insert(e);
                }
                set
            }
        };
        if let Some(i) = raw.allow_list.iter().position(|v| v.trim().is_empty()) {
            return Err(ConfigError::at(
                format!("allow_list[{i}]"),
                "an allow-listed value must not be empty",
            ));
        }
        Ok(Settings {
            modes,
            enabled,
            hash_salt: raw.hash_salt,
            roles: raw.roles,
            allow_list: raw.allow_list.iter().map(|v| allow_key(v)).collect(),
        })
    }

    /// Mode of family `e`.
    pub fn mode(&self, e: Entity) -> Mode {
        self.modes[e as usize]
    }

    /// Whether `value` is allow-listed.
    pub fn allowed(&self, value: &str) -> bool {
        !self.allow_list.is_empty() && self.allow_list.contains(&allow_key(value))
    }
}

fn names() -> String {
    Entity::ALL.map(Entity::name).join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let s = Settings::parse("").unwrap();
        assert_eq!(s.mode(Entity::Email), Mode::Pseudonymise);
        assert_eq!(s.mode(Entity::Ssn), Mode::Redact);
        let s = Settings::parse(
            r#"{"modes":{"email":"hash","secret":"block"},"entities":["email","secret"]}"#,
        )
        .unwrap();
        assert_eq!(s.mode(Entity::Email), Mode::Hash);
        assert_eq!(s.mode(Entity::Secret), Mode::Block);
        assert!(s.enabled.contains(Entity::Email) && !s.enabled.contains(Entity::Phone));
    }

    #[test]
    fn errors_name_the_key() {
        let key = |j: &str| Settings::parse(j).unwrap_err().key;
        assert_eq!(
            key(r#"{"modes":{"email":"blur"}}"#).as_deref(),
            Some("modes.email")
        );
        assert_eq!(
            key(r#"{"modes":{"passport":"redact"}}"#).as_deref(),
            Some("modes.passport")
        );
        assert_eq!(
            key(r#"{"entities":["email","dna"]}"#).as_deref(),
            Some("entities[1]")
        );
        assert_eq!(
            key(r#"{"roles":["user","robot"]}"#).as_deref(),
            Some("roles[1]")
        );
        assert_eq!(
            key(r#"{"allow_list":[" "]}"#).as_deref(),
            Some("allow_list[0]")
        );
        assert!(
            Settings::parse(r#"{"mode":{}}"#)
                .unwrap_err()
                .message
                .contains("mode")
        );
    }

    #[test]
    fn allow_list_is_loose() {
        let s =
            Settings::parse(r#"{"allow_list":["Support@Example.com","+1 800 555 0199"]}"#).unwrap();
        assert!(s.allowed("support@example.com"));
        assert!(s.allowed("1-800-555-0199"));
        assert!(!s.allowed("sales@example.com"));
    }
}
