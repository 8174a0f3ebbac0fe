//! The proxy-wasm form of a policy: with the SDK's `proxy-wasm` feature,
//! [`export_policy!`](crate::export_policy) builds a proxy-wasm HTTP filter
//! (`wasm32-wasip1`, ABI 0.2.1) around the same [`Policy`](crate::Policy) impl
//! that the component form exports, so Envoy runs the exact policy code.
//!
//! - [`settings`]: filter settings from the VM configuration;
//! - [`chat`]: OpenAI and Anthropic chat JSON, read and rewritten by pointer;
//! - [`verdict`]: a verdict becomes continue, rewrite or a local reply;
//! - [`reply`]: local replies in the same JSON error shape as `warden serve`;
//! - `root`, `http`, `answer`, `metrics`, `host` (Wasm only): the glue.
//!
//! The pure parts compile natively so they are unit-tested with `cargo test`.
#![cfg_attr(
    not(target_arch = "wasm32"),
    allow(
        dead_code,
        reason = "used by the Wasm-only glue; natively only by tests"
    )
)]

pub mod chat;
pub mod reply;
pub mod settings;
pub mod verdict;

#[cfg(all(target_arch = "wasm32", feature = "proxy-wasm"))]
mod answer;
#[cfg(all(target_arch = "wasm32", feature = "proxy-wasm"))]
mod host;
#[cfg(all(target_arch = "wasm32", feature = "proxy-wasm"))]
mod http;
#[cfg(all(target_arch = "wasm32", feature = "proxy-wasm"))]
mod metrics;
#[cfg(all(target_arch = "wasm32", feature = "proxy-wasm"))]
mod root;

/// Install `P` as the filter's root context; called from `_initialize`.
#[cfg(all(target_arch = "wasm32", feature = "proxy-wasm"))]
pub fn start<P: crate::Policy>() {
    ::proxy_wasm::set_root_context(|_| Box::new(root::Root::<P>::new()));
}

/// The SDK's [`log`](crate::log) in the filter form: one proxy log line, fields
/// appended as `key=value`.
#[cfg(all(target_arch = "wasm32", feature = "proxy-wasm"))]
pub(crate) fn host_log(level: crate::LogLevel, message: &str, fields: &[(&str, &str)]) {
    let level = match level {
        crate::LogLevel::Trace => 0,
        crate::LogLevel::Debug => host::DEBUG,
        crate::LogLevel::Info => host::INFO,
        crate::LogLevel::Warn => host::WARN,
        crate::LogLevel::Error => host::ERROR,
    };
    let mut line = message.to_string();
    for (k, v) in fields {
        line.push_str(&format!(" {k}={v}"));
    }
    host::log(level, &line);
}
