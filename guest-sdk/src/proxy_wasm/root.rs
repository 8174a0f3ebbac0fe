//! The root (plugin) context: reads the filter settings from the VM
//! configuration once per VM, configures the policy from the plugin
//! configuration once per plugin, and hands both to every HTTP stream.

use std::rc::Rc;

use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::ContextType;

use super::host::{self, ERROR, INFO, PLUGIN_CONFIGURATION, VM_CONFIGURATION};
use super::http::Http;
use super::settings::FilterSettings;
use crate::{Policy, PolicyInfo};

/// What every stream of one plugin shares: built once in `on_configure`.
#[derive(Debug)]
pub struct Shared<P> {
    /// The configured policy.
    pub policy: P,
    /// Its metadata (phases, effects).
    pub info: PolicyInfo,
    /// Filter settings from the VM configuration.
    pub settings: FilterSettings,
    /// The proxy's log level at configure time: lines below it are not formatted.
    pub log_level: u32,
}

/// The root context of a policy filter.
pub struct Root<P> {
    name: String,
    settings: FilterSettings,
    shared: Option<Rc<Shared<P>>>,
}

impl<P: Policy> Root<P> {
    /// A root context with default settings, before `on_vm_start`.
    pub fn new() -> Self {
        Self {
            name: P::info().name,
            settings: FilterSettings::default(),
            shared: None,
        }
    }

    fn read_text(&self, buffer: u32, what: &str) -> Option<String> {
        // `usize::MAX` as the proxy-wasm SDK does: the host returns what it has.
        match host::buffer(buffer, 0, usize::MAX) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Some(text),
                Err(_) => {
                    self.error(&format!("the {what} is not UTF-8 text"));
                    None
                }
            },
            Err(status) => {
                self.error(&format!("could not read the {what} (host status {status})"));
                None
            }
        }
    }

    fn error(&self, message: &str) {
        host::log(ERROR, &format!("warden filter `{}`: {message}", self.name));
    }
}

impl<P: Policy> Context for Root<P> {}

impl<P: Policy> RootContext for Root<P> {
    fn on_vm_start(&mut self, _size: usize) -> bool {
        let Some(text) = self.read_text(VM_CONFIGURATION, "VM configuration") else {
            return false;
        };
        match FilterSettings::parse(&text) {
            Ok(s) => {
                self.settings = s;
                true
            }
            Err(e) => {
                self.error(&format!(
                    "bad filter settings in vm_config.configuration: {e}"
                ));
                false
            }
        }
    }

    fn on_configure(&mut self, _size: usize) -> bool {
        let Some(text) = self.read_text(PLUGIN_CONFIGURATION, "plugin configuration") else {
            return false;
        };
        match P::configure(&text) {
            Ok(policy) => {
                let s = &self.settings;
                host::log(
                    INFO,
                    &format!(
                        "warden filter `{}` configured (hold_headers={}, max_body_bytes={}, on_oversize={:?})",
                        self.name, s.hold_headers, s.max_body_bytes, s.on_oversize
                    ),
                );
                self.shared = Some(Rc::new(Shared {
                    policy,
                    info: P::info(),
                    settings: self.settings.clone(),
                    log_level: host::log_level(),
                }));
                true
            }
            Err(e) => {
                self.error(&format!(
                    "bad plugin configuration (the policy's config JSON): {e}"
                ));
                false
            }
        }
    }

    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        // Always `Some`: the SDK's dispatcher panics on `None`. An unconfigured
        // plugin (Envoy never runs one) gets a stream that refuses chat requests.
        Some(Box::new(Http::new(self.name.clone(), self.shared.clone())))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}
