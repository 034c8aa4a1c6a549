//! The audit chain in storage: appends serialized per commune by the chain head row, and reads in order.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::TenantTx;
use super::entity::{audit_event, audit_head, audit_published_head};
use crate::error::Error;
use crate::model::audit::{
    AuditEvent, AuditHead, AuditKind, ChainChecker, ChainReport, GENESIS_HASH, HashedTime, NewEvent, ProofStep,
    ProvenEvent, PublishedHead,
};
use crate::model::ids::{EventId, TenantId};

/// Appends an event to the commune's chain, in the caller's transaction.
pub(crate) async fn append(tx: &TenantTx, event: NewEvent, now: DateTime<Utc>) -> Result<AuditEvent, Error> {
    let tenant = tx.tenant_uuid();
    // Taking the next sequence number locks the head row until commit: appends of one commune are serialized.
    let mut bump = Query::insert();
    bump.into_table(audit_head::Entity)
        .columns([
            audit_head::Column::TenantId,
            audit_head::Column::Sequence,
            audit_head::Column::Hash,
            audit_head::Column::Link,
        ])
        .values([tenant.into(), 1i64.into(), GENESIS_HASH.into(), GENESIS_HASH.into()])
        .map_err(Error::internal)?
        .on_conflict(
            OnConflict::column(audit_head::Column::TenantId)
                .value(
                    audit_head::Column::Sequence,
                    Expr::col((audit_head::Entity, audit_head::Column::Sequence)).add(1),
                )
                .to_owned(),
        )
        .returning(Query::returning().columns([
            audit_head::Column::Sequence,
            audit_head::Column::Hash,
            audit_head::Column::Link,
        ]));
    let row =
        tx.conn().query_one(&bump).await?.ok_or_else(|| Error::internal("the audit head upsert returned no row"))?;
    let sequence: i64 = row.try_get("", "sequence")?;
    let prev_hash: String = row.try_get("", "hash")?;
    let prev_link: String = row.try_get("", "link")?;

    let chained = event.chain(TenantId::from_uuid(tenant), sequence, now, &prev_hash, &prev_link);
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
        content_hash: Set(chained.content_hash.clone()),
        link: Set(chained.link.clone()),
    })
    .exec_without_returning(tx.conn())
    .await?;
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Hash, Expr::value(chained.hash.clone()))
        .col_expr(audit_head::Column::Link, Expr::value(chained.link.clone()))
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
        return Ok(AuditHead {
            sequence: 0,
            hash: GENESIS_HASH.to_owned(),
            link: GENESIS_HASH.to_owned(),
            recorded_at: None,
        });
    };
    let last = audit_event::Entity::find()
        .filter(audit_event::Column::TenantId.eq(tenant))
        .filter(audit_event::Column::Sequence.eq(head.sequence))
        .one(tx.conn())
        .await?;
    Ok(AuditHead {
        sequence: head.sequence,
        hash: head.hash,
        link: head.link,
        recorded_at: last.map(|e| e.occurred_at),
    })
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

/// The commune's latest events about one subject, newest first, at most `limit`.
pub(crate) async fn latest_about(tx: &TenantTx, subject: &str, limit: u64) -> Result<Vec<AuditEvent>, Error> {
    let rows = audit_event::Entity::find()
        .filter(audit_event::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(audit_event::Column::Subject.eq(subject))
        .order_by_desc(audit_event::Column::Sequence)
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
    let link = checker.link().to_owned();
    let mut report = checker.finish();
    let head = audit_head::Entity::find_by_id(tenant).one(tx.conn()).await?;
    if report.valid {
        let (head_sequence, head_hash, head_link) =
            head.map(|h| (h.sequence, h.hash, h.link)).unwrap_or((0, GENESIS_HASH.to_owned(), GENESIS_HASH.to_owned()));
        if head_sequence != report.events_checked || head_hash != report.head_hash || head_link != link {
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
        content_hash: row.content_hash,
        link: row.link,
    }
}

/// Publishes the commune's head as the one of `day`, unless a head is published for that day already or the
/// head has not moved since the last one published; the published head, if this published one.
pub(crate) async fn publish_head(
    tx: &TenantTx,
    day: chrono::NaiveDate,
    now: DateTime<Utc>,
) -> Result<Option<PublishedHead>, Error> {
    let head = head(tx).await?;
    let last = audit_published_head::Entity::find()
        .filter(audit_published_head::Column::TenantId.eq(tx.tenant_uuid()))
        .order_by_desc(audit_published_head::Column::Day)
        .one(tx.conn())
        .await?;
    if head.sequence == 0 || last.as_ref().is_some_and(|l| l.day >= day || l.sequence == head.sequence) {
        return Ok(None);
    }
    let published = PublishedHead {
        day,
        sequence: head.sequence,
        hash: head.hash,
        link: head.link,
        recorded_at: head.recorded_at,
        published_at: now,
    };
    // Another server publishing the same day's head at the same moment: the first one stays.
    let inserted = audit_published_head::Entity::insert(audit_published_head::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        day: Set(day),
        sequence: Set(published.sequence),
        hash: Set(published.hash.clone()),
        link: Set(published.link.clone()),
        recorded_at: Set(published.recorded_at),
        published_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([audit_published_head::Column::TenantId, audit_published_head::Column::Day])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(tx.conn())
    .await?;
    Ok((inserted > 0).then_some(published))
}

/// The commune's published heads, the latest first: those of days before `before`, at most `limit`.
pub(crate) async fn published_heads(
    tx: &TenantTx,
    before: Option<chrono::NaiveDate>,
    limit: u64,
) -> Result<Vec<PublishedHead>, Error> {
    let mut query = audit_published_head::Entity::find()
        .filter(audit_published_head::Column::TenantId.eq(tx.tenant_uuid()))
        .order_by_desc(audit_published_head::Column::Day)
        .limit(limit);
    if let Some(before) = before {
        query = query.filter(audit_published_head::Column::Day.lt(before));
    }
    Ok(query
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|row| PublishedHead {
            day: row.day,
            sequence: row.sequence,
            hash: row.hash,
            link: row.link,
            recorded_at: row.recorded_at,
            published_at: row.published_at,
        })
        .collect())
}

/// How many heads the commune published.
pub(crate) async fn published_count(tx: &TenantTx) -> Result<u64, Error> {
    Ok(audit_published_head::Entity::find()
        .filter(audit_published_head::Column::TenantId.eq(tx.tenant_uuid()))
        .count(tx.conn())
        .await?)
}

/// The link of event `sequence` (the genesis hash at 0), if the chain holds it.
pub(crate) async fn link_at(tx: &TenantTx, sequence: i64) -> Result<Option<String>, Error> {
    if sequence == 0 {
        return Ok(Some(GENESIS_HASH.to_owned()));
    }
    let row = audit_event::Entity::find()
        .select_only()
        .column(audit_event::Column::Link)
        .filter(audit_event::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(audit_event::Column::Sequence.eq(sequence))
        .into_tuple::<String>()
        .one(tx.conn())
        .await?;
    Ok(row)
}

/// The steps of a proof: every event after `since` up to `until`, in order, with the content of those about
/// `subject` except the kinds in `withheld`.
pub(crate) async fn proof_steps(
    tx: &TenantTx,
    since: i64,
    until: i64,
    subject: &str,
    withheld: &[AuditKind],
) -> Result<Vec<ProofStep>, Error> {
    let tenant = tx.tenant_uuid();
    let links: Vec<(i64, String, String)> = audit_event::Entity::find()
        .select_only()
        .columns([audit_event::Column::Sequence, audit_event::Column::ContentHash, audit_event::Column::Link])
        .filter(audit_event::Column::TenantId.eq(tenant))
        .filter(audit_event::Column::Sequence.gt(since))
        .filter(audit_event::Column::Sequence.lte(until))
        .order_by_asc(audit_event::Column::Sequence)
        .into_tuple()
        .all(tx.conn())
        .await?;
    let mut own: std::collections::HashMap<i64, ProvenEvent> = audit_event::Entity::find()
        .filter(audit_event::Column::TenantId.eq(tenant))
        .filter(audit_event::Column::Subject.eq(subject))
        .filter(audit_event::Column::Sequence.gt(since))
        .filter(audit_event::Column::Sequence.lte(until))
        .all(tx.conn())
        .await?
        .into_iter()
        .filter(|row| !withheld.iter().any(|kind| kind.as_str() == row.kind))
        .map(|row| {
            let event = ProvenEvent {
                occurred_at: HashedTime::of(&row.occurred_at),
                actor: row.actor,
                kind: row.kind,
                subject: row.subject,
                payload: row.payload,
            };
            (row.sequence, event)
        })
        .collect();
    Ok(links
        .into_iter()
        .map(|(sequence, content_hash, link)| ProofStep { sequence, content_hash, link, event: own.remove(&sequence) })
        .collect())
}
