//! `project.sync(specs)` and `okerrapi sync FILE`: apply indicator settings to indicators that
//! already exist.
//!
//! The server applies an update's `method` (codename and arguments), `policy`, `tags` and `desc`
//! only when that update creates the indicator (`Indicator.update` reads them inside its
//! autocreate branch): a limit changed in code is accepted with `200 OK` by every update and
//! never takes effect. Sync reads each indicator (`getIndicator`), compares it with its spec
//! ([`plan`], plain and pure), and applies the difference with one `setArgs` call per indicator,
//! under the rules of the server's `api_set` view (okerrui/views.py):
//!
//! - `checkmethod` is handled before any argument and resets every argument to the new
//!   method's default (`setdefargs`), so the spec's arguments all go in the same call;
//! - an argument name the method does not know is ignored by `setarg`: a spec naming one is
//!   refused before anything is sent ([`METHOD_ARGS`]);
//! - tags cannot be set through the API (only the web UI changes them): a difference is
//!   reported as drift, never claimed as applied;
//! - an unknown policy is a 404 (`No such policy`) answered before anything is saved; the
//!   server has no API that lists a project's policies to an API key (its `pjson` view needs a
//!   logged-in member, `api_profile` a trusted address), so such a spec cannot be refused
//!   beforehand: it is reported for its indicator, and the others go on;
//! - indicators that no spec names are never read or touched, and a missing one is reported,
//!   not created (its first update creates it with the same settings).

use super::{Answer, Call};
use crate::error::{Code, Error};
use crate::log::Level;
use crate::project::Project;
use crate::project_config::{optional_text, text, ProjectConfig};
use crate::redact::{Secrets, MASK};
use crate::runtime::Runtime;
use crate::text::{decimal, fill, quoted};
use crate::value::Value;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// The fields a spec may have, as messages list them.
pub const SPEC_FIELDS: &str = "name, method, policy, desc, tags";

/// The argument names of every check method the server knows (`CheckMethod.cmconf` in
/// okerrui/models.py). `Indicator.setarg` ignores any other name without a word, so a spec that
/// named one would be "applied" and change nothing.
pub const METHOD_ARGS: [(&str, &[&str]); 14] = [
    ("heartbeat", &["patience", "secret"]),
    (
        "numerical",
        &[
            "current", "patience", "secret", "minlim", "maxlim", "diffmin", "diffmax",
        ],
    ),
    ("string", &["str", "patience", "secret", "options"]),
    ("sslcert", &["host", "port", "days", "options"]),
    ("logic", &["expr", "dump", "init"]),
    ("ping", &["host"]),
    ("tcpport", &["host", "port", "substr"]),
    ("httpstatus", &["url", "options", "status"]),
    ("httpgrep", &["url", "musthave", "mustnothave", "options"]),
    ("sha1static", &["url", "hash", "options"]),
    ("sha1dynamic", &["url", "hash", "options"]),
    ("whois", &["domain", "days"]),
    ("dns", &["host", "type", "options", "value"]),
    ("dnsbl", &["host", "skip", "extra"]),
];

/// Names and texts in order: a plan's fields, an indicator's arguments.
pub type Pairs = Vec<(String, String)>;

/// Drift code: tags differ, and only okerr's web UI changes them.
pub const UI_ONLY: &str = "UI_ONLY";
/// Drift code: the server has no policy of the spec's name (`setArgs` answered 404 `No such
/// policy` and changed nothing of that indicator).
pub const NO_SUCH_POLICY: &str = "NO_SUCH_POLICY";
/// Drift code: the server accepted the call, but its answer (`Changed NAME {...}`, which names
/// every field it changed) does not name this one.
pub const NOT_APPLIED: &str = "NOT_APPLIED";

/// One indicator's settings as code wants them. A field the spec leaves out is not compared
/// and not changed.
#[derive(Clone, PartialEq)]
pub struct Spec {
    /// The name as the server knows it: prefixed and repaired like an update's.
    pub name: String,
    /// The check method's codename and the arguments the spec names.
    pub method: Option<Method>,
    /// The policy's name.
    pub policy: Option<String>,
    /// The description.
    pub desc: Option<String>,
    /// The user's tags.
    pub tags: Option<Vec<String>>,
}

impl std::fmt::Debug for Spec {
    // An argument may be the indicator's own secret: only the name is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Spec({})", self.name)
    }
}

/// A method line read as the server reads it when it creates an indicator.
#[derive(Clone, PartialEq)]
pub struct Method {
    /// The codename (`numerical`).
    pub codename: String,
    /// Each named argument once (the last value of a name wins, as in the server's dict), with
    /// the value as the server stores it: stripped (`v.strip()`, then `fixarg`).
    pub args: Vec<(String, String)>,
}

impl std::fmt::Debug for Method {
    // An argument may be the indicator's own secret: only the codename is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Method({})", self.codename)
    }
}

/// Check every spec (each a plain object's fields) against the project's settings: names are
/// prepared as for updates, and one bad spec refuses them all before anything is sent.
pub fn specs(c: &ProjectConfig, items: &[Vec<(String, Value)>]) -> Result<Vec<Spec>, Error> {
    let mut out: Vec<Spec> = Vec::with_capacity(items.len());
    for (i, fields) in items.iter().enumerate() {
        let spec = crate::redact::holding(&crate::redact::secrets_in(fields), || {
            spec(c, fields).map_err(|e| Error {
                message: fill("specs[{}]: {}", &[&decimal(i as u64), &e.message]),
                ..e
            })
        })?;
        if out.iter().any(|s| s.name == spec.name) {
            return Err(Error::invalid_with(
                "specs[{}]: indicator {} has a spec already (each indicator once)",
                &[&decimal(i as u64), &quoted(&spec.name)],
            ));
        }
        out.push(spec);
    }
    Ok(out)
}

fn spec(c: &ProjectConfig, fields: &[(String, Value)]) -> Result<Spec, Error> {
    let mut name = None;
    let mut spec = Spec {
        name: String::new(),
        method: None,
        policy: None,
        desc: None,
        tags: None,
    };
    for (key, value) in fields {
        if matches!(value, Value::Absent) {
            continue;
        }
        match key.as_str() {
            "name" => name = Some(text(key, value)?),
            "method" => spec.method = Some(method(&text(key, value)?)?),
            "policy" => spec.policy = optional_text(key, value)?,
            "desc" => spec.desc = Some(crate::indicator::long_text(key, value)?),
            "tags" => spec.tags = Some(tags(value)?),
            other => {
                return Err(Error::invalid_with(
                    "unknown spec field {}; a spec has {}",
                    &[&quoted(other), SPEC_FIELDS],
                ))
            }
        }
    }
    let name = name.ok_or_else(|| Error::invalid("a spec needs a name"))?;
    spec.name = crate::name::prepare(&name, c.prefix.as_deref())?;
    Ok(spec)
}

/// A method line checked as `indicator()` checks it, then read into its codename and
/// arguments; an argument name the method does not have is refused.
fn method(line: &str) -> Result<Method, Error> {
    crate::method::parse(line)?;
    let mut parts = crate::text::pieces(line, b'|');
    let codename = parts.next().unwrap_or("").to_string();
    let known = METHOD_ARGS
        .iter()
        .find(|(c, _)| *c == codename)
        .map_or(&[][..], |(_, args)| *args);
    let mut args: Vec<(String, String)> = Vec::new();
    // `parse` has checked that every part is one `name=value`.
    for (key, value) in parts.filter_map(|p| crate::text::split_once(p, b'=')) {
        let key = crate::pynum::strip(key);
        if !known.contains(&key) {
            let mut list = String::new();
            for (i, arg) in known.iter().enumerate() {
                if i > 0 {
                    list.push_str(", ");
                }
                list.push_str(arg);
            }
            return Err(Error::invalid_with(
                "method {} has no argument {} (the server would ignore it); its arguments: {}",
                &[&quoted(&codename), &quoted(key), &list],
            ));
        }
        let value = crate::pynum::strip(value).to_string();
        match args.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => args.push((key.to_string(), value)),
        }
    }
    Ok(Method { codename, args })
}

fn tags(value: &Value) -> Result<Vec<String>, Error> {
    let list = match value {
        Value::List(items) => items.clone(),
        Value::Str(s) => crate::tags::split(s),
        other => {
            return Err(Error::invalid_with(
                "tags must be an array of strings or a comma-separated string, got {}",
                &[other.type_name()],
            ))
        }
    };
    crate::tags::join(&list)?;
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    for tag in list {
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    Ok(out)
}

/// `sync()`'s options: `{ dryRun }`.
pub fn dry_run(options: &[(String, Value)]) -> Result<bool, Error> {
    let mut dry = false;
    for (key, value) in options {
        match (key.as_str(), value) {
            (_, Value::Absent) => {}
            ("dryRun", Value::Bool(b)) => dry = *b,
            ("dryRun", other) => {
                return Err(Error::invalid_with(
                    "option dryRun must be true or false, got {}",
                    &[other.type_name()],
                ))
            }
            (other, _) => {
                return Err(Error::invalid_with(
                    "unknown sync option {}; known options: dryRun",
                    &[&quoted(other)],
                ))
            }
        }
    }
    Ok(dry)
}

/// What sync reads of an indicator as `getIndicator` describes it.
#[derive(Clone, PartialEq)]
pub struct Server {
    /// The indicator's name.
    pub name: String,
    /// Its check method's codename.
    pub checkmethod: String,
    /// Its arguments, as the server stores them (text).
    pub args: Vec<(String, String)>,
    /// Its policy's name.
    pub policy: String,
    /// Its description.
    pub desc: String,
    /// The user's tags alone (see [`Server::read`]).
    pub tags: Vec<String>,
}

impl std::fmt::Debug for Server {
    // The arguments may hold the indicator's own secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Server({} {})", self.name, self.checkmethod)
    }
}

impl Server {
    /// The fields of `getIndicator`'s JSON object, or `None` when they are not what okerr
    /// sends. Its `tags` mix the server's own with the user's: `Indicator.tags()` lists the
    /// flags, the codename, `passive`/`active`, perhaps `ATTENTION`, then `policy:NAME` of the
    /// indicator's policy, and the user's tags after it. Only those after that first
    /// `policy:NAME` are the user's (a user tag may be `OK`, or even `policy:Daily`).
    pub fn read(fields: &[(String, Value)]) -> Option<Server> {
        let get = |key: &str| fields.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        let text = |key: &str| match get(key) {
            Some(Value::Str(s)) => Some(s.clone()),
            _ => None,
        };
        let policy = text("policyname")?;
        let args = match get("args")? {
            Value::Map(args) => args.clone(),
            _ => return None,
        };
        let all = match get("tags")? {
            Value::List(tags) => tags,
            _ => return None,
        };
        let policy_tag = fill("policy:{}", &[&policy]);
        let at = all.iter().position(|t| *t == policy_tag)?;
        Some(Server {
            name: text("name")?,
            checkmethod: text("checkmethod")?,
            args,
            policy,
            desc: text("desc")?,
            tags: all[at + 1..].to_vec(),
        })
    }

    fn arg(&self, name: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What one indicator needs: the fields of its `setArgs` call, in the order they are sent,
/// the server's values of those it has, and what differs that sync cannot apply.
#[derive(Debug, Default, PartialEq)]
pub struct Plan {
    /// Field and value, under the server's names: `checkmethod` first when the codename
    /// differs, then the method's arguments, `policy`, `desc`.
    pub set: Vec<(String, String)>,
    /// The server's value of each field in `set` that it has (an argument of another method
    /// it does not).
    pub was: Vec<(String, String)>,
    /// What differs and cannot be applied.
    pub drift: Vec<Drift>,
}

/// Compare `spec` with the indicator as the server describes it.
pub fn plan(spec: &Spec, server: &Server) -> Plan {
    let mut plan = Plan::default();
    let mut change = |field: &str, new: &str, old: Option<&str>| {
        plan.set.push((field.to_string(), new.to_string()));
        if let Some(old) = old {
            plan.was.push((field.to_string(), old.to_string()));
        }
    };
    if let Some(m) = &spec.method {
        let new_method = m.codename != server.checkmethod;
        if new_method {
            change("checkmethod", &m.codename, Some(&server.checkmethod));
        }
        for (name, value) in &m.args {
            let old = server.arg(name);
            // A new method resets every argument to its default: each one the spec names goes
            // again, even where the old method held the same value.
            if new_method || old != Some(value.as_str()) {
                change(name, value, old);
            }
        }
    }
    if let Some(p) = spec.policy.as_deref().filter(|p| *p != server.policy) {
        change("policy", p, Some(&server.policy));
    }
    if let Some(d) = spec.desc.as_deref().filter(|d| *d != server.desc) {
        change("desc", d, Some(&server.desc));
    }
    if let Some(tags) = &spec.tags {
        let same = tags.len() == server.tags.len() && tags.iter().all(|t| server.tags.contains(t));
        if !same {
            plan.drift.push(Drift {
                name: spec.name.clone(),
                field: String::from("tags"),
                server: Held::Tags(server.tags.clone()),
                code: String::from(UI_ONLY),
            });
        }
    }
    plan
}

/// What `sync()` resolves to.
#[derive(Debug, Default, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncResult {
    /// Whether this was a dry run (nothing was changed; `changed` says what would be).
    pub dry_run: bool,
    /// Indicators changed (or, in a dry run, to change), one `setArgs` call each.
    pub changed: Vec<Change>,
    /// Indicators that already match their specs.
    pub unchanged: Vec<String>,
    /// Indicators that do not exist: not created (the first update creates each, with the
    /// spec's settings).
    pub missing: Vec<String>,
    /// Differences that were not applied, with why.
    pub drift: Vec<Drift>,
}

impl SyncResult {
    /// Whether something failed: a call refused or lost, or a change the server did not
    /// confirm. Tags that only the web UI can change are no failure of sync.
    pub fn failed(&self) -> bool {
        self.drift.iter().any(|d| d.code != UI_ONLY)
    }
}

/// One indicator's change.
#[derive(Debug, PartialEq, serde::Serialize)]
pub struct Change {
    /// The indicator.
    pub name: String,
    /// The fields sent, as [`Plan::set`]; an indicator's own `secret` masked.
    pub set: Fields,
    /// The server's values before, as [`Plan::was`]; a `secret` masked.
    pub was: Fields,
}

/// A difference between a spec and the server that sync did not apply.
#[derive(Debug, PartialEq, serde::Serialize)]
pub struct Drift {
    /// The indicator.
    pub name: String,
    /// The field, under the server's name (`tags`, `policy`, `maxlim`...).
    pub field: String,
    /// The server's value, which is still in force.
    pub server: Held,
    /// Why: [`UI_ONLY`], [`NO_SUCH_POLICY`], [`NOT_APPLIED`], or the code of the error that
    /// stopped the indicator's call (`NETWORK`, `FORBIDDEN`...).
    pub code: String,
}

/// A server's value in a [`Drift`].
#[derive(Debug, Clone, PartialEq)]
pub enum Held {
    /// A text field.
    Text(String),
    /// The user's tags.
    Tags(Vec<String>),
    /// The server has no such field (an argument of another method).
    Nothing,
}

impl Serialize for Held {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Held::Text(t) => s.serialize_str(t),
            Held::Tags(tags) => {
                let mut seq = s.serialize_seq(Some(tags.len()))?;
                for t in tags {
                    seq.serialize_element(t)?;
                }
                seq.end()
            }
            Held::Nothing => s.serialize_none(),
        }
    }
}

/// Fields as an object of strings, in their order.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Fields(pub Vec<(String, String)>);

impl Serialize for Fields {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// A JSON object's fields, parsed by whatever the caller has (the JS face: the runtime's
/// `JSON.parse`; the command-line tools: serde_json), or `None` when the text is not one.
pub type ReadJson<'a> = &'a dyn Fn(&str) -> Option<Vec<(String, Value)>>;

/// Read every spec's indicator, then (unless `dry_run`) apply each plan with one `setArgs`
/// call, as [`Steps`] says. A failure while reading rejects the whole call with nothing
/// changed; a failure of one indicator's call is reported in `drift` (and logged at `warn`),
/// and the others go on.
pub async fn run<R: Runtime>(
    project: &Project,
    rt: &R,
    specs: Vec<Spec>,
    dry_run: bool,
    read_json: ReadJson<'_>,
) -> Result<SyncResult, Error> {
    let mut steps = Steps::new(specs, dry_run);
    while let Some(call) = steps.next(project.config())? {
        let answer = super::send(project, rt, &call).await;
        let _in = project.enter();
        steps.took(&call, answer, read_json)?;
        if let Some(warning) = steps.warning.take() {
            project.log(rt, Level::Warn, &warning);
        }
    }
    Ok(steps.result)
}

/// One sync as plain steps: [`Steps::next`] names the call to send, [`Steps::took`] reads
/// its answer. First every spec's indicator is read, then each plan is applied in spec order.
pub struct Steps {
    specs: Vec<Spec>,
    dry_run: bool,
    /// The indicators read so far, one per spec in order (`None`: missing).
    servers: Vec<Option<Server>>,
    /// The next spec to plan, once every indicator is read.
    at: usize,
    /// The `setArgs` call in flight: its spec, and its plan's `set` and `was`.
    applying: Option<(usize, Pairs, Pairs)>,
    /// The specs' own secrets (`secret=` arguments) and those read from the server, masked in
    /// everything this sync says, like the project's.
    secrets: Secrets,
    /// A line to log at `warn`: why an indicator's call failed.
    pub warning: Option<String>,
    /// What the sync has come to so far.
    pub result: SyncResult,
}

impl Steps {
    /// The steps of syncing `specs`.
    pub fn new(specs: Vec<Spec>, dry_run: bool) -> Steps {
        let mut secrets = Secrets::default();
        for (k, v) in specs
            .iter()
            .flat_map(|s| s.method.iter().flat_map(|m| &m.args))
        {
            if k == "secret" {
                secrets.add(v);
            }
        }
        Steps {
            servers: Vec::with_capacity(specs.len()),
            specs,
            dry_run,
            at: 0,
            applying: None,
            secrets,
            warning: None,
            result: SyncResult {
                dry_run,
                ..SyncResult::default()
            },
        }
    }

    /// The next call to send, or `None` when the sync is done.
    pub fn next(&mut self, c: &ProjectConfig) -> Result<Option<Call>, Error> {
        if let Some(spec) = self.specs.get(self.servers.len()) {
            return super::get_indicator(c, &spec.name).map(Some);
        }
        while let Some(spec) = self.specs.get(self.at) {
            let i = self.at;
            self.at += 1;
            let r = &mut self.result;
            let Some(server) = self.servers[i].take() else {
                r.missing.push(spec.name.clone());
                continue;
            };
            let Plan { set, was, drift } = plan(spec, &server);
            r.drift.extend(drift);
            if set.is_empty() {
                r.unchanged.push(spec.name.clone());
            } else if self.dry_run {
                r.changed.push(change(spec, set, was));
            } else {
                let fields: Vec<(String, Value)> = set
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::Str(v.clone())))
                    .collect();
                let call = super::set_args(c, &spec.name, &fields)?;
                self.applying = Some((i, set, was));
                return Ok(Some(call));
            }
        }
        Ok(None)
    }

    /// Read the answer to `call`, the call [`Steps::next`] named last. `Err` ends the sync:
    /// a read that failed (nothing has been changed yet).
    pub fn took(
        &mut self,
        call: &Call,
        answer: Result<Answer, Error>,
        read_json: ReadJson<'_>,
    ) -> Result<(), Error> {
        let _in = self.secrets.enter();
        let answer = answer.map_err(crate::redact::scrub_error);
        let Some((i, set, was)) = self.applying.take() else {
            let server = self.read(call, answer, read_json)?;
            if let Some(secret) = server.as_ref().and_then(|s| s.arg("secret")) {
                self.secrets.add(secret);
            }
            self.servers.push(server);
            return Ok(());
        };
        let spec = &self.specs[i];
        let held = |field: &str| {
            was.iter()
                .find(|(k, _)| k == field)
                .map_or(Held::Nothing, |(_, v)| Held::Text(masked(field, v)))
        };
        let r = &mut self.result;
        match answer {
            Ok(answer) => {
                let text = match &answer {
                    Answer::Text(t) => t.as_str(),
                    _ => "",
                };
                for (field, _) in &set {
                    if !confirms(text, field) {
                        r.drift
                            .push(drift_of(spec, field, held(field), NOT_APPLIED));
                    }
                }
                r.changed.push(change(spec, set, was));
            }
            Err(e) => {
                let refused_policy = e.code == Code::NotFound
                    && e.body
                        .as_deref()
                        .is_some_and(|b| b.starts_with("No such policy"));
                let code = if refused_policy {
                    NO_SUCH_POLICY
                } else {
                    e.code.as_str()
                };
                for (field, _) in &set {
                    r.drift.push(drift_of(spec, field, held(field), code));
                }
                self.warning = Some(fill("okerr sync: {}", &[&e.message]));
            }
        }
        Ok(())
    }

    /// The indicator a `getIndicator` answer describes, or `None` when it has none of that
    /// name (404 `No indicator with id NAME in project with textid T`; any other 404, such as
    /// the HTML page of an unknown project, is an error).
    fn read(
        &self,
        call: &Call,
        answer: Result<Answer, Error>,
        read_json: ReadJson<'_>,
    ) -> Result<Option<Server>, Error> {
        // Only a read is answered here; a caller that answers none it asked for gets an error.
        let Some(Spec { name, .. }) = self.specs.get(self.servers.len()) else {
            return Err(Error::invalid("sync: an answer came with no read pending"));
        };
        let text = match answer {
            Ok(Answer::Json(text)) => text,
            Ok(_) => String::new(),
            Err(e)
                if e.status == Some(404)
                    && e.body.as_deref().is_some_and(|b| {
                        crate::text::trim_start(b).starts_with("No indicator with id ")
                    }) =>
            {
                return Ok(None)
            }
            Err(e) => return Err(e),
        };
        read_json(&text)
            .and_then(|fields| Server::read(&fields))
            // A server that answered about another indicator must not be compared with this
            // spec.
            .filter(|s| s.name == *name)
            .map(Some)
            .ok_or_else(|| {
                Error::answered(
                    Code::Http,
                    fill(
                        "okerr could not {}: the answer is not the indicator okerr describes \
                         (an object with its name, checkmethod, args, policyname, desc and tags)",
                        &[&call.what],
                    ),
                    200,
                    &text,
                )
            })
    }
}

/// Whether `api_set`'s answer names `field` among those it changed: its `changed` dict, shown
/// as Python writes it (`{'checkmethod': 'heartbeat', 'description': 'x', 'maxlim': '40'}`;
/// `desc` is listed as `description`).
fn confirms(answer: &str, field: &str) -> bool {
    let key = if field == "desc" {
        "description"
    } else {
        field
    };
    crate::text::find(answer, &fill("'{}': ", &[key])).is_some()
}

fn drift_of(spec: &Spec, field: &str, server: Held, code: &str) -> Drift {
    Drift {
        name: spec.name.clone(),
        field: field.to_string(),
        server,
        code: code.to_string(),
    }
}

fn change(spec: &Spec, set: Pairs, was: Pairs) -> Change {
    Change {
        name: spec.name.clone(),
        set: shown(set),
        was: shown(was),
    }
}

/// An indicator's own secret is shown as the mask (an empty one, which means none, as it is).
fn masked(field: &str, value: &str) -> String {
    if field == "secret" && !value.is_empty() {
        String::from(MASK)
    } else {
        value.to_string()
    }
}

fn shown(fields: Pairs) -> Fields {
    Fields(
        fields
            .into_iter()
            .map(|(k, v)| {
                let v = masked(&k, &v);
                (k, v)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests;
