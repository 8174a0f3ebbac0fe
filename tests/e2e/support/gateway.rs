//! Gateway test helpers: the real `warden serve` binary on a free port, a
//! fake provider (a real hyper server on 127.0.0.1 that records what it got
//! and answers OpenAI or Anthropic shapes, streamed or not), and a tiny
//! HTTP client.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};

/// A running `warden serve`, killed on drop.
pub struct Server {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its stderr (JSON logs).
    pub log: std::path::PathBuf,
    /// The config file it was started with (rewrite it, then reload).
    pub config: std::path::PathBuf,
    /// The temp directory it owns (none when started in a caller's directory).
    owned_dir: Option<TempDir>,
}

/// A temp directory removed on drop.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    pub fn new() -> Self {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("warden-gw-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Server {
    /// Start `warden serve` with `toml` and wait for its banner.
    pub fn start(toml: &str) -> Self {
        let dir = TempDir::new();
        let mut s = Self::start_in(&dir.0, toml);
        s.owned_dir = Some(dir);
        s
    }

    /// Start `warden serve` with `toml` written to `dir/warden.toml`, logging to
    /// a fresh `dir/stderr-N.log`; `dir` is kept, so a second server started in
    /// it finds the same data directory (a restart).
    pub fn start_in(dir: &std::path::Path, toml: &str) -> Self {
        match Self::try_start_in(dir, toml) {
            Ok(s) => s,
            Err(log) => panic!("warden serve exited: {log}"),
        }
    }

    /// [`Server::start_in`], or the server's stderr if it exits before its banner.
    pub fn try_start_in(dir: &std::path::Path, toml: &str) -> Result<Self, String> {
        static RUN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let run = RUN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let cfg = dir.join("warden.toml");
        std::fs::write(&cfg, toml).unwrap();
        let log = dir.join(format!("stderr-{run}.log"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_warden"))
            .args([
                "serve",
                "--config",
                cfg.to_str().unwrap(),
                "--listen",
                "127.0.0.1:0",
            ])
            .env("WARDEN_LOG", "info")
            .env("WARDEN_LOG_FORMAT", "json")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("start warden serve");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let addr = loop {
            let Some(Ok(line)) = lines.next() else {
                let _ = child.wait();
                return Err(std::fs::read_to_string(&log).unwrap_or_default());
            };
            if let Some(rest) = line.split("listening on http://").nth(1) {
                break rest.trim().parse().expect("address in banner");
            }
        };
        std::thread::spawn(move || for _ in lines {});
        Ok(Self {
            child,
            addr,
            log,
            config: cfg,
            owned_dir: None,
        })
    }

    /// Send `signal` (a `kill` name: `HUP`, `TERM`, ...) to the process.
    pub fn signal(&self, signal: &str) {
        let ok = Command::new("kill")
            .args([format!("-{signal}"), self.child.id().to_string()])
            .status()
            .expect("run kill")
            .success();
        assert!(ok, "kill -{signal} {}", self.child.id());
    }

    /// SIGKILL the process (no chance to flush or clean up) and reap it.
    pub fn kill(&mut self) -> std::process::ExitStatus {
        self.child.kill().expect("SIGKILL warden serve");
        self.child.wait().expect("reap warden serve")
    }

    /// The log lines written so far.
    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `POST path` with JSON text and headers.
    pub async fn post(
        &self,
        path: &str,
        body: impl Into<Bytes>,
        headers: &[(&str, &str)],
    ) -> Reply {
        send(self.addr, "POST", path, body.into(), headers).await
    }

    /// `GET path`.
    pub async fn get(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        send(self.addr, "GET", path, Bytes::new(), headers).await
    }

    /// `/metrics` text.
    pub async fn metrics(&self) -> String {
        self.get("/metrics", &[]).await.text()
    }

    /// Send SIGTERM (graceful shutdown).
    pub fn terminate(&self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
    }

    /// Wait for exit (up to `limit`); the exit status if it exited.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let start = std::time::Instant::now();
        while start.elapsed() < limit {
            if let Ok(Some(s)) = self.child.try_wait() {
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A complete HTTP reply.
#[derive(Debug)]
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
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Open a connection and send one request; returns the response with its body unread.
pub async fn open(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Bytes,
    headers: &[(&str, &str)],
) -> Response<Incoming> {
    try_open(addr, method, path, body, headers)
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

/// [`open`], with a refused or dropped connection as an `Err` saying what happened.
async fn try_open(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Bytes,
    headers: &[(&str, &str)],
) -> Result<Response<Incoming>, String> {
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect: {e}"))?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    tokio::spawn(conn);
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header("host", addr.to_string());
    if !headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
    {
        req = req.header("content-type", "application/json");
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    sender
        .send_request(req.body(Full::new(body)).unwrap())
        .await
        .map_err(|e| format!("response: {e}"))
}

/// Like [`send`], but a refused connection, a dropped connection or a body
/// cut short is an `Err` (with what happened) instead of a panic: for clients
/// of a server that is killed under them. Gives up after 30 s.
pub async fn try_send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Bytes,
    headers: &[(&str, &str)],
) -> Result<Reply, String> {
    let attempt = async {
        let resp = try_open(addr, method, path, body, headers).await?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = resp
            .into_body()
            .collect()
            .await
            .map_err(|e| format!("body: {e}"))?
            .to_bytes();
        Ok(Reply {
            status,
            headers,
            body,
        })
    };
    tokio::time::timeout(Duration::from_secs(30), attempt)
        .await
        .map_err(|_| "no complete reply within 30 s".to_string())?
}

/// Send one request and read the whole reply.
pub async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Bytes,
    headers: &[(&str, &str)],
) -> Reply {
    let resp = open(addr, method, path, body, headers).await;
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = tokio::time::timeout(Duration::from_secs(30), resp.into_body().collect())
        .await
        .expect("body within 30 s")
        .map(|c| c.to_bytes())
        .unwrap_or_default();
    Reply {
        status,
        headers,
        body,
    }
}

/// How the fake provider answers.
#[derive(Debug, Clone)]
pub struct Script {
    /// Answer text.
    pub text: String,
    /// Tool calls to include: (name, JSON arguments).
    pub tools: Vec<(String, String)>,
    /// Bytes per streamed text or argument delta.
    pub chunk: usize,
    /// Pause between streamed events.
    pub pause: Duration,
    /// `garbage`, `hang`, `status:<code>` or empty for a normal answer.
    pub mode: String,
    /// Streamed: stop (and hang) after this many events.
    pub stall_after: Option<usize>,
    /// Wait this long before answering (requests overlap in flight).
    pub delay: Duration,
}

impl Default for Script {
    fn default() -> Self {
        Self {
            text: "Hello from upstream".into(),
            tools: Vec::new(),
            chunk: 3,
            pause: Duration::ZERO,
            mode: String::new(),
            stall_after: None,
            delay: Duration::ZERO,
        }
    }
}

/// A request the fake provider received.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub headers: hyper::HeaderMap,
    pub body: Value,
    /// The body's bytes as they arrived.
    pub raw: Bytes,
}

/// The fake provider.
#[derive(Clone)]
pub struct Upstream {
    pub addr: SocketAddr,
    pub got: Arc<Mutex<Vec<Received>>>,
    pub script: Arc<Mutex<Script>>,
}

impl Upstream {
    /// Start on a free port (on the current tokio runtime).
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let up = Self {
            addr: listener.local_addr().unwrap(),
            got: Default::default(),
            script: Default::default(),
        };
        let state = up.clone();
        tokio::spawn(async move {
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

    /// Change the script.
    pub fn set(&self, f: impl FnOnce(&mut Script)) {
        f(&mut self.script.lock().unwrap());
    }

    /// Requests received so far.
    pub fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// `http://addr`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    async fn answer(
        &self,
        req: Request<Incoming>,
    ) -> Response<http_body_util::combinators::BoxBody<Bytes, std::convert::Infallible>> {
        let path = req.uri().path().to_string();
        let headers = req.headers().clone();
        let bytes = req.into_body().collect().await.unwrap().to_bytes();
        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        self.got.lock().unwrap().push(Received {
            path: path.clone(),
            headers,
            body: body.clone(),
            raw: bytes.clone(),
        });
        let script = self.script.lock().unwrap().clone();
        if !script.delay.is_zero() {
            tokio::time::sleep(script.delay).await;
        }
        let anthropic = path.ends_with("/messages");
        let full = |status: u16, text: String| {
            let mut r = Response::new(Full::new(Bytes::from(text)).boxed());
            *r.status_mut() = StatusCode::from_u16(status).unwrap();
            r
        };
        match script.mode.as_str() {
            "garbage" => return full(200, "<html>surprise</html>".into()),
            "hang" => {
                tokio::time::sleep(Duration::from_secs(3600)).await;
            }
            m if m.starts_with("status:") => {
                let code = m[7..].parse().unwrap();
                return full(code, json!({"error": {"message": "upstream says no", "type": "invalid_request_error"}}).to_string());
            }
            _ => {}
        }
        let model = body["model"].as_str().unwrap_or("?").to_string();
        if body["stream"] != true {
            let v = if anthropic {
                anthropic_answer(&script, &model)
            } else {
                openai_answer(&script, &model)
            };
            return full(200, v.to_string());
        }
        let events = if anthropic {
            anthropic_events(&script, &model)
        } else {
            openai_events(&script, &model)
        };
        let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(4);
        tokio::spawn(async move {
            for (i, e) in events.into_iter().enumerate() {
                if script.stall_after == Some(i) {
                    tokio::time::sleep(Duration::from_secs(3600)).await;
                }
                if tx.send(Bytes::from(e)).await.is_err() {
                    return;
                }
                if !script.pause.is_zero() {
                    tokio::time::sleep(script.pause).await;
                }
            }
        });
        let mut r = Response::new(ChanBody(rx).boxed());
        r.headers_mut()
            .insert("content-type", "text/event-stream".parse().unwrap());
        r
    }
}

/// A response body fed by a channel (the fake provider's stream).
struct ChanBody(tokio::sync::mpsc::Receiver<Bytes>);

impl hyper::body::Body for ChanBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;
    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, Self::Error>>> {
        self.0
            .poll_recv(cx)
            .map(|o| o.map(|b| Ok(hyper::body::Frame::data(b))))
    }
}

fn pieces(s: &str, n: usize) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    chars.chunks(n.max(1)).map(|c| c.iter().collect()).collect()
}

fn openai_answer(s: &Script, model: &str) -> Value {
    let calls: Vec<Value> = s
        .tools
        .iter()
        .enumerate()
        .map(|(i, (n, a))| json!({"id": format!("call_{i}"), "type": "function", "function": {"name": n, "arguments": a}}))
        .collect();
    let mut msg = json!({"role": "assistant", "content": s.text});
    if !calls.is_empty() {
        msg["tool_calls"] = json!(calls);
    }
    let finish = if calls.is_empty() {
        "stop"
    } else {
        "tool_calls"
    };
    json!({"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": model,
        "choices": [{"index": 0, "message": msg, "finish_reason": finish}],
        "usage": {"prompt_tokens": 7, "completion_tokens": 5, "total_tokens": 12}})
}

fn anthropic_answer(s: &Script, model: &str) -> Value {
    let mut content = vec![json!({"type": "text", "text": s.text})];
    for (i, (n, a)) in s.tools.iter().enumerate() {
        content.push(json!({"type": "tool_use", "id": format!("toolu_{i}"), "name": n, "input": serde_json::from_str::<Value>(a).unwrap()}));
    }
    let stop = if s.tools.is_empty() {
        "end_turn"
    } else {
        "tool_use"
    };
    json!({"id": "msg_1", "type": "message", "role": "assistant", "model": model, "content": content,
        "stop_reason": stop, "stop_sequence": null, "usage": {"input_tokens": 7, "output_tokens": 5}})
}

fn openai_events(s: &Script, model: &str) -> Vec<String> {
    let chunk = |delta: Value, finish: Value| {
        format!(
            "data: {}\n\n",
            json!({"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})
        )
    };
    let mut out = vec![chunk(
        json!({"role": "assistant", "content": ""}),
        Value::Null,
    )];
    out.extend(
        pieces(&s.text, s.chunk)
            .into_iter()
            .map(|p| chunk(json!({"content": p}), Value::Null)),
    );
    for (i, (n, a)) in s.tools.iter().enumerate() {
        out.push(chunk(
            json!({"tool_calls": [{"index": i, "id": format!("call_{i}"), "type": "function", "function": {"name": n, "arguments": ""}}]}),
            Value::Null,
        ));
        for p in pieces(a, s.chunk) {
            out.push(chunk(
                json!({"tool_calls": [{"index": i, "function": {"arguments": p}}]}),
                Value::Null,
            ));
        }
    }
    let finish = if s.tools.is_empty() {
        "stop"
    } else {
        "tool_calls"
    };
    out.push(chunk(json!({}), json!(finish)));
    out.push(format!("data: {}\n\n", json!({"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1,
        "model": model, "choices": [], "usage": {"prompt_tokens": 7, "completion_tokens": 5, "total_tokens": 12}})));
    out.push("data: [DONE]\n\n".into());
    out
}

fn anthropic_events(s: &Script, model: &str) -> Vec<String> {
    let ev = |name: &str, v: Value| format!("event: {name}\ndata: {v}\n\n");
    let mut out = vec![
        ev(
            "message_start",
            json!({"type": "message_start", "message": {"id": "msg_1", "type": "message", "role": "assistant",
            "model": model, "content": [], "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 7, "output_tokens": 1}}}),
        ),
        ev(
            "content_block_start",
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        ),
        ev("ping", json!({"type": "ping"})),
    ];
    for p in pieces(&s.text, s.chunk) {
        out.push(ev("content_block_delta", json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}})));
    }
    out.push(ev(
        "content_block_stop",
        json!({"type": "content_block_stop", "index": 0}),
    ));
    for (i, (n, a)) in s.tools.iter().enumerate() {
        let idx = i + 1;
        out.push(ev("content_block_start", json!({"type": "content_block_start", "index": idx,
            "content_block": {"type": "tool_use", "id": format!("toolu_{i}"), "name": n, "input": {}}})));
        for p in pieces(a, s.chunk) {
            out.push(ev(
                "content_block_delta",
                json!({"type": "content_block_delta", "index": idx,
                "delta": {"type": "input_json_delta", "partial_json": p}}),
            ));
        }
        out.push(ev(
            "content_block_stop",
            json!({"type": "content_block_stop", "index": idx}),
        ));
    }
    let stop = if s.tools.is_empty() {
        "end_turn"
    } else {
        "tool_use"
    };
    out.push(ev(
        "message_delta",
        json!({"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": null},
        "usage": {"output_tokens": 5}}),
    ));
    out.push(ev("message_stop", json!({"type": "message_stop"})));
    out
}

/// SSE `data:` payloads of a streamed reply (event names dropped).
pub fn sse_data(body: &str) -> Vec<String> {
    body.split("\n\n")
        .filter_map(|e| {
            e.lines()
                .find_map(|l| l.strip_prefix("data: "))
                .map(str::to_string)
        })
        .collect()
}

/// The text a client assembles from a streamed OpenAI reply.
pub fn openai_stream_text(body: &str) -> String {
    sse_data(body)
        .iter()
        .filter(|d| *d != "[DONE]")
        .filter_map(|d| serde_json::from_str::<Value>(d).ok())
        .flat_map(|v| v["choices"].as_array().cloned().unwrap_or_default())
        .filter_map(|c| c["delta"]["content"].as_str().map(str::to_string))
        .collect()
}

/// The text a client assembles from a streamed Anthropic reply.
pub fn anthropic_stream_text(body: &str) -> String {
    sse_data(body)
        .iter()
        .filter_map(|d| serde_json::from_str::<Value>(d).ok())
        .filter(|v| v["type"] == "content_block_delta")
        .filter_map(|v| v["delta"]["text"].as_str().map(str::to_string))
        .collect()
}

/// Path of the test guest that misbehaves on demand.
pub fn misbehave_src() -> String {
    format!("{:?}", warden_artifacts::TEST_MISBEHAVE)
}

/// Path of the banned-topics example policy.
pub fn banned_topics_src() -> String {
    format!("{:?}", warden_artifacts::CUSTOM_BANNED_TOPICS)
}
