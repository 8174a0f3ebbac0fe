//! Tool calls in a model's answer go through the tenant's `tool-call` chain
//! before the client sees them; denied (or approval-held) calls are removed
//! and reported (the shape is documented in [`super`]).

use serde::Serialize;
use serde_json::{Value, json};

use super::guard::{Guard, ToolDecision};
use super::shape::{Api, FoundToolCall, anthropic, openai};

/// A tool call removed from an answer, as reported to the client.
#[derive(Debug, Clone, Serialize)]
pub struct RemovedToolCall {
    /// The provider's tool call id.
    pub id: String,
    /// Tool name.
    pub name: String,
    /// `deny` or `require-approval`.
    pub action: &'static str,
    /// The deciding policy.
    pub policy: String,
    /// Its reason.
    pub reason: String,
    /// The approval filed for it (`require-approval` with `[approvals]` on).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approval_id: Option<String>,
}

impl RemovedToolCall {
    /// From a tool decision that removed the call.
    pub fn new(
        id: &str,
        name: &str,
        action: &'static str,
        policy: String,
        reason: String,
        approval_id: Option<String>,
    ) -> Self {
        Self {
            id: id.to_string(),
            name: name.to_string(),
            action,
            policy,
            reason,
            approval_id,
        }
    }
}

/// The `warden` field added to an answer that lost tool calls.
pub fn report(removed: &[RemovedToolCall]) -> Value {
    json!({ "tool_calls_removed": removed })
}

/// Guard every tool call of a non-streamed answer in place; returns the
/// removed ones and whether the answer changed at all.
pub async fn guard_answer(
    guard: &mut Guard,
    api: Api,
    answer: &mut Value,
) -> (Vec<RemovedToolCall>, bool) {
    let calls = match api {
        Api::OpenAi => openai::tool_calls(answer),
        Api::Anthropic => anthropic::tool_calls(answer),
    };
    let mut removed = Vec::new();
    let mut gone: Vec<FoundToolCall> = Vec::new();
    let mut edited = false;
    for c in calls {
        match guard.tool_call(&c.name, c.arguments.clone()).await {
            ToolDecision::Keep(args) if args != c.arguments => {
                edited = true;
                match api {
                    Api::OpenAi => openai::set_arguments(answer, &c, &args),
                    Api::Anthropic => anthropic::set_arguments(answer, &c, &args),
                }
            }
            ToolDecision::Keep(_) => {}
            ToolDecision::Remove(action, policy, reason, approval) => {
                removed.push(RemovedToolCall::new(
                    &c.id, &c.name, action, policy, reason, approval,
                ));
                gone.push(c);
            }
        }
    }
    match api {
        Api::OpenAi => openai::remove_tool_calls(answer, &gone),
        Api::Anthropic => anthropic::remove_tool_calls(answer, &gone),
    }
    let edited = edited || !removed.is_empty();
    (removed, edited)
}
