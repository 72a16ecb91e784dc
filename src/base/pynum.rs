//! How Python's `int()` and `float()` read text. The server is a Python program: `int(name)`
//! decides whether it refuses a name, `float(status)` whether it silently drops a numerical
//! update. Python takes any Unicode decimal digit (`'١٢'` is 12) and strips Unicode whitespace,
//! so ASCII-only rules would let through names the server refuses and refuse values it takes.

/// The zero of every run of Unicode decimal digits (category `Nd`, Unicode 15.1): each run is
/// ten consecutive code points `0`..`9`, and a few runs follow each other without a gap.
const DIGIT_ZEROS: [u32; 77] = [
    0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66,
    0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90,
    0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10,
    0x104a0, 0x10d30, 0x10d40, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0,
    0x11650, 0x116c0, 0x116d0, 0x116da, 0x11730, 0x118e0, 0x11950, 0x11bf0, 0x11c50, 0x11d50,
    0x11da0, 0x11de0, 0x11f50, 0x16130, 0x16a60, 0x16ac0, 0x16b50, 0x16d70, 0x1ccf0, 0x1d7ce,
    0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e4f0, 0x1e5f1, 0x1e950, 0x1fbf0,
];

/// Python's `str.isspace()`, which `str.strip()` uses. Unlike Rust's `char::is_whitespace` it
/// includes the separators `\x1c`..`\x1f`.
pub fn is_space(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | '\x1c'..='\x1f'
            | ' '
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

/// A Unicode decimal digit, as Python's `int()` reads one.
pub fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    let cp = u32::from(c);
    let after = DIGIT_ZEROS.partition_point(|&zero| zero <= cp);
    after
        .checked_sub(1)
        .and_then(|i| DIGIT_ZEROS.get(i))
        .is_some_and(|&zero| cp - zero < 10)
}

/// `s` without the whitespace Python's `str.strip()` removes.
pub fn strip(s: &str) -> &str {
    trim(s, is_space)
}

/// `s` without the characters `space` matches at either end, through the library's one trim.
fn trim(s: &str, space: fn(char) -> bool) -> &str {
    crate::base::text::trim_with(s, space)
}

/// `s` without the whitespace `int()` and `float()` ignore around a number: Python turns
/// non-ASCII whitespace into spaces first, then strips only ASCII whitespace, so the
/// separators `\x1c`..`\x1f` are not ignored there.
fn strip_number(s: &str) -> &str {
    trim(s, |c| is_space(c) && !matches!(c, '\x1c'..='\x1f'))
}

/// Python's `int(s)` succeeds: surrounding whitespace, an optional sign, then decimal digits
/// with single underscores between them.
pub fn int_parses(s: &str) -> bool {
    let t = strip_number(s);
    digits(unsigned(t))
}

/// `s` without one leading `+` or `-`.
fn unsigned(s: &str) -> &str {
    match s.as_bytes().first() {
        Some(b'+' | b'-') => &s[1..],
        _ => s,
    }
}

/// Python's `float(s)` succeeds: surrounding whitespace, a sign, then a decimal number (digits
/// with single underscores between them, an optional fraction and exponent) or
/// `inf`/`infinity`/`nan` in any case.
pub fn float_parses(s: &str) -> bool {
    let t = strip_number(s);
    let t = unsigned(t);
    if ["inf", "infinity", "nan"]
        .iter()
        .any(|w| t.eq_ignore_ascii_case(w))
    {
        return true;
    }
    let (mantissa, exponent) = match t.bytes().position(|b| b == b'e' || b == b'E') {
        Some(at) => (&t[..at], Some(&t[at + 1..])),
        None => (t, None),
    };
    let mantissa_ok = match crate::base::text::split_once(mantissa, b'.') {
        None => digits(mantissa),
        Some((int_part, frac)) => {
            (int_part.is_empty() || digits(int_part))
                && (frac.is_empty() || digits(frac))
                && !(int_part.is_empty() && frac.is_empty())
        }
    };
    let exponent_ok = exponent.is_none_or(|e| digits(unsigned(e)));
    mantissa_ok && exponent_ok
}

/// Decimal digits with single underscores only between digits, as Python number literals allow.
fn digits(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('_')
        && !s.ends_with('_')
        && crate::base::text::find(s, "__").is_none()
        && s.chars().all(|c| c == '_' || is_digit(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_of_every_script_count() {
        for c in ['0', '9', '٠', '٩', '۵', '०', '９', '𝟎', '𝟗', '𝟿', '🯹'] {
            assert!(is_digit(c), "{c:?}");
        }
        for c in [
            'a',
            '/',
            ':',
            '²',
            '½',
            'Ⅻ',
            '\u{65f}',
            '\u{66a}',
            '\u{1d7cd}',
            '〇',
        ] {
            assert!(!is_digit(c), "{c:?}");
        }
    }

    #[test]
    fn int_follows_python() {
        for ok in [
            "1",
            "-42",
            " 7 ",
            "1_000",
            "+3",
            "١٢",
            "\u{3000}12\u{85}",
            "９９",
        ] {
            assert!(int_parses(ok), "{ok:?}");
        }
        for bad in [
            "", " ", "1.0", "a1", "1a", "1__0", "_1", "1_", "0x1", "--1", "1 2", "²", "12\x1c",
        ] {
            assert!(!int_parses(bad), "{bad:?}");
        }
    }

    #[test]
    fn float_follows_python() {
        for ok in [
            "36.6",
            "-1",
            "1e3",
            " 7 ",
            "inf",
            "-Infinity",
            "nan",
            ".5",
            "5.",
            "1_000.5",
            "+2E-3",
            "\t3\n",
            "١٢.٥",
            "1e٣",
            "\u{a0}4\u{85}",
        ] {
            assert!(float_parses(ok), "{ok:?}");
        }
        for bad in [
            "", " ", "abc", "1,5", "1e", "e3", ".", "1__0", "_1", "0x10", "1.2.3", "--1", "in f",
            "1e3e3", "½", "1 .5", "\x1f4",
        ] {
            assert!(!float_parses(bad), "{bad:?}");
        }
    }
}
