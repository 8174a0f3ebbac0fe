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

/// Map one lower-case word to a signal index.
fn signal_of(word: &str) -> Option<usize> {
    let name = match word {
        "prove" | "proof" | "proofs" | "proving" => "prove",
        "theorem" | "theorems" | "lemma" | "corollary" | "induction" => "theorem",
        "derive" | "derivation" | "deduce" => "derive",
        "rigorous" | "rigorously" => "rigorous",
        "formally" | "formalize" | "formalise" => "formal",
        "algorithm" | "algorithms" | "algorithmic" => "algorithm",
        "refactor" | "refactoring" | "refactored" => "refactor",
        "debug" | "debugging" | "segfault" | "traceback" => "debug",
        "optimize" | "optimise" | "optimization" | "optimisation" | "optimizing" => "optimize",
        "complexity" | "asymptotic" => "complexity",
        "architecture" | "architect" | "scalability" => "architecture",
        "concurrency" | "deadlock" | "multithreaded" | "async" => "concurrency",
        "analyze" | "analyse" | "analysis" | "analyzing" | "analysing" => "analyze",
        "compare" | "comparison" | "contrast" => "compare",
        "evaluate" | "evaluation" | "assess" | "critique" => "evaluate",
        "tradeoff" | "tradeoffs" => "trade-off",
        "design" | "designing" => "design",
        "implement" | "implementation" | "implementing" => "implement",
        "function" | "compile" | "compiler" | "regex" | "sql" | "bug" | "exception" => "code",
        "equation" | "integral" | "derivative" | "probability" | "matrix" | "eigenvalue" | "statistics" => "math",
        "explain" | "why" => "explain",
        "strategy" | "plan" | "roadmap" => "strategy",
        _ => return None,
    };
    SIGNALS.iter().position(|(n, _)| *n == name)
}

fn signal_index(name: &str) -> usize {
    SIGNALS.iter().position(|(n, _)| *n == name).expect("known signal")
}

/// Markers of pasted stack traces / compiler errors.
const TRACE_MARKERS: &[&str] = &[
    "Traceback (most recent call last)",
    "\n    at ",
    "\n\tat ",
    "panicked at",
    "Exception in thread",
    "error[E0",
    "Segmentation fault",
    "goroutine 1 [",
];

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
    let keywords: f64 = SIGNALS.iter().enumerate().filter(|(i, _)| found & (1 << i) != 0).map(|(_, (_, w))| w).sum();
    let size = if tokens <= 64 { 0.0 } else { ((tokens as f64 / 64.0).ln() / (8000.0f64 / 64.0).ln()).min(1.0) };
    let turns = messages.iter().filter(|m| matches!(m.role, Role::User | Role::Assistant)).count();
    let depth = turns.saturating_sub(1).min(20) as f64 / 20.0;
    let tools = f64::from(tools_offered.min(10)) / 10.0;
    let score = (0.30 * size + keywords.min(KEYWORD_CAP) + 0.15 * tools + 0.10 * depth).clamp(0.0, 1.0);
    let signals = SIGNALS.iter().enumerate().filter(|(i, _)| found & (1 << i) != 0).map(|(_, (n, _))| *n).collect();
    Complexity { score, chars, tokens, signals }
}

/// Bitmask of the signals in `text`.
fn scan(text: &str) -> u64 {
    let mut found = 0u64;
    if text.contains("```") {
        found |= 1 << signal_index("code-fence");
    }
    if TRACE_MARKERS.iter().any(|m| text.contains(m)) {
        found |= 1 << signal_index("stack-trace");
    }
    // Words: maximal ASCII-alphanumeric runs, lower-cased into a stack buffer.
    // The previous two words are kept for phrases ("step by step", "trade off").
    let b = text.as_bytes();
    let (mut prev1, mut prev2) = (Word::default(), Word::default());
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let word = Word::new(&b[start..i]);
        let w = word.as_str();
        if let Some(s) = signal_of(w) {
            found |= 1 << s;
        }
        if w == "step" && prev1.as_str() == "by" && prev2.as_str() == "step" {
            found |= 1 << signal_index("step-by-step");
        }
        if w == "off" && prev1.as_str() == "trade" {
            found |= 1 << signal_index("trade-off");
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
}

impl Word {
    fn new(bytes: &[u8]) -> Self {
        let mut w = Word::default();
        if bytes.len() <= w.buf.len() {
            for (d, s) in w.buf.iter_mut().zip(bytes) {
                *d = s.to_ascii_lowercase();
            }
            w.len = bytes.len() as u8;
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
    fn greetings_score_near_zero() {
        let c = score("hi there!");
        assert_eq!(c.score, 0.0);
        assert_eq!(c.tokens, 3);
        assert!(c.signals.is_empty());
    }

    #[test]
    fn signals_are_found_once_and_case_insensitively() {
        let c = score("Please DEBUG this; debugging is hard. Think step by step and weigh the trade-offs... trade off!");
        assert_eq!(c.signals, ["step-by-step", "debug", "trade-off"]);
        assert!((c.score - 0.5).abs() < 1e-9, "{}", c.score);
    }

    #[test]
    fn traces_and_fences_count() {
        let c = score("Why does this fail?\n```\nTraceback (most recent call last):\n  File \"a.py\"\n```");
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
        let deep: Vec<Message> = (0..30).map(|i| Message::new(if i % 2 == 0 { Role::User } else { Role::Assistant }, "ok")).collect();
        assert!((assess(&deep, 0).score - 0.10).abs() < 1e-9);
    }

    #[test]
    fn only_user_messages_carry_signals() {
        let msgs = [Message::new(Role::System, "Analyze and prove everything."), Message::user("hello")];
        assert!(assess(&msgs, 0).signals.is_empty());
    }
}
