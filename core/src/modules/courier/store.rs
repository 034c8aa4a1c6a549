//! The courier registry: mail items, their routings and follow-up, and listings by year, department and
//! overdue state.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::entity::{courier_history, courier_item};
use super::model::{MailEvent, MailRecord};
use crate::error::Error;
use crate::model::ids::MailId;
use crate::modules::courier::model::{DeliberationRef, Department, Direction, FollowUp, MailNumber};
use crate::store::TenantTx;

/// Which items a listing wants.
#[derive(Clone, Debug, Default)]
pub struct MailFilter {
    pub year: Option<i32>,
    pub direction: Option<Direction>,
    pub department: Option<Department>,
    pub state: Option<FollowUp>,
    /// Only items still open after their due date, as of this day.
    pub overdue_on: Option<NaiveDate>,
}

pub(crate) async fn insert(tx: &TenantTx, record: &MailRecord) -> Result<(), Error> {
    courier_item::Entity::insert(courier_item::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(record.id.as_uuid()),
        direction: Set(record.number.direction),
        year: Set(record.number.year),
        number: Set(i64::from(record.number.number)),
        reference: Set(record.number.to_string()),
        correspondent: Set(record.correspondent.clone()),
        subject: Set(record.subject.clone()),
        mail_date: Set(record.date),
        department: Set(record.department.to_string()),
        due_on: Set(record.due_on),
        state: Set(record.state),
        request_code: Set(record.request_code.clone()),
        deliberation_id: Set(record.deliberation.map(|d| d.as_uuid())),
        registered_at: Set(record.registered_at),
        updated_at: Set(record.updated_at),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

pub(crate) async fn by_id(tx: &TenantTx, id: MailId) -> Result<Option<MailRecord>, Error> {
    let row = courier_item::Entity::find_by_id((tx.tenant_uuid(), id.as_uuid())).one(tx.conn()).await?;
    row.map(from_model).transpose()
}

/// Moves an item to `department` and `state` if it still is in `seen` state; false when another change won.
pub(crate) async fn update(
    tx: &TenantTx,
    id: MailId,
    seen: FollowUp,
    department: &Department,
    state: FollowUp,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    let result = courier_item::Entity::update_many()
        .col_expr(courier_item::Column::Department, Expr::value(department.to_string()))
        .col_expr(courier_item::Column::State, Expr::value(state))
        .col_expr(courier_item::Column::UpdatedAt, Expr::value(now))
        .filter(courier_item::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(courier_item::Column::Id.eq(id.as_uuid()))
        .filter(courier_item::Column::State.eq(seen))
        .exec(tx.conn())
        .await?;
    Ok(result.rows_affected == 1)
}

pub(crate) async fn insert_event(tx: &TenantTx, item: MailId, event: &MailEvent) -> Result<(), Error> {
    courier_history::Entity::insert(courier_history::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(uuid::Uuid::now_v7()),
        item_id: Set(item.as_uuid()),
        kind: Set(event.kind),
        department: Set(event.department.to_string()),
        state: Set(event.state),
        note: Set(event.note.clone()),
        occurred_at: Set(event.occurred_at),
        actor: Set(event.actor.clone()),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

/// An item's history, oldest first.
pub(crate) async fn history(tx: &TenantTx, item: MailId) -> Result<Vec<MailEvent>, Error> {
    courier_history::Entity::find()
        .filter(courier_history::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(courier_history::Column::ItemId.eq(item.as_uuid()))
        .order_by_asc(courier_history::Column::Id)
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|row| {
            let corrupt = || Error::internal(format!("courier history {} is invalid in storage", row.id));
            Ok(MailEvent {
                department: Department::parse(&row.department).ok_or_else(corrupt)?,
                state: row.state,
                kind: row.kind,
                note: row.note,
                occurred_at: row.occurred_at,
                actor: row.actor,
            })
        })
        .collect()
}

/// A page of the registry in registration order (ids are time-ordered).
pub(crate) async fn page(
    tx: &TenantTx,
    filter: &MailFilter,
    after: Option<MailId>,
    limit: u64,
) -> Result<Vec<MailRecord>, Error> {
    let mut query = matching(tx, filter).order_by_asc(courier_item::Column::Id).limit(limit);
    if let Some(after) = after {
        query = query.filter(courier_item::Column::Id.gt(after.as_uuid()));
    }
    query.all(tx.conn()).await?.into_iter().map(from_model).collect()
}

/// How many of the commune's mail items match `filter`.
pub(crate) async fn count(tx: &TenantTx, filter: &MailFilter) -> Result<u64, Error> {
    matching(tx, filter).count(tx.conn()).await.map_err(Into::into)
}

fn matching(tx: &TenantTx, filter: &MailFilter) -> sea_orm::Select<courier_item::Entity> {
    let mut query = courier_item::Entity::find().filter(courier_item::Column::TenantId.eq(tx.tenant_uuid()));
    if let Some(year) = filter.year {
        query = query.filter(courier_item::Column::Year.eq(year));
    }
    if let Some(direction) = filter.direction {
        query = query.filter(courier_item::Column::Direction.eq(direction));
    }
    if let Some(department) = &filter.department {
        query = query.filter(courier_item::Column::Department.eq(department.as_str()));
    }
    if let Some(state) = filter.state {
        query = query.filter(courier_item::Column::State.eq(state));
    }
    if let Some(today) = filter.overdue_on {
        query = query.filter(
            Condition::all()
                .add(courier_item::Column::State.eq(FollowUp::Open))
                .add(courier_item::Column::DueOn.lt(today)),
        );
    }
    query
}

fn from_model(row: courier_item::Model) -> Result<MailRecord, Error> {
    let corrupt = |what: &str| Error::internal(format!("mail item {} has an invalid {what} in storage", row.id));
    Ok(MailRecord {
        id: MailId::from_uuid(row.id),
        number: MailNumber {
            direction: row.direction,
            year: row.year,
            number: u32::try_from(row.number).map_err(|_| corrupt("number"))?,
        },
        department: Department::parse(&row.department).ok_or_else(|| corrupt("department"))?,
        state: row.state,
        correspondent: row.correspondent,
        subject: row.subject,
        date: row.mail_date,
        due_on: row.due_on,
        request_code: row.request_code,
        deliberation: row.deliberation_id.map(DeliberationRef::from_uuid),
        registered_at: row.registered_at,
        updated_at: row.updated_at,
    })
}
