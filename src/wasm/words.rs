//! The JS strings the face hands to JS on every update (property names, header names, logger
//! methods), made once: a `&str` passed to JS is decoded from wasm memory on every call. Made
//! one by one into a fixed array, which costs the .wasm less than splitting one text in JS
//! and collecting the pieces into a `Vec` (measured: 476 bytes).

use crate::base::log::Level;
use wasm_bindgen::JsValue;

/// A word, by its place in [`LIST`].
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

/// Every [`Word`], in its order.
const LIST: [&str; COUNT] = [
    "debug",
    "info",
    "warn",
    "error",
    "status",
    "headers",
    "type",
    "body",
    "opaqueredirect",
    "content-type",
    "application/x-www-form-urlencoded",
    "x-api-key",
    "retry-after",
    "location",
    "method",
    "POST",
];

/// How many words there are.
const COUNT: usize = Word::Post as usize + 1;

thread_local! {
    static WORDS: [JsValue; COUNT] = std::array::from_fn(|i| JsValue::from_str(LIST[i]));
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
        WORDS.with(|words| words[self as usize].clone())
    }
}
