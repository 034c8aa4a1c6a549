//! Online payments' rules, pure: an intent's state as the citizen and the staff read it, the settings of the
//! online payments, the comparison of a provider's statement with what the commune recorded, and the checks of
//! a refund.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::settings::SettingsSection;

/// `settings.onlinePayments`: how long a started payment waits for its outcome (a commune setting).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OnlinePaymentSettings {
    /// Minutes after which a payment without outcome reads `expired` (a late approved callback or the day's
    /// statement still records it: the money was taken).
    pub intent_minutes: u32,
    pub legal_reference: String,
}

impl SettingsSection for OnlinePaymentSettings {
    const KEY: &'static str = "onlinePayments";

    fn check(&self) -> Result<(), String> {
        if !(5..=24 * 60).contains(&self.intent_minutes) {
            return Err("onlinePayments.intentMinutes: between 5 and 1440".into());
        }
        if self.legal_reference.trim().is_empty() {
            return Err("onlinePayments.legalReference: required".into());
        }
        Ok(())
    }
}

/// A started payment's state as stored (`pending`, `paid`, `refused`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum IntentStatus {
    Pending,
    Paid,
    Refused,
}

/// Where a refund stands, stored by its name (`requested`, `approved`, `rejected`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum RefundStatus {
    /// Waiting for another member's decision.
    Requested,
    Approved,
    Rejected,
}

impl RefundStatus {
    /// The stored name (`requested`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A started payment's state as read: a pending one past its time is `expired`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    Pending,
    Paid,
    Refused,
    Expired,
}

impl PaymentState {
    pub fn of(status: IntentStatus, expires_at: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        match status {
            IntentStatus::Paid => PaymentState::Paid,
            IntentStatus::Refused => PaymentState::Refused,
            IntentStatus::Pending if now >= expires_at => PaymentState::Expired,
            IntentStatus::Pending => PaymentState::Pending,
        }
    }
}

/// What the commune recorded of a payment started online, for the comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    pub order_id: String,
    pub amount_centimes: i64,
    pub status: IntentStatus,
    pub provider_reference: Option<String>,
    /// Whether it was paid (settled) on the statement's day.
    pub settled_that_day: bool,
}

/// A line of the provider's statement, as compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stated {
    pub order_id: String,
    pub provider_reference: String,
    pub amount_centimes: i64,
    pub currency: String,
    pub approved: bool,
}

/// A difference between the statement and the commune's records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MismatchKind {
    /// Approved at the provider, not recorded as paid: the import records it (the callback never came).
    PaidNotRecorded,
    /// Recorded as paid that day, absent from the statement.
    RecordedNotStated,
    /// The statement's amount or currency is not the payment's: nothing recorded, to be looked into.
    AmountDiffers,
    /// An order the commune never started.
    UnknownOrder,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Mismatch {
    pub kind: MismatchKind,
    pub order_id: String,
    pub provider_reference: Option<String>,
    /// The commune's amount, when it has the order.
    pub recorded_amount: Option<i64>,
    /// The statement's amount, when the order is on it.
    pub stated_amount: Option<i64>,
    /// Whether the import recorded the payment (a `paid_not_recorded` with the right amount).
    pub settled: bool,
}

/// The mismatches of a day's statement against the commune's records (ISO 4217 `currency` expected), and the
/// orders the import records as paid (approved, right amount and currency, not yet paid).
pub fn reconcile(stated: &[Stated], recorded: &[Recorded], currency: &str) -> Vec<Mismatch> {
    let mut out = Vec::new();
    for line in stated.iter().filter(|l| l.approved) {
        let Some(ours) = recorded.iter().find(|r| r.order_id == line.order_id) else {
            out.push(Mismatch {
                kind: MismatchKind::UnknownOrder,
                order_id: line.order_id.clone(),
                provider_reference: Some(line.provider_reference.clone()),
                recorded_amount: None,
                stated_amount: Some(line.amount_centimes),
                settled: false,
            });
            continue;
        };
        let mismatch = |kind, settled| Mismatch {
            kind,
            order_id: line.order_id.clone(),
            provider_reference: Some(line.provider_reference.clone()),
            recorded_amount: Some(ours.amount_centimes),
            stated_amount: Some(line.amount_centimes),
            settled,
        };
        if line.amount_centimes != ours.amount_centimes || line.currency != currency {
            out.push(mismatch(MismatchKind::AmountDiffers, false));
        } else if ours.status != IntentStatus::Paid {
            out.push(mismatch(MismatchKind::PaidNotRecorded, true));
        }
    }
    for ours in recorded.iter().filter(|r| r.status == IntentStatus::Paid && r.settled_that_day) {
        let stated = stated.iter().any(|l| l.approved && l.order_id == ours.order_id);
        if !stated {
            out.push(Mismatch {
                kind: MismatchKind::RecordedNotStated,
                order_id: ours.order_id.clone(),
                provider_reference: ours.provider_reference.clone(),
                recorded_amount: Some(ours.amount_centimes),
                stated_amount: None,
                settled: false,
            });
        }
    }
    out
}

/// The most a refund may return: the payment less what earlier refunds (requested or approved) return.
pub fn refundable(paid: i64, refunds: impl IntoIterator<Item = i64>) -> i64 {
    paid - refunds.into_iter().sum::<i64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stated(order: &str, amount: i64, approved: bool) -> Stated {
        Stated {
            order_id: order.into(),
            provider_reference: format!("T-{order}"),
            amount_centimes: amount,
            currency: "504".into(),
            approved,
        }
    }

    fn recorded(order: &str, amount: i64, status: IntentStatus, today: bool) -> Recorded {
        Recorded {
            order_id: order.into(),
            amount_centimes: amount,
            status,
            provider_reference: (status == IntentStatus::Paid).then(|| format!("T-{order}")),
            settled_that_day: today,
        }
    }

    #[test]
    fn a_statement_is_compared_both_ways() {
        let statement = [
            stated("A", 2000, true),  // recorded by its callback: no mismatch
            stated("B", 2000, true),  // the callback never came: settled by the import
            stated("C", 1000, true),  // the amount differs: listed, not settled
            stated("D", 2000, false), // refused at the provider: nothing to say
            stated("X", 500, true),   // not ours
        ];
        let ours = [
            recorded("A", 2000, IntentStatus::Paid, true),
            recorded("B", 2000, IntentStatus::Pending, false),
            recorded("C", 2000, IntentStatus::Pending, false),
            recorded("D", 2000, IntentStatus::Refused, true),
            recorded("E", 3000, IntentStatus::Paid, true), // recorded, absent from the statement
            recorded("F", 3000, IntentStatus::Paid, false), // paid another day: not this statement's business
        ];
        let found: Vec<(MismatchKind, String, bool)> =
            reconcile(&statement, &ours, "504").into_iter().map(|m| (m.kind, m.order_id, m.settled)).collect();
        let found: Vec<(MismatchKind, &str, bool)> = found.iter().map(|(k, o, s)| (*k, o.as_str(), *s)).collect();
        assert_eq!(
            found,
            vec![
                (MismatchKind::PaidNotRecorded, "B", true),
                (MismatchKind::AmountDiffers, "C", false),
                (MismatchKind::UnknownOrder, "X", false),
                (MismatchKind::RecordedNotStated, "E", false),
            ]
        );
    }

    #[test]
    fn a_pending_payment_past_its_time_reads_expired() {
        let now = Utc::now();
        let later = now + chrono::Duration::minutes(30);
        assert_eq!(PaymentState::of(IntentStatus::Pending, later, now), PaymentState::Pending);
        assert_eq!(PaymentState::of(IntentStatus::Pending, now, later), PaymentState::Expired);
        assert_eq!(PaymentState::of(IntentStatus::Paid, now, later), PaymentState::Paid);
        assert_eq!(PaymentState::of(IntentStatus::Refused, later, now), PaymentState::Refused);
    }

    #[test]
    fn refunds_never_return_more_than_was_paid() {
        assert_eq!(refundable(2000, [500, 500]), 1000);
        assert_eq!(refundable(2000, []), 2000);
    }

    #[test]
    fn the_template_settings_load() {
        let standard = crate::model::standard::shipped_templates().unwrap();
        let ma = standard.iter().find(|t| t.name == "ma-commune").unwrap();
        let section = OnlinePaymentSettings::from_settings(&ma.content.settings).unwrap().unwrap();
        assert!(section.intent_minutes >= 5);
    }
}
