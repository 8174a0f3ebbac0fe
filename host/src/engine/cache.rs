//! Precompiled component artifacts on disk, keyed by content hash and engine
//! compatibility, so a restart or a second tenant using the same module pays
//! ~0.2 ms (`deserialize_file` mmaps) instead of ~0.7 s of Cranelift.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use wasmtime::component::Component;

/// A directory of `<sha256(wasm)>-<engine hash>.cwasm` files.
#[derive(Debug, Clone)]
pub struct ArtifactCache {
    dir: PathBuf,
    engine_key: String,
}

impl ArtifactCache {
    pub(super) fn new(dir: PathBuf, engine: &wasmtime::Engine) -> Self {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        engine.precompile_compatibility_hash().hash(&mut h);
        Self {
            dir,
            engine_key: format!("{:016x}", h.finish()),
        }
    }

    fn path_for(&self, wasm: &[u8]) -> PathBuf {
        let digest = hex::encode(Sha256::digest(wasm));
        self.dir.join(format!("{digest}-{}.cwasm", self.engine_key))
    }

    /// Load the cached artifact for `wasm`, or compile it and cache the result.
    /// A cache that cannot be read or written only costs time, never correctness.
    pub(super) fn load_or_compile(
        &self,
        engine: &wasmtime::Engine,
        wasm: &[u8],
    ) -> Result<Component, wasmtime::Error> {
        let path = self.path_for(wasm);
        if path.exists() {
            match deserialize(engine, &path) {
                Ok(c) => return Ok(c),
                Err(e) => {
                    tracing::warn!(path = %path.display(), error = %e, "discarding unusable cached artifact")
                }
            }
        }
        let component = Component::new(engine, wasm)?;
        if let Err(e) = self.store(&path, &component) {
            tracing::warn!(dir = %self.dir.display(), error = %e, "cannot write the artifact cache");
        }
        Ok(component)
    }

    fn store(&self, path: &Path, component: &Component) -> Result<(), Box<dyn std::error::Error>> {
        std::fs::create_dir_all(&self.dir)?;
        let bytes = component.serialize()?;
        // Write to a name no other writer uses (other processes, or other threads of
        // this one compiling the same module), then rename: a reader never maps a
        // half-written file.
        static UNIQUE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = UNIQUE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = path.with_extension(format!("tmp.{}.{n}", std::process::id()));
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, path)?;
        Ok(())
    }
}

#[allow(unsafe_code, reason = "deserializing machine code is unsafe by nature")]
fn deserialize(engine: &wasmtime::Engine, path: &Path) -> Result<Component, wasmtime::Error> {
    // SAFETY: the cache directory holds only artifacts this host serialized from
    // modules it compiled itself; wasmtime checks the version and configuration
    // header and refuses artifacts from another engine.
    unsafe { Component::deserialize_file(engine, path) }
}
