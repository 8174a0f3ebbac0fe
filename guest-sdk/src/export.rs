//! Glue between a [`Policy`](crate::Policy) and the generated component bindings.
//!
//! Everything here is reached only through [`export_policy!`](crate::export_policy);
//! natively it reduces to a no-op logger so policy code unit-tests anywhere.

#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn host_log(_level: crate::LogLevel, _message: &str, _fields: &[(&str, &str)]) {}

// The filter form logs through the proxy's log instead of the WIT import.
#[cfg(all(target_arch = "wasm32", feature = "proxy-wasm"))]
pub(crate) use crate::proxy_wasm::host_log;

#[cfg(all(target_arch = "wasm32", not(feature = "proxy-wasm")))]
pub use wasm::*;

#[cfg(all(target_arch = "wasm32", not(feature = "proxy-wasm")))]
#[allow(missing_docs, reason = "generated bindings and hidden glue")]
mod wasm {
    use std::any::Any;
    use std::cell::RefCell;

    use crate::{Policy, types as sdk};

    pub use wit_bindgen;

    /// Bindings for `warden:policy/policy`, generated once here so authors never
    /// depend on wit-bindgen.
    pub mod bindings {
        wit_bindgen::generate!({
            path: "../wit",
            world: "warden:policy/policy",
            pub_export_macro: true,
            export_macro_name: "__export_policy_world",
            default_bindings_module: "warden_sdk::__private::bindings",
            runtime_path: "warden_sdk::__private::wit_bindgen::rt",
            bitflags_path: "warden_sdk::__private::wit_bindgen::rt::bitflags",
        });
    }

    pub use bindings::__export_policy_world;
    pub use bindings::exports::warden::policy::guard::Guest;
    use bindings::warden::policy::log as wlog;
    pub use bindings::warden::policy::types as wit;

    thread_local! {
        // The configured policy of this instance. Wasm guests are single-threaded.
        static CONFIGURED: RefCell<Option<Box<dyn Any>>> = const { RefCell::new(None) };
    }

    pub(crate) fn host_log(level: sdk::LogLevel, message: &str, fields: &[(&str, &str)]) {
        let level = match level {
            sdk::LogLevel::Trace => wlog::Level::Trace,
            sdk::LogLevel::Debug => wlog::Level::Debug,
            sdk::LogLevel::Info => wlog::Level::Info,
            sdk::LogLevel::Warn => wlog::Level::Warn,
            sdk::LogLevel::Error => wlog::Level::Error,
        };
        let fields: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        wlog::log(level, message, &fields);
    }

    pub fn metadata<P: Policy>() -> wit::PolicyInfo {
        let info = P::info();
        let mut effects = wit::Effects::empty();
        if info.effects.modify {
            effects |= wit::Effects::MODIFY;
        }
        if info.effects.route {
            effects |= wit::Effects::ROUTE;
        }
        if info.effects.approve {
            effects |= wit::Effects::APPROVE;
        }
        wit::PolicyInfo {
            name: info.name,
            version: info.version,
            description: info.description,
            phases: info.phases.into_iter().map(phase_out).collect(),
            effects,
        }
    }

    pub fn configure<P: Policy>(config: String) -> Result<(), wit::ConfigError> {
        match P::configure(&config) {
            Ok(p) => {
                CONFIGURED.with(|c| *c.borrow_mut() = Some(Box::new(p)));
                Ok(())
            }
            Err(e) => Err(wit::ConfigError {
                key: e.key,
                message: e.message,
            }),
        }
    }

    pub fn evaluate<P: Policy>(input: wit::Input) -> Result<wit::Verdict, String> {
        let input = input_in(input);
        CONFIGURED.with(|c| {
            let c = c.borrow();
            let policy = c
                .as_ref()
                .and_then(|b| b.downcast_ref::<P>())
                .ok_or_else(|| "policy evaluated before configure".to_string())?;
            policy.evaluate(&input).map(verdict_out)
        })
    }

    fn phase_out(p: sdk::Phase) -> wit::Phase {
        match p {
            sdk::Phase::Request => wit::Phase::Request,
            sdk::Phase::Response => wit::Phase::Response,
            sdk::Phase::ToolCall => wit::Phase::ToolCall,
        }
    }

    fn input_in(i: wit::Input) -> sdk::Input {
        sdk::Input {
            tenant: i.tenant,
            user: i.user,
            model: i.model,
            phase: match i.phase {
                wit::Phase::Request => sdk::Phase::Request,
                wit::Phase::Response => sdk::Phase::Response,
                wit::Phase::ToolCall => sdk::Phase::ToolCall,
            },
            messages: i
                .messages
                .into_iter()
                .map(|m| sdk::Message {
                    role: match m.role {
                        wit::Role::System => sdk::Role::System,
                        wit::Role::User => sdk::Role::User,
                        wit::Role::Assistant => sdk::Role::Assistant,
                        wit::Role::Tool => sdk::Role::Tool,
                    },
                    content: m.content,
                })
                .collect(),
            tool_call: i.tool_call.map(|t| sdk::ToolCall {
                name: t.name,
                arguments: t.arguments,
            }),
            metadata: i.metadata,
            state: i.state,
        }
    }

    fn span_out(s: sdk::Span) -> wit::Span {
        wit::Span {
            target: match s.target {
                sdk::Target::Message(n) => wit::Target::Message(n),
                sdk::Target::ToolArguments => wit::Target::ToolArguments,
            },
            start: s.start,
            end: s.end,
        }
    }

    fn verdict_out(v: sdk::Verdict) -> wit::Verdict {
        let action = match v.action {
            sdk::Action::Allow => wit::Action::Allow,
            sdk::Action::Deny(d) => wit::Action::Deny(wit::Deny {
                reason: d.reason,
                code: d.code,
            }),
            sdk::Action::Modify { edits } => wit::Action::Modify(
                edits
                    .into_iter()
                    .map(|e| wit::Edit {
                        span: span_out(e.span),
                        replacement: e.replacement,
                    })
                    .collect(),
            ),
            sdk::Action::Route(r) => wit::Action::Route(wit::Route {
                model: r.model,
                upstream: r.upstream,
            }),
            sdk::Action::RequireApproval(a) => wit::Action::RequireApproval(wit::Approval {
                level: match a.level {
                    sdk::RiskLevel::Low => wit::RiskLevel::Low,
                    sdk::RiskLevel::Medium => wit::RiskLevel::Medium,
                    sdk::RiskLevel::High => wit::RiskLevel::High,
                    sdk::RiskLevel::Critical => wit::RiskLevel::Critical,
                },
                reason: a.reason,
            }),
        };
        wit::Verdict {
            action,
            findings: v
                .findings
                .into_iter()
                .map(|f| wit::Finding {
                    rule: f.rule,
                    category: f.category,
                    severity: match f.severity {
                        sdk::Severity::Info => wit::Severity::Info,
                        sdk::Severity::Low => wit::Severity::Low,
                        sdk::Severity::Medium => wit::Severity::Medium,
                        sdk::Severity::High => wit::Severity::High,
                        sdk::Severity::Critical => wit::Severity::Critical,
                    },
                    span: f.span.map(span_out),
                    detail: f.detail,
                })
                .collect(),
            score: v.score,
            state: v.state,
        }
    }
}

/// Export a [`Policy`](crate::Policy) type as the component's `warden:policy/guard`,
/// or, with the SDK's `proxy-wasm` feature, as a proxy-wasm HTTP filter.
///
/// Put it once in the policy crate's `lib.rs`; it expands to nothing when the crate
/// is compiled natively (for unit tests and benches). Which form it builds is
/// decided inside the SDK (by `__warden_export_form!`, defined once per form under
/// the SDK's own `cfg`), because a `cfg(feature = ..)` written in this macro would
/// be evaluated against the *calling* crate's features.
///
/// ```ignore
/// warden_sdk::export_policy!(BannedTopics);
/// ```
#[macro_export]
macro_rules! export_policy {
    ($policy:ty) => {
        $crate::__warden_export_form!($policy);
    };
}

/// Component form: the `warden:policy/guard` export.
#[cfg(all(target_arch = "wasm32", not(feature = "proxy-wasm")))]
#[doc(hidden)]
#[macro_export]
macro_rules! __warden_export_form {
    ($policy:ty) => {
        const _: () = {
            struct __WardenPolicyExport;
            impl $crate::__private::Guest for __WardenPolicyExport {
                fn metadata() -> $crate::__private::wit::PolicyInfo {
                    $crate::__private::metadata::<$policy>()
                }
                fn configure(
                    config_json: ::std::string::String,
                ) -> ::std::result::Result<(), $crate::__private::wit::ConfigError> {
                    $crate::__private::configure::<$policy>(config_json)
                }
                fn evaluate(
                    input: $crate::__private::wit::Input,
                ) -> ::std::result::Result<$crate::__private::wit::Verdict, ::std::string::String>
                {
                    $crate::__private::evaluate::<$policy>(input)
                }
            }
            $crate::__private::__export_policy_world!(
                __WardenPolicyExport with_types_in $crate::__private::bindings
            );
        };
    };
}

/// Filter form: `_initialize` installs the policy as the proxy-wasm root context.
#[cfg(all(target_arch = "wasm32", feature = "proxy-wasm"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __warden_export_form {
    ($policy:ty) => {
        $crate::__private::proxy_wasm::main! {{
            $crate::__private::start_filter::<$policy>();
        }}
    };
}

/// Native builds (unit tests, benches): nothing to export.
#[cfg(not(target_arch = "wasm32"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __warden_export_form {
    ($policy:ty) => {};
}
