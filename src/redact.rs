//! The one boundary that masks secrets in text leaving the client: error messages and bodies,
//! log lines, `toString`/`toJSON` views, the command-line tools' output.
//!
//! [`scrub`] masks every spelling of every secret *in force*: a project puts its secret, its
//! API key and its indicators' secrets in force while it builds a message (and masks its log
//! lines and errors with them), and a parser of settings holds every secret-looking value it
//! was given while it checks them, so a secret pasted into the wrong setting is masked in the
//! very error that quotes it. One project's secrets never mask another project's text.
//!
//! Masking comes before cutting: every helper in [`crate::text`] that shortens a text for a
//! message scrubs it first, so a cut can never leave most of a secret behind.

use std::cell::RefCell;
use std::rc::Rc;

/// What a secret is replaced with.
pub const MASK: &str = "[secret]";

struct Entry {
    secret: String,
    /// Every spelling of the secret a server or a proxy may echo it in.
    spellings: Vec<String>,
}

thread_local! {
    /// The secrets in force now: those of every [`Scope`] alive.
    static ACTIVE: RefCell<Vec<Rc<Entry>>> = const { RefCell::new(Vec::new()) };
}

/// A set of secrets with their spellings worked out once: a project's, or a parser's.
#[derive(Default)]
pub struct Secrets {
    entries: Vec<Rc<Entry>>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secrets({})", self.entries.len())
    }
}

impl Secrets {
    /// Remember `secret` (once; empty ones are ignored).
    pub fn add(&mut self, secret: &str) {
        if !secret.is_empty() && !self.entries.iter().any(|e| e.secret == secret) {
            self.entries.push(Rc::new(Entry {
                secret: secret.to_string(),
                spellings: spellings(secret),
            }));
        }
    }

    /// True when one of these secrets has fewer than `chars` characters.
    pub fn any_shorter_than(&self, chars: usize) -> bool {
        self.entries
            .iter()
            .any(|e| e.secret.chars().nth(chars.saturating_sub(1)).is_none())
    }

    /// Put these secrets in force until the returned scope is dropped: every [`scrub`], and so
    /// every cut in [`crate::text`], masks them meanwhile.
    pub fn enter(&self) -> Scope {
        ACTIVE.with(|active| {
            let mut active = active.borrow_mut();
            for entry in &self.entries {
                active.push(Rc::clone(entry));
            }
        });
        Scope {
            count: self.entries.len(),
        }
    }

    /// `text` with these secrets, and those in force, masked.
    pub fn scrub(&self, text: &str) -> String {
        let _in = self.enter();
        scrub(text)
    }
}

/// Secrets in force; they leave when it is dropped. Scopes nest (none is held across an
/// await), so the last ones in force are its own.
pub struct Scope {
    count: usize,
}

impl Drop for Scope {
    fn drop(&mut self) {
        ACTIVE.with(|active| {
            let mut active = active.borrow_mut();
            let keep = active.len().saturating_sub(self.count);
            active.truncate(keep);
        });
    }
}

/// Secrets put in force for as long as it lives: for parsers of settings.
pub struct Hold {
    _scope: Scope,
}

impl Hold {
    /// Put each of `secrets` in force (empty ones are ignored).
    pub fn of(secrets: &[&str]) -> Hold {
        let mut set = Secrets::default();
        secrets.iter().for_each(|s| set.add(s));
        Hold {
            _scope: set.enter(),
        }
    }
}

/// Run `f` with `secrets` held, and mask them in its error: for parsers of settings, whose
/// errors quote the caller's values and are turned into JS errors after the hold is gone.
pub fn holding<T>(
    secrets: &[&str],
    f: impl FnOnce() -> Result<T, crate::error::Error>,
) -> Result<T, crate::error::Error> {
    let _hold = Hold::of(secrets);
    f().map_err(scrub_error)
}

/// The secrets among a caller's settings, found before they are checked so that an error about
/// any setting masks them: `secret` and `apiKey` values, every `secret=` part of a `method`
/// line (wherever it stands, even in a line that is wrong), and the user information of a
/// `url` (`user:password@`), whatever else is wrong with it.
pub fn secrets_in(pairs: &[(String, crate::value::Value)]) -> Vec<&str> {
    let mut out = Vec::new();
    for (key, value) in pairs {
        let crate::value::Value::Str(s) = value else {
            continue;
        };
        match key.as_str() {
            "secret" | "apiKey" => out.push(s.as_str()),
            "method" => method_secrets(s, &mut out),
            "url" => {
                let [userinfo, password] = url_credentials(s);
                out.push(userinfo);
                out.push(password);
            }
            _ => {}
        }
    }
    out
}

/// Add to `out` the value of every `secret=` of a method line, in every spelling
/// ([`crate::method::secret_values`]: any case, spaces, in any part), as written and stripped.
pub fn method_secrets<'a>(line: &'a str, out: &mut Vec<&'a str>) {
    for (start, end) in crate::method::secret_values(line) {
        let value = &line[start..end];
        out.push(value);
        out.push(crate::pynum::strip(value));
    }
}

/// `user:password` and `password` from `scheme://user:password@host/...`.
pub fn url_credentials(url: &str) -> [&str; 2] {
    let authority =
        crate::text::find(url, "//").map_or("", |at| crate::text::up_to(&url[at + 2..], b"/?#"));
    // Up to the last `@` (a byte search: `rsplit_once` would bring a reverse searcher along).
    let userinfo = authority
        .bytes()
        .rposition(|b| b == b'@')
        .map_or("", |at| &authority[..at]);
    let password = crate::text::split_once(userinfo, b':').map_or("", |(_, p)| p);
    [userinfo, password]
}

/// `e` with every held secret masked in its message and body, and its message on one line
/// ([`crate::text::one_line`]), whatever text went into it. The body is the server's text as
/// it was (an excerpt), for a caller who wants it.
pub fn scrub_error(mut e: crate::error::Error) -> crate::error::Error {
    e.message = crate::text::one_line(&scrub(&e.message)).into_owned();
    e.body = e.body.map(|b| scrub(&b));
    e
}

/// `text` with every spelling of every secret in force replaced by [`MASK`].
///
/// One left-to-right pass, longest spelling first at each position, and an existing mask is
/// copied as it is: scrubbing twice changes nothing, and a secret that occurs inside the mask
/// (`s`, say) cannot make it grow. Besides the fixed spellings, a secret with any of its bytes
/// percent-encoded (hex in either case) and a space as `+` is masked ([`percent_spelled`]):
/// encoders differ in which characters they escape (`~`, `!`, `'`...), and a server may echo
/// any of them.
pub fn scrub(text: &str) -> String {
    ACTIVE.with(|active| {
        let active = active.borrow();
        let mut present: Vec<&str> = Vec::new();
        for entry in active.iter() {
            for spelling in &entry.spellings {
                if crate::text::find(text, spelling).is_some() {
                    present.push(spelling);
                }
            }
        }
        // Without a `%` or a `+`, a percent spelling is the raw one, found above.
        let percent = !active.is_empty() && crate::text::has_any(text, b"%+");
        if present.is_empty() && !percent {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if rest.starts_with(MASK) {
                out.push_str(MASK);
                rest = &rest[MASK.len()..];
                continue;
            }
            // The longest spelling here (spellings are never empty: 0 is none).
            let mut hit = 0;
            for s in &present {
                if s.len() > hit && rest.starts_with(s) {
                    hit = s.len();
                }
            }
            if percent {
                for entry in active.iter() {
                    let n = percent_spelled(rest.as_bytes(), entry.secret.as_bytes());
                    if n > hit && rest.is_char_boundary(n) {
                        hit = n;
                    }
                }
            }
            if hit > 0 {
                out.push_str(MASK);
                rest = &rest[hit..];
            } else {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        out
    })
}

/// How many bytes at the start of `text` spell `secret` with any of its bytes written `%XX`
/// (either case) and any space written `+`, as a form or URL encoder may have written it; 0
/// when they do not. A `%XX` that stands for the secret's byte is taken first, the raw byte
/// otherwise.
fn percent_spelled(text: &[u8], secret: &[u8]) -> usize {
    let mut at = 0;
    for &b in secret {
        let rest = &text[at..];
        if let [b'%', h, l, ..] = rest {
            if let (Some(h), Some(l)) = (crate::form::hex(*h), crate::form::hex(*l)) {
                if h << 4 | l == b {
                    at += 3;
                    continue;
                }
            }
        }
        match rest.first() {
            Some(&c) if c == b || (c == b'+' && b == b' ') => at += 1,
            _ => return 0,
        }
    }
    at
}

/// The spellings a secret can be echoed in: raw; form-encoded (`+` or `%20` for a space, upper-
/// or lower-case hex); `encodeURIComponent` and Python's `quote`; HTML-escaped (`&#39;` and
/// `&#x27;` for `'`); JSON-escaped as JavaScript writes it and as Python does (`\uXXXX` for
/// every non-ASCII character).
fn spellings(secret: &str) -> Vec<String> {
    let percent = |keep: &dyn Fn(u8) -> bool, space: &str| {
        let mut out = String::new();
        for b in secret.bytes() {
            if keep(b) {
                out.push(b as char);
            } else if b == b' ' && !space.is_empty() {
                out.push_str(space);
            } else {
                crate::form::push_percent(&mut out, b);
            }
        }
        out
    };
    let unreserved = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'~');
    let uri_component = |b: u8| unreserved(b) || matches!(b, b'!' | b'*' | b'\'' | b'(' | b')');
    let html = |apostrophe: &str| {
        let mut out = String::new();
        for c in secret.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str(apostrophe),
                c => out.push(c),
            }
        }
        out
    };
    // `slash`: how `/` is written (`\/` by JSON writers that escape it).
    let json = |ascii_only: bool, slash: &str| {
        let mut out = String::new();
        for c in secret.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '/' => out.push_str(slash),
                c if (c as u32) < 0x20 || (ascii_only && !c.is_ascii()) => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        out.push_str("\\u");
                        for shift in [12, 8, 4, 0] {
                            out.push(HEX[usize::from((*unit >> shift) & 15)] as char);
                        }
                    }
                }
                c => out.push(c),
            }
        }
        out
    };
    let base = [
        secret.to_string(),
        percent(&unreserved, "+"),
        percent(&unreserved, ""),
        percent(&uri_component, ""),
        percent(&|b| unreserved(b) || b == b'/', ""),
        html("&#39;"),
        html("&#x27;"),
        json(false, "/"),
        json(true, "/"),
        json(true, "\\/"),
    ];
    // Lower-case hex too, for servers and proxies that write it so. The order does not matter:
    // [`scrub`] takes the longest spelling that matches at each position.
    let mut all: Vec<String> = Vec::new();
    for spelled in base {
        for variant in [
            lower_escapes(&spelled),
            upper_json_escapes(&spelled),
            spelled,
        ] {
            if !all.contains(&variant) {
                all.push(variant);
            }
        }
    }
    all
}

/// `%4A` as `%4a`: some servers and proxies write lower-case hex.
fn lower_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut hex_left = 0;
    for c in s.chars() {
        if hex_left > 0 {
            out.push(c.to_ascii_lowercase());
            hex_left -= 1;
        } else {
            out.push(c);
            hex_left = if c == '%' { 2 } else { 0 };
        }
    }
    out
}

/// `\u00e9` as `\u00E9`.
fn upper_json_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = crate::text::find(rest, "\\u") {
        out.push_str(&rest[..i + 2]);
        let digits = rest.get(i + 2..i + 6).unwrap_or("");
        for c in digits.chars() {
            out.push(c.to_ascii_uppercase());
        }
        rest = &rest[i + 2 + digits.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_plain_and_encoded_secrets() {
        let _h = Hold::of(&["a b&c", "CANARY", ""]);
        assert_eq!(
            scrub("x CANARY y a b&c z a+b%26c w a%20b%26c v a+b%26c"),
            "x [secret] y [secret] z [secret] w [secret] v [secret]"
        );
        assert_eq!(scrub("nothing here"), "nothing here");
    }

    #[test]
    fn masks_every_spelling() {
        let _h = Hold::of(&["s3cr\u{e9}t/\"<'&> x"]);
        let spelled = [
            "s3cr\u{e9}t/\"<'&> x",
            "s3cr%C3%A9t%2F%22%3C%27%26%3E+x",
            "s3cr%c3%a9t%2f%22%3c%27%26%3e+x",
            "s3cr%C3%A9t%2F%22%3C'%26%3E%20x",
            "s3cr\u{e9}t/&quot;&lt;&#x27;&amp;&gt; x",
            "s3cr\u{e9}t/&quot;&lt;&#39;&amp;&gt; x",
            "s3cr\u{e9}t/\\\"<'&> x",
            "s3cr\\u00e9t/\\\"<'&> x",
            "s3cr\\u00E9t\\/\\\"<'&> x",
        ];
        for s in spelled {
            assert_eq!(scrub(&format!("<{s}>")), "<[secret]>", "{s}");
        }
    }

    #[test]
    fn masks_a_secret_with_any_byte_percent_encoded() {
        // `~` and `!` are left alone by some encoders and escaped by others (Python before
        // 3.7 wrote `%7E`), in either case, with `+` or `%20` for a space.
        let _h = Hold::of(&["a~b!c d'e"]);
        for spelled in [
            "a%7eb%21c+d%27e",
            "a%7Eb%21c%20d%27e",
            "a~b%21c+d'e",
            "%61%7e%62%21%63%20%64%27%65",
            "a~b!c d%27e",
        ] {
            assert_eq!(scrub(&format!("<{spelled}>")), "<[secret]>", "{spelled}");
        }
        // Not a spelling: another byte, a cut escape, a `+` where the secret has none.
        for other in ["a%7eb%22c+d%27e", "a%7eb%2", "a~b!c+d+e"] {
            assert_eq!(scrub(other), other, "{other}");
        }
    }

    #[test]
    fn a_percent_spelling_ends_on_a_character_boundary() {
        let _h = Hold::of(&["\u{e9}x"]);
        assert_eq!(
            scrub("%C3%A9x %c3%a9x \u{e9}x"),
            "[secret] [secret] [secret]"
        );
        assert_eq!(scrub("%C3\u{e9}"), "%C3\u{e9}");
    }

    #[test]
    fn upper_json_escapes_as_a_substring_search_did() {
        fn with_find(s: &str) -> String {
            let mut out = String::new();
            let mut rest = s;
            while let Some(i) = rest.find("\\u") {
                out.push_str(&rest[..i + 2]);
                let digits = rest.get(i + 2..i + 6).unwrap_or("");
                out.push_str(&digits.to_ascii_uppercase());
                rest = &rest[i + 2 + digits.len()..];
            }
            out + rest
        }
        for s in [
            "",
            "\\u00e9",
            "a\\u",
            "\\uab",
            "\\\\uabcd",
            "\\u0\u{e9}bc",
            "x\\uabcdef\\u12ab",
        ] {
            assert_eq!(upper_json_escapes(s), with_find(s), "{s:?}");
        }
    }

    #[test]
    fn finds_secrets_in_settings_before_they_are_checked() {
        use crate::value::Value;
        let pairs = [
            ("secret".to_string(), Value::Str("S1".into())),
            ("method".to_string(), Value::Str("secret=M1|x".into())),
            ("method".to_string(), Value::Str("|secret= M2 ".into())),
            ("url".to_string(), Value::Str("https://u:P1@h/".into())),
            ("apiKey".to_string(), Value::Num(1.0)),
        ];
        assert_eq!(
            secrets_in(&pairs),
            ["S1", "M1", "M1", " M2 ", "M2", "u:P1", "P1"]
        );
    }

    #[test]
    fn a_hold_releases_its_secrets() {
        {
            let _h = Hold::of(&["TEMPORARY"]);
            {
                let _again = Hold::of(&["TEMPORARY"]);
            }
            assert_eq!(scrub("TEMPORARY"), MASK);
        }
        assert_eq!(scrub("TEMPORARY"), "TEMPORARY");
    }

    #[test]
    fn a_set_masks_its_own_secrets_only_while_in_force() {
        let mut mine = Secrets::default();
        mine.add("MINE");
        assert_eq!(mine.scrub("MINE OTHER"), "[secret] OTHER");
        assert_eq!(
            scrub("MINE"),
            "MINE",
            "not in force outside the project's scope"
        );
        let _in = mine.enter();
        assert_eq!(crate::text::quoted("xMINEx"), "'x[secret]x'");
    }

    #[test]
    fn holding_masks_the_error_it_returns() {
        let e = holding(&["PASTED"], || -> Result<(), _> {
            Err(crate::error::Error::invalid("url 'PASTED' is wrong"))
        })
        .unwrap_err();
        assert_eq!(e.message, "url '[secret]' is wrong");
    }

    #[test]
    fn short_secrets_do_not_grow_the_mask_and_scrubbing_is_idempotent() {
        let _h = Hold::of(&["s", "se"]);
        let once = scrub("does nosuch secret");
        assert_eq!(once, "doe[secret] no[secret]uch [secret]cret");
        assert_eq!(scrub(&once), once);
    }
}
