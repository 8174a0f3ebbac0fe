//! US social security numbers.
//!
//! `AAA-GG-SSSS` with dashes is a distinctive shape and is accepted on its own;
//! space-separated or bare nine-digit runs look like any other id and need an
//! SSN word nearby. Numbers the SSA never issues are rejected: area 000, 666
//! and 900-999, group 00, serial 0000.

use std::sync::LazyLock;

use regex::Regex;

use super::{Detection, find_validated, keyword_before, standalone};
use crate::entity::Entity;

static SSN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[0-9]{3}[- ]?[0-9]{2}[- ]?[0-9]{4}").expect("valid regex"));

const SSN_WORDS: &[&str] = &["ssn", "social security", "ss#", "ss #", "taxpayer", "tin"];

/// Push SSNs found in `text[start..end]`.
pub fn scan(text: &str, start: usize, end: usize, out: &mut Vec<Detection>) {
    let b = text.as_bytes();
    find_validated(&SSN, text, start, end, out, |s, e| {
        let v = &b[s..e];
        if !standalone(b, s, e) || !issued(v) {
            return None;
        }
        let dashes = v.iter().filter(|&&c| c == b'-').count();
        let spaces = v.iter().filter(|&&c| c == b' ').count();
        let ok = match (dashes, spaces) {
            (2, 0) => true,
            (0, 2) | (0, 0) => keyword_before(text, s, 40, SSN_WORDS),
            _ => false,
        };
        ok.then(|| Detection::new(Entity::Ssn, s, e))
    });
}

/// Whether the SSA could have issued this number.
pub fn issued(v: &[u8]) -> bool {
    let mut d = [0u32; 9];
    let mut n = 0;
    for &c in v.iter().filter(|c| c.is_ascii_digit()) {
        if n == 9 {
            return false;
        }
        d[n] = u32::from(c - b'0');
        n += 1;
    }
    if n != 9 {
        return false;
    }
    let area = d[0] * 100 + d[1] * 10 + d[2];
    let group = d[3] * 10 + d[4];
    let serial = d[5] * 1000 + d[6] * 100 + d[7] * 10 + d[8];
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
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
    fn accepts_dashed_and_contextual_forms() {
        assert_eq!(find("SSN 123-45-6789."), ["123-45-6789"]);
        assert_eq!(
            find("my social security number is 123 45 6789"),
            ["123 45 6789"]
        );
        assert_eq!(find("ssn: 123456789"), ["123456789"]);
    }

    #[test]
    fn rejects_unissued_ranges_and_bare_ids() {
        for bad in [
            "000-12-3456",
            "666-12-3456",
            "912-34-5678",
            "123-00-4567",
            "123-45-0000",
        ] {
            assert!(find(bad).is_empty(), "{bad}");
        }
        assert!(find("order 123456789").is_empty());
        assert!(find("123-45 6789").is_empty());
        assert!(find("2024-03-1512").is_empty());
    }
}
