//! Retries: which answers are retried, how long to wait before each retry, and the loop that
//! sends one request with the project's timeout and retry schedule.

use crate::error::{Code, Error};
use crate::log::Level;
use crate::project::Project;
use crate::project_config::ProjectConfig;
use crate::runtime::{FetchError, HttpRequest, HttpResponse, Purpose, Runtime};
use crate::text::{decimal, digits_value, fill};

/// The longest wait a `Retry-After` answer can impose on one retry.
pub const RETRY_AFTER_CAP_MS: f64 = 60_000.0;

/// Answers worth another attempt (as the reference client's `status_forcelist`).
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

/// The wait before retry number `retry` (1-based): `backoff_ms * 2^(retry-1)`, or the server's
/// `Retry-After` (seconds or an HTTP date) when it sent one, capped at [`RETRY_AFTER_CAP_MS`].
pub fn delay_ms(backoff_ms: f64, retry: u32, retry_after: Option<&str>, now_ms: f64) -> f64 {
    if let Some(ms) = retry_after.and_then(|v| parse_retry_after(v, now_ms)) {
        return ms.min(RETRY_AFTER_CAP_MS);
    }
    backoff_ms * f64::from(2u32.saturating_pow(retry.saturating_sub(1)))
}

/// `Retry-After` as milliseconds from `now_ms`: delay-seconds, or an IMF-fixdate
/// (`Sun, 06 Nov 1994 08:49:37 GMT`). Anything else is ignored.
pub fn parse_retry_after(value: &str, now_ms: f64) -> Option<f64> {
    let v = crate::text::trim(value);
    if !v.is_empty() && v.len() <= 10 && v.bytes().all(|b| b.is_ascii_digit()) {
        let seconds = digits_value(v).and_then(|s| u32::try_from(s).ok());
        return seconds.map(|s| f64::from(s) * 1000.0);
    }
    let date_ms = parse_imf_fixdate(v)?;
    Some((date_ms - now_ms).max(0.0))
}

fn parse_imf_fixdate(v: &str) -> Option<f64> {
    let mut parts = crate::text::pieces(v, b' ');
    let (_weekday, day, month, year, time, zone) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if zone != "GMT" || parts.next().is_some() {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| *m == month)? as i64 + 1;
    let day = int(day)?;
    let year = int(year)?;
    let mut hms = crate::text::pieces(time, b':').map(int);
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    if !(1..=31).contains(&day)
        || !(0..24).contains(&h)
        || !(0..60).contains(&m)
        || !(0..61).contains(&s)
        || !(1970..=9999).contains(&year)
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(((days * 86_400 + h * 3600 + m * 60 + s) * 1000) as f64)
}

/// An integer as `str::parse::<i64>` reads one (a sign, then decimal digits), for the date's
/// fields; one that does not fit an `i64` is `None`, as any that large is out of range anyway.
fn int(s: &str) -> Option<i64> {
    let (negative, digits) = match s.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let n = i64::try_from(digits_value(digits)?).ok()?;
    Some(if negative { -n } else { n })
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The longest one [`Project::request`] can take: every attempt to its time limit and every
/// pause at its longest, and a second for the event loop. Past it, whoever waits for a request
/// knows it was stopped from outside (see [`crate::shared`]).
pub fn request_limit_ms(c: &ProjectConfig) -> f64 {
    let mut ms = f64::from(c.retries + 1) * f64::from(c.timeout_ms) + 1000.0;
    for retry in 1..=c.retries {
        ms += delay_ms(c.backoff_ms, retry, None, 0.0).max(RETRY_AFTER_CAP_MS);
    }
    ms
}

/// The longest a director lookup can take: the first request and each redirect it follows.
pub fn lookup_limit_ms(c: &ProjectConfig) -> f64 {
    f64::from(crate::redirect::MAX_REDIRECTS + 1) * request_limit_ms(c)
}

/// The longest an update's send can take: a director lookup, then the post.
pub fn send_limit_ms(c: &ProjectConfig) -> f64 {
    lookup_limit_ms(c) + request_limit_ms(c)
}

#[cfg(test)]
mod fail_fast {
    use super::*;
    use crate::runtime::FetchError;

    fn request(purpose: Purpose, url: &str) -> HttpRequest {
        HttpRequest {
            purpose,
            method: "GET",
            url: url.into(),
            form: None,
            api_key: None,
            no_cors: false,
            manual_redirect: true,
            max_answer_bytes: crate::runtime::MAX_ANSWER_BYTES,
        }
    }

    #[test]
    fn cors_advice_fits_the_request() {
        let config =
            ProjectConfig::from_pairs(&[("textid".into(), crate::value::Value::Str("t".into()))])
                .unwrap();
        let hidden = || Err(FetchError::Cors("Failed to fetch".into()));
        let advice = |r: &HttpRequest| {
            let Err(Err(e)) = judge(hidden(), r, &config, 0) else {
                panic!("retried")
            };
            assert_eq!(e.code, Code::Cors);
            e.message
        };
        let update = advice(&request(Purpose::Update, "https://cp.okerr.com/update"));
        assert!(
            update.contains("mode: 'no-cors' and direct: true"),
            "{update}"
        );
        // no-cors can read nothing: never offered for the director, the API or a status page.
        let director = advice(&request(
            Purpose::Director,
            "https://my.okerr.com/api/director/t",
        ));
        assert!(
            director.contains("set direct: true and url to the project's server"),
            "{director}"
        );
        let page = advice(&request(
            Purpose::StatusPage,
            "https://cp.okerr.com/jstatus/t/index",
        ));
        assert!(page.contains("public status page that exists"), "{page}");
        let api = advice(&request(
            Purpose::Api,
            "https://cp.okerr.com/api/indicators/t",
        ));
        assert!(api.contains("'no-cors' cannot read an answer"), "{api}");
        for m in [&director, &page] {
            assert!(!m.contains("no-cors"), "{m}");
        }
        // A no-cors request that failed got no answer at all: no CORS advice to repeat.
        let mut sent = request(Purpose::Update, "https://cp.okerr.com/update");
        sent.no_cors = true;
        let blind = advice(&sent);
        assert!(
            blind.starts_with("could not reach https://cp.okerr.com/update"),
            "{blind}"
        );
        assert!(!blind.contains("send with"), "{blind}");
    }

    #[test]
    fn what_no_retry_can_fix_is_told_apart_from_what_a_retry_may() {
        let c = |name: &str, code: Option<&str>, text: &str| {
            FetchError::classify(name, code, text.to_string())
        };
        // Node 20 (undici): TypeError 'fetch failed', the system error in `cause`.
        assert!(matches!(
            c(
                "TypeError",
                Some("ENOTFOUND"),
                "fetch failed: getaddrinfo ENOTFOUND nosuch.invalid"
            ),
            FetchError::NoSuchHost(_)
        ));
        for transient in ["EAI_AGAIN", "ECONNRESET", "ECONNREFUSED", "UND_ERR_SOCKET"] {
            assert!(matches!(
                c("TypeError", Some(transient), "fetch failed"),
                FetchError::Network(_)
            ));
        }
        // Deno 2: a missing permission is NotCapable (PermissionDenied before 2.0).
        for name in ["NotCapable", "PermissionDenied"] {
            assert!(matches!(
                c(
                    name,
                    None,
                    "Requires net access to \"x.invalid:80\", run again with the --allow-net flag"
                ),
                FetchError::Denied(_)
            ));
        }
        // Deno's resolver, glibc's and macOS's wording; a temporary failure is retried.
        assert!(matches!(
            c("TypeError", None, "error sending request for url (http://nosuch.invalid/): client error (Connect): dns error: failed to lookup address information: Name or service not known"),
            FetchError::NoSuchHost(_)
        ));
        assert!(matches!(
            c("TypeError", None, "client error (Connect): dns error: failed to lookup address information: nodename nor servname provided, or not known"),
            FetchError::NoSuchHost(_)
        ));
        assert!(matches!(
            c("TypeError", None, "client error (Connect): dns error: failed to lookup address information: Temporary failure in name resolution"),
            FetchError::Network(_)
        ));
        assert!(matches!(
            c("TypeError", None, "Failed to fetch"),
            FetchError::Network(_)
        ));
    }

    #[test]
    fn no_retry_for_a_host_that_does_not_exist_or_a_refused_permission() {
        let config = ProjectConfig::from_pairs(&[
            ("textid".into(), crate::value::Value::Str("t".into())),
            ("retries".into(), crate::value::Value::Num(5.0)),
        ])
        .unwrap();
        for (e, fix) in [
            (
                FetchError::NoSuchHost("ENOTFOUND".into()),
                "set the url option (OKERR_URL)",
            ),
            (FetchError::Denied("NotCapable".into()), "--allow-net"),
        ] {
            let director = request(Purpose::Director, "https://my.okerr.com/api/director/t");
            let Err(Err(error)) = judge(Err(e), &director, &config, 0) else {
                panic!("retried")
            };
            assert_eq!(error.code, Code::Network);
            assert!(error.message.contains(fix), "{}", error.message);
        }
    }
}

/// The retry loop, for a project.
impl Project {
    /// One request with the project's timeout and retry schedule: connection failures,
    /// timeouts, 429 and 5xx are retried; any other answer is returned as it is.
    pub async fn request<R: Runtime>(
        &self,
        rt: &R,
        request: &HttpRequest,
    ) -> Result<HttpResponse, Error> {
        let c = &self.config;
        let mut retry = 0;
        loop {
            let fetched = rt.fetch(request, c.timeout_ms).await;
            let (retry_after, why) = match judge(fetched, request, c, retry) {
                Ok(retry) => retry,
                Err(done) => return done,
            };
            retry += 1;
            let wait = delay_ms(c.backoff_ms, retry, retry_after.as_deref(), rt.now_ms());
            let line = fill(
                "{} from {}; retry {} of {} in {} ms",
                &[
                    &why,
                    &request.url,
                    &decimal(retry.into()),
                    &decimal(c.retries.into()),
                    &decimal(wait.round() as u64),
                ],
            );
            self.log(rt, Level::Warn, &line);
            rt.sleep(wait).await;
        }
    }
}

/// What attempt `retry` (0 for the first) of `request` came to: `Ok` with the answer's
/// `Retry-After` and why, when it is retried; `Err` with the result of the request when it is
/// not. Kept out of the retry loop, whose state machine would carry it otherwise.
#[allow(clippy::type_complexity)]
fn judge(
    fetched: Result<HttpResponse, FetchError>,
    request: &HttpRequest,
    c: &ProjectConfig,
    retry: u32,
) -> Result<(Option<String>, String), Result<HttpResponse, Error>> {
    let url = request.url.as_str();
    let last = retry >= c.retries;
    let ms = decimal(c.timeout_ms.into());
    match fetched {
        Ok(answer) if !last && is_retryable_status(answer.status) => Ok((
            answer.retry_after,
            fill("HTTP {}", &[&decimal(answer.status.into())]),
        )),
        Ok(answer) => Err(Ok(answer)),
        Err(FetchError::Cors(detail)) => Err(Err(cors_error(request, &detail))),
        Err(FetchError::NoSuchHost(m)) => Err(Err(Error::new(
            Code::Network,
            fill(
                "could not reach {}: its host name does not exist ({}); no retry can help: \
                 set the url option (OKERR_URL) to your okerr server",
                &[url, &m],
            ),
        ))),
        Err(FetchError::Denied(m)) => Err(Err(Error::new(
            Code::Network,
            fill(
                "the runtime refused the request to {} ({}); no retry can help: allow network \
                 access (Deno: run with --allow-net)",
                &[url, &m],
            ),
        ))),
        Err(FetchError::Network(m)) if !last => Ok((None, fill("network error ({})", &[&m]))),
        Err(FetchError::Timeout) if !last => Ok((None, fill("no answer within {} ms", &[&ms]))),
        Err(FetchError::Network(m)) => Err(Err(Error::new(
            Code::Network,
            fill(
                "could not reach {} ({}): {}",
                &[url, &attempts(retry + 1), &m],
            ),
        ))),
        Err(FetchError::Timeout) => Err(Err(Error::new(
            Code::Timeout,
            fill(
                "no answer from {} within {} ms ({})",
                &[url, &ms, &attempts(retry + 1)],
            ),
        ))),
    }
}

fn attempts(n: u32) -> String {
    if n == 1 {
        String::from("1 attempt")
    } else {
        fill("{} attempts", &[&decimal(n.into())])
    }
}

/// The `CORS` error of `request`, with the advice that can help it: the real server sends
/// CORS headers only with a public status page (okerrui/views.py `jstatus`), so `no-cors`
/// delivery is the way out for an update only; no mode can read the director, the API or a
/// page another origin hides.
fn cors_error(request: &HttpRequest, detail: &str) -> Error {
    let url = request.url.as_str();
    let message = if request.no_cors {
        // A `no-cors` request is never refused for CORS: it got no answer at all.
        fill(
            "could not reach {} ({}): with mode 'no-cors' the browser does not say why (no \
             connection, a refused certificate, a blocked request); check the url once from Node \
             or with curl",
            &[url, detail],
        )
    } else {
        let advice = match request.purpose {
            Purpose::Update => {
                "okerr sends no CORS headers with /update: serve the page from the server's \
                 origin (or through a proxy there), or deliver without reading the answer with \
                 mode: 'no-cors' and direct: true (README, Browsers)"
            }
            Purpose::Director => {
                "okerr's director sends no CORS headers: from a page on another origin, set \
                 direct: true and url to the project's server (README, Browsers)"
            }
            Purpose::StatusPage => {
                "okerr sends CORS headers only with a public status page that exists, from the \
                 project's own server: check the page's address, and set direct: true and url \
                 to the project's server (README, Browsers)"
            }
            Purpose::Api => {
                "okerr's API sends no CORS headers, and mode 'no-cors' cannot read an answer: \
                 call the API from a page on the server's own origin (or through a proxy \
                 there), or from a server (Node, Deno, a Worker)"
            }
        };
        fill(
            "the browser hid the answer from {} ({}): no CORS headers, or no connection (it \
             does not say which). {}",
            &[url, detail, advice],
        )
    };
    Error::new(Code::Cors, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_fields_are_read_as_parse_reads_them() {
        for s in [
            "06",
            "1994",
            "+5",
            "-0",
            "-12",
            "",
            "-",
            "+",
            "+-1",
            "1_0",
            " 1",
            "99999999999999999999",
        ] {
            assert_eq!(int(s), s.parse::<i64>().ok(), "{s:?}");
        }
    }

    #[test]
    fn backoff_doubles() {
        let waits: Vec<f64> = (1..=5).map(|k| delay_ms(2000.0, k, None, 0.0)).collect();
        assert_eq!(waits, [2000.0, 4000.0, 8000.0, 16000.0, 32000.0]);
        assert_eq!(delay_ms(0.0, 3, None, 0.0), 0.0);
    }

    #[test]
    fn retry_after_wins_up_to_the_cap() {
        assert_eq!(delay_ms(2000.0, 1, Some("1"), 0.0), 1000.0);
        assert_eq!(delay_ms(2000.0, 1, Some("3600"), 0.0), RETRY_AFTER_CAP_MS);
        assert_eq!(delay_ms(2000.0, 2, Some("soon"), 0.0), 4000.0);
        let now = 784_111_777_000.0 - 5000.0; // five seconds before the example date
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(5000.0)
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now + 9000.0),
            Some(0.0)
        );
        for bad in [
            "",
            "-1",
            "1.5",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "99999999999",
        ] {
            assert_eq!(parse_retry_after(bad, 0.0), None, "{bad}");
        }
    }

    #[test]
    fn retries_what_the_reference_client_retries() {
        for s in [429, 500, 502, 503, 504] {
            assert!(is_retryable_status(s));
        }
        for s in [200, 301, 400, 403, 404, 501] {
            assert!(!is_retryable_status(s));
        }
    }
}
