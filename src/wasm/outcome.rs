//! Update results as JS objects, made once: the throttled path answers without allocating.

use crate::client::Outcome;
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

thread_local! {
    static RESULTS: [JsValue; 4] = [Outcome::Sent, Outcome::Throttled, Outcome::DryRun, Outcome::Unconfirmed].map(make);
}

fn make(o: Outcome) -> JsValue {
    let result = Object::new();
    let _ = Reflect::set(&result, &"sent".into(), &o.sent().into());
    let _ = Reflect::set(&result, &"reason".into(), &o.reason().into());
    Object::freeze(&result).into()
}

/// The frozen `{ sent, reason }` object for `o`.
pub fn result(o: Outcome) -> JsValue {
    let index = match o {
        Outcome::Sent => 0,
        Outcome::Throttled => 1,
        Outcome::DryRun => 2,
        Outcome::Unconfirmed => 3,
    };
    RESULTS.with(|r| r[index].clone())
}
