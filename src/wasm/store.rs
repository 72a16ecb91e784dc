//! The `throttleStore` object: its `claim` and `release` called, their answers awaited under a
//! time limit, and every way a store can fail (a throw, a rejection, an answer that is not a
//! boolean, no answer at all) turned into a [`StoreError`], on which the core fails open.

use super::deadline::{then, to_promise, Deadline};
use super::exchange::Stop;
use crate::runtime::{StoreCall, StoreError};
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// A `throttleStore` object as the application gave it (checked at construction; its
    /// methods are read again at each call, so one removed since fails like one that throws).
    type Store;

    /// `store.claim(key, status, numerical, token, periodMs)`. Caught: it is the application's.
    #[wasm_bindgen(method, catch)]
    fn claim(
        this: &Store,
        key: &str,
        status: &str,
        numerical: bool,
        token: &str,
        period_ms: f64,
    ) -> Result<JsValue, JsValue>;

    /// `store.release(key, token)`. Caught.
    #[wasm_bindgen(method, catch)]
    fn release(this: &Store, key: &str, token: &str) -> Result<JsValue, JsValue>;
}

/// Make `call` on `store`: a claim's answer, which must be a boolean, within `limit_ms`.
pub async fn call(
    store: &JsValue,
    call: &StoreCall<'_>,
    limit_ms: f64,
) -> Result<bool, StoreError> {
    let deadline = Deadline::start(limit_ms);
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

/// What the store's `answer` (a value, or a promise of one) settles to, within `deadline`.
///
/// The deadline awaits a promise made here, which the answer settles: a store that never
/// answers would otherwise keep the deadline's slot for good (one per update, since every
/// update asks). On time out that promise is settled here, and the slot given back; the
/// store's own promise then holds nothing of the wasm's.
async fn answered(
    deadline: &Deadline,
    answer: Result<JsValue, JsValue>,
) -> Result<JsValue, StoreError> {
    let answer = answer.map_err(|e| failed(&e))?;
    let mut ends: Option<(Function, Function)> = None;
    let mine = Promise::new(&mut |ok, err| ends = Some((ok, err)));
    let Some((ok, err)) = ends else {
        // The executor runs at once: not reached.
        return Err(StoreError::Timeout);
    };
    to_promise(&answer)
        .and_then(|p| then(&p, &ok, &err))
        .map_err(|e| failed(&e))?;
    match deadline.race(mine.into()).await {
        Ok(value) => Ok(value),
        Err(Stop::Failed(e)) => Err(failed(&e)),
        Err(_) => {
            // A promise's own resolve function: never throws.
            let _ = ok.call0(&JsValue::UNDEFINED);
            Err(StoreError::Timeout)
        }
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
