//! A throttle shared by a fleet: the `throttleStore` option.
//!
//! Each process (a Worker's isolate, a service's process, a Deno instance) keeps its own
//! throttle, so a fleet of N sends up to N times the updates, and the okerr server writes every
//! one. With a store the fleet shares (Redis, a Durable Object, Deno KV), the store decides
//! every update: before sending, the update *claims* its name's record, which the store grants
//! unless a record younger than the throttle period throttles it (the same status, or any
//! value of a numerical indicator). Memory still joins identical updates in flight in one
//! process ([`crate::engine::throttle`]), so a burst asks the store once.
//!
//! - The window starts at the claim, not at the server's answer; another process's claim still
//!   in flight counts as sent.
//! - A send that fails releases its claim (only if the record still holds its token), so the
//!   next update anywhere is sent.
//! - Fail open: a store that throws, rejects, answers anything but a boolean, or does not
//!   answer within [`limit_ms`] leaves the update to this process's memory alone, and it is
//!   logged at `warn` at most once per throttle period. A store never silences a heartbeat.
//! - A process that dies between its claim and its send silences that name for up to one
//!   period.
//! - No store is asked when throttling is off (`throttleSeconds: 0`) or for a dry run.

use crate::base::log::Level;
use crate::base::text::{decimal, fill};
use crate::engine::context::Context;
use crate::engine::runtime::{Runtime, StoreCall, StoreError};
use crate::protocol::project_config::ProjectConfig;
use std::future::Future;
use std::pin::Pin;

/// The longest a store call may take: the project's request time limit, at most a second. A
/// store is a round trip inside the fleet's network; one slower than that is treated as down.
pub fn limit_ms(c: &ProjectConfig) -> f64 {
    f64::from(c.timeout_ms.min(1000))
}

/// True when updates of a project with `c` ask its store: it has one, and throttles.
pub fn asks(c: &ProjectConfig) -> bool {
    c.throttle_store && c.throttle_ms > 0.0 && !c.dry_run
}

/// The store's key for `name` (prepared) of project `textid`: `okerr/TEXTID/NAME`. The same in
/// every process, and different for any other pair: a textid never holds a `/`, so the first
/// `/` after the prefix ends it.
pub fn key(textid: &str, name: &str) -> String {
    fill!("okerr/{}/{}", textid, name)
}

/// Make `call` on the store for the indicator `name`: its answer, or `None` when it failed
/// (logged).
///
/// Boxed: a claim and a release share one copy of this step in the .wasm, and the update's own
/// future stays as small as it was without a store.
pub fn ask<'a, R: Runtime>(
    ctx: &'a Context,
    rt: &'a R,
    name: &'a str,
    call: StoreCall<'a>,
) -> Pin<Box<dyn Future<Output = Option<bool>> + 'a>> {
    Box::pin(async move {
        match rt.store(&call, limit_ms(&ctx.config)).await {
            Ok(answer) => Some(answer),
            Err(e) => {
                failed(ctx, rt, name, &call, &e);
                None
            }
        }
    })
}

/// Log a store's failure at `warn`, unless one was logged within the throttle period.
fn failed<R: Runtime>(ctx: &Context, rt: &R, name: &str, call: &StoreCall, e: &StoreError) {
    let now = rt.now_ms();
    let period = ctx.config.throttle_ms;
    if ctx
        .store_warned
        .get()
        .is_some_and(|at| now >= at && now < at + period)
    {
        return;
    }
    ctx.store_warned.set(Some(now));
    if ctx.level() > Level::Warn {
        return;
    }
    let _in = ctx.enter();
    let why = match e {
        StoreError::Failed(m) => fill!("failed: {}", crate::base::redact::excerpt(m, 200)),
        StoreError::Junk(t) => fill!("answered {}, not true or false", t),
        StoreError::Timeout => fill!(
            "gave no answer within {} ms",
            decimal(limit_ms(&ctx.config) as u64)
        ),
    };
    let method = match call {
        StoreCall::Claim { .. } => "claim",
        StoreCall::Release { .. } => "release",
    };
    let line = fill!(
        "okerr throttleStore.{} for {} {}; throttling by this process alone (warned once per period)",
        method,
        ctx.who(name),
        why
    );
    ctx.log(rt, Level::Warn, &line);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::error::Error;
    use crate::base::value::Value;
    use crate::engine::failure::OnFailure;
    use crate::engine::outcome::Outcome;
    use crate::engine::project::Project;
    use crate::engine::update::{Begin, Indicator};
    use crate::test_runtime::{block_on, config, config_with, text, Scripted, Store};
    use std::rc::Rc;

    const PERIOD: f64 = 300_000.0;

    fn project(extra: &[(&str, Value)]) -> Project {
        let base = [
            ("textid", text("proj")),
            ("secret", text("CANARY-SECRET")),
            ("url", text("http://127.0.0.1:9/")),
            ("direct", Value::Bool(true)),
            ("retries", Value::Num(0.0)),
            ("throttleStore", Value::Other("object")),
        ];
        Project::new(config_with(&base, extra))
    }

    /// One process of a fleet: its project and its runtime, sharing `store` with the others.
    struct Process {
        p: Project,
        rt: Scripted,
    }

    impl Process {
        fn new(store: &Rc<Store>, extra: &[(&str, Value)]) -> Self {
            Process {
                p: project(extra),
                rt: Scripted {
                    store: Some(Rc::clone(store)),
                    ..Scripted::default()
                },
            }
        }

        fn update(&self, name: &str, status: &str) -> Result<Outcome, Error> {
            let ind = self.indicator(name);
            let begun = self.p.begin_update(&self.rt, &ind, status, None)?;
            block_on(self.p.finish(&self.rt, &ind, begun, OnFailure::Reject))
        }

        fn indicator(&self, name: &str) -> Indicator {
            let method = if name.starts_with('n') {
                vec![("method".to_string(), Value::Str("numerical".into()))]
            } else {
                vec![]
            };
            self.p.indicator(name, &method).unwrap()
        }

        fn posts(&self) -> usize {
            self.rt.requests.borrow().len()
        }

        fn warnings(&self) -> Vec<String> {
            let logs = self.rt.logs.borrow();
            logs.iter()
                .filter(|(l, _)| *l == Level::Warn)
                .map(|(_, m)| m.clone())
                .collect()
        }

        fn at(&self, ms: f64) -> &Self {
            self.rt.now.set(ms);
            self
        }
    }

    fn fleet() -> (Rc<Store>, Process, Process) {
        let store = Rc::new(Store::default());
        let a = Process::new(&store, &[]);
        let b = Process::new(&store, &[]);
        (store, a, b)
    }

    #[test]
    fn the_store_decides_every_update_of_the_fleet() {
        let (store, a, b) = fleet();
        assert_eq!(a.update("x", "OK"), Ok(Outcome::Sent));
        assert_eq!(b.at(10.0).update("x", "OK"), Ok(Outcome::Throttled));
        assert_eq!(b.posts(), 0, "B skips what A sent");
        assert_eq!(b.update("x", "ERR"), Ok(Outcome::Sent));
        // A's memory holds its own OK, within the period: the store knows B sent ERR since.
        assert_eq!(a.at(20.0).update("x", "OK"), Ok(Outcome::Sent));
        assert_eq!(a.update("x", "OK"), Ok(Outcome::Throttled));
        assert_eq!((a.posts(), b.posts()), (2, 1));
        // Other names and the end of the period are the store's to judge, as memory would.
        assert_eq!(b.update("y", "OK"), Ok(Outcome::Sent));
        assert_eq!(b.at(20.0 + PERIOD).update("x", "OK"), Ok(Outcome::Sent));
        let claims = store.claims.borrow();
        assert_eq!(claims.len(), 7, "every update asked the store");
        assert_eq!(claims[0].0, "okerr/proj/x");
        assert_eq!((claims[0].2, claims[0].4), (false, PERIOD));
    }

    #[test]
    fn a_numerical_value_throttles_any_other_across_the_fleet() {
        let (store, a, b) = fleet();
        assert_eq!(a.update("n", "1"), Ok(Outcome::Sent));
        assert_eq!(b.update("n", "2"), Ok(Outcome::Throttled));
        assert!(store.claims.borrow().iter().all(|c| c.2), "numerical");
        assert_eq!(b.posts(), 0);
    }

    #[test]
    fn a_failed_send_releases_its_claim_so_the_next_update_anywhere_is_sent() {
        let (store, a, b) = fleet();
        a.rt.answer(400, "Bad secret");
        assert!(a.update("x", "OK").is_err());
        let token = store.claims.borrow()[0].3.clone();
        assert_eq!(
            store.releases.borrow().as_slice(),
            [("okerr/proj/x".to_string(), token)],
            "released with the token it claimed with"
        );
        assert!(store.records.borrow().is_empty());
        assert_eq!(b.update("x", "OK"), Ok(Outcome::Sent));
    }

    #[test]
    fn a_send_that_succeeds_releases_nothing() {
        let (store, a, _) = fleet();
        a.update("x", "OK").unwrap();
        assert!(store.releases.borrow().is_empty());
    }

    #[test]
    fn keys_are_one_per_project_and_name_and_tokens_one_per_claim() {
        assert_eq!(key("proj", "a:b"), "okerr/proj/a:b");
        // A textid never holds '/', so no two pairs spell the same key.
        let pairs = [
            ("a", "b/c"),
            ("a", "b"),
            ("ab", "c"),
            ("a:b", "c"),
            ("a", "b:c"),
        ];
        let keys: std::collections::HashSet<_> = pairs.iter().map(|(t, n)| key(t, n)).collect();
        assert_eq!(keys.len(), pairs.len());
        let (store, a, b) = fleet();
        a.update("x", "OK").unwrap();
        a.update("x", "ERR").unwrap();
        b.update("x", "OK").unwrap();
        let c = Process::new(&store, &[("textid", Value::Str("other".into()))]);
        c.update("x", "OK").unwrap();
        let claims = store.claims.borrow();
        let tokens: std::collections::HashSet<_> = claims.iter().map(|c| &c.3).collect();
        assert_eq!(tokens.len(), 4, "{claims:?}");
        assert_eq!(claims[3].0, "okerr/other/x");
    }

    #[test]
    fn identical_updates_in_flight_ask_the_store_once() {
        let (store, a, _) = fleet();
        let ind = a.indicator("x");
        let begun: Vec<Begin> = (0..5)
            .map(|_| a.p.begin_update(&a.rt, &ind, "OK", None).unwrap())
            .collect();
        for b in begun {
            assert_eq!(
                block_on(a.p.finish(&a.rt, &ind, b, OnFailure::Reject)),
                Ok(Outcome::Sent)
            );
        }
        assert_eq!((store.claims.borrow().len(), a.posts()), (1, 1));
    }

    #[test]
    fn a_burst_throttled_by_the_store_is_throttled_for_every_waiter() {
        let (store, a, b) = fleet();
        a.update("x", "OK").unwrap();
        let ind = b.indicator("x");
        let begun: Vec<Begin> = (0..3)
            .map(|_| b.p.begin_update(&b.rt, &ind, "OK", None).unwrap())
            .collect();
        for j in begun {
            assert_eq!(
                block_on(b.p.finish(&b.rt, &ind, j, OnFailure::Reject)),
                Ok(Outcome::Throttled)
            );
        }
        assert_eq!((store.claims.borrow().len(), b.posts()), (2, 0));
    }

    #[test]
    fn a_store_that_fails_leaves_the_update_to_memory_and_warns_once_per_period() {
        for fault in [
            StoreError::Failed("connection refused".into()),
            StoreError::Junk("string".into()),
            StoreError::Timeout,
        ] {
            let (store, a, _) = fleet();
            for _ in 0..4 {
                store.faults.borrow_mut().push_back(fault.clone());
            }
            assert_eq!(a.update("x", "OK"), Ok(Outcome::Sent), "memory sends");
            assert_eq!(
                a.at(1.0).update("x", "OK"),
                Ok(Outcome::Throttled),
                "memory skips what it sent"
            );
            assert_eq!(a.update("x", "ERR"), Ok(Outcome::Sent));
            assert_eq!(a.posts(), 2);
            let warned = a.warnings();
            assert_eq!(warned.len(), 1, "{warned:?}");
            let why = match &fault {
                StoreError::Failed(_) => "failed: connection refused;",
                StoreError::Junk(_) => "answered string, not true or false;",
                StoreError::Timeout => "gave no answer within 1000 ms;",
            };
            assert_eq!(
                warned[0],
                fill!("okerr throttleStore.claim for x@proj {} throttling by this process alone (warned once per period)", why)
            );
            // One period later, a failure is logged again.
            a.at(PERIOD).update("x", "OK").unwrap();
            assert_eq!(a.warnings().len(), 2);
        }
    }

    #[test]
    fn the_store_time_limit_is_the_request_timeout_at_most_a_second() {
        let with = |ms: f64| {
            limit_ms(
                &ProjectConfig::from_pairs(&[
                    ("textid".into(), Value::Str("t".into())),
                    ("timeoutMs".into(), Value::Num(ms)),
                ])
                .unwrap(),
            )
        };
        assert_eq!((with(5000.0), with(300.0)), (1000.0, 300.0));
    }

    #[test]
    fn a_store_error_in_the_warning_is_masked_and_cut() {
        let (store, a, _) = fleet();
        let long = "x".repeat(10_000);
        store
            .faults
            .borrow_mut()
            .push_back(StoreError::Failed(fill!(
                "redis://:CANARY-SECRET@cache refused {}",
                long
            )));
        a.update("x", "OK").unwrap();
        let warned = a.warnings();
        assert!(!warned[0].contains("CANARY"), "{warned:?}");
        assert!(warned[0].len() < 600, "{}", warned[0].len());
    }

    #[test]
    fn a_store_skip_of_another_value_makes_memory_send_should_the_store_fail() {
        let (store, a, b) = fleet();
        a.update("x", "OK").unwrap();
        b.update("x", "ERR").unwrap();
        assert_eq!(a.update("x", "ERR"), Ok(Outcome::Throttled));
        // The server holds B's ERR; A's memory sent OK. With the store down, A's OK goes out.
        store.faults.borrow_mut().push_back(StoreError::Timeout);
        assert_eq!(a.update("x", "OK"), Ok(Outcome::Sent));
    }

    #[test]
    fn a_failed_claim_then_a_failed_send_releases_whatever_the_store_may_hold() {
        let (store, a, _) = fleet();
        store.faults.borrow_mut().push_back(StoreError::Timeout);
        a.rt.answer(400, "Bad secret");
        assert!(a.update("x", "OK").is_err());
        assert_eq!(store.releases.borrow().len(), 1);
    }

    #[test]
    fn a_release_that_fails_is_warned_about() {
        let (store, a, _) = fleet();
        a.rt.answer(400, "Bad secret");
        store
            .release_faults
            .borrow_mut()
            .push_back(StoreError::Failed("gone".into()));
        assert!(a.update("x", "OK").is_err());
        let warned = a.warnings();
        assert!(
            warned.iter().any(|w| w
                .starts_with("okerr throttleStore.release for x@proj failed: gone; throttling")),
            "{warned:?}"
        );
    }

    #[test]
    fn no_store_is_asked_when_throttling_is_off_or_in_a_dry_run() {
        for extra in [
            ("throttleSeconds", Value::Num(0.0)),
            ("dryRun", Value::Bool(true)),
        ] {
            let store = Rc::new(Store::default());
            let a = Process::new(&store, &[extra]);
            a.update("x", "OK").unwrap();
            a.update("x", "OK").unwrap();
            assert!(store.claims.borrow().is_empty());
        }
    }

    #[test]
    fn with_a_store_no_update_is_skipped_without_asking_it() {
        let (_, a, _) = fleet();
        let ind = a.indicator("n");
        a.update("n", "1").unwrap();
        assert!(!a.p.skips_any_value(&a.rt, &ind));
        assert_eq!(
            a.p.hint(&a.rt, &ind, "1"),
            None,
            "no answer without the store"
        );
        a.update("x", "OK").unwrap();
        assert_eq!(a.p.hint(&a.rt, &a.indicator("x"), "OK"), None);
        let alone = Project::new(config(&[
            ("textid", text("proj")),
            ("url", text("http://127.0.0.1:9/")),
            ("direct", Value::Bool(true)),
        ]));
        let rt = Scripted::default();
        let ind = alone
            .indicator("n", &[("method".into(), Value::Str("numerical".into()))])
            .unwrap();
        let begun = alone.begin_update(&rt, &ind, "1", None).unwrap();
        block_on(alone.finish(&rt, &ind, begun, OnFailure::Reject)).unwrap();
        assert!(alone.skips_any_value(&rt, &ind), "without a store it does");
    }
}
