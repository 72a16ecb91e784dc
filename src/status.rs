//! Status values the server would silently ignore (answering `200 OK`), refused before sending.

use crate::error::Error;
use crate::method::Kind;
use crate::text::quoted;

/// The longest value or text field the client sends; the server's text fields take far less,
/// and a longer value is a bug in the caller, not a status.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Check a status for an indicator of `kind`.
pub fn check(kind: Kind, status: &str) -> Result<(), Error> {
    if status.len() > MAX_TEXT_BYTES {
        return Err(Error::invalid(format!(
            "status is longer than {MAX_TEXT_BYTES} bytes"
        )));
    }
    match kind {
        Kind::Heartbeat
            if !(status.eq_ignore_ascii_case("OK") || status.eq_ignore_ascii_case("ERR")) =>
        {
            Err(Error::invalid(format!(
                "a heartbeat status must be 'OK' or 'ERR'; got {} (the server would ignore it)",
                quoted(status)
            )))
        }
        Kind::Numerical if !parses_as_python_float(status) => Err(Error::invalid(format!(
            "a numerical status must be a number; got {} (the server would ignore it)",
            quoted(status)
        ))),
        _ => Ok(()),
    }
}

/// Python's `float(s)`: surrounding whitespace, a sign, then a decimal number (digits with
/// single underscores between them, an optional fraction and exponent) or `inf`/`infinity`/`nan`.
pub fn parses_as_python_float(s: &str) -> bool {
    let t = s.trim();
    let t = t.strip_prefix(['+', '-']).unwrap_or(t);
    if ["inf", "infinity", "nan"]
        .iter()
        .any(|w| t.eq_ignore_ascii_case(w))
    {
        return true;
    }
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let mantissa_ok = match frac_part {
        None => digits(int_part),
        Some(f) => {
            (int_part.is_empty() || digits(int_part))
                && (f.is_empty() || digits(f))
                && !(int_part.is_empty() && f.is_empty())
        }
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

/// ASCII digits with single underscores only between digits, as Python number literals allow.
fn digits(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('_')
        && !s.ends_with('_')
        && !s.contains("__")
        && s.bytes().all(|b| b.is_ascii_digit() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn numerical_follows_python_float() {
        for ok in [
            "36.6",
            "-1",
            "1e3",
            " 7 ",
            "inf",
            "-Infinity",
            "nan",
            ".5",
            "5.",
            "1_000.5",
            "+2E-3",
            "\t3\n",
        ] {
            assert!(parses_as_python_float(ok), "{ok:?}");
        }
        for bad in [
            "", " ", "abc", "1,5", "1e", "e3", ".", "1__0", "_1", "0x10", "1.2.3", "--1", "in f",
            "١٢",
        ] {
            assert!(!parses_as_python_float(bad), "{bad:?}");
        }
    }

    #[test]
    fn string_and_active_take_anything_short() {
        assert!(check(Kind::String, "").is_ok());
        assert!(check(Kind::Active, "whatever").is_ok());
        assert!(check(Kind::String, &"x".repeat(MAX_TEXT_BYTES + 1)).is_err());
    }
}
