//! JS values into the core's plain [`Value`]s, judging nothing: the core checks them.

use crate::error::Error;
use crate::value::Value;
use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;

// A caller's object can be a Proxy whose traps throw (or a revoked one). A JS exception that
// unwinds through wasm frames skips their epilogues and leaks shadow stack: a few thousand of
// them and the instance is dead ("memory access out of bounds"). So every call that can run
// the caller's code is a catching one, and a throw becomes an ordinary bad-argument error.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array(v: &JsValue) -> Result<bool, JsValue>;

    #[wasm_bindgen(catch, js_namespace = Array, js_name = from)]
    fn array_from(v: &JsValue) -> Result<Array, JsValue>;

    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn object_keys(v: &JsValue) -> Result<Array, JsValue>;

    #[wasm_bindgen(catch, js_namespace = Object, js_name = getOwnPropertyDescriptor)]
    fn own_descriptor(v: &JsValue, key: &str) -> Result<JsValue, JsValue>;

    /// `encodeURIComponent(s)`, which throws (a `URIError`) exactly when the string `s` holds a
    /// lone surrogate: one call, where `JsString::is_valid_utf16` makes one per UTF-16 unit.
    #[wasm_bindgen(catch, js_name = encodeURIComponent)]
    fn encode_uri_component(s: &JsValue) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen]
extern "C" {
    /// `String(n)`: a number as JS writes it. It runs no caller's code.
    #[wasm_bindgen(js_name = String)]
    fn number_string(n: f64) -> String;
}

/// A JS string as Rust text, or `None` when `v` is not a string or holds a lone surrogate
/// (half of a UTF-16 pair): wasm-bindgen would turn it into U+FFFD, so `cpu\uD800` and
/// `cpu\uDBFF` would become one name and a secret would be sent altered.
fn well_formed(v: &JsValue) -> Option<String> {
    let s = v.as_string()?;
    // U+FFFD is rare in real text: only then is the string checked, by JS.
    if crate::text::find(&s, "\u{FFFD}").is_some() && encode_uri_component(v).is_err() {
        return None;
    }
    Some(s)
}

/// What a string with a lone surrogate is called in messages.
const LONE_SURROGATE: &str = "a string with a lone surrogate (half of a UTF-16 pair)";

/// One JS value as a [`Value`].
pub fn value(v: &JsValue) -> Value {
    if v.is_undefined() || v.is_null() {
        Value::Absent
    } else if v.is_string() {
        well_formed(v).map_or(Value::Other(LONE_SURROGATE), Value::Str)
    } else if let Some(n) = v.as_f64() {
        Value::Num(n)
    } else if let Some(b) = v.as_bool() {
        Value::Bool(b)
    } else if v.is_function() {
        Value::Other("function")
    } else if !v.is_object() {
        if v.is_bigint() {
            Value::Other("bigint")
        } else {
            Value::Other("symbol")
        }
    } else if let Ok(array) = is_array(v) {
        if array {
            list(v)
        } else {
            string_map(v).map_or(Value::Other("object"), Value::Map)
        }
    } else {
        Value::Other("unreadable object")
    }
}

/// An array whose items are all strings, read through a catching `Array.from`.
fn list(v: &JsValue) -> Value {
    let Ok(items) = array_from(v) else {
        return Value::Other("unreadable array");
    };
    let mut out = Vec::new();
    for item in items.iter() {
        match well_formed(&item) {
            Some(s) => out.push(s),
            None => return Value::Other("array of non-strings"),
        }
    }
    Value::List(out)
}

/// A plain object's own entries whose values are strings or finite numbers, or `None`.
fn string_map(v: &JsValue) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    for key in object_keys(v).ok()?.iter() {
        let text = scalar_text(&Reflect::get(v, &key).ok()?)?;
        out.push((well_formed(&key)?, text));
    }
    Some(out)
}

/// A string, or a finite number as the text JS writes for it; `None` for anything else.
fn scalar_text(v: &JsValue) -> Option<String> {
    match v.as_f64() {
        Some(n) if n.is_finite() => Some(number_text(n)),
        _ => well_formed(v),
    }
}

/// An options argument: `undefined`/`null` (none) or a plain object, as `(name, value)` pairs.
pub fn options(v: &JsValue, what: &str) -> Result<Vec<(String, Value)>, Error> {
    if v.is_undefined() || v.is_null() {
        return Ok(Vec::new());
    }
    if !v.is_object() || is_array(v).unwrap_or(true) {
        return Err(Error::invalid_with(
            "{} must be an object, got {}",
            &[what, type_name(v)],
        ));
    }
    let mut out = Vec::new();
    for key in keys(v, what)?.iter() {
        let Some(name) = well_formed(&key) else {
            continue;
        };
        let item = Reflect::get(v, &key)
            .map_err(|_| Error::invalid_with("{}: reading option '{}' threw", &[what, &name]))?;
        out.push((name, value(&item)));
    }
    Ok(out)
}

/// `Object.keys(v)`, or a bad-argument error when listing them threw.
fn keys(v: &JsValue, what: &str) -> Result<Array, Error> {
    object_keys(v)
        .map_err(|_| Error::invalid_with("{} could not be read: listing its keys threw", &[what]))
}

/// The JS value of option `name` in an options object, if the object itself has one. Only own
/// properties count, as for every other option (read through `Object.keys`): an application
/// that sets `Object.prototype.fetch` must not route every update through it.
pub fn option(v: &JsValue, name: &str) -> Option<JsValue> {
    if !v.is_object() || own_descriptor(v, name).map_or(true, |d| d.is_undefined()) {
        return None;
    }
    Reflect::get(v, &name.into())
        .ok()
        .filter(|x| !x.is_undefined() && !x.is_null())
}

/// An environment object's entries as text (`process.env`, `Deno.env.toObject()`, a Worker's
/// `env`). A Worker's typed vars (`OKERR_DIRECT = true` in wrangler.toml) count as the text they
/// spell; other entries (bindings such as KV namespaces) are skipped.
pub fn env(v: &JsValue) -> Result<Vec<(String, String)>, Error> {
    if !v.is_object() {
        return Err(Error::invalid_with(
            "fromEnv needs an object such as process.env, got {}",
            &[type_name(v)],
        ));
    }
    let mut out = Vec::new();
    for key in keys(v, "the environment")?.iter() {
        let Some(name) = well_formed(&key) else {
            continue;
        };
        let Ok(item) = Reflect::get(v, &key) else {
            continue;
        };
        let Some(text) = scalar_text(&item).or_else(|| item.as_bool().map(|b| b.to_string()))
        else {
            continue;
        };
        out.push((name, text));
    }
    Ok(out)
}

/// A status: a string, or a finite number written as JS writes it (`36.6`).
pub fn status(v: &JsValue) -> Result<String, Error> {
    if v.is_string() {
        return well_formed(v)
            .ok_or_else(|| Error::invalid_with("status must not be {}", &[LONE_SURROGATE]));
    }
    match v.as_f64() {
        Some(n) if n.is_finite() => Ok(number_text(n)),
        Some(_) => Err(Error::invalid(
            "status must be a finite number or a string; got NaN or Infinity",
        )),
        None => Err(Error::invalid_with(
            "status must be a string or a number, got {}",
            &[type_name(v)],
        )),
    }
}

/// The JS type of `v` for a message, telling `null` from `undefined` (both unset as options).
fn type_name(v: &JsValue) -> &'static str {
    if v.is_null() {
        "null"
    } else {
        value(v).type_name()
    }
}

/// Finite numbers among `pairs` as the text JS writes for them (`37.5`, `1e+21`), for fields
/// the server receives as text.
pub fn numbers_as_text(mut pairs: Vec<(String, Value)>) -> Vec<(String, Value)> {
    for (_, value) in &mut pairs {
        if let Value::Num(n) = *value {
            if n.is_finite() {
                *value = Value::Str(number_text(n));
            }
        }
    }
    pairs
}

/// A number written as JS writes it (`String(36.6)` is `36.6`), which Rust's formatting is not.
fn number_text(n: f64) -> String {
    number_string(n)
}

/// True when `details` will certainly pass [`details`] (absent, a finite number, or a string
/// short enough whatever its characters), so a skipped update can skip reading it.
pub fn details_fit(v: &JsValue) -> bool {
    if v.is_undefined() || v.is_null() || v.as_f64().is_some_and(f64::is_finite) {
        return true;
    }
    // A UTF-16 unit becomes at most 3 bytes of UTF-8.
    v.dyn_ref::<js_sys::JsString>()
        .is_some_and(|s| s.length() as usize * 3 <= crate::status::MAX_TEXT_BYTES)
}

/// Details: absent, a string, or a number.
pub fn details(v: &JsValue) -> Result<Option<String>, Error> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    if v.is_string() {
        return well_formed(v)
            .map(Some)
            .ok_or_else(|| Error::invalid_with("details must not be {}", &[LONE_SURROGATE]));
    }
    status(v)
        .map(Some)
        .map_err(|_| Error::invalid_with("details must be a string, got {}", &[type_name(v)]))
}

/// A required string argument such as an indicator name.
pub fn text(v: &JsValue, what: &str) -> Result<String, Error> {
    well_formed(v)
        .ok_or_else(|| Error::invalid_with("{} must be a string, got {}", &[what, type_name(v)]))
}

/// The items of an array argument (`specs`), read through the catching `Array.isArray` and
/// `Array.from` (a Proxy's traps may throw).
pub fn items(v: &JsValue, what: &str) -> Result<Array, Error> {
    if !is_array(v).unwrap_or(false) {
        return Err(Error::invalid_with(
            "{} must be an array, got {}",
            &[what, type_name(v)],
        ));
    }
    array_from(v).map_err(|_| Error::invalid_with("{} could not be read", &[what]))
}
