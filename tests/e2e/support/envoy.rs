//! Envoy test harness: a real Envoy (from `scripts/envoy-venv.sh`, found through
//! `WARDEN_ENVOY`) running Warden's proxy-wasm filters, a fake OpenAI/Anthropic
//! upstream (a real hyper server that records what it got and echoes the last
//! user message), and a small HTTP client.
//!
//! Envoy binds listener and admin to 127.0.0.1:0; the ports are discovered via
//! `--admin-address-path` and `/listeners?format=json`. Everything is killed on
//! drop, so a failing test leaves nothing behind.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use bytes::Bytes;

mod upstream;

pub use upstream::{Reply, Upstream, chat_request, get, send};

/// The Envoy binary, or `None` (with a message) when the tests should skip.
/// Panics when `WARDEN_REQUIRE_ENVOY` is set but Envoy is missing.
pub fn binary() -> Option<PathBuf> {
    let required = std::env::var_os("WARDEN_REQUIRE_ENVOY").is_some();
    match std::env::var_os("WARDEN_ENVOY").map(PathBuf::from) {
        Some(p) if p.is_file() => Some(p),
        Some(p) => panic!(
            "WARDEN_ENVOY={} does not exist; run scripts/envoy-venv.sh",
            p.display()
        ),
        None if required => panic!("WARDEN_REQUIRE_ENVOY is set but WARDEN_ENVOY is not"),
        None => {
            eprintln!("skipped: set WARDEN_ENVOY (scripts/envoy-venv.sh installs Envoy)");
            None
        }
    }
}

/// One shared tokio runtime for fake upstreams and clients.
pub fn rt() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    })
}

/// A temp directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> Self {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("warden-envoy-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One Wasm filter entry of a generated config.
#[derive(Debug, Clone)]
pub struct Filter {
    /// Plugin name (`wasm.<name>.*` stats).
    pub name: String,
    /// Module path.
    pub module: String,
    /// Plugin configuration (the policy's JSON config).
    pub config: String,
    /// VM configuration (filter settings JSON).
    pub vm_config: String,
    /// `FAIL_CLOSED`, `FAIL_RELOAD`, ...
    pub failure_policy: &'static str,
    /// Hold mode: `allow_on_headers_stop_iteration` + `hold_headers`.
    pub hold: bool,
}

impl Filter {
    /// A filter in hold mode, FAIL_CLOSED, default settings.
    pub fn new(name: &str, module: &str, config: &str) -> Self {
        Self {
            name: name.into(),
            module: module.into(),
            config: config.into(),
            vm_config: r#"{"hold_headers": true}"#.into(),
            failure_policy: "FAIL_CLOSED",
            hold: true,
        }
    }
    /// Continue mode with these filter settings (must not set hold_headers).
    pub fn continue_mode(mut self, vm_config: &str) -> Self {
        self.hold = false;
        self.vm_config = vm_config.into();
        self
    }
    /// Hold mode with these filter settings (must set hold_headers).
    pub fn settings(mut self, vm_config: &str) -> Self {
        self.vm_config = vm_config.into();
        self
    }
    pub fn failure_policy(mut self, p: &'static str) -> Self {
        self.failure_policy = p;
        self
    }
}

/// YAML single-quoted scalar.
fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A config: `filters` in order in front of one upstream cluster on `port`.
pub fn config(filters: &[Filter], port: u16) -> String {
    let mut http_filters = String::new();
    for f in filters {
        http_filters.push_str(&format!(
            r#"          - name: envoy.filters.http.wasm
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm
              config:
                name: {name}
                failure_policy: {fp}
                allow_on_headers_stop_iteration: {hold}
                configuration:
                  "@type": type.googleapis.com/google.protobuf.StringValue
                  value: {config}
                vm_config:
                  runtime: envoy.wasm.runtime.v8
                  configuration:
                    "@type": type.googleapis.com/google.protobuf.StringValue
                    value: {vm}
                  code: {{local: {{filename: {module}}}}}
"#,
            name = f.name,
            fp = f.failure_policy,
            hold = f.hold,
            config = quoted(&f.config),
            vm = quoted(&f.vm_config),
            module = quoted(&f.module),
        ));
    }
    format!(
        r#"admin:
  address: {{socket_address: {{address: 127.0.0.1, port_value: 0}}}}
static_resources:
  listeners:
  - name: ingress
    address: {{socket_address: {{address: 127.0.0.1, port_value: 0}}}}
    filter_chains:
    - filters:
      - name: envoy.filters.network.http_connection_manager
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
          stat_prefix: ingress
          route_config:
            virtual_hosts:
            - name: all
              domains: ["*"]
              routes: [{{match: {{prefix: "/"}}, route: {{cluster: upstream, timeout: 30s}}}}]
          http_filters:
{http_filters}          - name: envoy.filters.http.router
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
  clusters:
  - name: upstream
    type: STATIC
    load_assignment:
      cluster_name: upstream
      endpoints:
      - lb_endpoints:
        - endpoint: {{address: {{socket_address: {{address: 127.0.0.1, port_value: {port}}}}}}}
"#
    )
}

/// `examples/envoy/envoy.yaml` (four filters) with its placeholders filled in.
pub fn example_config(port: u16, small_port: u16) -> String {
    render_example("envoy.yaml", port, small_port)
}

/// `examples/envoy/envoy-chain.yaml` (the chain filter) with its placeholders filled in.
pub fn example_chain_config(port: u16, small_port: u16) -> String {
    render_example("envoy-chain.yaml", port, small_port)
}

fn render_example(file: &str, port: u16, small_port: u16) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let template = std::fs::read_to_string(root.join("examples/envoy").join(file)).unwrap();
    let vars = [
        ("ADMIN_PORT", "0".to_string()),
        ("LISTEN_PORT", "0".to_string()),
        ("UPSTREAM_PORT", port.to_string()),
        ("SMALL_UPSTREAM_PORT", small_port.to_string()),
        (
            "INJECTION_FILTER",
            warden_artifacts::INJECTION_FILTER.into(),
        ),
        ("PII_FILTER", warden_artifacts::PII_FILTER.into()),
        ("ROUTER_FILTER", warden_artifacts::ROUTER_FILTER.into()),
        ("RISK_FILTER", warden_artifacts::RISK_FILTER.into()),
        ("CHAIN_FILTER", warden_artifacts::CHAIN_FILTER.into()),
    ];
    let mut out = template;
    for (k, v) in vars {
        out = out.replace(&format!("{{{{{k}}}}}"), &v);
    }
    let unfilled = out
        .lines()
        .any(|l| !l.trim_start().starts_with('#') && l.contains("{{"));
    assert!(!unfilled, "unfilled placeholder in the example config");
    out
}

/// `envoy --mode validate -c <yaml>`.
pub fn validate(bin: &Path, yaml: &str) -> Output {
    let dir = TempDir::new();
    let file = dir.0.join("envoy.yaml");
    std::fs::write(&file, yaml).unwrap();
    Command::new(bin)
        .args(["--mode", "validate", "--log-level", "warn", "-c"])
        .arg(&file)
        .output()
        .expect("run envoy --mode validate")
}

/// A running Envoy, killed on drop.
pub struct Envoy {
    child: Child,
    /// The listener.
    pub addr: SocketAddr,
    /// The admin interface.
    pub admin: SocketAddr,
    log: PathBuf,
    _dir: TempDir,
}

impl Envoy {
    /// Start Envoy on `yaml` (one worker) and wait until it is ready.
    pub fn start(bin: &Path, yaml: &str) -> Self {
        Self::start_with(bin, yaml, "1")
    }

    /// Start Envoy on `yaml` with `--concurrency concurrency`.
    pub fn start_with(bin: &Path, yaml: &str, concurrency: &str) -> Self {
        let dir = TempDir::new();
        let (file, admin_file, log) = (
            dir.0.join("envoy.yaml"),
            dir.0.join("admin.txt"),
            dir.0.join("envoy.log"),
        );
        std::fs::write(&file, yaml).unwrap();
        let mut child = Command::new(bin)
            .arg("-c")
            .arg(&file)
            .args([
                "--concurrency",
                concurrency,
                "--disable-hot-restart",
                "--log-level",
                "warn",
            ])
            .arg("--admin-address-path")
            .arg(&admin_file)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("start envoy");
        // V8 compiles every module at start: seconds for four filters on a busy machine.
        let deadline = Instant::now() + Duration::from_secs(120);
        let died = |child: &mut Child| {
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "envoy exited ({status}): {}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                );
            }
        };
        let admin: SocketAddr = loop {
            died(&mut child);
            assert!(Instant::now() < deadline, "envoy did not start");
            match std::fs::read_to_string(&admin_file) {
                Ok(s) if !s.trim().is_empty() => break s.trim().parse().unwrap(),
                _ => std::thread::sleep(Duration::from_millis(50)),
            }
        };
        while get(admin, "/ready").status != 200 {
            died(&mut child);
            assert!(Instant::now() < deadline, "envoy never became ready");
            std::thread::sleep(Duration::from_millis(50));
        }
        let listeners = get(admin, "/listeners?format=json").json();
        let port =
            listeners["listener_statuses"][0]["local_address"]["socket_address"]["port_value"]
                .as_u64()
                .expect("listener port");
        Self {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port as u16)),
            admin,
            log,
            _dir: dir,
        }
    }

    /// The Envoy process id (CPU accounting in the benchmark).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `POST path` with a JSON body.
    pub fn post(&self, path: &str, body: impl Into<Bytes>) -> Reply {
        send(self.addr, "POST", path, body.into(), "application/json")
    }

    /// A chat request in `api` shape (`openai` or `anthropic`) with one user message.
    pub fn chat(&self, api: &str, model: &str, text: &str) -> Reply {
        let (path, body) = chat_request(api, model, text);
        self.post(path, body.to_string())
    }

    /// Envoy's log so far.
    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Counter `name` from `/stats` (0 when absent).
    pub fn counter(&self, name: &str) -> u64 {
        let stats = get(self.admin, "/stats").text();
        stats
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name}: ")))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Envoy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
