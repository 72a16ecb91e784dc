//! Command-line arguments read the way Python's `argparse` reads them, so the command lines
//! people already run with the Python tools mean the same here: `-iTEXTID`, `-i=TEXTID`,
//! `--textid=TEXTID`, unique prefixes of long options (`--det`), clustered flags (`-v`), `--`,
//! and negative numbers (`-5`) taken as values rather than options.

/// One option a tool takes.
#[derive(Debug, Clone, Copy)]
pub struct Opt {
    /// The one-letter form, `-i`.
    pub short: Option<char>,
    /// The long form without dashes, `textid`; also the name the tools look the value up by.
    pub long: &'static str,
    /// Whether the option takes a value.
    pub takes_value: bool,
}

/// What was on the command line.
#[derive(Debug, Default, PartialEq)]
pub struct Parsed {
    /// Options in the order given, by long name, with their values.
    pub options: Vec<(&'static str, Option<String>)>,
    /// Everything that is not an option, in order, including [`Parsed::unknown`] words.
    pub positionals: Vec<String>,
    /// Words that look like options but are none of the tool's. argparse refuses them; a
    /// tool whose arguments may start with `-` (`okerrapi filter -silent`) takes them as
    /// arguments.
    pub unknown: Vec<String>,
    /// How many positionals came before a `--`, when there was one: what follows it is a
    /// command line of its own (`okerrupdate --exec NAME -- COMMAND ARGS`).
    pub dashdash: Option<usize>,
}

impl Parsed {
    /// The value of the last `long` given.
    pub fn value(&self, long: &str) -> Option<&str> {
        self.options
            .iter()
            .rev()
            .find(|(l, _)| *l == long)
            .and_then(|(_, v)| v.as_deref())
    }

    /// Whether `long` was given.
    pub fn has(&self, long: &str) -> bool {
        self.options.iter().any(|(l, _)| *l == long)
    }

    /// argparse's complaint about the unknown words, if there are any.
    pub fn refuse_unknown(&self) -> Result<(), String> {
        if self.unknown.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "unrecognized arguments: {}",
                self.unknown.join(" ")
            ))
        }
    }
}

/// Read `argv` (without the program name). `--help` and `--version` end the reading where they
/// stand, as in argparse, so they work even before a mistake later on the line. The error is
/// argparse's message, for a usage error.
pub fn parse(opts: &'static [Opt], argv: &[String]) -> Result<Parsed, String> {
    let mut out = Parsed::default();
    let mut rest = argv.iter();
    let mut only_positionals = false;
    while let Some(arg) = rest.next() {
        if only_positionals || !looks_like_option(arg) {
            out.positionals.push(arg.clone());
            continue;
        }
        if arg == "--" {
            only_positionals = true;
            out.dashdash = Some(out.positionals.len());
            continue;
        }
        let found = match arg.strip_prefix("--") {
            Some(body) => long(opts, body, &mut rest)?,
            None => short(opts, arg, &mut rest)?,
        };
        if found.is_empty() {
            out.unknown.push(arg.clone());
            out.positionals.push(arg.clone());
        }
        for (long, value) in found {
            out.options.push((long, value));
            if matches!(long, "help" | "version") {
                return Ok(out);
            }
        }
    }
    Ok(out)
}

type Found = Vec<(&'static str, Option<String>)>;

/// `--name` or `--name=value`; nothing when no option has that name.
fn long<'a>(
    opts: &'static [Opt],
    body: &str,
    rest: &mut impl Iterator<Item = &'a String>,
) -> Result<Found, String> {
    let (name, inline) = match body.split_once('=') {
        Some((n, v)) => (n, Some(v.to_string())),
        None => (body, None),
    };
    let Some(opt) = long_option(opts, name)? else {
        return Ok(Vec::new());
    };
    let value = match (opt.takes_value, inline) {
        (true, Some(v)) => Some(v),
        (true, None) => Some(next_value(opt, rest)?),
        (false, Some(v)) => {
            return Err(format!(
                "argument {}: ignored explicit argument '{v}'",
                display(opt)
            ))
        }
        (false, None) => None,
    };
    Ok(vec![(opt.long, value)])
}

/// `-v`, `-vi T`, `-iT`, `-i=T`; nothing unless every letter up to the first that takes a
/// value is an option, so `-silent` is one unknown word rather than half-read.
fn short<'a>(
    opts: &'static [Opt],
    arg: &str,
    rest: &mut impl Iterator<Item = &'a String>,
) -> Result<Found, String> {
    let mut found = Vec::new();
    for (at, letter) in arg.char_indices().skip(1) {
        let Some(opt) = opts.iter().find(|o| o.short == Some(letter)) else {
            return Ok(Vec::new());
        };
        if !opt.takes_value {
            found.push((opt.long, None));
            continue;
        }
        let attached = &arg[at + letter.len_utf8()..];
        let attached = attached.strip_prefix('=').unwrap_or(attached);
        let value = if attached.is_empty() {
            next_value(opt, rest)?
        } else {
            attached.to_string()
        };
        found.push((opt.long, Some(value)));
        break;
    }
    Ok(found)
}

/// `-x`, `--x`, but not `-`, nor a negative number such as `-5` or `-.5` (argparse's rule for
/// parsers whose options do not look like numbers).
fn looks_like_option(arg: &str) -> bool {
    arg.len() > 1 && arg.starts_with('-') && !is_negative_number(arg)
}

fn is_negative_number(arg: &str) -> bool {
    let Some(digits) = arg.strip_prefix('-') else {
        return false;
    };
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    match frac {
        None => !int.is_empty() && all_digits(int),
        Some(f) => !f.is_empty() && all_digits(f) && all_digits(int),
    }
}

/// The option `--name` names, exactly or as the only one it is a prefix of; `None` when none.
fn long_option(opts: &'static [Opt], name: &str) -> Result<Option<&'static Opt>, String> {
    if let Some(opt) = opts.iter().find(|o| o.long == name) {
        return Ok(Some(opt));
    }
    let matches: Vec<&Opt> = if name.is_empty() {
        Vec::new()
    } else {
        opts.iter().filter(|o| o.long.starts_with(name)).collect()
    };
    match matches.as_slice() {
        [one] => Ok(Some(one)),
        [] => Ok(None),
        many => Err(format!(
            "ambiguous option: --{name} could match {}",
            many.iter()
                .map(|o| format!("--{}", o.long))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

fn next_value<'a>(
    opt: &Opt,
    rest: &mut impl Iterator<Item = &'a String>,
) -> Result<String, String> {
    match rest.next() {
        Some(v) if !looks_like_option(v) => Ok(v.clone()),
        _ => Err(format!("argument {}: expected one argument", display(opt))),
    }
}

fn display(opt: &Opt) -> String {
    match opt.short {
        Some(s) => format!("-{s}/--{}", opt.long),
        None => format!("--{}", opt.long),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPTS: &[Opt] = &[
        Opt {
            short: Some('h'),
            long: "help",
            takes_value: false,
        },
        Opt {
            short: Some('i'),
            long: "textid",
            takes_value: true,
        },
        Opt {
            short: Some('d'),
            long: "details",
            takes_value: true,
        },
        Opt {
            short: None,
            long: "direct",
            takes_value: false,
        },
        Opt {
            short: None,
            long: "desc",
            takes_value: true,
        },
        Opt {
            short: Some('v'),
            long: "verbose",
            takes_value: false,
        },
        Opt {
            short: None,
            long: "version",
            takes_value: false,
        },
    ];

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|a| a.to_string()).collect()
    }

    fn ok(s: &[&str]) -> Parsed {
        parse(OPTS, &args(s)).unwrap()
    }

    fn err(s: &[&str]) -> String {
        parse(OPTS, &args(s))
            .and_then(|p| p.refuse_unknown())
            .unwrap_err()
    }

    #[test]
    fn reads_options_every_way_argparse_does() {
        for line in [
            &["-i", "T", "a", "OK"][..],
            &["-iT", "a", "OK"],
            &["-i=T", "a", "OK"],
            &["--textid", "T", "a", "OK"],
            &["--textid=T", "a", "OK"],
            &["--tex", "T", "a", "OK"],
            &["a", "-i", "T", "OK"],
            &["a", "OK", "-i", "X", "-i", "T"],
        ] {
            let p = ok(line);
            assert_eq!(p.value("textid"), Some("T"), "{line:?}");
            assert_eq!(p.positionals, ["a", "OK"], "{line:?}");
        }
        let p = ok(&["-v", "--direct", "--", "-i", "--x"]);
        assert!(p.has("verbose") && p.has("direct") && !p.has("textid"));
        assert_eq!(p.positionals, ["-i", "--x"]);
        assert_eq!(ok(&["--desc=a=b"]).value("desc"), Some("a=b"));
        assert_eq!(ok(&["-vi", "T"]).value("textid"), Some("T"));
    }

    #[test]
    fn negative_numbers_and_dash_are_values() {
        let p = ok(&["temp", "-5"]);
        assert_eq!(p.positionals, ["temp", "-5"]);
        assert_eq!(ok(&["t", "-0.5"]).positionals, ["t", "-0.5"]);
        assert_eq!(ok(&["t", "-.5"]).positionals, ["t", "-.5"]);
        assert_eq!(ok(&["-d", "-3", "t", "-"]).value("details"), Some("-3"));
        assert_eq!(ok(&["t", "-"]).positionals, ["t", "-"]);
        assert_eq!(err(&["t", "-1e3"]), "unrecognized arguments: -1e3");
    }

    #[test]
    fn reports_mistakes_like_argparse() {
        assert_eq!(err(&["--bogus"]), "unrecognized arguments: --bogus");
        assert_eq!(err(&["-x"]), "unrecognized arguments: -x");
        assert_eq!(
            err(&["--d", "x"]),
            "ambiguous option: --d could match --details, --direct, --desc"
        );
        assert_eq!(err(&["-i"]), "argument -i/--textid: expected one argument");
        assert_eq!(
            err(&["--details", "--direct"]),
            "argument -d/--details: expected one argument"
        );
        assert_eq!(
            err(&["--direct=1"]),
            "argument --direct: ignored explicit argument '1'"
        );
    }

    #[test]
    fn help_and_version_stop_reading() {
        let p = ok(&["-h", "--bogus"]);
        assert!(p.has("help"));
        assert!(ok(&["a", "--version", "-x"]).has("version"));
        assert!(ok(&["-x", "-h"]).has("help"));
        assert_eq!(
            err(&["-vx", "--no", "a"]),
            "unrecognized arguments: -vx --no"
        );
    }
}
