//! `OkerrProject`: construction from arguments, environment or config text, and indicators.

use super::convert;
use super::errors::throw;
use super::indicator::OkerrIndicator;
use super::js_runtime::JsRuntime;
use super::views::{self, ProjectView};
use crate::base::error::{invalid, Error};
use crate::base::log::Level;
use crate::base::text::fill;
use crate::base::value::Value;
use crate::engine::inflight::InFlight;
use crate::engine::project::Project;
use crate::protocol::project_config::ProjectConfig;
use js_sys::{Function, JsString, Object, Reflect};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// An okerr project: where updates go and with which credentials.
///
/// ```js
/// const op = new OkerrProject('MyTextID', 'MySecret');
/// await op.indicator('backup').update('OK');
/// ```
#[wasm_bindgen]
pub struct OkerrProject {
    pub(super) core: Rc<Project>,
    pub(super) rt: Rc<JsRuntime>,
    /// Updates and API calls in flight, for `flush()`; its indicators share it.
    pub(super) inflight: Rc<InFlight>,
    /// The answers its indicators' `update()` may give without calling into the wasm
    /// (okerr-fast.mjs), by [`OkerrIndicator`]'s hint key: a null-prototype object, which no
    /// property an application adds to `Object.prototype` can reach.
    pub(super) hints: Object,
}

#[wasm_bindgen]
impl OkerrProject {
    /// `new OkerrProject(textid, secret?, options?)` or `new OkerrProject({ textid, secret, ...options })`.
    /// Throws an `OkerrError` (`INVALID_ARGUMENT`) for a missing textid or a bad option.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "string | OkerrOptions")] textid: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] secret: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "OkerrOptions")] options: JsValue,
    ) -> Result<OkerrProject, JsValue> {
        throw(construct(&textid, &secret, &options))
    }

    /// A project configured from environment variables (`OKERR_TEXTID`, `OKERR_SECRET`,
    /// `OKERR_URL`, `OKERR_DIRECT`, `OKERR_API_KEY`, `PREFIX`) found in `env`: `process.env`,
    /// `Deno.env.toObject()` or a Worker's `env`. `overrides` win over the environment.
    #[wasm_bindgen(js_name = fromEnv)]
    pub fn from_env(
        #[wasm_bindgen(unchecked_param_type = "object")] env: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "OkerrOptions")] overrides: JsValue,
    ) -> Result<OkerrProject, JsValue> {
        throw(
            convert::env(&env)
                .and_then(|e| crate::protocol::env::from_env(&e))
                .and_then(|pairs| build(pairs, &overrides)),
        )
    }

    /// A project configured from the text of an `okerrupdate` dotenv file (`OKERR_TEXTID=...`)
    /// or an `okerrclient.conf` (`textid = ...`). `overrides` win over the file.
    #[wasm_bindgen(js_name = fromConfig)]
    pub fn from_config(
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "OkerrOptions")] overrides: JsValue,
    ) -> Result<OkerrProject, JsValue> {
        throw(
            convert::text(&text, "config text")
                .and_then(|t| crate::protocol::env::from_config_text(&t))
                .and_then(|pairs| build(pairs, &overrides)),
        )
    }

    /// An indicator of this project. Objects made for the same name share throttle state, so
    /// making one per request is fine. Throws an `OkerrError` for a bad name or option.
    pub fn indicator(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "IndicatorOptions")] options: JsValue,
    ) -> Result<OkerrIndicator, JsValue> {
        let made = convert::text(&name, "indicator name").and_then(|n| {
            convert::options(&options, "indicator options")
                .and_then(|o| self.core.indicator(&n, &o))
        });
        throw(made).map(|core| {
            self.core.warn_short_secrets(&*self.rt);
            OkerrIndicator::new(
                Rc::clone(&self.core),
                Rc::clone(&self.rt),
                core,
                Rc::clone(&self.inflight),
                self.hints.clone(),
            )
        })
    }

    /// The answers okerr-fast.mjs gives without calling into the wasm. Not part of the API.
    #[wasm_bindgen(getter = __hints, skip_typescript)]
    pub fn hints(&self) -> Object {
        self.hints.clone()
    }

    /// Log everything (`setLogLevel('debug')`).
    pub fn verbose(&self) {
        self.core.set_level(Level::Debug);
        self.forget_hints();
    }

    /// Set the log level: `debug`, `info`, `warn`, `error` or `silent`.
    #[wasm_bindgen(js_name = setLogLevel)]
    pub fn set_log_level(
        &self,
        #[wasm_bindgen(unchecked_param_type = "LogLevel")] level: JsValue,
    ) -> Result<(), JsValue> {
        // The message quotes the value, which may be a secret pasted in the wrong place.
        let _in = self.core.enter();
        throw(
            convert::text(&level, "log level")
                .and_then(|l| Level::parse(&l))
                .map(|l| {
                    self.core.set_level(l);
                    self.forget_hints();
                }),
        )
    }

    /// Send log lines to `logger` (any object with console's `debug/info/warn/error`).
    #[wasm_bindgen(js_name = setLogger)]
    pub fn set_logger(
        &self,
        #[wasm_bindgen(unchecked_param_type = "OkerrLogger")] logger: JsValue,
    ) -> Result<(), JsValue> {
        throw(check_logger(&logger)).map(|()| self.rt.set_logger(logger))
    }

    /// The project's text id.
    #[wasm_bindgen(getter)]
    pub fn textid(&self) -> JsString {
        self.core.config().textid.as_str().into()
    }

    /// The director URL (or the server itself in direct mode).
    #[wasm_bindgen(getter)]
    pub fn url(&self) -> JsString {
        self.url_text().as_str().into()
    }

    /// `OkerrProject(textid)`: never the secret.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_string_js(&self) -> JsString {
        fill!("OkerrProject({})", self.core.config().textid)
            .as_str()
            .into()
    }

    /// A JSON view without secrets: `{ textid, url, direct, hasSecret, hasApiKey }`.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "{ textid: string; url: string; direct: boolean; hasSecret: boolean; hasApiKey: boolean }")]
    pub fn to_json(&self) -> JsValue {
        let c = self.core.config();
        views::to_js(&ProjectView {
            textid: &c.textid,
            url: self.url_text(),
            direct: c.direct,
            has_secret: c.secret.is_some(),
            has_api_key: c.api_key.is_some(),
        })
    }
}

impl OkerrProject {
    /// Forget every hint: a skip or a dry run may log a line at the new level.
    fn forget_hints(&self) {
        for key in Object::keys(&self.hints).iter() {
            let _ = Reflect::delete_property(&self.hints, &key);
        }
    }

    /// The director URL (or the server itself in direct mode), with its trailing slash.
    fn url_text(&self) -> String {
        self.core.config().url.as_str().to_string() + "/"
    }
}

fn construct(textid: &JsValue, secret: &JsValue, options: &JsValue) -> Result<OkerrProject, Error> {
    if textid.as_string().is_none() && textid.is_object() {
        if !secret.is_undefined() || !options.is_undefined() {
            return Err(Error::invalid(
                "pass either (textid, secret, options) or one options object",
            ));
        }
        return build(Vec::new(), textid);
    }
    let mut pairs = vec![("textid".to_string(), convert::value(textid))];
    if !secret.is_undefined() && !secret.is_null() && secret.as_string().is_none() {
        return Err(invalid!(
            "secret must be a string, got {}",
            convert::value(secret).type_name()
        ));
    }
    given_once(options, !secret.is_undefined() && !secret.is_null())?;
    pairs.push(("secret".to_string(), convert::value(secret)));
    build(pairs, options)
}

/// In `(textid, secret, options)`, an options object naming `textid`, or `secret` when it was
/// passed as an argument too, would silently replace the argument: refused instead.
fn given_once(options: &JsValue, secret_given: bool) -> Result<(), Error> {
    for (name, given) in [("textid", true), ("secret", secret_given)] {
        if given && convert::option(options, name).is_some() {
            return Err(invalid!(
                "{} is given both as an argument and in options: give it once",
                name
            ));
        }
    }
    Ok(())
}

/// `base` pairs, then every option in `options`, which win.
fn build(mut base: Vec<(String, Value)>, options: &JsValue) -> Result<OkerrProject, Error> {
    base.extend(convert::options(options, "options")?);
    let config = ProjectConfig::from_pairs(&base)?;
    let fetch = match convert::option(options, "fetch") {
        None => None,
        Some(f) => Some(
            f.dyn_into::<Function>()
                .map_err(|_| Error::invalid("option fetch must be a function"))?,
        ),
    };
    let logger = convert::option(options, "logger");
    if let Some(l) = &logger {
        check_logger(l)?;
    }
    let store = convert::option(options, "throttleStore");
    if store
        .as_ref()
        .is_some_and(|s| !has_methods(s, &["claim", "release"]))
    {
        return Err(Error::invalid(crate::protocol::project_config::STORE_SHAPE));
    }
    let project = OkerrProject {
        core: Rc::new(Project::with_key(config, [random_u64(), random_u64()])),
        rt: Rc::new(JsRuntime::new(fetch, logger).with_store(store)),
        inflight: Rc::default(),
        hints: Object::create(JsValue::NULL.unchecked_ref()),
    };
    project.core.warn_short_secrets(&*project.rt);
    Ok(project)
}

/// 64 random bits for the throttle table's hash key: `Math.random()` is in every runtime, and
/// the key only has to be unknown to whoever picks indicator names, not secret.
fn random_u64() -> u64 {
    let half = || (js_sys::Math::random() * 4_294_967_296.0) as u64;
    half() << 32 | half()
}

fn check_logger(logger: &JsValue) -> Result<(), Error> {
    if has_methods(logger, &["debug", "info", "warn", "error"]) {
        Ok(())
    } else {
        Err(Error::invalid(
            "logger must be an object with debug, info, warn and error methods (like console)",
        ))
    }
}

/// True when `v` is an object with a function at each of `names` (own or inherited).
fn has_methods(v: &JsValue, names: &[&str]) -> bool {
    let has = |m: &&str| Reflect::get(v, &(*m).into()).is_ok_and(|f| f.is_function());
    v.is_object() && names.iter().all(has)
}
