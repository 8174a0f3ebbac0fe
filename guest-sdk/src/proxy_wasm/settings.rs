//! Filter settings: how the filter treats HTTP, as opposed to the policy's own
//! configuration. They come from the VM configuration
//! (`vm_config.configuration`, a `google.protobuf.StringValue` holding JSON), read
//! once in `on_vm_start`, because the plugin configuration is reserved for the
//! policy's config: the same JSON as in `warden.toml`, so one policy config works
//! in both forms.
//!
//! ```json
//! {"max_body_bytes": 524288, "hold_headers": false, "on_oversize": "reject", "on_stream": "reject"}
//! ```
//! Every key is optional; an empty configuration gives the defaults below.

use serde::Deserialize;

use crate::{ConfigError, parse_config};

/// Default body cap: half of Envoy's default 1 MiB `per_connection_buffer_limit_bytes`,
/// so the filter's own 413 (in the provider's error shape) fires before Envoy's
/// plain-text one, and a chat request far beyond any real prompt is refused.
pub const DEFAULT_MAX_BODY_BYTES: usize = 512 * 1024;

/// What to do with a chat body larger than `max_body_bytes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Oversize {
    /// Refuse it: 413 on a request, 502 on an answer. The guardrail default: an
    /// unjudged prompt never reaches the model.
    Reject,
    /// Let it through unjudged (counted as `warden_<policy>_too_large`). Only for
    /// policies whose misses are acceptable, e.g. a router.
    Pass,
}

/// What to do with a streamed chat request (`"stream": true`) when the filter
/// judges answers (a `response` or `tool-call` stage): the filter does not parse
/// event streams, so such an answer would reach the client unjudged (PII not
/// redacted, pseudonyms not restored, tool calls not assessed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OnStream {
    /// Refuse it with 400 and a message that says why (the default: a guard
    /// that silently stops guarding is worse than a clear error).
    Reject,
    /// Judge the request as usual and let the streamed answer through unjudged.
    Pass,
}

/// Parsed filter settings.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilterSettings {
    /// Largest request or answer body the filter buffers and judges.
    #[serde(default = "default_max_body")]
    pub max_body_bytes: usize,
    /// "Hold" mode: pause the headers until the body is judged, so the upstream is
    /// contacted only after the verdict and headers (routing, content-length) can
    /// still change. Needs `allow_on_headers_stop_iteration: true` on the Envoy
    /// filter, or every chat request stalls until `stream_idle_timeout`.
    #[serde(default)]
    pub hold_headers: bool,
    /// Oversized bodies: `reject` (default) or `pass`.
    #[serde(default = "default_oversize")]
    pub on_oversize: Oversize,
    /// Streamed requests to a filter that judges answers: `reject` (default) or `pass`.
    #[serde(default = "default_on_stream")]
    pub on_stream: OnStream,
}

fn default_max_body() -> usize {
    DEFAULT_MAX_BODY_BYTES
}

fn default_oversize() -> Oversize {
    Oversize::Reject
}

fn default_on_stream() -> OnStream {
    OnStream::Reject
}

impl Default for FilterSettings {
    fn default() -> Self {
        Self {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            hold_headers: false,
            on_oversize: Oversize::Reject,
            on_stream: OnStream::Reject,
        }
    }
}

impl FilterSettings {
    /// Parse the VM configuration text; empty means defaults.
    pub fn parse(json: &str) -> Result<Self, ConfigError> {
        let s: Self = parse_config(json)?;
        if s.max_body_bytes == 0 {
            return Err(ConfigError::at("max_body_bytes", "must be at least 1"));
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_gives_defaults_and_keys_are_checked() {
        assert_eq!(
            FilterSettings::parse("").unwrap(),
            FilterSettings::default()
        );
        let s = FilterSettings::parse(r#"{"hold_headers":true,"on_oversize":"pass"}"#).unwrap();
        assert!(s.hold_headers);
        assert_eq!(s.on_oversize, Oversize::Pass);
        let e = FilterSettings::parse(r#"{"on_oversize":"drop"}"#).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("on_oversize"));
        assert!(FilterSettings::parse(r#"{"hold":true}"#).is_err());
        assert!(FilterSettings::parse(r#"{"max_body_bytes":0}"#).is_err());
        assert_eq!(FilterSettings::default().on_stream, OnStream::Reject);
        let s = FilterSettings::parse(r#"{"on_stream":"pass"}"#).unwrap();
        assert_eq!(s.on_stream, OnStream::Pass);
        assert!(FilterSettings::parse(r#"{"on_stream":"buffer"}"#).is_err());
    }
}
