//! The kinds of procedure, the one place that names them: a service's kind is read from its definition (a
//! complaint's settings make it a complaint; any other procedure is standard), and the lifecycle's hook
//! ([`Procedure`]) is dispatched here to what the kind adds. A new kind implements the hook in its own module
//! and gets a variant here.

use chrono::{DateTime, Utc};

use crate::crypto::Keyring;
use crate::error::Error;
use crate::model::commune::Commune;
use crate::model::complaint::ComplaintSettings;
use crate::model::ids::RequestId;
use crate::model::workflow::engine;
use crate::model::workflow::{ActionCheck, ActionDef, Actor, Outcome, WorkflowDefinition};
use crate::modules::civil_status::model::requested_document;
use crate::modules::civil_status::requests::CivilRequests;
use crate::modules::petitions::service::Petitions;
use crate::store::TenantTx;
use crate::store::catalog::PublishedService;
use crate::store::requests::RequestRecord;

use super::complaints::Complaints;
use super::lifecycle::{Procedure, RequestDetails};

/// A service's kind of procedure.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Kind<'a> {
    /// Its workflow and form only.
    Standard,
    /// A complaint: listing facts, moderation and an answer period.
    Complaint(&'a ComplaintSettings),
    /// A request for an extract or a full copy of a civil-status act: matched to the register, issued from it.
    CivilDocument(CivilRequests),
}

/// The kind of `service`.
pub(crate) fn of(service: &PublishedService) -> Kind<'_> {
    match &service.definition.complaint {
        Some(settings) => Kind::Complaint(settings),
        None => match requested_document(service.definition.code.as_str()) {
            Some(requested) => Kind::CivilDocument(CivilRequests(requested)),
            None => Kind::Standard,
        },
    }
}

impl Kind<'_> {
    /// Whether `action` is offered as a workflow action: a request for a civil-status document is approved only
    /// by issuing the register's document (`issueCivilRequest`), so the actions that would approve it are not.
    fn offers(&self, workflow: &WorkflowDefinition, action: &ActionDef) -> bool {
        match self {
            Kind::CivilDocument(_) => {
                workflow.state(&action.to).and_then(|state| state.outcome) != Some(Outcome::Approved)
            }
            Kind::Standard | Kind::Complaint(_) => true,
        }
    }
}

impl RequestDetails {
    /// The actions `actor` may take now, as the request's kind of procedure offers them.
    pub fn available_actions(&self, actor: &Actor) -> Vec<&ActionDef> {
        let workflow = &self.service.definition.workflow;
        let kind = of(&self.service);
        engine::available_actions(workflow, &self.record.state, actor, &self.record.guard_data())
            .into_iter()
            .filter(|action| kind.offers(workflow, action))
            .collect()
    }
}

impl Procedure for Kind<'_> {
    async fn submitted(
        &self,
        tx: &TenantTx,
        keyring: &Keyring,
        commune: &Commune,
        service: &PublishedService,
        record: &RequestRecord,
        personal: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), Error> {
        match self {
            Kind::Standard => Ok(()),
            Kind::Complaint(settings) => {
                Complaints(settings).submitted(tx, keyring, commune, service, record, personal).await
            }
            Kind::CivilDocument(civil) => civil.submitted(tx, keyring, commune, service, record, personal).await,
        }?;
        // Whatever its kind, a request whose procedure has fees owes them: its demand.
        // Boxed: a submission's future is deep already (a training commune files its fictitious requests in one).
        Box::pin(crate::modules::payments::demands::create_demand(tx, commune, service, record)).await
    }

    /// The checks an action names are those of the petitions, whatever the kind of the service naming them.
    async fn check(
        &self,
        tx: &TenantTx,
        commune: &Commune,
        record: &RequestRecord,
        check: ActionCheck,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        match check {
            ActionCheck::FeesPaid => crate::modules::payments::demands::check_paid(tx, record).await,
            ActionCheck::PetitionAdmissibility => Petitions.check(tx, commune, record, check, now).await,
        }
    }

    async fn moved(
        &self,
        tx: &TenantTx,
        service: &PublishedService,
        request: RequestId,
        to: &str,
        outcome: Option<Outcome>,
    ) -> Result<(), Error> {
        match self {
            Kind::Standard => Ok(()),
            Kind::Complaint(settings) => Complaints(settings).moved(tx, service, request, to, outcome).await,
            Kind::CivilDocument(civil) => civil.moved(tx, service, request, to, outcome).await,
        }
    }

    async fn timer_due(
        &self,
        tx: &TenantTx,
        commune: &Commune,
        service: &PublishedService,
        record: RequestRecord,
        step: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, Error> {
        match self {
            Kind::Standard => Ok(false),
            Kind::Complaint(settings) => Complaints(settings).timer_due(tx, commune, service, record, step, now).await,
            Kind::CivilDocument(_) => Ok(false),
        }
    }
}
