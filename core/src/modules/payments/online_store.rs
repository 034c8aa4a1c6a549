//! The online payments' rows of a commune: started payments, imported statements, refunds.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::entity::{online_payment, payment_refund, payment_statement};
use super::reconcile::{IntentStatus, RefundStatus};
use crate::error::Error;
use crate::store::TenantTx;

pub(crate) use online_payment::Model as PaymentRow;
pub(crate) use payment_refund::Model as RefundRow;
pub(crate) use payment_statement::Model as StatementRow;

pub(crate) async fn insert_payment(tx: &TenantTx, row: PaymentRow) -> Result<(), Error> {
    let active = online_payment::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(row.id),
        order_id: Set(row.order_id),
        demand_id: Set(row.demand_id),
        request_id: Set(row.request_id),
        amount: Set(row.amount),
        currency: Set(row.currency),
        status: Set(row.status),
        provider_reference: Set(row.provider_reference),
        refusal_code: Set(row.refusal_code),
        started_by: Set(row.started_by),
        started_at: Set(row.started_at),
        expires_at: Set(row.expires_at),
        settled_at: Set(row.settled_at),
        settled_by: Set(row.settled_by),
    };
    online_payment::Entity::insert(active).exec_without_returning(tx.conn()).await?;
    Ok(())
}

/// Settles a pending payment: `paid` with the provider's reference, or `refused` with its code. Returns whether
/// the row was still pending (a concurrent settlement leaves it as it found it).
pub(crate) async fn settle(
    tx: &TenantTx,
    id: Uuid,
    status: IntentStatus,
    provider_reference: Option<String>,
    refusal_code: Option<String>,
    settled_by: &str,
    at: DateTime<Utc>,
) -> Result<bool, Error> {
    let done = online_payment::Entity::update_many()
        .col_expr(online_payment::Column::Status, status.into())
        .col_expr(online_payment::Column::ProviderReference, provider_reference.into())
        .col_expr(online_payment::Column::RefusalCode, refusal_code.into())
        .col_expr(online_payment::Column::SettledBy, Some(settled_by.to_owned()).into())
        .col_expr(online_payment::Column::SettledAt, Some(at).into())
        .filter(online_payment::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(online_payment::Column::Id.eq(id))
        .filter(online_payment::Column::Status.eq(IntentStatus::Pending))
        .exec(tx.conn())
        .await?;
    Ok(done.rows_affected == 1)
}

pub(crate) async fn payment_by_order(tx: &TenantTx, order_id: &str) -> Result<Option<PaymentRow>, Error> {
    Ok(online_payment::Entity::find()
        .filter(online_payment::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(online_payment::Column::OrderId.eq(order_id))
        .one(tx.conn())
        .await?)
}

pub(crate) async fn payment_by_id(tx: &TenantTx, id: Uuid) -> Result<Option<PaymentRow>, Error> {
    Ok(online_payment::Entity::find()
        .filter(online_payment::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(online_payment::Column::Id.eq(id))
        .one(tx.conn())
        .await?)
}

pub(crate) async fn payment_by_reference(tx: &TenantTx, reference: &str) -> Result<Option<PaymentRow>, Error> {
    Ok(online_payment::Entity::find()
        .filter(online_payment::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(online_payment::Column::ProviderReference.eq(reference))
        .one(tx.conn())
        .await?)
}

/// The commune's payments started online, newest first (at most `limit`), of one demand when named.
pub(crate) async fn payments(tx: &TenantTx, demand: Option<Uuid>, limit: u64) -> Result<Vec<PaymentRow>, Error> {
    let mut query = online_payment::Entity::find().filter(online_payment::Column::TenantId.eq(tx.tenant_uuid()));
    if let Some(demand) = demand {
        query = query.filter(online_payment::Column::DemandId.eq(demand));
    }
    use sea_orm::QuerySelect as _;
    Ok(query.order_by_desc(online_payment::Column::StartedAt).limit(limit).all(tx.conn()).await?)
}

/// The payments whose order is among `orders`, or paid between `from` and `to`.
pub(crate) async fn payments_for_statement(
    tx: &TenantTx,
    orders: &[String],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<PaymentRow>, Error> {
    let mut rows = Vec::new();
    for chunk in orders.chunks(500) {
        rows.extend(
            online_payment::Entity::find()
                .filter(online_payment::Column::TenantId.eq(tx.tenant_uuid()))
                .filter(online_payment::Column::OrderId.is_in(chunk.iter().cloned()))
                .all(tx.conn())
                .await?,
        );
    }
    let settled = online_payment::Entity::find()
        .filter(online_payment::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(online_payment::Column::Status.eq(IntentStatus::Paid))
        .filter(online_payment::Column::SettledAt.gte(from))
        .filter(online_payment::Column::SettledAt.lt(to))
        .all(tx.conn())
        .await?;
    for row in settled {
        if !rows.iter().any(|r: &PaymentRow| r.id == row.id) {
            rows.push(row);
        }
    }
    Ok(rows)
}

pub(crate) async fn insert_statement(tx: &TenantTx, row: StatementRow) -> Result<(), Error> {
    let active = payment_statement::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(row.id),
        day: Set(row.day),
        lines: Set(row.lines),
        mismatches: Set(row.mismatches),
        imported_by: Set(row.imported_by),
        imported_at: Set(row.imported_at),
    };
    payment_statement::Entity::insert(active).exec_without_returning(tx.conn()).await?;
    Ok(())
}

/// The statements imported, newest first, of one day when named.
pub(crate) async fn statements(tx: &TenantTx, day: Option<NaiveDate>) -> Result<Vec<StatementRow>, Error> {
    let mut query = payment_statement::Entity::find().filter(payment_statement::Column::TenantId.eq(tx.tenant_uuid()));
    if let Some(day) = day {
        query = query.filter(payment_statement::Column::Day.eq(day));
    }
    Ok(query.order_by_desc(payment_statement::Column::ImportedAt).all(tx.conn()).await?)
}

pub(crate) async fn insert_refund(tx: &TenantTx, row: RefundRow) -> Result<(), Error> {
    let active = payment_refund::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(row.id),
        payment_id: Set(row.payment_id),
        amount: Set(row.amount),
        reason: Set(row.reason),
        status: Set(row.status),
        requested_by: Set(row.requested_by),
        requested_at: Set(row.requested_at),
        decided_by: Set(row.decided_by),
        decided_at: Set(row.decided_at),
    };
    payment_refund::Entity::insert(active).exec_without_returning(tx.conn()).await?;
    Ok(())
}

/// Decides a requested refund; whether it was still requested.
pub(crate) async fn decide_refund(
    tx: &TenantTx,
    id: Uuid,
    status: RefundStatus,
    by: &str,
    at: DateTime<Utc>,
) -> Result<bool, Error> {
    let done = payment_refund::Entity::update_many()
        .col_expr(payment_refund::Column::Status, status.into())
        .col_expr(payment_refund::Column::DecidedBy, Some(by.to_owned()).into())
        .col_expr(payment_refund::Column::DecidedAt, Some(at).into())
        .filter(payment_refund::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(payment_refund::Column::Id.eq(id))
        .filter(payment_refund::Column::Status.eq(RefundStatus::Requested))
        .exec(tx.conn())
        .await?;
    Ok(done.rows_affected == 1)
}

/// The refunds of one payment, or of the commune, oldest first.
pub(crate) async fn refunds(tx: &TenantTx, payment: Option<Uuid>) -> Result<Vec<RefundRow>, Error> {
    let mut query = payment_refund::Entity::find().filter(payment_refund::Column::TenantId.eq(tx.tenant_uuid()));
    if let Some(payment) = payment {
        query = query.filter(payment_refund::Column::PaymentId.eq(payment));
    }
    Ok(query.order_by_asc(payment_refund::Column::RequestedAt).all(tx.conn()).await?)
}
