//! Build with `cargo build --target wasm32-wasip1 --release -p proxy-wasm-keyword-filter`.
//!
//! A proxy-wasm HTTP filter using only the public `proxy-wasm` crate: it buffers
//! a JSON request body and answers 403 (OpenAI error shape) when the body holds
//! one of the configured keywords. Plugin configuration: `{"keywords": ["..."]}`.
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::{Action, ContextType, LogLevel};

proxy_wasm::main! {{
    proxy_wasm::set_log_level(LogLevel::Info);
    proxy_wasm::set_root_context(|_| Box::new(Root { keywords: Vec::new() }));
}}

#[derive(serde::Deserialize)]
struct Config {
    keywords: Vec<String>,
}

struct Root {
    keywords: Vec<String>,
}

impl Context for Root {}

impl RootContext for Root {
    // Parse once per plugin; `false` makes Envoy reject the plugin at start.
    fn on_configure(&mut self, _size: usize) -> bool {
        let raw = self.get_plugin_configuration().unwrap_or_default();
        match serde_json::from_slice::<Config>(&raw) {
            Ok(c) => self.keywords = c.keywords.iter().map(|k| k.to_lowercase()).collect(),
            Err(e) => {
                let _ = proxy_wasm::hostcalls::log(LogLevel::Error, &format!("bad config: {e}"));
                return false;
            }
        }
        true
    }

    fn create_http_context(&self, _id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(Filter {
            keywords: self.keywords.clone(),
            json: false,
        }))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}

struct Filter {
    keywords: Vec<String>,
    json: bool,
}

impl Context for Filter {}

impl HttpContext for Filter {
    // Continue: in Envoy, `Pause` here would also stop the body callbacks.
    fn on_http_request_headers(&mut self, _n: usize, _end: bool) -> Action {
        let ctype = self
            .get_http_request_header("content-type")
            .unwrap_or_default();
        self.json = ctype.contains("json");
        Action::Continue
    }

    // Pause until the whole body is buffered (`body_size` is cumulative), then judge.
    fn on_http_request_body(&mut self, body_size: usize, end_of_stream: bool) -> Action {
        if !self.json || !end_of_stream {
            return if self.json {
                Action::Pause
            } else {
                Action::Continue
            };
        }
        let body = self.get_http_request_body(0, body_size).unwrap_or_default();
        let text = String::from_utf8_lossy(&body).to_lowercase();
        if !self.keywords.iter().any(|k| text.contains(k.as_str())) {
            return Action::Continue;
        }
        let reply = br#"{"error":{"message":"blocked keyword","type":"policy_violation","code":"keyword","param":null}}"#;
        self.send_http_response(403, vec![("content-type", "application/json")], Some(reply));
        Action::Pause // a local reply is always followed by Pause
    }
}
