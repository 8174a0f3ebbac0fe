//! Contract checks on a verdict before the host acts on it: a policy can only
//! point at text it was given, on character boundaries, with the effects it declared.

use warden_sdk::{Action, Effects, Input, Span, Target, Verdict};

use super::FaultKind;

/// Largest state blob a policy may hand back (the WIT promises 64 KiB).
pub const MAX_STATE_BYTES: usize = 64 * 1024;

pub(crate) fn verdict(v: &Verdict, input: &Input, effects: &Effects) -> Result<(), FaultKind> {
    if !effects.permits(&v.action) {
        return Err(FaultKind::UndeclaredEffect(v.action.name()));
    }
    if let Action::Modify { edits } = &v.action {
        for e in edits {
            span(&e.span, input).map_err(|r| FaultKind::InvalidVerdict(format!("edit {r}")))?;
        }
        let mut sorted: Vec<&Span> = edits.iter().map(|e| &e.span).collect();
        sorted.sort_by_key(|s| (target_key(s.target), s.start));
        for pair in sorted.windows(2) {
            if pair[0].target == pair[1].target && pair[1].start < pair[0].end {
                return Err(FaultKind::InvalidVerdict("edits overlap".into()));
            }
        }
    }
    for f in &v.findings {
        if let Some(s) = &f.span {
            span(s, input)
                .map_err(|r| FaultKind::InvalidVerdict(format!("finding `{}` {r}", f.rule)))?;
        }
    }
    if let Some(score) = v.score
        && !(0.0..=1.0).contains(&score)
    {
        return Err(FaultKind::InvalidVerdict(format!(
            "score {score} is outside [0, 1]"
        )));
    }
    if let Some(state) = &v.state
        && state.len() > MAX_STATE_BYTES
    {
        return Err(FaultKind::InvalidVerdict(format!(
            "state of {} bytes exceeds {MAX_STATE_BYTES}",
            state.len()
        )));
    }
    Ok(())
}

fn target_key(t: Target) -> i64 {
    match t {
        Target::Message(n) => n as i64,
        Target::ToolArguments => -1,
    }
}

/// The text a target names, if it exists.
pub(crate) fn target_text(target: Target, input: &Input) -> Option<&str> {
    match target {
        Target::Message(n) => input.messages.get(n as usize).map(|m| m.content.as_str()),
        Target::ToolArguments => input.tool_call.as_ref().map(|t| t.arguments.as_str()),
    }
}

fn span(s: &Span, input: &Input) -> Result<(), String> {
    let text = target_text(s.target, input)
        .ok_or_else(|| format!("points at missing target {:?}", s.target))?;
    let (start, end) = (s.start as usize, s.end as usize);
    if start > end || end > text.len() {
        return Err(format!(
            "span {start}..{end} is out of range (text is {} bytes)",
            text.len()
        ));
    }
    if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
        return Err(format!(
            "span {start}..{end} is not on UTF-8 character boundaries"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_sdk::{Edit, Finding, Severity};

    fn modify(start: usize, end: usize) -> Verdict {
        Verdict::modify(vec![Edit {
            span: Span::message(0, start, end),
            replacement: "x".into(),
        }])
    }

    #[test]
    fn rejects_bad_spans_and_undeclared_effects() {
        let input = Input::request("héllo");
        let all = Effects {
            modify: true,
            route: true,
            approve: true,
        };
        assert!(verdict(&modify(0, 1), &input, &all).is_ok());
        assert!(matches!(
            verdict(&modify(0, 2), &input, &all),
            Err(FaultKind::InvalidVerdict(_))
        ));
        assert!(matches!(
            verdict(&modify(0, 99), &input, &all),
            Err(FaultKind::InvalidVerdict(_))
        ));
        assert_eq!(
            verdict(&modify(0, 1), &input, &Effects::default()),
            Err(FaultKind::UndeclaredEffect("modify"))
        );
        let f = Verdict::allow()
            .finding(Finding::new("r", "c", Severity::Low).at(Span::message(3, 0, 1)));
        assert!(matches!(
            verdict(&f, &input, &all),
            Err(FaultKind::InvalidVerdict(_))
        ));
    }

    #[test]
    fn rejects_overlapping_edits() {
        let input = Input::request("hello world");
        let v = Verdict::modify(vec![
            Edit {
                span: Span::message(0, 0, 5),
                replacement: "a".into(),
            },
            Edit {
                span: Span::message(0, 3, 7),
                replacement: "b".into(),
            },
        ]);
        let all = Effects {
            modify: true,
            route: true,
            approve: true,
        };
        assert!(matches!(
            verdict(&v, &input, &all),
            Err(FaultKind::InvalidVerdict(_))
        ));
    }
}
