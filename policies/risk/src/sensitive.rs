//! Does a tool call's arguments touch secrets or personal data?
//!
//! Two signals, both word-aware so `monkey` is not a `key` and `max_tokens` is not
//! a `token`:
//! * **keys**: an object key whose words name a credential or personal datum
//!   (`password`, `apiKey`, `card_number`, `ssn`) with a non-empty value;
//! * **values**: string values that mention such data in prose ("the password
//!   is ...") or look like one (AWS/GitHub/Slack/OpenAI-style keys, JWTs, PEM
//!   private keys, US SSNs, Luhn-valid card numbers).
//!
//! Hits carry a span into the arguments (exact when the string had no escapes,
//! the whole string otherwise) and a description that never repeats the value.

use regex::Regex;

use crate::json::{Key, Kind, Node};
use crate::names::words;

/// One place where the arguments touch sensitive data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Byte range in the arguments text.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// What it is, e.g. "credential field `$.password`".
    pub what: String,
}

/// Key words naming a credential or personal datum.
const SENSITIVE_KEY_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "secret",
    "secrets",
    "token",
    "tokens",
    "apikey",
    "key",
    "keys",
    "credential",
    "credentials",
    "auth",
    "authorization",
    "bearer",
    "cookie",
    "otp",
    "ssn",
    "card",
    "cardnumber",
    "ccnumber",
    "cvv",
    "cvc",
    "iban",
    "dob",
    "birthdate",
    "birthday",
    "passport",
    "privatekey",
    "accesskey",
    "secretkey",
    "clientsecret",
];
/// Words that make a sensitive-looking key harmless (`max_tokens`, `page_token`,
/// `public_key`, `sort_key`, `card_title`).
const BENIGN_QUALIFIERS: &[&str] = &[
    "max",
    "min",
    "count",
    "limit",
    "num",
    "total",
    "usage",
    "length",
    "sort",
    "primary",
    "partition",
    "foreign",
    "idempotency",
    "cache",
    "public",
    "type",
    "id",
    "page",
    "next",
    "continuation",
    "cursor",
    "title",
    "name",
    "color",
    "list",
    "board",
    "expires",
    "expiry",
    "ttl",
    "format",
    "hint",
    "policy",
    "prompt",
    "completion",
    "input",
    "output",
];

/// The compiled value detectors; built once per configuration.
#[derive(Debug, Clone)]
pub struct Detector {
    /// Prose mentions and secret formats.
    words: Regex,
    /// Candidate card numbers (Luhn-checked after matching).
    card: Regex,
}

impl Default for Detector {
    fn default() -> Self {
        Self::new()
    }
}

impl Detector {
    /// Compile the detectors.
    pub fn new() -> Self {
        // ASCII word boundaries `(?-u:\b)` keep the DFA fast on any input.
        let words = Regex::new(concat!(
            r"(?i:(?-u:\b)(?:password|passwd|passphrase|secret[ _-]?key|client[ _-]?secret|api[ _-]?key",
            r"|private[ _-]?key|access[ _-]?token|auth[ _-]?token|refresh[ _-]?token|bearer [a-z0-9._~+/-]{8,}",
            r"|ssn|social security number|credit card|card number|cvv|cvc)(?-u:\b))",
            r"|(?-u:\b)AKIA[0-9A-Z]{16}(?-u:\b)",
            r"|(?-u:\b)gh[pousr]_[A-Za-z0-9]{30,}",
            r"|(?-u:\b)xox[abposr]-[A-Za-z0-9-]{10,}",
            r"|(?-u:\b)(?:sk|rk)[-_](?:live_|test_|proj-|ant-)?[A-Za-z0-9_-]{20,}",
            r"|-----BEGIN [A-Z ]*PRIVATE KEY-----",
            r"|(?-u:\b)eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",
            r"|(?-u:\b)[0-9]{3}-[0-9]{2}-[0-9]{4}(?-u:\b)",
        ))
        .expect("built-in pattern compiles");
        let card = Regex::new(r"(?-u:\b)[0-9](?:[ -]?[0-9]){12,18}(?-u:\b)")
            .expect("built-in pattern compiles");
        Self { words, card }
    }

    /// Scan a parsed argument tree.
    pub fn scan(&self, root: &Node<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut path = String::from("$");
        self.walk(root, &mut path, &mut hits);
        hits
    }

    /// Scan raw (unparseable) argument text: only value detectors apply.
    pub fn scan_raw(&self, text: &str) -> Vec<Hit> {
        let mut hits = Vec::new();
        self.scan_text(text, Some(0), "arguments", &mut hits);
        hits
    }

    fn walk(&self, node: &Node<'_>, path: &mut String, hits: &mut Vec<Hit>) {
        match &node.kind {
            Kind::Object(members) => {
                for (key, value) in members {
                    let len = path.len();
                    push_key(path, key);
                    if is_sensitive_key(&key.name) && !value.is_empty() {
                        let (start, end) = value.value_span();
                        hits.push(Hit {
                            start,
                            end,
                            what: format!("credential or personal-data field `{path}`"),
                        });
                    } else {
                        self.walk(value, path, hits);
                    }
                    path.truncate(len);
                }
            }
            Kind::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    self.walk(item, path, hits);
                    path.truncate(len);
                }
            }
            Kind::Str(s) => {
                // Exact offsets only when the source had no escapes (same bytes).
                let exact = (s.len() == node.end - node.start - 2).then_some(node.start + 1);
                let before = hits.len();
                self.scan_text(s, exact, path, hits);
                if exact.is_none() {
                    for h in &mut hits[before..] {
                        (h.start, h.end) = node.value_span();
                    }
                }
            }
            _ => {}
        }
    }

    fn scan_text(&self, s: &str, offset: Option<usize>, path: &str, hits: &mut Vec<Hit>) {
        let base = offset.unwrap_or(0);
        for m in self.words.find_iter(s) {
            hits.push(Hit {
                start: base + m.start(),
                end: base + m.end(),
                what: format!("`{path}` mentions or contains a secret"),
            });
        }
        // Card numbers need 13+ digits: skip the second regex for ordinary text.
        if s.bytes().filter(u8::is_ascii_digit).count() < 13 {
            return;
        }
        for m in self.card.find_iter(s) {
            if luhn(m.as_str()) {
                hits.push(Hit {
                    start: base + m.start(),
                    end: base + m.end(),
                    what: format!("`{path}` contains a card number"),
                });
            }
        }
    }
}

fn push_key(path: &mut String, key: &Key<'_>) {
    if !key.name.is_empty()
        && key
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        path.push('.');
        path.push_str(&key.name);
    } else {
        path.push_str(&format!("[{:?}]", key.name.as_ref()));
    }
}

/// Whether a JSON key names a credential or personal datum.
pub fn is_sensitive_key(key: &str) -> bool {
    // Cheap prefilter: most keys (`to`, `path`, `query`) share no stem with the list,
    // and splitting into words allocates.
    const STEMS: &[&[u8]] = &[
        b"pass",
        b"pwd",
        b"secret",
        b"token",
        b"key",
        b"cred",
        b"auth",
        b"bearer",
        b"cookie",
        b"otp",
        b"ssn",
        b"card",
        b"ccnumber",
        b"cvv",
        b"cvc",
        b"iban",
        b"dob",
        b"birth",
        b"social",
    ];
    let k = key.as_bytes();
    if !STEMS
        .iter()
        .any(|stem| k.windows(stem.len()).any(|w| w.eq_ignore_ascii_case(stem)))
    {
        return false;
    }
    let w = words(key);
    let hit = w.iter().any(|x| SENSITIVE_KEY_WORDS.contains(&x.as_str()))
        || w.windows(2).any(|p| {
            matches!(
                (p[0].as_str(), p[1].as_str()),
                ("social", "security") | ("credit", "card") | ("of", "birth")
            )
        });
    hit && !w.iter().any(|x| BENIGN_QUALIFIERS.contains(&x.as_str()))
}

/// Luhn checksum over the digits of `s` (separators ignored).
fn luhn(s: &str) -> bool {
    let digits: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
    if !(13..=19).contains(&digits.len()) {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn scan(src: &str) -> Vec<Hit> {
        Detector::new().scan(&parse(src).unwrap())
    }

    #[test]
    fn sensitive_keys_are_word_aware() {
        for k in [
            "password",
            "api_key",
            "apiKey",
            "X-Api-Key",
            "client_secret",
            "ssn",
            "card_number",
            "creditCard",
            "token",
            "Authorization",
            "date_of_birth",
        ] {
            assert!(is_sensitive_key(k), "{k}");
        }
        for k in [
            "monkey",
            "keyword",
            "max_tokens",
            "page_token",
            "public_key",
            "sort_key",
            "card_title",
            "author",
            "tokenizer",
            "turkey",
        ] {
            assert!(!is_sensitive_key(k), "{k}");
        }
    }

    #[test]
    fn key_hits_point_at_the_value() {
        let src = r#"{"user":"bob","password":"hunter2","empty_token":""}"#;
        let hits = scan(src);
        assert_eq!(hits.len(), 1);
        assert_eq!(&src[hits[0].start..hits[0].end], "hunter2");
        assert!(hits[0].what.contains("$.password") && !hits[0].what.contains("hunter2"));
    }

    #[test]
    fn values_are_scanned_for_prose_and_formats() {
        let src = r#"{"body":"Hi, the password is below","n":[{"t":"AKIAABCDEFGHIJKLMNOP"}],"c":"4111 1111 1111 1111","d":"order 1234567890123"}"#;
        let hits = scan(src);
        let texts: Vec<&str> = hits.iter().map(|h| &src[h.start..h.end]).collect();
        assert_eq!(
            texts,
            ["password", "AKIAABCDEFGHIJKLMNOP", "4111 1111 1111 1111"]
        );
        assert!(hits[1].what.contains("$.n[0].t"));
        assert!(scan(r#"{"text":"a monkey ate the keyboard","x":"tokens: 5"}"#).is_empty());
    }

    #[test]
    fn escaped_strings_point_at_the_whole_value_and_raw_text_is_scanned() {
        let src = r#"{"body":"line\nssn: 123-45-6789"}"#;
        let hits = scan(src);
        assert!(!hits.is_empty());
        assert_eq!(&src[hits[0].start..hits[0].end], r"line\nssn: 123-45-6789");
        let raw = r#"{"body": "my api key is sk-abcdefghijklmnopqrstuvwx"#;
        assert_eq!(Detector::new().scan_raw(raw).len(), 2);
    }
}
