//! Typed configuration parsing whose errors name the offending key.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Why a configuration was refused: the dotted key to blame (when there is one)
/// and a message in the policy's words. Mirrors `config-error` in the WIT.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigError {
    /// Dotted path to the offending key, e.g. `modes.email`.
    pub key: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl ConfigError {
    /// An error about a specific key.
    pub fn at(key: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            key: Some(key.into()),
            message: message.into(),
        }
    }
    /// An error about the configuration as a whole.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            key: None,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.key {
            Some(k) => write!(f, "config key `{k}`: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Deserialize a JSON configuration into `T`. An empty string means `{}`.
///
/// Errors carry the dotted path of the key that failed (`modes.email`), so the
/// operator sees which line of `warden.toml` to fix. Put
/// `#[serde(deny_unknown_fields)]` on `T` to reject typos.
pub fn parse_config<T: DeserializeOwned>(json: &str) -> Result<T, ConfigError> {
    let json = if json.trim().is_empty() { "{}" } else { json };
    let de = &mut serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let key = (path != "." && !path.is_empty()).then_some(path);
        // serde's messages end with "at line 1 column 12": useless for a one-line JSON.
        let msg = inner.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        ConfigError { key, message: msg }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code, reason = "fields exist to be parsed")]
    struct Cfg {
        #[serde(default)]
        threshold: f32,
        #[serde(default)]
        modes: std::collections::BTreeMap<String, Mode>,
    }
    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Mode {
        Redact,
    }

    #[test]
    fn names_the_nested_key() {
        let e = parse_config::<Cfg>(r#"{"modes":{"email":"blur"}}"#).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("modes.email"));
        assert!(e.message.contains("blur"), "{e}");
    }

    #[test]
    fn rejects_unknown_fields_and_accepts_empty() {
        let e = parse_config::<Cfg>(r#"{"treshold":1}"#).unwrap_err();
        assert!(e.message.contains("treshold"), "{e}");
        assert!(parse_config::<Cfg>("").is_ok());
    }
}
