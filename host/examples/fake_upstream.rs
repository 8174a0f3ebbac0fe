//! A fast fake OpenAI upstream for the gateway load benchmark
//! (`scripts/bench-gateway.sh`, `docs/benchmarks.md`).
//!
//! An HTTP/1.1 keep-alive server on `127.0.0.1:PORT` that answers every
//! `POST .../chat/completions` at once with the same small `chat.completion`
//! (with `usage`), after reading the request body. Anything else is 404.
//!
//! ```text
//! cargo run --release -p warden --example fake_upstream -- [PORT] [--workers N]
//! ```
//!
//! `PORT` 0 (the default) picks a free port; the first line on stdout is
//! `fake upstream listening on http://127.0.0.1:PORT`. `--workers` is the
//! number of tokio worker threads (default 1, to leave the CPU to the proxies
//! being measured).

use std::convert::Infallible;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

/// The fixed answer: a plausible, small OpenAI chat completion.
const ANSWER: &str = r#"{"id":"chatcmpl-fake","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Sorry about the missing book! Please reply with your order number and we will ship the third book or refund it; you do not need to send anything back."},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":480,"completion_tokens":36,"total_tokens":516}}"#;

fn usage() -> ! {
    eprintln!("usage: fake_upstream [PORT] [--workers N]");
    std::process::exit(2);
}

fn main() {
    let mut port: u16 = 0;
    let mut workers: usize = 1;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--workers" => {
                workers = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .filter(|&n| n > 0)
                    .unwrap_or_else(|| usage());
            }
            "-h" | "--help" => usage(),
            p => port = p.parse().unwrap_or_else(|_| usage()),
        }
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap_or_else(|e| {
                eprintln!("fake_upstream: cannot listen on 127.0.0.1:{port}: {e}");
                std::process::exit(1);
            });
        let addr = listener.local_addr().expect("local address");
        println!("fake upstream listening on http://{addr} ({workers} worker(s))");
        loop {
            let stream = match listener.accept().await {
                Ok((s, _)) => s,
                Err(e) => {
                    eprintln!("fake_upstream: accept failed: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            tokio::spawn(async move {
                let _ = http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service_fn(handle))
                    .await;
            });
        }
    });
}

async fn handle(req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let ok = req.method() == Method::POST && req.uri().path().ends_with("/chat/completions");
    // Read the whole request, as a real provider would.
    let _ = req.into_body().collect().await;
    let (status, body) = if ok {
        (StatusCode::OK, Bytes::from_static(ANSWER.as_bytes()))
    } else {
        (
            StatusCode::NOT_FOUND,
            Bytes::from_static(
                br#"{"error":{"message":"not found","type":"invalid_request_error"}}"#,
            ),
        )
    };
    let mut resp = Response::new(Full::new(body));
    *resp.status_mut() = status;
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Ok(resp)
}
