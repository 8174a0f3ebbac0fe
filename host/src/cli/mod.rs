//! The `warden` subcommands, one file each. `main.rs` parses arguments and
//! calls into these; they return exit codes.

pub mod check;
pub mod policy_inspect;
pub mod policy_new;
pub mod policy_test;
pub mod serve;
