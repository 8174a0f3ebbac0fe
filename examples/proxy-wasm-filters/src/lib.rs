//! Build with `cargo build --target wasm32-wasip1 --release -p proxy-wasm-keyword-filter`.
//! A proxy-wasm HTTP filter using only the public `proxy-wasm` crate: it buffers
//! a JSON request body and answers 403 (OpenAI error shape) when the body holds
//! one of the configured keywords. Plugin configuration: `["keyword", ...]`.
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::{Action, ContextType, LogLevel};

proxy_wasm::main! {{
    proxy_wasm::set_root_context(|_| Box::new(Root { keywords: Vec::new() }));
}}

struct Root {
    keywords: Vec<String>,
}

impl Context for Root {}

impl RootContext for Root {
    // Parse once per plugin; `false` makes Envoy reject the plugin at start.
    fn on_configure(&mut self, _size: usize) -> bool {
        let raw = self.get_plugin_configuration().unwrap_or_default();
        let Ok(keywords) = serde_json::from_slice::<Vec<String>>(&raw) else {
            let _ = proxy_wasm::hostcalls::log(LogLevel::Error, "want [\"keyword\", ..]");
            return false;
        };
        self.keywords = keywords.iter().map(|k| k.to_lowercase()).collect();
        true
    }

    fn create_http_context(&self, _id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(Filter(self.keywords.clone(), false)))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}

/// One request: the lower-cased keywords, and whether the body is JSON.
struct Filter(Vec<String>, bool);

impl Context for Filter {}

impl HttpContext for Filter {
    // Read headers here, and return `Continue`: after this callback Envoy answers
    // header reads with BAD_ARGUMENT (the SDK then panics), and `Pause` here
    // would also stop the body callbacks.
    fn on_http_request_headers(&mut self, _n: usize, _end: bool) -> Action {
        let ctype = self.get_http_request_header("content-type");
        self.1 = ctype.is_some_and(|c| c.contains("json"));
        Action::Continue
    }

    // Pause until the whole body is buffered (`body_size` is cumulative), then judge.
    fn on_http_request_body(&mut self, body_size: usize, end_of_stream: bool) -> Action {
        match (self.1, end_of_stream) {
            (false, _) => return Action::Continue,
            (true, false) => return Action::Pause,
            (true, true) => {}
        }
        let body = self.get_http_request_body(0, body_size).unwrap_or_default();
        let text = String::from_utf8_lossy(&body).to_lowercase();
        if !self.0.iter().any(|k| text.contains(k.as_str())) {
            return Action::Continue;
        }
        let reply = br#"{"error":{"message":"blocked keyword","type":"policy_violation","code":"keyword","param":null}}"#;
        self.send_http_response(403, vec![("content-type", "application/json")], Some(reply));
        Action::Pause // a local reply is always followed by Pause
    }
}
