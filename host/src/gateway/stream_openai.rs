//! Guarding an OpenAI chat-completions stream (`data: {chunk}` ... `data: [DONE]`).
//!
//! Text deltas go through a [`TextWindow`] per choice. Tool-call deltas are
//! buffered per choice until its `finish_reason` (or `[DONE]`), then each call
//! goes through the tool-call chain and the kept ones are sent whole in the
//! finishing chunk, renumbered. Removed calls are reported in a last chunk
//! with `choices: []` and a `warden` field, just before `[DONE]`.

use std::collections::BTreeMap;

use bytes::Bytes;
use serde_json::{Map, Value, json};

use super::error::{GatewayError, UpstreamError};
use super::guard::{Guard, ToolDecision};
use super::shape::Api;
use super::sse::{self, Event};
use super::stream::{StreamFacts, TextWindow};
use super::tools::{self, RemovedToolCall};

#[derive(Debug, Default)]
struct ToolBuf {
    id: String,
    name: String,
    args: String,
}

#[derive(Debug, Default)]
struct Choice {
    text: TextWindow,
    tools: BTreeMap<u64, ToolBuf>,
    had_tools: bool,
    finished: bool,
}

/// Per-stream state.
#[derive(Debug)]
pub struct OpenAiStream {
    window: usize,
    choices: BTreeMap<u64, Choice>,
    /// `id`, `object`, `created`, `model` of the upstream's chunks, for chunks we add.
    template: Map<String, Value>,
    done: bool,
    /// Usage, removed tool calls, answer start.
    pub facts: StreamFacts,
}

impl OpenAiStream {
    /// A stream holding back `window` bytes of text.
    pub fn new(window: usize) -> Self {
        Self {
            window,
            choices: BTreeMap::new(),
            template: Map::new(),
            done: false,
            facts: StreamFacts::default(),
        }
    }

    /// Translate one upstream event into the events the client gets.
    pub async fn on_event(
        &mut self,
        ev: Event,
        guard: &mut Guard,
    ) -> Result<Vec<Bytes>, GatewayError> {
        if self.done {
            return Ok(Vec::new());
        }
        if ev.data.trim() == "[DONE]" {
            let mut out = self.finish(guard).await?;
            out.push(Bytes::from_static(b"data: [DONE]\n\n"));
            self.done = true;
            return Ok(out);
        }
        let mut chunk: Value = serde_json::from_str(&ev.data)
            .ok()
            .filter(Value::is_object)
            .ok_or_else(|| {
                UpstreamError::BadResponse("stream".into(), "a chunk is not a JSON object".into())
            })?;
        if chunk.get("error").is_some() {
            return Ok(vec![sse::data(&chunk)]);
        }
        for k in ["id", "object", "created", "model", "system_fingerprint"] {
            if let Some(v) = chunk.get(k) {
                self.template.insert(k.into(), v.clone());
            }
        }
        let (i, o) = Api::OpenAi.usage(&chunk);
        if i.is_some() || o.is_some() {
            self.facts.usage = (i, o);
        }
        let Value::Array(choices) = chunk["choices"].take() else {
            return Ok(vec![sse::data(&chunk)]);
        };
        let had_choices = !choices.is_empty();
        let mut kept = Vec::new();
        for mut c in choices {
            let idx = c["index"].as_u64().unwrap_or(0);
            let st = self.choices.entry(idx).or_default();
            let mut text = match c["delta"]["content"].as_str() {
                Some(d) => st.text.push(d, guard, self.window).await?,
                None => String::new(),
            };
            if let Some(calls) = c["delta"]
                .as_object_mut()
                .and_then(|d| d.remove("tool_calls"))
            {
                buffer_tools(st, &calls);
            }
            let mut tool_calls = Vec::new();
            if !c["finish_reason"].is_null() && !st.finished {
                st.finished = true;
                text.push_str(&st.text.flush(guard).await?);
                tool_calls = guard_tools(st, guard, &mut self.facts.removed).await;
                if c["finish_reason"] == "tool_calls" && st.had_tools && tool_calls.is_empty() {
                    c["finish_reason"] = Value::from("stop");
                }
            }
            if self.facts.answer.len() < 2000 {
                self.facts.answer.push_str(&text);
            }
            if let Some(delta) = c["delta"].as_object_mut() {
                match text.is_empty() {
                    true if delta.get("content").is_some_and(|v| v != "") => {
                        delta.remove("content");
                    }
                    true => {}
                    false => {
                        delta.insert("content".into(), Value::from(text));
                    }
                }
                if !tool_calls.is_empty() {
                    delta.insert("tool_calls".into(), Value::from(tool_calls));
                }
                if delta.is_empty() && c["finish_reason"].is_null() {
                    continue;
                }
            }
            kept.push(c);
        }
        if had_choices && kept.is_empty() && chunk.get("usage").is_none_or(Value::is_null) {
            return Ok(Vec::new());
        }
        chunk["choices"] = Value::from(kept);
        Ok(vec![sse::data(&chunk)])
    }

    /// End of stream (or `[DONE]`): release every unfinished choice, then report removals.
    pub async fn finish(&mut self, guard: &mut Guard) -> Result<Vec<Bytes>, GatewayError> {
        let mut choices = Vec::new();
        for (idx, st) in self.choices.iter_mut().filter(|(_, st)| !st.finished) {
            st.finished = true;
            let text = st.text.flush(guard).await?;
            let calls = guard_tools(st, guard, &mut self.facts.removed).await;
            let mut delta = Map::new();
            if !text.is_empty() {
                delta.insert("content".into(), Value::from(text));
            }
            if !calls.is_empty() {
                delta.insert("tool_calls".into(), Value::from(calls));
            }
            if !delta.is_empty() {
                choices.push(json!({"index": idx, "delta": delta, "finish_reason": null}));
            }
        }
        let mut out: Vec<Bytes> = choices
            .into_iter()
            .map(|c| self.chunk(json!([c]), None))
            .collect();
        if !self.facts.removed.is_empty() && !self.done {
            out.push(self.chunk(json!([]), Some(tools::report(&self.facts.removed))));
        }
        Ok(out)
    }

    fn chunk(&self, choices: Value, warden: Option<Value>) -> Bytes {
        let mut c = self.template.clone();
        c.insert("choices".into(), choices);
        if let Some(w) = warden {
            c.insert("warden".into(), w);
        }
        sse::data(&Value::Object(c))
    }
}

fn buffer_tools(st: &mut Choice, calls: &Value) {
    for (pos, tc) in calls.as_array().into_iter().flatten().enumerate() {
        st.had_tools = true;
        let buf = st
            .tools
            .entry(tc["index"].as_u64().unwrap_or(pos as u64))
            .or_default();
        if let Some(id) = tc["id"].as_str() {
            buf.id = id.to_string();
        }
        if let Some(n) = tc["function"]["name"].as_str() {
            buf.name.push_str(n);
        }
        if let Some(a) = tc["function"]["arguments"].as_str() {
            buf.args.push_str(a);
        }
    }
}

/// Run the buffered calls through the tool-call chain; the kept ones, whole.
async fn guard_tools(
    st: &mut Choice,
    guard: &mut Guard,
    removed: &mut Vec<RemovedToolCall>,
) -> Vec<Value> {
    let mut kept = Vec::new();
    for (_, t) in std::mem::take(&mut st.tools) {
        match guard.tool_call(&t.name, t.args).await {
            ToolDecision::Keep(args) => kept.push(json!({
                "index": kept.len(), "id": t.id, "type": "function",
                "function": {"name": t.name, "arguments": args},
            })),
            ToolDecision::Remove(action, policy, reason, approval) => {
                removed.push(RemovedToolCall::new(
                    &t.id, &t.name, action, policy, reason, approval,
                ));
            }
        }
    }
    kept
}
