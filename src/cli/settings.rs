//! Where the command-line tools find their settings, lowest precedence first:
//! `/etc/okerrclient.conf`, then the first `okerrupdate` dotenv file of the reference tools'
//! list, then the environment; the tools put their flags on top.

use crate::base::error::Error;
use crate::base::value::Value;

/// The old configuration file, read last (only `textid` and `secret` in it count).
pub const OKERRCLIENT_CONF: &str = "/etc/okerrclient.conf";

/// A configuration file as the JS side found it.
#[derive(Debug, Clone, PartialEq)]
pub enum FileText {
    /// Its text.
    Text(String),
    /// It exists but could not be read, and why (`EACCES`).
    Unreadable(String),
}

/// Every file the tools may read, in lookup order: the `okerrupdate` file in `~/okerr/`,
/// `~/.okerr/` (when there is a home directory), `/usr/local/etc/okerr/`, `/etc/okerr/`, then
/// `OKERRCLIENT_CONF`.
pub fn config_paths(home: Option<&str>) -> Vec<String> {
    let mut dirs: Vec<String> = Vec::new();
    if let Some(home) = home
        .map(|h| h.trim_end_matches('/'))
        .filter(|h| !h.is_empty())
    {
        dirs.push(format!("{home}/okerr"));
        dirs.push(format!("{home}/.okerr"));
    }
    dirs.push(String::from("/usr/local/etc/okerr"));
    dirs.push(String::from("/etc/okerr"));
    let mut paths: Vec<String> = dirs.into_iter().map(|d| d + "/okerrupdate").collect();
    paths.push(OKERRCLIENT_CONF.to_string());
    paths
}

/// Settings found in the files and the environment.
#[derive(Debug, PartialEq)]
pub struct Configured {
    /// Project option pairs; later ones win.
    pub pairs: Vec<(String, Value)>,
    /// Files that exist but could not be read: they are skipped, and the lookup goes on as
    /// if they were missing.
    pub notes: Vec<String>,
}

/// The settings in `files` and `env`, lowest precedence first.
pub fn configured(
    env: &[(String, String)],
    files: &[(String, FileText)],
    home: Option<&str>,
) -> Result<Configured, Error> {
    let mut notes = Vec::new();
    let mut text_of = |path: &str| match files.iter().find(|(p, _)| p == path) {
        Some((_, FileText::Text(t))) => Some(t.clone()),
        Some((_, FileText::Unreadable(why))) => {
            notes.push(format!("cannot read {path} ({why}); skipped"));
            None
        }
        None => None,
    };
    let mut pairs = Vec::new();
    let dotenv = config_paths(home)
        .into_iter()
        .filter(|p| p != OKERRCLIENT_CONF)
        .find_map(|p| text_of(&p).map(|t| (p, t)));
    if let Some(text) = text_of(OKERRCLIENT_CONF) {
        pairs.extend(in_file(OKERRCLIENT_CONF, &text)?);
    }
    if let Some((path, text)) = dotenv {
        pairs.extend(in_file(&path, &text)?);
    }
    pairs.extend(crate::protocol::env::from_env(env)?);
    Ok(Configured { pairs, notes })
}

fn in_file(path: &str, text: &str) -> Result<Vec<(String, Value)>, Error> {
    crate::protocol::env::from_config_text(text).map_err(|e| Error {
        message: format!("{path}: {}", e.message),
        ..e
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::Str(v.into())
    }

    fn file(path: &str, text: &str) -> (String, FileText) {
        (path.to_string(), FileText::Text(text.to_string()))
    }

    #[test]
    fn lists_the_reference_tools_paths() {
        assert_eq!(
            config_paths(Some("/home/u/")),
            [
                "/home/u/okerr/okerrupdate",
                "/home/u/.okerr/okerrupdate",
                "/usr/local/etc/okerr/okerrupdate",
                "/etc/okerr/okerrupdate",
                "/etc/okerrclient.conf"
            ]
        );
        assert_eq!(config_paths(None).len(), 3);
        assert_eq!(config_paths(Some("")).len(), 3);
    }

    #[test]
    fn the_first_okerrupdate_file_then_the_environment_win_over_okerrclient_conf() {
        let files = [
            file(
                "/etc/okerrclient.conf",
                "textid = old\nsecret = oldsecret\n",
            ),
            file(
                "/etc/okerr/okerrupdate",
                "OKERR_TEXTID=etc\nOKERR_URL=http://etc/\n",
            ),
            file(
                "/home/u/.okerr/okerrupdate",
                "OKERR_TEXTID=home\nPREFIX=h1\n",
            ),
        ];
        let env = [("OKERR_URL".to_string(), "http://env/".to_string())];
        let Configured { pairs, notes } = configured(&env, &files, Some("/home/u")).unwrap();
        assert!(notes.is_empty());
        assert_eq!(
            pairs,
            [
                ("textid".to_string(), s("old")),
                ("secret".into(), s("oldsecret")),
                ("textid".into(), s("home")),
                ("prefix".into(), s("h1")),
                ("url".into(), s("http://env/")),
            ],
            "only the first okerrupdate file counts; later pairs win"
        );
    }

    #[test]
    fn an_unreadable_file_is_skipped_with_a_note() {
        let files = [
            (
                "/home/u/okerr/okerrupdate".to_string(),
                FileText::Unreadable("EACCES".into()),
            ),
            file("/etc/okerr/okerrupdate", "OKERR_TEXTID=etc\n"),
        ];
        let Configured { pairs, notes } = configured(&[], &files, Some("/home/u")).unwrap();
        assert_eq!(pairs, [("textid".to_string(), s("etc"))]);
        assert_eq!(
            notes,
            ["cannot read /home/u/okerr/okerrupdate (EACCES); skipped"]
        );
    }

    #[test]
    fn a_bad_value_names_its_file() {
        let files = [file("/etc/okerr/okerrupdate", "OKERR_DIRECT=maybe\n")];
        let e = configured(&[], &files, None).unwrap_err();
        assert!(
            e.message
                .starts_with("/etc/okerr/okerrupdate: OKERR_DIRECT"),
            "{}",
            e.message
        );
        let env = [("OKERR_DIRECT".to_string(), "2".to_string())];
        assert!(configured(&env, &[], None).is_err());
    }
}
