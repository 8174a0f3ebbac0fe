//! Tenant argument rules: `{"path": "$.amount", "op": ">", "value": 1000, "level": "critical"}`.
//!
//! Rules exist because a tool's name rarely tells its risk alone: a transfer of
//! 5 EUR and one of 50,000 EUR call the same `transfer_funds`. Everything that can
//! be checked is checked at configure time (path syntax, regex, operand types),
//! so evaluation never fails on a rule. Numbers compare as decimals, never as
//! floats, so `0.1 + 0.2`-style surprises cannot flip a money threshold.

use std::str::FromStr;

use regex::Regex;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;

use crate::json::{Kind, Node};

/// Comparison operator of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Op {
    /// Greater than (numbers).
    #[serde(rename = ">")]
    Gt,
    /// Greater or equal (numbers).
    #[serde(rename = ">=")]
    Ge,
    /// Less than (numbers).
    #[serde(rename = "<")]
    Lt,
    /// Less or equal (numbers).
    #[serde(rename = "<=")]
    Le,
    /// JSON equality (numbers by value).
    #[serde(rename = "==")]
    Eq,
    /// Not equal (only when the path exists).
    #[serde(rename = "!=")]
    Ne,
    /// Case-insensitive substring, array element or object key.
    #[serde(rename = "contains")]
    Contains,
    /// Regular expression over a string (or a number's text).
    #[serde(rename = "matches")]
    Matches,
}

impl Op {
    /// Config spelling, for finding details.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Contains => "contains",
            Op::Matches => "matches",
        }
    }
}

/// One step of a [`Path`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// `.name` or `["name"]`.
    Key(String),
    /// `[n]`.
    Index(usize),
    /// `[*]` or `.*`: every element or member.
    Any,
}

/// A simple JSON path: `$`, then `.key`, `["key"]`, `[n]`, `[*]`, `.*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    /// The steps after `$`.
    pub steps: Vec<Step>,
}

impl FromStr for Path {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let rest = s.trim();
        // `amount` is accepted as shorthand for `$.amount`.
        let rest = match rest.strip_prefix('$') {
            Some(r) => r,
            None if rest.starts_with(['.', '[']) || rest.is_empty() => {
                return Err(format!("{s:?} must start with `$`, e.g. `$.amount`"));
            }
            None => return format!("$.{rest}").parse(),
        };
        let b = rest.as_bytes();
        let mut steps = Vec::new();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'.' => {
                    let end = rest[i + 1..]
                        .find(['.', '['])
                        .map_or(rest.len(), |e| e + i + 1);
                    let key = &rest[i + 1..end];
                    if key.is_empty() {
                        return Err(format!("{s:?} has an empty key at byte {i}"));
                    }
                    steps.push(if key == "*" {
                        Step::Any
                    } else {
                        Step::Key(key.to_string())
                    });
                    i = end;
                }
                b'[' => {
                    let close = rest[i..]
                        .find(']')
                        .map(|e| e + i)
                        .ok_or_else(|| format!("{s:?} has an unclosed `[`"))?;
                    let inner = rest[i + 1..close].trim();
                    let step = if inner == "*" {
                        Step::Any
                    } else if let Some(q) = inner
                        .strip_prefix(['"', '\''])
                        .and_then(|x| x.strip_suffix(['"', '\'']))
                    {
                        Step::Key(q.to_string())
                    } else {
                        Step::Index(inner.parse().map_err(|_| {
                            format!("{s:?}: `[{inner}]` is not an index, `*` or a quoted key")
                        })?)
                    };
                    steps.push(step);
                    i = close + 1;
                }
                _ => return Err(format!("{s:?}: expected `.` or `[` at byte {}", i + 1)),
            }
        }
        Ok(Path { steps })
    }
}

impl Path {
    /// Every node the path selects under `root`.
    pub fn select<'n, 'a>(&self, root: &'n Node<'a>) -> Vec<&'n Node<'a>> {
        let mut cur = vec![root];
        for step in &self.steps {
            let mut next = Vec::new();
            for node in cur {
                match (&node.kind, step) {
                    (Kind::Object(m), Step::Key(k)) => next.extend(
                        m.iter()
                            .filter(|(key, _)| key.name == k.as_str())
                            .map(|(_, v)| v),
                    ),
                    (Kind::Object(m), Step::Any) => next.extend(m.iter().map(|(_, v)| v)),
                    (Kind::Array(a), Step::Index(n)) => next.extend(a.get(*n)),
                    (Kind::Array(a), Step::Any) => next.extend(a.iter()),
                    _ => {}
                }
            }
            cur = next;
        }
        cur
    }
}

/// The configured operand, prepared for its operator.
#[derive(Debug, Clone)]
pub enum Operand {
    /// For ordering operators.
    Number(Decimal),
    /// For `matches`.
    Regex(Regex),
    /// For `==`, `!=`, `contains`.
    Json(Value),
}

/// Parse a decimal from JSON number text or a numeric string (`"1500.00"`, `"1e3"`).
pub fn decimal(text: &str) -> Option<Decimal> {
    let t = text.trim();
    Decimal::from_str(t)
        .ok()
        .or_else(|| Decimal::from_scientific(t).ok())
}

impl Operand {
    /// Prepare `value` for `op`; the error message is about the `value` key.
    pub fn new(op: Op, value: &Value) -> Result<Self, String> {
        match op {
            Op::Gt | Op::Ge | Op::Lt | Op::Le => {
                let d = match value {
                    Value::Number(n) => decimal(&n.to_string()),
                    Value::String(s) => decimal(s),
                    _ => None,
                };
                d.map(Operand::Number).ok_or_else(|| {
                    format!("`{}` needs a number (or a numeric string)", op.as_str())
                })
            }
            Op::Matches => {
                let Value::String(re) = value else {
                    return Err("`matches` needs a regular expression string".into());
                };
                regex::RegexBuilder::new(re)
                    .size_limit(1 << 20)
                    .build()
                    .map(Operand::Regex)
                    .map_err(|e| format!("invalid regular expression: {e}"))
            }
            Op::Contains
                if !matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_)) =>
            {
                Err("`contains` needs a string, number or boolean".into())
            }
            _ => Ok(Operand::Json(value.clone())),
        }
    }
}

/// Whether `node` satisfies `op operand`.
pub fn test(node: &Node<'_>, op: Op, operand: &Operand) -> bool {
    match (op, operand) {
        (Op::Gt | Op::Ge | Op::Lt | Op::Le, Operand::Number(limit)) => {
            let n = match &node.kind {
                Kind::Number(t) => decimal(t),
                Kind::Str(s) => decimal(s),
                _ => None,
            };
            n.is_some_and(|n| match op {
                Op::Gt => n > *limit,
                Op::Ge => n >= *limit,
                Op::Lt => n < *limit,
                _ => n <= *limit,
            })
        }
        (Op::Eq, Operand::Json(v)) => equals(node, v),
        (Op::Ne, Operand::Json(v)) => !equals(node, v),
        (Op::Contains, Operand::Json(v)) => match &node.kind {
            Kind::Str(s) => match v {
                Value::String(needle) => contains_ci(s, needle),
                other => contains_ci(s, &other.to_string()),
            },
            Kind::Array(items) => items.iter().any(|i| equals(i, v)),
            Kind::Object(m) => v
                .as_str()
                .is_some_and(|k| m.iter().any(|(key, _)| key.name == k)),
            _ => false,
        },
        (Op::Matches, Operand::Regex(re)) => match &node.kind {
            Kind::Str(s) => re.is_match(s),
            Kind::Number(t) => re.is_match(t),
            Kind::Bool(b) => re.is_match(if *b { "true" } else { "false" }),
            _ => false,
        },
        _ => false,
    }
}

/// JSON equality where numbers compare by decimal value (`1000` == `1000.0`), and a
/// numeric string equals a configured number (money often travels as strings).
fn equals(node: &Node<'_>, v: &Value) -> bool {
    match (&node.kind, v) {
        (Kind::Number(t), Value::Number(n)) => {
            decimal(t).is_some() && decimal(t) == decimal(&n.to_string())
        }
        (Kind::Str(s), Value::Number(n)) => {
            decimal(s).is_some() && decimal(s) == decimal(&n.to_string())
        }
        (Kind::Str(s), Value::String(w)) => s == w,
        (Kind::Bool(a), Value::Bool(b)) => a == b,
        (Kind::Null, Value::Null) => true,
        (Kind::Array(_) | Kind::Object(_), Value::Array(_) | Value::Object(_)) => {
            node.to_value() == *v
        }
        _ => false,
    }
}

fn contains_ci(haystack: &str, needle: &str) -> bool {
    if haystack.is_ascii() && needle.is_ascii() {
        let (h, n) = (haystack.as_bytes(), needle.as_bytes());
        return n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn check(args: &str, path: &str, op: Op, value: Value) -> bool {
        let root = parse(args).unwrap();
        let path: Path = path.parse().unwrap();
        let operand = Operand::new(op, &value).unwrap();
        path.select(&root).iter().any(|n| test(n, op, &operand))
    }

    #[test]
    fn parses_paths() {
        let p: Path = "$.a.b[2][*].c['d e']".parse().unwrap();
        assert_eq!(
            p.steps,
            [
                Step::Key("a".into()),
                Step::Key("b".into()),
                Step::Index(2),
                Step::Any,
                Step::Key("c".into()),
                Step::Key("d e".into())
            ]
        );
        assert_eq!(
            "amount".parse::<Path>().unwrap().steps,
            [Step::Key("amount".into())]
        );
        assert!("$".parse::<Path>().unwrap().steps.is_empty());
        for bad in ["", ".a", "$..a", "$.a[", "$.a[x]", "$a", "$.a[1"] {
            assert!(bad.parse::<Path>().is_err(), "{bad}");
        }
    }

    #[test]
    fn compares_numbers_exactly() {
        let args =
            r#"{"amount": 1000.00, "s": "1000.01", "items": [{"amount": 5}, {"amount": 2000}]}"#;
        assert!(!check(args, "$.amount", Op::Gt, serde_json::json!(1000)));
        assert!(check(args, "$.amount", Op::Ge, serde_json::json!(1000)));
        assert!(check(args, "$.amount", Op::Eq, serde_json::json!(1000)));
        assert!(check(args, "$.s", Op::Gt, serde_json::json!("1000.00")));
        assert!(check(
            args,
            "$.items[*].amount",
            Op::Gt,
            serde_json::json!(1000)
        ));
        assert!(!check(
            args,
            "$.items[0].amount",
            Op::Gt,
            serde_json::json!(1000)
        ));
        assert!(check(args, "$.amount", Op::Lt, serde_json::json!(1e4)));
        assert!(!check(args, "$.missing", Op::Ne, serde_json::json!(1)));
    }

    #[test]
    fn strings_arrays_and_regexes() {
        let args =
            r#"{"to": "CEO@Example.com", "cc": ["a@x.io", "b@y.io"], "n": 42, "o": {"k": 1}}"#;
        assert!(check(
            args,
            "$.to",
            Op::Contains,
            serde_json::json!("example.com")
        ));
        assert!(check(
            args,
            "$.cc",
            Op::Contains,
            serde_json::json!("b@y.io")
        ));
        assert!(check(args, "$.o", Op::Contains, serde_json::json!("k")));
        assert!(check(
            args,
            "$.to",
            Op::Matches,
            serde_json::json!("(?i)@example\\.com$")
        ));
        assert!(check(args, "$.n", Op::Matches, serde_json::json!("^4")));
        assert!(check(args, "$.to", Op::Ne, serde_json::json!("x")));
        assert!(check(args, "$.o", Op::Eq, serde_json::json!({"k": 1})));
    }

    #[test]
    fn refuses_bad_operands() {
        assert!(Operand::new(Op::Gt, &serde_json::json!("lots")).is_err());
        assert!(Operand::new(Op::Matches, &serde_json::json!("(")).is_err());
        assert!(Operand::new(Op::Matches, &serde_json::json!(1)).is_err());
        assert!(Operand::new(Op::Contains, &serde_json::json!([1])).is_err());
    }
}
