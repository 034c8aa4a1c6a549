//! Documents a commune issued: code, fingerprints, sealed text and PDF.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "issued_documents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub code: String,
    pub kind: String,
    pub subject: String,
    pub title: Json,
    pub fingerprint: String,
    pub sealed_text: String,
    pub data_key_id: Uuid,
    pub issued_by: String,
    pub issued_at: DateTimeUtc,
    /// The code of the document this one withdraws (a notice of cancellation names its quittance).
    pub withdraws: Option<String>,
    /// SHA-256 of the PDF issued, hex (m0040); null for a document issued before PDFs were.
    pub pdf_fingerprint: Option<String>,
    /// The PDF's bytes sealed under the data key `data_key_id`, bound to the document's id and `pdf`.
    pub sealed_pdf: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
