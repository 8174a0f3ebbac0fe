//! [`MemoryStore`]: the [`Store`] contract in a mutex, for tests and benches.
//! Nothing survives the process.

use std::collections::HashSet;
use std::sync::Mutex;

use super::{AuditEntry, SpendRecord, Store, StoreError};
use crate::approval::{ApprovalRequest, ApprovalStatus};

/// An in-memory [`Store`].
#[derive(Debug, Default)]
pub struct MemoryStore {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    spend: Vec<SpendRecord>,
    spend_ids: HashSet<String>,
    /// Insertion order is creation order, as in SQLite's rowid.
    approvals: Vec<ApprovalRequest>,
    audit: Vec<AuditEntry>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic elsewhere while holding the lock leaves plain data behind; keep serving.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Store for MemoryStore {
    fn record_spend(&self, record: &SpendRecord) -> Result<bool, StoreError> {
        let mut inner = self.lock();
        if inner.spend_ids.contains(&record.request_id) {
            return Ok(false);
        }
        inner.spend_ids.insert(record.request_id.clone());
        inner.spend.push(record.clone());
        Ok(true)
    }

    fn spend_since(&self, since_ms: i64) -> Result<Vec<SpendRecord>, StoreError> {
        let inner = self.lock();
        Ok(inner
            .spend
            .iter()
            .filter(|r| r.at_ms >= since_ms)
            .cloned()
            .collect())
    }

    fn save_approval(
        &self,
        request: &ApprovalRequest,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut inner = self.lock();
        match inner.approvals.iter_mut().find(|a| a.id == request.id) {
            Some(slot) => *slot = request.clone(),
            None => inner.approvals.push(request.clone()),
        }
        inner.audit.push(audit.clone());
        Ok(())
    }

    fn approval(&self, tenant: &str, id: &str) -> Result<Option<ApprovalRequest>, StoreError> {
        let inner = self.lock();
        Ok(inner
            .approvals
            .iter()
            .find(|a| a.id == id && a.tenant == tenant)
            .cloned())
    }

    fn approvals(&self, tenant: &str) -> Result<Vec<ApprovalRequest>, StoreError> {
        let inner = self.lock();
        Ok(inner
            .approvals
            .iter()
            .filter(|a| a.tenant == tenant)
            .cloned()
            .collect())
    }

    fn pending_approvals(&self) -> Result<Vec<ApprovalRequest>, StoreError> {
        let inner = self.lock();
        Ok(inner
            .approvals
            .iter()
            .filter(|a| a.status == ApprovalStatus::Pending)
            .cloned()
            .collect())
    }

    fn audit(&self, tenant: &str) -> Result<Vec<AuditEntry>, StoreError> {
        let inner = self.lock();
        Ok(inner
            .audit
            .iter()
            .filter(|e| e.tenant == tenant)
            .cloned()
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_store_meets_the_store_contract() {
        super::super::tests::contract(&MemoryStore::new());
    }
}
