//! Judging the upstream's answer: the `response` phase over its texts (with the
//! request phase's state, e.g. pseudonyms to restore) and the `tool-call` phase
//! over each tool call the model asked for, through every stage that handles
//! them, in order.
//!
//! Only non-streamed JSON answers with a 2xx status are judged; event streams
//! pass through (the filter does not parse SSE; `warden serve` does). A refusal
//! here is a clean 403 in hold mode; in continue mode the response headers are
//! already downstream and Envoy can only reset the stream.

use proxy_wasm::types::Action;
use serde_json::Value;

use super::chat;
use super::host::{self, RESPONSE_BODY, RESPONSE_HEADERS};
use super::http::Http;
use super::pipeline::Ran;
use super::reply::Refusal;
use super::settings::Oversize;
use crate::{Input, Phase, ToolCall};

impl Http {
    pub(super) fn answer_headers(&mut self, end_of_stream: bool) -> Action {
        let wanted = self.handles(Phase::Response) || self.handles(Phase::ToolCall);
        if self.replied || !self.forwarded || end_of_stream || !wanted {
            return Action::Continue;
        }
        // One host call for both headers.
        let Ok(h) = host::header_pairs(RESPONSE_HEADERS) else {
            return Action::Continue;
        };
        let ok = h.get(":status").is_some_and(|s| s.starts_with('2'));
        let json = h
            .get("content-type")
            .is_some_and(|c| c.to_ascii_lowercase().contains("json"));
        if !ok || !json {
            return Action::Continue;
        }
        self.judge_answer = true;
        if self.hold() {
            return Action::Pause;
        }
        let modifies = self.shared.as_ref().is_some_and(|s| s.may_modify);
        if modifies && let Err(s) = host::remove_header(RESPONSE_HEADERS, "content-length") {
            return self.fault(format!("could not remove content-length (status {s})"));
        }
        Action::Continue
    }

    pub(super) fn answer_body(&mut self, body_size: usize, end_of_stream: bool) -> Action {
        if !self.judge_answer || self.replied {
            return Action::Continue;
        }
        let Some((max, oversize)) = self.body_limit() else {
            return Action::Continue;
        };
        if body_size > max {
            self.judge_answer = false;
            if oversize == Oversize::Pass {
                self.count("too_large");
                return Action::Continue;
            }
            let why = format!("answer larger than {max} bytes");
            return self.refuse(Refusal::BadAnswer(why));
        }
        if !end_of_stream {
            return Action::Pause;
        }
        self.judge_answer = false;
        let bytes = match host::buffer(RESPONSE_BODY, 0, body_size) {
            Ok(b) => b,
            Err(s) => return self.fault(format!("could not read the answer (status {s})")),
        };
        if !self.handles(Phase::Response) && !mentions_tool_calls(&bytes) {
            return Action::Continue; // only tool calls to judge, and there are none
        }
        let Ok(mut answer) = serde_json::from_slice::<Value>(&bytes) else {
            return self.refuse(Refusal::BadAnswer("the answer is not JSON".into()));
        };
        let api = self.api.unwrap_or(chat::Api::OpenAi);
        let base = match self.base.take() {
            Some(b) => b,
            None => {
                // The request was not parsed: take the facts from the answer.
                let mut b = Input::new(Phase::Response, Vec::new());
                if let Some(m) = answer["model"].as_str() {
                    b.model = m.into();
                }
                b.metadata = vec![("api".into(), api.name().into())];
                b
            }
        };
        let mut changed = false;
        if self.handles(Phase::Response) {
            match self.judge_texts(&base, &mut answer) {
                Ok(Ran::Pass(c)) => changed |= c.edited,
                Ok(Ran::Refuse(r)) => return self.refuse(r),
                Err(e) => return self.fault(e),
            }
        }
        if self.handles(Phase::ToolCall) {
            match self.judge_tool_calls(&base, &mut answer) {
                Ok((edited, None)) => changed |= edited,
                Ok((_, Some(r))) => return self.refuse(r),
                Err(e) => return self.fault(e),
            }
        }
        if changed {
            let new = match serde_json::to_vec(&answer) {
                Ok(n) if n != bytes => n,
                Ok(_) => return Action::Continue,
                Err(e) => return self.fault(e.to_string()),
            };
            if let Err(s) = host::set_buffer(RESPONSE_BODY, 0, body_size, &new) {
                return self.fault(format!("could not replace the answer (status {s})"));
            }
            let len = new.len().to_string();
            if self.hold()
                && let Err(s) = host::set_header(RESPONSE_HEADERS, "content-length", &len)
            {
                return self.fault(format!("could not set content-length (status {s})"));
            }
        }
        Action::Continue
    }

    /// The `response` phase over the answer's texts, with the request's state.
    fn judge_texts(&mut self, base: &Input, answer: &mut Value) -> Result<Ran, String> {
        let api = self.api.unwrap_or(chat::Api::OpenAi);
        let mut texts = chat::answer_texts(api, answer);
        if texts.messages.is_empty() {
            return Ok(Ran::Pass(Default::default()));
        }
        let mut input = base.clone();
        input.phase = Phase::Response;
        input.messages = std::mem::take(&mut texts.messages); // only the pointers are needed later
        let ran = self.run(&mut input)?;
        if let Ran::Pass(c) = &ran
            && c.edited
        {
            texts.write_back(answer, &input.messages);
        }
        Ok(ran)
    }

    /// The `tool-call` phase over each tool call: whether arguments were edited,
    /// and the first refusal.
    fn judge_tool_calls(
        &mut self,
        base: &Input,
        answer: &mut Value,
    ) -> Result<(bool, Option<Refusal>), String> {
        let api = self.api.unwrap_or(chat::Api::OpenAi);
        let mut edited = false;
        for (call, ptr) in chat::tool_calls(api, answer) {
            let mut input = base.clone();
            input.phase = Phase::ToolCall;
            input.messages.clear();
            input.tool_call = Some(ToolCall {
                name: call.name.clone(),
                arguments: call.arguments.clone(),
            });
            match self.run(&mut input)? {
                Ran::Refuse(r) => return Ok((edited, Some(r))),
                Ran::Pass(c) if c.edited => {
                    if let Some(t) = &input.tool_call {
                        chat::set_arguments(api, answer, &ptr, &t.arguments);
                        edited = true;
                    }
                }
                Ran::Pass(_) => {}
            }
        }
        Ok((edited, None))
    }
}

/// Whether an answer can hold tool calls (`tool_calls` / `tool_use`): a byte
/// search is far cheaper than parsing every answer just to find none.
fn mentions_tool_calls(body: &[u8]) -> bool {
    body.windows(8)
        .any(|w| w == b"tool_cal" || w == b"tool_use")
}
