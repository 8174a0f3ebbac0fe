//! `warden check`: run text or a tool call through a tenant's chain and print
//! the decision, findings, edits and timing.

use std::io::Read;
use std::path::PathBuf;

use anyhow::{Context, bail};
use warden_sdk::{Input, Message, Phase, Role, ToolCall};

use crate::Warden;
use crate::chain::{ChainOutcome, StateBag};
use crate::config::{ChainEntry, Config, PolicyDef, PolicySource, TenantConfig};

/// Arguments of `warden check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Config file (default: the embedded default with all built-in policies).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Check with this one policy component instead of a config's chain.
    #[arg(long, conflicts_with = "config")]
    pub policy: Option<PathBuf>,
    /// Config JSON for `--policy`.
    #[arg(long, requires = "policy", default_value = "{}")]
    pub policy_config: String,
    /// Tenant whose chain to run.
    #[arg(long, default_value = "default")]
    pub tenant: String,
    /// Phase: request, response or tool-call.
    #[arg(long, default_value = "request")]
    pub phase: String,
    /// Role of the message: user, system, assistant or tool.
    #[arg(long)]
    pub role: Option<String>,
    /// Model name to put in the input.
    #[arg(long, default_value = "mock")]
    pub model: String,
    /// Tool name (tool-call phase).
    #[arg(long)]
    pub tool: Option<String>,
    /// Tool arguments as JSON (tool-call phase).
    #[arg(long, requires = "tool")]
    pub args: Option<String>,
    /// Output format: text or json.
    #[arg(long, default_value = "text")]
    pub format: String,
    /// The text to check, or `-` for stdin.
    pub text: Option<String>,
}

/// Run `warden check`; returns the exit code.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let mut phase: Phase = args.phase.parse().map_err(anyhow::Error::msg)?;
    if args.tool.is_some() {
        phase = Phase::ToolCall;
    }
    let (warden, tenant) = match (&args.config, &args.policy) {
        (Some(path), _) => (
            Warden::start(Config::from_file(path)?)?,
            args.tenant.clone(),
        ),
        (None, Some(file)) => (
            single_policy_warden(file, &args.policy_config)?,
            "default".to_string(),
        ),
        (None, None) => (
            Warden::start(Config::embedded_default())?,
            args.tenant.clone(),
        ),
    };
    let text = match args.text.as_deref() {
        Some("-") => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .context("reading stdin")?;
            Some(s)
        }
        Some(t) => Some(t.to_string()),
        None => None,
    };
    let role: Role = match &args.role {
        Some(r) => r.parse().map_err(anyhow::Error::msg)?,
        None if phase == Phase::Response => Role::Assistant,
        None => Role::User,
    };
    let mut input = Input::new(
        phase,
        text.map(|t| vec![Message::new(role, t)])
            .unwrap_or_default(),
    );
    input.tenant = tenant.clone();
    input.model = args.model.clone();
    if let Some(name) = args.tool {
        input.tool_call = Some(ToolCall {
            name,
            arguments: args.args.unwrap_or_else(|| "{}".into()),
        });
    } else if input.messages.is_empty() {
        bail!("give the text to check (or `-` for stdin), or --tool NAME --args JSON");
    }
    let Some(out) = warden.evaluate(&tenant, phase, input, &mut StateBag::new()) else {
        bail!(
            "no tenant {tenant:?} in the configuration (tenants: {})",
            warden.registry().tenants().join(", ")
        );
    };
    match args.format.as_str() {
        "json" => println!("{}", serde_json::to_string_pretty(&out)?),
        "text" => print_text(&out),
        other => bail!("unknown --format {other:?} (text or json)"),
    }
    Ok(out.exit_code())
}

/// A Warden running one policy component, in every phase it declares, for
/// tenant `default`: what policy authors use to try a policy out.
pub(crate) fn single_policy_warden(
    file: &std::path::Path,
    config_json: &str,
) -> anyhow::Result<Warden> {
    let config_value: serde_json::Value = serde_json::from_str(config_json)
        .with_context(|| format!("policy config is not JSON: {config_json}"))?;
    let path =
        std::fs::canonicalize(file).with_context(|| format!("cannot open {}", file.display()))?;
    let warden = Warden::start(Config::from_toml("", std::path::Path::new("/"))?)?;
    let module = warden
        .catalog()
        .load_bytes(&path.display().to_string(), &std::fs::read(&path)?)?;
    let name = module.info.name.clone();
    let def = PolicyDef {
        source: PolicySource::File(path),
        limits: Default::default(),
        failure_mode: Default::default(),
        strategy: Default::default(),
        config: config_value.clone(),
    };
    warden.define_policy(&name, def);
    let entry = ChainEntry {
        policy: name,
        failure_mode: Default::default(),
        config: config_value,
    };
    let tenant = TenantConfig {
        chains: module
            .info
            .phases
            .iter()
            .map(|p| (*p, vec![entry.clone()]))
            .collect(),
        ..Default::default()
    };
    warden.swap_tenant("default", &tenant)?;
    Ok(warden)
}

fn print_text(out: &ChainOutcome) {
    println!("action:     {}", out.action);
    if let Some(p) = &out.decided_by {
        println!("decided by: {p}");
    }
    if let Some(d) = &out.deny {
        println!("reason:     {}", d.reason);
    }
    if let Some(a) = &out.approval {
        println!("approval:   {:?} risk: {}", a.level, a.reason);
    }
    if out.route.model.is_some() || out.route.upstream.is_some() {
        println!(
            "route:      model={} upstream={}",
            out.route.model.as_deref().unwrap_or("-"),
            out.route.upstream.as_deref().unwrap_or("-")
        );
    }
    if !out.findings.is_empty() {
        println!("findings:");
        for f in &out.findings {
            let at = f.finding.span.map(|s| match s.target {
                warden_sdk::Target::Message(n) => {
                    format!(" message {n} bytes {}..{}", s.start, s.end)
                }
                warden_sdk::Target::ToolArguments => {
                    format!(" arguments bytes {}..{}", s.start, s.end)
                }
            });
            println!(
                "  - [{:?}] {} ({}){}: {}",
                f.finding.severity,
                f.finding.rule,
                f.policy,
                at.unwrap_or_default(),
                f.finding.detail
            );
        }
    }
    for fault in &out.faults {
        println!("fault:      {fault}");
    }
    if out.modified {
        for (i, m) in out.messages.iter().enumerate() {
            println!("edited[{i}]:  {}", m.content);
        }
        if let Some(t) = &out.tool_call {
            println!("edited args: {}", t.arguments);
        }
    }
    let per: Vec<String> = out
        .timings
        .iter()
        .map(|t| format!("{} {}µs", t.policy, t.micros))
        .collect();
    println!("time:       {}µs ({})", out.micros, per.join(", "));
}
