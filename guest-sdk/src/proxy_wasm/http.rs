//! The per-stream HTTP context: finds chat requests, buffers their body to the
//! end of stream, judges it and applies the verdict. Answers are judged in
//! [`super::answer`].
//!
//! Two modes (see [`FilterSettings::hold_headers`]):
//! - **continue** (default): request headers go upstream at once; the body is
//!   held until judged. `content-length` is removed up front when the policy may
//!   rewrite the body (headers cannot change later: notes §5.2).
//! - **hold**: headers wait for the verdict, so the upstream is contacted only
//!   after it, `content-length` is recomputed and route headers can be set.
//!
//! Every host call's status is handled; none can panic the VM.

use std::rc::Rc;

use proxy_wasm::traits::{Context, HttpContext};
use proxy_wasm::types::Action;

use super::chat::{self, Api};
use super::host::{self, DEBUG, ERROR, INFO, REQUEST_BODY, REQUEST_HEADERS, WARN};
use super::metrics;
use super::reply::Refusal;
use super::root::Shared;
use super::verdict::{self, Outcome};
use crate::{Input, Phase, Policy, Verdict};

/// One HTTP stream.
pub struct Http<P> {
    pub(super) name: String,
    pub(super) shared: Option<Rc<Shared<P>>>,
    /// Set on a chat request: its API shape.
    pub(super) api: Option<Api>,
    judge_request: bool,
    /// The request went upstream after judgement: its answer is ours to judge.
    pub(super) forwarded: bool,
    pub(super) judge_answer: bool,
    /// A local reply was sent; every later callback lets it through.
    pub(super) replied: bool,
    /// Request facts reused for the answer's phases.
    pub(super) base: Input,
}

impl<P: Policy> Http<P> {
    /// A stream of a plugin configured as `shared` (`None`: configure failed).
    pub fn new(name: String, shared: Option<Rc<Shared<P>>>) -> Self {
        Self {
            name,
            shared,
            api: None,
            judge_request: false,
            forwarded: false,
            judge_answer: false,
            replied: false,
            base: Input::new(Phase::Request, Vec::new()),
        }
    }

    pub(super) fn hold(&self) -> bool {
        self.shared
            .as_ref()
            .is_some_and(|s| s.settings.hold_headers)
    }

    pub(super) fn handles(&self, phase: Phase) -> bool {
        self.shared
            .as_ref()
            .is_some_and(|s| s.info.phases.contains(&phase))
    }

    pub(super) fn log(&self, level: u32, message: &str) {
        host::log(level, &format!("warden filter `{}`: {message}", self.name));
    }

    /// Answer the client; the caller returns `Pause`.
    pub(super) fn refuse(&mut self, r: Refusal) -> Action {
        let action = match &r {
            Refusal::Policy { code, .. } if code == "approval_required" => "require_approval",
            Refusal::Policy { .. } => "deny",
            Refusal::BadRequest(_) => "bad_request",
            Refusal::TooLarge(_) => "too_large",
            Refusal::Fault(_) => "fault",
            Refusal::BadAnswer(_) => "bad_answer",
        };
        metrics::count(&self.name, action);
        if !matches!(r, Refusal::Policy { .. }) {
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

    /// Run the policy, check its effects, log and count the decision.
    pub(super) fn evaluate(&self, input: &Input) -> Result<Verdict, String> {
        let shared = self.shared.as_ref().ok_or("the plugin is not configured")?;
        let v = shared.policy.evaluate(input)?;
        verdict::check_effects(&self.name, shared.info.effects, &v)?;
        let action = v.action.name();
        if !matches!(
            v.action,
            crate::Action::Deny(_) | crate::Action::RequireApproval(_)
        ) {
            metrics::count(&self.name, &action.replace('-', "_"));
        }
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
            "{} {action} code={code} findings=[{}] score={}",
            input.phase.as_str(),
            rules.join(","),
            v.score.map_or("-".into(), |s| format!("{s:.2}"))
        );
        self.log(if action == "allow" { DEBUG } else { INFO }, &line);
        if !matches!(
            v.action,
            crate::Action::Deny(_) | crate::Action::RequireApproval(_)
        ) {
            metrics::count(&self.name, &action.replace('-', "_"));
        }
        Ok(v)
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
        self.base.model = chat.model.clone();
        self.base.user = chat.user.clone();
        self.base.metadata = vec![
            ("api".into(), api.name().into()),
            ("stream".into(), chat.stream.to_string()),
        ];
        let mut input = self.base.clone();
        input.messages = std::mem::take(&mut chat.texts.messages);
        let v = match self.evaluate(&input) {
            Ok(v) => v,
            Err(e) => return self.fault(e),
        };
        self.base.state = v.state.clone();
        chat.texts.messages = input.messages;
        let outcome = verdict::body_outcome(&self.name, &mut chat.body, &chat.texts, &v);
        match outcome {
            Err(e) => self.fault(e),
            Ok(Outcome::Refuse(r)) => self.refuse(r),
            Ok(Outcome::Continue) => {
                self.forwarded = true;
                Action::Continue
            }
            Ok(Outcome::Rewrite { body: new, headers }) => {
                if let Err(s) = host::set_buffer(REQUEST_BODY, 0, body_size, &new) {
                    return self.fault(format!("could not replace the request body (status {s})"));
                }
                if self.hold() {
                    let len = new.len().to_string();
                    let all = headers.iter().map(|(k, v)| (*k, v.as_str()));
                    for (k, v) in std::iter::once(("content-length", len.as_str())).chain(all) {
                        if let Err(s) = host::set_header(REQUEST_HEADERS, k, v) {
                            return self.fault(format!("could not set header {k} (status {s})"));
                        }
                    }
                } else if headers.iter().any(|(k, _)| *k == verdict::UPSTREAM_HEADER) {
                    self.log(
                        WARN,
                        "route to another upstream needs hold_headers; only the model was changed",
                    );
                }
                self.forwarded = true;
                Action::Continue
            }
        }
    }
}

impl<P: Policy> Context for Http<P> {}

impl<P: Policy> HttpContext for Http<P> {
    fn on_http_request_headers(&mut self, _num_headers: usize, end_of_stream: bool) -> Action {
        let get = |k| {
            host::header(REQUEST_HEADERS, k)
                .ok()
                .flatten()
                .unwrap_or_default()
        };
        let (method, path, ctype) = (get(":method"), get(":path"), get("content-type"));
        let json = ctype.to_ascii_lowercase().contains("json");
        let api = Api::from_path(&path).filter(|_| method == "POST" && json);
        let Some(api) = api else {
            return Action::Continue; // not a chat request: untouched
        };
        self.api = Some(api);
        let Some(shared) = self.shared.clone() else {
            return self.fault("the plugin is not configured".into());
        };
        if !self.handles(Phase::Request) {
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
        let may_rewrite = shared.info.effects.modify || shared.info.effects.route;
        if may_rewrite && let Err(s) = host::remove_header(REQUEST_HEADERS, "content-length") {
            return self.fault(format!("could not remove content-length (status {s})"));
        }
        Action::Continue
    }

    fn on_http_request_body(&mut self, body_size: usize, end_of_stream: bool) -> Action {
        if !self.judge_request || self.replied {
            return Action::Continue;
        }
        let Some(settings) = self.shared.as_ref().map(|s| s.settings.clone()) else {
            return Action::Continue;
        };
        if body_size > settings.max_body_bytes {
            self.judge_request = false;
            if settings.on_oversize == super::settings::Oversize::Pass {
                metrics::count(&self.name, "too_large");
                self.log(
                    WARN,
                    "request body over max_body_bytes passed unjudged (on_oversize=pass)",
                );
                return Action::Continue;
            }
            return self.refuse(Refusal::TooLarge(settings.max_body_bytes));
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
