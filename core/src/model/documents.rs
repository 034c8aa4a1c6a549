//! The documents attached to a request, checked against those the procedure publishes (law 55.19: the
//! administration may not require a document that is not published, and the published list is the whole list).

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, FieldErrorCode};
use crate::model::catalog::DocumentRequirement;
use crate::model::form::messages::{self, InvalidReason};
use crate::model::i18n::LocalizedText;

/// A document the applicant attached (its metadata; the content is stored elsewhere).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SubmittedDocument {
    /// The document type, one of the service's published documents.
    pub code: String,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: u64,
    /// SHA-256 of the content, hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// The longest file name kept, in characters (what common file systems allow).
pub const MAX_FILE_NAME_CHARS: u32 = 255;

/// Checks the submitted documents against the published ones and lists every failure:
///
/// - a document whose code is not published: `DOCUMENT_NOT_ALLOWED` at `documents[i].code`;
/// - a media type not among the requirement's formats (an empty list accepts any): `DOCUMENT_FORMAT` at
///   `documents[i].mediaType`;
/// - a file larger than the requirement allows: `DOCUMENT_TOO_LARGE` at `documents[i].sizeBytes`;
/// - an empty file, a blank file name, a file name with control characters or a SHA-256 that is not 64 hex
///   digits: `INVALID_VALUE` at `documents[i].sizeBytes`, `.fileName` or `.sha256`;
/// - a file name longer than [`MAX_FILE_NAME_CHARS`]: `TOO_LONG` at `documents[i].fileName`;
/// - a mandatory document not submitted: `DOCUMENT_MISSING` at `documents.<code>`.
pub fn validate_documents(required: &[DocumentRequirement], submitted: &[SubmittedDocument]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (index, document) in submitted.iter().enumerate() {
        let mut fail = |field: &str, code: FieldErrorCode, message: LocalizedText| {
            errors.push(FieldError::new(format!("documents[{index}].{field}"), code, message));
        };
        match required.iter().find(|requirement| requirement.code == document.code) {
            None => fail("code", FieldErrorCode::DocumentNotAllowed, messages::document_not_allowed()),
            Some(requirement) => {
                let label = label(requirement);
                let media_type = essence(&document.media_type);
                if !requirement.formats.is_empty()
                    && !requirement.formats.iter().any(|format| essence(format) == media_type)
                {
                    fail(
                        "mediaType",
                        FieldErrorCode::DocumentFormat,
                        messages::document_format(&label, &requirement.formats),
                    );
                }
                if document.size_bytes > requirement.max_size_bytes {
                    fail(
                        "sizeBytes",
                        FieldErrorCode::DocumentTooLarge,
                        messages::document_too_large(&label, requirement.max_size_bytes),
                    );
                }
            }
        }
        if document.size_bytes == 0 {
            fail("sizeBytes", FieldErrorCode::InvalidValue, messages::invalid_value(InvalidReason::EmptyFile));
        }
        if document.file_name.trim().is_empty() {
            fail("fileName", FieldErrorCode::InvalidValue, messages::invalid_value(InvalidReason::MissingFileName));
        } else if document.file_name.chars().count() > MAX_FILE_NAME_CHARS as usize {
            fail(
                "fileName",
                FieldErrorCode::TooLong,
                messages::too_long(MAX_FILE_NAME_CHARS, messages::LengthUnit::Characters),
            );
        } else if document.file_name.chars().any(char::is_control) {
            fail("fileName", FieldErrorCode::InvalidValue, messages::invalid_value(InvalidReason::FileNameControl));
        }
        if let Some(digest) = &document.sha256
            && !(digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            fail("sha256", FieldErrorCode::InvalidValue, messages::invalid_value(InvalidReason::InvalidChecksum));
        }
    }
    for requirement in required.iter().filter(|requirement| requirement.mandatory) {
        if !submitted.iter().any(|document| document.code == requirement.code) {
            errors.push(FieldError::new(
                format!("documents.{}", requirement.code),
                FieldErrorCode::DocumentMissing,
                messages::document_missing(&label(requirement)),
            ));
        }
    }
    errors
}

/// The name to show for a requirement: its label, or its code when it has none.
fn label(requirement: &DocumentRequirement) -> LocalizedText {
    if requirement.label.is_empty() {
        LocalizedText::ar_fr(&requirement.code, &requirement.code)
    } else {
        requirement.label.clone()
    }
}

/// A media type without its parameters, in lower case: `Application/PDF; name=x` → `application/pdf`.
fn essence(media_type: &str) -> String {
    media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::i18n::Locale;

    const MB: u64 = 1024 * 1024;

    fn requirement(code: &str, mandatory: bool) -> DocumentRequirement {
        DocumentRequirement {
            code: code.into(),
            label: LocalizedText::ar_fr("نسخة من البطاقة الوطنية", "Copie de la CNIE"),
            mandatory,
            formats: vec!["application/pdf".into(), "image/jpeg".into()],
            max_size_bytes: 5 * MB,
        }
    }

    fn document(code: &str, media_type: &str, size_bytes: u64) -> SubmittedDocument {
        SubmittedDocument {
            code: code.into(),
            file_name: format!("{code}.pdf"),
            media_type: media_type.into(),
            size_bytes,
            sha256: None,
        }
    }

    fn found(errors: &[FieldError]) -> Vec<(String, FieldErrorCode)> {
        errors.iter().map(|error| (error.path.clone(), error.code)).collect()
    }

    #[test]
    fn documents() {
        let required = [requirement("cnie", true), requirement("plans", false)];
        let named = |file_name: &str, sha256: Option<&str>| SubmittedDocument {
            file_name: file_name.into(),
            sha256: sha256.map(Into::into),
            ..document("cnie", "application/pdf", MB)
        };
        type Errors = Vec<(&'static str, FieldErrorCode)>;
        let cases: Vec<(&str, Vec<SubmittedDocument>, Errors)> = vec![
            ("mandatory only", vec![document("cnie", "application/pdf", MB)], vec![]),
            (
                "both, with a media type parameter and capitals",
                vec![document("cnie", "Application/PDF; name=cnie.pdf", MB), document("plans", "image/jpeg", 5 * MB)],
                vec![],
            ),
            ("nothing", vec![], vec![("documents.cnie", FieldErrorCode::DocumentMissing)]),
            (
                "optional only",
                vec![document("plans", "application/pdf", MB)],
                vec![("documents.cnie", FieldErrorCode::DocumentMissing)],
            ),
            (
                "not published",
                vec![document("cnie", "application/pdf", MB), document("certificat-residence", "application/pdf", MB)],
                vec![("documents[1].code", FieldErrorCode::DocumentNotAllowed)],
            ),
            (
                "wrong format",
                vec![document("cnie", "image/png", MB)],
                vec![("documents[0].mediaType", FieldErrorCode::DocumentFormat)],
            ),
            (
                "too large",
                vec![document("cnie", "application/pdf", 5 * MB + 1)],
                vec![("documents[0].sizeBytes", FieldErrorCode::DocumentTooLarge)],
            ),
            (
                "empty file",
                vec![document("cnie", "application/pdf", 0)],
                vec![("documents[0].sizeBytes", FieldErrorCode::InvalidValue)],
            ),
            ("no file name", vec![named("  ", None)], vec![("documents[0].fileName", FieldErrorCode::InvalidValue)]),
            ("a name of 255 characters", vec![named(&format!("{}.pdf", "é".repeat(251)), None)], vec![]),
            (
                "a name of 100,000 characters",
                vec![named(&"a".repeat(100_000), None)],
                vec![("documents[0].fileName", FieldErrorCode::TooLong)],
            ),
            (
                "control characters in the name",
                vec![named("cnie\u{1b}[31m.pdf", None), named("cnie\r\n.pdf", None)],
                vec![
                    ("documents[0].fileName", FieldErrorCode::InvalidValue),
                    ("documents[1].fileName", FieldErrorCode::InvalidValue),
                ],
            ),
            ("good digest", vec![named("cnie.pdf", Some(&"ab".repeat(32)))], vec![]),
            (
                "bad digest",
                vec![named("cnie.pdf", Some("abc"))],
                vec![("documents[0].sha256", FieldErrorCode::InvalidValue)],
            ),
            (
                "every failure at once",
                vec![document("cnie", "image/gif", 6 * MB), document("bulletin", "application/pdf", 0)],
                vec![
                    ("documents[0].mediaType", FieldErrorCode::DocumentFormat),
                    ("documents[0].sizeBytes", FieldErrorCode::DocumentTooLarge),
                    ("documents[1].code", FieldErrorCode::DocumentNotAllowed),
                    ("documents[1].sizeBytes", FieldErrorCode::InvalidValue),
                ],
            ),
        ];
        for (name, submitted, expected) in cases {
            let errors = validate_documents(&required, &submitted);
            let expected: Vec<(String, FieldErrorCode)> =
                expected.into_iter().map(|(path, code)| (path.to_owned(), code)).collect();
            assert_eq!(found(&errors), expected, "{name}");
            for error in &errors {
                for locale in [Locale::Ar, Locale::Fr, Locale::En] {
                    assert!(error.message.exact(locale).is_some(), "{name}: {error:?} lacks {locale}");
                }
            }
        }
    }

    #[test]
    fn any_format_when_none_is_listed() {
        let required = [DocumentRequirement { formats: vec![], ..requirement("plans", true) }];
        assert!(validate_documents(&required, &[document("plans", "image/vnd.dwg", MB)]).is_empty());
    }

    #[test]
    fn messages_name_the_document() {
        let errors = validate_documents(&[requirement("cnie", true)], &[]);
        assert_eq!(errors[0].message_in(Locale::Fr), "Le document « Copie de la CNIE » doit être joint.");
        assert_eq!(errors[0].message_in(Locale::Ar), "يجب إرفاق الوثيقة «نسخة من البطاقة الوطنية».");

        let unlabeled = DocumentRequirement { label: LocalizedText::new(), ..requirement("plans", true) };
        let errors = validate_documents(&[unlabeled], &[document("plans", "image/png", 9 * MB)]);
        assert_eq!(
            errors[0].message_in(Locale::En),
            "The file format for “plans” is not accepted. Accepted formats: PDF, JPEG."
        );
        assert_eq!(
            errors[1].message_in(Locale::Fr),
            "Le fichier « plans » dépasse la taille maximale autorisée (5 Mo)."
        );
    }
}
