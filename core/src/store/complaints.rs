//! Complaints: their listing facts, written with the request, the public listing's query, and ratings.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::TenantTx;
use super::entity::complaint;
use crate::error::Error;
use crate::model::complaint::ComplaintFacts;
use crate::model::ids::RequestId;
use crate::model::keys::ServiceCode;
use crate::model::moderation::{Moderation, PersonalDataKind};
use crate::model::request::TrackingCode;

/// A complaint as stored beside its request.
#[derive(Clone, Debug, PartialEq)]
pub struct ComplaintRecord {
    pub request_id: RequestId,
    pub tracking_code: TrackingCode,
    pub service_code: ServiceCode,
    pub facts: ComplaintFacts,
    pub submitted_at: DateTime<Utc>,
    pub rating: Option<u8>,
    pub rated_at: Option<DateTime<Utc>>,
    /// Where it stands with moderation: only a published complaint is listed.
    pub moderation: Moderation,
    /// The kinds of personal data found in its public text; `None` when it was never screened (public before
    /// texts were).
    pub findings: Option<Vec<PersonalDataKind>>,
    /// The description a moderator published in place of the applicant's.
    pub published_description: Option<String>,
}

/// Which public complaints to list: all filters are optional but the window.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PublicFilter {
    pub tracking_codes: Vec<TrackingCode>,
    pub service_codes: Vec<String>,
    pub submitted_from: Option<DateTime<Utc>>,
    pub submitted_to: Option<DateTime<Utc>>,
}

pub(crate) async fn insert(tx: &TenantTx, record: &ComplaintRecord) -> Result<(), Error> {
    complaint::Entity::insert(complaint::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        request_id: Set(record.request_id.as_uuid()),
        tracking_code: Set(record.tracking_code.to_string()),
        service_code: Set(record.service_code.clone()),
        category: Set(record.facts.category.clone()),
        public: Set(record.facts.public),
        latitude: Set(record.facts.latitude),
        longitude: Set(record.facts.longitude),
        address: Set(record.facts.address.clone()),
        submitted_at: Set(record.submitted_at),
        rating: Set(record.rating.map(i16::from)),
        rated_at: Set(record.rated_at),
        moderation: Set(record.moderation),
        findings: Set(record.findings.as_ref().map(|f| serde_json::json!(f).to_string())),
        published_description: Set(record.published_description.clone()),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

pub(crate) async fn by_request(tx: &TenantTx, id: RequestId) -> Result<Option<ComplaintRecord>, Error> {
    let row = complaint::Entity::find_by_id((tx.tenant_uuid(), id.as_uuid())).one(tx.conn()).await?;
    row.map(from_model).transpose()
}

/// Public complaints, newest first (submission time, then request id): after the complaint `after` (its
/// submission time and request), at most `limit`.
pub(crate) async fn public(
    tx: &TenantTx,
    filter: &PublicFilter,
    after: Option<(DateTime<Utc>, RequestId)>,
    limit: Option<u64>,
) -> Result<Vec<ComplaintRecord>, Error> {
    let mut query = public_query(tx, filter)
        .order_by_desc(complaint::Column::SubmittedAt)
        .order_by_desc(complaint::Column::RequestId)
        .limit(limit);
    if let Some(after) = after {
        query = query.filter(past(after, true));
    }
    query.all(tx.conn()).await?.into_iter().map(from_model).collect()
}

/// How many public complaints the filter finds.
pub(crate) async fn public_count(tx: &TenantTx, filter: &PublicFilter) -> Result<u64, Error> {
    public_query(tx, filter).count(tx.conn()).await.map_err(Into::into)
}

fn public_query(tx: &TenantTx, filter: &PublicFilter) -> sea_orm::Select<complaint::Entity> {
    let mut query = complaint::Entity::find()
        .filter(complaint::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(complaint::Column::Public.eq(true))
        .filter(complaint::Column::Moderation.is_in(Moderation::PUBLISHED));
    if !filter.tracking_codes.is_empty() {
        query =
            query.filter(complaint::Column::TrackingCode.is_in(filter.tracking_codes.iter().map(ToString::to_string)));
    }
    if !filter.service_codes.is_empty() {
        query = query.filter(complaint::Column::ServiceCode.is_in(filter.service_codes.iter().cloned()));
    }
    if let Some(from) = filter.submitted_from {
        query = query.filter(complaint::Column::SubmittedAt.gte(from));
    }
    if let Some(to) = filter.submitted_to {
        query = query.filter(complaint::Column::SubmittedAt.lte(to));
    }
    query
}

/// Records the applicant's rating (a later one replaces it).
pub(crate) async fn rate(tx: &TenantTx, id: RequestId, rating: u8, now: DateTime<Utc>) -> Result<(), Error> {
    complaint::Entity::update_many()
        .col_expr(complaint::Column::Rating, Expr::value(Some(i16::from(rating))))
        .col_expr(complaint::Column::RatedAt, Expr::value(Some(now)))
        .filter(complaint::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(complaint::Column::RequestId.eq(id.as_uuid()))
        .exec(tx.conn())
        .await?;
    Ok(())
}

/// The complaints waiting for a moderator, oldest first: after the complaint `after`, at most `limit`.
pub(crate) async fn pending(
    tx: &TenantTx,
    after: Option<(DateTime<Utc>, RequestId)>,
    limit: u64,
) -> Result<Vec<ComplaintRecord>, Error> {
    let mut query = pending_query(tx)
        .order_by_asc(complaint::Column::SubmittedAt)
        .order_by_asc(complaint::Column::RequestId)
        .limit(limit);
    if let Some(after) = after {
        query = query.filter(past(after, false));
    }
    query.all(tx.conn()).await?.into_iter().map(from_model).collect()
}

/// How many complaints wait for a moderator.
pub(crate) async fn pending_count(tx: &TenantTx) -> Result<u64, Error> {
    Ok(pending_query(tx).count(tx.conn()).await?)
}

fn pending_query(tx: &TenantTx) -> sea_orm::Select<complaint::Entity> {
    complaint::Entity::find()
        .filter(complaint::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(complaint::Column::Moderation.eq(Moderation::Pending))
}

/// Records a moderator's decision: the new state, the description published in place of the applicant's (or
/// none), and the address listed when the moderator replaced it.
pub(crate) async fn moderate(
    tx: &TenantTx,
    id: RequestId,
    moderation: Moderation,
    published_description: Option<&str>,
    address: Option<&str>,
) -> Result<(), Error> {
    let mut update = complaint::Entity::update_many()
        .col_expr(complaint::Column::Moderation, Expr::value(moderation))
        .col_expr(complaint::Column::PublishedDescription, Expr::value(published_description.map(str::to_owned)));
    if let Some(address) = address {
        update = update.col_expr(complaint::Column::Address, Expr::value(Some(address.to_owned())));
    }
    update
        .filter(complaint::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(complaint::Column::RequestId.eq(id.as_uuid()))
        .exec(tx.conn())
        .await?;
    Ok(())
}

fn from_model(row: complaint::Model) -> Result<ComplaintRecord, Error> {
    let corrupt =
        |what: &str| Error::internal(format!("complaint {} has an invalid {what} in storage", row.request_id));
    Ok(ComplaintRecord {
        request_id: RequestId::from_uuid(row.request_id),
        tracking_code: TrackingCode::parse(&row.tracking_code).map_err(|_| corrupt("tracking code"))?,
        service_code: row.service_code.clone(),
        facts: ComplaintFacts {
            category: row.category.clone(),
            public: row.public,
            latitude: row.latitude,
            longitude: row.longitude,
            address: row.address.clone(),
        },
        submitted_at: row.submitted_at,
        rating: row.rating.map(u8::try_from).transpose().map_err(|_| corrupt("rating"))?,
        rated_at: row.rated_at,
        moderation: row.moderation,
        findings: row
            .findings
            .as_deref()
            .map(serde_json::from_str::<Vec<PersonalDataKind>>)
            .transpose()
            .map_err(|_| corrupt("findings"))?,
        published_description: row.published_description.clone(),
    })
}

/// The complaints after `(at, id)` in a listing ordered by submission time then request id, newest or oldest
/// first.
fn past((at, id): (DateTime<Utc>, RequestId), newest_first: bool) -> Condition {
    let (time, id) = if newest_first {
        (complaint::Column::SubmittedAt.lt(at), complaint::Column::RequestId.lt(id.as_uuid()))
    } else {
        (complaint::Column::SubmittedAt.gt(at), complaint::Column::RequestId.gt(id.as_uuid()))
    };
    Condition::any().add(time).add(Condition::all().add(complaint::Column::SubmittedAt.eq(at)).add(id))
}
