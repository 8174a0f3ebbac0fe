//! SDK-owned mirrors of the `warden:policy/types` WIT types, with builders.
//!
//! They derive serde so the host reuses them for its JSON output (the guard API,
//! `warden check --format json`) and the proxy-wasm filter form reuses them too.

use serde::{Deserialize, Serialize};

/// Where in an LLM call a verdict is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Before the model.
    Request,
    /// After the model answered.
    Response,
    /// Before an agent runs a tool.
    ToolCall,
}

impl Phase {
    /// All phases, in request order.
    pub const ALL: [Phase; 3] = [Phase::Request, Phase::Response, Phase::ToolCall];

    /// The WIT / config spelling: `request`, `response`, `tool-call`.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Request => "request",
            Phase::Response => "response",
            Phase::ToolCall => "tool-call",
        }
    }
}

impl std::str::FromStr for Phase {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "request" => Ok(Phase::Request),
            "response" => Ok(Phase::Response),
            "tool-call" | "tool_call" => Ok(Phase::ToolCall),
            other => Err(format!(
                "unknown phase {other:?} (expected request, response or tool-call)"
            )),
        }
    }
}

/// Author of a chat message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Operator instructions.
    System,
    /// The end user.
    User,
    /// The model.
    Assistant,
    /// A tool result fed back to the model.
    Tool,
}

impl Role {
    /// Lower-case name as used by the provider APIs.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
            Role::Tool => "tool",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "system" | "developer" => Ok(Role::System),
            "user" => Ok(Role::User),
            "assistant" => Ok(Role::Assistant),
            "tool" | "function" => Ok(Role::Tool),
            other => Err(format!("unknown role {other:?}")),
        }
    }
}

/// One chat message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Who wrote it.
    pub role: Role,
    /// Its text.
    pub content: String,
}

impl Message {
    /// A message with `role` and `content`.
    pub fn new(role: Role, content: impl Into<String>) -> Self {
        Self {
            role,
            content: content.into(),
        }
    }
    /// A user message.
    pub fn user(content: impl Into<String>) -> Self {
        Self::new(Role::User, content)
    }
}

/// A tool call the model asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolCall {
    /// Tool name.
    pub name: String,
    /// Arguments as JSON text.
    pub arguments: String,
}

/// What a span points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// `messages[n].content`.
    Message(u32),
    /// The tool call's JSON arguments.
    ToolArguments,
}

/// Half-open byte range `[start, end)` on UTF-8 boundaries of the target text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    /// What the offsets index into.
    pub target: Target,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span in message `index`.
    pub fn message(index: usize, start: usize, end: usize) -> Self {
        Self {
            target: Target::Message(index as u32),
            start: start as u32,
            end: end as u32,
        }
    }
    /// A span in the tool call's arguments.
    pub fn tool_arguments(start: usize, end: usize) -> Self {
        Self {
            target: Target::ToolArguments,
            start: start as u32,
            end: end as u32,
        }
    }
    /// The byte range as `usize`s.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Informational.
    Info,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

/// One thing a policy noticed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable rule id, e.g. `pii.email`.
    pub rule: String,
    /// Coarse category for metrics, e.g. `pii`.
    pub category: String,
    /// Severity.
    pub severity: Severity,
    /// Where, when it points at text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// Short explanation; never the matched secret.
    pub detail: String,
}

impl Finding {
    /// A finding with no span and no detail; chain [`Finding::at`] and [`Finding::detail`].
    pub fn new(rule: impl Into<String>, category: impl Into<String>, severity: Severity) -> Self {
        Self {
            rule: rule.into(),
            category: category.into(),
            severity,
            span: None,
            detail: String::new(),
        }
    }
    /// Point the finding at `span`.
    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }
    /// Set the explanation.
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }
}

/// Replace the bytes of `span` with `replacement` (applied by the host).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    /// What to replace.
    pub span: Span,
    /// The new text.
    pub replacement: String,
}

/// Send the request elsewhere.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    /// Model to use instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Upstream to use instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upstream: Option<String>,
}

/// Risk level of a tool call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RiskLevel {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical: two approvers.
    Critical,
}

/// Hold the call for a human.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    /// Risk level.
    pub level: RiskLevel,
    /// Why.
    pub reason: String,
}

/// Refuse the call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deny {
    /// Shown to the client; never echoes the prompt.
    pub reason: String,
    /// Optional machine-readable code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// What the host should do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Action {
    /// Let it through.
    Allow,
    /// Refuse it.
    Deny(Deny),
    /// Let it through after these edits.
    Modify {
        /// Non-overlapping edits.
        edits: Vec<Edit>,
    },
    /// Send it elsewhere.
    Route(Route),
    /// Hold it for a human.
    RequireApproval(Approval),
}

impl Action {
    /// `allow`, `deny`, `modify`, `route` or `require-approval`.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Allow => "allow",
            Action::Deny(_) => "deny",
            Action::Modify { .. } => "modify",
            Action::Route(_) => "route",
            Action::RequireApproval(_) => "require-approval",
        }
    }
}

/// A policy's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// What to do.
    pub action: Action,
    /// What was noticed.
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// Optional score in [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
    /// Opaque state handed back in later phases of the same request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<Vec<u8>>,
}

impl Verdict {
    fn with_action(action: Action) -> Self {
        Self {
            action,
            findings: Vec::new(),
            score: None,
            state: None,
        }
    }
    /// Let the call through.
    pub fn allow() -> Self {
        Self::with_action(Action::Allow)
    }
    /// Refuse the call with `reason`.
    pub fn deny(reason: impl Into<String>) -> Self {
        Self::with_action(Action::Deny(Deny {
            reason: reason.into(),
            code: None,
        }))
    }
    /// Refuse the call with `reason` and a machine-readable `code`.
    pub fn deny_with_code(reason: impl Into<String>, code: impl Into<String>) -> Self {
        Self::with_action(Action::Deny(Deny {
            reason: reason.into(),
            code: Some(code.into()),
        }))
    }
    /// Apply `edits`; an empty list is an `allow`.
    pub fn modify(edits: Vec<Edit>) -> Self {
        if edits.is_empty() {
            Self::allow()
        } else {
            Self::with_action(Action::Modify { edits })
        }
    }
    /// Route to another model and/or upstream.
    pub fn route(model: Option<String>, upstream: Option<String>) -> Self {
        Self::with_action(Action::Route(Route { model, upstream }))
    }
    /// Hold for human approval.
    pub fn require_approval(level: RiskLevel, reason: impl Into<String>) -> Self {
        Self::with_action(Action::RequireApproval(Approval {
            level,
            reason: reason.into(),
        }))
    }
    /// Add a finding.
    pub fn finding(mut self, finding: Finding) -> Self {
        self.findings.push(finding);
        self
    }
    /// Add findings.
    pub fn findings(mut self, findings: impl IntoIterator<Item = Finding>) -> Self {
        self.findings.extend(findings);
        self
    }
    /// Set the score.
    pub fn score(mut self, score: f32) -> Self {
        self.score = Some(score);
        self
    }
    /// Set the state blob for later phases.
    pub fn state(mut self, state: Vec<u8>) -> Self {
        self.state = Some(state);
        self
    }
}

/// Everything a policy learns about one call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    /// Tenant.
    pub tenant: String,
    /// End user, if known.
    #[serde(default)]
    pub user: Option<String>,
    /// Requested model.
    pub model: String,
    /// Phase.
    pub phase: Phase,
    /// The chat (or, in `response`, the answer).
    pub messages: Vec<Message>,
    /// The tool call (`tool-call` phase only).
    #[serde(default)]
    pub tool_call: Option<ToolCall>,
    /// Request facts as string pairs.
    #[serde(default)]
    pub metadata: Vec<(String, String)>,
    /// State this policy returned in an earlier phase of this request.
    #[serde(default)]
    pub state: Option<Vec<u8>>,
}

impl Input {
    /// A `phase` input for tenant `default` and model `mock` with `messages`.
    pub fn new(phase: Phase, messages: Vec<Message>) -> Self {
        Self {
            tenant: "default".into(),
            user: None,
            model: "mock".into(),
            phase,
            messages,
            tool_call: None,
            metadata: Vec::new(),
            state: None,
        }
    }
    /// A `request` input with one user message: handy in tests.
    pub fn request(text: impl Into<String>) -> Self {
        Self::new(Phase::Request, vec![Message::user(text)])
    }
    /// A `tool-call` input.
    pub fn tool_call(name: impl Into<String>, arguments: impl Into<String>) -> Self {
        let mut i = Self::new(Phase::ToolCall, Vec::new());
        i.tool_call = Some(ToolCall {
            name: name.into(),
            arguments: arguments.into(),
        });
        i
    }
    /// The value of metadata `key`, if present.
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.metadata
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Effects a policy may return besides allow and deny.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Effects {
    /// May return `modify`.
    pub modify: bool,
    /// May return `route`.
    pub route: bool,
    /// May return `require-approval`.
    pub approve: bool,
}

impl Effects {
    /// Whether `action` is allowed under these effects.
    pub fn permits(&self, action: &Action) -> bool {
        match action {
            Action::Allow | Action::Deny(_) => true,
            Action::Modify { .. } => self.modify,
            Action::Route(_) => self.route,
            Action::RequireApproval(_) => self.approve,
        }
    }
}

/// What a policy says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyInfo {
    /// Short kebab-case name.
    pub name: String,
    /// Semver text.
    pub version: String,
    /// One sentence.
    pub description: String,
    /// Phases handled.
    pub phases: Vec<Phase>,
    /// Effects it may return.
    pub effects: Effects,
}

impl PolicyInfo {
    /// Info for a policy that handles `request` and returns only allow/deny.
    pub fn new(name: &str, version: &str, description: &str) -> Self {
        Self {
            name: name.into(),
            version: version.into(),
            description: description.into(),
            phases: vec![Phase::Request],
            effects: Effects::default(),
        }
    }
    /// Set the phases handled.
    pub fn phases(mut self, phases: &[Phase]) -> Self {
        self.phases = phases.to_vec();
        self
    }
    /// Declare the `modify` effect.
    pub fn modifies(mut self) -> Self {
        self.effects.modify = true;
        self
    }
    /// Declare the `route` effect.
    pub fn routes(mut self) -> Self {
        self.effects.route = true;
        self
    }
    /// Declare the `require-approval` effect.
    pub fn approves(mut self) -> Self {
        self.effects.approve = true;
        self
    }
}

/// Log levels (the WIT `log.level`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogLevel {
    /// Trace.
    Trace,
    /// Debug.
    Debug,
    /// Info.
    Info,
    /// Warn.
    Warn,
    /// Error.
    Error,
}
