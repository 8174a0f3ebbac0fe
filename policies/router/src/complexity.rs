//! How hard is this request? A cheap, explainable score in `[0, 1]`.
//!
//! The router must decide in microseconds and explain itself, so this is a
//! weighted sum of visible features rather than a model:
//!
//! | feature | contribution |
//! | --- | --- |
//! | size: estimated tokens (chars / 4) of all messages, log-scaled from 64 to 8,000 | up to 0.30 |
//! | reasoning / code / analysis signals in user messages (each counted once) | up to 0.80 |
//! | tools offered (metadata `tools-offered`), saturating at 10 | up to 0.15 |
//! | conversation depth (user + assistant turns), saturating at 20 | up to 0.10 |
//!
//! Signals weigh 0.30 for formal reasoning (`prove`, `theorem`, `rigorous`...),
//! 0.20 for hard engineering or analysis (`debug`, `refactor`, `algorithm`,
//! `step by step`, `analyze`, a stack trace...) and 0.10 for lighter hints
//! (`compare`, `implement`, a code fence...). So a greeting scores ~0, a short
//! debugging request with a trace lands in the middle tier, and a multi-signal
//! proof request in the top tier.

use std::sync::OnceLock;

use warden_sdk::{Message, Role};

/// Named signals and their weights.
const SIGNALS: &[(&str, f64)] = &[
    ("prove", 0.30),
    ("theorem", 0.30),
    ("derive", 0.30),
    ("rigorous", 0.30),
    ("formal", 0.30),
    ("step-by-step", 0.20),
    ("algorithm", 0.20),
    ("refactor", 0.20),
    ("debug", 0.20),
    ("optimize", 0.20),
    ("complexity", 0.20),
    ("architecture", 0.20),
    ("concurrency", 0.20),
    ("analyze", 0.20),
    ("stack-trace", 0.20),
    ("compare", 0.10),
    ("evaluate", 0.10),
    ("trade-off", 0.10),
    ("design", 0.10),
    ("implement", 0.10),
    ("code", 0.10),
    ("math", 0.10),
    ("explain", 0.10),
    ("strategy", 0.10),
    ("code-fence", 0.10),
];
const KEYWORD_CAP: f64 = 0.80;

/// Word → signal name, sorted by word for binary search (a `match` over ~80
/// strings compares sequentially and dominated the scan).
const WORDS: &[(&str, &str)] = &[
    ("algorithm", "algorithm"),
    ("algorithmic", "algorithm"),
    ("algorithms", "algorithm"),
    ("analyse", "analyze"),
    ("analysing", "analyze"),
    ("analysis", "analyze"),
    ("analyze", "analyze"),
    ("analyzing", "analyze"),
    ("architect", "architecture"),
    ("architecture", "architecture"),
    ("assess", "evaluate"),
    ("asymptotic", "complexity"),
    ("async", "concurrency"),
    ("bug", "code"),
    ("compare", "compare"),
    ("comparison", "compare"),
    ("compile", "code"),
    ("compiler", "code"),
    ("complexity", "complexity"),
    ("concurrency", "concurrency"),
    ("contrast", "compare"),
    ("corollary", "theorem"),
    ("critique", "evaluate"),
    ("deadlock", "concurrency"),
    ("debug", "debug"),
    ("debugging", "debug"),
    ("deduce", "derive"),
    ("derivation", "derive"),
    ("derivative", "math"),
    ("derive", "derive"),
    ("design", "design"),
    ("designing", "design"),
    ("eigenvalue", "math"),
    ("equation", "math"),
    ("evaluate", "evaluate"),
    ("evaluation", "evaluate"),
    ("exception", "code"),
    ("explain", "explain"),
    ("formalise", "formal"),
    ("formalize", "formal"),
    ("formally", "formal"),
    ("function", "code"),
    ("implement", "implement"),
    ("implementation", "implement"),
    ("implementing", "implement"),
    ("induction", "theorem"),
    ("integral", "math"),
    ("lemma", "theorem"),
    ("matrix", "math"),
    ("multithreaded", "concurrency"),
    ("optimisation", "optimize"),
    ("optimise", "optimize"),
    ("optimization", "optimize"),
    ("optimize", "optimize"),
    ("optimizing", "optimize"),
    ("plan", "strategy"),
    ("probability", "math"),
    ("proof", "prove"),
    ("proofs", "prove"),
    ("prove", "prove"),
    ("proving", "prove"),
    ("refactor", "refactor"),
    ("refactored", "refactor"),
    ("refactoring", "refactor"),
    ("regex", "code"),
    ("rigorous", "rigorous"),
    ("rigorously", "rigorous"),
    ("roadmap", "strategy"),
    ("scalability", "architecture"),
    ("segfault", "debug"),
    ("sql", "code"),
    ("statistics", "math"),
    ("strategy", "strategy"),
    ("theorem", "theorem"),
    ("theorems", "theorem"),
    ("traceback", "debug"),
    ("tradeoff", "trade-off"),
    ("tradeoffs", "trade-off"),
    ("why", "explain"),
];

#[cfg(test)]
/// Map one lower-case word to a signal index.
fn signal_of(word: &str) -> Option<usize> {
    let i = WORDS.binary_search_by(|(w, _)| w.cmp(&word)).ok()?;
    SIGNALS.iter().position(|(n, _)| *n == WORDS[i].1)
}

fn signal_index(name: &str) -> usize {
    SIGNALS
        .iter()
        .position(|(n, _)| *n == name)
        .expect("known signal")
}

/// The score and what produced it.
#[derive(Debug, Clone, PartialEq)]
pub struct Complexity {
    /// In `[0, 1]`.
    pub score: f64,
    /// Characters in all messages.
    pub chars: usize,
    /// Estimated input tokens: `ceil(chars / 4)`.
    pub tokens: u64,
    /// Names of the signals found.
    pub signals: Vec<&'static str>,
}

/// Score a request.
pub fn assess(messages: &[Message], tools_offered: u32) -> Complexity {
    let chars: usize = messages.iter().map(|m| m.content.chars().count()).sum();
    let tokens = chars.div_ceil(4) as u64;
    let mut found: u64 = 0;
    for m in messages.iter().filter(|m| m.role == Role::User) {
        found |= scan(&m.content);
    }
    let keywords: f64 = SIGNALS
        .iter()
        .enumerate()
        .filter(|(i, _)| found & (1 << i) != 0)
        .map(|(_, (_, w))| w)
        .sum();
    let size = if tokens <= 64 {
        0.0
    } else {
        ((tokens as f64 / 64.0).ln() / (8000.0f64 / 64.0).ln()).min(1.0)
    };
    let turns = messages
        .iter()
        .filter(|m| matches!(m.role, Role::User | Role::Assistant))
        .count();
    let depth = turns.saturating_sub(1).min(20) as f64 / 20.0;
    let tools = f64::from(tools_offered.min(10)) / 10.0;
    let score =
        (0.30 * size + keywords.min(KEYWORD_CAP) + 0.15 * tools + 0.10 * depth).clamp(0.0, 1.0);
    let signals = SIGNALS
        .iter()
        .enumerate()
        .filter(|(i, _)| found & (1 << i) != 0)
        .map(|(_, (n, _))| *n)
        .collect();
    Complexity {
        score,
        chars,
        tokens,
        signals,
    }
}

/// FNV-1a, used to look words up with one integer binary search instead of
/// several string comparisons per word (the scan runs over every user byte).
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The word table, built on first use.
struct Table {
    /// `(hash, index into WORDS)`, sorted by hash.
    words: Vec<(u64, usize)>,
    /// One bit per `hash % 1024` of every word the scan looks at (the table's
    /// and the special words below): most words of a prompt miss it and skip
    /// the lookup and the comparisons.
    maybe: [u64; 16],
}

impl Table {
    fn may_hold(&self, hash: u64) -> bool {
        let bit = (hash % 1024) as usize;
        self.maybe[bit / 64] & (1 << (bit % 64)) != 0
    }
}

/// Words with a meaning of their own in [`scan`] (besides [`WORDS`]).
const SPECIAL_WORDS: &[&str] = &["error", "exception", "step", "off"];

/// Every word [`scan`] compares against: what the prefilter must let through.
fn looked_at() -> impl Iterator<Item = &'static str> {
    let words = WORDS.iter().map(|(w, _)| *w);
    words
        .chain(TRACE_WORDS.iter().copied())
        .chain(SPECIAL_WORDS.iter().copied())
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut words: Vec<_> = WORDS
            .iter()
            .enumerate()
            .map(|(i, (w, _))| (fnv(w.as_bytes()), i))
            .collect();
        words.sort_unstable();
        let mut t = Table {
            words,
            maybe: [0; 16],
        };
        for w in looked_at() {
            let bit = (fnv(w.as_bytes()) % 1024) as usize;
            t.maybe[bit / 64] |= 1 << (bit % 64);
        }
        t
    })
}

/// Words that show a pasted stack trace or crash report.
const TRACE_WORDS: &[&str] = &["traceback", "panicked", "goroutine", "segfault"];

/// Bitmask of the signals in `text`, in one pass over its bytes.
///
/// Words are maximal ASCII-alphanumeric runs, lower-cased into a stack buffer;
/// the previous two are kept for phrases ("step by step", "trade off"). Code
/// fences and trace lines (`\n    at `, `\n\tat `, `error[E…`, `Exception in
/// thread`) are recognised at the bytes where they start.
fn scan(text: &str) -> u64 {
    let b = text.as_bytes();
    let bit = |name: &str| 1u64 << signal_index(name);
    let mut found = 0u64;
    let (mut prev1, mut prev2) = (Word::default(), Word::default());
    let t = table();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if !c.is_ascii_alphanumeric() {
            if c == b'`' && b[i..].starts_with(b"```") {
                found |= bit("code-fence");
            } else if c == b'\n'
                && (b[i + 1..].starts_with(b"    at ") || b[i + 1..].starts_with(b"\tat "))
            {
                found |= bit("stack-trace");
            }
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let word = Word::new(&b[start..i]);
        if word.len >= 3 && t.may_hold(word.hash) {
            let w = word.as_str();
            if let Ok(k) = t.words.binary_search_by_key(&word.hash, |e| e.0)
                && WORDS[t.words[k].1].0 == w
            {
                found |= bit(WORDS[t.words[k].1].1);
            }
            let rest = &b[i..];
            if TRACE_WORDS.contains(&w)
                || (w == "error" && rest.starts_with(b"[E"))
                || (w == "exception" && rest.starts_with(b" in thread"))
            {
                found |= bit("stack-trace");
            }
            if w == "step" && prev1.as_str() == "by" && prev2.as_str() == "step" {
                found |= bit("step-by-step");
            }
            if w == "off" && prev1.as_str() == "trade" {
                found |= bit("trade-off");
            }
        }
        prev2 = prev1;
        prev1 = word;
    }
    found
}

/// A short lower-cased ASCII word; longer words are kept empty (no signal is long).
#[derive(Clone, Copy, Default)]
struct Word {
    buf: [u8; 16],
    len: u8,
    hash: u64,
}

impl Word {
    fn new(bytes: &[u8]) -> Self {
        let mut w = Word::default();
        if bytes.len() <= w.buf.len() {
            for (d, s) in w.buf.iter_mut().zip(bytes) {
                *d = s.to_ascii_lowercase();
            }
            w.len = bytes.len() as u8;
            w.hash = fnv(&w.buf[..bytes.len()]);
        }
        w
    }
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len as usize]).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(text: &str) -> Complexity {
        assess(&[Message::user(text)], 0)
    }

    #[test]
    fn word_table_is_sorted_and_complete() {
        assert!(WORDS.windows(2).all(|p| p[0].0 < p[1].0));
        let t = table();
        assert!(
            t.words.windows(2).all(|p| p[0].0 < p[1].0),
            "FNV collision in WORDS"
        );
        for w in looked_at() {
            assert!(
                t.may_hold(Word::new(w.as_bytes()).hash),
                "prefilter drops {w}"
            );
        }
        assert!(
            WORDS
                .iter()
                .all(|(_, n)| SIGNALS.iter().any(|(s, _)| s == n))
        );
        assert_eq!(signal_of("proof"), Some(signal_index("prove")));
        assert_eq!(signal_of("monkey"), None);
    }

    #[test]
    fn greetings_score_near_zero() {
        let c = score("hi there!");
        assert_eq!(c.score, 0.0);
        assert_eq!(c.tokens, 3);
        assert!(c.signals.is_empty());
    }

    #[test]
    fn signals_are_found_once_and_case_insensitively() {
        let c = score(
            "Please DEBUG this; debugging is hard. Think step by step and weigh the trade-offs... trade off!",
        );
        assert_eq!(c.signals, ["step-by-step", "debug", "trade-off"]);
        assert!((c.score - 0.5).abs() < 1e-9, "{}", c.score);
    }

    #[test]
    fn traces_and_fences_count() {
        let c = score(
            "Why does this fail?\n```\nTraceback (most recent call last):\n  File \"a.py\"\n```",
        );
        assert!(c.signals.contains(&"stack-trace") && c.signals.contains(&"code-fence"));
    }

    #[test]
    fn proofs_reach_the_top_and_size_tools_depth_add_up() {
        assert!(score("Prove rigorously, step by step, that the theorem holds").score > 0.7);
        let long = "word ".repeat(8000);
        let c = score(&long);
        assert!((c.score - 0.30).abs() < 1e-9, "{}", c.score);
        let many = assess(&[Message::user("hi")], 50);
        assert!((many.score - 0.15).abs() < 1e-9);
        let deep: Vec<Message> = (0..30)
            .map(|i| {
                Message::new(
                    if i % 2 == 0 {
                        Role::User
                    } else {
                        Role::Assistant
                    },
                    "ok",
                )
            })
            .collect();
        assert!((assess(&deep, 0).score - 0.10).abs() < 1e-9);
    }

    #[test]
    fn only_user_messages_carry_signals() {
        let msgs = [
            Message::new(Role::System, "Analyze and prove everything."),
            Message::user("hello"),
        ];
        assert!(assess(&msgs, 0).signals.is_empty());
    }
}
