//! The four risk levels and how they map onto SDK types.
//!
//! Kept separate from [`warden_sdk::RiskLevel`] because the policy needs ordering
//! arithmetic (`max`, score) and a config spelling, and must not leak serde details
//! of its configuration into the SDK.

use serde::Deserialize;
use warden_sdk::{RiskLevel, Severity};

/// Risk of one tool call, ordered from least to most dangerous.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Read-only or harmless.
    Low,
    /// Changes state in a recoverable way.
    Medium,
    /// Destructive, outbound or money-moving.
    High,
    /// Administrative, security-changing or bulk data export.
    Critical,
}

impl Level {
    /// All levels, lowest first.
    pub const ALL: [Level; 4] = [Level::Low, Level::Medium, Level::High, Level::Critical];

    /// Config spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }

    /// The verdict score: level / 3, so low = 0 and critical = 1.
    pub fn score(self) -> f32 {
        self as u8 as f32 / 3.0
    }

    /// The approval level the host understands (critical = two approvers).
    pub fn risk_level(self) -> RiskLevel {
        match self {
            Level::Low => RiskLevel::Low,
            Level::Medium => RiskLevel::Medium,
            Level::High => RiskLevel::High,
            Level::Critical => RiskLevel::Critical,
        }
    }

    /// Finding severity for something of this level.
    pub fn severity(self) -> Severity {
        match self {
            Level::Low => Severity::Low,
            Level::Medium => Severity::Medium,
            Level::High => Severity::High,
            Level::Critical => Severity::Critical,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_and_scored() {
        assert!(Level::Low < Level::Medium && Level::High < Level::Critical);
        assert_eq!(Level::Low.score(), 0.0);
        assert_eq!(Level::Critical.score(), 1.0);
        assert!((Level::High.score() - 2.0 / 3.0).abs() < 1e-6);
    }
}
