//! A per-tenant banned-topics list: the smallest useful Warden policy.
//!
//! Build with `cargo build --target wasm32-wasip2 --release`, then try it with
//! `warden check --policy target/wasm32-wasip2/release/banned_topics.wasm "..."`.

use serde::Deserialize;
use warden_sdk::{ConfigError, Finding, Input, Phase, Policy, PolicyInfo, Severity, Span, Verdict};

/// Tenant configuration: `{"topics": ["crypto", "medical advice"]}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    topics: Vec<String>,
}

/// Denies any message that mentions a banned topic (case-insensitive).
pub struct BannedTopics {
    topics: Vec<String>,
}

impl Policy for BannedTopics {
    fn info() -> PolicyInfo {
        PolicyInfo::new(
            "banned-topics",
            "0.1.0",
            "denies messages that mention a banned topic",
        )
        .phases(&[Phase::Request, Phase::Response])
    }

    fn configure(config: &str) -> Result<Self, ConfigError> {
        let cfg: Config = warden_sdk::parse_config(config)?;
        if let Some(i) = cfg.topics.iter().position(|t| t.trim().is_empty()) {
            return Err(ConfigError::at(
                format!("topics[{i}]"),
                "a topic must not be empty",
            ));
        }
        Ok(Self {
            topics: cfg.topics.iter().map(|t| t.to_lowercase()).collect(),
        })
    }

    fn evaluate(&self, input: &Input) -> Result<Verdict, String> {
        for (i, message) in input.messages.iter().enumerate() {
            let text = message.content.to_lowercase();
            for topic in &self.topics {
                // Lower-casing can change byte lengths, so only point at the text when it did not.
                if let Some(at) = find_word(&text, topic) {
                    let finding = Finding::new("banned-topics.match", "topic", Severity::Medium)
                        .detail(format!("mentions banned topic {topic:?}"));
                    let finding = if text.len() == message.content.len() {
                        finding.at(Span::message(i, at, at + topic.len()))
                    } else {
                        finding
                    };
                    return Ok(
                        Verdict::deny(format!("topic {topic:?} is not allowed here"))
                            .finding(finding),
                    );
                }
            }
        }
        Ok(Verdict::allow())
    }
}

/// First occurrence of `word` in `text` as a whole word ("crypto" is not in "cryptographer").
fn find_word(text: &str, word: &str) -> Option<usize> {
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    text.match_indices(word).map(|(at, _)| at).find(|&at| {
        !is_word(text[..at].chars().next_back()) && !is_word(text[at + word.len()..].chars().next())
    })
}

warden_sdk::export_policy!(BannedTopics);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn denies_a_banned_topic_and_names_the_key_of_a_bad_config() {
        let p = BannedTopics::configure(r#"{"topics":["Crypto"]}"#).unwrap();
        assert_eq!(
            p.evaluate(&Input::request("Which CRYPTO coin?"))
                .unwrap()
                .action
                .name(),
            "deny"
        );
        assert_eq!(
            p.evaluate(&Input::request("Which stock?"))
                .unwrap()
                .action
                .name(),
            "allow"
        );
        assert_eq!(
            p.evaluate(&Input::request("A cryptographer?"))
                .unwrap()
                .action
                .name(),
            "allow"
        );
        let err = BannedTopics::configure(r#"{"topics":[""]}"#).err().unwrap();
        assert_eq!(err.key.as_deref(), Some("topics[0]"));
    }
}
