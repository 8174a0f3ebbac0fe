//! Typed policy errors: what went wrong loading a policy, and how a call faulted.

use std::time::Duration;

/// Why a policy could not be loaded. The old chain keeps serving on any of these.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LoadError {
    /// The bytes are not a component this engine can compile.
    #[error("policy `{policy}`: not a valid Wasm component: {reason}")]
    Compile {
        /// Policy name or source.
        policy: String,
        /// The compiler's message.
        reason: String,
    },
    /// The component imports something the host does not grant.
    #[error(
        "policy `{policy}`: imports `{import}`, which this host does not grant (policies get only `warden:policy/log` and an empty WASI context)"
    )]
    ForbiddenImport {
        /// Policy name or source.
        policy: String,
        /// The forbidden imports' full names, e.g. `wasi:filesystem/types@0.2.6`.
        import: String,
    },
    /// The component does not implement the `warden:policy/policy` world.
    #[error("policy `{policy}`: does not implement the `warden:policy/policy` world: {reason}")]
    WorldMismatch {
        /// Policy name or source.
        policy: String,
        /// What is missing or different.
        reason: String,
    },
    /// `configure` refused the tenant's configuration.
    #[error("policy `{policy}`: {}", match key { Some(k) => format!("config key `{k}`: {message}"), None => format!("bad config: {message}") })]
    Configure {
        /// Policy name.
        policy: String,
        /// Offending key, as the policy named it.
        key: Option<String>,
        /// The policy's message.
        message: String,
    },
    /// The policy faulted while loading (in `metadata` or `configure`).
    #[error("policy `{policy}`: faulted while loading: {reason}")]
    Fault {
        /// Policy name.
        policy: String,
        /// What happened.
        reason: String,
    },
    /// The policy source could not be read or is unknown.
    #[error("policy `{policy}`: {reason}")]
    Source {
        /// Policy name or source.
        policy: String,
        /// Why.
        reason: String,
    },
}

/// How a policy call failed. Every kind leads to the policy's failure mode.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FaultKind {
    /// The guest trapped (panic, `unreachable`, out-of-bounds access...).
    #[error("trapped: {0}")]
    Trap(String),
    /// The call ran past its time limit and was interrupted.
    #[error("exceeded its time limit of {0:?}")]
    Timeout(Duration),
    /// The guest tried to grow memory past its limit.
    #[error("exceeded its memory limit of {0} bytes")]
    MemoryLimit(usize),
    /// The verdict broke the contract (span out of range, not on a UTF-8 boundary...).
    #[error("returned an invalid verdict: {0}")]
    InvalidVerdict(String),
    /// The verdict used an effect the policy did not declare.
    #[error("returned `{0}`, an effect it did not declare")]
    UndeclaredEffect(&'static str),
    /// The guest returned `err` from `evaluate`.
    #[error("failed: {0}")]
    Guest(String),
    /// No instance could be created (instance pool exhausted).
    #[error("overloaded: {0}")]
    Overloaded(String),
}

impl FaultKind {
    /// Short label for metrics and logs.
    pub fn label(&self) -> &'static str {
        match self {
            FaultKind::Trap(_) => "trap",
            FaultKind::Timeout(_) => "timeout",
            FaultKind::MemoryLimit(_) => "memory_limit",
            FaultKind::InvalidVerdict(_) => "invalid_verdict",
            FaultKind::UndeclaredEffect(_) => "undeclared_effect",
            FaultKind::Guest(_) => "guest_error",
            FaultKind::Overloaded(_) => "overloaded",
        }
    }
}

/// A faulted policy call.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("policy `{policy}` {kind}")]
pub struct PolicyFault {
    /// The policy's name in the chain.
    pub policy: String,
    /// What happened.
    pub kind: FaultKind,
}

impl serde::Serialize for PolicyFault {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("PolicyFault", 3)?;
        st.serialize_field("policy", &self.policy)?;
        st.serialize_field("kind", self.kind.label())?;
        st.serialize_field("message", &self.kind.to_string())?;
        st.end()
    }
}
