//! Every JS function the face imports, in one place (as `worker-sys` keeps the raw bindings of
//! workers-rs apart from the API people call): the global scope (`setTimeout`, `clearTimeout`,
//! `fetch`, `console`, `location`, bound on the global object rather than through `window`,
//! which Node, Deno and Workers do not have), what reads a caller's values, and what the
//! exchange and its deadline call on promises and answers. Nearly every import is caught: it
//! may be whatever the application left there, and a JS exception unwinding through the wasm
//! would leave the futures of every project stuck.

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;
use web_sys::RequestInit;

// The global scope's timers.
#[wasm_bindgen]
extern "C" {
    /// `globalThis.setTimeout(handler, ms)`; the id is a number or, in Node, an object. Caught:
    /// it is whatever the application left there, and a JS exception unwinding through the
    /// wasm would leave the futures of every project stuck.
    #[wasm_bindgen(catch, js_name = setTimeout)]
    pub fn set_timeout(handler: &Function, ms: f64) -> Result<JsValue, JsValue>;

    /// `globalThis.clearTimeout(id)`: a timer that is no longer needed must not keep a Node
    /// process alive until it fires. Caught, as `setTimeout` is.
    #[wasm_bindgen(catch, js_name = clearTimeout)]
    pub fn clear_timeout(id: &JsValue) -> Result<(), JsValue>;
}

// Reading a caller's values (convert.rs): a caller's object may be a Proxy whose traps throw.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    pub fn is_array(v: &JsValue) -> Result<bool, JsValue>;

    #[wasm_bindgen(catch, js_namespace = Array, js_name = from)]
    pub fn array_from(v: &JsValue) -> Result<Array, JsValue>;

    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    pub fn object_keys(v: &JsValue) -> Result<Array, JsValue>;

    #[wasm_bindgen(catch, js_namespace = Object, js_name = getOwnPropertyDescriptor)]
    pub fn own_descriptor(v: &JsValue, key: &str) -> Result<JsValue, JsValue>;

    /// `encodeURIComponent(s)`, which throws (a `URIError`) exactly when the string `s` holds a
    /// lone surrogate: one call, where `JsString::is_valid_utf16` makes one per UTF-16 unit.
    #[wasm_bindgen(catch, js_name = encodeURIComponent)]
    pub fn encode_uri_component(s: &JsValue) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen]
extern "C" {
    /// `String(n)`: a number as JS writes it. It runs no caller's code.
    #[wasm_bindgen(js_name = String)]
    pub fn number_string(n: f64) -> String;
}

// The exchange: the request and its answer (exchange.rs).
#[wasm_bindgen]
extern "C" {
    /// A `Uint8Array` made by `new Uint8Array(view)`: the runtime copies the view's bytes from
    /// its internal slots, so a chunk's own getters never run; caught, as a detached buffer
    /// throws.
    #[wasm_bindgen(js_name = Uint8Array)]
    pub type ByteCopy;
    #[wasm_bindgen(catch, constructor, js_class = Uint8Array)]
    pub fn new(view: &JsValue) -> Result<ByteCopy, JsValue>;

    /// `globalThis.fetch(url, init)`, bound on the global object rather than on `window`, which
    /// Node, Deno and Workers do not have.
    #[wasm_bindgen(catch, js_name = fetch)]
    pub fn global_fetch(url: &JsValue, init: &RequestInit) -> Result<JsValue, JsValue>;

    /// An answer's `headers`: a `Headers`, or whatever a caller's `fetch` handed back.
    pub type AnswerHeaders;
    /// `headers.get(name)`, the name a JS string made once (web-sys's `Headers.get` takes a
    /// `&str`, decoded anew on every call). Caught: a fake headers object is no header.
    #[wasm_bindgen(method, catch)]
    pub fn get(this: &AnswerHeaders, name: &JsValue) -> Result<Option<String>, JsValue>;
}

// Awaiting promises under a deadline (deadline.rs).
#[wasm_bindgen]
extern "C" {
    /// `Promise.resolve(value)`: a promise of whatever a caller's `fetch` handed back. Caught:
    /// a value's `constructor` getter may throw.
    #[wasm_bindgen(catch, js_namespace = Promise, js_name = resolve)]
    pub fn to_promise(value: &JsValue) -> Result<Promise, JsValue>;

    /// `Promise.prototype.then.call(promise, ok, err)`: the engine's own `then`, not one the
    /// promise carries, so each handler runs at most once, and never before this returns.
    /// Caught: a promise subclass's species constructor may throw.
    #[wasm_bindgen(catch, js_namespace = ["Promise", "prototype", "then"], js_name = call)]
    pub fn then(promise: &Promise, ok: &Function, err: &Function) -> Result<JsValue, JsValue>;

    /// The handler below, as JS sees it.
    pub type Handler;
    /// `handler.bind(undefined, slot, what, generation)`. Caught: an application may have
    /// replaced `Function.prototype.bind`; what it gives back is checked to be a function.
    #[wasm_bindgen(method, catch)]
    pub fn bind(
        this: &Handler,
        this_arg: &JsValue,
        slot: u32,
        what: u32,
        generation: f64,
    ) -> Result<JsValue, JsValue>;
}

// The application's `throttleStore` (store.rs).
#[wasm_bindgen]
extern "C" {
    /// A `throttleStore` object as the application gave it (checked at construction; its
    /// methods are read again at each call, so one removed since fails like one that throws).
    pub type Store;

    /// `store.claim(key, status, numerical, token, periodMs)`. Caught: it is the application's.
    #[wasm_bindgen(method, catch)]
    pub fn claim(
        this: &Store,
        key: &str,
        status: &str,
        numerical: bool,
        token: &str,
        period_ms: f64,
    ) -> Result<JsValue, JsValue>;

    /// `store.release(key, token)`. Caught.
    #[wasm_bindgen(method, catch)]
    pub fn release(this: &Store, key: &str, token: &str) -> Result<JsValue, JsValue>;
}

/// `globalThis[name]`: `undefined` when absent. Read from the global object js-sys already
/// finds, rather than through a `thread_local_v2` static each (an import and a lazy cell each).
fn global(name: &str) -> JsValue {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str(name)).unwrap_or_default()
}

/// `globalThis.console`, the default logger.
pub fn console() -> JsValue {
    global("console")
}

/// The page's origin (`https://example.com`) when running in a browser page or worker
/// (`globalThis.location`, present in browsers and Deno with `--location`).
pub fn page_origin() -> Option<String> {
    let location = global("location");
    if location.is_undefined() || location.is_null() {
        return None;
    }
    js_sys::Reflect::get(&location, &JsValue::from_str("origin"))
        .ok()?
        .as_string()
        .filter(|o| o != "null")
}
