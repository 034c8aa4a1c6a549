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
use crate::model::request::TrackingCode;

/// A complaint as stored beside its request.
#[derive(Clone, Debug, PartialEq)]
pub struct ComplaintRecord {
    pub request_id: RequestId,
    pub tracking_code: TrackingCode,
    pub service_code: String,
    pub facts: ComplaintFacts,
    pub submitted_at: DateTime<Utc>,
    pub rating: Option<u8>,
    pub rated_at: Option<DateTime<Utc>>,
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
    if let Some((at, id)) = after {
        query = query.filter(
            Condition::any().add(complaint::Column::SubmittedAt.lt(at)).add(
                Condition::all()
                    .add(complaint::Column::SubmittedAt.eq(at))
                    .add(complaint::Column::RequestId.lt(id.as_uuid())),
            ),
        );
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
        .filter(complaint::Column::Public.eq(true));
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
    })
}
