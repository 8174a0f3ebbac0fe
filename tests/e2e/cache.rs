//! Precompiled artifacts: a restart maps the cached `.cwasm` instead of
//! recompiling, and a damaged cache entry costs time, never correctness.

use std::time::Instant;

use warden::engine::{Engine, EngineConfig};
use warden::policy::PolicyLinker;

fn load_in_fresh_engine(dir: &std::path::Path, wasm: &[u8]) -> std::time::Duration {
    let engine = Engine::new(&EngineConfig {
        cache_dir: Some(dir.to_path_buf()),
        ..Default::default()
    })
    .unwrap();
    let linker = PolicyLinker::new(&engine).unwrap();
    let t0 = Instant::now();
    let module = linker.load("pii", wasm).expect("loads");
    assert_eq!(module.info.name, "pii");
    t0.elapsed()
}

#[test]
fn restart_uses_the_artifact_cache_and_survives_a_damaged_entry() {
    let dir = std::env::temp_dir().join(format!("warden-cache-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let wasm = std::fs::read(warden_artifacts::PII).unwrap();

    let cold = load_in_fresh_engine(&dir, &wasm);
    let entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(
        entries.len(),
        1,
        "one artifact, no temp files left: {entries:?}"
    );
    assert!(entries[0].extension().is_some_and(|e| e == "cwasm"));

    let warm = load_in_fresh_engine(&dir, &wasm);
    assert!(
        warm * 3 < cold,
        "a cached load ({warm:?}) should be far faster than compiling ({cold:?})"
    );

    std::fs::write(&entries[0], b"garbage").unwrap();
    load_in_fresh_engine(&dir, &wasm);
    assert!(
        std::fs::read(&entries[0]).unwrap().len() > 1000,
        "the damaged entry was rewritten"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
