//! Typed identifiers (UUID v7, time-ordered): mixing a `RequestId` with a `TenantId` is a type error.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! typed_id {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new time-ordered identifier (UUID v7).
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// Wraps an identifier read from storage or the wire.
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }
    )*};
}

typed_id!(
    /// A commune (tenant).
    TenantId,
    /// A published version of a service of a commune's catalog.
    ServiceId,
    /// A published, immutable workflow version.
    WorkflowId,
    /// A citizen's request (a file).
    RequestId,
    /// An audit event.
    EventId,
    /// An API token.
    TokenId,
    /// A user account of the platform (staff who log in with a password).
    UserId,
    /// A login session of a user.
    SessionId,
    /// A scheduled workflow timer.
    JobId,
    /// A civil-status act.
    CivilActId,
    /// An item of the courier registry.
    MailId,
    /// A document issued by a commune (an extract, a decision) that anyone can verify.
    DocumentId,
);

typed_id!(
    /// A member of a commune's council.
    CouncilMemberId,
    /// A session of a commune's council.
    CouncilSessionId,
    /// An item of a council session's agenda.
    AgendaItemId,
    /// A deliberation of a council (its decision and its votes).
    DeliberationId,
);

typed_id!(
    /// A staff record of a commune.
    StaffId,
    /// A department of a commune's organisation chart.
    DepartmentId,
    /// A leave or absence of a member of staff.
    LeaveId,
);

typed_id!(
    /// A dispute (a court case) involving a commune.
    DisputeId,
    /// A hearing of a dispute.
    HearingId,
    /// A court's decision in a dispute.
    DecisionId,
    /// An appeal against a decision in a dispute.
    AppealId,
    /// A document of a dispute (a pleading, a judgment, an expert report), its content sealed.
    DisputeDocumentId,
);

typed_id!(
    /// A project of a commune's action plan.
    ProjectId,
    /// A milestone of a project.
    MilestoneId,
    /// A dated note of a project's progress.
    ProjectUpdateId,
);

typed_id!(
    /// A recorded expenditure or revenue entry of a commune (a commitment, a payment, a revenue title, …).
    FinanceEntryId,
);

typed_id!(
    /// A payment of a fee, or the counter-entry that cancels one.
    PaymentId,
    /// A payment started online through the commune's provider (its order at the provider).
    OnlinePaymentId,
    /// A provider's statement of a day, imported for reconciliation.
    PaymentStatementId,
    /// A refund of an online payment, requested then approved by a second member.
    RefundId,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_time_ordered_and_round_trip() {
        let a = RequestId::new();
        let b = RequestId::new();
        assert!(a < b);
        assert_eq!(a.to_string().parse::<RequestId>().unwrap(), a);
        assert_eq!(a.as_uuid().get_version_num(), 7);
    }
}
