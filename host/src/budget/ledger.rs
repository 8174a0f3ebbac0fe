//! [`Ledger`]: prices, budgets and the durable store together — the two calls
//! the gateway makes around every upstream call.

use std::sync::Arc;
use std::time::SystemTime;

use rust_decimal::Decimal;

use super::{BudgetConfig, BudgetError, Budgets, PriceTable, Remaining, Reservation, Usage};
use crate::resilience::random_u64;
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
    /// No free ledger id could be found for the request (the store keeps
    /// saying every candidate exists): the spend is counted in memory only.
    #[error("no free ledger id for request `{request_id}` after {attempts} attempts")]
    NoFreeId {
        /// The request id.
        request_id: String,
        /// Ids tried.
        attempts: usize,
    },
}

/// Ids tried by [`Ledger::commit`] before giving up: the first is the request
/// id, the others carry a random 64-bit suffix, so a second collision means a
/// broken store rather than bad luck.
const LEDGER_ID_ATTEMPTS: usize = 4;

/// The outcome of [`Ledger::commit`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    /// The actual cost in USD.
    pub cost_usd: Decimal,
    /// The key the call was recorded under: the request id, or
    /// `<request id>#<16 hex digits>` when that id had been charged before.
    pub ledger_id: String,
}

/// Drive `f` to completion on this thread. The ledger's futures only wait for
/// the store's writer thread, which wakes them; no runtime is needed.
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Arc::new(Unpark(std::thread::current())).into();
    let mut cx = std::task::Context::from_waker(&waker);
    let mut f = std::pin::pin!(f);
    loop {
        if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
        std::thread::park();
    }
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
    /// and replace the reservation by it. Every call is charged exactly once: a
    /// call whose request id was already charged (a client reusing or replaying
    /// an `x-request-id`, which reaches the upstream again and costs money again,
    /// or two tenants choosing the same id) is recorded under
    /// `<request id>#<random suffix>`; skipping it would let a client spend past
    /// its budget by repeating one id. If the store fails, the spend is still
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
        block_on(self.commit_async(reservation, request_id, tenant, user, model, actual, now))
    }

    /// [`Ledger::commit`] for async callers: same contract, but waiting for the
    /// record to be durable never blocks the caller's thread (the store batches
    /// concurrent records into one write).
    #[allow(clippy::too_many_arguments, reason = "the same arguments as `commit`")]
    pub async fn commit_async(
        &self,
        reservation: Reservation,
        request_id: &str,
        tenant: &str,
        user: Option<&str>,
        model: &str,
        actual: Usage,
        now: SystemTime,
    ) -> Result<Committed, LedgerError> {
        let (cost, mut record) =
            self.charge(reservation, request_id, tenant, user, model, actual, now);
        for _ in 0..LEDGER_ID_ATTEMPTS {
            if self.store.record_spend_async(record.clone()).await? {
                return Ok(Committed {
                    cost_usd: cost,
                    ledger_id: record.request_id,
                });
            }
            record.request_id = format!("{request_id}#{:016x}", random_u64());
        }
        Err(LedgerError::NoFreeId {
            request_id: request_id.to_string(),
            attempts: LEDGER_ID_ATTEMPTS,
        })
    }

    /// Price the call, replace the reservation by its cost in memory (the call
    /// happened, whatever the store says next) and build its record.
    #[allow(clippy::too_many_arguments, reason = "the same arguments as `commit`")]
    fn charge(
        &self,
        reservation: Reservation,
        request_id: &str,
        tenant: &str,
        user: Option<&str>,
        model: &str,
        actual: Usage,
        now: SystemTime,
    ) -> (Decimal, SpendRecord) {
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
        self.budgets.commit(reservation, cost, at_ms);
        (cost, record)
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
                ledger_id: "req-1".into(),
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

    /// A reused request id is a new upstream call: charged again, under a new
    /// ledger id, never free (else repeating one id would bypass the budget).
    #[test]
    fn a_reused_request_id_is_charged_for_every_call() {
        let store = Arc::new(MemoryStore::new());
        let ledger = Ledger::open(store.clone(), config(), PriceTable::default(), now()).unwrap();
        let mut ids = Vec::new();
        for _ in 0..3 {
            let r = ledger
                .reserve("acme", None, "gpt-4o", USAGE, now())
                .unwrap();
            let c = ledger
                .commit(r, "same-id", "acme", None, "gpt-4o", USAGE, now())
                .unwrap();
            ids.push(c.ledger_id);
        }
        assert_eq!(ids[0], "same-id");
        assert!(
            ids[1].starts_with("same-id#") && ids[2].starts_with("same-id#"),
            "{ids:?}"
        );
        assert_ne!(ids[1], ids[2]);
        assert_eq!(
            ledger.remaining("acme", None, now()).unwrap().remaining_usd,
            d("0.9625")
        );
        let rows = store.spend_since(0).unwrap();
        assert_eq!(
            rows.iter()
                .map(|r| r.request_id.clone())
                .collect::<Vec<_>>(),
            ids
        );
        // After a restart the usage comes back from those three records.
        let again = Ledger::open(store, config(), PriceTable::default(), now()).unwrap();
        assert_eq!(
            again.remaining("acme", None, now()).unwrap().remaining_usd,
            d("0.9625")
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
