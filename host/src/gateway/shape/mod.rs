//! Provider API shapes: reading the text out of an OpenAI or Anthropic body,
//! writing edited text back in place, and rendering errors the way each
//! provider's SDK expects them.
//!
//! Text is located by JSON pointer, so an edit replaces exactly one string in
//! the client's original JSON and every other field (tools, temperature,
//! vendor extensions) reaches the upstream untouched.

pub mod anthropic;
pub mod openai;
mod strict;

use bytes::Bytes;
use serde_json::{Value, json};
use warden_sdk::{Message, Role};

use super::error::{GatewayError, UpstreamError, bad_request};

/// Which provider API a client speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// `POST /v1/chat/completions`.
    OpenAi,
    /// `POST /v1/messages`.
    Anthropic,
}

impl Api {
    /// Route label for metrics and logs.
    pub fn route(self) -> &'static str {
        match self {
            Api::OpenAi => "/v1/chat/completions",
            Api::Anthropic => "/v1/messages",
        }
    }

    /// The error body for `e` in this API's shape. Upstream errors of the
    /// provider's own are passed through unchanged.
    pub fn error_body(self, e: &GatewayError) -> Bytes {
        if let GatewayError::Upstream(UpstreamError::Status { body, .. }) = e {
            return body.clone();
        }
        let (openai_type, anthropic_type, code) = e.kinds();
        let (policy, approval) = match e {
            GatewayError::Policy(p) => (Some(p.policy.clone()), p.approval_id.clone()),
            _ => (None, None),
        };
        let message = e.to_string();
        let v = match self {
            Api::OpenAi => {
                let mut err =
                    json!({"message": message, "type": openai_type, "code": code, "param": null});
                if let Some(p) = policy {
                    err["policy"] = json!(p);
                }
                if let Some(id) = &approval {
                    err["approval_id"] = json!(id);
                    err["approval_url"] = json!(format!("/v1/approvals/{id}"));
                }
                json!({ "error": err })
            }
            Api::Anthropic => {
                let mut err = json!({"type": anthropic_type, "message": message});
                if let Some(p) = policy {
                    err["policy"] = json!(p);
                }
                if let Some(id) = &approval {
                    err["approval_id"] = json!(id);
                    err["approval_url"] = json!(format!("/v1/approvals/{id}"));
                }
                json!({"type": "error", "error": err})
            }
        };
        Bytes::from(v.to_string())
    }

    /// Parse a chat request body.
    pub fn parse_request(self, bytes: &[u8]) -> Result<ChatRequest, GatewayError> {
        let text = std::str::from_utf8(bytes)
            .map_err(|e| bad_request(format!("request body is not valid UTF-8: {e}")))?;
        let body: Value = strict::from_str(text)
            .map_err(|e| bad_request(format!("request body is not valid JSON: {e}")))?;
        let obj = body
            .as_object()
            .ok_or_else(|| bad_request("request body must be a JSON object"))?;
        let model = match obj.get("model") {
            Some(Value::String(m)) if !m.is_empty() => m.clone(),
            Some(_) => return Err(bad_request("`model` must be a non-empty string")),
            None => return Err(bad_request("`model` is required")),
        };
        let stream = match obj.get("stream") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(bad_request("`stream` must be a boolean")),
        };
        let texts = match self {
            Api::OpenAi => openai::request_texts(&body)?,
            Api::Anthropic => anthropic::request_texts(&body)?,
        };
        Ok(ChatRequest {
            body,
            model,
            stream,
            texts,
        })
    }

    /// The answer text(s) of a non-streamed response.
    pub fn answer_texts(self, body: &Value) -> Texts {
        match self {
            Api::OpenAi => openai::answer_texts(body),
            Api::Anthropic => anthropic::answer_texts(body),
        }
    }

    /// `(input, output)` token counts of a response or stream event, if reported.
    pub fn usage(self, v: &Value) -> (Option<u64>, Option<u64>) {
        let (u, i, o) = match self {
            Api::OpenAi => (&v["usage"], "prompt_tokens", "completion_tokens"),
            Api::Anthropic => {
                let u = if v["message"]["usage"].is_object() {
                    &v["message"]["usage"]
                } else {
                    &v["usage"]
                };
                (u, "input_tokens", "output_tokens")
            }
        };
        (u[i].as_u64(), u[o].as_u64())
    }
}

/// A parsed chat request.
#[derive(Debug)]
pub struct ChatRequest {
    /// The client's JSON, edited in place and sent upstream.
    pub body: Value,
    /// Requested model.
    pub model: String,
    /// Whether the client asked for SSE.
    pub stream: bool,
    /// The message text and where it lives.
    pub texts: Texts,
}

/// Text pieces of a body as policy messages, each with its JSON pointer.
#[derive(Debug, Default, Clone)]
pub struct Texts {
    /// The messages policies see.
    pub messages: Vec<Message>,
    /// Where each message's text lives in the body.
    pub pointers: Vec<String>,
}

impl Texts {
    pub(crate) fn push(&mut self, role: Role, text: &str, pointer: String) {
        self.messages.push(Message::new(role, text));
        self.pointers.push(pointer);
    }

    /// Replace each located string in `body` with the edited message text.
    pub fn write_back(&self, body: &mut Value, edited: &[Message]) {
        for (ptr, m) in self.pointers.iter().zip(edited) {
            if let Some(v) = body.pointer_mut(ptr) {
                *v = Value::String(m.content.clone());
            }
        }
    }

    /// Characters of text in total.
    pub fn chars(&self) -> usize {
        self.messages
            .iter()
            .map(|m| m.content.chars().count())
            .sum()
    }
}

/// A tool call found in an answer, with where it lives.
#[derive(Debug, Clone)]
pub struct FoundToolCall {
    /// OpenAI: choice index; Anthropic: content block index.
    pub at: usize,
    /// OpenAI: index in `tool_calls`; Anthropic: unused (0).
    pub sub: usize,
    /// Provider's tool call id.
    pub id: String,
    /// Tool name.
    pub name: String,
    /// Arguments as JSON text.
    pub arguments: String,
}

/// `role` parsed, or a 400 naming the field.
pub(crate) fn role(v: &Value, at: &str) -> Result<Role, GatewayError> {
    let r = v
        .as_str()
        .ok_or_else(|| bad_request(format!("`{at}.role` must be a string")))?;
    r.parse()
        .map_err(|e: String| bad_request(format!("`{at}.role`: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::error::PolicyBlock;

    #[test]
    fn an_approval_hold_is_403_approval_required_with_id_and_url() {
        let e = GatewayError::Policy(PolicyBlock {
            policy: "risk".into(),
            reason: "human approval required".into(),
            code: "approval_required".into(),
            approval_id: Some("abc".into()),
        });
        assert_eq!(e.status(), hyper::StatusCode::FORBIDDEN);
        let o: Value = serde_json::from_slice(&Api::OpenAi.error_body(&e)).unwrap();
        assert_eq!(o["error"]["type"], "approval_required");
        assert_eq!(o["error"]["approval_id"], "abc");
        assert_eq!(o["error"]["approval_url"], "/v1/approvals/abc");
        let a: Value = serde_json::from_slice(&Api::Anthropic.error_body(&e)).unwrap();
        assert_eq!(a["error"]["type"], "approval_required");
        assert_eq!(a["error"]["approval_url"], "/v1/approvals/abc");
        // A plain deny keeps its shape.
        let d = GatewayError::Policy(PolicyBlock {
            approval_id: None,
            ..match e {
                GatewayError::Policy(p) => p,
                _ => unreachable!(),
            }
        });
        let o: Value = serde_json::from_slice(&Api::OpenAi.error_body(&d)).unwrap();
        assert_eq!(o["error"]["type"], "policy_violation");
        assert!(o["error"].get("approval_id").is_none());
    }
}
