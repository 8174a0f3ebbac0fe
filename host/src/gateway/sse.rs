//! Server-sent events: parsing an upstream's stream into events, and writing
//! events in each provider's format.

use bytes::Bytes;
use serde_json::Value;

/// One SSE event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// `event:` name, if any.
    pub name: Option<String>,
    /// `data:` lines joined by `\n`.
    pub data: String,
}

/// Incremental SSE parser: feed chunks as they arrive (events may be split
/// anywhere, even inside a UTF-8 character), get complete events back.
#[derive(Debug, Default)]
pub struct Parser {
    buf: Vec<u8>,
}

impl Parser {
    /// Add bytes; return the events they complete.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Vec<Event>, String> {
        self.buf
            .extend(chunk.iter().copied().filter(|&b| b != b'\r'));
        let mut events = Vec::new();
        while let Some(end) = self.buf.windows(2).position(|w| w == b"\n\n") {
            let raw: Vec<u8> = self.buf.drain(..end + 2).collect();
            if let Some(e) = parse_event(&raw[..end])? {
                events.push(e);
            }
        }
        Ok(events)
    }

    /// The last event when the stream ends without a blank line.
    pub fn finish(&mut self) -> Result<Option<Event>, String> {
        let raw = std::mem::take(&mut self.buf);
        parse_event(&raw)
    }
}

fn parse_event(raw: &[u8]) -> Result<Option<Event>, String> {
    let text = std::str::from_utf8(raw).map_err(|_| "event stream is not UTF-8".to_string())?;
    let mut name = None;
    let mut data: Vec<&str> = Vec::new();
    for line in text.lines() {
        if let Some(v) = line.strip_prefix("data:") {
            data.push(v.strip_prefix(' ').unwrap_or(v));
        } else if let Some(v) = line.strip_prefix("event:") {
            name = Some(v.trim().to_string());
        }
    }
    if data.is_empty() && name.is_none() {
        return Ok(None);
    }
    Ok(Some(Event {
        name,
        data: data.join("\n"),
    }))
}

/// `data: <json>\n\n` (OpenAI style).
pub fn data(v: &Value) -> Bytes {
    Bytes::from(format!("data: {v}\n\n"))
}

/// `event: <name>\ndata: <json>\n\n` (Anthropic style).
pub fn event(name: &str, v: &Value) -> Bytes {
    Bytes::from(format!("event: {name}\ndata: {v}\n\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_split_anywhere_are_reassembled() {
        let text = "event: a\ndata: {\"x\":\"é\"}\n\ndata: [DONE]\r\n\r\n";
        let bytes = text.as_bytes();
        let mut p = Parser::default();
        let mut got = Vec::new();
        for b in bytes.chunks(3) {
            got.extend(p.push(b).unwrap());
        }
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[0],
            Event {
                name: Some("a".into()),
                data: "{\"x\":\"é\"}".into()
            }
        );
        assert_eq!(got[1].data, "[DONE]");
    }
}
