//! The staff inbox (filters, counts, sorted by the legal decision date) and the assignment of requests to a
//! person: assign, reassign, claim, release, each a step of the request's history and an audit event; the
//! workload of each member and who may be given a request.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::auth::{Permission, Principal};
use crate::crypto;
use crate::error::{Error, FieldErrorCode};
use crate::model::assignment::{self, AssignmentAct, AssignmentError, AssignmentFacts};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::commune::Commune;
use crate::model::form::{FieldKind, messages};
use crate::model::i18n::{Locale, LocalizedText};
use crate::model::ids::{RequestId, UserId};
use crate::model::keys::{RoleKey, ServiceCode};
use crate::model::national_id;
use crate::model::request::TrackingCode;
use crate::modules::hr::store as hr;
use crate::store::catalog;
use crate::store::requests::{self, Holder, InboxQuery, TransitionRecord};
use crate::store::users::{self, UserRecord};
use crate::store::{TenantTx, keys};

use super::{Jamaa, MAX_PAGE_SIZE, RequestDetails};

/// Whose requests the inbox shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AssignmentFilter {
    #[default]
    Any,
    /// Those the caller holds (a login session).
    Mine,
    Unassigned,
}

/// The filters of the inbox; all optional, all combined.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InboxFilter {
    pub state: Option<String>,
    pub service_code: Option<ServiceCode>,
    /// Open requests whose legal decision date has passed (true), or the others (false).
    pub overdue: Option<bool>,
    /// A decision date strictly before this day.
    pub due_before: Option<NaiveDate>,
    /// Open requests whose step's due date (their state's SLA) has passed (true), or the others (false).
    pub step_overdue: Option<bool>,
    pub assignment: AssignmentFilter,
    /// Held by this member.
    pub assignee: Option<UserId>,
    /// A tracking code, or a national id found through the blind index.
    pub search: Option<String>,
}

/// Where a page of the inbox ends: the decision date and the id of its last request.
pub type InboxCursor = (NaiveDate, RequestId);

/// A page of the inbox and how many requests the filters find in all.
#[derive(Debug)]
pub struct InboxPage {
    pub items: Vec<RequestDetails>,
    pub has_next: bool,
    pub total_count: u64,
}

/// The requests of one state.
#[derive(Clone, Debug, PartialEq)]
pub struct StateCount {
    pub state: String,
    pub label: LocalizedText,
    pub count: u64,
}

/// The counts beside the inbox: each is the filters with its own dimension replaced (the overdue ones, the
/// caller's, the unassigned ones; per state, whatever the state filter).
#[derive(Clone, Debug, PartialEq)]
pub struct InboxCounts {
    pub total: u64,
    pub overdue: u64,
    /// Open requests whose step is overdue (their state's SLA).
    pub step_overdue: u64,
    pub mine: u64,
    pub unassigned: u64,
    pub by_state: Vec<StateCount>,
}

/// A person of the commune's staff as colleagues see them: no contact data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffMember {
    pub id: UserId,
    pub login: String,
    pub display_name: String,
}

impl From<&UserRecord> for StaffMember {
    fn from(user: &UserRecord) -> Self {
        Self { id: user.id, login: user.login.clone(), display_name: user.display_name.clone() }
    }
}

/// The open requests a member holds, and how many of them are overdue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workload {
    pub member: StaffMember,
    pub open: u64,
    pub overdue: u64,
    /// The name on the member's staff record, when the account is linked to one.
    pub full_name: Option<String>,
    /// The last day of the leave the member is on today.
    pub away_until: Option<NaiveDate>,
}

fn text(ar: &str, fr: &str, en: &str) -> LocalizedText {
    LocalizedText::ar_fr(ar, fr).with(Locale::En, en)
}

fn invalid(path: &str, message: LocalizedText) -> Error {
    Error::field(path, FieldErrorCode::InvalidValue, message)
}

fn assignment_error(error: AssignmentError) -> Error {
    match error {
        AssignmentError::Forbidden(why) => Error::Forbidden(why.into()),
        AssignmentError::Conflict(why) => Error::Conflict(why.into()),
        AssignmentError::NotEligible => Error::field(
            "memberId",
            FieldErrorCode::NotAnOption,
            text(
                "هذا الشخص لا يشغل أي دور في مسار هذا الطلب.",
                "Cette personne n'a aucun rôle dans la procédure de cette demande.",
                "This person holds no role of this request's workflow.",
            )
            .with(Locale::Tzm, "ⵓⵔ ⵖⵓⵔⵙ ⵓⴼⴳⴰⵏ ⴰⴷ ⴽⵔⴰ ⵏ ⵜⵎⴰⵍⵙⵉ ⴳ ⵓⴱⵔⵉⴷ ⵏ ⵓⵙⵓⵜⵔ ⴰ."),
        ),
        AssignmentError::Away(until) => {
            Error::field("memberId", FieldErrorCode::NotAnOption, messages::member_on_leave(&until.to_string()))
        }
    }
}

/// Whether `roles` hold one of the workflow's roles.
fn works_on(roles: &[RoleKey], workflow_roles: &BTreeSet<&RoleKey>) -> bool {
    roles.iter().any(|r| workflow_roles.contains(r))
}

/// The person behind the caller, when it is a login session.
fn person(principal: &Principal) -> Option<UserId> {
    match principal {
        Principal::User { user, .. } => Some(*user),
        _ => None,
    }
}

impl Jamaa {
    /// The staff inbox: the commune's requests that the filters find, by legal decision date then submission,
    /// a page at a time, with the total.
    pub async fn inbox(
        &self,
        principal: &Principal,
        commune: &Commune,
        filter: &InboxFilter,
        after: Option<InboxCursor>,
        first: u64,
    ) -> Result<InboxPage, Error> {
        let scope = principal.authorize(commune.id, Permission::ReadRequests)?;
        let first = first.clamp(1, MAX_PAGE_SIZE);
        let today = self.now().with_timezone(&commune.time_zone()).date_naive();
        let tx = self.store.tenant_read_tx(scope).await?;
        let query = self.inbox_query(&tx, principal, commune.spec.country, filter, today).await?;
        let mut records = requests::inbox_page(&tx, &query, after, first + 1).await?;
        let total_count = requests::inbox_count(&tx, &query).await?;
        let has_next = records.len() as u64 > first;
        records.truncate(first as usize);
        // The versions the page's requests run on, at once (most are held in memory).
        let wanted: Vec<_> = records.iter().map(|r| (r.service_id, r.workflow_id)).collect();
        let services = catalog::service_versions(&tx, &wanted).await?;
        let commune = std::sync::Arc::new(commune.clone());
        let mut items = Vec::with_capacity(records.len());
        for record in records {
            let service =
                services.get(&(record.service_id, record.workflow_id)).cloned().ok_or(Error::NotFound("service"))?;
            items.push(RequestDetails::sealed(commune.clone(), service, record));
        }
        tx.commit().await?;
        Ok(InboxPage { items, has_next, total_count })
    }

    /// The counts beside the inbox, for the same filters.
    pub async fn inbox_counts(
        &self,
        principal: &Principal,
        commune: &Commune,
        filter: &InboxFilter,
    ) -> Result<InboxCounts, Error> {
        let scope = principal.authorize(commune.id, Permission::ReadRequests)?;
        let today = self.now().with_timezone(&commune.time_zone()).date_naive();
        let tx = self.store.tenant_read_tx(scope).await?;
        let query = self.inbox_query(&tx, principal, commune.spec.country, filter, today).await?;
        let total = requests::inbox_count(&tx, &query).await?;
        let overdue = requests::inbox_count(&tx, &InboxQuery { overdue: Some((true, today)), ..query.clone() }).await?;
        let step_overdue =
            requests::inbox_count(&tx, &InboxQuery { step_overdue: Some((true, today)), ..query.clone() }).await?;
        let mine = match person(principal) {
            Some(user) => {
                requests::inbox_count(&tx, &InboxQuery { holder: Holder::Person(user), ..query.clone() }).await?
            }
            None => 0,
        };
        let unassigned = requests::inbox_count(&tx, &InboxQuery { holder: Holder::NoOne, ..query.clone() }).await?;
        let per_state = requests::inbox_count_by_state(&tx, &InboxQuery { state: None, ..query }).await?;
        let services = catalog::current_services(&tx).await?;
        tx.commit().await?;
        let by_state = per_state
            .into_iter()
            .map(|(state, count)| {
                let label = services
                    .iter()
                    .find_map(|s| s.definition.workflow.state(&state).map(|def| def.label.clone()))
                    .unwrap_or_else(|| LocalizedText::ar_fr(state.clone(), state.clone()));
                StateCount { state, label, count: u64::try_from(count).unwrap_or(0) }
            })
            .collect();
        Ok(InboxCounts { total, overdue, step_overdue, mine, unassigned, by_state })
    }

    /// Resolves the filters: the caller for MINE, the search to a tracking code or blind indexes.
    async fn inbox_query(
        &self,
        tx: &TenantTx,
        principal: &Principal,
        country: crate::model::commune::Country,
        filter: &InboxFilter,
        today: NaiveDate,
    ) -> Result<InboxQuery, Error> {
        let holder = match (filter.assignment, filter.assignee) {
            (AssignmentFilter::Any, None) => Holder::Anyone,
            (AssignmentFilter::Any, Some(user)) => Holder::Person(user),
            (AssignmentFilter::Unassigned, None) => Holder::NoOne,
            (AssignmentFilter::Mine, None) => match person(principal) {
                Some(user) => Holder::Person(user),
                None => {
                    return Err(invalid(
                        "assignment",
                        text(
                            "«ملفاتي» تخص من سجل الدخول بحسابه.",
                            "« Mes dossiers » demande une session ouverte avec un identifiant.",
                            "MINE needs a login session, not an API token.",
                        )
                        .with(Locale::Tzm, "« ⵉⴼⴰⵢⵍⵓⵜⵏ ⵉⵏⵓ » ⵔⵅⵙⵏ ⵜⵉⵖⵔⵉ ⵙ ⵓⵙⵎⵔⵙ, ⵓⵔ ⵜⵜ ⵜⴰⵙⵎⴽⵜⵓⵜ ⵏ API."),
                    ));
                }
            },
            (_, Some(_)) => {
                return Err(invalid(
                    "assigneeId",
                    text(
                        "اختر إما صاحب الملف وإما نوع الإسناد.",
                        "Choisissez soit la personne, soit le filtre d'attribution.",
                        "Name either the assignee or the assignment filter, not both.",
                    )
                    .with(Locale::Tzm, "ⵙⵜⵉ ⵎⵉⴷ ⴰⵎⴳⴳⴰⵔⵓ ⵏⵖ ⴰⵏⴰⵡ ⵏ ⵓⵙⵏⵎⴰⵍ, ⵓⵔ ⵜⵏ ⵙⵉⵏ ⴰⴽⴽⵯ."),
                ));
            }
        };
        let mut query = InboxQuery {
            state: filter.state.clone(),
            service_code: filter.service_code.clone(),
            overdue: filter.overdue.map(|overdue| (overdue, today)),
            due_before: filter.due_before,
            step_overdue: filter.step_overdue.map(|overdue| (overdue, today)),
            holder,
            tracking_code: None,
            lookups: None,
        };
        let Some(search) = filter.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
            return Ok(query);
        };
        if let Ok(code) = TrackingCode::parse(&search.to_uppercase()) {
            query.tracking_code = Some(code.to_string());
        } else if let Ok(national_id) = national_id::normalize_national_id(country, search) {
            // Every field of the commune's forms that holds a national id and is indexed.
            let mut lookups = Vec::new();
            if let Some(key) = keys::existing(tx, &self.keyring).await? {
                let mut fields = BTreeSet::new();
                for service in catalog::current_services(tx).await?.iter() {
                    for field in &service.definition.form.fields {
                        if field.personal && field.kind == FieldKind::NationalId {
                            fields.insert(field.key.clone());
                        }
                    }
                }
                for field in fields {
                    let digest = crypto::blind_index(&key, &field, &national_id)?;
                    lookups.push((field, digest));
                }
            }
            query.lookups = Some(lookups);
        } else {
            return Err(invalid(
                "search",
                text(
                    "ابحث برقم التتبع (OUJ-2026-000042) أو برقم البطاقة الوطنية.",
                    "Cherchez par code de suivi (OUJ-2026-000042) ou par numéro d'identité nationale.",
                    "Search by tracking code (OUJ-2026-000042) or national id number.",
                )
                .with(Locale::Tzm, "ⵔⵣⵓ ⵙ ⵜⵏⴳⴰⵍⵜ ⵏ ⵓⴹⴼⴼⵓⵔ (OUJ-2026-000042) ⵏⵖ ⵙ ⵓⵟⵟⵓⵏ ⵏ ⵜⵎⴰⴳⵉⵜ."),
            ));
        }
        Ok(query)
    }

    /// Gives a request to a member, claims it for oneself, or releases it: the rules of
    /// [`crate::model::assignment`]; each change is a step of the request's history (an event of the outbox,
    /// seen by `inboxChanged`) and an audit event, in one transaction.
    pub async fn change_assignment(
        &self,
        principal: &Principal,
        commune: &Commune,
        id: RequestId,
        act: AssignmentAct,
    ) -> Result<RequestDetails, Error> {
        let scope = principal.authorize(commune.id, Permission::ReadRequests)?;
        let caller_may_assign = principal.authorize(commune.id, Permission::AssignRequests).is_ok();
        let caller_may_act = principal.authorize(commune.id, Permission::ActOnRequests).is_ok();
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        let record = requests::by_id(&tx, id).await?.ok_or(Error::NotFound("request"))?;
        let service = catalog::service_version(&tx, record.service_id, record.workflow_id).await?;
        let workflow_roles = service.definition.workflow.roles();
        let (member_works_on_it, member_away_until) = match act {
            AssignmentAct::Assign { member } => {
                let works = eligible(&tx, member, commune.id, &workflow_roles).await?.is_some();
                let today = now.with_timezone(&commune.time_zone()).date_naive();
                let away = hr::users_away_on(&tx, today).await?;
                (works, away.iter().find(|(user, _)| *user == member).map(|(_, until)| *until))
            }
            _ => (false, None),
        };
        let facts = AssignmentFacts {
            current: record.assignee,
            closed: record.outcome.is_some(),
            caller: person(principal),
            caller_may_assign,
            caller_works_on_it: caller_may_act && works_on(principal.roles_in(commune.id), &workflow_roles),
            member_works_on_it,
            member_away_until,
        };
        let Some(step) = assignment::decide(act, &facts).map_err(assignment_error)? else {
            tx.commit().await?;
            return Ok(RequestDetails::sealed(std::sync::Arc::new(commune.clone()), service, record));
        };
        if !requests::set_assignee(&tx, id, record.assignee, step.assignee, now).await? {
            return Err(Error::Conflict("the file was assigned by someone else meanwhile: reload it".into()));
        }
        let transition = TransitionRecord {
            from_state: Some(record.state.clone()),
            to_state: record.state.clone(),
            action: step.action.to_owned(),
            actor: principal.actor(),
            comment: None,
            occurred_at: now,
            assignee: step.assignee,
            step_due: None,
            ended_step_due: None,
            form: None,
        };
        let event = NewEvent::new(
            principal.actor(),
            AuditKind::RequestAssigned,
            AuditSubject::Request(id),
            serde_json::json!({
                "trackingCode": record.tracking_code,
                "action": step.action,
                "from": record.assignee.map(|u| u.to_string()),
                "to": step.assignee.map(|u| u.to_string()),
            }),
        );
        super::lifecycle::record_step(&tx, commune, &service, id, &transition, Some(event), now).await?;
        tx.commit().await?;
        tracing::info!(request.id = %id, action = step.action, "assignment changed");
        let record = requests::RequestRecord { assignee: step.assignee, updated_at: now, ..record };
        Ok(RequestDetails::sealed(std::sync::Arc::new(commune.clone()), service, record))
    }

    /// The members a request may be given to: enabled members of the commune holding a role of its workflow
    /// and not on leave today (for those who may assign).
    pub async fn assignable_members(
        &self,
        principal: &Principal,
        commune: &Commune,
        id: RequestId,
    ) -> Result<Vec<StaffMember>, Error> {
        let scope = principal.authorize(commune.id, Permission::AssignRequests)?;
        let tx = self.store.tenant_read_tx(scope).await?;
        let record = requests::by_id(&tx, id).await?.ok_or(Error::NotFound("request"))?;
        let service = catalog::service_version(&tx, record.service_id, record.workflow_id).await?;
        let workflow_roles = service.definition.workflow.roles();
        let members = users::members_of(tx.conn(), commune.id).await?;
        let today = self.now().with_timezone(&commune.time_zone()).date_naive();
        let away = hr::users_away_on(&tx, today).await?;
        tx.commit().await?;
        Ok(members
            .iter()
            .filter(|(user, roles)| !user.disabled && works_on(roles, &workflow_roles))
            .filter(|(user, _)| !away.iter().any(|(a, _)| *a == user.id))
            .map(|(user, _)| StaffMember::from(user))
            .collect())
    }

    /// The open requests each member holds and how many are overdue: every enabled member holding a role of
    /// one of the commune's workflows, and anyone else still holding requests (for those who may assign).
    pub async fn workload(&self, principal: &Principal, commune: &Commune) -> Result<Vec<Workload>, Error> {
        let scope = principal.authorize(commune.id, Permission::AssignRequests)?;
        let today = self.now().with_timezone(&commune.time_zone()).date_naive();
        let tx = self.store.tenant_read_tx(scope).await?;
        let held = requests::workload(&tx, today).await?;
        let services = catalog::current_services(&tx).await?;
        let members = users::members_of(tx.conn(), commune.id).await?;
        let holders: Vec<UserId> = held.iter().map(|(user, _, _)| *user).collect();
        let others = users::by_ids(tx.conn(), &holders).await?;
        let away = hr::users_away_on(&tx, today).await?;
        let names = hr::names_of_accounts(&tx).await?;
        tx.commit().await?;
        let workflow_roles: BTreeSet<&RoleKey> = services.iter().flat_map(|s| s.definition.workflow.roles()).collect();
        let mut people: Vec<&UserRecord> = members
            .iter()
            .filter(|(user, roles)| !user.disabled && works_on(roles, &workflow_roles))
            .map(|(user, _)| user)
            .collect();
        for user in &others {
            if !people.iter().any(|p| p.id == user.id) {
                people.push(user);
            }
        }
        people.sort_by(|a, b| a.login.cmp(&b.login));
        Ok(people
            .into_iter()
            .map(|user| {
                let (open, overdue) =
                    held.iter().find(|(u, _, _)| *u == user.id).map_or((0, 0), |(_, open, late)| (*open, *late));
                Workload {
                    member: StaffMember::from(user),
                    open: u64::try_from(open).unwrap_or(0),
                    overdue: u64::try_from(overdue).unwrap_or(0),
                    full_name: names.iter().find(|(u, _)| *u == user.id).map(|(_, name)| name.clone()),
                    away_until: away.iter().find(|(u, _)| *u == user.id).map(|(_, until)| *until),
                }
            })
            .collect())
    }

    /// Colleagues by id (for the wire: who holds a request, whom a step gave it to). Logins and names of
    /// staff are no personal data of citizens; unknown ids are left out.
    pub async fn staff_members(&self, ids: &[UserId]) -> Result<Vec<StaffMember>, Error> {
        Ok(users::by_ids(self.store.conn(), ids).await?.iter().map(StaffMember::from).collect())
    }
}

/// The member, when it is an enabled member of the commune holding a role of the workflow.
async fn eligible(
    tx: &TenantTx,
    member: UserId,
    tenant: crate::model::ids::TenantId,
    workflow_roles: &BTreeSet<&RoleKey>,
) -> Result<Option<UserRecord>, Error> {
    let Some(user) = users::by_id(tx.conn(), member).await? else { return Ok(None) };
    let roles = users::membership_in(tx.conn(), member, tenant).await?.unwrap_or_default();
    Ok(Some(user).filter(|u| !u.disabled && works_on(&roles, workflow_roles)))
}

impl Jamaa {
    /// Finds the commune's requests whose personal field `field` (a national id, phone or e-mail) equals
    /// `value`, by blind index: staff of the commune. The results are not opened.
    pub async fn find_requests(
        &self,
        principal: &Principal,
        commune: &Commune,
        field: &str,
        value: &str,
    ) -> Result<Vec<RequestDetails>, Error> {
        let scope = principal.authorize(commune.id, Permission::ReadRequests)?;
        let country = commune.spec.country;

        // Written as citizens write it, normalized as it was at submission.
        let normalized = match field {
            "cin" | "national_id" => national_id::normalize_national_id(country, value).ok(),
            "phone" => national_id::normalize_phone(country, value).ok(),
            "email" => Some(value.trim().to_lowercase()),
            _ => return Err(invalid("field", messages::lookup_field())),
        }
        .ok_or_else(|| invalid("value", messages::lookup_value()))?;
        let tx = self.store.tenant_tx(scope).await?;
        // A look-up never makes a data key: without one, the commune has no sealed data yet.
        let Some(key) = keys::existing(&tx, &self.keyring).await? else {
            tx.commit().await?;
            return Ok(Vec::new());
        };
        let digest = crypto::blind_index(&key, field, &normalized)?;
        let records = requests::by_lookup(&tx, field, &digest).await?;
        let found = RequestDetails::sealed_list(&tx, commune, records).await?;
        tx.commit().await?;
        Ok(found)
    }
}
