//! Durable state for money and humans: the spend ledger, approval requests and
//! the audit log, behind the small [`Store`] trait.
//!
//! [`SqliteStore`] keeps everything in one SQLite file in the data directory
//! (WAL mode; a write that returned `Ok` survives a SIGKILL, and approvals and
//! audit entries also a power cut; spend records per [`SpendSync`]);
//! [`MemoryStore`] is for tests and benches. The trait is
//! deliberately narrow so a shared backend (Postgres, Redis) can replace SQLite
//! when several gateways share one budget.
//!
//! Budget usage is *not* stored separately: it is recomputed from the ledger for
//! the current periods at start-up ([`crate::budget::Budgets::restore`]), so the
//! ledger is the single source of truth.

mod memory;
mod spend_writer;
mod sqlite;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rust_decimal::Decimal;

use crate::approval::ApprovalRequest;

pub use memory::MemoryStore;
pub use spend_writer::SpendAck;
pub use sqlite::{DB_FILE, SqliteStore};

/// When a spend record counts as recorded (`[store] spend_fsync`).
///
/// Either way the record is written to the operating system before the answer
/// is sent, so killing Warden (SIGKILL, OOM killer, a crash) never loses or
/// double-counts an answered call. The choice is what a power cut or kernel
/// crash may take: fsync costs a disk round trip that every answer would wait
/// for, which is the largest cost of budgets on the gateway's hot path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpendSync {
    /// fsync at most this long after a record was written (`"periodic"`, the
    /// default, every second): a power cut may lose that window of spend.
    Periodic(Duration),
    /// fsync before each answer is sent (`"per-answer"`): survives power loss.
    PerAnswer,
}

/// Default `[store] spend_fsync_interval_ms`.
pub const DEFAULT_SPEND_FSYNC_INTERVAL: Duration = Duration::from_secs(1);

impl Default for SpendSync {
    fn default() -> Self {
        SpendSync::Periodic(DEFAULT_SPEND_FSYNC_INTERVAL)
    }
}

/// A failure of the durable store. Every variant names the file or directory.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The data directory cannot be created or written.
    #[error("data directory `{path}` is not writable: {reason}")]
    Unwritable {
        /// The directory.
        path: String,
        /// Why (OS error or permission bits).
        reason: String,
    },
    /// The database file exists but is not a Warden database (or is damaged).
    #[error("database `{path}` is corrupt or not a SQLite database: {reason}")]
    Corrupt {
        /// The file.
        path: String,
        /// What SQLite said.
        reason: String,
    },
    /// Any other SQLite failure while reading or writing.
    #[error("store `{path}`: {source}")]
    Sqlite {
        /// The file.
        path: String,
        /// The SQLite error.
        #[source]
        source: rusqlite::Error,
    },
    /// A stored row could not be decoded (written by a newer version, or edited by hand).
    #[error("store `{path}`: bad row {what}: {reason}")]
    BadRow {
        /// The file.
        path: String,
        /// Which row.
        what: String,
        /// Why.
        reason: String,
    },
}

/// One priced call in the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpendRecord {
    /// Unique in the ledger: the request id, or `<request id>#<suffix>` for a
    /// later call that reused an id already charged (see `Ledger::commit`).
    /// The store never records the same id twice.
    pub request_id: String,
    /// Tenant charged.
    pub tenant: String,
    /// End user charged, when the request named one.
    pub user: Option<String>,
    /// Model that served the call.
    pub model: String,
    /// Tokens the upstream reported (or estimated, if it reported none).
    pub input_tokens: u64,
    /// Output tokens.
    pub output_tokens: u64,
    /// Cost in USD.
    pub cost_usd: Decimal,
    /// When it was committed, milliseconds since the Unix epoch (UTC).
    pub at_ms: i64,
}

/// One line of the audit log: an approval transition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// When, milliseconds since the Unix epoch.
    pub at_ms: i64,
    /// Tenant owning the subject.
    pub tenant: String,
    /// The approval request id.
    pub subject: String,
    /// What happened: `created`, `approved`, `approval-recorded`, `rejected`, `escalated`.
    pub action: String,
    /// Who did it (`system` for timeouts).
    pub actor: String,
    /// Free text: the approver's reason, or the status reached.
    pub detail: String,
}

/// Durable storage. Implementations must make every `Ok` durable before returning.
pub trait Store: Send + Sync + std::fmt::Debug {
    /// Append a spend record. Returns `false` (and changes nothing) when a record with
    /// the same `request_id` already exists, so commits are idempotent.
    fn record_spend(&self, record: &SpendRecord) -> Result<bool, StoreError>;
    /// [`Store::record_spend`] without blocking the caller's thread: the
    /// future resolves once the record is durable. Stores that batch writes
    /// (SQLite: one transaction and fsync for every record queued meanwhile)
    /// override this; the default writes at once.
    fn record_spend_async(&self, record: SpendRecord) -> SpendAck {
        Box::pin(std::future::ready(self.record_spend(&record)))
    }
    /// Records committed at or after `since_ms`, oldest first (budget recovery).
    fn spend_since(&self, since_ms: i64) -> Result<Vec<SpendRecord>, StoreError>;
    /// Insert or replace an approval request and append its audit entry, atomically:
    /// there is never a transition without its audit line, or the reverse.
    fn save_approval(
        &self,
        request: &ApprovalRequest,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// One approval request, only if it belongs to `tenant`.
    fn approval(&self, tenant: &str, id: &str) -> Result<Option<ApprovalRequest>, StoreError>;
    /// A tenant's approval requests, oldest first.
    fn approvals(&self, tenant: &str) -> Result<Vec<ApprovalRequest>, StoreError>;
    /// Every pending request of every tenant (the timeout sweep).
    fn pending_approvals(&self) -> Result<Vec<ApprovalRequest>, StoreError>;
    /// A tenant's audit log, oldest first.
    fn audit(&self, tenant: &str) -> Result<Vec<AuditEntry>, StoreError>;
}

/// Milliseconds since the Unix epoch (0 for times before it).
pub fn unix_ms(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::approval::{ApprovalStatus, RiskLevel};

    pub(crate) fn spend(
        id: &str,
        tenant: &str,
        user: Option<&str>,
        cost: &str,
        at_ms: i64,
    ) -> SpendRecord {
        SpendRecord {
            request_id: id.into(),
            tenant: tenant.into(),
            user: user.map(Into::into),
            model: "gpt-4o-mini".into(),
            input_tokens: 100,
            output_tokens: 50,
            cost_usd: cost.parse().unwrap(),
            at_ms,
        }
    }

    pub(crate) fn approval(id: &str, tenant: &str, status: ApprovalStatus) -> ApprovalRequest {
        ApprovalRequest {
            id: id.into(),
            tenant: tenant.into(),
            session: "s1".into(),
            tool: "shell".into(),
            arguments: r#"{"cmd":"rm -rf /tmp/x"}"#.into(),
            risk: RiskLevel::High,
            reason: "destructive".into(),
            created_ms: 1_000,
            timeout_ms: 2_000,
            status,
            approvals: vec![],
            rejection: None,
        }
    }

    fn audit(tenant: &str, subject: &str, action: &str) -> AuditEntry {
        AuditEntry {
            at_ms: 1_000,
            tenant: tenant.into(),
            subject: subject.into(),
            action: action.into(),
            actor: "system".into(),
            detail: String::new(),
        }
    }

    /// A fresh directory under the system temp dir, removed on drop (no tempfile dependency).
    #[derive(Debug)]
    pub(crate) struct TempDir(pub std::path::PathBuf);

    impl TempDir {
        pub(crate) fn new(tag: &str) -> Self {
            static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
            let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let p =
                std::env::temp_dir().join(format!("warden-store-{tag}-{}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&p);
            Self(p)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// The behaviour every [`Store`] must have; run against both implementations.
    pub(crate) fn contract(store: &dyn Store) {
        assert!(
            store
                .record_spend(&spend("r1", "acme", Some("u"), "0.10", 10))
                .unwrap()
        );
        assert!(
            !store
                .record_spend(&spend("r1", "acme", Some("u"), "9.99", 11))
                .unwrap(),
            "duplicate id"
        );
        assert!(
            store
                .record_spend(&spend("r2", "beta", None, "0.20", 20))
                .unwrap()
        );
        let all = store.spend_since(0).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(
            all[0].cost_usd,
            "0.10".parse::<Decimal>().unwrap(),
            "first write wins"
        );
        assert_eq!(all[1].user, None);
        assert_eq!(store.spend_since(15).unwrap().len(), 1);

        let mut a = approval("a1", "acme", ApprovalStatus::Pending);
        store
            .save_approval(&a, &audit("acme", "a1", "created"))
            .unwrap();
        a.status = ApprovalStatus::Approved;
        store
            .save_approval(&a, &audit("acme", "a1", "approved"))
            .unwrap();
        store
            .save_approval(
                &approval("b1", "beta", ApprovalStatus::Pending),
                &audit("beta", "b1", "created"),
            )
            .unwrap();
        assert_eq!(store.approval("acme", "a1").unwrap().unwrap(), a);
        assert_eq!(store.approval("beta", "a1").unwrap(), None, "other tenant");
        assert_eq!(store.approvals("acme").unwrap().len(), 1);
        let pending = store.pending_approvals().unwrap();
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].id, "b1");
        let log = store.audit("acme").unwrap();
        assert_eq!(
            log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
            ["created", "approved"]
        );
        assert_eq!(store.audit("beta").unwrap().len(), 1);
    }

    #[test]
    fn unix_ms_of_epoch_and_before() {
        assert_eq!(unix_ms(UNIX_EPOCH), 0);
        assert_eq!(unix_ms(UNIX_EPOCH - std::time::Duration::from_secs(5)), 0);
        assert_eq!(
            unix_ms(UNIX_EPOCH + std::time::Duration::from_millis(1500)),
            1500
        );
    }
}
