//! The commune's disputes: cases opened with a gap-free number per year, their parties sealed under the
//! commune's data key (each opening `dispute.parties_read`), hearings with a reminder N working days before
//! (`settings.disputes.reminderDays`, on the commune's calendar) that the scheduler records when due, decisions
//! with their appeal deadline (`settings.disputes.appealDays`), appeals and closing; corrections of a case
//! (`dispute.updated`, naming what changed); documents of a case, their content sealed like the files of
//! requests (each opening `dispute.document_read`). The legal-affairs office and commune administrators
//! (`manage_disputes`) read and write them. Each change is one transaction with its audit event.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};

use crate::auth::{Permission, Principal};
use crate::crypto;
use crate::error::{Error, FieldErrorCode};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::commune::Commune;
use crate::model::form::messages;
use crate::model::idempotency::Idempotency;
use crate::model::ids::{AppealId, DecisionId, DisputeDocumentId, DisputeId, HearingId};
use crate::model::request::TrackingCode;
use crate::model::settings::SettingsSection;
use crate::modules::disputes::model::{
    self as disputes, Appeal, AppealInput, Case, CaseDocument, CaseEdit, CaseInput, CaseNumber, CaseType, Decision,
    DecisionInput, DisputeSettings, DocumentInput, Hearing, HearingInput, Party, Status,
};
use crate::modules::disputes::store::{self as store, CaseRow};
use crate::service::{CountedPage, DocumentFile, DownloadedFile, Jamaa, MAX_PAGE_SIZE};
use crate::store::{TenantScope, TenantTx, audit, config, keys, requests};

/// A case file: the case, its parties when opened (audited), its hearings, decisions and appeals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseView {
    pub case: Case,
    pub parties: Option<Vec<Party>>,
    pub hearings: Option<Vec<Hearing>>,
    pub decisions: Option<Vec<Decision>>,
    pub appeals: Option<Vec<Appeal>>,
    /// Its documents, without their content.
    pub documents: Option<Vec<CaseDocument>>,
}

/// A document to attach to a case: its title and kind, and its file as uploaded (what the file is comes from
/// its bytes, which its `Debug` leaves out).
#[derive(Clone)]
pub struct CaseDocumentUpload {
    pub title: String,
    /// `pleading`, `judgment`, `expert_report`, `correspondence` or `other`.
    pub kind: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for CaseDocumentUpload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaseDocumentUpload").field("kind", &self.kind).field("size", &self.bytes.len()).finish()
    }
}

/// A hearing to come, with the case it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpcomingHearing {
    pub hearing: Hearing,
    pub case_number: String,
    pub case_subject: String,
}

/// How many reminders one transaction records.
const BATCH: u64 = 50;

fn local_today(commune: &Commune, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&commune.time_zone()).date_naive()
}

/// The start of the commune's office day (08:00 local) on `day`, in UTC.
fn office_morning(commune: &Commune, day: NaiveDate) -> DateTime<Utc> {
    let tz = commune.time_zone();
    let local = day.and_time(NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(NaiveTime::MIN));
    tz.from_local_datetime(&local).earliest().map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc))
}

async fn settings(tx: &TenantTx) -> Result<DisputeSettings, Error> {
    let config = config::get(tx).await?;
    match DisputeSettings::from_settings(&config.settings) {
        Some(Ok(settings)) => Ok(settings),
        Some(Err(problem)) => Err(Error::internal(format!("settings.disputes does not load: {problem}"))),
        None => Err(Error::field(
            "settings.disputes",
            FieldErrorCode::InvalidDefinition,
            messages::disputes_settings_missing(),
        )),
    }
}

fn refused(status: Status) -> Error {
    let name: &'static str = status.into();
    Error::field("id", FieldErrorCode::InvalidValue, messages::dispute_status_refuses(name))
}

fn event(principal: &Principal, kind: AuditKind, case: DisputeId, detail: serde_json::Value) -> NewEvent {
    NewEvent::new(principal.actor(), kind, AuditSubject::Dispute(case), detail)
}

impl Jamaa {
    /// The kinds of case the commune records (`settings.disputes.caseTypes`).
    pub async fn case_types(&self, principal: &Principal, commune: &Commune) -> Result<Vec<CaseType>, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageDisputes)?;
        let tx = self.store.tenant_read_tx(scope).await?;
        let settings = settings(&tx).await?;
        tx.commit().await?;
        Ok(settings.case_types)
    }

    /// Opens a case: checked (every failure at once), numbered `LIT-{year}-{n}` without gaps, its parties
    /// sealed, its request or complaint (a tracking code of the commune) checked, followed by the caller, in one
    /// transaction with `dispute.opened`.
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug))]
    pub async fn open_case(
        &self,
        principal: &Principal,
        commune: &Commune,
        input: CaseInput,
    ) -> Result<CaseView, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageDisputes)?;
        let now = self.now();
        let today = local_today(commune, now);
        let tx = self.store.tenant_tx(scope).await?;
        let settings = settings(&tx).await?;
        let input = disputes::validate_case(&input, &settings, today).map_err(Error::Validation)?;
        let request_id = match input.request_code.as_deref() {
            None => None,
            Some(code) => {
                let unknown = || {
                    Error::field("input.requestCode", FieldErrorCode::InvalidValue, messages::unknown_request_code())
                };
                let code: TrackingCode = code.parse().map_err(|_| unknown())?;
                Some(requests::by_tracking_code(&tx, &code).await?.ok_or_else(unknown)?.id.as_uuid())
            }
        };
        let year = chrono::Datelike::year(&today);
        let sequence = requests::next_in_sequence(&tx, &CaseNumber::counter_name(year)).await?;
        let number = CaseNumber { year, number: u32::try_from(sequence).map_err(Error::internal)? };
        let id = DisputeId::new();
        let case = Case {
            id,
            number: number.to_string(),
            case_type: input.case_type.clone(),
            subject: input.subject.clone(),
            court_name: input.court_name.clone(),
            court_city: input.court_city.clone(),
            position: input.position,
            lawyer_name: input.lawyer_name.clone(),
            lawyer_bar: input.lawyer_bar.clone(),
            stakes_centimes: input.stakes_centimes,
            request_code: input.request_code.clone(),
            status: Status::Open,
            opened_on: input.opened_on,
            responsible: match principal {
                Principal::User { user, .. } => Some(*user),
                _ => None,
            },
            created_at: now,
            updated_at: now,
        };
        let (key_id, key) = keys::current(&tx, &self.keyring, now).await?;
        let text = serde_json::to_vec(&input.parties).map_err(Error::internal)?;
        let sealed = crypto::seal(&key, &text, id.as_uuid().as_bytes())?;
        let row = CaseRow { case, parties: sealed, data_key_id: key_id, request_id };
        store::insert_case(&tx, &row).await?;
        let position: &'static str = row.case.position.into();
        audit::append(
            &tx,
            event(
                principal,
                AuditKind::DisputeOpened,
                id,
                serde_json::json!({
                    "number": row.case.number,
                    "caseType": row.case.case_type,
                    "position": position,
                    "stakesCentimes": row.case.stakes_centimes,
                    "requestCode": row.case.request_code,
                }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        tracing::info!(dispute.id = %id, "case opened");
        Ok(CaseView {
            case: row.case,
            parties: Some(input.parties),
            hearings: Some(Vec::new()),
            decisions: Some(Vec::new()),
            appeals: Some(Vec::new()),
            documents: Some(Vec::new()),
        })
    }

    /// A case file with its parties opened (`dispute.parties_read` in the trail), hearings, decisions, appeals.
    pub async fn case_file(&self, principal: &Principal, commune: &Commune, id: DisputeId) -> Result<CaseView, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageDisputes)?;
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        let row = store::case_by_id(&tx, id).await?.ok_or(Error::NotFound("case"))?;
        let key = keys::by_id(&tx, &self.keyring, row.data_key_id).await?;
        let text = crypto::open(&key, &row.parties, id.as_uuid().as_bytes())?;
        let parties: Vec<Party> = serde_json::from_slice(&text).map_err(Error::internal)?;
        let hearings = store::hearings_of(&tx, id).await?;
        let decisions = store::decisions_of(&tx, id).await?;
        let appeals = store::appeals_of(&tx, id).await?;
        let documents = store::documents_of(&tx, id).await?;
        audit::append(&tx, event(principal, AuditKind::DisputePartiesRead, id, serde_json::json!({})), now).await?;
        tx.commit().await?;
        Ok(CaseView {
            case: row.case,
            parties: Some(parties),
            hearings: Some(hearings),
            decisions: Some(decisions),
            appeals: Some(appeals),
            documents: Some(documents),
        })
    }

    /// The commune's cases in the order they were opened, a page at a time (parties sealed).
    pub async fn cases(
        &self,
        principal: &Principal,
        commune: &Commune,
        after: Option<DisputeId>,
        first: u64,
    ) -> Result<CountedPage<Case>, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageDisputes)?;
        let first = first.clamp(1, MAX_PAGE_SIZE);
        let tx = self.store.tenant_read_tx(scope).await?;
        let mut rows = store::case_page(&tx, after, first + 1).await?;
        let total = store::case_count(&tx).await?;
        tx.commit().await?;
        let has_next = rows.len() as u64 > first;
        rows.truncate(first as usize);
        Ok(CountedPage { items: rows.into_iter().map(|r| r.case).collect(), has_next, total })
    }

    /// Sets a hearing of a case before a court (open or appealed), its reminder due `reminderDays` working days
    /// before its day, at the start of the office day; in one transaction with `dispute.hearing_set`.
    pub async fn set_hearing(
        &self,
        principal: &Principal,
        commune: &Commune,
        case: DisputeId,
        input: HearingInput,
    ) -> Result<Hearing, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageDisputes)?;
        let now = self.now();
        let input = disputes::validate_hearing(&input).map_err(Error::Validation)?;
        let tx = self.store.tenant_tx(scope).await?;
        let row = store::case_by_id(&tx, case).await?.ok_or(Error::NotFound("case"))?;
        if !row.case.status.may_hold_hearings() {
            return Err(refused(row.case.status));
        }
        let settings = settings(&tx).await?;
        let day = local_today(commune, input.scheduled_at);
        let reminder_day = disputes::reminder_day(&commune.spec.calendar, day, settings.reminder_days);
        let hearing = Hearing {
            id: HearingId::new(),
            case,
            scheduled_at: input.scheduled_at,
            room: input.room,
            object: input.object,
            outcome: None,
            reminder_due_at: office_morning(commune, reminder_day),
            reminded_at: None,
            recorded_at: now,
            recorded_by: principal.actor(),
        };
        store::insert_hearing(&tx, &hearing).await?;
        audit::append(
            &tx,
            event(
                principal,
                AuditKind::DisputeHearingSet,
                case,
                serde_json::json!({
                    "hearing": hearing.id.to_string(),
                    "scheduledAt": hearing.scheduled_at.to_rfc3339(),
                    "reminderDueAt": hearing.reminder_due_at.to_rfc3339(),
                }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(hearing)
    }

    /// Records what came of a hearing, with `dispute.hearing_outcome`.
    pub async fn record_hearing_outcome(
        &self,
        principal: &Principal,
        commune: &Commune,
        id: HearingId,
        outcome: String,
    ) -> Result<Hearing, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageDisputes)?;
        let now = self.now();
        let outcome = outcome.trim().to_owned();
        if outcome.is_empty() {
            return Err(Error::field("outcome", FieldErrorCode::Required, messages::register_required()));
        }
        if outcome.chars().count() > disputes::MAX_LONG_TEXT {
            return Err(Error::field(
                "outcome",
                FieldErrorCode::TooLong,
                messages::register_too_long(disputes::MAX_LONG_TEXT),
            ));
        }
        let tx = self.store.tenant_tx(scope).await?;
        let mut hearing = store::hearing_by_id(&tx, id).await?.ok_or(Error::NotFound("hearing"))?;
        store::set_hearing_outcome(&tx, id, &outcome).await?;
        audit::append(
            &tx,
            event(
                principal,
                AuditKind::DisputeHearingOutcome,
                hearing.case,
                serde_json::json!({"hearing": id.to_string()}),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        hearing.outcome = Some(outcome);
        Ok(hearing)
    }

    /// Records a court's decision: the case is decided, its appeal deadline `appealDays` after the decision
    /// (moved to the next working day); with `dispute.decided`.
    pub async fn record_decision(
        &self,
        principal: &Principal,
        commune: &Commune,
        case: DisputeId,
        input: DecisionInput,
    ) -> Result<Decision, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageDisputes)?;
        let now = self.now();
        let input = disputes::validate_decision(&input, local_today(commune, now)).map_err(Error::Validation)?;
        let tx = self.store.tenant_tx(scope).await?;
        let row = store::case_by_id(&tx, case).await?.ok_or(Error::NotFound("case"))?;
        if !row.case.status.may_be_decided() {
            return Err(refused(row.case.status));
        }
        let settings = settings(&tx).await?;
        let decision = Decision {
            id: DecisionId::new(),
            case,
            decided_on: input.decided_on,
            outcome: input.outcome,
            awarded_centimes: input.awarded_centimes,
            summary: input.summary,
            appeal_deadline: disputes::appeal_deadline(&commune.spec.calendar, input.decided_on, settings.appeal_days),
            recorded_at: now,
            recorded_by: principal.actor(),
        };
        if !store::set_status(&tx, case, row.case.status, Status::Decided, now).await? {
            return Err(Error::Conflict("the case changed meanwhile: reload it".into()));
        }
        store::insert_decision(&tx, &decision).await?;
        let outcome: &'static str = decision.outcome.into();
        audit::append(
            &tx,
            event(
                principal,
                AuditKind::DisputeDecided,
                case,
                serde_json::json!({
                    "decision": decision.id.to_string(),
                    "decidedOn": decision.decided_on.to_string(),
                    "outcome": outcome,
                    "awardedCentimes": decision.awarded_centimes,
                    "appealDeadline": decision.appeal_deadline.to_string(),
                }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(decision)
    }

    /// Lodges an appeal against the case's last decision, by its deadline; the case is appealed, with
    /// `dispute.appealed`.
    pub async fn lodge_appeal(
        &self,
        principal: &Principal,
        commune: &Commune,
        case: DisputeId,
        input: AppealInput,
    ) -> Result<Appeal, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageDisputes)?;
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        let row = store::case_by_id(&tx, case).await?.ok_or(Error::NotFound("case"))?;
        if !row.case.status.may_be_appealed() {
            return Err(refused(row.case.status));
        }
        let decision = store::decisions_of(&tx, case).await?.pop().ok_or_else(|| refused(row.case.status))?;
        let input = disputes::validate_appeal(&input, &decision).map_err(Error::Validation)?;
        let appeal = Appeal {
            id: AppealId::new(),
            case,
            decision: decision.id,
            lodged_on: input.lodged_on,
            court_name: input.court_name,
            court_city: input.court_city,
            deadline: decision.appeal_deadline,
            recorded_at: now,
            recorded_by: principal.actor(),
        };
        if !store::set_status(&tx, case, Status::Decided, Status::Appealed, now).await? {
            return Err(Error::Conflict("the case changed meanwhile: reload it".into()));
        }
        store::insert_appeal(&tx, &appeal).await?;
        audit::append(
            &tx,
            event(
                principal,
                AuditKind::DisputeAppealed,
                case,
                serde_json::json!({
                    "appeal": appeal.id.to_string(),
                    "decision": decision.id.to_string(),
                    "lodgedOn": appeal.lodged_on.to_string(),
                }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(appeal)
    }

    /// Closes a case (judgment final, settled, withdrawn), with `dispute.closed`.
    pub async fn close_case(&self, principal: &Principal, commune: &Commune, case: DisputeId) -> Result<Case, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageDisputes)?;
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        let row = store::case_by_id(&tx, case).await?.ok_or(Error::NotFound("case"))?;
        if !row.case.status.is_open() {
            return Err(refused(row.case.status));
        }
        if !store::set_status(&tx, case, row.case.status, Status::Closed, now).await? {
            return Err(Error::Conflict("the case changed meanwhile: reload it".into()));
        }
        let from: &'static str = row.case.status.into();
        audit::append(&tx, event(principal, AuditKind::DisputeClosed, case, serde_json::json!({"from": from})), now)
            .await?;
        tx.commit().await?;
        Ok(Case { status: Status::Closed, updated_at: now, ..row.case })
    }

    /// The commune's hearings to come (from the start of today), soonest first, each with its reminder's time
    /// and whether it was recorded.
    pub async fn upcoming_hearings(
        &self,
        principal: &Principal,
        commune: &Commune,
        first: u64,
    ) -> Result<Vec<UpcomingHearing>, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageDisputes)?;
        let now = self.now();
        let from = crate::model::calendar::end_of_day_utc(
            local_today(commune, now).pred_opt().unwrap_or(NaiveDate::MIN),
            commune.time_zone(),
        );
        let tx = self.store.tenant_read_tx(scope).await?;
        let hearings = store::hearings_from(&tx, from, first.clamp(1, MAX_PAGE_SIZE)).await?;
        let mut upcoming = Vec::with_capacity(hearings.len());
        for hearing in hearings {
            let case = store::case_by_id(&tx, hearing.case).await?.ok_or(Error::NotFound("case"))?;
            upcoming.push(UpcomingHearing { hearing, case_number: case.case.number, case_subject: case.case.subject });
        }
        tx.commit().await?;
        Ok(upcoming)
    }

    /// Records every hearing reminder due at `now` (the scheduler's pass): `dispute.hearing_reminder` naming
    /// the member who follows the case, once, even with several schedulers on PostgreSQL. Answers how many; a
    /// commune whose reminders fail holds back no other ([`Jamaa::each_commune`]).
    pub async fn run_hearing_reminders(&self, now: DateTime<Utc>) -> Result<u64, Error> {
        let tenants = store::tenants_with_due_reminders(&self.store, now).await?;
        let (recorded, failed) =
            self.each_commune(tenants, |commune| async move { self.hearing_reminders_of(&commune, now).await }).await;
        match failed {
            Some(error) => Err(error),
            None => Ok(recorded.into_iter().sum()),
        }
    }

    /// The hearing reminders of one commune due at `now`, a batch a transaction: how many were recorded.
    async fn hearing_reminders_of(&self, commune: &Commune, now: DateTime<Utc>) -> Result<u64, Error> {
        let mut recorded = 0;
        loop {
            let tx = self.store.tenant_tx(TenantScope::new(commune.id)).await?;
            let due = store::claim_due_reminders(&tx, now, BATCH).await?;
            if due.is_empty() {
                tx.commit().await?;
                return Ok(recorded);
            }
            for hearing in due {
                let case = store::case_by_id(&tx, hearing.case).await?;
                store::mark_reminded(&tx, hearing.id, now).await?;
                let Some(case) = case.filter(|c| c.case.status.may_hold_hearings()) else { continue };
                let detail = serde_json::json!({
                    "hearing": hearing.id.to_string(),
                    "number": case.case.number,
                    "scheduledAt": hearing.scheduled_at.to_rfc3339(),
                    "responsible": case.case.responsible.map(|u| u.to_string()),
                });
                let event = NewEvent::new(
                    "system",
                    AuditKind::DisputeHearingReminder,
                    AuditSubject::Dispute(hearing.case),
                    detail,
                );
                audit::append(&tx, event, now).await?;
                recorded += 1;
            }
            tx.commit().await?;
        }
    }

    /// Corrects a case's object, court, parties, lawyer or stakes (never its number): checked as an opening,
    /// its parties sealed again, with `dispute.updated` naming the fields changed (the values of those that
    /// are not personal data). A closed case is not corrected; a correction that changes nothing records
    /// nothing. Answers the case file.
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug))]
    pub async fn update_case(
        &self,
        principal: &Principal,
        commune: &Commune,
        id: DisputeId,
        input: CaseEdit,
    ) -> Result<CaseView, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageDisputes)?;
        let now = self.now();
        let input = disputes::validate_edit(&input).map_err(Error::Validation)?;
        let tx = self.store.tenant_tx(scope).await?;
        let row = store::case_by_id(&tx, id).await?.ok_or(Error::NotFound("case"))?;
        if !row.case.status.is_open() {
            return Err(refused(row.case.status));
        }
        let key = keys::by_id(&tx, &self.keyring, row.data_key_id).await?;
        let text = crypto::open(&key, &row.parties, id.as_uuid().as_bytes())?;
        let parties: Vec<Party> = serde_json::from_slice(&text).map_err(Error::internal)?;
        let before = CaseEdit::of(&row.case, parties);
        let changed = input.changed_from(&before);
        let mut row = row;
        if !changed.is_empty() {
            let (key_id, key) = keys::current(&tx, &self.keyring, now).await?;
            let text = serde_json::to_vec(&input.parties).map_err(Error::internal)?;
            let status = row.case.status;
            row = store::CaseRow {
                case: Case {
                    subject: input.subject.clone(),
                    court_name: input.court_name.clone(),
                    court_city: input.court_city.clone(),
                    lawyer_name: input.lawyer_name.clone(),
                    lawyer_bar: input.lawyer_bar.clone(),
                    stakes_centimes: input.stakes_centimes,
                    updated_at: now,
                    ..row.case
                },
                parties: crypto::seal(&key, &text, id.as_uuid().as_bytes())?,
                data_key_id: key_id,
                request_id: row.request_id,
            };
            if !store::update_case(&tx, &row, status).await? {
                return Err(Error::Conflict("the case changed meanwhile: reload it".into()));
            }
            // What changed, before and after, but for the parties (personal data): only named.
            let mut values = serde_json::Map::new();
            let shown =
                |value: serde_json::Value, before: serde_json::Value| serde_json::json!({"from": before, "to": value});
            for field in &changed {
                let entry = match *field {
                    "subject" => shown(input.subject.clone().into(), before.subject.clone().into()),
                    "courtName" => shown(input.court_name.clone().into(), before.court_name.clone().into()),
                    "courtCity" => shown(input.court_city.clone().into(), before.court_city.clone().into()),
                    "lawyerName" => shown(input.lawyer_name.clone().into(), before.lawyer_name.clone().into()),
                    "lawyerBar" => shown(input.lawyer_bar.clone().into(), before.lawyer_bar.clone().into()),
                    "stakesCentimes" => shown(input.stakes_centimes.into(), before.stakes_centimes.into()),
                    _ => continue,
                };
                values.insert((*field).to_owned(), entry);
            }
            audit::append(
                &tx,
                event(
                    principal,
                    AuditKind::DisputeUpdated,
                    id,
                    serde_json::json!({"number": row.case.number, "changed": changed, "values": values}),
                ),
                now,
            )
            .await?;
        }
        // As stored (its time at the store's precision).
        let case = store::case_by_id(&tx, id).await?.ok_or(Error::NotFound("case"))?.case;
        let hearings = store::hearings_of(&tx, id).await?;
        let decisions = store::decisions_of(&tx, id).await?;
        let appeals = store::appeals_of(&tx, id).await?;
        let documents = store::documents_of(&tx, id).await?;
        tx.commit().await?;
        Ok(CaseView {
            case,
            parties: Some(input.parties),
            hearings: Some(hearings),
            decisions: Some(decisions),
            appeals: Some(appeals),
            documents: Some(documents),
        })
    }

    /// Attaches a document to a case that is not closed: checked (a title, a kind, a content neither empty nor
    /// too large, a file name that does not claim another type than its bytes), its media type detected, its
    /// content sealed under the commune's data key (bound to the case and the document), in one transaction with
    /// `dispute.document_added`.
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug))]
    pub async fn attach_case_document(
        &self,
        principal: &Principal,
        commune: &Commune,
        case: DisputeId,
        upload: CaseDocumentUpload,
        idempotency: Option<&Idempotency>,
    ) -> Result<CaseDocument, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageDisputes)?;
        let now = self.now();
        let input = DocumentInput {
            title: upload.title,
            kind: upload.kind,
            file_name: upload.file_name,
            size_bytes: upload.bytes.len() as u64,
        };
        let (title, kind, file_name) = disputes::validate_document(&input).map_err(Error::Validation)?;
        let file = DocumentFile { code: "dispute".into(), file_name, bytes: upload.bytes };
        let (described, extension) = crate::service::uploads::describe(&file);
        if let Some(error) = crate::service::uploads::check_name(0, &described, extension) {
            return Err(Error::Validation(vec![crate::error::FieldError { path: "file".into(), ..error }]));
        }
        let tx = self.store.tenant_tx(scope).await?;
        // The same upload sent again with its key answers the document the first attached, and attaches none.
        if let Some(first) =
            self.claim_key::<DisputeDocumentId>(&tx, principal, idempotency, self.idempotency_ttl).await?
        {
            let (document, _, _) = store::sealed_document(&tx, case, first).await?.ok_or(Error::NotFound("case"))?;
            tx.commit().await?;
            return Ok(document);
        }
        let row = store::case_by_id(&tx, case).await?.ok_or(Error::NotFound("case"))?;
        if !row.case.status.is_open() {
            return Err(refused(row.case.status));
        }
        let document = CaseDocument {
            id: DisputeDocumentId::new(),
            case,
            title,
            kind,
            file_name: described.file_name,
            media_type: described.media_type,
            size_bytes: described.size_bytes,
            sha256: described.sha256.unwrap_or_default(),
            added_at: now,
            added_by: principal.actor(),
        };
        let (key_id, key) = keys::current(&tx, &self.keyring, now).await?;
        let sealed = crypto::seal(&key, &file.bytes, &document_context(case, document.id))?;
        store::insert_document(&tx, &document, sealed, key_id).await?;
        let kind: &'static str = document.kind.into();
        audit::append(
            &tx,
            event(
                principal,
                AuditKind::DisputeDocumentAdded,
                case,
                serde_json::json!({
                    "document": document.id.to_string(),
                    "kind": kind,
                    "mediaType": document.media_type,
                    "sizeBytes": document.size_bytes,
                    "sha256": document.sha256,
                }),
            ),
            now,
        )
        .await?;
        self.record_answer(&tx, principal, idempotency, &document.id).await?;
        tx.commit().await?;
        tracing::info!(dispute.id = %case, document.id = %document.id, "document attached");
        Ok(document)
    }

    /// Opens a document of a case, for those who read the case (`manage_disputes`); each opening is
    /// `dispute.document_read`. A document of another case or commune is NOT_FOUND.
    pub async fn case_document(
        &self,
        principal: &Principal,
        commune: &Commune,
        case: DisputeId,
        id: DisputeDocumentId,
    ) -> Result<DownloadedFile, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageDisputes)?;
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        let (document, sealed, key_id) =
            store::sealed_document(&tx, case, id).await?.ok_or(Error::NotFound("document"))?;
        let key = keys::by_id(&tx, &self.keyring, key_id).await?;
        let bytes = crypto::open(&key, &sealed, &document_context(case, id))?;
        audit::append(
            &tx,
            event(
                principal,
                AuditKind::DisputeDocumentRead,
                case,
                serde_json::json!({"document": id.to_string(), "sha256": document.sha256}),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(DownloadedFile { file_name: document.file_name, media_type: document.media_type, bytes })
    }
}

/// What a document's sealed content is bound to: its case and itself.
fn document_context(case: DisputeId, id: DisputeDocumentId) -> Vec<u8> {
    [case.as_uuid().as_bytes().as_slice(), id.as_uuid().as_bytes().as_slice()].concat()
}
