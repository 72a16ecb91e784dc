//! A project: its settings, log level and secrets ([`Context`]), and what it remembers between
//! calls: the director's answer ([`Director`]) and each name's throttle state ([`Throttles`]).
//! It composes them: the steps of an update ([`Updates`]), the director lookup and the retry
//! loop each take only the parts they need.

use crate::base::error::Error;
use crate::base::log::Level;
use crate::base::redact::Scope;
use crate::base::value::Value;
use crate::engine::context::Context;
use crate::engine::director::Director;
use crate::engine::failure::OnFailure;
use crate::engine::outcome::Sent;
use crate::engine::runtime::Runtime;
use crate::engine::throttle::Throttles;
use crate::engine::update::{Begin, Hint, Indicator, Job, Joined, Updates};
use crate::protocol::http_url::BaseUrl;
use crate::protocol::indicator::IndicatorSpec;
use crate::protocol::project_config::ProjectConfig;
use std::cell::RefCell;
use std::future::Future;
use std::hash::BuildHasher;

/// A project: its settings and everything it remembers between updates.
pub struct Project {
    ctx: Context,
    director: Director,
    /// Throttle state by prepared name.
    throttles: RefCell<Throttles>,
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
        Project {
            ctx: Context::new(config),
            director: Director::default(),
            throttles: RefCell::new(Throttles::new(key)),
        }
    }

    /// Its settings, level and secrets: what the director lookup, redirects and retries take.
    pub fn context(&self) -> &Context {
        &self.ctx
    }

    /// The settings.
    pub fn config(&self) -> &ProjectConfig {
        self.ctx.config()
    }

    /// The current log level.
    pub fn level(&self) -> Level {
        self.ctx.level()
    }

    /// Change the log level.
    pub fn set_level(&self, level: Level) {
        self.ctx.set_level(level);
    }

    /// `text` with every secret this project knows masked.
    pub fn scrub(&self, text: &str) -> String {
        self.ctx.scrub(text)
    }

    /// Write `message` through the runtime's logger ([`Context::log`]).
    pub fn log<R: Runtime>(&self, rt: &R, level: Level, message: &str) {
        self.ctx.log(rt, level, message);
    }

    /// Warn once when a secret this project knows is short ([`Context::warn_short_secrets`]).
    pub fn warn_short_secrets<R: Runtime>(&self, rt: &R) {
        self.ctx.warn_short_secrets(rt);
    }

    /// `e` with this project's secrets masked.
    pub fn scrub_error(&self, e: Error) -> Error {
        self.ctx.scrub_error(e)
    }

    /// Put this project's secrets in force ([`Context::enter`]).
    pub fn enter(&self) -> Scope {
        self.ctx.enter()
    }

    /// An indicator object; objects of the same (prepared) name share throttle state.
    pub fn indicator(&self, name: &str, options: &[(String, Value)]) -> Result<Indicator, Error> {
        let spec = {
            let _in = self.enter();
            crate::base::error::holding(
                &crate::protocol::project_config::secrets_in(options),
                || IndicatorSpec::new(self.config(), name, options),
            )?
        };
        self.ctx.add_secrets(spec.secrets());
        Ok(Indicator { spec })
    }

    /// `name@textid`, as log lines and messages name an indicator.
    pub fn who(&self, ind: &Indicator) -> String {
        self.ctx.who(&ind.spec.name)
    }

    /// The server that hosts the project ([`Director::node`]).
    pub fn node<'a, R: Runtime>(
        &'a self,
        rt: &'a R,
    ) -> impl Future<Output = Result<BaseUrl, Error>> + 'a {
        self.director.node(&self.ctx, rt)
    }

    /// The steps of an update, with this project's parts. (The delegations below hand back
    /// the steps' own futures rather than wrap each in one more `async fn`: a state machine
    /// less per step in the .wasm.)
    pub fn updates(&self) -> Updates<'_> {
        Updates::of(&self.ctx, &self.director, &self.throttles)
    }

    /// Check an update and decide, without waiting, whether it needs a request
    /// ([`Updates::begin_update`]).
    pub fn begin_update<R: Runtime>(
        &self,
        rt: &R,
        ind: &Indicator,
        status: &str,
        details: Option<&str>,
    ) -> Result<Begin, Error> {
        self.updates().begin_update(rt, ind, status, details)
    }

    /// What a begun update comes to ([`Updates::finish`]).
    pub fn finish<'a, R: Runtime>(
        &'a self,
        rt: &'a R,
        ind: &'a Indicator,
        begun: Begin,
        on_failure: OnFailure,
    ) -> impl Future<Output = Sent> + 'a {
        self.updates().finish(rt, ind, begun, on_failure)
    }

    /// True when an update of `ind` would be skipped whatever its value
    /// ([`Updates::skips_any_value`]).
    pub fn skips_any_value<R: Runtime>(&self, rt: &R, ind: &Indicator) -> bool {
        self.updates().skips_any_value(rt, ind)
    }

    /// The answer the JS face may give itself ([`Updates::hint`]).
    pub fn hint<R: Runtime>(&self, rt: &R, ind: &Indicator, status: &str) -> Option<Hint> {
        self.updates().hint(rt, ind, status)
    }

    /// The result of the identical update `joined` waits for ([`Updates::join`]).
    pub fn join<'a, R: Runtime>(
        &'a self,
        rt: &'a R,
        ind: &'a Indicator,
        joined: Joined,
        on_failure: OnFailure,
    ) -> impl Future<Output = Sent> + 'a {
        self.updates().join(rt, ind, joined, on_failure)
    }

    /// Send a job begun by [`Project::begin_update`] ([`Updates::deliver`]).
    pub fn deliver<'a, R: Runtime>(
        &'a self,
        rt: &'a R,
        ind: &'a Indicator,
        job: Job,
        on_failure: OnFailure,
    ) -> impl Future<Output = Sent> + 'a {
        self.updates().deliver(rt, ind, job, on_failure)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_runtime::{config, text, Scripted};

    fn project(secret: &str, level: &str) -> Project {
        Project::new(config(&[
            ("textid", text("proj")),
            ("secret", text(secret)),
            ("logLevel", text(level)),
        ]))
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
