//! HTTP plumbing shared by the handlers: the response body type, JSON and
//! error responses, the size-limited request body, and the channel body that
//! carries a guarded stream.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Frame, Incoming};
use hyper::header::{CONTENT_LENGTH, CONTENT_TYPE};
use hyper::{Request, Response, StatusCode};
use tokio::sync::mpsc;

use super::error::{ClientError, GatewayError};
use super::shape::Api;

/// Every response body.
pub type Body = BoxBody<Bytes, Infallible>;

/// A complete body.
pub fn full(b: impl Into<Bytes>) -> Body {
    Full::new(b.into()).boxed()
}

/// A response with a complete body and content type.
pub fn respond(status: StatusCode, content_type: &str, body: impl Into<Bytes>) -> Response<Body> {
    let mut r = Response::new(full(body));
    *r.status_mut() = status;
    r.headers_mut().insert(
        CONTENT_TYPE,
        content_type.parse().expect("valid content type"),
    );
    r
}

/// A JSON response.
pub fn json(status: StatusCode, v: &serde_json::Value) -> Response<Body> {
    respond(status, "application/json", v.to_string())
}

/// `e` as a response in `api`'s error shape.
pub fn error_response(api: Api, e: &GatewayError) -> Response<Body> {
    let mut r = respond(e.status(), "application/json", api.error_body(e));
    if let Some(secs) = e.retry_after() {
        r.headers_mut().insert("retry-after", secs.into());
    }
    r
}

/// The request body, refusing more than `max` bytes (413) early when the
/// client declares its length, and while reading when it does not.
pub async fn read_body(req: Request<Incoming>, max: u64) -> Result<Bytes, GatewayError> {
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(ClientError::TooLarge(max).into());
    }
    match Limited::new(req.into_body(), max as usize).collect().await {
        Ok(c) => Ok(c.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => {
            Err(ClientError::TooLarge(max).into())
        }
        Err(e) => {
            Err(ClientError::BadRequest(format!("could not read the request body: {e}")).into())
        }
    }
}

/// A body fed by a channel: the stream task sends, hyper polls. When the
/// client goes away hyper drops the body, the task's sends fail and it stops.
#[derive(Debug)]
pub struct ChannelBody(pub mpsc::Receiver<Bytes>);

impl hyper::body::Body for ChannelBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.0.poll_recv(cx).map(|o| o.map(|b| Ok(Frame::data(b))))
    }
}
