//! Warden: a thin, fast host that runs sandboxed WebAssembly guardrail policies
//! around LLM calls.
//!
//! A request's text passes through a tenant's [`chain`] of policies for a
//! [phase](warden_sdk::Phase): `request` before the model, `response` after it,
//! `tool-call` before an agent runs a tool. Policies are Wasm components
//! implementing the `warden:policy/policy` world (see `wit/`), loaded by
//! [`policy::PolicyLinker`] on the shared [`engine::Engine`], configured per
//! tenant ([`policy::ConfiguredPolicy`]) and published atomically in a
//! [`chain::Registry`]. [`config`] turns `warden.toml` into all of that;
//! [`Warden`] ties it together for the CLI and the gateway.
#![warn(missing_docs)]

pub mod approval;
pub mod budget;
pub mod builtin;
pub mod chain;
pub mod cli;
pub mod config;
pub mod engine;
pub mod gateway;
pub mod policy;
pub mod ratelimit;
pub mod resilience;
pub mod store;
mod warden;

pub use warden::{StartError as StartErrorKind, Warden};
