//! Notifications, the pure part: the kinds of events a request's changes make, the channels and statuses of
//! their deliveries, how an SMTP relay is reached, and the retry schedule.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How a delivery reaches its recipient, stored by its name (`webhook`, `email`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum DeliveryChannel {
    /// A POST to one of the commune's webhook endpoints.
    Webhook,
    /// An e-mail to the applicant through the commune's SMTP relay.
    Email,
}

impl DeliveryChannel {
    /// The stored name (`webhook`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Where a delivery stands, stored by its name (`pending`, `delivered`, `skipped`, `dead`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case"))]
pub enum DeliveryStatus {
    /// Waiting for its next attempt.
    Pending,
    Delivered,
    /// Nothing to send (no address, the endpoint gone or switched off).
    Skipped,
    /// Given up after the retry policy's last attempt; the admin may replay it.
    Dead,
}

impl DeliveryStatus {
    /// The stored name (`dead`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// How a commune's SMTP relay is reached, stored by its name (`none`, `starttls`, `tls`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text", rename_all = "lowercase"))]
pub enum SmtpTls {
    /// Plain SMTP: for a relay on the same host or network only.
    None,
    /// SMTP upgraded with STARTTLS (port 587).
    StartTls,
    /// SMTP inside TLS from the first byte (port 465).
    Tls,
}

impl SmtpTls {
    /// The stored name (`starttls`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// What happened to a request, named as the outbox stores it and a webhook receives it (`request.submitted`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr, strum::EnumString)]
#[cfg_attr(feature = "store", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "store", sea_orm(rs_type = "String", db_type = "Text"))]
pub enum EventKind {
    /// The request was filed.
    #[serde(rename = "request.submitted")]
    #[strum(serialize = "request.submitted")]
    #[cfg_attr(feature = "store", sea_orm(string_value = "request.submitted"))]
    Submitted,
    /// An action (or a timer) moved it to another state.
    #[serde(rename = "request.state_changed")]
    #[strum(serialize = "request.state_changed")]
    #[cfg_attr(feature = "store", sea_orm(string_value = "request.state_changed"))]
    StateChanged,
    /// An action that left the state as it was: a message to the requester, a note.
    #[serde(rename = "request.message")]
    #[strum(serialize = "request.message")]
    #[cfg_attr(feature = "store", sea_orm(string_value = "request.message"))]
    Message,
    /// The request was assigned to a person of the staff, reassigned, claimed or released (no e-mail to the
    /// applicant: it is the commune's internal business).
    #[serde(rename = "request.assigned")]
    #[strum(serialize = "request.assigned")]
    #[cfg_attr(feature = "store", sea_orm(string_value = "request.assigned"))]
    Assigned,
    /// A step of the request's answer period: its staff reminded that it is about to end, or its lapse
    /// recorded; or of the due date of the step it is in (its state's SLA): its holder reminded, or the role
    /// its state escalates to told (no e-mail to the applicant: it is addressed to the staff).
    #[serde(rename = "request.deadline")]
    #[strum(serialize = "request.deadline")]
    #[cfg_attr(feature = "store", sea_orm(string_value = "request.deadline"))]
    Deadline,
}

impl EventKind {
    pub const ALL: [EventKind; 5] =
        [EventKind::Submitted, EventKind::StateChanged, EventKind::Message, EventKind::Assigned, EventKind::Deadline];

    /// The kind of a transition from `from` (none for the submission) to `to` by `action`.
    pub fn of(from: Option<&str>, to: &str, action: &str) -> Self {
        if crate::model::assignment::is_assignment_step(action) {
            return EventKind::Assigned;
        }
        if crate::model::complaint::deadline_step_label(action).is_some()
            || crate::model::workflow::sla_step_label(action).is_some()
        {
            return EventKind::Deadline;
        }
        match from {
            None => EventKind::Submitted,
            Some(from) if from == to => EventKind::Message,
            Some(_) => EventKind::StateChanged,
        }
    }

    /// The stored name (`request.submitted`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// How failed deliveries are retried: after `base`, then twice as long each time up to `max`; given up (dead
/// letter) after `max_attempts` attempts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    pub base: Duration,
    pub max: Duration,
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { base: Duration::from_secs(10), max: Duration::from_secs(3600), max_attempts: 12 }
    }
}

impl RetryPolicy {
    /// The wait after the `attempts`-th failed attempt (1 for the first), or `None` to give up.
    pub fn after_failure(&self, attempts: u32) -> Option<Duration> {
        if attempts >= self.max_attempts {
            return None;
        }
        let factor = 2u32.saturating_pow(attempts.saturating_sub(1));
        Some(self.base.saturating_mul(factor).min(self.max))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_follow_the_transition() {
        assert_eq!(EventKind::of(None, "submitted", "submit"), EventKind::Submitted);
        assert_eq!(EventKind::of(Some("submitted"), "certified", "certify"), EventKind::StateChanged);
        assert_eq!(EventKind::of(Some("review"), "review", "note"), EventKind::Message);
        assert_eq!(EventKind::of(Some("review"), "review", "assignment.claim"), EventKind::Assigned);
        for step in ["answer_reminder", "sla.reminder", "sla.escalated"] {
            assert_eq!(EventKind::of(Some("urgent"), "urgent", step), EventKind::Deadline, "{step}");
        }
        for kind in EventKind::ALL {
            assert_eq!(kind.as_str().parse(), Ok(kind));
            assert_eq!(serde_json::to_value(kind).ok(), Some(serde_json::json!(kind.as_str())));
        }
        assert!("request.deleted".parse::<EventKind>().is_err());
    }

    #[test]
    fn back_off_doubles_up_to_its_cap_then_gives_up() {
        let policy = RetryPolicy { base: Duration::from_secs(10), max: Duration::from_secs(60), max_attempts: 5 };
        let waits: Vec<Option<u64>> = (1..=5).map(|n| policy.after_failure(n).map(|d| d.as_secs())).collect();
        assert_eq!(waits, vec![Some(10), Some(20), Some(40), Some(60), None]);
    }
}
