//! The proxy-wasm form of a policy: with the SDK's `proxy-wasm` feature,
//! [`export_policy!`](crate::export_policy) builds a proxy-wasm HTTP filter
//! (`wasm32-wasip1`, ABI 0.2.1) around the same [`Policy`](crate::Policy) impl
//! that the component form exports, so Envoy runs the exact policy code.
//!
//! The same module also builds the **chain filter** (`policies/chain-filter`):
//! several policies in one proxy-wasm module, run in sequence in one VM over
//! one buffered body and one JSON parse ([`start_chain`], [`stages::chain`]).
//! A single-policy filter is a chain of one, so both forms share every line of
//! the HTTP path.
//!
//! - [`settings`]: filter settings from the VM configuration;
//! - [`stages`]: configured policies behind one interface; the chain's config;
//! - [`chat`]: OpenAI and Anthropic chat JSON, read and rewritten by pointer;
//! - [`pipeline`]: one phase through the policies (deny, modify, route, approval);
//! - [`verdict`]: effect checks, refusals and edits;
//! - [`reply`]: local replies in the same JSON error shape as `warden serve`;
//! - [`headers`]: a header map read in one host call;
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
pub mod headers;
pub mod pipeline;
pub mod reply;
pub mod settings;
pub mod stages;
pub mod verdict;

pub use stages::{Builtin, Stage, builtin};

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

/// Install `P` as the filter's root context; called from `_initialize`. The
/// plugin configuration is `P`'s config JSON.
#[cfg(all(target_arch = "wasm32", feature = "proxy-wasm"))]
pub fn start<P: crate::Policy>() {
    ::proxy_wasm::set_root_context(|_| {
        let name = P::info().name;
        let configure: root::Configure = Box::new(|text| {
            let policy =
                P::configure(text).map_err(|e| format!("(the policy's config JSON) {e}"))?;
            Ok(vec![Stage::new::<P>(P::info().name, policy)])
        });
        Box::new(root::Root::new(name, configure))
    });
}

/// Install the chain filter's root context: it runs the policies its plugin
/// configuration lists (see [`stages::chain`]), chosen from `builtins`; called
/// from `_initialize`.
#[cfg(all(target_arch = "wasm32", feature = "proxy-wasm"))]
pub fn start_chain(builtins: fn() -> Vec<Builtin>) {
    thread_local! {
        // The SDK takes a plain `fn` for the root context: no captures.
        static BUILTINS: std::cell::Cell<fn() -> Vec<Builtin>> = const { std::cell::Cell::new(Vec::new) };
    }
    BUILTINS.with(|b| b.set(builtins));
    ::proxy_wasm::set_root_context(|_| {
        let builtins = BUILTINS.with(|b| b.get())();
        let configure: root::Configure = Box::new(move |text| stages::chain(text, &builtins));
        Box::new(root::Root::new("chain".into(), configure))
    });
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
