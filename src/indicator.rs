//! An indicator's fixed settings, checked once when `project.indicator(name, options)` is called.

use crate::error::Error;
use crate::method::{self, Kind, MethodLine};
use crate::project_config::{optional_text, text, ProjectConfig};
use crate::text::quoted;
use crate::value::Value;

/// Option names `project.indicator(name, options)` takes, as messages list them.
pub const INDICATOR_OPTIONS: &str =
    "secret, method, policy, tags, desc, error, keypath, origkeypath";

/// What an indicator sends with every update besides its status and details.
#[derive(Clone, PartialEq)]
pub struct IndicatorSpec {
    /// The name as sent: prefixed and repaired.
    pub name: String,
    /// The secret sent: the method line's `secret=`, else the `secret` option, else the
    /// project's (its policy's).
    pub secret: Option<String>,
    /// The method line, when one was given.
    pub method: Option<MethodLine>,
    /// The policy used when the server creates the indicator.
    pub policy: Option<String>,
    /// Tags, comma-joined (the reference client sends `''` for none).
    pub tags: String,
    /// Description used at creation (`''` when unset, as the reference client sends).
    pub desc: String,
    /// When set, marks the indicator as having a problem.
    pub error: Option<String>,
    /// Stored as given (`''` when unset).
    pub keypath: String,
    /// Stored as given (`''` when unset).
    pub origkeypath: String,
}

impl std::fmt::Debug for IndicatorSpec {
    // By hand, so that the secret never reaches Debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndicatorSpec")
            .field("name", &self.name)
            .field("method", &self.method.as_ref().map(|m| m.kind))
            .finish_non_exhaustive()
    }
}

impl IndicatorSpec {
    /// Check `name` and `options` against the project's settings.
    pub fn new(
        project: &ProjectConfig,
        name: &str,
        options: &[(String, Value)],
    ) -> Result<IndicatorSpec, Error> {
        let mut spec = IndicatorSpec {
            name: crate::name::prepare(name, project.prefix.as_deref())?,
            secret: project.secret.clone(),
            method: None,
            policy: None,
            tags: String::new(),
            desc: String::new(),
            error: None,
            keypath: String::new(),
            origkeypath: String::new(),
        };
        let mut secret_option = None;
        for (key, value) in options {
            if matches!(value, Value::Absent) {
                continue;
            }
            match key.as_str() {
                "secret" => secret_option = optional_text(key, value)?,
                "method" => spec.method = Some(method::parse(&text(key, value)?)?),
                "policy" => spec.policy = optional_text(key, value)?,
                "tags" => spec.tags = crate::tags::join(&tag_list(value)?)?,
                "desc" => spec.desc = long_text(key, value)?,
                "error" => spec.error = Some(long_text(key, value)?),
                "keypath" => spec.keypath = text(key, value)?,
                "origkeypath" => spec.origkeypath = text(key, value)?,
                other => {
                    return Err(Error::invalid_with(
                        "unknown indicator option {}; known options: {}",
                        &[&quoted(other), INDICATOR_OPTIONS],
                    ))
                }
            }
        }
        spec.secret = own_secret(spec.method.as_ref(), secret_option)?.or(spec.secret);
        Ok(spec)
    }

    /// The kind of value this indicator takes (heartbeat when no method is given, as the server assumes).
    pub fn kind(&self) -> Kind {
        self.method.as_ref().map_or(Kind::Heartbeat, |m| m.kind)
    }

    /// Secrets this indicator holds, for redaction: its `secret`, and the value of every
    /// spelling of `secret=` in its method line (`SECRET =x` is no secret to the server, but
    /// it was meant as one), as written and stripped.
    pub fn secrets(&self) -> impl Iterator<Item = &str> {
        let mut in_line = Vec::new();
        if let Some(m) = &self.method {
            crate::redact::method_secrets(&m.line, &mut in_line);
        }
        self.secret.iter().map(String::as_str).chain(in_line)
    }
}

/// The secret an indicator must send when it has one of its own. The server checks an
/// indicator against its `secret` argument when that is set, instead of its policy's
/// (`isecret = i.getarg('secret')`), so a method line's non-empty `secret=` is what every update
/// must carry; a `secret` option that says otherwise could never be accepted.
fn own_secret(
    method: Option<&MethodLine>,
    option: Option<String>,
) -> Result<Option<String>, Error> {
    let Some(own) = method
        .and_then(|m| m.secret_arg.as_deref())
        .filter(|s| !s.is_empty())
    else {
        return Ok(option);
    };
    match option {
        Some(other) if other != own => Err(Error::invalid(
            "option secret differs from the method line's secret=…: the server checks this \
             indicator against the method line's secret alone (it replaces the policy's), so \
             leave option secret out or give the same value",
        )),
        _ => Ok(Some(own.to_string())),
    }
}

fn tag_list(value: &Value) -> Result<Vec<String>, Error> {
    match value {
        Value::List(items) => Ok(items.clone()),
        Value::Str(s) => Ok(crate::tags::split(s)),
        other => Err(Error::invalid_with(
            "option tags must be an array of strings or a comma-separated string, got {}",
            &[other.type_name()],
        )),
    }
}

/// Free text that may span lines (details, descriptions), bounded in size.
pub fn long_text(key: &str, value: &Value) -> Result<String, Error> {
    match value {
        Value::Str(s) if s.len() > crate::status::MAX_TEXT_BYTES => Err(Error::invalid_with(
            "{} is longer than {}",
            &[key, crate::status::MAX_TEXT],
        )),
        Value::Str(s) => Ok(s.clone()),
        other => Err(Error::invalid_with(
            "{} must be a string, got {}",
            &[key, other.type_name()],
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project() -> ProjectConfig {
        ProjectConfig::from_pairs(&[
            ("textid".into(), Value::Str("t".into())),
            ("secret".into(), Value::Str("ps".into())),
            ("prefix".into(), Value::Str("host1".into())),
        ])
        .unwrap()
    }

    #[test]
    fn takes_the_project_secret_unless_given_its_own() {
        let p = project();
        assert_eq!(
            IndicatorSpec::new(&p, "a", &[]).unwrap().secret.as_deref(),
            Some("ps")
        );
        let own =
            IndicatorSpec::new(&p, "a", &[("secret".into(), Value::Str("is".into()))]).unwrap();
        assert_eq!(own.secret.as_deref(), Some("is"));
    }

    #[test]
    fn an_own_secret_in_the_method_line_is_what_is_sent() {
        let p = project();
        let method = |line: &str| ("method".into(), Value::Str(line.into()));
        let secret = |s: &str| ("secret".into(), Value::Str(s.into()));
        let sent = |opts: &[(String, Value)]| IndicatorSpec::new(&p, "a", opts).map(|s| s.secret);
        assert_eq!(
            sent(&[method("heartbeat|secret=own")]).unwrap().as_deref(),
            Some("own")
        );
        assert_eq!(
            sent(&[secret("own"), method("heartbeat| secret = own ")])
                .unwrap()
                .as_deref(),
            Some("own")
        );
        // An empty secret= is no secret of its own: the policy's applies.
        assert_eq!(
            sent(&[method("heartbeat|secret=")]).unwrap().as_deref(),
            Some("ps")
        );
        let e = sent(&[method("heartbeat|secret=CANARY1"), secret("CANARY2")]).unwrap_err();
        assert_eq!(e.code, crate::error::Code::InvalidArgument);
        assert!(e.message.contains("replaces the policy's"), "{}", e.message);
        assert!(!e.message.contains("CANARY"), "{}", e.message);
    }

    #[test]
    fn checks_every_option() {
        let p = project();
        let spec = IndicatorSpec::new(
            &p,
            ":load",
            &[
                (
                    "method".into(),
                    Value::Str("numerical|maxlim=3|secret=ms".into()),
                ),
                ("tags".into(), Value::List(vec!["a".into(), "b".into()])),
            ],
        )
        .unwrap();
        assert_eq!(spec.name, "host1:load");
        assert_eq!(spec.kind(), Kind::Numerical);
        assert_eq!(spec.tags, "a,b");
        // The own secret, then the line's value as written and stripped.
        assert_eq!(spec.secrets().collect::<Vec<_>>(), ["ms", "ms", "ms"]);
        for bad in [
            ("method", Value::Str("numerical|x".into())),
            ("tags", Value::Str("-a".into())),
            ("tags", Value::Num(1.0)),
            ("policy", Value::Bool(true)),
            ("color", Value::Str("red".into())),
            ("desc", Value::Str("d".repeat(70_000))),
        ] {
            assert!(
                IndicatorSpec::new(&p, "a", &[(bad.0.into(), bad.1.clone())]).is_err(),
                "{bad:?}"
            );
        }
    }
}
