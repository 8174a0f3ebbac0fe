//! Accepting connections, routing, limits and graceful shutdown.
//!
//! Every request except `/metrics`, `/healthz` and `/readyz` takes one of
//! `server.max_concurrent_requests` slots or gets 503 at once: under overload
//! Warden sheds load instead of growing a queue. On shutdown it stops
//! accepting, lets in-flight requests (streams included) finish within
//! `server.shutdown_grace_ms`, then drops the rest.
//!
//! SIGHUP re-reads the config file exactly like `POST /admin/reload`: a config
//! that does not parse, validate or build is logged (level error, with the
//! reason) and changes nothing, so the old chains keep serving.

use std::convert::Infallible;
use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response};
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;

use super::ctx::{Ctx, InFlight};
use super::error::{ClientError, GatewayError};
use super::http::{Body, error_response};
use super::shape::Api;
use super::{Gateway, admin, api, approvals, proxy};

/// Serve on `listener` until `shutdown` resolves, then drain.
pub async fn serve(gw: Arc<Gateway>, listener: TcpListener, shutdown: impl Future<Output = ()>) {
    let graceful = GracefulShutdown::new();
    let sweeper = approvals::spawn_sweeper(&gw);
    // Registered before the first accept: once a request is answered, SIGHUP
    // reloads instead of killing the process (its default action).
    let reloader = reload_on_hangup(&gw);
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _) = match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        // Out of file descriptors and the like: back off, keep serving.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let gw = gw.clone();
                let conn = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service_fn(move |req| handle(gw.clone(), req)));
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    if let Err(e) = conn.await {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                });
            }
            _ = &mut shutdown => break,
        }
    }
    drop(listener);
    for task in [sweeper, reloader].into_iter().flatten() {
        task.abort();
    }
    gw.draining.store(true, Ordering::Relaxed);
    let grace = gw.settings.shutdown_grace;
    tracing::info!(
        in_flight = gw.metrics.active.get(),
        grace_ms = grace.as_millis() as u64,
        "shutting down"
    );
    if tokio::time::timeout(grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("grace period over, dropping the remaining connections");
    }
}

/// On every SIGHUP, [`admin::reload_config`] (on a blocking thread: building
/// chains compiles policies). The handler is installed when this is called.
#[cfg(unix)]
fn reload_on_hangup(gw: &Arc<Gateway>) -> Option<tokio::task::JoinHandle<()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut hangup = match signal(SignalKind::hangup()) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "cannot listen for SIGHUP; use POST /admin/reload");
            return None;
        }
    };
    let weak = Arc::downgrade(gw);
    Some(tokio::spawn(async move {
        while hangup.recv().await.is_some() {
            let Some(gw) = weak.upgrade() else { break };
            tracing::info!("SIGHUP: reloading the config file");
            match tokio::task::spawn_blocking(move || admin::reload_config(&gw, "SIGHUP")).await {
                Ok(Ok(_)) => {}
                Ok(Err(reason)) => tracing::error!(
                    error = %reason,
                    "SIGHUP: config not reloaded, the old configuration keeps serving"
                ),
                Err(e) => tracing::error!(
                    error = %e,
                    "SIGHUP: config reload failed, the old configuration keeps serving"
                ),
            }
        }
    }))
}

#[cfg(not(unix))]
fn reload_on_hangup(_gw: &Arc<Gateway>) -> Option<tokio::task::JoinHandle<()>> {
    None
}

/// The client's `x-request-id` (1 to 128 bytes), or a new id.
fn request_id(req: &Request<Incoming>) -> String {
    req.headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128)
        .map(str::to_string)
        .unwrap_or_else(|| new_request_id(std::time::SystemTime::now()))
}

/// `req_` + 12 hex digits of Unix milliseconds + 16 random hex digits.
///
/// Time first, so ids sort by arrival in logs, and the ledger's unique index
/// on request ids grows at its right edge: a batch of spend records then
/// dirties one index page instead of one random page per record, which is
/// most of what each commit writes.
fn new_request_id(now: std::time::SystemTime) -> String {
    let since = now
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(since.as_nanos());
    let millis = since.as_millis() & 0xffff_ffff_ffff;
    format!("req_{millis:012x}{:016x}", h.finish())
}

async fn handle(gw: Arc<Gateway>, req: Request<Incoming>) -> Result<Response<Body>, Infallible> {
    let path = req.uri().path().to_string();
    let api_shape = if path == "/v1/messages" {
        Api::Anthropic
    } else {
        Api::OpenAi
    };
    let route: &'static str = match path.as_str() {
        "/v1/chat/completions" => "/v1/chat/completions",
        "/v1/messages" => "/v1/messages",
        "/v1/models" => "/v1/models",
        "/v1/guard/evaluate" => "/v1/guard/evaluate",
        "/metrics" => return Ok(api::metrics(&gw)),
        "/healthz" => return Ok(api::health(&gw, false)),
        "/readyz" => return Ok(api::health(&gw, true)),
        p if p.starts_with("/admin/") => "/admin",
        p if p.starts_with("/v1/approvals/") => "/v1/approvals",
        _ => "other",
    };
    let mut ctx = Ctx::new(request_id(&req), route);
    let result = match InFlight::try_new(&gw) {
        None => Err(ClientError::Overloaded.into()),
        Some(slot) => {
            ctx.inflight = Some(Arc::new(slot));
            dispatch(&gw, &mut ctx, req).await
        }
    };
    let mut resp = match result {
        Ok(r) => r,
        Err(e) => {
            ctx.error = Some(format!("{}: {e}", e.label()));
            error_response(api_shape, &e)
        }
    };
    if let Ok(v) = ctx.request_id.parse() {
        resp.headers_mut().insert("x-request-id", v);
    }
    if !ctx.streaming {
        ctx.finish(&gw, resp.status().as_u16());
    }
    Ok(resp)
}

async fn dispatch(
    gw: &Arc<Gateway>,
    ctx: &mut Ctx,
    req: Request<Incoming>,
) -> Result<Response<Body>, GatewayError> {
    let post = req.method() == Method::POST;
    let get = req.method() == Method::GET;
    match ctx.route {
        "/v1/chat/completions" if post => proxy::chat(gw, ctx, Api::OpenAi, req).await,
        "/v1/messages" if post => proxy::chat(gw, ctx, Api::Anthropic, req).await,
        "/v1/guard/evaluate" if post => api::evaluate(gw, ctx, req).await,
        "/v1/models" if get => api::models(gw, ctx, &req),
        "/v1/approvals" if get => {
            let id = req.uri().path()["/v1/approvals/".len()..]
                .trim_end_matches('/')
                .to_string();
            approvals::get(gw, ctx, &req, &id).await
        }
        "/admin" => admin::handle(gw, ctx, req).await,
        "other" => {
            Err(
                ClientError::NotFound(format!("no route {} {}", req.method(), req.uri().path()))
                    .into(),
            )
        }
        _ => Err(ClientError::MethodNotAllowed.into()),
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::new_request_id;

    #[test]
    fn request_ids_sort_by_time_and_differ_within_a_millisecond() {
        let t = UNIX_EPOCH + Duration::from_millis(1_764_000_000_000);
        let (a, b) = (new_request_id(t), new_request_id(t));
        assert_ne!(a, b);
        assert_eq!(a.len(), "req_".len() + 28, "{a}");
        assert!(a.starts_with("req_019ab"), "{a}");
        let later = new_request_id(t + Duration::from_millis(1));
        assert!(later > a && later > b, "{later} sorts after {a} and {b}");
    }
}
