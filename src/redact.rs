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
        }
    }

    /// `text` with every known secret, and its form-encoded spelling, replaced by [`MASK`].
    ///
    /// One left-to-right pass, longest secret first at each position, and an existing mask is
    /// copied as it is: scrubbing twice changes nothing, and a secret that occurs inside the
    /// mask (`s`, say) cannot make it grow.
    pub fn scrub(&self, text: &str) -> String {
        if self
            .known
            .iter()
            .all(|k| !text.contains(k.as_str()) && !text.contains(encoded(k).as_str()))
            && !text.contains(MASK)
        {
            return text.to_string();
        }
        let spellings: Vec<String> = self
            .known
            .iter()
            .flat_map(|k| [k.clone(), encoded(k)])
            .collect();
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if rest.starts_with(MASK) {
                out.push_str(MASK);
                rest = &rest[MASK.len()..];
            } else if let Some(hit) = spellings
                .iter()
                .filter(|s| rest.starts_with(s.as_str()))
                .max_by_key(|s| s.len())
            {
                out.push_str(MASK);
                rest = &rest[hit.len()..];
            } else {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        out
    }
}

/// A secret as it appears inside a form-encoded body.
fn encoded(secret: &str) -> String {
    let mut form = crate::form::FormBody::default();
    form.push("", secret);
    form.finish().split_off(1)
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

    #[test]
    fn short_secrets_do_not_grow_the_mask_and_scrubbing_is_idempotent() {
        let mut s = Secrets::default();
        s.add("s");
        s.add("se");
        let once = s.scrub("does nosuch secret");
        assert_eq!(once, "doe[secret] no[secret]uch [secret]cret");
        assert_eq!(s.scrub(&once), once);
    }
}
