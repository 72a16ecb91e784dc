//! The tools' `--help` texts, written for the people who run them.

/// `okerrupdate`'s usage lines.
pub const UPDATE_USAGE: &str = "\
usage: okerrupdate [-h] [--version] [-i TEXTID] [--url URL] [--direct] [-S SECRET]
                   [-m METHOD] [-p POLICY] [--desc DESC] [-d DETAILS] [-v]
                   [--dry-run] [--json]
                   NAME VALUE
       okerrupdate [options] --exec NAME -- COMMAND [ARGS...]
";

/// `okerrapi`'s usage lines.
pub const API_USAGE: &str = "\
usage: okerrapi [-h] [--version] [-i TEXTID] [-n NAME] [-k KEY] [--url URL]
                [--direct] [-v] [--dry-run] [--json]
                COMMAND [ARG ...]
";

const CONFIG: &str = "\
Settings come from the command line, then the environment (OKERR_TEXTID,
OKERR_SECRET, OKERR_URL, OKERR_DIRECT, OKERR_API_KEY, PREFIX), then the first
okerrupdate file in ~/okerr/, ~/.okerr/, /usr/local/etc/okerr/, /etc/okerr/
(lines like OKERR_TEXTID=MyProject), then /etc/okerrclient.conf (textid = ...,
secret = ...).

Exit status: 0 on success; 1 on failure, with the reason on stderr; 2 for a
command line that cannot be read.
";

/// `okerrupdate --help`.
pub fn update(version: &str) -> String {
    format!(
        "{UPDATE_USAGE}
Send one update to okerr (okerrupdate {version} for JavaScript runtimes).

positional arguments:
  NAME                  indicator name, or NAME@TEXTID
  VALUE                 the status: OK or ERR for a heartbeat, a number for
                        numerical, any text for string

options:
  -h, --help            show this help and exit
  --version             show the version and exit
  -i, --textid TEXTID   project text id
  --url URL             the director (default https://my.okerr.com/), or with
                        --direct the okerr server itself
  --direct              send to --url, skipping the director
  -S, --secret SECRET   the project's or the indicator's secret
  -m, --method METHOD   check method, e.g. numerical|maxlim=90 (default heartbeat)
  -p, --policy POLICY   policy for a new indicator (default Default)
  --desc DESC           description for a new indicator
  -d, --details DETAILS details shown beside the status
  --exec NAME           run COMMAND (after --), then report how it ended to
                        NAME: OK for exit 0, ERR otherwise, with details such
                        as `exit 3 in 0.4 s: <last line of its stderr>`; exit
                        with the command's own status (a failure to report is
                        printed to stderr and does not change it)
  -v, --verbose         log every step
  --dry-run             check the update and show its fields; send nothing
  --json                print the result as JSON

{CONFIG}
With --exec the exit status is the command's: 128+N when signal N killed it,
127 when it was not found, 126 when it could not be started; 2 for a command
line that cannot be read. Only failures are printed (on stderr).

Examples:
  okerrupdate backup OK
  okerrupdate -m 'numerical|maxlim=90' -d 'disk /var' df-/var 42
  okerrupdate host1:alive@MyProject OK

Monitoring a job (a crontab line: the job runs, then okerr hears how it ended):
  30 2 * * * okerrupdate --exec backup@MyProject -- /usr/local/bin/backup.sh --full
From JavaScript: await project.indicator('backup').run(job), or
project.wrap('backup', job) (see the README, \"Monitoring a job\").
"
    )
}

/// `okerrapi --help`.
pub fn api(version: &str) -> String {
    format!(
        "{API_USAGE}
okerr project API client (okerrapi {version} for JavaScript runtimes).

commands:
  indicators [PREFIX]   names of the indicators (starting with PREFIX)
  indicator             one indicator (-n) as JSON
  get ARG               one argument of an indicator (-n): a method argument,
                        or policy, cm, desc, silent, problem, disabled
  filter TERM ...       names of the indicators matching every term: OK, ERR,
                        a tag or flag (sslcert, silent), -flag, or arg=value
  tagfilter TAG ...     names of the indicators with every TAG (or +TAG) and
                        without every -TAG
  set K=V ...           change an indicator (-n): days=20 retest=1 silent=1
                        policy=Daily desc=text ...
  create                create an indicator (-n)
  delete                delete an indicator (-n)
  updatelog             the values an indicator (-n) received, as JSON
  checkmethods          the server's check methods, as JSON
  status [ADDR]         a public status page (default index), as JSON
  sync FILE             apply the settings in FILE, a JSON array of specs such
                        as [{{\"name\": \"app:queue\", \"method\":
                        \"numerical|maxlim=100\", \"policy\": \"Daily\"}}], to the
                        indicators that exist (an update sets them only when
                        it creates the indicator); prints each change, what
                        it cannot apply (tags: web UI only) and what is
                        missing. Exit 0 applied or nothing to do, 1 failed,
                        2 a bad FILE. With --dry-run it reads and changes
                        nothing

options:
  -h, --help            show this help and exit
  --version             show the version and exit
  -i, --textid TEXTID   project text id
  -n, --name NAME       indicator name, or NAME@TEXTID
  -k, --key KEY         the project's API key
  --url URL             the director (default https://my.okerr.com/), or with
                        --direct the okerr server itself
  --direct              talk to --url, skipping the director
  -v, --verbose         log every step
  --dry-run             check the command and show the request; send nothing
  --json                print the result as JSON (a list, a string or the
                        server's JSON; failures as {{\"error\": ...}})

{CONFIG}
Monitoring a job is okerrupdate's: okerrupdate --exec NAME -- COMMAND [ARGS...]
runs the command and reports OK or ERR with how it ended, e.g. in a crontab:
  30 2 * * * okerrupdate --exec backup@MyProject -- /usr/local/bin/backup.sh

Examples:
  okerrapi -i MyProject -k MY-API-KEY indicators
  okerrapi indicators servers:
  okerrapi -n srv1:load indicator
  okerrapi filter sslcert OK host=okerr.com
  okerrapi -n sslcert:okerr.com set days=20 retest=1
  okerrapi sync --dry-run okerr-indicators.json
"
    )
}
