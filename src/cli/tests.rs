//! Whole runs of the tools over the scripted runtime: what is sent, printed and returned.

use super::*;
use crate::form::decode;
use crate::runtime::{FetchError, HttpRequest, HttpResponse};
use crate::test_runtime::{block_on, Scripted};
use std::cell::RefCell;

#[derive(Default)]
struct Capture {
    out: RefCell<String>,
    err: RefCell<String>,
}

impl Console for Capture {
    /// Masks what it is given as the package's console does (`src/wasm/cli.rs`): with the
    /// secrets in force.
    fn write(&self, stream: Stream, text: &str) {
        let text = crate::redact::scrub(text);
        match stream {
            Stream::Out => self.out.borrow_mut().push_str(&text),
            Stream::Err => self.err.borrow_mut().push_str(&text),
        }
    }
}

/// The scripted runtime with its log lines written where the package's entry writes them.
struct Routed<'a> {
    rt: &'a Scripted,
    console: &'a Capture,
    json: bool,
}

impl Runtime for Routed<'_> {
    async fn fetch(&self, r: &HttpRequest, t: u32) -> Result<HttpResponse, FetchError> {
        self.rt.fetch(r, t).await
    }

    async fn sleep(&self, ms: f64) {
        self.rt.sleep(ms).await
    }

    fn handoff(
        &self,
        limit_ms: f64,
    ) -> (
        std::task::Waker,
        impl std::future::Future<Output = bool> + 'static,
    ) {
        self.rt.handoff(limit_ms)
    }

    fn now_ms(&self) -> f64 {
        self.rt.now_ms()
    }

    fn log(&self, level: Level, message: &str) {
        self.console
            .write(log_stream(level, self.json), &format!("{message}\n"));
    }
}

/// Runs no real command: records it, lets `ms` pass on the scripted clock, and ends as told.
struct FakeLauncher<'a> {
    rt: &'a Scripted,
    ms: f64,
    end: Launched,
    ran: RefCell<Vec<Vec<String>>>,
}

impl Launcher for FakeLauncher<'_> {
    async fn launch(&self, command: &[String]) -> Launched {
        self.ran.borrow_mut().push(command.to_vec());
        self.rt.now.set(self.rt.now.get() + self.ms);
        self.end.clone()
    }
}

fn launcher<'a>(
    rt: &'a Scripted,
    ms: f64,
    end: ChildEnd,
    last_line: Option<&str>,
) -> FakeLauncher<'a> {
    FakeLauncher {
        rt,
        ms,
        end: Launched {
            end,
            last_line: last_line.map(String::from),
            cut: false,
        },
        ran: RefCell::default(),
    }
}

struct Run {
    code: i32,
    out: String,
    err: String,
    requests: Vec<HttpRequest>,
}

fn run_with(
    tool: Tool,
    line: &[&str],
    env: &[(&str, &str)],
    files: &[(&str, FileText)],
    rt: &Scripted,
) -> Run {
    let none = launcher(rt, 0.0, ChildEnd::Exited(0), None);
    run_launching(tool, line, env, files, rt, &none)
}

fn run_launching(
    tool: Tool,
    line: &[&str],
    env: &[(&str, &str)],
    files: &[(&str, FileText)],
    rt: &Scripted,
    launcher: &FakeLauncher<'_>,
) -> Run {
    let argv: Vec<String> = line.iter().map(|a| a.to_string()).collect();
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let files: Vec<(String, FileText)> = files
        .iter()
        .map(|(p, t)| (p.to_string(), t.clone()))
        .collect();
    let console = Capture::default();
    let inv = Invocation {
        tool,
        argv: &argv,
        env: &env,
        home: Some("/home/u"),
        files: &files,
    };
    let code = match prepare(&console, &inv) {
        Err(code) => code,
        Ok(prepared) => {
            let routed = Routed {
                rt,
                console: &console,
                json: prepared.logs_to_stderr(),
            };
            block_on(execute(&routed, &console, launcher, &prepared))
        }
    };
    Run {
        code,
        out: console.out.take(),
        err: console.err.take(),
        requests: rt.requests.borrow().clone(),
    }
}

const DIRECT: [(&str, &str); 3] = [
    ("OKERR_URL", "http://127.0.0.1:9/"),
    ("OKERR_DIRECT", "1"),
    ("OKERR_SECRET", "CANARY-SECRET"),
];

fn update(line: &[&str], rt: &Scripted) -> Run {
    run_with(Tool::Update, line, &DIRECT, &[], rt)
}

fn api(line: &[&str], rt: &Scripted) -> Run {
    let mut env = DIRECT.to_vec();
    env.push(("OKERR_API_KEY", "CANARY-KEY"));
    env.push(("OKERR_TEXTID", "proj"));
    run_with(Tool::Api, line, &env, &[], rt)
}

fn text(t: &str) -> FileText {
    FileText::Text(t.into())
}

#[test]
fn okerrupdate_sends_the_python_tools_fields_and_prints_its_line() {
    let rt = Scripted::default();
    let r = update(&["-d", "all fine", "backup@proj", "OK"], &rt);
    assert_eq!((r.code, r.err.as_str()), (0, ""));
    assert_eq!(r.out, "okerr updated (200 OK) backup@proj = OK\n");
    assert_eq!(r.requests[0].url, "http://127.0.0.1:9/update");
    let fields = decode(r.requests[0].form.as_deref().unwrap());
    let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "textid",
            "name",
            "status",
            "details",
            "secret",
            "method",
            "policy",
            "tags",
            "keypath",
            "origkeypath",
            "desc"
        ]
    );
    assert_eq!(fields[5].1, "heartbeat");
    assert_eq!(fields[6].1, "Default");
}

#[test]
fn okerrupdate_failure_is_exit_1_with_the_servers_message_once() {
    let rt = Scripted::default();
    rt.answer(400, "Bad secret");
    let r = update(&["a@proj", "OK"], &rt);
    assert_eq!(r.code, 1);
    assert_eq!(r.out, "");
    assert_eq!(
        r.err,
        "okerr refused the update of a@proj: HTTP 400: Bad secret\n"
    );

    let rt = Scripted::default();
    let r = update(&["a@proj", "GOOD"], &rt);
    assert_eq!(r.code, 1);
    assert!(r.err.contains("GOOD"), "{}", r.err);
    assert!(
        r.requests.is_empty(),
        "a bad value is refused before sending"
    );
}

#[test]
fn okerrupdate_json() {
    let rt = Scripted::default();
    let r = update(&["--json", "a@proj", "OK"], &rt);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.out,
        "{\"name\":\"a\",\"textid\":\"proj\",\"status\":\"OK\",\"sent\":true,\"reason\":\"sent\"}\n"
    );
    assert_eq!(r.err, "");
    let rt = Scripted::default();
    rt.answer(400, "ERROR:BAD_METHOD Indicator exists with cm: sslcert");
    let r = update(&["--json", "a@proj", "OK"], &rt);
    assert_eq!(r.code, 1);
    assert!(
        r.out.starts_with("{\"error\":{\"code\":\"BAD_METHOD\","),
        "{}",
        r.out
    );
    assert!(
        r.out
            .ends_with("\"status\":400,\"serverCode\":\"BAD_METHOD\"}}\n"),
        "{}",
        r.out
    );
    assert!(r.err.contains("BAD_METHOD"));
}

#[test]
fn okerrupdate_dry_run_sends_nothing_and_masks_the_secret() {
    let rt = Scripted::default();
    let r = update(
        &[
            "--dry-run",
            "-m",
            "numerical|maxlim=90",
            "df-/var@proj",
            "42",
        ],
        &rt,
    );
    assert_eq!(r.code, 0);
    assert!(r.requests.is_empty());
    assert!(
        r.out
            .starts_with("dry run, nothing sent: df-/var@proj = 42\n  textid=proj\n"),
        "{}",
        r.out
    );
    assert!(
        r.out
            .contains("  secret=[secret]\n  method=numerical|maxlim=90\n"),
        "{}",
        r.out
    );
    assert!(!r.out.contains("CANARY"));
    let r = update(
        &["--dry-run", "--json", "-S", "CANARY-2", "a@proj", "OK"],
        &rt,
    );
    assert!(
        r.out
            .contains("\"reason\":\"dry-run\",\"fields\":{\"textid\":\"proj\""),
        "{}",
        r.out
    );
    assert!(!r.out.contains("CANARY"), "{}", r.out);
}

#[test]
fn help_version_and_usage_errors() {
    let rt = Scripted::default();
    let r = update(&["--help"], &rt);
    assert_eq!(r.code, 0);
    assert!(r.out.starts_with("usage: okerrupdate "), "{}", r.out);
    assert!(r.out.contains("-S, --secret SECRET"));
    let r = run_with(Tool::Api, &["-h"], &[], &[], &rt);
    assert!(r.out.contains("tagfilter TAG ..."), "{}", r.out);
    let r = update(&["--version"], &rt);
    assert_eq!((r.code, r.out), (0, format!("okerrupdate {VERSION}\n")));
    let r = update(&["a"], &rt);
    assert_eq!(r.code, 2);
    assert!(r.err.starts_with("usage: okerrupdate"));
    assert!(
        r.err
            .ends_with("okerrupdate: error: the following arguments are required: VALUE\n"),
        "{}",
        r.err
    );
    let r = run_with(Tool::Api, &["--bogus", "indicators"], &[], &[], &rt);
    assert_eq!(r.code, 2);
    assert!(
        r.err
            .ends_with("okerrapi: error: unrecognized arguments: --bogus\n"),
        "{}",
        r.err
    );
    assert!(rt.requests.borrow().is_empty());
}

#[test]
fn settings_come_from_flags_then_env_then_the_first_file() {
    let rt = Scripted::default();
    let files = [
        ("/etc/okerrclient.conf", text("textid = old\nsecret = s0\n")),
        (
            "/etc/okerr/okerrupdate",
            text("OKERR_URL=http://etc/\nOKERR_API_KEY=etckey\n"),
        ),
        (
            "/home/u/.okerr/okerrupdate",
            text("OKERR_URL=http://127.0.0.1:5/\nOKERR_DIRECT=1\nOKERR_API_KEY=homekey\n"),
        ),
    ];
    let r = run_with(Tool::Api, &["indicators"], &[], &files, &rt);
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(r.requests[0].url, "http://127.0.0.1:5/api/indicators/old");
    assert_eq!(r.requests[0].api_key.as_deref(), Some("homekey"));
    let r = run_with(
        Tool::Api,
        &["-k", "flagkey", "indicators"],
        &[("OKERR_API_KEY", "envkey"), ("OKERR_TEXTID", "envproj")],
        &files,
        &rt,
    );
    assert_eq!(
        r.requests[1].url,
        "http://127.0.0.1:5/api/indicators/envproj"
    );
    assert_eq!(r.requests[1].api_key.as_deref(), Some("flagkey"));
    assert_eq!(r.code, 0);
}

#[test]
fn missing_settings_are_failures_that_say_what_to_set() {
    let rt = Scripted::default();
    let r = run_with(Tool::Update, &["a", "OK"], &[], &[], &rt);
    assert_eq!(r.code, 1);
    assert!(
        r.err
            .starts_with("no textid: give NAME@TEXTID or -i TEXTID"),
        "{}",
        r.err
    );
    let r = run_with(Tool::Api, &["-i", "p", "indicators"], &[], &[], &rt);
    assert_eq!(r.code, 1);
    assert!(r.err.contains("API key"), "{}", r.err);
    let r = run_with(
        Tool::Api,
        &["--json", "-i", "p", "indicators"],
        &[],
        &[],
        &rt,
    );
    assert!(
        r.out.starts_with("{\"error\":{\"code\":\"NO_API_KEY\""),
        "{}",
        r.out
    );
    let files = [(
        "/etc/okerr/okerrupdate",
        FileText::Unreadable("EACCES".into()),
    )];
    let r = run_with(
        Tool::Api,
        &["-i", "p", "-k", "KEY-1", "--dry-run", "checkmethods"],
        &[],
        &files,
        &rt,
    );
    assert_eq!(r.code, 0);
    assert!(
        r.err
            .starts_with("okerrapi: cannot read /etc/okerr/okerrupdate (EACCES); skipped\n"),
        "{}",
        r.err
    );
    assert!(rt.requests.borrow().is_empty());
}

#[test]
fn okerrapi_prints_names_texts_and_json() {
    let rt = Scripted::default();
    rt.answer(200, "a\ndf-/var\n");
    let r = api(&["indicators"], &rt);
    assert_eq!((r.code, r.out.as_str()), (0, "a\ndf-/var\n"));
    rt.answer(200, "a\n");
    let r = api(&["--json", "filter", "OK", "-silent"], &rt);
    assert_eq!(r.out, "[\"a\"]\n");
    assert_eq!(
        r.requests[1].url,
        "http://127.0.0.1:9/api/filter/proj/OK/-silent"
    );
    rt.answer(200, "Changed a {'days': 20}\n");
    let r = api(&["-n", "a", "set", "days=20"], &rt);
    assert_eq!(r.out, "Changed a {'days': 20}\n");
    assert_eq!(r.requests[2].form.as_deref(), Some("days=20"));
    rt.answer(200, "{\n    \"name\": \"a\"\n}\n");
    let r = api(&["-n", "a", "indicator"], &rt);
    assert_eq!(r.out, "{\n    \"name\": \"a\"\n}\n");
    assert!(!format!("{}{}", r.out, r.err).contains("CANARY"));
}

#[test]
fn okerrapi_failures() {
    let rt = Scripted::default();
    rt.answer(404, "No indicator with id a in project with textid proj");
    let r = api(&["-n", "a", "indicator"], &rt);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.err,
        "okerr could not read indicator 'a' of project 'proj': not found (HTTP 404: No indicator with id a in project with textid proj)\n"
    );
    let r = api(&["-n", "a", "set", "days"], &rt);
    assert_eq!(r.code, 1);
    assert_eq!(r.err, "Specify arguments as key=value, not 'days'\n");
    assert_eq!(rt.requests.borrow().len(), 1, "a bad k=v sends nothing");
    rt.answer(403, "<h1>403 Forbidden</h1>");
    let r = api(&["--json", "indicators"], &rt);
    assert!(
        r.out.starts_with("{\"error\":{\"code\":\"FORBIDDEN\""),
        "{}",
        r.out
    );
}

#[test]
fn okerrapi_dry_run_shows_the_request() {
    let rt = Scripted::default();
    let r = api(
        &["--dry-run", "-n", "df-/var", "set", "days=20", "retest=1"],
        &rt,
    );
    assert_eq!(r.code, 0);
    assert_eq!(
        r.out,
        "dry run, nothing sent: POST http://127.0.0.1:9/api/set/proj/df-/var\n  days=20\n  retest=1\n"
    );
    let r = run_with(
        Tool::Api,
        &["--dry-run", "--json", "-i", "p", "-k", "k", "indicators"],
        &[],
        &[],
        &rt,
    );
    assert_eq!(
        r.out,
        "{\"dryRun\":true,\"method\":\"GET\",\"path\":\"/api/indicators/p\",\"url\":null,\"fields\":{}}\n"
    );
    assert!(rt.requests.borrow().is_empty());
}

#[test]
fn log_lines_go_to_stdout_or_under_json_to_stderr() {
    assert_eq!(log_stream(Level::Info, false), Stream::Out);
    assert_eq!(log_stream(Level::Debug, false), Stream::Out);
    assert_eq!(log_stream(Level::Warn, false), Stream::Err);
    assert_eq!(log_stream(Level::Debug, true), Stream::Err);
}

#[test]
fn verbose_lines_go_to_stdout_or_under_json_to_stderr() {
    let rt = Scripted::default();
    rt.answer(200, "a\n");
    let r = api(&["-v", "indicators"], &rt);
    assert!(
        r.out
            .starts_with("GET request to http://127.0.0.1:9/api/indicators/proj\n"),
        "{}",
        r.out
    );
    rt.answer(200, "a\n");
    let r = api(&["-v", "--json", "indicators"], &rt);
    assert_eq!(r.out, "[\"a\"]\n");
    assert!(r.err.contains("GET request to"), "{}", r.err);
}

fn exec(line: &[&str], rt: &Scripted, l: &FakeLauncher<'_>) -> Run {
    run_launching(Tool::Update, line, &DIRECT, &[], rt, l)
}

fn sent(r: &Run) -> Vec<(String, String)> {
    let fields = decode(r.requests.last().unwrap().form.as_deref().unwrap());
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    vec![
        ("status".into(), get("status").unwrap_or_default()),
        ("details".into(), get("details").unwrap_or_default()),
    ]
}

fn pair(status: &str, details: &str) -> Vec<(String, String)> {
    vec![
        ("status".into(), status.into()),
        ("details".into(), details.into()),
    ]
}

#[test]
fn exec_reports_how_the_command_ended_and_exits_with_its_status() {
    let rt = Scripted::default();
    let ok = launcher(&rt, 1234.0, ChildEnd::Exited(0), Some("some warning"));
    let r = exec(
        &["--exec", "backup@proj", "--", "tar", "-czf", "-v"],
        &rt,
        &ok,
    );
    assert_eq!(
        (r.code, r.out.as_str(), r.err.as_str()),
        (0, "", ""),
        "silent when all went well"
    );
    assert_eq!(
        *ok.ran.borrow(),
        [vec!["tar", "-czf", "-v"]],
        "options after -- are the command's"
    );
    assert_eq!(sent(&r), pair("OK", "exit 0 in 1.2 s"));

    let rt = Scripted::default();
    let failed = launcher(
        &rt,
        400.0,
        ChildEnd::Exited(3),
        Some("tar: CANARY-SECRET: disk full"),
    );
    let r = exec(&["--exec", "backup@proj", "--", "tar"], &rt, &failed);
    assert_eq!(r.code, 3);
    assert_eq!(
        sent(&r),
        pair("ERR", "exit 3 in 0.4 s: tar: [secret]: disk full")
    );

    let rt = Scripted::default();
    let killed = launcher(&rt, 50.0, ChildEnd::Killed("SIGTERM".into(), 15), None);
    let r = exec(
        &["--exec", "backup@proj", "--", "sleep", "100"],
        &rt,
        &killed,
    );
    assert_eq!(r.code, 143);
    assert_eq!(sent(&r), pair("ERR", "killed by SIGTERM after 0.1 s"));

    let rt = Scripted::default();
    let missing = launcher(
        &rt,
        1.0,
        ChildEnd::NotStarted("ENOENT".into(), "spawn nope ENOENT".into()),
        None,
    );
    let r = exec(&["--exec", "backup@proj", "--", "nope"], &rt, &missing);
    assert_eq!(r.code, 127);
    assert_eq!(r.err, "okerrupdate: nope: command not found\n");
    assert_eq!(
        sent(&r),
        pair("ERR", "not started: 'nope': command not found")
    );
}

#[test]
fn exec_a_command_named_with_a_secret_is_masked_where_it_is_not_started() {
    // Node's message for a code without a text of ours quotes the command.
    fn missing<'a>(rt: &'a Scripted, program: &str) -> FakeLauncher<'a> {
        let why = format!("spawn {program} EPERM");
        launcher(rt, 1.0, ChildEnd::NotStarted("EPERM".into(), why), None)
    }
    // `-S` (an indicator option), the environment's secret, and settings that make no project.
    for (line, env) in [
        (
            &["-S", "S-CANARY", "--exec", "x@proj", "--", "./S-CANARY-cmd"][..],
            &DIRECT[..2],
        ),
        (
            &["--exec", "x@proj", "--", "./CANARY-SECRET.sh"][..],
            &DIRECT[..],
        ),
        (
            &["-S", "S-CANARY", "--exec", "x", "--", "./S-CANARY-cmd"][..],
            &[][..],
        ),
        (
            &["--exec", "x", "--", "./CANARY-SECRET.sh"][..],
            &DIRECT[..],
        ),
    ] {
        let rt = Scripted::default();
        let l = missing(&rt, line[line.len() - 1]);
        let r = run_launching(Tool::Update, line, env, &[], &rt, &l);
        assert_eq!(r.code, 126, "{line:?}");
        assert!(r.err.starts_with("okerrupdate: ./[secret]"), "{}", r.err);
        assert!(!r.err.contains("CANARY"), "{}", r.err);
        for request in &r.requests {
            let form = request.form.as_deref().unwrap_or("");
            let details = decode(form)
                .into_iter()
                .find(|(k, _)| k == "details")
                .map(|(_, v)| v);
            assert!(
                details
                    .as_deref()
                    .unwrap_or("")
                    .starts_with("not started: './[secret]"),
                "{details:?}"
            );
            assert!(!details.unwrap_or_default().contains("CANARY"));
        }
    }
}

#[test]
fn exec_a_failure_to_report_is_printed_and_keeps_the_commands_status() {
    let rt = Scripted::default();
    rt.answer(400, "Bad secret");
    let l = launcher(&rt, 10.0, ChildEnd::Exited(5), None);
    let r = exec(&["--exec", "backup@proj", "--", "job"], &rt, &l);
    assert_eq!(r.code, 5);
    assert_eq!(
        r.err,
        "okerr refused the update of backup@proj: HTTP 400: Bad secret\n"
    );
    assert_eq!(r.out, "");
    // Settings that make no project: the command runs all the same.
    let rt = Scripted::default();
    let l = launcher(&rt, 10.0, ChildEnd::Exited(0), None);
    let r = run_launching(
        Tool::Update,
        &["--exec", "backup", "--", "job"],
        &[],
        &[],
        &rt,
        &l,
    );
    assert_eq!(r.code, 0);
    assert_eq!(l.ran.borrow().len(), 1);
    assert!(
        r.err
            .starts_with("okerrupdate: the run was not reported: no textid"),
        "{}",
        r.err
    );
    assert!(r.requests.is_empty());
    // A method whose statuses are not OK/ERR: refused before sending, said once.
    let rt = Scripted::default();
    let l = launcher(&rt, 10.0, ChildEnd::Exited(0), None);
    let r = exec(
        &["-m", "numerical", "--exec", "t@proj", "--", "job"],
        &rt,
        &l,
    );
    assert_eq!(r.code, 0);
    assert!(
        r.err
            .starts_with("okerrupdate: the run was not reported: a numerical status"),
        "{}",
        r.err
    );
}

#[test]
fn exec_command_line_mistakes_are_usage_errors_and_run_nothing() {
    for (line, says) in [
        (
            &["--exec", "backup@proj"][..],
            "the following arguments are required: COMMAND",
        ),
        (
            &["--exec", "backup@proj", "--"],
            "the following arguments are required: COMMAND",
        ),
        (
            &["--exec", "backup@proj", "tar", "--", "x"],
            "unrecognized arguments: tar (the command goes after --",
        ),
        (
            &["--exec", "backup@proj", "-d", "x", "--", "tar"],
            "not allowed with argument -d/--details",
        ),
        (
            &["--exec", "backup@proj", "--json", "--", "tar"],
            "not allowed with argument --json",
        ),
        (&["--exec"], "argument --exec: expected one argument"),
    ] {
        let rt = Scripted::default();
        let l = launcher(&rt, 0.0, ChildEnd::Exited(0), None);
        let r = exec(line, &rt, &l);
        assert_eq!(r.code, 2, "{line:?}");
        assert!(r.err.starts_with("usage: okerrupdate"), "{}", r.err);
        assert!(r.err.contains(says), "{line:?}: {}", r.err);
        assert!(l.ran.borrow().is_empty());
    }
}

#[test]
fn exec_dry_run_and_verbose_write_to_stderr_only() {
    let rt = Scripted::default();
    let l = launcher(&rt, 10.0, ChildEnd::Exited(0), None);
    let r = exec(
        &["--dry-run", "--exec", "backup@proj", "--", "job"],
        &rt,
        &l,
    );
    assert_eq!((r.code, r.out.as_str()), (0, ""));
    assert!(r.requests.is_empty());
    assert!(
        r.err
            .starts_with("dry run, nothing sent: backup@proj = OK\n"),
        "{}",
        r.err
    );
    assert!(
        r.err.contains("  details=exit 0 in 0.0 s\n") && r.err.contains("  secret=[secret]\n"),
        "{}",
        r.err
    );
    let rt = Scripted::default();
    let l = launcher(&rt, 10.0, ChildEnd::Exited(0), None);
    let r = exec(&["-v", "--exec", "backup@proj", "--", "job"], &rt, &l);
    assert_eq!(r.out, "");
    assert!(
        r.err.contains("okerr updated (200 OK) backup@proj = OK"),
        "{}",
        r.err
    );
}

/// `okerrapi sync FILE` on project `proj`, with FILE's text as the bin script read it.
fn sync(line: &[&str], spec_file: &str, rt: &Scripted) -> Run {
    let mut env = DIRECT.to_vec();
    env.push(("OKERR_API_KEY", "CANARY-KEY"));
    env.push(("OKERR_TEXTID", "proj"));
    run_with(
        Tool::Api,
        line,
        &env,
        &[("specs.json", text(spec_file))],
        rt,
    )
}

const RS_CFG: &str = r#"{"name": "rs:cfg", "checkmethod": "numerical", "desc": "first-desc",
  "policyname": "Default", "args": {"maxlim": "37", "secret": ""},
  "tags": ["ERR", "numerical", "passive", "ATTENTION", "policy:Default", "alpha"]}"#;

const RS_CFG_SPEC: &str = r#"[{"name": "rs:cfg", "method": "numerical|maxlim=40",
  "policy": "Daily", "tags": ["beta"], "desc": "second-desc"}]"#;

#[test]
fn okerrapi_sync_prints_the_plan_applies_it_and_exits_0() {
    let rt = Scripted::default();
    rt.answer(200, RS_CFG).answer(
        200,
        "Changed rs:cfg {'policy': 'Daily', 'description': 'second-desc', 'maxlim': '40'}\n",
    );
    let r = sync(&["sync", "specs.json"], RS_CFG_SPEC, &rt);
    assert_eq!((r.code, r.err.as_str()), (0, ""));
    assert_eq!(
        r.out,
        "rs:cfg: maxlim '37' → '40'\n\
         rs:cfg: policy 'Default' → 'Daily'\n\
         rs:cfg: desc 'first-desc' → 'second-desc'\n\
         rs:cfg: tags not changed, the server keeps [alpha] (UI_ONLY: only okerr's web UI changes tags)\n\
         sync: 1 changed, 0 unchanged, 0 missing, 1 not applied\n"
    );
    let urls: Vec<&str> = r.requests.iter().map(|q| q.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "http://127.0.0.1:9/api/indicator/proj/rs%3Acfg",
            "http://127.0.0.1:9/api/set/proj/rs%3Acfg"
        ]
    );
}

#[test]
fn okerrapi_sync_dry_run_and_json() {
    let rt = Scripted::default();
    rt.answer(200, RS_CFG);
    let r = sync(&["--dry-run", "sync", "specs.json"], RS_CFG_SPEC, &rt);
    assert_eq!(r.code, 0);
    assert_eq!(r.requests.len(), 1, "reads only");
    assert!(
        r.out
            .ends_with("sync: 1 to change, 0 unchanged, 0 missing, 1 not applied (dry run: nothing was changed)\n"),
        "{}",
        r.out
    );
    let rt = Scripted::default();
    rt.answer(200, RS_CFG);
    let r = sync(
        &["sync", "--dry-run", "--json", "specs.json"],
        RS_CFG_SPEC,
        &rt,
    );
    assert_eq!(r.code, 0);
    assert_eq!(
        r.out,
        "{\"dryRun\":true,\"changed\":[{\"name\":\"rs:cfg\",\"set\":{\"maxlim\":\"40\",\"policy\":\"Daily\",\"desc\":\"second-desc\"},\
         \"was\":{\"maxlim\":\"37\",\"policy\":\"Default\",\"desc\":\"first-desc\"}}],\"unchanged\":[],\"missing\":[],\
         \"drift\":[{\"name\":\"rs:cfg\",\"field\":\"tags\",\"server\":[\"alpha\"],\"code\":\"UI_ONLY\"}]}\n"
    );
}

#[test]
fn okerrapi_sync_failures_exit_1() {
    // A call refused for one indicator: reported, exit 1, the server's reason on stderr.
    let rt = Scripted::default();
    rt.answer(200, RS_CFG).answer(404, "No such policy\n");
    let r = sync(
        &["sync", "specs.json"],
        r#"[{"name": "rs:cfg", "policy": "Nope"}]"#,
        &rt,
    );
    assert_eq!(r.code, 1);
    assert!(
        r.out.starts_with(
            "rs:cfg: policy not changed, the server keeps 'Default' (NO_SUCH_POLICY: "
        ),
        "{}",
        r.out
    );
    assert!(r.err.contains("No such policy"), "{}", r.err);
    // A failure while reading: nothing changed, exit 1, --json gives the error object.
    let rt = Scripted::default();
    rt.answer(403, "<h1>403 Forbidden</h1>");
    let r = sync(&["--json", "sync", "specs.json"], RS_CFG_SPEC, &rt);
    assert_eq!(r.code, 1);
    assert!(
        r.out.starts_with("{\"error\":{\"code\":\"FORBIDDEN\""),
        "{}",
        r.out
    );
    assert!(!r.out.contains("CANARY") && !r.err.contains("CANARY"));
    // A missing indicator is no failure: exit 0, nothing created.
    let rt = Scripted::default();
    rt.answer(404, "No indicator with id new in project with textid proj");
    let r = sync(
        &["sync", "specs.json"],
        r#"[{"name": "new", "desc": "d"}]"#,
        &rt,
    );
    assert_eq!(r.code, 0);
    assert!(r.out.starts_with("new: missing, not created"), "{}", r.out);
    assert_eq!(r.requests.len(), 1);
}

#[test]
fn okerrapi_sync_bad_file_exits_2_sending_nothing() {
    for (spec_file, says) in [
        ("not json", "specs.json is not JSON"),
        ("{\"name\": \"a\"}", "must hold a JSON array"),
        (
            "[{\"name\": \"a\", \"method\": \"numerical|maxlimit=4\"}]",
            "has no argument 'maxlimit'",
        ),
        (
            "[{\"name\": \"a\", \"color\": \"red\"}]",
            "unknown spec field 'color'",
        ),
        (
            "[{\"name\": \"a\", \"method\": \"heartbeat|secret=CANARY-OWN|x=1\"}]",
            "has no argument 'x'",
        ),
    ] {
        let rt = Scripted::default();
        let r = sync(&["sync", "specs.json"], spec_file, &rt);
        assert_eq!(r.code, 2, "{spec_file}: {}", r.err);
        assert!(r.err.contains(says), "{spec_file}: {}", r.err);
        assert!(r.requests.is_empty());
        assert!(!r.err.contains("CANARY"), "{}", r.err);
    }
    let rt = Scripted::default();
    let r = sync(&["sync", "other.json"], "[]", &rt);
    assert_eq!(
        (r.code, r.err.as_str()),
        (2, "okerrapi: cannot read other.json\n")
    );
    for line in [
        &["sync"][..],
        &["sync", "a", "b"],
        &["-n", "x", "sync", "specs.json"],
    ] {
        let r = sync(line, "[]", &rt);
        assert_eq!(r.code, 2, "{line:?}");
        assert!(r.err.contains("command 'sync' takes"), "{}", r.err);
    }
}

#[test]
fn input_paths_name_syncs_file_only() {
    let argv = |line: &[&str]| line.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    assert_eq!(
        input_paths(Tool::Api, &argv(&["--dry-run", "sync", "s.json"])),
        ["s.json"]
    );
    assert!(input_paths(Tool::Api, &argv(&["indicators"])).is_empty());
    assert!(input_paths(Tool::Api, &argv(&["sync"])).is_empty());
    assert!(input_paths(Tool::Update, &argv(&["sync", "s.json"])).is_empty());
}
