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
            let mut shown = String::new();
            for (i, part) in crate::text::pieces(line, b'|').enumerate() {
                if i > 0 {
                    shown.push('|');
                }
                shown.push_str(masked(part));
            }
            return Err(Error::invalid_with(
                "method line must start with a codename such as 'heartbeat' or 'numerical': {}",
                &[&quoted(&shown)],
            ));
        }
        c if ACTIVE_CODENAMES.contains(&c) => Kind::Active,
        c => {
            return Err(Error::invalid_with(
                "unknown check method codename {} (the server would refuse it)",
                &[&quoted(c)],
            ))
        }
    };
    let mut secret_arg = None;
    // The server splits every part on '=' and wants exactly two pieces (`(k, v) =
    // e.split('=')`): an empty part, a part of spaces or a trailing '|' is a bad cm line too.
    for part in parts {
        let (key, value) = match crate::text::split_once(part, b'=') {
            Some((k, v)) if !crate::text::has_any(v, b"=") => (k, v),
            _ => {
                return Err(Error::invalid_with(
                    "method line part {} must be one name=value \
                         (the server would answer 'bad cm line')",
                    &[&quoted(masked(part))],
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

/// A part of a method line as an error message may show it: a `secret=` part, even a broken
/// one, is named and never shown (the caller's secret is not yet known to the redaction, which
/// learns it from a line that parsed).
fn masked(part: &str) -> &str {
    if crate::pynum::strip(part).starts_with("secret") {
        "secret=…"
    } else {
        part
    }
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
            "string||options=text dynamic",
            "numerical|maxlim=1|",
            "numerical| |maxlim=1",
            "numerical|\u{3000}|maxlim=1",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
