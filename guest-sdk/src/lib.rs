//! The Warden guest SDK: write a guardrail policy as a plain-Rust type, export it
//! as a WebAssembly component with one macro.
//!
//! A policy implements [`Policy`] over SDK-owned types ([`Input`], [`Verdict`],
//! [`Finding`], ...), never over generated bindings, so the same code unit-tests
//! natively with `cargo test` and runs in the host as a `wasm32-wasip2` component.
//! [`export_policy!`] wires the type to the `warden:policy/guard` interface; authors
//! never depend on `wit-bindgen` themselves.
//!
//! With the `proxy-wasm` feature (and `--target wasm32-wasip1`), the same
//! [`export_policy!`] line builds a proxy-wasm HTTP filter for Envoy instead
//! ([`proxy_wasm`]; `examples/envoy/README.md`).
//!
//! ```
//! use warden_sdk::{Input, Policy, PolicyInfo, Verdict, ConfigError, Phase};
//!
//! struct Shout;
//! impl Policy for Shout {
//!     fn info() -> PolicyInfo {
//!         PolicyInfo::new("shout", "0.1.0", "denies prompts written in capitals")
//!             .phases(&[Phase::Request])
//!     }
//!     fn configure(_config: &str) -> Result<Self, ConfigError> { Ok(Shout) }
//!     fn evaluate(&self, input: &Input) -> Result<Verdict, String> {
//!         let loud = input.messages.iter()
//!             .any(|m| m.content.len() > 8 && m.content == m.content.to_uppercase());
//!         Ok(if loud { Verdict::deny("please do not shout") } else { Verdict::allow() })
//!     }
//! }
//! // warden_sdk::export_policy!(Shout);   // in the policy crate's lib.rs
//! ```
#![deny(missing_docs)]

// Generated bindings name their runtime as `warden_sdk::...` so that the export macro
// works from policy crates; this makes the same paths resolve inside the SDK itself.
extern crate self as warden_sdk;

pub mod cases;
pub mod config;
mod export;
pub mod log;
#[cfg(any(test, feature = "proxy-wasm"))]
pub mod proxy_wasm;
pub mod span;
mod types;

pub use config::{ConfigError, parse_config};
pub use types::*;

/// A guardrail policy.
///
/// The host calls [`Policy::configure`] once per tenant configuration and then
/// [`Policy::evaluate`] for every call of that tenant, possibly on another
/// instance: keep no state between calls except what `configure` built.
pub trait Policy: Sized + 'static {
    /// Name, version, phases and the effects the policy may return.
    fn info() -> PolicyInfo;
    /// Parse and validate the tenant's JSON configuration (`{}` when none).
    /// Use [`parse_config`] for typed parsing with errors that name the key.
    fn configure(config_json: &str) -> Result<Self, ConfigError>;
    /// Judge one call. `Err` is a polite failure: the host applies the policy's
    /// failure mode, as for a trap.
    fn evaluate(&self, input: &Input) -> Result<Verdict, String>;
}

#[doc(hidden)]
pub mod __private {
    #[cfg(all(target_arch = "wasm32", not(feature = "proxy-wasm")))]
    pub use crate::export::*;
    #[cfg(all(target_arch = "wasm32", feature = "proxy-wasm"))]
    pub use crate::proxy_wasm::start as start_filter;
    #[cfg(all(target_arch = "wasm32", feature = "proxy-wasm"))]
    pub use ::proxy_wasm;
}
