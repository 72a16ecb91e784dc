//! Checking and joining the http(s) URLs the client talks to, without a URL crate: the client
//! needs only "is this an absolute http/https URL" and "append this path", and every byte of a
//! general URL parser would be carried by every user.

use crate::error::Error;

/// An absolute `http:` or `https:` URL, kept without a trailing slash, with no query or fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    text: String,
    origin_len: usize,
    https: bool,
}

impl BaseUrl {
    /// Check `s` and keep it; `what` names the value in the error message.
    pub fn parse(s: &str, what: &str) -> Result<BaseUrl, Error> {
        let bad = |why: &str| {
            Error::invalid_with(
                "{} must be an absolute http:// or https:// URL ({}); got {}",
                &[what, why, &crate::text::quoted(s)],
            )
        };
        let s = crate::text::trim(s);
        // The first 8 bytes (none when there are fewer, or the 8th ends inside a character),
        // compared without case.
        let head = s.get(..8).unwrap_or_default();
        let (https, rest) = if head.eq_ignore_ascii_case("https://") {
            (true, &s[8..])
        } else if head
            .get(..7)
            .is_some_and(|h| h.eq_ignore_ascii_case("http://"))
        {
            (false, &s[7..])
        } else {
            return Err(bad("scheme"));
        };
        // Credentials in a URL would travel with every request and show in every message
        // that names the URL: refused, and the URL is not quoted.
        if crate::text::has_any(crate::text::up_to(rest, b"/?#"), b"@") {
            return Err(Error::invalid_with(
                "{} must not contain a user name or password (user:password@ before the \
                     host): give the API key as apiKey",
                &[what],
            ));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("whitespace"));
        }
        if crate::text::has_any(s, b"?#") {
            return Err(bad("query or fragment"));
        }
        let authority_end = rest.bytes().position(|b| b == b'/').unwrap_or(rest.len());
        // No `user@` part: refused above.
        let host_port = &rest[..authority_end];
        let host = match host_port.strip_prefix('[') {
            Some(v6) => match v6.bytes().position(|b| b == b']') {
                Some(end) if end > 0 => &v6[..end],
                _ => return Err(bad("host")),
            },
            None => crate::text::up_to(host_port, b":"),
        };
        if host.is_empty() || crate::text::has_any(host, b"\\<>\"^`{|}") {
            return Err(bad("host"));
        }
        let after_host = &host_port[host_port
            .bytes()
            .position(|b| b == b']')
            .map_or(host.len(), |i| i + 1)..];
        if let Some(port) = after_host.strip_prefix(':') {
            if !port.is_empty() && crate::text::digits_value(port).is_none_or(|p| p > 65535) {
                return Err(bad("port"));
            }
        } else if !after_host.is_empty() {
            return Err(bad("host"));
        }
        let scheme_len = if https { 8 } else { 7 };
        let text = crate::text::trim_end_with(s, |c| c == '/').to_string();
        let origin_len = (scheme_len + authority_end).min(text.len());
        Ok(BaseUrl {
            text,
            origin_len,
            https,
        })
    }

    /// True for `https:`.
    pub fn is_https(&self) -> bool {
        self.https
    }

    /// The whole URL without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// `scheme://host[:port]`, for absolute paths like the director's.
    pub fn origin(&self) -> &str {
        &self.text[..self.origin_len]
    }

    /// This URL's path followed by `/` and `path` (which must not start with `/`).
    pub fn join(&self, path: &str) -> String {
        let mut out = String::with_capacity(self.text.len() + 1 + path.len());
        out.push_str(&self.text);
        out.push('/');
        out.push_str(path);
        out
    }
}

/// Percent-encode one path part the way Python's `urllib.parse.quote` does by default:
/// letters, digits, `_.-~` and `/` stay (indicator names may contain `/`), all else is `%XX`.
pub fn encode_path(part: &str) -> String {
    let mut out = String::with_capacity(part.len());
    for b in part.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'~' | b'/') {
            out.push(b as char);
        } else {
            crate::form::push_percent(&mut out, b);
        }
    }
    out
}

/// True when a piece of `part` between slashes is a dot segment: `.` or `..`, each dot written
/// as itself or as `%2e` in either case (`.%2E`, `%2e%2e`...). A URL parser resolves them, as
/// `fetch` does, so a path built with one goes elsewhere than it says: `api/delete/T/x/../v`
/// deletes `v`. A `\` counts as a slash too, as it does in an http(s) URL.
pub fn has_dot_segment(part: &str) -> bool {
    part.as_bytes()
        .split(|&b| b == b'/' || b == b'\\')
        .any(is_dot_segment)
}

fn is_dot_segment(segment: &[u8]) -> bool {
    let (mut dots, mut rest) = (0, segment);
    while let Some(&first) = rest.first() {
        rest = match rest {
            [b'%', b'2', e, after @ ..] if e.eq_ignore_ascii_case(&b'e') => after,
            _ if first == b'.' => &rest[1..],
            _ => return false,
        };
        dots += 1;
    }
    dots == 1 || dots == 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_http_and_https() {
        let u = BaseUrl::parse("https://my.okerr.com/", "url").unwrap();
        assert!(u.is_https());
        assert_eq!(u.as_str(), "https://my.okerr.com");
        assert_eq!(u.origin(), "https://my.okerr.com");
        let u = BaseUrl::parse("HTTP://127.0.0.1:8080/okerr/", "url").unwrap();
        assert!(!u.is_https());
        assert_eq!(u.origin(), "HTTP://127.0.0.1:8080");
        assert_eq!(u.join("update"), "HTTP://127.0.0.1:8080/okerr/update");
        assert!(BaseUrl::parse("http://[::1]:9/", "url").is_ok());
    }

    #[test]
    fn scheme_is_read_from_the_first_eight_bytes_in_any_case() {
        // As when the first 8 bytes were lower-cased: fewer than 8, or an 8th byte inside a
        // character, is no scheme at all.
        for (url, scheme_ok) in [
            ("HtTpS://a.example/", true),
            ("hTTp://a.example/", true),
            ("http://", false),
            ("http://é.example/", false),
            ("https:/a.example/", false),
            ("ftp://a.example/", false),
        ] {
            let scheme_refused = BaseUrl::parse(url, "url")
                .is_err_and(|e| crate::text::find(&e.message, "(scheme)").is_some());
            assert_eq!(!scheme_refused, scheme_ok, "{url}");
        }
    }

    #[test]
    fn refuses_credentials_without_showing_them() {
        for url in [
            "https://user:P4SSWORD@example/",
            "http://user@example/",
            "https://u:P4SSWORD@example with space/",
            "https://u:P4SSWORD@h:99999/",
        ] {
            let e = BaseUrl::parse(url, "url").unwrap_err();
            assert_eq!(e.code, crate::error::Code::InvalidArgument, "{url}");
            assert!(
                !e.message.contains("P4SSWORD") && !e.message.contains("example"),
                "{}",
                e.message
            );
        }
        assert!(
            BaseUrl::parse("https://host/a@b", "url").is_ok(),
            "an @ in the path is no credential"
        );
    }

    #[test]
    fn refuses_what_is_not_an_absolute_http_url() {
        for bad in [
            "",
            "ftp://x/",
            "//x/",
            "https://",
            "https:///path",
            "http://a b/",
            "http://x/?q=1",
            "http://x/#f",
            "http://x:99999/",
            "http://x:8o/",
            "javascript:alert(1)",
            "http://[::1/",
            "http://x\n/",
            "https://h]x/",
        ] {
            let e = BaseUrl::parse(bad, "url").unwrap_err();
            assert_eq!(e.code, crate::error::Code::InvalidArgument, "{bad}");
        }
    }

    #[test]
    fn finds_dot_segments_in_every_spelling_a_url_parser_reads() {
        for dotted in [
            ".",
            "..",
            "%2e",
            "%2E",
            ".%2e",
            "%2E.",
            "%2e%2E",
            "x/..",
            "../x",
            "x/./y",
            "user1:/../victim",
            "x/%2e%2e/y",
            "x\\..\\y",
        ] {
            assert!(has_dot_segment(dotted), "{dotted:?}");
        }
        for plain in [
            "",
            "x",
            "...",
            "..x",
            "x..",
            ".x",
            "%2e%2e%2e",
            "%2ex",
            "%2",
            "%2f..",
            "%252e",
            "a.b/c.d",
            "df-/var",
            "a//b",
        ] {
            assert!(!has_dot_segment(plain), "{plain:?}");
        }
    }

    #[test]
    fn encodes_path_parts_like_python_quote() {
        assert_eq!(encode_path("df-/var"), "df-/var");
        assert_eq!(encode_path("a b%c?"), "a%20b%25c%3F");
        assert_eq!(encode_path("é"), "%C3%A9");
    }
}
