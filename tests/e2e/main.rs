//! End-to-end tests: one binary, one module per area (the wasmtime layout).
//! They drive the real host with real components built by `warden-artifacts`,
//! and the real `warden` binary.

mod builtins;
mod cache;
mod cli;
mod envoy;
mod faults;
mod gateway;
mod gateway_approvals;
mod gateway_bad_input;
mod gateway_controls;
mod gateway_durability;
mod gateway_resilience;
mod gateway_stream;
#[path = "support/gateway.rs"]
mod gateway_support;
mod hot_swap;
mod other_language;
mod support;
