//! Payment card numbers: 13-19 digits, optionally grouped by spaces or dashes,
//! accepted only with a valid Luhn check digit *and* a known issuer prefix (IIN)
//! whose length rules match. Luhn alone passes one random number in ten; with
//! the IIN table, order ids and timestamps practically never qualify.

use std::sync::LazyLock;

use regex::Regex;

use super::{Detection, find_validated, keyword_before, standalone};
use crate::entity::Entity;

static CARD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[0-9](?:[ -]?[0-9]){11,18}").expect("valid regex"));

/// Words that make a bare digit run an identifier rather than a card.
const NOT_CARD_WORDS: &[&str] = &[
    "order", "tracking", "invoice", "ref", "#", "isbn", "id:", "ticket",
];

/// Push card numbers found in `text[start..end]`.
pub fn scan(text: &str, start: usize, end: usize, out: &mut Vec<Detection>) {
    let b = text.as_bytes();
    find_validated(&CARD, text, start, end, out, |s, e| {
        let v = &b[s..e];
        (standalone(b, s, e) && grouped(v) && valid_number(v)).then_some(())?;
        let bare = v.iter().all(u8::is_ascii_digit);
        if bare && keyword_before(text, s, 16, NOT_CARD_WORDS) {
            return None;
        }
        Some(Detection::new(Entity::CreditCard, s, e))
    });
}

/// One separator style, and groups of at least 4 digits except possibly the last
/// (`4111 1111 1111 1111`, `3782 822463 10005`, `4111-1111-1111-1111-123`).
fn grouped(v: &[u8]) -> bool {
    let has_space = v.contains(&b' ');
    let has_dash = v.contains(&b'-');
    if has_space && has_dash {
        return false;
    }
    if !has_space && !has_dash {
        return true;
    }
    let sep = if has_space { b' ' } else { b'-' };
    let groups: Vec<&[u8]> = v.split(|&c| c == sep).collect();
    let n = groups.len();
    groups.iter().enumerate().all(|(i, g)| {
        if i + 1 == n {
            !g.is_empty()
        } else {
            (4..=6).contains(&g.len())
        }
    })
}

/// Luhn and IIN/length check over the digits of `v`.
pub fn valid_number(v: &[u8]) -> bool {
    let mut digits = [0u8; 19];
    let mut n = 0;
    for &c in v {
        if c.is_ascii_digit() {
            if n == 19 {
                return false;
            }
            digits[n] = c - b'0';
            n += 1;
        }
    }
    n >= 12 && issuer_length_ok(&digits[..n]) && luhn(&digits[..n])
}

fn luhn(d: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &x) in d.iter().rev().enumerate() {
        let mut x = u32::from(x);
        if i % 2 == 1 {
            x *= 2;
            if x > 9 {
                x -= 9;
            }
        }
        sum += x;
    }
    sum.is_multiple_of(10)
}

fn prefix(d: &[u8], k: usize) -> u32 {
    d.iter().take(k).fold(0, |acc, &x| acc * 10 + u32::from(x))
}

/// Known issuer ranges (ISO/IEC 7812 IINs as published by the networks).
fn issuer_length_ok(d: &[u8]) -> bool {
    let len = d.len();
    let p1 = prefix(d, 1);
    let p2 = prefix(d, 2);
    let p3 = prefix(d, 3);
    let p4 = prefix(d, 4);
    let p6 = prefix(d, 6);
    match () {
        // Visa
        _ if p1 == 4 => matches!(len, 13 | 16 | 19),
        // Mastercard (51-55 and the 2-series 2221-2720)
        _ if (51..=55).contains(&p2) || (2221..=2720).contains(&p4) => len == 16,
        // American Express
        _ if p2 == 34 || p2 == 37 => len == 15,
        // Discover
        _ if p4 == 6011
            || (644..=649).contains(&p3)
            || p2 == 65
            || (622126..=622925).contains(&p6) =>
        {
            (16..=19).contains(&len)
        }
        // JCB
        _ if (3528..=3589).contains(&p4) => (16..=19).contains(&len),
        // Diners Club
        _ if (300..=305).contains(&p3) || p2 == 36 || p2 == 38 || p2 == 39 => {
            (14..=19).contains(&len)
        }
        // UnionPay
        _ if p2 == 62 => (16..=19).contains(&len),
        // Maestro
        _ if matches!(p4, 5018 | 5020 | 5038 | 5893 | 6304 | 6759 | 6761..=6763) => {
            (12..=19).contains(&len)
        }
        _ => false,
    }
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
    fn accepts_public_test_numbers_in_common_layouts() {
        for n in [
            "4111111111111111",
            "4111 1111 1111 1111",
            "5555-5555-5555-4444",
            "3782 822463 10005",
        ] {
            assert_eq!(find(&format!("card {n}.")), [n]);
        }
        for n in [
            "6011111111111117",
            "3530111333300000",
            "30569309025904",
            "2223003122003222",
            "4012888888881881",
        ] {
            assert!(valid_number(n.as_bytes()), "{n}");
        }
    }

    #[test]
    fn rejects_bad_checksums_ids_and_mixed_layouts() {
        assert!(find("4111 1111 1111 1112").is_empty());
        assert!(find("4111-1111 1111-1111").is_empty());
        assert!(find("order #4111111111111111").is_empty());
        assert!(find("ts 1710498151123456").is_empty());
        assert!(find("9780306406157 isbn-ish").is_empty());
        assert!(find("41 11 11 11 11 11 11 11").is_empty());
    }
}
