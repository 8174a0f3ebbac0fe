//! Human approval for risky tool calls: a policy returns `require-approval`,
//! the gateway files an [`ApprovalRequest`] and the agent long-polls it while a
//! human approves or rejects through the admin API.
//!
//! Lifecycle: `pending` → `approved` | `rejected`; a `pending` request past its
//! timeout becomes `escalated` (by [`Approvals::sweep`] or lazily on any read),
//! and an escalated request can still be decided by whoever it was escalated to.
//! A `critical` request needs two distinct approvers. Every transition is saved
//! together with its audit line ([`crate::store::Store::save_approval`]).

mod manager;

use serde::{Deserialize, Serialize};

pub use manager::{ApprovalError, ApprovalSettings, Approvals, DEFAULT_TIMEOUT, NewApproval};

/// How risky the tool call is, as the policy judged it (mirrors the WIT `risk-level`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RiskLevel {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical: needs two distinct approvers.
    Critical,
}

impl RiskLevel {
    /// Approvals from distinct people needed before the call may run.
    pub fn approvals_needed(self) -> usize {
        match self {
            RiskLevel::Critical => 2,
            _ => 1,
        }
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApprovalStatus {
    /// Waiting for a human (a critical request may already have one approval).
    Pending,
    /// Approved: the tool call may run.
    Approved,
    /// Rejected: the tool call must not run.
    Rejected,
    /// Timed out while pending; handed to a higher authority, who may still decide.
    Escalated,
}

impl ApprovalStatus {
    /// The lowercase name, as stored and shown in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalStatus::Pending => "pending",
            ApprovalStatus::Approved => "approved",
            ApprovalStatus::Rejected => "rejected",
            ApprovalStatus::Escalated => "escalated",
        }
    }

    /// Approved or rejected: nothing can change it any more.
    pub fn is_final(self) -> bool {
        matches!(self, ApprovalStatus::Approved | ApprovalStatus::Rejected)
    }
}

/// One human decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Who decided (as authenticated by the admin API).
    pub approver: String,
    /// Why, in their words.
    pub reason: String,
    /// When, milliseconds since the Unix epoch.
    pub at_ms: i64,
}

/// A request for a human to allow one tool call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalRequest {
    /// Unguessable id (128 random bits, hex).
    pub id: String,
    /// Owning tenant; lookups by another tenant find nothing.
    pub tenant: String,
    /// Agent session the tool call belongs to.
    pub session: String,
    /// Tool name.
    pub tool: String,
    /// Tool arguments, JSON text as the agent sent them.
    pub arguments: String,
    /// Risk level from the policy.
    pub risk: RiskLevel,
    /// The policy's reason.
    pub reason: String,
    /// Created, milliseconds since the Unix epoch.
    pub created_ms: i64,
    /// Deadline after which a pending request escalates, milliseconds since the Unix epoch.
    pub timeout_ms: i64,
    /// Current status.
    pub status: ApprovalStatus,
    /// Approvals so far, distinct approvers, in order.
    pub approvals: Vec<Decision>,
    /// The rejection, if rejected.
    pub rejection: Option<Decision>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_critical_needs_two_approvers() {
        assert_eq!(RiskLevel::High.approvals_needed(), 1);
        assert_eq!(RiskLevel::Critical.approvals_needed(), 2);
    }

    #[test]
    fn status_names_match_serde() {
        for s in [
            ApprovalStatus::Pending,
            ApprovalStatus::Approved,
            ApprovalStatus::Rejected,
            ApprovalStatus::Escalated,
        ] {
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
        assert!(ApprovalStatus::Rejected.is_final());
        assert!(!ApprovalStatus::Escalated.is_final());
    }
}
