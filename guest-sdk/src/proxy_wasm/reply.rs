//! Local replies in the caller's provider shape, identical to the bodies
//! `warden serve` sends, so a client (or an SDK's error parser) cannot tell which
//! form of Warden refused it.

use serde_json::{Value, json};

use super::chat::Api;

/// Why the filter answers the client itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A policy denied (or wants human approval, which a filter cannot wait for).
    Policy {
        /// The deciding policy.
        policy: String,
        /// Its reason (policies never echo the prompt in it).
        reason: String,
        /// `policy_violation` unless the policy gave a code; `approval_required`.
        code: String,
    },
    /// Not a chat body the filter can judge (400).
    BadRequest(String),
    /// Body over the filter's `max_body_bytes` (413).
    TooLarge(usize),
    /// The policy failed (an `Err`, or a verdict the filter cannot apply): 503.
    Fault(String),
    /// The upstream's answer could not be judged (not JSON, too large): 502.
    BadAnswer(String),
}

/// A local reply: status, body and Envoy's `details` (shows up in access logs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalReply {
    /// HTTP status.
    pub status: u32,
    /// JSON body.
    pub body: String,
    /// Envoy response-code details, e.g. `warden_policy_violation`.
    pub details: &'static str,
}

impl Refusal {
    /// The reply for this refusal in `api`'s shape.
    pub fn reply(&self, api: Api) -> LocalReply {
        let (status, details, openai_type, anthropic_type, code): (u32, _, _, _, Option<&str>) =
            match self {
                Refusal::Policy { code, .. } => (
                    403,
                    "warden_policy_violation",
                    "policy_violation",
                    "policy_violation",
                    Some(code.as_str()),
                ),
                Refusal::BadRequest(_) => (
                    400,
                    "warden_bad_request",
                    "invalid_request_error",
                    "invalid_request_error",
                    None,
                ),
                Refusal::TooLarge(_) => (
                    413,
                    "warden_body_too_large",
                    "invalid_request_error",
                    "request_too_large",
                    Some("body_too_large"),
                ),
                Refusal::Fault(_) => (
                    503,
                    "warden_policy_fault",
                    "server_error",
                    "api_error",
                    Some("policy_fault"),
                ),
                Refusal::BadAnswer(_) => (
                    502,
                    "warden_bad_answer",
                    "upstream_error",
                    "api_error",
                    Some("upstream_error"),
                ),
            };
        let policy = match self {
            Refusal::Policy { policy, .. } => Some(policy.as_str()),
            _ => None,
        };
        let message = self.message();
        let body = match api {
            Api::OpenAi => {
                let mut err =
                    json!({"message": message, "type": openai_type, "code": code, "param": null});
                if let Some(p) = policy {
                    err["policy"] = Value::from(p);
                }
                json!({ "error": err })
            }
            Api::Anthropic => {
                let mut err = json!({"type": anthropic_type, "message": message});
                if let Some(p) = policy {
                    err["policy"] = Value::from(p);
                }
                json!({"type": "error", "error": err})
            }
        };
        LocalReply {
            status,
            body: body.to_string(),
            details,
        }
    }

    /// The human-readable message (the same wording as `warden serve`).
    pub fn message(&self) -> String {
        match self {
            Refusal::Policy { policy, reason, .. } => {
                format!("blocked by policy `{policy}`: {reason}")
            }
            Refusal::BadRequest(m) => m.clone(),
            Refusal::TooLarge(max) => {
                format!("request body is larger than the limit of {max} bytes (max_body_bytes)")
            }
            Refusal::Fault(m) => format!("policy failed, request refused (fail closed): {m}"),
            Refusal::BadAnswer(m) => format!("the upstream answer could not be checked: {m}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_refusals_match_warden_serve() {
        let r = Refusal::Policy {
            policy: "injection".into(),
            reason: "prompt injection".into(),
            code: "prompt_injection".into(),
        };
        let o: Value = serde_json::from_str(&r.reply(Api::OpenAi).body).unwrap();
        assert_eq!(o["error"]["type"], "policy_violation");
        assert_eq!(o["error"]["code"], "prompt_injection");
        assert_eq!(o["error"]["policy"], "injection");
        assert!(o["error"]["param"].is_null());
        let a: Value = serde_json::from_str(&r.reply(Api::Anthropic).body).unwrap();
        assert_eq!(a["type"], "error");
        assert_eq!(a["error"]["type"], "policy_violation");
        assert_eq!(Refusal::TooLarge(10).reply(Api::OpenAi).status, 413);
    }
}
