//! Guarding an Anthropic messages stream (`message_start`,
//! `content_block_start` / `_delta` / `_stop`, `message_delta`, `message_stop`).
//!
//! Text blocks go through a [`TextWindow`] each. A `tool_use` block is
//! buffered until its `content_block_stop`, then goes through the tool-call
//! chain: kept, it is sent whole (start, one `input_json_delta`, stop);
//! removed, it is dropped. Block indices are renumbered so the client sees
//! no gaps (SDKs index their snapshot by it). Removals are reported in a
//! `warden` field on `message_delta`.

use std::collections::HashMap;

use bytes::Bytes;
use serde_json::{Value, json};

use super::error::{GatewayError, UpstreamError};
use super::guard::{Guard, ToolDecision};
use super::shape::Api;
use super::sse::{self, Event};
use super::stream::{StreamFacts, TextWindow};
use super::tools::{self, RemovedToolCall};

#[derive(Debug)]
enum Block {
    Text { out: u64, win: TextWindow },
    Tool { start: Value, args: String },
    Other { out: u64 },
}

/// Per-stream state.
#[derive(Debug)]
pub struct AnthropicStream {
    window: usize,
    blocks: HashMap<u64, Block>,
    next_out: u64,
    kept_tools: usize,
    /// Usage, removed tool calls, answer start.
    pub facts: StreamFacts,
}

/// Keep the start of the answer for `server.log_prompts`.
fn note_answer(facts: &mut StreamFacts, text: &str) {
    if facts.answer.len() < 2000 {
        facts.answer.push_str(text);
    }
}

fn text_delta(out: u64, text: &str) -> Bytes {
    sse::event(
        "content_block_delta",
        &json!({"type": "content_block_delta", "index": out, "delta": {"type": "text_delta", "text": text}}),
    )
}

impl AnthropicStream {
    /// A stream holding back `window` bytes of text per block.
    pub fn new(window: usize) -> Self {
        Self {
            window,
            blocks: HashMap::new(),
            next_out: 0,
            kept_tools: 0,
            facts: StreamFacts::default(),
        }
    }

    fn next(&mut self) -> u64 {
        self.next_out += 1;
        self.next_out - 1
    }

    /// Translate one upstream event into the events the client gets.
    pub async fn on_event(
        &mut self,
        ev: Event,
        guard: &mut Guard,
    ) -> Result<Vec<Bytes>, GatewayError> {
        let mut v: Value = serde_json::from_str(&ev.data)
            .ok()
            .filter(Value::is_object)
            .ok_or_else(|| {
                UpstreamError::BadResponse("stream".into(), "an event is not a JSON object".into())
            })?;
        let kind = v["type"]
            .as_str()
            .map(str::to_string)
            .or(ev.name)
            .unwrap_or_default();
        let idx = v["index"].as_u64().unwrap_or(0);
        let mut out = Vec::new();
        match kind.as_str() {
            "message_start" | "message_delta" => {
                let (i, o) = Api::Anthropic.usage(&v);
                self.facts.usage = (i.or(self.facts.usage.0), o.or(self.facts.usage.1));
                if kind == "message_delta" && !self.facts.removed.is_empty() {
                    if v["delta"]["stop_reason"] == "tool_use" && self.kept_tools == 0 {
                        v["delta"]["stop_reason"] = Value::from("end_turn");
                    }
                    v["warden"] = tools::report(&self.facts.removed);
                }
            }
            "content_block_start" => match v["content_block"]["type"].as_str() {
                Some("text") => {
                    let first = v["content_block"]["text"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string();
                    v["content_block"]["text"] = Value::from("");
                    let n = self.next();
                    v["index"] = n.into();
                    let mut win = TextWindow::default();
                    let emit = win.push(&first, guard, self.window).await?;
                    self.blocks.insert(idx, Block::Text { out: n, win });
                    out.push(sse::event(&kind, &v));
                    if !emit.is_empty() {
                        out.push(text_delta(n, &emit));
                    }
                    return Ok(out);
                }
                Some("tool_use") => {
                    let input = &v["content_block"]["input"];
                    let args = if input.as_object().is_some_and(|o| !o.is_empty()) {
                        input.to_string()
                    } else {
                        String::new()
                    };
                    self.blocks.insert(
                        idx,
                        Block::Tool {
                            start: v["content_block"].clone(),
                            args,
                        },
                    );
                    return Ok(out);
                }
                _ => {
                    let n = self.next();
                    v["index"] = n.into();
                    self.blocks.insert(idx, Block::Other { out: n });
                }
            },
            "content_block_delta" => match self.blocks.get_mut(&idx) {
                Some(Block::Text { out: n, win }) => {
                    let delta = v["delta"]["text"].as_str().unwrap_or_default();
                    let emit = win.push(delta, guard, self.window).await?;
                    if !emit.is_empty() {
                        note_answer(&mut self.facts, &emit);
                        out.push(text_delta(*n, &emit));
                    }
                    return Ok(out);
                }
                Some(Block::Tool { args, .. }) => {
                    args.push_str(v["delta"]["partial_json"].as_str().unwrap_or_default());
                    return Ok(out);
                }
                Some(Block::Other { out: n }) => v["index"] = (*n).into(),
                None => {}
            },
            "content_block_stop" => match self.blocks.remove(&idx) {
                Some(Block::Text { out: n, mut win }) => {
                    let rest = win.flush(guard).await?;
                    if !rest.is_empty() {
                        note_answer(&mut self.facts, &rest);
                        out.push(text_delta(n, &rest));
                    }
                    v["index"] = n.into();
                }
                Some(Block::Tool { start, args }) => {
                    self.tool(start, args, guard, &mut out).await;
                    return Ok(out);
                }
                Some(Block::Other { out: n }) => v["index"] = n.into(),
                None => {}
            },
            _ => {}
        }
        out.push(sse::event(&kind, &v));
        Ok(out)
    }

    /// A buffered `tool_use` block through the tool-call chain.
    async fn tool(
        &mut self,
        mut start: Value,
        args: String,
        guard: &mut Guard,
        out: &mut Vec<Bytes>,
    ) {
        let args = if args.trim().is_empty() {
            "{}".to_string()
        } else {
            args
        };
        let id = start["id"].as_str().unwrap_or_default().to_string();
        let name = start["name"].as_str().unwrap_or_default().to_string();
        match guard.tool_call(&name, args).await {
            ToolDecision::Keep(args) => {
                self.kept_tools += 1;
                let n = self.next();
                start["input"] = json!({});
                out.push(sse::event(
                    "content_block_start",
                    &json!({"type": "content_block_start", "index": n, "content_block": start}),
                ));
                out.push(sse::event(
                    "content_block_delta",
                    &json!({"type": "content_block_delta", "index": n, "delta": {"type": "input_json_delta", "partial_json": args}}),
                ));
                out.push(sse::event(
                    "content_block_stop",
                    &json!({"type": "content_block_stop", "index": n}),
                ));
            }
            ToolDecision::Remove(action, policy, reason, approval) => {
                self.facts.removed.push(RemovedToolCall::new(
                    &id, &name, action, policy, reason, approval,
                ));
            }
        }
    }

    /// End of stream: release text still held in unterminated blocks.
    pub async fn finish(&mut self, guard: &mut Guard) -> Result<Vec<Bytes>, GatewayError> {
        let mut out = Vec::new();
        let mut blocks: Vec<(u64, Block)> = self.blocks.drain().collect();
        blocks.sort_by_key(|(i, _)| *i);
        for (_, b) in blocks {
            if let Block::Text { out: n, mut win } = b {
                let rest = win.flush(guard).await?;
                if !rest.is_empty() {
                    out.push(text_delta(n, &rest));
                }
            }
        }
        Ok(out)
    }
}
