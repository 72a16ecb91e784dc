//! Core errors as JS `OkerrError`s.

use crate::error::Error;
use js_sys::{Function, Object, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    static ERROR_CLASS: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Called once by each package entry with its `OkerrError` class, so that errors raised inside
/// the wasm are instances of the class users import (`instanceof OkerrError`).
#[wasm_bindgen(js_name = __setErrorClass, skip_typescript)]
pub fn set_error_class(class: Function) {
    ERROR_CLASS.with(|c| *c.borrow_mut() = Some(class));
}

/// The JS error for `e`: an `OkerrError(message, { code, status, body, serverCode })`. Every error leaves
/// the package here, so here its text passes the secret boundary once more. Takes the error
/// itself: most callers are done with it, and a clone here would be made for all of them.
pub fn to_js(e: Error) -> JsValue {
    let e = &crate::redact::scrub_error(e);
    let details = Object::new();
    let _ = Reflect::set(&details, &"code".into(), &e.code.as_str().into());
    if let Some(word) = e.code.server_code() {
        let _ = Reflect::set(&details, &"serverCode".into(), &word.into());
    }
    if let Some(status) = e.status {
        let _ = Reflect::set(&details, &"status".into(), &f64::from(status).into());
    }
    if let Some(body) = &e.body {
        let _ = Reflect::set(&details, &"body".into(), &JsValue::from_str(body));
    }
    let message = JsValue::from_str(&e.message);
    let made = ERROR_CLASS.with(|c| {
        c.borrow().as_ref().and_then(|class| {
            Reflect::construct(class, &js_sys::Array::of2(&message, &details)).ok()
        })
    });
    made.unwrap_or_else(|| {
        // No entry registered a class (a user loaded the raw glue): a plain Error with the same fields.
        let plain: JsValue = js_sys::Error::new(&e.message).into();
        let _ = Reflect::set(&plain, &"name".into(), &"OkerrError".into());
        let _ = Object::assign(plain.unchecked_ref(), &details);
        plain
    })
}

/// `Err(e)` as a thrown JS value, for `Result` returns.
pub fn throw<T>(r: Result<T, Error>) -> Result<T, JsValue> {
    r.map_err(to_js)
}
