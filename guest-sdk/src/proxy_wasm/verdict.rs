//! Turning a [`Verdict`] into what the filter does with the HTTP body: forward
//! it, forward a rewritten one, or answer locally. Pure code, so it unit-tests
//! natively; the HTTP context only executes the [`Outcome`].

use serde_json::Value;

use super::chat::Texts;
use super::reply::Refusal;
use crate::span::apply_edits;
use crate::{Action, Edit, Effects, Message, Target, Verdict};

/// Header a `route` verdict sets to the chosen model (hold mode only).
pub const MODEL_HEADER: &str = "x-warden-model";
/// Header a `route` verdict sets to the chosen upstream (hold mode only); name an
/// Envoy cluster after each upstream and route with `cluster_header`.
pub const UPSTREAM_HEADER: &str = "x-warden-upstream";

/// What to do with a judged body.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Forward it unchanged.
    Continue,
    /// Forward `body` instead, with `headers` set when they still can be.
    Rewrite {
        /// The new body.
        body: Vec<u8>,
        /// Routing headers to set (hold mode).
        headers: Vec<(&'static str, String)>,
    },
    /// Answer the client.
    Refuse(Refusal),
}

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

/// The outcome of a request- or answer-phase verdict over `texts` of `body`.
pub fn body_outcome(
    policy: &str,
    body: &mut Value,
    texts: &Texts,
    verdict: &Verdict,
) -> Result<Outcome, Fault> {
    if let Some(r) = refusal(policy, &verdict.action) {
        return Ok(Outcome::Refuse(r));
    }
    let mut headers = Vec::new();
    match &verdict.action {
        Action::Modify { edits } => {
            let edited = edit_messages(&texts.messages, edits)?;
            texts.write_back(body, &edited);
        }
        Action::Route(r) => {
            if let Some(model) = &r.model {
                body["model"] = Value::from(model.as_str());
                headers.push((MODEL_HEADER, model.clone()));
            }
            if let Some(upstream) = &r.upstream {
                headers.push((UPSTREAM_HEADER, upstream.clone()));
            }
        }
        _ => return Ok(Outcome::Continue),
    }
    let body = serde_json::to_vec(body).map_err(|e| e.to_string())?;
    Ok(Outcome::Rewrite { body, headers })
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
    use crate::proxy_wasm::chat::{Api, parse_request};
    use crate::{RiskLevel, Span};
    use serde_json::json;

    fn chat(text: &str) -> (Value, Texts) {
        let b = json!({"model":"auto","messages":[{"role":"user","content":text}]});
        let c = parse_request(Api::OpenAi, b.to_string().as_bytes()).unwrap();
        (c.body, c.texts)
    }

    #[test]
    fn modify_rewrites_only_the_edited_text() {
        let (mut body, texts) = chat("mail bob@x.io now");
        let v = Verdict::modify(vec![Edit {
            span: Span::message(0, 5, 13),
            replacement: "<EMAIL_1>".into(),
        }]);
        let Outcome::Rewrite { body: out, headers } =
            body_outcome("pii", &mut body, &texts, &v).unwrap()
        else {
            panic!("expected a rewrite")
        };
        let out: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(out["messages"][0]["content"], "mail <EMAIL_1> now");
        assert!(headers.is_empty());
        let bad = Verdict::modify(vec![Edit {
            span: Span::message(0, 5, 99),
            replacement: "x".into(),
        }]);
        assert!(body_outcome("pii", &mut body, &texts, &bad).is_err());
    }

    #[test]
    fn route_sets_model_and_headers_and_refusals_carry_codes() {
        let (mut body, texts) = chat("hi");
        let v = Verdict::route(Some("gpt-4o-mini".into()), Some("cheap".into()));
        let Outcome::Rewrite { body: out, headers } =
            body_outcome("router", &mut body, &texts, &v).unwrap()
        else {
            panic!("expected a rewrite")
        };
        assert!(String::from_utf8(out).unwrap().contains("gpt-4o-mini"));
        assert_eq!(headers.len(), 2);
        let a = Verdict::require_approval(RiskLevel::High, "sends mail");
        let Outcome::Refuse(Refusal::Policy { code, reason, .. }) =
            body_outcome("risk", &mut body, &texts, &a).unwrap()
        else {
            panic!("expected a refusal")
        };
        assert_eq!(code, "approval_required");
        assert!(reason.contains("high risk"));
        assert!(check_effects("router", Effects::default(), &v).is_err());
    }
}
