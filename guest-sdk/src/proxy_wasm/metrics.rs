//! Counters `warden_<policy>_<action>`, defined on first use and cached, so
//! Envoy's own stats show every decision (`/stats?filter=warden_`; Envoy lists
//! them as `wasmcustom.warden_…`).

use std::cell::RefCell;
use std::collections::HashMap;

use super::host;

thread_local! {
    // Metric ids are per VM, and a VM is single-threaded.
    static IDS: RefCell<HashMap<String, u32>> = RefCell::new(HashMap::new());
}

/// Count one `action` of `policy` (`allow`, `deny`, `modify`, `route`,
/// `require_approval`, `bad_request`, `too_large`, `fault`, `bad_answer`).
/// A host that refuses metrics costs the count, never the request.
pub fn count(policy: &str, action: &str) {
    let name = format!("warden_{policy}_{action}").replace('-', "_");
    let id = IDS.with(|ids| {
        let mut ids = ids.borrow_mut();
        if let Some(id) = ids.get(&name) {
            return Some(*id);
        }
        let id = host::define_counter(&name).ok()?;
        ids.insert(name, id);
        Some(id)
    });
    if let Some(id) = id {
        let _ = host::increment(id);
    }
}
