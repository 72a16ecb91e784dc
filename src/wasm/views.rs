//! What the face hands to JS as plain objects: update results, the `toJSON` views, `flush()`
//! counts and lists of names. Each is a Rust struct whose shape is declared once, here, beside
//! its TypeScript type, with the one function that writes it.
//!
//! The objects are written field by field ([`object`]); lists of names go through
//! serde-wasm-bindgen. Its derived struct writer would cost the .wasm 5 KB more: it caches every
//! field name as a JS string in a hash map of its own, for objects made a handful of times.

use js_sys::{Object, Reflect};
use serde::Serialize;
use wasm_bindgen::JsValue;

/// `{ sent, reason }`: what `update()` resolves to.
pub struct UpdateResult {
    /// Whether a request went out.
    pub sent: bool,
    /// `sent`, `throttled`, `dry-run` or `unconfirmed`.
    pub reason: &'static str,
}

/// `{ sent: false, reason: 'failed', error }`: an update that failed, for a project that
/// resolves instead of rejecting (`rejectOnFailure: false`).
pub struct FailedResult {
    /// Always false.
    pub sent: bool,
    /// Always `failed`.
    pub reason: &'static str,
    /// The `OkerrError`, handed over as it is.
    pub error: JsValue,
}

/// `project.toJSON()`: `{ textid, url, direct, hasSecret, hasApiKey }`, never a secret.
pub struct ProjectView<'a> {
    /// The project's text id.
    pub textid: &'a str,
    /// The director URL (or the server in direct mode), with its trailing slash.
    pub url: String,
    /// Whether updates skip the director.
    pub direct: bool,
    /// Whether a secret was given.
    pub has_secret: bool,
    /// Whether an API key was given.
    pub has_api_key: bool,
}

/// `indicator.toJSON()`: `{ name, textid, method }`, the method line masked.
pub struct IndicatorView<'a> {
    /// The name as sent.
    pub name: &'a str,
    /// The project's text id.
    pub textid: &'a str,
    /// The method line with its secrets masked, or `null`.
    pub method: Option<String>,
}

/// `flush()`'s `{ settled, pending }`.
pub struct FlushResult {
    /// Operations in flight at the call that have settled since.
    pub settled: usize,
    /// Those still in flight when the time was up.
    pub pending: usize,
}

impl UpdateResult {
    /// As a JS object.
    pub fn to_js(&self) -> JsValue {
        object(&[("sent", self.sent.into()), ("reason", self.reason.into())])
    }
}

impl FailedResult {
    /// As a JS object.
    pub fn to_js(&self) -> JsValue {
        object(&[
            ("sent", self.sent.into()),
            ("reason", self.reason.into()),
            ("error", self.error.clone()),
        ])
    }
}

impl ProjectView<'_> {
    /// As a JS object.
    pub fn to_js(&self) -> JsValue {
        object(&[
            ("textid", self.textid.into()),
            ("url", self.url.as_str().into()),
            ("direct", self.direct.into()),
            ("hasSecret", self.has_secret.into()),
            ("hasApiKey", self.has_api_key.into()),
        ])
    }
}

impl IndicatorView<'_> {
    /// As a JS object, a missing method as `null`.
    pub fn to_js(&self) -> JsValue {
        let method = self.method.as_deref().map_or(JsValue::NULL, JsValue::from);
        object(&[
            ("name", self.name.into()),
            ("textid", self.textid.into()),
            ("method", method),
        ])
    }
}

impl FlushResult {
    /// As a JS object.
    pub fn to_js(&self) -> JsValue {
        object(&[
            ("settled", (self.settled as f64).into()),
            ("pending", (self.pending as f64).into()),
        ])
    }
}

/// Indicator names as a JS array of strings.
pub fn names(names: &[String]) -> JsValue {
    // Only strings are written: nothing that can fail.
    names
        .serialize(&serde_wasm_bindgen::Serializer::new())
        .unwrap_or(JsValue::NULL)
}

/// A plain object with `fields`, defined on a new object (`Reflect.set` catches, should an
/// application have put a throwing setter of the same name on `Object.prototype`).
fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (key, value) in fields {
        let _ = Reflect::set(&o, &JsValue::from_str(key), value);
    }
    o.into()
}
