//! Rate limits and budgets around the upstream call.
//!
//! Order in a chat request: authenticate → parse → **rate limit** (tenant, then
//! the API key's hash; 429 + `Retry-After`) → request chain (with
//! `budget-remaining-usd` / `budget-limit-usd` metadata, so the router steps
//! down when money is short) → **reserve** the estimated cost on the model the
//! chain settled on (429 `budget_exceeded` naming the budget) → upstream →
//! [`Billing::settle`] commits the reported usage under the request id. A
//! failed call drops the [`Billing`], and with it the reservation.

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::Gateway;
use super::error::{ClientError, GatewayError, bad_request};
use crate::budget::{Ledger, LedgerError, PriceTable, Remaining, Reservation, Usage};
use crate::config::Config;
use crate::ratelimit::RateLimiter;
use crate::store::{SqliteStore, Store, StoreError};

/// The runtime side of `[rate_limits]`, `[budgets]`, `[prices]` and `[store]`.
#[derive(Debug)]
pub struct Controls {
    /// Per tenant and per key limits (unlimited when not configured).
    pub rate: RateLimiter,
    /// Budgets and the spend ledger, when the store is open.
    pub ledger: Option<Ledger>,
    /// The durable store, when opened (see [`Config::store_needed`]).
    pub store: Option<Arc<dyn Store>>,
    /// Prices (also used for the cost metric when no store is open).
    pub prices: PriceTable,
}

impl Controls {
    /// Build from the validated config; opens the store only when needed.
    pub fn open(config: &Config) -> Result<Self, StoreError> {
        let c = &config.controls;
        let store: Option<Arc<dyn Store>> = if config.store_needed() {
            Some(Arc::new(SqliteStore::open_with(&c.data_dir, c.spend_sync)?))
        } else {
            None
        };
        let ledger = match &store {
            Some(s) => Some(Ledger::open(
                s.clone(),
                c.budgets.clone(),
                c.prices.clone(),
                SystemTime::now(),
            )?),
            None => None,
        };
        Ok(Self {
            rate: RateLimiter::new(c.rate_limits.clone(), Instant::now()),
            ledger,
            store,
            prices: c.prices.clone(),
        })
    }
}

/// The request's `max_tokens` (either API) or OpenAI's `max_completion_tokens`.
pub fn max_tokens(body: &serde_json::Value) -> Option<u64> {
    body["max_completion_tokens"]
        .as_u64()
        .or_else(|| body["max_tokens"].as_u64())
}

/// What one request holds until its usage is known: a budget reservation and
/// the rate limiter's token estimate. Dropping it releases the reservation.
#[derive(Debug)]
pub struct Billing {
    reservation: Option<Reservation>,
    request_id: String,
    tenant: String,
    user: Option<String>,
    key: Option<String>,
    estimate: Usage,
}

impl Gateway {
    /// Admit the request under `[rate_limits]`, or 429 with `Retry-After`.
    pub(super) fn check_rate(
        &self,
        tenant: &str,
        key: Option<&str>,
        estimate: Usage,
    ) -> Result<(), GatewayError> {
        self.controls
            .rate
            .check(tenant, key, estimate.total(), Instant::now())
            .map_err(|r| {
                self.metrics.rate_limited.with_label_values(&[tenant]).inc();
                ClientError::RateLimited {
                    tenant: tenant.to_string(),
                    retry_after_secs: r.header_secs().max(1),
                }
                .into()
            })
    }

    /// The tightest budget left for (tenant, user), if any budget applies.
    pub(super) fn remaining(&self, tenant: &str, user: Option<&str>) -> Option<Remaining> {
        self.controls
            .ledger
            .as_ref()?
            .remaining(tenant, user, SystemTime::now())
    }

    /// Reserve the estimated cost of calling `model`, or refuse (429 naming the
    /// budget). An unpriced model passes when no budget applies to the tenant
    /// (nothing to protect), and is a 400 when one does.
    pub(super) fn reserve(
        &self,
        request_id: &str,
        tenant: &str,
        user: Option<&str>,
        key: Option<&str>,
        model: &str,
        estimate: Usage,
    ) -> Result<Billing, GatewayError> {
        let reservation = match &self.controls.ledger {
            None => None,
            Some(ledger) => {
                match ledger.reserve(tenant, user, model, estimate, SystemTime::now()) {
                    Ok(r) => Some(r),
                    Err(LedgerError::UnknownModel { .. })
                        if !budget_applies(ledger, tenant, user) =>
                    {
                        None
                    }
                    Err(LedgerError::Budget(e)) => {
                        let scope = match &e {
                            crate::budget::BudgetError::Exhausted { scope, .. } => scope.as_str(),
                            crate::budget::BudgetError::RequestTooExpensive { .. } => "request",
                        };
                        self.metrics
                            .budget_refused
                            .with_label_values(&[tenant, scope])
                            .inc();
                        return Err(ClientError::BudgetExceeded(e.to_string()).into());
                    }
                    Err(e) => return Err(bad_request(e.to_string())),
                }
            }
        };
        Ok(Billing {
            reservation,
            request_id: request_id.to_string(),
            tenant: tenant.to_string(),
            user: user.map(str::to_string),
            key: key.map(str::to_string),
            estimate,
        })
    }
}

fn budget_applies(ledger: &Ledger, tenant: &str, user: Option<&str>) -> bool {
    let c = ledger.budgets().config();
    let t = c.tenants.get(tenant).unwrap_or(&c.default);
    t.request.is_some() || ledger.remaining(tenant, user, SystemTime::now()).is_some()
}

impl Billing {
    /// After the call: charge the usage the upstream reported (the estimate for
    /// whatever it did not report) to the ledger, the rate limiter and the
    /// metrics. Returns once the spend record is durable; the wait (an fsync
    /// that concurrent requests share, see `store::SpendWriter`) never blocks
    /// a reactor thread.
    pub async fn settle(self, gw: &Arc<Gateway>, model: &str, usage: (Option<u64>, Option<u64>)) {
        let actual = Usage {
            input_tokens: usage.0.unwrap_or(self.estimate.input_tokens),
            output_tokens: usage.1.unwrap_or(self.estimate.output_tokens),
        };
        gw.controls.rate.settle(
            &self.tenant,
            self.key.as_deref(),
            self.estimate.total(),
            actual.total(),
            Instant::now(),
        );
        let mut cost = gw.controls.prices.cost(model, actual);
        if let (Some(ledger), Some(reservation)) = (&gw.controls.ledger, self.reservation) {
            let committed = ledger
                .commit_async(
                    reservation,
                    &self.request_id,
                    &self.tenant,
                    self.user.as_deref(),
                    model,
                    actual,
                    SystemTime::now(),
                )
                .await;
            let remaining = ledger.remaining(&self.tenant, self.user.as_deref(), SystemTime::now());
            match committed {
                Ok(c) => cost = Some(c.cost_usd),
                Err(e) => tracing::error!(
                    request_id = %self.request_id,
                    tenant = %self.tenant,
                    error = %e,
                    "could not record spend durably (counted in memory)"
                ),
            }
            if let Some(r) = remaining
                && r.limit_usd > Decimal::ZERO
            {
                let used = (r.limit_usd - r.remaining_usd) / r.limit_usd;
                gw.metrics
                    .budget_utilisation
                    .with_label_values(&[r.scope.as_str(), self.tenant.as_str()])
                    .set(used.to_f64().unwrap_or(0.0));
            }
        }
        if let Some(c) = cost {
            gw.metrics
                .cost_usd
                .with_label_values(&[self.tenant.as_str(), model])
                .inc_by(c.to_f64().unwrap_or(0.0));
        }
    }
}
