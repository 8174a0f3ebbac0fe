//! Counters `warden_<policy>_<action>`, so Envoy's own stats show every
//! decision (`/stats?filter=warden_`; Envoy lists them as `wasmcustom.warden_…`).
//!
//! Defined once per plugin in the root context (`on_configure`), so a request
//! pays one cheap host call per count: no name formatting, no map lookup.

use super::host;

/// Every action a counter exists for.
pub const ACTIONS: [&str; 9] = [
    "allow",
    "deny",
    "modify",
    "route",
    "require_approval",
    "bad_request",
    "too_large",
    "fault",
    "bad_answer",
];

/// The counters of one name (a policy, or the filter itself).
#[derive(Debug, Clone)]
pub struct Counters {
    ids: [Option<u32>; ACTIONS.len()],
}

impl Counters {
    /// Define `warden_<name>_<action>` for every action. A host that refuses
    /// metrics costs the counts, never the requests.
    pub fn define(name: &str) -> Self {
        let name = name.replace('-', "_");
        Self {
            ids: ACTIONS.map(|a| host::define_counter(&format!("warden_{name}_{a}")).ok()),
        }
    }

    /// Count one `action` (`require-approval` and `require_approval` both work).
    pub fn count(&self, action: &str) {
        let i = ACTIONS.iter().position(|a| {
            a.bytes()
                .eq(action.bytes().map(|b| if b == b'-' { b'_' } else { b }))
        });
        if let Some(id) = i.and_then(|i| self.ids[i]) {
            let _ = host::increment(id);
        }
    }
}
