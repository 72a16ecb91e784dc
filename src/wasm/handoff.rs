//! [`Runtime::handoff`](crate::runtime::Runtime::handoff) in JS: a task that waits for work
//! another task does resumes in its own request context, whoever finishes that work.
//!
//! Cloudflare Workers give each request a context of its own. wasm-bindgen's executor polls a
//! woken task at once, in the context of whatever woke it: a task woken by another request's
//! director answer would do its own I/O on that request's behalf (cancelled when that request
//! ends) and settle its promise from there, which workerd refuses ("A promise was resolved or
//! rejected from a different request context"), and the request hangs. So the waker handed to
//! the other task only resolves a promise made here, in the waiting task's context, and the
//! waiting task awaits that promise: workerd runs a promise's reactions in the context that
//! made it (compatibility date 2024-10-14 or later, `handle_cross_request_promise_resolution`).
//! Everywhere else there is one context, and this costs one promise per wait, on the rare paths
//! only (a joined director lookup or update, `flush()`).
//!
//! The wait has a time limit of its own, a timer in the waiting task's context (a [`Deadline`]):
//! a task that never finishes (its request cancelled) cannot hold another one for ever.

use super::deadline::Deadline;
use js_sys::{Function, Promise};
use std::cell::RefCell;
use std::future::Future;
use std::sync::Arc;
use std::task::{Wake, Waker};
use wasm_bindgen::prelude::*;

/// The resolve functions of the promises waits are awaiting, by slot; a generation per slot, so
/// a waker kept after its wait ended can never resolve a later wait's promise.
struct Resolvers {
    slots: Vec<(u32, Option<Function>)>,
    free: Vec<u32>,
}

thread_local! {
    static RESOLVERS: RefCell<Resolvers> = const {
        RefCell::new(Resolvers {
            slots: Vec::new(),
            free: Vec::new(),
        })
    };
}

/// The waker handed to the other task: it resolves the waiting task's promise.
struct Resolver {
    slot: u32,
    generation: u32,
}

impl Wake for Resolver {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if let Some(resolve) = take(self.slot, self.generation) {
            // Never throws: a promise's own resolve function.
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    }
}

/// The resolve function in `slot` if it is still `generation`'s, freeing the slot.
fn take(slot: u32, generation: u32) -> Option<Function> {
    RESOLVERS.with(|r| {
        let mut r = r.try_borrow_mut().ok()?;
        let entry = r.slots.get_mut(slot as usize)?;
        if entry.0 != generation {
            return None;
        }
        let resolve = entry.1.take()?;
        entry.0 = entry.0.wrapping_add(1);
        r.free.push(slot);
        Some(resolve)
    })
}

/// Keep `resolve` in a slot: its slot and generation.
fn keep(resolve: Function) -> Option<(u32, u32)> {
    RESOLVERS.with(|r| {
        let mut r = r.try_borrow_mut().ok()?;
        let slot = match r.free.pop() {
            Some(slot) => slot,
            None => {
                r.slots.push((0, None));
                (r.slots.len() - 1) as u32
            }
        };
        let entry = &mut r.slots[slot as usize];
        entry.1 = Some(resolve);
        Some((slot, entry.0))
    })
}

/// A waker and the wait it ends: `true` when woken, `false` when `limit_ms` passed first.
pub fn handoff(limit_ms: f64) -> (Waker, impl Future<Output = bool> + 'static) {
    let mut resolve = None;
    // Made now, in the context of the task that is waiting: its reactions run there.
    let promise = Promise::new(&mut |ok, _| resolve = Some(ok));
    let kept = resolve.and_then(keep);
    let waker = match kept {
        Some((slot, generation)) => Waker::from(Arc::new(Resolver { slot, generation })),
        // The executor runs synchronously and the table is never borrowed across JS: this is
        // not reached. A waker that does nothing makes a wait that ends at its time limit.
        None => Waker::noop().clone(),
    };
    let wait = async move {
        // No timer (the application's `setTimeout` or `bind` throws): the limit counts as
        // reached at once, and the caller decides what a wait it cannot make comes to.
        let woken = match Deadline::start(limit_ms) {
            Ok(deadline) => deadline.race(promise.into()).await.is_ok(),
            Err(_) => false,
        };
        if !woken {
            // Settle the promise nobody resolved, so the deadline's slot is given back.
            if let Some(resolve) = kept.and_then(|(slot, generation)| take(slot, generation)) {
                let _ = resolve.call0(&JsValue::UNDEFINED);
            }
        }
        woken
    };
    (waker, wait)
}
