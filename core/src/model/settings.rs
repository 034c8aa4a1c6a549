//! The sections of a commune's settings that a module reads (`settings.hr`, `settings.disputes`, …): each is
//! read from the template's settings by its key, then checked by its own rules, both when a template is
//! published and when the module reads it.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;

/// A section of the commune's settings, under [`SettingsSection::KEY`].
pub trait SettingsSection: DeserializeOwned {
    /// The section's key in the settings.
    const KEY: &'static str;

    /// What the section's own rules refuse, as a text naming the offending entry.
    fn check(&self) -> Result<(), String>;

    /// The section from the commune's settings, checked; `None` when its template sets none.
    fn from_settings(settings: &BTreeMap<String, serde_json::Value>) -> Option<Result<Self, String>> {
        settings.get(Self::KEY).map(|value| {
            let parsed: Self = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
            parsed.check()?;
            Ok(parsed)
        })
    }

    /// The section from the commune's settings, checked; its default when its template sets none.
    fn from_settings_or_default(settings: &BTreeMap<String, serde_json::Value>) -> Result<Self, String>
    where
        Self: Default,
    {
        Self::from_settings(settings).unwrap_or_else(|| Ok(Self::default()))
    }
}

/// The keys of the list `list` are snake case (`[a-z0-9_]+`) and each given once.
pub fn snake_case_keys_once<'a>(list: &str, keys: impl IntoIterator<Item = &'a str>) -> Result<(), String> {
    let mut seen = std::collections::BTreeSet::new();
    for key in keys {
        let well_formed =
            !key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !well_formed {
            return Err(format!("{list}: `{key}` is not a snake-case key"));
        }
        if !seen.insert(key) {
            return Err(format!("{list}: `{key}` is given twice"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::snake_case_keys_once;

    #[test]
    fn keys_are_snake_case_and_given_once() {
        assert_eq!(snake_case_keys_once("kinds", ["annual", "sick_2"]), Ok(()));
        assert_eq!(snake_case_keys_once("kinds", ["Annual"]), Err("kinds: `Annual` is not a snake-case key".into()));
        assert_eq!(snake_case_keys_once("kinds", [""]), Err("kinds: `` is not a snake-case key".into()));
        assert_eq!(snake_case_keys_once("kinds", ["a", "a"]), Err("kinds: `a` is given twice".into()));
    }
}
