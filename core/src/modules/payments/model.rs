//! What a citizen owes for a request and what the commune's revenue office (régie de recettes) collected:
//! demands, payments and their counter-entries, quittances, the day's report of an agent and the revenue per
//! procedure and month. Pure: the checks, the sums and the texts, no I/O. Amounts are centimes of the demand's
//! currency (the commune's).
//!
//! A request whose procedure has fees gets one demand at submission: one line per fee, each with its legal
//! basis (the text that sets it) or marked a commune decision (its tax decision, arrêté fiscal). A payment
//! settles what the demand has outstanding, exactly, in its currency; it is recorded once (its rank among the
//! demand's payments is unique, as is an online provider's reference in the commune) and never changed nor
//! deleted: a counter-entry with its reason cancels it, and the demand is owed again.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{FieldError, FieldErrorCode};
use crate::model::catalog::Fee;
use crate::model::commune::Currency;
use crate::model::form::messages::{self, PaymentProblem};
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::keys::ServiceCode;
use crate::model::workflow::RuleBasis;

/// The longest reason of a cancellation.
pub const MAX_REASON: usize = 500;
/// The longest terminal slip number (the card terminal's transaction number printed on its slip).
pub const MAX_SLIP: usize = 32;

/// How a payment was made. A card at the counter is recorded by its channel and, optionally, the terminal
/// slip's number: never a card number, expiry or holder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum Channel {
    Cash,
    Card,
    /// Through a payment provider's hosted page (recorded by the online flow, never at the counter).
    Online,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Cash, Channel::Card, Channel::Online];

    /// The stored name (`cash`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Whether the counter agent records payments of this channel.
    pub fn at_counter(self) -> bool {
        matches!(self, Channel::Cash | Channel::Card)
    }
}

/// A payment, or the counter-entry that cancels one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum PaymentKind {
    Payment,
    Cancellation,
}

impl PaymentKind {
    /// The stored name (`payment`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The prefix of its numbers: `QR` for a quittance (reçu), `AN` for a cancellation (annulation).
    pub fn prefix(self) -> &'static str {
        match self {
            PaymentKind::Payment => "QR",
            PaymentKind::Cancellation => "AN",
        }
    }

    /// The counter its numbers are taken from, per commune and year, without gaps.
    pub fn counter_name(self, year: i32) -> String {
        format!("payments:{year}:{}", self.as_str())
    }
}

/// `QR-2026-000012`: a quittance's (or a cancellation's) number as printed.
pub fn number_label(kind: PaymentKind, year: i32, number: i64) -> String {
    format!("{}-{year}-{number:06}", kind.prefix())
}

/// Where the amount of a demand's line comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "reference")]
pub enum LineBasis {
    /// The law, decree or article that sets it.
    Law(String),
    /// The commune's decision (its tax decision, arrêté fiscal, within what the law allows).
    CommuneDecision,
}

/// One line of a demand: a fee of the procedure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DemandLine {
    pub label: LocalizedText,
    /// Centimes.
    pub amount: i64,
    pub basis: LineBasis,
}

/// What a request owes, fixed at submission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Demand {
    pub id: Uuid,
    pub request: Uuid,
    pub tracking_code: String,
    pub service_code: ServiceCode,
    pub currency: Currency,
    pub lines: Vec<DemandLine>,
    /// The sum of the lines, centimes.
    pub total: i64,
    pub created_at: DateTime<Utc>,
}

/// A payment or a cancellation, as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Payment {
    pub id: Uuid,
    pub demand: Uuid,
    pub request: Uuid,
    pub kind: PaymentKind,
    /// The payment a cancellation cancels.
    pub cancels: Option<Uuid>,
    /// A payment's rank among its demand's payments (1, then 2 after a cancellation, …); unique per demand.
    pub rank: i32,
    pub channel: Channel,
    /// Centimes; a cancellation's amount is the payment's, taken back.
    pub amount: i64,
    pub currency: Currency,
    pub year: i32,
    pub number: i64,
    /// The day it was recorded on, in the commune's time zone.
    pub day: NaiveDate,
    /// The card terminal's slip number (a card at the counter), when the agent typed it.
    pub terminal_slip: Option<String>,
    /// The online provider and its reference of the payment (unique in the commune).
    pub provider: Option<String>,
    pub provider_ref: Option<String>,
    /// The issued quittance (a verifiable document) of a payment, or the cancellation notice.
    pub document_code: Option<String>,
    pub reason: Option<String>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

impl Payment {
    /// `QR-2026-000012`.
    pub fn number_label(&self) -> String {
        number_label(self.kind, self.year, self.number)
    }
}

/// Where a demand stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DemandStatus {
    /// Nothing paid, or every payment cancelled.
    Unpaid,
    Paid,
}

impl DemandStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DemandStatus::Unpaid => "unpaid",
            DemandStatus::Paid => "paid",
        }
    }
}

/// A demand with its payments and cancellations, and what is left to pay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DemandState {
    pub demand: Demand,
    pub payments: Vec<Payment>,
    /// Payments less cancellations, centimes.
    pub paid: i64,
    pub outstanding: i64,
    pub status: DemandStatus,
}

impl DemandState {
    /// The demand's state after its `payments` (payments and cancellations, any order).
    pub fn new(demand: Demand, mut payments: Vec<Payment>) -> Self {
        payments.sort_by_key(|p| (p.recorded_at, p.kind == PaymentKind::Cancellation, p.number));
        let paid: i64 = payments
            .iter()
            .map(|p| match p.kind {
                PaymentKind::Payment => p.amount,
                PaymentKind::Cancellation => -p.amount,
            })
            .sum();
        let outstanding = (demand.total - paid).max(0);
        let status = if demand.total > 0 && outstanding == 0 { DemandStatus::Paid } else { DemandStatus::Unpaid };
        Self { demand, payments, paid, outstanding, status }
    }

    /// The payment that settles the demand now (not cancelled), if any.
    pub fn settling_payment(&self) -> Option<&Payment> {
        self.payments.iter().rev().find(|p| p.kind == PaymentKind::Payment && !self.is_cancelled(p.id))
    }

    /// Whether a cancellation of `payment` is recorded.
    pub fn is_cancelled(&self, payment: Uuid) -> bool {
        self.payments.iter().any(|p| p.kind == PaymentKind::Cancellation && p.cancels == Some(payment))
    }

    /// The rank of the next payment of the demand.
    pub fn next_rank(&self) -> i32 {
        self.payments.iter().filter(|p| p.kind == PaymentKind::Payment).map(|p| p.rank).max().unwrap_or(0) + 1
    }
}

/// A fee's basis as a demand line cites it, or `None` when the fee says nothing (the catalog refuses it).
pub fn line_basis(fee: &Fee) -> Option<LineBasis> {
    match (&fee.legal_basis, &fee.basis) {
        (Some(text), _) if !text.trim().is_empty() => Some(LineBasis::Law(text.trim().to_owned())),
        (_, Some(RuleBasis::LegalReference(text))) if !text.trim().is_empty() => {
            Some(LineBasis::Law(text.trim().to_owned()))
        }
        (_, Some(RuleBasis::CommuneSetting)) => Some(LineBasis::CommuneDecision),
        _ => None,
    }
}

/// The fee lines of a procedure that names its fees, problems at `fees[i]` (a fee without basis, of another
/// currency than the commune's, or negative). Fees of zero are left out; none left means nothing is owed.
pub fn demand_lines(fees: &[Fee], currency: &str) -> Result<Vec<DemandLine>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut lines = Vec::new();
    for (i, fee) in fees.iter().enumerate() {
        if fee.currency != currency {
            errors.push(FieldError::new(
                format!("fees[{i}].currency"),
                FieldErrorCode::InvalidValue,
                messages::fee_currency(currency),
            ));
        }
        if fee.amount_minor < 0 {
            errors.push(FieldError::new(
                format!("fees[{i}].amountMinor"),
                FieldErrorCode::OutOfRange,
                messages::out_of_range(Some(0.0), None),
            ));
        }
        match line_basis(fee) {
            None => errors.push(FieldError::new(
                format!("fees[{i}].basis"),
                FieldErrorCode::Required,
                messages::payment_problem(PaymentProblem::FeeWithoutBasis),
            )),
            Some(basis) if fee.amount_minor > 0 => {
                lines.push(DemandLine { label: fee.label.clone(), amount: fee.amount_minor, basis })
            }
            Some(_) => {}
        }
    }
    if errors.is_empty() { Ok(lines) } else { Err(errors) }
}

/// A payment the counter agent records against a demand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CounterPayment {
    pub channel: Channel,
    /// Centimes: what the agent collected, checked against what the demand has outstanding.
    pub amount: i64,
    pub currency: String,
    pub terminal_slip: Option<String>,
}

fn problem(path: &str, code: FieldErrorCode, problem: PaymentProblem) -> FieldError {
    FieldError::new(path, code, messages::payment_problem(problem))
}

/// Whether `digits` (13 to 19 digits) pass the Luhn check, as card numbers do.
fn looks_like_card_number(value: &str) -> bool {
    let digits: Vec<u32> =
        value.chars().filter(|c| !c.is_whitespace() && *c != '-').filter_map(|c| c.to_digit(10)).collect();
    let only_digits = value.chars().all(|c| c.is_ascii_digit() || c.is_whitespace() || c == '-');
    if !only_digits || !(13..=19).contains(&digits.len()) {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { *d })
        .sum();
    sum.is_multiple_of(10)
}

/// Checks a counter payment against the demand's state: the channel is cash or card, the currency the
/// demand's, the amount exactly what is outstanding (a demand already paid is refused), a terminal slip only
/// for a card, short, of letters, digits and dashes, and never a card number. Problems at `input.*`.
pub fn check_counter_payment(state: &DemandState, input: &CounterPayment) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !input.channel.at_counter() {
        errors.push(problem("input.channel", FieldErrorCode::NotAnOption, PaymentProblem::NotAtCounter));
    }
    if input.currency != state.demand.currency.as_str() {
        errors.push(FieldError::new(
            "input.currency",
            FieldErrorCode::InvalidValue,
            messages::fee_currency(state.demand.currency.as_str()),
        ));
    }
    if state.status == DemandStatus::Paid {
        errors.push(problem("input.amount", FieldErrorCode::RuleNotMet, PaymentProblem::AlreadyPaid));
    } else if input.amount != state.outstanding {
        errors.push(FieldError::new(
            "input.amount",
            FieldErrorCode::RuleNotMet,
            messages::payment_amount_mismatch(
                &crate::modules::finance::model::format_centimes(state.outstanding),
                state.demand.currency.as_str(),
            ),
        ));
    }
    if let Some(slip) = &input.terminal_slip {
        let slip = slip.trim();
        if input.channel != Channel::Card {
            errors.push(problem("input.terminalSlip", FieldErrorCode::InvalidValue, PaymentProblem::SlipOnlyForCard));
        } else if looks_like_card_number(slip) {
            errors.push(problem("input.terminalSlip", FieldErrorCode::InvalidValue, PaymentProblem::CardNumber));
        } else if slip.is_empty()
            || slip.chars().count() > MAX_SLIP
            || !slip.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            errors.push(problem("input.terminalSlip", FieldErrorCode::PatternMismatch, PaymentProblem::SlipFormat));
        }
    }
    errors
}

/// Checks the cancellation of `payment` of `state`: a payment (not a cancellation), not cancelled already,
/// with a reason of at most [`MAX_REASON`] characters. Problems at `paymentId` and `reason`.
pub fn check_cancellation(state: &DemandState, payment: &Payment, reason: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if payment.kind != PaymentKind::Payment {
        errors.push(problem("paymentId", FieldErrorCode::RuleNotMet, PaymentProblem::NotAPayment));
    } else if state.is_cancelled(payment.id) {
        errors.push(problem("paymentId", FieldErrorCode::RuleNotMet, PaymentProblem::AlreadyCancelled));
    }
    if reason.trim().is_empty() {
        errors.push(FieldError::new("reason", FieldErrorCode::Required, messages::required()));
    } else if reason.chars().count() > MAX_REASON {
        errors.push(FieldError::new(
            "reason",
            FieldErrorCode::TooLong,
            messages::too_long(MAX_REASON as u32, messages::LengthUnit::Characters),
        ));
    }
    errors
}

/// `12.00 MAD`.
pub fn money(centimes: i64, currency: &str) -> String {
    format!("{} {currency}", crate::modules::finance::model::format_centimes(centimes))
}

fn basis_text(basis: &LineBasis) -> String {
    match basis {
        LineBasis::Law(text) => text.clone(),
        LineBasis::CommuneDecision => "Décision de la commune (arrêté fiscal) / قرار جبائي للجماعة".to_owned(),
    }
}

/// The printed text of a quittance (Arabic and French, as the commune's documents): the commune, its number,
/// the request and procedure, each line with its basis, the amount, the channel, the day and the agent (by the
/// name of their account, else how the audit trail names them). No payer's name: the request's tracking code
/// says whose it is.
pub fn quittance_text(commune: &LocalizedText, demand: &Demand, payment: &Payment, agent: &str) -> String {
    let mut text = String::new();
    let name = |t: &LocalizedText, l: Locale| t.exact(l).unwrap_or_default().to_owned();
    text.push_str(&format!("{} / {}\n", name(commune, Locale::Ar), name(commune, Locale::Fr)));
    text.push_str("Régie de recettes / شباك المداخيل\n");
    text.push_str(&format!("Quittance / وصل أداء N° {}\n", payment.number_label()));
    text.push_str(&format!("Demande / الطلب : {}\n", demand.tracking_code));
    text.push_str(&format!("Procédure / المسطرة : {}\n", demand.service_code));
    for line in &demand.lines {
        text.push_str(&format!(
            "- {} / {} : {} ({})\n",
            name(&line.label, Locale::Fr),
            name(&line.label, Locale::Ar),
            money(line.amount, demand.currency.as_str()),
            basis_text(&line.basis)
        ));
    }
    text.push_str(&format!("Montant payé / المبلغ المؤدى : {}\n", money(payment.amount, payment.currency.as_str())));
    let channel = match payment.channel {
        Channel::Cash => "Espèces / نقدا",
        Channel::Card => "Carte bancaire / بطاقة بنكية",
        Channel::Online => "En ligne / عبر الإنترنت",
    };
    text.push_str(&format!("Mode / طريقة الأداء : {channel}\n"));
    if let Some(slip) = &payment.terminal_slip {
        text.push_str(&format!("Ticket TPE / وصل الجهاز : {slip}\n"));
    }
    // Day/month/year with slashes: beside Arabic, the bidirectional algorithm keeps its parts in order.
    text.push_str(&format!("Date / التاريخ : {}\n", payment.day.format("%d/%m/%Y")));
    text.push_str(&format!("Agent / العون : {agent}\n"));
    text
}

/// The printed text of a cancellation (the counter-entry): its number, the quittance it cancels, the amount
/// taken back, the reason, the day and the member (named as on a quittance).
pub fn cancellation_text(
    commune: &LocalizedText,
    demand: &Demand,
    payment: &Payment,
    cancellation: &Payment,
    agent: &str,
) -> String {
    let name = |t: &LocalizedText, l: Locale| t.exact(l).unwrap_or_default().to_owned();
    format!(
        "{} / {}\nRégie de recettes / شباك المداخيل\nAnnulation / إلغاء N° {}\nQuittance annulée / الوصل الملغى : {}\n\
         Demande / الطلب : {}\nMontant repris / المبلغ المسترجع : {}\nMotif / السبب : {}\nDate / التاريخ : {}\n\
         Agent / العون : {}\n",
        name(commune, Locale::Ar),
        name(commune, Locale::Fr),
        cancellation.number_label(),
        payment.number_label(),
        demand.tracking_code,
        money(cancellation.amount, cancellation.currency.as_str()),
        cancellation.reason.as_deref().unwrap_or_default(),
        cancellation.day.format("%d/%m/%Y"),
        agent,
    )
}

/// What one agent recorded on one day: payments per channel, cancellations, the net cash to hand over.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DayReport {
    pub day: NaiveDate,
    pub agent: String,
    pub currency: Currency,
    pub payments: Vec<Payment>,
    pub cash_count: u32,
    pub cash: i64,
    pub card_count: u32,
    pub card: i64,
    pub cancellation_count: u32,
    /// Cash taken back by the day's cancellations recorded by the agent.
    pub cash_cancelled: i64,
    pub card_cancelled: i64,
    /// Cash to hand over: cash collected less cash taken back.
    pub cash_net: i64,
}

/// The day report of `agent` on `day` from `payments` (any), and the channel of each cancelled payment
/// (`channel_of`: a cancellation is counted in the channel of the payment it takes back).
pub fn day_report(
    day: NaiveDate,
    agent: &str,
    currency: &Currency,
    payments: &[Payment],
    channel_of: impl Fn(Uuid) -> Option<Channel>,
) -> DayReport {
    let mine: Vec<Payment> =
        payments.iter().filter(|p| p.day == day && p.recorded_by == agent && p.channel.at_counter()).cloned().collect();
    let mut report = DayReport {
        day,
        agent: agent.to_owned(),
        currency: currency.clone(),
        payments: Vec::new(),
        cash_count: 0,
        cash: 0,
        card_count: 0,
        card: 0,
        cancellation_count: 0,
        cash_cancelled: 0,
        card_cancelled: 0,
        cash_net: 0,
    };
    for payment in &mine {
        match (payment.kind, payment.channel) {
            (PaymentKind::Payment, Channel::Cash) => {
                report.cash_count += 1;
                report.cash += payment.amount;
            }
            (PaymentKind::Payment, _) => {
                report.card_count += 1;
                report.card += payment.amount;
            }
            (PaymentKind::Cancellation, _) => {
                report.cancellation_count += 1;
                match payment.cancels.and_then(&channel_of).unwrap_or(payment.channel) {
                    Channel::Cash => report.cash_cancelled += payment.amount,
                    _ => report.card_cancelled += payment.amount,
                }
            }
        }
    }
    report.cash_net = report.cash - report.cash_cancelled;
    report.payments = mine;
    report.payments.sort_by_key(|p| p.recorded_at);
    report
}

/// Fees collected for one procedure in one month: aggregates only, never a payer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MonthRevenue {
    pub year: i32,
    pub month: u32,
    pub service_code: ServiceCode,
    pub currency: Currency,
    /// Payments less cancellations.
    pub payments: i64,
    /// Centimes, net of cancellations.
    pub amount: i64,
}

/// The fees collected per procedure and month (of the day each payment or cancellation was recorded), net of
/// cancellations, from `payments` and the service code of their demands (`service_of`); a month and procedure
/// whose payments were all cancelled is kept at zero. Sorted by year, month, procedure.
pub fn revenue_by_month(payments: &[Payment], service_of: impl Fn(Uuid) -> Option<ServiceCode>) -> Vec<MonthRevenue> {
    use chrono::Datelike;
    let mut months: BTreeMap<(i32, u32, ServiceCode, Currency), (i64, i64)> = BTreeMap::new();
    for payment in payments {
        let Some(service) = service_of(payment.demand) else { continue };
        let key = (payment.day.year(), payment.day.month(), service, payment.currency.clone());
        let entry = months.entry(key).or_default();
        match payment.kind {
            PaymentKind::Payment => {
                entry.0 += 1;
                entry.1 += payment.amount;
            }
            PaymentKind::Cancellation => {
                entry.0 -= 1;
                entry.1 -= payment.amount;
            }
        }
    }
    months
        .into_iter()
        .map(|((year, month, service_code, currency), (payments, amount))| MonthRevenue {
            year,
            month,
            service_code,
            currency,
            payments,
            amount,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mad() -> Currency {
        Currency::parse("MAD").unwrap()
    }

    fn fee(amount: i64, basis: Option<RuleBasis>, legal: Option<&str>) -> Fee {
        Fee {
            label: LocalizedText::ar_fr("رسم", "Droit"),
            amount_minor: amount,
            currency: "MAD".into(),
            legal_basis: legal.map(str::to_owned),
            basis,
        }
    }

    fn demand(total: i64) -> Demand {
        Demand {
            id: Uuid::from_u128(1),
            request: Uuid::from_u128(2),
            tracking_code: "CHF-2026-000001".into(),
            service_code: "legalisation-signature".into(),
            currency: mad(),
            lines: vec![DemandLine {
                label: LocalizedText::ar_fr("رسم", "Droit"),
                amount: total,
                basis: LineBasis::CommuneDecision,
            }],
            total,
            created_at: DateTime::UNIX_EPOCH,
        }
    }

    fn payment(n: i64, kind: PaymentKind, channel: Channel, amount: i64, day: u32, agent: &str) -> Payment {
        Payment {
            id: Uuid::from_u128(100 + n as u128),
            demand: Uuid::from_u128(1),
            request: Uuid::from_u128(2),
            kind,
            cancels: None,
            rank: 1,
            channel,
            amount,
            currency: mad(),
            year: 2026,
            number: n,
            day: NaiveDate::from_ymd_opt(2026, 12, day).unwrap(),
            terminal_slip: None,
            provider: None,
            provider_ref: None,
            document_code: None,
            reason: None,
            recorded_by: agent.into(),
            recorded_at: DateTime::UNIX_EPOCH + chrono::Duration::seconds(n),
        }
    }

    fn input(channel: Channel, amount: i64) -> CounterPayment {
        CounterPayment { channel, amount, currency: "MAD".into(), terminal_slip: None }
    }

    fn paths(errors: &[FieldError]) -> Vec<(&str, FieldErrorCode)> {
        errors.iter().map(|e| (e.path.as_str(), e.code)).collect()
    }

    #[test]
    fn each_line_cites_its_basis_or_the_commune_and_a_fee_without_one_is_refused() {
        let fees = [
            fee(200, Some(RuleBasis::CommuneSetting), None),
            fee(500, None, Some("Loi n° 47-06, art. 2")),
            fee(0, Some(RuleBasis::CommuneSetting), None),
        ];
        let lines = demand_lines(&fees, "MAD").unwrap();
        assert_eq!(lines.len(), 2, "a fee of zero is not owed");
        assert_eq!(lines[0].basis, LineBasis::CommuneDecision);
        assert_eq!(lines[1].basis, LineBasis::Law("Loi n° 47-06, art. 2".into()));
        let errors =
            demand_lines(&[fee(200, None, None), fee(-1, Some(RuleBasis::CommuneSetting), None)], "EUR").unwrap_err();
        assert_eq!(
            paths(&errors),
            [
                ("fees[0].currency", FieldErrorCode::InvalidValue),
                ("fees[0].basis", FieldErrorCode::Required),
                ("fees[1].currency", FieldErrorCode::InvalidValue),
                ("fees[1].amountMinor", FieldErrorCode::OutOfRange),
            ]
        );
    }

    #[test]
    fn a_payment_settles_exactly_what_is_outstanding_in_the_demands_currency() {
        let state = DemandState::new(demand(200), vec![]);
        assert_eq!((state.outstanding, state.status), (200, DemandStatus::Unpaid));
        assert!(check_counter_payment(&state, &input(Channel::Cash, 200)).is_empty());
        assert_eq!(
            paths(&check_counter_payment(&state, &input(Channel::Cash, 199))),
            [("input.amount", FieldErrorCode::RuleNotMet)]
        );
        let mut euros = input(Channel::Cash, 200);
        euros.currency = "EUR".into();
        assert_eq!(paths(&check_counter_payment(&state, &euros)), [("input.currency", FieldErrorCode::InvalidValue)]);
        assert_eq!(
            paths(&check_counter_payment(&state, &input(Channel::Online, 200))),
            [("input.channel", FieldErrorCode::NotAnOption)]
        );

        let paid = DemandState::new(demand(200), vec![payment(1, PaymentKind::Payment, Channel::Cash, 200, 6, "a")]);
        assert_eq!((paid.outstanding, paid.status, paid.next_rank()), (0, DemandStatus::Paid, 2));
        assert_eq!(
            paths(&check_counter_payment(&paid, &input(Channel::Cash, 200))),
            [("input.amount", FieldErrorCode::RuleNotMet)]
        );
    }

    #[test]
    fn a_terminal_slip_is_for_a_card_and_never_a_card_number() {
        let state = DemandState::new(demand(200), vec![]);
        let mut card = input(Channel::Card, 200);
        card.terminal_slip = Some("TPE-004512".into());
        assert!(check_counter_payment(&state, &card).is_empty());
        card.terminal_slip = Some("4111 1111 1111 1111".into());
        assert_eq!(
            paths(&check_counter_payment(&state, &card)),
            [("input.terminalSlip", FieldErrorCode::InvalidValue)]
        );
        card.terminal_slip = Some("slip with spaces".into());
        assert_eq!(
            paths(&check_counter_payment(&state, &card)),
            [("input.terminalSlip", FieldErrorCode::PatternMismatch)]
        );
        let mut cash = input(Channel::Cash, 200);
        cash.terminal_slip = Some("004512".into());
        assert_eq!(
            paths(&check_counter_payment(&state, &cash)),
            [("input.terminalSlip", FieldErrorCode::InvalidValue)]
        );
    }

    #[test]
    fn a_cancellation_needs_a_reason_and_makes_the_demand_owed_again() {
        let first = payment(1, PaymentKind::Payment, Channel::Cash, 200, 6, "a");
        let state = DemandState::new(demand(200), vec![first.clone()]);
        assert!(check_cancellation(&state, &first, "erreur de saisie").is_empty());
        assert_eq!(paths(&check_cancellation(&state, &first, " ")), [("reason", FieldErrorCode::Required)]);
        let mut cancel = payment(1, PaymentKind::Cancellation, Channel::Cash, 200, 6, "b");
        cancel.id = Uuid::from_u128(999);
        cancel.cancels = Some(first.id);
        let state = DemandState::new(demand(200), vec![cancel.clone(), first.clone()]);
        assert_eq!((state.paid, state.outstanding, state.status), (0, 200, DemandStatus::Unpaid));
        assert!(state.settling_payment().is_none());
        assert_eq!(paths(&check_cancellation(&state, &first, "again")), [("paymentId", FieldErrorCode::RuleNotMet)]);
        assert_eq!(paths(&check_cancellation(&state, &cancel, "again")), [("paymentId", FieldErrorCode::RuleNotMet)]);
    }

    #[test]
    fn the_day_report_counts_one_agents_day_and_the_revenue_nets_cancellations() {
        let cash = payment(1, PaymentKind::Payment, Channel::Cash, 200, 6, "agent");
        let card = payment(2, PaymentKind::Payment, Channel::Card, 500, 6, "agent");
        let other = payment(3, PaymentKind::Payment, Channel::Cash, 200, 6, "someone");
        let yesterday = payment(4, PaymentKind::Payment, Channel::Cash, 200, 5, "agent");
        let mut cancel = payment(5, PaymentKind::Cancellation, Channel::Cash, 200, 6, "agent");
        cancel.cancels = Some(cash.id);
        let all = vec![cash.clone(), card, other, yesterday, cancel];
        let report = day_report(NaiveDate::from_ymd_opt(2026, 12, 6).unwrap(), "agent", &mad(), &all, |id| {
            all.iter().find(|p| p.id == id).map(|p| p.channel)
        });
        assert_eq!((report.cash_count, report.cash, report.card_count, report.card), (1, 200, 1, 500));
        assert_eq!((report.cancellation_count, report.cash_cancelled, report.cash_net), (1, 200, 0));
        assert_eq!(report.payments.len(), 3);

        let revenue = revenue_by_month(&all, |_| Some("legalisation-signature".into()));
        assert_eq!(revenue.len(), 1);
        assert_eq!((revenue[0].month, revenue[0].payments, revenue[0].amount), (12, 3, 900));
    }

    #[test]
    fn quittances_print_their_number_lines_and_bases() {
        let demand = demand(200);
        let paid = payment(12, PaymentKind::Payment, Channel::Cash, 200, 6, "agent");
        let text = quittance_text(&LocalizedText::ar_fr("جماعة", "Commune"), &demand, &paid, "Agent de caisse");
        assert!(text.contains("QR-2026-000012"), "{text}");
        assert!(text.contains("2.00 MAD"), "{text}");
        assert!(text.contains("arrêté fiscal"), "{text}");
        assert!(text.contains("CHF-2026-000001"), "{text}");
        assert!(text.contains("العون : Agent de caisse"), "{text}");
    }
}
