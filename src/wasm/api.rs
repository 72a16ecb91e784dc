//! The project API and status pages as `OkerrProject` methods. Each one has the core check its
//! arguments at once (a bad call rejects before anything is sent), then sends the call and
//! converts the answer.

use super::convert;
use super::errors::to_js;
use super::outcome;
use super::project::OkerrProject;
use super::views;
use crate::api::{self, Answer, Call};
use crate::error::Error;
use crate::value::Value;
use js_sys::{Array, Promise};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl OkerrProject {
    /// The names of the project's indicators, or of those whose name starts with `prefix`.
    /// Needs `apiKey`, like every API method except `checkMethods()` and `statusPage()`;
    /// without it the Promise rejects at once with an `OkerrError` whose code is `NO_API_KEY`.
    /// Every API answer is read whole up to 8 MiB; a longer one rejects with `TOO_LARGE`.
    #[wasm_bindgen(js_name = listIndicators, unchecked_return_type = "Promise<string[]>")]
    pub fn list_indicators(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] prefix: JsValue,
    ) -> Promise {
        self.call(
            optional_text(&prefix, "prefix")
                .and_then(|p| api::list_indicators(self.core.config(), p.as_deref())),
        )
    }

    /// One indicator as the server describes it (`name`, `status`, `details`, `policyname`,
    /// `checkmethod`, `args`...). Rejects with code `NOT_FOUND` when there is no such indicator.
    #[wasm_bindgen(js_name = getIndicator, unchecked_return_type = "Promise<IndicatorInfo>")]
    pub fn get_indicator(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    ) -> Promise {
        self.call(
            convert::text(&name, "indicator name")
                .and_then(|n| api::get_indicator(self.core.config(), &n)),
        )
    }

    /// One argument of an indicator as text: a method argument (`days`, `maxlim`...) or one of
    /// `policy`, `cm`, `desc`, `silent`, `problem`, `disabled`.
    #[wasm_bindgen(js_name = getArg, unchecked_return_type = "Promise<string>")]
    pub fn get_arg(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] arg: JsValue,
    ) -> Promise {
        self.call(convert::text(&name, "indicator name").and_then(|n| {
            convert::text(&arg, "argument name")
                .and_then(|a| api::get_arg(self.core.config(), &n, &a))
        }))
    }

    /// Names of the indicators matching every term: `'OK'`, `'ERR'`, a tag or flag such as
    /// `'sslcert'` or `'silent'`, `'-silent'` for one that must not be set, or `'host=okerr.com'`
    /// for an argument's value. No term lists every indicator.
    #[wasm_bindgen(variadic, unchecked_return_type = "Promise<string[]>")]
    pub fn filter(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] terms: Array,
    ) -> Promise {
        self.call(strings(&terms, "filter term").and_then(|t| api::filter(self.core.config(), &t)))
    }

    /// Names of the indicators with every `'tag'` (or `'+tag'`) and without every `'-tag'`.
    #[wasm_bindgen(js_name = tagFilter, variadic, unchecked_return_type = "Promise<string[]>")]
    pub fn tag_filter(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] tags: Array,
    ) -> Promise {
        self.call(strings(&tags, "tag").and_then(|t| api::tag_filter(self.core.config(), &t)))
    }

    /// Change an indicator: `fields` such as `{ days: 20, retest: 1 }`, `{ silent: true }`,
    /// `{ policy: 'Daily' }` or `{ desc: 'text' }`. Resolves to the server's answer
    /// (`Changed NAME {...}`, listing what changed; unknown argument names are ignored by it).
    #[wasm_bindgen(js_name = setArgs, unchecked_return_type = "Promise<string>")]
    pub fn set_args(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "IndicatorFields")] fields: JsValue,
    ) -> Promise {
        self.call(convert::text(&name, "indicator name").and_then(|n| {
            convert::options(&fields, "fields")
                .map(convert::numbers_as_text)
                .and_then(|f| api::set_args(self.core.config(), &n, &f))
        }))
    }

    /// Create a heartbeat indicator (policy `Default`, in maintenance until its first update).
    /// Resolves to the server's answer (`Created ...`).
    #[wasm_bindgen(js_name = createIndicator, unchecked_return_type = "Promise<string>")]
    pub fn create_indicator(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    ) -> Promise {
        self.call(
            convert::text(&name, "indicator name")
                .and_then(|n| api::create_indicator(self.core.config(), &n)),
        )
    }

    /// Delete an indicator. Resolves to the server's answer (`Deleted indicator N from project T`).
    #[wasm_bindgen(js_name = deleteIndicator, unchecked_return_type = "Promise<string>")]
    pub fn delete_indicator(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    ) -> Promise {
        self.call(
            convert::text(&name, "indicator name")
                .and_then(|n| api::delete_indicator(self.core.config(), &n)),
        )
    }

    /// The values a numerical indicator received, oldest first, as the server keeps them:
    /// `{ t, y }` with `t` the time in Unix seconds and `y` the raw string that was sent.
    #[wasm_bindgen(js_name = updateLog, unchecked_return_type = "Promise<UpdateLogEntry[]>")]
    pub fn update_log(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    ) -> Promise {
        self.call(
            convert::text(&name, "indicator name")
                .and_then(|n| api::update_log(self.core.config(), &n)),
        )
    }

    /// The server's check methods: codename -> `{ name, remote, args }`. Needs no API key.
    #[wasm_bindgen(js_name = checkMethods, unchecked_return_type = "Promise<CheckMethods>")]
    pub fn check_methods(&self) -> Promise {
        self.call(Ok(api::check_methods()))
    }

    /// A public status page of the project (`index` by default), as JSON. Needs no credentials;
    /// from a browser page on another origin it needs `direct: true` and the project's server as
    /// `url` (the director sends no CORS headers). Rejects with code `FORBIDDEN` when the
    /// page is not public, `NOT_FOUND` when there is none, `TOO_LARGE` past 8 MiB.
    #[wasm_bindgen(js_name = statusPage, unchecked_return_type = "Promise<StatusPage>")]
    pub fn status_page(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] addr: JsValue,
    ) -> Promise {
        self.call(
            optional_text(&addr, "status page address")
                .and_then(|a| api::status_page(self.core.config(), a.as_deref())),
        )
    }
}

impl OkerrProject {
    fn call(&self, call: Result<Call, Error>) -> Promise {
        let call = match call {
            Ok(call) => call,
            Err(e) => return Promise::reject(&to_js(e)),
        };
        let (project, rt) = (Rc::clone(&self.core), Rc::clone(&self.rt));
        // In flight for `flush()` from now until it settles.
        let tracked = self.inflight.track();
        outcome::promise(Box::pin(async move {
            let _tracked = tracked;
            api::send(&project, &*rt, &call)
                .await
                .and_then(|answer| {
                    // A refused answer is quoted in the error: the project's secrets are in
                    // force while it is cut.
                    let _in = project.enter();
                    value(&call, answer)
                })
                .map_err(|e| to_js(project.scrub_error(e)))
        }))
    }
}

fn value(call: &Call, answer: Answer) -> Result<JsValue, Error> {
    match answer {
        Answer::Names(names) => Ok(views::to_js(&names)),
        Answer::Text(text) => Ok(text.into()),
        Answer::Json(text) => {
            js_sys::JSON::parse(&text).map_err(|_| api::answer::not_json(call, 200, &text))
        }
    }
}

fn optional_text(v: &JsValue, what: &str) -> Result<Option<String>, Error> {
    if v.is_undefined() || v.is_null() {
        Ok(None)
    } else {
        convert::text(v, what).map(Some)
    }
}

/// Rest arguments as strings; an array among them counts as its items, so
/// `filter(['OK', 'sslcert'])` means `filter('OK', 'sslcert')`.
fn strings(args: &Array, what: &str) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    for arg in args.iter() {
        match convert::value(&arg) {
            Value::Str(s) => out.push(s),
            Value::List(items) => out.extend(items),
            other => {
                return Err(Error::invalid_with(
                    "{} must be a string, got {}",
                    &[what, other.type_name()],
                ))
            }
        }
    }
    Ok(out)
}

#[wasm_bindgen(typescript_custom_section)]
const API_TYPES: &'static str = r#"
/**
 * One indicator as `getIndicator()` resolves it: the server's `fullDataStruct()` with
 * `policyname`, `policyperiod` and `checkmethod` (times in Unix seconds).
 */
export interface IndicatorInfo {
  id: number;
  name: string;
  status: string;
  details: string;
  desc: string;
  disabled: boolean;
  silent: boolean;
  problem: boolean;
  /** The policy's id; its name is `policyname`. */
  policy: number;
  policyname: string;
  policyperiod: string;
  checkmethod: string;
  location: string;
  scheduled: number;
  expected: number | null;
  changed: number;
  updated: number;
  maintenance: number | null;
  flags: string[];
  tags: string[];
  errage: number;
  uerrage: number;
  age: number;
  statusage: number;
  patience: number;
  args: Record<string, string>;
  [key: string]: unknown;
}

/** Fields for `setArgs()`: strings, numbers, or booleans (sent as 1/0); `undefined`/`null` ones are left out. */
export type IndicatorFields = Record<string, string | number | boolean | null | undefined>;

/**
 * One entry of `updateLog()`, as the server sends it. Only numerical indicators have a log,
 * and only values Python's `float()` accepts are in it.
 */
export interface UpdateLogEntry {
  /** When the server took the value, in Unix seconds (`new Date(t * 1000)`). */
  t: number;
  /**
   * The value exactly as it was sent (`" 7 "`, `"1e3"`, `"1_000"`, `"nan"`): read it by
   * Python's `float()` rules and skip what gives no finite number.
   */
  y: string;
}

/** What `checkMethods()` resolves to: codename -> the method. */
export type CheckMethods = Record<string, { name: string; remote: boolean; args: Record<string, unknown> }>;

/** One indicator on a status page. */
export interface StatusPageItem {
  title: string;
  desc: string;
  status: string;
  details: string | null;
  chapter: string;
  weight: number;
  updated: string;
  changed: string;
  updated_age: string;
  changed_age: string;
  [key: string]: unknown;
}

/** What `statusPage()` resolves to. */
export interface StatusPage {
  addr: string;
  textid: string;
  name: string;
  title: string;
  desc: string;
  chapters: Record<string, StatusPageItem[]>;
  blog: { created: string; text: string }[];
  [key: string]: unknown;
}
"#;
