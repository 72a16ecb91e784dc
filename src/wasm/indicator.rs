//! `OkerrIndicator`: `update()` as a Promise over the core's begin/deliver steps.

use super::convert;
use super::errors::to_js;
use super::js_runtime::JsRuntime;
use super::outcome;
use crate::client::{Begin, Indicator, Outcome, Project};
use js_sys::{Object, Promise, Reflect};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// One indicator of a project, made by `project.indicator(name, options)`.
#[wasm_bindgen]
pub struct OkerrIndicator {
    project: Rc<Project<Promise>>,
    rt: Rc<JsRuntime>,
    core: Indicator<Promise>,
}

impl OkerrIndicator {
    pub(super) fn new(
        project: Rc<Project<Promise>>,
        rt: Rc<JsRuntime>,
        core: Indicator<Promise>,
    ) -> Self {
        OkerrIndicator { project, rt, core }
    }
}

#[wasm_bindgen]
impl OkerrIndicator {
    /// Send `status` (`OK`/`ERR` for a heartbeat, a number for numerical, text for string) with
    /// optional `details`. Resolves to `{ sent, reason }`; rejects with an `OkerrError`. A bad
    /// status is refused before anything is sent; an unchanged status within the throttle
    /// period resolves at once as `throttled`.
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
        let begun = checked.and_then(|(s, d)| {
            self.project
                .begin_update(&*self.rt, &self.core, &s, d.as_deref())
        });
        match begun {
            Err(e) => Promise::reject(&to_js(&e)),
            Ok(Begin::Done(o)) => outcome::settled(o),
            Ok(Begin::Join(shared)) => shared,
            Ok(Begin::Send(job)) => {
                let (project, rt, ind) = (
                    Rc::clone(&self.project),
                    Rc::clone(&self.rt),
                    self.core.clone(),
                );
                let ticket = job.ticket;
                let sending = future_to_promise(async move {
                    project
                        .deliver(&*rt, &ind, job)
                        .await
                        .map(outcome::result)
                        .map_err(|e| to_js(&e))
                });
                self.core.share(ticket, sending.clone());
                sending
            }
        }
    }

    /// The name as sent: prefixed and repaired.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.core.spec.name.clone()
    }

    /// `name@textid`: never the secret.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_string_js(&self) -> String {
        format!("{}@{}", self.core.spec.name, self.project.config().textid)
    }

    /// A JSON view without secrets: `{ name, textid, method }`.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "{ name: string; textid: string; method: string | null }")]
    pub fn to_json(&self) -> JsValue {
        let o = Object::new();
        let _ = Reflect::set(&o, &"name".into(), &self.core.spec.name.as_str().into());
        let _ = Reflect::set(
            &o,
            &"textid".into(),
            &self.project.config().textid.as_str().into(),
        );
        let method = self.core.spec.method.as_ref().map_or(JsValue::NULL, |m| {
            JsValue::from_str(&self.project.scrub(&m.line))
        });
        let _ = Reflect::set(&o, &"method".into(), &method);
        o.into()
    }
}
