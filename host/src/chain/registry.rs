//! The live set of tenant chains, swapped atomically per tenant.
//!
//! Readers take an `Arc<TenantChain>` snapshot and keep it for the whole
//! request; a swap publishes a new map, so in-flight requests finish on the
//! chain they started with and none fails because of a swap.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use arc_swap::ArcSwap;

use super::TenantChain;

/// All tenants' current chains.
#[derive(Debug)]
pub struct Registry {
    tenants: ArcSwap<HashMap<String, Arc<TenantChain>>>,
    versions: AtomicU64,
}

impl Default for Registry {
    fn default() -> Self {
        Self {
            tenants: ArcSwap::from_pointee(HashMap::new()),
            versions: AtomicU64::new(0),
        }
    }
}

impl Registry {
    /// The current chain of `tenant`.
    pub fn get(&self, tenant: &str) -> Option<Arc<TenantChain>> {
        self.tenants.load().get(tenant).cloned()
    }

    /// Tenant names.
    pub fn tenants(&self) -> Vec<String> {
        let mut v: Vec<String> = self.tenants.load().keys().cloned().collect();
        v.sort();
        v
    }

    /// Publish `chain` for its tenant, replacing any previous one. The chain must
    /// already be fully built (loaded and configured): publishing cannot fail.
    pub fn swap(&self, mut chain: TenantChain) -> u64 {
        let version = self.versions.fetch_add(1, Ordering::SeqCst) + 1;
        chain.version = version;
        let chain = Arc::new(chain);
        self.tenants.rcu(|map| {
            let mut next = HashMap::clone(map);
            next.insert(chain.tenant.clone(), chain.clone());
            next
        });
        version
    }

    /// Replace every tenant at once (config reload): tenants missing from
    /// `chains` are removed.
    pub fn replace_all(&self, chains: impl IntoIterator<Item = TenantChain>) {
        let mut next = HashMap::new();
        for mut c in chains {
            c.version = self.versions.fetch_add(1, Ordering::SeqCst) + 1;
            next.insert(c.tenant.clone(), Arc::new(c));
        }
        self.tenants.store(Arc::new(next));
    }
}
