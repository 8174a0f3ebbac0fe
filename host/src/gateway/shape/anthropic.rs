//! Anthropic messages shape: top-level `system` (string or text blocks),
//! `messages[].content` as a string or content blocks; answers in `content[]`.

use serde_json::Value;
use warden_sdk::Role;

use super::{FoundToolCall, Texts, role};
use crate::gateway::error::{GatewayError, bad_request};

/// Text of the system prompt and every message, located by pointer.
pub fn request_texts(body: &Value) -> Result<Texts, GatewayError> {
    let mut texts = Texts::default();
    match body.get("system") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => texts.push(Role::System, s, "/system".into()),
        Some(Value::Array(blocks)) => {
            blocks_texts(blocks, Role::System, "system", "/system", &mut texts)?
        }
        Some(_) => {
            return Err(bad_request(
                "`system` must be a string or an array of text blocks",
            ));
        }
    }
    let messages = match body.get("messages") {
        Some(Value::Array(m)) if !m.is_empty() => m,
        Some(Value::Array(_)) => return Err(bad_request("`messages` must not be empty")),
        Some(_) => return Err(bad_request("`messages` must be an array")),
        None => return Err(bad_request("`messages` is required")),
    };
    for (i, m) in messages.iter().enumerate() {
        let at = format!("messages[{i}]");
        if !m.is_object() {
            return Err(bad_request(format!("`{at}` must be an object")));
        }
        let r = role(&m["role"], &at)?;
        match m.get("content") {
            Some(Value::String(s)) => texts.push(r, s, format!("/messages/{i}/content")),
            Some(Value::Array(blocks)) => blocks_texts(
                blocks,
                r,
                &format!("{at}.content"),
                &format!("/messages/{i}/content"),
                &mut texts,
            )?,
            _ => {
                return Err(bad_request(format!(
                    "`{at}.content` must be a string or an array of content blocks"
                )));
            }
        }
    }
    Ok(texts)
}

/// Text blocks, and the text inside `tool_result` blocks (as tool messages).
fn blocks_texts(
    blocks: &[Value],
    r: Role,
    at: &str,
    ptr: &str,
    texts: &mut Texts,
) -> Result<(), GatewayError> {
    for (j, b) in blocks.iter().enumerate() {
        if !b.is_object() {
            return Err(bad_request(format!("`{at}[{j}]` must be an object")));
        }
        match b["type"].as_str() {
            Some("text") => {
                let t = b["text"]
                    .as_str()
                    .ok_or_else(|| bad_request(format!("`{at}[{j}].text` must be a string")))?;
                texts.push(r, t, format!("{ptr}/{j}/text"));
            }
            Some("tool_result") => match &b["content"] {
                Value::String(s) => texts.push(Role::Tool, s, format!("{ptr}/{j}/content")),
                Value::Array(inner) => blocks_texts(
                    inner,
                    Role::Tool,
                    &format!("{at}[{j}].content"),
                    &format!("{ptr}/{j}/content"),
                    texts,
                )?,
                _ => {}
            },
            Some(_) => {}
            None => return Err(bad_request(format!("`{at}[{j}].type` must be a string"))),
        }
    }
    Ok(())
}

/// The text blocks of an answer.
pub fn answer_texts(body: &Value) -> Texts {
    let mut texts = Texts::default();
    for (j, b) in body["content"].as_array().into_iter().flatten().enumerate() {
        if b["type"] == "text"
            && let Some(s) = b["text"].as_str()
        {
            texts.push(Role::Assistant, s, format!("/content/{j}/text"));
        }
    }
    texts
}

/// Every `tool_use` block of an answer.
pub fn tool_calls(body: &Value) -> Vec<FoundToolCall> {
    let mut out = Vec::new();
    for (j, b) in body["content"].as_array().into_iter().flatten().enumerate() {
        if b["type"] == "tool_use" {
            out.push(FoundToolCall {
                at: j,
                sub: 0,
                id: b["id"].as_str().unwrap_or_default().to_string(),
                name: b["name"].as_str().unwrap_or_default().to_string(),
                arguments: b["input"].to_string(),
            });
        }
    }
    out
}

/// Replace a tool call's input (kept as is when the edit is not JSON).
pub fn set_arguments(body: &mut Value, call: &FoundToolCall, arguments: &str) {
    if let (Ok(v), Some(slot)) = (
        serde_json::from_str(arguments),
        body.pointer_mut(&format!("/content/{}/input", call.at)),
    ) {
        *slot = v;
    }
}

/// Remove `tool_use` blocks; an answer left without any ends with `end_turn`.
pub fn remove_tool_calls(body: &mut Value, removed: &[FoundToolCall]) {
    let mut at: Vec<usize> = removed.iter().map(|c| c.at).collect();
    at.sort_unstable_by(|a, b| b.cmp(a));
    if let Some(content) = body["content"].as_array_mut() {
        for j in at {
            if j < content.len() {
                content.remove(j);
            }
        }
        let any_left = content.iter().any(|b| b["type"] == "tool_use");
        if !any_left && body["stop_reason"] == "tool_use" {
            body["stop_reason"] = Value::from("end_turn");
        }
    }
}
