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
//! its exchange ends (the deadline came first) is given to no other exchange until it has.
//!
//! A deadline alone is also the face's timer: a retry's pause and `flush()`'s time limit wait
//! for one to pass ([`Deadline::passed`]).

use super::exchange::Stop;
use super::global::{clear_timeout, set_timeout};
use js_sys::{Function, Promise};
use std::cell::RefCell;
use std::future::poll_fn;
use std::task::{Poll, Waker};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// `Promise.resolve(value)`: a promise of whatever a caller's `fetch` handed back. Caught:
    /// a value's `constructor` getter may throw.
    #[wasm_bindgen(catch, js_namespace = Promise, js_name = resolve)]
    pub(super) fn to_promise(value: &JsValue) -> Result<Promise, JsValue>;

    /// `Promise.prototype.then.call(promise, ok, err)`: the engine's own `then`, not one the
    /// promise carries, so each handler runs at most once, and never before this returns.
    /// Caught: a promise subclass's species constructor may throw.
    #[wasm_bindgen(catch, js_namespace = ["Promise", "prototype", "then"], js_name = call)]
    pub(super) fn then(
        promise: &Promise,
        ok: &Function,
        err: &Function,
    ) -> Result<JsValue, JsValue>;

    /// The handler below, as JS sees it.
    type Handler;
    /// `handler.bind(undefined, slot, what)`.
    #[wasm_bindgen(method)]
    fn bind(this: &Handler, this_arg: &JsValue, slot: u32, what: u32) -> Function;
}

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
    /// The handler bound to this slot for each `what`, made by the first exchange to hold it.
    handlers: Option<[Function; 3]>,
    /// An exchange holds the slot.
    held: bool,
    /// A promise carries this slot's handlers and has not settled: until it has, the slot is
    /// given to no other exchange.
    armed: bool,
    state: State,
    waker: Option<Waker>,
}

struct Table {
    slots: Vec<Slot>,
    free: Vec<u32>,
}

/// A slot no table ever has: a handler bound to it does nothing.
const NO_SLOT: u32 = u32::MAX;

thread_local! {
    // Initialised at compile time: a lazy initialiser costs the .wasm hundreds of bytes.
    static TABLE: RefCell<Table> = const {
        RefCell::new(Table {
            slots: Vec::new(),
            free: Vec::new(),
        })
    };
    /// `(slot, what, value)`: the one handler every slot binds.
    static HANDLER: Closure<dyn FnMut(u32, u32, JsValue)> = Closure::new(settle);
}

/// Let `promise` settle unobserved: its rejection (a cancelled body's) is handled and ignored,
/// where it would otherwise be an unhandled rejection (fatal under
/// `--unhandled-rejections=strict`). The handler bound to [`NO_SLOT`] does it: a closure of
/// its own would cost the .wasm an export and its shims, and a thread-local to keep it one
/// more initialiser; a body is cancelled only on the rare paths (too long, a step failed or
/// timed out), where one more `bind` does not count.
pub fn ignore(promise: &Promise) {
    let nowhere = HANDLER.with(|handler| {
        let handler: &Handler = handler.as_ref().unchecked_ref();
        handler.bind(&JsValue::UNDEFINED, NO_SLOT, REJECTED)
    });
    let _ = then(promise, &nowhere, &nowhere);
}

/// A handler ran: record it in its slot and wake the waiting step. Runs from the JS event
/// loop, never inside a borrow of the table (no JS is called while one is held);
/// `try_borrow_mut` keeps even that from panicking.
fn settle(slot: u32, what: u32, value: JsValue) {
    let waker = TABLE.with(|table| {
        let mut table = table.try_borrow_mut().ok()?;
        let table = &mut *table;
        let s = table.slots.get_mut(slot as usize)?;
        if what == EXPIRED {
            // The timer is cleared when the exchange ends: it only fires for the holder.
            if s.held {
                s.state = State::Expired;
            }
        } else {
            s.armed = false;
            if !s.held {
                // The answer came after its exchange gave up: the slot is free now.
                table.free.push(slot);
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
    /// Start the clock: `ms` from now, every step still waiting is [`Stop::Timeout`].
    pub fn start(ms: f64) -> Deadline {
        // No JS is called while the table is borrowed (`bind` and `setTimeout` may be an
        // application's own, and call back into a project): a new slot is reserved first, held
        // and so given to no one else, and gets its handlers after.
        let (slot, handlers) = TABLE.with(|table| {
            let mut table = table.borrow_mut();
            let slot = match table.free.pop() {
                Some(slot) => slot,
                None => {
                    table.slots.push(Slot {
                        handlers: None,
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
            (slot, s.handlers.clone())
        });
        let [fulfilled, rejected, expired] = handlers.unwrap_or_else(|| {
            let made = HANDLER.with(|handler| {
                let handler: &Handler = handler.as_ref().unchecked_ref();
                [FULFILLED, REJECTED, EXPIRED]
                    .map(|what| handler.bind(&JsValue::UNDEFINED, slot, what))
            });
            TABLE.with(|table| {
                table.borrow_mut().slots[slot as usize].handlers = Some(made.clone())
            });
            made
        });
        Deadline {
            slot,
            fulfilled,
            rejected,
            timer: set_timeout(&expired, ms),
        }
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
        clear_timeout(&self.timer);
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
            if !s.armed {
                table.free.push(self.slot);
            }
        });
    }
}
