//! [`Approvals`]: files, decides, escalates and long-polls approval requests.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::watch;

use super::{ApprovalRequest, ApprovalStatus, Decision, RiskLevel};
use crate::resilience::{Clock, random_u64};
use crate::store::{AuditEntry, Store, StoreError, unix_ms};

/// How long a request waits for a human before it escalates: long enough for
/// someone paged to look, short enough that an agent does not hang for hours.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// Timeouts, per tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalSettings {
    /// Timeout for tenants without their own.
    pub default_timeout: Duration,
    /// Per-tenant timeouts.
    pub tenant_timeouts: HashMap<String, Duration>,
}

impl Default for ApprovalSettings {
    fn default() -> Self {
        Self {
            default_timeout: DEFAULT_TIMEOUT,
            tenant_timeouts: HashMap::new(),
        }
    }
}

impl ApprovalSettings {
    /// The timeout that applies to `tenant`.
    pub fn timeout_for(&self, tenant: &str) -> Duration {
        self.tenant_timeouts
            .get(tenant)
            .copied()
            .unwrap_or(self.default_timeout)
    }
}

/// What the gateway knows when a policy asks for approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApproval {
    /// Tenant.
    pub tenant: String,
    /// Agent session.
    pub session: String,
    /// Tool name.
    pub tool: String,
    /// Tool arguments (JSON text).
    pub arguments: String,
    /// Risk level.
    pub risk: RiskLevel,
    /// The policy's reason.
    pub reason: String,
}

/// Why an approval operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ApprovalError {
    /// No such request for this tenant (another tenant's id is reported the same way).
    #[error("approval `{id}` not found")]
    NotFound {
        /// The id asked for.
        id: String,
    },
    /// The request was already approved or rejected.
    #[error("approval `{id}` is already {status}", status = status.as_str())]
    AlreadyDecided {
        /// The id.
        id: String,
        /// Its final status.
        status: ApprovalStatus,
    },
    /// The same person tried to give both approvals of a critical request.
    #[error(
        "approval `{id}`: `{approver}` has already approved; a critical request needs a second, different approver"
    )]
    DuplicateApprover {
        /// The id.
        id: String,
        /// The repeated approver.
        approver: String,
    },
    /// An approver must be named, for the audit log.
    #[error("approval `{id}`: approver must not be empty")]
    NoApprover {
        /// The id.
        id: String,
    },
    /// The store failed; the transition did not happen.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The approval service. Transitions are serialised by one mutex (approvals come
/// at human speed); waiters are woken through a `watch` channel per pending request.
#[derive(Debug)]
pub struct Approvals {
    store: Arc<dyn Store>,
    settings: ApprovalSettings,
    clock: Arc<dyn Clock>,
    /// Held for every read-modify-write; maps pending ids to their waiters' channel.
    watchers: Mutex<HashMap<String, watch::Sender<ApprovalStatus>>>,
}

impl Approvals {
    /// A service over `store`.
    pub fn new(store: Arc<dyn Store>, settings: ApprovalSettings, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            settings,
            clock,
            watchers: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, watch::Sender<ApprovalStatus>>> {
        self.watchers.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn now_ms(&self) -> i64 {
        unix_ms(self.clock.wall())
    }

    /// File a new pending request.
    pub fn create(&self, new: NewApproval) -> Result<ApprovalRequest, ApprovalError> {
        let now = self.now_ms();
        let timeout =
            i64::try_from(self.settings.timeout_for(&new.tenant).as_millis()).unwrap_or(i64::MAX);
        let request = ApprovalRequest {
            id: format!("{:016x}{:016x}", random_u64(), random_u64()),
            tenant: new.tenant,
            session: new.session,
            tool: new.tool,
            arguments: new.arguments,
            risk: new.risk,
            reason: new.reason,
            created_ms: now,
            timeout_ms: now.saturating_add(timeout),
            status: ApprovalStatus::Pending,
            approvals: Vec::new(),
            rejection: None,
        };
        let detail = format!(
            "tool `{}`, risk {:?}: {}",
            request.tool, request.risk, request.reason
        );
        let _guard = self.lock();
        self.store.save_approval(
            &request,
            &self.audit(&request, "created", "gateway", detail),
        )?;
        Ok(request)
    }

    /// One request of `tenant`, escalated first if its timeout has passed.
    pub fn get(&self, tenant: &str, id: &str) -> Result<ApprovalRequest, ApprovalError> {
        let mut watchers = self.lock();
        self.load(&mut watchers, tenant, id)
    }

    /// All requests of `tenant`, oldest first, with due ones escalated.
    pub fn list(&self, tenant: &str) -> Result<Vec<ApprovalRequest>, ApprovalError> {
        let mut watchers = self.lock();
        let mut all = self.store.approvals(tenant)?;
        for request in &mut all {
            self.escalate_if_due(&mut watchers, request)?;
        }
        Ok(all)
    }

    /// Record `approver`'s approval. A critical request stays pending until a second,
    /// different approver agrees; an escalated one can still be approved.
    pub fn approve(
        &self,
        tenant: &str,
        id: &str,
        approver: &str,
        reason: &str,
    ) -> Result<ApprovalRequest, ApprovalError> {
        let mut watchers = self.lock();
        let mut request = self.decidable(&mut watchers, tenant, id, approver)?;
        if request.approvals.iter().any(|d| d.approver == approver) {
            return Err(ApprovalError::DuplicateApprover {
                id: id.into(),
                approver: approver.into(),
            });
        }
        request.approvals.push(Decision {
            approver: approver.into(),
            reason: reason.into(),
            at_ms: self.now_ms(),
        });
        let action = if request.approvals.len() >= request.risk.approvals_needed() {
            request.status = ApprovalStatus::Approved;
            "approved"
        } else {
            "approval-recorded"
        };
        self.save(
            &mut watchers,
            &request,
            action,
            approver,
            reason.to_string(),
        )?;
        Ok(request)
    }

    /// Reject the request: the tool call must not run.
    pub fn reject(
        &self,
        tenant: &str,
        id: &str,
        approver: &str,
        reason: &str,
    ) -> Result<ApprovalRequest, ApprovalError> {
        let mut watchers = self.lock();
        let mut request = self.decidable(&mut watchers, tenant, id, approver)?;
        request.status = ApprovalStatus::Rejected;
        request.rejection = Some(Decision {
            approver: approver.into(),
            reason: reason.into(),
            at_ms: self.now_ms(),
        });
        self.save(
            &mut watchers,
            &request,
            "rejected",
            approver,
            reason.to_string(),
        )?;
        Ok(request)
    }

    /// Escalate every pending request (all tenants) whose timeout has passed; run it
    /// periodically so escalations are logged and notified even if nobody reads.
    pub fn sweep(&self) -> Result<Vec<ApprovalRequest>, ApprovalError> {
        let mut watchers = self.lock();
        let mut escalated = Vec::new();
        for mut request in self.store.pending_approvals()? {
            if self.escalate_if_due(&mut watchers, &mut request)? {
                escalated.push(request);
            }
        }
        Ok(escalated)
    }

    /// Long-poll: return as soon as the request is not pending, or after `max_wait`,
    /// or at its timeout (when it escalates), whichever comes first.
    pub async fn wait(
        &self,
        tenant: &str,
        id: &str,
        max_wait: Duration,
    ) -> Result<ApprovalRequest, ApprovalError> {
        // Subscribe and read under the same lock transitions take, so a decision
        // cannot slip in between the read and the subscription.
        let (mut rx, request) = {
            let mut watchers = self.lock();
            let request = self.load(&mut watchers, tenant, id)?;
            if request.status != ApprovalStatus::Pending {
                return Ok(request);
            }
            let rx = watchers
                .entry(request.id.clone())
                .or_insert_with(|| watch::channel(ApprovalStatus::Pending).0)
                .subscribe();
            (rx, request)
        };
        let until_timeout =
            u64::try_from(request.timeout_ms.saturating_sub(self.now_ms())).unwrap_or(0);
        let wait = max_wait.min(Duration::from_millis(until_timeout));
        // Either outcome (changed, sender gone, timed out) ends in a fresh read.
        let _ = tokio::time::timeout(wait, rx.changed()).await;
        self.get(tenant, id)
    }

    /// A tenant's audit log (oldest first).
    pub fn audit_log(&self, tenant: &str) -> Result<Vec<AuditEntry>, ApprovalError> {
        Ok(self.store.audit(tenant)?)
    }

    fn load(
        &self,
        watchers: &mut HashMap<String, watch::Sender<ApprovalStatus>>,
        tenant: &str,
        id: &str,
    ) -> Result<ApprovalRequest, ApprovalError> {
        let mut request = self
            .store
            .approval(tenant, id)?
            .ok_or_else(|| ApprovalError::NotFound { id: id.into() })?;
        self.escalate_if_due(watchers, &mut request)?;
        Ok(request)
    }

    fn decidable(
        &self,
        watchers: &mut HashMap<String, watch::Sender<ApprovalStatus>>,
        tenant: &str,
        id: &str,
        approver: &str,
    ) -> Result<ApprovalRequest, ApprovalError> {
        if approver.trim().is_empty() {
            return Err(ApprovalError::NoApprover { id: id.into() });
        }
        let request = self.load(watchers, tenant, id)?;
        if request.status.is_final() {
            return Err(ApprovalError::AlreadyDecided {
                id: id.into(),
                status: request.status,
            });
        }
        Ok(request)
    }

    /// Returns whether the request was escalated now.
    fn escalate_if_due(
        &self,
        watchers: &mut HashMap<String, watch::Sender<ApprovalStatus>>,
        request: &mut ApprovalRequest,
    ) -> Result<bool, ApprovalError> {
        if request.status != ApprovalStatus::Pending || self.now_ms() < request.timeout_ms {
            return Ok(false);
        }
        request.status = ApprovalStatus::Escalated;
        let detail = format!(
            "no decision within the timeout ({} approval(s) recorded)",
            request.approvals.len()
        );
        self.save(watchers, request, "escalated", "system", detail)?;
        Ok(true)
    }

    fn save(
        &self,
        watchers: &mut HashMap<String, watch::Sender<ApprovalStatus>>,
        request: &ApprovalRequest,
        action: &str,
        actor: &str,
        detail: String,
    ) -> Result<(), ApprovalError> {
        self.store
            .save_approval(request, &self.audit(request, action, actor, detail))?;
        if request.status != ApprovalStatus::Pending {
            tracing::info!(approval = %request.id, tenant = %request.tenant, status = request.status.as_str(), actor, "approval {action}");
            if let Some(tx) = watchers.remove(&request.id) {
                tx.send_replace(request.status);
            }
        }
        Ok(())
    }

    fn audit(
        &self,
        request: &ApprovalRequest,
        action: &str,
        actor: &str,
        detail: String,
    ) -> AuditEntry {
        AuditEntry {
            at_ms: self.now_ms(),
            tenant: request.tenant.clone(),
            subject: request.id.clone(),
            action: action.into(),
            actor: actor.into(),
            detail,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resilience::ManualClock;
    use crate::store::MemoryStore;

    fn setup() -> (Arc<Approvals>, Arc<ManualClock>) {
        let clock = Arc::new(ManualClock::new());
        let mut settings = ApprovalSettings::default();
        settings
            .tenant_timeouts
            .insert("fast".into(), Duration::from_secs(60));
        let approvals = Approvals::new(Arc::new(MemoryStore::new()), settings, clock.clone());
        (Arc::new(approvals), clock)
    }

    fn new(tenant: &str, risk: RiskLevel) -> NewApproval {
        NewApproval {
            tenant: tenant.into(),
            session: "sess".into(),
            tool: "transfer_funds".into(),
            arguments: r#"{"amount":5000}"#.into(),
            risk,
            reason: "moves money".into(),
        }
    }

    fn actions(a: &Approvals, tenant: &str) -> Vec<String> {
        a.audit_log(tenant)
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect()
    }

    #[test]
    fn create_files_a_pending_request_with_the_tenant_timeout() {
        let (a, clock) = setup();
        let r = a.create(new("acme", RiskLevel::High)).unwrap();
        assert_eq!(r.status, ApprovalStatus::Pending);
        assert_eq!(r.id.len(), 32);
        assert_eq!(r.timeout_ms - r.created_ms, 30 * 60 * 1000);
        assert_eq!(r.created_ms, unix_ms(clock.wall()));
        let fast = a.create(new("fast", RiskLevel::High)).unwrap();
        assert_eq!(fast.timeout_ms - fast.created_ms, 60_000);
        assert_ne!(r.id, fast.id);
        assert_eq!(actions(&a, "acme"), ["created"]);
    }

    #[test]
    fn approve_then_cannot_decide_again() {
        let (a, _) = setup();
        let r = a.create(new("acme", RiskLevel::High)).unwrap();
        let done = a.approve("acme", &r.id, "alice", "looks fine").unwrap();
        assert_eq!(done.status, ApprovalStatus::Approved);
        assert_eq!(done.approvals[0].approver, "alice");
        let err = a.reject("acme", &r.id, "bob", "no").unwrap_err();
        assert!(
            matches!(
                err,
                ApprovalError::AlreadyDecided {
                    status: ApprovalStatus::Approved,
                    ..
                }
            ),
            "{err}"
        );
        assert_eq!(actions(&a, "acme"), ["created", "approved"]);
    }

    #[test]
    fn reject_records_approver_and_reason() {
        let (a, _) = setup();
        let r = a.create(new("acme", RiskLevel::Low)).unwrap();
        let done = a.reject("acme", &r.id, "carol", "not today").unwrap();
        assert_eq!(done.status, ApprovalStatus::Rejected);
        assert_eq!(done.rejection.as_ref().unwrap().reason, "not today");
        let log = a.audit_log("acme").unwrap();
        assert_eq!(log[1].actor, "carol");
        assert_eq!(log[1].detail, "not today");
    }

    #[test]
    fn critical_needs_two_distinct_approvers() {
        let (a, _) = setup();
        let r = a.create(new("acme", RiskLevel::Critical)).unwrap();
        let first = a.approve("acme", &r.id, "alice", "ok").unwrap();
        assert_eq!(first.status, ApprovalStatus::Pending);
        assert_eq!(first.approvals.len(), 1);
        let err = a.approve("acme", &r.id, "alice", "ok again").unwrap_err();
        assert!(
            matches!(err, ApprovalError::DuplicateApprover { .. }),
            "{err}"
        );
        let second = a.approve("acme", &r.id, "bob", "agreed").unwrap();
        assert_eq!(second.status, ApprovalStatus::Approved);
        assert_eq!(
            actions(&a, "acme"),
            ["created", "approval-recorded", "approved"]
        );
    }

    #[test]
    fn empty_approver_is_refused() {
        let (a, _) = setup();
        let r = a.create(new("acme", RiskLevel::Low)).unwrap();
        assert!(matches!(
            a.approve("acme", &r.id, " ", "x"),
            Err(ApprovalError::NoApprover { .. })
        ));
    }

    #[test]
    fn tenants_cannot_see_or_decide_each_others_requests() {
        let (a, _) = setup();
        let r = a.create(new("acme", RiskLevel::High)).unwrap();
        assert!(matches!(
            a.get("evil", &r.id),
            Err(ApprovalError::NotFound { .. })
        ));
        assert!(matches!(
            a.approve("evil", &r.id, "mallory", "x"),
            Err(ApprovalError::NotFound { .. })
        ));
        assert!(a.list("evil").unwrap().is_empty());
        assert!(a.audit_log("evil").unwrap().is_empty());
        assert_eq!(
            a.get("acme", &r.id).unwrap().status,
            ApprovalStatus::Pending
        );
    }

    #[test]
    fn timeout_escalates_lazily_on_read() {
        let (a, clock) = setup();
        let r = a.create(new("fast", RiskLevel::High)).unwrap();
        clock.advance(Duration::from_secs(59));
        assert_eq!(
            a.get("fast", &r.id).unwrap().status,
            ApprovalStatus::Pending
        );
        clock.advance(Duration::from_secs(1));
        assert_eq!(
            a.get("fast", &r.id).unwrap().status,
            ApprovalStatus::Escalated
        );
        assert_eq!(actions(&a, "fast"), ["created", "escalated"]);
        // Reading again does not escalate twice; the escalated request can still be decided.
        assert_eq!(a.list("fast").unwrap()[0].status, ApprovalStatus::Escalated);
        assert_eq!(
            a.approve("fast", &r.id, "boss", "fine").unwrap().status,
            ApprovalStatus::Approved
        );
        assert_eq!(actions(&a, "fast"), ["created", "escalated", "approved"]);
    }

    #[test]
    fn sweep_escalates_only_due_requests_of_all_tenants() {
        let (a, clock) = setup();
        let due = a.create(new("fast", RiskLevel::High)).unwrap();
        let not_due = a.create(new("acme", RiskLevel::High)).unwrap();
        let decided = a.create(new("fast", RiskLevel::High)).unwrap();
        a.reject("fast", &decided.id, "x", "no").unwrap();
        clock.advance(Duration::from_secs(120));
        let escalated = a.sweep().unwrap();
        assert_eq!(
            escalated.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            [due.id.as_str()]
        );
        assert_eq!(
            a.get("acme", &not_due.id).unwrap().status,
            ApprovalStatus::Pending
        );
        assert!(a.sweep().unwrap().is_empty(), "idempotent");
    }

    #[tokio::test]
    async fn wait_returns_when_a_human_decides() {
        let (a, _) = setup();
        let r = a.create(new("acme", RiskLevel::High)).unwrap();
        let waiter = {
            let a = a.clone();
            let id = r.id.clone();
            tokio::spawn(async move { a.wait("acme", &id, Duration::from_secs(30)).await })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        a.approve("acme", &r.id, "alice", "ok").unwrap();
        let got = tokio::time::timeout(Duration::from_secs(5), waiter)
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        assert_eq!(got.status, ApprovalStatus::Approved);
    }

    #[tokio::test]
    async fn wait_gives_up_after_max_wait_still_pending() {
        let (a, _) = setup();
        let r = a.create(new("acme", RiskLevel::High)).unwrap();
        let started = std::time::Instant::now();
        let got = a
            .wait("acme", &r.id, Duration::from_millis(30))
            .await
            .unwrap();
        assert_eq!(got.status, ApprovalStatus::Pending);
        assert!(started.elapsed() >= Duration::from_millis(30));
    }

    #[tokio::test]
    async fn wait_on_a_decided_request_returns_at_once() {
        let (a, _) = setup();
        let r = a.create(new("acme", RiskLevel::High)).unwrap();
        a.reject("acme", &r.id, "x", "no").unwrap();
        let got = tokio::time::timeout(
            Duration::from_millis(500),
            a.wait("acme", &r.id, Duration::from_secs(60)),
        )
        .await
        .unwrap()
        .unwrap();
        assert_eq!(got.status, ApprovalStatus::Rejected);
    }

    #[tokio::test]
    async fn wait_returns_escalated_at_the_timeout() {
        let (a, clock) = setup();
        let r = a.create(new("fast", RiskLevel::High)).unwrap();
        clock.advance(Duration::from_secs(60));
        let got = tokio::time::timeout(
            Duration::from_millis(500),
            a.wait("fast", &r.id, Duration::from_secs(60)),
        )
        .await
        .unwrap()
        .unwrap();
        assert_eq!(got.status, ApprovalStatus::Escalated);
    }
}
