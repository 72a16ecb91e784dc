//! Check-method lines (`codename|arg=value|...`) and what they mean for the client.

use crate::error::Error;
use crate::text::quoted;

/// What kind of value an indicator takes, which decides status checks and throttling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `OK` or `ERR`.
    Heartbeat,
    /// A number; throttled regardless of value.
    Numerical,
    /// Any text.
    String,
    /// A check the server runs itself (`sslcert`, `ping`...): creatable, not updatable.
    Active,
}

/// Codenames of the checks the server runs itself.
pub const ACTIVE_CODENAMES: [&str; 11] = [
    "sslcert",
    "logic",
    "ping",
    "tcpport",
    "httpstatus",
    "httpgrep",
    "sha1static",
    "sha1dynamic",
    "whois",
    "dns",
    "dnsbl",
];

/// A checked method line, sent as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodLine {
    /// The line exactly as the caller wrote it.
    pub line: String,
    /// The kind its codename names.
    pub kind: Kind,
    /// The value of a `secret=` argument, which must be kept out of logs like any secret.
    pub secret_arg: Option<String>,
}

/// Parse and check a method line the way the server would when creating the indicator.
pub fn parse(line: &str) -> Result<MethodLine, Error> {
    let mut parts = crate::text::pieces(line, b'|');
    // The server looks the codename up exactly as written: " numerical" is unknown to it.
    let codename = parts.next().unwrap_or("");
    let kind = match codename {
        "heartbeat" => Kind::Heartbeat,
        "numerical" => Kind::Numerical,
        "string" => Kind::String,
        "" => {
            return Err(Error::invalid_with(
                "method line must start with a codename such as 'heartbeat' or 'numerical': {}",
                &[&quoted(&masked(line))],
            ));
        }
        c if ACTIVE_CODENAMES.contains(&c) => Kind::Active,
        c => {
            return Err(Error::invalid_with(
                "unknown check method codename {} (the server would refuse it)",
                &[&quoted(&masked(c))],
            ))
        }
    };
    let mut secret_arg = None;
    // The server splits every part on '=' and wants exactly two pieces (`(k, v) =
    // e.split('=')`), skipping empty parts (`if not e: continue`): `numerical||maxlim=5|` is
    // taken, a part of spaces is a bad cm line.
    for part in parts.filter(|p| !p.is_empty()) {
        let (key, value) = match crate::text::split_once(part, b'=') {
            Some((k, v)) if !crate::text::has_any(v, b"=") => (k, v),
            _ => {
                return Err(Error::invalid_with(
                    "method line part {} must be one name=value \
                         (the server would answer 'bad cm line')",
                    &[&quoted(&masked(part))],
                ));
            }
        };
        // The server strips names and values, so ` secret = s ` sets the secret `s`, which
        // must then be masked like any other.
        if crate::pynum::strip(key) == "secret" {
            secret_arg = Some(crate::pynum::strip(value).to_string());
        }
    }
    if crate::text::has_control(line) {
        return Err(Error::invalid(
            "method line must not contain control characters",
        ));
    }
    Ok(MethodLine {
        line: line.to_string(),
        kind,
        secret_arg,
    })
}

/// Where the value of each `secret=` in `line` is (byte ranges), in every spelling: `secret`
/// in any case, spaces before the `=` or not, wherever it stands (a part of its own, after a
/// space in the codename's part, inside another part). A value runs to the next `|`. What a
/// broken line holds is found too: it is the caller's secret all the same, and every message
/// made from a method line, refused or not, must not show it.
pub fn secret_values(line: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = line.as_bytes();
    let mut from = 0;
    std::iter::from_fn(move || {
        while from + 6 <= bytes.len() {
            let at = from;
            from += 1;
            if !bytes[at..at + 6].eq_ignore_ascii_case(b"secret") {
                continue;
            }
            // `at + 6` is a character boundary: the six bytes are ASCII.
            let after = &line[at + 6..];
            let rest = crate::text::trim_start_with(after, crate::pynum::is_space);
            let Some(value) = rest.strip_prefix('=') else {
                continue;
            };
            let start = line.len() - value.len();
            let end = start + crate::text::up_to(value, b"|").len();
            from = end;
            return Some((start, end));
        }
        None
    })
}

/// `text` (a method line, or a part of one) as a message may show it: the value of every
/// `secret=` ([`secret_values`]) is `…`. The redaction learns an indicator's secret only from a
/// line that parsed, so a refused line must not rely on it.
pub fn masked(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut shown = 0;
    for (start, end) in secret_values(text) {
        out.push_str(&text[shown..start]);
        out.push('…');
        shown = end;
    }
    out.push_str(&text[shown..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_codename_and_args() {
        let m = parse("numerical|maxlim=37|minlim=0").unwrap();
        assert_eq!(m.kind, Kind::Numerical);
        assert_eq!(m.line, "numerical|maxlim=37|minlim=0");
        assert_eq!(
            parse("heartbeat|secret=s3|patience=1h")
                .unwrap()
                .secret_arg
                .as_deref(),
            Some("s3")
        );
        assert_eq!(parse("sslcert|host=okerr.com").unwrap().kind, Kind::Active);
    }

    #[test]
    fn a_broken_secret_part_is_not_shown() {
        let e = parse("heartbeat|secret=CANARY=x").unwrap_err();
        assert!(!e.message.contains("CANARY"), "{}", e.message);
    }

    #[test]
    fn a_line_without_codename_does_not_show_its_secret() {
        // Found by the method_line fuzz target: the whole line was quoted, secret included.
        let e = parse("|heartbeat|secret=CANARY-1234|patience=1h").unwrap_err();
        assert!(!e.message.contains("CANARY"), "{}", e.message);
        assert!(
            e.message.ends_with("'|heartbeat|secret=…|patience=1h'"),
            "{}",
            e.message
        );
        let e = parse("| secret = CANARY-1234").unwrap_err();
        assert!(!e.message.contains("CANARY"), "{}", e.message);
    }

    #[test]
    fn empty_parts_are_skipped_as_the_server_skips_them() {
        // `if not e: continue` in `Indicator.update`: the real server creates these.
        for line in [
            "numerical||maxlim=5|",
            "string||options=text dynamic",
            "numerical|maxlim=1|",
            "heartbeat|",
            "heartbeat||secret=s3||",
        ] {
            assert!(parse(line).is_ok(), "{line:?}");
        }
        assert_eq!(
            parse("heartbeat||secret=s3||")
                .unwrap()
                .secret_arg
                .as_deref(),
            Some("s3")
        );
    }

    #[test]
    fn no_spelling_of_secret_shows_in_a_refusal() {
        // A space where a `|` belongs made the whole line the codename, quoted whole.
        for line in [
            "numerical secret=CANARY-1",
            "numerical SECRET=CANARY-1|maxlim=3",
            "numerical\tSecret =CANARY-1",
            "heartbeat|patience=1h secret=CANARY-1",
            "heartbeat|secret\u{3000}=\u{3000}CANARY-1=x",
            "heartbeat|maxlim=3|sEcReT = CANARY-1|x",
            "|secret=CANARY-1",
            "bogus|x=secret=CANARY-1",
        ] {
            let e = parse(line).unwrap_err();
            assert!(!e.message.contains("CANARY"), "{line:?}: {}", e.message);
            let mut found = Vec::new();
            crate::redact::method_secrets(line, &mut found);
            assert!(found.iter().any(|s| s.contains("CANARY")), "{line:?}");
        }
        let e = parse("numerical secret=CANARY-1|maxlim=3").unwrap_err();
        assert!(
            e.message.contains(" 'numerical secret=…' "),
            "{}",
            e.message
        );
        assert_eq!(masked("a|secret=x|b|SECRET = y"), "a|secret=…|b|SECRET =…");
        assert_eq!(
            masked("secrets|secret|no=secret"),
            "secrets|secret|no=secret"
        );
    }

    #[test]
    fn finds_a_secret_argument_written_with_spaces() {
        let m = parse("heartbeat| secret = s3 |patience=1h").unwrap();
        assert_eq!(m.secret_arg.as_deref(), Some("s3"));
    }

    #[test]
    fn refuses_what_the_server_refuses() {
        for bad in [
            "",
            "|maxlim=3",
            "numerical|maxlim",
            "numerical|a=b=c",
            "bogus",
            "Numerical",
            "numerical|a=1\n",
            " numerical",
            "numerical ",
            "numerical|\u{feff}",
            "numerical| |maxlim=1",
            "numerical|\u{3000}|maxlim=1",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
