//! The core's [`Runtime`] over the JS runtime's own `fetch`, timers, clock and logger.

use super::global::{clear_timeout, global_fetch, page_origin, set_timeout, CONSOLE};
use crate::log::Level;
use crate::runtime::{FetchError, HttpRequest, HttpResponse, Runtime};
use js_sys::{Function, Object, Promise, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestInit, RequestMode, RequestRedirect, Response};

/// The JS side of one project: which fetch and which logger it uses.
pub struct JsRuntime {
    fetch: Option<Function>,
    logger: RefCell<JsValue>,
}

impl JsRuntime {
    /// Use `fetch` instead of the global one when given, and `console` until a logger is set.
    pub fn new(fetch: Option<Function>, logger: Option<JsValue>) -> Self {
        JsRuntime {
            fetch,
            logger: RefCell::new(logger.unwrap_or_else(|| CONSOLE.with(JsValue::clone))),
        }
    }

    /// Log through `logger` from now on.
    pub fn set_logger(&self, logger: JsValue) {
        *self.logger.borrow_mut() = logger;
    }

    async fn exchange(
        &self,
        request: &HttpRequest,
        signal: &web_sys::AbortSignal,
    ) -> Result<HttpResponse, JsValue> {
        let init = RequestInit::new();
        init.set_method(request.method);
        init.set_signal(Some(signal));
        let headers = Object::new();
        if let Some(form) = &request.form {
            Reflect::set(
                &headers,
                &"content-type".into(),
                &"application/x-www-form-urlencoded".into(),
            )?;
            init.set_body(&JsValue::from_str(form));
        }
        if let Some(key) = &request.api_key {
            Reflect::set(&headers, &"x-api-key".into(), &JsValue::from_str(key))?;
        }
        init.set_headers(&headers);
        if request.no_cors {
            init.set_mode(RequestMode::NoCors);
        }
        if request.manual_redirect {
            init.set_redirect(RequestRedirect::Manual);
        }
        let pending = match &self.fetch {
            Some(f) => f.call2(&JsValue::UNDEFINED, &JsValue::from_str(&request.url), &init)?,
            None => global_fetch(&request.url, &init)?.into(),
        };
        let response: Response = JsFuture::from(Promise::resolve(&pending))
            .await?
            .dyn_into()?;
        let retry_after = response.headers().get("retry-after").ok().flatten();
        let location = response.headers().get("location").ok().flatten();
        // Always read the body: Workers warn about answers left unconsumed.
        let body = JsFuture::from(response.text()?)
            .await?
            .as_string()
            .unwrap_or_default();
        Ok(HttpResponse {
            status: response.status(),
            body,
            retry_after,
            location,
        })
    }
}

impl Runtime for JsRuntime {
    async fn fetch(
        &self,
        request: &HttpRequest,
        timeout_ms: u32,
    ) -> Result<HttpResponse, FetchError> {
        let controller = AbortController::new().map_err(|e| FetchError::Network(describe(&e)))?;
        // The timer aborts through the controller's own bound `abort`: no Rust closure to leak.
        let abort = Reflect::get(&controller, &"abort".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .map(|f| f.bind0(&controller));
        let timer = abort
            .as_ref()
            .map(|f| set_timeout(f, f64::from(timeout_ms)));
        let result = self.exchange(request, &controller.signal()).await;
        if let Some(t) = &timer {
            clear_timeout(t);
        }
        result.map_err(|e| {
            if controller.signal().aborted() {
                FetchError::Timeout
            } else if is_cross_origin(&request.url) {
                FetchError::Cors(describe(&e))
            } else {
                FetchError::Network(describe(&e))
            }
        })
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
            .and_then(|m| m.dyn_into::<Function>().map_err(JsValue::from))
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
