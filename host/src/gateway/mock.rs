//! The built-in mock model: answers deterministically with the last user
//! message it received ("You said: ..."), in the caller's API shape, streamed
//! or not, with token usage, and tests need no network. The response chain
//! restores pseudonyms in the answer, so non-streamed answers also carry
//! `"mock": {"model_saw": ...}`, a field no policy edits: a newcomer sees
//! exactly what the model saw (say, `<EMAIL_1>` instead of the address).

use std::collections::VecDeque;

use bytes::Bytes;
use hyper::StatusCode;
use serde_json::{Value, json};
use warden_sdk::Role;

use super::shape::Api;
use super::sse;
use super::upstream::{ReplyBody, UpstreamReply};

/// Bytes per streamed text delta: small, so the stream window is exercised.
const PIECE: usize = 8;

/// The mock's answer to `body`.
pub fn reply(api: Api, body: &Value) -> UpstreamReply {
    let texts = match api {
        Api::OpenAi => super::shape::openai::request_texts(body),
        Api::Anthropic => super::shape::anthropic::request_texts(body),
    }
    .unwrap_or_default();
    let last = texts
        .messages
        .iter()
        .rev()
        .find(|m| m.role == Role::User)
        .map_or("", |m| m.content.as_str());
    let answer = format!("You said: {last}");
    let input_tokens: usize = texts
        .messages
        .iter()
        .map(|m| m.content.split_whitespace().count())
        .sum();
    let output_tokens = answer.split_whitespace().count();
    let model = body["model"].as_str().unwrap_or("mock");
    let stream = body["stream"] == true;
    let chunks: VecDeque<Bytes> = match (api, stream) {
        (Api::OpenAi, false) => [Bytes::from(
            json!({
                "id": "chatcmpl-mock", "object": "chat.completion", "created": 0, "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": answer}, "finish_reason": "stop", "logprobs": null}],
                "usage": {"prompt_tokens": input_tokens, "completion_tokens": output_tokens, "total_tokens": input_tokens + output_tokens},
                "mock": {"model_saw": last},
            })
            .to_string(),
        )]
        .into(),
        (Api::Anthropic, false) => [Bytes::from(
            json!({
                "id": "msg_mock", "type": "message", "role": "assistant", "model": model,
                "content": [{"type": "text", "text": answer}], "stop_reason": "end_turn", "stop_sequence": null,
                "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens},
                "mock": {"model_saw": last},
            })
            .to_string(),
        )]
        .into(),
        (Api::OpenAi, true) => {
            let chunk = |delta: Value, finish: Value| {
                sse::data(&json!({"id": "chatcmpl-mock", "object": "chat.completion.chunk", "created": 0, "model": model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}))
            };
            let mut out = VecDeque::from([chunk(json!({"role": "assistant", "content": ""}), Value::Null)]);
            out.extend(pieces(&answer).map(|p| chunk(json!({"content": p}), Value::Null)));
            out.push_back(chunk(json!({}), json!("stop")));
            if body["stream_options"]["include_usage"] == true {
                out.push_back(sse::data(&json!({"id": "chatcmpl-mock", "object": "chat.completion.chunk", "created": 0,
                    "model": model, "choices": [],
                    "usage": {"prompt_tokens": input_tokens, "completion_tokens": output_tokens, "total_tokens": input_tokens + output_tokens}})));
            }
            out.push_back(Bytes::from_static(b"data: [DONE]\n\n"));
            out
        }
        (Api::Anthropic, true) => {
            let mut out = VecDeque::from([
                sse::event("message_start", &json!({"type": "message_start", "message": {"id": "msg_mock", "type": "message",
                    "role": "assistant", "model": model, "content": [], "stop_reason": null, "stop_sequence": null,
                    "usage": {"input_tokens": input_tokens, "output_tokens": 0}}})),
                sse::event("content_block_start", &json!({"type": "content_block_start", "index": 0,
                    "content_block": {"type": "text", "text": ""}})),
            ]);
            out.extend(pieces(&answer).map(|p| {
                sse::event("content_block_delta", &json!({"type": "content_block_delta", "index": 0,
                    "delta": {"type": "text_delta", "text": p}}))
            }));
            out.push_back(sse::event("content_block_stop", &json!({"type": "content_block_stop", "index": 0})));
            out.push_back(sse::event("message_delta", &json!({"type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": null}, "usage": {"output_tokens": output_tokens}})));
            out.push_back(sse::event("message_stop", &json!({"type": "message_stop"})));
            out
        }
    };
    let content_type = if stream {
        "text/event-stream"
    } else {
        "application/json"
    };
    UpstreamReply {
        status: StatusCode::OK,
        content_type: Some(content_type.to_string()),
        body: ReplyBody::Chunks(chunks),
    }
}

/// `text` in pieces of about [`PIECE`] bytes, on character boundaries.
fn pieces(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut end = PIECE.min(rest.len());
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        let (head, tail) = rest.split_at(end);
        rest = tail;
        Some(head)
    })
}
