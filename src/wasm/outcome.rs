//! Update results as JS objects, made once (the throttled path answers without allocating),
//! and the `failed` result of a project that does not reject.

use super::errors::to_js;
use super::views::{self, FailedResult, UpdateResult};
use crate::engine::failure::OnFailure;
use crate::engine::outcome::{Outcome, Sent};
use js_sys::{Object, Promise};
use std::future::Future;
use std::pin::Pin;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

const ALL: [Outcome; 4] = [
    Outcome::Sent,
    Outcome::Throttled,
    Outcome::DryRun,
    Outcome::Unconfirmed,
];

thread_local! {
    // Each result with a promise settled to it. A settled promise can be handed to any number
    // of callers: each `await` sees the same value.
    // Made by `from_fn`, one loop (`ALL.map` would make each of the four in code of its own),
    // into a fixed array rather than a `Vec`.
    static DONE: [(JsValue, Promise); 4] = std::array::from_fn(|i| {
        let result = make(ALL[i]);
        let settled = Promise::resolve(&result);
        (result, settled)
    });
}

fn make(o: Outcome) -> JsValue {
    let result = views::to_js(&UpdateResult {
        sent: o.sent(),
        reason: o.reason(),
    });
    Object::freeze(result.unchecked_ref::<Object>()).into()
}

fn index(o: Outcome) -> usize {
    match o {
        Outcome::Sent => 0,
        Outcome::Throttled => 1,
        Outcome::DryRun => 2,
        Outcome::Unconfirmed => 3,
    }
}

/// The frozen `{ sent, reason }` object for `o`.
pub fn result(o: Outcome) -> JsValue {
    DONE.with(|d| d[index(o)].0.clone())
}

/// A promise already resolved to [`result`]`(o)`.
pub fn settled(o: Outcome) -> Promise {
    DONE.with(|d| d[index(o)].1.clone())
}

/// The frozen `{ sent: false, reason: 'failed', error }` of an update that failed and, as the
/// caller asked, resolves instead of rejecting.
pub fn failed(error: &JsValue) -> JsValue {
    let result = views::to_js(&FailedResult {
        sent: false,
        reason: "failed",
        error: error.clone(),
    });
    Object::freeze(result.unchecked_ref::<Object>()).into()
}

/// A promise of what `sending` comes to, as `on_failure` wants a failure: a rejection, or a
/// resolved [`failed`].
pub fn settle(sending: Pin<Box<dyn Future<Output = Sent>>>, on_failure: OnFailure) -> Promise {
    promise(Box::pin(async move {
        match sending.await {
            Ok(o) => Ok(result(o)),
            Err(e) if on_failure.rejects() => Err(to_js(e)),
            Err(e) => Ok(failed(&to_js(e))),
        }
    }))
}

/// A promise of what `future` comes to. Every promise the face makes from a future is made here,
/// from a boxed one: the executor's machinery is in the .wasm once, not once for each kind of
/// future.
pub fn promise(future: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>) -> Promise {
    future_to_promise(future)
}
