//! What the steps of an update or an API call need of their project: its settings, its log
//! level, its secrets and the log lines written with them. The director, redirects, retries and
//! updates take a [`Context`], not the whole project: none of them needs another's state, and
//! the project composes them.

use crate::base::error::Error;
use crate::base::log::Level;
use crate::base::redact::{Scope, Secrets};
use crate::base::text::fill;
use crate::engine::runtime::Runtime;
use crate::protocol::project_config::ProjectConfig;
use std::cell::{Cell, RefCell};

/// Secrets shorter than this are warned about ([`Context::warn_short_secrets`]). Masking
/// replaces every occurrence of a secret, inside words too: a secret of one to five characters
/// turns up in ordinary words, names and URLs (`s` in every `s`, `test` in `test:1`, `okerr`),
/// while one of six random letters and digits turns up by chance about once in ten million
/// 200-character messages.
pub const SHORT_SECRET_CHARS: usize = 6;

/// The warning about a short secret: a fixed text, which names no secret.
const SHORT_SECRET_WARNING: &str = "okerr: a secret or API key of this project is shorter than 6 \
     characters: it is masked as [secret] wherever it appears in the project's messages and log \
     lines, inside words too, which garbles them; a secret of 6 or more random characters does not";

/// A project's settings, log level and secrets.
pub struct Context {
    pub(crate) config: ProjectConfig,
    level: Cell<Level>,
    /// The project's and its indicators' secrets, masked in everything it says.
    secrets: RefCell<Secrets>,
    /// Whether the project has warned about a short secret (it does so once).
    warned_short: Cell<bool>,
    /// When the throttle store's failure was last logged (once per period: `engine::store`).
    pub(crate) store_warned: Cell<Option<f64>>,
}

impl Context {
    /// The context of a project with checked settings: its secrets known from the start.
    pub fn new(config: ProjectConfig) -> Self {
        let mut secrets = Secrets::default();
        config.secrets().for_each(|s| secrets.add(s));
        Context {
            level: Cell::new(config.log_level),
            config,
            secrets: RefCell::new(secrets),
            warned_short: Cell::new(false),
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

    /// Remember more secrets (an indicator's), masked from now on.
    pub fn add_secrets<'a>(&self, secrets: impl Iterator<Item = &'a str>) {
        let mut known = self.secrets.borrow_mut();
        secrets.for_each(|s| known.add(s));
    }

    /// `text` with every secret this project knows masked.
    pub fn scrub(&self, text: &str) -> String {
        self.secrets.borrow().scrub(text)
    }

    /// Write `message` through the runtime's logger, if `level` is enabled, with secrets masked
    /// and on one line ([`crate::base::text::one_line`]): it may quote a server or a name.
    pub fn log<R: Runtime>(&self, rt: &R, level: Level, message: &str) {
        if level >= self.level.get() && level != Level::Silent {
            rt.log(level, &crate::base::text::one_line(&self.scrub(message)));
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
    pub fn scrub_error(&self, e: Error) -> Error {
        let _in = self.enter();
        e.scrubbed()
    }

    /// Put this project's secrets in force while a message is built from text that may hold
    /// them (an answer, the caller's values), so that cutting it for the message cannot leave
    /// part of one. Never held across an await (clippy.toml refuses it).
    pub fn enter(&self) -> Scope {
        self.secrets.borrow().enter()
    }

    /// `name@textid`, as log lines and messages name an indicator.
    pub fn who(&self, name: &str) -> String {
        fill!("{}@{}", name, self.config.textid)
    }
}
