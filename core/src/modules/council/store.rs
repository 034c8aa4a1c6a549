//! The council's members, sessions, agenda items, deliberations and votes, within one commune.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::entity::{agenda_item, council_member, council_session, council_vote, deliberation};
use super::model::{AgendaItem, Deliberation, Member, Session};
use crate::error::Error;
use crate::model::i18n::LocalizedText;
use crate::model::ids::{AgendaItemId, CouncilMemberId, CouncilSessionId, DeliberationId, RequestId};
use crate::modules::council::model::Tally;
use crate::store::TenantTx;

fn json<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, Error> {
    serde_json::to_value(value).map_err(Error::internal)
}

fn text(value: serde_json::Value) -> Result<LocalizedText, Error> {
    serde_json::from_value(value).map_err(Error::internal)
}

fn count(value: i32) -> u32 {
    u32::try_from(value).unwrap_or_default()
}

fn stored(value: u32) -> Result<i32, Error> {
    i32::try_from(value).map_err(Error::internal)
}

pub(crate) async fn insert_member(tx: &TenantTx, member: &Member, now: DateTime<Utc>) -> Result<(), Error> {
    council_member::Entity::insert(council_member::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(member.id.as_uuid()),
        name_ar: Set(member.name_ar.clone()),
        name_latin: Set(member.name_latin.clone()),
        party: Set(member.party.clone()),
        role: Set(member.role),
        mandate_start: Set(member.mandate_start),
        mandate_end: Set(member.mandate_end),
        created_at: Set(now),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

/// Every member the council has had, in the order their mandates began.
pub(crate) async fn members(tx: &TenantTx) -> Result<Vec<Member>, Error> {
    let rows = council_member::Entity::find()
        .filter(council_member::Column::TenantId.eq(tx.tenant_uuid()))
        .order_by_asc(council_member::Column::MandateStart)
        .order_by_asc(council_member::Column::Id)
        .all(tx.conn())
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| Member {
            id: CouncilMemberId::from_uuid(row.id),
            role: row.role,
            name_ar: row.name_ar,
            name_latin: row.name_latin,
            party: row.party,
            mandate_start: row.mandate_start,
            mandate_end: row.mandate_end,
        })
        .collect())
}

pub(crate) async fn insert_session(tx: &TenantTx, session: &Session, now: DateTime<Utc>) -> Result<(), Error> {
    council_session::Entity::insert(council_session::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(session.id.as_uuid()),
        kind: Set(session.kind),
        starts_on: Set(session.starts_on),
        title: Set(json(&session.title)?),
        published_at: Set(session.published_at),
        created_at: Set(now),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

/// Marks a session's decisions published; false when it was already.
pub(crate) async fn publish(tx: &TenantTx, id: CouncilSessionId, now: DateTime<Utc>) -> Result<bool, Error> {
    let result = council_session::Entity::update_many()
        .col_expr(council_session::Column::PublishedAt, Expr::value(now))
        .filter(council_session::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(council_session::Column::Id.eq(id.as_uuid()))
        .filter(council_session::Column::PublishedAt.is_null())
        .exec(tx.conn())
        .await?;
    Ok(result.rows_affected == 1)
}

pub(crate) async fn insert_agenda_item(
    tx: &TenantTx,
    session: CouncilSessionId,
    item: &AgendaItem,
) -> Result<(), Error> {
    agenda_item::Entity::insert(agenda_item::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(item.id.as_uuid()),
        session_id: Set(session.as_uuid()),
        position: Set(stored(item.position)?),
        title: Set(json(&item.title)?),
        request_id: Set(item.request_id.map(|r| r.as_uuid())),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

pub(crate) async fn insert_deliberation(
    tx: &TenantTx,
    session: CouncilSessionId,
    deliberation: &Deliberation,
) -> Result<(), Error> {
    let tally = &deliberation.tally;
    deliberation::Entity::insert(deliberation::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(deliberation.id.as_uuid()),
        session_id: Set(session.as_uuid()),
        agenda_item_id: Set(deliberation.agenda_item_id.map(|a| a.as_uuid())),
        number: Set(stored(deliberation.number)?),
        text: Set(json(&deliberation.text)?),
        members_in_office: Set(stored(tally.members_in_office)?),
        present: Set(stored(tally.present)?),
        votes_for: Set(stored(tally.votes_for)?),
        against: Set(stored(tally.against)?),
        abstain: Set(stored(tally.abstain)?),
        absent: Set(stored(tally.absent)?),
        outcome: Set(tally.outcome),
        decided_at: Set(deliberation.decided_at),
    })
    .exec_without_returning(tx.conn())
    .await?;
    if !deliberation.votes.is_empty() {
        let votes = deliberation.votes.iter().map(|(member, choice)| council_vote::ActiveModel {
            tenant_id: Set(tx.tenant_uuid()),
            deliberation_id: Set(deliberation.id.as_uuid()),
            member_id: Set(member.as_uuid()),
            choice: Set(*choice),
        });
        council_vote::Entity::insert_many(votes).exec_without_returning(tx.conn()).await?;
    }
    Ok(())
}

/// Every session of the commune, newest first, with its agenda and deliberations.
pub(crate) async fn sessions(tx: &TenantTx) -> Result<Vec<Session>, Error> {
    let tenant = tx.tenant_uuid();
    let rows = council_session::Entity::find()
        .filter(council_session::Column::TenantId.eq(tenant))
        .order_by_desc(council_session::Column::StartsOn)
        .order_by_desc(council_session::Column::Id)
        .all(tx.conn())
        .await?;
    let items = agenda_item::Entity::find()
        .filter(agenda_item::Column::TenantId.eq(tenant))
        .order_by_asc(agenda_item::Column::Position)
        .all(tx.conn())
        .await?;
    let deliberations = deliberation::Entity::find()
        .filter(deliberation::Column::TenantId.eq(tenant))
        .order_by_asc(deliberation::Column::Number)
        .all(tx.conn())
        .await?;
    let votes = council_vote::Entity::find()
        .filter(council_vote::Column::TenantId.eq(tenant))
        .order_by_asc(council_vote::Column::MemberId)
        .all(tx.conn())
        .await?;
    let mut sessions = Vec::with_capacity(rows.len());
    for row in rows {
        let agenda = items
            .iter()
            .filter(|i| i.session_id == row.id)
            .map(|i| {
                Ok(AgendaItem {
                    id: AgendaItemId::from_uuid(i.id),
                    position: count(i.position),
                    title: text(i.title.clone())?,
                    request_id: i.request_id.map(RequestId::from_uuid),
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let mut taken = Vec::new();
        for d in deliberations.iter().filter(|d| d.session_id == row.id) {
            let votes = votes
                .iter()
                .filter(|v| v.deliberation_id == d.id)
                .map(|v| (CouncilMemberId::from_uuid(v.member_id), v.choice))
                .collect();
            taken.push(Deliberation {
                id: DeliberationId::from_uuid(d.id),
                agenda_item_id: d.agenda_item_id.map(AgendaItemId::from_uuid),
                number: count(d.number),
                text: text(d.text.clone())?,
                tally: Tally {
                    members_in_office: count(d.members_in_office),
                    present: count(d.present),
                    votes_for: count(d.votes_for),
                    against: count(d.against),
                    abstain: count(d.abstain),
                    absent: count(d.absent),
                    outcome: d.outcome,
                },
                decided_at: d.decided_at,
                votes,
            });
        }
        sessions.push(Session {
            id: CouncilSessionId::from_uuid(row.id),
            kind: row.kind,
            starts_on: row.starts_on,
            title: text(row.title)?,
            published_at: row.published_at,
            agenda,
            deliberations: taken,
        });
    }
    Ok(sessions)
}
