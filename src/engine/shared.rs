//! A result that several waiters share: set once by whoever does the work, awaited by the rest.
//! Concurrent updates wait for one director lookup this way, and an update identical to one in
//! flight waits for that one's result instead of sending again.
//!
//! The waiters may belong to other requests than the worker: in Cloudflare Workers each request
//! has a context of its own, and a task polled from another request's context does its I/O on
//! that request's behalf (cancelled with it) and settles its promise from there (which workerd
//! refuses). So a waiter is never woken directly: it waits through
//! [`Runtime::handoff`], which resumes it in its own context,
//! and never longer than the worker's own hard limit, since a worker whose request was cancelled
//! never finishes.

use crate::engine::runtime::Runtime;
use std::cell::RefCell;
use std::rc::Rc;
use std::task::Waker;

/// A value to come, shared by every clone.
pub struct Shared<T> {
    state: Rc<RefCell<State<T>>>,
}

struct State<T> {
    value: Option<T>,
    waiters: Vec<Waker>,
    /// When the work began ([`Runtime::now_ms`]): after its hard limit, nobody waits for it.
    started_ms: f64,
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared {
            state: Rc::clone(&self.state),
        }
    }
}

impl<T> std::fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let set = self.state.borrow().value.is_some();
        f.write_str(if set {
            "Shared(set)"
        } else {
            "Shared(pending)"
        })
    }
}

impl<T: Clone> Shared<T> {
    /// Work beginning at `now_ms`, its value to come.
    pub fn new(now_ms: f64) -> Self {
        Shared {
            state: Rc::new(RefCell::new(State {
                value: None,
                waiters: Vec::new(),
                started_ms: now_ms,
            })),
        }
    }

    /// Set the value and wake every waiter. Only the first value counts.
    pub fn set(&self, value: T) {
        let waiters = {
            let mut s = self.state.borrow_mut();
            if s.value.is_some() {
                return;
            }
            s.value = Some(value);
            std::mem::take(&mut s.waiters)
        };
        waiters.into_iter().for_each(Waker::wake);
    }

    /// True when `other` is a clone of this one.
    pub fn same(&self, other: &Shared<T>) -> bool {
        Rc::ptr_eq(&self.state, &other.state)
    }

    /// The value, if it is set.
    pub fn get(&self) -> Option<T> {
        self.state.borrow().value.clone()
    }

    /// True when the work began `limit_ms` or more before `now_ms` and has no value yet: its
    /// worker is past its own hard limit, so it was stopped from outside (a Workers request
    /// cancelled with its I/O) and will never finish. A clock that went back counts too.
    pub fn abandoned(&self, now_ms: f64, limit_ms: f64) -> bool {
        let s = self.state.borrow();
        s.value.is_none() && !(now_ms >= s.started_ms && now_ms - s.started_ms < limit_ms)
    }

    /// The value once it is set; `None` when it is not set within what is left of `limit_ms`
    /// from the start of the work (see [`Shared::abandoned`]). Resumes in the caller's own
    /// context, whoever sets it.
    pub async fn wait<R: Runtime>(&self, rt: &R, limit_ms: f64) -> Option<T> {
        loop {
            if let Some(value) = self.get() {
                return Some(value);
            }
            let now = rt.now_ms();
            if self.abandoned(now, limit_ms) {
                return None;
            }
            let left = self.state.borrow().started_ms + limit_ms - now;
            let (waker, woken) = rt.handoff(left);
            self.state.borrow_mut().waiters.push(waker);
            if !woken.await {
                // The limit passed first (whatever a runtime's clock says about it).
                return self.get();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_runtime::Scripted;
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll};

    #[test]
    fn every_waiter_gets_the_first_value() {
        let rt = Scripted::default();
        let shared = Shared::<u8>::new(0.0);
        let other = shared.clone();
        let mut cx = Context::from_waker(Waker::noop());
        let mut waiting = pin!(other.wait(&rt, 1000.0));
        assert!(waiting.as_mut().poll(&mut cx).is_pending());
        shared.set(7);
        shared.set(8);
        assert_eq!(waiting.as_mut().poll(&mut cx), Poll::Ready(Some(7)));
        assert_eq!(
            pin!(shared.wait(&rt, 1000.0)).poll(&mut cx),
            Poll::Ready(Some(7))
        );
    }

    #[test]
    fn nobody_waits_for_work_past_its_hard_limit() {
        let rt = Scripted::default();
        let shared = Shared::<u8>::new(0.0);
        let mut cx = Context::from_waker(Waker::noop());
        let mut waiting = pin!(shared.wait(&rt, 1000.0));
        assert!(waiting.as_mut().poll(&mut cx).is_pending());
        rt.now.set(1000.0);
        rt.expire_handoffs();
        assert_eq!(waiting.as_mut().poll(&mut cx), Poll::Ready(None));
        assert!(shared.abandoned(1000.0, 1000.0));
        assert!(!shared.abandoned(999.0, 1000.0));
        assert!(shared.abandoned(-1.0, 1000.0), "a clock that went back");
        shared.set(1);
        assert!(!shared.abandoned(5000.0, 1000.0), "set is never abandoned");
    }
}
