//! Tags: the server takes them only when it creates an indicator, each matching `[A-Za-z0-9_]+`.

use crate::error::Error;
use crate::text::quoted;

/// Check tags given as a list, and join them with commas as the reference client sends them.
pub fn join(tags: &[String]) -> Result<String, Error> {
    for tag in tags {
        if tag.is_empty() || !tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(Error::invalid(format!(
                "tag {} must be letters, digits or '_' (the server would refuse it)",
                quoted(tag)
            )));
        }
    }
    Ok(tags.join(","))
}

/// Split a comma-separated tag string (`"a, b,c"`), dropping empty items and spaces around them.
pub fn split(tags: &str) -> Vec<String> {
    tags.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_checks() {
        assert_eq!(join(&split("a, b_1,,C")).unwrap(), "a,b_1,C");
        assert_eq!(join(&[]).unwrap(), "");
        assert!(join(&["ok".into(), "no-dash".into()]).is_err());
        assert!(join(&[String::new()]).is_err());
        assert!(join(&["é".into()]).is_err());
    }
}
