//! Locales and localized text with fallback (ar, fr, en, es, tzm).

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A language the platform speaks. Tamazight (`tzm`) is written in Tifinagh.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "lowercase"))]
pub enum Locale {
    Ar,
    Fr,
    En,
    Es,
    Tzm,
}

impl Locale {
    pub const ALL: [Locale; 5] = [Locale::Ar, Locale::Fr, Locale::En, Locale::Es, Locale::Tzm];

    pub const fn as_str(self) -> &'static str {
        match self {
            Locale::Ar => "ar",
            Locale::Fr => "fr",
            Locale::En => "en",
            Locale::Es => "es",
            Locale::Tzm => "tzm",
        }
    }

    /// Whether the locale is written right to left.
    pub const fn is_rtl(self) -> bool {
        matches!(self, Locale::Ar)
    }

    /// Picks the first supported locale of an HTTP `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut ranked: Vec<(f32, usize, Locale)> = header
            .split(',')
            .enumerate()
            .filter_map(|(position, part)| {
                let mut pieces = part.trim().split(';');
                let tag = pieces.next()?.trim();
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                let primary = tag.split(['-', '_']).next()?;
                let locale = primary.parse::<Locale>().ok()?;
                (quality > 0.0).then_some((quality, position, locale))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.first().map(|(_, _, locale)| *locale)
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The tag is not one of the platform's locales.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported locale `{0}` (expected one of ar, fr, en, es, tzm)")]
pub struct UnknownLocale(pub String);

impl FromStr for Locale {
    type Err = UnknownLocale;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ar" => Ok(Locale::Ar),
            "fr" => Ok(Locale::Fr),
            "en" => Ok(Locale::En),
            "es" => Ok(Locale::Es),
            "tzm" | "zgh" | "ber" => Ok(Locale::Tzm),
            other => Err(UnknownLocale(other.to_owned())),
        }
    }
}

/// A text in several locales: `{"ar": "…", "fr": "…"}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LocalizedText(BTreeMap<Locale, String>);

impl LocalizedText {
    pub fn new() -> Self {
        Self::default()
    }

    /// Builder: adds (or replaces) the text for one locale.
    pub fn with(mut self, locale: Locale, text: impl Into<String>) -> Self {
        self.0.insert(locale, text.into());
        self
    }

    /// Arabic and French, the two languages every Moroccan procedure is published in.
    pub fn ar_fr(ar: impl Into<String>, fr: impl Into<String>) -> Self {
        Self::new().with(Locale::Ar, ar).with(Locale::Fr, fr)
    }

    /// The text in exactly this locale, if any.
    pub fn exact(&self, locale: Locale) -> Option<&str> {
        self.0.get(&locale).map(String::as_str).filter(|s| !s.is_empty())
    }

    /// The text in `wanted`, else in the first of `fallbacks` that has it, else in any locale (French, then
    /// Arabic, then the rest), else the empty string.
    pub fn get(&self, wanted: Locale, fallbacks: &[Locale]) -> &str {
        self.resolve(wanted, fallbacks).map_or("", |(_, text)| text)
    }

    /// Like [`get`](Self::get), with the locale the text found is written in.
    pub fn resolve(&self, wanted: Locale, fallbacks: &[Locale]) -> Option<(Locale, &str)> {
        std::iter::once(wanted)
            .chain(fallbacks.iter().copied())
            .chain([Locale::Fr, Locale::Ar])
            .chain(Locale::ALL)
            .find_map(|locale| Some((locale, self.exact(locale)?)))
    }

    pub fn is_empty(&self) -> bool {
        self.0.values().all(String::is_empty)
    }

    /// Rewrites the text of every locale with `f`.
    pub fn rewrite(&mut self, f: impl Fn(&str) -> String) {
        for text in self.0.values_mut() {
            *text = f(text);
        }
    }

    pub fn locales(&self) -> impl Iterator<Item = Locale> + '_ {
        self.0.iter().filter(|(_, text)| !text.is_empty()).map(|(locale, _)| *locale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_in_order() {
        let text = LocalizedText::ar_fr("تصحيح الإمضاء", "Légalisation de signature");
        assert_eq!(text.get(Locale::Ar, &[]), "تصحيح الإمضاء");
        assert_eq!(text.get(Locale::Tzm, &[Locale::Ar]), "تصحيح الإمضاء");
        assert_eq!(text.get(Locale::En, &[]), "Légalisation de signature");
        assert_eq!(LocalizedText::new().get(Locale::Fr, &[]), "");
        assert_eq!(text.resolve(Locale::Tzm, &[Locale::Ar]), Some((Locale::Ar, "تصحيح الإمضاء")));
        assert_eq!(text.resolve(Locale::Fr, &[Locale::Ar]), Some((Locale::Fr, "Légalisation de signature")));
        assert_eq!(LocalizedText::new().resolve(Locale::Fr, &[]), None);
        let tamazight = LocalizedText::new().with(Locale::Tzm, "ⴰⵙⵖⵉⵡⵙ");
        assert_eq!(tamazight.get(Locale::Fr, &[]), "ⴰⵙⵖⵉⵡⵙ");
    }

    #[test]
    fn parses_accept_language() {
        let cases = [
            ("fr-FR,fr;q=0.9,en;q=0.8", Some(Locale::Fr)),
            ("en;q=0.5, ar-MA", Some(Locale::Ar)),
            ("de-DE, es;q=0.1", Some(Locale::Es)),
            ("de-DE", None),
            ("fr;q=0", None),
            ("", None),
        ];
        for (header, expected) in cases {
            assert_eq!(Locale::from_accept_language(header), expected, "{header}");
        }
    }

    #[test]
    fn serializes_as_a_map() {
        let text = LocalizedText::ar_fr("أ", "a");
        let json = serde_json::to_string(&text).unwrap();
        assert_eq!(json, r#"{"ar":"أ","fr":"a"}"#);
        assert_eq!(serde_json::from_str::<LocalizedText>(&json).unwrap(), text);
        assert!("xx".parse::<Locale>().is_err());
    }
}
