//! The wasm half of `indicator.run(fn)` and `project.wrap(name, fn)`. The package's
//! `okerr-job.mjs` calls the job itself, with no wasm frame on the stack (the job may use this
//! very indicator, or free it), and hands over how it ended; what is reported comes from the
//! core.

use super::indicator::OkerrIndicator;
use crate::engine::failure::OnFailure;
use crate::engine::job;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl OkerrIndicator {
    /// Report a job that took `ms`: `OK` when `ok`, else `ERR` with the error's `message`.
    /// Never rejects: a failure to report is logged at `warn`, as the job's outcome must not
    /// depend on it.
    #[wasm_bindgen(js_name = __runReport, skip_typescript)]
    pub fn run_report(&self, ok: bool, ms: f64, message: Option<String>) -> Promise {
        let (status, details) = if ok {
            ("OK", job::run_ok(ms))
        } else {
            let message = message.unwrap_or_default();
            let details = job::run_failed(ms, &message, |t| self.project.scrub(t));
            ("ERR", details)
        };
        self.send(Ok((status.into(), Some(details))), OnFailure::REPORT)
    }
}
