//! `application/x-www-form-urlencoded` bodies, encoded byte for byte as Python's `urlencode`
//! (which the reference client uses through `requests`) encodes them.

/// Builds a form body one field at a time, in the order the fields are pushed.
#[derive(Debug, Default)]
pub struct FormBody {
    body: String,
}

impl FormBody {
    /// An empty body with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        FormBody {
            body: String::with_capacity(capacity),
        }
    }

    /// Append `key=value`.
    pub fn push(&mut self, key: &str, value: &str) {
        if !self.body.is_empty() {
            self.body.push('&');
        }
        encode_into(&mut self.body, key);
        self.body.push('=');
        encode_into(&mut self.body, value);
    }

    /// The encoded body.
    pub fn finish(self) -> String {
        self.body
    }
}

/// `quote_plus`: letters, digits and `_.-~` stay, a space becomes `+`, every other byte `%XX`.
fn encode_into(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'~') {
            out.push(b as char);
        } else if b == b' ' {
            out.push('+');
        } else {
            push_percent(out, b);
        }
    }
}

/// Append `%XX` (upper-case hex) for one byte.
pub fn push_percent(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(HEX[usize::from(b >> 4)] as char);
    out.push(HEX[usize::from(b & 15)] as char);
}

/// Decode a form body back into its fields (used by tests and by the fuzzers' round trips).
pub fn decode(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode_part(k), decode_part(v))
        })
        .collect()
}

fn decode_part(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (
                bytes.get(i + 1).and_then(|&h| hex(h)),
                bytes.get(i + 2).and_then(|&l| hex(l)),
            ) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The value of one hex digit, in either case.
pub(crate) fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_python_urlencode() {
        let mut f = FormBody::default();
        f.push("name", "test:1");
        f.push("details", "Current temperature is normal");
        f.push("method", "numerical|maxlim=37");
        f.push("x", "a&b=c/é~_.-*");
        f.push("tags", "");
        assert_eq!(
            f.finish(),
            "name=test%3A1&details=Current+temperature+is+normal&method=numerical%7Cmaxlim%3D37&x=a%26b%3Dc%2F%C3%A9~_.-%2A&tags="
        );
    }

    #[test]
    fn decode_round_trips() {
        let fields = [("a b", "c+d%"), ("", ""), ("ü", "\u{1F600}")];
        let mut f = FormBody::default();
        for (k, v) in fields {
            f.push(k, v);
        }
        let body = f.finish();
        let back = decode(&body);
        let expected: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(back, expected, "{body}");
        assert_eq!(
            decode("%zz=%4"),
            vec![("%zz".to_string(), "%4".to_string())]
        );
    }
}
