//! Log levels, named as JS users name console methods.

use crate::error::Error;

/// How much the client tells its logger. Ordered: a message is written when its level is at
/// least the configured one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Every step: director answers, skipped updates, timings.
    Debug,
    /// One line per update that reached the server, and each failure the caller gets as a
    /// rejection (the reference client logs at INFO, which Python prints only when asked).
    Info,
    /// Retries, and failures that resolve instead of rejecting: the library's default, so
    /// that nothing is printed while all is well.
    Warn,
    /// A bad argument to an update that resolves instead of rejecting.
    Error,
    /// Nothing at all.
    Silent,
}

impl Level {
    /// Parse `debug|info|warn|error|silent` (any case).
    pub fn parse(s: &str) -> Result<Level, Error> {
        // Compared without case rather than lower-cased first: no copy, and no
        // `to_ascii_lowercase` in the .wasm.
        let named = |name: &str| s.eq_ignore_ascii_case(name);
        if named("debug") {
            Ok(Level::Debug)
        } else if named("info") {
            Ok(Level::Info)
        } else if named("warn") || named("warning") {
            Ok(Level::Warn)
        } else if named("error") {
            Ok(Level::Error)
        } else if named("silent") {
            Ok(Level::Silent)
        } else {
            Err(Error::invalid_with(
                "logLevel must be one of debug, info, warn, error, silent; got {}",
                &[&crate::text::quoted(s)],
            ))
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
        assert_eq!(Level::parse("WaRnInG").unwrap(), Level::Warn);
        assert!(Level::parse("debugs").is_err());
        assert!(Level::Debug < Level::Info && Level::Error < Level::Silent);
    }
}
