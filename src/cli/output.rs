//! What the tools print: plain text for people, `--json` for programs (written by serde_json
//! from the structs below, so each shape is declared once).

use crate::api::Answer;
use crate::error::Error;
use serde::ser::{Serialize, SerializeMap, Serializer};

/// `okerrupdate --json`: `{ name, textid, status, sent, reason }`, and the `fields` a dry run
/// would have sent.
#[derive(serde::Serialize)]
pub struct UpdateJson<'a> {
    /// The indicator name as sent.
    pub name: &'a str,
    /// The project.
    pub textid: &'a str,
    /// The value.
    pub status: &'a str,
    /// Whether a request went out.
    pub sent: bool,
    /// Why it ended as it did.
    pub reason: &'a str,
    /// A dry run's fields, in the order they would have been sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<Fields<'a>>,
}

/// `okerrapi --dry-run --json`: `{ dryRun, method, path, url, fields }`.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiDryRunJson<'a> {
    /// Always true.
    pub dry_run: bool,
    /// `GET` or `POST`.
    pub method: &'a str,
    /// The path on the project's server.
    pub path: String,
    /// The whole URL in direct mode, `null` when the director would be asked first.
    pub url: Option<String>,
    /// The form fields, masked.
    pub fields: Fields<'a>,
}

/// Form fields as a JSON object of strings, in their order.
pub struct Fields<'a>(pub &'a [(String, String)]);

impl Serialize for Fields<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[derive(serde::Serialize)]
struct ErrorJson<'a> {
    error: ErrorBody<'a>,
}

#[derive(serde::Serialize)]
struct ErrorBody<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(rename = "serverCode", skip_serializing_if = "Option::is_none")]
    server_code: Option<&'a str>,
}

/// `value` as one line of JSON. Only the structs here and strings are written: nothing fails.
pub fn line<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default() + "\n"
}

/// An API answer as the tool prints it: names one a line (`--json`: a list), a text as it
/// is (`--json`: a JSON string), JSON as the server sent it. Always ends with a newline unless
/// there is nothing to print.
pub fn answer(answer: &Answer, json: bool) -> String {
    match (answer, json) {
        (Answer::Names(names), false) => names.iter().map(|n| format!("{n}\n")).collect(),
        (Answer::Names(names), true) => line(names),
        (Answer::Text(text), false) => format!("{text}\n"),
        (Answer::Text(text), true) => line(text),
        (Answer::Json(text), _) => format!("{}\n", text.trim()),
    }
}

/// A failure for `--json`: `{"error":{"code","message","status"?,"serverCode"?}}`, with its
/// newline.
pub fn error_json(e: &Error) -> String {
    line(&ErrorJson {
        error: ErrorBody {
            code: e.code.as_str(),
            message: &e.message,
            status: e.status,
            server_code: e.code.server_code(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;

    #[test]
    fn escapes_json_strings() {
        assert_eq!(line("a\"b\\c\nd\u{1}é"), "\"a\\\"b\\\\c\\nd\\u0001é\"\n");
        let fields = [
            ("b".to_string(), "1".to_string()),
            ("a".to_string(), "x".to_string()),
        ];
        assert_eq!(
            line(&Fields(&fields)),
            "{\"b\":\"1\",\"a\":\"x\"}\n",
            "in their order"
        );
    }

    #[test]
    fn prints_answers() {
        let names = Answer::Names(vec!["a".into(), "df-/var".into()]);
        assert_eq!(answer(&names, false), "a\ndf-/var\n");
        assert_eq!(answer(&names, true), "[\"a\",\"df-/var\"]\n");
        assert_eq!(answer(&Answer::Names(vec![]), false), "");
        assert_eq!(answer(&Answer::Names(vec![]), true), "[]\n");
        let text = Answer::Text("Changed a {'days': 20}".into());
        assert_eq!(answer(&text, false), "Changed a {'days': 20}\n");
        assert_eq!(answer(&text, true), "\"Changed a {'days': 20}\"\n");
        let json = Answer::Json("{\n    \"a\": 1\n}\n\n".into());
        assert_eq!(answer(&json, false), "{\n    \"a\": 1\n}\n");
    }

    #[test]
    fn errors_as_json() {
        let e = Error::answered(Code::NotFound, "no \"x\"", 404, "");
        assert_eq!(
            error_json(&e),
            "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no \\\"x\\\"\",\"status\":404}}\n"
        );
        let e = Error::new(Code::NoApiKey, "k");
        assert_eq!(
            error_json(&e),
            "{\"error\":{\"code\":\"NO_API_KEY\",\"message\":\"k\"}}\n"
        );
        let e = Error::answered(Code::Server("FREED".into()), "m", 400, "ERROR:FREED x");
        assert_eq!(
            error_json(&e),
            "{\"error\":{\"code\":\"HTTP\",\"message\":\"m\",\"status\":400,\"serverCode\":\"FREED\"}}\n"
        );
    }
}
