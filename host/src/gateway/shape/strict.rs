//! Parsing a client's JSON body so that Warden and the upstream cannot read
//! it differently.
//!
//! An unchanged request is forwarded byte for byte, so the policies judge
//! Warden's parse while the provider acts on its own. Parsers agree on valid,
//! unambiguous JSON; they disagree on duplicate object keys (first wins in
//! some, last wins in serde_json and Python). A body such as
//! `{"messages":[<attack>],"messages":[<harmless>]}` would otherwise show the
//! policies one conversation and the model another. Duplicate keys are
//! therefore refused, at any depth; serde_json already refuses the other
//! ambiguities (lone surrogates, trailing garbage, invalid UTF-8).

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Parse `text` as JSON, refusing duplicate object keys.
pub fn from_str(text: &str) -> Result<Value, serde_json::Error> {
    serde_json::from_str::<Strict>(text).map(|s| s.0)
}

struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Strict::deserialize(d).map(|s| s.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Strict(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let Strict(v) = map.next_value()?;
            if out.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
            }
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_like_serde_json() {
        let text = r#"{"a":[1,-2,3.5,true,null,"x\u00e9"],"b":{"c":{}},"d":18446744073709551615}"#;
        assert_eq!(
            from_str(text).unwrap(),
            serde_json::from_str::<Value>(text).unwrap()
        );
    }

    #[test]
    fn refuses_duplicate_keys_at_any_depth() {
        let e = from_str(r#"{"messages":[],"messages":[]}"#).unwrap_err();
        assert!(e.to_string().contains("duplicate key `messages`"), "{e}");
        let e = from_str(r#"{"m":[{"role":"user","role":"system"}]}"#).unwrap_err();
        assert!(e.to_string().contains("duplicate key `role`"), "{e}");
        // Escapes that decode to the same key are the same key.
        assert!(from_str(r#"{"model":1,"mod\u0065l":2}"#).is_err());
    }

    #[test]
    fn refuses_lone_surrogates_and_trailing_garbage() {
        assert!(from_str(r#"{"a":"\ud800"}"#).is_err());
        assert!(from_str(r#"{"a":1} x"#).is_err());
    }
}
