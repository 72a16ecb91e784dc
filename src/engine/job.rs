//! What a monitored job reports: `indicator.run(fn)` and `okerrupdate --exec` send `OK` or `ERR`
//! with details saying how long the job took and, when it failed, why. The texts are made here,
//! masked first and cut second, so a cut can never leave part of a secret behind.

use crate::base::redact::MASK;
use crate::base::text::{char_at, decimal, fill};

/// The longest details a job report sends, in characters: the server keeps 200 and cuts the
/// rest itself (with `..`), which could cut through the middle of a word or a mask.
pub const DETAILS_CHARS: usize = 200;

/// `ms` as seconds with `decimals` (0 to 3) decimals, without float formatting (whose code alone
/// would be a tenth of the .wasm): `1234.5` ms with 2 decimals is `1.23`. Nonsense (negative,
/// NaN) is `0`.
pub fn seconds(ms: f64, decimals: u32) -> String {
    let decimals = decimals.min(3);
    let unit = 10u64.pow(3 - decimals);
    // `as` saturates: NaN and negatives become 0, a huge value stays finite.
    let ticks = ((ms.max(0.0) + unit as f64 / 2.0) as u64) / unit;
    if decimals == 0 {
        return decimal(ticks);
    }
    let scale = 10u64.pow(decimals);
    // `1` and then the fraction's digits, zero-padded: the `1` is dropped.
    let fraction = decimal(scale + ticks % scale);
    fill!("{}.{}", decimal(ticks / scale), fraction[1..])
}

/// The details of a `run()` whose function succeeded: `ok in 1.23 s`.
pub fn run_ok(ms: f64) -> String {
    fill!("ok in {} s", seconds(ms, 2))
}

/// The details of a `run()` whose function threw or rejected with `message`:
/// `failed in 0.40 s: message`, masked by `scrub` and at most [`DETAILS_CHARS`] long.
pub fn run_failed(ms: f64, message: &str, scrub: impl Fn(&str) -> String) -> String {
    with_reason(
        &fill!("failed in {} s", seconds(ms, 2)),
        Some(message),
        scrub,
    )
}

/// `head`, then `: ` and `reason` on one line when there is one: the reason masked by `scrub`
/// and then made one line, the whole cut to [`DETAILS_CHARS`] characters, never inside a mask.
pub fn with_reason(head: &str, reason: Option<&str>, scrub: impl Fn(&str) -> String) -> String {
    // Masked before it is made one line: squeezing spaces or dropping an escape first would
    // change a secret that holds them, and the changed secret would not be found.
    let reason = reason
        .map(|r| one_line(&scrub(r)))
        .filter(|r| !r.is_empty());
    let Some(reason) = reason else {
        return cut(head, DETAILS_CHARS);
    };
    cut(&fill!("{}: {}", head, reason), DETAILS_CHARS)
}

/// `text` as one line: terminal escape sequences (colours) removed, every other control
/// character (line breaks, tabs) a space, runs of spaces one, and no space at either end.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(4096));
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI (`ESC [ ... final`): the parameters, then one final byte in `@`..`~`.
            if chars.next_if_eq(&'[').is_some() {
                while chars.next_if(|p| !('@'..='~').contains(p)).is_some() {}
                chars.next();
            }
            continue;
        }
        let c = if c.is_control() || c.is_whitespace() {
            ' '
        } else {
            c
        };
        if c != ' ' || (!out.is_empty() && !out.ends_with(' ')) {
            out.push(c);
        }
    }
    let kept = crate::base::text::trim_end(&out).len();
    out.truncate(kept);
    out
}

/// `text` in at most `max` characters: when longer, cut with a `…`, and never inside a mask
/// (`[sec…` would read as a secret half-shown), which is dropped whole instead.
pub fn cut(text: &str, max: usize) -> String {
    if char_at(text, max).is_none() {
        return text.to_string();
    }
    let mut end = char_at(text, max.saturating_sub(1)).unwrap_or(0);
    // A mask that starts before the cut and does not end before it goes whole. Looked for by
    // byte offset: `end` is a character boundary, but the bytes a mask's length around it need
    // not be (slicing the text there panicked), and a mask, ASCII from its `[`, starts on one.
    let from = end.saturating_sub(MASK.len() - 1);
    let bytes = text.as_bytes();
    if let Some(at) = (from..end).find(|&i| bytes[i..].starts_with(MASK.as_bytes())) {
        end = at;
    }
    let mut out = crate::base::text::trim_end(&text[..end]).to_string();
    if max > 0 {
        out.push('…');
    }
    out
}

/// `text` without its last `chars` characters: for a text that was itself cut short before it
/// came here, whose end may be the first part of a secret that masking cannot recognise.
pub fn drop_tail(text: &str, chars: usize) -> &str {
    let keep = text.chars().count().saturating_sub(chars);
    let end = char_at(text, keep).unwrap_or(text.len());
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mask(secret: &'static str) -> impl Fn(&str) -> String {
        move |t: &str| t.replace(secret, MASK)
    }

    #[test]
    fn seconds_are_written_without_float_formatting() {
        assert_eq!(seconds(1234.5, 2), "1.23");
        assert_eq!(seconds(1235.0, 2), "1.24");
        assert_eq!(seconds(400.0, 1), "0.4");
        assert_eq!(seconds(1249.0, 1), "1.2");
        assert_eq!(seconds(5.0, 2), "0.01");
        assert_eq!(seconds(0.0, 2), "0.00");
        assert_eq!(seconds(-3.0, 2), "0.00");
        assert_eq!(seconds(f64::NAN, 1), "0.0");
        assert_eq!(seconds(61_000.0, 0), "61");
        assert_eq!(seconds(1.5, 3), "0.002");
        assert!(
            seconds(f64::INFINITY, 2).ends_with(".61"),
            "saturates, never panics"
        );
    }

    #[test]
    fn run_texts() {
        assert_eq!(run_ok(1234.0), "ok in 1.23 s");
        assert_eq!(
            run_failed(400.0, "disk full\n  at backup()", mask("x")),
            "failed in 0.40 s: disk full at backup()"
        );
        assert_eq!(run_failed(10.0, "  \n", mask("x")), "failed in 0.01 s");
    }

    #[test]
    fn one_line_drops_colours_and_control_characters() {
        assert_eq!(
            one_line("\u{1b}[31merror:\u{1b}[0m bad\tthing\r\n"),
            "error: bad thing"
        );
        assert_eq!(one_line("a\u{0}b\u{7f}c"), "a b c");
        assert_eq!(one_line("\u{1b}"), "");
        assert_eq!(one_line("\u{1b}[12"), "");
    }

    #[test]
    fn masks_first_then_cuts_never_through_a_mask() {
        let long = format!("{}CANARY-SECRET tail", "x".repeat(180));
        let d = with_reason("exit 3 in 0.4 s", Some(&long), mask("CANARY-SECRET"));
        assert!(!d.contains("CANARY"), "{d}");
        assert!(d.chars().count() <= DETAILS_CHARS, "{d}");
        // The mask would straddle the cut: it goes whole rather than as `[sec…`.
        assert!(d.ends_with("x…"), "{d}");
        let secret_at_end = format!("{} CANARY-SECRET", "y".repeat(500));
        let d = with_reason(
            "failed in 1.00 s",
            Some(&secret_at_end),
            mask("CANARY-SECRET"),
        );
        assert_eq!(d.chars().count(), DETAILS_CHARS);
        assert!(!d.contains("CANARY"));
    }

    #[test]
    fn cut_counts_characters_not_bytes() {
        assert_eq!(cut("héllo", 3), "hé…");
        assert_eq!(cut("héllo", 5), "héllo");
        assert_eq!(cut("abc", 0), "");
        assert_eq!(cut("[secret] and more", 4), "…");
        assert_eq!(cut("ab [secret] and more", 12), "ab [secret]…");
        // A character of more than one byte a mask's length after the cut, or before it.
        let long = "aaaa1234567é".to_string() + &"x".repeat(10);
        assert_eq!(cut(&long, 5), "aaaa…");
        assert_eq!(cut("é[secret]xyz", 3), "é…");
        assert_eq!(cut("éé[secret]xyz", 4), "éé…");
    }

    #[test]
    fn drop_tail_removes_characters() {
        assert_eq!(drop_tail("abcdé", 2), "abc");
        assert_eq!(drop_tail("ab", 5), "");
        assert_eq!(drop_tail("ab", 0), "ab");
    }
}
