//! Helpers that keep byte spans on UTF-8 character boundaries.
//!
//! The host rejects any span that splits a character, so redaction code that
//! computes offsets by hand should go through these.

/// The largest index `<= i` that is a char boundary of `s` (clamped to `s.len()`).
pub fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest index `>= i` that is a char boundary of `s` (clamped to `s.len()`).
pub fn ceil_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Widen `[start, end)` to the nearest char boundaries so it covers whole characters.
pub fn widen(s: &str, start: usize, end: usize) -> (usize, usize) {
    (floor_boundary(s, start), ceil_boundary(s, end.max(start)))
}

/// Apply non-overlapping `(start, end, replacement)` edits to `s`, in any order.
/// Returns `None` if an edit is out of range, off a char boundary or overlaps another.
pub fn apply_edits(s: &str, edits: &[(usize, usize, &str)]) -> Option<String> {
    let mut sorted: Vec<_> = edits.to_vec();
    sorted.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    for (start, end, rep) in sorted {
        if start < at || end < start || end > s.len() {
            return None;
        }
        if !s.is_char_boundary(start) || !s.is_char_boundary(end) {
            return None;
        }
        out.push_str(&s[at..start]);
        out.push_str(rep);
        at = end;
    }
    out.push_str(&s[at..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_never_split_a_char() {
        let s = "aé€b"; // a(1) é(2) €(3) b(1)
        assert_eq!(floor_boundary(s, 2), 1);
        assert_eq!(ceil_boundary(s, 2), 3);
        assert_eq!(widen(s, 2, 4), (1, 6));
        assert_eq!(floor_boundary(s, 99), s.len());
    }

    #[test]
    fn edits_apply_in_order_and_reject_overlaps() {
        let s = "mail bob@x.io now";
        assert_eq!(
            apply_edits(s, &[(5, 13, "[EMAIL]")]).unwrap(),
            "mail [EMAIL] now"
        );
        assert!(apply_edits(s, &[(0, 6, "a"), (5, 7, "b")]).is_none());
        assert!(apply_edits("é", &[(1, 2, "x")]).is_none());
    }
}
