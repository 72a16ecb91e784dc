//! Reading the server's answer to an update.

use crate::error::{Code, Error};
use crate::text::{decimal, fill};

/// The longest server code taken from an `ERROR:CODE` body; the server's are short words.
const MAX_CODE_CHARS: usize = 64;

/// The server's machine-readable code in a body starting `ERROR:CODE ` (regex `^ERROR:([^ ]+)`).
/// Only a word of letters, digits and `_` counts: a page that merely starts with `ERROR:` must
/// not turn a megabyte of text into `error.code`.
pub fn server_code(body: &str) -> Option<&str> {
    let rest = body.strip_prefix("ERROR:")?;
    let code = crate::text::up_to(rest, b" \n\r\t");
    Some(code).filter(|c| {
        !c.is_empty()
            && c.len() <= MAX_CODE_CHARS
            && c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    })
}

/// `Ok` when the update was accepted: the server answers `OK` to every update it takes. Any
/// other 2xx text (`Required field ... missing`, an empty answer, a proxy's page) does not show
/// that anything was stored, and an update that was not stored must not count as sent.
pub fn check_update(who: &str, status: u16, body: &str) -> Result<(), Error> {
    let text = crate::text::trim(body);
    if (200..300).contains(&status) {
        if text == "OK" {
            return Ok(());
        }
        let message = if text.starts_with("Required field") {
            fill(
                "okerr refused the update of {}: {}",
                &[who, &first_line(text)],
            )
        } else {
            fill(
                "okerr did not confirm the update of {}: HTTP {} without 'OK': {}",
                &[who, &decimal(status.into()), &said(text)],
            )
        };
        return Err(Error::answered(Code::Rejected, message, status, body));
    }
    // A 404 is the server's `No such project. (textid: 'X')`: NOT_FOUND, as the API says it.
    let code = server_code(text).map_or(
        if status == 404 {
            Code::NotFound
        } else {
            Code::Http
        },
        |c| Code::Server(c.to_string()),
    );
    Err(Error::answered(
        code,
        fill(
            "okerr refused the update of {}: HTTP {}: {}{}",
            &[who, &decimal(status.into()), &said(text), hint(text)],
        ),
        status,
        body,
    ))
}

/// What the server does not say about a refusal that puzzles people: a new indicator is
/// created only with its policy's secret, even when its method line names its own.
fn hint(text: &str) -> &'static str {
    if text.starts_with("do not create indicator") {
        " (a new indicator must be sent with the secret of its policy; one whose method line \
         has its own secret= is created with the policy's secret and then updated with its own)"
    } else {
        ""
    }
}

fn said(text: &str) -> String {
    if text.is_empty() {
        String::from("(empty answer)")
    } else {
        first_line(text)
    }
}

/// The first line of an answer, masked and then shortened for a message. Control characters,
/// line separators and bidi controls become U+FFFD ([`crate::text::one_line`]): the answer is
/// the server's text, and an escape sequence in it must not reach a terminal through a log
/// line, nor a U+2028 start a forged one.
pub fn first_line(text: &str) -> String {
    let masked = crate::redact::scrub(text);
    // The first of `lines()`: up to a '\n', without the '\r' before it.
    let line = match crate::text::split_once(&masked, b'\n') {
        Some((line, _)) => line.strip_suffix('\r').unwrap_or(line),
        None => &masked,
    };
    crate::text::one_line(&crate::text::excerpt(line, 200)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_server_codes() {
        assert_eq!(
            server_code("ERROR:LIMIT_MAXINDICATORS Project already has 5"),
            Some("LIMIT_MAXINDICATORS")
        );
        assert_eq!(server_code("ERROR:BAD_METHOD"), Some("BAD_METHOD"));
        assert_eq!(server_code("ERROR: x"), None);
        assert_eq!(server_code("Bad secret"), None);
        assert_eq!(server_code(&format!("ERROR:{}", "X".repeat(100_000))), None);
        assert_eq!(server_code("ERROR:<html>"), None);
    }

    #[test]
    fn a_2xx_without_ok_is_not_a_send() {
        assert!(check_update("a@t", 200, "OK\n").is_ok());
        for body in ["", "Hello! I am not a URL", "<html>login</html>", "OKAY"] {
            let e = check_update("a@t", 200, body).unwrap_err();
            assert_eq!((e.code, e.status), (Code::Rejected, Some(200)), "{body:?}");
        }
    }

    #[test]
    fn messages_carry_no_control_characters() {
        let e = check_update("a@t", 400, "\x1b[2Jbad\x07 page").unwrap_err();
        assert!(!e.message.chars().any(char::is_control), "{:?}", e.message);
        assert!(
            e.message.ends_with("\u{FFFD}[2Jbad\u{FFFD} page"),
            "{:?}",
            e.message
        );
        // A line separator or a bidi control would let the server forge a line of its own.
        // (A U+2029 at the end is trimmed as whitespace.)
        let forged =
            "bad\u{2028}okerr updated (200 OK) a@t = OK \u{202E}KO\u{2066}x\u{2069}\u{2029}";
        let e = check_update("a@t", 400, forged).unwrap_err();
        assert!(
            !e.message.chars().any(crate::text::breaks_lines),
            "{:?}",
            e.message
        );
        assert!(
            e.message.ends_with(
                "bad\u{FFFD}okerr updated (200 OK) a@t = OK \u{FFFD}KO\u{FFFD}x\u{FFFD}"
            ),
            "{:?}",
            e.message
        );
        assert_eq!(
            e.body.as_deref(),
            Some(forged),
            "the body is the server's text"
        );
    }

    #[test]
    fn classifies_answers() {
        assert!(check_update("a@t", 200, "OK").is_ok());
        let e = check_update("a@t", 200, "Required field 'status' missing").unwrap_err();
        assert_eq!(e.code, Code::Rejected);
        let e = check_update("a@t", 400, "Bad secret").unwrap_err();
        assert_eq!(
            (e.code.clone(), e.status, e.body.as_deref()),
            (Code::Http, Some(400), Some("Bad secret"))
        );
        assert!(e.message.contains("Bad secret"), "{}", e.message);
        let e = check_update(
            "a@t",
            400,
            "ERROR:BAD_METHOD Indicator exists with cm: sslcert",
        )
        .unwrap_err();
        assert_eq!(e.code, Code::Server("BAD_METHOD".into()));
        let e = check_update("a@t", 404, "No such project. (textid: 'zz')").unwrap_err();
        assert_eq!((e.code, e.status), (Code::NotFound, Some(404)));
        assert!(e.message.contains("No such project"), "{}", e.message);
        let e = check_update(
            "a@t",
            400,
            "do not create indicator 'a' with policy 'Default' because doesn't match secret",
        )
        .unwrap_err();
        assert_eq!(e.code, Code::Http);
        assert!(e.message.contains("secret of its policy"), "{}", e.message);
        let big = "x".repeat(1_000_000);
        let e = check_update("a@t", 500, &big).unwrap_err();
        assert!(e.body.unwrap().chars().count() <= crate::error::BODY_EXCERPT_CHARS + 1);
        assert!(e.message.len() < 400);
    }
}
