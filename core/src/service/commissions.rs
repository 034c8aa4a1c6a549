//! Commissions: a state that asks the opinions of several bodies in parallel (the urban agency, civil
//! protection, the commune's technical service). A member of a body gives its opinion (`give_opinion`), or the
//! body's delay ends and its silence is counted (a timer of the step, `commission.silence.<role>`); each is one
//! step of the request's history with its audit event, and when the commission's rule decides, the request
//! moves by itself (the system action the state names), in the same transaction.

use chrono::{DateTime, NaiveDate, Utc};

use super::Jamaa;
use super::lifecycle::{RequestDetails, StaffFormInput, apply_action, fill_staff_form, record_step};
use super::{personal, procedures};
use crate::auth::{Permission, Principal};
use crate::error::{Error, FieldErrorCode};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::commune::Commune;
use crate::model::form::messages;
use crate::model::ids::RequestId;
use crate::model::keys::RoleKey;
use crate::model::workflow::commission::opinion_step;
use crate::model::workflow::{
    Actor, BodyDef, BodyOpinion, CommissionDef, CommissionResult, MAX_COMMENT_CHARS, OpinionKind,
};
use crate::store::catalog::PublishedService;
use crate::store::opinions::{self, OpinionRecord};
use crate::store::requests::{self, RequestRecord, StepForm, TransitionRecord};
use crate::store::{TenantTx, catalog};

/// Where the commission of a request stands, as its staff read it.
#[derive(Clone, Debug, PartialEq)]
pub struct CommissionView {
    /// The state whose commission it is (the request's current state).
    pub state: String,
    pub commission: CommissionDef,
    /// The local day the request entered the state: day 0 of the bodies' delays.
    pub entered_on: NaiveDate,
    /// Each body in the definition's order, with its due day and its opinion once given.
    pub bodies: Vec<BodyView>,
    pub result: CommissionResult,
    /// The bodies whose opinion the caller may give now: theirs (GiveOpinions and the body's role), not given.
    pub yours: Vec<RoleKey>,
}

/// A body of a commission, for one stay of a request in the state.
#[derive(Clone, Debug, PartialEq)]
pub struct BodyView {
    pub body: BodyDef,
    /// The label of the body's role in the commune.
    pub label: crate::model::i18n::LocalizedText,
    /// The local day by the end of which it gives its opinion, after which its silence counts.
    pub due: NaiveDate,
    pub opinion: Option<OpinionRecord>,
}

/// A body's opinion as a member gives it.
#[derive(Clone, Debug, Default)]
pub struct GiveOpinion {
    /// The body whose opinion it is: needed only when the member belongs to several bodies of the commission.
    pub body: Option<String>,
    pub opinion: Option<OpinionKind>,
    /// The reasons, or the conditions: required for an unfavourable opinion and one with conditions.
    pub reasons: Option<String>,
    /// The values of the body's form, if it asks for one.
    pub form: Option<serde_json::Value>,
}

impl Jamaa {
    /// Where the commission of the request stands, if its state asks one (ReadRequests); `history`, the
    /// request's history when the caller has it.
    pub async fn commission(
        &self,
        principal: &Principal,
        commune: &Commune,
        details: &RequestDetails,
        history: Option<&[TransitionRecord]>,
    ) -> Result<Option<CommissionView>, Error> {
        let workflow = &details.service.definition.workflow;
        let state = workflow.state(&details.record.state);
        let Some(commission) = state.and_then(|s| s.commission.as_ref()).filter(|_| details.record.outcome.is_none())
        else {
            return Ok(None);
        };
        let scope = principal.authorize(commune.id, Permission::ReadRequests)?;
        let tx = self.store.tenant_tx(scope).await?;
        let record = &details.record;
        let given = opinions::of_round(&tx, record.id, record.version).await?;
        // The history the caller has read (the `request` query's), else read here.
        let read;
        let history = match history {
            Some(history) => history,
            None => {
                read = requests::history(&tx, record.id).await?;
                &read
            }
        };
        let roles = catalog::roles(&tx).await?;
        tx.commit().await?;
        // The request entered the state with the last step that moved it there.
        let entered = history
            .iter()
            .rev()
            .find(|step| step.to_state == record.state && step.from_state.as_deref() != Some(&record.state))
            .map_or(record.updated_at, |step| step.occurred_at);
        let entered_on = entered.with_timezone(&commune.time_zone()).date_naive();
        let bodies = commission
            .bodies
            .iter()
            .map(|body| BodyView {
                body: body.clone(),
                label: roles.iter().find(|r| r.key == body.role).map(|r| r.label.clone()).unwrap_or_default(),
                due: commune.spec.calendar.add_working_days(entered_on, body.delay_days),
                opinion: given.iter().find(|o| o.body == body.role).cloned(),
            })
            .collect();
        let may_give = principal.authorize(commune.id, Permission::GiveOpinions).is_ok();
        let held = principal.roles_in(commune.id);
        let yours = commission
            .bodies
            .iter()
            .filter(|body| may_give && held.contains(&body.role) && !given.iter().any(|o| o.body == body.role))
            .map(|body| body.role.clone())
            .collect();
        Ok(Some(CommissionView {
            yours,
            state: record.state.clone(),
            commission: commission.clone(),
            entered_on,
            bodies,
            result: commission.consolidate(&as_body_opinions(&given)),
        }))
    }

    /// Gives the opinion of a body of the commission the request's state asks (GiveOpinions, and a role that is
    /// one of its bodies), once per body and stay in the state: the opinion, its reasons (required unless it is
    /// favourable) and the body's form (checked as a staff form, its personal fields sealed) become a step of
    /// the history with its audit event, and when the commission's rule then decides, the request moves by
    /// itself. CONFLICT when the request awaits no opinion or the body has given its own.
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug, request.id = %id))]
    pub async fn give_opinion(
        &self,
        principal: &Principal,
        commune: &Commune,
        id: RequestId,
        input: GiveOpinion,
    ) -> Result<RequestDetails, Error> {
        let scope = principal.authorize(commune.id, Permission::GiveOpinions)?;
        let kind =
            input.opinion.ok_or_else(|| Error::field("opinion", FieldErrorCode::Required, messages::required()))?;
        let reasons = input.reasons.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
        if kind != OpinionKind::Favourable && reasons.is_none() {
            return Err(Error::field("reasons", FieldErrorCode::Required, messages::opinion_reasons_required()));
        }
        if reasons.as_ref().is_some_and(|r| r.chars().count() > MAX_COMMENT_CHARS) {
            let message = messages::too_long(MAX_COMMENT_CHARS as u32, messages::LengthUnit::Characters);
            return Err(Error::field("reasons", FieldErrorCode::TooLong, message));
        }
        let tx = self.store.tenant_tx(scope).await?;
        let record = requests::by_id_locked(&tx, id).await?.ok_or(Error::NotFound("request"))?;
        let service = catalog::service_version(&tx, record.service_id, record.workflow_id).await?;
        let state = service.definition.workflow.state(&record.state);
        let Some(commission) = state.and_then(|s| s.commission.clone()).filter(|_| record.outcome.is_none()) else {
            return Err(Error::Conflict("the request is not awaiting the opinions of a commission".into()));
        };
        let given = opinions::of_round(&tx, id, record.version).await?;
        let roles = principal.roles_in(commune.id);
        let mine: Vec<&BodyDef> = commission.bodies.iter().filter(|body| roles.contains(&body.role)).collect();
        if mine.is_empty() {
            return Err(Error::Forbidden("only a member of one of the commission's bodies gives its opinion".into()));
        }
        let body = match input.body.as_deref() {
            Some(key) => mine
                .iter()
                .find(|body| body.role == key)
                .copied()
                .ok_or_else(|| Error::field("body", FieldErrorCode::NotAnOption, messages::opinion_body()))?,
            None => match mine.as_slice() {
                [body] => body,
                _ => {
                    return Err(Error::field("body", FieldErrorCode::Required, messages::opinion_body()));
                }
            },
        };
        if given.iter().any(|opinion| opinion.body == body.role) {
            return Err(Error::Conflict(format!("the body `{}` has already given its opinion", body.role)));
        }
        let now = self.now();
        let step = opinion_step(&body.role, kind, false);
        let form_input = StaffFormInput { keyring: &self.keyring, values: input.form.as_ref() };
        let filled = fill_staff_form(&tx, commune, &record, &step, body.form.as_ref(), Some(form_input), now).await?;
        let opinion = OpinionRecord {
            body: body.role.clone(),
            kind,
            silent: false,
            reasons,
            given_by: principal.actor(),
            given_at: now,
        };
        let form = filled.map(|(form, _)| form);
        let record = record_opinion(&tx, commune, &service, record, &commission, opinion, form, now).await?;
        tx.commit().await?;
        let personal = personal::sealed_keys(&service.definition.form, &record);
        Ok(RequestDetails { commune: std::sync::Arc::new(commune.clone()), service, record, personal })
    }
}

fn as_body_opinions(given: &[OpinionRecord]) -> Vec<BodyOpinion> {
    given.iter().map(|o| BodyOpinion { role: o.body.clone(), kind: o.kind, silent: o.silent }).collect()
}

/// Records a body's opinion on `record` (in the state of `commission`) as a step of its history with its
/// audit event, then takes the system action the commission's rule decides, if it does: the request as it is
/// afterwards.
#[allow(clippy::too_many_arguments)]
async fn record_opinion(
    tx: &TenantTx,
    commune: &Commune,
    service: &PublishedService,
    record: RequestRecord,
    commission: &CommissionDef,
    opinion: OpinionRecord,
    form: Option<StepForm>,
    now: DateTime<Utc>,
) -> Result<RequestRecord, Error> {
    opinions::insert(tx, record.id, record.version, &record.state, &opinion).await?;
    let mut payload = serde_json::json!({
        "trackingCode": record.tracking_code,
        "state": record.state,
        "body": opinion.body,
        "opinion": opinion.kind.as_str(),
        "silent": opinion.silent,
        "round": record.version,
    });
    if let (Some(form), Some(fields)) = (&form, payload.as_object_mut()) {
        let mut names: Vec<String> = form.values.keys().cloned().collect();
        if form.sealed.is_some() {
            names.push("(personal)".to_owned());
        }
        fields.insert("form".to_owned(), serde_json::json!(names));
    }
    let step = TransitionRecord {
        form,
        comment: opinion.reasons.clone(),
        actor: opinion.given_by.clone(),
        ..TransitionRecord::system_step(&record.state, &opinion_step(&opinion.body, opinion.kind, opinion.silent), now)
    };
    let event = NewEvent::new(&opinion.given_by, AuditKind::RequestOpinion, AuditSubject::Request(record.id), payload);
    record_step(tx, commune, service, record.id, &step, Some(event), now).await?;
    let given = opinions::of_round(tx, record.id, record.version).await?;
    let Some(action) = commission.action_for(commission.consolidate(&as_body_opinions(&given))) else {
        return Ok(record);
    };
    let procedure = procedures::of(service);
    apply_action(&procedure, tx, commune, service, record, action, &Actor::System, "system", None, None, now).await
}

/// Counts the silence of the body `role` of the commission the request's state asks, its delay ended (a timer
/// of the step, claimed by the scheduler in `tx`, the request still at the version that armed it): its opinion
/// is what the commission's `silence` says. False when it no longer applies (the request ended, the state asks
/// no such body, or the body has spoken).
pub(crate) async fn count_silence(
    tx: &TenantTx,
    commune: &Commune,
    service: &PublishedService,
    record: RequestRecord,
    role: &str,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    // Locked (the scheduler's claim of the timer took it already), so that a member giving an opinion at the same
    // moment is counted before or after, not beside.
    let Some(record) = requests::by_id_locked(tx, record.id).await?.filter(|r| r.version == record.version) else {
        return Ok(false);
    };
    let state = service.definition.workflow.state(&record.state);
    let Some(commission) = state.and_then(|s| s.commission.as_ref()).filter(|_| record.outcome.is_none()) else {
        return Ok(false);
    };
    if !commission.bodies.iter().any(|body| body.role == role) {
        return Ok(false);
    }
    let given = opinions::of_round(tx, record.id, record.version).await?;
    if given.iter().any(|opinion| opinion.body == role) {
        return Ok(false);
    }
    let opinion = OpinionRecord {
        body: role.into(),
        kind: commission.silence,
        silent: true,
        reasons: None,
        given_by: "system".to_owned(),
        given_at: now,
    };
    record_opinion(tx, commune, service, record, commission, opinion, None, now).await?;
    Ok(true)
}
