//! What staff may do (permissions, granted by the roles of a commune's template) and the rules of user
//! accounts: logins and passwords.

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, FieldErrorCode};
use crate::model::i18n::LocalizedText;
use crate::model::keys::RoleKey;

/// What a use case needs the caller to be allowed. A commune's roles grant them (`permissions` of each role
/// in the template); operators hold the platform's own (publishing, audit, indicators).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Read the public catalog: everyone, always.
    ReadCatalog,
    SubmitRequest,
    ReadRequests,
    ActOnRequests,
    PublishService,
    VerifyAudit,
    /// Register civil-status acts, add marginal mentions, read full records, issue extracts and copies.
    ManageCivilStatus,
    /// Prepare council sessions, agendas, votes and publish decisions.
    ManageCouncil,
    /// Register incoming and outgoing mail and route it.
    ManageCourier,
    /// Import and publish budget, commitments, payments and revenues.
    ManageFinance,
    /// Read the commune's indicators (operators read every commune's).
    ReadIndicators,
    /// Issue and revoke the commune's API tokens, and grant and take back its roles.
    ManageAccess,
    /// Mark the documents of the proactive-publication list (law 31.13, art. 10) as published.
    ManagePublications,
    /// Configure the commune's webhooks and SMTP relay, see and replay its dead letters.
    ManageNotifications,
    /// Assign and reassign the commune's requests to its staff, and see their workload (a head of service).
    AssignRequests,
    /// Read and write the commune's staff records, their leave and the organisation chart (human resources).
    ManageStaff,
    /// Keep the commune's action-plan projects (organic law 113.14, arts 78–82): their budget lines, milestones
    /// and progress, and their publication as open data and on the commune's site.
    ManageProjects,
    /// Read and write the commune's disputes: cases, hearings, decisions, appeals (the legal-affairs office).
    ManageDisputes,
    /// Record commitments, payments, revenue titles, collections and their counter-entries (the finance office).
    RecordFinance,
    /// Approve commitments (visa) and order their payment: the authorising officer (ordonnateur).
    ApproveCommitments,
    /// Find a request's demand and record a cash or card payment against it, with its quittance, and read one's
    /// own day report (the counter agent).
    CollectPayments,
    /// Cancel a payment by a counter-entry with its reason and read every agent's day report: the revenue
    /// officer (régisseur de recettes).
    ManageRevenue,
    /// Import the online payment provider's statements, read the mismatches, request refunds (the cashier's
    /// controller).
    ReconcilePayments,
    /// Approve or reject a refund requested by another member.
    ApproveRefunds,
    /// Give the opinion of a body a commission consults (the urban agency, civil protection), on the requests
    /// awaiting it: the only thing a member of another organisation does in the commune.
    GiveOpinions,
}

impl Permission {
    /// The name used in templates and on the wire (`manage_access`).
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::ReadCatalog => "read_catalog",
            Permission::SubmitRequest => "submit_request",
            Permission::ReadRequests => "read_requests",
            Permission::ActOnRequests => "act_on_requests",
            Permission::PublishService => "publish_service",
            Permission::VerifyAudit => "verify_audit",
            Permission::ManageCivilStatus => "manage_civil_status",
            Permission::ManageCouncil => "manage_council",
            Permission::ManageCourier => "manage_courier",
            Permission::ManageFinance => "manage_finance",
            Permission::ReadIndicators => "read_indicators",
            Permission::ManageAccess => "manage_access",
            Permission::ManagePublications => "manage_publications",
            Permission::ManageNotifications => "manage_notifications",
            Permission::ManageProjects => "manage_projects",
            Permission::AssignRequests => "assign_requests",
            Permission::ManageStaff => "manage_staff",
            Permission::ManageDisputes => "manage_disputes",
            Permission::RecordFinance => "record_finance",
            Permission::ApproveCommitments => "approve_commitments",
            Permission::CollectPayments => "collect_payments",
            Permission::ManageRevenue => "manage_revenue",
            Permission::ReconcilePayments => "reconcile_payments",
            Permission::ApproveRefunds => "approve_refunds",
            Permission::GiveOpinions => "give_opinions",
        }
    }
}

/// A staff role a commune hands out: `counter_agent`, `civil_registrar`, …
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleDef {
    pub key: RoleKey,
    pub label: LocalizedText,
    /// What holding the role allows in the commune.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub permissions: Vec<Permission>,
}

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest password accepted (argon2 takes any length; this bounds the work an attacker can ask for).
pub const MAX_PASSWORD_BYTES: usize = 256;

/// A login, trimmed and lower-cased: 3–64 letters, digits and `.`, `_`, `-`, `@` (an e-mail address fits).
pub fn normalize_login(login: &str) -> Result<String, FieldError> {
    let login = login.trim().to_lowercase();
    let valid = (3..=64).contains(&login.chars().count())
        && login.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
        && login.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    if valid {
        Ok(login)
    } else {
        Err(FieldError::new("login", FieldErrorCode::PatternMismatch, crate::model::form::messages::login_format()))
    }
}

/// Whether a new password is long enough (and not absurdly long). Its content is never echoed.
pub fn check_password(password: &str) -> Result<(), FieldError> {
    let code = if password.chars().count() < MIN_PASSWORD_CHARS {
        FieldErrorCode::TooShort
    } else if password.len() > MAX_PASSWORD_BYTES {
        FieldErrorCode::TooLong
    } else {
        return Ok(());
    };
    Err(FieldError::new(
        "password",
        code,
        crate::model::form::messages::password_length(MIN_PASSWORD_CHARS, MAX_PASSWORD_BYTES),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_normalized_and_checked() {
        assert_eq!(
            normalize_login("  Agent.Provincial@Interieur.gov.ma ").as_deref(),
            Ok("agent.provincial@interieur.gov.ma")
        );
        for bad in ["ab", "", ".agent", "agent provincial", "ağent", &"a".repeat(65)] {
            assert!(normalize_login(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_have_a_length() {
        assert!(check_password("correct horse battery").is_ok());
        let error = check_password("short").unwrap_err();
        assert_eq!(error.path, "password");
        assert!(!format!("{error:?}").contains("short"));
        assert!(check_password(&"x".repeat(MAX_PASSWORD_BYTES + 1)).is_err());
    }

    #[test]
    fn permissions_are_snake_case_in_templates() {
        assert_eq!(serde_json::to_string(&Permission::ManageCivilStatus).unwrap(), "\"manage_civil_status\"");
        assert!(serde_json::from_str::<Permission>("\"everything\"").is_err());
        for permission in [Permission::ReadCatalog, Permission::AssignRequests, Permission::ManageNotifications] {
            assert_eq!(serde_json::to_string(&permission).unwrap(), format!("\"{}\"", permission.as_str()));
        }
    }
}
