//! The root (plugin) context: reads the filter settings from the VM
//! configuration once per VM, configures the policies from the plugin
//! configuration once per plugin, defines their counters, and hands all of it
//! to every HTTP stream.
//!
//! A filter runs a list of [`Stage`]s: one for a single-policy filter (its
//! plugin configuration is the policy's config), several for the chain filter
//! (see [`chain_config`](super::chain)).

use std::rc::Rc;

use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::ContextType;

use super::Stage;
use super::host::{self, ERROR, INFO, PLUGIN_CONFIGURATION, VM_CONFIGURATION};
use super::http::Http;
use super::metrics::Counters;
use super::pipeline::Step;
use super::settings::FilterSettings;
use crate::Phase;

/// Builds the stages from the plugin configuration text.
pub type Configure = Box<dyn Fn(&str) -> Result<Vec<Stage>, String>>;

/// A configured stage with its counters.
pub struct Configured {
    /// The stage.
    pub stage: Stage,
    /// `warden_<stage>_<action>`.
    pub counters: Counters,
}

/// What every stream of one plugin shares: built once in `on_configure`.
pub struct Shared {
    /// The filter's name in logs and for filter-level counters (`bad_request`,
    /// `too_large`, `bad_answer`): the policy's name, or `chain`.
    pub name: String,
    /// The stages, in order.
    pub stages: Vec<Configured>,
    /// The filter-level counters.
    pub counters: Counters,
    /// Filter settings from the VM configuration.
    pub settings: FilterSettings,
    /// The proxy's log level at configure time: lines below it are not formatted.
    pub log_level: u32,
    /// Whether some stage handles request, response, tool-call.
    handles: [bool; 3],
    /// Whether some stage may rewrite a request body (modify or route).
    pub may_rewrite: bool,
    /// Whether some stage may rewrite an answer (modify).
    pub may_modify: bool,
}

impl Shared {
    fn new(name: String, stages: Vec<Stage>, settings: FilterSettings) -> Self {
        let handles = Phase::ALL.map(|p| stages.iter().any(|s| s.info.phases.contains(&p)));
        let may_rewrite = stages
            .iter()
            .any(|s| s.info.effects.modify || s.info.effects.route);
        let may_modify = stages.iter().any(|s| s.info.effects.modify);
        let filter_counters = Counters::define(&name);
        let stages = stages
            .into_iter()
            .map(|stage| Configured {
                counters: if stage.name == name {
                    filter_counters.clone()
                } else {
                    Counters::define(&stage.name)
                },
                stage,
            })
            .collect();
        Self {
            name,
            stages,
            counters: filter_counters,
            settings,
            log_level: host::log_level(),
            handles,
            may_rewrite,
            may_modify,
        }
    }

    /// Whether some stage handles `phase`.
    pub fn handles(&self, phase: Phase) -> bool {
        let i = Phase::ALL.iter().position(|p| *p == phase).unwrap_or(0);
        self.handles[i]
    }

    /// The stages as the pipeline sees them.
    pub fn steps(&self) -> Vec<Step<'_>> {
        self.stages
            .iter()
            .map(|c| Step {
                name: &c.stage.name,
                phases: &c.stage.info.phases,
                effects: c.stage.info.effects,
            })
            .collect()
    }
}

/// The root context of a Warden filter.
pub struct Root {
    name: String,
    settings: FilterSettings,
    configure: Configure,
    shared: Option<Rc<Shared>>,
}

impl Root {
    /// A root context named `name` (logs, filter-level counters) whose plugin
    /// configuration `configure` turns into stages.
    pub fn new(name: String, configure: Configure) -> Self {
        Self {
            name,
            settings: FilterSettings::default(),
            configure,
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

impl Context for Root {}

impl RootContext for Root {
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
        match (self.configure)(&text) {
            Ok(stages) => {
                let s = &self.settings;
                let names: Vec<&str> = stages.iter().map(|s| s.name.as_str()).collect();
                host::log(
                    INFO,
                    &format!(
                        "warden filter `{}` configured: policies [{}] (hold_headers={}, max_body_bytes={}, on_oversize={:?})",
                        self.name,
                        names.join(", "),
                        s.hold_headers,
                        s.max_body_bytes,
                        s.on_oversize
                    ),
                );
                self.shared = Some(Rc::new(Shared::new(
                    self.name.clone(),
                    stages,
                    self.settings.clone(),
                )));
                true
            }
            Err(e) => {
                self.error(&format!("bad plugin configuration: {e}"));
                false
            }
        }
    }

    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        // Always `Some`: the SDK's dispatcher panics on `None`. An unconfigured
        // plugin (Envoy never runs one) gets a stream that refuses chat requests.
        Some(Box::new(Http::new(self.shared.clone())))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}
