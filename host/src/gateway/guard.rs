//! Running a tenant's chains for one gateway request: carries the request's
//! state blobs from phase to phase (so the response phase can restore what
//! the request phase pseudonymised) and records policy metrics.

use std::sync::Arc;

use warden_sdk::{Input, Message, Phase, Role, ToolCall};

use super::error::PolicyBlock;
use super::{Gateway, approvals};
use crate::approval::NewApproval;
use crate::chain::{ChainOutcome, StateBag, TenantChain};

/// One request's view of its tenant's chains.
#[derive(Debug)]
pub struct Guard {
    gw: Arc<Gateway>,
    chain: Arc<TenantChain>,
    /// Tenant, model, user and metadata; messages and phase are set per call.
    base: Input,
    /// State blobs by policy, carried across phases.
    pub states: StateBag,
    /// Microseconds spent in policies so far.
    pub policy_us: u64,
    /// Agent session for approvals filed by the tool-call chain.
    pub session: String,
}

/// What the tool-call chain decided for one call.
#[derive(Debug)]
pub enum ToolDecision {
    /// Keep it, with these (possibly edited) arguments.
    Keep(String),
    /// Remove it: (action, policy, reason, approval filed for it).
    Remove(&'static str, String, String, Option<String>),
}

impl Guard {
    /// A guard for `base.tenant`'s chain.
    pub fn new(gw: Arc<Gateway>, chain: Arc<TenantChain>, base: Input) -> Self {
        Self {
            gw,
            chain,
            base,
            states: StateBag::new(),
            policy_us: 0,
            session: String::new(),
        }
    }

    /// Whether `phase` has any policy (no policy: nothing to hold back).
    pub fn has(&self, phase: Phase) -> bool {
        !self.chain.policies(phase).is_empty()
    }

    /// Set the model later phases see (after a route).
    pub fn set_model(&mut self, model: &str) {
        self.base.model = model.to_string();
    }

    /// Run `phase` over `messages` (and a tool call).
    pub async fn run(
        &mut self,
        phase: Phase,
        messages: Vec<Message>,
        tool_call: Option<ToolCall>,
    ) -> ChainOutcome {
        let mut input = self.base.clone();
        input.messages = messages;
        input.tool_call = tool_call;
        let states = std::mem::take(&mut self.states);
        let (out, states) = self
            .gw
            .warden
            .evaluate_async(self.chain.clone(), phase, input, states)
            .await;
        self.states = states;
        self.policy_us += out.micros;
        self.gw
            .metrics
            .observe_chain(&self.base.tenant, phase.as_str(), &out);
        out
    }

    /// Run the response chain over one piece of answer text.
    pub async fn response_text(&mut self, text: String) -> Result<String, PolicyBlock> {
        if text.is_empty() || !self.has(Phase::Response) {
            return Ok(text);
        }
        let out = self
            .run(
                Phase::Response,
                vec![Message::new(Role::Assistant, text)],
                None,
            )
            .await;
        if let Some(b) = block(&out) {
            return Err(b);
        }
        Ok(out
            .messages
            .into_iter()
            .next()
            .map(|m| m.content)
            .unwrap_or_default())
    }

    /// Run the tool-call chain over one tool call.
    pub async fn tool_call(&mut self, name: &str, arguments: String) -> ToolDecision {
        if !self.has(Phase::ToolCall) {
            return ToolDecision::Keep(arguments);
        }
        let call = ToolCall {
            name: name.to_string(),
            arguments,
        };
        let out = self
            .run(Phase::ToolCall, Vec::new(), Some(call.clone()))
            .await;
        match block(&out) {
            Some(b) => {
                let approval = match (&out.deny, &out.approval) {
                    (None, Some(a)) => approvals::file(
                        &self.gw,
                        NewApproval {
                            tenant: self.base.tenant.clone(),
                            session: self.session.clone(),
                            tool: call.name.clone(),
                            arguments: call.arguments.clone(),
                            risk: approvals::risk(a.level),
                            reason: a.reason.clone(),
                        },
                    )
                    .and_then(|r| {
                        r.map_err(|e| tracing::warn!(error = %e, "could not file an approval"))
                            .ok()
                    })
                    .map(|a| a.id),
                    _ => None,
                };
                ToolDecision::Remove(out.action, b.policy, b.reason, approval)
            }
            None => ToolDecision::Keep(out.tool_call.map_or(call.arguments, |t| t.arguments)),
        }
    }
}

/// The refusal in `out`, if it denied or asked for approval.
pub fn block(out: &ChainOutcome) -> Option<PolicyBlock> {
    let policy = out.decided_by.clone().unwrap_or_default();
    if let Some(d) = &out.deny {
        return Some(PolicyBlock {
            policy,
            reason: d.reason.clone(),
            code: d.code.clone().unwrap_or_else(|| "policy_violation".into()),
            approval_id: None,
        });
    }
    out.approval.as_ref().map(|a| PolicyBlock {
        policy,
        reason: format!(
            "human approval required ({} risk): {}",
            format!("{:?}", a.level).to_lowercase(),
            a.reason
        ),
        code: "approval_required".into(),
        approval_id: None,
    })
}
