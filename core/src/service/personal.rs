//! Personal data of requests: sealed at submission under the commune's data key, with blind indexes for
//! exact look-ups; opened only for the applicant and for staff who work the request's workflow, and every
//! opening is an audit event.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::crypto::{self, Keyring};
use crate::error::Error;
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::form::{FieldKind, FormSchema};
use crate::model::ids::RequestId;
use crate::store::requests::RequestRecord;
use crate::store::{TenantTx, audit, keys};

use super::Jamaa;

/// A request's personal fields, as a caller may see them.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum PersonalData {
    /// The request has none.
    #[default]
    None,
    /// Sealed: the caller may not read them (the keys are listed, the values are not).
    Sealed(Vec<String>),
    /// Opened for this caller (and the reading recorded).
    Open(Map<String, Value>),
}

/// The normalized form data split into what is stored in clear and what is sealed.
pub(crate) struct Split {
    pub plain: Map<String, Value>,
    pub personal: Map<String, Value>,
}

/// Splits validated data along the form's `personal` marks.
pub(crate) fn split(form: &FormSchema, data: Map<String, Value>) -> Split {
    let personal_keys: Vec<&str> = form.personal_fields().map(|f| f.key.as_str()).collect();
    let (personal, plain) = data.into_iter().partition(|(key, _)| personal_keys.contains(&key.as_str()));
    Split { plain, personal }
}

/// Fields that get a blind index: the ones people are looked up by.
fn indexed(form: &FormSchema) -> impl Iterator<Item = &str> {
    form.fields
        .iter()
        .filter(|f| f.personal && matches!(f.kind, FieldKind::NationalId | FieldKind::Phone | FieldKind::Email))
        .map(|f| f.key.as_str())
}

/// Seals the personal fields of a new request in its transaction; returns the sealed text, the data key id
/// and the blind indexes to record.
pub(crate) async fn seal(
    tx: &TenantTx,
    keyring: &Keyring,
    form: &FormSchema,
    request: RequestId,
    personal: &Map<String, Value>,
    now: DateTime<Utc>,
) -> Result<(Option<String>, Option<uuid::Uuid>, Vec<(String, String)>), Error> {
    if personal.is_empty() {
        return Ok((None, None, Vec::new()));
    }
    let (key_id, key) = keys::current(tx, keyring, now).await?;
    let text = serde_json::to_vec(personal).map_err(Error::internal)?;
    let sealed = crypto::seal(&key, &text, request.as_uuid().as_bytes())?;
    let mut digests = Vec::new();
    for field in indexed(form) {
        if let Some(value) = personal.get(field).and_then(Value::as_str) {
            digests.push((field.to_owned(), crypto::blind_index(&key, field, value)?));
        }
    }
    Ok((Some(sealed), Some(key_id), digests))
}

/// Opens a request's personal fields in its transaction.
pub(crate) async fn open(
    tx: &TenantTx,
    keyring: &Keyring,
    record: &RequestRecord,
) -> Result<Map<String, Value>, Error> {
    let (Some(sealed), Some(key_id)) = (&record.personal, record.data_key_id) else { return Ok(Map::new()) };
    open_fields(tx, keyring, sealed, key_id, record.id.as_uuid().as_bytes()).await
}

/// Fields sealed as one JSON object under the data key `key_id`, bound to `context`.
async fn open_fields(
    tx: &TenantTx,
    keyring: &Keyring,
    sealed: &str,
    key_id: uuid::Uuid,
    context: &[u8],
) -> Result<Map<String, Value>, Error> {
    let key = keys::by_id(tx, keyring, key_id).await?;
    let text = crypto::open(&key, sealed, context)?;
    serde_json::from_slice(&text).map_err(Error::internal)
}

/// The keys of the sealed fields, without their values: from the form, since the values are sealed.
pub(crate) fn sealed_keys(form: &FormSchema, record: &RequestRecord) -> PersonalData {
    if record.personal.is_none() {
        return PersonalData::None;
    }
    PersonalData::Sealed(form.personal_fields().map(|f| f.key.clone()).collect())
}

/// Opens the personal data for `actor` and records the reading in the audit chain.
pub(crate) async fn open_for(
    tx: &TenantTx,
    keyring: &Keyring,
    record: &RequestRecord,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<PersonalData, Error> {
    if record.personal.is_none() {
        return Ok(PersonalData::None);
    }
    let personal = open(tx, keyring, record).await?;
    audit::append(
        tx,
        NewEvent::new(
            actor,
            AuditKind::PersonalDataRead,
            AuditSubject::Request(record.id),
            serde_json::json!({ "trackingCode": record.tracking_code, "fields": personal.keys().collect::<Vec<_>>() }),
        ),
        now,
    )
    .await?;
    Ok(PersonalData::Open(personal))
}

/// The sealing context of a step's staff form: bound to the request and the action, so that a sealed form is
/// opened only as the form of that action of that request.
pub(crate) fn step_form_context(request: RequestId, action: &str) -> Vec<u8> {
    let mut context = request.as_uuid().as_bytes().to_vec();
    context.extend_from_slice(b"/step-form/");
    context.extend_from_slice(action.as_bytes());
    context
}

/// The staff forms of a request's history as `reader` may see them: with `reader`, a member of the staff of the
/// request's workflow, their personal fields opened (each opening an audit event naming the step's action and
/// fields); without, their personal fields listed by key, sealed.
pub(crate) async fn step_forms(
    tx: &TenantTx,
    keyring: &Keyring,
    workflow: &crate::model::workflow::WorkflowDefinition,
    record: &RequestRecord,
    history: &mut [crate::store::requests::TransitionRecord],
    reader: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    for step in history.iter_mut() {
        let action = step.action.clone();
        let Some(form) = step.form.as_mut() else { continue };
        let (Some(sealed), Some(key_id)) = (&form.sealed, form.key_id) else { continue };
        let Some(reader) = reader else {
            form.sealed_fields = workflow
                .step_form(&action)
                .map(|f| f.personal_fields().map(|f| f.key.clone()).collect())
                .unwrap_or_default();
            continue;
        };
        let personal = open_fields(tx, keyring, sealed, key_id, &step_form_context(record.id, &action)).await?;
        audit::append(
            tx,
            NewEvent::new(
                reader,
                AuditKind::PersonalDataRead,
                AuditSubject::Request(record.id),
                serde_json::json!({
                    "trackingCode": record.tracking_code,
                    "staffForm": action,
                    "fields": personal.keys().collect::<Vec<_>>(),
                }),
            ),
            now,
        )
        .await?;
        form.personal = Some(personal);
    }
    Ok(())
}

impl Jamaa {
    /// Re-wraps every commune's data keys under the current master key (after a new `JAMAA_MASTER_KEY`,
    /// with the old one in `JAMAA_PREVIOUS_MASTER_KEYS`). The server keeps running meanwhile: it unwraps with
    /// either key. Returns how many keys were re-wrapped.
    pub async fn rotate_master_key(&self) -> Result<u64, Error> {
        let mut count = 0;
        for commune in self.all_communes().await? {
            let tx = self.store.tenant_tx(crate::store::TenantScope::new(commune.id)).await?;
            count += keys::rewrap(&tx, &self.keyring).await?;
            tx.commit().await?;
        }
        tracing::info!(rewrapped = count, master_key = self.keyring.current_id(), "data keys re-wrapped");
        Ok(count)
    }
}
