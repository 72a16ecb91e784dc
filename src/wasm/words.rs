//! The JS strings the face hands to JS on every update (property names, header names, logger
//! methods), made once: a `&str` passed to JS is decoded from wasm memory on every call. Made
//! from one text split in JS, which costs the .wasm less than a string each.

use crate::log::Level;
use js_sys::JsString;
use wasm_bindgen::JsValue;

/// A word, by its place in [`ALL`].
#[derive(Clone, Copy)]
pub enum Word {
    Debug,
    Info,
    Warn,
    Error,
    Status,
    Headers,
    Type,
    Body,
    OpaqueRedirect,
    ContentType,
    Form,
    ApiKey,
    RetryAfter,
    Location,
    Method,
    Post,
}

/// Every [`Word`], in its order, one space between each.
const ALL: &str = "debug info warn error status headers type body opaqueredirect content-type \
                   application/x-www-form-urlencoded x-api-key retry-after location method POST";

thread_local! {
    static WORDS: Vec<JsValue> = JsString::from(ALL).split(" ").iter().collect();
}

impl Word {
    /// The logger's method that writes a line at `level`.
    pub fn log(level: Level) -> Word {
        match level {
            Level::Debug => Word::Debug,
            Level::Info => Word::Info,
            Level::Warn => Word::Warn,
            Level::Error | Level::Silent => Word::Error,
        }
    }

    /// The word as a JS string.
    pub fn js(self) -> JsValue {
        WORDS.with(|words| words.get(self as usize).cloned().unwrap_or_default())
    }
}
