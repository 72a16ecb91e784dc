//! The core's [`Runtime`] over the JS runtime's own `fetch`, timers, clock and logger.

use super::global::{page_origin, set_timeout, CONSOLE};
use crate::log::Level;
use crate::runtime::{FetchError, HttpRequest, HttpResponse, Runtime};
use js_sys::{Function, Promise, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// `okerrFetch` from the package's `okerr-fetch.mjs`: one whole HTTP exchange.
    pub type Exchange;

    #[wasm_bindgen(method, catch, js_name = call)]
    #[allow(clippy::too_many_arguments)]
    fn run(
        this: &Exchange,
        this_arg: &JsValue,
        fetch: &JsValue,
        url: &str,
        method: &str,
        form: Option<&str>,
        api_key: Option<&str>,
        no_cors: bool,
        manual_redirect: bool,
        timeout_ms: u32,
    ) -> Result<Promise, JsValue>;

    /// What `okerrFetch` resolves to.
    type Answer;
    #[wasm_bindgen(method, getter)]
    fn status(this: &Answer) -> u16;
    #[wasm_bindgen(method, getter)]
    fn body(this: &Answer) -> String;
    #[wasm_bindgen(method, getter, js_name = retryAfter)]
    fn retry_after(this: &Answer) -> Option<String>;
    #[wasm_bindgen(method, getter)]
    fn location(this: &Answer) -> Option<String>;
}

thread_local! {
    static EXCHANGE: RefCell<Option<Exchange>> = const { RefCell::new(None) };
}

/// Called once by each package entry with `okerrFetch`, beside `__setErrorClass`.
#[wasm_bindgen(js_name = __setFetch, skip_typescript)]
pub fn set_fetch(exchange: Function) {
    EXCHANGE.with(|e| *e.borrow_mut() = Some(exchange.unchecked_into()));
}

/// The JS side of one project: which fetch and which logger it uses.
pub struct JsRuntime {
    fetch: JsValue,
    logger: RefCell<JsValue>,
}

impl JsRuntime {
    /// Use `fetch` instead of the global one when given, and `console` until a logger is set.
    pub fn new(fetch: Option<Function>, logger: Option<JsValue>) -> Self {
        JsRuntime {
            fetch: fetch.map_or(JsValue::UNDEFINED, JsValue::from),
            logger: RefCell::new(logger.unwrap_or_else(|| CONSOLE.with(JsValue::clone))),
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
        let started = EXCHANGE.with(|e| {
            e.borrow().as_ref().map(|exchange| {
                exchange.run(
                    &JsValue::UNDEFINED,
                    &self.fetch,
                    &request.url,
                    request.method,
                    request.form.as_deref(),
                    request.api_key.as_deref(),
                    request.no_cors,
                    request.manual_redirect,
                    timeout_ms,
                )
            })
        });
        let Some(started) = started else {
            return Err(FetchError::Network(
                "okerrupdate was not initialised: import it as 'okerrupdate' or call init() of 'okerrupdate/init'".into(),
            ));
        };
        let answer = match started {
            Ok(pending) => JsFuture::from(pending).await,
            Err(thrown) => Err(thrown),
        };
        match answer {
            Ok(answer) => {
                let answer: Answer = answer.unchecked_into();
                Ok(HttpResponse {
                    status: answer.status(),
                    body: answer.body(),
                    retry_after: answer.retry_after(),
                    location: answer.location(),
                })
            }
            Err(e) if e.as_string().as_deref() == Some("timeout") => Err(FetchError::Timeout),
            Err(e) if is_cross_origin(&request.url) => Err(FetchError::Cors(describe(&e))),
            Err(e) => Err(FetchError::Network(describe(&e))),
        }
    }

    async fn sleep(&self, ms: f64) {
        let done = Promise::new(&mut |resolve, _reject| {
            set_timeout(&resolve, ms);
        });
        let _ = JsFuture::from(done).await;
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn log(&self, level: Level, message: &str) {
        let logger = self.logger.borrow();
        if let Ok(method) = Reflect::get(&logger, &level.method().into())
            .and_then(|m| m.dyn_into::<Function>())
        {
            // A logger that throws must not break an update.
            let _ = method.call1(&logger, &JsValue::from_str(message));
        }
    }
}

/// In a browser, a fetch to another origin that rejects is most often a missing CORS header.
fn is_cross_origin(url: &str) -> bool {
    page_origin()
        .is_some_and(|origin| !(url.starts_with(&origin) && url[origin.len()..].starts_with('/')))
}

/// A readable cause from a rejected fetch: Node puts the system error (`ECONNREFUSED ...`) in `cause`.
fn describe(e: &JsValue) -> String {
    let text = |v: &JsValue, key: &str| {
        Reflect::get(v, &key.into())
            .ok()
            .and_then(|m| m.as_string())
    };
    let message = text(e, "message")
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "fetch failed".into());
    match Reflect::get(e, &"cause".into())
        .ok()
        .filter(|c| c.is_object())
        .and_then(|c| text(&c, "message").or_else(|| text(&c, "code")))
    {
        Some(cause) => format!("{message}: {cause}"),
        None => message,
    }
}
