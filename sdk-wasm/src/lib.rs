//! The Jamaa SDK: core's pure rules (`jamaa_core::model`, without the "store" feature) for JavaScript, through
//! wasm-bindgen. This crate only converts values and errors; every rule it exposes lives in core, so that a
//! commune's website applies exactly the rules the server applies.
//!
//! Definitions (a form schema, a service definition, a calendar, a workflow, a localized text) are taken as
//! JavaScript values or as their JSON text; the citizen's input (form data, documents) as JavaScript values. Failures are thrown as JavaScript `Error`s named `JamaaError` with the
//! API's `code` (`VALIDATION_FAILED`) and, for the citizen's input, `fields` (`[{path, code, message}]`).

mod convert;
#[cfg(test)]
mod types;

use jamaa_core::model::audit::{AuditProof, KeptHead, verify_proof};
use jamaa_core::model::calendar::{self, DayCounting, Deadline, WorkingCalendar};
use jamaa_core::model::catalog::DocumentRequirement;
use jamaa_core::model::form::messages::{self, InvalidReason};
use jamaa_core::model::form::{FormSchema, ValidationContext};
use jamaa_core::model::i18n::{Locale, LocalizedText};
use jamaa_core::model::keys::{ActionKey, StateKey};
use jamaa_core::model::national_id;
use jamaa_core::model::request::{SubmittedDocument, TrackingCode, validate_submission};
use jamaa_core::model::workflow::{ActionDef, ActorRule, Guard, engine};
use jamaa_core::{FieldError, error::FieldErrorCode};
use serde::Deserialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::convert::{Failure, JsResult};

/// The module's allocator: talc instead of the standard library's dlmalloc, for a smaller module (the SDK runs on
/// one thread; memory grows as the module needs it).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The value types that are core's own, generated from Rust by ts-rs: `types.rs` checks the committed file.
#[wasm_bindgen(typescript_custom_section)]
const CORE_TYPES: &'static str = include_str!("types.d.ts");

/// The value types that have no Rust type of their own to be generated from, written here: the SDK's results
/// built as JavaScript objects (convert.rs) and the unions of what it accepts.
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** One broken rule: where, a stable code, and a message in the requested locale. (Core's `FieldError` carries the
 * message in every locale; the SDK, as the API, gives it in one.) */
export interface FieldError { path: string; code: string; message: string }
/** The outcome of a validation: the normalized data when valid, else every failure at once. (Core's is a
 * `Result`, which the SDK spells as one object.) */
export interface Validation { valid: boolean; data: Record<string, unknown> | null; errors: FieldError[] }
/** What a submission is checked against: a service definition (the API's `Service.definition`), of which the
 * form and the published documents are read. (Any definition is accepted: the other parts are not read.) */
export interface SubmissionRules { form: FormSchema; documents?: unknown[]; [key: string]: unknown }
/** A workflow definition, as in `ServiceDefinition.workflow`. (Of it, only the actions are read.) */
export interface WorkflowDefinition { states: unknown[]; actions: unknown[]; timers?: unknown[] }
/** An action the actor may take now. (Core's `ActionDef` with its label in one locale.) */
export interface AvailableAction { key: string; label: string; to: string; commentRequired: boolean }
/** A tracking code in its canonical spelling, and its parts. (Core's `TrackingCode` is written as one string.) */
export interface TrackingCodeParts { code: string; prefix: string; year: number; sequence: number }
/** Who acts: the applicant, the system, or staff holding these roles. (Read by convert.rs, not by serde.) */
export type ActorSpec = "applicant" | "system" | string[];
"#;

/// Checks form data against a service's form schema, as the server does: every failure at once, each at
/// `data.<key>` (the API reports the same failures under `input.`: `input.data.<key>`), and on success the data
/// normalized (text trimmed, national ids and phones in their canonical spelling, dates as `YYYY-MM-DD`).
#[wasm_bindgen(js_name = validateForm, unchecked_return_type = "Validation")]
pub fn validate_form(
    #[wasm_bindgen(unchecked_param_type = "FormSchema | string")] schema: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Record<string, unknown>")] data: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Country")] country: &str,
    locale: Option<String>,
) -> JsResult {
    let locale = convert::locale(locale.as_deref())?;
    let schema: FormSchema = convert::from_js(&schema, "schema")?;
    let data: Value = convert::from_js_value(&data, "data")?;
    let ctx = ValidationContext { country: convert::country(country)? };
    Ok(convert::validation(schema.validate(&data, &ctx), locale))
}

/// Which fields of the form are shown and which are required for `data` as it stands, in form order, by the
/// conditions the server applies (`visibleIf`, `requiredIf`): what a form on screen shows while the citizen types.
#[wasm_bindgen(js_name = fieldStates, unchecked_return_type = "FieldState[]")]
pub fn field_states(
    #[wasm_bindgen(unchecked_param_type = "FormSchema | string")] schema: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Record<string, unknown>")] data: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Country")] country: &str,
) -> JsResult {
    let schema: FormSchema = convert::from_js(&schema, "schema")?;
    let data: Value = convert::from_js_value(&data, "data")?;
    let ctx = ValidationContext { country: convert::country(country)? };
    let states: js_sys::Array = schema
        .field_states(&data, &ctx)
        .into_iter()
        .map(|state| {
            convert::object(&[
                ("key", JsValue::from_str(&state.key)),
                ("visible", JsValue::from_bool(state.visible)),
                ("required", JsValue::from_bool(state.required)),
            ])
        })
        .collect();
    Ok(states.into())
}

/// Checks a whole submission, form data and documents, exactly as the API's `submitRequest` does before it
/// accepts one: the same failures, in the same order, at the same paths (`input.data.cin`,
/// `input.documents[0].mediaType`, `input.documents.<code>` for a missing mandatory document).
#[wasm_bindgen(js_name = validateSubmission, unchecked_return_type = "Validation")]
pub fn validate_submission_js(
    #[wasm_bindgen(unchecked_param_type = "SubmissionRules | string")] definition: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Record<string, unknown>")] data: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SubmittedDocument[] | null")] documents: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Country")] country: &str,
    locale: Option<String>,
) -> JsResult {
    let locale = convert::locale(locale.as_deref())?;
    let definition: SubmissionRules = convert::from_js(&definition, "definition")?;
    let data: Value = convert::from_js_value(&data, "data")?;
    let documents: Vec<SubmittedDocument> = if documents.is_undefined() || documents.is_null() {
        Vec::new()
    } else {
        convert::from_js_value(&documents, "documents")?
    };
    let ctx = ValidationContext { country: convert::country(country)? };
    let outcome = validate_submission(&definition.form, &definition.documents, &data, &documents, &ctx);
    Ok(convert::validation(outcome, locale))
}

/// The date by which a decision is due when a request is submitted on `startDate` (`YYYY-MM-DD`), on the
/// commune's working calendar: `days` working or calendar days (`counting`), the start day not counted.
#[wasm_bindgen(js_name = dueDate)]
pub fn due_date(
    #[wasm_bindgen(unchecked_param_type = "WorkingCalendar | string")] calendar: JsValue,
    #[wasm_bindgen(js_name = startDate)] start_date: &str,
    days: u32,
    #[wasm_bindgen(unchecked_param_type = "\"working\" | \"calendar\"")] counting: &str,
    locale: Option<String>,
) -> Result<String, JsValue> {
    let locale = convert::locale(locale.as_deref())?;
    let calendar: WorkingCalendar = convert::from_js(&calendar, "calendar")?;
    let counting: DayCounting = convert::from_plain(JsValue::from_str(counting), "counting")?;
    let start = calendar::parse_date(start_date.trim()).ok_or_else(|| {
        Failure::fields(vec![FieldError::new("startDate", FieldErrorCode::InvalidDate, messages::invalid_date())])
            .into_js(locale)
    })?;
    Ok(calendar.due_date(start, Deadline { days, counting }).to_string())
}

/// The actions `actor` may take on a request in `state`, whose guard holds for the request's `data`, in the
/// workflow's order, with their labels in `locale`.
/// Of the definition, only its actions are read.
#[wasm_bindgen(js_name = availableActions, unchecked_return_type = "AvailableAction[]")]
pub fn available_actions(
    #[wasm_bindgen(unchecked_param_type = "WorkflowDefinition | string")] workflow: JsValue,
    state: &str,
    #[wasm_bindgen(unchecked_param_type = "ActorSpec")] actor: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Record<string, unknown> | null")] data: JsValue,
    locale: Option<String>,
) -> JsResult {
    let locale = convert::locale(locale.as_deref())?;
    let workflow: WorkflowActions = convert::from_js(&workflow, "workflow")?;
    let workflow: Vec<ActionDef> = workflow.actions.into_iter().map(ActionDef::from).collect();
    let actor = convert::actor(&actor)?;
    let data: Value =
        if data.is_undefined() || data.is_null() { Value::Null } else { convert::from_js_value(&data, "data")? };
    let actions: js_sys::Array = engine::available_among(&workflow, state, &actor, &data)
        .into_iter()
        .map(|action| {
            convert::object(&[
                ("key", JsValue::from_str(&action.key)),
                ("label", JsValue::from_str(action.label.get(locale, &[]))),
                ("to", JsValue::from_str(&action.to)),
                ("commentRequired", JsValue::from_bool(action.comment_required)),
            ])
        })
        .collect();
    Ok(actions.into())
}

/// The text in `locale`, else in the first of `fallbacks` that has it, else in French, Arabic, then any locale.
#[wasm_bindgen]
pub fn localize(
    #[wasm_bindgen(unchecked_param_type = "LocalizedText | string")] text: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Locale")] locale: &str,
    fallbacks: Option<Vec<String>>,
) -> Result<String, JsValue> {
    let locale = convert::locale(Some(locale))?;
    let text: LocalizedText = convert::from_js(&text, "text")?;
    let fallbacks = fallbacks
        .unwrap_or_default()
        .iter()
        .map(|tag| convert::locale(Some(tag)))
        .collect::<Result<Vec<Locale>, JsValue>>()?;
    Ok(text.get(locale, &fallbacks).to_owned())
}

/// `rtl` for a locale written right to left (Arabic), else `ltr`: the `dir` of a page in that locale.
#[wasm_bindgen(js_name = textDirection, unchecked_return_type = "\"rtl\" | \"ltr\"")]
pub fn text_direction(#[wasm_bindgen(unchecked_param_type = "Locale")] locale: &str) -> Result<String, JsValue> {
    let locale = convert::locale(Some(locale))?;
    Ok(if locale.is_rtl() { "rtl" } else { "ltr" }.to_owned())
}

/// Parses a tracking code as a citizen types it (`ouj-2026-000042 `) into its canonical spelling and parts.
#[wasm_bindgen(js_name = parseTrackingCode, unchecked_return_type = "TrackingCodeParts")]
pub fn parse_tracking_code(code: &str, locale: Option<String>) -> JsResult {
    let locale = convert::locale(locale.as_deref())?;
    let parsed = TrackingCode::parse(code).map_err(|_| {
        let message = messages::invalid_value(InvalidReason::TrackingCode);
        Failure::fields(vec![FieldError::new("trackingCode", FieldErrorCode::InvalidValue, message)]).into_js(locale)
    })?;
    Ok(convert::object(&[
        ("code", JsValue::from_str(&parsed.to_string())),
        ("prefix", JsValue::from_str(parsed.prefix())),
        ("year", JsValue::from(parsed.year())),
        ("sequence", JsValue::from(parsed.sequence())),
    ]))
}

/// A national identity number of `country` in its canonical spelling (`ab 123456` → `AB123456` in Morocco).
#[wasm_bindgen(js_name = normalizeNationalId)]
pub fn normalize_national_id(
    #[wasm_bindgen(unchecked_param_type = "Country")] country: &str,
    value: &str,
    locale: Option<String>,
) -> Result<String, JsValue> {
    let locale = convert::locale(locale.as_deref())?;
    let country = convert::country(country)?;
    national_id::normalize_national_id(country, value).map_err(|_| {
        let message = messages::invalid_national_id(country);
        Failure::fields(vec![FieldError::new("nationalId", FieldErrorCode::InvalidNationalId, message)]).into_js(locale)
    })
}

/// A phone number of `country` in E.164 (`06 12 34 56 78` → `+212612345678` in Morocco).
#[wasm_bindgen(js_name = normalizePhone)]
pub fn normalize_phone(
    #[wasm_bindgen(unchecked_param_type = "Country")] country: &str,
    value: &str,
    locale: Option<String>,
) -> Result<String, JsValue> {
    let locale = convert::locale(locale.as_deref())?;
    let country = convert::country(country)?;
    national_id::normalize_phone(country, value).map_err(|_| {
        let message = messages::invalid_phone(country);
        Failure::fields(vec![FieldError::new("phone", FieldErrorCode::InvalidPhone, message)]).into_js(locale)
    })
}

/// Checks a proof of the audit chain (the API's `auditProof`) against a head kept earlier, with SHA-256 alone:
/// every link follows from the previous one and its event's content hash, each of the request's events gives its
/// content hash, and the kept head's link is the chain's at its sequence. Trusts nothing the server says.
#[wasm_bindgen(js_name = verifyAuditProof, unchecked_return_type = "AuditProofReport")]
pub fn verify_audit_proof(
    #[wasm_bindgen(unchecked_param_type = "AuditProof | string")] proof: JsValue,
    #[wasm_bindgen(js_name = keptHead, unchecked_param_type = "KeptHead | string")] kept_head: JsValue,
) -> JsResult {
    let proof: AuditProof = convert::from_js(&proof, "proof")?;
    let kept: KeptHead = convert::from_js(&kept_head, "keptHead")?;
    let report = verify_proof(&proof, &kept);
    let number = |n: i64| JsValue::from_f64(n as f64);
    Ok(convert::object(&[
        ("valid", JsValue::from_bool(report.valid)),
        ("headSequence", number(report.head_sequence)),
        ("headLink", JsValue::from_str(&report.head_link)),
        ("ownEvents", report.own_events.iter().map(|s| number(*s)).collect::<js_sys::Array>().into()),
        ("problem", report.problem.map_or(JsValue::NULL, |p| JsValue::from_str(p.code()))),
        ("brokenSequence", report.broken_sequence.map_or(JsValue::NULL, number)),
    ]))
}

/// What a submission is checked against: the form and the published documents of a service definition (the
/// API's `Service.definition`; its other parts are not read).
#[derive(Deserialize)]
struct SubmissionRules {
    form: FormSchema,
    #[serde(default)]
    documents: Vec<DocumentRequirement>,
}

/// What `availableActions` reads of a workflow definition: its actions (its states and timers say nothing of
/// which action may be taken now).
#[derive(Deserialize)]
struct WorkflowActions {
    actions: Vec<ActionView>,
}

/// An action as `availableActions` reads it: what core's `available_among` looks at (where it leaves from, who
/// takes it, its guard) and what the SDK returns; its effects (a deadline change, a notice, a check of the
/// commune's settings) are left unread.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ActionView {
    key: ActionKey,
    label: LocalizedText,
    from: Vec<StateKey>,
    to: StateKey,
    actors: Vec<ActorRule>,
    #[serde(default)]
    comment_required: bool,
    #[serde(default)]
    guard: Option<Guard>,
}

impl From<ActionView> for ActionDef {
    fn from(view: ActionView) -> Self {
        let ActionView { key, label, from, to, actors, comment_required, guard } = view;
        ActionDef {
            key,
            label,
            from,
            to,
            actors,
            comment_required,
            guard,
            deadline: None,
            notify_applicant: false,
            check: None,
            form: None,
        }
    }
}
