//! Property tests of the pure core: every parser and checker that sees outside input (names,
//! method lines, config text, form bodies, server answers, `Retry-After`, URLs, director
//! answers, statuses, tags, redaction) is run on generated input. No input may panic, every
//! refusal is an `INVALID_ARGUMENT`-style error with a short message, and each piece keeps its
//! promise (repairs are idempotent, encodings round-trip, an accepted URL re-parses to itself).
//!
//! `cargo test` runs 256 cases per property (a few seconds); a longer hunt:
//! `PROPTEST_CASES=100000 cargo test --release --test properties`.

// clippy.toml's size rules are for the library's path; a test formats and searches as it likes.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

use okerrupdate::base::error::{Code, BODY_EXCERPT_CHARS};
use okerrupdate::base::form::{decode, FormBody};
use okerrupdate::engine::director::read_answer;
use okerrupdate::protocol::env::{from_config_text, from_env};
use okerrupdate::protocol::http_url::BaseUrl;
use okerrupdate::protocol::method::{self, Kind};
#[path = "../../fuzz/src/lib.rs"]
#[allow(dead_code)] // only its IMF-date writer is used here
mod checks;
use checks::imf_date;
use okerrupdate::base::pynum;
use okerrupdate::base::redact::{scrub, Hold, MASK};
use okerrupdate::base::value::Value;
use okerrupdate::engine::retry::{delay_ms, parse_retry_after, RETRY_AFTER_CAP_MS};
use okerrupdate::protocol::response::{check_update, server_code};
use okerrupdate::protocol::{name, status, tags};
use proptest::prelude::*;

/// Text that hits the interesting characters often: the server's forbidden ones, slashes,
/// digits of several scripts, Python whitespace, control characters, `|`, `=`, `%`, quotes.
fn tricky() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z0-9<>%@/\\\\:|=_ .+\\-#'\"\t\n]{0,24}",
        2 => "[0-9١٢٣０９𝟎_+\\- \u{3000}\u{a0}\u{1c}]{0,8}",
        2 => any::<String>(),
        1 => "\\PC{0,300}",
    ]
}

/// An error the caller must fix, with a message a person can read.
fn is_clear_refusal(e: &okerrupdate::base::error::Error) -> bool {
    e.code == Code::InvalidArgument && !e.message.is_empty() && e.message.len() < 600
}

fn kind_of(codename: &str) -> Option<Kind> {
    match codename {
        "heartbeat" => Some(Kind::Heartbeat),
        "numerical" => Some(Kind::Numerical),
        "string" => Some(Kind::String),
        c if method::ACTIVE_CODENAMES.contains(&c) => Some(Kind::Active),
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn store_keys_are_one_per_textid_and_name(
        a in ("[a-z:]{1,4}", "[a-z:/]{1,4}"),
        b in ("[a-z:]{1,4}", "[a-z:/]{1,4}"),
    ) {
        // A textid never holds '/' (the config refuses it): the key tells every pair apart.
        let (ka, kb) = (okerrupdate::engine::store::key(&a.0, &a.1), okerrupdate::engine::store::key(&b.0, &b.1));
        prop_assert_eq!(ka == kb, a == b);
    }

    #[test]
    fn name_repair_is_idempotent(s in tricky()) {
        let once = name::repair(&s);
        prop_assert_eq!(name::repair(&once), once.clone());
        prop_assert!(!once.contains("//") && !once.starts_with('/'));
        prop_assert!(!once.contains(['<', '>', '%', '\\', '@']));
    }

    #[test]
    fn a_prepared_name_is_one_the_server_takes(s in tricky(), prefix in proptest::option::of("[a-z0-9:@/]{0,6}")) {
        match name::prepare(&s, prefix.as_deref()) {
            Ok(n) => {
                prop_assert!(!pynum::int_parses(&n), "{:?} parses as an integer", n);
                prop_assert!(!n.contains(['<', '>', '%', '\\', '@']) && !n.contains("//") && !n.starts_with('/'));
                prop_assert!(!n.trim().is_empty() && n.chars().count() <= name::MAX_NAME_CHARS);
                prop_assert!(!n.chars().any(char::is_control));
                // Preparing the result again (no prefix: it was applied) changes nothing.
                let again = name::prepare(&n, None);
                prop_assert_eq!(again.ok(), Some(n.clone()));
                if let (Some(p), true) = (&prefix, s.starts_with(':')) {
                    prop_assert_eq!(n, name::repair(&format!("{p}{s}")));
                }
            }
            Err(e) => prop_assert!(is_clear_refusal(&e), "{:?}", e),
        }
    }

    #[test]
    fn method_lines_are_read_as_the_server_reads_them(
        line in prop_oneof![
            tricky(),
            "(heartbeat|numerical|string|sslcert|bogus| numerical|)(\\|[a-z =\u{3000}]{0,7}){0,4}",
        ]
    ) {
        match method::parse(&line) {
            Ok(m) => {
                prop_assert_eq!(&m.line, &line);
                let mut parts = line.split('|');
                let codename = parts.next().unwrap_or("");
                prop_assert_eq!(Some(m.kind), kind_of(codename));
                for part in parts.filter(|p| !pynum::strip(p).is_empty()) {
                    prop_assert_eq!(part.matches('=').count(), 1, "part {:?}", part);
                }
                prop_assert!(!line.chars().any(char::is_control));
            }
            Err(e) => prop_assert!(is_clear_refusal(&e), "{:?}", e),
        }
    }

    #[test]
    fn config_text_never_panics_and_yields_known_options(text in prop_oneof![
        tricky(),
        "((export )?(OKERR_TEXTID|OKERR_SECRET|OKERR_URL|OKERR_DIRECT|OKERR_API_KEY|PREFIX|textid|secret|JUNK) ?= ?[\"']?[a-z0-9 #\\\\]{0,8}[\"']?( #c)?\n){0,6}",
    ]) {
        match from_config_text(&text) {
            Ok(pairs) => {
                for (k, _) in &pairs {
                    prop_assert!(["textid", "secret", "url", "direct", "apiKey", "prefix"].contains(&k.as_str()), "{}", k);
                }
            }
            Err(e) => prop_assert!(is_clear_refusal(&e), "{:?}", e),
        }
    }

    #[test]
    fn config_values_round_trip(textid in "[A-Za-z0-9_.-]{1,12}", secret in "[A-Za-z0-9 #=&]{1,12}", quote in 0..3usize) {
        let written = match quote {
            0 => secret.clone(),
            1 => format!("'{secret}'"),
            _ => format!("\"{secret}\""),
        };
        let text = format!("# okerr\nOKERR_TEXTID={textid}\nexport OKERR_SECRET={written}\n");
        let pairs = from_config_text(&text).unwrap();
        prop_assert_eq!(&pairs[0], &("textid".to_string(), Value::Str(textid)));
        // A bare value ends at " #" and is trimmed, as dotenv files are read.
        let expected = if quote == 0 { secret.split(" #").next().unwrap().trim().to_string() } else { secret };
        if expected.is_empty() {
            prop_assert_eq!(pairs.len(), 1);
        } else {
            prop_assert_eq!(&pairs[1], &("secret".to_string(), Value::Str(expected)));
        }
    }

    #[test]
    fn env_never_panics(env in proptest::collection::vec(("(OKERR_[A-Z_]{2,8}|PREFIX|HOME)", tricky()), 0..6)) {
        if let Err(e) = from_env(&env) {
            prop_assert!(is_clear_refusal(&e), "{:?}", e);
        }
    }

    #[test]
    fn form_encoding_round_trips(fields in proptest::collection::vec((any::<String>(), any::<String>()), 0..6)) {
        let mut f = FormBody::default();
        for (k, v) in &fields {
            f.push(k, v);
        }
        let body = f.finish();
        prop_assert!(body.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-~+%&=".contains(&b)), "{}", body);
        let back = decode(&body);
        // An empty pair (`&=&`) is a field with empty name and value; decode keeps it as that.
        let expected: Vec<(String, String)> = fields.clone();
        prop_assert_eq!(back, expected);
    }

    #[test]
    fn form_decoding_never_panics(body in prop_oneof![tricky(), "[%0-9a-fA-F+&=]{0,40}"]) {
        let _ = decode(&body);
    }

    #[test]
    fn answers_are_classified_without_panicking(status in any::<u16>(), body in prop_oneof![
        tricky(),
        "(OK|ERROR:[A-Z_]{0,10}|Required field)[ \n]?.{0,20}",
        "\\PC{2000,4000}",
    ]) {
        match check_update("a@t", status, &body) {
            Ok(()) => prop_assert!((200..300).contains(&status) && body.trim() == "OK"),
            Err(e) => {
                prop_assert!(e.message.len() < 1200, "message of {} bytes", e.message.len());
                prop_assert!(!e.message.chars().any(char::is_control), "{:?}", e.message);
                prop_assert_eq!(e.status, Some(status));
                prop_assert!(e.body.unwrap().chars().count() <= BODY_EXCERPT_CHARS + 1);
                if let Code::Server(code) = &e.code {
                    prop_assert!(body.trim().starts_with("ERROR:") && code.len() <= 64);
                }
            }
        }
        if let Some(code) = server_code(&body) {
            prop_assert!(body.starts_with("ERROR:") && !code.is_empty());
        }
    }

    #[test]
    fn retry_after_never_panics_and_is_bounded(value in prop_oneof![
        tricky(),
        "[0-9]{0,12}",
        "(Mon|Sun), [0-9]{1,2} (Jan|Feb|Nov|Foo) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} (GMT|UTC)",
    ], now in 0.0..4.0e12f64, backoff in 0.0..600_000.0f64, retry in 1..=10u32) {
        if let Some(ms) = parse_retry_after(&value, now) {
            prop_assert!(ms.is_finite() && ms >= 0.0);
        }
        let wait = delay_ms(backoff, retry, Some(&value), now);
        prop_assert!(wait.is_finite() && wait >= 0.0);
        prop_assert!(wait <= RETRY_AFTER_CAP_MS.max(backoff * 512.0));
    }

    #[test]
    fn retry_after_reads_seconds_and_dates(secs in 0u32..=u32::MAX, at in 0i64..253_402_300_799i64, now_s in 0i64..253_402_300_799i64) {
        prop_assert_eq!(parse_retry_after(&secs.to_string(), 0.0), Some(f64::from(secs) * 1000.0));
        let now = now_s as f64 * 1000.0;
        let expected = ((at - now_s) as f64 * 1000.0).max(0.0);
        prop_assert_eq!(parse_retry_after(&imf_date(at), now), Some(expected), "{}", imf_date(at));
    }

    #[test]
    fn urls_are_checked_without_panicking(s in prop_oneof![
        tricky(),
        "(https?|HTTP|ftp)://[a-z0-9.:@\\[\\]/?#%-]{0,20}",
    ]) {
        match BaseUrl::parse(&s, "url") {
            Ok(u) => {
                let lower = u.as_str().to_ascii_lowercase();
                prop_assert!(lower.starts_with("http://") || lower.starts_with("https://"));
                prop_assert_eq!(u.is_https(), lower.starts_with("https://"));
                prop_assert!(!u.as_str().contains(['?', '#']) && !u.as_str().chars().any(|c| c.is_whitespace() || c.is_control()));
                prop_assert!(u.as_str().starts_with(u.origin()));
                prop_assert_eq!(u.join("update"), format!("{}/update", u.as_str()));
                let again = BaseUrl::parse(u.as_str(), "url").unwrap();
                prop_assert_eq!(again, u);
            }
            Err(e) => prop_assert!(is_clear_refusal(&e), "{:?}", e),
        }
    }

    #[test]
    fn generated_urls_are_accepted(https in any::<bool>(), host in "[a-z][a-z0-9-]{0,10}(\\.[a-z]{2,5}){0,2}", port in proptest::option::of(1u32..=65535), path in "(/[a-z0-9_.-]{1,6}){0,3}/?") {
        let url = format!("{}://{host}{}{path}", if https { "https" } else { "http" }, port.map(|p| format!(":{p}")).unwrap_or_default());
        let u = BaseUrl::parse(&url, "url").unwrap();
        prop_assert_eq!(u.is_https(), https);
        prop_assert_eq!(u.as_str(), url.trim_end_matches('/'));
    }

    #[test]
    fn director_answers_never_downgrade(base_https in any::<bool>(), status in prop_oneof![Just(200u16), any::<u16>()], body in prop_oneof![
        tricky(),
        "(https?|ftp|javascript)://[a-z0-9.:/]{0,12}\n?",
    ]) {
        let base = BaseUrl::parse(if base_https { "https://my.okerr.test/" } else { "http://127.0.0.1:1/" }, "url").unwrap();
        match read_answer(&base, "t", status, &body) {
            Ok(node) => {
                prop_assert_eq!(status, 200);
                prop_assert!(!base_https || node.is_https(), "downgraded to {}", node.as_str());
            }
            Err(e) => {
                prop_assert_eq!(e.code, Code::Director);
                prop_assert!(e.message.len() < 600);
            }
        }
    }

    #[test]
    fn statuses_are_checked_without_panicking(s in tricky()) {
        for kind in [Kind::Heartbeat, Kind::Numerical, Kind::String, Kind::Active] {
            match status::check(kind, &s) {
                Ok(()) => match kind {
                    Kind::Heartbeat => prop_assert!(s.eq_ignore_ascii_case("ok") || s.eq_ignore_ascii_case("err")),
                    Kind::Numerical => prop_assert!(pynum::float_parses(&s)),
                    _ => {}
                },
                Err(e) => prop_assert!(is_clear_refusal(&e), "{:?}", e),
            }
        }
    }

    #[test]
    fn tags_are_split_and_checked(s in tricky()) {
        let list = tags::split(&s);
        if let Ok(joined) = tags::join(&list) {
            // Every tag is one the server keeps: it starts with [A-Za-z0-9_].
            prop_assert!(joined.split(',').all(|t| joined.is_empty() || t.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')));
            prop_assert_eq!(tags::split(&joined), list);
        }
    }

    #[test]
    fn redaction_leaves_no_secret(secrets in proptest::collection::vec("[A-Z0-9 &=/+%]{1,10}", 1..4), text in "[A-Z0-9 &=/+%a-z]{0,60}") {
        let secrets_str: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let _held = Hold::of(&secrets_str);
        let mut planted = text.clone();
        for s in &secrets {
            planted.push_str(s);
            let mut f = FormBody::default();
            f.push("", s);
            planted.push_str(&f.finish()[1..]);
        }
        let once = scrub(&planted);
        // Secrets (upper case) and the mask (lower case, brackets) share no character, so a
        // secret left in the output cannot be part of a mask.
        for s in &secrets {
            prop_assert!(!once.contains(s.as_str()), "{:?} left in {:?}", s, once);
        }
        prop_assert_eq!(scrub(&once), once.clone(), "scrubbing twice changed it");
        prop_assert!(once.contains(MASK));
    }

    #[test]
    fn a_cut_never_leaves_part_of_a_secret(secret in "[A-Z]{2,12}", before in "[a-z ]{0,40}", after in "[a-z ]{0,40}", cut in 0usize..100) {
        // Secrets are upper case, everything else lower case: any upper-case letter left in a
        // shortened text is part of the secret.
        let _held = Hold::of(&[secret.as_str()]);
        let planted = format!("{before}{secret}{after}");
        for shortened in [
            okerrupdate::base::redact::excerpt(&planted, cut),
            okerrupdate::base::redact::quoted(&planted),
            okerrupdate::base::redact::preview(&planted),
            okerrupdate::protocol::response::first_line(&planted),
        ] {
            prop_assert!(!shortened.chars().any(|c| c.is_ascii_uppercase()), "{:?} from {:?}", shortened, planted);
        }
    }
}
