//! Secrets: vendor API keys with recognisable prefixes, JWTs, PEM private keys,
//! and values assigned to secret-sounding names (`password=...`, `api_key: ...`).
//!
//! Prefixed keys go through one regex whose literal prefixes let the regex engine
//! skip straight to candidates. JWTs must have a header that decodes to JSON with
//! an `alg`, so any `eyJ...` dotted string is not enough. Assignments are checked
//! by hand at each `=`/`:` and only the *value* is reported, so redaction keeps
//! the key name and the text stays readable.

use std::sync::LazyLock;

use regex::Regex;

use super::{Detection, is_word};
use crate::entity::Entity;

static KEYS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"sk-ant-[A-Za-z0-9_-]{20,}",
        r"|sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}",
        r"|(?:AKIA|ASIA)[A-Z0-9]{16}",
        r"|gh[pousr]_[A-Za-z0-9]{36,}",
        r"|github_pat_[A-Za-z0-9_]{22,}",
        r"|xox[baprs]-[A-Za-z0-9-]{10,}",
        r"|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{8,}",
        // Unbounded lazy body: a `{0,N}` bound would compile into N copies of `.`.
        r"|-----BEGIN [A-Z ]{0,20}PRIVATE KEY-----(?s:.)*?-----END [A-Z ]{0,20}PRIVATE KEY-----",
    ))
    .expect("valid regex")
});

/// Whether the text may hold a key without `-`/`_` (AWS ids, JWTs), which the
/// byte prefilter cannot see.
pub fn maybe_unmarked_key(b: &[u8]) -> bool {
    memchr::memmem::find(b, b"AKIA").is_some()
        || memchr::memmem::find(b, b"ASIA").is_some()
        || memchr::memmem::find(b, b"eyJ").is_some()
}

/// Push prefixed keys, JWTs and PEM private keys.
pub fn keys(text: &str, out: &mut Vec<Detection>) {
    let b = text.as_bytes();
    for m in KEYS.find_iter(text) {
        let (s, e) = (m.start(), m.end());
        let glued =
            s > 0 && (is_word(b[s - 1]) || b[s - 1] == b'-') || e < b.len() && is_word(b[e]);
        if glued && !m.as_str().starts_with("-----") {
            continue;
        }
        if m.as_str().starts_with("eyJ") && !jwt_header_ok(m.as_str()) {
            continue;
        }
        out.push(Detection::new(Entity::Secret, s, e));
    }
}

/// A JWT's first part must be base64url JSON with an `alg` member.
fn jwt_header_ok(token: &str) -> bool {
    let header = token.split('.').next().unwrap_or_default();
    let Some(json) = base64url_decode(header) else {
        return false;
    };
    serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&json)
        .is_ok_and(|m| m.contains_key("alg"))
}

fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// Names whose assigned value is a secret (compared case-insensitively as a suffix
/// of the key, so `DB_PASSWORD` and `stripe.secret_key` count).
const SECRET_NAMES: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "secret",
    "secret_key",
    "api_key",
    "apikey",
    "api-key",
    "access_key",
    "auth_token",
    "access_token",
    "refresh_token",
    "client_secret",
    "private_key",
    "token",
];

/// Check whether the `=` or `:` at byte `at` assigns a value to a secret name;
/// push the value's span.
pub fn assignment_at(text: &str, at: usize, out: &mut Vec<Detection>) {
    let b = text.as_bytes();
    let op = b[at];
    // `==`, `:=`/`=:` parts, `://` URLs and `::` paths are not assignments.
    if b.get(at + 1)
        .is_some_and(|&c| c == b'=' || c == b':' || c == b'/')
        || (at > 0 && matches!(b[at - 1], b'=' | b':' | b'!' | b'<' | b'>'))
    {
        return;
    }
    // Key: skip spaces and a closing quote, then read the name backwards.
    let mut k = at;
    while k > 0 && b[k - 1] == b' ' {
        k -= 1;
    }
    if k > 0 && matches!(b[k - 1], b'"' | b'\'') {
        k -= 1;
    }
    let key_end = k;
    while k > 0 && key_end - k < 40 && (is_word(b[k - 1]) || matches!(b[k - 1], b'-' | b'.')) {
        k -= 1;
    }
    let key = &b[k..key_end];
    let named = SECRET_NAMES.iter().any(|n| {
        key.len() >= n.len() && key[key.len() - n.len()..].eq_ignore_ascii_case(n.as_bytes()) && {
            // The name must start at a word part: `DB_PASSWORD`, not `xpassword`.
            let before = key.len() - n.len();
            before == 0 || matches!(key[before - 1], b'_' | b'-' | b'.')
        }
    });
    if !named {
        return;
    }
    // Value: skip spaces, take a quoted string or a run up to whitespace/delimiter.
    let mut s = at + 1;
    while s < b.len() && b[s] == b' ' {
        s += 1;
    }
    let quote = b.get(s).copied().filter(|c| matches!(c, b'"' | b'\''));
    let e = if let Some(q) = quote {
        s += 1;
        let len = memchr::memchr2(q, b'\n', &b[s..]).unwrap_or(b.len() - s);
        s + len
    } else {
        let len = b[s..]
            .iter()
            .position(|&c| {
                c.is_ascii_whitespace()
                    || matches!(c, b',' | b';' | b'"' | b'\'' | b')' | b'}' | b']')
            })
            .unwrap_or(b.len() - s);
        let mut e = s + len;
        // A final `.` ends the sentence; `!`/`?` may well belong to a password.
        while e > s && b[e - 1] == b'.' {
            e -= 1;
        }
        e
    };
    let e = warden_sdk::span::floor_boundary(text, e);
    let value = &text[s..e];
    if value.is_empty() || value.len() > 256 {
        return;
    }
    // After `:` prose is common ("password: change it monthly"): unless quoted,
    // require something that looks generated rather than a word.
    let plausible = quote.is_some() || (op == b'=' && value.len() >= 3) || looks_generated(value);
    if plausible && !placeholder(value) {
        out.push(Detection::new(Entity::Secret, s, e));
    }
}

/// Mixed character classes or digits: `hunter2`, `Tr0ub4dor&3`, `a8f5f167f44f`.
fn looks_generated(v: &str) -> bool {
    let lower = v.bytes().any(|c| c.is_ascii_lowercase());
    let upper = v.bytes().any(|c| c.is_ascii_uppercase());
    let digit = v.bytes().any(|c| c.is_ascii_digit());
    let symbol = v.bytes().any(|c| c.is_ascii_punctuation());
    v.len() >= 6
        && (digit || symbol || (lower && upper && v[1..].bytes().any(|c| c.is_ascii_uppercase())))
}

/// Values that are clearly not secrets: references and redactions.
fn placeholder(v: &str) -> bool {
    v.starts_with('$')
        || v.starts_with('<')
        || v.starts_with('[')
        || v.starts_with('{')
        || v.bytes().all(|c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(t: &str) -> Vec<&str> {
        let mut out = Vec::new();
        keys(t, &mut out);
        for (i, c) in t.char_indices() {
            if c == '=' || c == ':' {
                assignment_at(t, i, &mut out);
            }
        }
        out.iter().map(|d| &t[d.start..d.end]).collect()
    }

    #[test]
    fn vendor_keys() {
        let k = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z";
        assert_eq!(find(&format!("key {k} ok")), [k]);
        assert_eq!(find("AKIAIOSFODNN7EXAMPLE"), ["AKIAIOSFODNN7EXAMPLE"]);
        let gh = format!("ghp_{}", "a1B2c3D4e5".repeat(4));
        assert_eq!(find(&gh), [gh.as_str()]);
        assert_eq!(
            find("xoxb-123456789012-abcdefABCDEF"),
            ["xoxb-123456789012-abcdefABCDEF"]
        );
        assert!(find("the task-force-meeting-notes-are-long ok").is_empty());
    }

    #[test]
    fn jwt_needs_a_real_header() {
        let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        assert_eq!(find(jwt), [jwt]);
        assert!(find("eyJub3RoaW5nIjoxMjM0NX0.eyJzdWIiOiIxMjM0In0.abcdefghijkl").is_empty());
    }

    #[test]
    fn pem_block() {
        let pem =
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----";
        assert_eq!(find(&format!("here:\n{pem}\nthanks")), [pem]);
    }

    #[test]
    fn assignments_report_the_value_only() {
        assert_eq!(find("DB_PASSWORD=hunter22 next"), ["hunter22"]);
        assert_eq!(find(r#"{"api_key": "abc123xyz"}"#), ["abc123xyz"]);
        assert_eq!(find("secret: Zx9!qLm2"), ["Zx9!qLm2"]);
        assert!(find("Password: change it monthly").is_empty());
        assert!(find("if password == other: return").is_empty());
        assert!(find("token = ${TOKEN} and passwordless=true").is_empty());
    }
}
