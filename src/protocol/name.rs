//! Indicator names: the reference client's repairs, the configured prefix, and the server's
//! refusals that no repair can fix.

use crate::base::error::{invalid, Error};
use crate::base::redact::quoted;
use crate::base::text::fill;

/// The longest name the server stores (its `Indicator.name` column holds 200 characters).
pub const MAX_NAME_CHARS: usize = 200;

/// The name that is sent for `name`: `prefix` put in front when `name` starts with `:`, then
/// the reference client's repairs (`< > % \ @` become `_`, `//` becomes `__`, a leading `/`
/// becomes `_`). Fails when the server would still refuse the result.
pub fn prepare(name: &str, prefix: Option<&str>) -> Result<String, Error> {
    let full = match prefix {
        Some(p) if name.starts_with(':') => fill!("{}{}", p, name),
        _ => name.to_string(),
    };
    let repaired = repair(&full);
    check(&repaired)?;
    Ok(repaired)
}

/// The reference client's `fix_name`, applied once. Repairing a repaired name changes nothing.
pub fn repair(name: &str) -> String {
    // In one pass: `< > % \ @` become `_`; each "//", from the left, becomes "__" (a run of
    // slashes keeps at most one); a leading `/` becomes `_` (alone or as half of a "//").
    let mut out = String::with_capacity(name.len());
    let mut open_slash = false;
    for c in name.chars() {
        let c = if matches!(c, '<' | '>' | '%' | '\\' | '@') {
            '_'
        } else {
            c
        };
        if c == '/' && open_slash {
            out.truncate(out.len() - 1);
            out.push_str("__");
            open_slash = false;
        } else {
            out.push(if c == '/' && out.is_empty() { '_' } else { c });
            open_slash = c == '/';
        }
    }
    out
}

/// Refuse what the server refuses even after repair, and what would make no sense as a name.
pub fn check(name: &str) -> Result<(), Error> {
    if crate::base::text::trim(name).is_empty() {
        return Err(Error::invalid("indicator name must not be empty"));
    }
    let why = if name.chars().count() > MAX_NAME_CHARS {
        "is longer than 200 characters"
    } else if crate::base::text::has_control(name) {
        "must not contain control characters"
    } else if crate::base::pynum::int_parses(name) {
        "must not be a number (the server refuses it)"
    } else if crate::base::text::has_any(name, b"<>%\\@")
        || crate::base::text::find(name, "//").is_some()
        || name.starts_with('/')
    {
        "has characters the server refuses"
    } else {
        return Ok(());
    };
    Err(invalid!("indicator name {}: {}", why, quoted(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference client's three steps, one after the other.
    fn repair_in_steps(name: &str) -> String {
        let mapped: String = name
            .chars()
            .map(|c| if "<>%\\@".contains(c) { '_' } else { c })
            .collect();
        let mut out = mapped.replace("//", "__");
        if out.starts_with('/') {
            out.replace_range(..1, "_");
        }
        out
    }

    #[test]
    fn repair_in_one_pass_is_the_three_steps() {
        let parts = ["/", "//", "a", "é", "<", "%", "@", "\\", " "];
        let mut names = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = names
                .iter()
                .flat_map(|n| parts.iter().map(move |p| format!("{n}{p}")))
                .collect();
            names.extend(longer);
        }
        for name in &names {
            assert_eq!(repair(name), repair_in_steps(name), "{name:?}");
        }
    }

    #[test]
    fn the_message_names_the_limit() {
        let e = check(&"x".repeat(MAX_NAME_CHARS + 1)).unwrap_err();
        assert!(e
            .message
            .contains(&format!("longer than {MAX_NAME_CHARS} characters")));
    }

    #[test]
    fn repairs_like_the_reference_client() {
        assert_eq!(repair("a<b>c%d\\e@f"), "a_b_c_d_e_f");
        assert_eq!(repair("df//var"), "df__var");
        assert_eq!(repair("/var"), "_var");
        assert_eq!(repair("///x"), "__/x");
        assert_eq!(repair("df-/var"), "df-/var");
    }

    #[test]
    fn repair_is_idempotent() {
        for n in ["/a//b", "@@", "a/b/", "////", "%/%"] {
            let once = repair(n);
            assert_eq!(repair(&once), once, "{n}");
        }
    }

    #[test]
    fn prefix_applies_only_to_colon_names() {
        assert_eq!(prepare(":load", Some("host1")).unwrap(), "host1:load");
        assert_eq!(prepare("load", Some("host1")).unwrap(), "load");
        assert_eq!(prepare(":load", None).unwrap(), ":load");
        assert_eq!(prepare(":x", Some("/srv@")).unwrap(), "_srv_:x");
    }

    #[test]
    fn refuses_what_the_server_refuses() {
        for bad in [
            "",
            "   ",
            "123",
            "-5",
            " 7 ",
            "1_000",
            "١٢",
            "\u{3000}９\u{a0}",
            "a\nb",
            &"n".repeat(201),
        ] {
            assert!(prepare(bad, None).is_err(), "{bad:?}");
        }
        for ok in [
            "test:1",
            "1a",
            "1__0",
            "_1",
            "1_",
            "df-/var",
            "héllo",
            &"n".repeat(200),
        ] {
            assert!(prepare(ok, None).is_ok(), "{ok:?}");
        }
    }
}
