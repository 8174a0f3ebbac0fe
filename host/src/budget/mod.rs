//! Money: what a call costs ([`PriceTable`]), which budgets it must fit
//! ([`Budgets`]) and the durable ledger of what was spent ([`Ledger`]).
//!
//! The request path: before the call, [`Ledger::reserve`] prices the request's
//! estimated usage and reserves it against every budget that applies (request,
//! user, tenant, global); after the call, [`Ledger::commit`] writes the actual
//! cost to the store (once per call, keyed by request id) and replaces the
//! reservation by it;
//! a failed call drops (or [`Reservation::release`]s) the reservation.
//!
//! # Concurrency guarantee
//!
//! Each periodic budget (global, tenant, user) is one counter under its own
//! mutex. A reservation locks the counters that apply in a fixed order (global →
//! tenant → user, so no deadlock), checks `spent + reserved + estimate <= limit`
//! for every one of them, and only then adds the estimate to each: the check and
//! the reservation are one atomic step. Hence, at every admission, in-flight
//! estimates plus committed spend never exceed any limit. A budget can end up over
//! its limit only when actual costs exceed their estimates, by at most the sum of
//! those excesses for requests in flight at the same time; the next reservation
//! then sees the overrun and is refused. `concurrent_reservations_never_overspend`
//! in `book.rs` tests this with many threads, and `tests/e2e/gateway_durability.rs`
//! with concurrent requests through the gateway.
//!
//! The `[budgets]`, `[prices]`, `[rate_limits]`, `[approvals]`, `[resilience]` and
//! `[store]` config sections live in [`config`].

mod book;
pub mod config;
mod ledger;
mod period;
mod price;

use rust_decimal::Decimal;

pub use book::{
    BudgetConfig, BudgetLimit, Budgets, DEFAULT_WARN_RATIO, Remaining, Reservation, TenantBudgets,
};
pub use ledger::{Committed, Ledger, LedgerError};
pub use period::Period;
pub use price::{
    CHARS_PER_TOKEN, DEFAULT_OUTPUT_ESTIMATE, DEFAULT_PRICES, Price, PriceTable, Usage,
};

/// Which budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// The cost of a single request.
    Request,
    /// One end user of a tenant.
    User,
    /// A whole tenant.
    Tenant,
    /// Everything through this gateway.
    Global,
}

impl Scope {
    /// Lowercase name for errors and metrics labels.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Request => "request",
            Scope::User => "user",
            Scope::Tenant => "tenant",
            Scope::Global => "global",
        }
    }
}

/// A request refused because a budget cannot cover its estimated cost. The message
/// names the budget (scope and who, period, limit) so the client knows which one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BudgetError {
    /// A periodic budget would be exceeded.
    #[error(
        "budget exhausted: {scope} {who}{period} budget of {limit} USD \
         (spent {spent}, reserved {reserved}, this request needs up to {estimate})",
        scope = scope.as_str(),
        who = who.as_deref().map(|w| format!("`{w}` ")).unwrap_or_default(),
        period = period.as_str()
    )]
    Exhausted {
        /// Which budget.
        scope: Scope,
        /// The tenant or `tenant/user`; `None` for global.
        who: Option<String>,
        /// Its period.
        period: Period,
        /// Its limit in USD.
        limit: Decimal,
        /// Spent in the current period.
        spent: Decimal,
        /// Reserved by requests in flight.
        reserved: Decimal,
        /// This request's estimated cost.
        estimate: Decimal,
    },
    /// The estimate alone is above the per-request limit.
    #[error(
        "budget exceeded: request budget of {limit} USD per request, this request needs up to {estimate}"
    )]
    RequestTooExpensive {
        /// The per-request limit.
        limit: Decimal,
        /// This request's estimated cost.
        estimate: Decimal,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exhausted_error_names_scope_period_and_limit() {
        let e = BudgetError::Exhausted {
            scope: Scope::Tenant,
            who: Some("acme".into()),
            period: Period::Monthly,
            limit: "50.00".parse().unwrap(),
            spent: "49.99".parse().unwrap(),
            reserved: "0".parse().unwrap(),
            estimate: "0.02".parse().unwrap(),
        };
        assert_eq!(
            e.to_string(),
            "budget exhausted: tenant `acme` monthly budget of 50.00 USD (spent 49.99, reserved 0, this request needs up to 0.02)"
        );
        let BudgetError::Exhausted {
            limit,
            spent,
            reserved,
            estimate,
            ..
        } = e
        else {
            unreachable!()
        };
        let g = BudgetError::Exhausted {
            scope: Scope::Global,
            who: None,
            period: Period::AllTime,
            limit,
            spent,
            reserved,
            estimate,
        };
        assert!(
            g.to_string()
                .starts_with("budget exhausted: global all-time budget of 50.00 USD"),
            "{g}"
        );
    }
}
