//! The audit chain in storage: appends serialized per commune by the chain head row, and reads in order.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::TenantTx;
use super::entity::{audit_event, audit_head};
use crate::error::Error;
use crate::model::audit::{AuditEvent, AuditHead, ChainChecker, ChainReport, GENESIS_HASH, NewEvent};
use crate::model::ids::{EventId, TenantId};

/// Appends an event to the commune's chain, in the caller's transaction.
pub(crate) async fn append(tx: &TenantTx, event: NewEvent, now: DateTime<Utc>) -> Result<AuditEvent, Error> {
    let tenant = tx.tenant_uuid();
    // Taking the next sequence number locks the head row until commit: appends of one commune are serialized.
    let mut bump = Query::insert();
    bump.into_table(audit_head::Entity)
        .columns([audit_head::Column::TenantId, audit_head::Column::Sequence, audit_head::Column::Hash])
        .values([tenant.into(), 1i64.into(), GENESIS_HASH.into()])
        .map_err(Error::internal)?
        .on_conflict(
            OnConflict::column(audit_head::Column::TenantId)
                .value(
                    audit_head::Column::Sequence,
                    Expr::col((audit_head::Entity, audit_head::Column::Sequence)).add(1),
                )
                .to_owned(),
        )
        .returning(Query::returning().columns([audit_head::Column::Sequence, audit_head::Column::Hash]));
    let row =
        tx.conn().query_one(&bump).await?.ok_or_else(|| Error::internal("the audit head upsert returned no row"))?;
    let sequence: i64 = row.try_get("", "sequence")?;
    let prev_hash: String = row.try_get("", "hash")?;

    let chained = event.chain(TenantId::from_uuid(tenant), sequence, now, &prev_hash);
    audit_event::Entity::insert(audit_event::ActiveModel {
        tenant_id: Set(tenant),
        id: Set(EventId::new().as_uuid()),
        sequence: Set(chained.sequence),
        occurred_at: Set(chained.occurred_at),
        actor: Set(chained.actor.clone()),
        kind: Set(chained.kind.clone()),
        subject: Set(chained.subject.clone()),
        payload: Set(chained.payload.clone()),
        prev_hash: Set(chained.prev_hash.clone()),
        hash: Set(chained.hash.clone()),
    })
    .exec_without_returning(tx.conn())
    .await?;
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Hash, Expr::value(chained.hash.clone()))
        .filter(audit_head::Column::TenantId.eq(tenant))
        .exec(tx.conn())
        .await?;
    Ok(chained)
}

/// The commune's chain head: its last event's sequence, hash and time (sequence 0 and the genesis hash, with no
/// time, before any event).
pub(crate) async fn head(tx: &TenantTx) -> Result<AuditHead, Error> {
    let tenant = tx.tenant_uuid();
    let Some(head) = audit_head::Entity::find_by_id(tenant).one(tx.conn()).await? else {
        return Ok(AuditHead { sequence: 0, hash: GENESIS_HASH.to_owned(), recorded_at: None });
    };
    let last = audit_event::Entity::find()
        .filter(audit_event::Column::TenantId.eq(tenant))
        .filter(audit_event::Column::Sequence.eq(head.sequence))
        .one(tx.conn())
        .await?;
    Ok(AuditHead { sequence: head.sequence, hash: head.hash, recorded_at: last.map(|e| e.occurred_at) })
}

/// The commune's events about one subject (`civil_act:<id>`), oldest first, at most `limit`.
pub(crate) async fn about(tx: &TenantTx, subject: &str, limit: u64) -> Result<Vec<AuditEvent>, Error> {
    let rows = audit_event::Entity::find()
        .filter(audit_event::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(audit_event::Column::Subject.eq(subject))
        .order_by_asc(audit_event::Column::Sequence)
        .limit(limit)
        .all(tx.conn())
        .await?;
    Ok(rows.into_iter().map(to_event).collect())
}

/// Checks the whole chain of the commune, reading it in pages, and that the head matches its last event.
pub(crate) async fn verify(tx: &TenantTx) -> Result<ChainReport, Error> {
    const PAGE: u64 = 1_000;
    let tenant = tx.tenant_uuid();
    let mut checker = ChainChecker::default();
    let mut after = 0i64;
    'pages: loop {
        let rows = audit_event::Entity::find()
            .filter(audit_event::Column::TenantId.eq(tenant))
            .filter(audit_event::Column::Sequence.gt(after))
            .order_by_asc(audit_event::Column::Sequence)
            .limit(PAGE)
            .all(tx.conn())
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.sequence;
        let full_page = rows.len() as u64 == PAGE;
        for row in rows {
            if !checker.push(&to_event(row)) {
                break 'pages;
            }
        }
        if !full_page {
            break;
        }
    }
    let mut report = checker.finish();
    let head = audit_head::Entity::find_by_id(tenant).one(tx.conn()).await?;
    if report.valid {
        let (head_sequence, head_hash) = head.map(|h| (h.sequence, h.hash)).unwrap_or((0, GENESIS_HASH.to_owned()));
        if head_sequence != report.events_checked || head_hash != report.head_hash {
            report.valid = false;
            report.first_broken_sequence = Some(std::cmp::min(report.events_checked, head_sequence) + 1);
            report.problem = Some(format!(
                "the chain holds {} events but its head says {head_sequence}: events were removed",
                report.events_checked
            ));
        }
    }
    Ok(report)
}

fn to_event(row: audit_event::Model) -> AuditEvent {
    AuditEvent {
        tenant_id: TenantId::from_uuid(row.tenant_id),
        sequence: row.sequence,
        occurred_at: row.occurred_at,
        actor: row.actor,
        kind: row.kind,
        subject: row.subject,
        payload: row.payload,
        prev_hash: row.prev_hash,
        hash: row.hash,
    }
}
