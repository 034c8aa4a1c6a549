//! The layout texts of the PDFs a commune issues, a section of its settings (`settings.documents`) so that a
//! commune adapts them and template upgrades merge them: the heading's lines above the commune's name (the
//! state, a ministry, a province…) and the footer saying how to verify, each in Arabic and French. A template
//! that sets none gets the standard layout of its country.

use serde::{Deserialize, Serialize};

use super::commune::Country;
use super::i18n::{Locale, LocalizedText};
use super::settings::SettingsSection;

/// The key of the section in the settings.
pub const SETTINGS_KEY: &str = "documents";

/// What the footer names the verification page by.
pub const VERIFY_PAGE: &str = "{verifyPage}";

/// The most heading lines a sheet prints above the commune's name.
pub const MAX_HEADING_LINES: usize = 4;

/// The layout texts of issued PDFs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DocumentLayout {
    /// The heading's lines above the commune's name, each in Arabic (printed on the right) and French (left).
    pub heading: Vec<LocalizedText>,
    /// How to verify, at the foot of every page, in Arabic and French; `{verifyPage}` stands for the address of
    /// the verification page.
    pub footer: LocalizedText,
}

impl SettingsSection for DocumentLayout {
    const KEY: &'static str = SETTINGS_KEY;

    /// At most four heading lines; every text in Arabic and French; the footer names the verification page.
    fn check(&self) -> Result<(), String> {
        if self.heading.len() > MAX_HEADING_LINES {
            return Err(format!("heading: at most {MAX_HEADING_LINES} lines"));
        }
        let both = |text: &LocalizedText| {
            [Locale::Ar, Locale::Fr].iter().all(|&locale| text.exact(locale).is_some_and(|t| !t.trim().is_empty()))
        };
        if let Some(index) = self.heading.iter().position(|line| !both(line)) {
            return Err(format!("heading[{index}]: a line in Arabic and in French"));
        }
        if !both(&self.footer) {
            return Err("footer: a text in Arabic and in French".into());
        }
        for locale in [Locale::Ar, Locale::Fr] {
            if !self.footer.exact(locale).is_some_and(|text| text.contains(VERIFY_PAGE)) {
                return Err(format!("footer.{}: must name the verification page as {VERIFY_PAGE}", locale.as_str()));
            }
        }
        Ok(())
    }
}

impl DocumentLayout {
    /// The layout of a country's communes when their template sets none.
    pub fn standard(country: Country) -> Self {
        let (ar, fr) = match country {
            Country::Morocco => ("المملكة المغربية", "Royaume du Maroc"),
            Country::Mauritania => ("الجمهورية الإسلامية الموريتانية", "République islamique de Mauritanie"),
            Country::Spain => ("مملكة إسبانيا", "Royaume d'Espagne"),
        };
        Self {
            heading: vec![LocalizedText::ar_fr(ar, fr)],
            footer: LocalizedText::ar_fr(
                "للتحقق من صحة هذه الوثيقة: امسح رمز QR أو أدخل رمز التحقق في {verifyPage}، ثم أرفق ملف PDF هذا.",
                "Pour vérifier ce document : scannez le code QR ou saisissez son code sur {verifyPage}, puis déposez-y ce PDF.",
            ),
        }
    }

    /// The footer in `locale` with the verification page's address in it.
    pub fn footer_in(&self, locale: Locale, verify_page: &str) -> String {
        self.footer.exact(locale).unwrap_or_default().replace(VERIFY_PAGE, verify_page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_standard_layout_passes_its_check() {
        for country in [Country::Morocco, Country::Mauritania, Country::Spain] {
            assert_eq!(DocumentLayout::standard(country).check(), Ok(()));
        }
        let footer = DocumentLayout::standard(Country::Morocco).footer_in(Locale::Fr, "https://x.ma/verify");
        assert!(footer.contains("sur https://x.ma/verify,"), "{footer}");
    }

    #[test]
    fn a_layout_without_the_verification_page_or_a_language_is_refused() {
        let mut layout = DocumentLayout::standard(Country::Morocco);
        layout.footer = LocalizedText::ar_fr("تحقق", "Vérifiez");
        assert!(layout.check().unwrap_err().starts_with("footer.ar"));
        let mut layout = DocumentLayout::standard(Country::Morocco);
        layout.heading.push(LocalizedText::ar_fr("", "Province d'Oujda-Angad"));
        assert_eq!(layout.check(), Err("heading[1]: a line in Arabic and in French".into()));
        let mut layout = DocumentLayout::standard(Country::Morocco);
        layout.heading = vec![LocalizedText::ar_fr("أ", "A"); 5];
        assert!(layout.check().is_err());
    }

    #[test]
    fn the_section_reads_from_the_settings() {
        let settings = serde_json::json!({ "documents": {
            "heading": [{ "ar": "المملكة المغربية", "fr": "Royaume du Maroc" }, { "ar": "وزارة الداخلية", "fr": "Ministère de l'Intérieur" }],
            "footer": { "ar": "تحقق في {verifyPage}", "fr": "Vérifiez sur {verifyPage}" }
        }});
        let settings = serde_json::from_value(settings).unwrap();
        let layout = DocumentLayout::from_settings(&settings).unwrap().unwrap();
        assert_eq!(layout.heading.len(), 2);
        assert_eq!(layout.footer_in(Locale::Ar, "https://x.ma/verify"), "تحقق في https://x.ma/verify");
    }
}
