//! [`Budgets`]: the in-memory counters behind every budget, with atomic
//! reserve / commit / release (see the concurrency guarantee in `budget/mod.rs`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use rust_decimal::Decimal;

use super::{BudgetError, Period, Scope};
use crate::store::SpendRecord;

/// Fraction of a budget at which a warning is logged and counted: early enough
/// to act on a monthly budget before requests start failing.
pub const DEFAULT_WARN_RATIO: Decimal = Decimal::from_parts(8, 0, 0, false, 1);

/// A limit and how often it resets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetLimit {
    /// USD.
    pub limit_usd: Decimal,
    /// Reset period.
    pub period: Period,
}

/// The budgets of one tenant.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TenantBudgets {
    /// The whole tenant.
    pub tenant: Option<BudgetLimit>,
    /// Each of its users separately.
    pub user: Option<BudgetLimit>,
    /// Each request (USD, no period).
    pub request: Option<Decimal>,
}

/// Validated `[budgets]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetConfig {
    /// All traffic.
    pub global: Option<BudgetLimit>,
    /// For tenants not listed in `tenants`.
    pub default: TenantBudgets,
    /// Per tenant.
    pub tenants: HashMap<String, TenantBudgets>,
    /// Warn when spend reaches this fraction of a limit.
    pub warn_ratio: Decimal,
}

impl Default for BudgetConfig {
    fn default() -> Self {
        Self {
            global: None,
            default: TenantBudgets::default(),
            tenants: HashMap::new(),
            warn_ratio: DEFAULT_WARN_RATIO,
        }
    }
}

impl BudgetConfig {
    fn for_tenant(&self, tenant: &str) -> &TenantBudgets {
        self.tenants.get(tenant).unwrap_or(&self.default)
    }
}

/// The tightest budget left for a (tenant, user), for the router's metadata
/// `budget-remaining-usd` / `budget-limit-usd`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Remaining {
    /// Limit minus spent minus reserved, never below zero.
    pub remaining_usd: Decimal,
    /// That budget's limit.
    pub limit_usd: Decimal,
    /// Which budget it is.
    pub scope: Scope,
    /// Its period.
    pub period: Period,
}

#[derive(Debug)]
struct Counter {
    scope: Scope,
    /// Tenant or `tenant/user`, for errors; `None` for global.
    who: Option<String>,
    limit: BudgetLimit,
    period_key: i64,
    spent: Decimal,
    reserved: Decimal,
    warned: bool,
}

impl Counter {
    fn new(scope: Scope, who: Option<String>, limit: BudgetLimit) -> Arc<Mutex<Self>> {
        Arc::new(Mutex::new(Self {
            scope,
            who,
            limit,
            period_key: i64::MIN,
            spent: Decimal::ZERO,
            reserved: Decimal::ZERO,
            warned: false,
        }))
    }

    /// Start a new period if `now_ms` is past the current one. Reservations carry
    /// over: they are settled in whichever period their commit lands in.
    fn roll(&mut self, now_ms: i64) {
        let key = self.limit.period.key(now_ms);
        if key != self.period_key {
            self.period_key = key;
            self.spent = Decimal::ZERO;
            self.warned = false;
        }
    }

    fn remaining(&self) -> Decimal {
        (self.limit.limit_usd - self.spent - self.reserved).max(Decimal::ZERO)
    }
}

type Shared = Arc<Mutex<Counter>>;

fn lock(c: &Shared) -> MutexGuard<'_, Counter> {
    c.lock().unwrap_or_else(|p| p.into_inner())
}

#[derive(Debug, Default)]
struct TenantAccounts {
    tenant: Option<Shared>,
    users: RwLock<HashMap<String, Shared>>,
}

/// Estimated cost held against up to three budgets until the call ends. Dropping
/// it releases the hold, so a cancelled or failed request cannot leak budget.
#[derive(Debug)]
#[must_use = "commit the actual cost or release the reservation"]
pub struct Reservation {
    /// In lock order: global, tenant, user.
    counters: [Option<Shared>; 3],
    estimate: Decimal,
}

impl Reservation {
    /// The reserved (estimated) cost.
    pub fn estimate(&self) -> Decimal {
        self.estimate
    }

    /// Give the reservation back without spending (the call failed).
    pub fn release(self) {}

    fn take(&mut self) -> [Option<Shared>; 3] {
        std::mem::take(&mut self.counters)
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        let estimate = self.estimate;
        for c in self.take().iter().flatten() {
            let mut c = lock(c);
            c.reserved = (c.reserved - estimate).max(Decimal::ZERO);
        }
    }
}

/// All budget counters. Counters are created on first sight of a tenant or user.
#[derive(Debug)]
pub struct Budgets {
    config: BudgetConfig,
    global: Option<Shared>,
    tenants: RwLock<HashMap<String, Arc<TenantAccounts>>>,
    warnings: AtomicU64,
    refusals: AtomicU64,
}

impl Budgets {
    /// Empty counters for `config`.
    pub fn new(config: BudgetConfig) -> Self {
        let global = config.global.map(|l| Counter::new(Scope::Global, None, l));
        Self {
            config,
            global,
            tenants: RwLock::default(),
            warnings: AtomicU64::new(0),
            refusals: AtomicU64::new(0),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &BudgetConfig {
        &self.config
    }

    /// Warnings raised so far (spend crossing `warn_ratio` of a budget, once per period).
    pub fn warnings_total(&self) -> u64 {
        self.warnings.load(Ordering::Relaxed)
    }

    /// Requests refused so far.
    pub fn refusals_total(&self) -> u64 {
        self.refusals.load(Ordering::Relaxed)
    }

    /// Atomically check and reserve `estimate` USD against every budget of (tenant, user).
    pub fn reserve(
        &self,
        tenant: &str,
        user: Option<&str>,
        estimate: Decimal,
        now_ms: i64,
    ) -> Result<Reservation, BudgetError> {
        if let Some(limit) = self.config.for_tenant(tenant).request
            && estimate > limit
        {
            self.refusals.fetch_add(1, Ordering::Relaxed);
            return Err(BudgetError::RequestTooExpensive { limit, estimate });
        }
        let counters = self.counters(tenant, user, true);
        let mut guards: [Option<MutexGuard<'_, Counter>>; 3] = [None, None, None];
        for (slot, c) in guards.iter_mut().zip(&counters) {
            *slot = c.as_ref().map(lock);
        }
        for g in guards.iter_mut().flatten() {
            g.roll(now_ms);
            if g.spent + g.reserved + estimate > g.limit.limit_usd {
                self.refusals.fetch_add(1, Ordering::Relaxed);
                return Err(BudgetError::Exhausted {
                    scope: g.scope,
                    who: g.who.clone(),
                    period: g.limit.period,
                    limit: g.limit.limit_usd,
                    spent: g.spent,
                    reserved: g.reserved,
                    estimate,
                });
            }
        }
        for g in guards.iter_mut().flatten() {
            g.reserved += estimate;
        }
        drop(guards);
        Ok(Reservation { counters, estimate })
    }

    /// Replace the reservation by the actual cost, counted in the period of `now_ms`.
    pub fn commit(&self, mut reservation: Reservation, actual: Decimal, now_ms: i64) {
        let estimate = reservation.estimate;
        for c in reservation.take().iter().flatten() {
            let mut c = lock(c);
            c.reserved = (c.reserved - estimate).max(Decimal::ZERO);
            c.roll(now_ms);
            c.spent += actual;
            self.maybe_warn(&mut c);
        }
    }

    /// Count already-committed spend (start-up recovery from the ledger): each record
    /// counts toward a budget only if it falls in that budget's current period.
    pub fn restore<'a>(&self, records: impl IntoIterator<Item = &'a SpendRecord>, now_ms: i64) {
        for r in records {
            for c in self
                .counters(&r.tenant, r.user.as_deref(), true)
                .iter()
                .flatten()
            {
                let mut c = lock(c);
                c.roll(now_ms);
                if r.at_ms >= c.limit.period.start_ms(now_ms) && r.at_ms <= now_ms {
                    c.spent += r.cost_usd;
                }
            }
        }
        for c in self.all_counters() {
            let mut c = lock(&c);
            c.roll(now_ms);
            self.maybe_warn(&mut c);
        }
    }

    /// Earliest timestamp whose spend can still count toward a current period.
    pub fn recovery_since(&self, now_ms: i64) -> i64 {
        let limits = self.config.global.iter().chain(
            self.config
                .tenants
                .values()
                .chain([&self.config.default])
                .flat_map(|t| t.tenant.iter().chain(t.user.iter())),
        );
        limits
            .map(|l| l.period.start_ms(now_ms))
            .min()
            .unwrap_or(now_ms)
    }

    /// The budget with the least left for (tenant, user), or `None` if no periodic
    /// budget applies. The per-request limit is not included: it is not a balance.
    pub fn remaining(&self, tenant: &str, user: Option<&str>, now_ms: i64) -> Option<Remaining> {
        let t = self.config.for_tenant(tenant);
        let candidates = [
            (Scope::Global, self.config.global),
            (Scope::Tenant, t.tenant),
            (Scope::User, user.and(t.user)),
        ];
        let existing = self.counters(tenant, user, false);
        candidates
            .iter()
            .zip(existing.iter())
            .filter_map(|((scope, limit), counter)| {
                let limit = (*limit)?;
                let remaining = match counter {
                    Some(c) => {
                        let mut c = lock(c);
                        c.roll(now_ms);
                        c.remaining()
                    }
                    None => limit.limit_usd,
                };
                Some(Remaining {
                    remaining_usd: remaining,
                    limit_usd: limit.limit_usd,
                    scope: *scope,
                    period: limit.period,
                })
            })
            .min_by_key(|r| r.remaining_usd)
    }

    fn maybe_warn(&self, c: &mut Counter) {
        if !c.warned && c.spent >= c.limit.limit_usd * self.config.warn_ratio {
            c.warned = true;
            self.warnings.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(
                scope = c.scope.as_str(),
                who = c.who.as_deref().unwrap_or("*"),
                period = c.limit.period.as_str(),
                limit_usd = %c.limit.limit_usd,
                spent_usd = %c.spent,
                "budget nearly exhausted"
            );
        }
    }

    /// Global, tenant and user counters that apply, in lock order. With `create`,
    /// missing ones are made (allocating once per tenant or user, never afterwards).
    fn counters(&self, tenant: &str, user: Option<&str>, create: bool) -> [Option<Shared>; 3] {
        let t = *self.config.for_tenant(tenant);
        let mut out = [self.global.clone(), None, None];
        if t.tenant.is_none() && (t.user.is_none() || user.is_none()) {
            return out;
        }
        let accounts = {
            let found = self
                .tenants
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .get(tenant)
                .cloned();
            match found {
                Some(a) => a,
                None if !create => return out,
                None => {
                    let mut w = self.tenants.write().unwrap_or_else(|p| p.into_inner());
                    w.entry(tenant.to_string())
                        .or_insert_with(|| {
                            Arc::new(TenantAccounts {
                                tenant: t.tenant.map(|l| {
                                    Counter::new(Scope::Tenant, Some(tenant.to_string()), l)
                                }),
                                users: RwLock::default(),
                            })
                        })
                        .clone()
                }
            }
        };
        out[1] = accounts.tenant.clone();
        if let (Some(limit), Some(user)) = (t.user, user) {
            let found = accounts
                .users
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .get(user)
                .cloned();
            out[2] = match found {
                Some(c) => Some(c),
                None if !create => None,
                None => {
                    let mut w = accounts.users.write().unwrap_or_else(|p| p.into_inner());
                    Some(
                        w.entry(user.to_string())
                            .or_insert_with(|| {
                                Counter::new(Scope::User, Some(format!("{tenant}/{user}")), limit)
                            })
                            .clone(),
                    )
                }
            };
        }
        out
    }

    fn all_counters(&self) -> Vec<Shared> {
        let mut all: Vec<Shared> = self.global.iter().cloned().collect();
        for a in self
            .tenants
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .values()
        {
            all.extend(a.tenant.iter().cloned());
            all.extend(
                a.users
                    .read()
                    .unwrap_or_else(|p| p.into_inner())
                    .values()
                    .cloned(),
            );
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::spend;

    /// 2024-02-29T13:00:00Z.
    const NOW: i64 = 1_709_211_600_000;
    const DAY: i64 = 86_400_000;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn limit(usd: &str, period: Period) -> Option<BudgetLimit> {
        Some(BudgetLimit {
            limit_usd: d(usd),
            period,
        })
    }

    fn budgets(global: Option<BudgetLimit>, tenant: TenantBudgets) -> Budgets {
        Budgets::new(BudgetConfig {
            global,
            default: tenant,
            ..BudgetConfig::default()
        })
    }

    fn usage(b: &Budgets, tenant: &str, user: Option<&str>) -> Vec<(Scope, Decimal, Decimal)> {
        b.counters(tenant, user, false)
            .iter()
            .flatten()
            .map(|c| {
                let c = lock(c);
                (c.scope, c.spent, c.reserved)
            })
            .collect()
    }

    #[test]
    fn reserve_then_commit_replaces_the_estimate_by_the_actual() {
        let b = budgets(
            limit("10", Period::Monthly),
            TenantBudgets {
                tenant: limit("5", Period::Daily),
                ..Default::default()
            },
        );
        let r = b.reserve("acme", None, d("1.00"), NOW).unwrap();
        assert_eq!(
            usage(&b, "acme", None),
            [
                (Scope::Global, d("0"), d("1.00")),
                (Scope::Tenant, d("0"), d("1.00"))
            ]
        );
        b.commit(r, d("0.25"), NOW);
        assert_eq!(
            usage(&b, "acme", None),
            [
                (Scope::Global, d("0.25"), d("0")),
                (Scope::Tenant, d("0.25"), d("0"))
            ]
        );
    }

    #[test]
    fn release_and_drop_give_the_reservation_back() {
        let b = budgets(limit("1", Period::Daily), TenantBudgets::default());
        b.reserve("acme", None, d("0.6"), NOW).unwrap().release();
        {
            let _r = b.reserve("acme", None, d("0.6"), NOW).unwrap();
            assert!(
                b.reserve("acme", None, d("0.6"), NOW).is_err(),
                "held while in flight"
            );
        }
        assert!(b.reserve("acme", None, d("1.0"), NOW).is_ok(), "dropped");
    }

    #[test]
    fn exhausted_budget_is_refused_naming_the_budget() {
        let b = budgets(
            None,
            TenantBudgets {
                user: limit("0.50", Period::Daily),
                ..Default::default()
            },
        );
        let r = b.reserve("acme", Some("bob"), d("0.40"), NOW).unwrap();
        b.commit(r, d("0.40"), NOW);
        let err = b.reserve("acme", Some("bob"), d("0.20"), NOW).unwrap_err();
        assert_eq!(
            err.to_string(),
            "budget exhausted: user `acme/bob` daily budget of 0.50 USD (spent 0.40, reserved 0.00, this request needs up to 0.20)"
        );
        assert!(
            b.reserve("acme", Some("alice"), d("0.20"), NOW).is_ok(),
            "per user"
        );
        assert!(
            b.reserve("acme", None, d("0.20"), NOW).is_ok(),
            "no user, no user budget"
        );
        assert_eq!(b.refusals_total(), 1);
    }

    #[test]
    fn refusal_by_one_scope_reserves_nothing_anywhere() {
        let b = budgets(
            limit("100", Period::Monthly),
            TenantBudgets {
                tenant: limit("1", Period::Monthly),
                ..Default::default()
            },
        );
        assert!(b.reserve("acme", None, d("2"), NOW).is_err());
        assert_eq!(
            usage(&b, "acme", None),
            [
                (Scope::Global, d("0"), d("0")),
                (Scope::Tenant, d("0"), d("0"))
            ]
        );
    }

    #[test]
    fn request_limit_checks_the_estimate_alone() {
        let b = budgets(
            None,
            TenantBudgets {
                request: Some(d("0.50")),
                ..Default::default()
            },
        );
        assert!(b.reserve("acme", None, d("0.50"), NOW).is_ok());
        let err = b.reserve("acme", None, d("0.51"), NOW).unwrap_err();
        assert_eq!(
            err,
            BudgetError::RequestTooExpensive {
                limit: d("0.50"),
                estimate: d("0.51")
            }
        );
        assert!(err.to_string().contains("request budget of 0.50 USD"));
    }

    #[test]
    fn periods_reset_spend_but_not_in_flight_reservations() {
        let b = budgets(limit("1", Period::Daily), TenantBudgets::default());
        let r = b.reserve("acme", None, d("0.5"), NOW).unwrap();
        b.commit(r, d("0.9"), NOW);
        assert!(b.reserve("acme", None, d("0.2"), NOW).is_err());
        let held = b.reserve("acme", None, d("0.4"), NOW + DAY).unwrap();
        assert!(
            b.reserve("acme", None, d("0.7"), NOW + DAY).is_err(),
            "the in-flight 0.4 still counts"
        );
        drop(held);
        assert!(b.reserve("acme", None, d("1"), NOW + DAY).is_ok());
    }

    #[test]
    fn warns_once_per_period_at_eighty_percent() {
        let b = budgets(limit("10", Period::Daily), TenantBudgets::default());
        for _ in 0..7 {
            let r = b.reserve("t", None, d("1"), NOW).unwrap();
            b.commit(r, d("1"), NOW);
        }
        assert_eq!(b.warnings_total(), 0);
        let r = b.reserve("t", None, d("1"), NOW).unwrap();
        b.commit(r, d("1"), NOW);
        assert_eq!(b.warnings_total(), 1);
        let r = b.reserve("t", None, d("1"), NOW).unwrap();
        b.commit(r, d("1"), NOW);
        assert_eq!(b.warnings_total(), 1, "once per period");
        for _ in 0..8 {
            let r = b.reserve("t", None, d("1"), NOW + DAY).unwrap();
            b.commit(r, d("1"), NOW + DAY);
        }
        assert_eq!(b.warnings_total(), 2, "again next period");
    }

    #[test]
    fn remaining_is_the_tightest_budget() {
        let b = Budgets::new(BudgetConfig {
            global: limit("100", Period::Monthly),
            default: TenantBudgets {
                tenant: limit("20", Period::Monthly),
                user: limit("5", Period::Daily),
                request: Some(d("1")),
            },
            ..BudgetConfig::default()
        });
        let none = budgets(None, TenantBudgets::default());
        assert_eq!(none.remaining("acme", Some("bob"), NOW), None);
        let r = b.remaining("acme", Some("bob"), NOW).unwrap();
        assert_eq!(
            (r.scope, r.remaining_usd, r.limit_usd),
            (Scope::User, d("5"), d("5"))
        );
        let r = b.remaining("acme", None, NOW).unwrap();
        assert_eq!((r.scope, r.remaining_usd), (Scope::Tenant, d("20")));
        let res = b.reserve("acme", None, d("1"), NOW).unwrap();
        b.commit(res, d("1"), NOW);
        for i in 0..16 {
            let user = format!("u{}", i / 4);
            let res = b.reserve("acme", Some(&user), d("1"), NOW).unwrap();
            b.commit(res, d("1"), NOW);
        }
        let r = b.remaining("acme", Some("bob"), NOW).unwrap();
        assert_eq!(
            (r.scope, r.remaining_usd, r.limit_usd),
            (Scope::Tenant, d("3"), d("20"))
        );
    }

    #[test]
    fn restore_counts_only_the_current_periods() {
        let b = budgets(
            limit("100", Period::Monthly),
            TenantBudgets {
                user: limit("10", Period::Daily),
                ..Default::default()
            },
        );
        let records = [
            spend("old", "acme", Some("bob"), "50", NOW - 40 * DAY),
            spend("month", "acme", Some("bob"), "3", NOW - 2 * DAY),
            spend("today", "acme", Some("bob"), "4", NOW - 1000),
        ];
        b.restore(&records, NOW);
        assert_eq!(
            usage(&b, "acme", Some("bob")),
            [
                (Scope::Global, d("7"), d("0")),
                (Scope::User, d("4"), d("0"))
            ]
        );
        assert_eq!(b.recovery_since(NOW), Period::Monthly.start_ms(NOW));
        let all_time = budgets(limit("1", Period::AllTime), TenantBudgets::default());
        assert_eq!(all_time.recovery_since(NOW), i64::MIN);
    }

    #[test]
    fn concurrent_reservations_never_overspend() {
        let b = budgets(
            limit("10.00", Period::AllTime),
            TenantBudgets {
                tenant: limit("8.00", Period::AllTime),
                ..Default::default()
            },
        );
        let admitted = AtomicU64::new(0);
        let violated = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            for i in 0..8u64 {
                let (b, admitted) = (&b, &admitted);
                s.spawn(move || {
                    for j in 0..400u64 {
                        let tenant = if (i + j) % 2 == 0 { "acme" } else { "beta" };
                        if let Ok(r) = b.reserve(tenant, None, d("0.01"), NOW) {
                            admitted.fetch_add(1, Ordering::Relaxed);
                            // Some calls fail (release), the rest cost at most their estimate.
                            match j % 3 {
                                0 => r.release(),
                                1 => b.commit(r, d("0.005"), NOW),
                                _ => b.commit(r, d("0.01"), NOW),
                            }
                        }
                    }
                });
            }
            s.spawn(|| {
                for _ in 0..2000 {
                    for c in b.all_counters() {
                        let c = lock(&c);
                        if c.spent + c.reserved > c.limit.limit_usd {
                            violated.store(true, Ordering::Relaxed);
                        }
                    }
                }
            });
        });
        assert!(
            !violated.load(Ordering::Relaxed),
            "spent + reserved exceeded a limit"
        );
        let global = usage(&b, "acme", None)[0];
        assert!(global.1 <= d("10.00"), "global spent {}", global.1);
        assert_eq!(global.2, d("0"), "no reservation leaked");
        for t in ["acme", "beta"] {
            let tenant = usage(&b, t, None)[1];
            assert!(tenant.1 <= d("8.00"), "{t} spent {}", tenant.1);
        }
        assert!(
            admitted.load(Ordering::Relaxed) >= 1000,
            "released and under-cost reservations free room"
        );
    }

    #[test]
    fn concurrent_exact_estimates_fill_the_budget_exactly() {
        let b = budgets(limit("5.00", Period::Daily), TenantBudgets::default());
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    for _ in 0..200 {
                        if let Ok(r) = b.reserve("t", None, d("0.01"), NOW) {
                            b.commit(r, d("0.01"), NOW);
                        }
                    }
                });
            }
        });
        assert_eq!(usage(&b, "t", None), [(Scope::Global, d("5.00"), d("0"))]);
    }
}
