//! The steps of one update, from `indicator.update()` to the server's answer: check it, let
//! the throttle decide, then post it to the project's server and read the answer.

use crate::base::error::{invalid, Code, Error};
use crate::base::log::Level;
use crate::base::text::fill;
use crate::engine::context::Context;
use crate::engine::director::Director;
use crate::engine::failure::OnFailure;
use crate::engine::outcome::{Outcome, Sent};
use crate::engine::runtime::{HttpRequest, Purpose, Runtime, StoreCall};
use crate::engine::shared::Shared;
use crate::engine::throttle::{Decision, Throttles};
use crate::protocol::indicator::IndicatorSpec;
use crate::protocol::project_config::{Mode, ProjectConfig};
use std::cell::RefCell;

/// One indicator object. Objects made for the same name share their throttle state: it is kept
/// by the project under the name, not by the object.
#[derive(Debug, Clone)]
pub struct Indicator {
    /// What it sends.
    pub spec: IndicatorSpec,
}

/// The longest an update's send can take: a director lookup, then the post, and a claim and a
/// release when a throttle store decides ([`crate::engine::store::limit_ms`]).
pub fn send_limit_ms(c: &ProjectConfig) -> f64 {
    let store = if crate::engine::store::asks(c) {
        2.0 * crate::engine::store::limit_ms(c)
    } else {
        0.0
    };
    crate::engine::director::lookup_limit_ms(c) + crate::engine::retry::request_limit_ms(c) + store
}

/// What the steps of an update work with: the project's context, the director it asks and the
/// throttle table it decides by. A project lends them for each step ([`Updates::of`]); the
/// steps take them by value (three references), so a step's future borrows the project, not a
/// temporary.
#[derive(Clone, Copy)]
pub struct Updates<'a> {
    ctx: &'a Context,
    director: &'a Director,
    throttles: &'a RefCell<Throttles>,
}

/// The first step of an update.
#[derive(Debug)]
pub enum Begin {
    /// Finished without a request.
    Done(Outcome),
    /// The same update is in flight: wait for its result with [`Updates::join`].
    Join(Joined),
    /// Send it with [`Updates::deliver`].
    Send(Job),
}

/// An answer the JS face may give itself, without calling into the core, to an update of one
/// indicator kind and name without details, until the state of that name changes (the face
/// forgets it then: on every update that reaches the core, when a send ends, and when the log
/// level changes). What it answers is exactly what the core would: no request, no log line.
#[derive(Debug, Clone, PartialEq)]
pub struct Hint {
    /// The status it answers; `None` for any finite number (a numerical indicator).
    pub status: Option<String>,
    /// From when it holds (a clock that went back must ask the core).
    pub from_ms: f64,
    /// Until when it holds.
    pub until_ms: f64,
    /// The answer.
    pub outcome: Outcome,
}

/// An update that joined an identical one in flight, kept to be sent on its own should that
/// one never end.
#[derive(Debug)]
pub struct Joined {
    result: Shared<Sent>,
    status: String,
    details: Option<String>,
}

/// A checked update waiting to be delivered.
#[derive(Debug)]
pub struct Job {
    ticket: u64,
    status: String,
    body: String,
    result: Shared<Sent>,
    /// Memory alone would skip it: with a store, it is skipped should the store not answer.
    memory_skips: bool,
}

impl<'a> Updates<'a> {
    /// The steps of an update with these parts of a project.
    pub fn of(ctx: &'a Context, director: &'a Director, throttles: &'a RefCell<Throttles>) -> Self {
        Updates {
            ctx,
            director,
            throttles,
        }
    }

    /// What the update comes to: at once, after its own send, or after the identical send it
    /// joined; a failed send is logged as `on_failure` says ([`Updates::deliver`]). (The JS
    /// face awaits each case its own way, to answer a throttled call at once.)
    pub async fn finish<R: Runtime>(
        self,
        rt: &R,
        ind: &Indicator,
        begun: Begin,
        on_failure: OnFailure,
    ) -> Sent {
        match begun {
            Begin::Done(outcome) => Ok(outcome),
            Begin::Join(joined) => self.join(rt, ind, joined, on_failure).await,
            Begin::Send(job) => self.deliver(rt, ind, job, on_failure).await,
        }
    }

    /// Check an update and decide, without waiting, whether it needs a request.
    pub fn begin_update<R: Runtime>(
        self,
        rt: &R,
        ind: &Indicator,
        status: &str,
        details: Option<&str>,
    ) -> Result<Begin, Error> {
        {
            let _in = self.ctx.enter();
            crate::protocol::status::check(ind.spec.kind(), status)?;
        }
        if details.is_some_and(|d| d.len() > crate::protocol::status::MAX_TEXT_BYTES) {
            return Err(invalid!(
                "details are longer than {}",
                crate::protocol::status::MAX_TEXT
            ));
        }
        if self.ctx.config.dry_run {
            // At info, where a real send logs its line: a dry run is for seeing what would go out
            // (the Python client logs it at debug only, so its dry run is silent by default).
            if self.ctx.level() <= Level::Info {
                self.ctx.log(
                    rt,
                    Level::Info,
                    &fill!(
                        "dry run, nothing sent: {} = {}",
                        self.ctx.who(&ind.spec.name),
                        crate::base::redact::preview(status)
                    ),
                );
            }
            return Ok(Begin::Done(Outcome::DryRun));
        }
        let decision = self.throttles.borrow_mut().decide(
            &ind.spec.name,
            ind.spec.kind(),
            status,
            rt.now_ms(),
            self.ctx.config.throttle_ms,
            send_limit_ms(&self.ctx.config),
            self.ctx.config.throttle_store,
        );
        let job = |ticket, result, memory_skips| Job {
            ticket,
            status: status.to_string(),
            body: crate::protocol::payload::body(&self.ctx.config, &ind.spec, status, details),
            result,
            memory_skips,
        };
        Ok(match decision {
            Decision::Skip => {
                self.log_skip(rt, ind);
                Begin::Done(Outcome::Throttled)
            }
            Decision::Join(result) => Begin::Join(Joined {
                result,
                status: status.to_string(),
                details: details.map(str::to_string),
            }),
            Decision::Send(ticket, result) => Begin::Send(job(ticket, result, false)),
            Decision::Ask(ticket, result) => Begin::Send(job(ticket, result, true)),
        })
    }

    fn log_skip<R: Runtime>(self, rt: &R, ind: &Indicator) {
        if self.ctx.level() <= Level::Debug {
            let line = fill!("skip update {}", self.ctx.who(&ind.spec.name));
            self.ctx.log(rt, Level::Debug, &line);
        }
    }

    /// True when an update of `ind` would be skipped whatever its value: a numerical indicator
    /// within its throttle period, nothing in flight, not a dry run, no throttle store (which
    /// decides every update), no debug line to write.
    /// Lets the JS face answer without converting the value.
    pub fn skips_any_value<R: Runtime>(self, rt: &R, ind: &Indicator) -> bool {
        ind.spec.kind() == crate::protocol::method::Kind::Numerical
            && !self.ctx.config.dry_run
            && !self.ctx.config.throttle_store
            && self.ctx.level() > Level::Debug
            && self.throttles.borrow().skips_any_value(
                &ind.spec.name,
                rt.now_ms(),
                self.ctx.config.throttle_ms,
            )
    }

    /// The answer [`Hint`] of `ind`, after an update of `status` was checked: a dry run's for
    /// that status, or a skip's for what the name last sent. `None` when an update would log a
    /// line (a skip logs at debug, a dry run at info) or could be anything but skipped, and
    /// for a skip with a throttle store, which decides every update.
    pub fn hint<R: Runtime>(self, rt: &R, ind: &Indicator, status: &str) -> Option<Hint> {
        let kind = ind.spec.kind();
        if kind == crate::protocol::method::Kind::Active {
            return None;
        }
        let numerical = kind == crate::protocol::method::Kind::Numerical;
        if self.ctx.config.dry_run {
            return (self.ctx.level() > Level::Info).then(|| Hint {
                status: (!numerical).then(|| status.to_string()),
                from_ms: f64::NEG_INFINITY,
                until_ms: f64::INFINITY,
                outcome: Outcome::DryRun,
            });
        }
        // With a throttle store, the store decides every update: memory never skips alone.
        if self.ctx.level() <= Level::Debug || self.ctx.config.throttle_store {
            return None;
        }
        let throttles = self.throttles.borrow();
        let (at, sent) =
            throttles.skipping(&ind.spec.name, rt.now_ms(), self.ctx.config.throttle_ms)?;
        Some(Hint {
            status: (!numerical).then(|| sent.to_string()),
            from_ms: at,
            until_ms: at + self.ctx.config.throttle_ms,
            outcome: Outcome::Throttled,
        })
    }

    /// The result of the identical update `joined` waits for. Should that one outlive the
    /// longest a send can take (its Workers request was cancelled, and with it its I/O), this
    /// update is decided again, and sent on its own when nothing else is in flight. A failure
    /// it shares was logged once, by the update that sent it; one of its own send is logged as
    /// `on_failure` says.
    pub async fn join<R: Runtime>(
        self,
        rt: &R,
        ind: &Indicator,
        joined: Joined,
        on_failure: OnFailure,
    ) -> Sent {
        let limit = send_limit_ms(&self.ctx.config);
        let mut result = joined.result;
        loop {
            if let Some(sent) = result.wait(rt, limit).await {
                return sent;
            }
            if !result.abandoned(rt.now_ms(), limit) {
                // The wait ended without its limit passing: the runtime has no timer to wait
                // with (an application's `setTimeout` throws), and deciding again would join the
                // same send and spin.
                return Err(Error::new(
                    Code::Network,
                    fill!(
                        "okerr update of {} could not wait for the identical update in flight: \
                         the runtime's timers are not available",
                        self.ctx.who(&ind.spec.name)
                    ),
                ));
            }
            match self.begin_update(rt, ind, &joined.status, joined.details.as_deref())? {
                Begin::Done(outcome) => return Ok(outcome),
                Begin::Join(again) => result = again.result,
                Begin::Send(job) => return self.deliver(rt, ind, job, on_failure).await,
            }
        }
    }

    /// Send a job begun by [`Updates::begin_update`] (once the throttle store, if any, has
    /// granted its claim) and record its outcome in the throttle.
    /// A failure is logged once, at the level `on_failure` gives it
    /// ([`OnFailure::level_after_sending`]): `info` when the caller gets it as a rejection,
    /// `warn` when the line is all that is left of it. The identical updates that joined this
    /// one share its result and this one line.
    pub async fn deliver<R: Runtime>(
        self,
        rt: &R,
        ind: &Indicator,
        job: Job,
        on_failure: OnFailure,
    ) -> Result<Outcome, Error> {
        // With a store: its key and this claim's token, while the claim may be held.
        let mut claim = None;
        let mut skip = false;
        if crate::engine::store::asks(&self.ctx.config) {
            let key = crate::engine::store::key(&self.ctx.config.textid, &ind.spec.name);
            // The ticket: random to begin with, and handed out once.
            let token = crate::base::text::decimal(job.ticket);
            let call = StoreCall::Claim {
                key: &key,
                status: &job.status,
                numerical: ind.spec.kind() == crate::protocol::method::Kind::Numerical,
                token: &token,
                period_ms: self.ctx.config.throttle_ms,
            };
            // Should the store not answer, memory decides; a claim that timed out may still
            // have been kept, so it is released all the same should the send fail.
            let granted = crate::engine::store::ask(self.ctx, rt, &ind.spec.name, call).await;
            skip = !granted.unwrap_or(!job.memory_skips);
            claim = Some((key, token));
        }
        let result = if skip {
            self.log_skip(rt, ind);
            Ok(Outcome::Throttled)
        } else {
            self.post_update(rt, ind, &job).await
        };
        let (name, kind) = (&ind.spec.name, ind.spec.kind());
        if skip {
            let mut throttles = self.throttles.borrow_mut();
            throttles.skipped(name, job.ticket, kind, &job.status);
        } else {
            let accepted_at = result.as_ref().ok().map(|_| rt.now_ms());
            let mut throttles = self.throttles.borrow_mut();
            throttles.finish(name, job.ticket, &job.status, accepted_at);
        }
        if let (Some((key, token)), Err(_)) = (&claim, &result) {
            // So that the next update, here or anywhere in the fleet, is sent.
            let call = StoreCall::Release { key, token };
            crate::engine::store::ask(self.ctx, rt, &ind.spec.name, call).await;
        }
        let result = result.map_err(|mut e| {
            // A failure on the way (the director, the network, the time limit) does not say
            // which update it stopped: the message, and so the warn line, does.
            if matches!(
                e.code,
                Code::Network | Code::Timeout | Code::Cors | Code::Director
            ) {
                e.message = fill!(
                    "okerr update of {} failed: {}",
                    self.ctx.who(&ind.spec.name),
                    e.message
                );
            }
            let e = self.ctx.scrub_error(e);
            self.ctx
                .log(rt, on_failure.level_after_sending(), &e.message);
            e
        });
        job.result.set(result.clone());
        result
    }

    async fn post_update<R: Runtime>(
        self,
        rt: &R,
        ind: &Indicator,
        job: &Job,
    ) -> Result<Outcome, Error> {
        let who = self.ctx.who(&ind.spec.name);
        let url = match self.director.node(self.ctx, rt).await {
            Ok(node) => node.join("update"),
            // The director's advice holds for every call; an update alone may then go unread.
            Err(e) if e.code == Code::Cors => {
                return Err(Error {
                    message: fill!(
                        "{}; an update can then go to another origin with mode: 'no-cors' \
                         (delivered, unconfirmed)",
                        e.message
                    ),
                    ..e
                })
            }
            Err(e) => return Err(e),
        };
        if self.ctx.level() <= Level::Debug {
            self.ctx.log(
                rt,
                Level::Debug,
                &fill!(
                    "update: {} = {} url: {}",
                    who,
                    crate::base::redact::preview(&job.status),
                    url
                ),
            );
        }
        let no_cors = self.ctx.config.mode == Mode::NoCors;
        let request = HttpRequest {
            purpose: Purpose::Update,
            method: "POST",
            url,
            form: Some(job.body.clone()),
            api_key: None,
            no_cors,
            // The form holds the secret: fetch must not carry it to wherever a redirect points.
            // A browser refuses a `no-cors` request that does not follow redirects, and hides
            // everything of its answer anyway: there the browser follows (a page's secret is
            // public, see SECURITY.md).
            manual_redirect: !no_cors,
            max_answer_bytes: crate::engine::runtime::MAX_ANSWER_BYTES,
        };
        let answer = match crate::engine::retry::request(self.ctx, rt, &request).await {
            Ok(answer) => answer,
            Err(e) => {
                if matches!(e.code, Code::Network | Code::Timeout) {
                    // The node may have moved: ask the director again next time.
                    self.director.forget();
                }
                return Err(e);
            }
        };
        let _in = self.ctx.enter();
        crate::engine::redirect::refuse_update(&who, &request.url, &answer)?;
        if no_cors && answer.status == 0 {
            self.ctx.log(
                rt,
                Level::Info,
                &fill!(
                    "okerr update delivered, unconfirmed (no-cors) {} = {}",
                    who,
                    crate::base::redact::preview(&job.status)
                ),
            );
            return Ok(Outcome::Unconfirmed);
        }
        crate::protocol::response::check_update(&who, answer.status, &answer.body)?;
        if self.ctx.level() <= Level::Info {
            let reason = if answer.status == 200 { " OK" } else { "" };
            self.ctx.log(
                rt,
                Level::Info,
                &fill!(
                    "okerr updated ({}{}) {} = {}",
                    crate::base::text::decimal(answer.status.into()),
                    reason,
                    who,
                    crate::base::redact::preview(&job.status)
                ),
            );
        }
        Ok(Outcome::Sent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::form::decode;
    use crate::base::value::Value;
    use crate::engine::project::Project;
    use crate::engine::runtime::{FetchError, HttpResponse};
    use crate::test_runtime::{block_on, config_with, text, Scripted};

    fn project(extra: &[(&str, Value)]) -> Project {
        let base = [
            ("textid", text("proj")),
            ("secret", text("CANARY-SECRET")),
            ("url", text("http://127.0.0.1:9/")),
            ("backoffMs", Value::Num(100.0)),
        ];
        Project::new(config_with(&base, extra))
    }

    fn update(p: &Project, rt: &Scripted, ind: &Indicator, status: &str) -> Result<Outcome, Error> {
        block_on(p.finish(
            rt,
            ind,
            p.begin_update(rt, ind, status, None)?,
            OnFailure::Reject,
        ))
    }

    #[test]
    fn an_identical_update_in_flight_is_joined_not_sent_again() {
        let p = project(&[("direct", Value::Bool(true))]);
        let rt = Scripted::default();
        let ind = p.indicator("a", &[]).unwrap();
        let first = p.begin_update(&rt, &ind, "OK", None).unwrap();
        let second = p.begin_update(&rt, &ind, "OK", None).unwrap();
        assert!(matches!(second, Begin::Join(_)));
        assert_eq!(
            block_on(p.finish(&rt, &ind, first, OnFailure::Reject)),
            Ok(Outcome::Sent)
        );
        assert_eq!(
            block_on(p.finish(&rt, &ind, second, OnFailure::Reject)),
            Ok(Outcome::Sent)
        );
        assert_eq!(rt.requests.borrow().len(), 1, "one request for both");
    }

    #[test]
    fn asks_the_director_once_then_posts_to_the_node() {
        let p = project(&[]);
        let rt = Scripted::default();
        rt.answer(200, "http://127.0.0.1:10/\n");
        let ind = p.indicator("a", &[]).unwrap();
        assert_eq!(update(&p, &rt, &ind, "OK").unwrap(), Outcome::Sent);
        assert_eq!(update(&p, &rt, &ind, "ERR").unwrap(), Outcome::Sent);
        let urls: Vec<String> = rt.requests.borrow().iter().map(|r| r.url.clone()).collect();
        assert_eq!(
            urls,
            [
                "http://127.0.0.1:9/api/director/proj",
                "http://127.0.0.1:10/update",
                "http://127.0.0.1:10/update"
            ]
        );
        rt.now.set(crate::engine::director::DIRECTOR_TTL_MS + 1.0);
        rt.answer(200, "http://127.0.0.1:11/");
        update(&p, &rt, &ind, "OK").unwrap();
        assert_eq!(rt.requests.borrow()[4].url, "http://127.0.0.1:11/update");
    }

    #[test]
    fn direct_mode_posts_to_url() {
        let p = project(&[("direct", Value::Bool(true))]);
        let rt = Scripted::default();
        let ind = p.indicator("a", &[]).unwrap();
        update(&p, &rt, &ind, "OK").unwrap();
        let req = rt.requests.borrow()[0].clone();
        assert_eq!(req.url, "http://127.0.0.1:9/update");
        let fields = decode(req.form.as_deref().unwrap());
        assert_eq!(fields[0], ("textid".to_string(), "proj".to_string()));
    }

    #[test]
    fn throttles_and_shares_state_between_objects_of_one_name() {
        let p = project(&[("direct", Value::Bool(true))]);
        let rt = Scripted::default();
        let a = p.indicator("a", &[]).unwrap();
        let again = p.indicator("a", &[]).unwrap();
        assert_eq!(update(&p, &rt, &a, "OK").unwrap(), Outcome::Sent);
        assert_eq!(update(&p, &rt, &again, "OK").unwrap(), Outcome::Throttled);
        assert_eq!(update(&p, &rt, &again, "ERR").unwrap(), Outcome::Sent);
        assert_eq!(rt.requests.borrow().len(), 2);
    }

    #[test]
    fn retries_5xx_and_network_errors_with_backoff_then_succeeds() {
        let p = project(&[("direct", Value::Bool(true))]);
        let rt = Scripted::default();
        rt.answer(503, "busy")
            .fail(FetchError::Network("refused".into()))
            .fail(FetchError::Timeout)
            .answer(200, "OK");
        let ind = p.indicator("a", &[]).unwrap();
        assert_eq!(update(&p, &rt, &ind, "OK").unwrap(), Outcome::Sent);
        assert_eq!(*rt.sleeps.borrow(), [100.0, 200.0, 400.0]);
    }

    #[test]
    fn honours_retry_after() {
        let p = project(&[("direct", Value::Bool(true))]);
        let rt = Scripted::default();
        rt.answers.borrow_mut().push_back(Ok(HttpResponse {
            status: 429,
            body: String::new(),
            retry_after: Some("2".into()),
            location: None,
            redirect_hidden: false,
            cut: false,
        }));
        let ind = p.indicator("a", &[]).unwrap();
        update(&p, &rt, &ind, "OK").unwrap();
        assert_eq!(*rt.sleeps.borrow(), [2000.0]);
    }

    #[test]
    fn gives_up_after_the_retries_and_does_not_record_a_send() {
        let p = project(&[("direct", Value::Bool(true)), ("retries", Value::Num(2.0))]);
        let rt = Scripted::default();
        for _ in 0..3 {
            rt.answer(502, "bad gateway");
        }
        let ind = p.indicator("a", &[]).unwrap();
        let e = update(&p, &rt, &ind, "OK").unwrap_err();
        assert_eq!((e.code, e.status), (Code::Http, Some(502)));
        assert_eq!(rt.requests.borrow().len(), 3);
        assert_eq!(
            update(&p, &rt, &ind, "OK").unwrap(),
            Outcome::Sent,
            "a failed send is not a send"
        );
        let e = {
            for _ in 0..3 {
                rt.fail(FetchError::Timeout);
            }
            update(&p, &rt, &ind, "ERR").unwrap_err()
        };
        assert_eq!(e.code, Code::Timeout);
    }

    #[test]
    fn a_failure_that_rejects_is_logged_at_info_one_that_resolves_at_warn_and_once() {
        let p = project(&[
            ("direct", Value::Bool(true)),
            ("retries", Value::Num(0.0)),
            ("logLevel", Value::Str("debug".into())),
        ]);
        let rt = Scripted::default();
        let failures = |rt: &Scripted| -> Vec<Level> {
            let logs = rt.logs.borrow();
            let failed = logs.iter().filter(|(_, m)| m.contains("Bad secret"));
            failed.map(|(l, _)| *l).collect()
        };
        let ind = p.indicator("a", &[]).unwrap();
        rt.answer(400, "Bad secret");
        update(&p, &rt, &ind, "OK").unwrap_err();
        assert_eq!(failures(&rt), [Level::Info], "the caller has the rejection");
        rt.answer(400, "Bad secret");
        let begun = p.begin_update(&rt, &ind, "OK", None).unwrap();
        block_on(p.finish(&rt, &ind, begun, OnFailure::REPORT)).unwrap_err();
        assert_eq!(
            failures(&rt),
            [Level::Info, Level::Warn],
            "a report resolves"
        );
        // Identical updates in flight share the send, its result and its one line.
        rt.answer(400, "Bad secret");
        let first = p.begin_update(&rt, &ind, "OK", None).unwrap();
        let second = p.begin_update(&rt, &ind, "OK", None).unwrap();
        assert!(matches!(second, Begin::Join(_)));
        block_on(p.finish(&rt, &ind, first, OnFailure::REPORT)).unwrap_err();
        block_on(p.finish(&rt, &ind, second, OnFailure::REPORT)).unwrap_err();
        assert_eq!(failures(&rt), [Level::Info, Level::Warn, Level::Warn]);
    }

    #[test]
    fn never_retries_other_4xx() {
        let p = project(&[("direct", Value::Bool(true))]);
        let rt = Scripted::default();
        rt.answer(400, "Bad secret");
        let ind = p.indicator("a", &[]).unwrap();
        let e = update(&p, &rt, &ind, "OK").unwrap_err();
        assert_eq!(e.body.as_deref(), Some("Bad secret"));
        assert_eq!(rt.requests.borrow().len(), 1);
    }

    #[test]
    fn refuses_bad_status_before_sending() {
        let p = project(&[("direct", Value::Bool(true))]);
        let rt = Scripted::default();
        let hb = p.indicator("a", &[]).unwrap();
        let num = p
            .indicator(
                "n",
                &[("method".into(), Value::Str("numerical|maxlim=37".into()))],
            )
            .unwrap();
        assert_eq!(
            p.begin_update(&rt, &hb, "GOOD", None).unwrap_err().code,
            Code::InvalidArgument
        );
        assert_eq!(
            p.begin_update(&rt, &num, "hot", None).unwrap_err().code,
            Code::InvalidArgument
        );
        assert!(rt.requests.borrow().is_empty());
        assert_eq!(update(&p, &rt, &num, "36.6").unwrap(), Outcome::Sent);
        assert_eq!(
            update(&p, &rt, &num, "40").unwrap(),
            Outcome::Throttled,
            "numerical|maxlim=37 is throttled as numerical"
        );
    }

    #[test]
    fn dry_run_sends_nothing() {
        let p = project(&[("dryRun", Value::Bool(true))]);
        let rt = Scripted::default();
        let ind = p.indicator("a", &[]).unwrap();
        assert_eq!(update(&p, &rt, &ind, "OK").unwrap(), Outcome::DryRun);
        // Its line is at info, as a send's: not printed at the default level.
        assert!(rt.logs.borrow().is_empty());
        p.set_level(Level::Info);
        assert_eq!(update(&p, &rt, &ind, "OK").unwrap(), Outcome::DryRun);
        assert!(rt.requests.borrow().is_empty());
        assert_eq!(
            rt.logs.borrow().as_slice(),
            [(
                Level::Info,
                "dry run, nothing sent: a@proj = OK".to_string()
            )]
        );
    }

    #[test]
    fn director_failures_are_director_errors() {
        for (answer, code) in [
            (Some((404, "")), Code::Director),
            (Some((200, "garbage")), Code::Director),
            (None, Code::Director),
        ] {
            let p = project(&[("retries", Value::Num(0.0))]);
            let rt = Scripted::default();
            match answer {
                Some((s, b)) => rt.answer(s, b),
                None => rt.fail(FetchError::Network("refused".into())),
            };
            let ind = p.indicator("a", &[]).unwrap();
            assert_eq!(update(&p, &rt, &ind, "OK").unwrap_err().code, code);
        }
    }

    #[test]
    fn secrets_never_reach_logs_or_errors() {
        let p = project(&[
            ("direct", Value::Bool(true)),
            ("logLevel", Value::Str("debug".into())),
            ("apiKey", Value::Str("CANARY-KEY".into())),
        ]);
        let rt = Scripted::default();
        rt.answer(400, "Bad secret CANARY-SECRET CANARY-KEY ind-CANARY");
        let ind = p
            .indicator("a", &[("secret".into(), Value::Str("ind-CANARY".into()))])
            .unwrap();
        let e = update(&p, &rt, &ind, "OK").unwrap_err();
        update(&p, &rt, &ind, "OK").unwrap();
        let all = format!("{} {:?} {:?}", e.message, e.body, rt.logs.borrow());
        assert!(!all.contains("CANARY"), "{all}");
        assert!(rt
            .logs
            .borrow()
            .iter()
            .any(|(l, m)| *l == Level::Info && m == "okerr updated (200 OK) a@proj = OK"));
    }

    #[test]
    fn an_update_never_follows_a_redirect_and_is_not_counted_as_sent() {
        for (status, hidden) in [
            (301, false),
            (302, false),
            (303, false),
            (307, false),
            (308, false),
            (0, true),
        ] {
            let p = project(&[("direct", Value::Bool(true))]);
            let rt = Scripted::default();
            rt.redirect(
                status,
                "https://evil.example:8443/steal?secret=CANARY-SECRET",
                hidden,
            );
            let ind = p.indicator("a", &[]).unwrap();
            let e = update(&p, &rt, &ind, "OK").unwrap_err();
            assert_eq!((e.code.clone(), e.status), (Code::Redirect, Some(status)));
            if !hidden {
                assert!(
                    e.message.contains("https://evil.example:8443;"),
                    "{}",
                    e.message
                );
            }
            assert!(
                !e.message.contains("steal") && !e.message.contains("CANARY"),
                "{}",
                e.message
            );
            let requests = rt.requests.borrow().clone();
            assert_eq!(requests.len(), 1, "neither followed nor retried");
            assert!(requests[0].manual_redirect);
            assert_eq!(
                update(&p, &rt, &ind, "OK").unwrap(),
                Outcome::Sent,
                "a redirect is not a send"
            );
        }
    }

    #[test]
    fn a_director_redirect_is_followed_but_never_from_https_to_http() {
        let https = |extra: &[(&str, Value)]| {
            let mut pairs = vec![("url", Value::Str("https://dir.example/".into()))];
            pairs.extend_from_slice(extra);
            project(&pairs)
        };
        let p = https(&[]);
        let rt = Scripted::default();
        rt.redirect(302, "http://plain.example/api/director/proj", false);
        let ind = p.indicator("a", &[]).unwrap();
        let e = update(&p, &rt, &ind, "OK").unwrap_err();
        assert_eq!(e.code, Code::Director);
        assert!(e.message.contains("plain-http"), "{}", e.message);
        assert_eq!(
            rt.requests.borrow().len(),
            1,
            "nothing was sent after the refusal"
        );

        let p = https(&[]);
        let rt = Scripted::default();
        rt.redirect(302, "https://dir2.example/api/director/proj", false)
            .answer(200, "https://node.example/\n");
        let ind = p.indicator("a", &[]).unwrap();
        assert_eq!(update(&p, &rt, &ind, "OK").unwrap(), Outcome::Sent);
        let urls: Vec<String> = rt.requests.borrow().iter().map(|r| r.url.clone()).collect();
        assert_eq!(
            urls,
            [
                "https://dir.example/api/director/proj",
                "https://dir2.example/api/director/proj",
                "https://node.example/update"
            ]
        );
    }

    #[test]
    fn a_refusal_carries_the_server_code() {
        let p = project(&[("direct", Value::Bool(true))]);
        let rt = Scripted::default();
        rt.answer(400, "ERROR:LIMIT_MAXINDICATORS Project already has 3 indicators, maxindicators is 3. Indicator not created");
        let ind = p.indicator("a", &[]).unwrap();
        assert_eq!(
            update(&p, &rt, &ind, "OK").unwrap_err().code,
            Code::Server("LIMIT_MAXINDICATORS".into())
        );
    }

    #[test]
    fn a_hint_answers_what_the_core_would_and_nothing_else() {
        let p = project(&[
            ("direct", Value::Bool(true)),
            ("logLevel", Value::Str("info".into())),
        ]);
        let rt = Scripted::default();
        let hb = p.indicator("a", &[]).unwrap();
        assert_eq!(p.hint(&rt, &hb, "OK"), None, "nothing sent yet");
        rt.now.set(1000.0);
        update(&p, &rt, &hb, "OK").unwrap();
        let hint = p.hint(&rt, &hb, "OK").unwrap();
        assert_eq!(
            hint,
            Hint {
                status: Some("OK".into()),
                from_ms: 1000.0,
                until_ms: 1000.0 + 300_000.0,
                outcome: Outcome::Throttled
            }
        );
        // While the hint holds, the core gives the same answer, without a request or a line.
        let (requests, lines) = (rt.requests.borrow().len(), rt.logs.borrow().len());
        rt.now.set(hint.until_ms - 1.0);
        assert_eq!(update(&p, &rt, &hb, "OK").unwrap(), Outcome::Throttled);
        assert_eq!(
            (rt.requests.borrow().len(), rt.logs.borrow().len()),
            (requests, lines)
        );
        // Another status in flight: no hint until it is answered.
        let begun = p.begin_update(&rt, &hb, "ERR", None).unwrap();
        assert_eq!(p.hint(&rt, &hb, "ERR"), None);
        block_on(p.finish(&rt, &hb, begun, OnFailure::Reject)).unwrap();
        assert_eq!(
            p.hint(&rt, &hb, "ERR").unwrap().status.as_deref(),
            Some("ERR")
        );
        // At debug a skip logs a line: no hint.
        p.set_level(Level::Debug);
        assert_eq!(p.hint(&rt, &hb, "ERR"), None);
        p.set_level(Level::Info);
        let num = p
            .indicator("n", &[("method".into(), Value::Str("numerical".into()))])
            .unwrap();
        update(&p, &rt, &num, "1").unwrap();
        assert_eq!(p.hint(&rt, &num, "1").unwrap().status, None, "any number");
        let dry = project(&[
            ("dryRun", Value::Bool(true)),
            ("logLevel", Value::Str("warn".into())),
        ]);
        let ind = dry.indicator("a", &[]).unwrap();
        assert_eq!(dry.hint(&rt, &ind, "OK").unwrap().outcome, Outcome::DryRun);
        dry.set_level(Level::Info);
        assert_eq!(dry.hint(&rt, &ind, "OK"), None, "a dry run logs at info");
    }
}
