//! What the core needs from the JS runtime, injected so the core runs and is tested without one.

use crate::base::log::Level;
use std::future::Future;
use std::task::Waker;

/// What a request is for: a failure's advice depends on it (a browser's `no-cors` mode
/// delivers an update, but can read no director answer, API answer or status page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `GET api/director/TEXTID`: where the project lives.
    Director,
    /// `POST update`: an indicator's status.
    Update,
    /// A call of the project API, with the key (or `api/checkmethods`, without).
    Api,
    /// `GET jstatus/TEXTID/ADDR`: a public status page.
    StatusPage,
}

/// One HTTP request.
#[derive(Clone, PartialEq)]
pub struct HttpRequest {
    /// What it is for.
    pub purpose: Purpose,
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The absolute URL.
    pub url: String,
    /// A form-encoded body (sent with `Content-Type: application/x-www-form-urlencoded`).
    pub form: Option<String>,
    /// Sent as the `X-API-KEY` header.
    pub api_key: Option<String>,
    /// Send as a browser `no-cors` request, whose answer cannot be read.
    pub no_cors: bool,
    /// Hand a redirect back (with its `Location`) instead of following it, so that the core
    /// decides where a secret or the API key goes and a `POST` stays a `POST`.
    pub manual_redirect: bool,
    /// The most bytes of a `2xx` answer that are read: [`MAX_ANSWER_BYTES`] for an update or
    /// the director, [`MAX_API_ANSWER_BYTES`] for the API and status pages. Any other answer is
    /// read up to [`MAX_ANSWER_BYTES`] at most ([`HttpRequest::answer_limit`]).
    pub max_answer_bytes: usize,
}

impl HttpRequest {
    /// How much of an answer with `status` is read: an error page is only ever quoted, so
    /// only a `2xx` answer is read past [`MAX_ANSWER_BYTES`].
    pub fn answer_limit(&self, status: u16) -> usize {
        if (200..300).contains(&status) {
            self.max_answer_bytes
        } else {
            self.max_answer_bytes.min(MAX_ANSWER_BYTES)
        }
    }
}

impl std::fmt::Debug for HttpRequest {
    // The body and the key carry secrets: only the method and URL are ever shown.
    #[allow(
        clippy::disallowed_macros,
        reason = "Debug is for tests; the library never formats"
    )]
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.url)
    }
}

/// How much of an update's or the director's answer is read, and of any failure's: okerr
/// answers them with a word, a URL or a line, and an error keeps an excerpt anyway. The rest
/// of a longer answer is cancelled unread.
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// How much of a successful API or status page answer is read: lists, filters, update logs
/// and pages grow with the project. The real server's largest: a list of 5,000 names (its
/// largest plan's `maxindicators`) of up to 200 characters is about 1 MB; a status page of as
/// many items, or a day of updates every few seconds in an update log, a few MB. Past this the
/// call fails with `TOO_LARGE`: a cut list would be wrong data.
pub const MAX_API_ANSWER_BYTES: usize = 8 * 1024 * 1024;

/// An HTTP answer. `status` 0 is an opaque `no-cors` answer, or a redirect a browser hid.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// The answer text (at most [`HttpRequest::answer_limit`] bytes of it, decoded as UTF-8
    /// with replacement characters).
    pub body: String,
    /// The answer was longer than its limit: `body` is only its beginning (at most
    /// [`MAX_ANSWER_BYTES`] of it, all that a message ever quotes), and must not be used as
    /// the answer.
    pub cut: bool,
    /// The `Retry-After` header of an answer whose status is retried
    /// ([`crate::engine::retry::is_retryable_status`]), when there was one.
    pub retry_after: Option<String>,
    /// The `Location` header of a redirect (a 3xx) handed back by a `manual_redirect` request.
    pub location: Option<String>,
    /// A browser answered a `manual_redirect` request with an opaque redirect: there was a
    /// redirect, and the browser does not say where to.
    pub redirect_hidden: bool,
}

/// Why a request got no answer.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchError {
    /// The connection failed: refused, reset, DNS, offline.
    Network(String),
    /// No answer within the time limit.
    Timeout,
    /// A browser blocked reading a cross-origin answer.
    Cors(String),
    /// The resolver's final word: the host name does not exist (not a temporary failure such
    /// as `EAI_AGAIN`). No retry can help; the `url` can.
    NoSuchHost(String),
    /// The runtime itself refused the request (Deno without `--allow-net`). No retry can help.
    Denied(String),
}

impl FetchError {
    /// What a rejected `fetch` means, from the error's `name`, its `cause.code` (Node puts the
    /// system error there) and its text: a missing permission (Deno's `NotCapable`, formerly
    /// `PermissionDenied`), a host name that does not exist (Node's `ENOTFOUND`; Deno's "dns
    /// error" with the resolver's "not known" answer), or any other network failure, retried.
    pub fn classify(name: &str, code: Option<&str>, text: String) -> FetchError {
        const NO_SUCH_HOST: [&str; 4] = [
            "Name or service not known",
            "nodename nor servname provided",
            "No address associated with hostname",
            "No such host is known",
        ];
        if name == "NotCapable" || name == "PermissionDenied" {
            FetchError::Denied(text)
        } else if code == Some("ENOTFOUND")
            || (crate::base::text::find(&text, "dns error").is_some()
                && NO_SUCH_HOST
                    .iter()
                    .any(|n| crate::base::text::find(&text, n).is_some()))
        {
            FetchError::NoSuchHost(text)
        } else {
            FetchError::Network(text)
        }
    }
}

/// A call of the project's throttle store (the `throttleStore` option): see [`crate::engine::store`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StoreCall<'a> {
    /// `claim(key, status, numerical, token, periodMs)`: `true` when the store kept the claim
    /// (send), `false` when a record throttles the update.
    Claim {
        /// The record's key: the same for the same project and name in every process.
        key: &'a str,
        /// The status to send.
        status: &'a str,
        /// A numerical indicator: a record of any value throttles.
        numerical: bool,
        /// Unique to this claim; a release only deletes a record that still holds it.
        token: &'a str,
        /// The throttle period.
        period_ms: f64,
    },
    /// `release(key, token)` after a failed send: delete the record if it still holds `token`.
    /// Whatever it answers counts as done.
    Release {
        /// The record's key.
        key: &'a str,
        /// The token of the claim to release.
        token: &'a str,
    },
}

/// Why a throttle store gave no answer.
#[derive(Debug, Clone, PartialEq)]
pub enum StoreError {
    /// Its method threw or its promise rejected, with this message.
    Failed(String),
    /// It answered with a value of this type (`typeof`), not the one its contract says.
    Junk(String),
    /// No answer within the time limit.
    Timeout,
}

/// The runtime's fetch, timers, clock and logger.
#[allow(async_fn_in_trait)] // wasm is single-threaded: no Send bound is wanted.
pub trait Runtime {
    /// Perform one request, giving up after `timeout_ms`.
    async fn fetch(
        &self,
        request: &HttpRequest,
        timeout_ms: u32,
    ) -> Result<HttpResponse, FetchError>;
    /// Wait `ms` milliseconds.
    async fn sleep(&self, ms: f64);
    /// A waker to hand to work another task does, and the wait it ends: `true` when the waker
    /// is woken, `false` when `limit_ms` from now came first. The waker may be woken from any
    /// context (another request's, in Cloudflare Workers); the wait always resumes in the
    /// context of the task that called this, so its I/O stays its own.
    fn handoff(&self, limit_ms: f64) -> (Waker, impl Future<Output = bool> + 'static);
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> f64;
    /// Write one line at `level`, already masked: `Project::log`, which masks with the
    /// project's secrets and every other secret in force, is the only caller.
    fn log(&self, level: Level, message: &str);
    /// Make `call` on the project's throttle store, giving up after `limit_ms`: the answer of a
    /// claim (a release answers `true`). Only called for a project with a store; a runtime
    /// without one answers as a store that failed.
    async fn store(&self, call: &StoreCall<'_>, limit_ms: f64) -> Result<bool, StoreError> {
        let _ = (call, limit_ms);
        Err(StoreError::Failed("no throttle store".into()))
    }
}
