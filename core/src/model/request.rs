//! Requests (a citizen's file): tracking codes, documents received and the receipt (récépissé).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::FieldError;
use crate::model::catalog::{DocumentRequirement, Fee, SilenceRule};
use crate::model::commune::{InvalidValue, TrackingPrefix};
pub use crate::model::documents::SubmittedDocument;
use crate::model::documents::validate_documents;
use crate::model::form::{FormSchema, ValidationContext};
use crate::model::i18n::LocalizedText;
use crate::model::keys::ServiceCode;
use crate::model::workflow::Outcome;

/// Where the API's submission input puts the form data and the documents: their errors are reported under it
/// (`input.data.cin`, `input.documents[0].mediaType`).
pub const INPUT_PATH_PREFIX: &str = "input.";

/// Checks a submission as the API receives it, the form data against the service's form and the documents
/// against its published list (a [`ServiceDefinition`](crate::model::catalog::ServiceDefinition)'s `form` and `documents`), and returns the data
/// normalized ([`FormSchema::validate`]).
///
/// Every failure is returned at once, form first, at the path of the API's input: `input.data.cin`,
/// `input.documents[1].sizeBytes`, `input.documents.<code>` for a missing mandatory document. A form that is
/// itself broken (an invalid pattern) reports at `form.fields[i]…`, unprefixed. The server accepts a
/// submission exactly when this returns `Ok`, and the SDK runs the same function in the browser.
pub fn validate_submission(
    form: &FormSchema,
    published: &[DocumentRequirement],
    data: &Value,
    documents: &[SubmittedDocument],
    ctx: &ValidationContext,
) -> Result<Map<String, Value>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let normalized = match form.validate(data, ctx) {
        Ok(normalized) => Some(normalized),
        Err(found) => {
            errors.extend(found);
            None
        }
    };
    errors.extend(validate_documents(published, documents));
    for error in &mut errors {
        if error.path.starts_with("data") || error.path.starts_with("documents") {
            error.path.insert_str(0, INPUT_PATH_PREFIX);
        }
    }
    match normalized {
        Some(normalized) if errors.is_empty() => Ok(normalized),
        _ => Err(errors),
    }
}

/// `OUJ-2026-000042`: the commune's prefix, the year of submission and a per-commune, per-year sequence.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TrackingCode {
    prefix: String,
    year: i32,
    sequence: u32,
    /// How many digits the sequence is written with (zero-padded): 6 by default, a commune setting.
    digits: u8,
}

/// The default width of a tracking code's sequence: `000042`.
pub const DEFAULT_SEQUENCE_DIGITS: u8 = 6;

impl TrackingCode {
    pub fn new(prefix: &TrackingPrefix, year: i32, sequence: u32) -> Self {
        Self::with_digits(prefix, year, sequence, DEFAULT_SEQUENCE_DIGITS)
    }

    /// A code whose sequence is written with `digits` digits (6 to 9).
    pub fn with_digits(prefix: &TrackingPrefix, year: i32, sequence: u32, digits: u8) -> Self {
        Self { prefix: prefix.as_str().to_owned(), year, sequence, digits: digits.clamp(6, 9) }
    }

    /// Parses a code as a citizen types it: surrounding spaces and lower case are accepted.
    pub fn parse(value: &str) -> Result<Self, InvalidValue> {
        let invalid = || InvalidValue::new("tracking code", value, "PREFIX-YYYY-NNNNNN, e.g. OUJ-2026-000042");
        let upper = value.trim().to_ascii_uppercase();
        let mut parts = upper.split('-');
        let (Some(prefix), Some(year), Some(sequence), None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        let prefix = TrackingPrefix::parse(prefix).map_err(|_| invalid())?;
        let year_ok = year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit());
        let sequence_ok = (6..=9).contains(&sequence.len()) && sequence.bytes().all(|b| b.is_ascii_digit());
        if !year_ok || !sequence_ok {
            return Err(invalid());
        }
        let sequence_text_len = sequence.len();
        let year: i32 = year.parse().map_err(|_| invalid())?;
        let sequence: u32 = sequence.parse().map_err(|_| invalid())?;
        if sequence == 0 {
            return Err(invalid());
        }
        let digits = u8::try_from(sequence_text_len).unwrap_or(DEFAULT_SEQUENCE_DIGITS);
        Ok(Self::with_digits(&prefix, year, sequence, digits))
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    pub fn sequence(&self) -> u32 {
        self.sequence
    }
}

impl fmt::Display for TrackingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:04}-{:0width$}", self.prefix, self.year, self.sequence, width = usize::from(self.digits))
    }
}

impl FromStr for TrackingCode {
    type Err = InvalidValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for TrackingCode {
    type Error = InvalidValue;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<TrackingCode> for String {
    fn from(code: TrackingCode) -> String {
        code.to_string()
    }
}

/// The receipt (récépissé) issued when a file is deposited (law 55.19).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Receipt {
    pub tracking_code: TrackingCode,
    pub commune_name: LocalizedText,
    pub service_code: ServiceCode,
    pub service_name: LocalizedText,
    pub submitted_at: DateTime<Utc>,
    pub documents: Vec<SubmittedDocument>,
    pub fees: Vec<Fee>,
    /// The date by which the law says the commune must decide.
    pub decision_due: NaiveDate,
    pub silence: SilenceRule,
    pub silence_means: LocalizedText,
    /// Who set the deadline: the law the procedure cites, or the commune (a procedure without a legal
    /// reference, as in a template that dropped another country's law).
    #[serde(default)]
    pub deadline_set_by: DeadlineSetBy,
}

/// Who set a procedure's deadline, as a receipt says it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineSetBy {
    /// A legal text the procedure cites.
    #[default]
    Law,
    /// The commune: no legal reference is cited.
    Commune,
}

impl DeadlineSetBy {
    /// The law when the procedure cites one, else the commune.
    pub fn of(legal_references: &[crate::model::catalog::LegalReference]) -> Self {
        if legal_references.is_empty() { DeadlineSetBy::Commune } else { DeadlineSetBy::Law }
    }

    /// What a receipt says of it.
    pub fn explanation(self) -> LocalizedText {
        use crate::model::i18n::Locale;
        match self {
            DeadlineSetBy::Law => LocalizedText::ar_fr(
                "أجل محدد بالنصوص القانونية المذكورة في المسطرة.",
                "Délai fixé par les textes légaux cités par la procédure.",
            )
            .with(Locale::En, "Deadline set by the legal texts the procedure cites.")
            .with(Locale::Es, "Plazo fijado por los textos legales que cita el procedimiento.")
            .with(Locale::Tzm, "ⴰⵣⵎⵣ ⵉⵜⵜⵓⵙⵡⵓⵔⵏ ⵙ ⵉⴹⵔⵉⵙⵏ ⵏ ⵓⵙⵔⴰⴳ ⵉⵜⵜⵓⵎⵎⴰⵍⵏ ⴳ ⵓⵎⵙⴽⴰⵔ."),
            DeadlineSetBy::Commune => LocalizedText::ar_fr(
                "أجل حددته الجماعة، وليس نصا قانونيا.",
                "Délai fixé par la commune, non par un texte de loi.",
            )
            .with(Locale::En, "Deadline set by the commune, not by a legal text.")
            .with(Locale::Es, "Plazo fijado por el municipio, no por un texto legal.")
            .with(Locale::Tzm, "ⴰⵣⵎⵣ ⵉⵙⵡⵓⵔ ⵜ ⵜⵎⵙⵙⵓⵎⴰ, ⵓⵔ ⵜ ⵉⵙⵡⵓⵔ ⵓⴹⵔⵉⵙ ⵏ ⵓⵙⵔⴰⴳ."),
        }
    }
}

/// The name of the first step of every request's history, the submission itself (action `submit`).
pub fn submission_label() -> LocalizedText {
    LocalizedText::ar_fr("إيداع الطلب", "Dépôt de la demande")
        .with(crate::model::i18n::Locale::En, "Request submitted")
        .with(crate::model::i18n::Locale::Es, "Presentación de la solicitud")
        .with(crate::model::i18n::Locale::Tzm, "ⴰⵙⵔⵙ ⵏ ⵓⵙⵓⵜⵔ")
}

/// Where a request stands, as the citizen and the staff see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestStatus {
    pub state: String,
    pub state_label: LocalizedText,
    pub outcome: Option<Outcome>,
    pub version: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FieldErrorCode;
    use crate::model::commune::Country;
    use crate::model::standard::moroccan_services;

    fn legalisation() -> crate::model::catalog::ServiceDefinition {
        moroccan_services().unwrap().into_iter().find(|s| s.code == "legalisation-signature").unwrap()
    }

    fn pdf(code: &str, size_bytes: u64) -> SubmittedDocument {
        SubmittedDocument {
            code: code.into(),
            file_name: "a.pdf".into(),
            media_type: "application/pdf".into(),
            size_bytes,
            sha256: None,
        }
    }

    #[test]
    fn submissions_report_form_then_documents_under_input() {
        let ctx = ValidationContext { country: Country::Morocco };
        let data = serde_json::json!({"signatory_name": "Fatima", "cin": "12", "document_title": "Bail", "copies": 1});
        let service = legalisation();
        let check = |data: &Value, documents: &[SubmittedDocument]| {
            validate_submission(&service.form, &service.documents, data, documents, &ctx)
        };
        let errors = check(&data, &[pdf("plans", 0)]).unwrap_err();
        let found: Vec<(&str, FieldErrorCode)> = errors.iter().map(|e| (e.path.as_str(), e.code)).collect();
        assert_eq!(
            found,
            [
                ("input.data.cin", FieldErrorCode::InvalidNationalId),
                ("input.documents[0].code", FieldErrorCode::DocumentNotAllowed),
                ("input.documents[0].sizeBytes", FieldErrorCode::InvalidValue),
                ("input.documents.document_to_sign", FieldErrorCode::DocumentMissing),
            ]
        );

        assert!(check(&data, &[]).is_err(), "the mandatory document is missing");
        let data = serde_json::json!({"signatory_name": " Fatima ", "cin": "ab 123456", "document_title": "Bail", "copies": 1});
        let normalized = check(&data, &[pdf("document_to_sign", 10)]).unwrap();
        assert_eq!(normalized["cin"], "AB123456");
        assert_eq!(normalized["signatory_name"], "Fatima");
    }

    #[test]
    fn tracking_codes_round_trip() {
        let prefix = TrackingPrefix::parse("OUJ").unwrap();
        let code = TrackingCode::new(&prefix, 2026, 42);
        assert_eq!(code.to_string(), "OUJ-2026-000042");
        assert_eq!(TrackingCode::parse(" ouj-2026-000042 ").unwrap(), code);
        assert_eq!(TrackingCode::new(&prefix, 2026, 1_234_567).to_string(), "OUJ-2026-1234567");
        let wide = TrackingCode::with_digits(&prefix, 2026, 42, 8);
        assert_eq!(wide.to_string(), "OUJ-2026-00000042");
        assert_eq!(TrackingCode::parse("OUJ-2026-00000042").unwrap(), wide);
    }

    #[test]
    fn rejects_malformed_tracking_codes() {
        for bad in [
            "",
            "OUJ",
            "OUJ-2026",
            "OUJ-26-000042",
            "OUJ-2026-42",
            "O-2026-000042",
            "OUJ-2026-000000",
            "OUJ-2026-00004X",
            "OUJ-2026-000042-1",
        ] {
            assert!(TrackingCode::parse(bad).is_err(), "{bad}");
        }
    }
}
