//! The process-wide Wasm engine: one `wasmtime::Engine`, its pooling allocator,
//! the epoch ticker that enforces time limits, and the on-disk artifact cache.
//!
//! Settings follow measured facts (see `shared/notes/wasmtime-tuning.md`):
//! `concurrency_support(false)` saves ~450 ns per call; epochs give wall-clock
//! limits at ~15% cost; the pooling allocator with copy-on-write heap images
//! makes instantiation a few microseconds.

mod cache;
mod ticker;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use cache::ArtifactCache;
use ticker::EpochTicker;

/// How often the epoch advances. Time limits are whole ticks, so this is their
/// resolution: 1 ms keeps the default 50 ms limit within 2%.
pub const EPOCH_TICK: Duration = Duration::from_millis(1);

/// Largest memory limit any policy may ask for: the pooling allocator reserves
/// address space per slot up to this size, so it is an engine-wide hard cap.
pub const MAX_POLICY_MEMORY: usize = 1 << 30;

/// Engine settings. Every field has a safe default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineConfig {
    /// Directory for precompiled `.cwasm` artifacts; `None` disables the cache.
    pub cache_dir: Option<PathBuf>,
    /// Use the pooling allocator (fast instantiation). Off: on-demand allocation.
    pub pooling: bool,
    /// Live component instances the pool can hold (all tenants, all policies).
    pub max_instances: u32,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            cache_dir: default_cache_dir(),
            pooling: true,
            max_instances: 512,
        }
    }
}

/// `$WARDEN_CACHE_DIR`, else `$XDG_CACHE_HOME/warden`, else `~/.cache/warden`.
pub fn default_cache_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("WARDEN_CACHE_DIR") {
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
        return Some(PathBuf::from(dir).join("warden"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache").join("warden"))
}

/// The shared engine. Cheap to clone.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<EngineInner>,
}

struct EngineInner {
    wasmtime: wasmtime::Engine,
    cache: Option<ArtifactCache>,
    _ticker: EpochTicker,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("cache", &self.inner.cache)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// Build the engine and start its epoch ticker.
    pub fn new(config: &EngineConfig) -> Result<Self, wasmtime::Error> {
        let mut cfg = wasmtime::Config::new();
        cfg.concurrency_support(false)
            .epoch_interruption(true)
            .memory_init_cow(true);
        // Guest stack overflows must trap, not crash: wasmtime's default guard is enough.
        if config.pooling {
            let n = config.max_instances;
            let mut pool = wasmtime::PoolingAllocationConfig::new();
            pool.total_component_instances(n)
                // Components built by other toolchains (componentize-py) hold many
                // core instances and big tables; leave room for them.
                .total_core_instances(n * 8)
                .total_memories(n * 2)
                .total_tables(n * 4)
                .total_stacks(n)
                .max_memory_size(MAX_POLICY_MEMORY)
                .max_core_instance_size(8 << 20)
                .table_elements(200_000);
            if wasmtime::PoolingAllocationConfig::is_pagemap_scan_available() {
                pool.pagemap_scan(wasmtime::Enabled::Yes)
                    .linear_memory_keep_resident(1 << 20)
                    .table_keep_resident(64 << 10);
            }
            cfg.allocation_strategy(wasmtime::InstanceAllocationStrategy::Pooling(pool));
        }
        let wasmtime = wasmtime::Engine::new(&cfg)?;
        let cache = config
            .cache_dir
            .as_ref()
            .map(|dir| ArtifactCache::new(dir.clone(), &wasmtime));
        let ticker = EpochTicker::start(wasmtime.clone(), EPOCH_TICK);
        Ok(Self {
            inner: Arc::new(EngineInner {
                wasmtime,
                cache,
                _ticker: ticker,
            }),
        })
    }

    /// The underlying wasmtime engine.
    pub fn wasmtime(&self) -> &wasmtime::Engine {
        &self.inner.wasmtime
    }

    /// Compile `wasm`, or load its precompiled artifact from the cache.
    pub fn component(
        &self,
        wasm: &[u8],
    ) -> Result<wasmtime::component::Component, wasmtime::Error> {
        match &self.inner.cache {
            Some(cache) => cache.load_or_compile(&self.inner.wasmtime, wasm),
            None => wasmtime::component::Component::new(&self.inner.wasmtime, wasm),
        }
    }

    /// Ticks to allow for a call limited to `timeout` (at least one).
    pub fn ticks_for(timeout: Duration) -> u64 {
        (timeout.as_micros() / EPOCH_TICK.as_micros()).max(1) as u64
    }
}
