//! When an update may be skipped: the reference client's rule with its faults fixed.
//!
//! Within the throttle period after a successful send, a numerical indicator skips every update
//! and any other skips an unchanged status. A failed send is not a send. While a send is in
//! flight, an update the throttle would skip once it succeeds shares that send's result instead
//! of going out again.

use crate::method::Kind;
use crate::shared::Shared;
use crate::update::Sent;

/// Per-indicator throttle state, shared by every indicator object of the same name.
#[derive(Debug, Default)]
pub struct Throttle {
    last: Option<(f64, String)>,
    inflight: Option<Inflight>,
    next_ticket: u64,
}

#[derive(Debug)]
struct Inflight {
    ticket: u64,
    status: String,
    result: Shared<Sent>,
}

/// What to do with an update.
#[derive(Debug)]
pub enum Decision {
    /// Send it; report the outcome with this ticket, and give its result to `result`, which
    /// identical updates meanwhile wait for.
    Send(u64, Shared<Sent>),
    /// Skip it: the same value went out within the period.
    Skip,
    /// Wait for this in-flight send of the same value instead.
    Join(Shared<Sent>),
}

impl Throttle {
    /// Decide for `status` at `now_ms`. A `period_ms` of 0 turns throttling off: every update is sent.
    pub fn decide(&mut self, kind: Kind, status: &str, now_ms: f64, period_ms: f64) -> Decision {
        if period_ms > 0.0 {
            let same = |s: &str| kind == Kind::Numerical || s == status;
            match &self.inflight {
                Some(Inflight {
                    status: s, result, ..
                }) => {
                    if same(s) {
                        return Decision::Join(result.clone());
                    }
                    // Another value is on its way: what went out before says nothing about what
                    // the server will hold, so this one is sent.
                }
                None => {
                    if let Some((at, s)) = &self.last {
                        if now_ms < at + period_ms && now_ms >= *at && same(s) {
                            return Decision::Skip;
                        }
                    }
                }
            }
        }
        self.next_ticket += 1;
        let result = Shared::default();
        self.inflight = Some(Inflight {
            ticket: self.next_ticket,
            status: status.to_string(),
            result: result.clone(),
        });
        Decision::Send(self.next_ticket, result)
    }

    /// True when [`Throttle::decide`] for a numerical indicator would skip any value at `now_ms`
    /// (a send in flight is joined instead, so it does not count).
    pub fn skips_any_value(&self, now_ms: f64, period_ms: f64) -> bool {
        period_ms > 0.0
            && self.inflight.is_none()
            && self
                .last
                .as_ref()
                .is_some_and(|(at, _)| now_ms >= *at && now_ms < at + period_ms)
    }

    /// Record the end of the send with `ticket`: `Some(now)` when it was accepted.
    ///
    /// Only the update started last says what the server holds: an older one answered later
    /// was stored before it (`OK` answered slowly, `ERR` at once: the server holds `ERR`). And
    /// when the one started last failed, the server may or may not have it (a timeout after it
    /// was stored), so nothing is skipped until the next send is accepted.
    pub fn finish(&mut self, ticket: u64, status: &str, accepted_at: Option<f64>) {
        if ticket == self.next_ticket {
            self.last = accepted_at.map(|at| (at, status.to_string()));
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

    fn sent(t: &mut Throttle, kind: Kind, status: &str, now: f64) {
        let Decision::Send(ticket, _) = t.decide(kind, status, now, P) else {
            panic!("expected a send")
        };
        t.finish(ticket, status, Some(now));
    }

    #[test]
    fn heartbeat_skips_same_status_within_period_only() {
        let mut t = Throttle::default();
        sent(&mut t, Kind::Heartbeat, "OK", 0.0);
        assert!(matches!(
            t.decide(Kind::Heartbeat, "OK", 1000.0, P),
            Decision::Skip
        ));
        assert!(matches!(
            t.decide(Kind::Heartbeat, "ERR", 1000.0, P),
            Decision::Send(..)
        ));
        let mut t = Throttle::default();
        sent(&mut t, Kind::Heartbeat, "OK", 0.0);
        assert!(matches!(
            t.decide(Kind::Heartbeat, "OK", P, P),
            Decision::Send(..)
        ));
    }

    #[test]
    fn numerical_skips_any_value_within_period() {
        let mut t = Throttle::default();
        sent(&mut t, Kind::Numerical, "1", 0.0);
        assert!(matches!(
            t.decide(Kind::Numerical, "2", 10.0, P),
            Decision::Skip
        ));
    }

    #[test]
    fn a_failed_send_is_not_a_send() {
        let mut t = Throttle::default();
        let Decision::Send(ticket, _) = t.decide(Kind::Heartbeat, "OK", 0.0, P) else {
            panic!()
        };
        t.finish(ticket, "OK", None);
        assert!(matches!(
            t.decide(Kind::Heartbeat, "OK", 1.0, P),
            Decision::Send(..)
        ));
    }

    #[test]
    fn the_update_started_last_decides_not_the_one_answered_last() {
        let mut t = Throttle::default();
        let Decision::Send(slow_ok, _) = t.decide(Kind::Heartbeat, "OK", 0.0, P) else {
            panic!()
        };
        let Decision::Send(fast_err, _) = t.decide(Kind::Heartbeat, "ERR", 1.0, P) else {
            panic!()
        };
        t.finish(fast_err, "ERR", Some(2.0));
        t.finish(slow_ok, "OK", Some(3.0));
        assert!(
            matches!(t.decide(Kind::Heartbeat, "OK", 4.0, P), Decision::Send(..)),
            "the server holds ERR: OK must go out"
        );
    }

    #[test]
    fn a_different_value_in_flight_means_the_last_one_sent_is_not_skipped() {
        let mut t = Throttle::default();
        sent(&mut t, Kind::Heartbeat, "OK", 0.0);
        let Decision::Send(err, _) = t.decide(Kind::Heartbeat, "ERR", 1.0, P) else {
            panic!()
        };
        assert!(
            matches!(t.decide(Kind::Heartbeat, "OK", 2.0, P), Decision::Send(..)),
            "ERR will land after the earlier OK: this OK must go out"
        );
        t.finish(err, "ERR", Some(3.0));
    }

    #[test]
    fn a_failure_of_the_latest_update_skips_nothing_until_a_send_is_accepted() {
        let mut t = Throttle::default();
        sent(&mut t, Kind::Heartbeat, "OK", 0.0);
        let Decision::Send(err, _) = t.decide(Kind::Heartbeat, "ERR", 1.0, P) else {
            panic!()
        };
        t.finish(err, "ERR", None);
        assert!(
            matches!(t.decide(Kind::Heartbeat, "OK", 2.0, P), Decision::Send(..)),
            "the failed ERR may have been stored"
        );
    }

    #[test]
    fn concurrent_identical_updates_join_the_send_in_flight() {
        let mut t = Throttle::default();
        let Decision::Send(ticket, _) = t.decide(Kind::Heartbeat, "OK", 0.0, P) else {
            panic!()
        };
        assert!(matches!(
            t.decide(Kind::Heartbeat, "OK", 1.0, P),
            Decision::Join(_)
        ));
        let Decision::Send(other, _) = t.decide(Kind::Heartbeat, "ERR", 1.0, P) else {
            panic!()
        };
        t.finish(ticket, "OK", Some(2.0));
        t.finish(other, "ERR", Some(3.0));
        assert!(matches!(
            t.decide(Kind::Heartbeat, "ERR", 4.0, P),
            Decision::Skip
        ));
    }

    #[test]
    fn skips_any_value_agrees_with_decide_for_numerical() {
        let mut t = Throttle::default();
        assert!(!t.skips_any_value(0.0, P), "nothing sent yet");
        sent(&mut t, Kind::Numerical, "1", 0.0);
        assert!(t.skips_any_value(10.0, P));
        assert!(matches!(
            t.decide(Kind::Numerical, "2", 10.0, P),
            Decision::Skip
        ));
        assert!(!t.skips_any_value(P, P), "the period is over");
        assert!(!t.skips_any_value(10.0, 0.0), "throttling is off");
        let Decision::Send(_, _) = t.decide(Kind::Numerical, "3", P, P) else {
            panic!()
        };
        assert!(
            !t.skips_any_value(P + 1.0, P),
            "a send in flight is joined, not skipped"
        );
    }

    #[test]
    fn period_zero_sends_everything() {
        let mut t = Throttle::default();
        sent(&mut t, Kind::Numerical, "1", 0.0);
        assert!(matches!(
            t.decide(Kind::Numerical, "1", 0.0, 0.0),
            Decision::Send(..)
        ));
    }

    #[test]
    fn a_clock_that_went_back_does_not_throttle_forever() {
        let mut t = Throttle::default();
        sent(&mut t, Kind::Heartbeat, "OK", 1_000_000.0);
        assert!(matches!(
            t.decide(Kind::Heartbeat, "OK", 5.0, P),
            Decision::Send(..)
        ));
    }
}
