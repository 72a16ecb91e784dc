//! The one error type: a stable code, a readable message, and the HTTP answer when there was one.

/// The stable, machine-readable kind of a failure. JS callers branch on its string form.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Code {
    /// A value passed by the caller is wrong; nothing was sent.
    InvalidArgument,
    /// The server answered with an HTTP status that means failure and gave no `ERROR:CODE`.
    Http,
    /// The request could not be delivered (DNS, refused, reset, offline).
    Network,
    /// No answer arrived within `timeoutMs`, on every attempt.
    Timeout,
    /// The director could not tell where the project lives, or named a server we must not use.
    Director,
    /// A browser refused to show the answer because the server sent no CORS headers.
    Cors,
    /// An API call was made on a project configured without `apiKey`.
    NoApiKey,
    /// The server refused the API key (HTTP 403), or the status page is not public.
    Forbidden,
    /// The server has no such project, indicator, argument or status page (HTTP 404).
    NotFound,
    /// The server answered `2xx` without its `OK`: the update was refused or not confirmed.
    Rejected,
    /// The server answered an update with a redirect, which the client never follows (the
    /// update's form holds the secret): nothing was stored.
    Redirect,
    /// A successful answer was longer than the client reads for its call: nothing of it is
    /// used, since a cut list or page would be wrong data.
    TooLarge,
    /// The server's machine-readable code, from a body starting `ERROR:CODE `. JS sees the
    /// code itself as `error.code` only when it is one of [`SERVER_CODES`]; any other word is
    /// `HTTP`, so a server cannot give an error a code the client has its own meaning for
    /// (`INVALID_ARGUMENT` says nothing was sent, `FREED` that the object was freed). The word
    /// is kept either way, as `error.serverCode`.
    Server(String),
}

/// The codes the okerr server sends as `ERROR:CODE` (its `OkerrError` raised with a code:
/// `Indicator.create` and `Indicator.update` in `okerrui/models.py`).
pub const SERVER_CODES: [&str; 2] = ["LIMIT_MAXINDICATORS", "BAD_METHOD"];

impl Code {
    /// The string JS sees as `error.code`.
    pub fn as_str(&self) -> &str {
        match self {
            Code::InvalidArgument => "INVALID_ARGUMENT",
            Code::Http => "HTTP",
            Code::Network => "NETWORK",
            Code::Timeout => "TIMEOUT",
            Code::Director => "DIRECTOR",
            Code::Cors => "CORS",
            Code::NoApiKey => "NO_API_KEY",
            Code::Forbidden => "FORBIDDEN",
            Code::NotFound => "NOT_FOUND",
            Code::Rejected => "REJECTED",
            Code::Redirect => "REDIRECT",
            Code::TooLarge => "TOO_LARGE",
            Code::Server(code) if SERVER_CODES.contains(&code.as_str()) => code,
            Code::Server(_) => "HTTP",
        }
    }

    /// The word of the server's `ERROR:CODE`, when the server gave one.
    pub fn server_code(&self) -> Option<&str> {
        match self {
            Code::Server(code) => Some(code),
            _ => None,
        }
    }
}

/// A failure of any public operation.
///
/// Messages never contain a secret: they are built from the caller's non-secret values and
/// from server answers that went through [`crate::redact`].
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    /// What kind of failure this is.
    pub code: Code,
    /// A sentence for a person.
    pub message: String,
    /// The HTTP status, when the server answered.
    pub status: Option<u16>,
    /// An excerpt of the server's answer text, when it answered.
    pub body: Option<String>,
}

impl Error {
    /// A failure without an HTTP answer.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            status: None,
            body: None,
        }
    }

    /// A wrong argument: the caller must change the call.
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::new(Code::InvalidArgument, message)
    }

    /// A wrong argument, its message `template` with each `{}` replaced by the next of `args`
    /// ([`crate::text::fill`]).
    pub fn invalid_with(template: &str, args: &[&str]) -> Self {
        Error::invalid(crate::text::fill(template, args))
    }

    /// A failure that carries the server's answer.
    pub fn answered(code: Code, message: impl Into<String>, status: u16, body: &str) -> Self {
        Error {
            code,
            message: message.into(),
            status: Some(status),
            body: Some(crate::text::excerpt(body, BODY_EXCERPT_CHARS)),
        }
    }
}

/// How much of a server's answer an error keeps: enough to read, never a whole 1 MB page.
pub const BODY_EXCERPT_CHARS: usize = 1000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_code_outside_the_servers_list_is_http() {
        for known in SERVER_CODES {
            let code = Code::Server(known.into());
            assert_eq!((code.as_str(), code.server_code()), (known, Some(known)));
        }
        // Local-only codes, and words that mean something to JS, chosen by a server.
        for word in [
            "FREED",
            "INVALID_ARGUMENT",
            "NOT_INITIALIZED",
            "__proto__",
            "constructor",
        ] {
            let code = Code::Server(word.into());
            assert_eq!((code.as_str(), code.server_code()), ("HTTP", Some(word)));
        }
        assert_eq!(Code::Http.server_code(), None);
        assert_eq!(Code::TooLarge.as_str(), "TOO_LARGE");
    }
}
