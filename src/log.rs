//! Log levels, named as JS users name console methods.

use crate::error::Error;

/// How much the client tells its logger. Ordered: a message is written when its level is at
/// least the configured one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Every step: director answers, skipped updates, timings.
    Debug,
    /// One line per update that reached the server (the reference client's default).
    Info,
    /// Failures that will be retried or reported to the caller.
    Warn,
    /// Failures only.
    Error,
    /// Nothing at all.
    Silent,
}

impl Level {
    /// Parse `debug|info|warn|error|silent` (any case).
    pub fn parse(s: &str) -> Result<Level, Error> {
        match s.to_ascii_lowercase().as_str() {
            "debug" => Ok(Level::Debug),
            "info" => Ok(Level::Info),
            "warn" | "warning" => Ok(Level::Warn),
            "error" => Ok(Level::Error),
            "silent" => Ok(Level::Silent),
            _ => Err(Error::invalid_with(
                "logLevel must be one of debug, info, warn, error, silent; got {}",
                &[&crate::text::quoted(s)],
            )),
        }
    }

    /// The console method that writes a message of this level.
    pub fn method(self) -> &'static str {
        match self {
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error | Level::Silent => "error",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_levels() {
        assert_eq!(Level::parse("DEBUG").unwrap(), Level::Debug);
        assert_eq!(Level::parse("silent").unwrap(), Level::Silent);
        assert!(Level::parse("loud").is_err());
        assert!(Level::Debug < Level::Info && Level::Error < Level::Silent);
    }
}
