//! The `throttleStore` object: its `claim` and `release` called, their answers awaited under a
//! time limit, and every way a store can fail (a throw, a rejection, an answer that is not a
//! boolean, no answer at all) turned into a [`StoreError`], on which the core fails open.

use super::deadline::{Deadline, Stop};
use super::sys::Store;
use crate::engine::runtime::{StoreCall, StoreError};
use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Make `call` on `store`: a claim's answer, which must be a boolean, within `limit_ms`.
pub async fn call(
    store: &JsValue,
    call: &StoreCall<'_>,
    limit_ms: f64,
) -> Result<bool, StoreError> {
    // Without a timer the call could not be bounded: the store is not called at all.
    let deadline = Deadline::start(limit_ms).map_err(|e| failed(&e))?;
    let store: &Store = store.unchecked_ref();
    let (answer, release) = match *call {
        StoreCall::Claim {
            key,
            status,
            numerical,
            token,
            period_ms,
        } => (store.claim(key, status, numerical, token, period_ms), false),
        StoreCall::Release { key, token } => (store.release(key, token), true),
    };
    let answer = answered(&deadline, answer).await?;
    match answer.as_bool() {
        Some(claimed) => Ok(claimed),
        None if release => Ok(true),
        None => Err(StoreError::Junk(
            answer.js_typeof().as_string().unwrap_or_default(),
        )),
    }
}

/// What the store's `answer` (a value, or a promise of one) settles to, within `deadline`. A
/// store that never answers leaves the deadline's slot abandoned, which the table bounds.
async fn answered(
    deadline: &Deadline,
    answer: Result<JsValue, JsValue>,
) -> Result<JsValue, StoreError> {
    match deadline.race(answer.map_err(|e| failed(&e))?).await {
        Ok(value) => Ok(value),
        Err(Stop::Failed(e)) => Err(failed(&e)),
        Err(_) => Err(StoreError::Timeout),
    }
}

/// A throw or rejection as a [`StoreError`]: its `message`, or the value itself when a string.
fn failed(e: &JsValue) -> StoreError {
    let message = Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "it threw or rejected without a message".into());
    StoreError::Failed(message)
}
