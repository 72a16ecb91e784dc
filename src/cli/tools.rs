//! The two tools' options and what their command lines ask for, with the Python tools' flags.

use super::args::{Opt, Parsed};
use crate::api::{self, Call};
use crate::error::Error;
use crate::project_config::ProjectConfig;
use crate::text::quoted;
use crate::value::Value;

/// Which tool runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    /// `okerrupdate NAME VALUE`: send one update.
    Update,
    /// `okerrapi COMMAND [ARG ...]`: the project API.
    Api,
}

const fn opt(short: Option<char>, long: &'static str, takes_value: bool) -> Opt {
    Opt {
        short,
        long,
        takes_value,
    }
}

const COMMON: [Opt; 8] = [
    opt(Some('h'), "help", false),
    opt(None, "version", false),
    opt(Some('i'), "textid", true),
    opt(None, "url", true),
    opt(None, "direct", false),
    opt(Some('v'), "verbose", false),
    opt(None, "dry-run", false),
    opt(None, "json", false),
];

const UPDATE_OPTS: [Opt; 14] = [
    COMMON[0],
    COMMON[1],
    COMMON[2],
    COMMON[3],
    COMMON[4],
    COMMON[5],
    COMMON[6],
    COMMON[7],
    opt(Some('S'), "secret", true),
    opt(Some('m'), "method", true),
    opt(Some('p'), "policy", true),
    opt(None, "desc", true),
    opt(Some('d'), "details", true),
    opt(None, "exec", true),
];

const API_OPTS: [Opt; 10] = [
    COMMON[0],
    COMMON[1],
    COMMON[2],
    COMMON[3],
    COMMON[4],
    COMMON[5],
    COMMON[6],
    COMMON[7],
    opt(Some('n'), "name", true),
    opt(Some('k'), "key", true),
];

impl Tool {
    /// The tool named `name` (`okerrupdate`, `okerrapi`).
    pub fn from_name(name: &str) -> Option<Tool> {
        match name {
            "okerrupdate" => Some(Tool::Update),
            "okerrapi" => Some(Tool::Api),
            _ => None,
        }
    }

    /// The command's name.
    pub fn name(self) -> &'static str {
        match self {
            Tool::Update => "okerrupdate",
            Tool::Api => "okerrapi",
        }
    }

    /// The options the tool takes, in `--help` order.
    pub fn options(self) -> &'static [Opt] {
        match self {
            Tool::Update => &UPDATE_OPTS,
            Tool::Api => &API_OPTS,
        }
    }

    pub(super) fn usage(self) -> &'static str {
        match self {
            Tool::Update => super::help::UPDATE_USAGE,
            Tool::Api => super::help::API_USAGE,
        }
    }

    pub(super) fn help(self, version: &str) -> String {
        match self {
            Tool::Update => super::help::update(version),
            Tool::Api => super::help::api(version),
        }
    }
}

/// What a command line asks for.
#[derive(Debug, PartialEq)]
pub struct Plan {
    /// Project options from the flags, which win over every other source.
    pub flags: Vec<(String, Value)>,
    /// What to do.
    pub action: Action,
}

/// The operation of a command line.
#[derive(Debug, PartialEq)]
pub enum Action {
    /// Send `status` (with `details`) to the indicator `name` made with `options`.
    Update {
        /// The indicator name as given (the core prefixes and repairs it).
        name: String,
        /// The value.
        status: String,
        /// `-d`.
        details: Option<String>,
        /// Indicator options: `method`, `policy`, `desc`, `secret`.
        options: Vec<(String, Value)>,
    },
    /// Run `command`, then report how it ended to the indicator `name` made with `options`.
    Exec {
        /// The indicator name as given (the core prefixes and repairs it).
        name: String,
        /// The program and its arguments, everything after `--`.
        command: Vec<String>,
        /// Indicator options: `method`, `policy`, `desc`, `secret`.
        options: Vec<(String, Value)>,
    },
    /// One okerrapi command.
    Api(ApiCommand),
    /// `okerrapi sync FILE`: apply the specs in FILE to the indicators they name.
    Sync {
        /// The spec file's path, which the bin script reads (see [`super::input_paths`]).
        file: String,
    },
}

/// An okerrapi command with its indicator name and arguments.
#[derive(Debug, PartialEq)]
pub struct ApiCommand {
    command: Command,
    name: Option<String>,
    args: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Command {
    Indicators,
    Indicator,
    Get,
    Filter,
    TagFilter,
    Set,
    Create,
    Delete,
    UpdateLog,
    CheckMethods,
    Status,
}

/// Each command: its word, whether it needs `-n`, and how many arguments it takes.
const COMMANDS: [(&str, Command, bool, usize, usize); 11] = [
    ("indicators", Command::Indicators, false, 0, 1),
    ("indicator", Command::Indicator, true, 0, 0),
    ("get", Command::Get, true, 1, 1),
    ("filter", Command::Filter, false, 0, usize::MAX),
    ("tagfilter", Command::TagFilter, false, 0, usize::MAX),
    ("set", Command::Set, true, 0, usize::MAX),
    ("create", Command::Create, true, 0, 0),
    ("delete", Command::Delete, true, 0, 0),
    ("updatelog", Command::UpdateLog, true, 0, 0),
    ("checkmethods", Command::CheckMethods, false, 0, 0),
    ("status", Command::Status, false, 0, 1),
];

/// What the command line `p` of `tool` asks for, or why it cannot be read (a usage error).
pub fn plan(tool: Tool, p: &Parsed) -> Result<Plan, String> {
    let mut flags = Vec::new();
    let mut flag = |option: &str, value: Option<&str>| {
        if let Some(v) = value {
            flags.push((option.to_string(), Value::Str(v.to_string())));
        }
    };
    flag("textid", p.value("textid"));
    flag("url", p.value("url"));
    if tool == Tool::Api {
        flag("apiKey", p.value("key"));
    }
    if p.has("direct") {
        flags.push(("direct".to_string(), Value::Bool(true)));
    }
    let action = match tool {
        Tool::Update => update(p, &mut flags)?,
        Tool::Api if p.positionals.first().is_some_and(|w| w == "sync") => sync(p)?,
        Tool::Api => Action::Api(api_command(p, &mut flags)?),
    };
    Ok(Plan { flags, action })
}

fn update(p: &Parsed, flags: &mut Vec<(String, Value)>) -> Result<Action, String> {
    p.refuse_unknown()?;
    if let Some(name) = p.value("exec") {
        return exec(p, name, flags);
    }
    let (name, status) = match p.positionals.as_slice() {
        [name, status] => (name, status),
        [] => return Err("the following arguments are required: NAME, VALUE".into()),
        [_] => return Err("the following arguments are required: VALUE".into()),
        [_, _, extra @ ..] => return Err(format!("unrecognized arguments: {}", extra.join(" "))),
    };
    Ok(Action::Update {
        name: split_textid(name, flags)?,
        status: status.clone(),
        details: p.value("details").map(String::from),
        options: indicator_options(p),
    })
}

/// `--exec NAME -- COMMAND [ARGS...]`. The command must follow `--`, so that its own options
/// (`-v`, `-d`...) can never be taken for okerrupdate's; the details are the run's, so `-d`
/// is refused, and so is `--json`, since stdout belongs to the command.
fn exec(p: &Parsed, name: &str, flags: &mut Vec<(String, Value)>) -> Result<Action, String> {
    for (option, why) in [
        (
            "details",
            "-d/--details: the details say how the command ended",
        ),
        ("json", "--json: standard output is the command's"),
    ] {
        if p.has(option) {
            return Err(format!("argument --exec: not allowed with argument {why}"));
        }
    }
    let before = p.dashdash.unwrap_or(p.positionals.len());
    if before > 0 {
        return Err(format!(
            "unrecognized arguments: {} (the command goes after --: --exec NAME -- COMMAND [ARGS...])",
            p.positionals[..before].join(" ")
        ));
    }
    let command = p.positionals[before..].to_vec();
    if command.is_empty() {
        return Err(
            "the following arguments are required: COMMAND (--exec NAME -- COMMAND [ARGS...])"
                .into(),
        );
    }
    Ok(Action::Exec {
        name: split_textid(name, flags)?,
        command,
        options: indicator_options(p),
    })
}

/// The indicator options of `okerrupdate`: `-m`, `-p`, `--desc`, `-S`.
fn indicator_options(p: &Parsed) -> Vec<(String, Value)> {
    let text = |v: &str| Value::Str(v.to_string());
    // The Python tool always sends these three, with these defaults.
    let mut options = vec![
        (
            "method".to_string(),
            text(p.value("method").unwrap_or("heartbeat")),
        ),
        (
            "policy".to_string(),
            text(p.value("policy").unwrap_or("Default")),
        ),
        ("desc".to_string(), text(p.value("desc").unwrap_or(""))),
    ];
    if let Some(secret) = p.value("secret") {
        options.push(("secret".to_string(), text(secret)));
    }
    options
}

/// `sync FILE`: one file, no indicator name (the specs name their indicators).
fn sync(p: &Parsed) -> Result<Action, String> {
    p.refuse_unknown()?;
    if p.has("name") {
        return Err("command 'sync' takes no -n: the specs name their indicators".into());
    }
    match p.positionals.as_slice() {
        [_, file] => Ok(Action::Sync { file: file.clone() }),
        args => Err(format!(
            "command 'sync' takes exactly one argument (FILE, a JSON array of specs), got {}",
            args.len() - 1
        )),
    }
}

fn api_command(p: &Parsed, flags: &mut Vec<(String, Value)>) -> Result<ApiCommand, String> {
    let Some((word, args)) = p.positionals.split_first() else {
        return Err("the following arguments are required: COMMAND".into());
    };
    let Some(&(_, command, needs_name, min, max)) = COMMANDS.iter().find(|c| c.0 == word) else {
        p.refuse_unknown()?;
        let known: Vec<&str> = COMMANDS.iter().map(|c| c.0).chain(["sync"]).collect();
        return Err(format!(
            "unknown command {}; commands: {}",
            quoted(word),
            known.join(", ")
        ));
    };
    // Filter terms may start with '-' (`-silent`); any other command refuses what is not
    // an option, as argparse does.
    if !matches!(command, Command::Filter | Command::TagFilter) {
        p.refuse_unknown()?;
    }
    if args.len() < min || args.len() > max {
        let wanted = match (min, max) {
            (0, 0) => String::from("no arguments"),
            (0, 1) => String::from("at most one argument"),
            _ => String::from("exactly one argument"),
        };
        return Err(format!(
            "command '{word}' takes {wanted}, got {}",
            args.len()
        ));
    }
    let name = match p.value("name") {
        Some(n) => Some(split_textid(n, flags)?),
        None if needs_name => {
            return Err(format!(
                "command '{word}' needs the indicator name: -n NAME"
            ))
        }
        None => None,
    };
    Ok(ApiCommand {
        command,
        name,
        args: args.to_vec(),
    })
}

/// `NAME@TEXTID`: the name, with the textid put among the flags after `-i`, so it wins as in
/// the Python tool. Indicator names cannot hold `@` (it is repaired to `_`), so the last `@`
/// is the one that separates.
fn split_textid(arg: &str, flags: &mut Vec<(String, Value)>) -> Result<String, String> {
    match arg.rsplit_once('@') {
        None => Ok(arg.to_string()),
        Some((_, "")) => Err(format!(
            "{} has no textid after '@' (NAME@TEXTID)",
            quoted(arg)
        )),
        Some((name, textid)) => {
            flags.push(("textid".to_string(), Value::Str(textid.to_string())));
            Ok(name.to_string())
        }
    }
}

impl ApiCommand {
    /// The API call this command makes for the project configured as `c`.
    pub fn call(&self, c: &ProjectConfig) -> Result<Call, Error> {
        let name = self.name.as_deref().unwrap_or("");
        let first = self.args.first().map(String::as_str);
        match self.command {
            Command::Indicators => api::list_indicators(c, first),
            Command::Indicator => api::get_indicator(c, name),
            Command::Get => api::get_arg(c, name, first.unwrap_or("")),
            Command::Filter => api::filter(c, &self.args),
            Command::TagFilter => api::tag_filter(c, &self.args),
            Command::Set => api::set_args(c, name, &key_values(&self.args)?),
            Command::Create => api::create_indicator(c, name),
            Command::Delete => api::delete_indicator(c, name),
            Command::UpdateLog => api::update_log(c, name),
            Command::CheckMethods => Ok(api::check_methods()),
            Command::Status => api::status_page(c, first),
        }
    }
}

/// `k=v` arguments as fields; the value is everything after the first `=`.
fn key_values(args: &[String]) -> Result<Vec<(String, Value)>, Error> {
    args.iter()
        .map(|arg| match arg.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.to_string(), Value::Str(v.to_string()))),
            _ => Err(Error::invalid(format!(
                "Specify arguments as key=value, not {}",
                quoted(arg)
            ))),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::args::parse;
    use super::*;
    use crate::error::Code;

    fn plan_of(tool: Tool, line: &[&str]) -> Result<Plan, String> {
        let argv: Vec<String> = line.iter().map(|a| a.to_string()).collect();
        plan(tool, &parse(tool.options(), &argv).unwrap())
    }

    fn s(v: &str) -> Value {
        Value::Str(v.into())
    }

    fn usage(r: Result<Plan, String>) -> String {
        r.unwrap_err()
    }

    #[test]
    fn okerrupdate_sends_what_the_python_tool_sends() {
        let p = plan_of(
            Tool::Update,
            &[
                "-i",
                "flag",
                "--url",
                "http://x/",
                "--direct",
                "-S",
                "sec",
                "-d",
                "det",
                "a@proj",
                "OK",
            ],
        )
        .unwrap();
        assert_eq!(
            p.flags,
            [
                ("textid".to_string(), s("flag")),
                ("url".into(), s("http://x/")),
                ("direct".into(), Value::Bool(true)),
                ("textid".into(), s("proj")),
            ],
            "NAME@TEXTID comes after -i, so it wins"
        );
        assert_eq!(
            p.action,
            Action::Update {
                name: "a".into(),
                status: "OK".into(),
                details: Some("det".into()),
                options: vec![
                    ("method".into(), s("heartbeat")),
                    ("policy".into(), s("Default")),
                    ("desc".into(), s("")),
                    ("secret".into(), s("sec")),
                ],
            }
        );
        let p = plan_of(
            Tool::Update,
            &["-m", "numerical", "-p", "Daily", "--desc", "D", "t", "-5"],
        )
        .unwrap();
        let Action::Update {
            status, options, ..
        } = p.action
        else {
            panic!()
        };
        assert_eq!(status, "-5");
        assert_eq!(
            options[..3],
            [
                ("method".into(), s("numerical")),
                ("policy".into(), s("Daily")),
                ("desc".into(), s("D"))
            ]
        );
    }

    #[test]
    fn okerrupdate_usage_errors() {
        assert_eq!(
            usage(plan_of(Tool::Update, &[])),
            "the following arguments are required: NAME, VALUE"
        );
        assert_eq!(
            usage(plan_of(Tool::Update, &["a"])),
            "the following arguments are required: VALUE"
        );
        assert_eq!(
            usage(plan_of(Tool::Update, &["a", "OK", "x", "y"])),
            "unrecognized arguments: x y"
        );
        assert!(usage(plan_of(Tool::Update, &["a@", "OK"])).contains("no textid"));
    }

    #[test]
    fn okerrapi_commands() {
        let c = ProjectConfig::from_pairs(&[("textid".into(), s("p")), ("apiKey".into(), s("k"))])
            .unwrap();
        let path = |line: &[&str]| {
            let Action::Api(cmd) = plan_of(Tool::Api, line).unwrap().action else {
                panic!()
            };
            let call = cmd.call(&c).unwrap();
            format!("{} {}", call.method, call.path)
        };
        assert_eq!(path(&["indicators"]), "GET api/indicators/p");
        assert_eq!(path(&["indicators", "srv:"]), "GET api/indicators/p/srv%3A");
        assert_eq!(path(&["-n", "a", "indicator"]), "GET api/indicator/p/a");
        assert_eq!(path(&["get", "days", "-n", "a"]), "GET api/get/p/a/days");
        assert_eq!(
            path(&["filter", "sslcert", "OK", "host=okerr.com"]),
            "GET api/filter/p/sslcert/OK/host%3Dokerr.com"
        );
        assert_eq!(path(&["tagfilter", "a", "-b"]), "GET api/tagfilter/p/a/-b");
        assert_eq!(
            path(&["-n", "a", "set", "days=20", "desc=a=b"]),
            "POST api/set/p/a"
        );
        assert_eq!(path(&["-n", "a", "create"]), "POST api/create/p/a");
        assert_eq!(path(&["-n", "a", "delete"]), "POST api/delete/p/a");
        assert_eq!(path(&["-n", "a", "updatelog"]), "GET api/updatelog/p/a");
        assert_eq!(path(&["checkmethods"]), "GET api/checkmethods");
        assert_eq!(path(&["status"]), "GET jstatus/p/index");
        assert_eq!(path(&["status", "ops"]), "GET jstatus/p/ops");
        let p = plan_of(
            Tool::Api,
            &["-k", "KEY", "-i", "x", "-n", "a@proj", "indicator"],
        )
        .unwrap();
        assert_eq!(
            p.flags,
            [
                ("textid".to_string(), s("x")),
                ("apiKey".into(), s("KEY")),
                ("textid".into(), s("proj"))
            ]
        );
    }

    #[test]
    fn okerrapi_mistakes() {
        assert_eq!(
            usage(plan_of(Tool::Api, &[])),
            "the following arguments are required: COMMAND"
        );
        assert!(usage(plan_of(Tool::Api, &["list"]))
            .starts_with("unknown command 'list'; commands: indicators, "));
        assert_eq!(
            usage(plan_of(Tool::Api, &["indicator"])),
            "command 'indicator' needs the indicator name: -n NAME"
        );
        assert_eq!(
            usage(plan_of(Tool::Api, &["-n", "a", "get"])),
            "command 'get' takes exactly one argument, got 0"
        );
        assert_eq!(
            usage(plan_of(Tool::Api, &["-n", "a", "delete", "x"])),
            "command 'delete' takes no arguments, got 1"
        );
        assert_eq!(
            usage(plan_of(Tool::Api, &["indicators", "a", "b"])),
            "command 'indicators' takes at most one argument, got 2"
        );
        let c = ProjectConfig::from_pairs(&[("textid".into(), s("p")), ("apiKey".into(), s("k"))])
            .unwrap();
        for bad in [
            &["-n", "a", "set", "days"][..],
            &["-n", "a", "set", "=1"],
            &["-n", "a", "set"],
        ] {
            let Action::Api(cmd) = plan_of(Tool::Api, bad).unwrap().action else {
                panic!()
            };
            assert_eq!(
                cmd.call(&c).unwrap_err().code,
                Code::InvalidArgument,
                "{bad:?}"
            );
        }
    }
}
