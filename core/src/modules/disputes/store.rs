//! The disputes tables: cases (their parties sealed), hearings and their reminders, decisions, appeals; the
//! aggregates of the indicators; the communes with a hearing reminder due, for the scheduler.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entity::{dispute_appeal, dispute_case, dispute_decision, dispute_document, dispute_hearing};
use super::model::{Appeal, Case, CaseDocument, Decision, Hearing, Status};
use crate::error::Error;
use crate::model::ids::{AppealId, DecisionId, DisputeDocumentId, DisputeId, HearingId, TenantId, UserId};
use crate::store::{Store, TenantTx};

/// A case as stored: the case, its sealed parties, the key that sealed them and the request it refers to.
#[derive(Clone, Debug)]
pub(crate) struct CaseRow {
    pub case: Case,
    pub parties: String,
    pub data_key_id: uuid::Uuid,
    pub request_id: Option<uuid::Uuid>,
}

fn case_from(model: dispute_case::Model) -> CaseRow {
    CaseRow {
        case: Case {
            id: DisputeId::from_uuid(model.id),
            number: model.number,
            case_type: model.case_type,
            subject: model.subject,
            court_name: model.court_name,
            court_city: model.court_city,
            position: model.position,
            lawyer_name: model.lawyer_name,
            lawyer_bar: model.lawyer_bar,
            stakes_centimes: model.stakes_centimes,
            request_code: model.request_code,
            status: model.status,
            opened_on: model.opened_on,
            responsible: model.responsible_user_id.map(UserId::from_uuid),
            created_at: model.created_at,
            updated_at: model.updated_at,
        },
        parties: model.parties,
        data_key_id: model.data_key_id,
        request_id: model.request_id,
    }
}

pub(crate) async fn insert_case(tx: &TenantTx, row: &CaseRow) -> Result<(), Error> {
    let c = &row.case;
    dispute_case::Entity::insert(dispute_case::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(c.id.as_uuid()),
        number: Set(c.number.clone()),
        case_type: Set(c.case_type.clone()),
        subject: Set(c.subject.clone()),
        court_name: Set(c.court_name.clone()),
        court_city: Set(c.court_city.clone()),
        position: Set(c.position),
        parties: Set(row.parties.clone()),
        data_key_id: Set(row.data_key_id),
        lawyer_name: Set(c.lawyer_name.clone()),
        lawyer_bar: Set(c.lawyer_bar.clone()),
        stakes_centimes: Set(c.stakes_centimes),
        request_id: Set(row.request_id),
        request_code: Set(c.request_code.clone()),
        status: Set(c.status),
        opened_on: Set(c.opened_on),
        responsible_user_id: Set(c.responsible.map(|u| u.as_uuid())),
        created_at: Set(c.created_at),
        updated_at: Set(c.updated_at),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

/// Moves a case to `status`, if it still stands at `from`; false when another change won.
pub(crate) async fn set_status(
    tx: &TenantTx,
    id: DisputeId,
    from: Status,
    to: Status,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    let result = dispute_case::Entity::update_many()
        .col_expr(dispute_case::Column::Status, Expr::value(to))
        .col_expr(dispute_case::Column::UpdatedAt, Expr::value(now))
        .filter(dispute_case::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(dispute_case::Column::Id.eq(id.as_uuid()))
        .filter(dispute_case::Column::Status.eq(from))
        .exec(tx.conn())
        .await?;
    Ok(result.rows_affected == 1)
}

pub(crate) async fn case_by_id(tx: &TenantTx, id: DisputeId) -> Result<Option<CaseRow>, Error> {
    Ok(dispute_case::Entity::find_by_id((tx.tenant_uuid(), id.as_uuid())).one(tx.conn()).await?.map(case_from))
}

/// The cases after `after`, in the order they were opened (ids are time-ordered).
pub(crate) async fn case_page(tx: &TenantTx, after: Option<DisputeId>, limit: u64) -> Result<Vec<CaseRow>, Error> {
    let mut query = dispute_case::Entity::find()
        .filter(dispute_case::Column::TenantId.eq(tx.tenant_uuid()))
        .order_by_asc(dispute_case::Column::Id)
        .limit(limit);
    if let Some(after) = after {
        query = query.filter(dispute_case::Column::Id.gt(after.as_uuid()));
    }
    Ok(query.all(tx.conn()).await?.into_iter().map(case_from).collect())
}

pub(crate) async fn case_count(tx: &TenantTx) -> Result<u64, Error> {
    Ok(dispute_case::Entity::find()
        .filter(dispute_case::Column::TenantId.eq(tx.tenant_uuid()))
        .count(tx.conn())
        .await?)
}

/// The commune's open cases (not closed) and the sum of their stakes, in centimes.
pub(crate) async fn open_figures(tx: &TenantTx) -> Result<(u64, i64), Error> {
    let stakes: Vec<i64> = dispute_case::Entity::find()
        .select_only()
        .column(dispute_case::Column::StakesCentimes)
        .filter(dispute_case::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(dispute_case::Column::Status.ne(Status::Closed))
        .into_tuple::<i64>()
        .all(tx.conn())
        .await?;
    Ok((stakes.len() as u64, stakes.iter().fold(0i64, |sum, s| sum.saturating_add(*s))))
}

fn hearing_from(model: dispute_hearing::Model) -> Hearing {
    Hearing {
        id: HearingId::from_uuid(model.id),
        case: DisputeId::from_uuid(model.case_id),
        scheduled_at: model.scheduled_at,
        room: model.room,
        object: model.object,
        outcome: model.outcome,
        reminder_due_at: model.reminder_due_at,
        reminded_at: model.reminded_at,
        recorded_at: model.recorded_at,
        recorded_by: model.recorded_by,
    }
}

pub(crate) async fn insert_hearing(tx: &TenantTx, h: &Hearing) -> Result<(), Error> {
    dispute_hearing::Entity::insert(dispute_hearing::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(h.id.as_uuid()),
        case_id: Set(h.case.as_uuid()),
        scheduled_at: Set(h.scheduled_at),
        room: Set(h.room.clone()),
        object: Set(h.object.clone()),
        outcome: Set(h.outcome.clone()),
        reminder_due_at: Set(h.reminder_due_at),
        reminded_at: Set(h.reminded_at),
        recorded_at: Set(h.recorded_at),
        recorded_by: Set(h.recorded_by.clone()),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

pub(crate) async fn hearing_by_id(tx: &TenantTx, id: HearingId) -> Result<Option<Hearing>, Error> {
    Ok(dispute_hearing::Entity::find_by_id((tx.tenant_uuid(), id.as_uuid())).one(tx.conn()).await?.map(hearing_from))
}

pub(crate) async fn set_hearing_outcome(tx: &TenantTx, id: HearingId, outcome: &str) -> Result<(), Error> {
    dispute_hearing::Entity::update_many()
        .col_expr(dispute_hearing::Column::Outcome, Expr::value(outcome))
        .filter(dispute_hearing::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(dispute_hearing::Column::Id.eq(id.as_uuid()))
        .exec(tx.conn())
        .await?;
    Ok(())
}

/// A case's hearings, in the order they are held.
pub(crate) async fn hearings_of(tx: &TenantTx, case: DisputeId) -> Result<Vec<Hearing>, Error> {
    let rows = dispute_hearing::Entity::find()
        .filter(dispute_hearing::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(dispute_hearing::Column::CaseId.eq(case.as_uuid()))
        .order_by_asc(dispute_hearing::Column::ScheduledAt)
        .order_by_asc(dispute_hearing::Column::Id)
        .all(tx.conn())
        .await?;
    Ok(rows.into_iter().map(hearing_from).collect())
}

/// The commune's hearings held at or after `from`, soonest first.
pub(crate) async fn hearings_from(tx: &TenantTx, from: DateTime<Utc>, limit: u64) -> Result<Vec<Hearing>, Error> {
    let rows = dispute_hearing::Entity::find()
        .filter(dispute_hearing::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(dispute_hearing::Column::ScheduledAt.gte(from))
        .order_by_asc(dispute_hearing::Column::ScheduledAt)
        .order_by_asc(dispute_hearing::Column::Id)
        .limit(limit)
        .all(tx.conn())
        .await?;
    Ok(rows.into_iter().map(hearing_from).collect())
}

/// The communes that have a hearing reminder due at `now`. On PostgreSQL this goes through a function that
/// reveals the commune ids and nothing else, since no tenant is set yet.
pub(crate) async fn tenants_with_due_reminders(store: &Store, now: DateTime<Utc>) -> Result<Vec<TenantId>, Error> {
    let due = dispute_hearing::Entity::find()
        .filter(dispute_hearing::Column::RemindedAt.is_null())
        .filter(dispute_hearing::Column::ReminderDueAt.lte(now));
    let function = "jamaa_tenants_with_due_hearing_reminders";
    store.tenants_with_due(function, now, due, dispute_hearing::Column::TenantId).await
}

/// Claims up to `limit` hearings of the commune whose reminder is due, locked until the transaction ends; on
/// PostgreSQL, those another scheduler holds are skipped.
pub(crate) async fn claim_due_reminders(tx: &TenantTx, now: DateTime<Utc>, limit: u64) -> Result<Vec<Hearing>, Error> {
    let query = dispute_hearing::Entity::find()
        .filter(dispute_hearing::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(dispute_hearing::Column::RemindedAt.is_null())
        .filter(dispute_hearing::Column::ReminderDueAt.lte(now))
        .order_by_asc(dispute_hearing::Column::ReminderDueAt)
        .limit(limit);
    Ok(tx.claim(query).all(tx.conn()).await?.into_iter().map(hearing_from).collect())
}

pub(crate) async fn mark_reminded(tx: &TenantTx, id: HearingId, now: DateTime<Utc>) -> Result<(), Error> {
    dispute_hearing::Entity::update_many()
        .col_expr(dispute_hearing::Column::RemindedAt, Expr::value(Some(now)))
        .filter(dispute_hearing::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(dispute_hearing::Column::Id.eq(id.as_uuid()))
        .exec(tx.conn())
        .await?;
    Ok(())
}

fn decision_from(model: dispute_decision::Model) -> Decision {
    Decision {
        id: DecisionId::from_uuid(model.id),
        case: DisputeId::from_uuid(model.case_id),
        decided_on: model.decided_on,
        outcome: model.outcome,
        awarded_centimes: model.awarded_centimes,
        summary: model.summary,
        appeal_deadline: model.appeal_deadline,
        recorded_at: model.recorded_at,
        recorded_by: model.recorded_by,
    }
}

pub(crate) async fn insert_decision(tx: &TenantTx, d: &Decision) -> Result<(), Error> {
    dispute_decision::Entity::insert(dispute_decision::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(d.id.as_uuid()),
        case_id: Set(d.case.as_uuid()),
        decided_on: Set(d.decided_on),
        outcome: Set(d.outcome),
        awarded_centimes: Set(d.awarded_centimes),
        summary: Set(d.summary.clone()),
        appeal_deadline: Set(d.appeal_deadline),
        recorded_at: Set(d.recorded_at),
        recorded_by: Set(d.recorded_by.clone()),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

/// A case's decisions, in the order they were given.
pub(crate) async fn decisions_of(tx: &TenantTx, case: DisputeId) -> Result<Vec<Decision>, Error> {
    let rows = dispute_decision::Entity::find()
        .filter(dispute_decision::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(dispute_decision::Column::CaseId.eq(case.as_uuid()))
        .order_by_asc(dispute_decision::Column::DecidedOn)
        .order_by_asc(dispute_decision::Column::Id)
        .all(tx.conn())
        .await?;
    Ok(rows.into_iter().map(decision_from).collect())
}

fn appeal_from(model: dispute_appeal::Model) -> Appeal {
    Appeal {
        id: AppealId::from_uuid(model.id),
        case: DisputeId::from_uuid(model.case_id),
        decision: DecisionId::from_uuid(model.decision_id),
        lodged_on: model.lodged_on,
        court_name: model.court_name,
        court_city: model.court_city,
        deadline: model.deadline,
        recorded_at: model.recorded_at,
        recorded_by: model.recorded_by,
    }
}

pub(crate) async fn insert_appeal(tx: &TenantTx, a: &Appeal) -> Result<(), Error> {
    dispute_appeal::Entity::insert(dispute_appeal::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(a.id.as_uuid()),
        case_id: Set(a.case.as_uuid()),
        decision_id: Set(a.decision.as_uuid()),
        lodged_on: Set(a.lodged_on),
        court_name: Set(a.court_name.clone()),
        court_city: Set(a.court_city.clone()),
        deadline: Set(a.deadline),
        recorded_at: Set(a.recorded_at),
        recorded_by: Set(a.recorded_by.clone()),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

/// A case's appeals, in the order they were lodged.
pub(crate) async fn appeals_of(tx: &TenantTx, case: DisputeId) -> Result<Vec<Appeal>, Error> {
    let rows = dispute_appeal::Entity::find()
        .filter(dispute_appeal::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(dispute_appeal::Column::CaseId.eq(case.as_uuid()))
        .order_by_asc(dispute_appeal::Column::LodgedOn)
        .order_by_asc(dispute_appeal::Column::Id)
        .all(tx.conn())
        .await?;
    Ok(rows.into_iter().map(appeal_from).collect())
}

/// Writes a corrected case (its object, court, sealed parties, lawyer, stakes), if it still stands at
/// `status`; false when another change won.
pub(crate) async fn update_case(tx: &TenantTx, row: &CaseRow, status: Status) -> Result<bool, Error> {
    let c = &row.case;
    let result = dispute_case::Entity::update_many()
        .col_expr(dispute_case::Column::Subject, Expr::value(c.subject.clone()))
        .col_expr(dispute_case::Column::CourtName, Expr::value(c.court_name.clone()))
        .col_expr(dispute_case::Column::CourtCity, Expr::value(c.court_city.clone()))
        .col_expr(dispute_case::Column::Parties, Expr::value(row.parties.clone()))
        .col_expr(dispute_case::Column::DataKeyId, Expr::value(row.data_key_id))
        .col_expr(dispute_case::Column::LawyerName, Expr::value(c.lawyer_name.clone()))
        .col_expr(dispute_case::Column::LawyerBar, Expr::value(c.lawyer_bar.clone()))
        .col_expr(dispute_case::Column::StakesCentimes, Expr::value(c.stakes_centimes))
        .col_expr(dispute_case::Column::UpdatedAt, Expr::value(c.updated_at))
        .filter(dispute_case::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(dispute_case::Column::Id.eq(c.id.as_uuid()))
        .filter(dispute_case::Column::Status.eq(status))
        .exec(tx.conn())
        .await?;
    Ok(result.rows_affected == 1)
}

fn document_from(model: dispute_document::Model) -> Result<(CaseDocument, String, uuid::Uuid), Error> {
    let document = CaseDocument {
        id: DisputeDocumentId::from_uuid(model.id),
        case: DisputeId::from_uuid(model.case_id),
        title: model.title,
        kind: model.kind,
        file_name: model.file_name,
        media_type: model.media_type,
        size_bytes: u64::try_from(model.size_bytes).map_err(Error::internal)?,
        sha256: model.sha256,
        added_at: model.added_at,
        added_by: model.added_by,
    };
    Ok((document, model.content, model.data_key_id))
}

/// Stores a document of a case with its sealed content and the data key that sealed it.
pub(crate) async fn insert_document(
    tx: &TenantTx,
    d: &CaseDocument,
    sealed: String,
    data_key_id: uuid::Uuid,
) -> Result<(), Error> {
    dispute_document::Entity::insert(dispute_document::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(d.id.as_uuid()),
        case_id: Set(d.case.as_uuid()),
        title: Set(d.title.clone()),
        kind: Set(d.kind),
        file_name: Set(d.file_name.clone()),
        media_type: Set(d.media_type.clone()),
        size_bytes: Set(i64::try_from(d.size_bytes).map_err(Error::internal)?),
        sha256: Set(d.sha256.clone()),
        content: Set(sealed),
        data_key_id: Set(data_key_id),
        added_at: Set(d.added_at),
        added_by: Set(d.added_by.clone()),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

/// A case's documents without their content, in the order they were attached (ids are time-ordered).
pub(crate) async fn documents_of(tx: &TenantTx, case: DisputeId) -> Result<Vec<CaseDocument>, Error> {
    let rows = dispute_document::Entity::find()
        .filter(dispute_document::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(dispute_document::Column::CaseId.eq(case.as_uuid()))
        .order_by_asc(dispute_document::Column::Id)
        .all(tx.conn())
        .await?;
    rows.into_iter().map(|row| document_from(row).map(|(d, _, _)| d)).collect()
}

/// One document of a case with its sealed content and the data key it is sealed under.
pub(crate) async fn sealed_document(
    tx: &TenantTx,
    case: DisputeId,
    id: DisputeDocumentId,
) -> Result<Option<(CaseDocument, String, uuid::Uuid)>, Error> {
    dispute_document::Entity::find()
        .filter(dispute_document::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(dispute_document::Column::CaseId.eq(case.as_uuid()))
        .filter(dispute_document::Column::Id.eq(id.as_uuid()))
        .one(tx.conn())
        .await?
        .map(document_from)
        .transpose()
}
