//! The use cases of petitions (signatures, admissibility, inscription on the council's agenda), and what a
//! petition adds to its request's lifecycle (the procedure hook's check).

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};

use crate::auth::{Permission, Principal};
use crate::crypto;
use crate::error::{Error, FieldError, FieldErrorCode};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::commune::Commune;
use crate::model::form::messages;
use crate::model::ids::RequestId;
use crate::model::national_id;
use crate::model::settings::SettingsSection as _;
use crate::model::workflow::{ActionCheck, Actor};
use crate::service::lifecycle::{Procedure, apply_action};
use crate::service::{Jamaa, MAX_PAGE_SIZE, RequestDetails};
use crate::store::requests::{self, RequestRecord};
use crate::store::{TenantTx, audit, catalog, config, keys};

use super::model::{self as petition, PetitionRules};
pub use super::model::{PETITION_SERVICE, PetitionView};
use super::store::{self, NewSignature};

/// A citizen's signature of a petition: their national id and name.
#[derive(Debug)]
pub struct SignPetition {
    pub petition: RequestId,
    pub national_id: SecretString,
    pub name: SecretString,
}

/// What a petition adds to the lifecycle of its request: the admissibility its workflow's action names.
pub(crate) struct Petitions;

impl Procedure for Petitions {
    async fn check(
        &self,
        tx: &TenantTx,
        commune: &Commune,
        record: &RequestRecord,
        check: ActionCheck,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        check_action(tx, commune, record, check, now).await
    }
}

/// The check an action names, in the action's transaction.
async fn check_action(
    tx: &TenantTx,
    commune: &Commune,
    record: &RequestRecord,
    check: ActionCheck,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    match check {
        ActionCheck::PetitionAdmissibility => {
            let rules = petition_rules(tx).await?;
            let signatures = store::signature_count(tx, record.id).await?;
            let today = now.with_timezone(&commune.time_zone()).date_naive();
            let (country, population) = (commune.spec.country, commune.spec.population);
            rules.check(&record.data, signatures, today, country, population).map_err(Error::Validation)
        }
        ActionCheck::FeesPaid => Err(Error::internal("the payment of fees is not a petition's check")),
    }
}

async fn petition_rules(tx: &TenantTx) -> Result<PetitionRules, Error> {
    PetitionRules::from_settings_or_default(&config::get(tx).await?.settings).map_err(Error::internal)
}

fn text_of(record: &RequestRecord, key: &str) -> Option<String> {
    record.data.get(key).and_then(serde_json::Value::as_str).map(str::to_owned)
}

fn open_for_signatures(record: &RequestRecord) -> bool {
    petition::SIGNING_STATES.contains(&record.state.as_str())
        && text_of(record, "petitioner_type").as_deref() == Some("citizens")
}

/// Marks an admissible petition inscribed on the council's agenda, in the caller's transaction (a council
/// session's agenda is set in the same transaction). The caller's roles in the commune must allow the
/// workflow's `inscribe_on_agenda` action.
pub(crate) async fn inscribe_petition_in(
    tx: &TenantTx,
    commune: &Commune,
    principal: &Principal,
    id: RequestId,
    now: DateTime<Utc>,
) -> Result<RequestRecord, Error> {
    let record = requests::by_id(tx, id).await?.ok_or(Error::NotFound("petition"))?;
    let service = catalog::service_version(tx, record.service_id, record.workflow_id).await?;
    if service.definition.code != PETITION_SERVICE {
        return Err(Error::NotFound("petition"));
    }
    let actor = Actor::Staff { roles: principal.roles_in(commune.id).to_vec() };
    apply_action(
        &Petitions,
        tx,
        commune,
        &service,
        record,
        petition::INSCRIBE_ACTION,
        &actor,
        &principal.actor(),
        None,
        None,
        now,
    )
    .await
}

impl Jamaa {
    /// Signs a petition by citizens while it collects signatures: anyone, with their national id and name.
    /// The national id is checked for the commune's country; a second signature with the same national id
    /// is refused (`ALREADY_SIGNED` at `nationalId`). The signature is sealed; its blind index keeps it
    /// unique. Returns the petition's signature count.
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug, petition = %input.petition))]
    pub async fn sign_petition(
        &self,
        principal: &Principal,
        commune: &Commune,
        input: SignPetition,
    ) -> Result<u64, Error> {
        let scope = principal.authorize(commune.id, Permission::SubmitRequest)?;
        let mut errors = Vec::new();
        let national_id =
            national_id::normalize_national_id(commune.spec.country, input.national_id.expose_secret()).ok();
        if national_id.is_none() {
            errors.push(FieldError::new(
                "nationalId",
                FieldErrorCode::InvalidNationalId,
                messages::signer_national_id(),
            ));
        }
        let name = input.name.expose_secret().trim().to_owned();
        let name_chars = name.chars().count();
        if !(3..=120).contains(&name_chars) {
            let code = if name_chars < 3 { FieldErrorCode::TooShort } else { FieldErrorCode::TooLong };
            errors.push(FieldError::new("name", code, messages::signer_name_length()));
        }
        let (Some(national_id), true) = (national_id, errors.is_empty()) else {
            return Err(Error::Validation(errors));
        };
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        let record = requests::by_id(&tx, input.petition).await?.ok_or(Error::NotFound("petition"))?;
        let service = catalog::service_version(&tx, record.service_id, record.workflow_id).await?;
        if service.definition.code != PETITION_SERVICE {
            return Err(Error::NotFound("petition"));
        }
        if !open_for_signatures(&record) {
            return Err(Error::Conflict("this petition does not collect signatures (any more)".into()));
        }
        let (key_id, key) = keys::current(&tx, &self.keyring, now).await?;
        let signature_id = uuid::Uuid::now_v7();
        let sealed = serde_json::to_vec(&serde_json::json!({ "nationalId": national_id, "name": name }))
            .map_err(Error::internal)?;
        let sealed = crypto::seal(&key, &sealed, signature_id.as_bytes())?;
        let digest = crypto::blind_index(&key, "petition_signature", &national_id)?;
        let signature = NewSignature {
            id: signature_id,
            request_id: record.id,
            digest,
            sealed,
            data_key_id: key_id,
            signed_at: now,
        };
        if !store::insert_signature(&tx, signature).await? {
            return Err(Error::Validation(vec![FieldError::new(
                "nationalId",
                FieldErrorCode::AlreadySigned,
                messages::already_signed(),
            )]));
        }
        let count = store::signature_count(&tx, record.id).await?;
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::PetitionSigned,
                AuditSubject::Request(record.id),
                serde_json::json!({ "trackingCode": record.tracking_code, "signature": signature_id, "count": count }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(count)
    }

    /// The commune's petitions from submission to inscription on the council's agenda, as anyone may see
    /// them (no personal data), oldest first.
    pub async fn petitions(&self, commune: &Commune) -> Result<Vec<PetitionView>, Error> {
        let scope = Principal::Anonymous.authorize(commune.id, Permission::ReadCatalog)?;
        let tx = self.store.tenant_read_tx(scope).await?;
        let rules = petition_rules(&tx).await?;
        let threshold = rules.threshold(commune.spec.country, commune.spec.population);
        let states: Vec<&str> = petition::SIGNING_STATES
            .iter()
            .copied()
            .chain([petition::ADMISSIBLE_STATE, "inscribed_on_agenda"])
            .collect();
        let records = requests::requests_of_service(&tx, PETITION_SERVICE, &states, None).await?;
        // Their versions and signature counts at once, not one query per petition.
        let wanted: Vec<_> = records.iter().map(|r| (r.service_id, r.workflow_id)).collect();
        let services = catalog::service_versions(&tx, &wanted).await?;
        let ids: Vec<_> = records.iter().map(|r| r.id).collect();
        let counts = store::signature_counts(&tx, &ids).await?;
        let mut views = Vec::with_capacity(records.len());
        for record in records {
            let service = services.get(&(record.service_id, record.workflow_id)).ok_or(Error::NotFound("service"))?;
            let state_label =
                service.definition.workflow.state(&record.state).map(|s| s.label.clone()).unwrap_or_default();
            views.push(PetitionView {
                id: record.id,
                subject: text_of(&record, "subject").unwrap_or_default(),
                text: text_of(&record, "petition_text").unwrap_or_default(),
                petitioner_type: text_of(&record, "petitioner_type").unwrap_or_default(),
                association_name: text_of(&record, "association_name"),
                state: record.state.clone(),
                state_label,
                signatures: counts.get(&record.id).copied().unwrap_or(0),
                signature_threshold: threshold.clone(),
                open_for_signatures: open_for_signatures(&record),
                submitted_at: record.submitted_at,
            });
        }
        tx.commit().await?;
        Ok(views)
    }

    /// The commune's admissible petitions, waiting for a council agenda (staff who run the council).
    pub async fn admissible_petitions(
        &self,
        principal: &Principal,
        commune: &Commune,
    ) -> Result<Vec<RequestDetails>, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageCouncil)?;
        let tx = self.store.tenant_tx(scope).await?;
        let records =
            requests::requests_of_service(&tx, PETITION_SERVICE, &[petition::ADMISSIBLE_STATE], Some(MAX_PAGE_SIZE))
                .await?;
        let found = RequestDetails::sealed_list(&tx, commune, records).await?;
        tx.commit().await?;
        Ok(found)
    }

    /// Marks an admissible petition inscribed on the council's agenda, in one transaction (staff who run the
    /// council, with a role the workflow allows).
    pub async fn inscribe_petition(
        &self,
        principal: &Principal,
        commune: &Commune,
        id: RequestId,
    ) -> Result<RequestDetails, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageCouncil)?;
        let tx = self.store.tenant_tx(scope).await?;
        let record = inscribe_petition_in(&tx, commune, principal, id, self.now()).await?;
        let service = catalog::service_version(&tx, record.service_id, record.workflow_id).await?;
        tx.commit().await?;
        Ok(RequestDetails::sealed(std::sync::Arc::new(commune.clone()), service, record))
    }
}
