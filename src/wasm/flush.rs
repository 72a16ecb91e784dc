//! `project.flush(timeoutMs?)`: a promise that resolves once every update and API call started
//! before it has settled (the core's [`InFlight`](crate::inflight::InFlight) keeps count), or
//! once `timeoutMs` has passed. It never rejects.

use super::convert;
use super::deadline::Deadline;
use super::outcome;
use super::project::OkerrProject;
use super::views::{self, FlushResult};
use crate::inflight::{self, Flushed};
use crate::log::Level;
use js_sys::Promise;
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
        // The timer starts now, and is cleared as soon as it is not needed (the deadline is
        // dropped with the flush's wait), so that it keeps no Node process alive after
        // everything settled.
        let timer = limit.map(Deadline::start);
        let flushing = self.inflight.flush(async move {
            match timer {
                Some(Ok(timer)) => timer.passed().await,
                // A time limit whose timer cannot be started (the application's `setTimeout`
                // throws) is reached at once: a wait without end is what it was asked to avoid.
                Some(Err(_)) => {}
                None => std::future::pending().await,
            }
        });
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
