//! The work a project has in flight (updates with their director lookups and retries, API
//! calls), so that `project.flush()` can wait for everything started before it: the last thing
//! a Worker hands to `ctx.waitUntil`, or a Node script awaits before `process.exit()`.

use crate::base::error::{invalid, Error};
use crate::engine::runtime::Runtime;

use crate::base::value::Value;
use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use std::task::Waker;

/// What `flush()` resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flushed {
    /// How many of the operations in flight when `flush()` was called have settled since.
    pub settled: usize,
    /// How many of them were still in flight when it resolved (its time limit passed first).
    pub pending: usize,
}

/// The operations in flight, each with a ticket in the order they started.
#[derive(Debug, Default)]
pub struct InFlight {
    state: RefCell<State>,
}

#[derive(Debug, Default)]
struct State {
    next: u64,
    /// Tickets in flight, in ascending order (each new one is the largest yet): a plain sorted
    /// `Vec` costs the .wasm far less than a `BTreeSet`, and a project has few in flight.
    pending: Vec<u64>,
    waiters: Vec<Waker>,
}

/// One operation in flight; it counts as settled when this is dropped, so an operation that
/// ends in any way (an answer, an error, a future dropped half-way) never holds a flush up.
#[derive(Debug)]
pub struct Tracked {
    inflight: Rc<InFlight>,
    ticket: u64,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        let waiters = {
            let mut s = self.inflight.state.borrow_mut();
            if let Ok(at) = s.pending.binary_search(&self.ticket) {
                s.pending.remove(at);
            }
            std::mem::take(&mut s.waiters)
        };
        // Each waiter looks again at what is left; those still waiting register anew.
        waiters.into_iter().for_each(Waker::wake);
    }
}

impl InFlight {
    /// Count an operation as in flight until the returned value is dropped.
    pub fn track(self: &Rc<Self>) -> Tracked {
        let mut s = self.state.borrow_mut();
        let ticket = s.next;
        s.next += 1;
        s.pending.push(ticket);
        Tracked {
            inflight: Rc::clone(self),
            ticket,
        }
    }

    /// How many operations are in flight now.
    pub fn len(&self) -> usize {
        self.state.borrow().pending.len()
    }

    /// True when nothing is in flight.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn pending_before(&self, mark: u64) -> usize {
        self.state.borrow().pending.partition_point(|&t| t < mark)
    }

    /// Wait until every operation started before this call has settled, or until `limit_ms`
    /// (`None` for none) has passed, whichever comes first. What counts as "before" is fixed by
    /// this call itself, not by the first poll of the future, which a JS executor runs later.
    /// The operations may belong to other requests (a Worker's `ctx.waitUntil(flush())`): the
    /// wait goes through [`Runtime::handoff`], so it always resumes in the caller's context.
    /// Never fails: the counts say how it ended.
    pub fn flush<R: Runtime + 'static>(
        self: &Rc<Self>,
        rt: Rc<R>,
        limit_ms: Option<f64>,
    ) -> impl Future<Output = Flushed> + 'static {
        let mark = self.state.borrow().next;
        let before = self.pending_before(mark);
        let inflight = Rc::clone(self);
        let end = limit_ms.map(|ms| rt.now_ms() + ms);
        async move {
            while inflight.pending_before(mark) > 0 {
                let left = end.map_or(MAX_TIMER_MS, |end| end - rt.now_ms());
                if left <= 0.0 {
                    break;
                }
                let (waker, woken) = rt.handoff(left.min(MAX_TIMER_MS));
                inflight.state.borrow_mut().waiters.push(waker);
                if !woken.await && end.is_some() {
                    break;
                }
            }
            let pending = inflight.pending_before(mark);
            Flushed {
                settled: before - pending,
                pending,
            }
        }
    }
}

/// The longest time limit a JS timer takes (`setTimeout` fires at once for a longer one).
const MAX_TIMER_MS: f64 = 2_147_483_647.0;

/// `flush(timeoutMs)`'s limit: `None` for none (absent, or `Infinity`), milliseconds otherwise.
/// Anything but a number from 0 up is a mistake, which `flush()` logs rather than rejects.
pub fn time_limit(value: &Value) -> Result<Option<f64>, Error> {
    match value {
        Value::Absent => Ok(None),
        Value::Num(n) if *n == f64::INFINITY => Ok(None),
        Value::Num(n) if n.is_finite() && *n >= 0.0 => Ok(Some(n.min(MAX_TIMER_MS))),
        other => {
            let got = match other {
                Value::Num(_) => "a negative number or NaN",
                v => v.type_name(),
            };
            Err(invalid!(
                "flush(timeoutMs): timeoutMs must be a number of milliseconds from 0 up, got {}; \
                 waiting without a limit",
                got
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_runtime::Scripted;
    use std::pin::pin;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;
    use std::task::{Context, Poll, Wake};

    /// Polls `f` once with a waker that counts its wakes in `wakes`.
    fn poll_once<F: Future>(f: std::pin::Pin<&mut F>, wakes: &Arc<Count>) -> Poll<F::Output> {
        let waker = Waker::from(Arc::clone(wakes));
        f.poll(&mut Context::from_waker(&waker))
    }

    #[derive(Default)]
    struct Count(AtomicU32);

    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }

    impl Count {
        fn get(&self) -> u32 {
            self.0.load(Ordering::Relaxed)
        }
    }

    #[test]
    fn waits_for_what_started_before_and_not_after() {
        let inflight = Rc::new(InFlight::default());
        let rt = Rc::new(Scripted::default());
        let a = inflight.track();
        let b = inflight.track();
        let wakes = Arc::new(Count::default());
        let mut flush = pin!(inflight.flush(Rc::clone(&rt), None));
        assert!(poll_once(flush.as_mut(), &wakes).is_pending());
        let later = inflight.track();
        drop(a);
        assert_eq!(wakes.get(), 1, "woken through the hand-off");
        assert!(poll_once(flush.as_mut(), &wakes).is_pending());
        drop(b);
        assert_eq!(
            poll_once(flush.as_mut(), &wakes),
            Poll::Ready(Flushed {
                settled: 2,
                pending: 0
            }),
            "what started after the flush does not hold it up"
        );
        assert_eq!(inflight.len(), 1);
        drop(later);
        assert!(inflight.is_empty());
    }

    #[test]
    fn time_limits() {
        assert_eq!(time_limit(&Value::Absent), Ok(None));
        assert_eq!(time_limit(&Value::Num(f64::INFINITY)), Ok(None));
        assert_eq!(time_limit(&Value::Num(0.0)), Ok(Some(0.0)));
        assert_eq!(time_limit(&Value::Num(1e12)), Ok(Some(MAX_TIMER_MS)));
        for bad in [
            Value::Num(-1.0),
            Value::Num(f64::NAN),
            Value::Num(f64::NEG_INFINITY),
            Value::Str("5000".into()),
        ] {
            let e = time_limit(&bad).unwrap_err();
            assert_eq!(e.code, crate::base::error::Code::InvalidArgument);
            assert!(
                e.message.ends_with("waiting without a limit"),
                "{}",
                e.message
            );
        }
    }

    #[test]
    fn nothing_in_flight_resolves_at_once() {
        let inflight = Rc::new(InFlight::default());
        let wakes = Arc::new(Count::default());
        let flush = pin!(inflight.flush(Rc::new(Scripted::default()), None));
        assert_eq!(
            poll_once(flush, &wakes),
            Poll::Ready(Flushed {
                settled: 0,
                pending: 0
            })
        );
    }

    #[test]
    fn the_time_limit_ends_it_with_what_is_still_pending() {
        let inflight = Rc::new(InFlight::default());
        let _stuck = inflight.track();
        let done = inflight.track();
        drop(done);
        let _other = inflight.track();
        let wakes = Arc::new(Count::default());
        let rt = Rc::new(Scripted::default());
        let mut flush = pin!(inflight.flush(Rc::clone(&rt), Some(1000.0)));
        assert!(poll_once(flush.as_mut(), &wakes).is_pending());
        rt.expire_handoffs();
        assert_eq!(
            poll_once(flush, &wakes),
            Poll::Ready(Flushed {
                settled: 0,
                pending: 2
            })
        );
    }
}
