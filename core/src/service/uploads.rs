//! Uploaded documents: what a file is comes from its bytes (its type detected, its size counted, its SHA-256
//! computed), never from what the client says; the facts are then checked against the procedure's published
//! documents like any submission, and the content is sealed with the commune's data key in the submission's
//! transaction.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::crypto::{self, Keyring};
use crate::error::{Error, FieldError, FieldErrorCode};
use crate::model::audit::{AuditKind, AuditSubject};
use crate::model::commune::Commune;
use crate::model::form::messages;
use crate::model::ids::RequestId;
use crate::model::request::SubmittedDocument;
use crate::store::{TenantTx, files, keys};

/// A file uploaded with a submission: its document type and its name as the client gave them, and its bytes.
#[derive(Clone)]
pub struct DocumentFile {
    pub code: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for DocumentFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocumentFile").field("code", &self.code).field("size", &self.bytes.len()).finish()
    }
}

/// The media type given to contents of no known type.
pub const UNKNOWN_MEDIA_TYPE: &str = "application/octet-stream";

/// The facts of a file: its detected media type and usual extension (none when unknown), size and hash.
pub(crate) fn describe(file: &DocumentFile) -> (SubmittedDocument, Option<&'static str>) {
    let detected = infer::get(&file.bytes);
    let document = SubmittedDocument {
        code: file.code.clone(),
        file_name: file.file_name.trim().to_owned(),
        media_type: detected.map_or(UNKNOWN_MEDIA_TYPE, |t| t.mime_type()).to_owned(),
        size_bytes: file.bytes.len() as u64,
        sha256: Some(hex::encode(Sha256::digest(&file.bytes))),
    };
    (document, detected.map(|t| t.extension()))
}

/// Extensions that name the same type.
fn same_extension(a: &str, b: &str) -> bool {
    let canonical = |e: &str| match e {
        "jpeg" | "jpe" => "jpg".to_owned(),
        "tiff" => "tif".to_owned(),
        other => other.to_owned(),
    };
    canonical(&a.to_ascii_lowercase()) == canonical(&b.to_ascii_lowercase())
}

/// A file whose name claims another type than its content: `DOCUMENT_FORMAT` at `input.documents[index].fileName`.
pub(crate) fn check_name(index: usize, document: &SubmittedDocument, detected: Option<&str>) -> Option<FieldError> {
    let claimed = document.file_name.rsplit_once('.').map(|(_, extension)| extension)?;
    let detected = detected?;
    if same_extension(claimed, detected) {
        return None;
    }
    Some(FieldError::new(
        format!("input.documents[{index}].fileName"),
        FieldErrorCode::DocumentFormat,
        messages::file_name_claims_other_type(claimed, &document.media_type),
    ))
}

/// Checks what a submission with files declares of its documents (`input.documents`, given without content)
/// against the files themselves (`measured`, numbered after them): the n-th declared document of a type is
/// the n-th file of that type, and its declared size and SHA-256 (when given) must be the file's. A
/// declared document without its file, or with another size or digest, is `DOCUMENT_MISMATCH` at
/// `input.documents[i]`, `.sizeBytes` or `.sha256`. Only the measured documents are then recorded: what the
/// server keeps of a document is always what it counted and hashed itself.
pub(crate) fn check_declared(declared: &[SubmittedDocument], measured: &[SubmittedDocument]) -> Vec<FieldError> {
    use crate::model::form::messages::{Mismatch, document_mismatch};
    let mut errors = Vec::new();
    for (index, document) in declared.iter().enumerate() {
        let rank = declared[..index].iter().filter(|d| d.code == document.code).count();
        let mismatch = |field: &str, what: Mismatch| {
            let path = if field.is_empty() {
                format!("input.documents[{index}]")
            } else {
                format!("input.documents[{index}].{field}")
            };
            FieldError::new(path, FieldErrorCode::DocumentMismatch, document_mismatch(what))
        };
        let Some(file) = measured.iter().filter(|m| m.code == document.code).nth(rank) else {
            errors.push(mismatch("", Mismatch::NoFile));
            continue;
        };
        if document.size_bytes != file.size_bytes {
            errors.push(mismatch("sizeBytes", Mismatch::Size));
        }
        let digest = |d: &SubmittedDocument| d.sha256.as_ref().map(|h| h.to_ascii_lowercase());
        if document.sha256.is_some() && digest(document) != digest(file) {
            errors.push(mismatch("sha256", Mismatch::Checksum));
        }
    }
    errors
}

/// Seals and stores the files of a new request in its transaction.
pub(crate) async fn store(
    tx: &TenantTx,
    keyring: &Keyring,
    request: RequestId,
    uploads: &[(SubmittedDocument, DocumentFile)],
    now: DateTime<Utc>,
) -> Result<(), Error> {
    if uploads.is_empty() {
        return Ok(());
    }
    let (key_id, key) = keys::current(tx, keyring, now).await?;
    for (document, file) in uploads {
        let id = uuid::Uuid::now_v7();
        let context = [request.as_uuid().as_bytes().as_slice(), id.as_bytes().as_slice()].concat();
        let sealed = crypto::seal(&key, &file.bytes, &context)?;
        files::insert(tx, id, request, document, sealed, key_id, now).await?;
    }
    Ok(())
}

impl super::Jamaa {
    /// The documents uploaded with a request, as recorded (type detected, size, hash): for the commune's
    /// staff. The contents stay sealed.
    pub async fn request_files(
        &self,
        principal: &crate::auth::Principal,
        commune: &Commune,
        request: RequestId,
    ) -> Result<Vec<SubmittedDocument>, Error> {
        let scope = principal.authorize(commune.id, crate::auth::Permission::ReadRequests)?;
        let tx = self.store.tenant_tx(scope).await?;
        let found = files::of_request(&tx, request).await?;
        tx.commit().await?;
        Ok(found.into_iter().map(|f| f.document).collect())
    }

    /// The ids of the files uploaded with a request, with their documents, in upload order: for the
    /// commune's staff (what `Document.fileId` names).
    pub async fn request_file_ids(
        &self,
        principal: &crate::auth::Principal,
        commune: &crate::model::commune::Commune,
        request: RequestId,
    ) -> Result<Vec<(uuid::Uuid, SubmittedDocument)>, Error> {
        let scope = principal.authorize(commune.id, crate::auth::Permission::ReadRequests)?;
        let tx = self.store.tenant_tx(scope).await?;
        let found = files::of_request(&tx, request).await?;
        tx.commit().await?;
        Ok(found.into_iter().map(|f| (f.id, f.document)).collect())
    }

    /// Opens a file uploaded with a request, for staff holding a role of the request's workflow (like its
    /// personal fields); each download is an audit event about the request. A file of another request or
    /// another commune is NOT_FOUND.
    pub async fn download_file(
        &self,
        principal: &crate::auth::Principal,
        commune: &Commune,
        request: RequestId,
        file: uuid::Uuid,
    ) -> Result<DownloadedFile, Error> {
        let scope = principal.authorize(commune.id, crate::auth::Permission::ReadRequests)?;
        let tx = self.store.tenant_tx(scope).await?;
        let record = crate::store::requests::by_id(&tx, request).await?.ok_or(Error::NotFound("request"))?;
        let service = crate::store::catalog::service_version(&tx, record.service_id, record.workflow_id).await?;
        let workflow_roles = service.definition.workflow.roles();
        if !principal.roles_in(commune.id).iter().any(|r| workflow_roles.contains(r)) {
            return Err(Error::Forbidden("only staff holding a role of the request's workflow open its files".into()));
        }
        let (found, sealed, key_id) = files::sealed(&tx, request, file).await?.ok_or(Error::NotFound("file"))?;
        let key = keys::by_id(&tx, &self.keyring, key_id).await?;
        let context = [request.as_uuid().as_bytes().as_slice(), file.as_bytes().as_slice()].concat();
        let bytes = crypto::open(&key, &sealed, &context)?;
        let now = self.now();
        crate::store::audit::append(
            &tx,
            crate::model::audit::NewEvent::new(
                principal.actor(),
                AuditKind::RequestFileDownloaded,
                AuditSubject::Request(request),
                serde_json::json!({
                    "trackingCode": record.tracking_code,
                    "file": file,
                    "document": found.document.code,
                    "sha256": found.document.sha256,
                }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(DownloadedFile { file_name: found.document.file_name, media_type: found.document.media_type, bytes })
    }
}

/// A file opened for download.
pub struct DownloadedFile {
    pub file_name: String,
    /// As detected from the bytes at upload.
    pub media_type: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for DownloadedFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DownloadedFile").field("media_type", &self.media_type).field("size", &self.bytes.len()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01];

    fn file(name: &str, bytes: &[u8]) -> DocumentFile {
        DocumentFile { code: "cnie".into(), file_name: name.into(), bytes: bytes.to_vec() }
    }

    #[test]
    fn the_type_comes_from_the_bytes() {
        let (document, extension) = describe(&file("scan.jpg", PDF));
        assert_eq!(document.media_type, "application/pdf");
        assert_eq!(extension, Some("pdf"));
        assert_eq!(document.size_bytes, PDF.len() as u64);
        assert_eq!(document.sha256.as_deref().map(str::len), Some(64));
        let error = check_name(2, &document, extension).unwrap();
        assert_eq!((error.path.as_str(), error.code), ("input.documents[2].fileName", FieldErrorCode::DocumentFormat));

        let (document, extension) = describe(&file("photo.JPEG", JPEG));
        assert_eq!(document.media_type, "image/jpeg");
        assert_eq!(check_name(0, &document, extension), None);
        let (document, extension) = describe(&file("notes.txt", b"just some words"));
        assert_eq!((document.media_type.as_str(), extension), (UNKNOWN_MEDIA_TYPE, None));
    }

    #[test]
    fn declared_documents_are_checked_against_their_files() {
        let (pdf, _) = describe(&file("a.pdf", PDF));
        let (jpeg, _) =
            describe(&DocumentFile { code: "photo".into(), file_name: "b.jpg".into(), bytes: JPEG.to_vec() });
        let measured = [pdf.clone(), jpeg.clone()];
        let found = |declared: &[SubmittedDocument]| -> Vec<(String, &'static str)> {
            check_declared(declared, &measured).into_iter().map(|e| (e.path, e.code.as_str())).collect()
        };
        // As measured (the digest in capitals, or not given): nothing to say.
        let mut upper = pdf.clone();
        upper.sha256 = pdf.sha256.as_deref().map(str::to_ascii_uppercase);
        let unhashed = SubmittedDocument { sha256: None, ..jpeg.clone() };
        assert_eq!(found(&[upper, unhashed]), []);
        // A size and a digest of the client's own, and a second file of a type uploaded once.
        let lying = SubmittedDocument { size_bytes: 1, sha256: Some("00".repeat(32)), ..pdf.clone() };
        assert_eq!(
            found(&[lying, pdf]),
            [
                ("input.documents[0].sizeBytes".to_owned(), "DOCUMENT_MISMATCH"),
                ("input.documents[0].sha256".to_owned(), "DOCUMENT_MISMATCH"),
                ("input.documents[1]".to_owned(), "DOCUMENT_MISMATCH"),
            ]
        );
    }
}
