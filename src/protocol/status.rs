//! Status values the server would silently ignore (answering `200 OK`), refused before sending.

use crate::base::error::{invalid, Error};
use crate::base::redact::quoted;
use crate::protocol::method::Kind;

/// The longest value or text field the client sends; the server's text fields take far less,
/// and a longer value is a bug in the caller, not a status.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// [`MAX_TEXT_BYTES`] as messages say it.
pub const MAX_TEXT: &str = "65536 bytes";

/// Check a status for an indicator of `kind`.
pub fn check(kind: Kind, status: &str) -> Result<(), Error> {
    if status.len() > MAX_TEXT_BYTES {
        return Err(invalid!("status is longer than {}", MAX_TEXT));
    }
    match kind {
        Kind::Heartbeat
            if !(status.eq_ignore_ascii_case("OK") || status.eq_ignore_ascii_case("ERR")) =>
        {
            Err(invalid!(
                "a heartbeat status must be 'OK' or 'ERR'; got {} (the server would ignore it)",
                quoted(status)
            ))
        }
        Kind::Numerical if !crate::base::pynum::float_parses(status) => Err(invalid!(
            "a numerical status must be a number; got {} (the server would ignore it)",
            quoted(status)
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_in_words_is_the_limit() {
        assert_eq!(MAX_TEXT, format!("{MAX_TEXT_BYTES} bytes"));
    }

    #[test]
    fn heartbeat_takes_ok_and_err_in_any_case() {
        for ok in ["OK", "ok", "Err", "ERR"] {
            assert!(check(Kind::Heartbeat, ok).is_ok());
        }
        for bad in ["", "FAIL", "OK ", "1"] {
            assert!(check(Kind::Heartbeat, bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn numerical_takes_what_python_float_takes() {
        // The server reads Unicode digits too: refusing them refused values it would store.
        for ok in ["36.6", " 7 ", "nan", "1_000.5", "١٢.٥", "\u{3000}９"] {
            assert!(check(Kind::Numerical, ok).is_ok(), "{ok:?}");
        }
        for bad in ["", "abc", "1,5", "0x10", "1__0", "\x1f4"] {
            assert!(check(Kind::Numerical, bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn string_and_active_take_anything_short() {
        assert!(check(Kind::String, "").is_ok());
        assert!(check(Kind::Active, "whatever").is_ok());
        assert!(check(Kind::String, &"x".repeat(MAX_TEXT_BYTES + 1)).is_err());
    }
}
