//! Demands and payments of a commune, on its tenant transaction. Rows are only added: the tables refuse
//! changes and deletions.

use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::entity::{payment, payment_demand};
use super::model::{Demand, DemandLine, Payment};
use crate::error::Error;
use crate::store::TenantTx;

pub(crate) async fn insert_demand(tx: &TenantTx, demand: &Demand) -> Result<(), Error> {
    payment_demand::Entity::insert(payment_demand::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(demand.id),
        request_id: Set(demand.request),
        tracking_code: Set(demand.tracking_code.clone()),
        service_code: Set(demand.service_code.clone()),
        currency: Set(demand.currency.clone()),
        total: Set(demand.total),
        lines: Set(serde_json::to_value(&demand.lines).map_err(Error::internal)?),
        created_at: Set(demand.created_at),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

fn demand_of(row: payment_demand::Model) -> Result<Demand, Error> {
    let lines: Vec<DemandLine> = serde_json::from_value(row.lines).map_err(Error::internal)?;
    Ok(Demand {
        id: row.id,
        request: row.request_id,
        tracking_code: row.tracking_code,
        service_code: row.service_code,
        currency: row.currency,
        lines,
        total: row.total,
        created_at: row.created_at,
    })
}

fn demands_query() -> sea_orm::Select<payment_demand::Entity> {
    payment_demand::Entity::find()
}

pub(crate) async fn demand_of_request(tx: &TenantTx, request: Uuid) -> Result<Option<Demand>, Error> {
    demands_query()
        .filter(payment_demand::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(payment_demand::Column::RequestId.eq(request))
        .one(tx.conn())
        .await?
        .map(demand_of)
        .transpose()
}

pub(crate) async fn demand_by_tracking(tx: &TenantTx, tracking_code: &str) -> Result<Option<Demand>, Error> {
    demands_query()
        .filter(payment_demand::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(payment_demand::Column::TrackingCode.eq(tracking_code))
        .one(tx.conn())
        .await?
        .map(demand_of)
        .transpose()
}

pub(crate) async fn demand_by_id(tx: &TenantTx, id: Uuid) -> Result<Option<Demand>, Error> {
    demands_query()
        .filter(payment_demand::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(payment_demand::Column::Id.eq(id))
        .one(tx.conn())
        .await?
        .map(demand_of)
        .transpose()
}

/// Every demand of the commune (the service code of each, for the revenue per procedure).
pub(crate) async fn demands(tx: &TenantTx) -> Result<Vec<Demand>, Error> {
    demands_query()
        .filter(payment_demand::Column::TenantId.eq(tx.tenant_uuid()))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(demand_of)
        .collect()
}

pub(crate) async fn insert_payment(tx: &TenantTx, p: &Payment) -> Result<(), Error> {
    payment::Entity::insert(payment::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(p.id),
        demand_id: Set(p.demand),
        request_id: Set(p.request),
        kind: Set(p.kind),
        cancels: Set(p.cancels),
        rank: Set(p.rank),
        channel: Set(p.channel),
        amount: Set(p.amount),
        currency: Set(p.currency.clone()),
        year: Set(p.year),
        number: Set(p.number),
        day: Set(p.day),
        terminal_slip: Set(p.terminal_slip.clone()),
        provider: Set(p.provider.clone()),
        provider_ref: Set(p.provider_ref.clone()),
        document_code: Set(p.document_code.clone()),
        reason: Set(p.reason.clone()),
        recorded_by: Set(p.recorded_by.clone()),
        recorded_at: Set(p.recorded_at),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

fn payment_of(row: payment::Model) -> Payment {
    Payment {
        id: row.id,
        demand: row.demand_id,
        request: row.request_id,
        kind: row.kind,
        cancels: row.cancels,
        rank: row.rank,
        channel: row.channel,
        amount: row.amount,
        currency: row.currency,
        year: row.year,
        number: row.number,
        day: row.day,
        terminal_slip: row.terminal_slip,
        provider: row.provider,
        provider_ref: row.provider_ref,
        document_code: row.document_code,
        reason: row.reason,
        recorded_by: row.recorded_by,
        recorded_at: row.recorded_at,
    }
}

fn payments_query(tx: &TenantTx) -> sea_orm::Select<payment::Entity> {
    payment::Entity::find()
        .filter(payment::Column::TenantId.eq(tx.tenant_uuid()))
        .order_by_asc(payment::Column::RecordedAt)
        .order_by_asc(payment::Column::Number)
}

pub(crate) async fn payments_of_demand(tx: &TenantTx, demand: Uuid) -> Result<Vec<Payment>, Error> {
    Ok(payments_query(tx)
        .filter(payment::Column::DemandId.eq(demand))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(payment_of)
        .collect())
}

pub(crate) async fn payment_by_id(tx: &TenantTx, id: Uuid) -> Result<Option<Payment>, Error> {
    Ok(payments_query(tx).filter(payment::Column::Id.eq(id)).one(tx.conn()).await?.map(payment_of))
}

/// The payments and cancellations recorded on `day` (the commune's), or on every day.
pub(crate) async fn payments(tx: &TenantTx, day: Option<chrono::NaiveDate>) -> Result<Vec<Payment>, Error> {
    let mut query = payments_query(tx);
    if let Some(day) = day {
        query = query.filter(payment::Column::Day.eq(day));
    }
    Ok(query.all(tx.conn()).await?.into_iter().map(payment_of).collect())
}
