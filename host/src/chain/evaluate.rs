//! Running one phase of a tenant's chain over an input.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde::Serialize;
use warden_sdk::{
    Action, Approval, Deny, Edit, Finding, Input, Message, Phase, Route, Target, ToolCall,
};

use super::TenantChain;
use crate::policy::{FailureMode, PolicyFault};

/// Per-request state blobs, by policy name, carried from one phase to the next.
pub type StateBag = HashMap<String, Vec<u8>>;

/// A finding and the policy that reported it.
#[derive(Debug, Clone, Serialize)]
pub struct TaggedFinding {
    /// Policy name.
    pub policy: String,
    /// The finding.
    #[serde(flatten)]
    pub finding: Finding,
}

/// How long one policy took.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyTiming {
    /// Policy name.
    pub policy: String,
    /// Wall time of the call, in microseconds.
    pub micros: u64,
    /// The action it returned (or `fault`).
    pub action: &'static str,
}

/// The result of one phase of a chain.
#[derive(Debug, Clone, Serialize)]
pub struct ChainOutcome {
    /// `allow`, `deny`, `modify`, `route` or `require-approval`.
    pub action: &'static str,
    /// The policy behind `action` (none for a plain allow).
    pub decided_by: Option<String>,
    /// Set when denied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deny: Option<Deny>,
    /// Set when approval is required.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approval: Option<Approval>,
    /// Combined route (fields unset when no policy routed).
    pub route: Route,
    /// Whether any policy edited the text.
    pub modified: bool,
    /// The messages after all edits.
    pub messages: Vec<Message>,
    /// The tool call after all edits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_call: Option<ToolCall>,
    /// The model after routes.
    pub model: String,
    /// Findings from every policy that ran.
    pub findings: Vec<TaggedFinding>,
    /// Scores reported, by policy.
    pub scores: Vec<(String, f32)>,
    /// Faults, whatever the failure mode.
    pub faults: Vec<PolicyFault>,
    /// Per-policy timings, in order.
    pub timings: Vec<PolicyTiming>,
    /// The chain's version.
    pub chain_version: u64,
    /// Total time in microseconds.
    pub micros: u64,
}

impl ChainOutcome {
    /// Process exit code for `warden check`: 0 allow/modify/route, 2 deny, 3 approval.
    pub fn exit_code(&self) -> i32 {
        match self.action {
            "deny" => 2,
            "require-approval" => 3,
            _ => 0,
        }
    }
}

impl TenantChain {
    /// Run the `phase` chain over `input` (whose `phase` is overwritten).
    /// `states` carries per-policy state blobs between phases of one request.
    /// Blocking: in async code call it on a blocking thread.
    pub fn evaluate(&self, phase: Phase, mut input: Input, states: &mut StateBag) -> ChainOutcome {
        let started = Instant::now();
        input.phase = phase;
        let mut out = ChainOutcome {
            action: "allow",
            decided_by: None,
            deny: None,
            approval: None,
            route: Route::default(),
            modified: false,
            messages: Vec::new(),
            tool_call: None,
            model: String::new(),
            findings: Vec::new(),
            scores: Vec::new(),
            faults: Vec::new(),
            timings: Vec::new(),
            chain_version: self.version,
            micros: 0,
        };
        let mut approver: Option<String> = None;
        // The last policy that edited or routed decides a modify/route outcome.
        let mut last_effect: Option<String> = None;
        for policy in self.policies(phase) {
            if !policy.handles(phase) {
                continue;
            }
            let name = policy.name.to_string();
            input.state = states.get(&name).cloned();
            let t0 = Instant::now();
            let result = policy.evaluate(&input);
            let micros = elapsed_micros(t0.elapsed());
            let verdict = match result {
                Ok(v) => v,
                Err(fault) => {
                    tracing::warn!(tenant = %self.tenant, policy = %name, fault = fault.kind.label(), error = %fault, "policy fault");
                    out.timings.push(PolicyTiming {
                        policy: name.clone(),
                        micros,
                        action: "fault",
                    });
                    out.faults.push(fault.clone());
                    if policy.failure_mode == FailureMode::Deny {
                        out.deny = Some(Deny {
                            reason: format!(
                                "policy `{name}` failed and its failure mode is deny ({})",
                                fault.kind.label()
                            ),
                            code: Some("policy_fault".into()),
                        });
                        out.decided_by = Some(name);
                        break;
                    }
                    continue;
                }
            };
            out.timings.push(PolicyTiming {
                policy: name.clone(),
                micros,
                action: verdict.action.name(),
            });
            out.findings
                .extend(verdict.findings.into_iter().map(|f| TaggedFinding {
                    policy: name.clone(),
                    finding: f,
                }));
            if let Some(s) = verdict.score {
                out.scores.push((name.clone(), s));
            }
            if let Some(state) = verdict.state {
                states.insert(name.clone(), state);
            }
            match verdict.action {
                Action::Allow => {}
                Action::Deny(d) => {
                    out.deny = Some(d);
                    out.decided_by = Some(name);
                    break;
                }
                Action::Modify { edits } => {
                    apply_edits(&mut input, &edits);
                    out.modified = true;
                    last_effect = Some(name);
                }
                Action::Route(r) => {
                    if let Some(m) = r.model {
                        input.model = m.clone();
                        out.route.model = Some(m);
                    }
                    if r.upstream.is_some() {
                        out.route.upstream = r.upstream;
                    }
                    last_effect = Some(name);
                }
                Action::RequireApproval(a) => {
                    if out.approval.as_ref().is_none_or(|cur| a.level > cur.level) {
                        out.approval = Some(a);
                        approver = Some(name);
                    }
                }
            }
        }
        out.action = if out.deny.is_some() {
            "deny"
        } else if out.approval.is_some() {
            out.decided_by = approver;
            "require-approval"
        } else if let Some(name) = last_effect {
            out.decided_by = Some(name);
            if out.modified { "modify" } else { "route" }
        } else {
            "allow"
        };
        out.messages = input.messages;
        out.tool_call = input.tool_call;
        out.model = input.model;
        out.micros = elapsed_micros(started.elapsed());
        out
    }
}

fn elapsed_micros(d: Duration) -> u64 {
    d.as_micros().min(u64::MAX as u128) as u64
}

/// Apply validated edits. Edits were checked against this very input, so the
/// spans are in range, on boundaries and non-overlapping.
fn apply_edits(input: &mut Input, edits: &[Edit]) {
    let mut by_target: HashMap<Target, Vec<(usize, usize, &str)>> = HashMap::new();
    for e in edits {
        by_target.entry(e.span.target).or_default().push((
            e.span.start as usize,
            e.span.end as usize,
            &e.replacement,
        ));
    }
    for (target, list) in by_target {
        let text = match target {
            Target::Message(n) => input.messages.get_mut(n as usize).map(|m| &mut m.content),
            Target::ToolArguments => input.tool_call.as_mut().map(|t| &mut t.arguments),
        };
        if let Some(text) = text
            && let Some(edited) = warden_sdk::span::apply_edits(text, &list)
        {
            *text = edited;
        }
    }
}
