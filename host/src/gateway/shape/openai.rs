//! OpenAI chat-completions shape: `messages[].content` as a string or an array
//! of `{"type":"text","text":..}` parts; answers in `choices[].message`.

use serde_json::Value;
use warden_sdk::Role;

use super::{FoundToolCall, Texts, role};
use crate::gateway::error::{GatewayError, bad_request};

/// Text of every request message, located by pointer.
pub fn request_texts(body: &Value) -> Result<Texts, GatewayError> {
    let messages = match body.get("messages") {
        Some(Value::Array(m)) if !m.is_empty() => m,
        Some(Value::Array(_)) => return Err(bad_request("`messages` must not be empty")),
        Some(_) => return Err(bad_request("`messages` must be an array")),
        None => return Err(bad_request("`messages` is required")),
    };
    let mut texts = Texts::default();
    for (i, m) in messages.iter().enumerate() {
        let at = format!("messages[{i}]");
        if !m.is_object() {
            return Err(bad_request(format!("`{at}` must be an object")));
        }
        let r = role(&m["role"], &at)?;
        match m.get("content") {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) => texts.push(r, s, format!("/messages/{i}/content")),
            Some(Value::Array(parts)) => {
                for (j, p) in parts.iter().enumerate() {
                    if !p.is_object() {
                        return Err(bad_request(format!(
                            "`{at}.content[{j}]` must be an object"
                        )));
                    }
                    if p["type"] == "text" {
                        let t = p["text"].as_str().ok_or_else(|| {
                            bad_request(format!("`{at}.content[{j}].text` must be a string"))
                        })?;
                        texts.push(r, t, format!("/messages/{i}/content/{j}/text"));
                    }
                }
            }
            Some(_) => {
                return Err(bad_request(format!(
                    "`{at}.content` must be a string or an array of parts"
                )));
            }
        }
    }
    Ok(texts)
}

/// The assistant text of each choice.
pub fn answer_texts(body: &Value) -> Texts {
    let mut texts = Texts::default();
    for (i, c) in body["choices"].as_array().into_iter().flatten().enumerate() {
        if let Some(s) = c["message"]["content"].as_str() {
            texts.push(Role::Assistant, s, format!("/choices/{i}/message/content"));
        }
    }
    texts
}

/// Every `tool_calls[]` entry of every choice.
pub fn tool_calls(body: &Value) -> Vec<FoundToolCall> {
    let mut out = Vec::new();
    for (i, c) in body["choices"].as_array().into_iter().flatten().enumerate() {
        for (k, t) in c["message"]["tool_calls"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let f = &t["function"];
            out.push(FoundToolCall {
                at: i,
                sub: k,
                id: t["id"].as_str().unwrap_or_default().to_string(),
                name: f["name"].as_str().unwrap_or_default().to_string(),
                arguments: f["arguments"]
                    .as_str()
                    .map_or_else(|| f["arguments"].to_string(), str::to_string),
            });
        }
    }
    out
}

/// Replace a tool call's arguments.
pub fn set_arguments(body: &mut Value, call: &FoundToolCall, arguments: &str) {
    let ptr = format!(
        "/choices/{}/message/tool_calls/{}/function/arguments",
        call.at, call.sub
    );
    if let Some(v) = body.pointer_mut(&ptr) {
        *v = Value::String(arguments.to_string());
    }
}

/// Remove tool calls; a choice left without any finishes with `stop`.
pub fn remove_tool_calls(body: &mut Value, removed: &[FoundToolCall]) {
    let mut sorted: Vec<&FoundToolCall> = removed.iter().collect();
    sorted.sort_by_key(|c| std::cmp::Reverse((c.at, c.sub)));
    for c in sorted {
        let choice = &mut body["choices"][c.at];
        if let Some(list) = choice["message"]["tool_calls"].as_array_mut()
            && c.sub < list.len()
        {
            list.remove(c.sub);
            if list.is_empty() {
                if let Some(m) = choice["message"].as_object_mut() {
                    m.remove("tool_calls");
                }
                if choice["finish_reason"] == "tool_calls" {
                    choice["finish_reason"] = Value::from("stop");
                }
            }
        }
    }
}
