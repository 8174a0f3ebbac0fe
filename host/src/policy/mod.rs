//! Policies: loading a component (`PolicyModule`), configuring it for a tenant
//! (`ConfiguredPolicy`), and calling it under limits with typed faults.

mod bindings;
mod configured;
mod deadline;
mod error;
mod guest_log;
mod module;
mod validate;

pub use configured::{
    ConfiguredPolicy, DEFAULT_MAX_USES, DEFAULT_MEMORY, DEFAULT_TIMEOUT, FailureMode,
    InstanceStrategy, Limits,
};
pub use error::{FaultKind, LoadError, PolicyFault};
pub use module::{PolicyLinker, PolicyModule};
