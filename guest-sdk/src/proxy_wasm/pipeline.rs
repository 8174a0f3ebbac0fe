//! One phase through the filter's policies, in order, with the semantics of
//! `warden serve`'s chain: a deny stops the chain; a modify edits the messages
//! (or the tool call's arguments) the next policy sees; a route changes the
//! model the next policy sees; a require-approval is remembered (the highest
//! level wins) and refused at the end, since a filter cannot park a request.
//!
//! A single-policy filter is a pipeline of one. Pure code (the evaluation is a
//! callback), so it unit-tests natively.

use super::reply::Refusal;
use super::verdict::{self, Fault};
use crate::{Action, Approval, Effects, Input, Phase, Verdict};

/// What the pipeline needs to know about one policy.
#[derive(Debug, Clone, Copy)]
pub struct Step<'a> {
    /// Its name (refusals, metrics, logs).
    pub name: &'a str,
    /// The phases it handles.
    pub phases: &'a [Phase],
    /// The effects it declared.
    pub effects: Effects,
}

/// What a phase changed, when nothing refused.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    /// Some policy edited the messages (or the tool arguments) in `input`.
    pub edited: bool,
    /// The model a route chose (already set in `input.model`).
    pub model: Option<String>,
    /// The upstream a route chose.
    pub upstream: Option<String>,
}

impl Changes {
    /// Whether anything must be applied (a body rewrite or route headers).
    pub fn any(&self) -> bool {
        self.edited || self.model.is_some() || self.upstream.is_some()
    }
}

/// The result of a phase.
#[derive(Debug, Clone, PartialEq)]
pub enum Ran {
    /// Forward, with these changes (possibly none).
    Pass(Changes),
    /// Answer the client.
    Refuse(Refusal),
}

/// Run `input.phase` through the `steps` that handle it. `eval(i, input)` runs
/// step `i`; `states[i]` carries step `i`'s state between the phases of one
/// stream. A verdict the step did not declare, or an edit that cannot apply,
/// is a fault.
pub fn run(
    steps: &[Step<'_>],
    input: &mut Input,
    states: &mut [Option<Vec<u8>>],
    mut eval: impl FnMut(usize, &Input) -> Result<Verdict, String>,
) -> Result<Ran, Fault> {
    let mut changes = Changes::default();
    let mut approval: Option<(usize, Approval)> = None;
    for (i, step) in steps.iter().enumerate() {
        if !step.phases.contains(&input.phase) {
            continue;
        }
        // Lent, not cloned: the slot gets it back unless the policy returns a new one.
        input.state = states.get_mut(i).and_then(Option::take);
        let mut v = eval(i, input);
        let kept = input.state.take();
        let new = v.as_mut().ok().and_then(|v| v.state.take());
        if let Some(slot) = states.get_mut(i) {
            *slot = new.or(kept);
        }
        let v = v?;
        verdict::check_effects(step.name, step.effects, &v)?;
        match v.action {
            Action::Allow => {}
            Action::Deny(_) => {
                let r = verdict::refusal(step.name, &v.action).expect("a deny refuses");
                return Ok(Ran::Refuse(r));
            }
            Action::RequireApproval(a) => {
                if approval.as_ref().is_none_or(|(_, cur)| a.level > cur.level) {
                    approval = Some((i, a));
                }
            }
            Action::Modify { edits } => {
                if input.phase == Phase::ToolCall {
                    if let Some(call) = input.tool_call.as_mut() {
                        call.arguments = verdict::edit_arguments(&call.arguments, &edits)?;
                    }
                } else {
                    input.messages = verdict::edit_messages(&input.messages, &edits)?;
                }
                changes.edited = true;
            }
            Action::Route(r) => {
                if let Some(m) = r.model {
                    input.model = m.clone();
                    changes.model = Some(m);
                }
                if r.upstream.is_some() {
                    changes.upstream = r.upstream;
                }
            }
        }
    }
    input.state = None;
    if let Some((i, a)) = approval {
        let r = verdict::refusal(steps[i].name, &Action::RequireApproval(a))
            .expect("an approval refuses");
        return Ok(Ran::Refuse(r));
    }
    Ok(Ran::Pass(changes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Edit, Message, RiskLevel, Span, ToolCall};

    const REQ: &[Phase] = &[Phase::Request];
    const ALL: &[Phase] = &Phase::ALL;

    fn step<'a>(name: &'a str, phases: &'static [Phase], modify: bool, route: bool) -> Step<'a> {
        Step {
            name,
            phases,
            effects: Effects {
                modify,
                route,
                approve: true,
            },
        }
    }

    #[test]
    fn later_policies_see_earlier_edits_and_routes() {
        let steps = [
            step("pii", ALL, true, false),
            step("router", REQ, false, true),
        ];
        let mut input = Input::new(Phase::Request, vec![Message::user("mail bob@x.io")]);
        let mut states = vec![None, None];
        let mut seen = Vec::new();
        let ran = run(&steps, &mut input, &mut states, |i, inp| {
            seen.push((i, inp.messages[0].content.clone()));
            Ok(match i {
                0 => Verdict::modify(vec![Edit {
                    span: Span::message(0, 5, 13),
                    replacement: "<EMAIL_1>".into(),
                }])
                .state(b"map".to_vec()),
                _ => Verdict::route(Some("small".into()), Some("cheap".into())),
            })
        })
        .unwrap();
        assert_eq!(seen[1].1, "mail <EMAIL_1>");
        assert_eq!(input.model, "small");
        assert_eq!(states[0].as_deref(), Some(&b"map"[..]));
        let Ran::Pass(c) = ran else { panic!() };
        assert!(c.edited && c.any());
        assert_eq!(c.upstream.as_deref(), Some("cheap"));

        // The response phase skips request-only steps and hands back the state.
        input.phase = Phase::Response;
        let ran = run(&steps, &mut input, &mut states, |i, inp| {
            assert_eq!((i, inp.state.as_deref()), (0, Some(&b"map"[..])));
            Ok(Verdict::allow())
        })
        .unwrap();
        assert_eq!(ran, Ran::Pass(Changes::default()));
        // Lent state comes back to its slot when the policy returns none.
        assert_eq!(states[0].as_deref(), Some(&b"map"[..]));
        assert_eq!(input.state, None);
    }

    #[test]
    fn deny_stops_approval_waits_and_undeclared_effects_fault() {
        let steps = [
            step("risk", ALL, false, false),
            step("inj", ALL, false, false),
        ];
        let mut input = Input::new(Phase::ToolCall, vec![]);
        input.tool_call = Some(ToolCall {
            name: "rm".into(),
            arguments: "{}".into(),
        });
        let mut states = vec![None, None];
        let mut calls = 0;
        let ran = run(&steps, &mut input, &mut states, |i, _| {
            calls += 1;
            Ok(match i {
                0 => Verdict::require_approval(RiskLevel::High, "deletes"),
                _ => Verdict::allow(),
            })
        })
        .unwrap();
        assert_eq!(calls, 2, "an approval does not stop the chain");
        let Ran::Refuse(Refusal::Policy { policy, code, .. }) = ran else {
            panic!()
        };
        assert_eq!(
            (policy.as_str(), code.as_str()),
            ("risk", "approval_required")
        );

        let ran = run(&steps, &mut input, &mut states, |_, _| {
            Ok(Verdict::deny("no"))
        })
        .unwrap();
        assert!(matches!(ran, Ran::Refuse(Refusal::Policy { ref policy, .. }) if policy == "risk"));

        // A route that names only an upstream still has something to apply.
        let mut req = Input::new(Phase::Request, vec![Message::user("hi")]);
        let routing = [step("router", REQ, false, true)];
        let ran = run(&routing, &mut req, &mut [None], |_, _| {
            Ok(Verdict::route(None, Some("cheap".into())))
        })
        .unwrap();
        let Ran::Pass(c) = ran else { panic!() };
        assert!(c.any() && c.model.is_none() && !c.edited);

        let err = run(&steps, &mut input, &mut states, |_, _| {
            Ok(Verdict::route(Some("m".into()), None))
        })
        .unwrap_err();
        assert!(err.contains("without declaring"), "{err}");
    }
}
