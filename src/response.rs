//! Reading the server's answer to an update.

use crate::error::{Code, Error};

/// The server's machine-readable code in a body starting `ERROR:CODE ` (regex `^ERROR:([^ ]+)`).
pub fn server_code(body: &str) -> Option<&str> {
    let rest = body.strip_prefix("ERROR:")?;
    let code = rest.split([' ', '\n', '\r', '\t']).next().unwrap_or("");
    Some(code).filter(|c| !c.is_empty())
}

/// `Ok` when the update was accepted. A 200 that says a required field is missing is a refusal.
pub fn check_update(who: &str, status: u16, body: &str) -> Result<(), Error> {
    let text = body.trim();
    if (200..300).contains(&status) {
        if text.starts_with("Required field") {
            return Err(Error::answered(
                Code::Rejected,
                format!("okerr refused the update of {who}: {}", first_line(text)),
                status,
                body,
            ));
        }
        return Ok(());
    }
    let code = server_code(text).map_or(Code::Http, |c| Code::Server(c.to_string()));
    let said = if text.is_empty() {
        String::from("(empty answer)")
    } else {
        first_line(text)
    };
    Err(Error::answered(
        code,
        format!("okerr refused the update of {who}: HTTP {status}: {said}"),
        status,
        body,
    ))
}

/// The first line of an answer, shortened for a message.
pub fn first_line(text: &str) -> String {
    crate::text::excerpt(text.lines().next().unwrap_or(""), 200).into_owned()
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
        let big = "x".repeat(1_000_000);
        let e = check_update("a@t", 500, &big).unwrap_err();
        assert!(e.body.unwrap().chars().count() <= crate::error::BODY_EXCERPT_CHARS + 1);
        assert!(e.message.len() < 400);
    }
}
