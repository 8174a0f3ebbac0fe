//! The sliding window that guards streamed answers.
//!
//! A streamed answer arrives in small deltas, and a value a policy must edit
//! (an e-mail to pseudonymise, a pseudonym to restore) may be split across
//! them. So the last `window` bytes are held back: each time text arrives the
//! response chain runs over (held + new) text, and only what lies safely
//! before the window is emitted. At the end the held text is checked and
//! flushed. A value shorter than the window is therefore always seen whole.
//!
//! The chain returns edited text, not edit positions, so [`split`] finds the
//! changed region by comparing the raw and edited text (common prefix and
//! suffix) and never cuts through it.

/// Split `raw` (held + new text) and `edited` (the chain's result for it) into
/// `(emit, hold)`: `emit` is final output text, `hold` is raw text to keep for
/// the next round. At most about `window` bytes are held, unless an edit
/// straddles the window's edge, in which case the edit is emitted whole.
pub fn split(raw: &str, edited: &str, window: usize) -> (String, String) {
    let Some(cut) = raw.len().checked_sub(window).filter(|&c| c > 0) else {
        return (String::new(), raw.to_string());
    };
    let cut = floor_boundary(raw, cut);
    if raw == edited {
        return (raw[..cut].to_string(), raw[cut..].to_string());
    }
    let prefix = common_prefix(raw, edited);
    let suffix = common_suffix(raw, edited, prefix);
    let changed_end = raw.len() - suffix;
    if changed_end <= cut {
        // Every edit lies before the window: emit the edited text up to the
        // point matching `cut` (the tail after it is unchanged).
        let keep = raw.len() - cut;
        return (
            edited[..edited.len() - keep].to_string(),
            raw[cut..].to_string(),
        );
    }
    if prefix >= cut {
        // Every edit lies inside the window: redo them with more context later.
        return (raw[..cut].to_string(), raw[cut..].to_string());
    }
    // An edit straddles the edge: emit through the last edit, hold the rest.
    (
        edited[..edited.len() - suffix].to_string(),
        raw[changed_end..].to_string(),
    )
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn common_prefix(a: &str, b: &str) -> usize {
    let n = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    floor_boundary(a, n)
}

/// Common suffix length, not overlapping the common prefix, on char boundaries.
fn common_suffix(a: &str, b: &str, prefix: usize) -> usize {
    let max = (a.len() - prefix).min(b.len() - prefix);
    let mut n = a
        .bytes()
        .rev()
        .zip(b.bytes().rev())
        .take(max)
        .take_while(|(x, y)| x == y)
        .count();
    while !a.is_char_boundary(a.len() - n) || !b.is_char_boundary(b.len() - n) {
        n -= 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_held_whole() {
        assert_eq!(split("hello", "hello", 8), (String::new(), "hello".into()));
    }

    #[test]
    fn unchanged_text_keeps_exactly_the_window() {
        assert_eq!(
            split("abcdefghij", "abcdefghij", 4),
            ("abcdef".into(), "ghij".into())
        );
        // Never splits a character: "é" is two bytes.
        assert_eq!(
            split("abcdéfg", "abcdéfg", 3),
            ("abcd".into(), "éfg".into())
        );
    }

    #[test]
    fn edits_before_the_window_are_emitted_edited() {
        let (emit, hold) = split(
            "mail a@b.c now, more text here",
            "mail <EMAIL_1> now, more text here",
            10,
        );
        assert_eq!(hold, " text here");
        assert_eq!(
            format!("{emit}{hold}"),
            "mail <EMAIL_1> now, more text here"
        );
    }

    #[test]
    fn edits_inside_the_window_wait_for_more_context() {
        let (emit, hold) = split("some text then a@b.c", "some text then <EMAIL_1>", 10);
        assert_eq!((emit.as_str(), hold.as_str()), ("some text ", "then a@b.c"));
        // An append at the very end (misbehave's tag) also waits.
        assert_eq!(
            split("0123456789", "0123456789 [x]", 4),
            ("012345".into(), "6789".into())
        );
    }

    #[test]
    fn an_edit_straddling_the_edge_is_emitted_whole() {
        let (emit, hold) = split("xx a@example.com yy", "xx <EMAIL_1> yy", 10);
        assert_eq!((emit.as_str(), hold.as_str()), ("xx <EMAIL_1>", " yy"));
    }
}
