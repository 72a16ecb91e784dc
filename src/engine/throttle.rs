//! When an update may be skipped: the reference client's rule with its faults fixed.
//!
//! Within the throttle period after a successful send, a numerical indicator skips every update
//! and any other skips an unchanged status. A failed send is not a send. While a send is in
//! flight, an update the throttle would skip once it succeeds shares that send's result instead
//! of going out again.
//!
//! With a throttle store shared by the fleet ([`crate::engine::store`]), memory never skips: what this
//! process sent says nothing of what another sent since (A sends OK, B sends ERR: A's next OK
//! must go out). It still joins identical updates in flight, so the store is asked once per
//! burst, and its own verdict is the fallback when the store cannot answer.
//!
//! A project keeps the state of every name in a [`Throttles`] table: a hash map, so an update
//! costs the same after a million names as after one, from which the names whose period has
//! passed (nothing in flight) are swept, so memory follows the names inside the window.

use crate::engine::outcome::Sent;
use crate::engine::shared::Shared;
use crate::protocol::method::Kind;
use std::collections::HashMap;
use std::hash::{BuildHasher, DefaultHasher, Hasher};

/// One name's throttle state.
#[derive(Debug, Default)]
pub struct Throttle {
    last: Option<(f64, String)>,
    inflight: Option<Inflight>,
    /// The ticket of the update started last (tickets come from the table, never reused).
    latest: u64,
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
    /// With a shared store only, where memory alone would skip: the store decides, and the
    /// update is skipped should it not answer. Otherwise as [`Decision::Send`].
    Ask(u64, Shared<Sent>),
}

impl Throttle {
    /// Decide for `status` at `now_ms`. A `period_ms` of 0 turns throttling off: every update is sent.
    /// With `shared` (a throttle store decides), a skip becomes [`Decision::Ask`].
    ///
    /// `ticket` is the number a send started now gets: [`Throttles::decide`] hands out each
    /// number once per project, so a send that outlived its name's state (swept, then made
    /// anew) can never be taken for the one started last.
    ///
    /// A send in flight for `limit_ms` (the longest a send can take) or more was stopped from
    /// outside (a Workers request cancelled with its I/O) and never ends: it counts as failed.
    #[allow(clippy::too_many_arguments)] // Each is one of the rule's inputs.
    pub fn decide(
        &mut self,
        kind: Kind,
        status: &str,
        now_ms: f64,
        period_ms: f64,
        limit_ms: f64,
        ticket: u64,
        shared: bool,
    ) -> Decision {
        if self
            .inflight
            .as_ref()
            .is_some_and(|i| i.result.abandoned(now_ms, limit_ms))
        {
            self.inflight = None;
            self.last = None;
        }
        let mut skip = false;
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
                            if !shared {
                                return Decision::Skip;
                            }
                            skip = true;
                        }
                    }
                }
            }
        }
        self.latest = ticket;
        let result = Shared::new(now_ms);
        self.inflight = Some(Inflight {
            ticket,
            status: status.to_string(),
            result: result.clone(),
        });
        if skip {
            Decision::Ask(ticket, result)
        } else {
            Decision::Send(ticket, result)
        }
    }

    /// True while this state can still change a decision at `now_ms`: a send in flight, or a
    /// send accepted within the period. Anything else decides as a name never seen does.
    fn live(&self, now_ms: f64, period_ms: f64, limit_ms: f64) -> bool {
        self.inflight
            .as_ref()
            .is_some_and(|i| !i.result.abandoned(now_ms, limit_ms))
            || self
                .last
                .as_ref()
                .is_some_and(|(at, _)| now_ms >= *at && now_ms < at + period_ms)
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

    /// The send an update is skipped against at `now_ms`: when and what was sent, within the
    /// period and with nothing in flight.
    fn skipping(&self, now_ms: f64, period_ms: f64) -> Option<(f64, &str)> {
        if period_ms <= 0.0 || self.inflight.is_some() {
            return None;
        }
        let (at, status) = self.last.as_ref()?;
        (now_ms >= *at && now_ms < at + period_ms).then_some((*at, status.as_str()))
    }

    /// Record the end of the send with `ticket`: `Some(now)` when it was accepted.
    ///
    /// Only the update started last says what the server holds: an older one answered later
    /// was stored before it (`OK` answered slowly, `ERR` at once: the server holds `ERR`). And
    /// when the one started last failed, the server may or may not have it (a timeout after it
    /// was stored), so nothing is skipped until the next send is accepted.
    pub fn finish(&mut self, ticket: u64, status: &str, accepted_at: Option<f64>) {
        if ticket == self.latest {
            self.last = accepted_at.map(|at| (at, status.to_string()));
        }
        if self.inflight.as_ref().is_some_and(|i| i.ticket == ticket) {
            self.inflight = None;
        }
    }

    /// Record that the update with `ticket` was skipped after all (a store's verdict, or
    /// memory's when the store could not answer): nothing went out. When it is the update
    /// started last and the store skipped another value than the one this process sent last,
    /// the server holds a value this process did not send: memory forgets its own, so that,
    /// should the store fail, it sends rather than skips.
    pub fn skipped(&mut self, ticket: u64, kind: Kind, status: &str) {
        if ticket == self.latest
            && kind != Kind::Numerical
            && self.last.as_ref().is_some_and(|(_, s)| s != status)
        {
            self.last = None;
        }
        if self.inflight.as_ref().is_some_and(|i| i.ticket == ticket) {
            self.inflight = None;
        }
    }
}

/// The fewest names a table holds before it first sweeps: below that, a sweep costs more than
/// the memory it frees.
const SWEEP_FLOOR: usize = 1024;

/// Every name's throttle state, by prepared name.
///
/// Lookups hash the name with a per-project random key, so names an attacker chose (a Worker
/// making one indicator per customer) cannot be crafted to collide. Memory: when the table has
/// grown to twice what the last sweep left (and at least `SWEEP_FLOOR`), the names no longer
/// [live](Throttle) are dropped; each sweep visits at most twice the names it keeps or drops,
/// so its cost spread over the inserts that led to it is constant.
#[derive(Debug)]
pub struct Throttles {
    names: HashMap<String, Throttle, Keyed>,
    /// The size at which the next sweep runs.
    sweep_at: usize,
    /// The last ticket handed out. The first is random: a ticket is also a throttle store's
    /// token ([`crate::engine::store`]), unique across the fleet. It is the two halves of the table's
    /// key combined, which leaves 64 bits of the key unknown to whoever reads the store.
    ticket: u64,
}

/// SipHash-1-3 (std's hasher) keyed by absorbing a random key before the name: the name's
/// place in the table cannot be foreseen without the key.
#[derive(Debug, Clone, Copy)]
struct Keyed(u64, u64);

impl BuildHasher for Keyed {
    type Hasher = DefaultHasher;
    fn build_hasher(&self) -> DefaultHasher {
        let mut h = DefaultHasher::new();
        h.write_u64(self.0);
        h.write_u64(self.1);
        h
    }
}

impl Throttles {
    /// An empty table whose hashing is keyed by `key` (random bits from the runtime).
    pub fn new(key: [u64; 2]) -> Self {
        Throttles {
            names: HashMap::with_hasher(Keyed(key[0], key[1])),
            sweep_at: SWEEP_FLOOR,
            // 63 bits: never near the end of the range.
            ticket: (key[0] ^ key[1]) >> 1,
        }
    }

    /// [`Throttle::decide`] for `name`, whose state is made when it has none.
    #[allow(clippy::too_many_arguments)] // Each is one of the rule's inputs.
    pub fn decide(
        &mut self,
        name: &str,
        kind: Kind,
        status: &str,
        now_ms: f64,
        period_ms: f64,
        limit_ms: f64,
        shared: bool,
    ) -> Decision {
        self.ticket += 1;
        let ticket = self.ticket;
        if let Some(t) = self.names.get_mut(name) {
            return t.decide(kind, status, now_ms, period_ms, limit_ms, ticket, shared);
        }
        if self.names.len() >= self.sweep_at {
            self.sweep(now_ms, period_ms, limit_ms);
        }
        self.names
            .entry(name.to_string())
            .or_default()
            .decide(kind, status, now_ms, period_ms, limit_ms, ticket, shared)
    }

    /// [`Throttle::skips_any_value`] for `name`: false for a name without state.
    pub fn skips_any_value(&self, name: &str, now_ms: f64, period_ms: f64) -> bool {
        self.names
            .get(name)
            .is_some_and(|t| t.skips_any_value(now_ms, period_ms))
    }

    /// When and what `name` last sent, if an update is skipped against it at `now_ms` (within
    /// the period, nothing in flight): an update of the same status (of any number, for a
    /// numerical indicator) is skipped until the period ends, unless another update changes
    /// the state first.
    pub fn skipping(&self, name: &str, now_ms: f64, period_ms: f64) -> Option<(f64, &str)> {
        self.names.get(name)?.skipping(now_ms, period_ms)
    }

    /// [`Throttle::finish`] for `name`. Its state cannot have been swept: a send in flight
    /// keeps it live until this call.
    pub fn finish(&mut self, name: &str, ticket: u64, status: &str, accepted_at: Option<f64>) {
        if let Some(t) = self.names.get_mut(name) {
            t.finish(ticket, status, accepted_at);
        }
    }

    /// [`Throttle::skipped`] for `name`.
    pub fn skipped(&mut self, name: &str, ticket: u64, kind: Kind, status: &str) {
        if let Some(t) = self.names.get_mut(name) {
            t.skipped(ticket, kind, status);
        }
    }

    /// How many names have state now.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when no name has state.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Drop every name that decides as a new one would, and give back the room they took.
    fn sweep(&mut self, now_ms: f64, period_ms: f64, limit_ms: f64) {
        self.names
            .retain(|_, t| t.live(now_ms, period_ms, limit_ms));
        let kept = self.names.len();
        self.sweep_at = SWEEP_FLOOR.max(kept * 2);
        // A table that grew for a burst of names gives its memory back once they are gone; one
        // that only breathes (a wave of names, swept, the next wave) keeps its room, since
        // shrinking and growing again by turns leaves the allocator holes the memory grows by.
        if self.names.capacity() > 4 * self.sweep_at {
            self.names.shrink_to(self.sweep_at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: f64 = 300_000.0;
    /// The longest a send takes, in these tests.
    const L: f64 = 1e12;

    /// A state used on its own, tickets numbered by hand.
    impl Throttle {
        fn next(&mut self, kind: Kind, status: &str, now: f64, period: f64) -> Decision {
            let ticket = self.latest + 1;
            self.decide(kind, status, now, period, L, ticket, false)
        }
    }

    fn sent(t: &mut Throttle, kind: Kind, status: &str, now: f64) {
        let Decision::Send(ticket, _) = t.next(kind, status, now, P) else {
            panic!("expected a send")
        };
        t.finish(ticket, status, Some(now));
    }

    #[test]
    fn heartbeat_skips_same_status_within_period_only() {
        let mut t = Throttle::default();
        sent(&mut t, Kind::Heartbeat, "OK", 0.0);
        assert!(matches!(
            t.next(Kind::Heartbeat, "OK", 1000.0, P),
            Decision::Skip
        ));
        assert!(matches!(
            t.next(Kind::Heartbeat, "ERR", 1000.0, P),
            Decision::Send(..)
        ));
        let mut t = Throttle::default();
        sent(&mut t, Kind::Heartbeat, "OK", 0.0);
        assert!(matches!(
            t.next(Kind::Heartbeat, "OK", P, P),
            Decision::Send(..)
        ));
    }

    #[test]
    fn numerical_skips_any_value_within_period() {
        let mut t = Throttle::default();
        sent(&mut t, Kind::Numerical, "1", 0.0);
        assert!(matches!(
            t.next(Kind::Numerical, "2", 10.0, P),
            Decision::Skip
        ));
    }

    #[test]
    fn a_failed_send_is_not_a_send() {
        let mut t = Throttle::default();
        let Decision::Send(ticket, _) = t.next(Kind::Heartbeat, "OK", 0.0, P) else {
            panic!()
        };
        t.finish(ticket, "OK", None);
        assert!(matches!(
            t.next(Kind::Heartbeat, "OK", 1.0, P),
            Decision::Send(..)
        ));
    }

    #[test]
    fn the_update_started_last_decides_not_the_one_answered_last() {
        let mut t = Throttle::default();
        let Decision::Send(slow_ok, _) = t.next(Kind::Heartbeat, "OK", 0.0, P) else {
            panic!()
        };
        let Decision::Send(fast_err, _) = t.next(Kind::Heartbeat, "ERR", 1.0, P) else {
            panic!()
        };
        t.finish(fast_err, "ERR", Some(2.0));
        t.finish(slow_ok, "OK", Some(3.0));
        assert!(
            matches!(t.next(Kind::Heartbeat, "OK", 4.0, P), Decision::Send(..)),
            "the server holds ERR: OK must go out"
        );
    }

    #[test]
    fn a_different_value_in_flight_means_the_last_one_sent_is_not_skipped() {
        let mut t = Throttle::default();
        sent(&mut t, Kind::Heartbeat, "OK", 0.0);
        let Decision::Send(err, _) = t.next(Kind::Heartbeat, "ERR", 1.0, P) else {
            panic!()
        };
        assert!(
            matches!(t.next(Kind::Heartbeat, "OK", 2.0, P), Decision::Send(..)),
            "ERR will land after the earlier OK: this OK must go out"
        );
        t.finish(err, "ERR", Some(3.0));
    }

    #[test]
    fn a_failure_of_the_latest_update_skips_nothing_until_a_send_is_accepted() {
        let mut t = Throttle::default();
        sent(&mut t, Kind::Heartbeat, "OK", 0.0);
        let Decision::Send(err, _) = t.next(Kind::Heartbeat, "ERR", 1.0, P) else {
            panic!()
        };
        t.finish(err, "ERR", None);
        assert!(
            matches!(t.next(Kind::Heartbeat, "OK", 2.0, P), Decision::Send(..)),
            "the failed ERR may have been stored"
        );
    }

    #[test]
    fn concurrent_identical_updates_join_the_send_in_flight() {
        let mut t = Throttle::default();
        let Decision::Send(ticket, _) = t.next(Kind::Heartbeat, "OK", 0.0, P) else {
            panic!()
        };
        assert!(matches!(
            t.next(Kind::Heartbeat, "OK", 1.0, P),
            Decision::Join(_)
        ));
        let Decision::Send(other, _) = t.next(Kind::Heartbeat, "ERR", 1.0, P) else {
            panic!()
        };
        t.finish(ticket, "OK", Some(2.0));
        t.finish(other, "ERR", Some(3.0));
        assert!(matches!(
            t.next(Kind::Heartbeat, "ERR", 4.0, P),
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
            t.next(Kind::Numerical, "2", 10.0, P),
            Decision::Skip
        ));
        assert!(!t.skips_any_value(P, P), "the period is over");
        assert!(!t.skips_any_value(10.0, 0.0), "throttling is off");
        let Decision::Send(_, _) = t.next(Kind::Numerical, "3", P, P) else {
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
            t.next(Kind::Numerical, "1", 0.0, 0.0),
            Decision::Send(..)
        ));
    }

    #[test]
    fn a_clock_that_went_back_does_not_throttle_forever() {
        let mut t = Throttle::default();
        sent(&mut t, Kind::Heartbeat, "OK", 1_000_000.0);
        assert!(matches!(
            t.next(Kind::Heartbeat, "OK", 5.0, P),
            Decision::Send(..)
        ));
    }

    #[test]
    fn with_a_store_memory_asks_where_it_would_skip_and_still_joins() {
        let mut t = Throttle::default();
        sent(&mut t, Kind::Heartbeat, "OK", 0.0);
        let Decision::Ask(ticket, _) = t.decide(Kind::Heartbeat, "OK", 1.0, P, L, 9, true) else {
            panic!("memory would skip: the store decides")
        };
        assert!(matches!(
            t.decide(Kind::Heartbeat, "OK", 2.0, P, L, 10, true),
            Decision::Join(_)
        ));
        t.skipped(ticket, Kind::Heartbeat, "OK");
        assert!(
            matches!(t.next(Kind::Heartbeat, "OK", 3.0, P), Decision::Skip),
            "a skip leaves what this process sent"
        );
        assert!(matches!(
            t.decide(Kind::Heartbeat, "ERR", 4.0, P, L, 20, true),
            Decision::Send(..)
        ));
    }

    #[test]
    fn a_skip_of_another_value_forgets_the_last_send_unless_numerical() {
        let mut t = Throttle::default();
        sent(&mut t, Kind::Heartbeat, "OK", 0.0);
        let Decision::Send(err, _) = t.decide(Kind::Heartbeat, "ERR", 1.0, P, L, 5, true) else {
            panic!()
        };
        t.skipped(err, Kind::Heartbeat, "ERR");
        assert!(matches!(
            t.next(Kind::Heartbeat, "OK", 2.0, P),
            Decision::Send(..)
        ));
        let mut t = Throttle::default();
        sent(&mut t, Kind::Numerical, "1", 0.0);
        let Decision::Ask(two, _) = t.decide(Kind::Numerical, "2", 1.0, P, L, 5, true) else {
            panic!()
        };
        t.skipped(two, Kind::Numerical, "2");
        assert!(matches!(
            t.next(Kind::Numerical, "3", 2.0, P),
            Decision::Skip
        ));
    }

    fn table() -> Throttles {
        Throttles::new([7, 11])
    }

    #[test]
    fn a_table_keeps_one_state_per_name() {
        let mut t = table();
        let Decision::Send(a, _) = t.decide("a", Kind::Heartbeat, "OK", 0.0, P, L, false) else {
            panic!()
        };
        t.finish("a", a, "OK", Some(0.0));
        assert!(matches!(
            t.decide("a", Kind::Heartbeat, "OK", 1.0, P, L, false),
            Decision::Skip
        ));
        assert!(matches!(
            t.decide("b", Kind::Heartbeat, "OK", 1.0, P, L, false),
            Decision::Send(..)
        ));
        assert_eq!(t.len(), 2);
    }

    #[test]
    fn a_sweep_drops_the_names_whose_period_passed_and_keeps_the_rest() {
        let mut t = table();
        let period = 1000.0;
        // Wave after wave of new names, one period apart: only the names of the last two waves
        // can be live, and the table stays within twice that (plus the floor).
        let wave = 5000;
        let mut most = 0;
        for w in 0..12 {
            let now = f64::from(w) * period;
            for i in 0..wave {
                let name = format!("w{w}:{i}");
                let Decision::Send(ticket, _) =
                    t.decide(&name, Kind::Heartbeat, "OK", now, period, L, false)
                else {
                    panic!()
                };
                t.finish(&name, ticket, "OK", Some(now));
            }
            most = most.max(t.len());
        }
        assert!(most <= 4 * wave as usize + SWEEP_FLOOR, "{most} names kept");
        // A name still in its period was kept: it is still skipped.
        assert!(matches!(
            t.decide(
                "w11:0",
                Kind::Heartbeat,
                "OK",
                11.0 * period + 1.0,
                period,
                L,
                false
            ),
            Decision::Skip
        ));
    }

    #[test]
    fn a_send_in_flight_survives_a_sweep_and_a_late_answer_never_counts_for_a_new_state() {
        let mut t = table();
        let period = 10.0;
        let Decision::Send(slow, _) =
            t.decide("slow", Kind::Heartbeat, "OK", 0.0, period, L, false)
        else {
            panic!()
        };
        let Decision::Send(old, _) = t.decide("x", Kind::Heartbeat, "ERR", 0.0, period, L, false)
        else {
            panic!()
        };
        let Decision::Send(newer, _) = t.decide("x", Kind::Heartbeat, "OK", 0.0, period, L, false)
        else {
            panic!()
        };
        t.finish("x", newer, "OK", Some(1.0));
        // Long after: enough new names to sweep. "x" is dead (its send in flight, `old`, is
        // not the latest) and swept; "slow" is in flight and kept.
        for i in 0..2 * SWEEP_FLOOR {
            t.decide(
                &format!("n{i}"),
                Kind::Heartbeat,
                "OK",
                1e6,
                period,
                L,
                false,
            );
        }
        assert!(t.len() < 2 * SWEEP_FLOOR + 2);
        assert!(matches!(
            t.decide("slow", Kind::Heartbeat, "OK", 1e6, period, L, false),
            Decision::Join(_)
        ));
        t.finish("slow", slow, "OK", Some(1e6));
        let Decision::Send(fresh, _) = t.decide("x", Kind::Heartbeat, "OK", 1e6, period, L, false)
        else {
            panic!()
        };
        // The ERR sent before the sweep answers now: it is not the latest send of "x", and
        // the OK in flight is still joined.
        t.finish("x", old, "ERR", Some(1e6));
        assert!(matches!(
            t.decide("x", Kind::Heartbeat, "OK", 1e6, period, L, false),
            Decision::Join(_)
        ));
        t.finish("x", fresh, "OK", Some(1e6));
        assert!(matches!(
            t.decide("x", Kind::Heartbeat, "OK", 1e6 + 1.0, period, L, false),
            Decision::Skip
        ));
    }
}
