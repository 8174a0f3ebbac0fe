//! A small HTTP/1.1 load generator for the gateway load benchmark
//! (`scripts/bench-gateway.sh`, `docs/benchmarks.md`).
//!
//! ```text
//! cargo run --release -p warden --example loadgen -- --url URL [options]
//!   --url URL            http://HOST:PORT/PATH (POSTed to)
//!   --body FILE          request body (default: empty)
//!   --header 'K: V'      extra header, repeatable (content-type defaults to application/json)
//!   -c, --connections C  keep-alive connections (default 32)
//!   -d, --duration S     measured seconds (default 10)
//!   --warmup S           seconds before measuring (default 2)
//!   --rate R             open loop: R requests/s over the C connections on a
//!                        fixed schedule (default: closed loop)
//!   --threads N          tokio worker threads (default 1)
//!   --timeout S          per-request time limit (default 10)
//!   --label NAME         copied into the output
//! ```
//!
//! **Closed loop** (no `--rate`): each connection sends its next request as
//! soon as the previous answer is in; that measures the maximum throughput at
//! concurrency C. **Open loop** (`--rate`): request k of connection i is
//! scheduled at `start + (i + k*C)/R`. When a connection is still busy with
//! the previous request at that time, the latency is measured from the
//! scheduled time (no coordinated omission: a stall of the server counts
//! for every request it delayed); when the connection was idle, from the
//! moment the request is actually sent (so the load generator's own 1 ms
//! timer granularity is not charged to the server).
//!
//! Prints one JSON line: `rps` (200 answers per measured second), `p50_ms`,
//! `p90_ms`, `p99_ms`, `max_ms`, `mean_ms` (over every answer in the window),
//! `errors` (connection or timeout failures), `non_200`, `late_sends` (open
//! loop: requests sent after their scheduled time because the connection was
//! busy).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{CONTENT_TYPE, HOST, HeaderName, HeaderValue};
use hyper::{Request, Uri};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

#[derive(Debug, Clone)]
struct Opts {
    addr: SocketAddr,
    authority: String,
    path: String,
    body: Bytes,
    headers: Vec<(HeaderName, HeaderValue)>,
    connections: usize,
    duration: Duration,
    warmup: Duration,
    rate: Option<f64>,
    threads: usize,
    timeout: Duration,
    label: String,
}

fn die(msg: &str) -> ! {
    eprintln!("loadgen: {msg}");
    eprintln!(
        "usage: loadgen --url URL [--body FILE] [--header 'K: V']... [-c C] [-d SECS] \
         [--warmup SECS] [--rate RPS] [--threads N] [--timeout SECS] [--label NAME]"
    );
    std::process::exit(2);
}

fn secs(v: &str, what: &str) -> Duration {
    match v.parse::<f64>() {
        Ok(s) if s >= 0.0 && s.is_finite() => Duration::from_secs_f64(s),
        _ => die(&format!("{what}: {v:?} is not a number of seconds")),
    }
}

fn parse_args() -> Opts {
    let mut url: Option<String> = None;
    let mut body = Bytes::new();
    let mut headers: Vec<(HeaderName, HeaderValue)> = Vec::new();
    let mut connections = 32usize;
    let mut duration = Duration::from_secs(10);
    let mut warmup = Duration::from_secs(2);
    let mut rate = None;
    let mut threads = 1usize;
    let mut timeout = Duration::from_secs(10);
    let mut label = String::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || {
            args.next()
                .unwrap_or_else(|| die(&format!("{a} needs a value")))
        };
        match a.as_str() {
            "--url" => url = Some(val()),
            "--body" => {
                let f = val();
                body = Bytes::from(
                    std::fs::read(&f).unwrap_or_else(|e| die(&format!("cannot read {f}: {e}"))),
                );
            }
            "--header" | "-H" => {
                let h = val();
                let Some((k, v)) = h.split_once(':') else {
                    die(&format!("header {h:?} is not 'Name: value'"))
                };
                let k = HeaderName::from_bytes(k.trim().as_bytes())
                    .unwrap_or_else(|_| die(&format!("bad header name in {h:?}")));
                let v = HeaderValue::from_str(v.trim())
                    .unwrap_or_else(|_| die(&format!("bad header value in {h:?}")));
                headers.push((k, v));
            }
            "-c" | "--connections" => {
                connections = val()
                    .parse()
                    .ok()
                    .filter(|&c| c > 0)
                    .unwrap_or_else(|| die("--connections must be a positive integer"));
            }
            "-d" | "--duration" => duration = secs(&val(), "--duration"),
            "--warmup" => warmup = secs(&val(), "--warmup"),
            "--rate" => {
                rate = Some(
                    val()
                        .parse::<f64>()
                        .ok()
                        .filter(|r| *r > 0.0 && r.is_finite())
                        .unwrap_or_else(|| die("--rate must be a positive number")),
                );
            }
            "--threads" => {
                threads = val()
                    .parse()
                    .ok()
                    .filter(|&t| t > 0)
                    .unwrap_or_else(|| die("--threads must be a positive integer"));
            }
            "--timeout" => timeout = secs(&val(), "--timeout"),
            "--label" => label = val(),
            "-h" | "--help" => die("help"),
            other => die(&format!("unknown argument {other:?}")),
        }
    }
    if duration.is_zero() {
        die("--duration must be more than 0");
    }
    let url = url.unwrap_or_else(|| die("--url is required"));
    let uri: Uri = url
        .parse()
        .unwrap_or_else(|_| die(&format!("{url:?} is not a URL")));
    if uri.scheme_str() != Some("http") {
        die("only http:// URLs are supported");
    }
    let host = uri.host().unwrap_or_else(|| die("the URL has no host"));
    let port = uri.port_u16().unwrap_or(80);
    let addr = std::net::ToSocketAddrs::to_socket_addrs(&(host, port))
        .ok()
        .and_then(|mut a| a.next())
        .unwrap_or_else(|| die(&format!("cannot resolve {host}:{port}")));
    let authority = uri
        .authority()
        .map_or_else(|| format!("{host}:{port}"), |a| a.to_string());
    let path = uri
        .path_and_query()
        .map_or_else(|| "/".to_string(), |p| p.to_string());
    if !headers.iter().any(|(k, _)| k == CONTENT_TYPE) {
        headers.push((CONTENT_TYPE, HeaderValue::from_static("application/json")));
    }
    Opts {
        addr,
        authority,
        path,
        body,
        headers,
        connections,
        duration,
        warmup,
        rate,
        threads,
        timeout,
        label,
    }
}

/// What one connection saw in the measurement window.
#[derive(Debug, Default)]
struct Tally {
    /// Latencies in microseconds, every answer (200 or not).
    lat_us: Vec<u64>,
    ok: u64,
    non_200: u64,
    errors: u64,
    late_sends: u64,
}

async fn connect(addr: SocketAddr) -> Result<SendRequest<Full<Bytes>>, String> {
    let stream = TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect {addr}: {e}"))?;
    let _ = stream.set_nodelay(true);
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(sender)
}

/// One request/answer on `sender`: `Ok(status)` once the whole body is read.
async fn exchange(sender: &mut SendRequest<Full<Bytes>>, o: &Opts) -> Result<u16, String> {
    sender.ready().await.map_err(|e| e.to_string())?;
    let mut req = Request::post(o.path.as_str()).header(HOST, o.authority.as_str());
    for (k, v) in &o.headers {
        req = req.header(k, v);
    }
    let req = req
        .body(Full::new(o.body.clone()))
        .map_err(|e| e.to_string())?;
    let resp = sender.send_request(req).await.map_err(|e| e.to_string())?;
    let status = resp.status().as_u16();
    resp.into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?;
    Ok(status)
}

/// Send with the time limit; on failure drop the connection (a new one is
/// made for the next request).
async fn timed_exchange(
    conn: &mut Option<SendRequest<Full<Bytes>>>,
    o: &Opts,
) -> Result<u16, String> {
    if conn.is_none() {
        *conn = Some(connect(o.addr).await?);
    }
    let sender = conn.as_mut().expect("just connected");
    match tokio::time::timeout(o.timeout, exchange(sender, o)).await {
        Ok(Ok(s)) => Ok(s),
        Ok(Err(e)) => {
            *conn = None;
            Err(e)
        }
        Err(_) => {
            *conn = None;
            Err("timeout".into())
        }
    }
}

fn record(t: &mut Tally, result: &Result<u16, String>, latency: Duration, first_error: &mut bool) {
    match result {
        Ok(s) => {
            t.lat_us.push(latency.as_micros() as u64);
            if *s == 200 {
                t.ok += 1;
            } else {
                t.non_200 += 1;
            }
        }
        Err(e) => {
            t.errors += 1;
            if *first_error {
                eprintln!("loadgen: request failed: {e}");
                *first_error = false;
            }
        }
    }
}

async fn closed_loop(o: std::sync::Arc<Opts>, start: Instant) -> Tally {
    let measure_from = start + o.warmup;
    let end = measure_from + o.duration;
    let mut t = Tally::default();
    let mut conn = None;
    let mut first_error = true;
    loop {
        let t0 = Instant::now();
        if t0 >= end {
            break;
        }
        let r = timed_exchange(&mut conn, &o).await;
        let t1 = Instant::now();
        if t0 >= measure_from && t1 <= end {
            record(&mut t, &r, t1 - t0, &mut first_error);
        }
        if r.is_err() {
            // Do not spin on a refusing server.
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
    t
}

async fn open_loop(o: std::sync::Arc<Opts>, start: Instant, index: usize, rate: f64) -> Tally {
    let measure_from = start + o.warmup;
    let end = measure_from + o.duration;
    let c = o.connections as f64;
    let mut t = Tally::default();
    let mut conn = None;
    let mut first_error = true;
    let mut k: u64 = 0;
    loop {
        let scheduled = start + Duration::from_secs_f64((index as f64 + k as f64 * c) / rate);
        k += 1;
        if scheduled >= end {
            break;
        }
        let now = Instant::now();
        let sent_from = if now < scheduled {
            tokio::time::sleep_until(scheduled.into()).await;
            // Idle connection: the wake-up delay is ours, not the server's.
            Instant::now()
        } else {
            // Busy with the previous request: count the wait against the server.
            if scheduled >= measure_from {
                t.late_sends += 1;
            }
            scheduled
        };
        let r = timed_exchange(&mut conn, &o).await;
        let done = Instant::now();
        if scheduled >= measure_from {
            record(&mut t, &r, done - sent_from, &mut first_error);
        }
    }
    t
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
}

fn main() {
    let o = std::sync::Arc::new(parse_args());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(o.threads)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let tallies: Vec<Tally> = rt.block_on(async {
        let start = Instant::now();
        let mut tasks = Vec::with_capacity(o.connections);
        for i in 0..o.connections {
            let o = o.clone();
            tasks.push(tokio::spawn(async move {
                match o.rate {
                    None => closed_loop(o, start).await,
                    Some(r) => open_loop(o, start, i, r).await,
                }
            }));
        }
        let mut out = Vec::with_capacity(tasks.len());
        for t in tasks {
            out.push(t.await.expect("connection task"));
        }
        out
    });
    let mut lat: Vec<u64> = Vec::new();
    let (mut ok, mut non_200, mut errors, mut late) = (0u64, 0u64, 0u64, 0u64);
    for t in tallies {
        lat.extend_from_slice(&t.lat_us);
        ok += t.ok;
        non_200 += t.non_200;
        errors += t.errors;
        late += t.late_sends;
    }
    lat.sort_unstable();
    let d = o.duration.as_secs_f64();
    let mean = if lat.is_empty() {
        0.0
    } else {
        lat.iter().sum::<u64>() as f64 / lat.len() as f64 / 1000.0
    };
    let round = |v: f64| (v * 1000.0).round() / 1000.0;
    let out = serde_json::json!({
        "label": o.label,
        "mode": if o.rate.is_some() { "open" } else { "closed" },
        "url": format!("http://{}{}", o.authority, o.path),
        "connections": o.connections,
        "duration_s": d,
        "warmup_s": o.warmup.as_secs_f64(),
        "target_rate": o.rate,
        "requests": lat.len() as u64 + errors,
        "ok": ok,
        "rps": round(ok as f64 / d),
        "p50_ms": percentile(&lat, 50.0),
        "p90_ms": percentile(&lat, 90.0),
        "p99_ms": percentile(&lat, 99.0),
        "max_ms": lat.last().map_or(0.0, |&m| m as f64 / 1000.0),
        "mean_ms": round(mean),
        "errors": errors,
        "non_200": non_200,
        "late_sends": late,
    });
    println!("{out}");
}
