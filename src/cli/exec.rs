//! `okerrupdate --exec NAME -- COMMAND [ARGS...]`: run a command, then report how it ended
//! (`OK` for exit 0, `ERR` otherwise, with details saying why) and exit with the command's own
//! status. Running the command is the package's bin script's part (Node's `child_process`, with
//! the terminal's stdin and stdout, its stderr passed through while its last line is kept);
//! everything decided about the result is decided here. A failure to report is printed to
//! stderr and never changes the exit status: a cron job's monitoring must not break the job.

use super::{Console, Stream};
use crate::error::Error;
use crate::failure::OnFailure;
use crate::job::{self, drop_tail, seconds};
use crate::log::Level;
use crate::project::Project;
use crate::redact::Secrets;
use crate::runtime::Runtime;
use crate::update::Outcome;
use crate::value::Value;

/// How a command ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChildEnd {
    /// It exited with this status.
    Exited(i32),
    /// A signal ended it: its name (`SIGTERM`) and number (15).
    Killed(String, i32),
    /// It could not be started: the system's error code (`ENOENT`, `EACCES`) and message.
    NotStarted(String, String),
}

/// What the bin script tells about a command it ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launched {
    /// How it ended.
    pub end: ChildEnd,
    /// The last line of its stderr with something on it, if any.
    pub last_line: Option<String>,
    /// True when that line was longer than the script keeps, and so was cut short.
    pub cut: bool,
}

/// Runs a command (the package's bin script, over Node's `child_process`).
#[allow(async_fn_in_trait)] // wasm is single-threaded: no Send bound is wanted.
pub trait Launcher {
    /// Run `command` (the program, then its arguments) to its end.
    async fn launch(&self, command: &[String]) -> Launched;
}

/// The exit status `okerrupdate --exec` ends with: the command's own; for a signal `128 + n`, as
/// a shell reports it; 127 for a command that was not found and 126 for one that could not be
/// started otherwise, as a shell does.
pub fn exit_status(end: &ChildEnd) -> i32 {
    match end {
        ChildEnd::Exited(code) => *code,
        ChildEnd::Killed(_, number) => 128 + number,
        ChildEnd::NotStarted(code, _) if code == "ENOENT" => 127,
        ChildEnd::NotStarted(..) => 126,
    }
}

/// The status reported: `OK` only for exit status 0.
pub fn status(end: &ChildEnd) -> &'static str {
    if *end == ChildEnd::Exited(0) {
        "OK"
    } else {
        "ERR"
    }
}

/// The details reported, at most [`job::DETAILS_CHARS`] characters: `exit 0 in 1.2 s`,
/// `exit 3 in 0.4 s: <the last line of stderr>`, `killed by SIGTERM after 0.4 s: <...>`,
/// `not started: 'backup.sh': command not found`. The stderr line is masked by `scrub` before it
/// is cut; a line the script had to cut short first loses its last `unsure` characters, which
/// may be the start of a secret that masking cannot recognise.
pub fn details(
    program: &str,
    launched: &Launched,
    ms: f64,
    unsure: usize,
    scrub: impl Fn(&str) -> String,
) -> String {
    let took = seconds(ms, 1);
    let head = match &launched.end {
        ChildEnd::Exited(0) => return format!("exit 0 in {took} s"),
        ChildEnd::Exited(code) => format!("exit {code} in {took} s"),
        ChildEnd::Killed(signal, _) => format!("killed by {signal} after {took} s"),
        ChildEnd::NotStarted(code, message) => {
            let why = not_started(code, message);
            // The command's name may hold a secret (`./S-cmd` under `-S S`): masked before
            // it is quoted and cut, like the reason.
            let head = format!("not started: {}", crate::text::quoted(&scrub(program)));
            return job::with_reason(&head, Some(&why), scrub);
        }
    };
    let line = launched.last_line.as_deref().map(|l| {
        let l = if launched.cut {
            drop_tail(l, unsure)
        } else {
            l
        };
        visible(l)
    });
    job::with_reason(&head, line, scrub)
}

/// What a terminal shows of a line that carriage returns overwrote (a progress bar's last state):
/// the text after the last `\r` that is followed by something.
fn visible(line: &str) -> &str {
    line.rsplit('\r')
        .find(|part| !part.trim().is_empty())
        .unwrap_or("")
}

fn not_started(code: &str, message: &str) -> String {
    match code {
        "ENOENT" => String::from("command not found"),
        "EACCES" => String::from("permission denied"),
        _ => message.to_string(),
    }
}

/// Run the command, report, and return the exit status. `project` is the project the settings
/// describe, or why they do not make one: the command runs all the same, and the reason is
/// printed after it as a failure to report. `secrets` are all the settings hold, masked in
/// everything printed here.
#[allow(clippy::too_many_arguments)]
pub async fn run<R: Runtime, C: Console, L: Launcher>(
    rt: &R,
    console: &C,
    launcher: &L,
    project: Result<&Project, &Error>,
    secrets: &Secrets,
    name: &str,
    command: &[String],
    options: &[(String, Value)],
) -> i32 {
    let started = rt.now_ms();
    let launched = launcher.launch(command).await;
    let ms = rt.now_ms() - started;
    let exit = exit_status(&launched.end);
    if let ChildEnd::NotStarted(code, message) = &launched.end {
        let program = command.first().map_or("", String::as_str);
        // The console masks the secrets in force: every one the settings hold, `-S` too (an
        // indicator option, which the project learns only when the report makes its indicator).
        let _in = secrets.enter();
        console.write(
            Stream::Err,
            &format!("okerrupdate: {program}: {}\n", not_started(code, message)),
        );
    }
    if let Err(why) = report(rt, console, project, name, command, options, &launched, ms).await {
        let _in = secrets.enter();
        console.write(
            Stream::Err,
            &format!("okerrupdate: the run was not reported: {why}\n"),
        );
    }
    exit
}

/// Send the report; `Err` is what to print when it failed and nothing said so yet (an empty
/// text when the project has logged it already).
#[allow(clippy::too_many_arguments)]
async fn report<R: Runtime, C: Console>(
    rt: &R,
    console: &C,
    project: Result<&Project, &Error>,
    name: &str,
    command: &[String],
    options: &[(String, Value)],
    launched: &Launched,
    ms: f64,
) -> Result<(), String> {
    let project = project.map_err(|e| e.message.clone())?;
    let ind = project.indicator(name, options).map_err(|e| e.message)?;
    let status = status(&launched.end);
    // The longest spelling a secret can take in the text (form-encoded: 3 bytes a byte).
    let unsure = project
        .config()
        .secrets()
        .chain(ind.spec.secrets())
        .map(|s| 3 * s.chars().count())
        .max()
        .unwrap_or(0);
    let program = command.first().map_or("", String::as_str);
    let details = details(program, launched, ms, unsure, |t| project.scrub(t));
    let begun = project
        .begin_update(rt, &ind, status, Some(&details))
        .map_err(|e| e.message)?;
    // A failure to report is logged at warn (REPORT), which --exec writes to stderr.
    let outcome = match begun.finish(project, rt, &ind, OnFailure::REPORT).await {
        Ok(outcome) => outcome,
        Err(_) if project.level() <= Level::Warn => return Ok(()),
        Err(e) => return Err(e.message),
    };
    if outcome == Outcome::DryRun {
        let mut text = format!(
            "dry run, nothing sent: {}@{} = {status}\n",
            ind.spec.name,
            project.config().textid
        );
        for (k, v) in super::shown_fields(project, &ind, status, Some(&details)) {
            text.push_str(&format!("  {k}={v}\n"));
        }
        console.write(Stream::Err, &text);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn launched(end: ChildEnd, line: Option<&str>) -> Launched {
        Launched {
            end,
            last_line: line.map(String::from),
            cut: false,
        }
    }

    fn same(t: &str) -> String {
        t.to_string()
    }

    #[test]
    fn exit_status_is_the_commands_own() {
        assert_eq!(exit_status(&ChildEnd::Exited(0)), 0);
        assert_eq!(exit_status(&ChildEnd::Exited(3)), 3);
        assert_eq!(exit_status(&ChildEnd::Killed("SIGTERM".into(), 15)), 143);
        assert_eq!(
            exit_status(&ChildEnd::NotStarted(
                "ENOENT".into(),
                "spawn x ENOENT".into()
            )),
            127
        );
        assert_eq!(
            exit_status(&ChildEnd::NotStarted(
                "EACCES".into(),
                "spawn x EACCES".into()
            )),
            126
        );
        assert_eq!(status(&ChildEnd::Exited(0)), "OK");
        assert_eq!(status(&ChildEnd::Exited(1)), "ERR");
        assert_eq!(status(&ChildEnd::Killed("SIGKILL".into(), 9)), "ERR");
    }

    #[test]
    fn details_say_how_it_ended() {
        let d = |end, line: Option<&str>, ms| details("job.sh", &launched(end, line), ms, 0, same);
        assert_eq!(
            d(ChildEnd::Exited(0), Some("warning: x"), 1234.0),
            "exit 0 in 1.2 s"
        );
        assert_eq!(
            d(ChildEnd::Exited(3), Some("error: disk full\r"), 400.0),
            "exit 3 in 0.4 s: error: disk full"
        );
        assert_eq!(d(ChildEnd::Exited(1), None, 50.0), "exit 1 in 0.1 s");
        assert_eq!(
            d(
                ChildEnd::Killed("SIGTERM".into(), 15),
                Some("10%\r55%\r"),
                2000.0
            ),
            "killed by SIGTERM after 2.0 s: 55%"
        );
        assert_eq!(
            d(
                ChildEnd::NotStarted("ENOENT".into(), "spawn job.sh ENOENT".into()),
                None,
                1.0
            ),
            "not started: 'job.sh': command not found"
        );
    }

    #[test]
    fn a_line_cut_short_loses_its_unsure_tail_before_masking() {
        let secret = "CANARY-SECRET-0123456789";
        let scrub = |t: &str| t.replace(secret, crate::redact::MASK);
        // The script kept the line up to the middle of the secret.
        let mut l = launched(ChildEnd::Exited(2), Some("error: key=CANARY-SECRET-01"));
        l.cut = true;
        let d = details("x", &l, 0.0, 3 * secret.len(), scrub);
        assert!(!d.contains("CANARY"), "{d}");
        assert!(d.starts_with("exit 2 in 0.0 s"), "{d}");
        l.cut = false;
        l.last_line = Some(format!("error: key={secret} {}", "z".repeat(300)));
        let d = details("x", &l, 0.0, 3 * secret.len(), scrub);
        assert!(
            d.starts_with("exit 2 in 0.0 s: error: key=[secret] zzz"),
            "{d}"
        );
        assert_eq!(d.chars().count(), job::DETAILS_CHARS);
    }
}
