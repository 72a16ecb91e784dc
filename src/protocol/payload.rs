//! The payload of one update: its form body, the same fields the reference client sends for the
//! same call.

use crate::base::form::FormBody;
use crate::base::text::fill;
use crate::protocol::indicator::IndicatorSpec;
use crate::protocol::project_config::ProjectConfig;

/// Encode an update. Field by field as the reference client: `details`, `secret`, `method`,
/// `policy` and `error` are left out when unset; `tags`, `keypath`, `origkeypath` and `desc`
/// are sent as `''` when unset; `x` fields follow as `x_NAME`.
pub fn body(
    project: &ProjectConfig,
    spec: &IndicatorSpec,
    status: &str,
    details: Option<&str>,
) -> String {
    let mut f = FormBody::with_capacity(160 + status.len() + details.map_or(0, str::len));
    f.push("textid", &project.textid);
    f.push("name", &spec.name);
    f.push("status", status);
    if let Some(d) = details {
        f.push("details", d);
    }
    if let Some(s) = &spec.secret {
        f.push("secret", s);
    }
    if let Some(m) = &spec.method {
        f.push("method", &m.line);
    }
    if let Some(p) = &spec.policy {
        f.push("policy", p);
    }
    f.push("tags", &spec.tags);
    if let Some(e) = &spec.error {
        f.push("error", e);
    }
    f.push("keypath", &spec.keypath);
    f.push("origkeypath", &spec.origkeypath);
    f.push("desc", &spec.desc);
    for (k, v) in &project.x {
        f.push(&fill!("x_{}", k), v);
    }
    f.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::form::decode;
    use crate::base::value::Value;

    #[test]
    fn sends_the_reference_clients_fields() {
        let p = ProjectConfig::from_pairs(&[
            ("textid".into(), Value::Str("MyTextID".into())),
            ("secret".into(), Value::Str("MySecret".into())),
            ("x".into(), Value::Map(vec![("smtp".into(), "1".into())])),
        ])
        .unwrap();
        let spec = IndicatorSpec::new(
            &p,
            "test:1",
            &[("method".into(), Value::Str("numerical|maxlim=37".into()))],
        )
        .unwrap();
        let fields = decode(&body(
            &p,
            &spec,
            "36.6",
            Some("Current temperature is normal"),
        ));
        let got: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("textid", "MyTextID"),
                ("name", "test:1"),
                ("status", "36.6"),
                ("details", "Current temperature is normal"),
                ("secret", "MySecret"),
                ("method", "numerical|maxlim=37"),
                ("tags", ""),
                ("keypath", ""),
                ("origkeypath", ""),
                ("desc", ""),
                ("x_smtp", "1"),
            ]
        );
    }
}
