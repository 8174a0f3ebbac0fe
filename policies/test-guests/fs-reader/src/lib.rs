//! A policy that tries to read a file: it imports `wasi:filesystem`, which the
//! host does not grant, so loading it must fail and name that import.

use warden_sdk::{ConfigError, Input, Policy, PolicyInfo, Verdict};

struct FsReader;

impl Policy for FsReader {
    fn info() -> PolicyInfo {
        PolicyInfo::new("fs-reader", "0.1.0", "test guest that wants the filesystem")
    }
    fn configure(_: &str) -> Result<Self, ConfigError> {
        Ok(FsReader)
    }
    fn evaluate(&self, _: &Input) -> Result<Verdict, String> {
        match std::fs::read_to_string("/etc/passwd") {
            Ok(s) => Ok(Verdict::deny(format!("read {} bytes", s.len()))),
            Err(_) => Ok(Verdict::allow()),
        }
    }
}

warden_sdk::export_policy!(FsReader);
