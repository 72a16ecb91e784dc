//! One HTTP exchange through the runtime's `fetch` (or the caller's), with web-sys types: the
//! request's options, a hard time limit, and the answer read up to a limit.
//!
//! - The time limit holds even against a `fetch` that ignores its `AbortSignal`: every await
//!   races a deadline, so an exchange settles within `timeoutMs` whatever `fetch` does.
//! - An answer is read up to the request's limit ([`HttpRequest::answer_limit`]: 64 KB for an
//!   update, the director or a failure, 8 MiB for a successful API answer); the rest is
//!   cancelled, so a hostile or broken server cannot grow the wasm memory (which never
//!   shrinks) with a huge page, and the answer says it was cut so that nobody takes the part
//!   for the whole. Of an answer past its limit only the beginning a message may quote enters
//!   the wasm memory.
//! - `redirect: 'manual'` when the core asks for it: the core decides where a secret may go.

use super::deadline::{self, Deadline};
use super::words::Word;
use crate::retry::is_retryable_status;
use crate::runtime::{HttpRequest, HttpResponse, MAX_ANSWER_BYTES};
use js_sys::{ArrayBuffer, Function, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    AbortController, ReadableStreamDefaultReader, ReadableStreamReadResult, RequestInit,
    RequestMode, RequestRedirect,
};

#[wasm_bindgen]
extern "C" {
    /// A `Uint8Array` made by `new Uint8Array(view)`: the runtime copies the view's bytes from
    /// its internal slots, so a chunk's own getters never run; caught, as a detached buffer
    /// throws.
    #[wasm_bindgen(js_name = Uint8Array)]
    type ByteCopy;
    #[wasm_bindgen(catch, constructor, js_class = Uint8Array)]
    fn new(view: &JsValue) -> Result<ByteCopy, JsValue>;

    /// `globalThis.fetch(url, init)`, bound on the global object rather than on `window`, which
    /// Node, Deno and Workers do not have.
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(url: &JsValue, init: &RequestInit) -> Result<JsValue, JsValue>;

    /// An answer's `headers`: a `Headers`, or whatever a caller's `fetch` handed back.
    type AnswerHeaders;
    /// `headers.get(name)`, the name a JS string made once (web-sys's `Headers.get` takes a
    /// `&str`, decoded anew on every call). Caught: a fake headers object is no header.
    #[wasm_bindgen(method, catch)]
    fn get(this: &AnswerHeaders, name: &JsValue) -> Result<Option<String>, JsValue>;
}

/// Why an exchange stopped early.
pub enum Stop {
    /// The deadline passed.
    Timeout,
    /// `fetch`, or reading the answer, failed with this JS value.
    Failed(JsValue),
    /// `fetch` resolved to something that is not a `Response`.
    NotResponse,
    /// The deadline could not be started (the application's `setTimeout` or `bind` threw
    /// this): nothing was sent.
    Clock(JsValue),
}

/// Run one exchange: `fetch` is the caller's function, or `undefined` for the global one.
pub async fn exchange(
    fetch: &JsValue,
    request: &HttpRequest,
    timeout_ms: u32,
) -> Result<HttpResponse, Stop> {
    let deadline = Deadline::start(f64::from(timeout_ms)).map_err(Stop::Clock)?;
    let controller = AbortController::new().ok();
    let init = request_init(request, controller.as_ref());
    let url = JsValue::from_str(&request.url);
    let started = match fetch.dyn_ref::<Function>() {
        Some(f) => f.call2(&JsValue::UNDEFINED, &url, &init),
        None => global_fetch(&url, &init),
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
    let read = match answered {
        Ok(value) => read_answer(&value, request, &deadline).await,
        Err(stop) => Err(stop),
    };
    if matches!(read, Err(Stop::Timeout)) {
        abort();
    }
    read
}

/// The answer `fetch` resolved to. A caller's `fetch` may hand back anything (a subclass of
/// `Response` whose getters throw, a Proxy): it is read only through calls that catch, since
/// a JS exception unwinding through the wasm would leave the futures of every project stuck.
async fn read_answer(
    value: &JsValue,
    request: &HttpRequest,
    deadline: &Deadline,
) -> Result<HttpResponse, Stop> {
    let (mut answer, body) = head(value)?;
    if !body.is_null() && !body.is_undefined() {
        let limit = request.answer_limit(answer.status);
        let (bytes, cut) = read_limited(&body, limit, deadline).await?;
        // A copy, freed at once: `String::from_utf8` would take the bytes as they are, but
        // brings a second UTF-8 validator into the .wasm (666 bytes).
        answer.body = String::from_utf8_lossy(&bytes).into_owned();
        answer.cut = cut;
    }
    Ok(answer)
}

/// The answer without its body, and the body's stream. Only what the core may look at is read
/// (each getter of a `Response` runs code of the runtime's): `type` for a status of 0 (an opaque
/// redirect), `Location` for a redirect, `Retry-After` for a status that is retried.
fn head(value: &JsValue) -> Result<(HttpResponse, JsValue), Stop> {
    let field = |name: Word| Reflect::get(value, &name.js()).map_err(Stop::Failed);
    let status = match field(Word::Status)?.as_f64() {
        Some(n) if (0.0..=999.0).contains(&n) => n as u16,
        _ => return Err(Stop::NotResponse),
    };
    let header = |name: Word| -> Result<Option<String>, Stop> {
        let headers: AnswerHeaders = field(Word::Headers)?.unchecked_into();
        Ok(headers.get(&name.js()).ok().flatten())
    };
    let answer = HttpResponse {
        status,
        body: String::new(),
        cut: false,
        redirect_hidden: status == 0 && field(Word::Type)? == Word::OpaqueRedirect.js(),
        location: match status {
            300..=399 => header(Word::Location)?,
            _ => None,
        },
        retry_after: match is_retryable_status(status) {
            true => header(Word::RetryAfter)?,
            false => None,
        },
    };
    Ok((answer, field(Word::Body)?))
}

/// fetch's options for `request`: a form body, the API key header, `no-cors`, manual redirects.
fn request_init(request: &HttpRequest, controller: Option<&AbortController>) -> RequestInit {
    let init = RequestInit::new();
    // A plain object of headers: fetch takes it as it is, without a `Headers` to build.
    let headers = Object::new();
    if request.method == "POST" {
        let _ = Reflect::set(&init, &Word::Method.js(), &Word::Post.js());
    } else {
        init.set_method(request.method);
    }
    if let Some(form) = &request.form {
        let _ = Reflect::set(&headers, &Word::ContentType.js(), &Word::Form.js());
        init.set_body(&JsValue::from_str(form));
    }
    if let Some(key) = &request.api_key {
        let _ = Reflect::set(&headers, &Word::ApiKey.js(), &JsValue::from_str(key));
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

/// The answer's bytes, at most `limit`, and whether there were more (the rest of the stream is
/// then cancelled). An answer of exactly `limit` bytes is read to its end, so that it is not
/// taken for a cut one. The reader is made here (a locked or fake stream is refused by its
/// constructor), and each chunk is copied by the runtime before it is looked at, so no getter
/// of the caller's runs.
///
/// The chunks stay in JS until the answer is whole: the wasm memory, which never shrinks, then
/// gets a buffer of exactly the answer's size (growing one chunk by chunk left three times an
/// 8 MiB answer in it), and of a cut answer only its first [`MAX_ANSWER_BYTES`], all that is
/// ever quoted of it.
async fn read_limited(
    stream: &JsValue,
    limit: usize,
    deadline: &Deadline,
) -> Result<(Vec<u8>, bool), Stop> {
    let reader = ReadableStreamDefaultReader::new(stream.unchecked_ref()).map_err(|_| {
        Stop::Failed(JsValue::from_str(
            "the answer's body cannot be read (not a stream, or already being read)",
        ))
    })?;
    let mut chunks: Vec<Uint8Array> = Vec::new();
    let mut total = 0usize;
    let cut = loop {
        let step = deadline.race(reader.read().into()).await;
        let chunk = match step {
            Ok(result) => {
                let result: ReadableStreamReadResult = result.unchecked_into();
                if result.get_done() == Some(true) {
                    break false;
                }
                result.get_value()
            }
            Err(stop) => {
                cancel(&reader);
                return Err(stop);
            }
        };
        let bytes = match ArrayBuffer::is_view(&chunk).then(|| ByteCopy::new(&chunk)) {
            Some(Ok(copy)) => copy.unchecked_into::<Uint8Array>(),
            _ => {
                cancel(&reader);
                return Err(Stop::Failed(JsValue::from_str(
                    "the answer's body held something other than bytes",
                )));
            }
        };
        total += bytes.length() as usize;
        chunks.push(bytes);
        if total > limit {
            cancel(&reader);
            break true;
        }
    };
    let keep = if cut {
        limit.min(MAX_ANSWER_BYTES)
    } else {
        total
    };
    // One allocation of the size kept; each chunk then copied in place (`resize` per chunk
    // rather than `vec![0; keep]`, whose code the .wasm does not otherwise carry).
    let mut body = Vec::with_capacity(keep);
    for chunk in &chunks {
        let at = body.len();
        let n = (chunk.length() as usize).min(keep - at);
        body.resize(at + n, 0);
        chunk.subarray(0, n as u32).copy_to(&mut body[at..]);
    }
    Ok((body, cut))
}

fn cancel(reader: &ReadableStreamDefaultReader) {
    deadline::ignore(&reader.cancel());
}
