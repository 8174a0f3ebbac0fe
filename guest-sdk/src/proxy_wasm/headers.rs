//! A header map as the host serialises it (`proxy_get_header_map_pairs`): one
//! host call (and one allocation callback) for every header a callback needs,
//! instead of one round trip per header. Host→guest calls are the expensive
//! part of the ABI under Envoy's V8, so this matters on every request.

/// The serialised pairs: u32 count, (u32 key length, u32 value length) per
/// pair, then each key and value followed by a NUL; little-endian.
#[derive(Debug, Clone, Default)]
pub struct HeaderPairs(Vec<u8>);

impl HeaderPairs {
    /// Wrap the bytes the host returned.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// The first value of `key` (lower-case, as Envoy stores them), `None` when
    /// absent or when the bytes are malformed.
    pub fn get(&self, key: &str) -> Option<&str> {
        let b = &self.0;
        let word = |at: usize| -> Option<usize> {
            let w = b.get(at..at + 4)?;
            Some(u32::from_le_bytes([w[0], w[1], w[2], w[3]]) as usize)
        };
        let n = word(0)?;
        let mut data = 4usize.checked_add(n.checked_mul(8)?)?;
        for i in 0..n {
            let (k, v) = (word(4 + 8 * i)?, word(8 + 8 * i)?);
            let name = b.get(data..data + k)?;
            let value_at = data + k + 1;
            let value = b.get(value_at..value_at + v)?;
            if name == key.as_bytes() {
                return std::str::from_utf8(value).ok();
            }
            data = value_at + v + 1;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serialise(pairs: &[(&str, &str)]) -> Vec<u8> {
        let mut out = (pairs.len() as u32).to_le_bytes().to_vec();
        for (k, v) in pairs {
            out.extend((k.len() as u32).to_le_bytes());
            out.extend((v.len() as u32).to_le_bytes());
        }
        for (k, v) in pairs {
            out.extend(k.as_bytes());
            out.push(0);
            out.extend(v.as_bytes());
            out.push(0);
        }
        out
    }

    #[test]
    fn finds_values_and_survives_garbage() {
        let h = HeaderPairs::new(serialise(&[
            (":method", "POST"),
            (":path", "/v1/chat/completions"),
            ("content-type", "application/json"),
            ("x-empty", ""),
        ]));
        assert_eq!(h.get(":method"), Some("POST"));
        assert_eq!(h.get("content-type"), Some("application/json"));
        assert_eq!(h.get("x-empty"), Some(""));
        assert_eq!(h.get("accept"), None);
        let mut bytes = serialise(&[("a", "b")]);
        bytes.truncate(bytes.len() - 3);
        assert_eq!(HeaderPairs::new(bytes).get("a"), None);
        assert_eq!(HeaderPairs::new(vec![255, 255, 255, 255]).get("a"), None);
        assert_eq!(HeaderPairs::default().get("a"), None);
    }
}
