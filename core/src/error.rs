//! The errors of core, each with a stable, machine-readable code that the API passes on as `extensions.code`.

use serde::{Deserialize, Serialize};

use crate::model::i18n::{Locale, LocalizedText};

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, as the caller of a use case sees it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No valid credentials were presented where they are needed.
    #[error("authentication required")]
    Unauthenticated,
    /// The principal may not do this here.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The thing does not exist, or is not visible to the caller (the two are not told apart).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The input breaks rules; every failure is listed with its field path.
    #[error("validation failed ({} field error(s))", .0.len())]
    Validation(Vec<FieldError>),
    /// The caller acted on a stale version, or the thing already exists.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The idempotency key was used before for another request (another operation, or other arguments).
    #[error("idempotency key reused for another request")]
    IdempotencyKeyReused,
    /// The call sent first with this idempotency key committed its work, but its answer was never recorded
    /// (the server stopped in between): nothing is created again; read what it made instead.
    #[error("the call with this idempotency key was done; its answer was not recorded")]
    IdempotencyKeyDone,
    /// The database cannot be reached for now: the same call may be sent again (with its idempotency key).
    #[error("service unavailable")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A failure the caller cannot fix (storage, bug); its chain is logged, never shown.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    /// The stable code: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, VALIDATION_FAILED, CONFLICT,
    /// IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_KEY_DONE, UNAVAILABLE or INTERNAL.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Unauthenticated => "UNAUTHENTICATED",
            Error::Forbidden(_) => "FORBIDDEN",
            Error::NotFound(_) => "NOT_FOUND",
            Error::Validation(_) => "VALIDATION_FAILED",
            Error::Conflict(_) => "CONFLICT",
            Error::IdempotencyKeyReused => "IDEMPOTENCY_KEY_REUSED",
            Error::IdempotencyKeyDone => "IDEMPOTENCY_KEY_DONE",
            Error::Unavailable(_) => "UNAVAILABLE",
            Error::Internal(_) => "INTERNAL",
        }
    }

    /// Whether the same call may succeed if sent again as it is (UNAVAILABLE).
    pub fn is_retryable(&self) -> bool {
        matches!(self, Error::Unavailable(_))
    }

    /// The message of the errors that carry one in every language (field errors carry theirs).
    pub fn localized_message(&self) -> Option<LocalizedText> {
        match self {
            Error::IdempotencyKeyReused => Some(reused_message()),
            Error::IdempotencyKeyDone => Some(done_message()),
            Error::Unavailable(_) => Some(unavailable_message()),
            _ => None,
        }
    }

    pub fn internal(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Error::Internal(error.into())
    }

    /// A validation failure on a single field.
    pub fn field(path: impl Into<String>, code: FieldErrorCode, message: LocalizedText) -> Self {
        Error::Validation(vec![FieldError::new(path, code, message)])
    }
}

/// One broken rule: where (`data.cin`, `documents[1].mediaType`), what (a stable code) and a message in the
/// commune's languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub path: String,
    pub code: FieldErrorCode,
    pub message: LocalizedText,
}

impl FieldError {
    pub fn new(path: impl Into<String>, code: FieldErrorCode, message: LocalizedText) -> Self {
        Self { path: path.into(), code, message }
    }

    /// The message in `locale`, falling back to French then Arabic.
    pub fn message_in(&self, locale: Locale) -> &str {
        self.message.get(locale, &[])
    }
}

/// Stable codes of field-level failures, shared by the server and the SDK.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum FieldErrorCode {
    Required,
    InvalidType,
    TooShort,
    TooLong,
    OutOfRange,
    PatternMismatch,
    NotAnOption,
    InvalidDate,
    InvalidNationalId,
    InvalidPhone,
    InvalidEmail,
    InvalidLocation,
    UnknownField,
    DocumentMissing,
    DocumentNotAllowed,
    DocumentTooLarge,
    DocumentFormat,
    /// What a submission declares of a document (its size, its SHA-256) differs from the file uploaded, or
    /// no file of that document was uploaded with it.
    DocumentMismatch,
    UnknownService,
    UnknownCommune,
    InvalidValue,
    InvalidDefinition,
    /// This person (by their national id) has already signed this petition.
    AlreadySigned,
    /// A rule of the commune that the action needs does not hold (petition admissibility).
    RuleNotMet,
    /// Not a web origin as a browser sends it (`https://host[:port]`).
    InvalidOrigin,
}

impl FieldErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldErrorCode::Required => "REQUIRED",
            FieldErrorCode::InvalidType => "INVALID_TYPE",
            FieldErrorCode::TooShort => "TOO_SHORT",
            FieldErrorCode::TooLong => "TOO_LONG",
            FieldErrorCode::OutOfRange => "OUT_OF_RANGE",
            FieldErrorCode::PatternMismatch => "PATTERN_MISMATCH",
            FieldErrorCode::NotAnOption => "NOT_AN_OPTION",
            FieldErrorCode::InvalidDate => "INVALID_DATE",
            FieldErrorCode::InvalidNationalId => "INVALID_NATIONAL_ID",
            FieldErrorCode::InvalidPhone => "INVALID_PHONE",
            FieldErrorCode::InvalidEmail => "INVALID_EMAIL",
            FieldErrorCode::InvalidLocation => "INVALID_LOCATION",
            FieldErrorCode::UnknownField => "UNKNOWN_FIELD",
            FieldErrorCode::DocumentMissing => "DOCUMENT_MISSING",
            FieldErrorCode::DocumentNotAllowed => "DOCUMENT_NOT_ALLOWED",
            FieldErrorCode::DocumentTooLarge => "DOCUMENT_TOO_LARGE",
            FieldErrorCode::DocumentFormat => "DOCUMENT_FORMAT",
            FieldErrorCode::DocumentMismatch => "DOCUMENT_MISMATCH",
            FieldErrorCode::UnknownService => "UNKNOWN_SERVICE",
            FieldErrorCode::UnknownCommune => "UNKNOWN_COMMUNE",
            FieldErrorCode::InvalidValue => "INVALID_VALUE",
            FieldErrorCode::InvalidDefinition => "INVALID_DEFINITION",
            FieldErrorCode::AlreadySigned => "ALREADY_SIGNED",
            FieldErrorCode::RuleNotMet => "RULE_NOT_MET",
            FieldErrorCode::InvalidOrigin => "INVALID_ORIGIN",
        }
    }
}

/// The message of IDEMPOTENCY_KEY_REUSED (the error is the lowest layer of core: the messages of its own
/// variants live here, and the message table lists them among its samples).
pub fn reused_message() -> LocalizedText {
    LocalizedText::ar_fr(
        "سبق استعمال مفتاح عدم التكرار هذا لطلب آخر: أرسل الطلب الجديد بمفتاح جديد.",
        "Cette clé d'idempotence a déjà servi pour une autre demande : envoyez la nouvelle demande avec une nouvelle clé.",
    )
    .with(Locale::En, "This idempotency key was already used for another request: send the new request with a new key.")
    .with(Locale::Tzm, "ⵜⴰⵙⴰⵔⵓⵜ ⴰⴷ ⵜⵜⵓⵙⵎⵔⵙ ⵉ ⵜⵓⵜⵔⵜ ⵢⴰⴹⵏ: ⴰⵣⵏ ⵜⵓⵜⵔⵜ ⵜⴰⵎⴰⵢⵏⵓⵜ ⵙ ⵜⵙⴰⵔⵓⵜ ⵜⴰⵎⴰⵢⵏⵓⵜ.")
}

/// The message of IDEMPOTENCY_KEY_DONE: the first call with the key went through, its answer was lost.
pub fn done_message() -> LocalizedText {
    LocalizedText::ar_fr(
        "تم تنفيذ الطلب الأول بمفتاح عدم التكرار هذا، لكن جوابه لم يُحفظ: لم يُنشأ شيء من جديد، ابحث عمّا أنشأه.",
        "L'appel envoyé d'abord avec cette clé d'idempotence a abouti, mais sa réponse n'a pas été conservée : rien n'est créé de nouveau ; consultez ce qu'il a créé.",
    )
    .with(
        Locale::En,
        "The call first sent with this idempotency key went through, but its answer was not kept: nothing is created again; look up what it created.",
    )
    .with(Locale::Tzm, "ⵜⵓⵜⵔⵜ ⵜⴰⵎⵣⵡⴰⵔⵓⵜ ⵙ ⵜⵙⴰⵔⵓⵜ ⴰⴷ ⵜⵜⵓⵙⴽⴰⵔ, ⵎⴰⵛⴰ ⵜⴰⵔⴰⵔⵓⵜ ⵏⵏⵙ ⵓⵔ ⵜⵜⵓⵃⵔⵣ: ⵓⵔ ⵉⵜⵜⵓⵙⴽⴰⵔ ⵢⴰⵜ ⴷⴰⵖ; ⵙⵉⴳⵍ ⵎⴰⵢⴷ ⵜⵙⴽⴰⵔ.")
}

/// The message of UNAVAILABLE: the database cannot be reached for now; the same call may be sent again.
pub fn unavailable_message() -> LocalizedText {
    LocalizedText::ar_fr(
        "الخدمة غير متاحة مؤقتًا: أعد المحاولة بعد لحظات.",
        "Service momentanément indisponible : réessayez dans quelques instants.",
    )
    .with(Locale::En, "The service is briefly unavailable: try again in a few moments.")
    .with(Locale::Tzm, "ⵜⴰⵏⴰⴼⵓⵜ ⵓⵔ ⵜⵍⵍⵉ ⵖⵉⵍⴰ: ⴰⵍⵙ ⴰⵔⵎ ⴷⴼⴼⵉⵔ ⴽⵔⴰ ⵏ ⵜⵙⴷⵉⴷⵉⵏ.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialize_as_their_stable_names() {
        for code in [FieldErrorCode::Required, FieldErrorCode::InvalidNationalId, FieldErrorCode::DocumentNotAllowed] {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, serde_json::Value::String(code.as_str().to_owned()));
        }
        assert_eq!(Error::Validation(vec![]).code(), "VALIDATION_FAILED");
        assert_eq!(Error::Conflict("stale".into()).code(), "CONFLICT");
    }
}
