//! `project.flush(timeoutMs?)`: a promise that resolves once every update and API call started
//! before it has settled (the core's [`InFlight`](crate::engine::inflight::InFlight) keeps count), or
//! once `timeoutMs` has passed. It never rejects.

use super::convert;
use super::outcome;
use super::project::OkerrProject;
use super::views::{self, FlushResult};
use crate::base::log::Level;
use crate::engine::inflight::{self, Flushed};
use js_sys::Promise;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl OkerrProject {
    /// Wait for every update (with its director lookup and retries) and API call started before
    /// this call, at most `timeoutMs` milliseconds when given. Resolves to `{ settled, pending }`:
    /// how many of those settled, and how many were still in flight when the time was up. Never
    /// rejects; a `timeoutMs` that is not a number from 0 up is logged at `error` and ignored.
    ///
    /// ```js
    /// ctx.waitUntil(project.flush());             // a Worker
    /// await project.flush(10_000); process.exit(0); // Node
    /// ```
    #[wasm_bindgen(unchecked_return_type = "Promise<FlushResult>")]
    pub fn flush(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] timeout_ms: JsValue,
    ) -> Promise {
        let limit = inflight::time_limit(&convert::value(&timeout_ms)).unwrap_or_else(|e| {
            self.core.log(&*self.rt, Level::Error, &e.message);
            None
        });
        // Each wait has its timer, started when it begins and cleared when it ends, so that
        // it keeps no Node process alive after everything settled.
        let flushing = self.inflight.flush(Rc::clone(&self.rt), limit);
        outcome::promise(Box::pin(async move { Ok(result(flushing.await)) }))
    }
}

fn result(f: Flushed) -> JsValue {
    // A `usize` is 32 bits on wasm32, the only target this face is built for: nothing is cut.
    views::to_js(&FlushResult {
        settled: f.settled as u32,
        pending: f.pending as u32,
    })
}
