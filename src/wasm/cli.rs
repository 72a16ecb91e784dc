//! The entry of the package's `bin` scripts (`okerrupdate`, `okerrapi`): they hand over argv,
//! the environment and the config files' text, and print what the core writes.

use super::convert;
use super::js_runtime::JsRuntime;
use crate::cli::{self, ChildEnd, Console, FileText, Invocation, Launched, Launcher, Stream, Tool};
use crate::log::Level;
use crate::value::Value;
use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

/// The config files the tools may read, in lookup order, for the home directory `home`.
#[wasm_bindgen(js_name = __cliConfigPaths, skip_typescript)]
pub fn cli_config_paths(home: Option<String>) -> Vec<String> {
    cli::config_paths(home.as_deref())
}

/// The files the command line `argv` of `tool` names besides the configuration (`okerrapi sync
/// FILE`): the bin script reads each into `files`, noting every error.
#[wasm_bindgen(js_name = __cliInputPaths, skip_typescript)]
pub fn cli_input_paths(tool: String, argv: Vec<String>) -> Vec<String> {
    Tool::from_name(&tool).map_or_else(Vec::new, |t| cli::input_paths(t, &argv))
}

/// Run `tool` ("okerrupdate" or "okerrapi") with `argv`; `env` is `process.env`, `files` maps
/// each config path that exists to its text or to `{ error }` when it could not be read, and
/// `write(fd, text)` prints to stdout (1) or stderr (2); `spawn(argv)` runs a command for
/// `--exec` (see [`JsLauncher`]). Resolves to the exit status.
#[wasm_bindgen(js_name = __runCli, skip_typescript)]
pub fn run_cli(
    tool: String,
    argv: Vec<String>,
    env: JsValue,
    home: Option<String>,
    files: JsValue,
    write: Function,
    spawn: Function,
) -> Promise {
    let console = JsConsole(write);
    let Some(tool) = Tool::from_name(&tool) else {
        console.write(Stream::Err, &format!("unknown tool '{tool}'\n"));
        return Promise::resolve(&JsValue::from(2));
    };
    let inputs = convert::env(&env).and_then(|env| {
        convert::options(&files, "config files").map(|files| (env, file_texts(files)))
    });
    let (env, files) = match inputs {
        Ok(inputs) => inputs,
        Err(e) => {
            console.write(Stream::Err, &format!("{}\n", e.message));
            return Promise::resolve(&JsValue::from(1));
        }
    };
    let inv = Invocation {
        tool,
        argv: &argv,
        env: &env,
        home: home.as_deref(),
        files: &files,
    };
    // The library's own project type: the tools share its compiled code instead of adding a
    // second copy of the client to the .wasm.
    let prepared = match cli::prepare(&console, &inv) {
        Ok(prepared) => prepared,
        Err(code) => return Promise::resolve(&JsValue::from(code)),
    };
    let rt = JsRuntime::new(None, Some(logger(&console.0, prepared.logs_to_stderr())));
    future_to_promise(async move {
        let code = cli::execute(&rt, &console, &JsLauncher(spawn), &prepared).await;
        Ok(JsValue::from(code))
    })
}

/// A console-like logger whose lines go where the core says: `{ debug, info, warn, error }`,
/// each writing one line to stdout or stderr through `write`.
fn logger(write: &Function, json: bool) -> JsValue {
    let object = Object::new();
    for level in [Level::Debug, Level::Info, Level::Warn, Level::Error] {
        let console = JsConsole(write.clone());
        let stream = cli::log_stream(level, json);
        // One run per process: the few closures live as long as it does.
        let line = Closure::<dyn Fn(String)>::new(move |message: String| {
            console.write(stream, &(message + "\n"))
        })
        .into_js_value();
        let _ = Reflect::set(&object, &level.method().into(), &line);
    }
    object.into()
}

fn file_texts(files: Vec<(String, Value)>) -> Vec<(String, FileText)> {
    files
        .into_iter()
        .filter_map(|(path, v)| match v {
            Value::Str(text) => Some((path, FileText::Text(text))),
            Value::Map(fields) => {
                let why = fields
                    .into_iter()
                    .find(|(k, _)| k == "error")
                    .map_or_else(|| String::from("unreadable"), |(_, v)| v);
                Some((path, FileText::Unreadable(why)))
            }
            _ => None,
        })
        .collect()
}

/// The bin script's `spawn(argv)`: it runs the command with the terminal's stdin and stdout,
/// passes its stderr through, and resolves to `{ code, signal, signalNumber, error, message,
/// lastLine, cut }` (an exit `code`; or the `signal` that ended it; or the `error` code that
/// kept it from starting).
struct JsLauncher(Function);

impl Launcher for JsLauncher {
    async fn launch(&self, command: &[String]) -> Launched {
        let argv: Array = command.iter().map(|a| JsValue::from_str(a)).collect();
        let ended = match self.0.call1(&JsValue::UNDEFINED, &argv) {
            Ok(pending) => JsFuture::from(Promise::resolve(&pending)).await,
            Err(thrown) => Err(thrown),
        };
        let ended = ended.unwrap_or_else(|e| {
            let o = Object::new();
            let _ = Reflect::set(&o, &"error".into(), &"ERROR".into());
            let _ = Reflect::set(&o, &"message".into(), &text(&e, "message").into());
            o.into()
        });
        let number = |key: &str| {
            Reflect::get(&ended, &key.into())
                .ok()
                .and_then(|v| v.as_f64())
        };
        let end = match (
            text(&ended, "error"),
            text(&ended, "signal"),
            number("code"),
        ) {
            (Some(code), _, _) => {
                ChildEnd::NotStarted(code, text(&ended, "message").unwrap_or_default())
            }
            (None, Some(signal), _) => {
                let n = number("signalNumber").unwrap_or(0.0);
                ChildEnd::Killed(signal, n as i32)
            }
            (None, None, Some(code)) => ChildEnd::Exited(code as i32),
            (None, None, None) => ChildEnd::NotStarted("ERROR".into(), "no exit status".into()),
        };
        Launched {
            end,
            last_line: text(&ended, "lastLine"),
            cut: Reflect::get(&ended, &"cut".into()).is_ok_and(|v| v.is_truthy()),
        }
    }
}

fn text(v: &JsValue, key: &str) -> Option<String> {
    Reflect::get(v, &key.into())
        .ok()
        .and_then(|v| v.as_string())
}

struct JsConsole(Function);

impl Console for JsConsole {
    fn write(&self, stream: Stream, text: &str) {
        let fd = match stream {
            Stream::Out => 1,
            Stream::Err => 2,
        };
        // Everything the tools print passes the secret boundary. A failing write (a closed
        // pipe) must not stop the run: the exit status still counts.
        let text = JsValue::from_str(&crate::redact::scrub(text));
        let _ = self.0.call2(&JsValue::UNDEFINED, &JsValue::from(fd), &text);
    }
}
