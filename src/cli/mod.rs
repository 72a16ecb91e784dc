//! The `okerrupdate` and `okerrapi` command-line tools, with the Python tools' flags and
//! behaviour. Everything they decide lives here: what the arguments mean, where settings come
//! from and which win, what is printed where, and the exit status. The package's `bin` scripts
//! only hand over argv, the environment and the config files' text, and print.

pub mod args;
mod help;
mod output;
mod settings;
mod tools;

pub use settings::{config_paths, FileText};
pub use tools::Tool;

use crate::client::{Begin, Outcome, Project};
use crate::error::Error;
use crate::log::Level;
use crate::options::ProjectConfig;
use crate::runtime::Runtime;
use crate::value::Value;
use tools::{Action, ApiCommand};

/// The package version, which `--version` prints.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Standard output or standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Results, and (as with the Python tools) progress lines.
    Out,
    /// Failures and warnings; everything but the result under `--json`.
    Err,
}

/// Where the tools write.
pub trait Console {
    /// Write `text` as it is.
    fn write(&self, stream: Stream, text: &str);
}

/// What one run of a tool is given.
#[derive(Debug)]
pub struct Invocation<'a> {
    /// Which tool.
    pub tool: Tool,
    /// The arguments, without the program name.
    pub argv: &'a [String],
    /// The environment.
    pub env: &'a [(String, String)],
    /// The user's home directory, for `~/okerr/` and `~/.okerr/`.
    pub home: Option<&'a str>,
    /// The configuration files that exist, from [`config_paths`].
    pub files: &'a [(String, FileText)],
}

/// What a command line asks for, with its settings read and checked: ready to run.
pub struct Prepared<P> {
    project: Project<P>,
    action: Action,
    json: bool,
}

impl<P> Prepared<P> {
    /// Whether the output is `--json`, which sends every log line to stderr.
    pub fn json(&self) -> bool {
        self.json
    }
}

/// Read the command line and the settings. `Err` holds the exit status when the run ends here:
/// `--help` and `--version` (0), a command line that cannot be read (2), settings that do not
/// make a project (1); what to say has been written.
pub fn prepare<P: Clone, C: Console>(
    console: &C,
    inv: &Invocation<'_>,
) -> Result<Prepared<P>, i32> {
    let tool = inv.tool;
    let parsed = args::parse(tool.options(), inv.argv)
        .map_err(|message| usage_error(console, tool, &message))?;
    if parsed.has("help") {
        console.write(Stream::Out, &tool.help(VERSION));
        return Err(0);
    }
    if parsed.has("version") {
        console.write(Stream::Out, &format!("{} {VERSION}\n", tool.name()));
        return Err(0);
    }
    let json = parsed.has("json");
    let level = if parsed.has("verbose") {
        Level::Debug
    } else if json {
        Level::Warn
    } else {
        Level::Info
    };
    let plan =
        tools::plan(tool, &parsed).map_err(|message| usage_error(console, tool, &message))?;
    match project(inv, plan.flags, level, parsed.has("dry-run"), console) {
        Ok(project) => Ok(Prepared {
            project,
            action: plan.action,
            json,
        }),
        Err(e) => Err(fail(console, json, &Failure::from(e))),
    }
}

/// Do what was prepared and write the result. Returns the exit status: 0 done, 1 failed (why
/// is on stderr, and under `--json` also on stdout as `{"error": ...}`).
pub async fn execute<P: Clone, R: Runtime, C: Console>(
    rt: &R,
    console: &C,
    prepared: &Prepared<P>,
) -> i32 {
    let (project, json) = (&prepared.project, prepared.json);
    let result = match &prepared.action {
        Action::Update {
            name,
            status,
            details,
            options,
        } => update(rt, project, name, status, details.as_deref(), options, json).await,
        Action::Api(command) => api(rt, project, command, json).await.map_err(Failure::from),
    };
    match result {
        Ok(out) => {
            console.write(Stream::Out, &out);
            0
        }
        Err(failure) => fail(console, json, &failure),
    }
}

/// Where a log line of `level` goes: progress to stdout, as the Python tools print it;
/// warnings, and under `--json` everything, to stderr.
pub fn log_stream(level: Level, json: bool) -> Stream {
    if json || level >= Level::Warn {
        Stream::Err
    } else {
        Stream::Out
    }
}

/// A failure, and whether the project has already logged it (a failed update is logged as
/// a warning), so that it is said once.
struct Failure {
    error: Error,
    logged: bool,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure {
            error,
            logged: false,
        }
    }
}

fn fail<C: Console>(console: &C, json: bool, failure: &Failure) -> i32 {
    if json {
        console.write(Stream::Out, &(output::error_json(&failure.error) + "\n"));
    }
    if !failure.logged {
        console.write(Stream::Err, &format!("{}\n", failure.error.message));
    }
    1
}

fn usage_error<C: Console>(console: &C, tool: Tool, message: &str) -> i32 {
    console.write(
        Stream::Err,
        &format!("{}{}: error: {message}\n", tool.usage(), tool.name()),
    );
    2
}

/// The project the settings describe: files, then the environment, then the flags.
fn project<P: Clone, C: Console>(
    inv: &Invocation<'_>,
    flags: Vec<(String, Value)>,
    level: Level,
    dry_run: bool,
    console: &C,
) -> Result<Project<P>, Error> {
    let settings::Configured { mut pairs, notes } =
        settings::configured(inv.env, inv.files, inv.home)?;
    for note in notes {
        console.write(Stream::Err, &format!("{}: {note}\n", inv.tool.name()));
    }
    pairs.extend(flags);
    if !pairs.iter().any(|(k, _)| k == "textid") {
        let how = match inv.tool {
            Tool::Update => "NAME@TEXTID or -i TEXTID",
            Tool::Api => "-i TEXTID",
        };
        return Err(Error::invalid(format!(
            "no textid: give {how}, set OKERR_TEXTID, or put OKERR_TEXTID=... in ~/.okerr/okerrupdate or /etc/okerr/okerrupdate"
        )));
    }
    pairs.push(("logLevel".into(), Value::Str(level.method().into())));
    pairs.push(("dryRun".into(), Value::Bool(dry_run)));
    Ok(Project::new(ProjectConfig::from_pairs(&pairs)?))
}

async fn update<P: Clone, R: Runtime>(
    rt: &R,
    project: &Project<P>,
    name: &str,
    status: &str,
    details: Option<&str>,
    options: &[(String, Value)],
    json: bool,
) -> Result<String, Failure> {
    let ind = project.indicator(name, options)?;
    let outcome = match project.begin_update(rt, &ind, status, details)? {
        Begin::Done(outcome) => outcome,
        Begin::Send(job) => project
            .deliver(rt, &ind, job)
            .await
            .map_err(|error| Failure {
                error,
                logged: true,
            })?,
        Begin::Join(_) => {
            return Err(Failure::from(Error::invalid(
                "the same update is already being sent by this process",
            )))
        }
    };
    let c = project.config();
    let fields: Vec<(String, String)> = if outcome == Outcome::DryRun {
        crate::form::decode(&crate::update::body(c, &ind.spec, status, details))
            .into_iter()
            .map(|(k, v)| {
                let shown = if k == "secret" {
                    crate::redact::MASK.to_string()
                } else {
                    project.scrub(&v)
                };
                (k, shown)
            })
            .collect()
    } else {
        Vec::new()
    };
    if json {
        let mut out = vec![
            ("name", output::json_string(&ind.spec.name)),
            ("textid", output::json_string(&c.textid)),
            ("status", output::json_string(status)),
            ("sent", outcome.sent().to_string()),
            ("reason", output::json_string(outcome.reason())),
        ];
        if outcome == Outcome::DryRun {
            out.push(("fields", output::json_fields(&fields)));
        }
        return Ok(output::json_object(out) + "\n");
    }
    if outcome != Outcome::DryRun {
        // The log line `okerr updated (200 OK) NAME@TEXTID = VALUE` has said it.
        return Ok(String::new());
    }
    // The log line `dry run, nothing sent: NAME@TEXTID = VALUE` has said that much; the fields
    // that would have gone out follow it.
    let mut out = String::new();
    for (k, v) in fields {
        out.push_str(&format!("  {k}={v}\n"));
    }
    Ok(out)
}

async fn api<P: Clone, R: Runtime>(
    rt: &R,
    project: &Project<P>,
    command: &ApiCommand,
    json: bool,
) -> Result<String, Error> {
    let c = project.config();
    let call = command.call(c)?;
    if !c.dry_run {
        let answer = crate::api::send(project, rt, &call).await?;
        return Ok(output::answer(&answer, json));
    }
    let fields: Vec<(String, String)> = call
        .form
        .as_deref()
        .map(crate::form::decode)
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, project.scrub(&v)))
        .collect();
    let url = c.direct.then(|| c.url.join(&call.path));
    if json {
        let out = output::json_object([
            ("dryRun", String::from("true")),
            ("method", output::json_string(call.method)),
            ("path", output::json_string(&format!("/{}", call.path))),
            (
                "url",
                url.as_deref()
                    .map_or(String::from("null"), output::json_string),
            ),
            ("fields", output::json_fields(&fields)),
        ]);
        return Ok(out + "\n");
    }
    let target = match url {
        Some(url) => url,
        None => format!(
            "/{} on the project's server (from the director at {})",
            call.path,
            c.url.origin()
        ),
    };
    let mut out = format!("dry run, nothing sent: {} {target}\n", call.method);
    for (k, v) in fields {
        out.push_str(&format!("  {k}={v}\n"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
