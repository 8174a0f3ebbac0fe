//! The per-stream HTTP context: finds chat requests, buffers their body to the
//! end of stream, runs the filter's policies over it once (one parse for all
//! of them) and applies the result. Answers are judged in [`super::answer`].
//!
//! Two modes (see [`FilterSettings::hold_headers`](super::settings::FilterSettings::hold_headers)):
//! - **continue** (default): request headers go upstream at once; the body is
//!   held until judged. `content-length` is removed up front when a policy may
//!   rewrite the body (headers cannot change later: notes §5.2).
//! - **hold**: headers wait for the verdict, so the upstream is contacted only
//!   after it, `content-length` is recomputed and route headers can be set.
//!
//! Cost per request matters (every host→guest call is a V8 entry): headers are
//! read with one host call, nothing is parsed for traffic that is not a chat
//! request, an unchanged body is never re-serialised, and counters were
//! defined in the root context.
//!
//! Every host call's status is handled; none can panic the VM.

use std::rc::Rc;

use proxy_wasm::traits::{Context, HttpContext};
use proxy_wasm::types::Action;

use super::chat::{self, Api};
use super::host::{self, DEBUG, ERROR, INFO, REQUEST_BODY, REQUEST_HEADERS, WARN};
use super::pipeline::{self, Changes, Ran};
use super::reply::Refusal;
use super::root::Shared;
use super::settings::{OnStream, Oversize};
use super::verdict;
use crate::{Input, Phase, Verdict};

/// One HTTP stream.
pub struct Http {
    pub(super) shared: Option<Rc<Shared>>,
    /// Set on a chat request: its API shape.
    pub(super) api: Option<Api>,
    judge_request: bool,
    /// The request went upstream after judgement: its answer is ours to judge.
    pub(super) forwarded: bool,
    pub(super) judge_answer: bool,
    /// A local reply was sent; every later callback lets it through.
    pub(super) replied: bool,
    /// Request facts reused for the answer's phases (set on a chat request).
    pub(super) base: Option<Input>,
    /// Each stage's state, carried from the request to the answer.
    pub(super) states: Vec<Option<Vec<u8>>>,
}

impl Http {
    /// `max_body_bytes` and what to do over it (`None`: configure failed).
    pub(super) fn body_limit(&self) -> Option<(usize, Oversize)> {
        self.shared
            .as_ref()
            .map(|s| (s.settings.max_body_bytes, s.settings.on_oversize))
    }

    /// Whether a streamed request must be refused (see [`OnStream`]).
    fn refuses_streams(&self) -> bool {
        let judges_answers = self.handles(Phase::Response) || self.handles(Phase::ToolCall);
        judges_answers
            && self
                .shared
                .as_ref()
                .is_some_and(|s| s.settings.on_stream == OnStream::Reject)
    }

    /// Bump the plugin counter `action` (nothing when configure failed).
    pub(super) fn count(&self, action: &str) {
        if let Some(s) = &self.shared {
            s.counters.count(action);
        }
    }

    /// A stream of a plugin configured as `shared` (`None`: configure failed).
    pub fn new(shared: Option<Rc<Shared>>) -> Self {
        Self {
            shared,
            api: None,
            judge_request: false,
            forwarded: false,
            judge_answer: false,
            replied: false,
            base: None,
            states: Vec::new(),
        }
    }

    pub(super) fn hold(&self) -> bool {
        self.shared
            .as_ref()
            .is_some_and(|s| s.settings.hold_headers)
    }

    pub(super) fn handles(&self, phase: Phase) -> bool {
        self.shared.as_ref().is_some_and(|s| s.handles(phase))
    }

    fn name(&self) -> &str {
        self.shared
            .as_ref()
            .map_or("unconfigured", |s| s.name.as_str())
    }

    pub(super) fn log(&self, level: u32, message: &str) {
        host::log(
            level,
            &format!("warden filter `{}`: {message}", self.name()),
        );
    }

    /// Answer the client; the caller returns `Pause`.
    pub(super) fn refuse(&mut self, r: Refusal) -> Action {
        // Policy refusals were counted under the policy by `evaluate`.
        let action = match &r {
            Refusal::Policy { .. } => None,
            Refusal::BadRequest(_) => Some("bad_request"),
            Refusal::TooLarge(_) => Some("too_large"),
            Refusal::Fault(_) => Some("fault"),
            Refusal::BadAnswer(_) => Some("bad_answer"),
        };
        if let Some(action) = action {
            self.count(action);
            self.log(WARN, &format!("refused: {}", r.message()));
        }
        let reply = r.reply(self.api.unwrap_or(Api::OpenAi));
        self.replied = true;
        if let Err(s) =
            host::send_local_response(reply.status, reply.details, reply.body.as_bytes())
        {
            // The stream stays paused and the client times out: still fail-closed.
            self.log(
                ERROR,
                &format!("local reply refused by the host (status {s})"),
            );
        }
        Action::Pause
    }

    /// A policy fault: logged, counted, refused with 503 (fail closed).
    pub(super) fn fault(&mut self, what: String) -> Action {
        self.log(ERROR, &format!("policy fault: {what}"));
        self.refuse(Refusal::Fault(what))
    }

    /// Run `input.phase` through every stage that handles it.
    pub(super) fn run(&mut self, input: &mut Input) -> Result<Ran, String> {
        let shared = self.shared.clone().ok_or("the plugin is not configured")?;
        if self.states.len() != shared.stages.len() {
            self.states = vec![None; shared.stages.len()];
        }
        let steps = shared.steps();
        pipeline::run(&steps, input, &mut self.states, |i, input| {
            evaluate(&shared, i, input)
        })
    }

    fn judge_request(&mut self, body_size: usize) -> Action {
        let api = self.api.unwrap_or(Api::OpenAi);
        let body = match host::buffer(REQUEST_BODY, 0, body_size) {
            Ok(b) => b,
            Err(s) => return self.fault(format!("could not read the request body (status {s})")),
        };
        let mut chat = match chat::parse_request(api, &body) {
            Ok(c) => c,
            Err(m) => return self.refuse(Refusal::BadRequest(m)),
        };
        if chat.stream && self.refuses_streams() {
            return self.refuse(Refusal::BadRequest(
                "this filter judges answers and cannot judge a streamed one: send \"stream\": false \
                 (or set the filter's \"on_stream\": \"pass\" to let streamed answers through unjudged)"
                    .into(),
            ));
        }
        let mut base = Input::new(Phase::Request, Vec::new());
        base.model = chat.model.clone();
        base.user = chat.user.take();
        base.metadata = vec![
            ("api".into(), api.name().into()),
            ("stream".into(), chat.stream.to_string()),
        ];
        let mut input = base.clone();
        self.base = Some(base);
        input.messages = std::mem::take(&mut chat.texts.messages);
        let changes = match self.run(&mut input) {
            Ok(Ran::Pass(c)) => c,
            Ok(Ran::Refuse(r)) => return self.refuse(r),
            Err(e) => return self.fault(e),
        };
        if let Some(b) = self.base.as_mut() {
            b.model = input.model.clone(); // answers are judged for the routed model
        }
        if !changes.any() {
            self.forwarded = true;
            return Action::Continue; // the body goes on as it came: no re-serialisation
        }
        self.rewrite_request(&mut chat, &input, &changes, body_size)
    }

    fn rewrite_request(
        &mut self,
        chat: &mut chat::ChatRequest,
        input: &Input,
        changes: &Changes,
        body_size: usize,
    ) -> Action {
        let mut headers = Vec::new();
        if let Some(model) = &changes.model {
            headers.push((verdict::MODEL_HEADER, model.clone()));
        }
        if let Some(upstream) = &changes.upstream {
            headers.push((verdict::UPSTREAM_HEADER, upstream.clone()));
        }
        // A route to the model already asked for (e.g. the router's small tier
        // with its own upstream) changes headers only: the body goes on as it came.
        let model_changed = changes.model.as_ref().is_some_and(|m| *m != chat.model);
        if changes.edited || model_changed {
            if changes.edited {
                chat.texts.write_back(&mut chat.body, &input.messages);
            }
            if let Some(model) = changes.model.as_deref().filter(|_| model_changed) {
                chat.body["model"] = serde_json::Value::from(model);
            }
            let new = match serde_json::to_vec(&chat.body) {
                Ok(n) => n,
                Err(e) => return self.fault(e.to_string()),
            };
            if let Err(s) = host::set_buffer(REQUEST_BODY, 0, body_size, &new) {
                return self.fault(format!("could not replace the request body (status {s})"));
            }
            headers.push(("content-length", new.len().to_string()));
        }
        if self.hold() {
            for (k, v) in headers.iter().map(|(k, v)| (*k, v.as_str())) {
                if let Err(s) = host::set_header(REQUEST_HEADERS, k, v) {
                    return self.fault(format!("could not set header {k} (status {s})"));
                }
            }
        } else if changes.upstream.is_some() {
            self.log(
                WARN,
                "route to another upstream needs hold_headers; the route table picks the upstream",
            );
        }
        self.forwarded = true;
        Action::Continue
    }
}

/// Run stage `i`, log and count its decision.
fn evaluate(shared: &Shared, i: usize, input: &Input) -> Result<Verdict, String> {
    let c = &shared.stages[i];
    // A fault (an `Err`, or an undeclared effect the pipeline rejects) is
    // counted once, as the filter's `fault`, when it is refused.
    let v = c
        .stage
        .evaluate(input)
        .map_err(|e| format!("policy `{}`: {e}", c.stage.name))?;
    if !c.stage.info.effects.permits(&v.action) {
        return Ok(v);
    }
    let action = v.action.name();
    c.counters.count(action);
    let level = if action == "allow" { DEBUG } else { INFO };
    if level < shared.log_level {
        return Ok(v); // formatting a line the proxy drops costs every request
    }
    let rules: Vec<&str> = v.findings.iter().map(|f| f.rule.as_str()).collect();
    let code = match &v.action {
        crate::Action::Deny(d) => d.code.as_deref().unwrap_or("policy_violation"),
        _ => "-",
    };
    // Rules and codes only: never the prompt, never a matched value.
    let line = format!(
        "warden filter `{}`: policy `{}` {} {action} code={code} findings=[{}] score={}",
        shared.name,
        c.stage.name,
        input.phase.as_str(),
        rules.join(","),
        v.score.map_or("-".into(), |s| format!("{s:.2}"))
    );
    host::log(level, &line);
    Ok(v)
}

impl Context for Http {}

impl HttpContext for Http {
    fn on_http_request_headers(&mut self, _num_headers: usize, end_of_stream: bool) -> Action {
        // One host call for the three headers we need.
        let Ok(h) = host::header_pairs(REQUEST_HEADERS) else {
            return Action::Continue;
        };
        if h.get(":method") != Some("POST") {
            return Action::Continue; // not a chat request: untouched
        }
        let json = h
            .get("content-type")
            .is_some_and(|c| c.to_ascii_lowercase().contains("json"));
        let api = Api::from_path(h.get(":path").unwrap_or_default()).filter(|_| json);
        let Some(api) = api else {
            return Action::Continue;
        };
        self.api = Some(api);
        let Some(shared) = self.shared.clone() else {
            return self.fault("the plugin is not configured".into());
        };
        if !shared.handles(Phase::Request) {
            self.forwarded = true;
            return Action::Continue;
        }
        if end_of_stream {
            return self.refuse(Refusal::BadRequest(
                "a chat request needs a JSON body".into(),
            ));
        }
        self.judge_request = true;
        if shared.settings.hold_headers {
            return Action::Pause;
        }
        if shared.may_rewrite
            && let Err(s) = host::remove_header(REQUEST_HEADERS, "content-length")
        {
            return self.fault(format!("could not remove content-length (status {s})"));
        }
        Action::Continue
    }

    fn on_http_request_body(&mut self, body_size: usize, end_of_stream: bool) -> Action {
        if !self.judge_request || self.replied {
            return Action::Continue;
        }
        let Some((max, oversize)) = self.body_limit() else {
            return Action::Continue;
        };
        if body_size > max {
            self.judge_request = false;
            if oversize == Oversize::Pass {
                self.count("too_large");
                self.log(
                    WARN,
                    "request body over max_body_bytes passed unjudged (on_oversize=pass)",
                );
                return Action::Continue;
            }
            return self.refuse(Refusal::TooLarge(max));
        }
        if !end_of_stream {
            return Action::Pause; // the host keeps buffering; body_size is cumulative
        }
        self.judge_request = false;
        self.judge_request(body_size)
    }

    fn on_http_response_headers(&mut self, _num_headers: usize, end_of_stream: bool) -> Action {
        self.answer_headers(end_of_stream)
    }

    fn on_http_response_body(&mut self, body_size: usize, end_of_stream: bool) -> Action {
        self.answer_body(body_size, end_of_stream)
    }
}
