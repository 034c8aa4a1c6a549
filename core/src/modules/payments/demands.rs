//! What the lifecycle of a request asks of its fees, in the request's transaction: the demand created at
//! submission, the check of an action that waits for payment, and the demand's state its tracking shows.
//! Called by `service::procedures` and `service::requests`; calls nothing of `service`.

use uuid::Uuid;

use crate::error::{Error, FieldErrorCode};
use crate::model::commune::Commune;
use crate::model::form::messages::{self, PaymentProblem};
use crate::modules::payments::model::{self, Demand, DemandState, DemandStatus};
use crate::modules::payments::store;
use crate::store::TenantTx;
use crate::store::catalog::PublishedService;
use crate::store::requests::RequestRecord;

/// Creates the demand of a request whose procedure has fees, in the submission's transaction (nothing when
/// none is owed). A fee without basis or in another currency never reaches here: publishing refuses it.
pub(crate) async fn create_demand(
    tx: &TenantTx,
    commune: &Commune,
    service: &PublishedService,
    record: &RequestRecord,
) -> Result<(), Error> {
    let definition = &service.definition;
    let lines = model::demand_lines(&definition.fees, commune.spec.currency.as_str()).map_err(Error::Validation)?;
    if lines.is_empty() {
        return Ok(());
    }
    let demand = Demand {
        id: Uuid::now_v7(),
        request: record.id.as_uuid(),
        tracking_code: record.tracking_code.to_string(),
        service_code: definition.code.clone(),
        currency: commune.spec.currency.clone(),
        total: lines.iter().map(|l| l.amount).sum(),
        lines,
        created_at: record.submitted_at,
    };
    store::insert_demand(tx, &demand).await
}

/// The check of an action that waits for payment (`"check": "fees_paid"`): refused while the request's
/// demand has something outstanding; a request that owes nothing passes.
pub(crate) async fn check_paid(tx: &TenantTx, record: &RequestRecord) -> Result<(), Error> {
    let Some(demand) = store::demand_of_request(tx, record.id.as_uuid()).await? else { return Ok(()) };
    let payments = store::payments_of_demand(tx, demand.id).await?;
    if DemandState::new(demand, payments).status == DemandStatus::Paid {
        Ok(())
    } else {
        Err(Error::field("action", FieldErrorCode::RuleNotMet, messages::payment_problem(PaymentProblem::NotPaid)))
    }
}

/// The state of the demand of a request, when it has one (for its tracking page).
pub(crate) async fn demand_state_of_request(tx: &TenantTx, request: Uuid) -> Result<Option<DemandState>, Error> {
    let Some(demand) = store::demand_of_request(tx, request).await? else { return Ok(None) };
    let payments = store::payments_of_demand(tx, demand.id).await?;
    Ok(Some(DemandState::new(demand, payments)))
}
