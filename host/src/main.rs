//! The `warden` binary: parse arguments, set up logging, call the library.
//! `anyhow` lives here only.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc instead of glibc malloc: the gateway allocates many small, short-lived
/// buffers per request (JSON values, headers, guest results) on a few threads, where
/// glibc spent ~12% of the process's CPU (see the root `Cargo.toml`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "warden",
    version,
    about = "Sandboxed WebAssembly guardrails around LLM calls"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate text (or a tool call) through a tenant's chain, without a server.
    ///
    /// Exit codes: 0 allow/modify/route, 2 deny, 3 require-approval, 1 error.
    Check(warden::cli::check::Args),
    /// Work with policy components.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Run the guarded LLM gateway (OpenAI and Anthropic APIs).
    Serve(warden::cli::serve::Args),
    /// Print the sha256 form of an API key for `tenants.<t>.api_keys`.
    HashKey {
        /// The API key (or `-` to read it from stdin).
        key: String,
    },
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Show a component's world, metadata and imports.
    Inspect {
        /// The `.wasm` component.
        file: PathBuf,
    },
    /// Run labelled cases through one policy and report precision/recall.
    Test(warden::cli::policy_test::Args),
    /// Scaffold a ready-to-build policy crate.
    New(warden::cli::policy_new::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(matches!(cli.command, Command::Serve(_)));
    let result: anyhow::Result<i32> = match cli.command {
        Command::Check(args) => warden::cli::check::run(args),
        Command::Policy(PolicyCommand::Inspect { file }) => warden::cli::policy_inspect::run(&file),
        Command::Policy(PolicyCommand::Test(args)) => warden::cli::policy_test::run(args),
        Command::Policy(PolicyCommand::New(args)) => warden::cli::policy_new::run(args),
        Command::Serve(args) => warden::cli::serve::run(args),
        Command::HashKey { key } => hash_key(&key),
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn hash_key(key: &str) -> anyhow::Result<i32> {
    let key = if key == "-" {
        let mut s = String::new();
        std::io::stdin().read_line(&mut s)?;
        s.trim().to_string()
    } else {
        key.to_string()
    };
    println!("sha256:{}", warden::config::hash_api_key(&key));
    Ok(0)
}

/// Logs go to stderr; `WARDEN_LOG` (or `RUST_LOG`) sets the filter and
/// `WARDEN_LOG_FORMAT` (`json` or `text`) the format. The server defaults to
/// `info` as JSON lines (one access line per request); the CLI tools to `warn`
/// as text.
fn init_tracing(server: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = std::env::var("WARDEN_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .unwrap_or_else(|_| if server { "info" } else { "warn" }.into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(filter))
        .with_writer(std::io::stderr);
    let json = match std::env::var("WARDEN_LOG_FORMAT").as_deref() {
        Ok("json") => true,
        Ok("text") => false,
        _ => server,
    };
    if json {
        builder.json().flatten_event(true).init();
    } else {
        builder.init();
    }
}
