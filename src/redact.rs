//! The one place secrets are removed from text that leaves the client (log lines, errors).

/// What a secret is replaced with.
pub const MASK: &str = "[secret]";

/// The secrets one project knows: its own, its API key, and those of its indicators.
#[derive(Debug, Default, Clone)]
pub struct Secrets {
    known: Vec<String>,
}

impl Secrets {
    /// Remember `secret` (once).
    pub fn add(&mut self, secret: &str) {
        if !secret.is_empty() && !self.known.iter().any(|k| k == secret) {
            self.known.push(secret.to_string());
            // Longest first, so a secret that contains another is masked whole.
            self.known.sort_by_key(|k| std::cmp::Reverse(k.len()));
        }
    }

    /// `text` with every known secret, and its form-encoded spelling, replaced by [`MASK`].
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for secret in &self.known {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), MASK);
            }
            let mut encoded = crate::form::FormBody::default();
            encoded.push("", secret);
            let encoded = encoded.finish();
            let encoded = &encoded[1..];
            if encoded != secret && out.contains(encoded) {
                out = out.replace(encoded, MASK);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_plain_and_encoded_secrets() {
        let mut s = Secrets::default();
        s.add("a b&c");
        s.add("CANARY");
        s.add("");
        assert_eq!(
            s.scrub("x CANARY y a b&c z a+b%26c"),
            "x [secret] y [secret] z [secret]"
        );
        assert_eq!(s.scrub("nothing here"), "nothing here");
    }
}
