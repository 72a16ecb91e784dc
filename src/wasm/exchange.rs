//! One HTTP exchange through the runtime's `fetch` (or the caller's), with web-sys types: the
//! request's options, a hard time limit, and the answer read up to a limit.
//!
//! - The time limit holds even against a `fetch` that ignores its `AbortSignal`: every await
//!   races a deadline, so an exchange settles within `timeoutMs` whatever `fetch` does.
//! - At most [`MAX_ANSWER_BYTES`] of an answer are read; the rest is cancelled, so a hostile
//!   or broken server cannot grow the wasm memory (which never shrinks) with a huge page.
//! - `redirect: 'manual'` when the core asks for it: the core decides where a secret may go.

use super::global::{clear_timeout, set_timeout};
use crate::runtime::{HttpRequest, HttpResponse, MAX_ANSWER_BYTES};
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, Headers, ReadableStream, ReadableStreamDefaultReader,
    ReadableStreamReadResult, RequestInit, RequestMode, RequestRedirect, Response, ResponseType,
};

#[wasm_bindgen]
extern "C" {
    /// `globalThis.fetch(url, init)`, bound on the global object rather than on `window`, which
    /// Node, Deno and Workers do not have.
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Result<JsValue, JsValue>;
}

thread_local! {
    /// A handler that ignores what it is given: the rejection of a cancelled body, which would
    /// otherwise be an unhandled rejection (fatal under `--unhandled-rejections=strict`).
    static IGNORE: Closure<dyn FnMut(JsValue)> = Closure::new(|_| {});
}

/// Why an exchange stopped early.
pub enum Stop {
    /// The deadline passed.
    Timeout,
    /// `fetch`, or reading the answer, failed with this JS value.
    Failed(JsValue),
    /// `fetch` resolved to something that is not a `Response`.
    NotResponse,
}

/// Run one exchange: `fetch` is the caller's function, or `undefined` for the global one.
pub async fn exchange(
    fetch: &JsValue,
    request: &HttpRequest,
    timeout_ms: u32,
) -> Result<HttpResponse, Stop> {
    let deadline = Deadline::start(timeout_ms);
    let controller = AbortController::new().ok();
    let init = request_init(request, controller.as_ref());
    let started = match fetch.dyn_ref::<Function>() {
        Some(f) => f.call2(&JsValue::UNDEFINED, &JsValue::from_str(&request.url), &init),
        None => global_fetch(&request.url, &init),
    };
    let answered = match started {
        Ok(pending) => deadline.race(pending).await,
        Err(thrown) => Err(Stop::Failed(thrown)),
    };
    let abort = || {
        if let Some(c) = &controller {
            c.abort();
        }
    };
    let response = match answered {
        Ok(value) => value.dyn_into::<Response>().map_err(|_| Stop::NotResponse),
        Err(stop) => Err(stop),
    }
    .inspect_err(|stop| {
        if matches!(stop, Stop::Timeout) {
            abort();
        }
    })?;
    let headers = response.headers();
    let header = |name: &str| Headers::get(&headers, name).ok().flatten();
    let declared = header("content-length").and_then(|n| n.trim().parse::<usize>().ok());
    let body = match (response.body(), declared) {
        // A declared length within the limit is all fetch will read: the runtime's own
        // `text()` is then the cheaper way to read it.
        (Some(_), Some(n)) if n <= MAX_ANSWER_BYTES => read_text(&response, &deadline).await,
        (Some(stream), _) => read_limited(&stream, &deadline)
            .await
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
        (None, _) => Ok(String::new()),
    }
    .inspect_err(|stop| {
        if matches!(stop, Stop::Timeout) {
            abort();
        }
    })?;
    Ok(HttpResponse {
        status: response.status(),
        body,
        retry_after: header("retry-after"),
        location: header("location"),
        redirect_hidden: response.type_() == ResponseType::Opaqueredirect,
    })
}

/// fetch's options for `request`: a form body, the API key header, `no-cors`, manual redirects.
fn request_init(request: &HttpRequest, controller: Option<&AbortController>) -> RequestInit {
    let init = RequestInit::new();
    init.set_method(request.method);
    // A plain object of headers: fetch takes it as it is, without a `Headers` to build.
    let headers = Object::new();
    if let Some(form) = &request.form {
        let _ = Reflect::set(
            &headers,
            &"content-type".into(),
            &"application/x-www-form-urlencoded".into(),
        );
        init.set_body(&JsValue::from_str(form));
    }
    if let Some(key) = &request.api_key {
        let _ = Reflect::set(&headers, &"x-api-key".into(), &JsValue::from_str(key));
    }
    init.set_headers(&headers);
    if request.no_cors {
        init.set_mode(RequestMode::NoCors);
    }
    if request.manual_redirect {
        init.set_redirect(RequestRedirect::Manual);
    }
    if let Some(c) = controller {
        init.set_signal(Some(&c.signal()));
    }
    init
}

/// The whole answer as text, through `response.text()`.
async fn read_text(response: &Response, deadline: &Deadline) -> Result<String, Stop> {
    let reading = response.text().map_err(Stop::Failed)?;
    let text = deadline.race(reading.into()).await?;
    Ok(text.as_string().unwrap_or_default())
}

/// The answer's bytes, at most [`MAX_ANSWER_BYTES`]; the rest of the stream is cancelled.
async fn read_limited(stream: &ReadableStream, deadline: &Deadline) -> Result<Vec<u8>, Stop> {
    if stream.locked() {
        // A caller's fetch handed back an answer whose body someone is already reading.
        return Err(Stop::Failed(JsValue::from_str(
            "the answer's body was already read",
        )));
    }
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut body = Vec::new();
    loop {
        let step = deadline.race(reader.read().into()).await;
        let chunk = match step {
            Ok(result) => {
                let result: ReadableStreamReadResult = result.unchecked_into();
                if result.get_done() == Some(true) {
                    return Ok(body);
                }
                result.get_value()
            }
            Err(stop) => {
                cancel(&reader);
                return Err(stop);
            }
        };
        if let Some(bytes) = chunk.dyn_ref::<Uint8Array>() {
            let take = (bytes.length() as usize).min(MAX_ANSWER_BYTES - body.len());
            let start = body.len();
            body.resize(start + take, 0);
            bytes.subarray(0, take as u32).copy_to(&mut body[start..]);
        }
        if body.len() >= MAX_ANSWER_BYTES {
            cancel(&reader);
            return Ok(body);
        }
    }
}

fn cancel(reader: &ReadableStreamDefaultReader) {
    let cancelled = reader.cancel();
    IGNORE.with(|ignore| {
        let _ = cancelled.catch(ignore);
    });
}

/// A timer that resolves a promise with a token of its own; cleared when dropped, so that a
/// finished exchange leaves no timer to keep a Node process alive.
struct Deadline {
    fired: Promise,
    token: Object,
    timer: JsValue,
}

impl Deadline {
    fn start(ms: u32) -> Deadline {
        let token = Object::new();
        let mut timer = JsValue::UNDEFINED;
        let fired = Promise::new(&mut |resolve, _reject| {
            let with_token: Function = resolve.bind1(&JsValue::UNDEFINED, &token).unchecked_into();
            timer = set_timeout(&with_token, f64::from(ms));
        });
        Deadline {
            fired,
            token,
            timer,
        }
    }

    /// `pending` (a promise or any value) settled, or [`Stop::Timeout`] when the deadline
    /// comes first.
    async fn race(&self, pending: JsValue) -> Result<JsValue, Stop> {
        let first = Promise::race(&Array::of2(&pending, &self.fired));
        match JsFuture::from(first).await {
            Ok(value) if Object::is(&value, &self.token) => Err(Stop::Timeout),
            Ok(value) => Ok(value),
            Err(e) => Err(Stop::Failed(e)),
        }
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        clear_timeout(&self.timer);
    }
}
