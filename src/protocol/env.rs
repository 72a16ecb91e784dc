//! Settings from the places the reference tools read them: environment variables and the text
//! of an `okerrupdate` dotenv file or an old `okerrclient.conf`. The JS face reads no files: the
//! caller (or the CLI) passes the text, so this works where there is no file system.

use crate::base::error::{invalid, Error};
use crate::base::redact::quoted;
use crate::base::value::Value;

/// Environment variable → project option.
const ENV_NAMES: [(&str, &str); 6] = [
    ("OKERR_TEXTID", "textid"),
    ("OKERR_SECRET", "secret"),
    ("OKERR_URL", "url"),
    ("OKERR_DIRECT", "direct"),
    ("OKERR_API_KEY", "apiKey"),
    ("PREFIX", "prefix"),
];

/// Project options from environment variables (`process.env`, `Deno.env.toObject()`, a
/// Worker's `env`). Unrelated variables are ignored; an empty value counts as unset.
pub fn from_env(env: &[(String, String)]) -> Result<Vec<(String, Value)>, Error> {
    // A secret pasted into another variable (`OKERR_DIRECT`, say) is masked in its error.
    let mut secrets = Vec::new();
    for (var, value) in env {
        match var.as_str() {
            "OKERR_SECRET" | "OKERR_API_KEY" => secrets.push(value.as_str()),
            "OKERR_URL" => {
                let [userinfo, password] = crate::protocol::http_url::credentials(value);
                secrets.push(userinfo);
                secrets.push(password);
            }
            _ => {}
        }
    }
    crate::base::error::holding(&secrets, || read_env(env))
}

fn read_env(env: &[(String, String)]) -> Result<Vec<(String, Value)>, Error> {
    let mut out = Vec::new();
    for (var, value) in env {
        if let Some((_, option)) = ENV_NAMES.iter().find(|(v, _)| v == var) {
            if value.is_empty() {
                continue;
            }
            let value = if *option == "direct" {
                Value::Bool(flag(var, value)?)
            } else {
                Value::Str(value.clone())
            };
            out.push((option.to_string(), value));
        }
    }
    Ok(out)
}

/// Project options from the text of an `okerrupdate` dotenv file (`OKERR_TEXTID=...`) or an old
/// `okerrclient.conf` (`textid = ...`, `secret = ...`). Comments (`#`) and unknown keys are
/// ignored; dotenv values may be quoted and lines may start with `export `.
pub fn from_config_text(text: &str) -> Result<Vec<(String, Value)>, Error> {
    let mut env = Vec::new();
    // Lines as pieces between '\n's: each is trimmed, so a '\r' before one goes too.
    for raw in crate::base::text::pieces(text, b'\n') {
        let line = crate::base::text::trim(raw);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((key, value)) = crate::base::text::split_once(line, b'=') else {
            continue;
        };
        let key = crate::base::text::trim(key);
        let value = match key {
            // The old format cuts at any '#', as the reference client's read_config does.
            "textid" | "secret" => {
                crate::base::text::trim(crate::base::text::up_to(value, b"#")).to_string()
            }
            _ => dotenv_value(value),
        };
        let var = match key {
            "textid" => "OKERR_TEXTID",
            "secret" => "OKERR_SECRET",
            other => other,
        };
        env.push((var.to_string(), value));
    }
    from_env(&env)
}

/// A dotenv value (what follows `=`): quoted ('...' literally, "..." with `\"`, `\\` and `\n`
/// escapes) or bare, where a bare value ends at a `#` that follows whitespace. The whitespace
/// right after `=` counts, as python-dotenv reads it: `KEY= # later` is empty, not `# later`.
fn dotenv_value(raw: &str) -> String {
    let v = crate::base::text::trim_start(raw);
    if let Some(rest) = v.strip_prefix('\'') {
        return crate::base::text::up_to(rest, b"'").to_string();
    }
    if let Some(rest) = v.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('n') => out.push('\n'),
                    Some(other) => out.push(other),
                    None => break,
                },
                c => out.push(c),
            }
        }
        return out;
    }
    let bare = raw
        .char_indices()
        .find(|&(i, c)| c == '#' && raw[..i].ends_with(char::is_whitespace))
        .map_or(raw, |(i, _)| &raw[..i]);
    crate::base::text::trim(bare).to_string()
}

fn flag(var: &str, value: &str) -> Result<bool, Error> {
    let t = crate::base::text::trim(value);
    let any = |words: [&str; 4]| words.iter().any(|w| t.eq_ignore_ascii_case(w));
    if any(["1", "true", "yes", "on"]) {
        Ok(true)
    } else if any(["0", "false", "no", "off"]) {
        Ok(false)
    } else {
        Err(invalid!(
            "{} must be 1, true, yes or on (direct), or 0, false, no or off; got {}",
            var,
            quoted(value)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::Str(v.into())
    }

    #[test]
    fn reads_environment_names() {
        let env: Vec<(String, String)> = [
            ("OKERR_TEXTID", "t"),
            ("OKERR_DIRECT", "1"),
            ("HOME", "/root"),
            ("OKERR_URL", ""),
            ("PREFIX", "h:"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let got = from_env(&env).unwrap();
        assert_eq!(
            got,
            vec![
                ("textid".into(), s("t")),
                ("direct".into(), Value::Bool(true)),
                ("prefix".into(), s("h:"))
            ]
        );
        assert!(from_env(&[("OKERR_DIRECT".into(), "maybe".into())]).is_err());
    }

    #[test]
    fn reads_dotenv_files() {
        let text = "# okerr\nOKERR_TEXTID=abc\nexport OKERR_SECRET='s #1'\nOKERR_URL=\"http://x/\" # c\nOKERR_API_KEY=k1 # key\nJUNK\n";
        let got = from_config_text(text).unwrap();
        assert_eq!(
            got,
            vec![
                ("textid".into(), s("abc")),
                ("secret".into(), s("s #1")),
                ("url".into(), s("http://x/")),
                ("apiKey".into(), s("k1")),
            ]
        );
    }

    #[test]
    fn a_comment_right_after_the_equals_sign_is_no_value() {
        let got = from_config_text("OKERR_TEXTID=t\nOKERR_SECRET= # set me\nPREFIX=#h\n").unwrap();
        assert_eq!(
            got,
            vec![("textid".into(), s("t")), ("prefix".into(), s("#h"))]
        );
    }

    #[test]
    fn reads_old_okerrclient_conf() {
        let got =
            from_config_text("textid = proj # comment\n secret=abc#def\nother = 1\n").unwrap();
        assert_eq!(
            got,
            vec![("textid".into(), s("proj")), ("secret".into(), s("abc"))]
        );
    }
}
