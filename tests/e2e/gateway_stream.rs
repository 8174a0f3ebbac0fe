//! `warden serve` end to end, streamed (SSE in each provider's format).

use std::time::{Duration, Instant};

use http_body_util::BodyExt;
use serde_json::Value;

use crate::gateway::{GUARDED, LAX, PATHS, STRICT, TIMEOUT, auth, call, chat, config};
use crate::gateway_support::*;

const LONG: &str =
    "The quick brown fox jumps over the lazy dog, then naps in the warm afternoon sun for a while.";

fn events(body: &str) -> Vec<Value> {
    sse_data(body)
        .iter()
        .filter(|d| *d != "[DONE]")
        .map(|d| serde_json::from_str(d).expect("JSON event"))
        .collect()
}

fn streamed_text(path: &str, body: &str) -> String {
    if path == PATHS[0] {
        openai_stream_text(body)
    } else {
        anthropic_stream_text(body)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streamed_answers_pass_the_response_chain_across_chunk_boundaries() {
    let up = Upstream::start().await;
    up.set(|s| s.text = LONG.into());
    let s = Server::start(&config(&up, TIMEOUT));
    for path in PATHS {
        let r = call(&s, path, STRICT, &chat(path, "hello", true)).await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.header("content-type"), Some("text/event-stream"));
        let body = r.text();
        // The tag lands once, at the very end, although the text came in 3-byte pieces.
        assert_eq!(
            streamed_text(path, &body),
            format!("{LONG} [resp]"),
            "{body}"
        );
        if path == PATHS[0] {
            assert!(body.trim_end().ends_with("data: [DONE]"), "{body}");
            let evs = events(&body);
            assert!(
                evs.iter()
                    .any(|e| e["choices"][0]["finish_reason"] == "stop")
            );
            assert!(
                evs.iter().any(|e| e["usage"]["completion_tokens"] == 5),
                "usage passes through"
            );
        } else {
            let kinds: Vec<String> = events(&body)
                .iter()
                .map(|e| e["type"].as_str().unwrap().to_string())
                .collect();
            assert_eq!(kinds.first().map(String::as_str), Some("message_start"));
            assert_eq!(kinds.last().map(String::as_str), Some("message_stop"));
            assert!(body.contains("event: content_block_delta\n"), "{body}");
        }
    }
    let got = up.received();
    assert_eq!(got[0].body["messages"][0]["content"], "hello [req]");
    assert_eq!(got[0].body["stream"], true);
    let m = s.metrics().await;
    assert!(
        m.contains(
            r#"warden_tokens_total{direction="output",model="claude-test",tenant="strict"} 5"#
        ),
        "{m}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_denied_answer_ends_the_stream_with_an_error_event() {
    let up = Upstream::start().await;
    up.set(|s| {
        s.text = "Sure, let us talk about crypto all day long, it is very interesting stuff".into()
    });
    let s = Server::start(&config(&up, TIMEOUT));
    for path in PATHS {
        let r = call(&s, path, GUARDED, &chat(path, "hello", false)).await;
        assert_eq!(r.status, 403, "{}", r.text());
        assert_eq!(r.json()["error"]["policy"], "topics");
        let r = call(&s, path, GUARDED, &chat(path, "hello", true)).await;
        let body = r.text();
        let last = events(&body).pop().expect("events");
        assert_eq!(last["error"]["type"], "policy_violation", "{body}");
        assert!(
            !streamed_text(path, &body).contains("crypto"),
            "denied text leaked: {body}"
        );
        if path == PATHS[1] {
            assert!(body.contains("event: error\n"));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streamed_tool_calls_go_through_the_tool_call_chain() {
    let up = Upstream::start().await;
    up.set(|s| {
        s.tools = vec![(
            "get_weather".into(),
            r#"{"city":"Paris","unit":"celsius"}"#.into(),
        )]
    });
    let s = Server::start(&config(&up, TIMEOUT));
    for path in PATHS {
        let denied = events(
            &call(&s, path, STRICT, &chat(path, "weather?", true))
                .await
                .text(),
        );
        let kept = events(
            &call(&s, path, LAX, &chat(path, "weather?", true))
                .await
                .text(),
        );
        if path == PATHS[0] {
            assert!(
                denied
                    .iter()
                    .all(|e| e["choices"][0]["delta"].get("tool_calls").is_none())
            );
            assert!(
                denied
                    .iter()
                    .any(|e| e["choices"][0]["finish_reason"] == "stop")
            );
            let report = denied
                .iter()
                .find(|e| e.get("warden").is_some())
                .expect("removal report");
            assert_eq!(report["warden"]["tool_calls_removed"][0]["policy"], "nope");
            assert_eq!(report["choices"], serde_json::json!([]));
            let calls: Vec<&Value> = kept
                .iter()
                .filter_map(|e| e["choices"][0]["delta"].get("tool_calls"))
                .collect();
            assert_eq!(calls.len(), 1, "kept calls are sent whole: {kept:?}");
            assert_eq!(
                calls[0][0]["function"]["arguments"],
                r#"{"city":"Paris","unit":"celsius"}"#
            );
            assert_eq!(calls[0][0]["id"], "call_0");
        } else {
            assert!(
                denied
                    .iter()
                    .all(|e| e["content_block"]["type"] != "tool_use")
            );
            let delta = denied
                .iter()
                .find(|e| e["type"] == "message_delta")
                .unwrap();
            assert_eq!(delta["delta"]["stop_reason"], "end_turn");
            assert_eq!(
                delta["warden"]["tool_calls_removed"][0]["name"],
                "get_weather"
            );
            let start = kept
                .iter()
                .find(|e| e["content_block"]["type"] == "tool_use")
                .expect("tool_use kept");
            assert_eq!(start["index"], 1);
            let args: String = kept
                .iter()
                .filter(|e| e["delta"]["type"] == "input_json_delta")
                .map(|e| e["delta"]["partial_json"].as_str().unwrap())
                .collect();
            assert_eq!(args, r#"{"city":"Paris","unit":"celsius"}"#);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_is_released_beyond_the_window_and_a_leaving_client_frees_its_slot() {
    let up = Upstream::start().await;
    up.set(|s| s.text = LONG.into());
    let s = Server::start(&config(
        &up,
        "upstream_timeout_ms = 30000\nstream_window_bytes = 16",
    ));
    for path in PATHS {
        // Every text piece, then the upstream stalls before finishing.
        let before_text = if path == PATHS[0] { 1 } else { 3 };
        up.set(|s| s.stall_after = Some(LONG.len().div_ceil(3) + before_text));
        let h = auth(path, STRICT);
        let h: Vec<(&str, &str)> = h.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let resp = open(
            s.addr,
            "POST",
            path,
            chat(path, "hi", true).to_string().into(),
            &h,
        )
        .await;
        assert_eq!(resp.status(), 200);
        let mut body = resp.into_body();
        let mut got = String::new();
        let deadline = Instant::now() + Duration::from_secs(10);
        // While the upstream stalls, all but at most the 16-byte window must have arrived.
        while streamed_text(path, &got).len() < LONG.len() - 16 {
            assert!(
                Instant::now() < deadline,
                "held back too much: {:?}",
                streamed_text(path, &got)
            );
            let frame = tokio::time::timeout(Duration::from_secs(10), body.frame())
                .await
                .expect("frame")
                .unwrap()
                .unwrap();
            got.push_str(std::str::from_utf8(&frame.into_data().unwrap()).unwrap());
        }
        assert!(LONG.starts_with(&streamed_text(path, &got)));
        drop(body); // the client leaves mid-stream
    }
    // The slots come back and the server keeps serving.
    let deadline = Instant::now() + Duration::from_secs(5);
    while !s.metrics().await.contains("warden_active_requests 0") {
        assert!(Instant::now() < deadline, "stream slots not released");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    up.set(|s| s.stall_after = None);
    let r = call(&s, PATHS[0], LAX, &chat(PATHS[0], "again", true)).await;
    assert_eq!(openai_stream_text(&r.text()), LONG);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_an_in_flight_stream_finish() {
    let up = Upstream::start().await;
    up.set(|s| {
        s.text = LONG.into();
        s.chunk = 10;
        s.pause = Duration::from_millis(40);
    });
    let mut s = Server::start(&config(
        &up,
        "upstream_timeout_ms = 30000\nshutdown_grace_ms = 10000",
    ));
    let h = auth(PATHS[0], LAX);
    let h: Vec<(&str, &str)> = h.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let resp = open(
        s.addr,
        "POST",
        PATHS[0],
        chat(PATHS[0], "hi", true).to_string().into(),
        &h,
    )
    .await;
    assert_eq!(resp.status(), 200);
    s.terminate();
    let body = resp
        .into_body()
        .collect()
        .await
        .expect("stream completes")
        .to_bytes();
    let body = String::from_utf8_lossy(&body);
    assert_eq!(openai_stream_text(&body), LONG);
    assert!(body.trim_end().ends_with("data: [DONE]"));
    let status = tokio::task::block_in_place(|| s.wait_exit(Duration::from_secs(10)))
        .expect("exits after draining");
    assert!(status.success(), "{status:?}");
    assert!(
        tokio::net::TcpStream::connect(s.addr).await.is_err(),
        "still accepting after shutdown"
    );
}

/// With the built-in pii policy: the upstream sees pseudonyms, the client gets
/// the originals back, even when a pseudonym is split across stream chunks.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pii_pseudonyms_split_across_chunks_are_restored() {
    let up = Upstream::start().await;
    up.set(|s| s.text = "I will write to <EMAIL_1> today and to <EMAIL_1> again tomorrow.".into());
    let cfg = format!(
        "[upstreams.openai]\nbase_url = \"{0}/v1\"\n[upstreams.anthropic]\nbase_url = \"{0}\"\n\
         [models.\"gpt-test\"]\nupstream = \"openai\"\n[models.\"claude-test\"]\nupstream = \"anthropic\"\n\
         [policies.pii]\nsource = \"builtin:pii\"\n[tenants.default.chain]\nrequest = [\"pii\"]\nresponse = [\"pii\"]\n",
        up.url()
    );
    let s = Server::start(&cfg);
    let expected =
        "I will write to jane.doe@example.com today and to jane.doe@example.com again tomorrow.";
    for path in PATHS {
        for stream in [false, true] {
            let body = chat(path, "Please mail me at jane.doe@example.com", stream);
            let r = s.post(path, body.to_string(), &[]).await;
            assert_eq!(r.status, 200, "{}", r.text());
            let text = match (path == PATHS[0], stream) {
                (true, false) => r.json()["choices"][0]["message"]["content"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                (false, false) => r.json()["content"][0]["text"].as_str().unwrap().to_string(),
                _ => streamed_text(path, &r.text()),
            };
            assert_eq!(text, expected, "{path} stream={stream}");
        }
    }
    for got in up.received() {
        let sent = got.body["messages"][0]["content"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(sent, "Please mail me at <EMAIL_1>");
    }
}
