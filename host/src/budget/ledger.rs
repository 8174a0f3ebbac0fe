//! [`Ledger`]: prices, budgets and the durable store together — the two calls
//! the gateway makes around every upstream call.

use std::sync::Arc;
use std::time::SystemTime;

use rust_decimal::Decimal;

use super::{BudgetConfig, BudgetError, Budgets, PriceTable, Remaining, Reservation, Usage};
use crate::store::{SpendRecord, Store, StoreError, unix_ms};

/// Why a reservation or commit failed.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// A budget refused the request.
    #[error(transparent)]
    Budget(#[from] BudgetError),
    /// No price is configured for the model, so its cost cannot be bounded.
    #[error("no price for model `{model}`: add [prices.\"{model}\"] to the config")]
    UnknownModel {
        /// The model.
        model: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The outcome of [`Ledger::commit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Committed {
    /// The actual cost in USD.
    pub cost_usd: Decimal,
    /// `true` when this request id had already been recorded: nothing was counted again.
    pub duplicate: bool,
}

/// Prices, budgets and the spend ledger.
#[derive(Debug)]
pub struct Ledger {
    store: Arc<dyn Store>,
    budgets: Budgets,
    prices: PriceTable,
}

impl Ledger {
    /// Budgets for `config`, with usage of the current periods recomputed from the
    /// store's ledger (the ledger is the only durable copy of usage).
    pub fn open(
        store: Arc<dyn Store>,
        config: BudgetConfig,
        prices: PriceTable,
        now: SystemTime,
    ) -> Result<Self, StoreError> {
        let budgets = Budgets::new(config);
        let now_ms = unix_ms(now);
        let records = store.spend_since(budgets.recovery_since(now_ms))?;
        budgets.restore(&records, now_ms);
        Ok(Self {
            store,
            budgets,
            prices,
        })
    }

    /// The budgets (counters, warnings).
    pub fn budgets(&self) -> &Budgets {
        &self.budgets
    }

    /// The price table.
    pub fn prices(&self) -> &PriceTable {
        &self.prices
    }

    /// Before the call: price `estimate` on `model` and reserve it against every
    /// budget of (tenant, user).
    pub fn reserve(
        &self,
        tenant: &str,
        user: Option<&str>,
        model: &str,
        estimate: Usage,
        now: SystemTime,
    ) -> Result<Reservation, LedgerError> {
        let cost = self
            .prices
            .cost(model, estimate)
            .ok_or_else(|| LedgerError::UnknownModel {
                model: model.to_string(),
            })?;
        Ok(self.budgets.reserve(tenant, user, cost, unix_ms(now))?)
    }

    /// After a successful call: record the actual cost durably under `request_id`
    /// and replace the reservation by it. A request id seen before is not counted
    /// again (its reservation is released). If the store fails, the spend is still
    /// counted in memory (the money is gone either way) and the error is returned
    /// so the gateway can log and alert.
    #[allow(
        clippy::too_many_arguments,
        reason = "the gateway has each of these at hand; a struct would only be built to be taken apart"
    )]
    pub fn commit(
        &self,
        reservation: Reservation,
        request_id: &str,
        tenant: &str,
        user: Option<&str>,
        model: &str,
        actual: Usage,
        now: SystemTime,
    ) -> Result<Committed, LedgerError> {
        // Unpriced models were refused at reserve; a fallback model switched in
        // after reserving falls back to the reserved estimate rather than zero.
        let cost = self
            .prices
            .cost(model, actual)
            .unwrap_or(reservation.estimate());
        let at_ms = unix_ms(now);
        let record = SpendRecord {
            request_id: request_id.to_string(),
            tenant: tenant.to_string(),
            user: user.map(str::to_string),
            model: model.to_string(),
            input_tokens: actual.input_tokens,
            output_tokens: actual.output_tokens,
            cost_usd: cost,
            at_ms,
        };
        match self.store.record_spend(&record) {
            Ok(true) => {
                self.budgets.commit(reservation, cost, at_ms);
                Ok(Committed {
                    cost_usd: cost,
                    duplicate: false,
                })
            }
            Ok(false) => {
                reservation.release();
                Ok(Committed {
                    cost_usd: cost,
                    duplicate: true,
                })
            }
            Err(e) => {
                self.budgets.commit(reservation, cost, at_ms);
                Err(e.into())
            }
        }
    }

    /// The tightest remaining budget for the router's metadata.
    pub fn remaining(
        &self,
        tenant: &str,
        user: Option<&str>,
        now: SystemTime,
    ) -> Option<Remaining> {
        self.budgets.remaining(tenant, user, unix_ms(now))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::budget::{BudgetLimit, Period, Scope, TenantBudgets};
    use crate::store::tests::TempDir;
    use crate::store::{MemoryStore, SqliteStore};

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn config() -> BudgetConfig {
        BudgetConfig {
            default: TenantBudgets {
                tenant: Some(BudgetLimit {
                    limit_usd: d("1.00"),
                    period: Period::Monthly,
                }),
                ..TenantBudgets::default()
            },
            ..BudgetConfig::default()
        }
    }

    /// 1,000 input + 1,000 output tokens of gpt-4o: 0.0125 USD.
    const USAGE: Usage = Usage {
        input_tokens: 1000,
        output_tokens: 1000,
    };

    fn now() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_709_211_600)
    }

    #[test]
    fn reserve_prices_the_estimate_and_commit_records_the_actual() {
        let store = Arc::new(MemoryStore::new());
        let ledger = Ledger::open(store.clone(), config(), PriceTable::default(), now()).unwrap();
        let r = ledger
            .reserve(
                "acme",
                Some("bob"),
                "gpt-4o",
                Usage {
                    input_tokens: 1000,
                    output_tokens: 4000,
                },
                now(),
            )
            .unwrap();
        assert_eq!(r.estimate(), d("0.0425"));
        let c = ledger
            .commit(r, "req-1", "acme", Some("bob"), "gpt-4o", USAGE, now())
            .unwrap();
        assert_eq!(
            c,
            Committed {
                cost_usd: d("0.0125"),
                duplicate: false
            }
        );
        let rows = store.spend_since(0).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].user.as_deref(), rows[0].cost_usd),
            (Some("bob"), d("0.0125"))
        );
        let rem = ledger.remaining("acme", None, now()).unwrap();
        assert_eq!(
            (rem.scope, rem.remaining_usd, rem.limit_usd),
            (Scope::Tenant, d("0.9875"), d("1.00"))
        );
    }

    #[test]
    fn replayed_request_id_is_not_counted_twice() {
        let ledger = Ledger::open(
            Arc::new(MemoryStore::new()),
            config(),
            PriceTable::default(),
            now(),
        )
        .unwrap();
        for _ in 0..3 {
            let r = ledger
                .reserve("acme", None, "gpt-4o", USAGE, now())
                .unwrap();
            ledger
                .commit(r, "same-id", "acme", None, "gpt-4o", USAGE, now())
                .unwrap();
        }
        assert_eq!(
            ledger.remaining("acme", None, now()).unwrap().remaining_usd,
            d("0.9875")
        );
    }

    #[test]
    fn unknown_model_is_refused_at_reserve() {
        let ledger = Ledger::open(
            Arc::new(MemoryStore::new()),
            config(),
            PriceTable::default(),
            now(),
        )
        .unwrap();
        let err = ledger
            .reserve("acme", None, "llama-9", USAGE, now())
            .unwrap_err();
        assert!(err.to_string().contains("[prices.\"llama-9\"]"), "{err}");
    }

    #[test]
    fn budget_refusal_passes_through() {
        let ledger = Ledger::open(
            Arc::new(MemoryStore::new()),
            config(),
            PriceTable::default(),
            now(),
        )
        .unwrap();
        let huge = Usage {
            input_tokens: 10_000_000,
            output_tokens: 0,
        };
        assert!(matches!(
            ledger.reserve("acme", None, "gpt-4o", huge, now()),
            Err(LedgerError::Budget(_))
        ));
    }

    #[test]
    fn usage_survives_a_restart_through_the_sqlite_ledger() {
        let dir = TempDir::new("ledger");
        {
            let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&dir.0).unwrap());
            let ledger = Ledger::open(store, config(), PriceTable::default(), now()).unwrap();
            let big = Usage {
                input_tokens: 100_000,
                output_tokens: 70_000,
            }; // 0.25 + 0.70 = 0.95
            let r = ledger.reserve("acme", None, "gpt-4o", big, now()).unwrap();
            ledger
                .commit(r, "req-1", "acme", None, "gpt-4o", big, now())
                .unwrap();
        }
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&dir.0).unwrap());
        let ledger = Ledger::open(store, config(), PriceTable::default(), now()).unwrap();
        assert_eq!(
            ledger.remaining("acme", None, now()).unwrap().remaining_usd,
            d("0.05")
        );
        assert!(
            ledger
                .reserve(
                    "acme",
                    None,
                    "gpt-4o",
                    Usage {
                        input_tokens: 0,
                        output_tokens: 6000
                    },
                    now()
                )
                .is_err()
        );
        let next_month = now() + Duration::from_secs(31 * 86_400);
        let ledger = Ledger::open(
            Arc::new(SqliteStore::open(&dir.0).unwrap()),
            config(),
            PriceTable::default(),
            next_month,
        )
        .unwrap();
        assert_eq!(
            ledger
                .remaining("acme", None, next_month)
                .unwrap()
                .remaining_usd,
            d("1.00")
        );
    }
}
