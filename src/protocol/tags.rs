//! Tags: the server takes them only when it creates an indicator, and keeps each one that
//! starts with `[A-Za-z0-9_]` (`re.match('[a-zA-Z0-9_]+', tag)` is anchored at the start only).

use crate::base::error::{invalid, Error};
use crate::base::redact::quoted;

/// Check tags given as a list, and join them with commas as the reference client sends them.
pub fn join(tags: &[String]) -> Result<String, Error> {
    let mut joined = String::new();
    for tag in tags {
        let starts_well = tag
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !starts_well || crate::base::text::has_any(tag, b",") {
            return Err(invalid!(
                "tag {} must start with a letter, digit or '_' and hold no ',' \
                     (the server would drop it)",
                quoted(tag)
            ));
        }
        // Every tag has a first character: only the first one goes in without a comma.
        if !joined.is_empty() {
            joined.push(',');
        }
        joined.push_str(tag);
    }
    Ok(joined)
}

/// Split a comma-separated tag string (`"a, b,c"`), dropping empty items and spaces around them.
pub fn split(tags: &str) -> Vec<String> {
    let mut out = Vec::new();
    for tag in crate::base::text::pieces(tags, b',').map(crate::base::text::trim) {
        if !tag.is_empty() {
            out.push(tag.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_checks() {
        assert_eq!(join(&split("a, b_1,,C")).unwrap(), "a,b_1,C");
        assert_eq!(join(&[]).unwrap(), "");
        assert_eq!(
            join(&["b-c".into(), "d e".into(), "_u".into()]).unwrap(),
            "b-c,d e,_u"
        );
        assert!(join(&["ok".into(), "-dash".into()]).is_err());
        assert!(join(&[String::new()]).is_err());
        assert!(join(&["é".into()]).is_err());
        assert!(join(&["a,b".into()]).is_err());
    }
}
