//! Wire types, converted from core's types. Localized fields are resolved in the locale chosen for the
//! request; every type that carries text also offers it in all its locales where a client needs them.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, Json, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use jamaa_core::model::assignment::step_label;
use jamaa_core::model::audit::ChainReport;
use jamaa_core::model::calendar::DayCounting;
use jamaa_core::model::catalog::{DocumentRequirement, Fee, SilenceRule};
use jamaa_core::model::commune::Commune as CoreCommune;
use jamaa_core::model::complaint::deadline_step_label;
use jamaa_core::model::form::{FieldDef, FieldKind};
use jamaa_core::model::request::{Receipt as CoreReceipt, SubmittedDocument, submission_label};
use jamaa_core::model::workflow::commission::commission_step_label;
use jamaa_core::model::workflow::{Actor, Outcome as CoreOutcome, StateKind as CoreStateKind, sla_step_label};
use jamaa_core::service::{MessageRecord, PersonalData, RequestDetails, ServiceView, TransitionRecord};

use super::Lang;
use super::call::InLang;
use super::office::StaffMember;

/// A commune on the platform.
pub struct Commune {
    pub commune: CoreCommune,
    pub lang: Lang,
    /// The latest version of every template, when a list read them at once for its communes; else each
    /// commune reads the latest version of its own template when asked.
    pub latest_templates: Option<Arc<HashMap<String, u32>>>,
}

impl Commune {
    pub(crate) fn new(commune: CoreCommune, lang: Lang) -> Self {
        Self { commune, lang, latest_templates: None }
    }

    /// The latest published version of the template the commune follows.
    async fn latest_version(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<u32>> {
        let Some(lineage) = &self.commune.lineage else { return Ok(None) };
        if let Some(latest) = &self.latest_templates {
            return Ok(latest.get(&lineage.name).copied());
        }
        super::jamaa(ctx).latest_template_version(&lineage.name).await.in_lang(&self.lang)
    }
}

#[Object]
impl Commune {
    /// The commune's id and the locale of its text (see "Caching and languages" in the README).
    async fn id(&self) -> ID {
        self.lang.id(self.commune.id)
    }
    async fn slug(&self) -> &str {
        self.commune.spec.slug.as_str()
    }
    /// The name in the chosen locale.
    async fn name(&self) -> String {
        self.lang.text(&self.commune.spec.name)
    }
    /// The name in every locale it has.
    async fn names(&self) -> Vec<LocalizedString> {
        localized(&self.commune.spec.name)
    }
    /// ISO 3166 code: MA, MR, ES.
    async fn country(&self) -> Country {
        self.commune.spec.country.into()
    }
    async fn official_code(&self) -> Option<&str> {
        self.commune.spec.official_code.as_deref()
    }
    async fn region(&self) -> Option<&str> {
        self.commune.spec.region.as_deref()
    }
    async fn province(&self) -> Option<&str> {
        self.commune.spec.province.as_deref()
    }
    async fn population(&self) -> Option<u64> {
        self.commune.spec.population
    }
    async fn default_locale(&self) -> WireLocale {
        self.commune.spec.default_locale.into()
    }
    async fn locales(&self) -> Vec<WireLocale> {
        self.commune.spec.locales.iter().copied().map(Into::into).collect()
    }
    async fn time_zone(&self) -> &str {
        self.commune.spec.time_zone.name()
    }
    async fn currency(&self) -> &str {
        self.commune.spec.currency.as_str()
    }
    async fn tracking_prefix(&self) -> &str {
        self.commune.spec.tracking_prefix.as_str()
    }
    async fn status(&self) -> CommuneStatus {
        self.commune.status.into()
    }
    /// The working-day calendar: weekend days and holidays.
    async fn calendar(&self) -> Json<serde_json::Value> {
        Json(serde_json::to_value(&self.commune.spec.calendar).unwrap_or_default())
    }
    /// The template the commune's configuration follows (its lineage), if it was onboarded from one.
    async fn template_name(&self) -> Option<&str> {
        self.commune.lineage.as_ref().map(|l| l.name.as_str())
    }
    /// The version of that template the commune follows (it changes with each upgrade).
    async fn template_version(&self) -> Option<u32> {
        self.commune.lineage.as_ref().map(|l| l.version)
    }
    /// The latest published version of the commune's template.
    async fn latest_template_version(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<u32>> {
        self.latest_version(ctx).await
    }
    /// Whether a newer version of the commune's template is published (see `upgradeCommune`).
    async fn upgrade_available(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let current = self.commune.lineage.as_ref().map(|l| l.version);
        Ok(matches!((current, self.latest_version(ctx).await?), (Some(current), Some(latest)) if latest > current))
    }
}

/// A text in one locale.
#[derive(SimpleObject)]
pub struct LocalizedString {
    pub locale: WireLocale,
    pub text: String,
}

pub(crate) fn localized(text: &jamaa_core::model::i18n::LocalizedText) -> Vec<LocalizedString> {
    text.locales().map(|l| LocalizedString { locale: l.into(), text: text.get(l, &[]).to_owned() }).collect()
}

/// A language of the platform (BCP 47 codes, written as the API's `locale` arguments take them).
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "Locale", remote = "jamaa_core::model::i18n::Locale")]
pub enum WireLocale {
    #[graphql(name = "ar")]
    Ar,
    #[graphql(name = "fr")]
    Fr,
    #[graphql(name = "en")]
    En,
    #[graphql(name = "es")]
    Es,
    /// Tamazight, in Tifinagh.
    #[graphql(name = "tzm")]
    Tzm,
}

/// How a procedure may be requested.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jamaa_core::model::catalog::Channel")]
pub enum ServiceChannel {
    /// Online, through the API (a commune's website, the SDK).
    Online,
    /// At the commune's counter.
    Counter,
}

/// A personal field of a request that staff may search by (a blind index: nothing is decrypted to search). The
/// value is written as the citizen wrote it; it is normalized as at submission.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum SearchField {
    /// The national identity number of the form's `cin` field (CIN in Morocco, NNI in Mauritania).
    Cin,
    /// The national identity number of a form's field keyed `national_id`.
    NationalId,
    /// The phone number of the form's `phone` field, in any spelling of the country.
    Phone,
    /// The e-mail address of the form's `email` field.
    Email,
}

impl SearchField {
    /// The key of the form field searched, as the requests' blind indexes record it.
    pub fn key(self) -> &'static str {
        match self {
            SearchField::Cin => "cin",
            SearchField::NationalId => "national_id",
            SearchField::Phone => "phone",
            SearchField::Email => "email",
        }
    }
}

/// A country of the platform (ISO 3166-1 alpha-2).
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jamaa_core::model::commune::Country")]
pub enum Country {
    /// Morocco.
    #[graphql(name = "MA")]
    Morocco,
    /// Mauritania.
    #[graphql(name = "MR")]
    Mauritania,
    /// Spain.
    #[graphql(name = "ES")]
    Spain,
}

/// Where a commune is in its life on the platform.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jamaa_core::model::commune::CommuneStatus")]
pub enum CommuneStatus {
    Onboarding,
    Active,
    Suspended,
    Training,
}

/// Where a workflow state stands in the request's life.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum StateKind {
    /// The state a submission enters.
    Start,
    Active,
    /// The request is over (see its outcome).
    Terminal,
}

impl From<CoreStateKind> for StateKind {
    fn from(kind: CoreStateKind) -> Self {
        match kind {
            CoreStateKind::Start => StateKind::Start,
            CoreStateKind::Active => StateKind::Active,
            CoreStateKind::Terminal => StateKind::Terminal,
        }
    }
}

/// A procedure of a commune's catalog (its current version).
pub struct Service {
    pub view: ServiceView,
    pub lang: Lang,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum Silence {
    /// Silence at the deadline has no legal effect.
    Nothing,
    TacitApproval,
    TacitRefusal,
}

impl From<SilenceRule> for Silence {
    fn from(rule: SilenceRule) -> Self {
        match rule {
            SilenceRule::Nothing => Silence::Nothing,
            SilenceRule::TacitApproval => Silence::TacitApproval,
            SilenceRule::TacitRefusal => Silence::TacitRefusal,
        }
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum Outcome {
    Approved,
    Rejected,
    Withdrawn,
    Closed,
}

impl From<CoreOutcome> for Outcome {
    fn from(outcome: CoreOutcome) -> Self {
        match outcome {
            CoreOutcome::Approved => Outcome::Approved,
            CoreOutcome::Rejected => Outcome::Rejected,
            CoreOutcome::Withdrawn => Outcome::Withdrawn,
            CoreOutcome::Closed => Outcome::Closed,
        }
    }
}

/// The legal deadline of a decision.
#[derive(SimpleObject)]
pub struct Deadline {
    pub days: u32,
    /// True when only working days count.
    pub working_days: bool,
}

#[Object]
impl Service {
    /// The service's id and the locale of its text.
    async fn id(&self) -> ID {
        self.lang.id(self.view.service.id)
    }
    async fn code(&self) -> &str {
        self.view.service.definition.code.as_str()
    }
    /// The published version.
    async fn version(&self) -> i32 {
        self.view.service.version
    }
    async fn name(&self) -> String {
        self.lang.text(&self.view.service.definition.name)
    }
    async fn names(&self) -> Vec<LocalizedString> {
        localized(&self.view.service.definition.name)
    }
    async fn description(&self) -> String {
        self.lang.text(&self.view.service.definition.description)
    }
    /// The language `name` and `description` are written in: the one asked for, or, when the procedure has no
    /// text in it, the commune's language they fell back to (its default first).
    async fn locale(&self) -> WireLocale {
        let definition = &self.view.service.definition;
        let name = self.lang.locale_of(&definition.name);
        let description = self.lang.locale_of(&definition.description);
        if name == self.lang.locale { description.into() } else { name.into() }
    }
    async fn category(&self) -> &str {
        self.view.service.definition.category.as_str()
    }
    async fn channels(&self) -> Vec<ServiceChannel> {
        self.view.service.definition.channels.iter().map(|&c| c.into()).collect()
    }
    async fn documents(&self) -> Vec<DocumentType> {
        self.view.service.definition.documents.iter().map(|d| DocumentType::new(d, &self.lang)).collect()
    }
    async fn fees(&self) -> Vec<FeeLine> {
        self.view.service.definition.fees.iter().map(|f| FeeLine::new(f, &self.lang)).collect()
    }
    async fn deadline(&self) -> Deadline {
        let deadline = self.view.service.definition.deadline;
        Deadline { days: deadline.days, working_days: deadline.counting == DayCounting::Working }
    }
    async fn silence(&self) -> Silence {
        self.view.service.definition.silence.into()
    }
    /// Who set the deadline: the law the procedure cites, or the commune (it cites no legal text).
    async fn deadline_set_by(&self) -> DeadlineSetBy {
        jamaa_core::model::request::DeadlineSetBy::of(&self.view.service.definition.legal_references).into()
    }
    /// What silence at the deadline means, said to the citizen.
    async fn silence_means(&self) -> String {
        self.lang.text(&self.view.service.definition.silence.explanation())
    }
    async fn legal_references(&self) -> Vec<String> {
        self.view
            .service
            .definition
            .legal_references
            .iter()
            .map(|r| match &r.article {
                Some(article) => format!("{}, {article}", self.lang.text(&r.title)),
                None => self.lang.text(&r.title),
            })
            .collect()
    }
    /// The form's fields, localized.
    async fn fields(&self) -> Vec<FormField> {
        self.view.service.definition.form.fields.iter().map(|f| FormField::new(f, &self.lang)).collect()
    }
    /// The whole form schema as JSON, in every locale: what the SDK validates against, offline.
    async fn form_schema(&self) -> Json<serde_json::Value> {
        Json(serde_json::to_value(&self.view.service.definition.form).unwrap_or_default())
    }
    /// The workflow's states, localized.
    async fn states(&self) -> Vec<WorkflowState> {
        self.view
            .service
            .definition
            .workflow
            .states
            .iter()
            .map(|s| WorkflowState {
                key: s.key.to_string(),
                label: self.lang.text(&s.label),
                terminal: s.outcome.is_some(),
                kind: s.kind.into(),
                outcome: s.outcome.map(Into::into),
            })
            .collect()
    }
    /// The full definition (form, workflow, documents, fees) as JSON.
    async fn definition(&self) -> Json<serde_json::Value> {
        Json(serde_json::to_value(&self.view.service.definition).unwrap_or_default())
    }
}

#[derive(SimpleObject)]
pub struct WorkflowState {
    /// The state's key: the service's own data, not a closed set.
    pub key: String,
    pub label: String,
    pub terminal: bool,
    pub kind: StateKind,
    /// How a request ends in this state (terminal states).
    pub outcome: Option<Outcome>,
}

/// A document the applicant attaches.
#[derive(SimpleObject)]
pub struct DocumentType {
    pub code: String,
    pub label: String,
    pub mandatory: bool,
    pub formats: Vec<String>,
    pub max_size_bytes: u64,
}

impl DocumentType {
    fn new(document: &DocumentRequirement, lang: &Lang) -> Self {
        Self {
            code: document.code.clone(),
            label: lang.text(&document.label),
            mandatory: document.mandatory,
            formats: document.formats.clone(),
            max_size_bytes: document.max_size_bytes,
        }
    }
}

/// A fee; amounts are in minor units (centimes).
#[derive(SimpleObject)]
pub struct FeeLine {
    pub label: String,
    pub amount_minor: i64,
    pub currency: String,
    pub legal_basis: Option<String>,
}

impl FeeLine {
    fn new(fee: &Fee, lang: &Lang) -> Self {
        Self {
            label: lang.text(&fee.label),
            amount_minor: fee.amount_minor,
            currency: fee.currency.clone(),
            legal_basis: fee.legal_basis.clone(),
        }
    }
}

/// A field of a form.
#[derive(SimpleObject)]
pub struct FormField {
    pub key: String,
    pub label: String,
    pub help: Option<String>,
    /// text, long_text, number, money, date, choice, multi_choice, boolean, national_id, phone, email,
    /// location, document_ref.
    #[graphql(name = "type")]
    pub kind: String,
    pub required: bool,
    pub personal: bool,
    pub options: Vec<ChoiceOption>,
}

#[derive(SimpleObject)]
pub struct ChoiceOption {
    pub value: String,
    pub label: String,
}

impl FormField {
    fn new(field: &FieldDef, lang: &Lang) -> Self {
        let kind = serde_json::to_value(&field.kind)
            .ok()
            .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_owned))
            .unwrap_or_default();
        let options = match &field.kind {
            FieldKind::Choice { options } | FieldKind::MultiChoice { options } => {
                options.iter().map(|o| ChoiceOption { value: o.value.clone(), label: lang.text(&o.label) }).collect()
            }
            _ => Vec::new(),
        };
        Self {
            key: field.key.clone(),
            label: lang.text(&field.label),
            help: field.help.as_ref().map(|h| lang.text(h)),
            kind,
            required: field.required,
            personal: field.personal,
            options,
        }
    }
}

/// A citizen's request, as its commune's staff or its applicant see it.
pub struct Request {
    pub details: RequestDetails,
    pub history: Option<Vec<TransitionRecord>>,
    /// The messages to the applicant, loaded with the history.
    pub messages: Option<Vec<MessageRecord>>,
    /// What the request owes (its demand and payments), loaded with the history.
    pub fees: Option<jamaa_core::modules::payments::model::DemandState>,
    /// Who is looking: decides the available actions.
    pub viewer: Actor,
    pub lang: Lang,
}

#[Object]
impl Request {
    /// The request's id and the locale of its text (`…@fr`); arguments take it with or without the locale.
    async fn id(&self) -> ID {
        self.lang.id(self.details.record.id)
    }
    async fn tracking_code(&self) -> String {
        self.details.record.tracking_code.to_string()
    }
    async fn commune(&self) -> &str {
        self.details.commune.spec.slug.as_str()
    }
    async fn service_code(&self) -> &str {
        self.details.service.definition.code.as_str()
    }
    async fn service_name(&self) -> String {
        self.lang.text(&self.details.service.definition.name)
    }
    /// The service version the request was submitted to (it finishes on that version's workflow).
    async fn service_version(&self) -> i32 {
        self.details.service.version
    }
    async fn state(&self) -> &str {
        &self.details.record.state
    }
    async fn state_label(&self) -> String {
        self.lang.text(&self.details.state_label())
    }
    async fn outcome(&self) -> Option<Outcome> {
        self.details.record.outcome.map(Into::into)
    }
    /// Name it as `expectedVersion` when acting, so that a concurrent change is a CONFLICT.
    async fn version(&self) -> i64 {
        self.details.record.version
    }
    /// The form data as submitted (normalized). Personal fields are included only for the applicant and
    /// for staff who work the request (each such reading is recorded); otherwise they are in `sealedFields`.
    async fn data(&self) -> Json<serde_json::Value> {
        let mut data = self.details.record.data.clone();
        if let (Some(object), PersonalData::Open(personal)) = (data.as_object_mut(), &self.details.personal) {
            object.extend(personal.clone());
        }
        Json(data)
    }
    /// The personal fields this caller may not read (stored encrypted).
    async fn sealed_fields(&self) -> Vec<String> {
        match &self.details.personal {
            PersonalData::Sealed(keys) => keys.clone(),
            _ => Vec::new(),
        }
    }
    /// The documents received; `fileId` names an uploaded file its staff may download (for staff only).
    async fn documents(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Document>> {
        let mut documents: Vec<Document> = self.details.record.documents.iter().map(Document::from).collect();
        if matches!(self.viewer, Actor::Applicant) {
            return Ok(documents);
        }
        let principal = &super::request_context(ctx).principal;
        let mut files = super::jamaa(ctx)
            .request_file_ids(principal, &self.details.commune, self.details.record.id)
            .await
            .in_lang(&self.lang)?;
        for (document, submitted) in documents.iter_mut().zip(&self.details.record.documents) {
            if let Some(index) = files.iter().position(|(_, file)| file == submitted) {
                document.file_id = Some(ID(files.remove(index).0.to_string()));
            }
        }
        Ok(documents)
    }
    /// The member of the staff holding the request (null when unassigned, and for the applicant).
    async fn assignee(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<StaffMember>> {
        let Some(id) = self.details.record.assignee.filter(|_| !matches!(self.viewer, Actor::Applicant)) else {
            return Ok(None);
        };
        let found = super::jamaa(ctx).staff_members(&[id]).await.in_lang(&self.lang)?;
        Ok(found.into_iter().next().map(Into::into))
    }
    async fn submitted_at(&self) -> DateTime<Utc> {
        self.details.record.submitted_at
    }
    /// The date by which the law says the commune must decide.
    async fn decision_due(&self) -> NaiveDate {
        self.details.record.decision_due
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.details.record.updated_at
    }
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.details.record.closed_at
    }
    /// When its answer period ended without an answer (a complaint's lapse), if it did; the history then has
    /// the step `answer_lapsed`.
    async fn lapsed_at(&self) -> Option<DateTime<Utc>> {
        self.details.record.lapsed_at
    }
    /// The local day by the end of which the step the request is in is due, when its state has an SLA
    /// (`slaDays` working days on the commune's calendar from the day it entered the state); staff only (null
    /// for the applicant).
    async fn step_due_date(&self) -> Option<NaiveDate> {
        if matches!(self.viewer, Actor::Applicant) {
            return None;
        }
        self.details.record.step_due
    }
    /// Whether the step the request is in is overdue: the request is open and its step's due date has passed
    /// (today in the commune); staff only (false for the applicant).
    async fn step_overdue(&self, ctx: &Context<'_>) -> bool {
        if matches!(self.viewer, Actor::Applicant) {
            return false;
        }
        let today = super::jamaa(ctx).today_in(&self.details.commune);
        self.details.step_overdue(today)
    }
    /// What the request owes for its procedure's fees, what was paid and how to pay (on `request` and
    /// `trackRequest`; null when it owes nothing).
    async fn fees(&self) -> Option<super::payments::PaymentDemand> {
        self.fees.as_ref().map(|state| super::payments::demand(state, &self.lang))
    }
    /// The commission the request's state consults, if it does: its bodies, their due days and opinions, and
    /// those the caller may give (staff only; null for the applicant).
    async fn commission(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<super::commissions::Commission>> {
        if matches!(self.viewer, Actor::Applicant) {
            return Ok(None);
        }
        let principal = &super::request_context(ctx).principal;
        let view = super::jamaa(ctx)
            .commission(principal, &self.details.commune, &self.details, self.history.as_deref())
            .await
            .in_lang(&self.lang)?;
        Ok(view.map(|view| super::commissions::commission(view, &self.lang)))
    }
    /// What the viewer may do now.
    async fn available_actions(&self) -> Vec<AvailableAction> {
        self.details
            .available_actions(&self.viewer)
            .into_iter()
            .map(|a| AvailableAction {
                key: a.key.to_string(),
                label: self.lang.text(&a.label),
                comment_required: a.comment_required,
                notifies_applicant: a.notify_applicant,
                form_schema: a.form.as_ref().map(|form| Json(serde_json::to_value(form).unwrap_or_default())),
            })
            .collect()
    }
    /// The steps so far, oldest first (on `request` and `trackRequest`); staff also see the assignment steps
    /// (`assignment.assign`, `.reassign`, `.claim`, `.release`) with whom the request was given to.
    async fn history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Step>> {
        let workflow = &self.details.service.definition.workflow;
        let assignees: Vec<_> = self.history.iter().flatten().filter_map(|t| t.assignee).collect();
        let members = if assignees.is_empty() {
            Vec::new()
        } else {
            super::jamaa(ctx).staff_members(&assignees).await.in_lang(&self.lang)?
        };
        Ok(self
            .history
            .iter()
            .flatten()
            .map(|t| Step {
                action: t.action.clone(),
                action_label: match workflow.action(&t.action) {
                    Some(action) => self.lang.text(&action.label),
                    None if t.from_state.is_none() => self.lang.text(&submission_label()),
                    None => step_label(&t.action)
                        .or_else(|| deadline_step_label(&t.action))
                        .or_else(|| sla_step_label(&t.action))
                        .or_else(|| commission_step_label(&t.action))
                        .map(|label| self.lang.text(&label))
                        .unwrap_or_default(),
                },
                assignee: t
                    .assignee
                    .and_then(|id| members.iter().find(|m| m.id == id))
                    .map(|m| StaffMember::from(m.clone())),
                from_state: t.from_state.clone(),
                to_state: t.to_state.clone(),
                state_label: workflow.state(&t.to_state).map(|s| self.lang.text(&s.label)).unwrap_or_default(),
                actor: public_actor(&t.actor),
                comment: t.comment.clone(),
                at: t.occurred_at,
                form: t.form.as_ref().map(|form| {
                    let mut values = form.values.clone();
                    values.extend(form.personal.clone().unwrap_or_default());
                    StepForm {
                        values: Json(serde_json::Value::Object(values)),
                        sealed_fields: form.sealed_fields.clone(),
                    }
                }),
            })
            .collect())
    }
    async fn receipt(&self) -> Receipt {
        Receipt { receipt: self.details.receipt(), lang: self.lang.clone() }
    }
    /// The messages to the applicant, oldest first (on `request` and `trackRequest`): the reasoned notice of
    /// an extension, the reasons of a refusal, an answer.
    async fn messages(&self) -> Vec<RequestMessage> {
        let workflow = &self.details.service.definition.workflow;
        self.messages
            .iter()
            .flatten()
            .map(|m| RequestMessage {
                action: m.action.clone(),
                action_label: workflow.action(&m.action).map(|a| self.lang.text(&a.label)).unwrap_or_default(),
                body: m.body.clone(),
                at: m.created_at,
            })
            .collect()
    }
}

/// A message to the applicant of a request.
#[derive(SimpleObject)]
pub struct RequestMessage {
    /// The action whose reasons it gives (`extend`, `refuse_not_held`).
    pub action: String,
    pub action_label: String,
    pub body: String,
    pub at: DateTime<Utc>,
}

/// Staff appear as "staff", not by token: the citizen sees who acted by kind only.
fn public_actor(actor: &str) -> String {
    actor.split(':').next().unwrap_or(actor).to_owned()
}

#[derive(SimpleObject)]
pub struct AvailableAction {
    pub key: String,
    pub label: String,
    pub comment_required: bool,
    /// The comment is sent to the applicant as a message.
    pub notifies_applicant: bool,
    /// The form the member fills in with the action (the schema language of `Service.formSchema`), if any:
    /// its values go in `actOnRequest(form:)`.
    pub form_schema: Option<Json<serde_json::Value>>,
}

/// One step of a request's history.
#[derive(SimpleObject)]
pub struct Step {
    pub action: String,
    pub action_label: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub state_label: String,
    /// `staff`, `applicant`, `system`, `partner`, `anonymous`.
    pub actor: String,
    /// For an assignment step: the member the request was given to (none when released).
    pub assignee: Option<StaffMember>,
    pub comment: Option<String>,
    pub at: DateTime<Utc>,
    /// The staff form filled in with the action (a site-visit report), for the commune's staff only.
    pub form: Option<StepForm>,
}

/// The staff form of a step: its values (the personal ones only for the staff of the request's workflow, each
/// reading audited) and the keys of the personal fields left sealed for the reader.
#[derive(SimpleObject)]
pub struct StepForm {
    pub values: Json<serde_json::Value>,
    pub sealed_fields: Vec<String>,
}

/// A document received with a request.
#[derive(SimpleObject)]
pub struct Document {
    pub code: String,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: u64,
    pub sha256: Option<String>,
    /// The uploaded file, for `GET /files/{commune}/{requestId}/{fileId}` (staff of the request's workflow);
    /// null when only the document's facts were submitted.
    pub file_id: Option<ID>,
}

impl From<&SubmittedDocument> for Document {
    fn from(d: &SubmittedDocument) -> Self {
        Self {
            code: d.code.clone(),
            file_name: d.file_name.clone(),
            media_type: d.media_type.clone(),
            size_bytes: d.size_bytes,
            sha256: d.sha256.clone(),
            file_id: None,
        }
    }
}

/// Who set a procedure's deadline.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeadlineSetBy {
    /// A legal text the procedure cites.
    Law,
    /// The commune: the procedure cites no legal text.
    Commune,
}

impl From<jamaa_core::model::request::DeadlineSetBy> for DeadlineSetBy {
    fn from(set_by: jamaa_core::model::request::DeadlineSetBy) -> Self {
        match set_by {
            jamaa_core::model::request::DeadlineSetBy::Law => DeadlineSetBy::Law,
            jamaa_core::model::request::DeadlineSetBy::Commune => DeadlineSetBy::Commune,
        }
    }
}

/// The receipt (récépissé) of a submission.
pub struct Receipt {
    pub receipt: CoreReceipt,
    pub lang: Lang,
}

#[Object]
impl Receipt {
    async fn tracking_code(&self) -> String {
        self.receipt.tracking_code.to_string()
    }
    async fn commune_name(&self) -> String {
        self.lang.text(&self.receipt.commune_name)
    }
    async fn service_code(&self) -> &str {
        self.receipt.service_code.as_str()
    }
    async fn service_name(&self) -> String {
        self.lang.text(&self.receipt.service_name)
    }
    async fn submitted_at(&self) -> DateTime<Utc> {
        self.receipt.submitted_at
    }
    async fn documents(&self) -> Vec<Document> {
        self.receipt.documents.iter().map(Document::from).collect()
    }
    async fn fees(&self) -> Vec<FeeLine> {
        self.receipt.fees.iter().map(|f| FeeLine::new(f, &self.lang)).collect()
    }
    async fn decision_due(&self) -> NaiveDate {
        self.receipt.decision_due
    }
    async fn silence(&self) -> Silence {
        self.receipt.silence.into()
    }
    async fn silence_means(&self) -> String {
        self.lang.text(&self.receipt.silence_means)
    }
    /// Who set the decision date's deadline: the law the procedure cites, or the commune.
    async fn deadline_set_by(&self) -> DeadlineSetBy {
        self.receipt.deadline_set_by.into()
    }
    /// The same, said in the receipt's language ("Délai fixé par la commune, non par un texte de loi.").
    async fn deadline_basis(&self) -> String {
        self.lang.text(&self.receipt.deadline_set_by.explanation())
    }
    /// The locale the receipt is written in, and its direction (`rtl` for Arabic).
    async fn locale(&self) -> WireLocale {
        self.lang.locale.into()
    }
    async fn direction(&self) -> &str {
        if self.lang.locale.is_rtl() { "rtl" } else { "ltr" }
    }
}

/// What a submission returns.
#[derive(SimpleObject)]
pub struct SubmitRequestPayload {
    pub request: Request,
    pub receipt: Receipt,
    /// The citizen's secret for tracking: shown this once, stored only as a hash.
    pub secret: String,
}

/// A document attached to a submission (its content is stored elsewhere).
#[derive(InputObject)]
pub struct DocumentInput {
    /// The document type, one of the service's documents.
    pub code: String,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: u64,
    pub sha256: Option<String>,
}

#[derive(InputObject)]
pub struct SubmitRequestInput {
    pub service_code: String,
    /// The form data: an object keyed by field.
    pub data: Json<serde_json::Value>,
    #[graphql(default)]
    pub documents: Vec<DocumentInput>,
}

/// A commune's audit chain head: anyone may read it and keep it; a chain rewritten behind it no longer
/// holds this hash at this sequence.
#[derive(SimpleObject)]
pub struct AuditHead {
    /// The number of events in the chain (the last one's sequence).
    pub sequence: i64,
    /// The last event's SHA-256, hex (64 zeros before any event).
    pub hash: String,
    /// The last event's link in the public chain: SHA-256 of the previous link and the event's content hash, hex
    /// (64 zeros before any event). A proof (`auditProof`) is checked against it.
    pub link: String,
    /// When the last event was recorded.
    pub recorded_at: Option<DateTime<Utc>>,
}

impl From<jamaa_core::model::audit::AuditHead> for AuditHead {
    fn from(h: jamaa_core::model::audit::AuditHead) -> Self {
        Self { sequence: h.sequence, hash: h.hash, link: h.link, recorded_at: h.recorded_at }
    }
}

/// A head the commune published (once a day at most, when its chain moved): keep one, and ask later for a
/// proof since it (`auditProof`).
#[derive(SimpleObject)]
pub struct PublishedAuditHead {
    /// The commune's slug.
    pub commune: String,
    /// The day (UTC) it was published.
    pub day: NaiveDate,
    pub sequence: i64,
    /// The last event's SHA-256, hex.
    pub hash: String,
    /// The last event's link in the public chain, hex.
    pub link: String,
    /// When the last event was recorded.
    pub recorded_at: Option<DateTime<Utc>>,
    pub published_at: DateTime<Utc>,
}

impl PublishedAuditHead {
    pub fn new(commune: &str, h: jamaa_core::model::audit::PublishedHead) -> Self {
        Self {
            commune: commune.to_owned(),
            day: h.day,
            sequence: h.sequence,
            hash: h.hash,
            link: h.link,
            recorded_at: h.recorded_at,
            published_at: h.published_at,
        }
    }
}

/// What lets the applicant check, without trusting the server, that a head kept earlier is in the commune's
/// chain today and that their request's events are in it: the SDK's `verifyAuditProof(proof, keptHead)` (core's
/// `verify_proof`) recomputes every link from the content hashes, and each shown event's content hash.
#[derive(SimpleObject)]
pub struct AuditProof {
    /// The commune's slug.
    pub commune: String,
    /// The commune's id, part of every event's content hash.
    pub tenant_id: String,
    /// What the request's events are about: `request:<id>`.
    pub subject: String,
    /// The sequence the proof starts after, and the link there.
    pub since: i64,
    pub since_link: String,
    /// Every event after `since` up to the head, in order: the last one is the head.
    pub steps: Vec<AuditProofStep>,
}

/// One event of a proof.
#[derive(SimpleObject)]
pub struct AuditProofStep {
    pub sequence: i64,
    /// SHA-256 of the event's content (commune, sequence, time, actor, kind, subject, payload), hex.
    pub content_hash: String,
    /// SHA-256 of the previous link and the content hash, hex.
    pub link: String,
    /// The content, for the request's own events (null for others).
    pub event: Option<ProvenAuditEvent>,
}

/// The content of one of the request's events, as hashed.
#[derive(SimpleObject)]
pub struct ProvenAuditEvent {
    pub occurred_at: DateTime<Utc>,
    pub actor: String,
    pub kind: String,
    pub subject: String,
    /// Canonical JSON, byte for byte as hashed.
    pub payload: String,
}

impl From<jamaa_core::model::audit::AuditProof> for AuditProof {
    fn from(p: jamaa_core::model::audit::AuditProof) -> Self {
        Self {
            commune: p.commune,
            tenant_id: p.tenant_id.to_string(),
            subject: p.subject,
            since: p.since,
            since_link: p.since_link,
            steps: p
                .steps
                .into_iter()
                .map(|s| AuditProofStep {
                    sequence: s.sequence,
                    content_hash: s.content_hash,
                    link: s.link,
                    event: s.event.map(|e| ProvenAuditEvent {
                        occurred_at: e.occurred_at.to_datetime().unwrap_or_default(),
                        actor: e.actor,
                        kind: e.kind,
                        subject: e.subject,
                        payload: e.payload,
                    }),
                })
                .collect(),
        }
    }
}

/// The result of checking a commune's audit chain.
#[derive(SimpleObject)]
pub struct AuditReport {
    pub valid: bool,
    pub events_checked: i64,
    pub head_hash: String,
    pub first_broken_sequence: Option<i64>,
    pub problem: Option<String>,
}

impl From<ChainReport> for AuditReport {
    fn from(r: ChainReport) -> Self {
        Self {
            valid: r.valid,
            events_checked: r.events_checked,
            head_hash: r.head_hash,
            first_broken_sequence: r.first_broken_sequence,
            problem: r.problem,
        }
    }
}
