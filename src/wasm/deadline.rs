//! Awaiting the JS promises of one exchange under a hard deadline, without a closure per await.
//!
//! `JsFuture` makes two JS closures for every promise it awaits (each registered with a
//! `FinalizationRegistry` and unregistered after), and racing a deadline through
//! `Promise.race` adds an array and a promise more: together about 6 µs of each await on the
//! send path, three awaits per update. Here an exchange takes a slot of a table, and each slot
//! has its handlers, bound to it once, when it was made: an await only registers them on its
//! promise, and the timer marks the slot as out of time and wakes the waiting step.
//!
//! A late answer can never reach the wrong exchange: a slot whose promise has not settled when
//! its exchange ends (the deadline came first) is *abandoned*, and given to no other exchange
//! until that promise settles. At most [`MAX_ABANDONED`] slots wait so, which bounds the table
//! when promises never settle (a caller's `fetch` that hangs for ever): past that, every
//! abandoned slot is *retired*: its generation goes up and its handlers are dropped, so that
//! what its promise or timer still calls (bound to the old generation) reaches nothing, and it
//! is free again. A late answer is dropped unread either way; retiring only costs the slot's
//! next holder three `bind`s.
//!
//! `setTimeout`, `clearTimeout` and `Function.prototype.bind` are whatever the application
//! left on the global object: each is called through an import that catches. A deadline that
//! cannot be started is an error for its exchange (nothing is sent); a timer that could not be
//! cleared retires its slot, so that it can fire into no later exchange.
//!
//! A deadline alone is also the face's timer: a retry's pause and `flush()`'s time limit wait
//! for one to pass ([`Deadline::passed`]).
//!
//! A slot's life (`held`: an exchange holds it; `armed`: a promise carries its handlers):
//!
//! ```text
//!              start                       race: handlers on a promise
//!     free ───────────▶ held ─────────────────────────────────────▶ held+armed
//!     ▲ ▲                │  ◀─────────────── the promise settles ────────── │
//!     │ └──── drop ──────┤                                                  │ drop (timed out,
//!     │                  │ drop, clearTimeout threw                         │ or cancelled)
//!     │                  ▼                                                  ▼
//!     ├───────────── retired ◀────── one more than MAX_ABANDONED ────── abandoned
//!     └──────────────────────────── the promise settles ────────────────────┘
//! ```
//!
//! The timer firing while the slot is held (armed or not) only marks it expired: every step of
//! its exchange from then on is [`Stop::Timeout`].
//!
//! Retired: its generation goes up and its handlers are dropped, so a late promise or timer
//! (bound to the old generation) changes nothing; the next holder binds new handlers.

use super::sys::{clear_timeout, set_timeout, then, to_promise, Handler};
use js_sys::{Function, Promise};
use std::cell::RefCell;
use std::future::poll_fn;
use std::task::{Poll, Waker};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Why an exchange stopped early: mostly its deadline, so the reasons live beside it.
#[cfg_attr(test, derive(Debug))]
pub enum Stop {
    /// The deadline passed.
    Timeout,
    /// `fetch`, or reading the answer, failed with this JS value.
    Failed(JsValue),
    /// `fetch` resolved to something that is not a `Response`.
    NotResponse,
    /// The deadline could not be started (the application's `setTimeout` or `bind` threw
    /// this): nothing was sent.
    Clock(JsValue),
}

/// How many slots may wait, abandoned by their exchange, for a promise that has not settled;
/// one more, and they are all retired. An abandoned slot costs a few dozen bytes of wasm
/// memory and three small JS functions, so the table holds at most the exchanges running at
/// once and this many more.
pub const MAX_ABANDONED: u32 = 1024;

/// What the handler is told, bound as its second argument (and its place in `handlers`).
const FULFILLED: u32 = 0;
const REJECTED: u32 = 1;
const EXPIRED: u32 = 2;

enum State {
    /// No step is waiting, or its promise has not settled.
    Waiting,
    /// The waiting step's promise settled so.
    Settled(Result<JsValue, JsValue>),
    /// The deadline passed: every step from now on is [`Stop::Timeout`].
    Expired,
}

struct Slot {
    /// The handler bound to this slot and generation for each `what`, made by the first
    /// exchange to hold it since it was made or retired.
    handlers: Option<[Function; 3]>,
    /// Goes up each time the slot is retired; a handler bound to another does nothing. A
    /// float: it would take 2^53 retirements of one slot to come round.
    generation: f64,
    /// An exchange holds the slot.
    held: bool,
    /// A promise carries this slot's handlers and has not settled: until it has, the slot is
    /// given to no other exchange.
    armed: bool,
    state: State,
    waker: Option<Waker>,
}

impl Slot {
    /// Cut the slot from its handlers: whatever still calls them (a promise that settles
    /// late, a timer that was not cleared) reaches nothing, and the slot can be given out.
    fn retire(&mut self) {
        self.generation += 1.0;
        self.handlers = None;
        self.armed = false;
    }
}

struct Table {
    slots: Vec<Slot>,
    free: Vec<u32>,
    /// How many slots no exchange holds while a promise carries their handlers: at most
    /// [`MAX_ABANDONED`].
    abandoned: u32,
}

impl Table {
    /// Give `slot` back: it is free at once, unless a promise still carries its handlers.
    fn release(&mut self, slot: u32) {
        let Some(s) = self.slots.get_mut(slot as usize) else {
            return;
        };
        if !s.armed {
            self.free.push(slot);
            return;
        }
        self.abandoned += 1;
        if self.abandoned > MAX_ABANDONED {
            // One pass over the table after every MAX_ABANDONED abandoned slots.
            for (i, s) in self.slots.iter_mut().enumerate() {
                if s.armed && !s.held {
                    s.retire();
                    self.free.push(i as u32);
                }
            }
            self.abandoned = 0;
        }
    }
}

/// A slot no table ever has: a handler bound to it does nothing.
const NO_SLOT: u32 = u32::MAX;

thread_local! {
    // Initialised at compile time: a lazy initialiser costs the .wasm hundreds of bytes.
    static TABLE: RefCell<Table> = const {
        RefCell::new(Table {
            slots: Vec::new(),
            free: Vec::new(),
            abandoned: 0,
        })
    };
    /// `(slot, what, generation, value)`: the one handler every slot binds.
    static HANDLER: Closure<dyn FnMut(u32, u32, f64, JsValue)> = Closure::new(settle);
}

/// The handler bound to `slot`, `what` and `generation`; `Err` holds what `bind` threw, or
/// what it gave back instead of a function.
fn bound(slot: u32, what: u32, generation: f64) -> Result<Function, JsValue> {
    HANDLER
        .with(|handler| {
            let handler: &Handler = handler.as_ref().unchecked_ref();
            handler.bind(&JsValue::UNDEFINED, slot, what, generation)
        })?
        .dyn_into()
}

/// Let `promise` settle unobserved: its rejection (a cancelled body's) is handled and ignored,
/// where it would otherwise be an unhandled rejection (fatal under
/// `--unhandled-rejections=strict`). The handler bound to [`NO_SLOT`] does it: a closure of
/// its own would cost the .wasm an export and its shims, and a thread-local to keep it one
/// more initialiser; a body is cancelled only on the rare paths (too long, a step failed or
/// timed out), where one more `bind` does not count.
pub fn ignore(promise: &Promise) {
    if let Ok(nowhere) = bound(NO_SLOT, REJECTED, 0.0) {
        let _ = then(promise, &nowhere, &nowhere);
    }
}

/// A handler ran: record it in its slot and wake the waiting step. Runs from the JS event
/// loop, never inside a borrow of the table (no JS is called while one is held);
/// `try_borrow_mut` keeps even that from panicking.
fn settle(slot: u32, what: u32, generation: f64, value: JsValue) {
    let waker = TABLE.with(|table| {
        let mut table = table.try_borrow_mut().ok()?;
        let table = &mut *table;
        let s = table.slots.get_mut(slot as usize)?;
        if s.generation != generation {
            // Bound before the slot was retired: its exchange is long over.
            return None;
        }
        if what == EXPIRED {
            // The timer is cleared when the exchange ends (or the slot retired): it only fires
            // for the holder.
            if s.held {
                s.state = State::Expired;
            }
        } else {
            let was_armed = std::mem::replace(&mut s.armed, false);
            if !s.held {
                // The answer came after its exchange gave up: the slot is free now (once: a
                // `then` an application replaced may call a handler twice).
                if was_armed {
                    table.abandoned = table.abandoned.saturating_sub(1);
                    table.free.push(slot);
                }
                return None;
            }
            if matches!(s.state, State::Waiting) {
                s.state = State::Settled(if what == FULFILLED {
                    Ok(value)
                } else {
                    Err(value)
                });
            }
        }
        s.waker.take()
    });
    if let Some(waker) = waker {
        waker.wake();
    }
}

/// One exchange's deadline and its slot; the timer is cleared and the slot given back when
/// dropped, so a finished exchange leaves no timer to keep a Node process alive.
pub struct Deadline {
    slot: u32,
    /// The slot's fulfilled and rejected handlers, to register on each step's promise.
    fulfilled: Function,
    rejected: Function,
    timer: JsValue,
}

impl Deadline {
    /// Start the clock: `ms` from now, every step still waiting is [`Stop::Timeout`]. `Err`
    /// holds what the application's `bind` or `setTimeout` threw: there is no deadline, and
    /// the slot is back in the table.
    pub fn start(ms: f64) -> Result<Deadline, JsValue> {
        // No JS is called while the table is borrowed (`bind` and `setTimeout` may be an
        // application's own, and call back into a project): a new slot is reserved first, held
        // and so given to no one else, and gets its handlers after.
        let (slot, generation, handlers) = TABLE.with(|table| {
            let mut table = table.borrow_mut();
            let slot = match table.free.pop() {
                Some(slot) => slot,
                None => {
                    table.slots.push(Slot {
                        handlers: None,
                        generation: 0.0,
                        held: false,
                        armed: false,
                        state: State::Waiting,
                        waker: None,
                    });
                    (table.slots.len() - 1) as u32
                }
            };
            let s = &mut table.slots[slot as usize];
            s.held = true;
            s.state = State::Waiting;
            (slot, s.generation, s.handlers.clone())
        });
        let handlers = match handlers {
            Some(handlers) => Ok(handlers),
            None => Deadline::bind(slot, generation),
        };
        let started = handlers.and_then(|[fulfilled, rejected, expired]| {
            let timer = set_timeout(&expired, ms)?;
            Ok(Deadline {
                slot,
                fulfilled,
                rejected,
                timer,
            })
        });
        if started.is_err() {
            // A `setTimeout` that threw may have armed a timer all the same: retired, the slot
            // can be given out again without that timer reaching its next holder.
            TABLE.with(|table| {
                let mut table = table.borrow_mut();
                if let Some(s) = table.slots.get_mut(slot as usize) {
                    s.held = false;
                    s.retire();
                    table.free.push(slot);
                }
            });
        }
        started
    }

    /// Bind the handlers of a slot that has none (new, or retired); they are kept in the slot
    /// for as long as it is not retired.
    fn bind(slot: u32, generation: f64) -> Result<[Function; 3], JsValue> {
        let made = [
            bound(slot, FULFILLED, generation)?,
            bound(slot, REJECTED, generation)?,
            bound(slot, EXPIRED, generation)?,
        ];
        // Still this generation: the slot is held, and a held slot is never retired by others.
        TABLE.with(|table| table.borrow_mut().slots[slot as usize].handlers = Some(made.clone()));
        Ok(made)
    }

    /// `pending` (a promise or any value) settled, or [`Stop::Timeout`] when the deadline
    /// comes first. One step at a time: the exchange awaits each before it starts the next.
    pub async fn race(&self, pending: JsValue) -> Result<JsValue, Stop> {
        if self.with_slot(|s| matches!(s.state, State::Expired)) != Some(false) {
            return Err(Stop::Timeout);
        }
        let registered =
            to_promise(&pending).and_then(|p| then(&p, &self.fulfilled, &self.rejected));
        if let Err(thrown) = registered {
            return Err(Stop::Failed(thrown));
        }
        self.with_slot(|s| s.armed = true);
        poll_fn(|cx| {
            self.with_slot(|s| match std::mem::replace(&mut s.state, State::Waiting) {
                State::Expired => {
                    s.state = State::Expired;
                    Poll::Ready(Err(Stop::Timeout))
                }
                State::Settled(Ok(value)) => Poll::Ready(Ok(value)),
                State::Settled(Err(thrown)) => Poll::Ready(Err(Stop::Failed(thrown))),
                State::Waiting => {
                    s.waker = Some(cx.waker().clone());
                    Poll::Pending
                }
            })
            // The slot is this exchange's until it is dropped; gone would be a bug, and an
            // error is better than a wait that never ends.
            .unwrap_or(Poll::Ready(Err(Stop::Timeout)))
        })
        .await
    }

    /// Done when the deadline has passed: a timer to wait for (a retry's pause, `flush()`'s time
    /// limit) through the same slot and handler, so the face needs no `JsFuture` of its own.
    pub async fn passed(&self) {
        poll_fn(|cx| {
            self.with_slot(|s| match s.state {
                State::Expired => Poll::Ready(()),
                _ => {
                    s.waker = Some(cx.waker().clone());
                    Poll::Pending
                }
            })
            // As in `race`: a slot gone would be a bug, and an end beats a wait for ever.
            .unwrap_or(Poll::Ready(()))
        })
        .await
    }

    fn with_slot<T>(&self, f: impl FnOnce(&mut Slot) -> T) -> Option<T> {
        TABLE.with(|table| {
            let mut table = table.try_borrow_mut().ok()?;
            table.slots.get_mut(self.slot as usize).map(f)
        })
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        let cleared = clear_timeout(&self.timer).is_ok();
        TABLE.with(|table| {
            let Ok(mut table) = table.try_borrow_mut() else {
                return;
            };
            let Some(s) = table.slots.get_mut(self.slot as usize) else {
                return;
            };
            s.held = false;
            s.waker = None;
            s.state = State::Waiting;
            if !cleared {
                // The timer may still fire: only a new generation keeps it from the next holder.
                s.retire();
            }
            table.release(self.slot);
        });
    }
}

// The face's own tests, run in Node by wasm-bindgen-test (`cargo test --target
// wasm32-unknown-unknown --lib`; .cargo/config.toml names the runner, `make test` runs them).
// The table is one per instance and the tests share it, so each looks at its own slots.
#[cfg(test)]
mod tests {
    use super::*;
    use std::future::Future;
    use std::pin::pin;
    use std::task::Context;
    use wasm_bindgen_futures::JsFuture;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// A promise and the function that fulfils it.
    fn pending() -> (Promise, Function) {
        let mut fulfil = None;
        let promise = Promise::new(&mut |ok, _| fulfil = Some(ok));
        (promise, fulfil.unwrap())
    }

    fn never() -> Promise {
        Promise::new(&mut |_, _| {})
    }

    /// Let `ms` pass on the event loop (every handler due by then has run).
    async fn sleep(ms: f64) {
        let p = Promise::new(&mut |ok, _| {
            set_timeout(&ok, ms).unwrap();
        });
        JsFuture::from(p).await.unwrap();
    }

    fn with_table<T>(f: impl FnOnce(&mut Table) -> T) -> T {
        TABLE.with(|table| f(&mut table.borrow_mut()))
    }

    fn is_free(slot: u32) -> bool {
        with_table(|t| t.free.contains(&slot))
    }

    fn generation(slot: u32) -> f64 {
        with_table(|t| t.slots[slot as usize].generation)
    }

    /// Start `race` on `promise` and drop it after its first poll, as a cancelled task's
    /// future is dropped: the handlers are on the promise, and nobody waits.
    fn cancel(deadline: &Deadline, promise: Promise) {
        let mut race = pin!(deadline.race(promise.into()));
        let mut cx = Context::from_waker(Waker::noop());
        assert!(race.as_mut().poll(&mut cx).is_pending());
    }

    /// `target[name]` replaced by `value` for as long as it lives, as an application may
    /// replace what the face calls.
    struct Replaced {
        target: JsValue,
        name: &'static str,
        saved: JsValue,
    }

    impl Replaced {
        fn new(target: JsValue, name: &'static str, value: &JsValue) -> Replaced {
            let saved = js_sys::Reflect::get(&target, &name.into()).unwrap();
            js_sys::Reflect::set(&target, &name.into(), value).unwrap();
            Replaced {
                target,
                name,
                saved,
            }
        }

        /// `globalThis[name]` a function that throws.
        fn throwing(name: &'static str) -> Replaced {
            let thrower = Function::new_no_args("throw new Error('the application says no')");
            Replaced::new(js_sys::global().into(), name, &thrower)
        }
    }

    impl Drop for Replaced {
        fn drop(&mut self) {
            js_sys::Reflect::set(&self.target, &self.name.into(), &self.saved).unwrap();
        }
    }

    #[wasm_bindgen_test]
    async fn a_finished_exchange_gives_its_slot_and_handlers_to_the_next() {
        let first = Deadline::start(10_000.0).unwrap();
        let slot = first.slot;
        let (promise, fulfil) = pending();
        fulfil.call1(&JsValue::NULL, &7.into()).unwrap();
        assert_eq!(first.race(promise.into()).await.unwrap(), 7);
        // A value that is not a promise is awaited as one.
        assert_eq!(first.race("plain".into()).await.unwrap(), "plain");
        let handlers = with_table(|t| t.slots[slot as usize].handlers.clone()).unwrap();
        drop(first);
        assert!(is_free(slot));

        let next = Deadline::start(10_000.0).unwrap();
        assert_eq!(next.slot, slot, "the slot is taken again");
        assert_eq!(
            next.fulfilled, handlers[0],
            "with the handlers bound when it was made"
        );
        let (promise, fulfil) = pending();
        fulfil.call1(&JsValue::NULL, &8.into()).unwrap();
        assert_eq!(next.race(promise.into()).await.unwrap(), 8);
    }

    #[wasm_bindgen_test]
    async fn a_promise_that_never_settles_times_out_and_keeps_its_slot_from_others() {
        let deadline = Deadline::start(5.0).unwrap();
        let slot = deadline.slot;
        assert!(matches!(
            deadline.race(never().into()).await,
            Err(Stop::Timeout)
        ));
        // Every later step of the exchange is out of time at once.
        assert!(matches!(deadline.race(1.into()).await, Err(Stop::Timeout)));
        let abandoned = with_table(|t| t.abandoned);
        drop(deadline);
        assert!(!is_free(slot), "a promise may still call its handlers");
        assert_eq!(with_table(|t| t.abandoned), abandoned + 1);
        let other = Deadline::start(10_000.0).unwrap();
        assert_ne!(other.slot, slot);
    }

    #[wasm_bindgen_test]
    async fn a_cancelled_race_frees_its_slot_when_the_promise_settles_and_delivers_nothing() {
        let deadline = Deadline::start(10_000.0).unwrap();
        let slot = deadline.slot;
        let (promise, fulfil) = pending();
        cancel(&deadline, promise);
        drop(deadline);
        assert!(!is_free(slot));

        fulfil.call1(&JsValue::NULL, &"late".into()).unwrap();
        sleep(0.0).await;
        assert!(is_free(slot), "free once the promise settled");
        let next = Deadline::start(10_000.0).unwrap();
        assert_eq!(next.slot, slot);
        // The late answer went nowhere: the next holder waits for its own.
        assert!(next
            .with_slot(|s| matches!(s.state, State::Waiting))
            .unwrap());
        assert_eq!(next.race(9.into()).await.unwrap(), 9);
    }

    #[wasm_bindgen_test]
    async fn past_the_bound_every_abandoned_slot_is_retired_and_late_answers_reach_nothing() {
        // One slot abandoned with a promise we settle later, then enough more to pass the bound.
        let first = Deadline::start(10_000.0).unwrap();
        let slot = first.slot;
        let old = generation(slot);
        let (promise, fulfil) = pending();
        cancel(&first, promise);
        drop(first);
        while generation(slot) == old {
            let d = Deadline::start(10_000.0).unwrap();
            cancel(&d, never());
        }
        assert!(is_free(slot), "retired, so free");
        assert_eq!(with_table(|t| t.abandoned), 0);
        assert!(with_table(|t| t.slots.len()) <= 2 * MAX_ABANDONED as usize + 8);

        // The next holder of that slot binds new handlers; the old promise settling is ignored.
        let mut held = Vec::new();
        let next = loop {
            let d = Deadline::start(10_000.0).unwrap();
            if d.slot == slot {
                break d;
            }
            held.push(d);
        };
        assert_ne!(generation(slot), old);
        fulfil.call1(&JsValue::NULL, &"late".into()).unwrap();
        sleep(0.0).await;
        assert!(next
            .with_slot(|s| matches!(s.state, State::Waiting))
            .unwrap());
        assert_eq!(next.race(10.into()).await.unwrap(), 10);
    }

    #[wasm_bindgen_test]
    async fn a_timer_that_fires_after_its_exchange_ended_reaches_no_later_one() {
        let slot = {
            let _no_clear = Replaced::throwing("clearTimeout");
            let deadline = Deadline::start(1.0).unwrap();
            let slot = deadline.slot;
            let old = generation(slot);
            drop(deadline);
            // The timer could not be cleared: the slot is retired, then free.
            assert_ne!(generation(slot), old);
            assert!(is_free(slot));
            slot
        };
        let next = Deadline::start(10_000.0).unwrap();
        assert_eq!(next.slot, slot);
        sleep(20.0).await;
        assert!(next
            .with_slot(|s| matches!(s.state, State::Waiting))
            .unwrap());
        assert_eq!(next.race(11.into()).await.unwrap(), 11);
    }

    #[wasm_bindgen_test]
    async fn a_deadline_whose_timer_cannot_start_is_an_error_and_leaves_its_slot_free() {
        let before = with_table(|t| (t.slots.len(), t.free.len()));
        {
            let _no_timer = Replaced::throwing("setTimeout");
            assert!(Deadline::start(10.0).is_err());
        }
        let after = with_table(|t| (t.slots.len(), t.free.len()));
        assert_eq!(
            after.0 - after.1,
            before.0 - before.1,
            "no slot is left held"
        );
        let deadline = Deadline::start(1.0).unwrap();
        deadline.passed().await;
        assert!(matches!(
            deadline.race(never().into()).await,
            Err(Stop::Timeout)
        ));
    }

    #[wasm_bindgen_test]
    async fn a_handler_called_twice_frees_its_slot_once() {
        // An application's `then` that keeps the handler, to call it as often as it likes.
        let prototype = js_sys::Reflect::get(&js_sys::global(), &"Promise".into())
            .and_then(|p| js_sys::Reflect::get(&p, &"prototype".into()))
            .unwrap();
        let keeping = Function::new_with_args("ok", "globalThis.__okerrKept = ok");
        let deadline = Deadline::start(10_000.0).unwrap();
        let slot = deadline.slot;
        {
            let _then = Replaced::new(prototype, "then", &keeping);
            cancel(&deadline, never());
        }
        drop(deadline);
        let kept: Function = js_sys::Reflect::get(&js_sys::global(), &"__okerrKept".into())
            .unwrap()
            .into();
        kept.call1(&JsValue::NULL, &1.into()).unwrap();
        kept.call1(&JsValue::NULL, &2.into()).unwrap();
        assert_eq!(
            with_table(|t| t.free.iter().filter(|&&s| s == slot).count()),
            1
        );
        // Two exchanges at once hold two slots.
        let (a, b) = (Deadline::start(1e4).unwrap(), Deadline::start(1e4).unwrap());
        assert_ne!(a.slot, b.slot);
    }
}
