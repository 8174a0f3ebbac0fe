//! `warden policy new NAME`: scaffold a policy crate that builds with
//! `cargo build --target wasm32-wasip2 --release` and passes
//! `warden policy test` on its sample cases as generated.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// Arguments of `warden policy new`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Crate name (kebab-case); also the directory created.
    pub name: String,
    /// Parent directory (default: the current one).
    #[arg(long, default_value = ".")]
    pub dir: PathBuf,
    /// Path to the `warden-sdk` crate (default: the SDK this binary was built with).
    #[arg(long)]
    pub sdk_path: Option<PathBuf>,
}

const CARGO_TOML: &str = include_str!("templates/Cargo.toml.tmpl");
const LIB_RS: &str = include_str!("templates/lib.rs.tmpl");
const CASES: &str = include_str!("templates/cases.jsonl");
const README: &str = include_str!("templates/README.md.tmpl");

/// Run `warden policy new`; returns the exit code.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let name = &args.name;
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        bail!("policy name {name:?} must be lowercase letters, digits, `-` or `_`");
    }
    let root = args.dir.join(name);
    if root.exists() {
        bail!("{} already exists", root.display());
    }
    let sdk = match args.sdk_path {
        Some(p) => p,
        None => default_sdk_path()?,
    };
    let sdk = std::fs::canonicalize(&sdk)
        .with_context(|| format!("warden-sdk not found at {}", sdk.display()))?;
    let crate_ident = name.replace('-', "_");
    let type_name: String = name
        .split(['-', '_'])
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    let fill = |t: &str| {
        t.replace("{{name}}", name)
            .replace("{{crate}}", &crate_ident)
            .replace("{{Type}}", &type_name)
            .replace("{{sdk}}", &sdk.display().to_string())
    };
    std::fs::create_dir_all(root.join("src"))?;
    write(&root.join("Cargo.toml"), &fill(CARGO_TOML))?;
    write(&root.join("src/lib.rs"), &fill(LIB_RS))?;
    write(&root.join("cases.jsonl"), CASES)?;
    write(&root.join("README.md"), &fill(README))?;
    println!("Created policy crate `{name}` in {}", root.display());
    println!("Next:");
    println!("  cd {}", root.display());
    println!("  cargo test                                   # native unit tests");
    println!("  cargo build --target wasm32-wasip2 --release");
    println!("  warden policy test target/wasm32-wasip2/release/{crate_ident}.wasm cases.jsonl");
    Ok(0)
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

fn default_sdk_path() -> anyhow::Result<PathBuf> {
    if let Some(p) = std::env::var_os("WARDEN_SDK_PATH") {
        return Ok(PathBuf::from(p));
    }
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("../guest-sdk");
    if built.exists() {
        return Ok(built);
    }
    bail!("cannot find warden-sdk: pass --sdk-path or set WARDEN_SDK_PATH")
}
