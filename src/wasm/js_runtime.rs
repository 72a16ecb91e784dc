//! The core's [`Runtime`] over the JS runtime's own `fetch`, timers, clock and logger.

use super::deadline::Deadline;
use super::deadline::Stop;
use super::exchange::exchange;
use super::sys::{console, page_origin};
use super::words::Word;
use crate::base::log::Level;
use crate::base::text::fill;
use crate::engine::runtime::{
    FetchError, HttpRequest, HttpResponse, Runtime, StoreCall, StoreError,
};
use js_sys::{Function, Reflect};
use std::cell::RefCell;
use std::future::Future;
use std::task::Waker;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The JS side of one project: which fetch, logger and throttle store it uses.
pub struct JsRuntime {
    fetch: JsValue,
    logger: RefCell<JsValue>,
    /// The `throttleStore` object, or `undefined`.
    store: JsValue,
}

impl JsRuntime {
    /// Use `fetch` instead of the global one when given, and `console` until a logger is set.
    pub fn new(fetch: Option<Function>, logger: Option<JsValue>) -> Self {
        JsRuntime {
            fetch: fetch.map_or(JsValue::UNDEFINED, JsValue::from),
            logger: RefCell::new(logger.unwrap_or_else(console)),
            store: JsValue::UNDEFINED,
        }
    }

    /// Ask `store` (a checked `throttleStore`) before each update.
    pub fn with_store(self, store: Option<JsValue>) -> Self {
        JsRuntime {
            store: store.unwrap_or_default(),
            ..self
        }
    }

    /// Log through `logger` from now on.
    pub fn set_logger(&self, logger: JsValue) {
        *self.logger.borrow_mut() = logger;
    }
}

impl Runtime for JsRuntime {
    async fn fetch(
        &self,
        request: &HttpRequest,
        timeout_ms: u32,
    ) -> Result<HttpResponse, FetchError> {
        match exchange(&self.fetch, request, timeout_ms).await {
            Ok(answer) => Ok(answer),
            Err(Stop::Timeout) => Err(FetchError::Timeout),
            Err(Stop::NotResponse) => Err(FetchError::Network(
                "fetch resolved to something that is not a Response".into(),
            )),
            Err(Stop::Clock(e)) => Err(FetchError::Network(fill!(
                "no timer for timeoutMs (setTimeout or bind threw: {})",
                describe(&e)
            ))),
            Err(Stop::Failed(e)) if is_cross_origin(&request.url) => {
                Err(FetchError::Cors(describe(&e)))
            }
            Err(Stop::Failed(e)) => {
                let name = text(&e, "name").unwrap_or_default();
                let code = Reflect::get(&e, &"cause".into())
                    .ok()
                    .filter(JsValue::is_object)
                    .and_then(|c| text(&c, "code"));
                Err(FetchError::classify(&name, code.as_deref(), describe(&e)))
            }
        }
    }

    async fn sleep(&self, ms: f64) {
        // Without a timer (the application's `setTimeout` throws) the pause is skipped: the
        // next attempt fails the same way, and the retries end as they would.
        if let Ok(pause) = Deadline::start(ms) {
            pause.passed().await;
        }
    }

    fn handoff(&self, limit_ms: f64) -> (Waker, impl Future<Output = bool> + 'static) {
        super::handoff::handoff(limit_ms)
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn log(&self, level: Level, message: &str) {
        // A copy, not a borrow held across the call: the logger may call `setLogger()`.
        let logger = self.logger.borrow().clone();
        let method = Reflect::get(&logger, &Word::log(level).js());
        if let Ok(method) = method.and_then(|m| m.dyn_into::<Function>()) {
            // A logger that throws must not break an update. `message` was masked by
            // `Project::log`, its only caller.
            let _ = method.call1(&logger, &JsValue::from_str(message));
        }
    }

    async fn store(&self, call: &StoreCall<'_>, limit_ms: f64) -> Result<bool, StoreError> {
        super::store::call(&self.store, call, limit_ms).await
    }
}

/// In a browser, a fetch to another origin that rejects is most often a missing CORS header.
fn is_cross_origin(url: &str) -> bool {
    page_origin()
        .is_some_and(|origin| !(url.starts_with(&origin) && url[origin.len()..].starts_with('/')))
}

/// `v[key]` when it is a string. Caught: a getter may throw.
fn text(v: &JsValue, key: &str) -> Option<String> {
    Reflect::get(v, &key.into())
        .ok()
        .and_then(|m| m.as_string())
}

/// A readable cause from a rejected fetch: Node puts the system error (`ECONNREFUSED ...`) in `cause`.
#[inline(never)]
fn describe(e: &JsValue) -> String {
    let message = text(e, "message")
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "fetch failed".into());
    match Reflect::get(e, &"cause".into())
        .ok()
        .filter(|c| c.is_object())
        .and_then(|c| text(&c, "message").or_else(|| text(&c, "code")))
    {
        Some(cause) => fill!("{}: {}", message, cause),
        None => message,
    }
}
