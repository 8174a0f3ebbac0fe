//! A loaded policy component: compiled (or mapped from the artifact cache),
//! checked against the world and the import allow-list, pre-instantiated, and
//! described by its own `metadata()`.

use std::sync::Arc;

use sha2::{Digest, Sha256};
use wasmtime::Store;
use wasmtime::component::{HasSelf, Linker};

use super::LoadError;
use super::bindings::{GuestState, Policy, PolicyPre, info_in};
use crate::engine::Engine;

/// Interfaces a policy may import. Rust's std on `wasm32-wasip2` pulls in the
/// WASI ones even when unused; the host links them to an empty context. Note
/// what is absent: filesystem, sockets, clocks, HTTP.
const GRANTED_IMPORTS: &[&str] = &[
    "warden:policy/log@0.1.",
    "warden:policy/types@0.1.",
    "wasi:io/error@0.2.",
    "wasi:io/poll@0.2.",
    "wasi:io/streams@0.2.",
    "wasi:cli/environment@0.2.",
    "wasi:cli/exit@0.2.",
    "wasi:cli/stdin@0.2.",
    "wasi:cli/stdout@0.2.",
    "wasi:cli/stderr@0.2.",
    "wasi:cli/terminal-input@0.2.",
    "wasi:cli/terminal-output@0.2.",
    "wasi:cli/terminal-stdin@0.2.",
    "wasi:cli/terminal-stdout@0.2.",
    "wasi:cli/terminal-stderr@0.2.",
    "wasi:random/random@0.2.",
    "wasi:random/insecure@0.2.",
    "wasi:random/insecure-seed@0.2.",
];

/// The interface every policy exports.
pub const GUARD_EXPORT_PREFIX: &str = "warden:policy/guard@0.1.";

/// The linker every policy is instantiated through, built once per engine.
#[derive(Clone)]
pub struct PolicyLinker {
    engine: Engine,
    linker: Arc<Linker<GuestState>>,
}

impl std::fmt::Debug for PolicyLinker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicyLinker").finish_non_exhaustive()
    }
}

impl PolicyLinker {
    /// Link WASI p2 (with an empty context per store) and the `log` import.
    pub fn new(engine: &Engine) -> Result<Self, wasmtime::Error> {
        let mut linker = Linker::<GuestState>::new(engine.wasmtime());
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
        Policy::add_to_linker::<_, HasSelf<_>>(&mut linker, |s| s)?;
        Ok(Self {
            engine: engine.clone(),
            linker: Arc::new(linker),
        })
    }

    /// The engine this linker belongs to.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Load a policy from component bytes. `name` is used in errors.
    /// Compiling is slow (~0.1-1 s); call it off the request path.
    pub fn load(&self, name: &str, wasm: &[u8]) -> Result<Arc<PolicyModule>, LoadError> {
        let policy = name.to_string();
        if wasmparser_is_core_module(wasm) {
            return Err(LoadError::WorldMismatch {
                policy,
                reason:
                    "this is a core Wasm module, not a component (proxy-wasm filters and wasip1 \
                         modules are not policies; build with --target wasm32-wasip2)"
                        .into(),
            });
        }
        let component = self
            .engine
            .component(wasm)
            .map_err(|e| LoadError::Compile {
                policy: policy.clone(),
                reason: format!("{e:#}"),
            })?;
        let ty = component.component_type();
        let engine = self.engine.wasmtime();
        let imports: Vec<String> = ty.imports(engine).map(|(n, _)| n.to_string()).collect();
        let forbidden: Vec<&str> = imports
            .iter()
            .map(String::as_str)
            .filter(|i| !GRANTED_IMPORTS.iter().any(|g| i.starts_with(g)))
            .collect();
        if !forbidden.is_empty() {
            return Err(LoadError::ForbiddenImport {
                policy,
                import: forbidden.join(", "),
            });
        }
        let exports: Vec<String> = ty.exports(engine).map(|(n, _)| n.to_string()).collect();
        if !exports.iter().any(|n| n.starts_with(GUARD_EXPORT_PREFIX)) {
            return Err(LoadError::WorldMismatch {
                policy,
                reason: format!(
                    "it does not export `warden:policy/guard@0.1.0` (it exports: {})",
                    exports.join(", ")
                ),
            });
        }
        let instance_pre =
            self.linker
                .instantiate_pre(&component)
                .map_err(|e| LoadError::WorldMismatch {
                    policy: policy.clone(),
                    reason: format!("{e:#}"),
                })?;
        let pre = PolicyPre::new(instance_pre).map_err(|e| LoadError::WorldMismatch {
            policy: policy.clone(),
            reason: format!("{e:#}"),
        })?;

        let mut store = Store::new(engine, GuestState::new(Arc::from(name), 64 << 20));
        store.limiter(|s| s as &mut dyn wasmtime::ResourceLimiter);
        store.set_epoch_deadline(Engine::ticks_for(std::time::Duration::from_secs(5)));
        let info = pre
            .instantiate(&mut store)
            .and_then(|p| p.warden_policy_guard().call_metadata(&mut store))
            .map_err(|e| LoadError::Fault {
                policy: policy.clone(),
                reason: format!("{e:#}"),
            })?;
        let info = info_in(info);
        Ok(Arc::new(PolicyModule {
            info,
            digest: hex::encode(Sha256::digest(wasm)),
            imports,
            exports,
            size: wasm.len(),
            pre,
        }))
    }
}

/// A compiled, checked, pre-instantiated policy component. Shared by every
/// tenant that uses the same bytes.
pub struct PolicyModule {
    /// What the policy says about itself.
    pub info: warden_sdk::PolicyInfo,
    /// sha256 of the component bytes: the policy version.
    pub digest: String,
    /// The component's imports (all granted).
    pub imports: Vec<String>,
    /// The component's exports.
    pub exports: Vec<String>,
    /// Size of the component in bytes.
    pub size: usize,
    pub(crate) pre: PolicyPre<GuestState>,
}

impl std::fmt::Debug for PolicyModule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicyModule")
            .field("info", &self.info)
            .field("digest", &self.digest)
            .finish()
    }
}

/// Core modules start with the same magic as components but a different
/// version/layer field: `\0asm` + `01 00 00 00`.
fn wasmparser_is_core_module(wasm: &[u8]) -> bool {
    wasm.len() >= 8 && &wasm[0..4] == b"\0asm" && wasm[4..8] == [1, 0, 0, 0]
}
