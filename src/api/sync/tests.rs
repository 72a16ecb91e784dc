//! What the real server does, read from okerr-dev (okerrui/models.py, okerrui/views.py) and
//! seen on it by hand, and what sync makes of it:
//!
//! - `Indicator.update` reads `cmname` (the method line), `policy`, `tags` and `desc` only in
//!   its `except ObjectDoesNotExist` branch (autocreate): an existing indicator keeps them all,
//!   while the update itself is answered `200 OK`.
//! - `api_set` handles `name`, `policy` (404 `No such policy` when the project has none of that
//!   name, before anything is saved), `description`/`desc`, `location`, `checkmethod` (404 `No
//!   such policy`, sic, for an unknown one; else `i.cm = cm; i.setdefargs()`, which resets every
//!   argument to the new method's default), `silent`/`disabled`/`problem`, `retest`,
//!   `maintenance`, then `for argname, argval in request.POST.items(): i.setarg(...)`: args
//!   always after the checkmethod, whatever the form's order. `setarg` returns None (and the
//!   answer leaves the name out) for a name not in `self.cm.argnames()`, and stores
//!   `fixarg(value)` (`\r\n` → `\n`, stripped of `\r\n\t `). It has no `tags` field.
//! - `api_indicator` is `fullDataStruct()` + `policyname`, `policyperiod`, `checkmethod`;
//!   `tags` is `Indicator.tags()`: flags, codename, `passive`/`active`, maybe `ATTENTION`, then
//!   `policy:` + the policy's name, then `usertags()`.
//! - Missing indicator: `api_indicator` 404 `No indicator with id N in project with textid T`;
//!   unknown project: `getProjectHTTPAuth` raises Http404 (Django's HTML page).
//!
//! Seen on the real server (fixture `okerrtest`, commit ee30cc8): `rs:cfg` created with
//! `numerical|maxlim=37`, tags `alpha`, desc `first-desc`; an update with `maxlim=40`,
//! `policy=Daily`, `tags=beta`, `desc=second-desc` answered `OK` and left maxlim 37, policy
//! Default, desc `first-desc`, tags `[ERR, numerical, passive, ATTENTION, policy:Default,
//! alpha]`. `set` with `policy=Nope desc=zzz maxlim=99`: 404 `No such policy`, nothing changed.
//! `set` with `maxlim= 40 ` `bogus=1` `tags=beta`: `Changed rs:cfg {'policy': 'Daily',
//! 'description': 'second-desc', 'maxlim': '40'}`, tags unchanged. `patience=1h` then
//! `checkmethod=heartbeat` in that order: `Changed rs:cfg {'checkmethod': 'heartbeat',
//! 'patience': '1h'}`, args `{patience: 1h, secret: ''}`.

use super::*;
use crate::project_config::ProjectConfig;
use crate::test_runtime::{block_on, Scripted};

fn config(extra: &[(&str, &str)]) -> ProjectConfig {
    let mut pairs: Vec<(String, Value)> = vec![
        ("textid".into(), Value::Str("T".into())),
        ("apiKey".into(), Value::Str("CANARY-KEY".into())),
        ("url".into(), Value::Str("https://node.example/".into())),
        ("direct".into(), Value::Bool(true)),
        ("backoffMs".into(), Value::Num(1.0)),
        ("retries".into(), Value::Num(0.0)),
    ];
    pairs.extend(
        extra
            .iter()
            .map(|(k, v)| (k.to_string(), Value::Str(v.to_string()))),
    );
    ProjectConfig::from_pairs(&pairs).unwrap()
}

fn fields(pairs: &[(&str, Value)]) -> Vec<(String, Value)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn s(v: &str) -> Value {
    Value::Str(v.into())
}

fn one(pairs: &[(&str, Value)]) -> Result<Spec, Error> {
    specs(&config(&[]), &[fields(pairs)]).map(|mut v| v.remove(0))
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// `rs:cfg` as the real server described it after step 2 of the issue.
fn rs_cfg() -> Server {
    Server {
        name: "rs:cfg".into(),
        checkmethod: "numerical".into(),
        args: pairs(&[
            ("current", "38.0"),
            ("diffmax", ""),
            ("diffmin", ""),
            ("maxlim", "37"),
            ("minlim", ""),
            ("patience", ""),
            ("secret", ""),
        ]),
        policy: "Default".into(),
        desc: "first-desc".into(),
        tags: vec!["alpha".into()],
    }
}

/// The real server's `api/indicator` answer for `rs:cfg` (copied from the fixture).
const RS_CFG_JSON: &str = r#"{
    "age": 0,
    "args": {
        "current": "38.0",
        "diffmax": "",
        "diffmin": "",
        "maxlim": "37",
        "minlim": "",
        "patience": "",
        "secret": ""
    },
    "changed": 1796607789,
    "checkmethod": "numerical",
    "desc": "first-desc",
    "details": " | 38.0 > 37.0 (maxlim)",
    "disabled": false,
    "errage": 0,
    "expected": 1796611389,
    "flags": [
        "ERR"
    ],
    "id": 1,
    "location": "",
    "maintenance": null,
    "name": "rs:cfg",
    "patience": 1200,
    "policy": 1,
    "policyname": "Default",
    "policyperiod": "3600",
    "problem": false,
    "scheduled": 1796612589,
    "silent": false,
    "status": "ERR",
    "statusage": 0,
    "tags": [
        "ERR",
        "numerical",
        "passive",
        "ATTENTION",
        "policy:Default",
        "alpha"
    ],
    "uerrage": 0,
    "updated": 1796607789
}
"#;

fn read_json(text: &str) -> Option<Server> {
    crate::cli::sync::object_pairs(text).and_then(|f| Server::read(&f))
}

#[test]
fn reads_the_real_servers_indicator_json() {
    assert_eq!(read_json(RS_CFG_JSON), Some(rs_cfg()));
}

#[test]
fn server_tags_are_filtered_to_the_users() {
    let with = |tags: &str| RS_CFG_JSON.replace("\"alpha\"", tags);
    // A user tag may spell a server tag: only what follows the first `policy:NAME` is the user's.
    let got = read_json(&with("\"OK\", \"policy:Default\", \"problem\"")).unwrap();
    assert_eq!(got.tags, ["OK", "policy:Default", "problem"]);
    // No user tags at all.
    let none = RS_CFG_JSON.replace(",\n        \"alpha\"", "");
    assert_eq!(read_json(&none).unwrap().tags, Vec::<String>::new());
    // Without the policy's own tag the list cannot be split: not okerr's answer.
    let other = RS_CFG_JSON.replace("\"policy:Default\"", "\"policy:Daily\"");
    assert_eq!(read_json(&other), None);
}

#[test]
fn an_answer_that_is_not_okerrs_indicator_is_refused() {
    for (from, to) in [
        ("\"checkmethod\": \"numerical\"", "\"checkmethod\": 5"),
        ("\"maxlim\": \"37\"", "\"maxlim\": {}"),
        ("\"policyname\": \"Default\"", "\"policyname\": null"),
        ("\"desc\": \"first-desc\"", "\"desk\": \"first-desc\""),
        ("\"ERR\",\n        \"numerical\"", "1, \"numerical\""),
        ("\"name\": \"rs:cfg\"", "\"nom\": \"rs:cfg\""),
    ] {
        let text = RS_CFG_JSON.replace(from, to);
        assert_ne!(text, RS_CFG_JSON);
        assert_eq!(read_json(&text), None, "{to}");
    }
    assert_eq!(read_json("[]"), None);
}

#[test]
fn a_spec_has_indicators_fields_and_checks() {
    let spec = one(&[
        ("name", s(":load")),
        ("method", s("numerical| maxlim = 40 |minlim=0|maxlim=41")),
        ("policy", s("Daily")),
        ("desc", s("multi\nline")),
        ("tags", s("b, a,b")),
    ]);
    let spec = spec.unwrap();
    assert_eq!(spec.name, ":load");
    let m = spec.method.unwrap();
    assert_eq!(m.codename, "numerical");
    // Stripped as the server stores them; the last value of a name wins, as in its dict.
    assert_eq!(m.args, pairs(&[("maxlim", "41"), ("minlim", "0")]));
    assert_eq!(spec.policy.as_deref(), Some("Daily"));
    assert_eq!(spec.desc.as_deref(), Some("multi\nline"));
    assert_eq!(spec.tags.unwrap(), ["b", "a"]);
    let prefixed = specs(
        &config(&[("prefix", "host1")]),
        &[fields(&[("name", s(":load"))])],
    );
    assert_eq!(prefixed.unwrap()[0].name, "host1:load");
    // An empty policy is no policy, as for indicator().
    assert_eq!(
        one(&[("name", s("a")), ("policy", s(""))]).unwrap().policy,
        None
    );
    let bare = one(&[("name", s("a")), ("desc", Value::Absent)]).unwrap();
    assert_eq!((bare.method, bare.desc, bare.tags), (None, None, None));
}

#[test]
fn a_bad_spec_refuses_the_whole_call() {
    let ok = fields(&[("name", s("good"))]);
    for (bad, says) in [
        (vec![("method", s("numerical"))], "needs a name"),
        (
            vec![("name", s("a")), ("method", s("numerical|maxlim"))],
            "bad cm line",
        ),
        (
            vec![("name", s("a")), ("method", s("bogus"))],
            "unknown check method",
        ),
        (
            vec![("name", s("a")), ("method", s("numerical|max_lim=3"))],
            "method 'numerical' has no argument 'max_lim' (the server would ignore it); \
             its arguments: current, patience, secret, minlim, maxlim, diffmin, diffmax",
        ),
        (
            vec![("name", s("a")), ("method", s("heartbeat|maxlim=3"))],
            "has no argument 'maxlim'",
        ),
        (vec![("name", s("a")), ("tags", s("-x"))], "must start with"),
        (
            vec![("name", s("a")), ("tags", Value::Num(1.0))],
            "tags must be",
        ),
        (
            vec![("name", s("a")), ("policy", Value::Bool(true))],
            "policy",
        ),
        (
            vec![("name", s("a")), ("desc", Value::Num(1.0))],
            "desc must be a string",
        ),
        (vec![("name", s("12"))], "must not be a number"),
        (
            vec![("name", s("a")), ("secret", s("x"))],
            "unknown spec field 'secret'",
        ),
        (
            vec![(
                "name",
                Value::Other("a string with a lone surrogate (half of a UTF-16 pair)"),
            )],
            "lone surrogate",
        ),
    ] {
        let e = specs(&config(&[]), &[ok.clone(), fields(&bad)]).unwrap_err();
        assert_eq!(e.code, Code::InvalidArgument);
        assert!(e.message.starts_with("specs[1]: "), "{}", e.message);
        assert!(e.message.contains(says), "{says}: {}", e.message);
    }
    let twice = specs(&config(&[]), &[ok.clone(), fields(&[("name", s("good"))])]).unwrap_err();
    assert!(
        twice.message.contains("has a spec already"),
        "{}",
        twice.message
    );
}

#[test]
fn a_secret_in_a_bad_spec_is_not_shown() {
    let e = one(&[
        ("name", s("a")),
        ("method", s("heartbeat|secret=CANARY-OWN|nope=1")),
    ])
    .unwrap_err();
    assert!(!e.message.contains("CANARY"), "{}", e.message);
    let e = one(&[("name", s("a")), ("method", s("heartbeat|secret=CANARY=x"))]).unwrap_err();
    assert!(!e.message.contains("CANARY"), "{}", e.message);
}

#[test]
fn every_method_the_server_knows_has_its_arguments() {
    // CheckMethod.cmconf's codenames are exactly those method lines may name.
    let mut codenames: Vec<&str> = METHOD_ARGS.iter().map(|(c, _)| *c).collect();
    codenames.sort_unstable();
    let mut known: Vec<&str> = crate::method::ACTIVE_CODENAMES.to_vec();
    known.extend(["heartbeat", "numerical", "string"]);
    known.sort_unstable();
    assert_eq!(codenames, known);
}

#[test]
fn options_are_dry_run_only() {
    assert!(!dry_run(&[]).unwrap());
    assert!(dry_run(&fields(&[("dryRun", Value::Bool(true))])).unwrap());
    assert!(!dry_run(&fields(&[("dryRun", Value::Absent)])).unwrap());
    assert!(dry_run(&fields(&[("dryRun", s("yes"))])).is_err());
    assert!(dry_run(&fields(&[("dry", Value::Bool(true))]))
        .unwrap_err()
        .message
        .contains("unknown sync option 'dry'"));
}

#[test]
fn the_issue_steps_plan_every_field_but_tags() {
    let spec = one(&[
        ("name", s("rs:cfg")),
        ("method", s("numerical|maxlim=40")),
        ("policy", s("Daily")),
        ("tags", s("beta")),
        ("desc", s("second-desc")),
    ])
    .unwrap();
    let p = plan(&spec, &rs_cfg());
    assert_eq!(
        p.set,
        pairs(&[
            ("maxlim", "40"),
            ("policy", "Daily"),
            ("desc", "second-desc")
        ])
    );
    assert_eq!(
        p.was,
        pairs(&[
            ("maxlim", "37"),
            ("policy", "Default"),
            ("desc", "first-desc")
        ])
    );
    // Tags: only reported, never set.
    assert_eq!(
        p.drift,
        [Drift {
            name: "rs:cfg".into(),
            field: "tags".into(),
            server: Held::Tags(vec!["alpha".into()]),
            code: UI_ONLY.into(),
        }]
    );
}

#[test]
fn a_new_checkmethod_goes_first_and_every_named_argument_after_it() {
    let mut server = rs_cfg();
    server.args = pairs(&[("patience", "1h"), ("secret", "")]);
    server.checkmethod = "heartbeat".into();
    let spec = one(&[
        ("name", s("rs:cfg")),
        ("method", s("numerical|patience=1h|maxlim=40")),
    ])
    .unwrap();
    let p = plan(&spec, &server);
    // setdefargs resets patience too: it goes again although its value is the same.
    assert_eq!(
        p.set,
        pairs(&[
            ("checkmethod", "numerical"),
            ("patience", "1h"),
            ("maxlim", "40")
        ])
    );
    // A heartbeat has no maxlim: nothing to show for it.
    assert_eq!(
        p.was,
        pairs(&[("checkmethod", "heartbeat"), ("patience", "1h")])
    );
    // The same method: only what differs.
    server.checkmethod = "numerical".into();
    server.args.push(("maxlim".into(), "40".into()));
    assert_eq!(plan(&spec, &server), Plan::default());
}

#[test]
fn fields_a_spec_leaves_out_are_not_compared() {
    let mut server = rs_cfg();
    server.policy = "Daily".into();
    server.tags = vec!["x".into()];
    let spec = one(&[("name", s("rs:cfg")), ("method", s("numerical"))]).unwrap();
    assert_eq!(plan(&spec, &server), Plan::default());
    // Tags compare as a set.
    let spec = one(&[("name", s("rs:cfg")), ("tags", s("b,a"))]).unwrap();
    server.tags = vec!["a".into(), "b".into()];
    assert_eq!(plan(&spec, &server), Plan::default());
    // An empty desc is a desc.
    let spec = one(&[("name", s("rs:cfg")), ("desc", s(""))]).unwrap();
    assert_eq!(plan(&spec, &server).set, pairs(&[("desc", "")]));
}

// ---- whole runs over the scripted runtime ---------------------------------------------------

fn project() -> Project {
    Project::new(config(&[]))
}

fn run_sync(
    p: &Project,
    rt: &Scripted,
    items: &[Vec<(String, Value)>],
    dry: bool,
) -> Result<SyncResult, Error> {
    let specs = specs(p.config(), items)?;
    block_on(run(p, rt, specs, dry, &crate::cli::sync::object_pairs))
}

fn paths(rt: &Scripted) -> Vec<String> {
    rt.requests
        .borrow()
        .iter()
        .map(|r| {
            let path = r.url.trim_start_matches("https://node.example/");
            format!("{} {path}", r.method)
        })
        .collect()
}

fn the_issue_spec() -> Vec<(String, Value)> {
    fields(&[
        ("name", s("rs:cfg")),
        ("method", s("numerical|maxlim=40")),
        ("policy", s("Daily")),
        ("tags", s("beta")),
        ("desc", s("second-desc")),
    ])
}

const MISSING: &str = "No indicator with id new:one in project with textid T";

#[test]
fn reads_everything_then_applies_one_call_per_indicator() {
    let p = project();
    let rt = Scripted::default();
    rt.answer(200, RS_CFG_JSON).answer(404, MISSING).answer(
        200,
        "Changed rs:cfg {'policy': 'Daily', 'description': 'second-desc', 'maxlim': '40'}\n",
    );
    let r = run_sync(
        &p,
        &rt,
        &[
            the_issue_spec(),
            fields(&[("name", s("new:one")), ("method", s("numerical"))]),
        ],
        false,
    )
    .unwrap();
    assert_eq!(
        paths(&rt),
        [
            "GET api/indicator/T/rs%3Acfg",
            "GET api/indicator/T/new%3Aone",
            "POST api/set/T/rs%3Acfg",
        ]
    );
    let form = crate::form::decode(rt.requests.borrow()[2].form.as_deref().unwrap());
    assert_eq!(
        form,
        pairs(&[
            ("maxlim", "40"),
            ("policy", "Daily"),
            ("desc", "second-desc")
        ])
    );
    assert!(!r.dry_run);
    assert_eq!(r.changed.len(), 1);
    assert_eq!(r.changed[0].set.0, form);
    assert_eq!(r.missing, ["new:one"]);
    assert!(r.unchanged.is_empty());
    assert_eq!(r.drift.len(), 1);
    assert_eq!(r.drift[0].code, UI_ONLY);
    assert!(!r.failed());
    // Nothing is created: the missing indicator is only reported.
    assert!(!paths(&rt)
        .iter()
        .any(|p| p.contains("create") || p.contains("update")));
}

#[test]
fn a_dry_run_reads_and_sends_no_change() {
    let p = project();
    let rt = Scripted::default();
    rt.answer(200, RS_CFG_JSON);
    let r = run_sync(&p, &rt, &[the_issue_spec()], true).unwrap();
    assert_eq!(paths(&rt), ["GET api/indicator/T/rs%3Acfg"]);
    assert!(r.dry_run);
    assert_eq!(r.changed[0].set.0.len(), 3);
}

#[test]
fn an_unknown_policy_is_reported_for_its_indicator_and_the_others_go_on() {
    let p = project();
    let rt = Scripted::default();
    let b = RS_CFG_JSON.replace("rs:cfg", "b");
    rt.answer(200, RS_CFG_JSON)
        .answer(200, &b)
        .answer(404, "No such policy\n")
        .answer(200, "Changed b {'description': 'd'}\n");
    let r = run_sync(
        &p,
        &rt,
        &[
            fields(&[
                ("name", s("rs:cfg")),
                ("policy", s("Nope")),
                ("desc", s("d")),
            ]),
            fields(&[("name", s("b")), ("desc", s("d"))]),
        ],
        false,
    )
    .unwrap();
    assert_eq!(r.changed.len(), 1);
    assert_eq!(r.changed[0].name, "b");
    let codes: Vec<(&str, &str, &Held)> = r
        .drift
        .iter()
        .map(|d| (d.field.as_str(), d.code.as_str(), &d.server))
        .collect();
    assert_eq!(
        codes,
        [
            ("policy", NO_SUCH_POLICY, &Held::Text("Default".into())),
            ("desc", NO_SUCH_POLICY, &Held::Text("first-desc".into())),
        ]
    );
    assert!(r.failed());
    let logs = rt.logs.borrow();
    assert!(
        logs.iter()
            .any(|(l, m)| *l == Level::Warn && m.contains("No such policy")),
        "{logs:?}"
    );
}

#[test]
fn a_field_the_answer_does_not_name_is_not_applied() {
    let p = project();
    let rt = Scripted::default();
    rt.answer(200, RS_CFG_JSON).answer(
        200,
        "Changed rs:cfg {'policy': 'Daily', 'description': 'second-desc'}\n",
    );
    let r = run_sync(&p, &rt, &[the_issue_spec()], false).unwrap();
    let not: Vec<_> = r.drift.iter().filter(|d| d.code == NOT_APPLIED).collect();
    assert_eq!(not.len(), 1);
    assert_eq!(
        (not[0].field.as_str(), &not[0].server),
        ("maxlim", &Held::Text("37".into()))
    );
    assert!(r.failed());
    // A proxy's page instead of okerr's answer confirms nothing.
    let rt = Scripted::default();
    rt.answer(200, RS_CFG_JSON)
        .answer(200, "<html>hello</html>");
    let r = run_sync(&p, &rt, &[the_issue_spec()], false).unwrap();
    assert_eq!(r.drift.iter().filter(|d| d.code == NOT_APPLIED).count(), 3);
}

#[test]
fn a_failure_while_reading_rejects_with_nothing_changed() {
    let p = project();
    let rt = Scripted::default();
    rt.answer(200, RS_CFG_JSON)
        .answer(403, "<h1>403 Forbidden</h1>");
    let e = run_sync(
        &p,
        &rt,
        &[
            the_issue_spec(),
            fields(&[("name", s("b")), ("desc", s("x"))]),
        ],
        false,
    )
    .unwrap_err();
    assert_eq!(e.code, Code::Forbidden);
    assert!(paths(&rt).iter().all(|p| p.starts_with("GET")));
    // An unknown project is Django's HTML 404: an error, not a missing indicator.
    let rt = Scripted::default();
    rt.answer(404, "\n<!doctype html>\n<html lang=\"en\">");
    let e = run_sync(&p, &rt, &[the_issue_spec()], false).unwrap_err();
    assert_eq!(e.code, Code::NotFound);
}

#[test]
fn an_answer_about_another_indicator_is_refused() {
    let p = project();
    let rt = Scripted::default();
    rt.answer(
        200,
        &RS_CFG_JSON.replace("\"name\": \"rs:cfg\"", "\"name\": \"other\""),
    );
    let e = run_sync(&p, &rt, &[the_issue_spec()], false).unwrap_err();
    assert_eq!(e.code, Code::Http);
    assert!(
        e.message.contains("not the indicator okerr describes"),
        "{}",
        e.message
    );
    assert_eq!(paths(&rt).len(), 1);
}

#[test]
fn an_indicators_own_secret_is_sent_and_never_shown() {
    let p = project();
    let rt = Scripted::default();
    let server = RS_CFG_JSON.replace("\"secret\": \"\"", "\"secret\": \"CANARY-OLD\"");
    rt.answer(200, &server)
        .answer(500, "boom CANARY-NEW CANARY-OLD CANARY-KEY");
    let items = [fields(&[
        ("name", s("rs:cfg")),
        ("method", s("numerical|secret=CANARY-NEW")),
    ])];
    let r = run_sync(&p, &rt, &items, false).unwrap();
    // Sent as given: the server checks updates against it.
    let form = crate::form::decode(rt.requests.borrow()[1].form.as_deref().unwrap());
    assert_eq!(form, pairs(&[("secret", "CANARY-NEW")]));
    let shown = format!("{r:?} {:?}", rt.logs.borrow());
    assert!(!shown.contains("CANARY"), "{shown}");
    assert_eq!(r.drift[0].server, Held::Text(MASK.into()));
    assert_eq!(r.drift[0].code, "HTTP");
    // In a dry run the plan shows the mask too; an empty secret (none) shows as it is.
    let rt = Scripted::default();
    rt.answer(200, &server);
    let r = run_sync(&p, &rt, &items, true).unwrap();
    assert_eq!(r.changed[0].set.0, pairs(&[("secret", MASK)]));
    assert_eq!(r.changed[0].was.0, pairs(&[("secret", MASK)]));
    let rt = Scripted::default();
    rt.answer(200, RS_CFG_JSON);
    let r = run_sync(&p, &rt, &items, true).unwrap();
    assert_eq!(r.changed[0].was.0, pairs(&[("secret", "")]));
}

#[test]
fn nothing_to_do_sends_only_reads() {
    let p = project();
    let rt = Scripted::default();
    rt.answer(200, RS_CFG_JSON);
    let r = run_sync(
        &p,
        &rt,
        &[fields(&[
            ("name", s("rs:cfg")),
            ("method", s("numerical|maxlim=37")),
            ("policy", s("Default")),
            ("tags", Value::List(vec!["alpha".into()])),
        ])],
        false,
    )
    .unwrap();
    assert_eq!(r.unchanged, ["rs:cfg"]);
    assert!(r.changed.is_empty() && r.drift.is_empty() && !r.failed());
    assert_eq!(paths(&rt).len(), 1);
    // No specs, no requests.
    let rt = Scripted::default();
    assert_eq!(
        run_sync(&p, &rt, &[], false).unwrap(),
        SyncResult::default()
    );
    assert!(rt.requests.borrow().is_empty());
}

#[test]
fn without_an_api_key_nothing_is_sent() {
    let p = Project::new(
        ProjectConfig::from_pairs(&[
            ("textid".into(), s("T")),
            ("direct".into(), Value::Bool(true)),
        ])
        .unwrap(),
    );
    let rt = Scripted::default();
    let e = run_sync(&p, &rt, &[the_issue_spec()], false).unwrap_err();
    assert_eq!(e.code, Code::NoApiKey);
    assert!(rt.requests.borrow().is_empty());
}

// ---- properties ------------------------------------------------------------------------------

use proptest::prelude::*;

/// A server after `set` is applied as `api_set` applies it: the policy and desc, then the
/// checkmethod (every argument back to its default, which no spec here spells), then each
/// argument the method has, stripped.
fn applied(server: &Server, set: &[(String, String)]) -> Server {
    let mut s = server.clone();
    let get = |key: &str| set.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    if let Some(p) = get("policy") {
        s.policy = p;
    }
    if let Some(d) = get("desc") {
        s.desc = d;
    }
    if let Some(cm) = get("checkmethod") {
        let names = METHOD_ARGS.iter().find(|(c, _)| *c == cm).unwrap().1;
        s.args = names
            .iter()
            .map(|n| (n.to_string(), "DEFAULT".to_string()))
            .collect();
        s.checkmethod = cm;
    }
    for (k, v) in set {
        if let Some(slot) = s.args.iter_mut().find(|(n, _)| n == k) {
            slot.1 = crate::pynum::strip(v).to_string();
        }
    }
    s
}

/// A method line of a known codename with some of its arguments.
fn method_line() -> impl Strategy<Value = String> {
    // Few values, so that the old method often holds the spec's value already.
    let value = prop_oneof![Just(""), Just("1"), Just(" 1 "), Just("x")];
    (
        0..METHOD_ARGS.len(),
        proptest::collection::vec((0usize..8, value), 0..4),
    )
        .prop_map(|(m, args)| {
            let (codename, names) = METHOD_ARGS[m];
            let mut line = codename.to_string();
            for (i, value) in args {
                line.push_str(&format!("|{}={value}", names[i % names.len()]));
            }
            line
        })
}

fn server() -> impl Strategy<Value = Server> {
    (
        method_line(),
        prop_oneof![Just("Default"), Just("Daily")],
        "[a-z]{0,2}",
    )
        .prop_map(|(line, policy, desc)| {
            // As on the server, the indicator has every argument of its method.
            let m = method(&line).unwrap();
            let names = METHOD_ARGS
                .iter()
                .find(|(c, _)| *c == m.codename)
                .unwrap()
                .1;
            let args = names
                .iter()
                .map(|n| {
                    let given = m.args.iter().find(|(k, _)| k == n);
                    (
                        n.to_string(),
                        given.map_or_else(String::new, |(_, v)| v.clone()),
                    )
                })
                .collect();
            Server {
                name: "x".into(),
                checkmethod: m.codename,
                args,
                policy: policy.into(),
                desc,
                tags: vec![],
            }
        })
}

fn any_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Absent),
        any::<String>().prop_map(Value::Str),
        "[a-z|=: ]{0,12}".prop_map(Value::Str),
        any::<f64>().prop_map(Value::Num),
        any::<bool>().prop_map(Value::Bool),
        proptest::collection::vec(any::<String>(), 0..3).prop_map(Value::List),
        proptest::collection::vec((any::<String>(), any::<String>()), 0..3).prop_map(Value::Map),
    ]
}

fn any_fields() -> impl Strategy<Value = Vec<(String, Value)>> {
    let key = prop_oneof![
        Just("name".to_string()),
        Just("method".to_string()),
        Just("policy".to_string()),
        Just("desc".to_string()),
        Just("tags".to_string()),
        Just("checkmethod".to_string()),
        Just("policyname".to_string()),
        Just("args".to_string()),
        any::<String>(),
    ];
    proptest::collection::vec((key, any_value()), 0..7)
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn once_applied_a_plan_leaves_nothing_to_do(
        line in method_line(),
        policy in proptest::option::of(prop_oneof![Just("Default"), Just("Daily")]),
        desc in proptest::option::of("[a-z]{0,2}"),
        server in server(),
    ) {
        let mut pairs = vec![("name", s("x")), ("method", s(&line))];
        if let Some(p) = policy {
            pairs.push(("policy", s(p)));
        }
        if let Some(d) = &desc {
            pairs.push(("desc", s(d)));
        }
        let spec = one(&pairs).unwrap();
        let first = plan(&spec, &server);
        // checkmethod, when sent, goes first.
        if let Some(at) = first.set.iter().position(|(k, _)| k == "checkmethod") {
            prop_assert_eq!(at, 0);
        }
        let after = applied(&server, &first.set);
        prop_assert_eq!(plan(&spec, &after), Plan::default(), "set {:?}", first.set);
    }

    #[test]
    fn no_spec_panics_and_every_refusal_is_clear(fields in any_fields()) {
        if let Err(e) = specs(&config(&[]), &[fields]) {
            prop_assert_eq!(&e.code, &Code::InvalidArgument);
            prop_assert!(!e.message.is_empty());
        }
    }

    #[test]
    fn no_answer_panics(fields in any_fields()) {
        if let Some(server) = Server::read(&fields) {
            let spec = one(&[("name", s("x")), ("method", s("numerical|maxlim=1")), ("tags", s("a"))]).unwrap();
            let _ = plan(&spec, &server);
        }
    }
}

#[test]
fn steps_answered_out_of_turn_fail_without_panicking() {
    let mut steps = Steps::new(Vec::new(), false);
    let call = crate::api::check_methods();
    let e = steps
        .took(
            &call,
            Ok(Answer::Json("{}".into())),
            &crate::cli::sync::object_pairs,
        )
        .unwrap_err();
    assert_eq!(e.code, Code::InvalidArgument);
    assert_eq!(steps.next(&config(&[])).unwrap(), None);
}
