//! The `okerrupdate` and `okerrapi` command-line tools, with the Python tools' flags and
//! behaviour. Everything they decide lives here: what the arguments mean, where settings come
//! from and which win, what is printed where, and the exit status. The package's `bin` scripts
//! only hand over argv, the environment and the config files' text, and print.

pub mod args;
mod exec;
mod help;
mod output;
mod settings;
pub mod sync;
mod tools;

pub use exec::{ChildEnd, Launched, Launcher};
pub use settings::{config_paths, FileText};
pub use tools::Tool;

use crate::error::Error;
use crate::failure::OnFailure;
use crate::log::Level;
use crate::project::Project;
use crate::project_config::ProjectConfig;
use crate::runtime::Runtime;
use crate::update::Outcome;
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
pub struct Prepared {
    /// The project, or (only for `--exec`, whose command runs all the same) why there is none.
    project: Result<Project, Error>,
    /// Every secret the settings hold (the flags, `-S`, the environment and files as far as
    /// they were read), whether or not they make a project: for what `--exec` prints.
    secrets: crate::redact::Secrets,
    action: Action,
    json: bool,
    /// `sync`'s specs, read from its FILE: each a JSON object's fields.
    specs: Vec<Vec<(String, Value)>>,
}

impl Prepared {
    /// Whether every log line goes to stderr: under `--json`, and under `--exec`, whose
    /// stdout is the command's.
    pub fn logs_to_stderr(&self) -> bool {
        self.json || matches!(self.action, Action::Exec { .. })
    }
}

/// Read the command line and the settings. `Err` holds the exit status when the run ends here:
/// `--help` and `--version` (0), a command line that cannot be read (2), settings that do not
/// make a project (1); what to say has been written.
pub fn prepare<C: Console>(console: &C, inv: &Invocation<'_>) -> Result<Prepared, i32> {
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
    let plan =
        tools::plan(tool, &parsed).map_err(|message| usage_error(console, tool, &message))?;
    // A spec file that is no list of specs is a bad command line: exit 2, nothing sent.
    let specs = match &plan.action {
        Action::Sync { file } => sync::read_specs(file, inv.files).map_err(|message| {
            console.write(Stream::Err, &format!("{}: {message}\n", tool.name()));
            2
        })?,
        _ => Vec::new(),
    };
    let exec = matches!(plan.action, Action::Exec { .. });
    // --exec says nothing when all went well: a cron job's output is mailed to its owner.
    let level = if parsed.has("verbose") {
        Level::Debug
    } else if json || exec {
        Level::Warn
    } else {
        Level::Info
    };
    // `-S` is an indicator option, not a project setting: in force as well while the settings
    // are checked, so that a bad `--url` holding it is masked in its message.
    let indicator_options = match &plan.action {
        Action::Update { options, .. } | Action::Exec { options, .. } => options.as_slice(),
        Action::Api(_) | Action::Sync { .. } => &[],
    };
    let mut secrets = crate::redact::Secrets::default();
    crate::redact::secrets_in(&plan.flags)
        .into_iter()
        .chain(crate::redact::secrets_in(indicator_options))
        .for_each(|s| secrets.add(s));
    let project = {
        let _held = secrets.enter();
        project(
            inv,
            plan.flags,
            level,
            parsed.has("dry-run"),
            console,
            &mut secrets,
        )
    };
    match project {
        Err(e) if !exec => Err(fail(console, json, &Failure::from(e))),
        project => Ok(Prepared {
            project,
            secrets,
            action: plan.action,
            json,
            specs,
        }),
    }
}

/// Do what was prepared and write the result. Returns the exit status: 0 done, 1 failed (why
/// is on stderr, and under `--json` also on stdout as `{"error": ...}`); under `--exec`, the
/// command's own, which `launcher` runs.
pub async fn execute<R: Runtime, C: Console, L: Launcher>(
    rt: &R,
    console: &C,
    launcher: &L,
    prepared: &Prepared,
) -> i32 {
    let json = prepared.json;
    let result = match (&prepared.action, &prepared.project) {
        (
            Action::Exec {
                name,
                command,
                options,
            },
            project,
        ) => {
            let project = project.as_ref();
            let secrets = &prepared.secrets;
            return exec::run(
                rt, console, launcher, project, secrets, name, command, options,
            )
            .await;
        }
        (_, Err(e)) => Err(Failure::from(e.clone())),
        (
            Action::Update {
                name,
                status,
                details,
                options,
            },
            Ok(project),
        ) => update(rt, project, name, status, details.as_deref(), options, json).await,
        (Action::Api(command), Ok(project)) => {
            api(rt, project, command, json).await.map_err(Failure::from)
        }
        (Action::Sync { .. }, Ok(project)) => {
            return sync(rt, console, project, &prepared.specs, json).await
        }
    };
    match result {
        Ok(out) => {
            console.write(Stream::Out, &out);
            0
        }
        Err(failure) => fail(console, json, &failure),
    }
}

/// The files a command line names for the tools to read besides the configuration: `sync`'s
/// FILE. The bin script reads each into [`Invocation::files`] (or notes why it could not).
pub fn input_paths(tool: Tool, argv: &[String]) -> Vec<String> {
    let plan = args::parse(tool.options(), argv).and_then(|p| tools::plan(tool, &p));
    match plan {
        Ok(tools::Plan {
            action: Action::Sync { file },
            ..
        }) => vec![file],
        _ => Vec::new(),
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
        console.write(Stream::Out, &output::error_json(&failure.error));
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

/// The project the settings describe: files, then the environment, then the flags. The
/// secrets among them are added to `secrets`, even when they do not make a project.
fn project<C: Console>(
    inv: &Invocation<'_>,
    flags: Vec<(String, Value)>,
    level: Level,
    dry_run: bool,
    console: &C,
    secrets: &mut crate::redact::Secrets,
) -> Result<Project, Error> {
    let settings::Configured { mut pairs, notes } =
        settings::configured(inv.env, inv.files, inv.home)?;
    for note in notes {
        console.write(Stream::Err, &format!("{}: {note}\n", inv.tool.name()));
    }
    crate::redact::secrets_in(&pairs)
        .into_iter()
        .for_each(|s| secrets.add(s));
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

async fn update<R: Runtime>(
    rt: &R,
    project: &Project,
    name: &str,
    status: &str,
    details: Option<&str>,
    options: &[(String, Value)],
    json: bool,
) -> Result<String, Failure> {
    let ind = project.indicator(name, options)?;
    let begun = project.begin_update(rt, &ind, status, details)?;
    // A failed send is logged by the project at warn (REPORT: the tool reports it, on stderr,
    // as the Python tool does), not at info as for a rejecting caller.
    let outcome = begun
        .finish(project, rt, &ind, OnFailure::REPORT)
        .await
        .map_err(|error| Failure {
            error,
            logged: true,
        })?;
    let c = project.config();
    let fields = if outcome == Outcome::DryRun {
        shown_fields(project, &ind, status, details)
    } else {
        Vec::new()
    };
    if json {
        return Ok(output::line(&output::UpdateJson {
            name: &ind.spec.name,
            textid: &c.textid,
            status,
            sent: outcome.sent(),
            reason: outcome.reason(),
            fields: (outcome == Outcome::DryRun).then_some(output::Fields(&fields)),
        }));
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

/// The fields an update would send, as a dry run shows them: the secret masked.
fn shown_fields(
    project: &Project,
    ind: &crate::project::Indicator,
    status: &str,
    details: Option<&str>,
) -> Vec<(String, String)> {
    let body = crate::payload::body(project.config(), &ind.spec, status, details);
    crate::form::decode(&body)
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
}

/// `okerrapi sync FILE`: 2 for a bad spec (nothing sent), 1 when the call failed or a change
/// was not applied, else 0; the plan is printed either way.
async fn sync<R: Runtime, C: Console>(
    rt: &R,
    console: &C,
    project: &Project,
    items: &[Vec<(String, Value)>],
    json: bool,
) -> i32 {
    let specs = match crate::api::sync::specs(project.config(), items) {
        Ok(specs) => specs,
        Err(e) => {
            fail(console, json, &Failure::from(e));
            return 2;
        }
    };
    let dry_run = project.config().dry_run;
    match crate::api::sync::run(project, rt, specs, dry_run, &sync::object_pairs).await {
        Ok(result) => {
            let out = if json {
                output::line(&result)
            } else {
                sync::report(&result)
            };
            console.write(Stream::Out, &out);
            i32::from(result.failed())
        }
        Err(e) => fail(console, json, &Failure::from(e)),
    }
}

async fn api<R: Runtime>(
    rt: &R,
    project: &Project,
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
        return Ok(output::line(&output::ApiDryRunJson {
            dry_run: true,
            method: call.method,
            path: format!("/{}", call.path),
            url,
            fields: output::Fields(&fields),
        }));
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
