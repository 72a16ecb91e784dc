//! A project at work: indicators, throttling, the director, retries, logging. Everything that
//! happens between `indicator.update()` and the server's answer, over an injected [`Runtime`].

use crate::director::{self, DirectorCache};
use crate::error::{Code, Error};
use crate::http_url::BaseUrl;
use crate::indicator::IndicatorSpec;
use crate::log::Level;
use crate::options::{Mode, ProjectConfig};
use crate::redact::Secrets;
use crate::retry::{delay_ms, is_retryable_status};
use crate::runtime::{FetchError, HttpRequest, HttpResponse, Runtime};
use crate::throttle::{Decision, Throttle};
use crate::value::Value;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// How an update ended, when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The server accepted it.
    Sent,
    /// Skipped: the same value went out within the throttle period.
    Throttled,
    /// Checked and logged, not sent (`dryRun`).
    DryRun,
    /// Delivered as a `no-cors` request, whose answer cannot be read.
    Unconfirmed,
}

impl Outcome {
    /// Whether a request went out.
    pub fn sent(self) -> bool {
        matches!(self, Outcome::Sent | Outcome::Unconfirmed)
    }

    /// The `reason` JS sees.
    pub fn reason(self) -> &'static str {
        match self {
            Outcome::Sent => "sent",
            Outcome::Throttled => "throttled",
            Outcome::DryRun => "dry-run",
            Outcome::Unconfirmed => "unconfirmed",
        }
    }
}

/// One indicator object. Objects made for the same name share their throttle state.
#[derive(Debug)]
pub struct Indicator<P> {
    /// What it sends.
    pub spec: IndicatorSpec,
    throttle: Rc<RefCell<Throttle<P>>>,
}

impl<P> Clone for Indicator<P> {
    fn clone(&self) -> Self {
        Indicator {
            spec: self.spec.clone(),
            throttle: Rc::clone(&self.throttle),
        }
    }
}

impl<P: Clone> Indicator<P> {
    /// Let concurrent identical updates join the send with `ticket` through `shared`.
    pub fn share(&self, ticket: u64, shared: P) {
        self.throttle.borrow_mut().share(ticket, shared);
    }
}

/// The first step of an update.
#[derive(Debug)]
pub enum Begin<P> {
    /// Finished without a request.
    Done(Outcome),
    /// The same update is in flight: wait for its result.
    Join(P),
    /// Send it with [`Project::deliver`].
    Send(Job),
}

/// A checked update waiting to be delivered.
#[derive(Debug)]
pub struct Job {
    /// The throttle's ticket for this send.
    pub ticket: u64,
    status: String,
    body: String,
}

/// A director lookup in progress, which concurrent updates wait for instead of asking again.
#[derive(Default)]
struct Lookup {
    result: Option<Result<BaseUrl, Error>>,
    waiters: Vec<Waker>,
}

struct WaitForLookup(Rc<RefCell<Lookup>>);

impl Future for WaitForLookup {
    type Output = Result<BaseUrl, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut lookup = self.0.borrow_mut();
        match &lookup.result {
            Some(result) => Poll::Ready(result.clone()),
            None => {
                lookup.waiters.push(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// A project: its settings and everything it remembers between updates.
pub struct Project<P> {
    config: ProjectConfig,
    level: Cell<Level>,
    secrets: RefCell<Secrets>,
    director: RefCell<DirectorCache>,
    lookup: RefCell<Option<Rc<RefCell<Lookup>>>>,
    throttles: RefCell<HashMap<String, Rc<RefCell<Throttle<P>>>>>,
}

impl<P: Clone> Project<P> {
    /// A project with checked settings.
    pub fn new(config: ProjectConfig) -> Self {
        let mut secrets = Secrets::default();
        config.secrets().for_each(|s| secrets.add(s));
        Project {
            level: Cell::new(config.log_level),
            config,
            secrets: RefCell::new(secrets),
            director: RefCell::default(),
            lookup: RefCell::default(),
            throttles: RefCell::default(),
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

    /// Write `message` through the runtime's logger, if `level` is enabled, with secrets masked.
    pub fn log<R: Runtime>(&self, rt: &R, level: Level, message: &str) {
        if level >= self.level.get() && level != Level::Silent {
            rt.log(level, &self.scrub(message));
        }
    }

    fn scrub_error(&self, mut e: Error) -> Error {
        e.message = self.scrub(&e.message);
        e.body = e.body.map(|b| self.scrub(&b));
        e
    }

    /// An indicator object; objects of the same (prepared) name share throttle state.
    pub fn indicator(
        &self,
        name: &str,
        options: &[(String, Value)],
    ) -> Result<Indicator<P>, Error> {
        let spec =
            IndicatorSpec::new(&self.config, name, options).map_err(|e| self.scrub_error(e))?;
        {
            let mut secrets = self.secrets.borrow_mut();
            spec.secrets().for_each(|s| secrets.add(s));
        }
        let throttle = Rc::clone(
            self.throttles
                .borrow_mut()
                .entry(spec.name.clone())
                .or_default(),
        );
        Ok(Indicator { spec, throttle })
    }

    fn who(&self, ind: &Indicator<P>) -> String {
        format!("{}@{}", ind.spec.name, self.config.textid)
    }

    /// Check an update and decide, without waiting, whether it needs a request.
    pub fn begin_update<R: Runtime>(
        &self,
        rt: &R,
        ind: &Indicator<P>,
        status: &str,
        details: Option<&str>,
    ) -> Result<Begin<P>, Error> {
        crate::status::check(ind.spec.kind(), status).map_err(|e| self.scrub_error(e))?;
        if details.is_some_and(|d| d.len() > crate::status::MAX_TEXT_BYTES) {
            return Err(Error::invalid(format!(
                "details are longer than {} bytes",
                crate::status::MAX_TEXT_BYTES
            )));
        }
        if self.config.dry_run {
            // At info, where a real send logs its line: a dry run is for seeing what would go out
            // (the Python client logs it at debug only, so its dry run is silent by default).
            if self.level() <= Level::Info {
                self.log(
                    rt,
                    Level::Info,
                    &format!(
                        "dry run, nothing sent: {} = {}",
                        self.who(ind),
                        crate::text::preview(status)
                    ),
                );
            }
            return Ok(Begin::Done(Outcome::DryRun));
        }
        let decision = ind.throttle.borrow_mut().decide(
            ind.spec.kind(),
            status,
            rt.now_ms(),
            self.config.throttle_ms,
        );
        Ok(match decision {
            Decision::Skip => {
                if self.level() <= Level::Debug {
                    self.log(rt, Level::Debug, &format!("skip update {}", self.who(ind)));
                }
                Begin::Done(Outcome::Throttled)
            }
            Decision::Join(shared) => Begin::Join(shared),
            Decision::Send(ticket) => Begin::Send(Job {
                ticket,
                status: status.to_string(),
                body: crate::update::body(&self.config, &ind.spec, status, details),
            }),
        })
    }

    /// True when an update of `ind` would be skipped whatever its value: a numerical indicator
    /// within its throttle period, nothing in flight, not a dry run, no debug line to write.
    /// Lets the JS face answer without converting the value.
    pub fn skips_any_value<R: Runtime>(&self, rt: &R, ind: &Indicator<P>) -> bool {
        ind.spec.kind() == crate::method::Kind::Numerical
            && !self.config.dry_run
            && self.level() > Level::Debug
            && ind.throttle.borrow().skips_any_value(rt.now_ms(), self.config.throttle_ms)
    }

    /// Send a job begun by [`Project::begin_update`] and record its outcome in the throttle.
    pub async fn deliver<R: Runtime>(
        &self,
        rt: &R,
        ind: &Indicator<P>,
        job: Job,
    ) -> Result<Outcome, Error> {
        let result = self.post_update(rt, ind, &job).await;
        let accepted_at = result.as_ref().ok().map(|_| rt.now_ms());
        ind.throttle
            .borrow_mut()
            .finish(job.ticket, &job.status, accepted_at);
        result.map_err(|e| {
            let e = self.scrub_error(e);
            self.log(rt, Level::Warn, &e.message);
            e
        })
    }

    async fn post_update<R: Runtime>(
        &self,
        rt: &R,
        ind: &Indicator<P>,
        job: &Job,
    ) -> Result<Outcome, Error> {
        let who = self.who(ind);
        let url = self.node(rt).await?.join("update");
        if self.level() <= Level::Debug {
            self.log(
                rt,
                Level::Debug,
                &format!(
                    "update: {who} = {} url: {url}",
                    crate::text::preview(&job.status)
                ),
            );
        }
        let no_cors = self.config.mode == Mode::NoCors;
        let request = HttpRequest {
            method: "POST",
            url,
            form: Some(job.body.clone()),
            api_key: None,
            no_cors,
            manual_redirect: false,
        };
        let answer = match self.request(rt, &request).await {
            Ok(answer) => answer,
            Err(e) => {
                if matches!(e.code, Code::Network | Code::Timeout) {
                    // The node may have moved: ask the director again next time.
                    self.director.borrow_mut().forget();
                }
                return Err(e);
            }
        };
        if no_cors && answer.status == 0 {
            self.log(
                rt,
                Level::Info,
                &format!(
                    "okerr update delivered, unconfirmed (no-cors) {who} = {}",
                    crate::text::preview(&job.status)
                ),
            );
            return Ok(Outcome::Unconfirmed);
        }
        crate::response::check_update(&who, answer.status, &answer.body)?;
        if self.level() <= Level::Info {
            let reason = if answer.status == 200 { " OK" } else { "" };
            self.log(
                rt,
                Level::Info,
                &format!(
                    "okerr updated ({}{reason}) {who} = {}",
                    answer.status,
                    crate::text::preview(&job.status)
                ),
            );
        }
        Ok(Outcome::Sent)
    }

    /// The server that hosts the project: `url` itself in direct mode, otherwise the director's
    /// answer, cached for five minutes and asked once for any number of concurrent updates.
    pub async fn node<R: Runtime>(&self, rt: &R) -> Result<BaseUrl, Error> {
        if self.config.direct {
            return Ok(self.config.url.clone());
        }
        if let Some(url) = self.director.borrow().get(rt.now_ms()) {
            return Ok(url);
        }
        let pending = self.lookup.borrow().clone();
        if let Some(lookup) = pending {
            return WaitForLookup(lookup).await;
        }
        let lookup = Rc::new(RefCell::new(Lookup::default()));
        *self.lookup.borrow_mut() = Some(Rc::clone(&lookup));
        let result = self.ask_director(rt).await.map_err(|e| self.scrub_error(e));
        *self.lookup.borrow_mut() = None;
        if let Ok(url) = &result {
            self.director.borrow_mut().put(url.clone(), rt.now_ms());
        }
        let waiters = {
            let mut l = lookup.borrow_mut();
            l.result = Some(result.clone());
            std::mem::take(&mut l.waiters)
        };
        waiters.into_iter().for_each(Waker::wake);
        result
    }

    async fn ask_director<R: Runtime>(&self, rt: &R) -> Result<BaseUrl, Error> {
        let url = director::request_url(&self.config.url, &self.config.textid);
        let request = HttpRequest {
            method: "GET",
            url: url.clone(),
            form: None,
            api_key: None,
            no_cors: false,
            manual_redirect: false,
        };
        let answer = self.request(rt, &request).await.map_err(|e| Error {
            code: if e.code == Code::Cors {
                Code::Cors
            } else {
                Code::Director
            },
            message: format!(
                "could not ask the director where project '{}' lives: {}",
                self.config.textid, e.message
            ),
            ..e
        })?;
        let node = director::read_answer(
            &self.config.url,
            &self.config.textid,
            answer.status,
            &answer.body,
        )?;
        if self.level() <= Level::Debug {
            self.log(
                rt,
                Level::Debug,
                &format!("got url {} from director {url}", node.as_str()),
            );
        }
        Ok(node)
    }

    /// One request with the project's timeout and retry schedule: connection failures,
    /// timeouts, 429 and 5xx are retried; any other answer is returned as it is.
    pub async fn request<R: Runtime>(
        &self,
        rt: &R,
        request: &HttpRequest,
    ) -> Result<HttpResponse, Error> {
        let c = &self.config;
        let mut retry = 0;
        loop {
            let (retry_after, why) = match rt.fetch(request, c.timeout_ms).await {
                Ok(answer) if retry < c.retries && is_retryable_status(answer.status) => {
                    (answer.retry_after, format!("HTTP {}", answer.status))
                }
                Ok(answer) => return Ok(answer),
                Err(FetchError::Cors(detail)) => return Err(cors_error(&request.url, &detail)),
                Err(FetchError::Network(m)) if retry < c.retries => {
                    (None, format!("network error ({m})"))
                }
                Err(FetchError::Timeout) if retry < c.retries => {
                    (None, format!("no answer within {} ms", c.timeout_ms))
                }
                Err(FetchError::Network(m)) => {
                    return Err(Error::new(
                        Code::Network,
                        format!(
                            "could not reach {} ({}): {m}",
                            request.url,
                            attempts(retry + 1)
                        ),
                    ))
                }
                Err(FetchError::Timeout) => {
                    return Err(Error::new(
                        Code::Timeout,
                        format!(
                            "no answer from {} within {} ms ({})",
                            request.url,
                            c.timeout_ms,
                            attempts(retry + 1)
                        ),
                    ))
                }
            };
            retry += 1;
            let wait = delay_ms(c.backoff_ms, retry, retry_after.as_deref(), rt.now_ms());
            self.log(
                rt,
                Level::Warn,
                &format!(
                    "{why} from {}; retry {retry} of {} in {} ms",
                    request.url,
                    c.retries,
                    wait.round() as u64
                ),
            );
            rt.sleep(wait).await;
        }
    }
}

fn attempts(n: u32) -> String {
    if n == 1 {
        String::from("1 attempt")
    } else {
        format!("{n} attempts")
    }
}

fn cors_error(url: &str, detail: &str) -> Error {
    Error::new(
        Code::Cors,
        format!(
            "the browser blocked the answer from {url} ({detail}): the okerr server sends no CORS headers for updates and the API \
             (or the server could not be reached: a browser does not tell the two apart). Serve the page from the same origin (a proxy or a self-hosted server), or pass mode: 'no-cors' with direct: true and url set to the project's server to deliver updates without confirmation"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::decode;
    use crate::test_runtime::{block_on, Scripted};

    fn project(extra: &[(&str, Value)]) -> Project<u32> {
        let mut pairs: Vec<(String, Value)> = vec![
            ("textid".into(), Value::Str("proj".into())),
            ("secret".into(), Value::Str("CANARY-SECRET".into())),
            ("url".into(), Value::Str("http://127.0.0.1:9/".into())),
            ("backoffMs".into(), Value::Num(100.0)),
        ];
        pairs.extend(extra.iter().map(|(k, v)| (k.to_string(), v.clone())));
        Project::new(ProjectConfig::from_pairs(&pairs).unwrap())
    }

    fn update(
        p: &Project<u32>,
        rt: &Scripted,
        ind: &Indicator<u32>,
        status: &str,
    ) -> Result<Outcome, Error> {
        match p.begin_update(rt, ind, status, None)? {
            Begin::Done(o) => Ok(o),
            Begin::Join(_) => panic!("nothing is in flight in a sequential test"),
            Begin::Send(job) => block_on(p.deliver(rt, ind, job)),
        }
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
        rt.now.set(crate::director::DIRECTOR_TTL_MS + 1.0);
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
        assert!(rt.requests.borrow().is_empty());
        assert_eq!(
            rt.logs.borrow().as_slice(),
            [(Level::Info, "dry run, nothing sent: a@proj = OK".to_string())]
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
}
