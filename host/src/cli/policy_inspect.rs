//! `warden policy inspect FILE.wasm`: the world, metadata and imports of a
//! component, or a clear reason why it is not a valid policy.

use std::path::Path;

use anyhow::Context;

use crate::engine::{Engine, EngineConfig};
use crate::policy::PolicyLinker;

/// Run `warden policy inspect`; returns the exit code.
pub fn run(file: &Path) -> anyhow::Result<i32> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let engine = Engine::new(&EngineConfig::default()).map_err(|e| anyhow::anyhow!("{e:#}"))?;
    let linker = PolicyLinker::new(&engine).map_err(|e| anyhow::anyhow!("{e:#}"))?;
    let module = linker.load(&file.display().to_string(), &bytes)?;
    let info = &module.info;
    let phases: Vec<&str> = info.phases.iter().map(|p| p.as_str()).collect();
    let mut effects = vec!["allow", "deny"];
    if info.effects.modify {
        effects.push("modify");
    }
    if info.effects.route {
        effects.push("route");
    }
    if info.effects.approve {
        effects.push("require-approval");
    }
    println!(
        "file:        {} ({} bytes, sha256 {})",
        file.display(),
        module.size,
        &module.digest[..16]
    );
    println!(
        "world:       warden:policy/policy (exports {})",
        module.exports.join(", ")
    );
    println!("name:        {}", info.name);
    println!("version:     {}", info.version);
    println!("description: {}", info.description);
    println!("phases:      {}", phases.join(", "));
    println!("effects:     {}", effects.join(", "));
    println!("imports:");
    for i in &module.imports {
        println!("  - {i}");
    }
    Ok(0)
}
