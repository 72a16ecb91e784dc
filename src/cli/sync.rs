//! `okerrapi sync FILE [--dry-run] [--json]`: FILE is a JSON array of specs, the shape
//! `project.sync()` takes. The plan is printed one line per change (`NAME: FIELD OLD → NEW`),
//! per difference not applied and per missing indicator, then a summary line. Exit status: 0
//! applied or nothing to do; 1 a failure (the call failed, or a change was not applied: see
//! `drift`); 2 a FILE that cannot be read or holds a bad spec.

use super::settings::FileText;
use crate::api::sync::{Held, SyncResult, NOT_APPLIED, NO_SUCH_POLICY, UI_ONLY};
use crate::text::quoted;
use crate::value::Value;

/// The specs in `path`, which the bin script read into `files`: each a JSON object's fields.
/// The error says why the file is no list of specs (the tool exits with 2).
pub fn read_specs(
    path: &str,
    files: &[(String, FileText)],
) -> Result<Vec<Vec<(String, Value)>>, String> {
    let text = match files.iter().find(|(p, _)| p == path) {
        Some((_, FileText::Text(t))) => t,
        Some((_, FileText::Unreadable(why))) => return Err(format!("cannot read {path}: {why}")),
        None => return Err(format!("cannot read {path}")),
    };
    let json: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| format!("{path} is not JSON: {e} (it must be an array of specs)"))?;
    let serde_json::Value::Array(items) = json else {
        return Err(format!(
            "{path} must hold a JSON array of specs such as \
             [{{\"name\": \"app:queue\", \"method\": \"numerical|maxlim=100\"}}]"
        ));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| match item {
            serde_json::Value::Object(o) => Ok(object(o)),
            _ => Err(format!("{path}: specs[{i}] must be an object")),
        })
        .collect()
}

/// The fields of a JSON object's text, for the answer of `getIndicator`.
pub fn object_pairs(text: &str) -> Option<Vec<(String, Value)>> {
    match serde_json::from_str(text).ok()? {
        serde_json::Value::Object(o) => Some(object(&o)),
        _ => None,
    }
}

fn object(o: &serde_json::Map<String, serde_json::Value>) -> Vec<(String, Value)> {
    o.iter().map(|(k, v)| (k.clone(), value(v))).collect()
}

/// A JSON value as the JS face would convert the same value ([`Value`]).
fn value(v: &serde_json::Value) -> Value {
    use serde_json::Value as J;
    match v {
        J::Null => Value::Absent,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => n.as_f64().map_or(Value::Other("number"), Value::Num),
        J::String(s) => Value::Str(s.clone()),
        J::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(String::from))
            .collect::<Option<Vec<_>>>()
            .map_or(Value::Other("array of non-strings"), Value::List),
        J::Object(o) => o
            .iter()
            .map(|(k, v)| match v {
                J::String(s) => Some((k.clone(), s.clone())),
                J::Number(n) => Some((k.clone(), n.to_string())),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .map_or(Value::Other("object"), Value::Map),
    }
}

/// The plan as people read it: a line per change, per difference not applied and per missing
/// indicator, then a summary.
pub fn report(r: &SyncResult) -> String {
    let mut out = String::new();
    for change in &r.changed {
        for (field, new) in &change.set.0 {
            let old = change.was.0.iter().find(|(k, _)| k == field);
            let old = old.map_or_else(|| String::from("(none)"), |(_, v)| quoted(v));
            out.push_str(&format!(
                "{}: {field} {old} → {}\n",
                change.name,
                quoted(new)
            ));
        }
    }
    for d in &r.drift {
        let server = match &d.server {
            Held::Text(t) => quoted(t),
            Held::Tags(tags) => format!("[{}]", tags.join(", ")),
            Held::Nothing => String::from("(none)"),
        };
        let why = match d.code.as_str() {
            UI_ONLY => "only okerr's web UI changes tags",
            NO_SUCH_POLICY => "the server has no such policy, so nothing of this indicator changed",
            NOT_APPLIED => "the server's answer does not say it changed",
            _ => "the call failed",
        };
        out.push_str(&format!(
            "{}: {} not changed, the server keeps {server} ({}: {why})\n",
            d.name, d.field, d.code
        ));
    }
    for name in &r.missing {
        out.push_str(&format!(
            "{name}: missing, not created (its first update creates it with the spec's settings)\n"
        ));
    }
    let changed = if r.dry_run { "to change" } else { "changed" };
    out.push_str(&format!(
        "sync: {} {changed}, {} unchanged, {} missing, {} not applied{}\n",
        r.changed.len(),
        r.unchanged.len(),
        r.missing.len(),
        r.drift.len(),
        if r.dry_run {
            " (dry run: nothing was changed)"
        } else {
            ""
        }
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::sync::{Change, Drift, Fields};

    fn file(text: &str) -> Result<Vec<Vec<(String, Value)>>, String> {
        read_specs("s.json", &[("s.json".into(), FileText::Text(text.into()))])
    }

    #[test]
    fn reads_a_json_array_of_objects() {
        let specs =
            file(r#"[{"name": "a", "tags": ["x", "y"], "desc": null}, {"name": "b"}]"#).unwrap();
        assert_eq!(specs.len(), 2);
        assert!(specs[0].contains(&("tags".into(), Value::List(vec!["x".into(), "y".into()]))));
        assert!(specs[0].contains(&("desc".into(), Value::Absent)));
        for (bad, says) in [
            ("{\"name\": \"a\"}", "must hold a JSON array"),
            ("[1]", "specs[0] must be an object"),
            ("[{\"name\": ", "is not JSON"),
        ] {
            let e = file(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
        let unreadable = [("s.json".into(), FileText::Unreadable("EACCES".into()))];
        assert_eq!(
            read_specs("s.json", &unreadable).unwrap_err(),
            "cannot read s.json: EACCES"
        );
        assert_eq!(read_specs("t.json", &[]).unwrap_err(), "cannot read t.json");
    }

    #[test]
    fn converts_json_as_the_js_face_does() {
        let pairs = object_pairs(
            r#"{"args": {"maxlim": "37", "n": 5}, "tags": ["OK", 1], "x": {"a": {}}, "y": 1.5}"#,
        )
        .unwrap();
        let get = |k: &str| pairs.iter().find(|(key, _)| key == k).unwrap().1.clone();
        assert_eq!(
            get("args"),
            Value::Map(vec![
                ("maxlim".into(), "37".into()),
                ("n".into(), "5".into())
            ])
        );
        assert_eq!(get("tags"), Value::Other("array of non-strings"));
        assert_eq!(get("x"), Value::Other("object"));
        assert_eq!(get("y"), Value::Num(1.5));
        assert_eq!(object_pairs("[]"), None);
        assert_eq!(object_pairs("not json"), None);
    }

    #[test]
    fn reports_each_change_drift_and_missing_indicator() {
        let r = SyncResult {
            dry_run: true,
            changed: vec![Change {
                name: "rs:cfg".into(),
                set: Fields(vec![
                    ("checkmethod".into(), "heartbeat".into()),
                    ("patience".into(), "1h".into()),
                ]),
                was: Fields(vec![("checkmethod".into(), "numerical".into())]),
            }],
            unchanged: vec!["a".into(), "b".into()],
            missing: vec!["new:one".into()],
            drift: vec![Drift {
                name: "rs:cfg".into(),
                field: "tags".into(),
                server: Held::Tags(vec!["alpha".into()]),
                code: UI_ONLY.into(),
            }],
        };
        assert_eq!(
            report(&r),
            "rs:cfg: checkmethod 'numerical' → 'heartbeat'\n\
             rs:cfg: patience (none) → '1h'\n\
             rs:cfg: tags not changed, the server keeps [alpha] (UI_ONLY: only okerr's web UI changes tags)\n\
             new:one: missing, not created (its first update creates it with the spec's settings)\n\
             sync: 1 to change, 2 unchanged, 1 missing, 1 not applied (dry run: nothing was changed)\n"
        );
    }
}
