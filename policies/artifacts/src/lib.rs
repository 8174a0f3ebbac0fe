//! Paths of the Wasm guests built by this crate's `build.rs`, and the built-in
//! policies' bytes for the `warden` binary to embed.
//!
//! Host tests load guests through these consts, so a guest that stops building
//! fails the build rather than silently skipping a test.

include!(concat!(env!("OUT_DIR"), "/gen.rs"));
