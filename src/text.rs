//! Small text helpers shared by the modules that build messages and check inputs.

use std::borrow::Cow;

/// `s` in at most `max` characters: when it is longer, its first `max - 1` and a `…`.
pub fn excerpt(s: &str, max: usize) -> Cow<'_, str> {
    if s.char_indices().nth(max).is_none() {
        return Cow::Borrowed(s);
    }
    let cut = s.char_indices().nth(max.saturating_sub(1)).map_or(0, |(i, _)| i);
    let mut out = String::with_capacity(cut + '…'.len_utf8());
    out.push_str(&s[..cut]);
    if max > 0 {
        out.push('…');
    }
    Cow::Owned(out)
}

/// The status as the reference client previews it in its log line: one line, at most 40 chars.
pub fn preview(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c == '\r' || c == '\n' { ' ' } else { c })
        .collect();
    if one_line.chars().count() > 40 {
        let head: String = one_line.chars().take(38).collect();
        head + ".."
    } else {
        one_line
    }
}

/// True when `s` holds a control character (C0, DEL or C1), which no okerr field should carry
/// on a single line.
pub fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// Quote a caller's value for an error message, shortened so a 1 MB input makes a short message.
pub fn quoted(s: &str) -> String {
    let mut out = String::from("'");
    out.push_str(&excerpt(s, 60));
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_cuts_on_char_boundary() {
        assert_eq!(excerpt("héllo", 3), "hé…");
        assert_eq!(excerpt("abc", 3), "abc");
        assert_eq!(excerpt("abcd", 3), "ab…");
        assert_eq!(excerpt("ab", 1), "…");
        assert_eq!(excerpt("ab", 0), "");
        assert_eq!(excerpt("", 0), "");
    }

    #[test]
    fn preview_matches_reference_client() {
        assert_eq!(preview("36.6"), "36.6");
        assert_eq!(preview("a\nb\rc"), "a b c");
        let long = "x".repeat(41);
        assert_eq!(preview(&long), format!("{}..", "x".repeat(38)));
        assert_eq!(preview(&"y".repeat(40)), "y".repeat(40));
    }
}
