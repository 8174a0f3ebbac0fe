//! E-mail addresses, checked by hand around each `@`.
//!
//! A regex would have to scan the whole text; expanding outwards from the `@` the
//! prefilter already found is cheaper and lets us reject look-alikes precisely:
//! `@mentions`, decorators (`@Override`), npm scopes and versions (`pkg@1.2.3`),
//! which all lack a dotted domain ending in an alphabetic TLD.

use super::Detection;
use crate::entity::Entity;

fn local_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-' | b'\'')
}

fn domain_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

/// Check for an address whose `@` is at byte `at`; push it if valid.
pub fn at(text: &str, at: usize, out: &mut Vec<Detection>) {
    if let Some((s, e)) = around(text.as_bytes(), at) {
        out.push(Detection::new(Entity::Email, s, e));
    }
}

fn around(b: &[u8], at: usize) -> Option<(usize, usize)> {
    let mut s = at;
    while s > 0 && at - s < 64 && local_char(b[s - 1]) {
        s -= 1;
    }
    // Leading dots and quotes are punctuation of the sentence, not the address.
    while s < at && matches!(b[s], b'.' | b'\'' | b'-') {
        s += 1;
    }
    if s == at || b[at - 1] == b'.' {
        return None;
    }
    // Glued to something that cannot start an address (e.g. `a@b@c`, `€x@y.io` is fine).
    if s > 0 && (b[s - 1] == b'@' || b[s - 1].is_ascii_alphanumeric()) {
        return None;
    }
    let mut e = at + 1;
    while e < b.len() && e - at < 254 && domain_char(b[e]) {
        e += 1;
    }
    while e > at + 1 && matches!(b[e - 1], b'.' | b'-') {
        e -= 1;
    }
    if e < b.len() && (b[e] == b'@' || b[e] == b'_') {
        return None;
    }
    let domain = &b[at + 1..e];
    let mut labels = domain.split(|&c| c == b'.');
    let mut count = 0;
    let mut tld: &[u8] = &[];
    for label in &mut labels {
        if label.is_empty() || label[0] == b'-' || label[label.len() - 1] == b'-' {
            return None;
        }
        tld = label;
        count += 1;
    }
    (count >= 2 && tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic)).then_some((s, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(t: &str) -> Vec<&str> {
        let mut out = Vec::new();
        for (i, _) in t.match_indices('@') {
            at(t, i, &mut out);
        }
        out.iter().map(|d| &t[d.start..d.end]).collect()
    }

    #[test]
    fn finds_addresses_in_sentences() {
        assert_eq!(
            find("Write to bob.smith+tag@mail.example.co.uk."),
            ["bob.smith+tag@mail.example.co.uk"]
        );
        assert_eq!(find("(jane_doe@example.org)"), ["jane_doe@example.org"]);
        assert_eq!(find("<o'neil@x-y.io>, ok"), ["o'neil@x-y.io"]);
    }

    #[test]
    fn rejects_look_alikes() {
        assert!(find("@Override and @alice and me@localhost").is_empty());
        assert!(find("npm i @scope/pkg@1.2.3 or lodash@4.17.21").is_empty());
        assert!(find("a@b@c.com and x@.com and y@a..com").is_empty());
    }
}
