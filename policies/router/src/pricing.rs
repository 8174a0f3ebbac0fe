//! Prices and cost estimates, always in exact decimals (money is never a float).
//!
//! Prices are USD per 1,000 tokens, separately for input and output, written as
//! strings in configuration (`{"input": "0.0025", "output": "0.01"}`). The
//! defaults are the providers' public list prices at the time of writing; tenants
//! override or extend them with `prices`.

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};

/// USD per 1,000 tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    /// Per 1,000 input (prompt) tokens.
    #[serde(deserialize_with = "de_decimal")]
    pub input: Decimal,
    /// Per 1,000 output (completion) tokens.
    #[serde(deserialize_with = "de_decimal")]
    pub output: Decimal,
}

impl Price {
    /// A price from decimal strings (for the built-in table).
    fn of(input: &str, output: &str) -> Self {
        Self {
            input: Decimal::from_str(input).expect("valid"),
            output: Decimal::from_str(output).expect("valid"),
        }
    }

    /// Estimated cost of `input_tokens` in and `output_tokens` out.
    pub fn cost(&self, input_tokens: u64, output_tokens: u64) -> Decimal {
        let thousand = Decimal::from(1000);
        Decimal::from(input_tokens) * self.input / thousand
            + Decimal::from(output_tokens) * self.output / thousand
    }
}

/// The built-in price table (USD per 1K tokens).
pub fn defaults() -> BTreeMap<String, Price> {
    [
        ("gpt-4o-mini", Price::of("0.00015", "0.0006")),
        ("gpt-4o", Price::of("0.0025", "0.01")),
        ("o1", Price::of("0.015", "0.06")),
        ("o1-mini", Price::of("0.0011", "0.0044")),
        ("o3-mini", Price::of("0.0011", "0.0044")),
        ("claude-3-5-haiku", Price::of("0.0008", "0.004")),
        ("claude-3-5-sonnet", Price::of("0.003", "0.015")),
        ("claude-3-opus", Price::of("0.015", "0.075")),
        ("mock", Price::of("0", "0")),
    ]
    .into_iter()
    .map(|(m, p)| (m.to_string(), p))
    .collect()
}

/// Parse a decimal from a JSON string (preferred: exact) or a JSON number.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let t = text.trim();
    Decimal::from_str(t)
        .ok()
        .or_else(|| Decimal::from_scientific(t).ok())
}

/// Serde helper: a decimal written as `"0.0025"` or `0.0025`.
pub fn de_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Str(String),
        Num(serde_json::Number),
    }
    let text = match Raw::deserialize(d)? {
        Raw::Str(s) => s,
        Raw::Num(n) => n.to_string(),
    };
    parse_decimal(&text)
        .ok_or_else(|| serde::de::Error::custom(format!("{text:?} is not a decimal number")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_are_exact() {
        let p = defaults()["gpt-4o"];
        // 1,000 in × 0.0025/1K + 500 out × 0.01/1K = 0.0025 + 0.005
        assert_eq!(p.cost(1000, 500), Decimal::from_str("0.0075").unwrap());
        assert_eq!(defaults()["mock"].cost(10_000, 10_000), Decimal::ZERO);
        let mini = defaults()["gpt-4o-mini"];
        assert_eq!(mini.cost(3, 0), Decimal::from_str("0.00000045").unwrap());
    }

    #[test]
    fn decimals_parse_from_strings_and_numbers() {
        let p: Price = serde_json::from_str(r#"{"input":"0.0025","output":0.01}"#).unwrap();
        assert_eq!(p.output, Decimal::from_str("0.01").unwrap());
        assert!(serde_json::from_str::<Price>(r#"{"input":"lots","output":"1"}"#).is_err());
        assert!(serde_json::from_str::<Price>(r#"{"input":"1","output":"1","x":1}"#).is_err());
    }
}
