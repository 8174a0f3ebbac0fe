//! Secrets: vendor API keys with recognisable prefixes, JWTs, PEM private keys,
//! and values assigned to secret-sounding names (`password=...`, `api_key: ...`).
//!
//! Prefixed keys go through one regex whose literal prefixes let the regex engine
//! skip straight to candidates. JWTs must have a header that decodes to JSON with
//! an `alg`, so any `eyJ...` dotted string is not enough. Assignments are checked
//! by hand at each `=`/`:` and only the *value* is reported, so redaction keeps
//! the key name and the text stays readable.

use std::sync::LazyLock;

use memchr::memmem::Finder;
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
        // Google API keys and OAuth access tokens.
        r"|AIza[0-9A-Za-z_-]{35}",
        r"|ya29\.[0-9A-Za-z_-]{20,}",
        // Stripe secret / restricted keys and webhook secrets (not `pk_`: publishable).
        r"|(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}",
        r"|whsec_[0-9A-Za-z+/=]{24,}",
        r"|npm_[A-Za-z0-9]{36}",
        r"|glpat-[0-9A-Za-z_-]{20,}",
        // Twilio API key SIDs (SK + 32 lower-case hex), SendGrid, Hugging Face.
        r"|SK[0-9a-f]{32}",
        r"|SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}",
        r"|hf_[A-Za-z0-9]{34,}",
        r"|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{8,}",
        // Unbounded lazy body: a `{0,N}` bound would compile into N copies of `.`.
        r"|-----BEGIN [A-Z ]{0,20}PRIVATE KEY-----(?s:.)*?-----END [A-Z ]{0,20}PRIVATE KEY-----",
    ))
    .expect("valid regex")
});

/// Whether the text may hold a key without `-`/`_` (AWS ids, Google keys and
/// tokens, Twilio, SendGrid, JWTs), which the byte prefilter cannot see.
pub fn maybe_unmarked_key(b: &[u8]) -> bool {
    // Built once: `memmem::find` builds a searcher per call, which cost more than
    // the search itself on a chat message.
    static JWT: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"eyJ"));
    static GOOGLE_TOKEN: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"ya29."));
    JWT.find(b).is_some()
        || GOOGLE_TOKEN.find(b).is_some()
        // Capital A/S are rare in prose: one pass finds AKIA, ASIA, AIza, SK<hex>, SG.
        || memchr::memchr2_iter(b'A', b'S', b).any(|i| {
            matches!(
                &b[i..],
                [b'A', b'K' | b'S', b'I', b'A', ..]
                    | [b'A', b'I', b'z', b'a', ..]
                    | [b'S', b'K', b'0'..=b'9' | b'a'..=b'f', ..]
                    | [b'S', b'G', b'.', ..]
            )
        })
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
/// of the key, so `DB_PASSWORD`, `DB_PASS`, `stripe.secret_key` and `dbPassword` count).
const SECRET_NAMES: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "pw",
    "pass",
    "passphrase",
    "passcode",
    "secret",
    "secret_key",
    "secret-key",
    "api_key",
    "apikey",
    "api-key",
    "access_key",
    "access-key",
    "auth_token",
    "access_token",
    "refresh_token",
    "client_secret",
    "private_key",
    "private-key",
    "signing_key",
    "encryption_key",
    "master_key",
    "credentials",
    "credential",
    "token",
];

/// Names distinctive enough to count even glued to a prefix (`PGPASSWORD`,
/// `MYSQLPASSWD`); short ones (`pass`, `pwd`, `token`) need a word boundary, so
/// `bypass`, `compass` and `Xpwd` are not names.
const GLUED_NAMES: &[&str] = &["password", "passwd", "passphrase", "passcode"];

/// Whether `key` (an identifier) names a secret: it ends with one of
/// [`SECRET_NAMES`] that starts at a word part (`_`, `-`, `.`, a camelCase hump,
/// or anywhere for [`GLUED_NAMES`]).
fn secret_name(key: &[u8]) -> bool {
    SECRET_NAMES.iter().any(|n| {
        key.len() >= n.len() && key[key.len() - n.len()..].eq_ignore_ascii_case(n.as_bytes()) && {
            let before = key.len() - n.len();
            before == 0
                || matches!(key[before - 1], b'_' | b'-' | b'.')
                || (key[before].is_ascii_uppercase() && key[before - 1].is_ascii_lowercase())
                || GLUED_NAMES.contains(n)
        }
    })
}

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
    // `scheme://user:pass@host`: the userinfo is handled by `userinfo`.
    if k >= 3 && &b[k - 3..k] == b"://" {
        return;
    }
    let named = secret_name(key);
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

/// Values that are clearly not secrets: references, redactions, template
/// placeholders and well-known defaults/words (`changeme`, `password`, `true`).
/// A default such as `changeme` is public knowledge, not a secret; flagging it
/// would redact documentation and config templates.
fn placeholder(v: &str) -> bool {
    const WORDS: &[&str] = &[
        "password",
        "passwd",
        "pass",
        "secret",
        "changeme",
        "change_me",
        "change-me",
        "redacted",
        "placeholder",
        "example",
        "none",
        "null",
        "nil",
        "true",
        "false",
        "undefined",
        "empty",
        "hidden",
        "todo",
        "tbd",
        "required",
        "optional",
        "string",
        "xxx",
    ];
    let b = v.as_bytes();
    let starts = |p: &str| b.len() >= p.len() && b[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    let ends =
        |p: &str| b.len() >= p.len() && b[b.len() - p.len()..].eq_ignore_ascii_case(p.as_bytes());
    matches!(b.first(), Some(b'$' | b'<' | b'[' | b'{' | b'%'))
        || v.chars()
            .all(|c| matches!(c, '*' | 'x' | 'X' | '\u{2022}' | '#' | '.'))
        || WORDS.iter().any(|w| v.eq_ignore_ascii_case(w))
        || starts("your")
        || ends("_here")
        || ends("-here")
}

/// Start of the userinfo if the `@` at `at` ends a URL authority's userinfo
/// (`scheme://user:pass@host`, `scheme://TOKEN@host`); such an `@` is never an
/// e-mail address.
pub fn url_userinfo(b: &[u8], at: usize) -> Option<usize> {
    let mut k = at;
    while k > 0
        && at - k < 256
        && !b[k - 1].is_ascii_whitespace()
        && !matches!(
            b[k - 1],
            b'/' | b'@'
                | b'<'
                | b'>'
                | b'"'
                | b'\''
                | b'('
                | b')'
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b','
        )
    {
        k -= 1;
    }
    (k < at && k >= 4 && &b[k - 3..k] == b"://" && b[k - 4].is_ascii_alphanumeric()).then_some(k)
}

/// Push the credential in the userinfo `text[start..at]` of a URL: the password
/// of `user:pass` (the user name stays readable), or a lone user part that looks
/// like a generated token (`https://ghp_...@github.com`, not `ssh://git@host`).
pub fn userinfo(text: &str, start: usize, at: usize, out: &mut Vec<Detection>) {
    let ui = &text[start..at];
    if let Some(c) = ui.find(':') {
        let pass = &ui[c + 1..];
        if !pass.is_empty() && !placeholder(pass) {
            out.push(Detection::new(Entity::Secret, start + c + 1, at));
        }
    } else if ui.len() >= 16 && looks_generated(ui) && !placeholder(ui) {
        out.push(Detection::new(Entity::Secret, start, at));
    }
}

/// Prose disclosures: `my password is X`, `my pw is X`, `the password for the
/// admin account is X`, `Set REDIS_PASSWORD to X`, `password was reset to X`.
///
/// Anchors are `p`/`P` followed by `ass`/`w` (password, passwd, passcode, pw,
/// pwd) and `_` (identifiers such as `API_TOKEN`, `DB_PASS`); one memchr pass,
/// no allocation. The name must be a secret name, the words after it must form
/// a short phrase ending in a connector (`is`, `was`, `to`, `=`, `...:`), and the
/// value must look generated (a digit, a symbol other than `-`/`'`, or an inner
/// capital): `the password is incorrect` and `is case-sensitive` are not values.
pub fn prose(text: &str, out: &mut Vec<Detection>) {
    let b = text.as_bytes();
    let mut next = 0;
    for pos in memchr::memchr3_iter(b'p', b'P', b'_', b) {
        if pos < next {
            continue;
        }
        if b[pos] != b'_' {
            let rest = &b[pos + 1..];
            let pass = rest.len() >= 3 && rest[..3].eq_ignore_ascii_case(b"ass");
            let pw = rest.first().is_some_and(|c| c.eq_ignore_ascii_case(&b'w'));
            if !(pass || pw) {
                continue;
            }
        }
        let ident = |c: u8| is_word(c) || c == b'-';
        let mut ks = pos;
        while ks > 0 && pos - ks < 64 && ident(b[ks - 1]) {
            ks -= 1;
        }
        let mut ke = pos + 1;
        while ke < b.len() && ke - pos < 64 && ident(b[ke]) {
            ke += 1;
        }
        next = ke;
        while ke > ks && b[ke - 1] == b'-' {
            ke -= 1;
        }
        let name = &b[ks..ke];
        if name.eq_ignore_ascii_case(b"pass") || !secret_name(name) {
            continue;
        }
        if let Some((s, e)) = phrase_value(text, ke) {
            out.push(Detection::new(Entity::Secret, s, e));
        }
    }
}

/// After a secret name ending at `i`, the value of `<name> [filler|for ...] is|to|: <value>`.
fn phrase_value(text: &str, mut i: usize) -> Option<(usize, usize)> {
    const FILLER: &[&str] = &[
        "has",
        "have",
        "been",
        "now",
        "still",
        "currently",
        "temporarily",
        "set",
        "changed",
        "reset",
        "updated",
        "just",
        "also",
    ];
    const PREP: &[&str] = &["for", "of", "on", "to"];
    let b = text.as_bytes();
    // `name=` / `name:` glued to the name are assignments (see `assignment_at`).
    if b.get(i).is_some_and(|&c| c == b'=' || c == b':') {
        return None;
    }
    while i < b.len() && matches!(b[i], b'"' | b'\'' | b'`') {
        i += 1;
    }
    let mut clause = 0u8; // words still allowed inside a `for ...` clause
    for _ in 0..10 {
        let (ts, te) = next_token(b, i)?;
        i = te;
        let tok = &b[ts..te];
        let is = |w: &str| tok.eq_ignore_ascii_case(w.as_bytes());
        let connector = is("is")
            || is("was")
            || is("to")
            || is("=")
            || is(":")
            || is("is:")
            || (clause > 0 && tok.len() > 1 && tok.ends_with(b":"));
        if connector {
            if let Some(v) = value_after(text, te) {
                return Some(v);
            }
            if is("to") {
                clause = 4;
            }
            continue;
        }
        if matches!(tok.last(), Some(b'.' | b',' | b';' | b'!' | b'?')) {
            return None;
        }
        if FILLER.iter().any(|w| is(w)) {
            continue;
        }
        if PREP.iter().any(|w| is(w)) {
            clause = 4;
            continue;
        }
        if clause > 0 {
            clause -= 1;
            continue;
        }
        return None;
    }
    None
}

/// The next space-separated token at or after `i` on the same line.
fn next_token(b: &[u8], mut i: usize) -> Option<(usize, usize)> {
    while i < b.len() && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    if i >= b.len() || b[i].is_ascii_whitespace() {
        return None;
    }
    let s = i;
    while i < b.len() && !b[i].is_ascii_whitespace() {
        i += 1;
    }
    Some((s, i))
}

/// The value token after a connector ending at `i`, if it looks like a secret.
fn value_after(text: &str, i: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let (mut s, mut e) = next_token(b, i)?;
    if ["now", "still", "just", "currently"]
        .iter()
        .any(|w| b[s..e].eq_ignore_ascii_case(w.as_bytes()))
    {
        (s, e) = next_token(b, e)?;
    }
    if let Some(&q) = b.get(s).filter(|c| matches!(c, b'"' | b'\'' | b'`')) {
        // A quoted value ends at its closing quote (`"pw": "x y"}` gives `x`).
        s += 1;
        e = s + memchr::memchr(q, &b[s..e]).unwrap_or(e - s);
    }
    while s < e && b[s] == b'(' {
        s += 1;
    }
    while e > s
        && matches!(
            b[e - 1],
            b'.' | b',' | b';' | b':' | b')' | b'}' | b']' | b'"' | b'\'' | b'`'
        )
    {
        e -= 1;
    }
    if !text.is_char_boundary(s) || !text.is_char_boundary(e) {
        return None;
    }
    let v = &text[s..e];
    let core = v.trim_end_matches(['!', '?']).as_bytes();
    let digit = core.iter().any(u8::is_ascii_digit);
    let symbol = core
        .iter()
        .any(|&c| c.is_ascii_punctuation() && !matches!(c, b'-' | b'\''));
    let hump = core.len() > 1
        && core[1..].iter().any(u8::is_ascii_uppercase)
        && core.iter().any(u8::is_ascii_lowercase);
    let ok = (6..=128).contains(&v.len()) && (digit || symbol || hump) && !placeholder(v);
    ok.then_some((s, e))
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
            if c == '@'
                && let Some(s) = url_userinfo(t.as_bytes(), i)
            {
                userinfo(t, s, i, &mut out);
            }
        }
        prose(t, &mut out);
        out.sort_by_key(|d| (d.start, d.end));
        out.dedup();
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

    #[test]
    fn more_vendor_key_formats() {
        let an = "a1B2c3D4e5F6g7H8i9J0";
        let keys = [
            format!("AIza{}{}", &an[..18], "Sy_-kLmN0pQrStUvW"),
            format!("ya29.{an}{an}"),
            format!("sk_live_{an}"),
            format!("rk_live_{an}"),
            format!("sk_test_{an}"),
            format!("npm_{an}{}", &an[..16]),
            format!("glpat-{an}"),
            format!("SK{}", "0123456789abcdef".repeat(2)),
            format!("SG.{}_x.{an}{an}{}", &an[..20], &an[..3]),
            format!("hf_{an}{}", &an[..14]),
        ];
        for k in &keys {
            assert_eq!(find(&format!("key {k} leaked")), [k.as_str()], "{k}");
        }
        assert_eq!(keys[0].len(), 39);
        // Publishable Stripe keys are public; short or glued look-alikes are not keys.
        assert!(find(&format!("pk_live_{an}")).is_empty());
        assert!(
            find("AIzaShort and SKU12345 and SG.small and xSK0123456789abcdef0123456789abcdef")
                .is_empty()
        );
    }

    #[test]
    fn url_userinfo_credentials() {
        let tok = format!("ghp_{}", "MObsx1wF1jiAdFQF2AQ7".repeat(2));
        let t = format!("git remote set-url origin https://{tok}@github.com/acme/infra.git");
        assert_eq!(find(&t), [tok.as_str()]);
        assert_eq!(
            find("postgres://app:S3cret!x@db.internal:5432/app"),
            ["S3cret!x"]
        );
        assert_eq!(
            find("https://x-access-token:Qw3rtyUi0p@github.com/o/r"),
            ["Qw3rtyUi0p"]
        );
        for clean in [
            "ssh://git@github.com/acme/infra.git",
            "postgres://app@10.1.2.3/app",
            "postgres://user:${DB_PASS}@db/app",
            "https://user:password@example.com",
            "mailto:bob@example.com and see https://example.com/u/bob@example.com",
        ] {
            assert!(find(clean).is_empty(), "{clean}");
        }
    }

    #[test]
    fn prose_disclosures() {
        assert_eq!(
            find("my password is sunflower1987! pls reset it"),
            ["sunflower1987!"]
        );
        assert_eq!(find("btw my pw is Tr0ub4dor&3"), ["Tr0ub4dor&3"]);
        assert_eq!(
            find("The password for the admin account is Xy7#kq92."),
            ["Xy7#kq92"]
        );
        assert_eq!(find("Passcode: 918273645"), ["918273645"]);
        assert_eq!(
            find("Set REDIS_PASSWORD to c8Vn2Lk0Qw7ZrT5y on the staging box."),
            ["c8Vn2Lk0Qw7ZrT5y"]
        );
        assert_eq!(
            find("Your password has been reset to Temp1234!"),
            ["Temp1234!"]
        );
        assert_eq!(
            find("the wifi password is \"BlueFalcon\" btw"),
            ["BlueFalcon"]
        );
        for clean in [
            "the password is incorrect, try again",
            "your password is case-sensitive",
            "the password is at least 12 characters long",
            "the password was changed on 2024-03-15",
            "reset the password to the default one",
            "we moved password hashing to bcrypt2",
            "her boarding pass is ABC12345",
            "passwords must be 8-64 characters",
            "the API_TOKEN is required",
            "Set REDIS_PASSWORD to <your-password> first",
        ] {
            assert!(find(clean).is_empty(), "{clean}");
        }
    }

    #[test]
    fn env_style_names() {
        assert_eq!(
            find("PGPASSWORD=s3cr3tP@ss psql -h 10.0.0.5 -U admin"),
            ["s3cr3tP@ss"]
        );
        assert_eq!(find(".env\nDB_PASS=Gx83!kqP0zLm\nX=1"), ["Gx83!kqP0zLm"]);
        assert_eq!(find("MYSQL_PWD=abc12345"), ["abc12345"]);
        assert_eq!(find("SMTP_PASSWD=k9Lm2Qx7"), ["k9Lm2Qx7"]);
        assert_eq!(find("GCP_CREDENTIALS=eW91ci1jcmVkcw"), ["eW91ci1jcmVkcw"]);
        assert_eq!(find("JWT_SIGNING_KEY=9f8e7d6c5b4a"), ["9f8e7d6c5b4a"]);
        assert_eq!(find("dbPassword: 'Zq8!mN4p'"), ["Zq8!mN4p"]);
        for clean in [
            "bypass=true",
            "compass=north",
            "SORT_KEY=name",
            "nopassword=true",
            "PRIMARY_KEY=id",
        ] {
            assert!(find(clean).is_empty(), "{clean}");
        }
    }

    #[test]
    fn placeholders_are_not_secrets() {
        for clean in [
            "password=<your-password>",
            "password: ****",
            "password: \u{2022}\u{2022}\u{2022}\u{2022}",
            "password=changeme",
            "DB_PASSWORD=your_password_here",
            "password=${PW}",
            "PASSWORD=%DB_PW%",
            "api_key: YOUR_API_KEY",
            "password=password",
            "token=xxxxxxxx",
        ] {
            assert!(find(clean).is_empty(), "{clean}");
        }
    }
}
