//! What a failed update becomes for its caller. By default `update()` rejects with the error.
//! A project made with `rejectOnFailure: false` resolves instead, to
//! `{ sent: false, reason: 'failed', error }`, so an update nobody awaits cannot crash the
//! process with an unhandled rejection; and a job's report (`run()`, `wrap()`) never rejects,
//! because a failure to report must not change the job's outcome.
//!
//! The log follows the same rule: a failure that rejects is logged at `info` (the caller holds
//! the error; at the default level `warn` nothing more is printed, so a failure is not said
//! twice), one that resolves at `warn` (the line is then the only trace of it), a bad argument
//! that resolves at `error`.

use crate::error::{Code, Error};
use crate::log::Level;
use crate::project_config::ProjectConfig;
use crate::text::fill;

/// How a failure reaches the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnFailure {
    /// The promise rejects with the error; a failed send is logged at `info` only.
    Reject,
    /// The promise resolves to a `failed` result, and the failure is logged: a refusal found
    /// before sending (a bad argument) at `bad_argument`, which sending never logged.
    Resolve {
        /// The level of a failure found before anything was sent.
        bad_argument: Level,
    },
}

impl OnFailure {
    /// For `update()`: as the project's `rejectOnFailure` says. A bad argument is the caller's
    /// mistake, logged at `error`.
    pub fn for_updates(config: &ProjectConfig) -> OnFailure {
        if config.reject_on_failure {
            OnFailure::Reject
        } else {
            OnFailure::Resolve {
                bad_argument: Level::Error,
            }
        }
    }

    /// For a job's report: never rejects; every failure is logged at `warn`.
    pub const REPORT: OnFailure = OnFailure::Resolve {
        bad_argument: Level::Warn,
    };

    /// Whether the promise rejects.
    pub fn rejects(self) -> bool {
        self == OnFailure::Reject
    }

    /// The level at which a failed send is logged: `info` when the promise rejects (the caller
    /// has the error), `warn` when it resolves (the log line is all that is left of it).
    pub fn level_after_sending(self) -> Level {
        match self {
            OnFailure::Reject => Level::Info,
            OnFailure::Resolve { .. } => Level::Warn,
        }
    }

    /// The level at which `e`, found before anything was sent, is logged; `None` when it is not
    /// logged (it rejects).
    pub fn level_before_sending(self, e: &Error) -> Option<Level> {
        match self {
            OnFailure::Reject => None,
            OnFailure::Resolve { bad_argument } if e.code == Code::InvalidArgument => {
                Some(bad_argument)
            }
            OnFailure::Resolve { .. } => Some(Level::Warn),
        }
    }
}

/// The log line for an update of `who` refused before sending, when it does not reject.
pub fn not_sent(who: &str, e: &Error) -> String {
    fill("okerr update of {} not sent: {}", &[who, &e.message])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    fn config(reject: Option<bool>) -> ProjectConfig {
        let mut pairs = vec![("textid".to_string(), Value::Str("t".into()))];
        if let Some(r) = reject {
            pairs.push(("rejectOnFailure".into(), Value::Bool(r)));
        }
        ProjectConfig::from_pairs(&pairs).unwrap()
    }

    #[test]
    fn rejects_by_default_and_resolves_when_asked() {
        assert!(OnFailure::for_updates(&config(None)).rejects());
        assert!(OnFailure::for_updates(&config(Some(true))).rejects());
        let resolve = OnFailure::for_updates(&config(Some(false)));
        assert!(!resolve.rejects());
        let bad = Error::invalid("bad");
        let down = Error::new(Code::Network, "down");
        assert_eq!(resolve.level_before_sending(&bad), Some(Level::Error));
        assert_eq!(resolve.level_before_sending(&down), Some(Level::Warn));
        assert_eq!(OnFailure::Reject.level_before_sending(&bad), None);
        assert_eq!(
            OnFailure::REPORT.level_before_sending(&bad),
            Some(Level::Warn)
        );
        assert!(!OnFailure::REPORT.rejects());
        assert_eq!(OnFailure::Reject.level_after_sending(), Level::Info);
        assert_eq!(resolve.level_after_sending(), Level::Warn);
        assert_eq!(OnFailure::REPORT.level_after_sending(), Level::Warn);
    }

    #[test]
    fn a_bad_reject_on_failure_is_refused() {
        let e = ProjectConfig::from_pairs(&[
            ("textid".into(), Value::Str("t".into())),
            ("rejectOnFailure".into(), Value::Str("no".into())),
        ])
        .unwrap_err();
        assert_eq!(e.code, Code::InvalidArgument);
    }

    #[test]
    fn not_sent_names_the_indicator() {
        assert_eq!(
            not_sent("a@t", &Error::invalid("bad status")),
            "okerr update of a@t not sent: bad status"
        );
    }
}
