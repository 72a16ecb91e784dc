//! Small text helpers shared by the modules that build messages and check inputs.
//!
//! Messages are put together with [`fill`] and [`decimal`], not `format!`: the library's .wasm
//! then carries none of `core::fmt`, and each message is one string in its data rather than
//! code that stores its pieces. (The command-line tools' own code, in a .wasm of their own,
//! formats as it likes.)

use std::borrow::Cow;

/// `s` with every held secret masked, then in at most `max` characters: when it is longer,
/// its first `max - 1` and a `…`. Masking comes first, so a cut never leaves part of a secret.
pub fn excerpt(s: &str, max: usize) -> String {
    cut(&crate::redact::scrub(s), max).into_owned()
}

/// `s` in at most `max` characters, for text that holds no secret (or was already masked).
fn cut(s: &str, max: usize) -> Cow<'_, str> {
    if char_at(s, max).is_none() {
        return Cow::Borrowed(s);
    }
    let cut = char_at(s, max.saturating_sub(1)).unwrap_or(0);
    let mut out = String::with_capacity(cut + '…'.len_utf8());
    out.push_str(&s[..cut]);
    if max > 0 {
        out.push('…');
    }
    Cow::Owned(out)
}

/// The status as the reference client previews it in its log line: one line, at most 40 chars
/// (masked first, like every shortened text). A line break is a space, as in the reference
/// client; any other character [`breaks_lines`] is U+FFFD.
pub fn preview(s: &str) -> String {
    let masked = crate::redact::scrub(s);
    let long = char_at(&masked, 40).is_some();
    let mut out = String::new();
    for c in masked.chars().take(if long { 38 } else { 40 }) {
        out.push(match c {
            '\r' | '\n' => ' ',
            c if breaks_lines(c) => '\u{FFFD}',
            c => c,
        });
    }
    if long {
        out.push_str("..");
    }
    out
}

/// True when `s` holds a character [`breaks_lines`], which no okerr field should carry on a
/// single line: messages call them all "control characters".
pub fn has_control(s: &str) -> bool {
    s.chars().any(breaks_lines)
}

/// True for a character that can make one line of text show as another: a control (C0, DEL,
/// C1: line breaks, terminal escapes), a line or paragraph separator (U+2028, U+2029, which
/// JavaScript and many viewers break lines on), or a bidi control (U+202A to U+202E, U+2066 to
/// U+2069, which reorder what follows). A server or a crafted name could forge a log line with
/// any of them, such as `okerr updated (200 OK) ...`.
pub fn breaks_lines(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` as one safe line: every character [`breaks_lines`] is U+FFFD. For the messages of errors
/// and log lines, whatever went into them (a server's answer, a name, a URL).
pub fn one_line(s: &str) -> Cow<'_, str> {
    if !has_control(s) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| if breaks_lines(c) { '\u{FFFD}' } else { c })
            .collect(),
    )
}

/// `template` with each `{}` replaced by the next of `args` (by nothing when they run out):
/// `format!` for plain text, without `core::fmt`.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out =
        String::with_capacity(template.len() + args.iter().map(|a| a.len()).sum::<usize>());
    let mut args = args.iter();
    let bytes = template.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i + 1 < bytes.len() {
        if bytes[i] == b'{' && bytes[i + 1] == b'}' {
            out.push_str(&template[start..i]);
            out.push_str(args.next().copied().unwrap_or_default());
            i += 2;
            start = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&template[start..]);
    out
}

/// `s` up to the first of the ASCII bytes `stops`, or all of it: the first piece of a split,
/// without a splitter for each set of characters in the .wasm.
pub fn up_to<'a>(s: &'a str, stops: &[u8]) -> &'a str {
    let end = s.bytes().position(|b| is_one_of(b, stops));
    end.map_or(s, |end| &s[..end])
}

/// `s` split at the first ASCII byte `at`: `str::split_once` with a character, without a
/// character searcher in the .wasm (as every split of the library on one character).
pub fn split_once(s: &str, at: u8) -> Option<(&str, &str)> {
    let i = s.bytes().position(|b| b == at)?;
    Some((&s[..i], &s[i + 1..]))
}

/// The pieces of `s` between the ASCII bytes `at`: `str::split` with a character.
pub fn pieces(s: &str, at: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let whole = rest?;
        let (piece, after) = split_once(whole, at).map_or((whole, None), |(p, a)| (p, Some(a)));
        rest = after;
        Some(piece)
    })
}

/// `str::trim`: `s` without whitespace at either end. Every trim of the library goes through
/// [`trim_with`] with a function pointer: one loop each way in the .wasm instead of std's
/// searcher for each kind of pattern and end.
pub fn trim(s: &str) -> &str {
    trim_with(s, char::is_whitespace)
}

/// `str::trim_start`.
pub fn trim_start(s: &str) -> &str {
    trim_start_with(s, char::is_whitespace)
}

/// `str::trim_end`.
pub fn trim_end(s: &str) -> &str {
    trim_end_with(s, char::is_whitespace)
}

/// `s` without the characters `space` matches at either end.
pub fn trim_with(s: &str, space: fn(char) -> bool) -> &str {
    trim_end_with(trim_start_with(s, space), space)
}

/// `s` without the characters `space` matches at its start (`str::trim_start_matches`).
pub fn trim_start_with(s: &str, space: fn(char) -> bool) -> &str {
    let start = s
        .char_indices()
        .find(|&(_, c)| !space(c))
        .map_or(s.len(), |(i, _)| i);
    &s[start..]
}

/// `s` without the characters `space` matches at its end (`str::trim_end_matches`).
pub fn trim_end_with(s: &str, space: fn(char) -> bool) -> &str {
    let end = s
        .char_indices()
        .rev()
        .find(|&(_, c)| !space(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    &s[..end]
}

/// True when `s` holds any of the ASCII bytes `these`: `contains` with a set of characters,
/// without a searcher for each size of set in the .wasm.
pub fn has_any(s: &str, these: &[u8]) -> bool {
    s.bytes().any(|b| is_one_of(b, these))
}

/// `set.contains(&b)` without `memchr`, which `<[u8]>::contains` calls (450 bytes of the .wasm,
/// and slower than a plain loop over a set of a few bytes).
#[allow(clippy::manual_contains)]
fn is_one_of(b: u8, set: &[u8]) -> bool {
    set.iter().any(|&s| s == b)
}

/// Where `needle` first occurs in `s` (byte offset), as `str::find` with a `&str` says: one
/// byte search for every substring search of the library (`str::find`, `contains`,
/// `split_once` or `match_indices` with a `&str` would bring the two-way searcher along, 1.5 KB
/// of the .wasm). The texts searched are short (at most an answer's 64 KiB) and the needles
/// shorter. A match in UTF-8 text always starts on a character boundary.
pub fn find(s: &str, needle: &str) -> Option<usize> {
    let (s, needle) = (s.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = needle.split_first() else {
        return Some(0);
    };
    // The next place the first byte is, then the rest compared there.
    let mut from = 0;
    while let Some(p) = s.get(from..)?.iter().position(|&b| b == first) {
        let at = from + p;
        if s[at + 1..].starts_with(rest) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Where character `n` of `s` starts (0-based), if `s` has that many. Every count of
/// characters goes through here: one copy of the iterator's `nth` in the .wasm.
pub fn char_at(s: &str, n: usize) -> Option<usize> {
    s.char_indices().nth(n).map(|(at, _)| at)
}

/// The number ASCII decimal `digits` spell; `None` when there are none, when one is not a
/// digit, or when the number does not fit. (`str::parse` would bring a parser per integer type.)
pub fn digits_value(digits: &str) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    digits.bytes().try_fold(0u64, |n, b| {
        if b.is_ascii_digit() {
            n.checked_mul(10)?.checked_add(u64::from(b - b'0'))
        } else {
            None
        }
    })
}

/// `n` in decimal digits.
pub fn decimal(n: u64) -> String {
    let mut scale = 1;
    while n / scale >= 10 {
        scale *= 10;
    }
    let mut out = String::with_capacity(20);
    loop {
        out.push(char::from(b'0' + (n / scale % 10) as u8));
        if scale == 1 {
            return out;
        }
        scale /= 10;
    }
}

/// Quote a caller's value for an error message, shortened so a 1 MB input makes a short
/// message, and on one line ([`one_line`]): a value is often refused for a control character.
pub fn quoted(s: &str) -> String {
    let mut out = String::from("'");
    out.push_str(&one_line(&excerpt(s, 60)));
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
    fn fill_puts_each_argument_in_its_place() {
        assert_eq!(fill("a {} b {}", &["1", "2"]), "a 1 b 2");
        assert_eq!(fill("{}{}", &["x", "y"]), "xy");
        assert_eq!(fill("{} and {}", &["only"]), "only and ");
        assert_eq!(fill("none", &["left over"]), "none");
        assert_eq!(fill("{ } {", &[]), "{ } {");
    }

    #[test]
    fn find_is_str_find() {
        let texts = [
            "",
            "a",
            "aa",
            "aaa",
            "abab",
            "xx://y",
            "é//ü",
            "[secret][secret]",
            "\\u00e9",
        ];
        let needles = [
            "",
            "a",
            "aa",
            "b",
            "://",
            "//",
            "ü",
            "[secret]",
            "\\u",
            "longer than it",
        ];
        for s in texts {
            for n in needles {
                assert_eq!(find(s, n), s.find(n), "{s:?} {n:?}");
            }
        }
    }

    #[test]
    fn byte_splits_are_the_char_splits() {
        let texts = [
            "", "a", "=", "a=b", "a==b", "=a=", "é=ü|x", "a|b||c|", "|", "//", "a\r\r",
        ];
        for s in texts {
            for (b, c) in [(b'=', '='), (b'|', '|'), (b'/', '/'), (b'\r', '\r')] {
                assert_eq!(split_once(s, b), s.split_once(c), "{s:?}");
                assert!(pieces(s, b).eq(s.split(c)), "{s:?}");
            }
        }
    }

    #[test]
    fn trims_are_str_trims() {
        for s in [
            "",
            " ",
            "a",
            " a ",
            "\u{3000}é\t\n",
            "\u{85}x\u{a0}y\u{2029}",
            "\r\n\r",
            "a b",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
            assert_eq!(trim_start(s), s.trim_start(), "{s:?}");
            assert_eq!(trim_end(s), s.trim_end(), "{s:?}");
            assert_eq!(
                trim_end_with(s, |c| c == '\r'),
                s.trim_end_matches('\r'),
                "{s:?}"
            );
        }
    }

    #[test]
    fn up_to_is_the_first_piece_of_a_split() {
        for s in ["", "a", "h:1/p?q#f", "?x", "é/ü", "no stop"] {
            assert_eq!(
                up_to(s, b"/?#"),
                s.split(['/', '?', '#']).next().unwrap_or("")
            );
        }
    }

    #[test]
    fn has_any_is_contains_with_a_set() {
        for s in ["", "abc", "a?b", "x#", "é@", "<tag>"] {
            assert_eq!(has_any(s, b"?#@<"), s.contains(['?', '#', '@', '<']));
        }
    }

    #[test]
    fn digits_value_reads_what_parse_reads_from_digits() {
        for s in [
            "0",
            "7",
            "0042",
            "65535",
            "4294967295",
            "18446744073709551615",
        ] {
            assert_eq!(digits_value(s), s.parse::<u64>().ok(), "{s}");
        }
        for s in [
            "",
            "+1",
            "-1",
            " 1",
            "1 ",
            "1a",
            "18446744073709551616",
            "٣",
        ] {
            assert_eq!(digits_value(s), None, "{s}");
        }
    }

    #[test]
    fn decimal_writes_what_display_writes() {
        for n in [
            0,
            1,
            9,
            10,
            99,
            100,
            65_535,
            600_000,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            assert_eq!(decimal(n), n.to_string());
        }
    }

    #[test]
    fn line_breakers_are_controls_separators_and_bidi_controls() {
        for c in [
            '\0', '\n', '\r', '\u{1b}', '\u{7f}', '\u{85}', '\u{9b}', '\u{2028}', '\u{2029}',
            '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}',
        ] {
            assert!(breaks_lines(c), "{c:?}");
            assert_eq!(one_line(&format!("a{c}b")), "a\u{FFFD}b");
            assert!(has_control(&c.to_string()));
        }
        for c in [
            ' ', 'a', '\u{a0}', '\u{200f}', '\u{2027}', '\u{202f}', '\u{2065}', '\u{206a}',
        ] {
            assert!(!breaks_lines(c), "{c:?}");
        }
        assert!(matches!(one_line("plain"), Cow::Borrowed("plain")));
        assert_eq!(quoted("a\nb\u{2028}c"), "'a\u{FFFD}b\u{FFFD}c'");
        assert_eq!(preview("a\u{202e}b\nc"), "a\u{FFFD}b c");
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
