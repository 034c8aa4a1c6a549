//! The commune's disputes over GraphQL: cases (parties opened on one case file only), hearings and their
//! reminders, decisions, appeals, corrections of a case, the documents of a case file (attached and opened over
//! `POST`/`GET /disputes/{commune}/{case}/documents…`, `crate::dispute_files`), and the hearings to come (the
//! legal-affairs office, ManageDisputes).

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use jamaa_core::error::FieldErrorCode;
use jamaa_core::model::form::messages::{self, Expected};
use jamaa_core::model::ids::{DisputeId, HearingId};
use jamaa_core::modules::disputes::model::{
    self as core, AppealInput as CoreAppealInput, CaseInput as CoreCaseInput, DecisionInput as CoreDecisionInput,
    HearingInput as CoreHearingInput,
};
use jamaa_core::service::{CaseView, UpcomingHearing as CoreUpcoming};

use super::call::{InCommune, InLang, subject_id};
use super::page::{Listing, after_key, connection, page_size};

/// Where the commune stands in a case.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jamaa_core::modules::disputes::model::Position")]
pub enum DisputePosition {
    Claimant,
    Defendant,
}

/// Where a case stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jamaa_core::modules::disputes::model::Status")]
pub enum DisputeStatus {
    Open,
    Decided,
    Appealed,
    Closed,
}

/// The outcome of a decision for the commune.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jamaa_core::modules::disputes::model::Outcome")]
pub enum DecisionOutcome {
    Won,
    Lost,
    Partly,
}

/// A party to a case (personal data: sealed, read on the case file only).
#[derive(InputObject, SimpleObject)]
#[graphql(input_name = "DisputePartyInput")]
pub struct DisputeParty {
    pub name: String,
    pub address: Option<String>,
}

/// A case to open.
#[derive(InputObject)]
pub struct DisputeCaseInput {
    /// One of `caseTypes`' keys.
    pub case_type: String,
    pub subject: String,
    pub court_name: String,
    pub court_city: String,
    pub position: DisputePosition,
    pub parties: Vec<DisputeParty>,
    pub lawyer_name: Option<String>,
    pub lawyer_bar: Option<String>,
    /// What is at stake, in centimes (an integer, as text).
    pub stakes_centimes: String,
    /// The tracking code of a request or complaint of the commune the case refers to.
    pub request_code: Option<String>,
    pub opened_on: NaiveDate,
}

/// A correction of a case: its object, court, parties, lawyer and stakes as they should read (the case's
/// number, type, position and opening day stay).
#[derive(InputObject)]
pub struct DisputeCaseEditInput {
    pub subject: String,
    pub court_name: String,
    pub court_city: String,
    pub parties: Vec<DisputeParty>,
    pub lawyer_name: Option<String>,
    pub lawyer_bar: Option<String>,
    /// What is at stake, in centimes (an integer, as text).
    pub stakes_centimes: String,
}

/// The kind of a document of a case.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jamaa_core::modules::disputes::model::DocumentKind")]
pub enum DisputeDocumentKind {
    Pleading,
    Judgment,
    ExpertReport,
    Correspondence,
    Other,
}

/// A document of a case; its content is opened at `GET /disputes/{commune}/{caseId}/documents/{id}` (each
/// opening audited).
#[derive(SimpleObject)]
pub struct DisputeDocument {
    pub id: ID,
    pub title: String,
    pub kind: DisputeDocumentKind,
    pub file_name: String,
    /// Detected from the content at upload.
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub added_at: DateTime<Utc>,
}

pub(crate) fn document(d: core::CaseDocument) -> DisputeDocument {
    DisputeDocument {
        id: ID(d.id.to_string()),
        title: d.title,
        kind: d.kind.into(),
        file_name: d.file_name,
        media_type: d.media_type,
        size_bytes: i64::try_from(d.size_bytes).unwrap_or(i64::MAX),
        sha256: d.sha256,
        added_at: d.added_at,
    }
}

/// A hearing to set.
#[derive(InputObject)]
pub struct HearingInput {
    pub scheduled_at: DateTime<Utc>,
    pub room: Option<String>,
    pub object: String,
}

/// A decision to record.
#[derive(InputObject)]
pub struct DecisionInput {
    pub decided_on: NaiveDate,
    pub outcome: DecisionOutcome,
    /// The amount awarded, in centimes (an integer, as text; "0" when none).
    pub awarded_centimes: String,
    pub summary: String,
}

/// An appeal to lodge.
#[derive(InputObject)]
pub struct AppealInput {
    pub lodged_on: NaiveDate,
    pub court_name: String,
    pub court_city: String,
}

/// A hearing of a case.
#[derive(SimpleObject)]
pub struct DisputeHearing {
    pub id: ID,
    pub case_id: ID,
    pub scheduled_at: DateTime<Utc>,
    pub room: Option<String>,
    pub object: String,
    pub outcome: Option<String>,
    /// When its reminder falls due (`settings.disputes.reminderDays` working days before).
    pub reminder_due_at: DateTime<Utc>,
    /// When the reminder was recorded; null until then.
    pub reminded_at: Option<DateTime<Utc>>,
}

fn hearing(h: core::Hearing) -> DisputeHearing {
    DisputeHearing {
        id: ID(h.id.to_string()),
        case_id: ID(h.case.to_string()),
        scheduled_at: h.scheduled_at,
        room: h.room,
        object: h.object,
        outcome: h.outcome,
        reminder_due_at: h.reminder_due_at,
        reminded_at: h.reminded_at,
    }
}

/// A court's decision.
#[derive(SimpleObject)]
pub struct DisputeDecision {
    pub id: ID,
    pub decided_on: NaiveDate,
    pub outcome: DecisionOutcome,
    /// In centimes (an integer, as text).
    pub awarded_centimes: String,
    pub summary: String,
    /// The last day to lodge an appeal.
    pub appeal_deadline: NaiveDate,
}

fn decision(d: core::Decision) -> DisputeDecision {
    DisputeDecision {
        id: ID(d.id.to_string()),
        decided_on: d.decided_on,
        outcome: d.outcome.into(),
        awarded_centimes: d.awarded_centimes.to_string(),
        summary: d.summary,
        appeal_deadline: d.appeal_deadline,
    }
}

/// An appeal against a decision.
#[derive(SimpleObject)]
pub struct DisputeAppeal {
    pub id: ID,
    pub decision_id: ID,
    pub lodged_on: NaiveDate,
    pub court_name: String,
    pub court_city: String,
    pub deadline: NaiveDate,
}

fn appeal(a: core::Appeal) -> DisputeAppeal {
    DisputeAppeal {
        id: ID(a.id.to_string()),
        decision_id: ID(a.decision.to_string()),
        lodged_on: a.lodged_on,
        court_name: a.court_name,
        court_city: a.court_city,
        deadline: a.deadline,
    }
}

/// A case of the commune.
#[derive(SimpleObject)]
pub struct DisputeCase {
    pub id: ID,
    /// `LIT-2026-000001`.
    pub number: String,
    pub case_type: String,
    pub subject: String,
    pub court_name: String,
    pub court_city: String,
    pub position: DisputePosition,
    pub lawyer_name: Option<String>,
    pub lawyer_bar: Option<String>,
    /// In centimes (an integer, as text).
    pub stakes_centimes: String,
    pub request_code: Option<String>,
    pub status: DisputeStatus,
    pub opened_on: NaiveDate,
    /// Opened on the case file (its reading is audited); null in lists.
    pub parties: Option<Vec<DisputeParty>>,
    pub hearings: Option<Vec<DisputeHearing>>,
    pub decisions: Option<Vec<DisputeDecision>>,
    pub appeals: Option<Vec<DisputeAppeal>>,
    /// On the case file: its documents, without their content.
    pub documents: Option<Vec<DisputeDocument>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn case(c: core::Case) -> DisputeCase {
    DisputeCase {
        id: ID(c.id.to_string()),
        number: c.number,
        case_type: c.case_type,
        subject: c.subject,
        court_name: c.court_name,
        court_city: c.court_city,
        position: c.position.into(),
        lawyer_name: c.lawyer_name,
        lawyer_bar: c.lawyer_bar,
        stakes_centimes: c.stakes_centimes.to_string(),
        request_code: c.request_code,
        status: c.status.into(),
        opened_on: c.opened_on,
        parties: None,
        hearings: None,
        decisions: None,
        appeals: None,
        documents: None,
        created_at: c.created_at,
        updated_at: c.updated_at,
    }
}

fn case_file(view: CaseView) -> DisputeCase {
    DisputeCase {
        parties: view
            .parties
            .map(|ps| ps.into_iter().map(|p| DisputeParty { name: p.name, address: p.address }).collect()),
        hearings: view.hearings.map(|hs| hs.into_iter().map(hearing).collect()),
        decisions: view.decisions.map(|ds| ds.into_iter().map(decision).collect()),
        appeals: view.appeals.map(|xs| xs.into_iter().map(appeal).collect()),
        documents: view.documents.map(|xs| xs.into_iter().map(document).collect()),
        ..case(view.case)
    }
}

/// A hearing to come, with its case.
#[derive(SimpleObject)]
pub struct UpcomingHearing {
    pub hearing: DisputeHearing,
    pub case_number: String,
    pub case_subject: String,
}

impl From<CoreUpcoming> for UpcomingHearing {
    fn from(u: CoreUpcoming) -> Self {
        UpcomingHearing { hearing: hearing(u.hearing), case_number: u.case_number, case_subject: u.case_subject }
    }
}

/// A kind of case the commune records (its template's `settings.disputes.caseTypes`).
#[derive(SimpleObject)]
pub struct CaseType {
    /// `{key}@{locale}`.
    pub id: ID,
    pub key: String,
    pub label: String,
}

/// Centimes given as text: an integer, else `INVALID_TYPE` at `path`.
fn centimes(text: &str, path: &str) -> Result<i64, jamaa_core::Error> {
    text.trim().parse::<i64>().map_err(|_| {
        jamaa_core::Error::field(path, FieldErrorCode::InvalidType, messages::invalid_type(Expected::Number))
    })
}

#[derive(Default)]
pub struct DisputesQuery;

#[Object]
impl DisputesQuery {
    /// The commune's cases in the order they were opened, a page at a time (ManageDisputes).
    async fn dispute_cases(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<DisputeCase>> {
        let call = InCommune::new(ctx, commune, None).await?;
        let after = after_key(after, |c| c.parse::<DisputeId>().ok())?;
        let size = page_size(first, call.locale())?;
        let page = call.jamaa.cases(call.principal, &call.commune, after, size).await.in_lang(&call)?;
        Ok(connection(after.is_some(), page, |c| (c.id.to_string(), case(c))))
    }

    /// One case file: its parties (the reading is audited), hearings, decisions and appeals (ManageDisputes).
    async fn dispute_case(&self, ctx: &Context<'_>, commune: Option<String>, id: ID) -> Result<DisputeCase> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = subject_id::<DisputeId>(&id, "case").in_lang(&call)?;
        let view = call.jamaa.case_file(call.principal, &call.commune, id).await.in_lang(&call)?;
        Ok(case_file(view))
    }

    /// The commune's hearings to come, soonest first, with their reminders (ManageDisputes).
    async fn upcoming_hearings(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        first: Option<i32>,
    ) -> Result<Vec<UpcomingHearing>> {
        let call = InCommune::new(ctx, commune, None).await?;
        let size = page_size(first, call.locale())?;
        let upcoming = call.jamaa.upcoming_hearings(call.principal, &call.commune, size).await.in_lang(&call)?;
        Ok(upcoming.into_iter().map(Into::into).collect())
    }

    /// The kinds of case the commune records, labelled in `locale` (ManageDisputes).
    async fn case_types(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        locale: Option<String>,
    ) -> Result<Vec<CaseType>> {
        let call = InCommune::new(ctx, commune, locale).await?;
        let types = call.jamaa.case_types(call.principal, &call.commune).await.in_lang(&call)?;
        Ok(types
            .into_iter()
            .map(|t| CaseType { id: call.lang.id(&t.key), label: call.lang.text(&t.label), key: t.key })
            .collect())
    }
}

#[derive(Default)]
pub struct DisputesMutation;

#[Object]
impl DisputesMutation {
    /// Opens a case, numbered per year, its parties sealed (ManageDisputes).
    async fn open_dispute_case(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        input: DisputeCaseInput,
    ) -> Result<DisputeCase> {
        let call = InCommune::new(ctx, commune, None).await?;
        let stakes = centimes(&input.stakes_centimes, "input.stakesCentimes").in_lang(&call)?;
        let input = CoreCaseInput {
            case_type: input.case_type,
            subject: input.subject,
            court_name: input.court_name,
            court_city: input.court_city,
            position: input.position.into(),
            parties: input.parties.into_iter().map(|p| core::Party { name: p.name, address: p.address }).collect(),
            lawyer_name: input.lawyer_name,
            lawyer_bar: input.lawyer_bar,
            stakes_centimes: stakes,
            request_code: input.request_code,
            opened_on: input.opened_on,
        };
        let view = call.jamaa.open_case(call.principal, &call.commune, input).await.in_lang(&call)?;
        Ok(case_file(view))
    }

    /// Sets a hearing of a case, its reminder due some working days before (ManageDisputes).
    async fn set_dispute_hearing(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        case_id: ID,
        input: HearingInput,
    ) -> Result<DisputeHearing> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = subject_id::<DisputeId>(&case_id, "case").in_lang(&call)?;
        let input = CoreHearingInput { scheduled_at: input.scheduled_at, room: input.room, object: input.object };
        let set = call.jamaa.set_hearing(call.principal, &call.commune, id, input).await.in_lang(&call)?;
        Ok(hearing(set))
    }

    /// Records what came of a hearing (ManageDisputes).
    async fn record_hearing_outcome(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        id: ID,
        outcome: String,
    ) -> Result<DisputeHearing> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = subject_id::<HearingId>(&id, "hearing").in_lang(&call)?;
        let done =
            call.jamaa.record_hearing_outcome(call.principal, &call.commune, id, outcome).await.in_lang(&call)?;
        Ok(hearing(done))
    }

    /// Records a court's decision; the case is decided, its appeal deadline counted (ManageDisputes).
    async fn record_dispute_decision(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        case_id: ID,
        input: DecisionInput,
    ) -> Result<DisputeDecision> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = subject_id::<DisputeId>(&case_id, "case").in_lang(&call)?;
        let awarded = centimes(&input.awarded_centimes, "input.awardedCentimes").in_lang(&call)?;
        let input = CoreDecisionInput {
            decided_on: input.decided_on,
            outcome: input.outcome.into(),
            awarded_centimes: awarded,
            summary: input.summary,
        };
        let recorded = call.jamaa.record_decision(call.principal, &call.commune, id, input).await.in_lang(&call)?;
        Ok(decision(recorded))
    }

    /// Lodges an appeal against the case's decision, by its deadline (ManageDisputes).
    async fn lodge_dispute_appeal(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        case_id: ID,
        input: AppealInput,
    ) -> Result<DisputeAppeal> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = subject_id::<DisputeId>(&case_id, "case").in_lang(&call)?;
        let input =
            CoreAppealInput { lodged_on: input.lodged_on, court_name: input.court_name, court_city: input.court_city };
        let lodged = call.jamaa.lodge_appeal(call.principal, &call.commune, id, input).await.in_lang(&call)?;
        Ok(appeal(lodged))
    }

    /// Closes a case (ManageDisputes).
    async fn close_dispute_case(&self, ctx: &Context<'_>, commune: Option<String>, id: ID) -> Result<DisputeCase> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = subject_id::<DisputeId>(&id, "case").in_lang(&call)?;
        let closed = call.jamaa.close_case(call.principal, &call.commune, id).await.in_lang(&call)?;
        Ok(case(closed))
    }

    /// Corrects a case's object, court, parties, lawyer or stakes; audited with what changed, never its number.
    /// A closed case is not corrected (ManageDisputes).
    async fn update_dispute_case(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        id: ID,
        input: DisputeCaseEditInput,
    ) -> Result<DisputeCase> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = subject_id::<DisputeId>(&id, "case").in_lang(&call)?;
        let stakes = centimes(&input.stakes_centimes, "input.stakesCentimes").in_lang(&call)?;
        let input = core::CaseEdit {
            subject: input.subject,
            court_name: input.court_name,
            court_city: input.court_city,
            parties: input.parties.into_iter().map(|p| core::Party { name: p.name, address: p.address }).collect(),
            lawyer_name: input.lawyer_name,
            lawyer_bar: input.lawyer_bar,
            stakes_centimes: stakes,
        };
        let view = call.jamaa.update_case(call.principal, &call.commune, id, input).await.in_lang(&call)?;
        Ok(case_file(view))
    }
}
