//! A result that several waiters share: set once by whoever does the work, awaited by the rest.
//! Concurrent updates wait for one director lookup this way, and an update identical to one in
//! flight waits for that one's result instead of sending again.

use std::cell::RefCell;
use std::future::poll_fn;
use std::rc::Rc;
use std::task::{Poll, Waker};

/// A value to come, shared by every clone.
pub struct Shared<T> {
    state: Rc<RefCell<State<T>>>,
}

struct State<T> {
    value: Option<T>,
    waiters: Vec<Waker>,
}

impl<T> Default for Shared<T> {
    fn default() -> Self {
        Shared {
            state: Rc::new(RefCell::new(State {
                value: None,
                waiters: Vec::new(),
            })),
        }
    }
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
        write!(f, "Shared({})", if set { "set" } else { "pending" })
    }
}

impl<T: Clone> Shared<T> {
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

    /// The value, once it is set.
    pub async fn wait(&self) -> T {
        poll_fn(|cx| {
            let mut s = self.state.borrow_mut();
            match &s.value {
                Some(v) => Poll::Ready(v.clone()),
                None => {
                    s.waiters.push(cx.waker().clone());
                    Poll::Pending
                }
            }
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::future::Future;
    use std::pin::pin;
    use std::task::Context;

    #[test]
    fn every_waiter_gets_the_first_value() {
        let shared = Shared::<u8>::default();
        let other = shared.clone();
        let mut cx = Context::from_waker(Waker::noop());
        let mut waiting = pin!(other.wait());
        assert!(waiting.as_mut().poll(&mut cx).is_pending());
        shared.set(7);
        shared.set(8);
        assert_eq!(waiting.as_mut().poll(&mut cx), Poll::Ready(7));
        assert_eq!(pin!(shared.wait()).poll(&mut cx), Poll::Ready(7));
    }
}
