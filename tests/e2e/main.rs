//! End-to-end tests: one binary, one module per area (the wasmtime layout).
//! They drive the real host with real components built by `warden-artifacts`,
//! and the real `warden` binary.

mod builtins;
mod cli;
mod faults;
mod hot_swap;
mod other_language;
mod support;
