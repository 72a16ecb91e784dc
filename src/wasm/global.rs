//! Bindings to the global scope (`setTimeout`, `clearTimeout`, `console`, `location`), bound
//! on the global object rather than through `window`, which Node, Deno and Workers do not have.

use js_sys::Function;
use wasm_bindgen::prelude::*;

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
