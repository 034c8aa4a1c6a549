//! Online payments over GraphQL: the payments started through the commune's provider, the provider's daily
//! statements imported for reconciliation (with their mismatches), and refunds requested and approved by
//! another member. Amounts are exact decimal strings in dirhams (`20.00`). The provider's callback and the
//! browser's return are plain HTTP routes (`payments.rs`), not GraphQL.

use async_graphql::{Context, Enum, ID, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use jamaa_core::model::ids::{OnlinePaymentId, RefundId};
use jamaa_core::modules::finance::model::format_centimes;
use jamaa_core::modules::payments::reconcile::{Mismatch, MismatchKind, PaymentState};
use jamaa_core::service::{OnlinePaymentView, RefundView, StatementView};

use secrecy::SecretString;

use super::call::{Call, InCommune, InLang, amount_at, subject_id};

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jamaa_core::modules::payments::reconcile::PaymentState")]
pub enum OnlinePaymentState {
    Pending,
    Paid,
    Refused,
    /// Pending past its time: a late approved callback or the day's statement still records it.
    Expired,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jamaa_core::modules::payments::reconcile::MismatchKind")]
pub enum PaymentMismatchKind {
    /// Approved at the provider, not recorded: the import recorded it when its amount was right.
    PaidNotRecorded,
    /// Recorded as paid that day, absent from the statement.
    RecordedNotStated,
    /// The statement's amount or currency is not the payment's.
    AmountDiffers,
    /// An order the commune never started.
    UnknownOrder,
}

/// A payment started online through the commune's provider.
#[derive(SimpleObject)]
pub struct OnlinePayment {
    pub id: ID,
    /// The order's id at the provider.
    pub order_id: String,
    pub demand_id: ID,
    pub request_id: ID,
    pub amount: String,
    /// ISO 4217 numeric (`504`, the dirham).
    pub currency: String,
    pub state: OnlinePaymentState,
    /// The provider's transaction reference, once paid.
    pub provider_reference: Option<String>,
    /// The provider's return code of a refused payment.
    pub refusal_code: Option<String>,
    pub started_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub settled_at: Option<DateTime<Utc>>,
    /// `callback` or `statement`.
    pub settled_by: Option<String>,
}

/// A field of the form posted to the provider's page.
#[derive(SimpleObject)]
pub struct CheckoutField {
    pub name: String,
    pub value: String,
}

/// A payment started: the form that sends the citizen's browser to the commune's provider (post `fields` to
/// `action`), and the payment.
#[derive(SimpleObject)]
pub struct OnlineCheckout {
    pub payment: OnlinePayment,
    pub action: String,
    pub fields: Vec<CheckoutField>,
}

/// A difference between a provider's statement and the commune's records.
#[derive(SimpleObject)]
pub struct PaymentMismatch {
    pub kind: PaymentMismatchKind,
    pub order_id: String,
    pub provider_reference: Option<String>,
    pub recorded_amount: Option<String>,
    pub stated_amount: Option<String>,
    /// Whether the import recorded the payment.
    pub settled: bool,
}

/// A provider's statement of a day, imported.
#[derive(SimpleObject)]
pub struct PaymentStatement {
    pub id: ID,
    pub day: NaiveDate,
    pub lines: i32,
    pub mismatches: Vec<PaymentMismatch>,
    pub imported_by: String,
    pub imported_at: DateTime<Utc>,
}

/// A callback of the provider that was refused, and why.
#[derive(SimpleObject)]
pub struct RefusedPaymentCallback {
    pub at: DateTime<Utc>,
    /// `signature`, `malformed:<field>`, `unknown_order`, `amount_differs`, `already_paid`, `reference_reused`.
    pub reason: String,
    pub order_id: Option<String>,
}

/// A refund of an online payment.
#[derive(SimpleObject)]
pub struct PaymentRefund {
    pub id: ID,
    pub payment_id: ID,
    pub amount: String,
    pub reason: String,
    /// `requested`, `approved`, `rejected`.
    pub status: String,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

pub(crate) fn payment(p: OnlinePaymentView) -> OnlinePayment {
    OnlinePayment {
        id: ID(p.id.to_string()),
        order_id: p.order_id,
        demand_id: ID(p.demand_id.to_string()),
        request_id: ID(p.request_id.to_string()),
        amount: format_centimes(p.amount),
        currency: p.currency,
        state: OnlinePaymentState::from(p.state),
        provider_reference: p.provider_reference,
        refusal_code: p.refusal_code,
        started_at: p.started_at,
        expires_at: p.expires_at,
        settled_at: p.settled_at,
        settled_by: p.settled_by,
    }
}

fn mismatch(m: Mismatch) -> PaymentMismatch {
    PaymentMismatch {
        kind: PaymentMismatchKind::from(m.kind),
        order_id: m.order_id,
        provider_reference: m.provider_reference,
        recorded_amount: m.recorded_amount.map(format_centimes),
        stated_amount: m.stated_amount.map(format_centimes),
        settled: m.settled,
    }
}

fn statement(s: StatementView) -> PaymentStatement {
    PaymentStatement {
        id: ID(s.id.to_string()),
        day: s.day,
        lines: s.lines,
        mismatches: s.mismatches.into_iter().map(mismatch).collect(),
        imported_by: s.imported_by,
        imported_at: s.imported_at,
    }
}

fn refund(r: RefundView) -> PaymentRefund {
    PaymentRefund {
        id: ID(r.id.to_string()),
        payment_id: ID(r.payment_id.to_string()),
        amount: format_centimes(r.amount),
        reason: r.reason,
        status: r.status.as_str().to_owned(),
        requested_by: r.requested_by,
        requested_at: r.requested_at,
        decided_by: r.decided_by,
        decided_at: r.decided_at,
    }
}

// The remote enums are checked to cover core's: a new state or kind there fails the build here.
const _: fn(PaymentState, MismatchKind) = |_, _| {};

#[derive(Default)]
pub struct OnlinePaymentsQuery;

#[Object]
impl OnlinePaymentsQuery {
    /// The commune's payments started online, newest first (ReconcilePayments).
    async fn online_payments(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        #[graphql(default = 50)] first: u64,
    ) -> Result<Vec<OnlinePayment>> {
        let call = InCommune::new(ctx, commune, None).await?;
        let items = call.jamaa.online_payments(call.principal, &call.commune, first).await.in_lang(&call)?;
        Ok(items.into_iter().map(payment).collect())
    }

    /// The provider's statements imported, newest first, of one day when named (ReconcilePayments).
    async fn payment_statements(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        day: Option<NaiveDate>,
    ) -> Result<Vec<PaymentStatement>> {
        let call = InCommune::new(ctx, commune, None).await?;
        let items = call.jamaa.payment_statements(call.principal, &call.commune, day).await.in_lang(&call)?;
        Ok(items.into_iter().map(statement).collect())
    }

    /// The provider's callbacks refused (forged, another amount, an unknown order), newest first
    /// (ReconcilePayments).
    async fn refused_payment_callbacks(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        #[graphql(default = 50)] first: u64,
    ) -> Result<Vec<RefusedPaymentCallback>> {
        let call = InCommune::new(ctx, commune, None).await?;
        let items = call.jamaa.refused_payment_callbacks(call.principal, &call.commune, first).await.in_lang(&call)?;
        Ok(items
            .into_iter()
            .map(|c| RefusedPaymentCallback { at: c.at, reason: c.reason, order_id: c.order_id })
            .collect())
    }

    /// The commune's refunds, oldest first (ReconcilePayments or ApproveRefunds).
    async fn payment_refunds(&self, ctx: &Context<'_>, commune: Option<String>) -> Result<Vec<PaymentRefund>> {
        let call = InCommune::new(ctx, commune, None).await?;
        let items = call.jamaa.refunds(call.principal, &call.commune).await.in_lang(&call)?;
        Ok(items.into_iter().map(refund).collect())
    }
}

#[derive(Default)]
pub struct OnlinePaymentsMutation;

#[Object]
impl OnlinePaymentsMutation {
    /// The citizen starts paying online what their request owes (its tracking code and secret, as to track
    /// it): exactly the outstanding amount, through the commune's provider. Post `fields` to `action`; the
    /// browser comes back to the payment's return page. NOT_FOUND for a wrong secret.
    async fn start_online_payment(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        tracking_code: String,
        secret: String,
        locale: Option<String>,
    ) -> Result<OnlineCheckout> {
        let call = Call::with_locale(ctx, locale)?;
        let checkout = call
            .jamaa
            .start_online_payment(&tracking_code, &SecretString::from(secret), call.locale())
            .await
            .in_lang(&call)?;
        Ok(OnlineCheckout {
            payment: payment(checkout.payment),
            action: checkout.action,
            fields: checkout.fields.into_iter().map(|(name, value)| CheckoutField { name, value }).collect(),
        })
    }

    /// Imports the provider's statement of a day (its CSV export): records the approved payments whose callback
    /// never came and lists the mismatches (ReconcilePayments).
    async fn import_payment_statement(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        day: NaiveDate,
        csv: String,
    ) -> Result<PaymentStatement> {
        let call = InCommune::new(ctx, commune, None).await?;
        let imported =
            call.jamaa.import_payment_statement(call.principal, &call.commune, day, &csv).await.in_lang(&call)?;
        Ok(statement(imported))
    }

    /// Requests the refund of part or all of a paid online payment, with its reason (ReconcilePayments).
    async fn request_refund(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        payment_id: ID,
        amount: String,
        reason: String,
    ) -> Result<PaymentRefund> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = subject_id::<OnlinePaymentId>(&payment_id, "online payment").in_lang(&call)?;
        let amount = amount_at("amount", &amount).in_lang(&call)?;
        let made =
            call.jamaa.request_refund(call.principal, &call.commune, id, amount, &reason).await.in_lang(&call)?;
        Ok(refund(made))
    }

    /// Approves or rejects a refund requested by another member (ApproveRefunds).
    async fn decide_refund(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        refund_id: ID,
        approve: bool,
    ) -> Result<PaymentRefund> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = subject_id::<RefundId>(&refund_id, "refund").in_lang(&call)?;
        let decided = call.jamaa.decide_refund(call.principal, &call.commune, id, approve).await.in_lang(&call)?;
        Ok(refund(decided))
    }
}
