//! End-to-end tests of the policy: request → state → response.

use warden_sdk::span::apply_edits;
use warden_sdk::{Action, Input, Message, Phase, Policy, Role};

use crate::Pii;

fn policy(cfg: &str) -> Pii {
    Pii::configure(cfg).unwrap()
}

/// Apply a verdict's edits to message `i` of `input`.
fn edited(input: &Input, v: &warden_sdk::Verdict, i: usize) -> String {
    let Action::Modify { edits } = &v.action else {
        return input.messages[i].content.clone();
    };
    let mine: Vec<_> = edits
        .iter()
        .filter(|e| e.span.target == warden_sdk::Target::Message(i as u32))
        .map(|e| {
            (
                e.span.start as usize,
                e.span.end as usize,
                e.replacement.as_str(),
            )
        })
        .collect();
    apply_edits(&input.messages[i].content, &mine).expect("valid edits")
}

fn response(text: &str, state: Option<Vec<u8>>) -> Input {
    let mut i = Input::new(Phase::Response, vec![Message::new(Role::Assistant, text)]);
    i.state = state;
    i
}

#[test]
fn clean_text_is_allowed_untouched() {
    let v = policy("")
        .evaluate(&Input::request(
            "Release 2.4.1 ships on 2024-05-01, order #1182.",
        ))
        .unwrap();
    assert_eq!(v.action, Action::Allow);
    assert!(v.findings.is_empty() && v.state.is_none());
}

#[test]
fn demo_email_and_card_are_pseudonymised_then_restored() {
    let p = policy("");
    let req = Input::request(
        "I'm bob@example.com, charge 4111 1111 1111 1111 and mail bob@example.com the receipt.",
    );
    let v = p.evaluate(&req).unwrap();
    let sent = edited(&req, &v, 0);
    assert_eq!(
        sent,
        "I'm <EMAIL_1>, charge <CREDIT_CARD_1> and mail <EMAIL_1> the receipt."
    );
    assert_eq!(v.findings.len(), 3);
    assert!(v.findings.iter().all(|f| !f.detail.contains("bob")));
    let state = v.state.clone().expect("state blob");

    let resp = response(
        "Done: <CREDIT_CARD_1> was charged and a receipt went to <EMAIL_1>.",
        Some(state),
    );
    let v = p.evaluate(&resp).unwrap();
    assert_eq!(
        edited(&resp, &v, 0),
        "Done: 4111 1111 1111 1111 was charged and a receipt went to bob@example.com."
    );
}

#[test]
fn response_redacts_new_pii_but_keeps_the_users_own() {
    let p = policy("");
    let req = Input::request("my mail is amy@example.org");
    let state = p.evaluate(&req).unwrap().state;
    let resp = response(
        "Sure amy@example.org, also try eve@evil.example or call +44 20 7946 0958.",
        state,
    );
    let v = p.evaluate(&resp).unwrap();
    assert_eq!(
        edited(&resp, &v, 0),
        "Sure amy@example.org, also try [EMAIL] or call [PHONE]."
    );
}

#[test]
fn response_without_state_or_pii_is_allowed() {
    let p = policy("");
    assert_eq!(
        p.evaluate(&response("All good, see <b>docs</b>.", None))
            .unwrap()
            .action,
        Action::Allow
    );
    assert!(
        p.evaluate(&response("x", Some(b"not json".to_vec())))
            .is_err()
    );
}

#[test]
fn modes_redact_mask_hash() {
    let p = policy(r#"{"modes":{"email":"hash","credit_card":"mask","ssn":"redact"}}"#);
    let req = Input::request("bob@example.com 5555-5555-5555-4444 SSN 123-45-6789");
    let v = p.evaluate(&req).unwrap();
    let out = edited(&req, &v, 0);
    assert!(
        out.starts_with("<EMAIL:") && out.ends_with("> ****-****-****-4444 SSN [SSN]"),
        "{out}"
    );
    assert!(v.state.is_none());
    // Same value and tenant → same token; another tenant → another.
    let again = edited(&req, &p.evaluate(&req).unwrap(), 0);
    assert_eq!(out, again);
    let mut other = req.clone();
    other.tenant = "globex".into();
    assert_ne!(out, edited(&other, &p.evaluate(&other).unwrap(), 0));
}

#[test]
fn block_denies_without_echoing() {
    let p = policy(r#"{"modes":{"secret":"block"}}"#);
    let v = p
        .evaluate(&Input::request("deploy with AKIAIOSFODNN7EXAMPLE please"))
        .unwrap();
    let Action::Deny(d) = &v.action else {
        panic!("{v:?}")
    };
    assert_eq!(d.code.as_deref(), Some("pii_blocked"));
    assert!(!d.reason.contains("AKIA") && v.findings.iter().all(|f| !f.detail.contains("AKIA")));
    assert_eq!(v.findings[0].rule, "pii.secret");
}

#[test]
fn secrets_are_redacted_by_default_keeping_the_key_name() {
    let req = Input::request(
        "config: DB_PASSWORD=hunter22 and OPENAI=sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z",
    );
    let v = policy("").evaluate(&req).unwrap();
    assert_eq!(
        edited(&req, &v, 0),
        "config: DB_PASSWORD=[SECRET] and OPENAI=[SECRET]"
    );
}

#[test]
fn allow_list_entities_and_roles() {
    let req = Input::new(
        Phase::Request,
        vec![
            Message::new(
                Role::System,
                "Escalate to support@example.com or ops@example.com",
            ),
            Message::new(Role::User, "I am at 10.1.2.3, mail me at me@example.net"),
        ],
    );
    let v = policy(r#"{"allow_list":["Support@example.com"],"entities":["email"]}"#)
        .evaluate(&req)
        .unwrap();
    assert_eq!(
        edited(&req, &v, 0),
        "Escalate to support@example.com or <EMAIL_1>"
    );
    assert_eq!(
        edited(&req, &v, 1),
        "I am at 10.1.2.3, mail me at <EMAIL_2>"
    );
    let v = policy(r#"{"roles":["user"]}"#).evaluate(&req).unwrap();
    assert_eq!(edited(&req, &v, 0), req.messages[0].content);
    assert_eq!(edited(&req, &v, 1), "I am at [IP], mail me at <EMAIL_1>");
}

#[test]
fn edits_are_on_char_boundaries_and_sorted() {
    let req =
        Input::request("Müller — bob@example.com — 電話 +81 3 1234 5678 — café 4111111111111111");
    let v = policy("").evaluate(&req).unwrap();
    let Action::Modify { edits } = &v.action else {
        panic!("{v:?}")
    };
    assert!(edits.windows(2).all(|w| w[0].span.end <= w[1].span.start));
    assert_eq!(
        edited(&req, &v, 0),
        "Müller — <EMAIL_1> — 電話 <PHONE_1> — café <CREDIT_CARD_1>"
    );
}

#[test]
fn bad_config_names_the_key() {
    let e = Pii::configure(r#"{"modes":{"email":"shred"}}"#).unwrap_err();
    assert_eq!(e.key.as_deref(), Some("modes.email"));
    assert!(Pii::configure(r#"{"hash_salt":"x","unknown":1}"#).is_err());
}

/// The held-out eval set stays above target (the `eval` example prints the full table).
#[test]
fn eval_sets_meet_the_precision_and_recall_target() {
    use crate::detect::scan;
    use crate::entity::{Entity, EntitySet};
    for (name, data) in [
        ("dev", include_str!("../eval/dev.jsonl")),
        ("test", include_str!("../eval/test.jsonl")),
    ] {
        let (mut tp, mut fp, mut fn_) = ([0usize; 7], [0usize; 7], [0usize; 7]);
        for line in data.lines() {
            let case: serde_json::Value = serde_json::from_str(line).unwrap();
            let text = case["text"].as_str().unwrap();
            let found = scan(text, EntitySet::all());
            let mut used = vec![false; found.len()];
            for l in case["entities"].as_array().unwrap() {
                let kind = Entity::from_name(l["type"].as_str().unwrap()).unwrap();
                let (s, e) = (
                    l["start"].as_u64().unwrap() as usize,
                    l["end"].as_u64().unwrap() as usize,
                );
                match (0..found.len()).find(|&i| {
                    !used[i] && found[i].kind == kind && found[i].start < e && s < found[i].end
                }) {
                    Some(i) => {
                        used[i] = true;
                        tp[kind as usize] += 1;
                    }
                    None => fn_[kind as usize] += 1,
                }
            }
            for (d, _) in found.iter().zip(&used).filter(|(_, u)| !**u) {
                fp[d.kind as usize] += 1;
            }
        }
        for e in Entity::ALL {
            let i = e as usize;
            let p = tp[i] as f64 / (tp[i] + fp[i]).max(1) as f64;
            let r = tp[i] as f64 / (tp[i] + fn_[i]).max(1) as f64;
            assert!(
                p >= 0.95 && r >= 0.95,
                "{name} {}: precision {p:.3} recall {r:.3}",
                e.name()
            );
        }
    }
}
