//! Project options: names, types and ranges checked once, at construction, so a mistake shows
//! up where it was made and not at the first update.

use crate::base::error::{invalid, Error};
use crate::base::log::Level;
use crate::base::redact::quoted;
use crate::base::text::decimal;
use crate::base::value::Value;
use crate::protocol::http_url::BaseUrl;

/// Where updates go when no `url` is given.
pub const DEFAULT_URL: &str = "https://my.okerr.com/";

/// Option names the core checks, as messages list them. `logger`, `fetch` and `throttleStore`
/// are JS objects the JS face takes itself.
pub const PROJECT_OPTIONS: &str = "textid, secret, url, direct, dryRun, timeoutMs, retries, \
     backoffMs, throttleSeconds, prefix, apiKey, x, logLevel, mode, rejectOnFailure, logger, fetch, throttleStore";

/// How an update is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// An ordinary request whose answer is read and checked.
    Cors,
    /// A browser `no-cors` request: delivered, but the answer cannot be read, so it is unconfirmed.
    NoCors,
}

/// A project's settings, all checked.
#[derive(Clone, PartialEq)]
pub struct ProjectConfig {
    /// The project's text id.
    pub textid: String,
    /// The project secret, if any.
    pub secret: Option<String>,
    /// The director's base URL, or the server itself in direct mode.
    pub url: BaseUrl,
    /// Post to `url` itself instead of asking the director.
    pub direct: bool,
    /// Check and log everything, send nothing.
    pub dry_run: bool,
    /// Time limit of one HTTP request.
    pub timeout_ms: u32,
    /// Retries after the first attempt.
    pub retries: u32,
    /// The wait before the first retry; doubled for each further one.
    pub backoff_ms: f64,
    /// How long a sent status suppresses an identical one (any numerical one), in ms.
    pub throttle_ms: f64,
    /// Put in front of indicator names that start with `:`.
    pub prefix: Option<String>,
    /// The project API key.
    pub api_key: Option<String>,
    /// Extra fields sent as `x_NAME`.
    pub x: Vec<(String, String)>,
    /// The initial log level.
    pub log_level: Level,
    /// How updates are delivered.
    pub mode: Mode,
    /// Whether a failed update rejects (`true`, the default) or resolves as `failed`.
    pub reject_on_failure: bool,
    /// A throttle store shared by the fleet decides every update ([`crate::engine::store`]).
    pub throttle_store: bool,
}

impl std::fmt::Debug for ProjectConfig {
    // Written by hand so that no Debug output can ever carry the secret or the API key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProjectConfig")
            .field("textid", &self.textid)
            .field("secret", &self.secret.as_ref().map(|_| "[secret]"))
            .field("url", &self.url.as_str())
            .field("direct", &self.direct)
            .field("api_key", &self.api_key.as_ref().map(|_| "[secret]"))
            .finish_non_exhaustive()
    }
}

impl ProjectConfig {
    /// Build from `(name, value)` pairs; a later pair overrides an earlier one of the same name.
    /// An error never shows the secret or API key given in the same pairs (a secret pasted
    /// into `url` by mistake, say).
    pub fn from_pairs(pairs: &[(String, Value)]) -> Result<ProjectConfig, Error> {
        crate::base::error::holding(&crate::protocol::project_config::secrets_in(pairs), || {
            ProjectConfig::check_pairs(pairs)
        })
    }

    fn check_pairs(pairs: &[(String, Value)]) -> Result<ProjectConfig, Error> {
        let mut c = ProjectConfig {
            textid: String::new(),
            secret: None,
            url: BaseUrl::parse(DEFAULT_URL, "url")?,
            direct: false,
            dry_run: false,
            timeout_ms: 5000,
            retries: 5,
            backoff_ms: 2000.0,
            throttle_ms: 300_000.0,
            prefix: None,
            api_key: None,
            x: Vec::new(),
            // A library prints nothing while all is well: the line per update is at info, which
            // the application turns on (as Python's logging is silent at INFO until configured).
            log_level: Level::Warn,
            mode: Mode::Cors,
            reject_on_failure: true,
            throttle_store: false,
        };
        let mut textid = None;
        for (key, value) in pairs {
            if matches!(value, Value::Absent) {
                continue;
            }
            match key.as_str() {
                "textid" => textid = Some(text(key, value)?),
                "secret" => c.secret = optional_text(key, value)?,
                "url" => c.url = BaseUrl::parse(&text(key, value)?, "url")?,
                "direct" => c.direct = boolean(key, value)?,
                "dryRun" => c.dry_run = boolean(key, value)?,
                "timeoutMs" => c.timeout_ms = number(key, value, 1, 600_000)? as u32,
                "retries" => c.retries = integer(key, value, 0, 10)?,
                "backoffMs" => c.backoff_ms = number(key, value, 0, 600_000)?,
                "throttleSeconds" => c.throttle_ms = number(key, value, 0, 31_536_000)? * 1000.0,
                "prefix" => c.prefix = optional_text(key, value)?,
                "apiKey" => c.api_key = api_key(key, value)?,
                "x" => c.x = extra_fields(value)?,
                "logLevel" => c.log_level = Level::parse(&text(key, value)?)?,
                "mode" => c.mode = mode(&text(key, value)?)?,
                "rejectOnFailure" => c.reject_on_failure = boolean(key, value)?,
                // An object with `claim` and `release` methods: the JS face checks it.
                "throttleStore" => c.throttle_store = true,
                "logger" | "fetch" => {}
                other => {
                    return Err(invalid!(
                        "unknown option {}; known options: {}",
                        quoted(other),
                        PROJECT_OPTIONS
                    ))
                }
            }
        }
        c.textid = check_textid(textid)?;
        if c.mode == Mode::NoCors && !c.direct {
            // The director's answer is only useful if it can be read, and no-cors cannot.
            return Err(Error::invalid(
                "mode 'no-cors' needs direct: true and url set to the project's server (e.g. https://cp.okerr.com/): \
                 a page cannot read the director's answer from another origin",
            ));
        }
        Ok(c)
    }

    /// Every secret this configuration holds, for redaction.
    pub fn secrets(&self) -> impl Iterator<Item = &str> {
        self.secret
            .iter()
            .chain(self.api_key.iter())
            .map(String::as_str)
    }
}

fn check_textid(textid: Option<String>) -> Result<String, Error> {
    let t = textid.unwrap_or_default();
    if crate::base::text::trim(&t).is_empty() {
        return Err(Error::invalid(
            "textid is required: new OkerrProject('MyTextID', 'secret') or OKERR_TEXTID",
        ));
    }
    if t.chars().count() > 200
        || crate::base::text::has_control(&t)
        || t != crate::base::text::trim(&t)
        || crate::base::text::has_any(&t, b"/")
        // `.` and `..` would be resolved away in the director's and the API's paths.
        || crate::protocol::http_url::has_dot_segment(&t)
    {
        return Err(invalid!("textid {} is not a project text id", quoted(&t)));
    }
    Ok(t)
}

fn mode(s: &str) -> Result<Mode, Error> {
    match s {
        "cors" => Ok(Mode::Cors),
        "no-cors" => Ok(Mode::NoCors),
        _ => Err(invalid!(
            "mode must be 'cors' or 'no-cors'; got {}",
            quoted(s)
        )),
    }
}

fn type_error(key: &str, want: &str, value: &Value) -> Error {
    invalid!("option {} must be {}, got {}", key, want, value.type_name())
}

/// The secrets among a caller's settings, found before they are checked so that an error about
/// any setting masks them: `secret` and `apiKey` values, every `secret=` part of a `method`
/// line (wherever it stands, even in a line that is wrong), and the user information of a
/// `url` (`user:password@`), whatever else is wrong with it.
pub fn secrets_in(pairs: &[(String, Value)]) -> Vec<&str> {
    let mut out = Vec::new();
    for (key, value) in pairs {
        let Value::Str(s) = value else {
            continue;
        };
        match key.as_str() {
            "secret" | "apiKey" => out.push(s.as_str()),
            "method" => crate::protocol::method::secrets(s, &mut out),
            "url" => {
                let [userinfo, password] = crate::protocol::http_url::credentials(s);
                out.push(userinfo);
                out.push(password);
            }
            _ => {}
        }
    }
    out
}

/// A string option, refused when too long or multi-line.
pub fn text(key: &str, value: &Value) -> Result<String, Error> {
    match value {
        Value::Str(s) if s.len() > crate::protocol::status::MAX_TEXT_BYTES => {
            Err(invalid!("option {} is too long", key))
        }
        Value::Str(s) if crate::base::text::has_control(s) => Err(invalid!(
            "option {} must not contain control characters",
            key
        )),
        Value::Str(s) => Ok(s.clone()),
        other => Err(type_error(key, "a string", other)),
    }
}

/// A string option where `""` means "not set".
pub fn optional_text(key: &str, value: &Value) -> Result<Option<String>, Error> {
    match value {
        Value::Absent => Ok(None),
        v => text(key, v).map(|s| Some(s).filter(|s| !s.is_empty())),
    }
}

/// The API key: text that an HTTP header can carry. `fetch` refuses a header value with a
/// character above U+00FF, which would fail each call as `NETWORK` after every retry.
fn api_key(key: &str, value: &Value) -> Result<Option<String>, Error> {
    let k = optional_text(key, value)?;
    if k.as_deref()
        .is_some_and(|k| k.chars().any(|c| c > '\u{ff}'))
    {
        // The key is not quoted: it is a secret.
        return Err(Error::invalid(
            "option apiKey must hold only characters up to U+00FF: it is sent as the X-API-KEY \
             header, which cannot carry others",
        ));
    }
    Ok(k)
}

fn boolean(key: &str, value: &Value) -> Result<bool, Error> {
    match value {
        Value::Bool(b) => Ok(*b),
        other => Err(type_error(key, "true or false", other)),
    }
}

// Bounds are whole numbers so that the message needs no float formatting, whose code alone
// would be a tenth of the .wasm.
fn number(key: &str, value: &Value, min: u32, max: u32) -> Result<f64, Error> {
    match value {
        Value::Num(n) if n.is_finite() && *n >= f64::from(min) && *n <= f64::from(max) => Ok(*n),
        Value::Num(_) => Err(invalid!(
            "option {} must be a finite number from {} to {}",
            key,
            decimal(min.into()),
            decimal(max.into())
        )),
        other => Err(type_error(key, "a number", other)),
    }
}

fn integer(key: &str, value: &Value, min: u32, max: u32) -> Result<u32, Error> {
    let n = number(key, value, min, max)?;
    if n.fract() != 0.0 {
        return Err(invalid!("option {} must be a whole number", key));
    }
    Ok(n as u32)
}

/// What a `throttleStore` must be, as a refusal says it.
pub const STORE_SHAPE: &str =
    "option throttleStore must be an object with claim and release methods";

fn extra_fields(value: &Value) -> Result<Vec<(String, String)>, Error> {
    let Value::Map(pairs) = value else {
        // An object that is not a `Map` has a value of another kind (`true`, `null`, a NaN).
        return Err(match value {
            Value::Other("object") => {
                Error::invalid("option x: every value must be a string or a finite number")
            }
            _ => type_error("x", "an object of strings or numbers", value),
        });
    };
    for (k, v) in pairs {
        if k.is_empty() || !k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(invalid!(
                "x field name {} must be letters, digits or '_'",
                quoted(k)
            ));
        }
        if v.len() > crate::protocol::status::MAX_TEXT_BYTES {
            return Err(invalid!("x field {} is too long", quoted(k)));
        }
    }
    Ok(pairs.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_secrets_in_settings_before_they_are_checked() {
        let pairs = [
            ("secret".to_string(), Value::Str("S1".into())),
            ("method".to_string(), Value::Str("secret=M1|x".into())),
            ("method".to_string(), Value::Str("|secret= M2 ".into())),
            ("url".to_string(), Value::Str("https://u:P1@h/".into())),
            ("apiKey".to_string(), Value::Num(1.0)),
        ];
        assert_eq!(
            secrets_in(&pairs),
            ["S1", "M1", "M1", " M2 ", "M2", "u:P1", "P1"]
        );
    }

    fn pairs(list: &[(&str, Value)]) -> Vec<(String, Value)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn defaults_follow_the_reference_client() {
        let c = ProjectConfig::from_pairs(&pairs(&[("textid", Value::Str("t".into()))])).unwrap();
        assert_eq!(c.url.as_str(), "https://my.okerr.com");
        assert_eq!(
            (c.timeout_ms, c.retries, c.backoff_ms, c.throttle_ms),
            (5000, 5, 2000.0, 300_000.0)
        );
        assert!(!c.direct && !c.dry_run && c.secret.is_none() && !c.throttle_store);
    }

    #[test]
    fn a_throttle_store_is_taken_as_given_to_the_face() {
        for store in [Value::Other("object"), Value::Map(vec![])] {
            let c = ProjectConfig::from_pairs(&pairs(&[
                ("textid", Value::Str("t".into())),
                ("throttleStore", store),
            ]))
            .unwrap();
            assert!(c.throttle_store);
        }
    }

    #[test]
    fn later_pairs_override_earlier_ones() {
        let c = ProjectConfig::from_pairs(&pairs(&[
            ("textid", Value::Str("a".into())),
            ("secret", Value::Str("s".into())),
            ("textid", Value::Str("b".into())),
            ("secret", Value::Absent),
        ]))
        .unwrap();
        assert_eq!(c.textid, "b");
        assert_eq!(c.secret.as_deref(), Some("s"));
    }

    #[test]
    fn refuses_bad_options() {
        let without_good_textid: Vec<Vec<(&str, Value)>> = vec![
            vec![],
            vec![("textid", Value::Str("".into()))],
            vec![("textid", Value::Num(1.0))],
            vec![("textid", Value::Str("t/x".into()))],
            // The director's path would lose them (`api/director/..` is `api/`).
            vec![("textid", Value::Str("..".into()))],
            vec![("textid", Value::Str(".".into()))],
            vec![("textid", Value::Str("%2e%2E".into()))],
        ];
        // Each one bad option beside a good textid.
        let bad_option: Vec<(&str, Value)> = vec![
            ("timeoutMs", Value::Num(-1.0)),
            ("timeoutMs", Value::Num(f64::NAN)),
            ("timeoutMs", Value::Str("5".into())),
            ("retries", Value::Num(1.5)),
            ("retries", Value::Num(11.0)),
            ("url", Value::Str("ftp://x".into())),
            ("direct", Value::Str("yes".into())),
            ("bogus", Value::Bool(true)),
            ("x", Value::Map(vec![("a-b".into(), "1".into())])),
            ("logLevel", Value::Str("loud".into())),
            ("mode", Value::Str("fast".into())),
            ("mode", Value::Str("no-cors".into())),
            // A header cannot carry it: fetch would fail every call as NETWORK.
            ("apiKey", Value::Str("key\u{100}".into())),
            ("apiKey", Value::Str("key\u{2603}".into())),
        ];
        let cases = without_good_textid.into_iter().chain(
            bad_option
                .into_iter()
                .map(|o| vec![("textid", Value::Str("t".into())), o]),
        );
        for case in cases {
            let e = ProjectConfig::from_pairs(&pairs(&case)).unwrap_err();
            assert_eq!(
                e.code,
                crate::base::error::Code::InvalidArgument,
                "{case:?}"
            );
        }
    }

    #[test]
    fn a_bad_x_says_which_part_is_wrong() {
        let message = |x: Value| {
            ProjectConfig::from_pairs(&pairs(&[("textid", Value::Str("t".into())), ("x", x)]))
                .unwrap_err()
                .message
        };
        assert_eq!(
            message(Value::Other("object")),
            "option x: every value must be a string or a finite number"
        );
        assert_eq!(
            message(Value::Str("a=1".into())),
            "option x must be an object of strings or numbers, got string"
        );
    }

    #[test]
    fn errors_hide_the_secrets_given_with_them() {
        let e = ProjectConfig::from_pairs(&pairs(&[
            ("textid", Value::Str("t".into())),
            ("secret", Value::Str("CANARY1".into())),
            ("apiKey", Value::Str("CANARY2".into())),
            ("url", Value::Str("ftp://CANARY1/CANARY2".into())),
        ]))
        .unwrap_err();
        assert!(!e.message.contains("CANARY"), "{}", e.message);
    }

    #[test]
    fn an_api_key_a_header_can_carry_is_taken() {
        for key in ["k", "caf\u{e9}-\u{ff}", "K3Y/+="] {
            let c = ProjectConfig::from_pairs(&pairs(&[
                ("textid", Value::Str("t".into())),
                ("apiKey", Value::Str(key.into())),
            ]))
            .unwrap();
            assert_eq!(c.api_key.as_deref(), Some(key));
        }
        let e = ProjectConfig::from_pairs(&pairs(&[
            ("textid", Value::Str("t".into())),
            ("apiKey", Value::Str("CANARY\u{20ac}".into())),
        ]))
        .unwrap_err();
        assert!(e.message.contains("U+00FF"), "{}", e.message);
        assert!(!e.message.contains("CANARY"), "{}", e.message);
    }

    #[test]
    fn debug_output_hides_secrets() {
        let c = ProjectConfig::from_pairs(&pairs(&[
            ("textid", Value::Str("t".into())),
            ("secret", Value::Str("CANARY1".into())),
            ("apiKey", Value::Str("CANARY2".into())),
        ]))
        .unwrap();
        let shown = format!("{c:?}");
        assert!(!shown.contains("CANARY"), "{shown}");
    }
}
