//! Talking to model providers: HTTP/1.1 keep-alive connections from a small
//! per-origin pool (a new TCP/TLS handshake per call cost two thirds of the
//! gateway's CPU under load), over TLS for `https://` base URLs, or the
//! in-process mock.
//!
//! Callers wrap [`send`] and [`ReplyBody::next_chunk`] in the upstream's time
//! limit; this module only moves bytes.

use std::collections::VecDeque;
use std::sync::{Arc, OnceLock};

use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::client::conn::http1::SendRequest;
use hyper::header::{CONTENT_TYPE, HOST};
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::Value;

use super::error::UpstreamError;
use super::settings::{UpstreamKind, UpstreamSettings};
use super::shape::Api;

/// Whether `https://` upstreams work in this build (rustls, Mozilla roots).
pub const TLS_SUPPORTED: bool = true;

/// One TLS client config for the process: the Mozilla root certificates are
/// compiled in (`webpki-roots`), so no system trust store is read.
fn tls_config() -> Arc<rustls::ClientConfig> {
    static CONFIG: OnceLock<Arc<rustls::ClientConfig>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let roots =
                rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            let mut c = rustls::ClientConfig::builder_with_provider(Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .expect("ring supports the default TLS versions")
            .with_root_certificates(roots)
            .with_no_client_auth();
            c.alpn_protocols = vec![b"http/1.1".to_vec()];
            Arc::new(c)
        })
        .clone()
}

/// HTTP/1.1 handshake over `io`; the connection is driven by its own task.
async fn handshake<T>(io: T) -> hyper::Result<SendRequest<Full<Bytes>>>
where
    T: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (sender, conn) = hyper::client::conn::http1::handshake(io).await?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(sender)
}

/// Headers passed on to the upstream.
#[derive(Debug, Clone, Default)]
pub struct Forward {
    /// Our request id (`x-request-id`).
    pub request_id: String,
    /// W3C trace context from the client.
    pub traceparent: Option<String>,
    /// Anthropic API version the client asked for.
    pub anthropic_version: Option<String>,
    /// Anthropic beta flags the client asked for.
    pub anthropic_beta: Option<String>,
}

/// An upstream's answer: status plus a body read chunk by chunk.
#[derive(Debug)]
pub struct UpstreamReply {
    /// HTTP status.
    pub status: StatusCode,
    /// `content-type`, if given.
    pub content_type: Option<String>,
    /// The body.
    pub body: ReplyBody,
}

/// A reply body from the network or from the mock.
#[derive(Debug)]
pub enum ReplyBody {
    /// From a real upstream.
    Http(Incoming),
    /// From the mock, pre-chunked.
    Chunks(VecDeque<Bytes>),
}

impl ReplyBody {
    /// The next data chunk; `None` at the end.
    pub async fn next_chunk(&mut self) -> Option<Result<Bytes, String>> {
        match self {
            ReplyBody::Http(b) => loop {
                match b.frame().await? {
                    Err(e) => return Some(Err(e.to_string())),
                    Ok(f) => {
                        if let Ok(d) = f.into_data() {
                            return Some(Ok(d));
                        }
                    }
                }
            },
            ReplyBody::Chunks(q) => q.pop_front().map(Ok),
        }
    }

    /// The whole body, at most `limit` bytes.
    pub async fn collect(mut self, limit: usize) -> Result<Bytes, String> {
        let mut buf = BytesMut::new();
        while let Some(chunk) = self.next_chunk().await {
            buf.extend_from_slice(&chunk?);
            if buf.len() > limit {
                return Err(format!("answer larger than {limit} bytes"));
            }
        }
        Ok(buf.freeze())
    }
}

/// A request body on its way upstream: the parsed JSON, plus the client's
/// own bytes for as long as nothing has changed it. Unchanged bodies are
/// forwarded byte for byte, which spares a re-serialisation per request (and
/// keeps the client's key order and number formatting).
#[derive(Debug)]
pub struct Payload {
    json: Value,
    raw: Option<Bytes>,
}

impl Payload {
    /// `json` as parsed from `raw`, the bytes the client sent.
    pub fn unchanged(json: Value, raw: Bytes) -> Self {
        Self {
            json,
            raw: Some(raw),
        }
    }

    /// `json`, edited since it was parsed: serialised when sent.
    pub fn edited(json: Value) -> Self {
        Self { json, raw: None }
    }

    /// The JSON body.
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// The `model` field, if a string.
    pub fn model(&self) -> &str {
        self.json["model"].as_str().unwrap_or_default()
    }

    /// Replace the `model` (a fallback model): the body is re-serialised.
    pub fn set_model(&mut self, model: &str) {
        self.json["model"] = Value::from(model);
        self.raw = None;
    }

    /// The bytes to send.
    pub fn bytes(&self) -> Bytes {
        match &self.raw {
            Some(raw) => raw.clone(),
            None => Bytes::from(self.json.to_string()),
        }
    }
}

/// Send `body` (already in the upstream's shape) to `up`.
pub async fn send(
    up: &UpstreamSettings,
    api: Api,
    body: &Payload,
    fwd: &Forward,
) -> Result<UpstreamReply, UpstreamError> {
    if up.kind == UpstreamKind::Mock {
        return Ok(super::mock::reply(api, body.json()));
    }
    let unreachable =
        |e: &dyn std::fmt::Display| UpstreamError::Unreachable(up.name.clone(), e.to_string());
    let base = &up.base_url;
    let host = base
        .host()
        .unwrap_or("localhost")
        .trim_start_matches('[')
        .trim_end_matches(']');
    let port = base
        .port_u16()
        .unwrap_or(if base.scheme_str() == Some("https") {
            443
        } else {
            80
        });
    let suffix = match up.kind {
        UpstreamKind::Anthropic => "/v1/messages",
        _ => "/chat/completions",
    };
    let path = format!("{}{suffix}", base.path().trim_end_matches('/'));
    let authority = base.authority().map_or(host.to_string(), |a| a.to_string());
    let payload = body.bytes();
    let make_request = || {
        let mut req = Request::post(path.as_str())
            .header(HOST, authority.as_str())
            .header(CONTENT_TYPE, "application/json")
            .header("x-request-id", &fwd.request_id);
        if let Some(tp) = &fwd.traceparent {
            req = req.header("traceparent", tp);
        }
        match (up.kind, &up.api_key) {
            (UpstreamKind::Anthropic, key) => {
                req = req.header(
                    "anthropic-version",
                    fwd.anthropic_version.as_deref().unwrap_or("2023-06-01"),
                );
                if let Some(b) = &fwd.anthropic_beta {
                    req = req.header("anthropic-beta", b);
                }
                if let Some(k) = key {
                    req = req.header("x-api-key", k);
                }
            }
            (_, Some(k)) => req = req.header("authorization", format!("Bearer {k}")),
            _ => {}
        }
        req.body(Full::new(payload.clone()))
    };
    let origin = format!("{}://{authority}", base.scheme_str().unwrap_or("http"));
    let mut resp = None;
    // A pooled connection the server closed while idle fails before the request
    // is written (`is_canceled`): then, and only then, retry on a new one.
    if let Some(mut sender) = pool().checkout(&origin) {
        let req = make_request().map_err(|e| unreachable(&e))?;
        match sender.send_request(req).await {
            Ok(r) => {
                pool().checkin(&origin, sender);
                resp = Some(r);
            }
            Err(e) if e.is_canceled() => {}
            Err(e) => return Err(unreachable(&e)),
        }
    }
    let resp = match resp {
        Some(r) => r,
        None => {
            let mut sender = connect(up, host, port).await?;
            let req = make_request().map_err(|e| unreachable(&e))?;
            let r = sender
                .send_request(req)
                .await
                .map_err(|e| unreachable(&e))?;
            pool().checkin(&origin, sender);
            r
        }
    };
    let content_type = resp
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    Ok(UpstreamReply {
        status: resp.status(),
        content_type,
        body: ReplyBody::Http(resp.into_body()),
    })
}

/// A new HTTP/1.1 connection to `host:port`, over TLS for `https://` upstreams.
async fn connect(
    up: &UpstreamSettings,
    host: &str,
    port: u16,
) -> Result<SendRequest<Full<Bytes>>, UpstreamError> {
    let unreachable =
        |e: &dyn std::fmt::Display| UpstreamError::Unreachable(up.name.clone(), e.to_string());
    let base = &up.base_url;
    let stream = tokio::net::TcpStream::connect((host, port))
        .await
        .map_err(|e| unreachable(&e))?;
    let _ = stream.set_nodelay(true);
    let sender = if base.scheme_str() == Some("https") {
        let name = rustls::pki_types::ServerName::try_from(host.to_string())
            .map_err(|e| unreachable(&e))?;
        let tls = tokio_rustls::TlsConnector::from(tls_config())
            .connect(name, stream)
            .await
            .map_err(|e| unreachable(&e))?;
        handshake(TokioIo::new(tls))
            .await
            .map_err(|e| unreachable(&e))?
    } else {
        handshake(TokioIo::new(stream))
            .await
            .map_err(|e| unreachable(&e))?
    };
    Ok(sender)
}

/// Idle keep-alive connections per upstream origin. A connection goes back in
/// as soon as its response headers arrive; while its body still streams it is
/// not `ready`, so checkout skips it, and it becomes reusable when the body is
/// done. Closed connections are dropped on the way.
struct Pool {
    conns: std::sync::Mutex<std::collections::HashMap<String, Vec<SendRequest<Full<Bytes>>>>>,
}

/// Connections kept per origin: enough for the gateway's concurrency limit.
const MAX_POOLED_PER_ORIGIN: usize = 256;

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| Pool {
        conns: std::sync::Mutex::new(std::collections::HashMap::new()),
    })
}

impl Pool {
    fn checkout(&self, origin: &str) -> Option<SendRequest<Full<Bytes>>> {
        let mut conns = self.conns.lock().ok()?;
        let list = conns.get_mut(origin)?;
        list.retain(|c| !c.is_closed());
        let i = list.iter().position(|c| c.is_ready())?;
        Some(list.swap_remove(i))
    }

    fn checkin(&self, origin: &str, conn: SendRequest<Full<Bytes>>) {
        if let Ok(mut conns) = self.conns.lock() {
            let list = conns.entry(origin.to_string()).or_default();
            if list.len() < MAX_POOLED_PER_ORIGIN {
                list.push(conn);
            }
        }
    }
}
