//! Prices per model, in USD per 1,000 tokens, and the cost of a call. Money is
//! `Decimal` throughout: floats cannot represent 0.00015 exactly, and summed
//! over millions of calls the error becomes a visible wrong total.

use std::collections::HashMap;

use rust_decimal::Decimal;

/// Characters per token for estimates before the call: the common English
/// rule of thumb for GPT/Claude tokenisers; estimates only reserve budget, the
/// upstream's reported usage is what gets charged.
pub const CHARS_PER_TOKEN: u64 = 4;

/// Output tokens assumed when the request sets no `max_tokens`: a long answer,
/// so the reservation errs on the high side.
pub const DEFAULT_OUTPUT_ESTIMATE: u64 = 1024;

/// Built-in prices (USD per 1,000 input / output tokens), from the providers'
/// public price lists; `[prices."model"]` overrides or adds.
pub const DEFAULT_PRICES: &[(&str, &str, &str)] = &[
    ("gpt-4o-mini", "0.00015", "0.0006"),
    ("gpt-4o", "0.0025", "0.01"),
    ("o1", "0.015", "0.06"),
    ("o3-mini", "0.0011", "0.0044"),
    ("claude-3-5-haiku", "0.0008", "0.004"),
    ("claude-3-5-sonnet", "0.003", "0.015"),
    ("claude-3-opus", "0.015", "0.075"),
    ("mock", "0", "0"),
];

/// Token counts of one call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Prompt tokens.
    pub input_tokens: u64,
    /// Completion tokens.
    pub output_tokens: u64,
}

impl Usage {
    /// Estimate before the call from the request's message text length and its
    /// `max_tokens` (or [`DEFAULT_OUTPUT_ESTIMATE`]).
    pub fn estimate(input_chars: usize, max_output_tokens: Option<u64>) -> Self {
        let chars = u64::try_from(input_chars).unwrap_or(u64::MAX);
        Self {
            input_tokens: chars.div_ceil(CHARS_PER_TOKEN),
            output_tokens: max_output_tokens.unwrap_or(DEFAULT_OUTPUT_ESTIMATE),
        }
    }

    /// Input plus output, for tokens-per-minute limits.
    pub fn total(self) -> u64 {
        self.input_tokens.saturating_add(self.output_tokens)
    }
}

/// USD per 1,000 tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Price {
    /// Per 1,000 input tokens.
    pub input_per_1k: Decimal,
    /// Per 1,000 output tokens.
    pub output_per_1k: Decimal,
}

impl Price {
    /// Exact cost of `usage`.
    pub fn cost(self, usage: Usage) -> Decimal {
        let thousand = Decimal::from(1000u32);
        (self.input_per_1k * Decimal::from(usage.input_tokens)
            + self.output_per_1k * Decimal::from(usage.output_tokens))
            / thousand
    }
}

/// Prices by model name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceTable {
    prices: HashMap<String, Price>,
}

impl Default for PriceTable {
    fn default() -> Self {
        let prices = DEFAULT_PRICES
            .iter()
            .map(|(m, i, o)| {
                let price = Price {
                    input_per_1k: i.parse().unwrap_or(Decimal::ZERO),
                    output_per_1k: o.parse().unwrap_or(Decimal::ZERO),
                };
                ((*m).to_string(), price)
            })
            .collect();
        Self { prices }
    }
}

impl PriceTable {
    /// The defaults with `overrides` replacing or adding models.
    pub fn with_overrides(overrides: impl IntoIterator<Item = (String, Price)>) -> Self {
        let mut t = Self::default();
        t.prices.extend(overrides);
        t
    }

    /// The price of `model`: an exact match, else the longest configured name that
    /// prefixes it followed by `-` (so dated snapshots such as
    /// `gpt-4o-mini-2024-07-18` take `gpt-4o-mini`'s price, not `gpt-4o`'s).
    pub fn price(&self, model: &str) -> Option<Price> {
        if let Some(p) = self.prices.get(model) {
            return Some(*p);
        }
        self.prices
            .iter()
            .filter(|(name, _)| {
                model
                    .strip_prefix(name.as_str())
                    .is_some_and(|rest| rest.starts_with('-'))
            })
            .max_by_key(|(name, _)| name.len())
            .map(|(_, p)| *p)
    }

    /// Cost of `usage` on `model`, `None` if the model has no price.
    pub fn cost(&self, model: &str, usage: Usage) -> Option<Decimal> {
        self.price(model).map(|p| p.cost(usage))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn default_prices_are_exact() {
        let t = PriceTable::default();
        let u = Usage {
            input_tokens: 1000,
            output_tokens: 1000,
        };
        assert_eq!(t.cost("gpt-4o-mini", u), Some(d("0.00075")));
        assert_eq!(t.cost("gpt-4o", u), Some(d("0.0125")));
        assert_eq!(t.cost("o1", u), Some(d("0.075")));
        assert_eq!(t.cost("o3-mini", u), Some(d("0.0055")));
        assert_eq!(t.cost("claude-3-5-haiku", u), Some(d("0.0048")));
        assert_eq!(t.cost("claude-3-5-sonnet", u), Some(d("0.018")));
        assert_eq!(t.cost("claude-3-opus", u), Some(d("0.09")));
        assert_eq!(t.cost("mock", u), Some(Decimal::ZERO));
    }

    #[test]
    fn small_costs_sum_without_drift() {
        let p = PriceTable::default().price("gpt-4o-mini").unwrap();
        let one = p.cost(Usage {
            input_tokens: 1,
            output_tokens: 0,
        });
        assert_eq!(one, d("0.00000015"));
        let total: Decimal = (0..1_000_000).map(|_| one).sum();
        assert_eq!(total, d("0.15"));
    }

    #[test]
    fn dated_snapshots_take_the_longest_prefix() {
        let t = PriceTable::default();
        assert_eq!(t.price("gpt-4o-mini-2024-07-18"), t.price("gpt-4o-mini"));
        assert_eq!(t.price("gpt-4o-2024-08-06"), t.price("gpt-4o"));
        assert_eq!(
            t.price("claude-3-5-sonnet-20241022"),
            t.price("claude-3-5-sonnet")
        );
        assert_eq!(t.price("gpt-4omega"), None, "prefix must end at a dash");
        assert_eq!(t.price("llama-3"), None);
    }

    #[test]
    fn overrides_replace_and_add() {
        let cheap = Price {
            input_per_1k: d("0.0001"),
            output_per_1k: d("0.0002"),
        };
        let t = PriceTable::with_overrides([
            ("gpt-4o".to_string(), cheap),
            ("llama-3".to_string(), cheap),
        ]);
        assert_eq!(t.price("gpt-4o"), Some(cheap));
        assert_eq!(t.price("llama-3"), Some(cheap));
        assert_eq!(t.price("o1").unwrap().input_per_1k, d("0.015"));
    }

    #[test]
    fn estimates_round_up_and_default_the_output() {
        assert_eq!(
            Usage::estimate(9, None),
            Usage {
                input_tokens: 3,
                output_tokens: DEFAULT_OUTPUT_ESTIMATE
            }
        );
        assert_eq!(Usage::estimate(0, Some(10)).total(), 10);
    }
}
