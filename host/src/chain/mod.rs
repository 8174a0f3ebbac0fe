//! Chains: per tenant and phase, an ordered list of configured policies.
//!
//! Semantics (also in the README):
//! - policies run in order; a policy that does not handle the phase is skipped;
//! - the first `deny` stops the chain (a fault under failure mode `deny` too);
//! - a `modify` is applied before the next policy runs, so later policies see
//!   the edited text;
//! - routes combine field by field, the last policy to set a field wins, and
//!   later policies see the routed model;
//! - `require-approval` does not stop the chain (a later deny still wins); the
//!   highest level asked for is kept;
//! - findings from all policies are kept, each tagged with its policy;
//! - the outcome's action is the strongest of deny > require-approval >
//!   modify > route > allow, and `decided_by` names the policy behind it.

mod catalog;
mod evaluate;
mod registry;
mod workers;

pub use catalog::Catalog;
pub use evaluate::{ChainOutcome, PolicyTiming, StateBag, TaggedFinding};
pub use registry::Registry;
pub use workers::ChainWorkers;

use std::collections::BTreeMap;
use std::sync::Arc;

use warden_sdk::Phase;

use crate::policy::ConfiguredPolicy;

/// A tenant's complete set of chains: one immutable version. Swapping replaces
/// the whole `Arc<TenantChain>`, so a request never mixes versions.
#[derive(Debug)]
pub struct TenantChain {
    /// Tenant name.
    pub tenant: String,
    /// Monotonic version, bumped on every swap (for logs and tests).
    pub version: u64,
    /// Policies per phase, in order.
    pub phases: BTreeMap<Phase, Vec<Arc<ConfiguredPolicy>>>,
}

impl TenantChain {
    /// The policies of `phase` (empty if none).
    pub fn policies(&self, phase: Phase) -> &[Arc<ConfiguredPolicy>] {
        self.phases.get(&phase).map_or(&[], |v| v.as_slice())
    }
}
