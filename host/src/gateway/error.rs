//! Gateway errors. Each is tagged by who is at fault, [`GatewayError::Client`],
//! [`GatewayError::Policy`] or [`GatewayError::Upstream`], and the HTTP status
//! follows from the variant, so handlers never pick status codes by hand.
//! Bodies are rendered in the caller's provider shape (see [`super::shape`]).

use std::time::Duration;

use bytes::Bytes;
use hyper::StatusCode;

/// Anything that ends a gateway request early.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// The request is wrong (or cannot be served now).
    #[error(transparent)]
    Client(#[from] ClientError),
    /// A policy refused it.
    #[error(transparent)]
    Policy(#[from] PolicyBlock),
    /// The model provider failed.
    #[error(transparent)]
    Upstream(#[from] UpstreamError),
}

/// The client's fault: 4xx (and 503 when at capacity).
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// Malformed or ill-typed request.
    #[error("{0}")]
    BadRequest(String),
    /// Missing or unknown API key.
    #[error("{0}")]
    Unauthorized(String),
    /// No such route or model.
    #[error("{0}")]
    NotFound(String),
    /// Wrong HTTP method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// Body larger than `server.max_body_bytes`.
    #[error("request body is larger than the limit of {0} bytes (server.max_body_bytes)")]
    TooLarge(u64),
    /// Message text longer than `server.max_input_chars`.
    #[error("input is {chars} characters, more than the limit of {max} (server.max_input_chars)")]
    InputTooLong {
        /// Characters sent.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// `server.max_concurrent_requests` reached: refused at once, never queued.
    #[error("too many concurrent requests, retry shortly")]
    Overloaded,
    /// A `[rate_limits]` limit of the tenant or its API key: 429 with `Retry-After`.
    #[error(
        "rate limit exceeded for tenant `{tenant}` (or its API key); retry after {retry_after_secs} s"
    )]
    RateLimited {
        /// The tenant.
        tenant: String,
        /// Whole seconds to wait (the `Retry-After` header).
        retry_after_secs: u64,
    },
    /// A `[budgets]` budget cannot cover the request's estimated cost: 429. The
    /// message names the budget (scope, who, period, limit).
    #[error("{0}")]
    BudgetExceeded(String),
    /// The request conflicts with the resource's state (an approval already
    /// decided, the same approver twice): 409.
    #[error("{0}")]
    Conflict(String),
}

/// A policy's refusal (request or answer).
#[derive(Debug, Clone, thiserror::Error)]
#[error("blocked by policy `{policy}`: {reason}")]
pub struct PolicyBlock {
    /// The deciding policy.
    pub policy: String,
    /// Its reason (policies never echo the prompt in it).
    pub reason: String,
    /// Machine-readable code (`policy_violation` unless the policy gave one).
    pub code: String,
    /// The approval filed for this request (then the error type is
    /// `approval_required` and the body carries `approval_id`, `approval_url`).
    pub approval_id: Option<String>,
}

/// The upstream's fault: 502/504, or its own error passed through.
#[derive(Debug, thiserror::Error)]
pub enum UpstreamError {
    /// Could not connect or the connection broke.
    #[error("upstream `{0}` is unreachable: {1}")]
    Unreachable(String, String),
    /// No answer within the time limit.
    #[error("upstream `{0}` did not answer within {1:?}")]
    Timeout(String, Duration),
    /// The answer was not what the provider's API promises.
    #[error("upstream `{0}` returned an invalid response: {1}")]
    BadResponse(String, String),
    /// The upstream's circuit breaker is open and no fallback is configured: 503.
    #[error("{0}")]
    Unavailable(String),
    /// The provider answered with an error of its own: passed through as is.
    #[error("upstream returned HTTP {status}")]
    Status {
        /// Its status.
        status: StatusCode,
        /// Its body (already in the provider's error shape).
        body: Bytes,
    },
}

impl GatewayError {
    /// The HTTP status for this error.
    pub fn status(&self) -> StatusCode {
        match self {
            GatewayError::Client(c) => match c {
                ClientError::BadRequest(_) | ClientError::InputTooLong { .. } => {
                    StatusCode::BAD_REQUEST
                }
                ClientError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
                ClientError::NotFound(_) => StatusCode::NOT_FOUND,
                ClientError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
                ClientError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
                ClientError::Overloaded => StatusCode::SERVICE_UNAVAILABLE,
                ClientError::RateLimited { .. } | ClientError::BudgetExceeded(_) => {
                    StatusCode::TOO_MANY_REQUESTS
                }
                ClientError::Conflict(_) => StatusCode::CONFLICT,
            },
            GatewayError::Policy(_) => StatusCode::FORBIDDEN,
            GatewayError::Upstream(u) => match u {
                UpstreamError::Timeout(..) => StatusCode::GATEWAY_TIMEOUT,
                UpstreamError::Unreachable(..) | UpstreamError::BadResponse(..) => {
                    StatusCode::BAD_GATEWAY
                }
                UpstreamError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
                UpstreamError::Status { status, .. } => *status,
            },
        }
    }

    /// `(OpenAI error type, Anthropic error type, code)` for the error body.
    pub fn kinds(&self) -> (&'static str, &'static str, Option<String>) {
        match self {
            GatewayError::Client(c) => match c {
                ClientError::Unauthorized(_) => (
                    "authentication_error",
                    "authentication_error",
                    Some("invalid_api_key".into()),
                ),
                ClientError::NotFound(_) => (
                    "invalid_request_error",
                    "not_found_error",
                    Some("not_found".into()),
                ),
                ClientError::TooLarge(_) => (
                    "invalid_request_error",
                    "request_too_large",
                    Some("body_too_large".into()),
                ),
                ClientError::InputTooLong { .. } => (
                    "invalid_request_error",
                    "invalid_request_error",
                    Some("input_too_long".into()),
                ),
                ClientError::Overloaded => (
                    "server_error",
                    "overloaded_error",
                    Some("overloaded".into()),
                ),
                ClientError::RateLimited { .. } => (
                    "rate_limit_exceeded",
                    "rate_limit_error",
                    Some("rate_limit_exceeded".into()),
                ),
                ClientError::BudgetExceeded(_) => (
                    "budget_exceeded",
                    "budget_exceeded",
                    Some("budget_exceeded".into()),
                ),
                _ => ("invalid_request_error", "invalid_request_error", None),
            },
            GatewayError::Policy(p) if p.approval_id.is_some() => (
                "approval_required",
                "approval_required",
                Some(p.code.clone()),
            ),
            GatewayError::Policy(p) => {
                ("policy_violation", "policy_violation", Some(p.code.clone()))
            }
            GatewayError::Upstream(UpstreamError::Timeout(..)) => (
                "upstream_error",
                "timeout_error",
                Some("upstream_timeout".into()),
            ),
            GatewayError::Upstream(UpstreamError::Unavailable(_)) => (
                "upstream_unavailable",
                "overloaded_error",
                Some("upstream_unavailable".into()),
            ),
            GatewayError::Upstream(_) => {
                ("upstream_error", "api_error", Some("upstream_error".into()))
            }
        }
    }

    /// Seconds for a `Retry-After` header, when the client should retry later.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            GatewayError::Client(ClientError::RateLimited {
                retry_after_secs, ..
            }) => Some(*retry_after_secs),
            _ => None,
        }
    }

    /// Short label for metrics and logs.
    pub fn label(&self) -> &'static str {
        match self {
            GatewayError::Client(_) => "client",
            GatewayError::Policy(_) => "policy",
            GatewayError::Upstream(_) => "upstream",
        }
    }
}

/// Shorthand for a 400.
pub fn bad_request(msg: impl Into<String>) -> GatewayError {
    GatewayError::Client(ClientError::BadRequest(msg.into()))
}
