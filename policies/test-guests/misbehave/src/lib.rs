//! A policy that misbehaves on demand, so host tests can prove each fault is
//! contained. Its config picks the behaviour: `{"mode": "trap"}` and so on.

use serde::Deserialize;
use warden_sdk::{ConfigError, Edit, Input, Phase, Policy, PolicyInfo, Span, Verdict};

#[derive(Deserialize, Clone, Copy, PartialEq)]
#[serde(rename_all = "kebab-case")]
enum Mode {
    /// Allow everything: the empty policy of the overhead benchmark.
    Allow,
    /// Deny everything.
    Deny,
    /// `unreachable` trap.
    Trap,
    /// Spin forever (stopped by the host's time limit).
    Loop,
    /// Allocate until the host's memory limit stops it.
    MemoryBomb,
    /// Return an edit whose span ends past the message.
    BadSpan,
    /// Return an edit splitting a multi-byte character.
    SplitChar,
    /// Return a route without declaring the route effect.
    UndeclaredRoute,
    /// Return `Err` from evaluate.
    GuestError,
    /// Log a line through the host's log import, and allow.
    Log,
    /// Append the tenant name to the first message (declared modify effect).
    Tag,
    /// Ask for human approval (high risk; declared approve effect).
    Approve,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    mode: Mode,
    /// Tag text for `tag` mode, so tests can tell chain versions apart.
    #[serde(default)]
    tag: String,
}

struct Misbehave {
    mode: Mode,
    tag: String,
}

impl Policy for Misbehave {
    fn info() -> PolicyInfo {
        PolicyInfo::new("misbehave", "0.1.0", "test guest that faults on demand")
            .phases(&Phase::ALL)
            .modifies()
            .approves()
    }

    fn configure(config: &str) -> Result<Self, ConfigError> {
        let c: Config = warden_sdk::parse_config(config)?;
        Ok(Self {
            mode: c.mode,
            tag: c.tag,
        })
    }

    fn evaluate(&self, input: &Input) -> Result<Verdict, String> {
        let len = input.messages.first().map_or(0, |m| m.content.len());
        match self.mode {
            Mode::Allow => Ok(Verdict::allow()),
            Mode::Deny => Ok(Verdict::deny("denied by test guest")),
            Mode::Trap => std::process::abort(),
            Mode::Loop => {
                let mut x: u64 = 0;
                loop {
                    x = std::hint::black_box(x.wrapping_add(1));
                }
            }
            Mode::MemoryBomb => {
                let mut hoard: Vec<Vec<u8>> = Vec::new();
                loop {
                    hoard.push(vec![1u8; 1 << 20]);
                    std::hint::black_box(&hoard);
                }
            }
            Mode::BadSpan => Ok(Verdict::modify(vec![Edit {
                span: Span::message(0, 0, len + 10),
                replacement: "x".into(),
            }])),
            Mode::SplitChar => Ok(Verdict::modify(vec![Edit {
                span: Span::message(0, 0, 1),
                replacement: "x".into(),
            }])),
            Mode::UndeclaredRoute => Ok(Verdict::route(Some("other".into()), None)),
            Mode::GuestError => Err("the guest gave up".into()),
            Mode::Log => {
                warden_sdk::log::info("hello from the guest", &[("len", &len.to_string())]);
                Ok(Verdict::allow())
            }
            Mode::Approve => Ok(Verdict::require_approval(
                warden_sdk::RiskLevel::High,
                "a person must look at this request",
            )),
            Mode::Tag => Ok(Verdict::modify(vec![Edit {
                span: Span::message(0, len, len),
                replacement: format!(" [{}]", self.tag),
            }])),
        }
    }
}

warden_sdk::export_policy!(Misbehave);
