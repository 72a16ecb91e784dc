//! Update results as JS objects, made once: the throttled path answers without allocating.

use crate::client::Outcome;
use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;

const ALL: [Outcome; 4] = [
    Outcome::Sent,
    Outcome::Throttled,
    Outcome::DryRun,
    Outcome::Unconfirmed,
];

thread_local! {
    static RESULTS: [JsValue; 4] = ALL.map(make);
    // A settled promise can be handed to any number of callers: each `await` sees the same value.
    static SETTLED: [Promise; 4] = ALL.map(|o| Promise::resolve(&result(o)));
}

fn make(o: Outcome) -> JsValue {
    let result = Object::new();
    let _ = Reflect::set(&result, &"sent".into(), &o.sent().into());
    let _ = Reflect::set(&result, &"reason".into(), &o.reason().into());
    Object::freeze(&result).into()
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
    RESULTS.with(|r| r[index(o)].clone())
}

/// A promise already resolved to [`result`]`(o)`.
pub fn settled(o: Outcome) -> Promise {
    SETTLED.with(|p| p[index(o)].clone())
}
