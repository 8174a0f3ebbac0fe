//! The fake provider behind Envoy, and a small HTTP client for Envoy and its admin.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};

use super::rt;

/// The path and body of a one-message chat request.
pub fn chat_request(api: &str, model: &str, text: &str) -> (&'static str, Value) {
    let messages = json!([{"role": "user", "content": text}]);
    match api {
        "anthropic" => (
            "/v1/messages",
            json!({"model": model, "max_tokens": 64, "messages": messages}),
        ),
        _ => (
            "/v1/chat/completions",
            json!({"model": model, "messages": messages}),
        ),
    }
}

/// A complete HTTP reply.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: hyper::HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}), status {}: {}", self.status, self.text()))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// `GET path`.
pub fn get(addr: SocketAddr, path: &str) -> Reply {
    send(addr, "GET", path, Bytes::new(), "")
}

/// One request on a fresh connection; the whole reply (status 0 if the stream broke).
pub fn send(addr: SocketAddr, method: &str, path: &str, body: Bytes, ctype: &str) -> Reply {
    rt().block_on(async {
        let fut = async {
            let stream = tokio::net::TcpStream::connect(addr).await.ok()?;
            let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
                .await
                .ok()?;
            tokio::spawn(conn);
            let mut req = Request::builder()
                .method(method)
                .uri(path)
                .header("host", "warden.test");
            if !ctype.is_empty() {
                req = req.header("content-type", ctype);
            }
            let resp = sender
                .send_request(req.body(Full::new(body)).unwrap())
                .await
                .ok()?;
            let (parts, body) = resp.into_parts();
            let body = body.collect().await.ok()?.to_bytes();
            Some(Reply {
                status: parts.status.as_u16(),
                headers: parts.headers,
                body,
            })
        };
        tokio::time::timeout(Duration::from_secs(30), fut)
            .await
            .expect("reply within 30 s")
            .unwrap_or(Reply {
                status: 0,
                headers: Default::default(),
                body: Bytes::new(),
            })
    })
}

/// A request the fake upstream received.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub headers: hyper::HeaderMap,
    pub body: Bytes,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The fake provider: records requests; answers a chat with `You said: <last
/// user message>` in the request's shape, or with a tool call when that message
/// is `TOOL <name> <json arguments>`; answers anything else with `{}`.
#[derive(Clone)]
pub struct Upstream {
    pub addr: SocketAddr,
    got: Arc<Mutex<Vec<Received>>>,
    /// Keep what was received (off for benchmarks: memory would grow).
    record: bool,
}

impl Upstream {
    /// Start on a free port, on the shared runtime.
    pub fn start() -> Self {
        Self::start_with(true)
    }

    fn start_with(record: bool) -> Self {
        let listener = rt()
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let up = Self {
            addr: listener.local_addr().unwrap(),
            got: Default::default(),
            record,
        };
        let state = up.clone();
        rt().spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let state = state.clone();
                let svc = hyper::service::service_fn(move |req| {
                    let state = state.clone();
                    async move { Ok::<_, std::convert::Infallible>(state.answer(req).await) }
                });
                tokio::spawn(
                    hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), svc),
                );
            }
        });
        up
    }

    /// Requests received so far.
    pub fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// The last request received.
    pub fn last(&self) -> Received {
        self.received()
            .pop()
            .expect("the upstream received a request")
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    async fn answer(&self, req: Request<hyper::body::Incoming>) -> Response<Full<Bytes>> {
        let (parts, body) = req.into_parts();
        let body = body
            .collect()
            .await
            .map(|c| c.to_bytes())
            .unwrap_or_default();
        let path = parts.uri.path().to_string();
        if self.record {
            self.got.lock().unwrap().push(Received {
                method: parts.method.to_string(),
                path: path.clone(),
                headers: parts.headers,
                body: body.clone(),
            });
        }
        let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let out = answer(&path, &request);
        let mut r = Response::new(Full::new(Bytes::from(out.to_string())));
        r.headers_mut()
            .insert("content-type", "application/json".parse().unwrap());
        r
    }
}

/// The text of the last user message of a chat request.
fn last_user_text(request: &Value) -> String {
    let Some(m) = request["messages"]
        .as_array()
        .and_then(|m| m.iter().rev().find(|m| m["role"] == "user"))
    else {
        return String::new();
    };
    match &m["content"] {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts.iter().filter_map(|p| p["text"].as_str()).collect(),
        _ => String::new(),
    }
}

/// The fake provider's answer to `request` at `path`.
pub fn answer(path: &str, request: &Value) -> Value {
    let anthropic = path.ends_with("/messages");
    if !anthropic && !path.ends_with("/chat/completions") {
        return json!({});
    }
    let model = request["model"].as_str().unwrap_or("?");
    let text = last_user_text(request);
    let tool = text.strip_prefix("TOOL ").and_then(|t| t.split_once(' '));
    match (anthropic, tool) {
        (false, None) => json!({"id": "chatcmpl-1", "object": "chat.completion", "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": format!("You said: {text}")},
                         "finish_reason": "stop"}]}),
        (false, Some((name, args))) => {
            json!({"id": "chatcmpl-1", "object": "chat.completion", "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": null, "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": name, "arguments": args}}]},
                "finish_reason": "tool_calls"}]})
        }
        (true, None) => {
            json!({"id": "msg_1", "type": "message", "role": "assistant", "model": model,
            "content": [{"type": "text", "text": format!("You said: {text}")}], "stop_reason": "end_turn"})
        }
        (true, Some((name, args))) => {
            json!({"id": "msg_1", "type": "message", "role": "assistant", "model": model,
            "content": [{"type": "tool_use", "id": "toolu_1", "name": name,
                         "input": serde_json::from_str::<Value>(args).unwrap_or(json!({}))}],
            "stop_reason": "tool_use"})
        }
    }
}
