//! Submitting, acting on, tracking and listing requests.

use chrono::Datelike;
use rand::Rng;
use secrecy::{ExposeSecret, SecretString};

use crate::auth::{self, Permission, Principal};
use crate::error::{Error, FieldErrorCode};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::catalog::Channel;
use crate::model::commune::Commune;
use crate::model::form::ValidationContext;
use crate::model::idempotency::Idempotency;
use crate::model::ids::RequestId;
use crate::model::keys::ServiceCode;
use crate::model::request::{Receipt, SubmittedDocument, TrackingCode, validate_submission};
use crate::model::workflow::Actor;
use crate::model::workflow::engine::{self, ApplyContext};
use crate::store::catalog;
use crate::store::citizen::{self as citizen_store, MessageRecord};
use crate::store::requests::{self, RequestRecord, TransitionRecord};
use crate::store::{TenantTx, communes};

use super::lifecycle::{
    Procedure, RequestDetails, apply_action, engine_error, normalize_secret, record_step, schedule,
};
use super::personal::{self, PersonalData};
use super::{Jamaa, procedures};

/// What a citizen (or a counter agent, or a partner app) submits.
#[derive(Clone, Debug, PartialEq)]
pub struct SubmitRequest {
    pub service_code: ServiceCode,
    /// The form data, a JSON object keyed by field.
    pub data: serde_json::Value,
    pub documents: Vec<SubmittedDocument>,
}

/// The result of a submission: the request, its receipt, and the citizen's secret, shown this once.
#[derive(Debug)]
pub struct Submission {
    pub request: RequestDetails,
    pub receipt: Receipt,
    pub secret: SecretString,
}

/// What a submission's idempotency key keeps of its answer (sealed): the request and the citizen's secret.
#[derive(serde::Serialize, serde::Deserialize)]
struct SubmissionAnswer {
    request: RequestId,
    secret: String,
}

/// What a citizen sees when tracking a request.
#[derive(Clone, Debug, PartialEq)]
pub struct Tracking {
    pub request: RequestDetails,
    pub history: Vec<TransitionRecord>,
    /// The messages to the applicant (reasoned notices, reasons of refusals), oldest first.
    pub messages: Vec<MessageRecord>,
    /// What the request owes (its procedure's fees), paid or not; `None` when it owes nothing.
    pub fees: Option<crate::modules::payments::model::DemandState>,
}

/// The alphabet of citizen secrets: no 0/O, 1/I/L or U, so that they can be read out and typed.
const SECRET_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A citizen secret: 15 characters (about 73 bits), grouped by five: `K7RM2-PX9QD-4HWTA`.
fn citizen_secret() -> SecretString {
    let mut rng = rand::rng();
    let chars: Vec<char> =
        (0..15).map(|_| SECRET_ALPHABET[rng.random_range(0..SECRET_ALPHABET.len())] as char).collect();
    let groups: Vec<String> = chars.chunks(5).map(|c| c.iter().collect()).collect();
    SecretString::from(groups.join("-"))
}

/// `input.documents[i]…` as `input.documents[i + by]…`: a path of the measured documents, numbered after the
/// declared ones.
fn shift_document_index(path: &str, by: usize) -> String {
    const PREFIX: &str = "input.documents[";
    let Some(rest) = path.strip_prefix(PREFIX) else { return path.to_owned() };
    let Some((index, tail)) = rest.split_once(']') else { return path.to_owned() };
    match index.parse::<usize>() {
        Ok(index) => format!("{PREFIX}{}]{tail}", index + by),
        Err(_) => path.to_owned(),
    }
}

/// What a tracking reads beside the request, its service and history: what its caller asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reading {
    /// The applicant's personal fields, opened (the reading recorded in the audit chain); else left sealed, and
    /// the tracking writes nothing.
    pub personal: bool,
    /// The messages to the applicant; else none are read.
    pub messages: bool,
    /// What the request owes; else it is not read.
    pub fees: bool,
}

impl Reading {
    /// Everything.
    pub const ALL: Reading = Reading { personal: true, messages: true, fees: true };
}

impl Jamaa {
    /// Submits a request: validates the form and documents (every failure at once), numbers it, issues the
    /// receipt with the legal decision date, and sets the workflow's first timers.
    pub async fn submit_request(
        &self,
        principal: &Principal,
        commune: &Commune,
        input: SubmitRequest,
    ) -> Result<Submission, Error> {
        self.submit_request_in(principal, commune, input, None, None).await
    }

    /// [`Jamaa::submit_request`], recording the language the citizen wrote in (for the e-mails about it); with
    /// an idempotency key, a retry of the same submission answers as the first did and files nothing.
    pub async fn submit_request_in(
        &self,
        principal: &Principal,
        commune: &Commune,
        input: SubmitRequest,
        locale: Option<crate::model::i18n::Locale>,
        idempotency: Option<&Idempotency>,
    ) -> Result<Submission, Error> {
        self.submit_with_files(principal, commune, input, Vec::new(), locale, idempotency).await
    }

    /// Submits a request with the contents of its documents: each file's type, size and hash are read from
    /// its bytes and checked against the procedure's documents (after those the input lists without
    /// content), and the contents are stored sealed in the same transaction; `locale` is the language the
    /// citizen wrote in. With an idempotency key, a retry of the same submission answers as the first did.
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug, service = %input.service_code))]
    pub async fn submit_with_files(
        &self,
        principal: &Principal,
        commune: &Commune,
        input: SubmitRequest,
        files: Vec<super::DocumentFile>,
        locale: Option<crate::model::i18n::Locale>,
        idempotency: Option<&Idempotency>,
    ) -> Result<Submission, Error> {
        let secret = citizen_secret();
        self.submit_with_secret(principal, commune, input, files, locale, secret, idempotency).await
    }

    /// [`Jamaa::submit_with_files`] with the citizen's secret given: a fresh random one, or the demo's known
    /// secrets (demo.rs).
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn submit_with_secret(
        &self,
        principal: &Principal,
        commune: &Commune,
        mut input: SubmitRequest,
        files: Vec<super::DocumentFile>,
        locale: Option<crate::model::i18n::Locale>,
        secret: SecretString,
        idempotency: Option<&Idempotency>,
    ) -> Result<Submission, Error> {
        let scope = principal.authorize(commune.id, Permission::SubmitRequest)?;
        let tx = self.store.tenant_tx(scope).await?;
        if let Some(first) =
            self.claim_key::<SubmissionAnswer>(&tx, principal, idempotency, self.idempotency_ttl).await?
        {
            return self.replay_submission(tx, principal, commune, first).await;
        }
        let Some(service) = catalog::current_service(&tx, &input.service_code).await? else {
            return Err(Error::field(
                "input.serviceCode",
                FieldErrorCode::UnknownService,
                crate::model::form::messages::service_not_offered(),
            ));
        };
        let definition = &service.definition;
        let online = matches!(principal, Principal::Anonymous | Principal::Partner { .. });
        if online && !definition.channels.contains(&Channel::Online) {
            return Err(Error::Forbidden("this service is only offered at the counter".into()));
        }

        // With files, the documents recorded are the files as measured, numbered after the declared ones;
        // what was declared of them is checked against them and not kept.
        let mut name_errors = Vec::new();
        let mut uploads = Vec::new();
        let declared = if files.is_empty() { 0 } else { input.documents.len() };
        for (rank, file) in files.into_iter().enumerate() {
            let (document, detected) = super::uploads::describe(&file);
            name_errors.extend(super::uploads::check_name(declared + rank, &document, detected));
            uploads.push((document, file));
        }
        if !uploads.is_empty() {
            let measured: Vec<_> = uploads.iter().map(|(document, _)| document.clone()).collect();
            name_errors.extend(super::uploads::check_declared(&input.documents, &measured));
            input.documents = measured;
        }
        let context = ValidationContext { country: commune.spec.country };
        let data =
            validate_submission(&definition.form, &definition.documents, &input.data, &input.documents, &context)
                .map_err(|mut errors| {
                    for error in &mut errors {
                        error.path = shift_document_index(&error.path, declared);
                    }
                    errors.append(&mut name_errors.clone());
                    Error::Validation(errors)
                })?;
        if !name_errors.is_empty() {
            return Err(Error::Validation(name_errors));
        }

        let now = self.now();
        let local_today = now.with_timezone(&commune.time_zone()).date_naive();
        let calendar = &commune.spec.calendar;
        let decision_due = calendar.due_date(local_today, definition.deadline);
        let context =
            ApplyContext { now, time_zone: commune.time_zone(), calendar, decision_due, submitted_on: local_today };
        let (state, start_timers) = engine::start(&definition.workflow, &context).map_err(engine_error)?;
        let start_step = engine::step_deadline(&definition.workflow, &state, &context);

        let year = local_today.year();
        let sequence = requests::next_in_sequence(&tx, &format!("tracking:{year}")).await?;
        let sequence = u32::try_from(sequence).map_err(|_| Error::internal("tracking sequence overflow"))?;
        let tracking_code = TrackingCode::new(&commune.spec.tracking_prefix, year, sequence);
        let id = RequestId::new();
        let split = personal::split(&definition.form, data);
        let (sealed, data_key_id, digests) =
            personal::seal(&tx, &self.keyring, &definition.form, id, &split.personal, now).await?;
        let record = RequestRecord {
            id,
            service_id: service.id,
            workflow_id: service.workflow_id,
            tracking_code: tracking_code.clone(),
            state: state.clone(),
            outcome: None,
            version: 1,
            data: serde_json::Value::Object(split.plain),
            documents: input.documents,
            submitted_at: now,
            decision_due,
            updated_at: now,
            closed_at: None,
            assignee: None,
            lapsed_at: None,
            step_due: start_step.as_ref().map(|step| step.due),
            staff_data: serde_json::Value::Null,
            secret_hash: auth::hash_secret(&normalize_secret(&secret)),
            personal: sealed,
            data_key_id,
        };
        requests::insert(&tx, &record).await?;
        if let Some(locale) = locale {
            crate::store::notifications::set_locale(&tx, record.id, locale.as_str()).await?;
        }
        requests::insert_lookups(&tx, record.id, &digests).await?;
        let procedure = procedures::of(&service);
        procedure.submitted(&tx, &self.keyring, commune, &service, &record, &split.personal).await?;
        super::uploads::store(&tx, &self.keyring, record.id, &uploads, now).await?;
        let transition = TransitionRecord {
            from_state: None,
            to_state: state.clone(),
            action: crate::model::workflow::SUBMIT_ACTION.into(),
            actor: principal.actor(),
            comment: None,
            occurred_at: now,
            assignee: None,
            step_due: start_step.as_ref().map(|step| step.due),
            ended_step_due: None,
            form: None,
        };
        schedule(&tx, record.id, record.version, &start_timers).await?;
        super::lifecycle::schedule_step(&tx, record.id, record.version, start_step.as_ref()).await?;
        let event = NewEvent::new(
            principal.actor(),
            AuditKind::RequestSubmitted,
            AuditSubject::Request(record.id),
            serde_json::json!({
                "trackingCode": tracking_code,
                "service": definition.code,
                "serviceVersion": service.version,
                "state": state,
                "decisionDue": decision_due,
                "documents": record.documents.iter().map(|d| &d.code).collect::<Vec<_>>(),
            }),
        );
        record_step(&tx, commune, &service, record.id, &transition, Some(event), now).await?;
        let answer = SubmissionAnswer { request: record.id, secret: secret.expose_secret().to_owned() };
        self.record_answer(&tx, principal, idempotency, &answer).await?;
        tx.commit().await?;
        tracing::info!(request.id = %record.id, tracking_code = %tracking_code, "request submitted");

        let personal = if split.personal.is_empty() { PersonalData::None } else { PersonalData::Open(split.personal) };
        let request = RequestDetails { commune: std::sync::Arc::new(commune.clone()), service, record, personal };
        let receipt = request.receipt();
        Ok(Submission { request, receipt, secret })
    }

    /// The first answer to a submission sent again with its idempotency key: the request as it is now, the
    /// receipt as issued, the same secret; its personal fields opened for the caller (and audited so).
    async fn replay_submission(
        &self,
        tx: TenantTx,
        principal: &Principal,
        commune: &Commune,
        first: SubmissionAnswer,
    ) -> Result<Submission, Error> {
        let record = requests::by_id(&tx, first.request).await?.ok_or(Error::NotFound("request"))?;
        let service = catalog::service_version(&tx, record.service_id, record.workflow_id).await?;
        let personal = personal::open_for(&tx, &self.keyring, &record, &principal.actor(), self.now()).await?;
        tx.commit().await?;
        tracing::info!(request.id = %record.id, "submission answered again (idempotency key)");
        let request = RequestDetails { commune: std::sync::Arc::new(commune.clone()), service, record, personal };
        let receipt = request.receipt();
        Ok(Submission { request, receipt, secret: SecretString::from(first.secret) })
    }

    /// Takes a workflow action on a request. Staff act with their roles; a citizen acts as the applicant by
    /// presenting the request's secret. `expected_version` is the version the caller saw: if the request
    /// moved on since, the action is a CONFLICT. `form`: the values of the action's staff form (a JSON object),
    /// checked as a citizen's form (VALIDATION_FAILED at `form.<key>`), its personal fields sealed.
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug, request.id = %id, action = %action))]
    #[allow(clippy::too_many_arguments)]
    pub async fn act_on_request(
        &self,
        principal: &Principal,
        commune: &Commune,
        id: RequestId,
        action: &str,
        expected_version: i64,
        comment: Option<String>,
        applicant_secret: Option<SecretString>,
        form: Option<serde_json::Value>,
    ) -> Result<RequestDetails, Error> {
        let (scope, actor) = match (principal, applicant_secret.as_ref()) {
            (Principal::Anonymous, Some(_)) => {
                (principal.authorize(commune.id, Permission::SubmitRequest)?, Actor::Applicant)
            }
            (_, _) if principal.membership(commune.id).is_some() => (
                principal.authorize(commune.id, Permission::ActOnRequests)?,
                Actor::Staff { roles: principal.roles_in(commune.id).to_vec() },
            ),
            _ => {
                principal.authorize(commune.id, Permission::ActOnRequests)?;
                return Err(Error::Forbidden("only commune staff or the applicant act on requests".into()));
            }
        };
        let tx = self.store.tenant_tx(scope).await?;
        let record = requests::by_id(&tx, id).await?.ok_or(Error::NotFound("request"))?;
        if let Some(secret) = &applicant_secret
            && !auth::secret_matches(&normalize_secret(secret), &record.secret_hash)
        {
            return Err(Error::NotFound("request"));
        }
        let service = catalog::service_version(&tx, record.service_id, record.workflow_id).await?;
        if record.version != expected_version {
            return Err(Error::Conflict(format!(
                "the request is at version {}, not {expected_version}: reload it and try again",
                record.version
            )));
        }
        let comment = comment.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
        let actor_label = match actor {
            Actor::Applicant => format!("applicant:{}", record.tracking_code),
            _ => principal.actor(),
        };
        let record = apply_action(
            &procedures::of(&service),
            &tx,
            commune,
            &service,
            record,
            action,
            &actor,
            &actor_label,
            comment,
            Some(super::lifecycle::StaffFormInput { keyring: &self.keyring, values: form.as_ref() }),
            self.now(),
        )
        .await?;
        tx.commit().await?;
        Ok(RequestDetails::sealed(std::sync::Arc::new(commune.clone()), service, record))
    }

    /// The request a tracking code and the citizen's secret name, read in a transaction of its commune: a wrong
    /// secret and an unknown code are the same NOT_FOUND.
    pub(crate) async fn tracked(
        &self,
        tracking_code: &str,
        secret: &SecretString,
    ) -> Result<(Commune, TenantTx, RequestRecord), Error> {
        self.tracked_in(tracking_code, secret, true).await
    }

    /// [`Jamaa::tracked`], in a read-only transaction unless `writes` (a reading to record in the audit chain).
    async fn tracked_in(
        &self,
        tracking_code: &str,
        secret: &SecretString,
        writes: bool,
    ) -> Result<(Commune, TenantTx, RequestRecord), Error> {
        let code = TrackingCode::parse(tracking_code).map_err(|_| {
            Error::field(
                "trackingCode",
                FieldErrorCode::InvalidValue,
                crate::model::form::messages::tracking_code_to_follow(),
            )
        })?;
        let commune = communes::by_tracking_prefix(self.store.conn(), self.store.cache(), code.prefix())
            .await?
            .ok_or(Error::NotFound("request"))?;
        let scope = Principal::Anonymous.authorize(commune.id, Permission::ReadCatalog)?;
        let tx = if writes { self.store.tenant_tx(scope).await? } else { self.store.tenant_read_tx(scope).await? };
        let record = requests::by_tracking_code(&tx, &code).await?;
        let record = match record {
            Some(record) if auth::secret_matches(&normalize_secret(secret), &record.secret_hash) => record,
            _ => return Err(Error::NotFound("request")),
        };
        Ok((commune, tx, record))
    }

    /// Finds a request by its tracking code and the citizen's secret. A wrong secret and an unknown code
    /// are the same NOT_FOUND, so that codes cannot be probed.
    pub async fn track_request(&self, tracking_code: &str, secret: &SecretString) -> Result<Tracking, Error> {
        self.track_request_reading(tracking_code, secret, Reading::ALL).await
    }

    /// [`Jamaa::track_request`] reading what `reading` asks for: without the personal fields, a tracking writes
    /// nothing and runs in a read-only transaction.
    pub async fn track_request_reading(
        &self,
        tracking_code: &str,
        secret: &SecretString,
        reading: Reading,
    ) -> Result<Tracking, Error> {
        let (commune, tx, record) = self.tracked_in(tracking_code, secret, reading.personal).await?;
        let tracking = self.tracking(&tx, commune, record, reading).await?;
        tx.commit().await?;
        Ok(tracking)
    }

    /// The request as [`Jamaa::track_request`] answers it, and the documents issued about it as
    /// [`Jamaa::tracked_documents`] answers them, in one transaction (the printable tracking page).
    pub async fn track_request_with_documents(
        &self,
        tracking_code: &str,
        secret: &SecretString,
    ) -> Result<(Tracking, Vec<super::IssuedDocument>), Error> {
        let (commune, tx, record) = self.tracked(tracking_code, secret).await?;
        let id = record.id;
        let actor = format!("applicant:{}", record.tracking_code);
        let tracking = self.tracking(&tx, commune, record, Reading::ALL).await?;
        let issued = super::documents::read_about_request(&tx, &self.keyring, id, &actor, self.now()).await?;
        tx.commit().await?;
        Ok((tracking, issued))
    }

    /// What its applicant reads of a request, in `tx`: its personal fields opened when `reading` asks for them
    /// (the reading recorded there), else listed as sealed.
    async fn tracking(
        &self,
        tx: &TenantTx,
        commune: Commune,
        record: RequestRecord,
        reading: Reading,
    ) -> Result<Tracking, Error> {
        let service = catalog::service_version(tx, record.service_id, record.workflow_id).await?;
        let mut history = requests::history(tx, record.id).await?;
        // Who in the commune holds the file, the reminders to its staff and each body's opinion are its internal
        // business (the commission's decision, a system action, shows).
        history.retain(|step| {
            !crate::model::assignment::is_assignment_step(&step.action)
                && step.action != crate::model::complaint::ANSWER_REMINDER
                && crate::model::workflow::sla_step_label(&step.action).is_none()
                && crate::model::workflow::commission::parse_opinion_step(&step.action).is_none()
        });
        // Staff forms (a site-visit report) are the commune's working papers: the step shows, its form does not.
        for step in &mut history {
            step.form = None;
        }
        let messages = if reading.messages { citizen_store::messages(tx, record.id).await? } else { Vec::new() };
        let personal = if reading.personal {
            let actor = format!("applicant:{}", record.tracking_code);
            personal::open_for(tx, &self.keyring, &record, &actor, self.now()).await?
        } else {
            personal::sealed_keys(&service.definition.form, &record)
        };
        let fees = if reading.fees {
            crate::modules::payments::demands::demand_state_of_request(tx, record.id.as_uuid()).await?
        } else {
            None
        };
        Ok(Tracking {
            request: RequestDetails { commune: std::sync::Arc::new(commune), service, record, personal },
            history,
            messages,
            fees,
        })
    }

    /// One request of the commune, with its history, for its staff. Its personal fields are opened (and the
    /// reading recorded) for staff holding a role of the request's workflow; others see them sealed.
    pub async fn request(&self, principal: &Principal, commune: &Commune, id: RequestId) -> Result<Tracking, Error> {
        let scope = principal.authorize(commune.id, Permission::ReadRequests)?;
        let tx = self.store.tenant_tx(scope).await?;
        let record = requests::by_id(&tx, id).await?.ok_or(Error::NotFound("request"))?;
        let service = catalog::service_version(&tx, record.service_id, record.workflow_id).await?;
        let mut history = requests::history(&tx, record.id).await?;
        let messages = citizen_store::messages(&tx, record.id).await?;
        let workflow_roles = service.definition.workflow.roles();
        let works_on_it = principal.roles_in(commune.id).iter().any(|r| workflow_roles.contains(r));
        let personal = if works_on_it {
            personal::open_for(&tx, &self.keyring, &record, &principal.actor(), self.now()).await?
        } else {
            personal::sealed_keys(&service.definition.form, &record)
        };
        let reader = works_on_it.then(|| principal.actor());
        let workflow = &service.definition.workflow;
        personal::step_forms(&tx, &self.keyring, workflow, &record, &mut history, reader.as_deref(), self.now())
            .await?;
        let fees = crate::modules::payments::demands::demand_state_of_request(&tx, record.id.as_uuid()).await?;
        tx.commit().await?;
        Ok(Tracking {
            request: RequestDetails { commune: std::sync::Arc::new(commune.clone()), service, record, personal },
            history,
            messages,
            fees,
        })
    }
}
