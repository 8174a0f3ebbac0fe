//! The few proxy-wasm host calls the filter makes, declared raw so that every
//! status comes back as a value.
//!
//! The `proxy-wasm` crate's wrappers `panic!` on any status they did not expect
//! (notes §5.2: a header setter after the headers went upstream returns
//! BAD_ARGUMENT, the wrapper panics, the VM traps and Envoy's failure policy takes
//! over for *every* later request). Here an unexpected status is an `Err` the
//! filter handles. Signatures follow the ABI v0.2.1 spec; the imports are the
//! same `env` functions the crate declares, so the module's import list does not
//! grow.
#![allow(
    unsafe_code,
    reason = "raw ABI imports; each call passes valid pointers and lengths"
)]

use std::ptr::null_mut;

use super::headers::HeaderPairs;

/// A non-OK proxy-wasm status (NOT_FOUND 1, BAD_ARGUMENT 2, ...).
pub type Status = u32;

const OK: u32 = 0;
const NOT_FOUND: u32 = 1;

/// Header maps (ABI enumeration).
pub const REQUEST_HEADERS: u32 = 0;
/// Response headers.
pub const RESPONSE_HEADERS: u32 = 2;
/// Buffers (ABI enumeration).
pub const REQUEST_BODY: u32 = 0;
/// Response body.
pub const RESPONSE_BODY: u32 = 1;
/// `vm_config.configuration`.
pub const VM_CONFIGURATION: u32 = 6;
/// The plugin's `configuration`.
pub const PLUGIN_CONFIGURATION: u32 = 7;

/// Log levels.
pub const DEBUG: u32 = 1;
/// Info.
pub const INFO: u32 = 2;
/// Warn.
pub const WARN: u32 = 3;
/// Error.
pub const ERROR: u32 = 4;

#[link(wasm_import_module = "env")]
unsafe extern "C" {
    fn proxy_log(level: u32, data: *const u8, size: usize) -> u32;
    fn proxy_get_log_level(ret_level: *mut u32) -> u32;
    fn proxy_get_buffer_bytes(
        buffer: u32,
        start: usize,
        max_size: usize,
        ret_data: *mut *mut u8,
        ret_size: *mut usize,
    ) -> u32;
    fn proxy_set_buffer_bytes(
        buffer: u32,
        start: usize,
        size: usize,
        data: *const u8,
        data_size: usize,
    ) -> u32;
    fn proxy_get_header_map_pairs(map: u32, ret_data: *mut *mut u8, ret_size: *mut usize) -> u32;
    fn proxy_replace_header_map_value(
        map: u32,
        key: *const u8,
        key_size: usize,
        value: *const u8,
        value_size: usize,
    ) -> u32;
    fn proxy_remove_header_map_value(map: u32, key: *const u8, key_size: usize) -> u32;
    #[allow(clippy::too_many_arguments, reason = "the ABI's signature")]
    fn proxy_send_local_response(
        status: u32,
        details: *const u8,
        details_size: usize,
        body: *const u8,
        body_size: usize,
        headers: *const u8,
        headers_size: usize,
        grpc_status: i32,
    ) -> u32;
    fn proxy_define_metric(kind: u32, name: *const u8, name_size: usize, ret_id: *mut u32) -> u32;
    fn proxy_increment_metric(id: u32, offset: i64) -> u32;
}

fn status(s: u32) -> Result<(), Status> {
    if s == OK { Ok(()) } else { Err(s) }
}

/// Take ownership of memory the host allocated through the SDK's
/// `proxy_on_memory_allocate` (a boxed slice of exactly `size` bytes).
fn take(data: *mut u8, size: usize) -> Vec<u8> {
    if data.is_null() || size == 0 {
        return Vec::new();
    }
    // SAFETY: the host filled `size` bytes it allocated with the guest's allocator.
    unsafe { Vec::from_raw_parts(data, size, size) }
}

/// Write a line to the proxy's log (Envoy: `wasm log <plugin>: …`). A log that
/// fails is dropped: there is nowhere else to report it.
pub fn log(level: u32, message: &str) {
    // SAFETY: pointer and length of a live `str`.
    let _ = unsafe { proxy_log(level, message.as_ptr(), message.len()) };
}

/// The proxy's current log level for this plugin (`INFO` if it will not say).
pub fn log_level() -> u32 {
    let mut level = INFO;
    // SAFETY: out-pointer to a local.
    match unsafe { proxy_get_log_level(&mut level) } {
        OK => level,
        _ => INFO,
    }
}

/// Bytes `[start, start + max)` of `buffer`; empty when the host has none.
pub fn buffer(buffer: u32, start: usize, max: usize) -> Result<Vec<u8>, Status> {
    let (mut data, mut size) = (null_mut(), 0usize);
    // SAFETY: out-pointers to locals.
    match unsafe { proxy_get_buffer_bytes(buffer, start, max, &mut data, &mut size) } {
        OK => Ok(take(data, size)),
        NOT_FOUND => Ok(Vec::new()),
        s => Err(s),
    }
}

/// Replace bytes `[start, start + size)` of `buffer` with `value`.
pub fn set_buffer(buffer: u32, start: usize, size: usize, value: &[u8]) -> Result<(), Status> {
    // SAFETY: pointer and length of a live slice.
    status(unsafe { proxy_set_buffer_bytes(buffer, start, size, value.as_ptr(), value.len()) })
}

/// Every pair of a header map in one call (empty when the host has none).
pub fn header_pairs(map: u32) -> Result<HeaderPairs, Status> {
    let (mut data, mut size) = (null_mut(), 0usize);
    // SAFETY: out-pointers to locals.
    match unsafe { proxy_get_header_map_pairs(map, &mut data, &mut size) } {
        OK => Ok(HeaderPairs::new(take(data, size))),
        NOT_FOUND => Ok(HeaderPairs::default()),
        s => Err(s),
    }
}

/// Set (replace or add) a header.
pub fn set_header(map: u32, key: &str, value: &str) -> Result<(), Status> {
    // SAFETY: live strs.
    status(unsafe {
        proxy_replace_header_map_value(map, key.as_ptr(), key.len(), value.as_ptr(), value.len())
    })
}

/// Remove a header (absent is fine).
pub fn remove_header(map: u32, key: &str) -> Result<(), Status> {
    // SAFETY: live str.
    status(unsafe { proxy_remove_header_map_value(map, key.as_ptr(), key.len()) })
}

/// Answer the client with `status`, a JSON `body` and `details` for access logs.
pub fn send_local_response(code: u32, details: &str, body: &[u8]) -> Result<(), Status> {
    let headers = serialize(&[("content-type", "application/json")]);
    // SAFETY: pointers and lengths of live buffers; grpc_status -1 = not gRPC.
    status(unsafe {
        proxy_send_local_response(
            code,
            details.as_ptr(),
            details.len(),
            body.as_ptr(),
            body.len(),
            headers.as_ptr(),
            headers.len(),
            -1,
        )
    })
}

/// Define a counter; its id.
pub fn define_counter(name: &str) -> Result<u32, Status> {
    let mut id = 0u32;
    // SAFETY: live str; out-pointer to a local. Metric type 0 = counter.
    status(unsafe { proxy_define_metric(0, name.as_ptr(), name.len(), &mut id) })?;
    Ok(id)
}

/// Add one to a counter.
pub fn increment(id: u32) -> Result<(), Status> {
    // SAFETY: plain values.
    status(unsafe { proxy_increment_metric(id, 1) })
}

/// The ABI's header-pairs encoding: u32 count, (u32 key len, u32 value len) per
/// pair, then each key and value followed by a NUL; little-endian.
fn serialize(pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&(pairs.len() as u32).to_le_bytes());
    for (k, v) in pairs {
        out.extend_from_slice(&(k.len() as u32).to_le_bytes());
        out.extend_from_slice(&(v.len() as u32).to_le_bytes());
    }
    for (k, v) in pairs {
        out.extend_from_slice(k.as_bytes());
        out.push(0);
        out.extend_from_slice(v.as_bytes());
        out.push(0);
    }
    out
}
