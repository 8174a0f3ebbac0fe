//! Chat JSON in the two provider shapes the filter understands: reading the
//! texts a policy judges out of a body, and writing edited texts back in place.
//!
//! Texts are located by JSON pointer, so an edit replaces exactly one string and
//! every other field (tools, temperature, vendor extensions) reaches the upstream
//! untouched. This mirrors what `warden serve` reads, so a policy sees the same
//! messages in both forms.

use serde_json::Value;

use crate::{Message, Role, ToolCall};

/// Which provider API a request speaks, chosen from its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// `POST …/chat/completions`.
    OpenAi,
    /// `POST …/messages` (Anthropic).
    Anthropic,
}

impl Api {
    /// The API of a chat path (query string ignored), `None` for any other path.
    pub fn from_path(path: &str) -> Option<Api> {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let path = path.trim_end_matches('/');
        if path.ends_with("/chat/completions") {
            Some(Api::OpenAi)
        } else if path.ends_with("/v1/messages") || path == "/messages" {
            Some(Api::Anthropic)
        } else {
            None
        }
    }

    /// `openai` or `anthropic` (the `api` metadata value, as in `warden serve`).
    pub fn name(self) -> &'static str {
        match self {
            Api::OpenAi => "openai",
            Api::Anthropic => "anthropic",
        }
    }
}

/// Texts of a body, each with the JSON pointer it came from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Texts {
    /// The messages handed to the policy.
    pub messages: Vec<Message>,
    /// `pointers[i]` locates `messages[i].content` in the body.
    pub pointers: Vec<String>,
}

impl Texts {
    fn push(&mut self, role: Role, text: &str, pointer: String) {
        self.messages.push(Message::new(role, text));
        self.pointers.push(pointer);
    }

    /// Write `edited` message texts back into `body` at their pointers.
    pub fn write_back(&self, body: &mut Value, edited: &[Message]) {
        for (ptr, m) in self.pointers.iter().zip(edited) {
            if let Some(v) = body.pointer_mut(ptr) {
                *v = Value::String(m.content.clone());
            }
        }
    }
}

/// A parsed chat request.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatRequest {
    /// The whole body.
    pub body: Value,
    /// `model`.
    pub model: String,
    /// `stream`.
    pub stream: bool,
    /// `user` (OpenAI) or `metadata.user_id` (Anthropic).
    pub user: Option<String>,
    /// The texts to judge.
    pub texts: Texts,
}

/// Parse a chat request body; `Err` is the 400 message.
pub fn parse_request(api: Api, bytes: &[u8]) -> Result<ChatRequest, String> {
    let body: Value = serde_json::from_slice(bytes)
        .map_err(|e| format!("request body is not valid JSON: {e}"))?;
    if !body.is_object() {
        return Err("request body must be a JSON object".into());
    }
    let model = match body.get("model") {
        Some(Value::String(m)) if !m.is_empty() => m.clone(),
        _ => return Err("`model` must be a non-empty string".into()),
    };
    let messages = match body.get("messages") {
        Some(Value::Array(m)) if !m.is_empty() => m,
        _ => return Err("`messages` must be a non-empty array".into()),
    };
    let mut texts = Texts::default();
    if api == Api::Anthropic {
        match body.get("system") {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) => texts.push(Role::System, s, "/system".into()),
            Some(Value::Array(blocks)) => blocks_texts(blocks, Role::System, "/system", &mut texts),
            Some(_) => return Err("`system` must be a string or an array of text blocks".into()),
        }
    }
    for (i, m) in messages.iter().enumerate() {
        let role = m["role"]
            .as_str()
            .and_then(|r| r.parse::<Role>().ok())
            .ok_or_else(|| format!("`messages[{i}].role` must be a known role"))?;
        let ptr = format!("/messages/{i}/content");
        match m.get("content") {
            None | Some(Value::Null) if api == Api::OpenAi => {}
            Some(Value::String(s)) => texts.push(role, s, ptr),
            Some(Value::Array(parts)) => blocks_texts(parts, role, &ptr, &mut texts),
            _ => {
                return Err(format!(
                    "`messages[{i}].content` must be a string or an array"
                ));
            }
        }
    }
    let user = body["user"]
        .as_str()
        .or(body["metadata"]["user_id"].as_str())
        .map(str::to_string);
    let stream = body["stream"].as_bool().unwrap_or(false);
    Ok(ChatRequest {
        body,
        model,
        stream,
        user,
        texts,
    })
}

/// `text` parts/blocks, and the text inside Anthropic `tool_result` blocks (as tool messages).
fn blocks_texts(blocks: &[Value], role: Role, ptr: &str, texts: &mut Texts) {
    for (j, b) in blocks.iter().enumerate() {
        match b["type"].as_str() {
            Some("text") => {
                if let Some(t) = b["text"].as_str() {
                    texts.push(role, t, format!("{ptr}/{j}/text"));
                }
            }
            Some("tool_result") => match &b["content"] {
                Value::String(s) => texts.push(Role::Tool, s, format!("{ptr}/{j}/content")),
                Value::Array(inner) => {
                    blocks_texts(inner, Role::Tool, &format!("{ptr}/{j}/content"), texts)
                }
                _ => {}
            },
            _ => {}
        }
    }
}

/// The assistant texts of a (non-streamed) answer.
pub fn answer_texts(api: Api, body: &Value) -> Texts {
    let mut texts = Texts::default();
    match api {
        Api::OpenAi => {
            for (i, c) in body["choices"].as_array().into_iter().flatten().enumerate() {
                if let Some(s) = c["message"]["content"].as_str() {
                    texts.push(Role::Assistant, s, format!("/choices/{i}/message/content"));
                }
            }
        }
        Api::Anthropic => {
            for (j, b) in body["content"].as_array().into_iter().flatten().enumerate() {
                if b["type"] == "text"
                    && let Some(s) = b["text"].as_str()
                {
                    texts.push(Role::Assistant, s, format!("/content/{j}/text"));
                }
            }
        }
    }
    texts
}

/// The tool calls of an answer, each with the pointer of its arguments.
pub fn tool_calls(api: Api, body: &Value) -> Vec<(ToolCall, String)> {
    let mut out = Vec::new();
    match api {
        Api::OpenAi => {
            for (i, c) in body["choices"].as_array().into_iter().flatten().enumerate() {
                let calls = c["message"]["tool_calls"].as_array().into_iter().flatten();
                for (k, t) in calls.enumerate() {
                    let arguments = match &t["function"]["arguments"] {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    let name = t["function"]["name"].as_str().unwrap_or_default().into();
                    let ptr = format!("/choices/{i}/message/tool_calls/{k}/function/arguments");
                    out.push((ToolCall { name, arguments }, ptr));
                }
            }
        }
        Api::Anthropic => {
            for (j, b) in body["content"].as_array().into_iter().flatten().enumerate() {
                if b["type"] == "tool_use" {
                    let name = b["name"].as_str().unwrap_or_default().into();
                    let arguments = b["input"].to_string();
                    out.push((ToolCall { name, arguments }, format!("/content/{j}/input")));
                }
            }
        }
    }
    out
}

/// Replace the arguments at `ptr` (OpenAI keeps them as a JSON string, Anthropic
/// as an object; an edit that is no longer JSON is kept as a string).
pub fn set_arguments(api: Api, body: &mut Value, ptr: &str, arguments: &str) {
    let value = match api {
        Api::OpenAi => Value::String(arguments.into()),
        Api::Anthropic => {
            serde_json::from_str(arguments).unwrap_or_else(|_| Value::String(arguments.into()))
        }
    };
    if let Some(slot) = body.pointer_mut(ptr) {
        *slot = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_pick_the_api() {
        assert_eq!(
            Api::from_path("/v1/chat/completions?x=1"),
            Some(Api::OpenAi)
        );
        assert_eq!(
            Api::from_path("/openai/v1/chat/completions"),
            Some(Api::OpenAi)
        );
        assert_eq!(Api::from_path("/v1/messages"), Some(Api::Anthropic));
        assert_eq!(Api::from_path("/v1/embeddings"), None);
        assert_eq!(Api::from_path("/v1/messages/count_tokens"), None);
    }

    #[test]
    fn reads_and_writes_back_both_shapes() {
        let b = json!({"model":"m","messages":[{"role":"system","content":"be nice"},
            {"role":"user","content":[{"type":"text","text":"hi"},{"type":"image_url"}]}]});
        let c = parse_request(Api::OpenAi, b.to_string().as_bytes()).unwrap();
        assert_eq!(c.texts.messages.len(), 2);
        assert_eq!(c.texts.pointers[1], "/messages/1/content/0/text");
        let mut body = c.body.clone();
        let mut edited = c.texts.messages.clone();
        edited[1].content = "HI".into();
        c.texts.write_back(&mut body, &edited);
        assert_eq!(body["messages"][1]["content"][0]["text"], "HI");
        assert_eq!(body["messages"][1]["content"][1]["type"], "image_url");

        let a = json!({"model":"claude","system":"sys","messages":[{"role":"user","content":"hello"}],
            "metadata":{"user_id":"u1"}});
        let c = parse_request(Api::Anthropic, a.to_string().as_bytes()).unwrap();
        assert_eq!(c.texts.messages[0].role, Role::System);
        assert_eq!(c.user.as_deref(), Some("u1"));
    }

    #[test]
    fn refuses_what_is_not_a_chat() {
        assert!(parse_request(Api::OpenAi, b"{not json").is_err());
        assert!(parse_request(Api::OpenAi, br#"{"model":"m"}"#).is_err());
        assert!(parse_request(Api::OpenAi, br#"{"model":"m","messages":[{"role":"x"}]}"#).is_err());
    }

    #[test]
    fn finds_answer_texts_and_tool_calls() {
        let o = json!({"choices":[{"message":{"content":"ok","tool_calls":[
            {"id":"c1","function":{"name":"send_email","arguments":"{\"to\":\"a\"}"}}]}}]});
        assert_eq!(answer_texts(Api::OpenAi, &o).messages[0].content, "ok");
        let calls = tool_calls(Api::OpenAi, &o);
        assert_eq!(calls[0].0.name, "send_email");
        let a = json!({"content":[{"type":"text","text":"t"},{"type":"tool_use","name":"rm","input":{"p":1}}]});
        let calls = tool_calls(Api::Anthropic, &a);
        assert_eq!(calls[0].0.arguments, r#"{"p":1}"#);
        assert_eq!(calls[0].1, "/content/1/input");
    }
}
