//! `builtin:pii`: finds personal data and secrets in prompts and answers and
//! redacts, masks, hashes, pseudonymises or blocks them, per entity and tenant.
//!
//! # Entities (finding rule `pii.<type>`, category `pii`)
//! `email`, `phone`, `credit_card`, `ssn`, `iban`, `ip`, `secret`; see [`detect`].
//!
//! # Default modes, and why
//! | entity        | default        | reason |
//! |---------------|----------------|--------|
//! | `email`       | `pseudonymise` | the model often has to *use* the address ("draft a reply to <EMAIL_1>"); the client gets it back |
//! | `phone`       | `pseudonymise` | same as e-mail |
//! | `credit_card` | `pseudonymise` | the number never reaches the model, yet "charge <CREDIT_CARD_1>" answers come back usable |
//! | `ssn`         | `redact`       | a model never needs it; not even kept in the state blob |
//! | `iban`        | `redact`       | as SSN: rarely needed verbatim, high value to a fraudster |
//! | `ip`          | `redact`       | personal data under GDPR, seldom needed in an answer |
//! | `secret`      | `redact`       | the credential never reaches the model, but a developer pasting a config still gets help; the `critical` finding lets operators alert and rotate. Use `block` to refuse instead. |
//!
//! `block` denies with code `pii_blocked`; the reason and findings name the
//! entity type, never the value.
//!
//! # Phases
//! In `request`, every role is scanned (the chat history may carry PII too) and
//! pseudonyms are recorded in the state blob ([`pseudonym`] documents its format).
//! In `response`, placeholders from that blob are restored to the originals, values
//! the user sent are left alone, and new PII the model emits gets its family's mode
//! (`pseudonymise` acts as `redact` there: there is no later phase to restore in).
//!
//! # Config (JSON, all optional, unknown keys refused)
//! `{"modes": {"email": "hash"}, "entities": ["email", "credit_card"], "hash_salt": "s3",
//!   "roles": ["user"], "allow_list": ["support@example.com"]}`

pub mod config;
pub mod detect;
pub mod entity;
pub mod modes;
pub mod pseudonym;

use warden_sdk::{
    ConfigError, Edit, Finding, Input, Phase, Policy, PolicyInfo, Role, Span, Verdict,
};

use crate::config::Settings;
use crate::entity::{Entity, normalise};
use crate::modes::Mode;
use crate::pseudonym::{Restorer, Vault};

/// The configured policy.
#[derive(Debug)]
pub struct Pii {
    settings: Settings,
}

impl Pii {
    /// The validated settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    fn scans(&self, role: Role, phase: Phase) -> bool {
        match &self.settings.roles {
            Some(roles) => roles.contains(&role),
            None => phase == Phase::Request || role == Role::Assistant,
        }
    }
}

impl Policy for Pii {
    fn info() -> PolicyInfo {
        PolicyInfo::new(
            "pii",
            env!("CARGO_PKG_VERSION"),
            "detects PII and secrets; redacts, masks, hashes, pseudonymises (and restores) or blocks them",
        )
        .phases(&[Phase::Request, Phase::Response])
        .modifies()
    }

    fn configure(config_json: &str) -> Result<Self, ConfigError> {
        Ok(Pii {
            settings: Settings::parse(config_json)?,
        })
    }

    fn evaluate(&self, input: &Input) -> Result<Verdict, String> {
        let phase = input.phase;
        if phase == Phase::ToolCall {
            return Ok(Verdict::allow());
        }
        let restorer = match (phase, input.state.as_deref()) {
            (Phase::Response, Some(s)) if !s.is_empty() => Some(Restorer::from_state(s)?),
            _ => None,
        };
        let mut edits: Vec<Edit> = Vec::new();
        let mut findings = Vec::new();
        let mut vault = Vault::default();
        let mut blocked: Option<Entity> = None;
        for (i, msg) in input.messages.iter().enumerate() {
            let text = msg.content.as_str();
            let first_edit = edits.len();
            if let Some(r) = &restorer {
                for (s, e, original) in r.find(text) {
                    edits.push(Edit {
                        span: Span::message(i, s, e),
                        replacement: original.to_string(),
                    });
                }
            }
            if !self.scans(msg.role, phase) {
                continue;
            }
            for d in detect::scan(text, self.settings.enabled) {
                let value = &text[d.start..d.end];
                if self.settings.allowed(value)
                    || restorer.as_ref().is_some_and(|r| r.knows(d.kind, value))
                {
                    continue;
                }
                let span = Span::message(i, d.start, d.end);
                let mode = self.settings.mode(d.kind);
                let replacement = match mode {
                    Mode::Block => {
                        blocked.get_or_insert(d.kind);
                        None
                    }
                    Mode::Redact => Some(modes::redact(d.kind)),
                    Mode::Mask => Some(modes::mask(value)),
                    Mode::Hash => Some(modes::hash_token(
                        d.kind,
                        &normalise(d.kind, value),
                        &self.settings.hash_salt,
                        &input.tenant,
                    )),
                    Mode::Pseudonymise if phase == Phase::Request => {
                        Some(vault.placeholder(d.kind, value))
                    }
                    Mode::Pseudonymise => Some(modes::redact(d.kind)),
                };
                let applied = if mode == Mode::Pseudonymise && phase == Phase::Response {
                    "redact"
                } else {
                    mode.name()
                };
                findings.push(
                    Finding::new(d.kind.rule(), "pii", d.kind.severity())
                        .at(span)
                        .detail(format!(
                            "{} in {} message ({applied})",
                            d.kind.name(),
                            msg.role.as_str()
                        )),
                );
                if let Some(replacement) = replacement {
                    edits.push(Edit { span, replacement });
                }
            }
            edits[first_edit..].sort_by_key(|e| e.span.start);
        }
        if let Some(kind) = blocked {
            let reason = format!(
                "the {} contains a {} value, which this tenant blocks",
                phase.as_str(),
                kind.name()
            );
            return Ok(Verdict::deny_with_code(reason, "pii_blocked").findings(findings));
        }
        let verdict = Verdict::modify(edits).findings(findings);
        Ok(if vault.is_empty() {
            verdict
        } else {
            verdict.state(vault.to_state())
        })
    }
}

#[cfg(not(feature = "library"))]
warden_sdk::export_policy!(Pii);

#[cfg(test)]
mod tests;
