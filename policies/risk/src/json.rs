//! A small JSON parser that remembers where every key and value sits.
//!
//! Findings must point at the offending bytes of the tool arguments
//! (`Span::tool_arguments`), which `serde_json::Value` cannot tell. Tool
//! arguments are small, so a recursive-descent parser with byte offsets is both
//! simpler and faster than parsing twice. Strings borrow from the input unless
//! they contain escapes; numbers keep their source text so comparisons can be
//! exact (decimal) rather than through `f64`.

use std::borrow::Cow;

/// Nesting deeper than this is refused (guards the guest's stack).
const MAX_DEPTH: usize = 64;

/// A parsed value and its byte range in the source (strings include their quotes).
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The value.
    pub kind: Kind<'a>,
}

/// What a [`Node`] holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind<'a> {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, as written.
    Number(&'a str),
    /// A string, unescaped (borrowed when it had no escapes).
    Str(Cow<'a, str>),
    /// An array.
    Array(Vec<Node<'a>>),
    /// An object's members, in source order.
    Object(Vec<(Key<'a>, Node<'a>)>),
}

/// An object key and its byte range (including quotes).
#[derive(Debug, Clone, PartialEq)]
pub struct Key<'a> {
    /// Unescaped key text.
    pub name: Cow<'a, str>,
    /// First byte (the opening quote).
    pub start: usize,
    /// One past the closing quote.
    pub end: usize,
}

impl Node<'_> {
    /// The range to report for this value: a string's contents without quotes,
    /// anything else whole.
    pub fn value_span(&self) -> (usize, usize) {
        match self.kind {
            Kind::Str(_) => (self.start + 1, self.end - 1),
            _ => (self.start, self.end),
        }
    }

    /// Whether the value is "nothing": null, `false`, `""`, `[]` or `{}`.
    pub fn is_empty(&self) -> bool {
        match &self.kind {
            Kind::Null | Kind::Bool(false) => true,
            Kind::Str(s) => s.trim().is_empty(),
            Kind::Array(a) => a.is_empty(),
            Kind::Object(o) => o.is_empty(),
            _ => false,
        }
    }

    /// Convert to a `serde_json::Value` (for deep equality with configured values).
    pub fn to_value(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            Kind::Null => Value::Null,
            Kind::Bool(b) => Value::Bool(*b),
            Kind::Number(n) => serde_json::from_str(n).unwrap_or(Value::Null),
            Kind::Str(s) => Value::String(s.to_string()),
            Kind::Array(a) => Value::Array(a.iter().map(Node::to_value).collect()),
            Kind::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, v)| (k.name.to_string(), v.to_value()))
                    .collect(),
            ),
        }
    }
}

/// Parse `src` as one JSON value. The error says what and where, without echoing input.
pub fn parse(src: &str) -> Result<Node<'_>, String> {
    let mut p = Parser {
        src,
        b: src.as_bytes(),
        i: 0,
    };
    p.ws();
    let node = p.value(0)?;
    p.ws();
    if p.i != p.b.len() {
        return Err(format!("unexpected trailing data at byte {}", p.i));
    }
    Ok(node)
}

struct Parser<'a> {
    src: &'a str,
    b: &'a [u8],
    i: usize,
}

impl<'a> Parser<'a> {
    fn err<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("{what} at byte {}", self.i))
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node<'a>, String> {
        if depth > MAX_DEPTH {
            return self.err("nesting too deep");
        }
        let start = self.i;
        let kind = match self.b.get(self.i) {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Kind::Str(self.string()?),
            Some(b't') => self.literal("true", Kind::Bool(true))?,
            Some(b'f') => self.literal("false", Kind::Bool(false))?,
            Some(b'n') => self.literal("null", Kind::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => return self.err("unexpected character"),
            None => return self.err("unexpected end of input"),
        };
        Ok(Node {
            start,
            end: self.i,
            kind,
        })
    }

    fn literal(&mut self, word: &str, kind: Kind<'a>) -> Result<Kind<'a>, String> {
        if self.b[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(kind)
        } else {
            self.err("invalid literal")
        }
    }

    fn digits(&mut self) -> usize {
        let s = self.i;
        while self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        self.i - s
    }

    fn number(&mut self) -> Result<Kind<'a>, String> {
        let start = self.i;
        if self.b[self.i] == b'-' {
            self.i += 1;
        }
        match self.b.get(self.i) {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return self.err("invalid number"),
        }
        if self.b.get(self.i) == Some(&b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return self.err("invalid number");
            }
        }
        if let Some(b'e' | b'E') = self.b.get(self.i) {
            self.i += 1;
            if let Some(b'+' | b'-') = self.b.get(self.i) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return self.err("invalid number");
            }
        }
        Ok(Kind::Number(&self.src[start..self.i]))
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let h = self
            .b
            .get(self.i..self.i + 4)
            .and_then(|h| std::str::from_utf8(h).ok());
        match h.and_then(|h| u32::from_str_radix(h, 16).ok()) {
            Some(v) => {
                self.i += 4;
                Ok(v)
            }
            None => self.err("invalid \\u escape"),
        }
    }

    /// Parse a string starting at its opening quote; leaves `i` after the closing quote.
    fn string(&mut self) -> Result<Cow<'a, str>, String> {
        self.i += 1;
        let start = self.i;
        // Fast path: no escapes, borrow.
        loop {
            match self.b.get(self.i) {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(Cow::Borrowed(&self.src[start..self.i - 1]));
                }
                Some(b'\\') => break,
                Some(c) if *c < 0x20 => return self.err("control character in string"),
                Some(_) => self.i += 1,
                None => return self.err("unterminated string"),
            }
        }
        let mut out = String::from(&self.src[start..self.i]);
        loop {
            match self.b.get(self.i) {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.i += 1;
                    let c = match self.b.get(self.i) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.i += 1;
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi)
                                && self.b[self.i..].starts_with(b"\\u")
                            {
                                self.i += 2;
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                                } else {
                                    0xFFFD
                                }
                            } else {
                                hi
                            };
                            // Lone surrogates become U+FFFD rather than failing the call.
                            out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                            continue;
                        }
                        _ => return self.err("invalid escape"),
                    };
                    out.push(c);
                    self.i += 1;
                }
                Some(c) if *c < 0x20 => return self.err("control character in string"),
                Some(_) => {
                    // Copy one UTF-8 character (the source is a valid &str).
                    let len = utf8_len(self.b[self.i]);
                    out.push_str(&self.src[self.i..self.i + len]);
                    self.i += len;
                }
                None => return self.err("unterminated string"),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Kind<'a>, String> {
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.b.get(self.i) == Some(&b']') {
            self.i += 1;
            return Ok(Kind::Array(items));
        }
        loop {
            self.ws();
            items.push(self.value(depth + 1)?);
            self.ws();
            match self.b.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(Kind::Array(items));
                }
                _ => return self.err("expected `,` or `]`"),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Kind<'a>, String> {
        self.i += 1;
        let mut members = Vec::new();
        self.ws();
        if self.b.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(Kind::Object(members));
        }
        loop {
            self.ws();
            if self.b.get(self.i) != Some(&b'"') {
                return self.err("expected a string key");
            }
            let start = self.i;
            let name = self.string()?;
            let key = Key {
                name,
                start,
                end: self.i,
            };
            self.ws();
            if self.b.get(self.i) != Some(&b':') {
                return self.err("expected `:`");
            }
            self.i += 1;
            self.ws();
            members.push((key, self.value(depth + 1)?));
            self.ws();
            match self.b.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Kind::Object(members));
                }
                _ => return self.err("expected `,` or `}`"),
            }
        }
    }
}

fn utf8_len(first: u8) -> usize {
    match first {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_values() {
        let src = r#"{ "to": "a@b.c", "n": [1, -2.5e3], "ok": true, "x": null }"#;
        let root = parse(src).unwrap();
        let Kind::Object(m) = &root.kind else {
            panic!()
        };
        assert_eq!(&src[m[0].0.start..m[0].0.end], "\"to\"");
        let (s, e) = m[0].1.value_span();
        assert_eq!(&src[s..e], "a@b.c");
        let Kind::Array(a) = &m[1].1.kind else {
            panic!()
        };
        assert_eq!(a[1].kind, Kind::Number("-2.5e3"));
        assert_eq!(&src[a[1].start..a[1].end], "-2.5e3");
        assert_eq!(m[2].1.kind, Kind::Bool(true));
        assert!(m[3].1.is_empty());
    }

    #[test]
    fn unescapes_and_agrees_with_serde_json() {
        let src = r#"{"k\"ey":"a\nb\u00e9\ud83d\ude00 é","e":[]}"#;
        let root = parse(src).unwrap();
        assert_eq!(
            root.to_value(),
            serde_json::from_str::<serde_json::Value>(src).unwrap()
        );
        let Kind::Object(m) = &root.kind else {
            panic!()
        };
        assert_eq!(m[0].0.name, "k\"ey");
    }

    #[test]
    fn rejects_malformed_input() {
        for bad in [
            "",
            "{",
            "{\"a\" 1}",
            "[1,]",
            "{'a':1}",
            "01",
            "1.",
            "-",
            "\"a",
            "tru",
            "{} x",
            "\"\u{1}\"",
            "[1 2]",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        let deep = "[".repeat(100) + &"]".repeat(100);
        assert!(parse(&deep).is_err());
    }
}
