//! Fees owed and paid over GraphQL: a request's demand found by its tracking code, a cash or card payment
//! recorded at the counter with its quittance, a cancellation by counter-entry, the day's report of an agent,
//! a quittance read back for printing, and the fees collected per procedure and month (public). Amounts are
//! exact decimal strings in the commune's currency (`2.00`).

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use jamaa_core::modules::finance::model::format_centimes;
use jamaa_core::modules::payments::model::{
    DayReport as CoreDayReport, DemandState, LineBasis, MonthRevenue, Payment as CorePayment,
};
use jamaa_core::modules::payments::service::{CounterPaymentInput, RecordedPayment as CoreRecorded};

use super::Lang;
use super::call::{InCommune, InLang, subject_id};
use super::documents::IssuedDocument;

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jamaa_core::modules::payments::model::Channel")]
pub enum PaymentChannel {
    Cash,
    Card,
    Online,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jamaa_core::modules::payments::model::PaymentKind")]
pub enum PaymentKind {
    Payment,
    Cancellation,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "jamaa_core::modules::payments::model::DemandStatus")]
pub enum DemandStatus {
    Unpaid,
    Paid,
}

/// One line of a demand: a fee of the procedure and where its amount comes from.
#[derive(SimpleObject)]
pub struct DemandLine {
    pub label: String,
    pub amount: String,
    /// The law, decree or article that sets it; null when the commune's decision (its arrêté fiscal) does.
    pub legal_basis: Option<String>,
    /// Whether the amount is the commune's decision.
    pub commune_decision: bool,
}

/// A payment of a demand, or the counter-entry that cancels one.
#[derive(SimpleObject)]
pub struct Payment {
    pub id: ID,
    pub kind: PaymentKind,
    /// `QR-2026-000012` (a quittance), `AN-2026-000003` (a cancellation): per commune, year and kind, gap-free.
    pub number: String,
    pub channel: PaymentChannel,
    pub amount: String,
    pub currency: String,
    /// The commune's day it was recorded on.
    pub day: NaiveDate,
    /// The card terminal's slip number, when typed (never card data).
    pub terminal_slip: Option<String>,
    /// The payment a cancellation cancels.
    pub cancels: Option<ID>,
    pub reason: Option<String>,
    /// The verification code of its quittance (or notice of cancellation), which `/verify` confirms.
    pub verification_code: Option<String>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

impl From<&CorePayment> for Payment {
    fn from(p: &CorePayment) -> Self {
        Payment {
            id: ID(p.id.to_string()),
            kind: p.kind.into(),
            number: p.number_label(),
            channel: p.channel.into(),
            amount: format_centimes(p.amount),
            currency: p.currency.to_string(),
            day: p.day,
            terminal_slip: p.terminal_slip.clone(),
            cancels: p.cancels.map(|c| ID(c.to_string())),
            reason: p.reason.clone(),
            verification_code: p.document_code.clone(),
            recorded_by: p.recorded_by.clone(),
            recorded_at: p.recorded_at,
        }
    }
}

/// What a request owes: its lines, total, what was paid and what is left, and its payments.
#[derive(SimpleObject)]
pub struct PaymentDemand {
    pub id: ID,
    pub tracking_code: String,
    pub service_code: String,
    pub currency: String,
    pub lines: Vec<DemandLine>,
    pub total: String,
    /// Payments less cancellations.
    pub paid: String,
    pub outstanding: String,
    pub status: DemandStatus,
    /// Its payments and cancellations, in the order recorded.
    pub payments: Vec<Payment>,
    /// How to pay, in the caller's language.
    pub how_to_pay: String,
}

/// How a demand is paid, as its receipt and tracking page say it.
pub fn how_to_pay() -> jamaa_core::model::i18n::LocalizedText {
    use jamaa_core::model::i18n::{Locale, LocalizedText};
    LocalizedText::ar_fr(
        "يؤدى المبلغ نقدا أو بالبطاقة البنكية بشباك الجماعة مقابل وصل أداء مرقم، بتقديم رمز تتبع الطلب.",
        "Payer au guichet de la commune, en espèces ou par carte bancaire, contre une quittance numérotée, en présentant le code de suivi de la demande.",
    )
    .with(
        Locale::En,
        "Pay at the commune's counter, in cash or by bank card, against a numbered receipt, showing the request's tracking code.",
    )
    .with(
        Locale::Tzm,
        "ⴼⵔⵓ ⴳ ⵓⵙⴳⴳⴰⵏ ⵏ ⵜⴳⵎⵓⵏⵜ, ⵙ ⵡⴰⵇⵇⴰ ⵏⵖ ⵙ ⵜⴽⴰⵕⴹⴰ, ⵙ ⵜⵙⵖⴰⵔⵜ ⵉⵜⵜⵓⵎⴹⴰⵏ, ⵙ ⵓⵙⴽⵏ ⵏ ⵓⵏⴰⵎⴰⵍ ⵏ ⵓⵙⵓⵜⵔ.",
    )
}

pub fn demand(state: &DemandState, lang: &Lang) -> PaymentDemand {
    let d = &state.demand;
    PaymentDemand {
        id: ID(d.id.to_string()),
        tracking_code: d.tracking_code.clone(),
        service_code: d.service_code.to_string(),
        currency: d.currency.to_string(),
        lines: d
            .lines
            .iter()
            .map(|l| DemandLine {
                label: lang.text(&l.label),
                amount: format_centimes(l.amount),
                legal_basis: match &l.basis {
                    LineBasis::Law(text) => Some(text.clone()),
                    LineBasis::CommuneDecision => None,
                },
                commune_decision: l.basis == LineBasis::CommuneDecision,
            })
            .collect(),
        total: format_centimes(d.total),
        paid: format_centimes(state.paid),
        outstanding: format_centimes(state.outstanding),
        status: state.status.into(),
        payments: state.payments.iter().map(Payment::from).collect(),
        how_to_pay: lang.text(&how_to_pay()),
    }
}

/// A payment or cancellation just recorded, its demand after it, and its printable document.
#[derive(SimpleObject)]
pub struct RecordedPayment {
    pub payment: Payment,
    pub demand: PaymentDemand,
    /// The quittance (or the notice of cancellation): its text and verification code.
    pub document: IssuedDocument,
}

fn recorded(r: CoreRecorded, lang: &Lang) -> RecordedPayment {
    RecordedPayment {
        payment: Payment::from(&r.payment),
        demand: demand(&r.state, lang),
        document: IssuedDocument::new(r.document, lang.clone()),
    }
}

/// A payment recorded at the counter.
#[derive(InputObject)]
pub struct CounterPayment {
    /// The tracking code on the request's receipt.
    pub tracking_code: String,
    /// `CASH` or `CARD` (online payments are recorded by their provider's callback).
    pub channel: PaymentChannel,
    /// What was collected, in units with at most two decimals (`2.00`): exactly what the demand has left.
    pub amount: String,
    /// The demand's currency (`MAD`).
    pub currency: String,
    /// A card's terminal slip number (optional); never the card's number.
    pub terminal_slip: Option<String>,
}

/// What one agent recorded on one day.
#[derive(SimpleObject)]
pub struct PaymentsDayReport {
    pub day: NaiveDate,
    pub agent: String,
    pub currency: String,
    pub payments: Vec<Payment>,
    pub cash_count: u32,
    pub cash: String,
    pub card_count: u32,
    pub card: String,
    pub cancellation_count: u32,
    pub cash_cancelled: String,
    pub card_cancelled: String,
    /// The cash to hand over: collected less taken back.
    pub cash_net: String,
}

impl From<CoreDayReport> for PaymentsDayReport {
    fn from(r: CoreDayReport) -> Self {
        PaymentsDayReport {
            day: r.day,
            agent: r.agent,
            currency: r.currency.into(),
            payments: r.payments.iter().map(Payment::from).collect(),
            cash_count: r.cash_count,
            cash: format_centimes(r.cash),
            card_count: r.card_count,
            card: format_centimes(r.card),
            cancellation_count: r.cancellation_count,
            cash_cancelled: format_centimes(r.cash_cancelled),
            card_cancelled: format_centimes(r.card_cancelled),
            cash_net: format_centimes(r.cash_net),
        }
    }
}

/// Fees collected for one procedure in one month, net of cancellations: aggregates only.
#[derive(SimpleObject)]
pub struct CollectedFees {
    pub year: i32,
    pub month: u32,
    pub service_code: String,
    pub currency: String,
    pub payments: i64,
    pub amount: String,
}

impl From<MonthRevenue> for CollectedFees {
    fn from(m: MonthRevenue) -> Self {
        CollectedFees {
            year: m.year,
            month: m.month,
            service_code: m.service_code.into(),
            currency: m.currency.into(),
            payments: m.payments,
            amount: format_centimes(m.amount),
        }
    }
}

#[derive(Default)]
pub struct PaymentsQuery;

#[Object]
impl PaymentsQuery {
    /// The demand of a request, by the tracking code of its receipt, with its payments (CollectPayments).
    async fn payment_demand(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        tracking_code: String,
        locale: Option<String>,
    ) -> Result<PaymentDemand> {
        let call = InCommune::new(ctx, commune, locale).await?;
        let state = call.jamaa.payment_demand(call.principal, &call.commune, &tracking_code).await.in_lang(&call)?;
        Ok(demand(&state, &call.lang))
    }

    /// An agent's payments and cancellations of a day (today by default): one's own (CollectPayments), any
    /// agent's (ManageRevenue).
    async fn payments_day_report(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        day: Option<NaiveDate>,
        agent: Option<String>,
    ) -> Result<PaymentsDayReport> {
        let call = InCommune::new(ctx, commune, None).await?;
        let report = call
            .jamaa
            .payments_day_report(call.principal, &call.commune, day, agent.as_deref())
            .await
            .in_lang(&call)?;
        Ok(report.into())
    }

    /// The quittance (or notice of cancellation) of a payment, with its text, for printing (CollectPayments).
    async fn payment_document(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        payment_id: ID,
        locale: Option<String>,
    ) -> Result<IssuedDocument> {
        let call = InCommune::new(ctx, commune, locale).await?;
        let id = subject_id::<uuid::Uuid>(&payment_id, "payment").in_lang(&call)?;
        let issued = call.jamaa.payment_document(call.principal, &call.commune, id).await.in_lang(&call)?;
        Ok(IssuedDocument::new(issued, call.lang.clone()))
    }

    /// The fees collected per procedure and month, of one year or all, net of cancellations (public).
    async fn collected_fees(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        year: Option<i32>,
    ) -> Result<Vec<CollectedFees>> {
        let call = InCommune::new(ctx, commune, None).await?;
        let months = call.jamaa.collected_fees(&call.commune, year).await.in_lang(&call)?;
        Ok(months.into_iter().map(Into::into).collect())
    }
}

#[derive(Default)]
pub struct PaymentsMutation;

#[Object]
impl PaymentsMutation {
    /// Records a cash or card payment against a request's demand, exactly what it has left, and issues its
    /// quittance (CollectPayments).
    async fn record_counter_payment(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        input: CounterPayment,
    ) -> Result<RecordedPayment> {
        let call = InCommune::new(ctx, commune, None).await?;
        let input = CounterPaymentInput {
            tracking_code: input.tracking_code,
            channel: input.channel.into(),
            amount: input.amount,
            currency: input.currency,
            terminal_slip: input.terminal_slip,
        };
        let done = call.jamaa.record_counter_payment(call.principal, &call.commune, input).await.in_lang(&call)?;
        Ok(recorded(done, &call.lang))
    }

    /// Cancels a payment by a counter-entry with its reason, never by deletion (ManageRevenue).
    async fn cancel_payment(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        payment_id: ID,
        reason: String,
    ) -> Result<RecordedPayment> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = subject_id::<uuid::Uuid>(&payment_id, "payment").in_lang(&call)?;
        let done = call.jamaa.cancel_payment(call.principal, &call.commune, id, &reason).await.in_lang(&call)?;
        Ok(recorded(done, &call.lang))
    }
}
