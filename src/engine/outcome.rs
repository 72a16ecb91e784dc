//! What an update comes to: the outcome a caller sees, shared by the throttle (which hands a
//! send's result to the identical updates that joined it) and the update's steps.

use crate::base::error::Error;

/// How an update ended, when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The server accepted it.
    Sent,
    /// Skipped: the same value went out within the throttle period.
    Throttled,
    /// Checked and logged, not sent (`dryRun`).
    DryRun,
    /// Delivered as a `no-cors` request, whose answer cannot be read.
    Unconfirmed,
}

impl Outcome {
    /// Whether a request went out.
    pub fn sent(self) -> bool {
        matches!(self, Outcome::Sent | Outcome::Unconfirmed)
    }

    /// The `reason` JS sees.
    pub fn reason(self) -> &'static str {
        match self {
            Outcome::Sent => "sent",
            Outcome::Throttled => "throttled",
            Outcome::DryRun => "dry-run",
            Outcome::Unconfirmed => "unconfirmed",
        }
    }
}

/// What a send comes to, shared with the identical updates that joined it.
pub type Sent = Result<Outcome, Error>;
