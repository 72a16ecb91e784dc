//! A scripted runtime for the core's tests: answers come from a queue, time is simulated. And
//! the builders the tests share: a checked configuration from a table of options.

use crate::base::log::Level;
use crate::base::value::Value;
use crate::engine::runtime::{
    FetchError, HttpRequest, HttpResponse, Runtime, StoreCall, StoreError,
};
use crate::protocol::project_config::ProjectConfig;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::future::poll_fn;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

/// Answers queued in order; an empty queue answers `200 OK`.
#[derive(Default)]
pub struct Scripted {
    pub answers: RefCell<VecDeque<Result<HttpResponse, FetchError>>>,
    pub requests: RefCell<Vec<HttpRequest>>,
    pub sleeps: RefCell<Vec<f64>>,
    pub logs: RefCell<Vec<(Level, String)>>,
    pub now: Cell<f64>,
    /// Every hand-off made, so a test can end them as their time limit would.
    pub handoffs: RefCell<Vec<Arc<Handoff>>>,
    /// The throttle store, shared with the runtimes of other "processes".
    pub store: Option<Rc<Store>>,
}

/// One claim a store received: `(key, status, numerical, token, period)`.
pub type ClaimCall = (String, String, bool, String, f64);

/// A throttle store that keeps the `throttleStore` contract, in memory; failures can be queued.
#[derive(Default)]
pub struct Store {
    /// Records by key: `(at, status, token)`.
    pub records: RefCell<HashMap<String, (f64, String, String)>>,
    /// Answers claims give instead of the contract's, in order.
    pub faults: RefCell<VecDeque<StoreError>>,
    /// Answers releases give instead of the contract's, in order.
    pub release_faults: RefCell<VecDeque<StoreError>>,
    /// Every claim: `(key, status, numerical, token, period)`.
    pub claims: RefCell<Vec<ClaimCall>>,
    /// Every release: `(key, token)`.
    pub releases: RefCell<Vec<(String, String)>>,
}

impl Store {
    fn call(&self, call: &StoreCall<'_>, now: f64) -> Result<bool, StoreError> {
        match *call {
            StoreCall::Claim {
                key,
                status,
                numerical,
                token,
                period_ms,
            } => {
                self.claims.borrow_mut().push((
                    key.into(),
                    status.into(),
                    numerical,
                    token.into(),
                    period_ms,
                ));
                if let Some(e) = self.faults.borrow_mut().pop_front() {
                    return Err(e);
                }
                let mut records = self.records.borrow_mut();
                if let Some((at, s, _)) = records.get(key) {
                    if now >= *at && now - at < period_ms && (numerical || s == status) {
                        return Ok(false);
                    }
                }
                records.insert(key.into(), (now, status.into(), token.into()));
                Ok(true)
            }
            StoreCall::Release { key, token } => {
                self.releases.borrow_mut().push((key.into(), token.into()));
                if let Some(e) = self.release_faults.borrow_mut().pop_front() {
                    return Err(e);
                }
                let mut records = self.records.borrow_mut();
                if records.get(key).is_some_and(|(_, _, t)| t == token) {
                    records.remove(key);
                }
                Ok(true)
            }
        }
    }
}

/// One hand-off of the scripted runtime: woken by the work it waits for, or ended by
/// [`Scripted::expire_handoffs`].
#[derive(Default)]
pub struct Handoff {
    woken: AtomicBool,
    expired: AtomicBool,
    waiter: Mutex<Option<Waker>>,
}

impl Handoff {
    fn ready(&self) {
        if let Some(w) = self.waiter.lock().unwrap().take() {
            w.wake();
        }
    }
}

impl Wake for Handoff {
    fn wake(self: Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        self.ready();
    }
}

impl Scripted {
    pub fn answer(&self, status: u16, body: &str) -> &Self {
        self.answers.borrow_mut().push_back(Ok(HttpResponse {
            status,
            body: body.into(),
            retry_after: None,
            location: None,
            redirect_hidden: false,
            cut: false,
        }));
        self
    }

    /// An answer longer than the request's limit: `body` is the part that was read.
    pub fn answer_cut(&self, status: u16, body: &str) -> &Self {
        self.answer(status, body);
        if let Some(Ok(last)) = self.answers.borrow_mut().back_mut() {
            last.cut = true;
        }
        self
    }

    pub fn redirect(&self, status: u16, location: &str, hidden: bool) -> &Self {
        self.answers.borrow_mut().push_back(Ok(HttpResponse {
            status,
            body: String::new(),
            retry_after: None,
            location: Some(location.into()),
            redirect_hidden: hidden,
            cut: false,
        }));
        self
    }

    /// End every hand-off made so far, as their time limit would.
    pub fn expire_handoffs(&self) {
        for h in self.handoffs.borrow().iter() {
            h.expired.store(true, Ordering::SeqCst);
            h.ready();
        }
    }

    pub fn fail(&self, e: FetchError) -> &Self {
        self.answers.borrow_mut().push_back(Err(e));
        self
    }
}

impl Runtime for Scripted {
    async fn fetch(
        &self,
        request: &HttpRequest,
        _timeout_ms: u32,
    ) -> Result<HttpResponse, FetchError> {
        self.requests.borrow_mut().push(request.clone());
        let next = self.answers.borrow_mut().pop_front();
        next.unwrap_or_else(|| {
            Ok(HttpResponse {
                status: 200,
                body: "OK".into(),
                retry_after: None,
                location: None,
                redirect_hidden: false,
                cut: false,
            })
        })
    }

    async fn sleep(&self, ms: f64) {
        self.sleeps.borrow_mut().push(ms);
        self.now.set(self.now.get() + ms);
    }

    fn handoff(&self, _limit_ms: f64) -> (Waker, impl Future<Output = bool> + 'static) {
        let h = Arc::new(Handoff::default());
        self.handoffs.borrow_mut().push(Arc::clone(&h));
        let waker = Waker::from(Arc::clone(&h));
        let woken = poll_fn(move |cx| {
            if h.woken.load(Ordering::SeqCst) {
                return Poll::Ready(true);
            }
            if h.expired.load(Ordering::SeqCst) {
                return Poll::Ready(false);
            }
            *h.waiter.lock().unwrap() = Some(cx.waker().clone());
            Poll::Pending
        });
        (waker, woken)
    }

    fn now_ms(&self) -> f64 {
        self.now.get()
    }

    fn log(&self, level: Level, message: &str) {
        self.logs.borrow_mut().push((level, message.to_string()));
    }

    async fn store(&self, call: &StoreCall<'_>, _limit_ms: f64) -> Result<bool, StoreError> {
        match &self.store {
            Some(store) => store.call(call, self.now.get()),
            None => Err(StoreError::Failed("no throttle store".into())),
        }
    }
}

/// Run a future whose every await is ready at once (all the scripted runtime's are).
pub fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    match f.as_mut().poll(&mut cx) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the scripted runtime never leaves a future pending"),
    }
}

/// `Value::Str`, for tables of options.
pub fn text(s: &str) -> Value {
    Value::Str(s.into())
}

/// A configuration checked from `pairs`, as the JS face hands them over (a test's own values:
/// a refusal fails the test).
pub fn config(pairs: &[(&str, Value)]) -> ProjectConfig {
    let pairs: Vec<(String, Value)> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), v.clone()))
        .collect();
    ProjectConfig::from_pairs(&pairs).unwrap()
}

/// [`config`] of a test file's defaults `base`, then one test's own `extra` options.
pub fn config_with(base: &[(&str, Value)], extra: &[(&str, Value)]) -> ProjectConfig {
    config(&[base, extra].concat())
}

/// [`config_with`] for extra options that are all strings.
pub fn config_with_text(base: &[(&str, Value)], extra: &[(&str, &str)]) -> ProjectConfig {
    let extra: Vec<(&str, Value)> = extra.iter().map(|(k, v)| (*k, text(v))).collect();
    config_with(base, &extra)
}
