//! The invariants the fuzz targets check, one public function per target, each taking the raw
//! fuzz input. No input may panic the core, and each parser keeps its promises: what it
//! accepts re-reads to itself, repairs are idempotent, encodings round-trip, refusals carry the
//! right stable code and a short message.
//!
//! The same file is compiled into the main crate's `tests/fuzz_seeds.rs`, which runs the
//! committed seeds and the inputs of past findings (`fuzz/seeds/<target>/`) through these
//! functions on stable Rust, in `make test`.

use okerrupdate::api::{self, answer, Answer, Call, Reply};
use okerrupdate::cli::args::{self, Opt, Parsed};
use okerrupdate::cli::{self, Console, Invocation, Stream, Tool};
use okerrupdate::director::{read_answer, request_url};
use okerrupdate::env::{from_config_text, from_env};
use okerrupdate::error::{Code, Error, BODY_EXCERPT_CHARS};
use okerrupdate::form::{decode, FormBody};
use okerrupdate::http_url::{encode_path, BaseUrl};
use okerrupdate::method::{self, Kind};
use okerrupdate::project_config::ProjectConfig;
use okerrupdate::redirect;
use okerrupdate::response::{check_update, first_line, server_code};
use okerrupdate::retry::{delay_ms, parse_retry_after, RETRY_AFTER_CAP_MS};
use okerrupdate::value::Value;
use okerrupdate::{name, pynum, status};
use std::cell::RefCell;

/// One target's check of one input.
pub type Check = fn(&[u8]);

/// The targets, by name: what `make fuzz` runs and what the seed test walks.
pub const TARGETS: [(&str, Check); 11] = [
    ("method_line", method_line),
    ("name", name),
    ("pynum", pynum),
    ("config", config),
    ("director", director),
    ("response", response),
    ("api_answer", api_answer),
    ("retry_after", retry_after),
    ("http_url", http_url),
    ("cli_args", cli_args),
    ("form", form),
];

/// The input as text (invalid UTF-8 becomes U+FFFD, so every input is used).
fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// The input as several texts, cut at 0xFF bytes (which never occur in UTF-8).
fn texts(data: &[u8]) -> Vec<String> {
    data.split(|&b| b == 0xFF).map(text).collect()
}

/// `n` leading bytes (zero-padded) as parameters, and the rest.
fn head<const N: usize>(data: &[u8]) -> ([u8; N], &[u8]) {
    let mut h = [0u8; N];
    let n = data.len().min(N);
    h[..n].copy_from_slice(&data[..n]);
    (h, &data[n..])
}

/// An HTTP status: usually one that means something to the client, sometimes any u16.
fn status_of(b: [u8; 3]) -> u16 {
    const MEANINGFUL: [u16; 16] = [
        200, 201, 204, 299, 0, 301, 302, 307, 308, 400, 403, 404, 429, 500, 503, 504,
    ];
    if b[0] < 160 {
        MEANINGFUL[usize::from(b[0]) % MEANINGFUL.len()]
    } else {
        u16::from_le_bytes([b[1], b[2]])
    }
}

/// A refusal of the caller's input: `INVALID_ARGUMENT` with a short readable message.
fn assert_clear_refusal(e: &Error) {
    assert_eq!(e.code, Code::InvalidArgument, "{e:?}");
    assert!(!e.message.is_empty() && e.message.len() < 600, "{e:?}");
    assert_eq!((e.status, e.body.as_deref()), (None, None), "{e:?}");
}

/// An error that carries a server's answer: its status, a bounded excerpt, a bounded message.
fn assert_answered(e: &Error, status: u16, extra: usize) {
    assert_eq!(e.status, Some(status), "{e:?}");
    let excerpt = e.body.as_deref().unwrap_or("");
    assert!(
        excerpt.chars().count() <= BODY_EXCERPT_CHARS,
        "excerpt of {}",
        excerpt.len()
    );
    assert!(
        e.message.len() < 1200 + extra,
        "message of {} bytes",
        e.message.len()
    );
}

/// `method::parse`: accepts only lines the server accepts, keeps them as written, finds the
/// `secret=` argument as the server strips it, and never shows a secret in a refusal.
pub fn method_line(data: &[u8]) {
    let line = text(data);
    let mut parts = line.split('|');
    let codename = parts.next().unwrap_or("");
    let kind = match codename {
        "heartbeat" => Some(Kind::Heartbeat),
        "numerical" => Some(Kind::Numerical),
        "string" => Some(Kind::String),
        c if method::ACTIVE_CODENAMES.contains(&c) => Some(Kind::Active),
        _ => None,
    };
    // The server skips empty parts only (`if not e: continue`); a part of spaces is split.
    let args: Vec<&str> = parts.filter(|p| !p.is_empty()).collect();
    match method::parse(&line) {
        Ok(m) => {
            assert_eq!(m.line, line);
            assert_eq!(Some(m.kind), kind);
            assert!(!line.chars().any(char::is_control));
            for part in &args {
                assert_eq!(part.matches('=').count(), 1, "{part:?}");
            }
            // The server keeps the last `secret`, its name and value stripped.
            let secret = args
                .iter()
                .filter_map(|p| p.split_once('='))
                .rfind(|(k, _)| pynum::strip(k) == "secret")
                .map(|(_, v)| pynum::strip(v).to_string());
            assert_eq!(m.secret_arg, secret);
        }
        Err(e) => {
            assert_clear_refusal(&e);
            // Refused only where the server refuses, or for a character that breaks lines.
            assert!(
                kind.is_none()
                    || args.iter().any(|p| p.matches('=').count() != 1)
                    || line.chars().any(okerrupdate::text::breaks_lines),
                "{line:?}"
            );
            // No character of the value of any spelling of `secret=` (any case, spaces, in any
            // part) reaches the message: with each such value made of a marker found nowhere
            // else, the refusal shows no marker.
            const MARK: char = '\u{E000}';
            if line.contains(MARK) {
                return;
            }
            let mut marked = String::new();
            let mut shown = 0;
            for (start, end) in method::secret_values(&line) {
                marked.push_str(&line[shown..start]);
                let value = &line[start..end];
                marked.extend(value.chars().map(|c| if c == '=' { c } else { MARK }));
                shown = end;
            }
            marked.push_str(&line[shown..]);
            if let Err(e) = method::parse(&marked) {
                assert!(!e.message.contains(MARK), "{:?}", e.message);
            }
        }
    }
}

/// `name::repair` and `name::prepare`: repair is idempotent, keeps the length in characters and
/// leaves nothing the server refuses; a prepared name is one the server takes, and prepares to
/// itself.
pub fn name(data: &[u8]) {
    let ([mode], rest) = head::<1>(data);
    let parts = texts(rest);
    let (prefix, raw) = match (mode & 1, parts.as_slice()) {
        (1, [p, n, ..]) => (Some(p.as_str()), n.as_str()),
        (_, [n, ..]) => (None, n.as_str()),
        _ => (None, ""),
    };
    let once = name::repair(raw);
    assert_eq!(name::repair(&once), once);
    assert_eq!(once.chars().count(), raw.chars().count());
    assert!(!once.contains(['<', '>', '%', '\\', '@']) && !once.contains("//"));
    assert!(!once.starts_with('/'));
    if name::check(raw).is_ok() {
        assert_eq!(once, raw, "a name the server takes needs no repair");
    }
    match name::prepare(raw, prefix) {
        Ok(n) => {
            assert!(name::check(&n).is_ok());
            assert!(!pynum::int_parses(&n) && !n.chars().any(char::is_control));
            assert!(n.chars().count() <= name::MAX_NAME_CHARS && !n.trim().is_empty());
            assert_eq!(name::prepare(&n, None).ok().as_deref(), Some(n.as_str()));
            let full = match prefix {
                Some(p) if raw.starts_with(':') => format!("{p}{raw}"),
                _ => raw.to_string(),
            };
            assert_eq!(n, name::repair(&full));
        }
        Err(e) => assert_clear_refusal(&e),
    }
}

/// `pynum`: Python's `isspace`, `int()` and `float()` rules, checked against Rust's own
/// Unicode tables and number parsers where the two languages agree.
pub fn pynum(data: &[u8]) {
    let s = text(data);
    for c in s.chars() {
        // Python's isspace is Unicode White_Space plus the separators \x1c..\x1f.
        assert_eq!(
            pynum::is_space(c),
            c.is_whitespace() || ('\x1c'..='\x1f').contains(&c),
            "{c:?}"
        );
        if pynum::is_digit(c) {
            assert!(c.is_numeric(), "{c:?}");
        }
        if c.is_ascii() {
            assert_eq!(pynum::is_digit(c), c.is_ascii_digit(), "{c:?}");
        }
    }
    let stripped = pynum::strip(&s);
    assert_eq!(pynum::strip(stripped), stripped);
    assert!(!stripped.starts_with(pynum::is_space) && !stripped.ends_with(pynum::is_space));
    let int = pynum::int_parses(&s);
    let float = pynum::float_parses(&s);
    assert!(!int || float, "int() takes {s:?} but float() does not");
    // On plain ASCII without underscores or spaces, Python's int() and float() take what
    // Rust's parsers take (Rust's f64 grammar is Python's, `inf`/`nan` included).
    if s.is_ascii() && !s.contains('_') && !s.contains(pynum::is_space) {
        assert_eq!(float, s.parse::<f64>().is_ok(), "float({s:?})");
        if s.len() <= 30 {
            assert_eq!(int, s.parse::<i128>().is_ok(), "int({s:?})");
        }
    }
    match status::check(Kind::Numerical, &s) {
        Ok(()) => assert!(float),
        Err(e) => {
            assert_clear_refusal(&e);
            assert!(!float || s.len() > status::MAX_TEXT_BYTES);
        }
    }
}

/// `config`: dotenv and okerrclient.conf text never panics, yields only known options, and a
/// value written the way dotenv writes it reads back unchanged.
pub fn config(data: &[u8]) {
    let ([mode], rest) = head::<1>(data);
    let all = text(rest);
    match from_config_text(&all) {
        Ok(pairs) => {
            for (k, v) in &pairs {
                let known = ["textid", "secret", "url", "direct", "apiKey", "prefix"];
                assert!(known.contains(&k.as_str()), "{k}");
                assert_eq!(k == "direct", matches!(v, Value::Bool(_)), "{k}: {v:?}");
            }
        }
        Err(e) => {
            assert_clear_refusal(&e);
            assert!(e.message.starts_with("OKERR_DIRECT"), "{}", e.message);
        }
    }
    let env: Vec<(String, String)> = all
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    if let Err(e) = from_env(&env) {
        assert_clear_refusal(&e);
    }
    // Round trip: the value written quoted (or bare, in the old format) reads back as itself.
    let value = texts(rest).into_iter().next().unwrap_or_default();
    let written = match mode % 3 {
        0 => {
            let mut q = String::from("OKERR_SECRET=\"");
            for c in value.chars() {
                match c {
                    '"' => q.push_str("\\\""),
                    '\\' => q.push_str("\\\\"),
                    '\n' => q.push_str("\\n"),
                    c => q.push(c),
                }
            }
            q + "\""
        }
        1 if !value.contains(['\'', '\n', '\r']) => format!("export OKERR_SECRET='{value}'"),
        2 if !value.contains(['#', '\n', '\r']) && value.trim() == value => {
            format!("  secret = {value}  ")
        }
        _ => return,
    };
    let file = format!("# okerr\ntextid = t\n{written}\nJUNK\n");
    let pairs = from_config_text(&file).unwrap();
    let mut expected = vec![("textid".to_string(), Value::Str("t".into()))];
    if !value.is_empty() {
        expected.push(("secret".to_string(), Value::Str(value)));
    }
    assert_eq!(pairs, expected, "{file:?}");
}

/// The bases the director and redirect targets are tried against.
const BASES: [&str; 3] = [
    "https://my.okerr.com/",
    "http://127.0.0.1:8080/okerr/",
    "HTTPS://[::1]:443/",
];

/// `director`: the director's answer is an http(s) URL that re-reads to itself, never plain
/// http for an https base; every other answer is `DIRECTOR` with the status and a short excerpt.
pub fn director(data: &[u8]) {
    let (h, rest) = head::<4>(data);
    let base = BaseUrl::parse(BASES[usize::from(h[0]) % BASES.len()], "url").unwrap();
    let status = status_of([h[1], h[2], h[3]]);
    let parts = texts(rest);
    let (textid, body) = match parts.as_slice() {
        [t, b, ..] => (t.as_str(), b.as_str()),
        [b] => ("t", b.as_str()),
        [] => ("t", ""),
    };
    let url = request_url(&base, textid);
    let path = url
        .strip_prefix(base.origin())
        .and_then(|p| p.strip_prefix("/api/director/"))
        .expect("the director URL is below the origin");
    assert!(path
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"_.-~/%".contains(&b)));
    match read_answer(&base, textid, status, body) {
        Ok(node) => {
            assert_eq!(status, 200);
            assert!(!base.is_https() || node.is_https(), "{}", node.as_str());
            assert_eq!(
                BaseUrl::parse(node.as_str(), "url").ok(),
                Some(node.clone())
            );
            let answer = BaseUrl::parse(body.trim_end(), "url").unwrap();
            assert_eq!(node, answer);
        }
        Err(e) => {
            assert_eq!(e.code, Code::Director);
            assert_answered(&e, status, textid.len());
        }
    }
}

/// `response`: only a 2xx `OK` is a send; a 2xx without it is `REJECTED`; a server code is
/// taken only from a short `ERROR:WORD`; messages are bounded and free of control characters.
pub fn response(data: &[u8]) {
    let (h, rest) = head::<3>(data);
    let status = status_of(h);
    let body = text(rest);
    if let Some(code) = server_code(&body) {
        let after = &body["ERROR:".len() + code.len()..];
        assert!(body.starts_with("ERROR:") && !code.is_empty() && code.len() <= 64);
        assert!(code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
        assert!(after.is_empty() || after.starts_with([' ', '\n', '\r', '\t']));
    }
    let line = first_line(&body);
    assert!(!line.chars().any(char::is_control) && line.chars().count() <= 200);
    let ok = (200..300).contains(&status) && body.trim() == "OK";
    match check_update("a@t", status, &body) {
        Ok(()) => assert!(ok),
        Err(e) => {
            assert!(!ok);
            assert_answered(&e, status, 0);
            assert!(!e.message.chars().any(char::is_control), "{:?}", e.message);
            match &e.code {
                Code::Rejected => assert!((200..300).contains(&status)),
                Code::Http => assert!(!(200..300).contains(&status)),
                Code::Server(c) => {
                    assert!(!(200..300).contains(&status));
                    assert_eq!(server_code(body.trim()), Some(c.as_str()));
                }
                other => panic!("unexpected code {other:?}"),
            }
        }
    }
}

/// The API calls whose answers [`api_answer`] reads.
fn calls() -> Vec<Call> {
    let c = ProjectConfig::from_pairs(&[
        ("textid".into(), Value::Str("p".into())),
        ("apiKey".into(), Value::Str("k".into())),
    ])
    .unwrap();
    vec![
        api::list_indicators(&c, None).unwrap(),
        api::get_indicator(&c, "df-/var").unwrap(),
        api::get_arg(&c, "a", "retest").unwrap(),
        api::set_args(&c, "a", &[("retest".into(), Value::Num(1.0))]).unwrap(),
        api::update_log(&c, "a").unwrap(),
        api::check_methods(),
        api::status_page(&c, Some("internal")).unwrap(),
    ]
}

thread_local! {
    static CALLS: Vec<Call> = calls();
}

/// `api::answer::read` and `redirect::target`: a 2xx answer in the shape its call expects,
/// failures with the code their status means; redirects followed only to http(s) URLs, never
/// from https down to http.
pub fn api_answer(data: &[u8]) {
    let (h, rest) = head::<4>(data);
    let status = status_of([h[1], h[2], h[3]]);
    let body = text(rest);
    let call = CALLS.with(|c| c[usize::from(h[0]) % c.len()].clone());
    match answer::read(&call, status, &body) {
        Ok(a) => {
            assert!((200..300).contains(&status));
            match a {
                Answer::Names(names) => {
                    assert_eq!(call.reply, Reply::Names);
                    for n in &names {
                        assert!(!n.is_empty() && !n.contains('\n') && !n.ends_with('\r'));
                    }
                    assert!(names.len() <= body.lines().count());
                }
                Answer::Text(t) => {
                    assert_eq!(call.reply, Reply::Text);
                    assert!(body.starts_with(&t) && !t.ends_with(['\r', '\n']));
                }
                Answer::Json(j) => {
                    assert_eq!(j, body);
                    let open = match call.reply {
                        Reply::Json(open) => open,
                        Reply::StatusPage => '{',
                        other => panic!("JSON for a {other:?} call"),
                    };
                    assert!(body.trim_start().starts_with(open));
                }
            }
        }
        Err(e) => {
            assert_answered(&e, status, call.what.len());
            match (status, &e.code) {
                (403, Code::Forbidden) | (404, Code::NotFound) => {}
                (200..=299, Code::Http) => assert!(call.reply != Reply::StatusPage),
                (200..=299, Code::Forbidden) => assert_eq!(call.reply, Reply::StatusPage),
                (200..=299 | 403 | 404, code) => panic!("{status} gave {code:?}"),
                (_, Code::Http) => {}
                (_, Code::Server(c)) => assert_eq!(server_code(body.trim()), Some(c.as_str())),
                (_, code) => panic!("{status} gave {code:?}"),
            }
        }
    }
    let from = format!(
        "{}/api/x",
        BaseUrl::parse(BASES[usize::from(h[0] >> 4) % BASES.len()], "url")
            .unwrap()
            .as_str()
    );
    let location = (h[0] & 8 == 0).then_some(body.as_str());
    match redirect::target(&from, status, location) {
        Ok(Some(to)) => {
            assert!(matches!(status, 301 | 302 | 307 | 308));
            let url = BaseUrl::parse(&to, "redirect").expect("a followed redirect is a URL");
            assert!(!from.to_ascii_lowercase().starts_with("https:") || url.is_https());
        }
        Ok(None) => assert!(!matches!(status, 0 | 301 | 302 | 307 | 308)),
        Err(e) => {
            assert_eq!(e.code, Code::Http);
            assert_eq!(e.status, Some(status));
            assert!(
                e.message.len() < 600,
                "message of {} bytes",
                e.message.len()
            );
        }
    }
}

/// An IMF-fixdate for `secs` since the epoch, as servers write `Retry-After` (Howard Hinnant's
/// civil_from_days), to check that the parser reads back what a server writes.
pub fn imf_date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[days.rem_euclid(7) as usize],
        d,
        MONTHS[(m - 1) as usize],
        y,
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// `retry`: `Retry-After` is read as seconds or a date, never negative or infinite; the wait is
/// capped; a date a server writes reads back as itself, and so does any date accepted.
pub fn retry_after(data: &[u8]) {
    let (h, rest) = head::<12>(data);
    // A clock anywhere in 1970..9999, as Date.now() gives; a backoff up to ten minutes.
    let now = (u64::from_le_bytes(h[..8].try_into().unwrap()) % 253_402_300_800_000) as f64;
    let backoff = f64::from(u16::from_le_bytes([h[8], h[9]])) * 10.0;
    let retry = u32::from(h[10]);
    let value = text(rest);
    if let Some(ms) = parse_retry_after(&value, now) {
        assert!(ms.is_finite() && ms >= 0.0, "{value:?} -> {ms}");
        let v = value.trim();
        if v.bytes().all(|b| b.is_ascii_digit()) {
            assert_eq!(
                Some(ms),
                v.parse::<u32>().ok().map(|s| f64::from(s) * 1000.0)
            );
        } else {
            // A date: the instant it names, written again, is read as the same instant (up
            // to the end of 9999, which a leap second `23:59:60` can step past).
            let at = parse_retry_after(&value, 0.0).unwrap();
            if at < 253_402_300_800_000.0 {
                let again = imf_date((at / 1000.0) as i64);
                assert_eq!(
                    parse_retry_after(&again, 0.0),
                    Some(at),
                    "{value:?} -> {again}"
                );
            }
        }
    }
    let wait = delay_ms(backoff, retry, Some(&value), now);
    let doubled = backoff * f64::from(2u32.saturating_pow(retry.saturating_sub(1)));
    assert!(wait.is_finite() && wait >= 0.0);
    assert!(wait <= RETRY_AFTER_CAP_MS.max(doubled), "{wait}");
    // What a server writes reads back: the date of a second from the input.
    let secs = i64::from_le_bytes(h[..8].try_into().unwrap()).rem_euclid(253_402_300_800);
    let date = imf_date(secs);
    assert_eq!(
        parse_retry_after(&date, 0.0),
        Some(secs as f64 * 1000.0),
        "{date}"
    );
}

/// `http_url`: an accepted URL is absolute http(s), has no query, fragment or whitespace, and
/// re-reads to itself; path parts are encoded to safe bytes that decode back.
pub fn http_url(data: &[u8]) {
    let s = text(data);
    match BaseUrl::parse(&s, "url") {
        Ok(u) => {
            let lower = u.as_str().to_ascii_lowercase();
            assert!(lower.starts_with("http://") || lower.starts_with("https://"));
            assert_eq!(u.is_https(), lower.starts_with("https://"));
            assert!(!u.as_str().contains(['?', '#']) && !u.as_str().ends_with('/'));
            assert!(!u
                .as_str()
                .chars()
                .any(|c| c.is_whitespace() || c.is_control()));
            let host = &u.origin()[if u.is_https() { 8 } else { 7 }..];
            assert!(!host.is_empty() && !host.contains('/'), "{:?}", u.origin());
            assert!(u.as_str().starts_with(u.origin()));
            assert_eq!(u.join("update"), format!("{}/update", u.as_str()));
            assert_eq!(BaseUrl::parse(u.as_str(), "url").ok(), Some(u.clone()));
        }
        Err(e) => assert_clear_refusal(&e),
    }
    let encoded = encode_path(&s);
    assert!(encoded
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"_.-~/%".contains(&b)));
    let back = decode(&encoded);
    if s.is_empty() {
        assert!(back.is_empty());
    } else {
        assert_eq!(back, vec![(s, String::new())]);
    }
}

/// Writes nothing anywhere; keeps what the tools would print.
#[derive(Default)]
struct Capture(RefCell<String>);

impl Console for Capture {
    fn write(&self, _stream: Stream, text: &str) {
        self.0.borrow_mut().push_str(text);
    }
}

/// A project secret the CLI must never print back.
const CANARY: &str = "CANARY-4f1d9a";

/// Whether `sub` occurs in `seq` in order.
fn is_subsequence(sub: &[String], seq: &[String]) -> bool {
    let mut it = seq.iter();
    sub.iter().all(|s| it.any(|x| x == s))
}

/// `cli::args::parse` (for both tools) and `cli::prepare`: every option found is one the tool
/// has, with a value exactly when it takes one; positionals and unknown words keep their order;
/// no argv makes a tool print the project secret.
pub fn cli_args(data: &[u8]) {
    let ([mode], rest) = head::<1>(data);
    let argv: Vec<String> = if rest.is_empty() {
        Vec::new()
    } else {
        texts(rest)
    };
    let tool = if mode & 1 == 0 {
        Tool::Update
    } else {
        Tool::Api
    };
    let opts: &'static [Opt] = tool.options();
    match args::parse(opts, &argv) {
        Ok(Parsed {
            options,
            positionals,
            unknown,
            dashdash,
        }) => {
            assert!(
                dashdash.is_none_or(|n| n <= positionals.len()),
                "{dashdash:?}"
            );
            for (i, (long, value)) in options.iter().enumerate() {
                let opt = opts
                    .iter()
                    .find(|o| o.long == *long)
                    .expect("a known option");
                assert_eq!(opt.takes_value, value.is_some(), "--{long}");
                if matches!(*long, "help" | "version") {
                    assert_eq!(i, options.len() - 1, "reading goes on after --{long}");
                }
            }
            assert!(is_subsequence(&positionals, &argv), "{positionals:?}");
            assert!(is_subsequence(&unknown, &positionals), "{unknown:?}");
            assert!(unknown.iter().all(|u| u.starts_with('-') && u.len() > 1));
        }
        Err(message) => {
            assert!(
                message.starts_with("argument ") || message.starts_with("ambiguous option: "),
                "{message}"
            );
        }
    }
    if argv.iter().any(|a| a.contains(CANARY)) {
        return;
    }
    let env = [
        ("OKERR_TEXTID".to_string(), "fuzz".to_string()),
        ("OKERR_SECRET".to_string(), CANARY.to_string()),
    ];
    let console = Capture::default();
    let inv = Invocation {
        tool,
        argv: &argv,
        env: &env,
        home: None,
        files: &[],
    };
    if let Err(code) = cli::prepare(&console, &inv) {
        assert!(matches!(code, 0..=2), "exit status {code}");
    }
    assert!(
        !console.0.borrow().contains(CANARY),
        "{}",
        console.0.borrow()
    );
}

/// `form`: any fields encode to the safe bytes `urlencode` writes and decode back to themselves;
/// any body decodes without panicking, and its decoding survives a round trip.
pub fn form(data: &[u8]) {
    let parts = texts(data);
    let fields: Vec<(String, String)> = parts
        .chunks(2)
        .map(|c| (c[0].clone(), c.get(1).cloned().unwrap_or_default()))
        .collect();
    let mut f = FormBody::default();
    for (k, v) in &fields {
        f.push(k, v);
    }
    let body = f.finish();
    assert!(body
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"_.-~+%&=".contains(&b)));
    assert_eq!(decode(&body), fields, "{body}");
    let read = decode(&text(data));
    let mut again = FormBody::default();
    for (k, v) in &read {
        again.push(k, v);
    }
    let rewritten = again.finish();
    // A field whose name and value are both empty is written as `=`, which reads back as such.
    assert_eq!(decode(&rewritten), read, "{rewritten}");
}
