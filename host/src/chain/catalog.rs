//! Where policies come from: built-ins and files, compiled once per distinct
//! component (by sha256) and shared by every tenant; configured per tenant.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};
use warden_sdk::Phase;

use super::TenantChain;
use crate::config::{Config, PolicyDef, PolicySource, TenantConfig};
use crate::policy::{ConfiguredPolicy, LoadError, PolicyLinker, PolicyModule};

/// Loads and caches policy modules, and builds tenant chains from config.
#[derive(Debug)]
pub struct Catalog {
    linker: PolicyLinker,
    modules: Mutex<HashMap<String, Arc<PolicyModule>>>,
}

impl Catalog {
    /// A catalog over `linker`'s engine.
    pub fn new(linker: PolicyLinker) -> Self {
        Self {
            linker,
            modules: Mutex::new(HashMap::new()),
        }
    }

    /// The engine's linker.
    pub fn linker(&self) -> &PolicyLinker {
        &self.linker
    }

    /// Read a policy source's bytes.
    pub fn read_source(name: &str, source: &PolicySource) -> Result<Vec<u8>, LoadError> {
        match source {
            PolicySource::Builtin(b) => {
                crate::builtin::bytes(b)
                    .map(|b| b.to_vec())
                    .ok_or_else(|| LoadError::Source {
                        policy: name.into(),
                        reason: format!("no built-in policy {b:?}"),
                    })
            }
            PolicySource::File(path) => std::fs::read(path).map_err(|e| LoadError::Source {
                policy: name.into(),
                reason: format!("cannot read {}: {e}", path.display()),
            }),
        }
    }

    /// Load component bytes, reusing an already loaded module with the same digest.
    pub fn load_bytes(&self, name: &str, wasm: &[u8]) -> Result<Arc<PolicyModule>, LoadError> {
        let digest = hex::encode(Sha256::digest(wasm));
        if let Some(m) = self.modules.lock().unwrap().get(&digest) {
            return Ok(m.clone());
        }
        let module = self.linker.load(name, wasm)?;
        self.modules.lock().unwrap().insert(digest, module.clone());
        Ok(module)
    }

    /// Build every tenant's chain from `config`. Fails, naming the policy and
    /// reason, if any module fails to load or any `configure` refuses.
    pub fn build_all(&self, config: &Config) -> Result<BTreeMap<String, TenantChain>, LoadError> {
        let mut modules: HashMap<&str, Arc<PolicyModule>> = HashMap::new();
        for (name, def) in &config.policies {
            let used = config
                .tenants
                .values()
                .any(|t| t.chains.values().flatten().any(|e| &e.policy == name));
            if used {
                modules.insert(
                    name,
                    self.load_bytes(name, &Self::read_source(name, &def.source)?)?,
                );
            }
        }
        let mut out = BTreeMap::new();
        for (tenant, tcfg) in &config.tenants {
            out.insert(
                tenant.clone(),
                self.build_tenant(tenant, tcfg, &config.policies, &modules)?,
            );
        }
        Ok(out)
    }

    /// Build one tenant's chain from already loaded modules.
    pub fn build_tenant(
        &self,
        tenant: &str,
        tcfg: &TenantConfig,
        defs: &BTreeMap<String, PolicyDef>,
        modules: &HashMap<&str, Arc<PolicyModule>>,
    ) -> Result<TenantChain, LoadError> {
        // The same policy with the same config in several phases (pii in request
        // and response) is one configured policy, so its state blob follows it.
        let mut configured: HashMap<(String, String), Arc<ConfiguredPolicy>> = HashMap::new();
        let mut phases = BTreeMap::new();
        for (phase, entries) in &tcfg.chains {
            let mut list = Vec::new();
            for e in entries {
                let def = &defs[&e.policy];
                let module = modules[e.policy.as_str()].clone();
                check_phase(&e.policy, &module, *phase)?;
                let config_json = e.config.to_string();
                let key = (
                    e.policy.clone(),
                    format!("{config_json}|{:?}", e.failure_mode),
                );
                let cp = match configured.get(&key) {
                    Some(cp) => cp.clone(),
                    None => {
                        let cp = Arc::new(ConfiguredPolicy::new(
                            self.linker.engine(),
                            &e.policy,
                            module,
                            config_json,
                            def.limits,
                            e.failure_mode,
                            def.strategy,
                        )?);
                        configured.insert(key, cp.clone());
                        cp
                    }
                };
                list.push(cp);
            }
            phases.insert(*phase, list);
        }
        Ok(TenantChain {
            tenant: tenant.to_string(),
            version: 0,
            phases,
        })
    }
}

fn check_phase(name: &str, module: &PolicyModule, phase: Phase) -> Result<(), LoadError> {
    if module.info.phases.contains(&phase) {
        return Ok(());
    }
    let handles: Vec<&str> = module.info.phases.iter().map(|p| p.as_str()).collect();
    Err(LoadError::Source {
        policy: name.into(),
        reason: format!(
            "is in the `{}` chain but handles only: {}",
            phase.as_str(),
            handles.join(", ")
        ),
    })
}
