//! A request's lifecycle, the same for every procedure: a step is recorded in one place ([`record_step`]: the
//! history's row, the outbox event that notifications fan out, the audit event, in the use case's
//! transaction), an action is applied in one place ([`apply_action`]), and what a kind of procedure adds
//! (a complaint's listing facts and answer period, a petition's admissibility) plugs in through one hook,
//! [`Procedure`], implemented by the kinds and chosen from the procedure's settings in `procedures.rs`. The
//! store's repositories only read and write rows; this module does not know the kinds by name.

use std::future::Future;

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};

use crate::crypto::Keyring;
use crate::error::{Error, FieldErrorCode};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::commune::Commune;
use crate::model::i18n::LocalizedText;
use crate::model::ids::RequestId;
use crate::model::request::Receipt;
use crate::model::workflow::engine::{self, ApplyContext, EngineError, ScheduledTimer, StepDeadline};
use crate::model::workflow::{ActionCheck, Actor, Outcome, STEP_ESCALATED, STEP_REMINDER};
use crate::store::catalog::{self, PublishedService};
use crate::store::citizen::{self as citizen_store, MessageRecord};
use crate::store::requests::{self, RequestRecord, StepForm, TransitionRecord};
use crate::store::timers::{self, Scope};
use crate::store::{TenantTx, audit, notifications};

use super::personal::{self, PersonalData};

/// A request with the service version it runs on and its commune.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestDetails {
    /// Shared by the requests of one answer.
    pub commune: std::sync::Arc<Commune>,
    pub service: PublishedService,
    pub record: RequestRecord,
    /// The personal fields: opened for the applicant and the staff working the request, sealed otherwise.
    pub personal: PersonalData,
}

impl RequestDetails {
    /// A request as read by those who do not open its personal fields: they stay sealed.
    pub(crate) fn sealed(commune: std::sync::Arc<Commune>, service: PublishedService, record: RequestRecord) -> Self {
        let personal = personal::sealed_keys(&service.definition.form, &record);
        Self { commune, service, record, personal }
    }

    /// The commune's `records`, each with the service version it runs on (read in `tx`), their personal fields
    /// sealed.
    pub(crate) async fn sealed_list(
        tx: &TenantTx,
        commune: &Commune,
        records: Vec<RequestRecord>,
    ) -> Result<Vec<Self>, Error> {
        let commune = std::sync::Arc::new(commune.clone());
        let mut found = Vec::with_capacity(records.len());
        for record in records {
            let service = catalog::service_version(tx, record.service_id, record.workflow_id).await?;
            found.push(Self::sealed(commune.clone(), service, record));
        }
        Ok(found)
    }

    /// The label of the current state.
    pub fn state_label(&self) -> LocalizedText {
        self.service.definition.workflow.state(&self.record.state).map(|s| s.label.clone()).unwrap_or_default()
    }

    /// Whether the step the request is in is overdue on the local day `today`: the request is open and its
    /// step's due day has passed.
    pub fn step_overdue(&self, today: chrono::NaiveDate) -> bool {
        self.record.outcome.is_none() && self.record.step_due.is_some_and(|due| due < today)
    }

    /// The receipt of the request, as issued at submission.
    pub fn receipt(&self) -> Receipt {
        let definition = &self.service.definition;
        Receipt {
            tracking_code: self.record.tracking_code.clone(),
            commune_name: self.commune.spec.name.clone(),
            service_code: definition.code.clone(),
            service_name: definition.name.clone(),
            submitted_at: self.record.submitted_at,
            documents: self.record.documents.clone(),
            fees: definition.fees.clone(),
            decision_due: self.record.decision_due,
            silence: definition.silence,
            silence_means: definition.silence.explanation(),
            deadline_set_by: crate::model::request::DeadlineSetBy::of(&definition.legal_references),
        }
    }
}

/// Secrets are compared without dashes, spaces or case, as citizens type them.
pub(crate) fn normalize_secret(secret: &SecretString) -> SecretString {
    SecretString::from(
        secret
            .expose_secret()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_uppercase())
            .collect::<String>(),
    )
}

pub(crate) fn engine_error(error: EngineError) -> Error {
    let message = error.to_string();
    match error.code() {
        "NOT_FOUND" => Error::NotFound("action"),
        "FORBIDDEN" => Error::Forbidden(message),
        "CONFLICT" => Error::Conflict(message),
        "VALIDATION_FAILED" => {
            use crate::model::form::messages;
            let (path, code, text) = match error {
                EngineError::CommentRequired { .. } => {
                    ("comment", FieldErrorCode::Required, messages::comment_required())
                }
                EngineError::CommentTooLong { .. } => (
                    "comment",
                    FieldErrorCode::TooLong,
                    messages::too_long(engine::MAX_COMMENT_CHARS as u32, messages::LengthUnit::Characters),
                ),
                _ => ("action", FieldErrorCode::InvalidValue, messages::action_conditions_not_met()),
            };
            Error::field(path, code, text)
        }
        _ => Error::internal(message),
    }
}

/// What a kind of procedure adds to the generic lifecycle, each in the use case's transaction. Every method
/// does nothing unless a kind says otherwise; `procedures.rs` picks the kind of a service.
pub(crate) trait Procedure: Sync {
    /// After a request's row is written at submission: `personal` holds its personal fields, before they are
    /// sealed (a complaint's screen looks for the applicant's name in its public text; a civil-status request
    /// records the blind index the register looks its act up by, under `keyring`'s data key).
    fn submitted(
        &self,
        _tx: &TenantTx,
        _keyring: &Keyring,
        _commune: &Commune,
        _service: &PublishedService,
        _record: &RequestRecord,
        _personal: &serde_json::Map<String, serde_json::Value>,
    ) -> impl Future<Output = Result<(), Error>> + Send {
        async { Ok(()) }
    }

    /// The check an action names (a petition's admissibility), before the request moves.
    fn check(
        &self,
        _tx: &TenantTx,
        _commune: &Commune,
        _record: &RequestRecord,
        _check: ActionCheck,
        _now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), Error>> + Send {
        async { Ok(()) }
    }

    /// After the request moved to `to` (with `outcome` when it ended), its state's timers replaced.
    fn moved(
        &self,
        _tx: &TenantTx,
        _service: &PublishedService,
        _request: RequestId,
        _to: &str,
        _outcome: Option<Outcome>,
    ) -> impl Future<Output = Result<(), Error>> + Send {
        async { Ok(()) }
    }

    /// A timer of the request itself (not of its state: a complaint's answer period) fell due, claimed by the
    /// scheduler in `tx`: takes the step it names; false when the step no longer applies.
    fn timer_due(
        &self,
        _tx: &TenantTx,
        _commune: &Commune,
        _service: &PublishedService,
        _record: RequestRecord,
        _step: &str,
        _now: DateTime<Utc>,
    ) -> impl Future<Output = Result<bool, Error>> + Send {
        async { Ok(false) }
    }
}

/// Records a step of a request in the caller's transaction: its row in the history, its event in the outbox
/// (fanned out to the deliveries it needs, its notice queued for after the commit) and, when given, its audit
/// event. The request's row must already be in its new state; `commune` and `service` (the version the
/// request runs on) are the caller's.
pub(crate) async fn record_step(
    tx: &TenantTx,
    commune: &Commune,
    service: &PublishedService,
    request: RequestId,
    step: &TransitionRecord,
    event: Option<NewEvent>,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    requests::insert_transition(tx, request, step).await?;
    notifications::record_transition(tx, commune, service, request, step).await?;
    if let Some(event) = event {
        audit::append(tx, event, now).await?;
    }
    Ok(())
}

/// The staff form given with an action, and the keyring its personal fields are sealed with.
#[derive(Clone, Copy)]
pub(crate) struct StaffFormInput<'a> {
    pub keyring: &'a Keyring,
    /// The values as the member sent them (a JSON object), if any.
    pub values: Option<&'a serde_json::Value>,
}

/// Checks the staff form `form` of the step `step` (an action, a body's opinion; every failure at once, at
/// `form.<key>`) and seals its personal fields: the step's form, and the request's staff data with this form's
/// non-personal fields under `step` (None when the step asks for no form).
pub(crate) async fn fill_staff_form(
    tx: &TenantTx,
    commune: &Commune,
    record: &RequestRecord,
    step: &str,
    form: Option<&crate::model::form::FormSchema>,
    input: Option<StaffFormInput<'_>>,
    now: DateTime<Utc>,
) -> Result<Option<(StepForm, serde_json::Value)>, Error> {
    let ctx = crate::model::form::ValidationContext { country: commune.spec.country };
    let values = input.and_then(|input| input.values);
    let Some(values) = crate::model::workflow::validate_staff_form(form, values, &ctx).map_err(Error::Validation)?
    else {
        return Ok(None);
    };
    let (Some(form), Some(input)) = (form, input) else {
        return Err(Error::internal(format!("the step `{step}` asks for a form nobody can fill here")));
    };
    let personal_keys: Vec<&str> = form.personal_fields().map(|f| f.key.as_str()).collect();
    let (personal, plain): (serde_json::Map<_, _>, serde_json::Map<_, _>) =
        values.into_iter().partition(|(key, _)| personal_keys.contains(&key.as_str()));
    let (sealed, key_id) = if personal.is_empty() {
        (None, None)
    } else {
        let (key_id, key) = crate::store::keys::current(tx, input.keyring, now).await?;
        let text = serde_json::to_vec(&personal).map_err(Error::internal)?;
        let sealed = crate::crypto::seal(&key, &text, &super::personal::step_form_context(record.id, step))?;
        (Some(sealed), Some(key_id))
    };
    let mut staff = record.staff_data.as_object().cloned().unwrap_or_default();
    staff.insert(step.to_owned(), serde_json::Value::Object(plain.clone()));
    let step = StepForm { values: plain, personal: None, sealed_fields: Vec::new(), sealed, key_id };
    Ok(Some((step, serde_json::Value::Object(staff))))
}

/// Applies an action in the caller's transaction: the engine decides, the commune's rules the action names
/// must hold (through the procedure's hook: a petition's admissibility), the request moves (with its decision date) only if it is still at the
/// version read (else CONFLICT), pending timers are replaced by those of the new state, and the step is
/// recorded in the history and the audit chain; a comment the workflow sends to the applicant becomes a
/// message to them.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn apply_action(
    procedure: &impl Procedure,
    tx: &TenantTx,
    commune: &Commune,
    service: &PublishedService,
    record: RequestRecord,
    action: &str,
    actor: &Actor,
    actor_label: &str,
    comment: Option<String>,
    staff_form: Option<StaffFormInput<'_>>,
    now: DateTime<Utc>,
) -> Result<RequestRecord, Error> {
    let workflow = &service.definition.workflow;
    let context = ApplyContext {
        now,
        time_zone: commune.time_zone(),
        calendar: &commune.spec.calendar,
        decision_due: record.decision_due,
        submitted_on: record.submitted_at.with_timezone(&commune.time_zone()).date_naive(),
    };
    let guard_data = record.guard_data();
    let transition = engine::apply(workflow, &record.state, action, actor, &guard_data, comment.as_deref(), &context)
        .map_err(engine_error)?;
    let taken = workflow.action(&transition.action);
    let filled = match taken {
        Some(taken) => fill_staff_form(tx, commune, &record, &taken.key, taken.form.as_ref(), staff_form, now).await?,
        None => None,
    };
    if let Some(check) = taken.and_then(|a| a.check) {
        procedure.check(tx, commune, &record, check, now).await?;
    }
    let (form, staff_data) = filled.unzip();
    let decision_due = transition.decision_due;
    let step_due = transition.step.as_ref().map(|step| step.due);
    let (to, outcome) = (&transition.to, transition.outcome);
    if !requests::advance(tx, record.id, record.version, to, outcome, decision_due, step_due, staff_data.as_ref(), now)
        .await?
    {
        return Err(Error::Conflict("the request was changed by someone else: reload it and try again".into()));
    }
    let version = record.version + 1;
    timers::cancel_pending(tx, record.id, Scope::State).await?;
    timers::cancel_pending(tx, record.id, Scope::Step).await?;
    procedure.moved(tx, service, record.id, &transition.to, transition.outcome).await?;
    schedule(tx, record.id, version, &transition.timers).await?;
    schedule_step(tx, record.id, version, transition.step.as_ref()).await?;
    // The silence of each body of a commission the state asks counts at the end of its delay.
    for timer in &transition.opinions_due {
        timers::insert(tx, record.id, version, &timer.action, timer.due_at, Scope::Step).await?;
    }
    if let (Some(body), true) = (&comment, taken.is_some_and(|a| a.notify_applicant)) {
        let message = MessageRecord { action: transition.action.clone(), body: body.clone(), created_at: now };
        citizen_store::insert_message(tx, record.id, &message).await?;
    }
    let step = TransitionRecord {
        from_state: Some(transition.from.clone()),
        to_state: transition.to.clone(),
        action: transition.action.clone(),
        actor: actor_label.to_owned(),
        comment: comment.clone(),
        occurred_at: now,
        assignee: None,
        step_due: transition.step.as_ref().map(|step| step.due),
        ended_step_due: record.step_due,
        form: form.clone(),
    };
    let mut payload = serde_json::json!({
        "trackingCode": record.tracking_code,
        "action": transition.action,
        "from": transition.from,
        "to": transition.to,
        "outcome": transition.outcome,
        "version": version,
        "commented": comment.is_some(),
        "decisionDue": decision_due,
    });
    // The staff form's fields by name (their values are in the history; personal ones sealed there).
    if let (Some(form), Some(fields)) = (&form, payload.as_object_mut()) {
        let mut names: Vec<String> = form.values.keys().cloned().collect();
        if form.sealed.is_some() {
            names.push("(personal)".to_owned());
        }
        fields.insert("form".to_owned(), serde_json::json!(names));
    }
    let event = NewEvent::new(actor_label, AuditKind::RequestAction, AuditSubject::Request(record.id), payload);
    record_step(tx, commune, service, record.id, &step, Some(event), now).await?;
    let closed_at = if transition.outcome.is_some() { Some(now) } else { record.closed_at };
    Ok(RequestRecord {
        state: transition.to,
        outcome: transition.outcome,
        version,
        decision_due,
        updated_at: now,
        closed_at,
        step_due,
        staff_data: staff_data.unwrap_or_else(|| record.staff_data.clone()),
        ..record
    })
}

/// Arms the reminder and the escalation of the step a request begins (timers of scope `step`).
pub(crate) async fn schedule_step(
    tx: &TenantTx,
    request: RequestId,
    version: i64,
    step: Option<&StepDeadline>,
) -> Result<(), Error> {
    for timer in step.into_iter().flat_map(|step| &step.timers) {
        timers::insert(tx, request, version, &timer.action, timer.due_at, Scope::Step).await?;
    }
    Ok(())
}

/// Takes a due timer of the step a request is in (claimed by the scheduler in `tx`, the request still at the
/// version that armed it): records the reminder to its holder ([`STEP_REMINDER`]) or the escalation to the role
/// its state names ([`STEP_ESCALATED`]) as a step of its history without a change of state (so an outbox event,
/// `request.deadline`) with its audit event. False when it no longer applies (the request ended, or its state
/// has no such step any more).
pub(crate) async fn take_step_deadline(
    tx: &TenantTx,
    commune: &Commune,
    service: &PublishedService,
    record: RequestRecord,
    step: &str,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    let Some(state) = service.definition.workflow.state(&record.state) else { return Ok(false) };
    if record.outcome.is_some() || record.step_due.is_none() {
        return Ok(false);
    }
    // The reminder names the holder it is for; the escalation, the role it tells (and the holder).
    let (kind, escalated_to) = match (step, &state.escalate_to) {
        (STEP_REMINDER, _) => (AuditKind::RequestStepReminder, None),
        (STEP_ESCALATED, Some(role)) => (AuditKind::RequestStepEscalated, Some(role)),
        (STEP_ESCALATED, None) => return Ok(false),
        _ => return Err(Error::internal(format!("unknown step of a state's SLA `{step}`"))),
    };
    let mut payload = serde_json::json!({
        "trackingCode": record.tracking_code,
        "state": record.state,
        "stepDue": record.step_due,
        "assignee": record.assignee,
    });
    if let (Some(role), Some(fields)) = (escalated_to, payload.as_object_mut()) {
        fields.insert("escalatedTo".to_owned(), serde_json::Value::String(role.to_string()));
    }
    let transition = TransitionRecord::system_step(&record.state, step, now);
    let event = NewEvent::new("system", kind, AuditSubject::Request(record.id), payload);
    record_step(tx, commune, service, record.id, &transition, Some(event), now).await?;
    Ok(true)
}

pub(crate) async fn schedule(
    tx: &TenantTx,
    request: RequestId,
    version: i64,
    timers_to_set: &[ScheduledTimer],
) -> Result<(), Error> {
    for timer in timers_to_set {
        timers::insert(tx, request, version, &timer.action, timer.due_at, Scope::State).await?;
    }
    Ok(())
}
