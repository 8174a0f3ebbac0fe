//! The pieces of applying a [`Verdict`]: effect checks, refusals, and edits of
//! message texts and tool arguments. Pure code, so it unit-tests natively; the
//! [`pipeline`](super::pipeline) strings them together per phase.

use super::reply::Refusal;
use crate::span::apply_edits;
use crate::{Action, Edit, Effects, Message, Target, Verdict};

/// Header a `route` verdict sets to the chosen model (hold mode only).
pub const MODEL_HEADER: &str = "x-warden-model";
/// Header a `route` verdict sets to the chosen upstream (hold mode only); name an
/// Envoy cluster after each upstream and route with `cluster_header`.
pub const UPSTREAM_HEADER: &str = "x-warden-upstream";

/// Why a verdict could not be applied: treated as a policy fault.
pub type Fault = String;

/// Check `verdict` against the policy's declared effects (as the host does).
pub fn check_effects(policy: &str, effects: Effects, verdict: &Verdict) -> Result<(), Fault> {
    if effects.permits(&verdict.action) {
        Ok(())
    } else {
        Err(format!(
            "policy `{policy}` returned `{}` without declaring that effect",
            verdict.action.name()
        ))
    }
}

/// The refusal for a deny or require-approval, `None` for the other actions.
pub fn refusal(policy: &str, action: &Action) -> Option<Refusal> {
    match action {
        Action::Deny(d) => Some(Refusal::Policy {
            policy: policy.into(),
            reason: d.reason.clone(),
            code: d.code.clone().unwrap_or_else(|| "policy_violation".into()),
        }),
        // A filter cannot park a request for a human: refuse it, with the code
        // `warden serve` uses, so the client can tell it apart from a deny.
        Action::RequireApproval(a) => Some(Refusal::Policy {
            policy: policy.into(),
            reason: format!(
                "human approval required ({} risk): {}",
                format!("{:?}", a.level).to_lowercase(),
                a.reason
            ),
            code: "approval_required".into(),
        }),
        _ => None,
    }
}

/// Apply message edits to `messages`; `Err` for a span the host would reject too.
pub fn edit_messages(messages: &[Message], edits: &[Edit]) -> Result<Vec<Message>, Fault> {
    let mut out = messages.to_vec();
    for (i, m) in out.iter_mut().enumerate() {
        let mine: Vec<(usize, usize, &str)> = edits
            .iter()
            .filter(|e| e.span.target == Target::Message(i as u32))
            .map(|e| {
                (
                    e.span.start as usize,
                    e.span.end as usize,
                    e.replacement.as_str(),
                )
            })
            .collect();
        if mine.is_empty() {
            continue;
        }
        m.content = apply_edits(&m.content, &mine).ok_or_else(|| {
            format!("edit out of range or off a character boundary in message {i}")
        })?;
    }
    if let Some(e) = edits.iter().find(|e| match e.span.target {
        Target::Message(n) => n as usize >= messages.len(),
        Target::ToolArguments => true,
    }) {
        return Err(format!(
            "edit targets {:?}, which this phase does not have",
            e.span.target
        ));
    }
    Ok(out)
}

/// Apply a tool-call verdict's argument edits; returns the new arguments.
pub fn edit_arguments(arguments: &str, edits: &[Edit]) -> Result<String, Fault> {
    let mine: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| match e.span.target {
            Target::ToolArguments => Ok((
                e.span.start as usize,
                e.span.end as usize,
                e.replacement.as_str(),
            )),
            Target::Message(_) => {
                Err("a tool-call edit must target the tool arguments".to_string())
            }
        })
        .collect::<Result<_, _>>()?;
    apply_edits(arguments, &mine).ok_or_else(|| "tool argument edit out of range".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RiskLevel, Span};

    #[test]
    fn edits_apply_per_message_and_bad_spans_fault() {
        let msgs = vec![Message::user("mail bob@x.io now")];
        let e = |s, t: &str| Edit {
            span: Span::message(0, s, 13),
            replacement: t.into(),
        };
        let out = edit_messages(&msgs, &[e(5, "<EMAIL_1>")]).unwrap();
        assert_eq!(out[0].content, "mail <EMAIL_1> now");
        assert!(edit_messages(&msgs, &[e(14, "x")]).is_err());
        let far = Edit {
            span: Span::message(3, 0, 1),
            replacement: "x".into(),
        };
        assert!(edit_messages(&msgs, &[far]).is_err());
    }

    #[test]
    fn refusals_carry_codes_and_effects_are_checked() {
        let a = Verdict::require_approval(RiskLevel::High, "sends mail");
        let Some(Refusal::Policy { code, reason, .. }) = refusal("risk", &a.action) else {
            panic!("expected a refusal")
        };
        assert_eq!(code, "approval_required");
        assert!(reason.contains("high risk"));
        let v = Verdict::route(Some("gpt-4o-mini".into()), None);
        assert!(check_effects("router", Effects::default(), &v).is_err());
        assert!(refusal("router", &v.action).is_none());
    }
}
