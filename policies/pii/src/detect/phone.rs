//! Telephone numbers: North American (NANP) and international `+` (E.164) forms.
//!
//! Numbers are everywhere in text, so a phone needs shape *and* validation:
//! NANP area and exchange codes start with 2-9; an international number starts
//! with `+` and has 8-15 digits. A bare 10-digit run (no separators, no `+`) is
//! accepted only after a phone word ("call", "tel", ...) because order numbers
//! and timestamps look exactly like it.

use std::sync::LazyLock;

use regex::Regex;

use super::{Detection, find_validated, keyword_before, standalone};
use crate::entity::Entity;

static NANP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\+1[ .-]?|1[ .-])?(?:\([2-9][0-9]{2}\) ?|[2-9][0-9]{2}[ .-]?)[2-9][0-9]{2}[ .-]?[0-9]{4}")
        .expect("valid regex")
});

static INTL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\+[1-9][0-9]{0,3}(?:[ .-]?\(?[0-9]{1,5}\)?){1,6}").expect("valid regex")
});

const PHONE_WORDS: &[&str] = &[
    "phone", "call", "tel", "mobile", "cell", "fax", "text me", "sms", "whatsapp", "reach me",
    "contact",
];

/// Push phone numbers found in `text[start..end]`.
pub fn scan(text: &str, start: usize, end: usize, out: &mut Vec<Detection>) {
    let b = text.as_bytes();
    if memchr::memchr(b'+', &b[start..end]).is_some() {
        find_validated(&INTL, text, start, end, out, |s, e| {
            let e = trim_end(b, s, e);
            let digits = b[s..e].iter().filter(|c| c.is_ascii_digit()).count();
            ((8..=15).contains(&digits) && standalone(b, s, e) && balanced(&b[s..e]))
                .then(|| Detection::new(Entity::Phone, s, e))
        });
    }
    // International matches already cover `+1 ...` numbers; do not report them twice.
    let intl: Vec<(usize, usize)> = out
        .iter()
        .filter(|d| d.kind == Entity::Phone)
        .map(|d| (d.start, d.end))
        .collect();
    find_validated(&NANP, text, start, end, out, |s, e| {
        if intl.iter().any(|&(is, ie)| is <= s && e <= ie)
            || !standalone(b, s, e)
            || (s > 0 && b[s - 1] == b'+')
            || !balanced(&b[s..e])
        {
            return None;
        }
        let value = &b[s..e];
        let separated = value.iter().any(|c| !c.is_ascii_digit());
        // `2024 555 0132` style runs are usually counts or ids; keep separated forms
        // whose groups are 3-3-4, or bare digits with a phone word before.
        let ok = if separated {
            consistent(value)
        } else {
            keyword_before(text, s, 32, PHONE_WORDS)
        };
        ok.then(|| Detection::new(Entity::Phone, s, e))
    });
}

/// Drop trailing separators and brackets the greedy regex took, keeping a `)`
/// that closes a `(` inside the number.
fn trim_end(b: &[u8], s: usize, mut e: usize) -> usize {
    while e > s && !b[e - 1].is_ascii_digit() && !(b[e - 1] == b')' && balanced(&b[s..e])) {
        e -= 1;
    }
    e
}

fn balanced(v: &[u8]) -> bool {
    let open = v.iter().filter(|&&c| c == b'(').count();
    let close = v.iter().filter(|&&c| c == b')').count();
    open == close && open <= 1
}

/// Separated NANP numbers use one separator style between the last two groups
/// and the area code (a `(415) 555-0132` mix is allowed, `415 555.0132` is not).
fn consistent(v: &[u8]) -> bool {
    let seps: Vec<u8> = v
        .iter()
        .copied()
        .filter(|c| matches!(c, b' ' | b'.' | b'-'))
        .collect();
    if v.contains(&b'(') {
        return seps.len() <= 3;
    }
    let body_seps = &seps[seps.len().saturating_sub(2)..];
    body_seps.len() == 2 && body_seps[0] == body_seps[1] || (seps.len() == 1 && seps[0] == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(t: &str) -> Vec<&str> {
        let mut out = Vec::new();
        scan(t, 0, t.len(), &mut out);
        out.iter().map(|d| &t[d.start..d.end]).collect()
    }

    #[test]
    fn north_american_forms() {
        assert_eq!(find("call (415) 555-0132 now"), ["(415) 555-0132"]);
        assert_eq!(find("415-555-0132"), ["415-555-0132"]);
        assert_eq!(find("it is 415.555.0132."), ["415.555.0132"]);
        assert_eq!(find("+1 415 555 0132"), ["+1 415 555 0132"]);
        assert_eq!(find("1-800-555-0199"), ["1-800-555-0199"]);
        assert_eq!(find("phone: 4155550132"), ["4155550132"]);
    }

    #[test]
    fn international_forms() {
        assert_eq!(find("ring +44 20 7946 0958."), ["+44 20 7946 0958"]);
        assert_eq!(find("+33 1 42 68 53 00"), ["+33 1 42 68 53 00"]);
        assert_eq!(find("(+49 30 901820)"), ["+49 30 901820"]);
        assert_eq!(find("+919876543210"), ["+919876543210"]);
    }

    #[test]
    fn rejects_ids_dates_and_versions() {
        assert!(find("order 4155550132 shipped").is_empty());
        assert!(find("2024-03-15 10:22:31").is_empty());
        assert!(find("550e8400-e29b-41d4-a716-446655440000").is_empty());
        assert!(find("v10.415.555.0132").is_empty());
        assert!(find("+1 555").is_empty());
        assert!(find("ts 1710498151123").is_empty());
    }
}
