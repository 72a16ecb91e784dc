//! When an update may be skipped: the reference client's rule with its faults fixed.
//!
//! Within the throttle period after a successful send, a numerical indicator skips every update
//! and any other skips an unchanged status. A failed send is not a send. While a send is in
//! flight, an update the throttle would skip once it succeeds shares that send's result instead
//! of going out again. `P` is whatever the caller shares an in-flight result with (a JS Promise
//! in the wasm face), so this file stays free of JS types.

use crate::method::Kind;

/// Per-indicator throttle state, shared by every indicator object of the same name.
#[derive(Debug)]
pub struct Throttle<P> {
    last: Option<(f64, String)>,
    inflight: Option<Inflight<P>>,
    next_ticket: u64,
}

#[derive(Debug)]
struct Inflight<P> {
    ticket: u64,
    status: String,
    shared: Option<P>,
}

/// What to do with an update.
#[derive(Debug, PartialEq)]
pub enum Decision<P> {
    /// Send it; report the outcome with this ticket.
    Send(u64),
    /// Skip it: the same value went out within the period.
    Skip,
    /// Wait for this in-flight send of the same value instead.
    Join(P),
}

impl<P> Default for Throttle<P> {
    fn default() -> Self {
        Throttle {
            last: None,
            inflight: None,
            next_ticket: 0,
        }
    }
}

impl<P: Clone> Throttle<P> {
    /// Decide for `status` at `now_ms`. A `period_ms` of 0 turns throttling off: every update is sent.
    pub fn decide(&mut self, kind: Kind, status: &str, now_ms: f64, period_ms: f64) -> Decision<P> {
        if period_ms > 0.0 {
            let same = |s: &str| kind == Kind::Numerical || s == status;
            if let Some(Inflight {
                status: s,
                shared: Some(p),
                ..
            }) = &self.inflight
            {
                if same(s) {
                    return Decision::Join(p.clone());
                }
            }
            if let Some((at, s)) = &self.last {
                if now_ms < at + period_ms && now_ms >= *at && same(s) {
                    return Decision::Skip;
                }
            }
        }
        self.next_ticket += 1;
        self.inflight = Some(Inflight {
            ticket: self.next_ticket,
            status: status.to_string(),
            shared: None,
        });
        Decision::Send(self.next_ticket)
    }

    /// True when [`Throttle::decide`] for a numerical indicator would skip any value at `now_ms`
    /// (a send in flight is joined instead, so it does not count).
    pub fn skips_any_value(&self, now_ms: f64, period_ms: f64) -> bool {
        period_ms > 0.0
            && self.inflight.is_none()
            && self.last.as_ref().is_some_and(|(at, _)| now_ms >= *at && now_ms < at + period_ms)
    }

    /// Make the send with `ticket` joinable through `shared`.
    pub fn share(&mut self, ticket: u64, shared: P) {
        if let Some(inflight) = self.inflight.as_mut().filter(|i| i.ticket == ticket) {
            inflight.shared = Some(shared);
        }
    }

    /// Record the end of the send with `ticket`: `Some(now)` when it was accepted.
    pub fn finish(&mut self, ticket: u64, status: &str, accepted_at: Option<f64>) {
        if let Some(at) = accepted_at {
            self.last = Some((at, status.to_string()));
        }
        if self.inflight.as_ref().is_some_and(|i| i.ticket == ticket) {
            self.inflight = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: f64 = 300_000.0;

    fn sent(t: &mut Throttle<u8>, kind: Kind, status: &str, now: f64) {
        let Decision::Send(ticket) = t.decide(kind, status, now, P) else {
            panic!("expected a send")
        };
        t.finish(ticket, status, Some(now));
    }

    #[test]
    fn heartbeat_skips_same_status_within_period_only() {
        let mut t = Throttle::<u8>::default();
        sent(&mut t, Kind::Heartbeat, "OK", 0.0);
        assert_eq!(t.decide(Kind::Heartbeat, "OK", 1000.0, P), Decision::Skip);
        assert!(matches!(
            t.decide(Kind::Heartbeat, "ERR", 1000.0, P),
            Decision::Send(_)
        ));
        let mut t = Throttle::<u8>::default();
        sent(&mut t, Kind::Heartbeat, "OK", 0.0);
        assert!(matches!(
            t.decide(Kind::Heartbeat, "OK", P, P),
            Decision::Send(_)
        ));
    }

    #[test]
    fn numerical_skips_any_value_within_period() {
        let mut t = Throttle::<u8>::default();
        sent(&mut t, Kind::Numerical, "1", 0.0);
        assert_eq!(t.decide(Kind::Numerical, "2", 10.0, P), Decision::Skip);
    }

    #[test]
    fn a_failed_send_is_not_a_send() {
        let mut t = Throttle::<u8>::default();
        let Decision::Send(ticket) = t.decide(Kind::Heartbeat, "OK", 0.0, P) else {
            panic!()
        };
        t.finish(ticket, "OK", None);
        assert!(matches!(
            t.decide(Kind::Heartbeat, "OK", 1.0, P),
            Decision::Send(_)
        ));
    }

    #[test]
    fn concurrent_identical_updates_join_the_send_in_flight() {
        let mut t = Throttle::<u8>::default();
        let Decision::Send(ticket) = t.decide(Kind::Heartbeat, "OK", 0.0, P) else {
            panic!()
        };
        t.share(ticket, 7);
        assert_eq!(t.decide(Kind::Heartbeat, "OK", 1.0, P), Decision::Join(7));
        let Decision::Send(other) = t.decide(Kind::Heartbeat, "ERR", 1.0, P) else {
            panic!()
        };
        t.finish(ticket, "OK", Some(2.0));
        t.finish(other, "ERR", Some(3.0));
        assert_eq!(t.decide(Kind::Heartbeat, "ERR", 4.0, P), Decision::Skip);
    }

    #[test]
    fn skips_any_value_agrees_with_decide_for_numerical() {
        let mut t = Throttle::<u8>::default();
        assert!(!t.skips_any_value(0.0, P), "nothing sent yet");
        sent(&mut t, Kind::Numerical, "1", 0.0);
        assert!(t.skips_any_value(10.0, P));
        assert_eq!(t.decide(Kind::Numerical, "2", 10.0, P), Decision::Skip);
        assert!(!t.skips_any_value(P, P), "the period is over");
        assert!(!t.skips_any_value(10.0, 0.0), "throttling is off");
        let Decision::Send(_) = t.decide(Kind::Numerical, "3", P, P) else { panic!() };
        assert!(!t.skips_any_value(P + 1.0, P), "a send in flight is joined, not skipped");
    }

    #[test]
    fn period_zero_sends_everything() {
        let mut t = Throttle::<u8>::default();
        sent(&mut t, Kind::Numerical, "1", 0.0);
        assert!(matches!(
            t.decide(Kind::Numerical, "1", 0.0, 0.0),
            Decision::Send(_)
        ));
    }

    #[test]
    fn a_clock_that_went_back_does_not_throttle_forever() {
        let mut t = Throttle::<u8>::default();
        sent(&mut t, Kind::Heartbeat, "OK", 1_000_000.0);
        assert!(matches!(
            t.decide(Kind::Heartbeat, "OK", 5.0, P),
            Decision::Send(_)
        ));
    }
}
