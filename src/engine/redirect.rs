//! Redirects, decided by the core and never by `fetch`. `fetch` would follow them itself, but
//! it turns a redirected `POST` (`api/set`, `api/create`, `api/delete`) into a `GET`, and it
//! would carry the request (an update's secret, the API key) to wherever `Location` points,
//! plain `http:` included.
//!
//! - An update is never sent on: a redirect is a failure (`REDIRECT`), see [`refuse_update`].
//! - The director and API calls follow at most [`MAX_REDIRECTS`] of them with [`follow`]: the
//!   same method, body and key, and never from `https:` to plain `http:`.

use crate::base::error::{Code, Error};
use crate::base::log::Level;
use crate::base::text::{decimal, fill};
use crate::engine::context::Context;
use crate::engine::runtime::{HttpRequest, HttpResponse, Runtime};
use crate::protocol::http_url::BaseUrl;

/// How many redirects one call follows before giving up.
pub const MAX_REDIRECTS: u32 = 5;

/// Where the answer to a request for `from` sends it: `None` when the answer is not a redirect
/// to follow, the absolute URL to ask instead when it is. The same method, body and API key
/// go there, so a target on plain `http:` is refused when `from` was `https:`.
pub fn target(from: &str, status: u16, location: Option<&str>) -> Result<Option<String>, Error> {
    // `from` may itself be where an earlier answer's Location pointed: shown shortened, like
    // everything else a server wrote.
    let from_url = from;
    let from = crate::base::redact::excerpt(from, 200);
    let fail = |message: String| Error {
        code: Code::Http,
        message,
        status: Some(status),
        body: None,
    };
    match status {
        // What a browser hands back for a redirect it will not show: a page cannot follow it.
        0 => {
            return Err(fail(fill!(
            "{} redirected to another server, and the browser does not show the page where to; \
                     call it from a server, or give the project's server as url with direct: true",
            from
        )))
        }
        301 | 302 | 307 | 308 => {}
        _ => return Ok(None),
    }
    let Some(location) = location
        .map(crate::base::text::trim)
        .filter(|l| !l.is_empty())
    else {
        return Err(fail(fill!(
            "{} answered HTTP {} without a Location to go to",
            from,
            decimal(status.into())
        )));
    };
    let from_https = starts_with_ignore_case(from_url, "https://");
    let absolute = if starts_with_ignore_case(location, "http://")
        || starts_with_ignore_case(location, "https://")
    {
        location.to_string()
    } else if location.starts_with("//") {
        fill!(
            "{}{}",
            if from_https { "https:" } else { "http:" },
            location
        )
    } else if location.starts_with('/') {
        let origin = BaseUrl::parse(from_url, "url").map(|b| b.origin().to_string());
        origin.unwrap_or_default() + location
    } else {
        String::new()
    };
    let target = BaseUrl::parse(&absolute, "redirect").map_err(|_| {
        let why = if crate::base::text::has_any(&absolute, b"?#") {
            "a URL with a query or fragment, which the client does not follow"
        } else {
            "not an http(s) URL the client can follow"
        };
        fail(fill!(
            "{} redirected to {} ({})",
            from,
            origin_of(&from, location),
            why
        ))
    })?;
    if from_https && !target.is_https() {
        return Err(fail(fill!(
            "{} redirected to a plain-http server ({}); refusing to send the request there",
            from,
            crate::base::redact::quoted(target.origin())
        )));
    }
    Ok(Some(absolute))
}

/// Send `request` with the project's timeout and retries, following the redirects the core
/// allows when `request.manual_redirect` is set; `what` says what was being done, for the
/// message when there are too many.
pub async fn follow<R: Runtime>(
    ctx: &Context,
    rt: &R,
    mut request: HttpRequest,
    what: &str,
) -> Result<HttpResponse, Error> {
    let mut hops = 0;
    loop {
        let reply = crate::engine::retry::request(ctx, rt, &request).await?;
        // The messages quote the URL and the server's `Location`, which may echo a secret:
        // the project's secrets are in force while they are cut (no await until the next hop).
        let _in = ctx.enter();
        let status = if reply.redirect_hidden {
            0
        } else {
            reply.status
        };
        let next = if request.manual_redirect {
            target(&request.url, status, reply.location.as_deref())?
        } else {
            None
        };
        let Some(next) = next else {
            return Ok(reply);
        };
        hops += 1;
        if hops > MAX_REDIRECTS {
            return Err(Error {
                code: Code::Http,
                message: fill!(
                    "okerr could not {}: more than {} redirects, the last from {}",
                    what,
                    decimal(MAX_REDIRECTS.into()),
                    request.url
                ),
                status: Some(reply.status),
                body: None,
            });
        }
        if ctx.level() <= Level::Debug {
            ctx.log(
                rt,
                Level::Debug,
                &fill!("{} redirected to {}", request.url, next),
            );
        }
        request.url = next;
    }
}

/// `Err` when the answer to the update of `who` sent to `url` is a redirect: an update is never
/// sent on (its form holds the secret), never counted as sent, and never retried.
pub fn refuse_update(who: &str, url: &str, reply: &HttpResponse) -> Result<(), Error> {
    let whither = if reply.redirect_hidden {
        String::from("somewhere the browser does not show")
    } else if (300..400).contains(&reply.status) {
        match reply.location.as_deref().map(crate::base::text::trim) {
            Some(location) => origin_of(url, location),
            None => String::from("nowhere (no Location)"),
        }
    } else {
        return Ok(());
    };
    let shown = if reply.redirect_hidden {
        0
    } else {
        reply.status
    };
    Err(Error {
        code: Code::Redirect,
        message: fill!(
            "okerr did not take the update of {}: {} answered with a redirect (HTTP {}) to {}; \
             an update is never sent on to another server: set url to the server that hosts the \
             project",
            who,
            url,
            decimal(shown.into()),
            whither
        ),
        status: Some(shown),
        body: None,
    })
}

/// The origin `location` (absolute or not) points to, as `https://host:port`, for a message.
fn origin_of(from: &str, location: &str) -> String {
    let absolute = if crate::base::text::find(location, "://").is_some() {
        location.to_string()
    } else if location.starts_with("//") {
        fill!("https:{}", location)
    } else {
        from.to_string()
    };
    let without_query = crate::base::text::up_to(&absolute, b"?#");
    match BaseUrl::parse(without_query, "redirect") {
        Ok(url) => url.origin().to_string(),
        Err(_) => crate::base::redact::quoted(location),
    }
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FROM: &str = "https://a.okerr.com/api/set/p/df-/var";

    #[test]
    fn follows_node_redirects() {
        for status in [301, 302, 307, 308] {
            assert_eq!(
                target(FROM, status, Some("https://b.okerr.com/api/set/p/df-/var")).unwrap(),
                Some("https://b.okerr.com/api/set/p/df-/var".to_string())
            );
        }
        assert_eq!(
            target(FROM, 302, Some("/api/set/p/x")).unwrap().unwrap(),
            "https://a.okerr.com/api/set/p/x"
        );
        assert_eq!(
            target(FROM, 302, Some("//b.okerr.com/api/x"))
                .unwrap()
                .unwrap(),
            "https://b.okerr.com/api/x"
        );
        assert_eq!(
            target(
                "http://127.0.0.1:1/api/x",
                302,
                Some("http://127.0.0.1:2/api/x")
            )
            .unwrap()
            .unwrap(),
            "http://127.0.0.1:2/api/x"
        );
        assert_eq!(target(FROM, 200, None).unwrap(), None);
        assert_eq!(target(FROM, 304, Some("https://x/")).unwrap(), None);
        assert_eq!(target(FROM, 404, None).unwrap(), None);
    }

    #[test]
    fn refuses_what_it_must_not_follow() {
        for (status, location) in [
            (302, None),
            (302, Some("  ")),
            (302, Some("http://b.okerr.com/api/set/p/x")),
            (302, Some("HTTP://b.okerr.com/")),
            (302, Some("ftp://b.okerr.com/")),
            (302, Some("relative/path")),
            (302, Some("https://b.okerr.com/login?next=/api/")),
            (0, None),
        ] {
            let e = target(FROM, status, location).unwrap_err();
            assert_eq!(
                (e.code.clone(), e.status),
                (Code::Http, Some(status)),
                "{location:?}"
            );
        }
        let e = target(FROM, 302, Some("http://b/")).unwrap_err();
        assert!(e.message.contains("plain-http"), "{}", e.message);
    }

    #[test]
    fn messages_stay_short_whatever_the_location() {
        // Found by the api_answer fuzz target: a plain-http Location with a long host was put
        // whole into the message (and so into the log line), as was a long `from`.
        let host = "b".repeat(100_000);
        let e = target(FROM, 302, Some(&format!("http://{host}/"))).unwrap_err();
        assert!(
            e.message.len() < 400,
            "message of {} bytes",
            e.message.len()
        );
        let from = format!("https://{host}/api/x");
        for location in [None, Some("ftp://x/"), Some("http://c/")] {
            let e = target(&from, 302, location).unwrap_err();
            assert!(
                e.message.len() < 600,
                "message of {} bytes",
                e.message.len()
            );
        }
    }
}
