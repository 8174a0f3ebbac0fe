//! Structured logging into the host's log (the WIT `log` import).
//!
//! Natively (unit tests) log lines go nowhere. Never log prompt text or secrets.

pub use crate::types::LogLevel as Level;

/// Write one structured log line at `level`.
pub fn log(level: Level, message: &str, fields: &[(&str, &str)]) {
    crate::export::host_log(level, message, fields);
}

/// Log at `info`.
pub fn info(message: &str, fields: &[(&str, &str)]) {
    log(Level::Info, message, fields)
}

/// Log at `warn`.
pub fn warn(message: &str, fields: &[(&str, &str)]) {
    log(Level::Warn, message, fields)
}

/// Log at `debug`.
pub fn debug(message: &str, fields: &[(&str, &str)]) {
    log(Level::Debug, message, fields)
}
