//! The project API (protocol section 5) and public status pages (section 6). Each call is
//! checked and built here as a plain [`Call`] before anything is sent; [`send`] delivers it to
//! the project's server through the same director, timeout and retry path as updates, and
//! [`answer`] reads what came back. [`sync`] applies indicator settings to indicators that
//! exist, through `getIndicator` and `setArgs`.

pub mod answer;
pub mod send;
pub mod sync;

pub use answer::Answer;
pub use send::send;

use crate::error::{Code, Error};
use crate::form::FormBody;
use crate::http_url::{encode_path, has_dot_segment};
use crate::project_config::ProjectConfig;
use crate::text::{decimal, fill, quoted};
use crate::value::Value;

/// What kind of text a successful answer holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    /// Indicator names, one a line.
    Names,
    /// One text, such as `Changed NAME {...}` or an argument's value.
    Text,
    /// A JSON object (`{`) or list (`[`).
    Json(char),
    /// A status page's JSON; anything else means the page is not public.
    StatusPage,
}

/// One API request, checked and ready to send to the project's server.
#[derive(Clone, PartialEq)]
pub struct Call {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The path below the project's server, already encoded (`api/indicator/T/df-/var`).
    pub path: String,
    /// The form body of a `POST`.
    pub form: Option<String>,
    /// Whether the request carries the API key (and so must not follow redirects blindly).
    pub needs_key: bool,
    /// What a successful answer holds.
    pub reply: Reply,
    /// What the call does, for messages: "read indicator 'x' of project 'T'".
    pub what: String,
}

impl std::fmt::Debug for Call {
    // The form may carry anything the caller set: only the request line is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} /{}", self.method, self.path)
    }
}

/// `GET api/indicators/{textid}[/{prefix}]`: the names of the project's indicators, or of those
/// starting with `prefix` (which may contain `/`).
pub fn list_indicators(c: &ProjectConfig, prefix: Option<&str>) -> Result<Call, Error> {
    let prefix = prefix.filter(|p| !p.is_empty());
    let mut what = fill("list the indicators of project '{}'", &[&c.textid]);
    let mut path = project_path(c, "indicators")?;
    if let Some(p) = prefix {
        path_text(p, "prefix")?;
        what.push_str(" starting with ");
        what.push_str(&quoted(p));
        path.push('/');
        path.push_str(&encode_path(p));
    }
    Ok(keyed("GET", path, None, Reply::Names, what))
}

/// `GET api/indicator/{textid}/{name}`: one indicator as a JSON object.
pub fn get_indicator(c: &ProjectConfig, name: &str) -> Result<Call, Error> {
    let (path, name) = indicator_path(c, "indicator", name)?;
    let what = fill("read indicator '{}' of project '{}'", &[&name, &c.textid]);
    Ok(keyed("GET", path, None, Reply::Json('{'), what))
}

/// `GET api/get/{textid}/{name}/{arg}`: one argument's value (`policy`, `cm`, `desc`,
/// `silent`, `problem`, `disabled` are special, any other is a method argument).
pub fn get_arg(c: &ProjectConfig, name: &str, arg: &str) -> Result<Call, Error> {
    let (mut path, name) = indicator_path(c, "get", name)?;
    part(arg, "argument name")?;
    path.push('/');
    path.push_str(&encode_path(arg));
    let what = fill(
        "read argument {} of indicator '{}' in project '{}'",
        &[&quoted(arg), &name, &c.textid],
    );
    Ok(keyed("GET", path, None, Reply::Text, what))
}

/// `GET api/filter/{textid}/{term}/...`: names of the indicators matching every term: `k=v`
/// (an argument's value), `flag` (a flag or tag that must be set, e.g. `OK`, `sslcert`) or
/// `-flag` (one that must not be).
pub fn filter(c: &ProjectConfig, terms: &[String]) -> Result<Call, Error> {
    let path = terms_path(c, "filter", terms, "filter term")?;
    let what = fill("filter the indicators of project '{}'", &[&c.textid]);
    Ok(keyed("GET", path, None, Reply::Names, what))
}

/// `GET api/tagfilter/{textid}/{tag}/...`: names of the indicators with every `tag`/`+tag`
/// and without every `-tag`.
pub fn tag_filter(c: &ProjectConfig, tags: &[String]) -> Result<Call, Error> {
    let path = terms_path(c, "tagfilter", tags, "tag")?;
    let what = fill(
        "filter the indicators of project '{}' by tags",
        &[&c.textid],
    );
    Ok(keyed("GET", path, None, Reply::Names, what))
}

/// `POST api/set/{textid}/{name}` with `fields` (`policy`, `desc`, `silent`, `disabled`,
/// `problem`, `retest`, `maintenance`, any method argument...). Numbers are sent as written,
/// `true`/`false` as `1`/`0`; unset (`undefined`/`null`) fields are left out.
pub fn set_args(c: &ProjectConfig, name: &str, fields: &[(String, Value)]) -> Result<Call, Error> {
    let (path, name) = indicator_path(c, "set", name)?;
    let mut form = FormBody::with_capacity(64);
    let mut count = 0;
    for (key, value) in fields {
        let text = match value {
            Value::Absent => continue,
            Value::Str(s) => s.clone(),
            // The JS face passes numbers already written as JS writes them; a whole number from
            // a native caller is written here without float formatting.
            Value::Num(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => {
                let sign = if *n < 0.0 { "-" } else { "" };
                fill("{}{}", &[sign, &decimal(n.abs() as u64)])
            }
            Value::Bool(b) => String::from(if *b { "1" } else { "0" }),
            other => {
                let got = match other {
                    Value::Num(n) if n.is_finite() => "a fraction (pass it as a string)",
                    Value::Num(_) => "NaN or Infinity",
                    _ => other.type_name(),
                };
                return Err(Error::invalid_with(
                    "field {} must be a string, a finite number or a boolean, got {}",
                    &[&quoted(key), got],
                ));
            }
        };
        if crate::text::trim(key).is_empty() || crate::text::has_control(key) {
            return Err(Error::invalid_with(
                "field name {} is not a field name",
                &[&quoted(key)],
            ));
        }
        form.push(key, &text);
        count += 1;
    }
    if count == 0 {
        return Err(Error::invalid(
            "nothing to change: give at least one field, e.g. { retest: 1 } or days=20",
        ));
    }
    let what = fill("change indicator '{}' of project '{}'", &[&name, &c.textid]);
    Ok(keyed("POST", path, Some(form.finish()), Reply::Text, what))
}

/// `POST api/create/{textid}/{name}`: a heartbeat indicator in policy `Default`.
pub fn create_indicator(c: &ProjectConfig, name: &str) -> Result<Call, Error> {
    let (path, name) = indicator_path(c, "create", name)?;
    let what = fill("create indicator '{}' in project '{}'", &[&name, &c.textid]);
    Ok(keyed("POST", path, Some(String::new()), Reply::Text, what))
}

/// `POST api/delete/{textid}/{name}`.
pub fn delete_indicator(c: &ProjectConfig, name: &str) -> Result<Call, Error> {
    let (path, name) = indicator_path(c, "delete", name)?;
    let what = fill(
        "delete indicator '{}' from project '{}'",
        &[&name, &c.textid],
    );
    Ok(keyed("POST", path, Some(String::new()), Reply::Text, what))
}

/// `GET api/updatelog/{textid}/{name}`: a JSON list of `{"t": unix_seconds, "y": value}`.
pub fn update_log(c: &ProjectConfig, name: &str) -> Result<Call, Error> {
    let (path, name) = indicator_path(c, "updatelog", name)?;
    let what = fill(
        "read the update log of indicator '{}' in project '{}'",
        &[&name, &c.textid],
    );
    Ok(keyed("GET", path, None, Reply::Json('['), what))
}

/// `GET api/checkmethods`: the server's check methods (no API key needed).
pub fn check_methods() -> Call {
    Call {
        method: "GET",
        path: String::from("api/checkmethods"),
        form: None,
        needs_key: false,
        reply: Reply::Json('{'),
        what: String::from("list the check methods"),
    }
}

/// `GET jstatus/{textid}/{addr}`: a public status page (`index` by default; no credentials).
pub fn status_page(c: &ProjectConfig, addr: Option<&str>) -> Result<Call, Error> {
    let addr = addr.unwrap_or("index");
    if crate::text::trim(addr).is_empty() {
        return Err(Error::invalid("status page address must not be empty"));
    }
    path_text(addr, "status page address")?;
    Ok(Call {
        method: "GET",
        path: fill(
            "jstatus/{}/{}",
            &[&encode_path(&c.textid), &encode_path(addr)],
        ),
        form: None,
        needs_key: false,
        reply: Reply::StatusPage,
        what: fill(
            "read status page {} of project '{}'",
            &[&quoted(addr), &c.textid],
        ),
    })
}

fn keyed(
    method: &'static str,
    path: String,
    form: Option<String>,
    reply: Reply,
    what: String,
) -> Call {
    Call {
        method,
        path,
        form,
        needs_key: true,
        reply,
        what,
    }
}

/// Fails with `NO_API_KEY` when the project has no API key: checked first, so that a call
/// without a key fails the same way whatever its other arguments.
fn require_key(c: &ProjectConfig, what: &str) -> Result<(), Error> {
    if c.api_key.is_some() {
        return Ok(());
    }
    Err(Error::new(
        Code::NoApiKey,
        fill(
            "cannot {}: the project API needs the project's API key \
             (option apiKey, OKERR_API_KEY, or okerrapi -k KEY)",
            &[what],
        ),
    ))
}

/// `api/{op}/{textid}`, after checking that the project has an API key.
fn project_path(c: &ProjectConfig, op: &str) -> Result<String, Error> {
    require_key(c, &fill("use the API of project '{}'", &[&c.textid]))?;
    Ok(fill("api/{}/{}", &[op, &encode_path(&c.textid)]))
}

/// `api/{op}/{textid}/{name}` and the name as the server knows it: prefixed and repaired like
/// the name of an update, so `getIndicator(':load')` reads what `indicator(':load')` created.
fn indicator_path(c: &ProjectConfig, op: &str, name: &str) -> Result<(String, String), Error> {
    let mut path = project_path(c, op)?;
    let name = crate::name::prepare(name, c.prefix.as_deref())?;
    path_text(&name, "indicator name")?;
    path.push('/');
    path.push_str(&encode_path(&name));
    Ok((path, name))
}

/// `api/{op}/{textid}/{term}/{term}...`, with the trailing `/` the server's route needs even
/// when there is no term.
fn terms_path(c: &ProjectConfig, op: &str, terms: &[String], what: &str) -> Result<String, Error> {
    let mut path = project_path(c, op)?;
    path.push('/');
    for (i, t) in terms.iter().enumerate() {
        part(t, what)?;
        if i > 0 {
            path.push('/');
        }
        path.push_str(&encode_path(t));
    }
    Ok(path)
}

/// One path segment: the server splits on `/` (even `%2F`, which it decodes first), so a
/// segment cannot contain one.
fn part(s: &str, what: &str) -> Result<(), Error> {
    if s.is_empty() {
        return Err(Error::invalid_with("{} must not be empty", &[what]));
    }
    if crate::text::has_any(s, b"/") {
        return Err(Error::invalid_with(
            "{} {} must not contain '/'",
            &[what, &quoted(s)],
        ));
    }
    path_text(s, what)
}

/// Text that goes into a path: one line, and no `.` or `..` between its slashes, in any
/// spelling a URL parser reads ([`has_dot_segment`]). `fetch` resolves those, so
/// `deleteIndicator('x/../../delete/T/victim')` would post elsewhere than it says, with the
/// API key. The server's own API cannot address such a name either.
fn path_text(s: &str, what: &str) -> Result<(), Error> {
    if crate::text::has_control(s) {
        return Err(Error::invalid_with(
            "{} {} must not contain control characters",
            &[what, &quoted(s)],
        ));
    }
    if has_dot_segment(s) {
        return Err(Error::invalid_with(
            "{} {} has a '.' or '..' between slashes, which a URL resolves away (the call \
             would reach another address); the API cannot address it",
            &[what, &quoted(s)],
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::decode;

    fn config(extra: &[(&str, &str)]) -> ProjectConfig {
        let mut pairs: Vec<(String, Value)> = vec![
            ("textid".into(), Value::Str("My Proj".into())),
            ("apiKey".into(), Value::Str("KEY".into())),
        ];
        pairs.extend(
            extra
                .iter()
                .map(|(k, v)| (k.to_string(), Value::Str(v.to_string()))),
        );
        ProjectConfig::from_pairs(&pairs).unwrap()
    }

    fn no_key() -> ProjectConfig {
        ProjectConfig::from_pairs(&[("textid".into(), Value::Str("p".into()))]).unwrap()
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn builds_the_protocol_paths() {
        let c = config(&[]);
        let cases = [
            (
                list_indicators(&c, None).unwrap(),
                "GET",
                "api/indicators/My%20Proj",
            ),
            (
                list_indicators(&c, Some("")).unwrap(),
                "GET",
                "api/indicators/My%20Proj",
            ),
            (
                list_indicators(&c, Some("df-/v a")).unwrap(),
                "GET",
                "api/indicators/My%20Proj/df-/v%20a",
            ),
            (
                get_indicator(&c, "df-/var").unwrap(),
                "GET",
                "api/indicator/My%20Proj/df-/var",
            ),
            (
                get_arg(&c, "a b", "days").unwrap(),
                "GET",
                "api/get/My%20Proj/a%20b/days",
            ),
            (
                filter(&c, &strings(&["OK", "host=okerr.com", "-silent"])).unwrap(),
                "GET",
                "api/filter/My%20Proj/OK/host%3Dokerr.com/-silent",
            ),
            (filter(&c, &[]).unwrap(), "GET", "api/filter/My%20Proj/"),
            (
                tag_filter(&c, &strings(&["a", "+b", "-c"])).unwrap(),
                "GET",
                "api/tagfilter/My%20Proj/a/%2Bb/-c",
            ),
            (
                create_indicator(&c, "x?").unwrap(),
                "POST",
                "api/create/My%20Proj/x%3F",
            ),
            (
                delete_indicator(&c, "x").unwrap(),
                "POST",
                "api/delete/My%20Proj/x",
            ),
            (
                update_log(&c, "x").unwrap(),
                "GET",
                "api/updatelog/My%20Proj/x",
            ),
            (check_methods(), "GET", "api/checkmethods"),
            (
                status_page(&c, None).unwrap(),
                "GET",
                "jstatus/My%20Proj/index",
            ),
            (
                status_page(&c, Some("ops page")).unwrap(),
                "GET",
                "jstatus/My%20Proj/ops%20page",
            ),
        ];
        for (call, method, path) in cases {
            assert_eq!((call.method, call.path.as_str()), (method, path));
        }
        assert!(get_indicator(&c, "x").unwrap().needs_key);
        assert!(!check_methods().needs_key && !status_page(&c, None).unwrap().needs_key);
    }

    #[test]
    fn names_are_prefixed_and_repaired_like_updates() {
        let c = config(&[("prefix", "host1")]);
        let call = get_indicator(&c, ":load").unwrap();
        assert_eq!(call.path, "api/indicator/My%20Proj/host1%3Aload");
        assert_eq!(
            call.what,
            "read indicator 'host1:load' of project 'My Proj'"
        );
        let call = delete_indicator(&c, "a<b//c").unwrap();
        assert_eq!(call.path, "api/delete/My%20Proj/a_b__c");
        for bad in ["", "  ", "12", "a\nb"] {
            assert_eq!(
                get_indicator(&c, bad).unwrap_err().code,
                Code::InvalidArgument,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn set_args_takes_fractions_only_as_text() {
        let e = set_args(&config(&[]), "x", &[("ratio".into(), Value::Num(0.5))]).unwrap_err();
        assert!(e.message.contains("as a string"), "{}", e.message);
    }

    #[test]
    fn set_args_encodes_fields() {
        let c = config(&[]);
        let call = set_args(
            &c,
            "x",
            &[
                ("days".into(), Value::Num(20.0)),
                ("ratio".into(), Value::Str("0.5".into())),
                ("retest".into(), Value::Bool(true)),
                ("silent".into(), Value::Bool(false)),
                ("desc".into(), Value::Str("a b&c".into())),
                ("skipped".into(), Value::Absent),
            ],
        )
        .unwrap();
        assert_eq!(
            (call.method, call.path.as_str()),
            ("POST", "api/set/My%20Proj/x")
        );
        assert_eq!(
            decode(call.form.as_deref().unwrap()),
            [
                ("days".to_string(), "20".to_string()),
                ("ratio".into(), "0.5".into()),
                ("retest".into(), "1".into()),
                ("silent".into(), "0".into()),
                ("desc".into(), "a b&c".into()),
            ]
        );
    }

    #[test]
    fn refuses_bad_arguments_before_sending() {
        let c = config(&[]);
        let bad = [
            set_args(&c, "x", &[]),
            set_args(&c, "x", &[("a".into(), Value::Absent)]),
            set_args(&c, "x", &[("".into(), Value::Str("1".into()))]),
            set_args(&c, "x", &[("a".into(), Value::Num(f64::NAN))]),
            set_args(&c, "x", &[("a".into(), Value::Other("function"))]),
            get_arg(&c, "x", ""),
            get_arg(&c, "x", "a/b"),
            filter(&c, &strings(&["OK", ""])),
            filter(&c, &strings(&["path=/var"])),
            tag_filter(&c, &strings(&["a\u{7}"])),
            list_indicators(&c, Some("a\nb")),
            status_page(&c, Some("")),
        ];
        for (i, r) in bad.into_iter().enumerate() {
            assert_eq!(r.unwrap_err().code, Code::InvalidArgument, "case {i}");
        }
        let e = set_args(&c, "x", &[("a".into(), Value::Num(f64::INFINITY))]).unwrap_err();
        assert!(e.message.contains("NaN or Infinity"), "{}", e.message);
    }

    #[test]
    fn no_call_carries_a_dot_segment_that_fetch_would_resolve() {
        // Each would reach another path than the one built: `fetch` resolves `..` and `%2e%2e`
        // (`api/delete/T/user1:/../victim` is `api/delete/T/victim`).
        let c = config(&[]);
        let s = |v: &[&str]| strings(v);
        let dotted = [
            "user1:/../victim",
            "x/../../../update",
            "x/../../delete/T/victim",
            "..",
            ".",
            "x/.",
            "a/%2e%2e/b",
            "a/.%2E",
            "a/%2E./b",
        ];
        for d in dotted {
            let mut calls = vec![list_indicators(&c, Some(d)), status_page(&c, Some(d))];
            // A name's `%` is repaired to `_` before it is sent (`_2e_2e` is no dot segment).
            if !d.contains('%') {
                calls.extend([
                    get_indicator(&c, d),
                    delete_indicator(&c, d),
                    create_indicator(&c, d),
                    set_args(&c, d, &[("retest".into(), Value::Num(1.0))]),
                    update_log(&c, d),
                    get_arg(&c, d, "days"),
                ]);
            }
            for (i, r) in calls.into_iter().enumerate() {
                let e = r.expect_err(d);
                assert_eq!(e.code, Code::InvalidArgument, "{d:?} call {i}");
                assert!(e.message.contains("'..'"), "{}", e.message);
            }
        }
        for one in ["..", ".", "%2e%2e", "%2E"] {
            for r in [
                get_arg(&c, "x", one),
                filter(&c, &s(&["OK", one])),
                tag_filter(&c, &s(&[one])),
            ] {
                assert_eq!(r.unwrap_err().code, Code::InvalidArgument, "{one:?}");
            }
        }
        // Dots that are not a whole segment are names like any other.
        assert_eq!(
            get_indicator(&c, "a.b/..c/d..").unwrap().path,
            "api/indicator/My%20Proj/a.b/..c/d.."
        );
        assert!(status_page(&c, Some("...")).is_ok());
    }

    #[test]
    fn every_keyed_call_needs_the_api_key_first() {
        let c = no_key();
        let s = strings(&["OK"]);
        let calls = [
            list_indicators(&c, None),
            get_indicator(&c, ""),
            get_arg(&c, "x", "a/b"),
            filter(&c, &s),
            tag_filter(&c, &s),
            set_args(&c, "x", &[]),
            create_indicator(&c, "x"),
            delete_indicator(&c, "x"),
            update_log(&c, "x"),
        ];
        for r in calls {
            let e = r.unwrap_err();
            assert_eq!(e.code, Code::NoApiKey);
            assert!(e.message.contains("apiKey"), "{}", e.message);
        }
        assert!(status_page(&c, None).is_ok());
    }
}
