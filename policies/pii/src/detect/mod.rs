//! Find PII in one text: a cheap byte prefilter, then per-family detectors that
//! run only where the prefilter saw a trigger, then overlap resolution.
//!
//! Why this shape: most prompts contain no PII, and regexes over every byte of
//! every message would dominate latency. One pass over the bytes classifies what
//! is present (`@`, digits, `:`/`=`, secret prefixes); digit-based families run
//! only on small windows around digit clusters; e-mail, IPv6 and assignments are
//! checked by hand at their trigger byte. A clean text allocates nothing.

pub mod card;
pub mod email;
pub mod iban;
pub mod ip;
pub mod phone;
pub mod secret;
pub mod ssn;

use crate::entity::{Entity, EntitySet};

/// One detected value: `[start, end)` byte offsets into the scanned text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detection {
    /// Family.
    pub kind: Entity,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Detection {
    /// A detection of `kind` at `[start, end)`.
    pub fn new(kind: Entity, start: usize, end: usize) -> Self {
        Self { kind, start, end }
    }
}

const DIGIT: u8 = 1;
const AT: u8 = 2;
const PUNCT: u8 = 4; // ':' or '='
const SECRETISH: u8 = 8; // '-' or '_': every key prefix but AKIA/ASIA/eyJ has one

const fn classes() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut b = b'0';
    while b <= b'9' {
        t[b as usize] = DIGIT;
        b += 1;
    }
    t[b'@' as usize] = AT;
    t[b':' as usize] = PUNCT;
    t[b'=' as usize] = PUNCT;
    t[b'-' as usize] = SECRETISH;
    t[b'_' as usize] = SECRETISH;
    t
}
static CLASS: [u8; 256] = classes();

/// Which trigger classes occur in `bytes` (one branch-free pass).
fn prefilter(bytes: &[u8]) -> u8 {
    let mut seen = 0u8;
    for chunk in bytes.chunks(64) {
        for &b in chunk {
            seen |= CLASS[b as usize];
        }
        if seen == DIGIT | AT | PUNCT | SECRETISH {
            break;
        }
    }
    seen
}

/// All detections of the `enabled` families in `text`, sorted by start and
/// non-overlapping (on overlap the longer, then the more specific, wins).
pub fn scan(text: &str, enabled: EntitySet) -> Vec<Detection> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let seen = prefilter(bytes);
    // AKIA.../ASIA.../eyJ... keys carry no trigger byte of their own.
    let unmarked = enabled.contains(Entity::Secret) && secret::maybe_unmarked_key(bytes);
    if enabled.contains(Entity::Secret) {
        // Prose disclosures ("my password is ..."): one memchr pass, no allocation.
        secret::prose(text, &mut out);
    }
    if seen == 0 && !unmarked {
        return out;
    }
    if seen & DIGIT != 0
        && enabled.any(&[
            Entity::Phone,
            Entity::CreditCard,
            Entity::Ssn,
            Entity::Iban,
            Entity::Ip,
        ])
    {
        for (start, end) in DigitWindows::new(bytes) {
            scan_window(text, start, end, enabled, &mut out);
        }
    }
    if seen & (AT | PUNCT) != 0 {
        for at in memchr::memchr3_iter(b'@', b':', b'=', bytes) {
            match bytes[at] {
                // `scheme://user:pass@host`: a credential, never an e-mail address.
                b'@' => match secret::url_userinfo(bytes, at) {
                    Some(s) if enabled.contains(Entity::Secret) => {
                        secret::userinfo(text, s, at, &mut out)
                    }
                    Some(_) => {}
                    None if enabled.contains(Entity::Email) => email::at(text, at, &mut out),
                    None => {}
                },
                b':' => {
                    if enabled.contains(Entity::Ip) {
                        ip::v6_at(text, at, &mut out);
                    }
                    if enabled.contains(Entity::Secret) {
                        secret::assignment_at(text, at, &mut out);
                    }
                }
                b'=' if enabled.contains(Entity::Secret) => {
                    secret::assignment_at(text, at, &mut out)
                }
                _ => {}
            }
        }
    }
    if enabled.contains(Entity::Secret) && (seen & SECRETISH != 0 || unmarked) {
        secret::keys(text, &mut out);
    }
    resolve(&mut out);
    out
}

/// What a window could hold, from one pass over its bytes: most digit windows in
/// prose ("in 1764", "chapter 12") cannot hold any digit family, and skipping the
/// regexes there is what keeps clean text fast.
fn scan_window(text: &str, start: usize, end: usize, enabled: EntitySet, out: &mut Vec<Detection>) {
    let w = &text.as_bytes()[start..end];
    let digits = w.iter().filter(|c| c.is_ascii_digit()).count();
    if digits < 4 {
        return;
    }
    let dotted = w
        .windows(3)
        .any(|t| t[0].is_ascii_digit() && t[1] == b'.' && t[2].is_ascii_digit());
    let country = w.windows(4).any(|t| {
        t[0].is_ascii_uppercase()
            && t[1].is_ascii_uppercase()
            && t[2].is_ascii_digit()
            && t[3].is_ascii_digit()
    });
    if digits >= 12 && enabled.contains(Entity::CreditCard) {
        card::scan(text, start, end, out);
    }
    if digits >= 6 && country && enabled.contains(Entity::Iban) {
        iban::scan(text, start, end, out);
    }
    if digits >= 9 && enabled.contains(Entity::Ssn) {
        ssn::scan(text, start, end, out);
    }
    if digits >= 8 && enabled.contains(Entity::Phone) {
        phone::scan(text, start, end, out);
    }
    if dotted && enabled.contains(Entity::Ip) {
        ip::v4_scan(text, start, end, out);
    }
}

/// Compile every regex now, so that the first evaluation of an instance does not
/// pay for it (called from `configure`).
pub fn warm_up() {
    let _ = scan(
        "4111 1111 1111 1111 +1 415 555 0132 123-45-6789 DE89370400440532013000 10.0.0.1 sk-",
        EntitySet::all(),
    );
}

/// Keep one detection per overlapping group: longest first, then most specific.
fn resolve(found: &mut Vec<Detection>) {
    if found.len() < 2 {
        return;
    }
    found.sort_by_key(|d| {
        (
            std::cmp::Reverse(d.end - d.start),
            std::cmp::Reverse(d.kind.specificity()),
            d.start,
        )
    });
    let mut kept: Vec<Detection> = Vec::with_capacity(found.len());
    for d in found.iter() {
        if kept.iter().all(|k| d.end <= k.start || d.start >= k.end) {
            kept.push(*d);
        }
    }
    kept.sort_by_key(|d| d.start);
    *found = kept;
}

/// Longest digit-family match reaches this far from its nearest digit.
const MARGIN: usize = 40;
/// How far a window edge may move to reach whitespace before giving up.
const ALIGN: usize = 64;
/// Digits closer than this share a window. It must exceed the reach of two
/// windows (margins plus alignment) so that a value is never cut between two.
const GAP: usize = 2 * MARGIN + ALIGN + 1;

/// Non-overlapping windows around clusters of digits, widened to whitespace so
/// a regex never starts in the middle of a token.
struct DigitWindows<'a> {
    bytes: &'a [u8],
    pos: usize,
    prev_end: usize,
}

impl<'a> DigitWindows<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            pos: 0,
            prev_end: 0,
        }
    }
}

impl Iterator for DigitWindows<'_> {
    type Item = (usize, usize);
    fn next(&mut self) -> Option<(usize, usize)> {
        let b = self.bytes;
        let first = self.pos + b[self.pos..].iter().position(u8::is_ascii_digit)?;
        let mut last = first;
        let mut j = first + 1;
        while j < b.len() && j < last + GAP {
            if b[j].is_ascii_digit() {
                last = j;
            }
            j += 1;
        }
        let start = align_left(b, first.saturating_sub(MARGIN)).max(self.prev_end);
        let end = align_right(b, (last + 1 + MARGIN).min(b.len()));
        self.pos = end;
        self.prev_end = end;
        Some((start, end))
    }
}

fn align_left(b: &[u8], mut i: usize) -> usize {
    let floor = i.saturating_sub(ALIGN);
    while i > floor && !b[i - 1].is_ascii_whitespace() {
        i -= 1;
    }
    // Never land inside a UTF-8 sequence.
    while i > 0 && (b[i] & 0xC0) == 0x80 {
        i -= 1;
    }
    i
}

fn align_right(b: &[u8], mut i: usize) -> usize {
    let ceil = (i + ALIGN).min(b.len());
    while i < ceil && !b[i].is_ascii_whitespace() {
        i += 1;
    }
    while i < b.len() && (b[i] & 0xC0) == 0x80 {
        i += 1;
    }
    i
}

/// Letters, digits and `_`: bytes that glue a match to its neighbour.
pub(crate) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether `[start, end)` stands alone: not glued to a word, and not one part of
/// a longer dotted/dashed token such as a UUID, version or order id.
pub(crate) fn standalone(b: &[u8], start: usize, end: usize) -> bool {
    let joiner = |c: u8| matches!(c, b'-' | b'.' | b'/' | b'_');
    let before = start == 0 || {
        let p = b[start - 1];
        !(is_word(p) || (joiner(p) && start >= 2 && b[start - 2].is_ascii_alphanumeric()))
    };
    let after = end >= b.len() || {
        let n = b[end];
        !(is_word(n) || (joiner(n) && end + 1 < b.len() && b[end + 1].is_ascii_alphanumeric()))
    };
    before && after
}

/// Whether one of `words` (lower-case ASCII) occurs within `span` bytes before `at`.
pub(crate) fn keyword_before(text: &str, at: usize, span: usize, words: &[&str]) -> bool {
    let from = warden_sdk::span::floor_boundary(text, at.saturating_sub(span));
    let hay = &text.as_bytes()[from..at];
    words.iter().any(|w| {
        hay.windows(w.len())
            .any(|win| win.eq_ignore_ascii_case(w.as_bytes()))
    })
}

/// Run `re` over `text[start..end]` (with the text before as look-behind context),
/// pushing every match that `accept` turns into a detection. A rejected match is
/// retried one byte later, so a long digit run cannot hide a valid value inside it.
pub(crate) fn find_validated(
    re: &regex::Regex,
    text: &str,
    start: usize,
    end: usize,
    out: &mut Vec<Detection>,
    mut accept: impl FnMut(usize, usize) -> Option<Detection>,
) {
    let hay = &text[..end];
    let mut pos = start;
    while pos < end {
        let Some(m) = re.find_at(hay, pos) else { break };
        if let Some(d) = accept(m.start(), m.end()) {
            out.push(d);
            pos = m.end().max(m.start() + 1);
        } else {
            pos = warden_sdk::span::ceil_boundary(text, m.start() + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Entity, &str)> {
        scan(text, EntitySet::all())
            .into_iter()
            .map(|d| (d.kind, &text[d.start..d.end]))
            .collect()
    }

    #[test]
    fn clean_text_finds_nothing() {
        assert!(kinds("The quick brown fox jumps over the lazy dog.").is_empty());
        assert!(
            kinds(
                "Release 2.14.3 shipped on 2024-03-15 at 10:22:31, order #48213377 cost $1,299.99."
            )
            .is_empty()
        );
        assert!(kinds("id 550e8400-e29b-41d4-a716-446655440000 and x = 3; a: b").is_empty());
    }

    #[test]
    fn finds_each_family_in_one_text() {
        let t = "Mail bob@example.com or call (415) 555-0132, card 4111 1111 1111 1111, \
                 SSN 123-45-6789, IBAN DE89 3704 0044 0532 0130 00, host 192.168.1.20, \
                 key AKIAIOSFODNN7EXAMPLE.";
        let got = kinds(t);
        let want = [
            (Entity::Email, "bob@example.com"),
            (Entity::Phone, "(415) 555-0132"),
            (Entity::CreditCard, "4111 1111 1111 1111"),
            (Entity::Ssn, "123-45-6789"),
            (Entity::Iban, "DE89 3704 0044 0532 0130 00"),
            (Entity::Ip, "192.168.1.20"),
            (Entity::Secret, "AKIAIOSFODNN7EXAMPLE"),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn url_credentials_win_over_email() {
        let tok = format!("ghp_{}", "MObsx1wF1jiAdFQF2AQ7".repeat(2));
        let t = format!("git remote set-url origin https://{tok}@github.com/acme/infra.git");
        assert_eq!(kinds(&t), [(Entity::Secret, tok.as_str())]);
        let t = "DATABASE_URL=postgres://app:Zq8!mN4p@10.1.2.3/app, admin bob@example.com";
        assert_eq!(
            kinds(t),
            [
                (Entity::Secret, "Zq8!mN4p"),
                (Entity::Ip, "10.1.2.3"),
                (Entity::Email, "bob@example.com")
            ]
        );
        assert!(kinds("clone ssh://git@github.com/acme/infra.git").is_empty());
    }

    #[test]
    fn windows_cover_every_digit_and_do_not_overlap() {
        let t = "a 1 b ".repeat(50) + &"x".repeat(300) + " 42";
        let w: Vec<_> = DigitWindows::new(t.as_bytes()).collect();
        assert!(w.windows(2).all(|p| p[0].1 <= p[1].0));
        for (i, b) in t.bytes().enumerate() {
            if b.is_ascii_digit() {
                assert!(
                    w.iter().any(|&(s, e)| s <= i && i < e),
                    "digit at {i} uncovered"
                );
            }
        }
    }

    #[test]
    fn spans_stay_on_char_boundaries_next_to_multibyte_text() {
        let t = "€€€ 电话 +44 20 7946 0958 ✓ mail é@x.io ok ü.bob@example.com";
        for d in scan(t, EntitySet::all()) {
            assert!(t.is_char_boundary(d.start) && t.is_char_boundary(d.end));
        }
        assert!(kinds(t).contains(&(Entity::Phone, "+44 20 7946 0958")));
    }
}
