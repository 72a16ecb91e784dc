//! Awaiting the JS promises of one exchange under a hard deadline, without a closure per await.
//!
//! `JsFuture` makes two JS closures for every promise it awaits (each registered with a
//! `FinalizationRegistry` and unregistered after), and racing a deadline through
//! `Promise.race` adds an array and a promise more: together about 6 µs of each await on the
//! send path, three awaits per update. Here one handler serves every await of the process:
//! each exchange takes a slot in a table, binds the handler to its slot once, and each step
//! only registers the bound handlers on its promise. The timer resolves nothing: it marks the
//! slot as out of time and wakes the waiting step.

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
    fn to_promise(value: &JsValue) -> Result<Promise, JsValue>;

    /// `Promise.prototype.then.call(promise, ok, err)`: the engine's own `then`, not one the
    /// promise carries, so each handler runs at most once, and never before this returns.
    /// Caught: a promise subclass's species constructor may throw.
    #[wasm_bindgen(catch, js_namespace = ["Promise", "prototype", "then"], js_name = call)]
    fn then(promise: &Promise, ok: &Function, err: &Function) -> Result<JsValue, JsValue>;

    /// The handler below, as JS sees it.
    type Handler;
    /// `handler.bind(undefined, slot, id, what)`.
    #[wasm_bindgen(method)]
    fn bind(this: &Handler, this_arg: &JsValue, slot: u32, id: u32, what: u32) -> Function;
}

/// What the handler is told, bound as its third argument.
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
    /// Which exchange holds the slot: a handler bound for an exchange that has ended (its
    /// promise settled late, after the deadline) finds another id and changes nothing.
    id: u32,
    state: State,
    waker: Option<Waker>,
}

#[derive(Default)]
struct Table {
    slots: Vec<Option<Slot>>,
    free: Vec<u32>,
    /// The next exchange's id. It wraps after 2^32 exchanges; a handler would have to stay
    /// pending through all of them on the same slot to be mistaken for a later exchange's.
    next_id: u32,
}

thread_local! {
    static TABLE: RefCell<Table> = RefCell::default();
    /// `(slot, id, what, value)`: the one handler every exchange binds.
    static HANDLER: Closure<dyn FnMut(u32, u32, u32, JsValue)> = Closure::new(settle);
}

/// A handler ran: record it in the slot, if the slot still belongs to its exchange and a step
/// is waiting, and wake that step. Runs from the JS event loop, never inside a borrow of the
/// table (no JS is called while one is held); `try_borrow_mut` keeps even that from panicking.
fn settle(slot: u32, id: u32, what: u32, value: JsValue) {
    let waker = TABLE.with(|table| {
        let mut table = table.try_borrow_mut().ok()?;
        let slot = table.slots.get_mut(slot as usize)?.as_mut()?;
        if slot.id != id {
            return None;
        }
        slot.state = match (&slot.state, what) {
            (State::Expired, _) => return None,
            (_, EXPIRED) => State::Expired,
            (State::Waiting, FULFILLED) => State::Settled(Ok(value)),
            (State::Waiting, _) => State::Settled(Err(value)),
            (State::Settled(_), _) => return None,
        };
        slot.waker.take()
    });
    if let Some(waker) = waker {
        waker.wake();
    }
}

/// One exchange's deadline and its slot; the timer is cleared and the slot freed when dropped,
/// so a finished exchange leaves no timer to keep a Node process alive.
pub struct Deadline {
    slot: u32,
    id: u32,
    fulfilled: Function,
    rejected: Function,
    timer: JsValue,
}

impl Deadline {
    /// Start the clock: `ms` from now, every step still waiting is [`Stop::Timeout`].
    pub fn start(ms: u32) -> Deadline {
        let (slot, id) = TABLE.with(|table| {
            let mut table = table.borrow_mut();
            let id = table.next_id;
            table.next_id = id.wrapping_add(1);
            let fresh = Slot {
                id,
                state: State::Waiting,
                waker: None,
            };
            let slot = match table.free.pop() {
                Some(slot) => slot,
                None => {
                    table.slots.push(None);
                    (table.slots.len() - 1) as u32
                }
            };
            table.slots[slot as usize] = Some(fresh);
            (slot, id)
        });
        let bound = |what: u32| -> Function {
            HANDLER.with(|handler| {
                let handler: &Handler = handler.as_ref().unchecked_ref();
                handler.bind(&JsValue::UNDEFINED, slot, id, what)
            })
        };
        let timer = set_timeout(&bound(EXPIRED), f64::from(ms));
        Deadline {
            slot,
            id,
            fulfilled: bound(FULFILLED),
            rejected: bound(REJECTED),
            timer,
        }
    }

    /// `pending` (a promise or any value) settled, or [`Stop::Timeout`] when the deadline
    /// comes first. One step at a time: the exchange awaits each before it starts the next.
    pub async fn race(&self, pending: JsValue) -> Result<JsValue, Stop> {
        if self.with_slot(|slot| matches!(slot.state, State::Expired)) != Some(false) {
            return Err(Stop::Timeout);
        }
        let registered =
            to_promise(&pending).and_then(|p| then(&p, &self.fulfilled, &self.rejected));
        if let Err(thrown) = registered {
            return Err(Stop::Failed(thrown));
        }
        poll_fn(|cx| {
            self.with_slot(
                |slot| match std::mem::replace(&mut slot.state, State::Waiting) {
                    State::Expired => {
                        slot.state = State::Expired;
                        Poll::Ready(Err(Stop::Timeout))
                    }
                    State::Settled(Ok(value)) => Poll::Ready(Ok(value)),
                    State::Settled(Err(thrown)) => Poll::Ready(Err(Stop::Failed(thrown))),
                    State::Waiting => {
                        slot.waker = Some(cx.waker().clone());
                        Poll::Pending
                    }
                },
            )
            // The slot is this exchange's until it is dropped; gone would be a bug, and an
            // error is better than a wait that never ends.
            .unwrap_or(Poll::Ready(Err(Stop::Timeout)))
        })
        .await
    }

    fn with_slot<T>(&self, f: impl FnOnce(&mut Slot) -> T) -> Option<T> {
        TABLE.with(|table| {
            let mut table = table.try_borrow_mut().ok()?;
            let slot = table.slots.get_mut(self.slot as usize)?.as_mut()?;
            (slot.id == self.id).then(|| f(slot))
        })
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        clear_timeout(&self.timer);
        TABLE.with(|table| {
            if let Ok(mut table) = table.try_borrow_mut() {
                let entry = table.slots.get_mut(self.slot as usize);
                if let Some(entry) = entry.filter(|e| e.as_ref().is_some_and(|s| s.id == self.id)) {
                    *entry = None;
                    table.free.push(self.slot);
                }
            }
        });
    }
}
