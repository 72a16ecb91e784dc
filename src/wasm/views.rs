//! What the face hands to JS as plain objects: update results, the `toJSON` views, `flush()`
//! counts and lists of names. Each is a Rust struct written by serde-wasm-bindgen, so its shape
//! is declared once, here, beside its TypeScript type.

use serde::Serialize;
use wasm_bindgen::JsValue;

/// `{ sent, reason }`: what `update()` resolves to.
#[derive(Serialize)]
pub struct UpdateResult {
    /// Whether a request went out.
    pub sent: bool,
    /// `sent`, `throttled`, `dry-run` or `unconfirmed`.
    pub reason: &'static str,
}

/// `{ sent: false, reason: 'failed', error }`: an update that failed, for a project that
/// resolves instead of rejecting (`rejectOnFailure: false`).
#[derive(Serialize)]
pub struct FailedResult {
    /// Always false.
    pub sent: bool,
    /// Always `failed`.
    pub reason: &'static str,
    /// The `OkerrError`, handed over as it is.
    #[serde(with = "serde_wasm_bindgen::preserve")]
    pub error: JsValue,
}

/// `project.toJSON()`: `{ textid, url, direct, hasSecret, hasApiKey }`, never a secret.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
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
#[derive(Serialize)]
pub struct IndicatorView<'a> {
    /// The name as sent.
    pub name: &'a str,
    /// The project's text id.
    pub textid: &'a str,
    /// The method line with its secrets masked, or `null`.
    pub method: Option<String>,
}

/// `flush()`'s `{ settled, pending }`. Counts as `u32`, not `usize`: serde-wasm-bindgen writes
/// a `usize` as a `u64`, whose too-large-for-a-number error brings `core::fmt` into the .wasm.
#[derive(Serialize)]
pub struct FlushResult {
    /// Operations in flight at the call that have settled since.
    pub settled: u32,
    /// Those still in flight when the time was up.
    pub pending: u32,
}

/// `value` as a JS value: objects as plain objects, `None` as `null`.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> JsValue {
    let writer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
    // Only these structs, strings and numbers are written: nothing that can fail.
    value.serialize(&writer).unwrap_or(JsValue::NULL)
}
