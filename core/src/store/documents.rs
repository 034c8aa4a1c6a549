//! Issued documents in storage: written once, never updated; found by verification code or subject, and the
//! document that withdraws one found by the withdrawn code.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::TenantTx;
use super::entity::issued_document;
use crate::error::Error;
use crate::model::i18n::LocalizedText;
use crate::model::ids::DocumentId;
use crate::model::verification::VerificationCode;

/// An issued document as stored; its text stays sealed.
#[derive(Clone, Debug)]
pub(crate) struct DocumentRecord {
    pub id: DocumentId,
    pub code: VerificationCode,
    pub kind: String,
    pub subject: String,
    pub title: LocalizedText,
    pub fingerprint: String,
    pub sealed_text: String,
    pub data_key_id: uuid::Uuid,
    pub issued_by: String,
    pub issued_at: DateTime<Utc>,
    /// The code of the document this one withdraws.
    pub withdraws: Option<VerificationCode>,
    /// SHA-256 of the PDF issued and its sealed bytes; none for a document issued before PDFs were.
    pub pdf: Option<SealedPdf>,
}

/// A document's PDF as stored.
#[derive(Clone, Debug)]
pub(crate) struct SealedPdf {
    pub fingerprint: String,
    pub sealed: String,
}

pub(crate) async fn insert(tx: &TenantTx, record: &DocumentRecord) -> Result<(), Error> {
    issued_document::Entity::insert(issued_document::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(record.id.as_uuid()),
        code: Set(record.code.to_string()),
        kind: Set(record.kind.clone()),
        subject: Set(record.subject.clone()),
        title: Set(serde_json::to_value(&record.title).map_err(Error::internal)?),
        fingerprint: Set(record.fingerprint.clone()),
        sealed_text: Set(record.sealed_text.clone()),
        data_key_id: Set(record.data_key_id),
        issued_by: Set(record.issued_by.clone()),
        issued_at: Set(record.issued_at),
        withdraws: Set(record.withdraws.as_ref().map(ToString::to_string)),
        pdf_fingerprint: Set(record.pdf.as_ref().map(|pdf| pdf.fingerprint.clone())),
        sealed_pdf: Set(record.pdf.as_ref().map(|pdf| pdf.sealed.clone())),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

pub(crate) async fn by_code(tx: &TenantTx, code: &VerificationCode) -> Result<Option<DocumentRecord>, Error> {
    issued_document::Entity::find()
        .filter(issued_document::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(issued_document::Column::Code.eq(code.to_string()))
        .one(tx.conn())
        .await?
        .map(from_row)
        .transpose()
}

/// The document that withdraws the one issued under `code`, if any (the first, should there be several).
pub(crate) async fn withdrawal_of(tx: &TenantTx, code: &VerificationCode) -> Result<Option<DocumentRecord>, Error> {
    issued_document::Entity::find()
        .filter(issued_document::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(issued_document::Column::Withdraws.eq(code.to_string()))
        .order_by_asc(issued_document::Column::IssuedAt)
        .one(tx.conn())
        .await?
        .map(from_row)
        .transpose()
}

/// The documents issued about `subject` (e.g. `request:<id>`), oldest first.
pub(crate) async fn by_subject(tx: &TenantTx, subject: &str) -> Result<Vec<DocumentRecord>, Error> {
    issued_document::Entity::find()
        .filter(issued_document::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(issued_document::Column::Subject.eq(subject))
        .order_by_asc(issued_document::Column::Id)
        .all(tx.conn())
        .await?
        .into_iter()
        .map(from_row)
        .collect()
}

fn from_row(row: issued_document::Model) -> Result<DocumentRecord, Error> {
    let corrupt = |what: &str| Error::internal(format!("issued document {}: bad {what}", row.id));
    Ok(DocumentRecord {
        id: DocumentId::from_uuid(row.id),
        code: VerificationCode::parse(&row.code).map_err(|_| corrupt("code"))?,
        title: serde_json::from_value(row.title.clone()).map_err(|_| corrupt("title"))?,
        kind: row.kind,
        subject: row.subject,
        fingerprint: row.fingerprint,
        sealed_text: row.sealed_text,
        data_key_id: row.data_key_id,
        issued_by: row.issued_by,
        issued_at: row.issued_at,
        withdraws: row
            .withdraws
            .as_deref()
            .map(VerificationCode::parse)
            .transpose()
            .map_err(|_| corrupt("withdrawn code"))?,
        pdf: match (row.pdf_fingerprint, row.sealed_pdf) {
            (Some(fingerprint), Some(sealed)) => Some(SealedPdf { fingerprint, sealed }),
            _ => None,
        },
    })
}
