//! A project: its settings, its log level and logger, its secrets, and what it remembers
//! between calls (the director's answer, each indicator's throttle state). What it does lives
//! beside the rule it follows: the update's steps in [`crate::update`], the director lookup in
//! [`crate::director`], the retry loop in [`crate::retry`].

use crate::director::DirectorCache;
use crate::error::Error;
use crate::http_url::BaseUrl;
use crate::indicator::IndicatorSpec;
use crate::log::Level;
use crate::project_config::ProjectConfig;
use crate::redact::{Scope, Secrets};
use crate::runtime::Runtime;
use crate::shared::Shared;
use crate::text::fill;
use crate::throttle::Throttles;
use crate::value::Value;
use std::cell::{Cell, RefCell};
use std::hash::BuildHasher;

/// One indicator object. Objects made for the same name share their throttle state: it is kept
/// by the project under the name, not by the object.
#[derive(Debug, Clone)]
pub struct Indicator {
    /// What it sends.
    pub spec: IndicatorSpec,
}

/// A project: its settings and everything it remembers between updates.
pub struct Project {
    pub(crate) config: ProjectConfig,
    level: Cell<Level>,
    /// The project's and its indicators' secrets, masked in everything it says.
    secrets: RefCell<Secrets>,
    pub(crate) director: RefCell<DirectorCache>,
    /// The director lookup in progress, which concurrent updates wait for.
    pub(crate) lookup: RefCell<Option<Shared<Result<BaseUrl, Error>>>>,
    /// Throttle state by prepared name.
    pub(crate) throttles: RefCell<Throttles>,
    /// When the throttle store's failure was last logged.
    pub(crate) store_warned: Cell<Option<f64>>,
}

impl Project {
    /// A project with checked settings, its throttle table keyed by the platform's random
    /// source (see [`Project::with_key`]).
    pub fn new(config: ProjectConfig) -> Self {
        let random = std::collections::hash_map::RandomState::new();
        Self::with_key(config, [random.hash_one(1u8), random.hash_one(2u8)])
    }

    /// A project whose throttle table hashes names with `key`: random bits from the runtime,
    /// since a wasm32 build has no random source of its own.
    pub fn with_key(config: ProjectConfig, key: [u64; 2]) -> Self {
        let mut secrets = Secrets::default();
        config.secrets().for_each(|s| secrets.add(s));
        Project {
            level: Cell::new(config.log_level),
            config,
            secrets: RefCell::new(secrets),
            director: RefCell::default(),
            lookup: RefCell::default(),
            throttles: RefCell::new(Throttles::new(key)),
            store_warned: Cell::new(None),
        }
    }

    /// The settings.
    pub fn config(&self) -> &ProjectConfig {
        &self.config
    }

    /// The current log level.
    pub fn level(&self) -> Level {
        self.level.get()
    }

    /// Change the log level.
    pub fn set_level(&self, level: Level) {
        self.level.set(level);
    }

    /// `text` with every secret this project knows masked.
    pub fn scrub(&self, text: &str) -> String {
        self.secrets.borrow().scrub(text)
    }

    /// Write `message` through the runtime's logger, if `level` is enabled, with secrets masked
    /// and on one line ([`crate::text::one_line`]): it may quote a server or a name.
    pub fn log<R: Runtime>(&self, rt: &R, level: Level, message: &str) {
        if level >= self.level.get() && level != Level::Silent {
            rt.log(level, &crate::text::one_line(&self.scrub(message)));
        }
    }

    /// `e` with this project's secrets masked.
    pub(crate) fn scrub_error(&self, e: Error) -> Error {
        let _in = self.enter();
        crate::redact::scrub_error(e)
    }

    /// Put this project's secrets in force while a message is built from text that may hold
    /// them (an answer, the caller's values), so that cutting it for the message cannot leave
    /// part of one. Never held across an await.
    pub fn enter(&self) -> Scope {
        self.secrets.borrow().enter()
    }

    /// An indicator object; objects of the same (prepared) name share throttle state.
    pub fn indicator(&self, name: &str, options: &[(String, Value)]) -> Result<Indicator, Error> {
        let spec = {
            let _in = self.enter();
            crate::redact::holding(&crate::redact::secrets_in(options), || {
                IndicatorSpec::new(&self.config, name, options)
            })?
        };
        {
            let mut secrets = self.secrets.borrow_mut();
            spec.secrets().for_each(|s| secrets.add(s));
        }
        Ok(Indicator { spec })
    }

    /// `name@textid`, as log lines and messages name an indicator.
    pub(crate) fn who(&self, ind: &Indicator) -> String {
        fill("{}@{}", &[&ind.spec.name, &self.config.textid])
    }
}
