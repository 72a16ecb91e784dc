//! Sending an API call to the project's server: the director (or `direct`), the project's
//! timeout and retries, redirects to another node, and the answer read by [`super::answer`].

use super::{answer, Answer, Call, Reply};
use crate::error::Error;
use crate::log::Level;
use crate::project::Project;
use crate::redirect;
use crate::runtime::{HttpRequest, Purpose, Runtime, MAX_API_ANSWER_BYTES};
use crate::text::fill;

/// Send `call` for `project` and read the answer. Errors carry no secret.
pub async fn send<R: Runtime>(project: &Project, rt: &R, call: &Call) -> Result<Answer, Error> {
    exchange(project, rt, call).await.map_err(|e| Error {
        message: project.scrub(&e.message),
        body: e.body.map(|b| project.scrub(&b)),
        ..e
    })
}

async fn exchange<R: Runtime>(project: &Project, rt: &R, call: &Call) -> Result<Answer, Error> {
    let url = project.node(rt).await?.join(&call.path);
    let api_key = if call.needs_key {
        project.config().api_key.clone()
    } else {
        None
    };
    if project.level() <= Level::Debug {
        project.log(
            rt,
            Level::Debug,
            &fill("{} request to {}", &[call.method, &url]),
        );
    }
    let request = HttpRequest {
        purpose: if call.reply == Reply::StatusPage {
            Purpose::StatusPage
        } else {
            Purpose::Api
        },
        method: call.method,
        url,
        form: call.form.clone(),
        api_key,
        no_cors: false,
        // Only a request with the key needs care; a status page is followed by fetch,
        // which is also what works in a browser.
        manual_redirect: call.needs_key,
        // Lists and pages grow with the project: read whole, or refused as TOO_LARGE, never
        // taken cut.
        max_answer_bytes: MAX_API_ANSWER_BYTES,
    };
    let reply = redirect::follow(project, rt, request, &call.what).await?;
    let _in = project.enter();
    if reply.cut && (200..300).contains(&reply.status) {
        return Err(answer::too_large(call, reply.status, &reply.body));
    }
    answer::read(call, reply.status, &reply.body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{create_indicator, get_indicator, list_indicators, set_args, status_page};
    use crate::error::Code;
    use crate::project_config::ProjectConfig;
    use crate::redirect::MAX_REDIRECTS;
    use crate::runtime::HttpResponse;
    use crate::test_runtime::{block_on, Scripted};
    use crate::value::Value;

    fn project(extra: &[(&str, Value)]) -> Project {
        let mut pairs: Vec<(String, Value)> = vec![
            ("textid".into(), Value::Str("p".into())),
            ("apiKey".into(), Value::Str("CANARY-KEY".into())),
            ("url".into(), Value::Str("https://dir.example/".into())),
            ("backoffMs".into(), Value::Num(10.0)),
            ("logLevel".into(), Value::Str("debug".into())),
        ];
        pairs.extend(extra.iter().map(|(k, v)| (k.to_string(), v.clone())));
        Project::new(ProjectConfig::from_pairs(&pairs).unwrap())
    }

    fn redirect_to(rt: &Scripted, status: u16, location: &str) {
        rt.answers.borrow_mut().push_back(Ok(HttpResponse {
            status,
            body: String::new(),
            retry_after: None,
            location: Some(location.into()),
            redirect_hidden: false,
            cut: false,
        }));
    }

    #[test]
    fn asks_the_director_then_sends_the_key_to_the_node() {
        let p = project(&[]);
        let rt = Scripted::default();
        rt.answer(200, "https://node.example/\n")
            .answer(200, "a\nb\n");
        let call = list_indicators(p.config(), None).unwrap();
        assert_eq!(
            block_on(send(&p, &rt, &call)).unwrap(),
            Answer::Names(vec!["a".into(), "b".into()])
        );
        let reqs = rt.requests.borrow();
        assert_eq!(reqs[0].url, "https://dir.example/api/director/p");
        assert_eq!(reqs[0].api_key, None, "the director never sees the key");
        assert_eq!(reqs[1].url, "https://node.example/api/indicators/p");
        assert_eq!(reqs[1].api_key.as_deref(), Some("CANARY-KEY"));
        assert!(reqs[1].manual_redirect);
    }

    #[test]
    fn follows_a_node_redirect_with_the_same_method_body_and_key() {
        let p = project(&[("direct", Value::Bool(true))]);
        let rt = Scripted::default();
        redirect_to(&rt, 302, "https://other.example/api/set/p/x");
        rt.answer(200, "Changed x {'retest': 1}\n");
        let call = set_args(p.config(), "x", &[("retest".into(), Value::Num(1.0))]).unwrap();
        assert_eq!(
            block_on(send(&p, &rt, &call)).unwrap(),
            Answer::Text("Changed x {'retest': 1}".into())
        );
        let reqs = rt.requests.borrow();
        assert_eq!(reqs[1].url, "https://other.example/api/set/p/x");
        assert_eq!(reqs[1].method, "POST");
        assert_eq!(reqs[1].form, reqs[0].form);
        assert_eq!(reqs[1].api_key.as_deref(), Some("CANARY-KEY"));
        assert!(rt
            .logs
            .borrow()
            .iter()
            .any(|(_, m)| m.contains("redirected to https://other.example/")));
    }

    #[test]
    fn log_lines_and_messages_stay_one_line_whatever_the_server_says() {
        let p = project(&[("direct", Value::Bool(true))]);
        let rt = Scripted::default();
        // A redirect the client follows, whose Location reorders the debug line about it.
        redirect_to(&rt, 302, "https://other.example/a\u{202E}b\u{2066}");
        rt.answer(400, "no\u{2028}okerr updated (200 OK) x@p = OK");
        let call = get_indicator(p.config(), "x").unwrap();
        let e = block_on(send(&p, &rt, &call)).unwrap_err();
        let logs = rt.logs.borrow();
        assert!(logs.iter().any(|(_, m)| m.contains("redirected to")));
        for (_, line) in logs.iter() {
            assert!(!line.chars().any(crate::text::breaks_lines), "{line:?}");
        }
        let e = crate::redact::scrub_error(e);
        assert!(
            !e.message.chars().any(crate::text::breaks_lines),
            "{:?}",
            e.message
        );
    }

    #[test]
    fn never_carries_the_key_from_https_to_http() {
        let p = project(&[("direct", Value::Bool(true))]);
        let rt = Scripted::default();
        redirect_to(&rt, 302, "http://other.example/api/create/p/x");
        let call = create_indicator(p.config(), "x").unwrap();
        let e = block_on(send(&p, &rt, &call)).unwrap_err();
        assert_eq!((e.code, e.status), (Code::Http, Some(302)));
        assert_eq!(rt.requests.borrow().len(), 1);
    }

    #[test]
    fn gives_up_after_too_many_redirects() {
        let p = project(&[("direct", Value::Bool(true))]);
        let rt = Scripted::default();
        for i in 0..=MAX_REDIRECTS {
            redirect_to(&rt, 302, &format!("/api/indicator/p/x{i}"));
        }
        let call = get_indicator(p.config(), "x").unwrap();
        let e = block_on(send(&p, &rt, &call)).unwrap_err();
        assert!(e.message.contains("redirects"), "{}", e.message);
        assert_eq!(rt.requests.borrow().len() as u32, MAX_REDIRECTS + 1);
    }

    #[test]
    fn status_pages_go_without_the_key_and_let_fetch_follow() {
        let p = project(&[("direct", Value::Bool(true))]);
        let rt = Scripted::default();
        rt.answer(200, "{\"addr\": \"index\"}");
        let call = status_page(p.config(), None).unwrap();
        assert!(matches!(
            block_on(send(&p, &rt, &call)).unwrap(),
            Answer::Json(_)
        ));
        let req = rt.requests.borrow()[0].clone();
        assert_eq!((req.api_key, req.manual_redirect), (None, false));
    }

    #[test]
    fn a_cut_answer_is_too_large_never_a_cut_list() {
        let p = project(&[("direct", Value::Bool(true))]);
        let rt = Scripted::default();
        // What a 220 KB list cut at 64 KB was taken for: names, the last one half a name.
        rt.answer_cut(200, "web:1\nweb:2\nservers:");
        let call = list_indicators(p.config(), None).unwrap();
        let e = block_on(send(&p, &rt, &call)).unwrap_err();
        assert_eq!((e.code.clone(), e.status), (Code::TooLarge, Some(200)));
        assert!(e.message.contains("8388608 bytes"), "{}", e.message);
        let request = rt.requests.borrow()[0].clone();
        assert_eq!(request.max_answer_bytes, MAX_API_ANSWER_BYTES);
        assert_eq!(request.answer_limit(200), MAX_API_ANSWER_BYTES);
        assert_eq!(request.answer_limit(403), crate::runtime::MAX_ANSWER_BYTES);
        // A status page cut is too large as well, not "not public".
        rt.answer_cut(200, "{\"addr\": \"index\", \"chapters\": {");
        let page = status_page(p.config(), None).unwrap();
        let e = block_on(send(&p, &rt, &page)).unwrap_err();
        assert_eq!(e.code, Code::TooLarge);
        // A failure page is only quoted: cut, it is still the failure it says.
        rt.answer_cut(403, "<h1>403 Forbidden</h1>");
        let e = block_on(send(&p, &rt, &call)).unwrap_err();
        assert_eq!(e.code, Code::Forbidden);
        // The same answer whole is read.
        rt.answer(200, "web:1\nweb:2\nservers:db\n");
        let names = block_on(send(&p, &rt, &call)).unwrap();
        assert_eq!(
            names,
            Answer::Names(vec!["web:1".into(), "web:2".into(), "servers:db".into()])
        );
    }

    #[test]
    fn retries_like_updates_and_masks_the_key() {
        let p = project(&[("direct", Value::Bool(true))]);
        let rt = Scripted::default();
        rt.answer(503, "busy")
            .answer(403, "key CANARY-KEY is wrong");
        let call = get_indicator(p.config(), "x").unwrap();
        let e = block_on(send(&p, &rt, &call)).unwrap_err();
        assert_eq!(e.code, Code::Forbidden);
        assert_eq!(*rt.sleeps.borrow(), [10.0]);
        let all = format!("{e:?} {:?}", rt.logs.borrow());
        assert!(!all.contains("CANARY"), "{all}");
    }
}
