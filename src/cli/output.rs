//! What the tools print: plain text for people, `--json` for programs.

use crate::api::Answer;
use crate::error::Error;

/// `s` as a JSON string.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON object from keys and already-encoded JSON values, in order.
pub fn json_object<'a>(fields: impl IntoIterator<Item = (&'a str, String)>) -> String {
    let body: Vec<String> = fields
        .into_iter()
        .map(|(k, v)| format!("{}:{v}", json_string(k)))
        .collect();
    format!("{{{}}}", body.join(","))
}

/// Form fields as a JSON object of strings.
pub fn json_fields(fields: &[(String, String)]) -> String {
    json_object(fields.iter().map(|(k, v)| (k.as_str(), json_string(v))))
}

/// An API answer as the tool prints it: names one a line (`--json`: a list), a text as it
/// is (`--json`: a JSON string), JSON as the server sent it. Always ends with a newline unless
/// there is nothing to print.
pub fn answer(answer: &Answer, json: bool) -> String {
    match (answer, json) {
        (Answer::Names(names), false) => names.iter().map(|n| format!("{n}\n")).collect(),
        (Answer::Names(names), true) => {
            let items: Vec<String> = names.iter().map(|n| json_string(n)).collect();
            format!("[{}]\n", items.join(","))
        }
        (Answer::Text(text), false) => format!("{text}\n"),
        (Answer::Text(text), true) => format!("{}\n", json_string(text)),
        (Answer::Json(text), _) => format!("{}\n", text.trim()),
    }
}

/// A failure for `--json`: `{"error":{"code","message","status"?}}`.
pub fn error_json(e: &Error) -> String {
    let mut fields = vec![
        ("code", json_string(e.code.as_str())),
        ("message", json_string(&e.message)),
    ];
    if let Some(status) = e.status {
        fields.push(("status", status.to_string()));
    }
    json_object([("error", json_object(fields))])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;

    #[test]
    fn escapes_json_strings() {
        assert_eq!(json_string("a\"b\\c\nd\u{1}é"), r#""a\"b\\c\nd\u0001é""#);
        assert_eq!(
            json_object([("a", json_string("x")), ("b", "1".into())]),
            r#"{"a":"x","b":1}"#
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
            r#"{"error":{"code":"NOT_FOUND","message":"no \"x\"","status":404}}"#
        );
        let e = Error::new(Code::NoApiKey, "k");
        assert_eq!(
            error_json(&e),
            r#"{"error":{"code":"NO_API_KEY","message":"k"}}"#
        );
    }
}
