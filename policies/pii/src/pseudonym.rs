//! Reversible pseudonyms: `<EMAIL_1>` placeholders in the request, and the
//! mapping that restores them in the response.
//!
//! The mapping travels in the verdict's state blob, which the host hands back as
//! `input.state` in the response phase of the same request and never shows the
//! model or the client. Format (JSON, compact, versioned):
//!
//! ```json
//! {"v":1,"map":{"EMAIL_1":"bob@example.com","CREDIT_CARD_1":"4111 1111 1111 1111"}}
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::entity::{Entity, normalise};

/// Placeholders handed out while evaluating one request.
#[derive(Debug, Default)]
pub struct Vault {
    /// (family, normalised value, placeholder name, original text)
    entries: Vec<(Entity, String, String, String)>,
}

impl Vault {
    /// The placeholder for `original`: the same (normalised) value always gets the
    /// same placeholder within a request; numbering is per family from 1.
    pub fn placeholder(&mut self, kind: Entity, original: &str) -> String {
        let key = normalise(kind, original);
        if let Some(e) = self.entries.iter().find(|e| e.0 == kind && e.1 == key) {
            return format!("<{}>", e.2);
        }
        let n = self.entries.iter().filter(|e| e.0 == kind).count() + 1;
        let name = format!("{}_{n}", kind.label());
        let out = format!("<{name}>");
        self.entries.push((kind, key, name, original.to_string()));
        out
    }

    /// Whether any placeholder was handed out.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The state blob.
    pub fn to_state(&self) -> Vec<u8> {
        let map = self
            .entries
            .iter()
            .map(|e| (e.2.clone(), e.3.clone()))
            .collect();
        serde_json::to_vec(&State { v: 1, map }).unwrap_or_default()
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct State {
    v: u32,
    map: BTreeMap<String, String>,
}

/// The mapping restored from a state blob.
#[derive(Debug, Default)]
pub struct Restorer {
    map: BTreeMap<String, String>,
    /// Normalised originals, to recognise values the model repeats verbatim.
    known: Vec<(Entity, String)>,
}

impl Restorer {
    /// Parse a state blob written by [`Vault::to_state`].
    pub fn from_state(bytes: &[u8]) -> Result<Self, String> {
        let state: State =
            serde_json::from_slice(bytes).map_err(|e| format!("pii state blob unreadable: {e}"))?;
        if state.v != 1 {
            return Err(format!("pii state blob version {} not supported", state.v));
        }
        let known = state
            .map
            .iter()
            .filter_map(|(name, value)| {
                let label = name.rsplit_once('_')?.0;
                let kind = Entity::from_label(label)?;
                Some((kind, normalise(kind, value)))
            })
            .collect();
        Ok(Self {
            map: state.map,
            known,
        })
    }

    /// Whether `value` of `kind` is one the user sent in the request.
    pub fn knows(&self, kind: Entity, value: &str) -> bool {
        !self.known.is_empty() && {
            let key = normalise(kind, value);
            self.known.iter().any(|(k, v)| *k == kind && *v == key)
        }
    }

    /// `(start, end, original)` for every known `<NAME_N>` placeholder in `text`.
    pub fn find<'a>(&'a self, text: &str) -> Vec<(usize, usize, &'a str)> {
        let mut out = Vec::new();
        if self.map.is_empty() {
            return out;
        }
        let b = text.as_bytes();
        for open in memchr::memchr_iter(b'<', b) {
            let Some(len) = b[open + 1..].iter().take(24).position(|&c| c == b'>') else {
                continue;
            };
            let name = &text[open + 1..open + 1 + len];
            if let Some(original) = self.map.get(name) {
                out.push((open, open + len + 2, original.as_str()));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_value_same_placeholder_and_round_trip() {
        let mut v = Vault::default();
        assert_eq!(v.placeholder(Entity::Email, "bob@x.io"), "<EMAIL_1>");
        assert_eq!(v.placeholder(Entity::Email, "amy@x.io"), "<EMAIL_2>");
        assert_eq!(v.placeholder(Entity::Email, "BOB@x.io"), "<EMAIL_1>");
        assert_eq!(
            v.placeholder(Entity::CreditCard, "4111 1111 1111 1111"),
            "<CREDIT_CARD_1>"
        );
        assert_eq!(
            v.placeholder(Entity::CreditCard, "4111-1111-1111-1111"),
            "<CREDIT_CARD_1>"
        );
        let state = v.to_state();
        let r = Restorer::from_state(&state).unwrap();
        let text = "Mail <EMAIL_2> and charge <CREDIT_CARD_1>; <EMAIL_9> is unknown, <b>.";
        let found: Vec<_> = r
            .find(text)
            .into_iter()
            .map(|(s, e, o)| (&text[s..e], o))
            .collect();
        assert_eq!(
            found,
            [
                ("<EMAIL_2>", "amy@x.io"),
                ("<CREDIT_CARD_1>", "4111 1111 1111 1111")
            ]
        );
        assert!(r.knows(Entity::CreditCard, "4111111111111111"));
        assert!(!r.knows(Entity::Email, "eve@x.io"));
    }

    #[test]
    fn state_blob_is_compact_json() {
        let mut v = Vault::default();
        v.placeholder(Entity::Email, "bob@x.io");
        assert_eq!(
            String::from_utf8(v.to_state()).unwrap(),
            r#"{"v":1,"map":{"EMAIL_1":"bob@x.io"}}"#
        );
        assert!(Restorer::from_state(b"garbage").is_err());
        assert!(Restorer::from_state(br#"{"v":2,"map":{}}"#).is_err());
    }
}
