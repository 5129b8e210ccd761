//! What the page forms share: texts trimmed as they are read, and checkboxes.

use std::collections::BTreeSet;

use serde::{Deserialize, Deserializer};

/// A text field, trimmed once as it is read.
pub fn trimmed<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(String::deserialize(d)?.trim().to_owned())
}

/// A ticked checkbox: present, whatever its value.
pub fn ticked<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    serde::de::IgnoredAny::deserialize(d).map(|_| true)
}

/// The names of a form's fields, for boxes named after reference data (`skill_<code>`,
/// `language_<code>`): a ticked box is a name that is present. Flattened into a form struct.
#[derive(Debug, Default, Clone)]
pub struct Boxes(BTreeSet<String>);

impl Boxes {
    /// Whether the box `prefix` + `code` is ticked.
    pub fn ticked(&self, prefix: &str, code: &str) -> bool {
        self.0.iter().any(|name| name.strip_prefix(prefix) == Some(code))
    }

    /// Ticks the box `prefix` + `code` (a form's default).
    pub fn tick(&mut self, prefix: &str, code: &str) {
        self.0.insert(format!("{prefix}{code}"));
    }
}

impl<'de> Deserialize<'de> for Boxes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Names;
        impl<'de> serde::de::Visitor<'de> for Names {
            type Value = Boxes;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("form fields")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Boxes, A::Error> {
                let mut names = BTreeSet::new();
                while let Some((name, _)) = map.next_entry::<String, serde::de::IgnoredAny>()? {
                    names.insert(name);
                }
                Ok(Boxes(names))
            }
        }
        d.deserialize_map(Names)
    }
}
