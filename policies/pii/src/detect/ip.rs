//! IP addresses. IPv4 candidates come from the digit windows, IPv6 candidates
//! from each `:`; both are validated by the standard library parsers (octets
//! 0-255 without leading zeros, IPv6 group counts and `::` rules).
//!
//! Four-part version numbers (`version 1.2.3.4`) are the classic false positive:
//! a version word just before, or a `v`/letter glued to the front, rules them out.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::LazyLock;

use regex::Regex;

use super::{Detection, find_validated, is_word, keyword_before};
use crate::entity::Entity;

static V4: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}").expect("valid regex")
});

const VERSION_WORDS: &[&str] = &["version", "release", "build", "ver.", "firmware", "v."];

/// Push IPv4 addresses found in `text[start..end]`.
pub fn v4_scan(text: &str, start: usize, end: usize, out: &mut Vec<Detection>) {
    let b = text.as_bytes();
    find_validated(&V4, text, start, end, out, |s, e| {
        let glued_before = s > 0 && (is_word(b[s - 1]) || b[s - 1] == b'.');
        let glued_after = e < b.len()
            && (is_word(b[e])
                || (matches!(b[e], b'.' | b'-') && b.get(e + 1).is_some_and(u8::is_ascii_digit)));
        if glued_before || glued_after || keyword_before(text, s, 20, VERSION_WORDS) {
            return None;
        }
        text[s..e]
            .parse::<Ipv4Addr>()
            .ok()
            .map(|_| Detection::new(Entity::Ip, s, e))
    });
}

fn v6_char(c: u8) -> bool {
    c.is_ascii_hexdigit() || c == b':' || c == b'.'
}

/// Check for an IPv6 address around the `:` at byte `at`. Only the first colon
/// of a run does the work, so each address is parsed once.
pub fn v6_at(text: &str, at: usize, out: &mut Vec<Detection>) {
    let b = text.as_bytes();
    let mut s = at;
    while s > 0 && at - s < 45 && v6_char(b[s - 1]) {
        s -= 1;
    }
    // Not the first colon of this token: an earlier one handled it.
    if b[s..at].contains(&b':') {
        return;
    }
    let mut e = at + 1;
    while e < b.len() && e - s < 45 && v6_char(b[e]) {
        e += 1;
    }
    // A sentence-ending dot or colon is not part of the address.
    while e > at + 1 && matches!(b[e - 1], b'.' | b':') && !b[s..e].ends_with(b"::") {
        e -= 1;
    }
    if (s > 0 && (is_word(b[s - 1]) || b[s - 1] == b':')) || (e < b.len() && is_word(b[e])) {
        return;
    }
    let token = &text[s..e];
    let colons = token.bytes().filter(|&c| c == b':').count();
    let hex = token.bytes().filter(u8::is_ascii_hexdigit).count();
    // `dead::beef` parses but is a C++ path or a joke, not an address: ask for a digit.
    let has_digit = token.bytes().any(|c| c.is_ascii_digit());
    if colons >= 2 && hex >= 4 && has_digit && token.parse::<Ipv6Addr>().is_ok() {
        out.push(Detection::new(Entity::Ip, s, e));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(t: &str) -> Vec<&str> {
        let mut out = Vec::new();
        v4_scan(t, 0, t.len(), &mut out);
        for (i, _) in t.match_indices(':') {
            v6_at(t, i, &mut out);
        }
        out.iter().map(|d| &t[d.start..d.end]).collect()
    }

    #[test]
    fn finds_v4_and_v6() {
        assert_eq!(find("from 203.0.113.42:8080 today"), ["203.0.113.42"]);
        assert_eq!(
            find("addr 2001:db8:85a3::8a2e:370:7334."),
            ["2001:db8:85a3::8a2e:370:7334"]
        );
        assert_eq!(
            find("fe80::1ff:fe23:4567:890a is local"),
            ["fe80::1ff:fe23:4567:890a"]
        );
        assert_eq!(
            find("[2001:0db8:0000:0000:0000:ff00:0042:8329]"),
            ["2001:0db8:0000:0000:0000:ff00:0042:8329"]
        );
    }

    #[test]
    fn rejects_versions_times_and_bad_octets() {
        assert!(find("version 1.2.3.4 and v2.3.4.5").is_empty());
        assert!(find("256.1.1.1 and 1.2.3.4.5 and 01.2.3.4").is_empty());
        assert!(find("at 10:22:31 and 00:1A:2B:3C:4D:5E").is_empty());
        assert!(find("std::vector and a::b and dead::beef").is_empty());
    }
}
