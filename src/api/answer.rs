//! Reading the server's answer to an API call or a status page request.

use super::{Call, Reply};
use crate::error::{Code, Error};
use crate::response::{first_line, server_code};
use crate::runtime::MAX_API_ANSWER_BYTES;
use crate::text::{decimal, fill};

/// A successful answer, in the shape its call expects.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// Indicator names, in the server's order.
    Names(Vec<String>),
    /// One text without its trailing newline.
    Text(String),
    /// JSON text, checked to start the way the call expects (the caller parses it).
    Json(String),
}

/// The answer to `call`: its value for a 2xx, otherwise an error that says what failed and
/// how (`FORBIDDEN` for 403, `NOT_FOUND` for 404, the server's `ERROR:CODE`, or `HTTP`).
pub fn read(call: &Call, status: u16, body: &str) -> Result<Answer, Error> {
    if !(200..300).contains(&status) {
        return Err(failure(call, status, body));
    }
    Ok(match call.reply {
        Reply::Names => {
            let mut names = Vec::new();
            // Every line without the '\r's at its end (`lines()` would take one), empty ones
            // skipped.
            for line in crate::text::pieces(body, b'\n')
                .map(|l| crate::text::trim_end_with(l, |c| c == '\r'))
            {
                if !line.is_empty() {
                    names.push(line.to_string());
                }
            }
            Answer::Names(names)
        }
        Reply::Text => {
            let end = body.bytes().rposition(|b| b != b'\r' && b != b'\n');
            Answer::Text(body[..end.map_or(0, |i| i + 1)].to_string())
        }
        Reply::Json(open) if crate::text::trim_start(body).starts_with(open) => {
            Answer::Json(body.to_string())
        }
        Reply::StatusPage if crate::text::trim_start(body).starts_with('{') => {
            Answer::Json(body.to_string())
        }
        Reply::Json(_) | Reply::StatusPage => return Err(not_json(call, status, body)),
    })
}

/// The error for a successful status whose text is not the JSON the call expects. For a status
/// page this is the login page the server redirects to when the page is not public.
pub fn not_json(call: &Call, status: u16, body: &str) -> Error {
    if call.reply == Reply::StatusPage {
        return Error::answered(
            Code::Forbidden,
            fill(
                "okerr could not {}: the page is not public (the server answered with a page \
                 that is not JSON, such as its login page)",
                &[&call.what],
            ),
            status,
            body,
        );
    }
    let shape = match call.reply {
        Reply::Json('[') => "a JSON list",
        _ => "a JSON object",
    };
    Error::answered(
        Code::Http,
        fill(
            "okerr could not {}: the answer is not {}: {}",
            &[&call.what, shape, &said(body)],
        ),
        status,
        body,
    )
}

/// The error for a successful answer longer than the client reads ([`MAX_API_ANSWER_BYTES`]):
/// `head` is the beginning that was kept (a runtime keeps at most 64 KB of a cut answer), of
/// which the error keeps an excerpt. Nothing of it is used: the end of a list, a page or a log
/// would be missing, or a name cut in half.
pub fn too_large(call: &Call, status: u16, head: &str) -> Error {
    Error::answered(
        Code::TooLarge,
        fill(
            "okerr could not {}: the answer is larger than {} bytes, the most the client reads \
             for an API call; nothing of it was used",
            &[&call.what, &decimal(MAX_API_ANSWER_BYTES as u64)],
        ),
        status,
        head,
    )
}

fn failure(call: &Call, status: u16, body: &str) -> Error {
    let text = crate::text::trim(body);
    let (code, message) = match status {
        403 if call.needs_key => (
            Code::Forbidden,
            fill(
                "okerr could not {}: the server refused the API key (HTTP 403); \
                 check apiKey / OKERR_API_KEY",
                &[&call.what],
            ),
        ),
        403 => (
            Code::Forbidden,
            fill("okerr could not {}: forbidden (HTTP 403)", &[&call.what]),
        ),
        // A status page (okerrui/views.py `jstatus`): a bare 404 for a project the server
        // does not know, Django's HTML 404 page for a page the project does not have.
        404 if call.reply == Reply::StatusPage && text.is_empty() => (
            Code::NotFound,
            fill(
                "okerr could not {}: not found (HTTP 404 with an empty answer, which okerr \
                 gives for a project it does not know: check the textid)",
                &[&call.what],
            ),
        ),
        404 if call.reply == Reply::StatusPage && text.starts_with('<') => (
            Code::NotFound,
            fill(
                "okerr could not {}: not found (HTTP 404 with an HTML page, which okerr answers \
                 for a status page the project does not have: check the page's address, \
                 'index' by default; or the url is not an okerr server)",
                &[&call.what],
            ),
        ),
        // The API answers an unknown project with Django's HTML 404 page, which says nothing
        // useful in its first line.
        404 if text.starts_with('<') => (
            Code::NotFound,
            fill(
                "okerr could not {}: not found (HTTP 404 with an HTML page, which okerr answers \
                 for a project it does not know; or the url is not an okerr server)",
                &[&call.what],
            ),
        ),
        404 => (
            Code::NotFound,
            fill(
                "okerr could not {}: not found (HTTP 404: {})",
                &[&call.what, &said(text)],
            ),
        ),
        _ => (
            server_code(text).map_or(Code::Http, |c| Code::Server(c.to_string())),
            fill(
                "okerr could not {}: HTTP {}: {}",
                &[&call.what, &decimal(status.into()), &said(text)],
            ),
        ),
    };
    Error::answered(code, message, status, body)
}

fn said(text: &str) -> String {
    let text = crate::text::trim(text);
    if text.is_empty() {
        String::from("(empty answer)")
    } else {
        first_line(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{check_methods, get_indicator, list_indicators, set_args, status_page};
    use crate::project_config::ProjectConfig;
    use crate::value::Value;

    fn config() -> ProjectConfig {
        ProjectConfig::from_pairs(&[
            ("textid".into(), Value::Str("p".into())),
            ("apiKey".into(), Value::Str("k".into())),
        ])
        .unwrap()
    }

    #[test]
    fn reads_successful_answers() {
        let c = config();
        let list = list_indicators(&c, None).unwrap();
        assert_eq!(
            read(&list, 200, "a\r\ndf-/var\n\nb\n").unwrap(),
            Answer::Names(vec!["a".into(), "df-/var".into(), "b".into()])
        );
        assert_eq!(read(&list, 200, "").unwrap(), Answer::Names(vec![]));
        let set = set_args(&c, "a", &[("retest".into(), Value::Num(1.0))]).unwrap();
        assert_eq!(
            read(&set, 200, "Changed a {'retest': 1}\n").unwrap(),
            Answer::Text("Changed a {'retest': 1}".into())
        );
        let ind = get_indicator(&c, "a").unwrap();
        assert_eq!(
            read(&ind, 200, "\n{\"name\": \"a\"}\n").unwrap(),
            Answer::Json("\n{\"name\": \"a\"}\n".into())
        );
    }

    #[test]
    fn classifies_failures() {
        let c = config();
        let ind = get_indicator(&c, "a").unwrap();
        let e = read(&ind, 403, "<h1>403 Forbidden</h1>").unwrap_err();
        assert_eq!((e.code.clone(), e.status), (Code::Forbidden, Some(403)));
        assert!(e.message.contains("API key"), "{}", e.message);
        let e = read(&ind, 404, "No indicator with id a in project with textid p").unwrap_err();
        assert_eq!(e.code, Code::NotFound);
        assert_eq!(
            e.message,
            "okerr could not read indicator 'a' of project 'p': not found (HTTP 404: No indicator with id a in project with textid p)"
        );
        let django = "\n<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Not Found</title>";
        let e = read(&ind, 404, django).unwrap_err();
        assert_eq!((e.code.clone(), e.status), (Code::NotFound, Some(404)));
        assert!(
            e.message.contains("a project it does not know"),
            "{}",
            e.message
        );
        let e = read(&ind, 400, "ERROR:LIMIT_MAXINDICATORS no room\n").unwrap_err();
        assert_eq!(e.code, Code::Server("LIMIT_MAXINDICATORS".into()));
        let e = read(&ind, 400, "Bad name x\n").unwrap_err();
        assert_eq!(e.code, Code::Http);
        assert!(e.message.ends_with("HTTP 400: Bad name x"), "{}", e.message);
        let e = read(&ind, 302, "").unwrap_err();
        assert!(
            e.message.ends_with("HTTP 302: (empty answer)"),
            "{}",
            e.message
        );
        let e = read(&ind, 200, "<html>").unwrap_err();
        assert_eq!(e.code, Code::Http);
        let e = read(&check_methods(), 200, "[]").unwrap_err();
        assert!(
            e.message.contains("is not a JSON object: []"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_status_page_that_is_not_json_is_not_public() {
        let page = status_page(&config(), Some("internal")).unwrap();
        let e = read(&page, 200, "<h1>Login</h1>").unwrap_err();
        assert_eq!(e.code, Code::Forbidden);
        assert!(e.message.contains("not public"), "{}", e.message);
        assert!(read(&page, 200, "{\"addr\": \"internal\"}").is_ok());
    }

    #[test]
    fn a_missing_status_page_is_told_from_an_unknown_project() {
        let page = status_page(&config(), Some("nosuch")).unwrap();
        let e = read(&page, 404, "").unwrap_err();
        assert_eq!(e.code, Code::NotFound);
        assert!(
            e.message.contains("a project it does not know"),
            "{}",
            e.message
        );
        let django = "<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Not Found</title>";
        let e = read(&page, 404, django).unwrap_err();
        assert_eq!(e.code, Code::NotFound);
        assert!(
            e.message
                .contains("a status page the project does not have"),
            "{}",
            e.message
        );
        assert!(
            !e.message.contains("a project it does not know"),
            "{}",
            e.message
        );
    }
}
