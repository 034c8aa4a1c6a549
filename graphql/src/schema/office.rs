//! The back office's operations: inbox counts, assignment of requests to a person (assign, claim, release),
//! workload, who may be assigned; account administration of a commune's members and its API tokens.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use jamaa_core::error::FieldErrorCode;
use jamaa_core::model::assignment::AssignmentAct;
use jamaa_core::model::ids::{RequestId, UserId};
use jamaa_core::service::{self as core_service, InboxFilter, NewCommuneUser};
use secrecy::SecretString;

use super::Lang;
use super::call::{InCommune, InLang, input_id, input_id_as, keys, subject_id};
use super::page::{Listing, in_memory};
use super::query::viewer_of;
use super::types::Request;

/// A person of the commune's staff, as colleagues see them.
#[derive(SimpleObject, Clone)]
pub struct StaffMember {
    pub id: ID,
    pub login: String,
    pub display_name: String,
}

impl From<core_service::StaffMember> for StaffMember {
    fn from(member: core_service::StaffMember) -> Self {
        Self { id: ID(member.id.to_string()), login: member.login, display_name: member.display_name }
    }
}

/// Whose requests the inbox shows.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
pub enum AssignmentFilter {
    #[default]
    Any,
    /// Those the caller holds (a login session).
    Mine,
    Unassigned,
}

impl From<AssignmentFilter> for core_service::AssignmentFilter {
    fn from(filter: AssignmentFilter) -> Self {
        match filter {
            AssignmentFilter::Any => Self::Any,
            AssignmentFilter::Mine => Self::Mine,
            AssignmentFilter::Unassigned => Self::Unassigned,
        }
    }
}

/// The requests of one state in the inbox, with the state's label (`StateCount` is the indicators' type).
#[derive(SimpleObject)]
#[graphql(name = "InboxStateCount")]
pub struct StateCount {
    pub state: String,
    pub label: String,
    pub count: i32,
}

/// The counts beside the inbox. Each applies the filters with its own dimension replaced: `overdue` the
/// overdue ones, `mine` the caller's, `unassigned` those nobody holds; `byState` whatever the state filter.
#[derive(SimpleObject)]
pub struct InboxCounts {
    pub total: i32,
    pub overdue: i32,
    /// Open requests whose step is overdue (their state's SLA).
    pub step_overdue: i32,
    pub mine: i32,
    pub unassigned: i32,
    pub by_state: Vec<StateCount>,
}

/// The open requests a member holds.
#[derive(SimpleObject)]
pub struct Workload {
    pub member: StaffMember,
    pub open: i32,
    pub overdue: i32,
    /// The name on the member's staff record, when the account is linked to one.
    pub full_name: Option<String>,
    /// The last day of the leave the member is on today: no file is assigned to them until then.
    pub away_until: Option<NaiveDate>,
}

/// A member of a commune, as its administrators see it.
#[derive(SimpleObject)]
pub struct CommuneUser {
    pub id: ID,
    pub login: String,
    pub display_name: String,
    pub disabled: bool,
    /// The roles in this commune.
    pub roles: Vec<String>,
}

impl From<core_service::CommuneUser> for CommuneUser {
    fn from(user: core_service::CommuneUser) -> Self {
        Self {
            id: ID(user.id.to_string()),
            login: user.login,
            display_name: user.display_name,
            disabled: user.disabled,
            roles: keys(user.roles),
        }
    }
}

/// An account to create in a commune.
#[derive(InputObject)]
pub struct CreateUserInput {
    pub login: String,
    pub display_name: String,
    /// At least 12 characters; never shown again.
    pub password: String,
    /// Roles of the commune.
    pub roles: Vec<String>,
}

/// An API token of a commune, without its secret.
#[derive(SimpleObject)]
pub struct ApiTokenInfo {
    pub id: ID,
    /// `staff` or `partner`.
    pub kind: String,
    pub label: String,
    /// A staff token's roles.
    pub roles: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

fn count(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The inbox's filters from the arguments.
#[allow(clippy::too_many_arguments)]
pub(crate) fn inbox_filter(
    state: Option<String>,
    service_code: Option<String>,
    overdue: Option<bool>,
    due_before: Option<NaiveDate>,
    step_overdue: Option<bool>,
    assignment: Option<AssignmentFilter>,
    assignee_id: Option<ID>,
    search: Option<String>,
    lang: &Lang,
) -> Result<InboxFilter> {
    let assignee = match assignee_id {
        Some(id) => Some(input_id::<UserId>(&id, "assigneeId").in_lang(lang)?),
        None => None,
    };
    Ok(InboxFilter {
        state,
        service_code: service_code.map(Into::into),
        overdue,
        due_before,
        step_overdue,
        assignment: assignment.unwrap_or_default().into(),
        assignee,
        search,
    })
}

#[derive(Default)]
pub struct OfficeQuery;

#[Object]
impl OfficeQuery {
    /// The counts beside the inbox, for the same filters as `requests` (staff).
    #[allow(clippy::too_many_arguments)]
    async fn inbox_counts(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        state: Option<String>,
        service_code: Option<String>,
        overdue: Option<bool>,
        due_before: Option<NaiveDate>,
        step_overdue: Option<bool>,
        assignment: Option<AssignmentFilter>,
        assignee_id: Option<ID>,
        search: Option<String>,
        locale: Option<String>,
    ) -> Result<InboxCounts> {
        let call = InCommune::new(ctx, commune, locale).await?;
        let filter = inbox_filter(
            state,
            service_code,
            overdue,
            due_before,
            step_overdue,
            assignment,
            assignee_id,
            search,
            &call.lang,
        )?;
        let counts = call.jamaa.inbox_counts(call.principal, &call.commune, &filter).await.in_lang(&call)?;
        Ok(InboxCounts {
            total: count(counts.total),
            overdue: count(counts.overdue),
            step_overdue: count(counts.step_overdue),
            mine: count(counts.mine),
            unassigned: count(counts.unassigned),
            by_state: counts
                .by_state
                .into_iter()
                .map(|s| StateCount { label: call.lang.text(&s.label), state: s.state, count: count(s.count) })
                .collect(),
        })
    }

    /// The open requests each member holds and how many are overdue (who may assign requests).
    async fn workload(&self, ctx: &Context<'_>, commune: Option<String>) -> Result<Vec<Workload>> {
        let call = InCommune::new(ctx, commune, None).await?;
        let workload = call.jamaa.workload(call.principal, &call.commune).await.in_lang(&call)?;
        Ok(workload
            .into_iter()
            .map(|w| Workload {
                member: w.member.into(),
                open: count(w.open),
                overdue: count(w.overdue),
                full_name: w.full_name,
                away_until: w.away_until,
            })
            .collect())
    }

    /// The members a request may be given to: those holding a role of its workflow (who may assign).
    async fn assignable_members(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        request_id: ID,
    ) -> Result<Vec<StaffMember>> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id: RequestId = subject_id(&request_id, "request").in_lang(&call)?;
        let members = call.jamaa.assignable_members(call.principal, &call.commune, id).await.in_lang(&call)?;
        Ok(members.into_iter().map(Into::into).collect())
    }

    /// The commune's members and their roles there (operators; the commune's holders of manage_access).
    async fn commune_users(&self, ctx: &Context<'_>, commune: Option<String>) -> Result<Vec<CommuneUser>> {
        let call = InCommune::new(ctx, commune, None).await?;
        let users = call.jamaa.commune_users(call.principal, &call.commune).await.in_lang(&call)?;
        Ok(users.into_iter().map(Into::into).collect())
    }

    /// The commune's API tokens, revoked ones included, without their secrets (operators; the commune's holders
    /// of manage_access).
    async fn api_tokens(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<ApiTokenInfo>> {
        let call = InCommune::new(ctx, commune, None).await?;
        let tokens = call.jamaa.api_tokens(call.principal, &call.commune).await.in_lang(&call)?;
        in_memory(
            tokens,
            first,
            after,
            call.locale(),
            |t| t.id.to_string(),
            |t| ApiTokenInfo {
                id: ID(t.id.to_string()),
                kind: t.kind.to_string(),
                label: t.label,
                roles: keys(t.roles),
                created_at: t.created_at,
                expires_at: t.expires_at,
                last_used_at: t.last_used_at,
                revoked_at: t.revoked_at,
            },
        )
    }
}

#[derive(Default)]
pub struct OfficeMutation;

impl OfficeMutation {
    async fn assignment(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        request_id: ID,
        act: impl FnOnce(&Lang) -> Result<AssignmentAct>,
    ) -> Result<Request> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id: RequestId = subject_id(&request_id, "request").in_lang(&call)?;
        let act = act(&call.lang)?;
        let principal = call.principal;
        let details = call.jamaa.change_assignment(principal, &call.commune, id, act).await.in_lang(&call)?;
        Ok(Request {
            details,
            history: None,
            messages: None,
            fees: None,
            viewer: viewer_of(principal, call.commune.id),
            lang: call.lang.clone(),
        })
    }
}

#[Object]
impl OfficeMutation {
    /// Gives a request to a member holding a role of its workflow, or to another one (who may assign).
    /// Audited, and a step of the request's history.
    async fn assign_request(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        request_id: ID,
        member_id: ID,
    ) -> Result<Request> {
        self.assignment(ctx, commune, request_id, |lang| {
            // An unknown member is not eligible, like one of another commune.
            let member = input_id_as::<UserId>(&member_id, "memberId", FieldErrorCode::NotAnOption).in_lang(lang)?;
            Ok(AssignmentAct::Assign { member })
        })
        .await
    }

    /// Takes an unassigned request for oneself (a login session holding a role of its workflow).
    async fn claim_request(&self, ctx: &Context<'_>, commune: Option<String>, request_id: ID) -> Result<Request> {
        self.assignment(ctx, commune, request_id, |_| Ok(AssignmentAct::Claim)).await
    }

    /// Gives a request back to the pool (its holder, or who may assign).
    async fn release_request(&self, ctx: &Context<'_>, commune: Option<String>, request_id: ID) -> Result<Request> {
        self.assignment(ctx, commune, request_id, |_| Ok(AssignmentAct::Release)).await
    }

    /// Creates an account working in the commune with roles there (operators; the commune's holders of
    /// manage_access). Audited in the commune's chain.
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        input: CreateUserInput,
    ) -> Result<CommuneUser> {
        let call = InCommune::new(ctx, commune, None).await?;
        let new = NewCommuneUser {
            login: input.login,
            display_name: input.display_name,
            password: SecretString::from(input.password),
            roles: keys(input.roles),
        };
        let user = call.jamaa.create_commune_user(call.principal, &call.commune, new).await.in_lang(&call)?;
        Ok(user.into())
    }

    /// Adds a role of the commune to a user's roles there.
    async fn grant_role(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        user_id: ID,
        role: String,
    ) -> Result<CommuneUser> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id: UserId = subject_id(&user_id, "user").in_lang(&call)?;
        let user = call.jamaa.grant_role(call.principal, &call.commune, id, &role.into()).await.in_lang(&call)?;
        Ok(user.into())
    }

    /// Takes a role of the commune back from a member (the membership ends with its last role).
    async fn revoke_role(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        user_id: ID,
        role: String,
    ) -> Result<CommuneUser> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id: UserId = subject_id(&user_id, "user").in_lang(&call)?;
        let user = call.jamaa.revoke_role(call.principal, &call.commune, id, &role.into()).await.in_lang(&call)?;
        Ok(user.into())
    }

    /// Disables (ending its sessions) or enables a member's account. A commune's administrator may not change
    /// an account that works in other communes too, nor an operator's.
    async fn set_user_disabled(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        user_id: ID,
        disabled: bool,
    ) -> Result<CommuneUser> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id: UserId = subject_id(&user_id, "user").in_lang(&call)?;
        let user = call.jamaa.set_member_disabled(call.principal, &call.commune, id, disabled).await.in_lang(&call)?;
        Ok(user.into())
    }

    /// Sets a member's password (its sessions end); the same callers as `setUserDisabled`.
    async fn reset_user_password(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        user_id: ID,
        password: String,
    ) -> Result<bool> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id: UserId = subject_id(&user_id, "user").in_lang(&call)?;
        call.jamaa
            .reset_member_password(call.principal, &call.commune, id, SecretString::from(password))
            .await
            .in_lang(&call)?;
        Ok(true)
    }
}
