//! The use cases of fees owed and paid, each one transaction with its audit event: the demand a request gets
//! at submission (in the submission's transaction, through the procedures' hook), a counter payment with its
//! quittance (a verifiable document), its cancellation by a counter-entry, the day's report of an agent, a
//! quittance read back for printing, and the fees collected per procedure and month (public aggregates).
//!
//! Every write first takes the commune's payment counter (`payments:lock`), which serialises them: the check
//! of what a demand has outstanding always sees the payments before it. The unique indexes of m0036 (a
//! demand's payment rank, a cancellation's payment, a provider's reference) hold even if a writer did not.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use uuid::Uuid;

use crate::auth::{Permission, Principal};
use crate::error::{Error, FieldErrorCode};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::commune::Commune;
use crate::model::form::messages;
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::ids::PaymentId;
use crate::model::verification::VerificationCode;
use crate::modules::finance::model::parse_centimes;
use crate::modules::payments::model::{
    self, Channel, CounterPayment, DayReport, DemandState, MonthRevenue, Payment, PaymentKind,
};
use crate::modules::payments::store;
use crate::service::Jamaa;
use crate::service::documents::{self, IssuedDocument, NewDocument};
use crate::store::requests;
use crate::store::{TenantTx, audit};

/// The kind of an issued quittance.
pub const QUITTANCE_KIND: &str = "payment.quittance";
/// The kind of an issued notice of cancellation.
pub const CANCELLATION_KIND: &str = "payment.cancellation";

/// A payment the counter agent records, against the demand of the request with this tracking code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CounterPaymentInput {
    pub tracking_code: String,
    pub channel: Channel,
    /// As typed: units with at most two decimals (`2.00`).
    pub amount: String,
    pub currency: String,
    pub terminal_slip: Option<String>,
}

/// A payment (or a cancellation) just recorded, its demand's state after it, and its document.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedPayment {
    pub payment: Payment,
    pub state: DemandState,
    pub document: IssuedDocument,
}

/// Takes the commune's payment counter: the writers of payments wait for each other.
pub(crate) async fn lock(tx: &TenantTx) -> Result<(), Error> {
    requests::next_in_sequence(tx, "payments:lock").await.map(drop)
}

/// How a printed document names the member who recorded it: their account's name, else (an API token) how the
/// audit trail names the caller.
async fn agent_name(tx: &TenantTx, principal: &Principal) -> Result<String, Error> {
    if let Principal::User { user, .. } = principal
        && let Some(account) = crate::store::users::by_id(tx.conn(), *user).await?
    {
        return Ok(account.display_name);
    }
    Ok(principal.actor())
}

fn normalize_tracking(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}

async fn state_by_tracking(tx: &TenantTx, tracking_code: &str) -> Result<DemandState, Error> {
    let demand = store::demand_by_tracking(tx, &normalize_tracking(tracking_code))
        .await?
        .ok_or(Error::NotFound("payment demand"))?;
    let payments = store::payments_of_demand(tx, demand.id).await?;
    Ok(DemandState::new(demand, payments))
}

pub(crate) fn title(kind: PaymentKind) -> LocalizedText {
    match kind {
        PaymentKind::Payment => LocalizedText::ar_fr("وصل أداء", "Quittance")
            .with(Locale::En, "Receipt of payment")
            .with(Locale::Tzm, "ⵜⴰⵙⵖⴰⵔⵜ ⵏ ⵓⴼⵔⴰ"),
        PaymentKind::Cancellation => LocalizedText::ar_fr("إلغاء أداء", "Annulation de paiement")
            .with(Locale::En, "Cancellation of a payment")
            .with(Locale::Tzm, "ⴰⵙⵔⵎ ⵏ ⵓⴼⵔⴰ"),
    }
}

impl Jamaa {
    fn local_day(&self, commune: &Commune, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&commune.time_zone()).date_naive()
    }

    /// The demand of a request, found by the tracking code of its receipt, with its payments: the counter
    /// agent (`collect_payments`). NOT_FOUND when the request owes nothing or is another commune's.
    pub async fn payment_demand(
        &self,
        principal: &Principal,
        commune: &Commune,
        tracking_code: &str,
    ) -> Result<DemandState, Error> {
        let scope = principal.authorize(commune.id, Permission::CollectPayments)?;
        let tx = self.store.tenant_tx(scope).await?;
        let state = state_by_tracking(&tx, tracking_code).await?;
        tx.commit().await?;
        Ok(state)
    }

    /// Records a cash or card payment against a request's demand: exactly what it has outstanding, in its
    /// currency, a terminal slip number only for a card and never a card number; numbered `QR-<year>-n` per
    /// commune and year without gaps, with its quittance issued as a verifiable document and
    /// `payment.recorded`, in one transaction.
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug))]
    pub async fn record_counter_payment(
        &self,
        principal: &Principal,
        commune: &Commune,
        input: CounterPaymentInput,
    ) -> Result<RecordedPayment, Error> {
        let scope = principal.authorize(commune.id, Permission::CollectPayments)?;
        let amount = parse_centimes(&input.amount).map_err(|_| {
            Error::field(
                "input.amount",
                FieldErrorCode::InvalidValue,
                messages::invalid_value(messages::InvalidReason::TooManyDecimals),
            )
        })?;
        let tx = self.store.tenant_tx(scope).await?;
        lock(&tx).await?;
        let state = state_by_tracking(&tx, &input.tracking_code).await?;
        let slip = input.terminal_slip.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let counter = CounterPayment {
            channel: input.channel,
            amount,
            currency: input.currency.trim().to_ascii_uppercase(),
            terminal_slip: slip.clone(),
        };
        let errors = model::check_counter_payment(&state, &counter);
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let agent = agent_name(&tx, principal).await?;
        let collection = Collection { channel: counter.channel, amount, terminal_slip: slip, provider: None };
        let (payment, document) =
            self.record_collected(&tx, commune, &state, collection, &principal.actor(), &agent, self.now()).await?;
        tx.commit().await?;
        let mut payments = state.payments;
        payments.push(payment.clone());
        Ok(RecordedPayment { payment, state: DemandState::new(state.demand, payments), document })
    }

    /// Records a payment collected against `state`'s demand, in the caller's transaction, the same for the
    /// counter and for a payment online: numbered `QR-<year>-n` in the commune's year of `now`, its quittance
    /// (signed by `agent`) issued as a verifiable document, stored with the quittance's code, and
    /// `payment.collected` recorded by `actor`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn record_collected(
        &self,
        tx: &TenantTx,
        commune: &Commune,
        state: &DemandState,
        collection: Collection,
        actor: &str,
        agent: &str,
        now: DateTime<Utc>,
    ) -> Result<(Payment, IssuedDocument), Error> {
        let day = self.local_day(commune, now);
        let year = day.year();
        let number = requests::next_in_sequence(tx, &PaymentKind::Payment.counter_name(year)).await?;
        let (provider, provider_ref) = collection.provider.unzip();
        let mut payment = Payment {
            id: Uuid::now_v7(),
            demand: state.demand.id,
            request: state.demand.request,
            kind: PaymentKind::Payment,
            cancels: None,
            rank: state.next_rank(),
            channel: collection.channel,
            amount: collection.amount,
            currency: state.demand.currency.clone(),
            year,
            number,
            day,
            terminal_slip: collection.terminal_slip,
            provider,
            provider_ref,
            document_code: None,
            reason: None,
            recorded_by: actor.to_owned(),
            recorded_at: now,
        };
        let text = model::quittance_text(&commune.spec.name, &state.demand, &payment, agent);
        let new = payment_document(&payment, text, None);
        let document = documents::issue(tx, &self.press(), commune, new, actor, now).await?;
        payment.document_code = Some(document.code.to_string());
        store::insert_payment(tx, &payment).await?;
        audit::append(
            tx,
            NewEvent::new(
                actor,
                AuditKind::PaymentCollected,
                AuditSubject::Payment(PaymentId::from_uuid(payment.id)),
                serde_json::json!({
                    "number": payment.number_label(),
                    "trackingCode": state.demand.tracking_code,
                    "channel": payment.channel.as_str(),
                    "amount": payment.amount,
                    "currency": payment.currency,
                    "code": payment.document_code,
                }),
            ),
            now,
        )
        .await?;
        Ok((payment, document))
    }

    /// Cancels a payment by a counter-entry with its reason (`AN-<year>-n`, its notice issued as a verifiable
    /// document), never by deletion: the revenue officer (`manage_revenue`). The demand is owed again.
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug))]
    pub async fn cancel_payment(
        &self,
        principal: &Principal,
        commune: &Commune,
        payment: Uuid,
        reason: &str,
    ) -> Result<RecordedPayment, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageRevenue)?;
        let tx = self.store.tenant_tx(scope).await?;
        lock(&tx).await?;
        let cancelled = store::payment_by_id(&tx, payment).await?.ok_or(Error::NotFound("payment"))?;
        let demand = store::demand_by_id(&tx, cancelled.demand).await?.ok_or(Error::NotFound("payment demand"))?;
        let state = DemandState::new(demand, store::payments_of_demand(&tx, cancelled.demand).await?);
        let errors = model::check_cancellation(&state, &cancelled, reason);
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let now = self.now();
        let day = self.local_day(commune, now);
        let year = day.year();
        let number = requests::next_in_sequence(&tx, &PaymentKind::Cancellation.counter_name(year)).await?;
        let mut cancellation = Payment {
            id: Uuid::now_v7(),
            kind: PaymentKind::Cancellation,
            cancels: Some(cancelled.id),
            year,
            number,
            day,
            terminal_slip: None,
            provider: None,
            provider_ref: None,
            document_code: None,
            reason: Some(reason.trim().to_owned()),
            recorded_by: principal.actor(),
            recorded_at: now,
            ..cancelled.clone()
        };
        let agent = agent_name(&tx, principal).await?;
        let text = model::cancellation_text(&commune.spec.name, &state.demand, &cancelled, &cancellation, &agent);
        // The notice withdraws the quittance: verifying the quittance's code then says it was cancelled.
        let withdraws = cancelled.document_code.as_deref().and_then(|code| VerificationCode::parse(code).ok());
        let new = payment_document(&cancellation, text, withdraws);
        let document = documents::issue(&tx, &self.press(), commune, new, &principal.actor(), now).await?;
        cancellation.document_code = Some(document.code.to_string());
        store::insert_payment(&tx, &cancellation).await?;
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::PaymentCancelled,
                AuditSubject::Payment(PaymentId::from_uuid(cancellation.id)),
                serde_json::json!({
                    "number": cancellation.number_label(),
                    "cancels": cancelled.number_label(),
                    "trackingCode": state.demand.tracking_code,
                    "amount": cancellation.amount,
                    "currency": cancellation.currency,
                    "code": cancellation.document_code,
                }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        let mut payments = state.payments;
        payments.push(cancellation.clone());
        Ok(RecordedPayment { payment: cancellation, state: DemandState::new(state.demand, payments), document })
    }

    /// The day's report of an agent (the commune's today by default): the caller's own with
    /// `collect_payments`, any agent's with `manage_revenue`.
    pub async fn payments_day_report(
        &self,
        principal: &Principal,
        commune: &Commune,
        day: Option<NaiveDate>,
        agent: Option<&str>,
    ) -> Result<DayReport, Error> {
        let me = principal.actor();
        let agent = agent.map(str::trim).filter(|a| !a.is_empty()).unwrap_or(&me).to_owned();
        let scope = if agent == me {
            principal.authorize(commune.id, Permission::CollectPayments)?
        } else {
            principal.authorize(commune.id, Permission::ManageRevenue)?
        };
        let day = day.unwrap_or_else(|| self.local_day(commune, self.now()));
        let tx = self.store.tenant_tx(scope).await?;
        let payments = store::payments(&tx, Some(day)).await?;
        let mut cancelled = Vec::new();
        for payment in payments.iter().filter_map(|p| p.cancels) {
            if let Some(original) = store::payment_by_id(&tx, payment).await? {
                cancelled.push(original);
            }
        }
        tx.commit().await?;
        let channel_of = |id: Uuid| cancelled.iter().find(|p| p.id == id).map(|p| p.channel);
        Ok(model::day_report(day, &agent, &commune.spec.currency, &payments, channel_of))
    }

    /// A quittance or cancellation notice read back for printing, by the payment's id: staff who collect.
    pub async fn payment_document(
        &self,
        principal: &Principal,
        commune: &Commune,
        payment: Uuid,
    ) -> Result<IssuedDocument, Error> {
        let scope = principal.authorize(commune.id, Permission::CollectPayments)?;
        let tx = self.store.tenant_tx(scope).await?;
        let payment = store::payment_by_id(&tx, payment).await?.ok_or(Error::NotFound("payment"))?;
        let code = payment.document_code.as_deref().ok_or(Error::NotFound("document"))?;
        let code = VerificationCode::parse(code).map_err(Error::internal)?;
        let record = crate::store::documents::by_code(&tx, &code).await?.ok_or(Error::NotFound("document"))?;
        let text = documents::open(&tx, &self.keyring, &record).await?;
        tx.commit().await?;
        Ok(IssuedDocument::from_record(record, text))
    }

    /// The fees collected per procedure and month (of one year, or all), net of cancellations: public open
    /// data, aggregates only (no payer, no request).
    pub async fn collected_fees(&self, commune: &Commune, year: Option<i32>) -> Result<Vec<MonthRevenue>, Error> {
        let scope = Principal::Anonymous.authorize(commune.id, Permission::ReadCatalog)?;
        let tx = self.store.tenant_tx(scope).await?;
        let payments = store::payments(&tx, None).await?;
        let demands = store::demands(&tx).await?;
        tx.commit().await?;
        let payments: Vec<Payment> = payments.into_iter().filter(|p| year.is_none_or(|y| p.day.year() == y)).collect();
        let service_of = |id: Uuid| demands.iter().find(|d| d.id == id).map(|d| d.service_code.clone());
        Ok(model::revenue_by_month(&payments, service_of))
    }
}

/// The document of a payment (its quittance) or of a cancellation (its notice, which withdraws the quittance).
fn payment_document(payment: &Payment, text: String, withdraws: Option<VerificationCode>) -> NewDocument {
    let kind = match payment.kind {
        PaymentKind::Payment => QUITTANCE_KIND,
        PaymentKind::Cancellation => CANCELLATION_KIND,
    };
    NewDocument {
        kind: kind.to_owned(),
        subject: format!("payment:{}", payment.id),
        title: title(payment.kind),
        text,
        withdraws,
    }
}

/// How a payment was collected: what the counter and a provider online record differently.
pub(crate) struct Collection {
    pub channel: Channel,
    /// Centimes: what the demand has outstanding.
    pub amount: i64,
    /// The card terminal's slip number (a card at the counter).
    pub terminal_slip: Option<String>,
    /// The online provider and its reference of the payment.
    pub provider: Option<(String, String)>,
}
