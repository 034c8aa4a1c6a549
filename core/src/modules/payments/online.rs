//! Online payments, the use cases: a citizen starts paying what a request owes (`start_online_payment`: the
//! provider's page and the signed fields to post there); the provider's callback settles it
//! (`online_payment_callback`: believed only with its signature, its amount and currency those of the payment;
//! a duplicate records nothing new, a forgery is refused with `payment.callback_refused`); the day's statement
//! settles what the callback never told and lists the mismatches (`import_payment_statement`); refunds are
//! requested with their reason and approved by another member (`request_refund`, `decide_refund`). Each one
//! transaction with its audit event. The provider's reference is unique per commune: a payment is never
//! recorded twice. No card data is kept.

use chrono::{DateTime, NaiveDate, Utc};
use secrecy::SecretString;
use serde_json::json;
use uuid::Uuid;

use super::model::{Channel, DemandState, DemandStatus};
use super::online_store::{self as store, PaymentRow, RefundRow, StatementRow};
use super::provider::{
    self, Callback, CallbackError, HostedPage, MAD, Order, Outcome, PaymentProviders, Provider as _,
};
use super::reconcile::{
    self, IntentStatus, Mismatch, MismatchKind, OnlinePaymentSettings, PaymentState, Recorded, RefundStatus, Stated,
};
use super::service as counter;
use super::{demands, store as demand_store};
use crate::auth::{Permission, Principal};
use crate::error::{Error, FieldErrorCode};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::commune::Commune;
use crate::model::form::messages::{self, OnlinePaymentProblem};
use crate::model::i18n::Locale;
use crate::model::ids::{OnlinePaymentId, PaymentStatementId, RefundId};
use crate::model::settings::SettingsSection as _;
use crate::service::Jamaa;
use crate::store::{TenantScope, TenantTx, audit, config};

/// A payment started online, as staff and the citizen read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OnlinePaymentView {
    pub id: OnlinePaymentId,
    pub order_id: String,
    pub demand_id: Uuid,
    pub request_id: Uuid,
    pub amount: i64,
    pub currency: String,
    pub state: PaymentState,
    pub provider_reference: Option<String>,
    pub refusal_code: Option<String>,
    pub started_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub settled_at: Option<DateTime<Utc>>,
    /// `callback` or `statement`.
    pub settled_by: Option<String>,
}

/// Where to send the citizen's browser: a form posted to `action` with `fields`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OnlineCheckout {
    pub payment: OnlinePaymentView,
    pub action: String,
    pub fields: Vec<(String, String)>,
}

/// What the callback route answers the provider.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallbackAnswer {
    /// Taken into account (recorded now, or before for a duplicate): the acknowledgement body.
    Acknowledged(&'static str),
    /// Not believed (bad signature, unknown order, another amount): refused and audited.
    Refused,
}

/// An imported statement with the mismatches found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementView {
    pub id: PaymentStatementId,
    pub day: NaiveDate,
    pub lines: i32,
    pub mismatches: Vec<Mismatch>,
    pub imported_by: String,
    pub imported_at: DateTime<Utc>,
}

/// A callback of the provider that was refused (a forgery, another amount, an unknown order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefusedCallback {
    pub at: DateTime<Utc>,
    /// `signature`, `malformed:<field>`, `unknown_order`, `amount_differs`, `already_paid`, `reference_reused`.
    pub reason: String,
    /// The order the callback named, if any.
    pub order_id: Option<String>,
}

/// A refund of an online payment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefundView {
    pub id: RefundId,
    pub payment_id: OnlinePaymentId,
    pub amount: i64,
    pub reason: String,
    pub status: RefundStatus,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// The provider's kind as a payment names it.
pub const PROVIDER_KIND: &str = "hosted-page";

/// The longest refund reason.
pub const MAX_REASON: u32 = 1000;

/// The largest statement read (bytes).
pub const MAX_STATEMENT_BYTES: u32 = 2 * 1024 * 1024;

pub(crate) fn view(row: PaymentRow, now: DateTime<Utc>) -> OnlinePaymentView {
    OnlinePaymentView {
        id: OnlinePaymentId::from_uuid(row.id),
        order_id: row.order_id,
        demand_id: row.demand_id,
        request_id: row.request_id,
        amount: row.amount,
        currency: row.currency,
        state: PaymentState::of(row.status, row.expires_at, now),
        provider_reference: row.provider_reference,
        refusal_code: row.refusal_code,
        started_at: row.started_at,
        expires_at: row.expires_at,
        settled_at: row.settled_at,
        settled_by: row.settled_by,
    }
}

fn statement_view(row: StatementRow) -> Result<StatementView, Error> {
    Ok(StatementView {
        id: PaymentStatementId::from_uuid(row.id),
        day: row.day,
        lines: row.lines,
        mismatches: serde_json::from_str(&row.mismatches).map_err(Error::internal)?,
        imported_by: row.imported_by,
        imported_at: row.imported_at,
    })
}

fn refund_view(row: RefundRow) -> RefundView {
    RefundView {
        id: RefundId::from_uuid(row.id),
        payment_id: OnlinePaymentId::from_uuid(row.payment_id),
        amount: row.amount,
        reason: row.reason,
        status: row.status,
        requested_by: row.requested_by,
        requested_at: row.requested_at,
        decided_by: row.decided_by,
        decided_at: row.decided_at,
    }
}

fn problem(path: &str, problem: OnlinePaymentProblem) -> Error {
    Error::field(path, FieldErrorCode::InvalidValue, messages::online_payment_problem(problem))
}

/// The actor of what the provider does (callbacks): named by the commune's merchant id, never a secret.
fn provider_actor(merchant: &HostedPage) -> String {
    format!("provider:{}", merchant.client_id)
}

impl Jamaa {
    /// Sets the providers' accounts of the communes (from the server's settings).
    pub fn with_payment_providers(mut self, providers: PaymentProviders) -> Self {
        self.payment_providers = std::sync::Arc::new(providers);
        self
    }

    pub fn payment_providers(&self) -> &PaymentProviders {
        &self.payment_providers
    }

    /// Records a payment paid (by its callback or the statement): the intent settled, what the request owes
    /// paid, `payment.online_paid`. False when it was no longer pending (nothing done).
    async fn settle_paid(
        &self,
        tx: &TenantTx,
        commune: &Commune,
        row: &PaymentRow,
        reference: &str,
        settled_by: &str,
        actor: &str,
    ) -> Result<bool, Error> {
        // The commune's payments lock before the intent's row, as every settlement takes them: a provider's
        // callback and a statement settling several intents never hold one each while waiting for the other's.
        counter::lock(tx).await?;
        let now = self.now();
        if let Some(other) = store::payment_by_reference(tx, reference).await?
            && other.id != row.id
        {
            return Ok(false);
        }
        if !store::settle(tx, row.id, IntentStatus::Paid, Some(reference.to_owned()), None, settled_by, now).await? {
            return Ok(false);
        }
        let quittance = self.record_demand_paid(tx, commune, row, reference, actor, now).await?;
        audit::append(
            tx,
            NewEvent::new(
                actor,
                AuditKind::OnlinePaymentPaid,
                AuditSubject::OnlinePayment(OnlinePaymentId::from_uuid(row.id)),
                json!({
                    "order": row.order_id,
                    "demand": row.demand_id.to_string(),
                    "amount": row.amount,
                    "reference": reference,
                    "by": settled_by,
                    "quittance": quittance,
                }),
            ),
            now,
        )
        .await?;
        Ok(true)
    }

    /// Records the payment of an intent against its demand (channel `online`, the provider's reference, a
    /// quittance issued as for the counter), when the demand still owes exactly its amount; returns the
    /// quittance's number. A demand paid meanwhile (at the counter, or by another online payment) is left as it
    /// is: the money taken is then for a refund, and `payment.online_paid` says so (no quittance). The caller
    /// (`settle_paid`) holds the commune's payments lock.
    async fn record_demand_paid(
        &self,
        tx: &TenantTx,
        commune: &Commune,
        row: &PaymentRow,
        reference: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, Error> {
        let Some(demand) = demand_store::demand_by_id(tx, row.demand_id).await? else { return Ok(None) };
        let payments = demand_store::payments_of_demand(tx, demand.id).await?;
        let state = DemandState::new(demand, payments);
        if state.status == DemandStatus::Paid || state.outstanding != row.amount {
            return Ok(None);
        }
        let collection = counter::Collection {
            channel: Channel::Online,
            amount: row.amount,
            terminal_slip: None,
            provider: Some((PROVIDER_KIND.to_owned(), reference.to_owned())),
        };
        let (payment, _) = self.record_collected(tx, commune, &state, collection, actor, actor, now).await?;
        Ok(Some(payment.number_label()))
    }

    /// The citizen starts paying online what their request owes (its tracking code and secret, as on the
    /// tracking page): a payment of exactly the demand's outstanding amount, `payment.online_started`, and the
    /// form that sends the browser to the commune's provider. NOT_FOUND for a wrong secret; refused when the
    /// commune takes no online payment or nothing is owed.
    pub async fn start_online_payment(
        &self,
        tracking_code: &str,
        secret: &SecretString,
        lang: Locale,
    ) -> Result<OnlineCheckout, Error> {
        let (commune, tx, record) = self.tracked(tracking_code, secret).await?;
        let slug = commune.spec.slug.to_string();
        let merchant = self
            .payment_providers
            .merchants
            .get(&slug)
            .cloned()
            .ok_or_else(|| problem("trackingCode", OnlinePaymentProblem::NotConfigured))?;
        let config = config::get(&tx).await?;
        let settings = match OnlinePaymentSettings::from_settings(&config.settings) {
            Some(Ok(settings)) => settings,
            Some(Err(problem)) => return Err(Error::internal(format!("settings.onlinePayments: {problem}"))),
            None => return Err(problem("trackingCode", OnlinePaymentProblem::NotConfigured)),
        };
        let Some(state) = demands::demand_state_of_request(&tx, record.id.as_uuid()).await? else {
            return Err(problem("trackingCode", OnlinePaymentProblem::NothingOwed));
        };
        if state.status == DemandStatus::Paid || state.outstanding <= 0 {
            return Err(problem("trackingCode", OnlinePaymentProblem::NothingOwed));
        }
        if state.demand.currency.as_str() != "MAD" {
            return Err(problem("trackingCode", OnlinePaymentProblem::NotConfigured));
        }
        let now = self.now();
        let id = OnlinePaymentId::new();
        let order_id = id.as_uuid().simple().to_string();
        let row = PaymentRow {
            tenant_id: tx.tenant_uuid(),
            id: id.as_uuid(),
            order_id: order_id.clone(),
            demand_id: state.demand.id,
            request_id: state.demand.request,
            amount: state.outstanding,
            currency: MAD.to_owned(),
            status: IntentStatus::Pending,
            provider_reference: None,
            refusal_code: None,
            started_by: format!("applicant:{}", record.tracking_code),
            started_at: now,
            expires_at: now + chrono::Duration::minutes(i64::from(settings.intent_minutes)),
            settled_at: None,
            settled_by: None,
        };
        store::insert_payment(&tx, row.clone()).await?;
        audit::append(
            &tx,
            NewEvent::new(
                row.started_by.as_str(),
                AuditKind::OnlinePaymentStarted,
                AuditSubject::OnlinePayment(id),
                json!({ "order": order_id, "demand": row.demand_id.to_string(), "amount": row.amount }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        let order = Order {
            order_id: order_id.clone(),
            amount_centimes: row.amount,
            ok_url: self.payment_providers.return_url(&slug, &order_id),
            fail_url: self.payment_providers.return_url(&slug, &order_id),
            callback_url: self.payment_providers.callback_url(&slug),
            lang: match lang {
                Locale::Ar => "ar",
                Locale::En => "en",
                _ => "fr",
            }
            .to_owned(),
        };
        let nonce = hex::encode(rand::random::<[u8; 10]>());
        let checkout = merchant.checkout(&order, &nonce);
        Ok(OnlineCheckout { payment: view(row, now), action: checkout.action, fields: checkout.fields })
    }

    /// A refused callback's audit event, in its own transaction.
    async fn refuse_callback(
        &self,
        commune: &Commune,
        actor: &str,
        reason: &str,
        order: Option<&str>,
    ) -> Result<(), Error> {
        let tx = self.store.tenant_tx(TenantScope::new(commune.id)).await?;
        audit::append(
            &tx,
            NewEvent::new(
                actor,
                AuditKind::PaymentCallbackRefused,
                AuditSubject::PaymentCallbacks,
                json!({ "reason": reason, "order": order }),
            ),
            self.now(),
        )
        .await?;
        tx.commit().await
    }

    /// The provider's server-to-server callback for `commune` (its form fields as posted). Believed only with
    /// the merchant's signature, for a payment of the commune, of its amount in dirhams; then recorded once:
    /// a duplicate is acknowledged and records nothing new. A refused callback leaves `payment.callback_refused`
    /// (the reason, the order named) and nothing else.
    pub async fn online_payment_callback(
        &self,
        commune_slug: &str,
        fields: &[(String, String)],
    ) -> Result<CallbackAnswer, Error> {
        let commune = self.commune(commune_slug).await?;
        let Some(merchant) = self.payment_providers.merchants.get(commune_slug) else {
            return Err(Error::NotFound("payment provider"));
        };
        let actor = provider_actor(merchant);
        let named_order = fields.iter().find(|(k, _)| k == "oid").map(|(_, v)| v.as_str());
        let callback: Callback = match merchant.verify_callback(fields) {
            Ok(callback) => callback,
            Err(CallbackError::BadSignature) => {
                self.refuse_callback(&commune, &actor, "signature", named_order).await?;
                return Ok(CallbackAnswer::Refused);
            }
            Err(CallbackError::Malformed(field)) => {
                self.refuse_callback(&commune, &actor, &format!("malformed:{field}"), named_order).await?;
                return Ok(CallbackAnswer::Refused);
            }
        };
        let tx = self.store.tenant_tx(TenantScope::new(commune.id)).await?;
        let Some(row) = store::payment_by_order(&tx, &callback.order_id).await? else {
            drop(tx);
            self.refuse_callback(&commune, &actor, "unknown_order", Some(&callback.order_id)).await?;
            return Ok(CallbackAnswer::Refused);
        };
        if callback.amount_centimes != row.amount || callback.currency != row.currency {
            drop(tx);
            self.refuse_callback(&commune, &actor, "amount_differs", Some(&callback.order_id)).await?;
            return Ok(CallbackAnswer::Refused);
        }
        let ack = merchant.acknowledgement();
        if row.status != IntentStatus::Pending {
            // A duplicate (the same outcome told again), or an outcome after another: nothing new.
            if row.provider_reference.as_deref() != Some(callback.provider_reference.as_str())
                && row.status == IntentStatus::Paid
                && callback.outcome == Outcome::Approved
            {
                drop(tx);
                self.refuse_callback(&commune, &actor, "already_paid", Some(&callback.order_id)).await?;
                return Ok(CallbackAnswer::Refused);
            }
            return Ok(CallbackAnswer::Acknowledged(ack));
        }
        match callback.outcome {
            Outcome::Approved => {
                if !self.settle_paid(&tx, &commune, &row, &callback.provider_reference, "callback", &actor).await? {
                    drop(tx);
                    self.refuse_callback(&commune, &actor, "reference_reused", Some(&callback.order_id)).await?;
                    return Ok(CallbackAnswer::Refused);
                }
            }
            Outcome::Refused { code } => {
                let now = self.now();
                if store::settle(&tx, row.id, IntentStatus::Refused, None, Some(code.clone()), "callback", now).await? {
                    audit::append(
                        &tx,
                        NewEvent::new(
                            actor.as_str(),
                            AuditKind::OnlinePaymentRefused,
                            AuditSubject::OnlinePayment(OnlinePaymentId::from_uuid(row.id)),
                            json!({ "order": row.order_id, "code": code }),
                        ),
                        now,
                    )
                    .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(CallbackAnswer::Acknowledged(ack))
    }

    /// A payment by its order, for the browser's return page (the order id is unguessable, and the page shows
    /// only the state and the amount).
    pub async fn online_payment_by_order(&self, commune_slug: &str, order: &str) -> Result<OnlinePaymentView, Error> {
        let commune = self.commune(commune_slug).await?;
        let tx = self.store.tenant_tx(TenantScope::new(commune.id)).await?;
        let row = store::payment_by_order(&tx, order).await?.ok_or(Error::NotFound("online payment"))?;
        tx.commit().await?;
        Ok(view(row, self.now()))
    }

    /// The commune's payments started online, newest first (staff who reconcile them).
    pub async fn online_payments(
        &self,
        principal: &Principal,
        commune: &Commune,
        first: u64,
    ) -> Result<Vec<OnlinePaymentView>, Error> {
        let scope = principal.authorize(commune.id, Permission::ReconcilePayments)?;
        let tx = self.store.tenant_tx(scope).await?;
        let rows = store::payments(&tx, None, first.clamp(1, crate::service::MAX_PAGE_SIZE)).await?;
        tx.commit().await?;
        let now = self.now();
        Ok(rows.into_iter().map(|row| view(row, now)).collect())
    }

    /// Imports the provider's statement of `day` (CSV): an approved payment the commune has not recorded is
    /// recorded now (its callback never came) when its amount and currency are the payment's; every mismatch
    /// is listed and kept with the import. `payment.statement_imported`, and `payment.online_paid` for each
    /// payment it records.
    pub async fn import_payment_statement(
        &self,
        principal: &Principal,
        commune: &Commune,
        day: NaiveDate,
        csv: &str,
    ) -> Result<StatementView, Error> {
        let scope = principal.authorize(commune.id, Permission::ReconcilePayments)?;
        if csv.len() > MAX_STATEMENT_BYTES as usize {
            return Err(Error::field(
                "csv",
                FieldErrorCode::TooLong,
                messages::too_long(MAX_STATEMENT_BYTES, messages::LengthUnit::Characters),
            ));
        }
        let lines = provider::parse_statement(csv).map_err(|e| {
            Error::field("csv", FieldErrorCode::InvalidValue, messages::statement_cell(e.line, e.column))
        })?;
        let tx = self.store.tenant_tx(scope).await?;
        let from = day.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).ok_or_else(|| Error::internal("midnight"))?;
        let to = from + chrono::Duration::days(1);
        let orders: Vec<String> = lines.iter().map(|l| l.order_id.clone()).collect();
        let rows = store::payments_for_statement(&tx, &orders, from, to).await?;
        let recorded: Vec<Recorded> = rows
            .iter()
            .map(|r| Recorded {
                order_id: r.order_id.clone(),
                amount_centimes: r.amount,
                status: r.status,
                provider_reference: r.provider_reference.clone(),
                settled_that_day: r.settled_at.is_some_and(|t| t >= from && t < to),
            })
            .collect();
        let stated: Vec<Stated> = lines
            .iter()
            .map(|l| Stated {
                order_id: l.order_id.clone(),
                provider_reference: l.provider_reference.clone(),
                amount_centimes: l.amount_centimes,
                currency: l.currency.clone(),
                approved: l.approved,
            })
            .collect();
        let mut mismatches = reconcile::reconcile(&stated, &recorded, MAD);
        let actor = principal.actor();
        for mismatch in mismatches.iter_mut().filter(|m| m.kind == MismatchKind::PaidNotRecorded) {
            let row = rows.iter().find(|r| r.order_id == mismatch.order_id);
            let reference = mismatch.provider_reference.clone().unwrap_or_default();
            mismatch.settled = match row {
                Some(row) => self.settle_paid(&tx, commune, row, &reference, "statement", &actor).await?,
                None => false,
            };
        }
        let now = self.now();
        let id = PaymentStatementId::new();
        let row = StatementRow {
            tenant_id: tx.tenant_uuid(),
            id: id.as_uuid(),
            day,
            lines: i32::try_from(lines.len()).map_err(Error::internal)?,
            mismatches: serde_json::to_string(&mismatches).map_err(Error::internal)?,
            imported_by: actor.clone(),
            imported_at: now,
        };
        store::insert_statement(&tx, row.clone()).await?;
        audit::append(
            &tx,
            NewEvent::new(
                actor,
                AuditKind::PaymentStatementImported,
                AuditSubject::PaymentStatement(id),
                json!({
                    "day": day.to_string(),
                    "lines": lines.len(),
                    "mismatches": mismatches.len(),
                    "settled": mismatches.iter().filter(|m| m.settled).count(),
                }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        statement_view(row)
    }

    /// The statements imported, newest first, of one day when named.
    pub async fn payment_statements(
        &self,
        principal: &Principal,
        commune: &Commune,
        day: Option<NaiveDate>,
    ) -> Result<Vec<StatementView>, Error> {
        let scope = principal.authorize(commune.id, Permission::ReconcilePayments)?;
        let tx = self.store.tenant_tx(scope).await?;
        let rows = store::statements(&tx, day).await?;
        tx.commit().await?;
        rows.into_iter().map(statement_view).collect()
    }

    /// Requests the refund of part or all of a paid online payment, with its reason, never beyond what earlier
    /// refunds (requested or approved) left; `payment.refund_requested`. Another member approves it.
    pub async fn request_refund(
        &self,
        principal: &Principal,
        commune: &Commune,
        payment: OnlinePaymentId,
        amount: i64,
        reason: &str,
    ) -> Result<RefundView, Error> {
        let scope = principal.authorize(commune.id, Permission::ReconcilePayments)?;
        let reason = reason.trim();
        let mut errors = Vec::new();
        if reason.is_empty() {
            errors.push(crate::error::FieldError::new("reason", FieldErrorCode::Required, messages::required()));
        } else if reason.chars().count() > MAX_REASON as usize {
            errors.push(crate::error::FieldError::new(
                "reason",
                FieldErrorCode::TooLong,
                messages::too_long(MAX_REASON, messages::LengthUnit::Characters),
            ));
        }
        if amount <= 0 {
            errors.push(crate::error::FieldError::new(
                "amount",
                FieldErrorCode::OutOfRange,
                messages::entry_problem(messages::EntryProblem::AmountNotPositive),
            ));
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let tx = self.store.tenant_tx(scope).await?;
        let row = store::payment_by_id(&tx, payment.as_uuid()).await?.ok_or(Error::NotFound("online payment"))?;
        if row.status != IntentStatus::Paid {
            return Err(problem("payment", OnlinePaymentProblem::NotPaid));
        }
        let earlier = store::refunds(&tx, Some(row.id)).await?;
        let left = reconcile::refundable(
            row.amount,
            earlier.iter().filter(|r| r.status != RefundStatus::Rejected).map(|r| r.amount),
        );
        if amount > left {
            return Err(problem("amount", OnlinePaymentProblem::BeyondPaid));
        }
        let now = self.now();
        let id = RefundId::new();
        let refund = RefundRow {
            tenant_id: tx.tenant_uuid(),
            id: id.as_uuid(),
            payment_id: row.id,
            amount,
            reason: reason.to_owned(),
            status: RefundStatus::Requested,
            requested_by: principal.actor(),
            requested_at: now,
            decided_by: None,
            decided_at: None,
        };
        store::insert_refund(&tx, refund.clone()).await?;
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::RefundRequested,
                AuditSubject::Refund(id),
                json!({ "payment": row.id.to_string(), "order": row.order_id, "amount": amount }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(refund_view(refund))
    }

    /// Approves or rejects a requested refund, never by the member who requested it;
    /// `payment.refund_approved` or `payment.refund_rejected`.
    pub async fn decide_refund(
        &self,
        principal: &Principal,
        commune: &Commune,
        refund: RefundId,
        approve: bool,
    ) -> Result<RefundView, Error> {
        let scope = principal.authorize(commune.id, Permission::ApproveRefunds)?;
        let tx = self.store.tenant_tx(scope).await?;
        let row = store::refunds(&tx, None)
            .await?
            .into_iter()
            .find(|r| r.id == refund.as_uuid())
            .ok_or(Error::NotFound("refund"))?;
        if row.status != RefundStatus::Requested {
            return Err(problem("refund", OnlinePaymentProblem::AlreadyDecided));
        }
        if row.requested_by == principal.actor() {
            return Err(problem("refund", OnlinePaymentProblem::SameMember));
        }
        let now = self.now();
        let status = if approve { RefundStatus::Approved } else { RefundStatus::Rejected };
        if !store::decide_refund(&tx, row.id, status, &principal.actor(), now).await? {
            return Err(problem("refund", OnlinePaymentProblem::AlreadyDecided));
        }
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                if approve { AuditKind::RefundApproved } else { AuditKind::RefundRejected },
                AuditSubject::Refund(refund),
                json!({ "payment": row.payment_id.to_string(), "amount": row.amount }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(RefundView { status, decided_by: Some(principal.actor()), decided_at: Some(now), ..refund_view(row) })
    }

    /// The provider's callbacks refused, newest first (at most `first`): what the controller watches for
    /// forgeries.
    pub async fn refused_payment_callbacks(
        &self,
        principal: &Principal,
        commune: &Commune,
        first: u64,
    ) -> Result<Vec<RefusedCallback>, Error> {
        let scope = principal.authorize(commune.id, Permission::ReconcilePayments)?;
        let tx = self.store.tenant_tx(scope).await?;
        let subject = AuditSubject::PaymentCallbacks.to_string();
        let rows = audit::latest_about(&tx, &subject, first.clamp(1, crate::service::MAX_PAGE_SIZE)).await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let payload: serde_json::Value = serde_json::from_str(&row.payload).unwrap_or_default();
                RefusedCallback {
                    at: row.occurred_at,
                    reason: payload["reason"].as_str().unwrap_or_default().to_owned(),
                    order_id: payload["order"].as_str().map(str::to_owned),
                }
            })
            .collect())
    }

    /// The commune's refunds, oldest first.
    pub async fn refunds(&self, principal: &Principal, commune: &Commune) -> Result<Vec<RefundView>, Error> {
        let scope = match principal.authorize(commune.id, Permission::ReconcilePayments) {
            Ok(scope) => scope,
            Err(_) => principal.authorize(commune.id, Permission::ApproveRefunds)?,
        };
        let tx = self.store.tenant_tx(scope).await?;
        let rows = store::refunds(&tx, None).await?;
        tx.commit().await?;
        Ok(rows.into_iter().map(refund_view).collect())
    }
}
