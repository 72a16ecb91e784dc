//! Plain helpers every layer above may use, and that use nothing above them: text work without
//! std's searchers ([`text`]), form encoding ([`form`]), option values ([`value`]), Python's
//! number rules ([`pynum`]), the masking of secrets ([`redact`]), the one error type
//! ([`error`]) and the log levels ([`log`]).

pub mod error;
pub mod form;
pub mod log;
pub mod pynum;
pub mod redact;
pub mod text;
pub mod value;
