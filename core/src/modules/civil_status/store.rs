//! The civil-status registers: acts and their marginal mentions, written once and never changed (the tables
//! refuse updates and deletions), read by the commune's registrar.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entity::{civil_act, civil_mention};
use crate::error::Error;
use crate::model::ids::CivilActId;
use crate::modules::civil_status::model::{ActDetails, ActKind, ActNumber, MentionKind, OfficeCode};
use crate::store::TenantTx;

/// An act as stored: its persons still sealed.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ActRow {
    pub id: CivilActId,
    pub kind: ActKind,
    pub number: ActNumber,
    pub details: ActDetails,
    pub persons: String,
    pub data_key_id: uuid::Uuid,
    pub subject_digest: Option<String>,
    pub registered_on: NaiveDate,
    pub registered_at: DateTime<Utc>,
    pub registered_by: String,
}

/// A mention as stored: its text still sealed.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct MentionRow {
    pub id: uuid::Uuid,
    pub act_id: CivilActId,
    pub sequence: i64,
    pub kind: MentionKind,
    pub reference: Option<String>,
    pub effective_on: NaiveDate,
    pub text: String,
    pub data_key_id: uuid::Uuid,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: String,
}

/// Which acts a listing wants.
#[derive(Clone, Debug, Default)]
pub(crate) struct ActFilter {
    pub office: Option<OfficeCode>,
    pub year: Option<i32>,
    pub kind: Option<ActKind>,
}

pub(crate) async fn insert_act(tx: &TenantTx, row: &ActRow) -> Result<(), Error> {
    civil_act::Entity::insert(civil_act::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(row.id.as_uuid()),
        kind: Set(row.kind),
        office: Set(row.number.office.to_string()),
        year: Set(row.number.year),
        number: Set(i64::from(row.number.number)),
        event_date: Set(row.details.event.date),
        details: Set(serde_json::to_value(&row.details).map_err(Error::internal)?),
        persons: Set(row.persons.clone()),
        data_key_id: Set(row.data_key_id),
        subject_digest: Set(row.subject_digest.clone()),
        registered_on: Set(row.registered_on),
        registered_at: Set(row.registered_at),
        registered_by: Set(row.registered_by.clone()),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

pub(crate) async fn act_by_id(tx: &TenantTx, id: CivilActId) -> Result<Option<ActRow>, Error> {
    let row = civil_act::Entity::find_by_id((tx.tenant_uuid(), id.as_uuid())).one(tx.conn()).await?;
    row.map(act_from_model).transpose()
}

/// The commune's acts whose subject's national id has this blind index.
pub(crate) async fn acts_by_subject(tx: &TenantTx, digest: &str) -> Result<Vec<ActRow>, Error> {
    civil_act::Entity::find()
        .filter(civil_act::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(civil_act::Column::SubjectDigest.eq(digest))
        .order_by_asc(civil_act::Column::Id)
        .all(tx.conn())
        .await?
        .into_iter()
        .map(act_from_model)
        .collect()
}

/// The commune's acts of `kind` numbered `number` in a register of `year`, in every office.
pub(crate) async fn acts_by_number(tx: &TenantTx, kind: ActKind, year: i32, number: u32) -> Result<Vec<ActRow>, Error> {
    let filter = ActFilter { office: None, year: Some(year), kind: Some(kind) };
    acts_matching(tx, &filter)
        .filter(civil_act::Column::Number.eq(i64::from(number)))
        .order_by_asc(civil_act::Column::Id)
        .all(tx.conn())
        .await?
        .into_iter()
        .map(act_from_model)
        .collect()
}

/// A page of the commune's acts in registration order (ids are time-ordered).
pub(crate) async fn act_page(
    tx: &TenantTx,
    filter: &ActFilter,
    after: Option<CivilActId>,
    limit: u64,
) -> Result<Vec<ActRow>, Error> {
    let mut query = acts_matching(tx, filter).order_by_asc(civil_act::Column::Id).limit(limit);
    if let Some(after) = after {
        query = query.filter(civil_act::Column::Id.gt(after.as_uuid()));
    }
    query.all(tx.conn()).await?.into_iter().map(act_from_model).collect()
}

/// How many of the commune's acts match `filter`.
pub(crate) async fn act_count(tx: &TenantTx, filter: &ActFilter) -> Result<u64, Error> {
    acts_matching(tx, filter).count(tx.conn()).await.map_err(Into::into)
}

fn acts_matching(tx: &TenantTx, filter: &ActFilter) -> sea_orm::Select<civil_act::Entity> {
    let mut query = civil_act::Entity::find().filter(civil_act::Column::TenantId.eq(tx.tenant_uuid()));
    if let Some(office) = &filter.office {
        query = query.filter(civil_act::Column::Office.eq(office.as_str()));
    }
    if let Some(year) = filter.year {
        query = query.filter(civil_act::Column::Year.eq(year));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(civil_act::Column::Kind.eq(kind));
    }
    query
}

pub(crate) async fn insert_mention(tx: &TenantTx, row: &MentionRow) -> Result<(), Error> {
    civil_mention::Entity::insert(civil_mention::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(row.id),
        act_id: Set(row.act_id.as_uuid()),
        sequence: Set(row.sequence),
        kind: Set(row.kind),
        reference: Set(row.reference.clone()),
        effective_on: Set(row.effective_on),
        text: Set(row.text.clone()),
        data_key_id: Set(row.data_key_id),
        recorded_at: Set(row.recorded_at),
        recorded_by: Set(row.recorded_by.clone()),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

/// An act's mentions, in the order they were added.
pub(crate) async fn mentions_of(tx: &TenantTx, act: CivilActId) -> Result<Vec<MentionRow>, Error> {
    Ok(civil_mention::Entity::find()
        .filter(civil_mention::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(civil_mention::Column::ActId.eq(act.as_uuid()))
        .order_by_asc(civil_mention::Column::Sequence)
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|row| MentionRow {
            id: row.id,
            act_id: CivilActId::from_uuid(row.act_id),
            sequence: row.sequence,
            kind: row.kind,
            reference: row.reference,
            effective_on: row.effective_on,
            text: row.text,
            data_key_id: row.data_key_id,
            recorded_at: row.recorded_at,
            recorded_by: row.recorded_by,
        })
        .collect())
}

fn act_from_model(row: civil_act::Model) -> Result<ActRow, Error> {
    let corrupt = |what: &str| Error::internal(format!("civil act {} has an invalid {what} in storage", row.id));
    Ok(ActRow {
        id: CivilActId::from_uuid(row.id),
        kind: row.kind,
        number: ActNumber {
            office: OfficeCode::parse(&row.office).map_err(|_| corrupt("office"))?,
            year: row.year,
            number: u32::try_from(row.number).map_err(|_| corrupt("number"))?,
        },
        details: serde_json::from_value(row.details.clone()).map_err(|_| corrupt("details"))?,
        persons: row.persons,
        data_key_id: row.data_key_id,
        subject_digest: row.subject_digest,
        registered_on: row.registered_on,
        registered_at: row.registered_at,
        registered_by: row.registered_by,
    })
}
