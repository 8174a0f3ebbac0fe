//! International bank account numbers: country code, two check digits and a
//! BBAN, printed compact or in groups of four. Accepted only when the length
//! matches the country (SWIFT IBAN registry) and the ISO 13616 mod-97 check holds.

use std::sync::LazyLock;

use regex::Regex;

use super::{Detection, find_validated, standalone};
use crate::entity::Entity;

static IBAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?").expect("valid regex")
});

/// IBAN length per country, from the SWIFT IBAN registry.
#[rustfmt::skip]
const LENGTHS: &[(&str, usize)] = &[
    ("AD", 24), ("AE", 23), ("AL", 28), ("AT", 20), ("AZ", 28), ("BA", 20), ("BE", 16), ("BG", 22),
    ("BH", 22), ("BR", 29), ("BY", 28), ("CH", 21), ("CR", 22), ("CY", 28), ("CZ", 24), ("DE", 22),
    ("DK", 18), ("DO", 28), ("EE", 20), ("EG", 29), ("ES", 24), ("FI", 18), ("FO", 18), ("FR", 27),
    ("GB", 22), ("GE", 22), ("GI", 23), ("GL", 18), ("GR", 27), ("GT", 28), ("HR", 21), ("HU", 28),
    ("IE", 22), ("IL", 23), ("IQ", 23), ("IS", 26), ("IT", 27), ("JO", 30), ("KW", 30), ("KZ", 20),
    ("LB", 28), ("LC", 32), ("LI", 21), ("LT", 20), ("LU", 20), ("LV", 21), ("MC", 27), ("MD", 24),
    ("ME", 22), ("MK", 19), ("MR", 27), ("MT", 31), ("MU", 30), ("NL", 18), ("NO", 15), ("PK", 24),
    ("PL", 28), ("PS", 29), ("PT", 25), ("QA", 29), ("RO", 24), ("RS", 22), ("SA", 24), ("SC", 31),
    ("SE", 24), ("SI", 19), ("SK", 24), ("SM", 27), ("ST", 25), ("SV", 28), ("TL", 23), ("TN", 24),
    ("TR", 26), ("UA", 29), ("VA", 22), ("VG", 24), ("XK", 20),
];

/// Push IBANs found in `text[start..end]`.
pub fn scan(text: &str, start: usize, end: usize, out: &mut Vec<Detection>) {
    let b = text.as_bytes();
    find_validated(&IBAN, text, start, end, out, |s, e| {
        let len = LENGTHS
            .iter()
            .find(|(c, _)| c.as_bytes() == &b[s..s + 2])?
            .1;
        // The greedy pattern may swallow a following upper-case word: cut at the
        // country length, which must fall on a group boundary.
        let mut n = 0;
        let mut cut = None;
        for (i, &c) in b[s..e].iter().enumerate() {
            if c != b' ' {
                n += 1;
                if n == len {
                    cut = Some(s + i + 1);
                    break;
                }
            }
        }
        let e = cut?;
        (standalone(b, s, e) && mod97(&b[s..e])).then(|| Detection::new(Entity::Iban, s, e))
    });
}

/// ISO 13616 check: move the first four characters to the end, read letters as
/// 10..35, and the number must be 1 modulo 97.
pub fn mod97(v: &[u8]) -> bool {
    let compact = v.iter().copied().filter(|&c| c != b' ');
    let rotated = compact.clone().skip(4).chain(compact.take(4));
    let mut rem = 0u32;
    for c in rotated {
        let x = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            _ => return false,
        };
        rem = if x >= 10 {
            (rem * 100 + x) % 97
        } else {
            (rem * 10 + x) % 97
        };
    }
    rem == 1
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
    fn registry_examples() {
        assert_eq!(
            find("to DE89 3704 0044 0532 0130 00."),
            ["DE89 3704 0044 0532 0130 00"]
        );
        assert_eq!(find("GB82WEST12345698765432"), ["GB82WEST12345698765432"]);
        assert_eq!(
            find("FR14 2004 1010 0505 0001 3M02 606 THANKS"),
            ["FR14 2004 1010 0505 0001 3M02 606"]
        );
        assert_eq!(find("NL91ABNA0417164300"), ["NL91ABNA0417164300"]);
    }

    #[test]
    fn rejects_bad_check_digits_and_lengths() {
        assert!(find("DE88 3704 0044 0532 0130 00").is_empty());
        assert!(find("DE89 3704 0044 0532 0130").is_empty());
        assert!(find("XX89 3704 0044 0532 0130 00").is_empty());
        assert!(find("SKU AB12 3456 7890").is_empty());
    }
}
