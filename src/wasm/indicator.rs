//! `OkerrIndicator`: `update()` as a Promise over the core's begin/deliver steps.

use super::convert;
use super::errors::to_js;
use super::js_runtime::JsRuntime;
use super::outcome;
use super::views::{self, IndicatorView};
use crate::error::Error;
use crate::failure::{self, OnFailure};
use crate::inflight::InFlight;
use crate::method::Kind;
use crate::project::{Indicator, Project};
use crate::update::{Begin, Outcome};
use js_sys::{Array, JsString, Object, Promise, Reflect};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// One indicator of a project, made by `project.indicator(name, options)`.
#[wasm_bindgen]
pub struct OkerrIndicator {
    pub(super) project: Rc<Project>,
    rt: Rc<JsRuntime>,
    core: Indicator,
    inflight: Rc<InFlight>,
    hints: Hints,
}

/// The project's hints (see [`OkerrProject`](super::project::OkerrProject)) and this
/// indicator's key in them: its kind and name, since what a kind accepts differs.
#[derive(Clone)]
struct Hints {
    all: Object,
    key: JsString,
}

impl Hints {
    /// Write what the core answers now to an update of `status` without details, or forget
    /// the key when the core has to be asked.
    fn refresh(&self, project: &Project, rt: &JsRuntime, ind: &Indicator, status: &str) {
        let hint = match project.hint(rt, ind, status) {
            Some(h) => h,
            None => {
                let _ = Reflect::delete_property(&self.all, &self.key);
                return;
            }
        };
        let status = hint
            .status
            .as_deref()
            .map_or(JsValue::NULL, JsValue::from_str);
        let entry = Array::of4(
            &status,
            &hint.from_ms.into(),
            &hint.until_ms.into(),
            &outcome::settled(hint.outcome),
        );
        let _ = Reflect::set(&self.all, &self.key, &entry);
    }
}

impl OkerrIndicator {
    pub(super) fn new(
        project: Rc<Project>,
        rt: Rc<JsRuntime>,
        core: Indicator,
        inflight: Rc<InFlight>,
        hints: Object,
    ) -> Self {
        let kind = match core.spec.kind() {
            Kind::Heartbeat => "h:",
            Kind::Numerical => "n:",
            Kind::String => "s:",
            Kind::Active => "a:",
        };
        let key = JsString::from(kind).concat(&JsString::from(core.spec.name.as_str()).into());
        OkerrIndicator {
            project,
            rt,
            core,
            inflight,
            hints: Hints { all: hints, key },
        }
    }

    /// Send a checked `(status, details)`, the failure reaching the caller as `on_failure` says.
    /// A send in flight counts for `project.flush()` until it settles. Never inlined: `update()`
    /// and `run()`'s report share one copy in the .wasm.
    #[inline(never)]
    pub(super) fn send(
        &self,
        checked: Result<(String, Option<String>), Error>,
        on_failure: OnFailure,
    ) -> Promise {
        let (status, details) = match checked {
            Ok(checked) => checked,
            Err(e) => return self.refused(&e, on_failure),
        };
        let begun = self
            .project
            .begin_update(&*self.rt, &self.core, &status, details.as_deref());
        // Every update that reaches the core may change what it answers next.
        self.hints
            .refresh(&self.project, &self.rt, &self.core, &status);
        match begun {
            Err(e) => self.refused(&e, on_failure),
            Ok(Begin::Done(o)) => outcome::settled(o),
            // Each caller applies its own rule to the one result.
            Ok(Begin::Join(joined)) => {
                let (project, rt, ind) = (
                    Rc::clone(&self.project),
                    Rc::clone(&self.rt),
                    self.core.clone(),
                );
                let joining = async move { project.join(&*rt, &ind, joined, on_failure).await };
                outcome::settle(Box::pin(joining), on_failure)
            }
            Ok(Begin::Send(job)) => {
                let (project, rt, ind, hints) = (
                    Rc::clone(&self.project),
                    Rc::clone(&self.rt),
                    self.core.clone(),
                    self.hints.clone(),
                );
                let tracked = self.inflight.track();
                let sending = async move {
                    let _tracked = tracked;
                    let sent = project.deliver(&*rt, &ind, job, on_failure).await;
                    hints.refresh(&project, &rt, &ind, &status);
                    sent
                };
                outcome::settle(Box::pin(sending), on_failure)
            }
        }
    }

    /// An update refused before sending: a rejection, or a logged `failed` result.
    fn refused(&self, e: &Error, on_failure: OnFailure) -> Promise {
        let error = to_js(e.clone());
        match on_failure.level_before_sending(e) {
            None => Promise::reject(&error),
            Some(level) => {
                let who = self.project.who(&self.core);
                self.project
                    .log(&*self.rt, level, &failure::not_sent(&who, e));
                Promise::resolve(&outcome::failed(&error))
            }
        }
    }
}

#[wasm_bindgen]
impl OkerrIndicator {
    /// Send `status` (`OK`/`ERR` for a heartbeat, a number for numerical, text for string) with
    /// optional `details`. Resolves to `{ sent, reason }`; rejects with an `OkerrError` (with
    /// the project option `rejectOnFailure: false` it resolves to `{ sent: false, reason:
    /// 'failed', error }` instead). A bad status is refused before anything is sent; an
    /// unchanged status within the throttle period resolves at once as `throttled`.
    #[wasm_bindgen(unchecked_return_type = "Promise<UpdateResult>")]
    pub fn update(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | number")] status: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] details: JsValue,
    ) -> Promise {
        // A finite number is always a valid numerical status, and a numerical indicator in its
        // throttle period skips any value: no need to bring the value into wasm at all.
        if status.as_f64().is_some_and(f64::is_finite)
            && convert::details_fit(&details)
            && self.project.skips_any_value(&*self.rt, &self.core)
        {
            return outcome::settled(Outcome::Throttled);
        }
        let checked =
            convert::status(&status).and_then(|s| convert::details(&details).map(|d| (s, d)));
        self.send(checked, OnFailure::for_updates(self.project.config()))
    }

    /// This indicator's key in its project's hints (okerr-fast.mjs). Not part of the API.
    #[wasm_bindgen(getter = __hintKey, skip_typescript)]
    pub fn hint_key(&self) -> JsString {
        self.hints.key.clone()
    }

    /// The name as sent: prefixed and repaired.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> JsString {
        self.core.spec.name.as_str().into()
    }

    /// `name@textid`: never the secret.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_string_js(&self) -> JsString {
        self.project.who(&self.core).as_str().into()
    }

    /// A JSON view without secrets: `{ name, textid, method }`.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "{ name: string; textid: string; method: string | null }")]
    pub fn to_json(&self) -> JsValue {
        views::to_js(&IndicatorView {
            name: &self.core.spec.name,
            textid: &self.project.config().textid,
            method: self
                .core
                .spec
                .method
                .as_ref()
                .map(|m| self.project.scrub(&m.line)),
        })
    }
}
