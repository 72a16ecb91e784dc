//! `project.sync(specs, { dryRun })`: the core checks the specs at once (a bad one rejects
//! before anything is sent), reads and applies them, and the result becomes a plain object.

use super::convert;
use super::errors::to_js;
use super::outcome;
use super::project::OkerrProject;
use crate::api::sync;
use crate::error::Error;
use crate::text::{decimal, fill};
use crate::value::Value;
use js_sys::Promise;
use serde::Serialize;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl OkerrProject {
    /// Apply indicator settings (`method`, `policy`, `desc`) to the indicators that exist: an
    /// update sets them only when it creates its indicator. Reads each spec's indicator, then
    /// sends one `setArgs` call per indicator that differs (none with `dryRun: true`, or on a
    /// project made with `dryRun`). Needs `apiKey`. Tags are only compared (the web UI alone
    /// changes them); a missing indicator is reported, not created.
    #[wasm_bindgen(unchecked_return_type = "Promise<SyncResult>")]
    pub fn sync(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SyncSpec[]")] specs: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SyncOptions")] options: JsValue,
    ) -> Promise {
        let checked = read_specs(&specs)
            .and_then(|items| sync::specs(self.core.config(), &items))
            .and_then(|specs| {
                convert::options(&options, "sync options")
                    .and_then(|o| sync::dry_run(&o))
                    .map(|dry| (specs, dry || self.core.config().dry_run))
            });
        let (specs, dry_run) = match checked {
            Ok(checked) => checked,
            Err(e) => return Promise::reject(&to_js(e)),
        };
        let (project, rt) = (Rc::clone(&self.core), Rc::clone(&self.rt));
        // In flight for `flush()` from now until it settles.
        let tracked = self.inflight.track();
        outcome::promise(Box::pin(async move {
            let _tracked = tracked;
            sync::run(&project, &*rt, specs, dry_run, &object_pairs)
                .await
                .map(|result| result_to_js(&result))
                .map_err(|e| to_js(project.scrub_error(e)))
        }))
    }
}

/// Each spec's own fields, as for any options object.
fn read_specs(specs: &JsValue) -> Result<Vec<Vec<(String, Value)>>, Error> {
    let mut out = Vec::new();
    for (i, item) in convert::items(specs, "specs")?.iter().enumerate() {
        let what = fill("specs[{}]", &[&decimal(i as u64)]);
        if !item.is_object() {
            return Err(Error::invalid_with("{} must be an object", &[&what]));
        }
        out.push(convert::options(&item, &what)?);
    }
    Ok(out)
}

/// An answer's JSON object by the runtime's own `JSON.parse` (the library's .wasm carries no
/// JSON reader), then read like any options object: own properties only.
fn object_pairs(text: &str) -> Option<Vec<(String, Value)>> {
    let parsed = js_sys::JSON::parse(text).ok()?;
    if !parsed.is_object() {
        return None;
    }
    convert::options(&parsed, "answer").ok()
}

/// The result as a plain object: `set` and `was` are objects, not `Map`s.
fn result_to_js(result: &sync::SyncResult) -> JsValue {
    let writer = serde_wasm_bindgen::Serializer::new()
        .serialize_missing_as_null(true)
        .serialize_maps_as_objects(true);
    // Only strings, booleans and lists of them are written: nothing that can fail.
    result.serialize(&writer).unwrap_or(JsValue::NULL)
}

#[wasm_bindgen(typescript_custom_section)]
const SYNC_TYPES: &'static str = r#"
/**
 * One indicator's settings for `sync()`: the same fields and checks as `indicator()` options.
 * A field left out is neither compared nor changed.
 */
export interface SyncSpec {
  /** The indicator (prefixed and repaired like an update's name). */
  name: string;
  /** A method line; every argument it names must be one the method has. */
  method?: string;
  /** A policy name. */
  policy?: string;
  /** The description. */
  desc?: string;
  /** The user's tags: compared only (`drift` with code `UI_ONLY`), since only the web UI changes them. */
  tags?: string[] | string;
}

/** Options of `sync()`. */
export interface SyncOptions {
  /** Read and compare, change nothing (also when the project was made with `dryRun`). */
  dryRun?: boolean;
}

/** One indicator `sync()` changed (or, in a dry run, would change) with one `setArgs` call. */
export interface SyncChange {
  name: string;
  /**
   * The fields sent, under the server's names and in their order: `checkmethod` when the
   * codename differs (the server then resets every argument, so each argument the spec names
   * follows), the method's arguments as the server stores them (`maxlim: '40'`), `policy`,
   * `desc`. An indicator's own `secret` is shown as `[secret]`.
   */
  set: Record<string, string>;
  /** The server's values of those fields before (an argument the old method lacks is left out). */
  was: Record<string, string>;
}

/** A difference `sync()` did not apply, and why. */
export interface SyncDrift {
  name: string;
  field: string;
  /** The server's value, still in force: text, the user's tags, or null when it has none. */
  server: string | string[] | null;
  /**
   * `UI_ONLY` (tags), `NO_SUCH_POLICY` (the call was refused: nothing of this indicator
   * changed), `NOT_APPLIED` (the server's answer does not name the field), or the code of
   * the error that stopped this indicator's call (`NETWORK`, `TIMEOUT`, `FORBIDDEN`...).
   */
  code: string;
}

/** What `sync()` resolves to. */
export interface SyncResult {
  dryRun: boolean;
  changed: SyncChange[];
  /** Indicators that already match their specs. */
  unchanged: string[];
  /** Indicators that do not exist: not created (the first update creates each with the spec's settings). */
  missing: string[];
  drift: SyncDrift[];
}
"#;
