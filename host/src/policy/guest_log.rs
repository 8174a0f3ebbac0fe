//! Guest stdout/stderr, routed into the host's log line by line (a panic
//! message from a policy is then visible to the operator).

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::p2::{OutputStream, Pollable, StreamError};

/// Longest line kept from a guest; the rest is cut so a guest cannot flood the log.
const MAX_LINE: usize = 4096;

#[derive(Clone)]
pub(crate) struct GuestPipe {
    policy: Arc<str>,
    stream: &'static str,
}

impl GuestPipe {
    pub(crate) fn new(policy: Arc<str>, stream: &'static str) -> Self {
        Self { policy, stream }
    }

    fn emit(&self, bytes: &[u8]) {
        let text = String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_LINE)]);
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            tracing::warn!(
                policy = &*self.policy,
                stream = self.stream,
                "guest output: {line}"
            );
        }
    }
}

impl IsTerminal for GuestPipe {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for GuestPipe {
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }
    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }
}

impl OutputStream for GuestPipe {
    fn write(&mut self, bytes: Bytes) -> Result<(), StreamError> {
        self.emit(&bytes);
        Ok(())
    }
    fn flush(&mut self) -> Result<(), StreamError> {
        Ok(())
    }
    fn check_write(&mut self) -> Result<usize, StreamError> {
        Ok(MAX_LINE)
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for GuestPipe {
    async fn ready(&mut self) {}
}

impl tokio::io::AsyncWrite for GuestPipe {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        self.emit(buf);
        Poll::Ready(Ok(buf.len()))
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
