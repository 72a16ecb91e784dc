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

/// Secrets shorter than this are warned about ([`Project::warn_short_secrets`]). Masking
/// replaces every occurrence of a secret, inside words too: a secret of one to five characters
/// turns up in ordinary words, names and URLs (`s` in every `s`, `test` in `test:1`, `okerr`),
/// while one of six random letters and digits turns up by chance about once in ten million
/// 200-character messages.
pub const SHORT_SECRET_CHARS: usize = 6;

/// The warning about a short secret: a fixed text, which names no secret.
const SHORT_SECRET_WARNING: &str = "okerr: a secret or API key of this project is shorter than 6 \
     characters: it is masked as [secret] wherever it appears in the project's messages and log \
     lines, inside words too, which garbles them; a secret of 6 or more random characters does not";

/// A project: its settings and everything it remembers between updates.
pub struct Project {
    pub(crate) config: ProjectConfig,
    level: Cell<Level>,
    /// The project's and its indicators' secrets, masked in everything it says.
    secrets: RefCell<Secrets>,
    /// Whether the project has warned about a short secret (it does so once).
    warned_short: Cell<bool>,
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
            warned_short: Cell::new(false),
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

    /// Warn once, at `warn`, when a secret this project knows (its own, its API key, its
    /// indicators') is shorter than [`SHORT_SECRET_CHARS`]: it stays masked, but the masks
    /// garble the project's messages. Called when the project is made and when an indicator
    /// brings a secret. The line is written as it is: it names no secret, and masking it with
    /// a one-letter secret would garble the very warning.
    pub fn warn_short_secrets<R: Runtime>(&self, rt: &R) {
        if self.warned_short.get() || !self.secrets.borrow().any_shorter_than(SHORT_SECRET_CHARS) {
            return;
        }
        self.warned_short.set(true);
        if Level::Warn >= self.level.get() {
            rt.log(Level::Warn, SHORT_SECRET_WARNING);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_runtime::Scripted;

    fn project(secret: &str, level: &str) -> Project {
        Project::new(
            ProjectConfig::from_pairs(&[
                ("textid".into(), Value::Str("proj".into())),
                ("secret".into(), Value::Str(secret.into())),
                ("logLevel".into(), Value::Str(level.into())),
            ])
            .unwrap(),
        )
    }

    #[test]
    fn a_short_secret_is_warned_about_once_and_unmasked_words_stay_readable() {
        let p = project("s", "warn");
        let rt = Scripted::default();
        p.warn_short_secrets(&rt);
        p.warn_short_secrets(&rt);
        let logs = rt.logs.borrow().clone();
        assert_eq!(logs.len(), 1, "{logs:?}");
        assert_eq!(logs[0].0, Level::Warn);
        assert!(logs[0].1.contains("shorter than 6 characters"), "{logs:?}");
        // Everything else stays masked: the warning is the one fixed text.
        assert_eq!(p.scrub("this is"), "thi[secret] i[secret]");
    }

    #[test]
    fn six_characters_are_enough_and_an_indicator_can_bring_a_short_one() {
        let rt = Scripted::default();
        let p = project("s3cr3t", "warn");
        p.warn_short_secrets(&rt);
        assert!(rt.logs.borrow().is_empty());
        p.indicator("a", &[("secret".into(), Value::Str("abc".into()))])
            .unwrap();
        p.warn_short_secrets(&rt);
        assert_eq!(rt.logs.borrow().len(), 1);
        let quiet = project("s", "error");
        quiet.warn_short_secrets(&rt);
        assert_eq!(rt.logs.borrow().len(), 1, "not at level error");
        // A multi-byte secret is counted in characters, as the threshold says.
        let wide = project("ééééé", "warn");
        wide.warn_short_secrets(&rt);
        assert_eq!(rt.logs.borrow().len(), 2);
    }
}
