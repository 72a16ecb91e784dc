//! The director: which server hosts a project, checked before the secret goes anywhere near it,
//! asked once for any number of concurrent updates and cached for five minutes.

use crate::error::{Code, Error};
use crate::http_url::{encode_path, BaseUrl};
use crate::log::Level;
use crate::project::Project;
use crate::runtime::{HttpRequest, Purpose, Runtime};
use crate::shared::Shared;
use crate::text::{decimal, fill};

/// How long a director answer is trusted, as in the reference client (`url_expiration`).
pub const DIRECTOR_TTL_MS: f64 = 300_000.0;

/// `GET {origin of base}/api/director/{textid}`.
pub fn request_url(base: &BaseUrl, textid: &str) -> String {
    let mut url = String::from(base.origin());
    url.push_str("/api/director/");
    url.push_str(&encode_path(textid));
    url
}

/// Read the director's answer: a 200 whose text is an absolute http(s) URL, and never a plain
/// `http:` node when the director itself was asked over `https:`.
pub fn read_answer(
    base: &BaseUrl,
    textid: &str,
    status: u16,
    body: &str,
) -> Result<BaseUrl, Error> {
    let fail = |message: String| Error::answered(Code::Director, message, status, body);
    match status {
        200 => {}
        404 => {
            return Err(fail(fill(
                "the director at {} does not know project '{}' (check the textid)",
                &[base.origin(), textid],
            )))
        }
        s => {
            return Err(fail(fill(
                "the director at {} answered HTTP {}",
                &[base.origin(), &decimal(s.into())],
            )))
        }
    }
    let answer = crate::text::trim_end(body);
    let node = BaseUrl::parse(answer, "the director's answer").map_err(|_| {
        fail(fill(
            "the director at {} answered something that is not an http(s) URL",
            &[base.origin()],
        ))
    })?;
    if base.is_https() && !node.is_https() {
        return Err(fail(fill(
            "the director named a plain-http server ({}) for an https base; \
                 refusing to send the secret there",
            &[&crate::text::quoted(node.origin())],
        )));
    }
    Ok(node)
}

/// The last director answer and when it expires.
#[derive(Debug, Default)]
pub struct DirectorCache {
    entry: Option<(BaseUrl, f64)>,
}

impl DirectorCache {
    /// The cached server, if its answer is still fresh at `now_ms`.
    pub fn get(&self, now_ms: f64) -> Option<BaseUrl> {
        self.entry
            .as_ref()
            .filter(|(_, expires)| now_ms < *expires)
            .map(|(url, _)| url.clone())
    }

    /// Remember `url` from `now_ms` for [`DIRECTOR_TTL_MS`].
    pub fn put(&mut self, url: BaseUrl, now_ms: f64) {
        self.entry = Some((url, now_ms + DIRECTOR_TTL_MS));
    }

    /// Forget the answer, so the next update asks again (after a node stopped answering).
    pub fn forget(&mut self) {
        self.entry = None;
    }
}

/// Asking the director, for a project.
impl Project {
    /// The server that hosts the project: `url` itself in direct mode, otherwise the director's
    /// answer, cached for five minutes and asked once for any number of concurrent updates.
    pub async fn node<R: Runtime>(&self, rt: &R) -> Result<BaseUrl, Error> {
        if self.config.direct {
            return Ok(self.config.url.clone());
        }
        let limit = crate::retry::lookup_limit_ms(&self.config);
        loop {
            if let Some(url) = self.director.borrow().get(rt.now_ms()) {
                return Ok(url);
            }
            // A lookup in flight is joined, unless it is past its hard limit: then its request
            // was stopped from outside and it never ends, so this one asks anew.
            let pending = self.lookup.borrow().clone();
            match pending {
                Some(lookup) if !lookup.abandoned(rt.now_ms(), limit) => {
                    if let Some(result) = lookup.wait(rt, limit).await {
                        return result;
                    }
                    if !lookup.abandoned(rt.now_ms(), limit) {
                        // The wait ended without its limit passing: the runtime has no timer
                        // to wait with. This update asks on its own rather than spin.
                        break;
                    }
                }
                _ => break,
            }
        }
        let lookup = Shared::new(rt.now_ms());
        *self.lookup.borrow_mut() = Some(lookup.clone());
        let result = self.ask_director(rt).await.map_err(|e| self.scrub_error(e));
        // Only this lookup's own record is cleared: one that replaced it (this one was
        // abandoned by the others) goes on.
        let mut current = self.lookup.borrow_mut();
        if current.as_ref().is_some_and(|l| l.same(&lookup)) {
            *current = None;
        }
        drop(current);
        if let Ok(url) = &result {
            self.director.borrow_mut().put(url.clone(), rt.now_ms());
        }
        lookup.set(result.clone());
        result
    }

    async fn ask_director<R: Runtime>(&self, rt: &R) -> Result<BaseUrl, Error> {
        let url = request_url(&self.config.url, &self.config.textid);
        let request = HttpRequest {
            purpose: Purpose::Director,
            method: "GET",
            url: url.clone(),
            form: None,
            api_key: None,
            no_cors: false,
            // Followed by the core, so that no hop turns an https: base into plain http:.
            manual_redirect: true,
            max_answer_bytes: crate::runtime::MAX_ANSWER_BYTES,
        };
        let what = "ask the director";
        let answer = crate::redirect::follow(self, rt, request, what)
            .await
            .map_err(|e| Error {
                code: if e.code == Code::Cors {
                    Code::Cors
                } else {
                    Code::Director
                },
                message: fill(
                    "could not ask the director where project '{}' lives: {}",
                    &[&self.config.textid, &e.message],
                ),
                ..e
            })?;
        let _in = self.enter();
        let node = read_answer(
            &self.config.url,
            &self.config.textid,
            answer.status,
            &answer.body,
        )?;
        if self.level() <= Level::Debug {
            self.log(
                rt,
                Level::Debug,
                &fill("got url {} from director {}", &[node.as_str(), &url]),
            );
        }
        Ok(node)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(s: &str) -> BaseUrl {
        BaseUrl::parse(s, "url").unwrap()
    }

    #[test]
    fn builds_the_director_url_from_the_origin() {
        assert_eq!(
            request_url(&base("https://my.okerr.com/some/path/"), "My Text"),
            "https://my.okerr.com/api/director/My%20Text"
        );
    }

    #[test]
    fn accepts_a_url_answer() {
        let node = read_answer(
            &base("https://my.okerr.com/"),
            "t",
            200,
            "https://cp.okerr.com/\n",
        )
        .unwrap();
        assert_eq!(node.as_str(), "https://cp.okerr.com");
        assert!(read_answer(
            &base("http://127.0.0.1:1/"),
            "t",
            200,
            "http://127.0.0.1:2/\n"
        )
        .is_ok());
        assert!(read_answer(&base("http://127.0.0.1:1/"), "t", 200, "https://x/").is_ok());
    }

    #[test]
    fn refuses_bad_answers() {
        let b = base("https://my.okerr.com/");
        for (status, body) in [
            (404, ""),
            (500, "oops"),
            (200, ""),
            (200, "<html>"),
            (200, "cp.okerr.com"),
            (200, "http://cp.okerr.com/"),
        ] {
            let e = read_answer(&b, "t", status, body).unwrap_err();
            assert_eq!(e.code, Code::Director, "{status} {body}");
            assert_eq!(e.status, Some(status));
        }
    }

    #[test]
    fn a_long_plain_http_answer_makes_a_short_message() {
        // The same finding as in api::redirect: the node's origin was shown whole.
        let answer = format!("http://{}/", "n".repeat(100_000));
        let e = read_answer(&base("https://my.okerr.com/"), "t", 200, &answer).unwrap_err();
        assert_eq!(e.code, Code::Director);
        assert!(
            e.message.len() < 400,
            "message of {} bytes",
            e.message.len()
        );
    }

    #[test]
    fn cache_expires() {
        let mut c = DirectorCache::default();
        c.put(base("https://cp.okerr.com/"), 1000.0);
        assert!(c.get(1000.0 + DIRECTOR_TTL_MS - 1.0).is_some());
        assert!(c.get(1000.0 + DIRECTOR_TTL_MS).is_none());
        c.forget();
        assert!(c.get(1001.0).is_none());
    }
}
