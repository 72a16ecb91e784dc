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

use super::exchange::Stop;
use super::global::{clear_timeout, set_timeout};
use js_sys::{Function, Promise};
use std::cell::RefCell;
use std::future::poll_fn;
use std::task::{Poll, Waker};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// How many slots may wait, abandoned by their exchange, for a promise that has not settled;
/// one more, and they are all retired. An abandoned slot costs a few dozen bytes of wasm
/// memory and three small JS functions, so the table holds at most the exchanges running at
/// once and this many more.
pub const MAX_ABANDONED: u32 = 1024;

#[wasm_bindgen]
extern "C" {
    /// `Promise.resolve(value)`: a promise of whatever a caller's `fetch` handed back. Caught:
    /// a value's `constructor` getter may throw.
    #[wasm_bindgen(catch, js_namespace = Promise, js_name = resolve)]
    fn to_promise(value: &JsValue) -> Result<Promise, JsValue>;

    /// `Promise.prototype.then.call(promise, ok, err)`: the engine's own `then`, not one the
    /// promise carries, so each handler runs at most once, and never before this returns.
    /// Caught: a promise subclass's species constructor may throw.
    #[wasm_bindgen(catch, js_namespace = ["Promise", "prototype", "then"], js_name = call)]
    fn then(promise: &Promise, ok: &Function, err: &Function) -> Result<JsValue, JsValue>;

    /// The handler below, as JS sees it.
    type Handler;
    /// `handler.bind(undefined, slot, what, generation)`. Caught: an application may have
    /// replaced `Function.prototype.bind`; what it gives back is checked to be a function.
    #[wasm_bindgen(method, catch)]
    fn bind(
        this: &Handler,
        this_arg: &JsValue,
        slot: u32,
        what: u32,
        generation: f64,
    ) -> Result<JsValue, JsValue>;
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
