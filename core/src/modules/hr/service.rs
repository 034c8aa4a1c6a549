//! The commune's human resources: staff records (their personal data sealed under the commune's data key, the
//! national id with a blind index, each opening an audit event), the link of a record to a member's account,
//! leave (types from `settings.hr`, days on the commune's calendar) and the organisation chart. Commune
//! administrators and the HR officer (`manage_staff`) read and write them; every member of the staff reads the
//! directory and the chart, which carry no personal data. Each change is one transaction with its audit event.

use chrono::{DateTime, NaiveDate, Utc};

use crate::auth::{Permission, Principal};
use crate::crypto;
use crate::error::{Error, FieldErrorCode};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::commune::Commune;
use crate::model::form::messages;
use crate::model::ids::{DepartmentId, LeaveId, StaffId, UserId};
use crate::model::settings::SettingsSection;
use crate::modules::hr::model::{
    self as hr, Department, DepartmentInput, HrSettings, Leave, LeaveInput, LeaveType, StaffInput, StaffPersonal,
    StaffRecord,
};
use crate::modules::hr::store::{self as store, StaffRow};
use crate::service::{CountedPage, Jamaa, MAX_PAGE_SIZE, StaffMember};
use crate::store::{TenantTx, audit, config, keys, users};

/// The blind-index field of a staff member's national id.
const NATIONAL_ID: &str = "staff_national_id";

/// A staff record as HR read it: the personal data only on one record (opened, audited), its leave, the
/// account it is linked to, and the last day of the leave that keeps the person away today.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffView {
    pub record: StaffRecord,
    pub personal: Option<StaffPersonal>,
    pub leaves: Option<Vec<Leave>>,
    pub account: Option<StaffMember>,
    pub away_until: Option<NaiveDate>,
}

/// A person of the directory: no personal data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirectoryEntry {
    pub staff: StaffId,
    pub full_name: String,
    pub grade: String,
    pub position: String,
    pub department: Option<DepartmentId>,
    pub account: Option<StaffMember>,
    /// The last day of the leave the person is on today.
    pub away_until: Option<NaiveDate>,
}

/// A leave with the working days it takes on the commune's calendar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaveView {
    pub leave: Leave,
    pub working_days: u32,
}

fn local_today(commune: &Commune, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&commune.time_zone()).date_naive()
}

fn unknown(path: &str, what: &str) -> Error {
    Error::field(path, FieldErrorCode::InvalidValue, messages::hr_unknown(what))
}

/// The commune's HR settings.
async fn settings(tx: &TenantTx) -> Result<HrSettings, Error> {
    let config = config::get(tx).await?;
    match HrSettings::from_settings(&config.settings) {
        Some(Ok(settings)) => Ok(settings),
        Some(Err(problem)) => Err(Error::internal(format!("settings.hr does not load: {problem}"))),
        None => Err(Error::field("settings.hr", FieldErrorCode::InvalidDefinition, messages::hr_settings_missing())),
    }
}

impl Jamaa {
    /// Whether the caller may read and write the commune's staff records (for screens that offer them).
    pub fn may_manage_staff(&self, principal: &Principal, commune: &Commune) -> Result<(), Error> {
        principal.authorize(commune.id, Permission::ManageStaff).map(|_| ())
    }

    /// The kinds of leave the commune records (`settings.hr.leaveTypes`).
    pub async fn leave_types(&self, principal: &Principal, commune: &Commune) -> Result<Vec<LeaveType>, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageStaff)?;
        let tx = self.store.tenant_read_tx(scope).await?;
        let settings = settings(&tx).await?;
        tx.commit().await?;
        Ok(settings.leave_types)
    }

    /// Creates a staff record: checked (every failure at once), its personal data sealed, linked to a member's
    /// account if one is named, in one transaction with `staff.recorded`.
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug))]
    pub async fn create_staff_record(
        &self,
        principal: &Principal,
        commune: &Commune,
        input: StaffInput,
    ) -> Result<StaffView, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageStaff)?;
        let now = self.now();
        let input =
            hr::validate_staff(&input, commune.spec.country, local_today(commune, now)).map_err(Error::Validation)?;
        let tx = self.store.tenant_tx(scope).await?;
        let account = self.check_links(&tx, commune, &input, None).await?;
        let id = StaffId::new();
        let record = StaffRecord::written(id, &input, account.as_ref().map(|a| a.id), now, now);
        let row = self.seal(&tx, record, &input.personal, now).await?;
        store::insert_staff(&tx, &row).await?;
        audit::append(&tx, staff_event(principal, AuditKind::StaffRecorded, &row.record), now).await?;
        tx.commit().await?;
        tracing::info!(staff.id = %id, "staff record created");
        Ok(StaffView {
            record: row.record,
            personal: Some(input.personal),
            leaves: Some(Vec::new()),
            account,
            away_until: None,
        })
    }

    /// Replaces a staff record (its grade, position, department, dates, linked account and personal data),
    /// unless it changed since `seen` (its `updatedAt`), in one transaction with `staff.updated`.
    pub async fn update_staff_record(
        &self,
        principal: &Principal,
        commune: &Commune,
        id: StaffId,
        seen: Option<DateTime<Utc>>,
        input: StaffInput,
    ) -> Result<StaffView, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageStaff)?;
        let now = self.now();
        let today = local_today(commune, now);
        let input = hr::validate_staff(&input, commune.spec.country, today).map_err(Error::Validation)?;
        let tx = self.store.tenant_tx(scope).await?;
        let before = store::staff_by_id(&tx, id).await?.ok_or(Error::NotFound("staff record"))?;
        let seen = seen.unwrap_or(before.record.updated_at);
        let account = self.check_links(&tx, commune, &input, Some(id)).await?;
        let user = account.as_ref().map(|a| a.id);
        let record = StaffRecord::written(id, &input, user, before.record.created_at, now);
        let row = self.seal(&tx, record, &input.personal, now).await?;
        if !store::update_staff(&tx, &row, seen).await? {
            return Err(Error::Conflict("the staff record changed meanwhile: reload it".into()));
        }
        audit::append(&tx, staff_event(principal, AuditKind::StaffUpdated, &row.record), now).await?;
        let leaves = store::leaves_of(&tx, id).await?;
        tx.commit().await?;
        let away_until = hr::away_on(&leaves, today).map(|l| l.ends_on);
        Ok(StaffView { record: row.record, personal: Some(input.personal), leaves: Some(leaves), account, away_until })
    }

    /// One staff record with its personal data opened (`staff.personal_read` in the trail) and its leave.
    pub async fn staff_record(
        &self,
        principal: &Principal,
        commune: &Commune,
        id: StaffId,
    ) -> Result<StaffView, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageStaff)?;
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        let row = store::staff_by_id(&tx, id).await?.ok_or(Error::NotFound("staff record"))?;
        let key = keys::by_id(&tx, &self.keyring, row.data_key_id).await?;
        let text = crypto::open(&key, &row.personal, id.as_uuid().as_bytes())?;
        let personal: StaffPersonal = serde_json::from_slice(&text).map_err(Error::internal)?;
        let leaves = store::leaves_of(&tx, id).await?;
        let account = match row.record.user {
            Some(user) => users::by_id(tx.conn(), user).await?.as_ref().map(StaffMember::from),
            None => None,
        };
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::StaffPersonalRead,
                AuditSubject::Staff(id),
                serde_json::json!({}),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        let away_until = hr::away_on(&leaves, local_today(commune, now)).map(|l| l.ends_on);
        Ok(StaffView { record: row.record, personal: Some(personal), leaves: Some(leaves), account, away_until })
    }

    /// The commune's staff records in the order they were made, a page at a time (personal data sealed).
    pub async fn staff_records(
        &self,
        principal: &Principal,
        commune: &Commune,
        after: Option<StaffId>,
        first: u64,
    ) -> Result<CountedPage<StaffView>, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageStaff)?;
        let first = first.clamp(1, MAX_PAGE_SIZE);
        let today = local_today(commune, self.now());
        let tx = self.store.tenant_read_tx(scope).await?;
        let mut rows = store::staff_page(&tx, after, first + 1).await?;
        let total = store::staff_count(&tx).await?;
        let away = store::leaves_on(&tx, today).await?;
        let accounts: Vec<UserId> = rows.iter().filter_map(|r| r.record.user).collect();
        let accounts = users::by_ids(tx.conn(), &accounts).await?;
        tx.commit().await?;
        let has_next = rows.len() as u64 > first;
        rows.truncate(first as usize);
        let items = rows
            .into_iter()
            .map(|row| {
                let account = row.record.user.and_then(|u| accounts.iter().find(|a| a.id == u)).map(StaffMember::from);
                let away_until = away.iter().filter(|l| l.staff == row.record.id).map(|l| l.ends_on).max();
                StaffView { record: row.record, personal: None, leaves: None, account, away_until }
            })
            .collect();
        Ok(CountedPage { items, has_next, total })
    }

    /// The staff directory: every person in service today, their grade, position, department and account,
    /// and whether they are away (for every member of the staff; no personal data).
    pub async fn staff_directory(
        &self,
        principal: &Principal,
        commune: &Commune,
    ) -> Result<Vec<DirectoryEntry>, Error> {
        let scope = principal.authorize(commune.id, Permission::ReadRequests)?;
        let today = local_today(commune, self.now());
        let tx = self.store.tenant_read_tx(scope).await?;
        let rows = store::all_staff(&tx).await?;
        let away = store::leaves_on(&tx, today).await?;
        let accounts: Vec<UserId> = rows.iter().filter_map(|r| r.record.user).collect();
        let accounts = users::by_ids(tx.conn(), &accounts).await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .filter(|row| row.record.in_service_on(today))
            .map(|row| {
                let r = row.record;
                DirectoryEntry {
                    account: r.user.and_then(|u| accounts.iter().find(|a| a.id == u)).map(StaffMember::from),
                    away_until: away.iter().filter(|l| l.staff == r.id).map(|l| l.ends_on).max(),
                    staff: r.id,
                    full_name: r.full_name,
                    grade: r.grade,
                    position: r.position,
                    department: r.department,
                }
            })
            .collect())
    }

    /// The organisation chart: the commune's departments (for every member of the staff).
    pub async fn departments(&self, principal: &Principal, commune: &Commune) -> Result<Vec<Department>, Error> {
        let scope = principal.authorize(commune.id, Permission::ReadRequests)?;
        let tx = self.store.tenant_read_tx(scope).await?;
        let departments = store::departments(&tx).await?;
        tx.commit().await?;
        Ok(departments)
    }

    /// Adds a department to the chart (`id` none) or changes one: its name, its parent (the chart stays a
    /// tree) and its head (a staff record of the commune), in one transaction with `department.saved`.
    pub async fn save_department(
        &self,
        principal: &Principal,
        commune: &Commune,
        id: Option<DepartmentId>,
        input: DepartmentInput,
    ) -> Result<Department, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageStaff)?;
        let now = self.now();
        let input = hr::validate_department(&input).map_err(Error::Validation)?;
        let tx = self.store.tenant_tx(scope).await?;
        let chart = store::departments(&tx).await?;
        let new = id.is_none();
        let id = match id {
            Some(id) if chart.iter().any(|d| d.id == id) => id,
            Some(_) => return Err(Error::NotFound("department")),
            None => DepartmentId::new(),
        };
        if let Some(parent) = input.parent {
            if !chart.iter().any(|d| d.id == parent) {
                return Err(unknown("input.parentId", "department"));
            }
            if !hr::keeps_a_tree(&chart, id, Some(parent)) {
                return Err(Error::field("input.parentId", FieldErrorCode::InvalidValue, messages::department_cycle()));
            }
        }
        if let Some(head) = input.head {
            store::staff_by_id(&tx, head).await?.ok_or_else(|| unknown("input.headId", "staff record"))?;
        }
        let department = Department { id, name: input.name, parent: input.parent, head: input.head };
        store::save_department(&tx, &department, now, new).await?;
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::DepartmentSaved,
                AuditSubject::Department(id),
                serde_json::json!({
                    "new": new,
                    "parent": department.parent.map(|p| p.to_string()),
                    "head": department.head.map(|h| h.to_string()),
                }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(department)
    }

    /// Records a leave or absence of a member of staff (a type of `settings.hr`; first and last days on the
    /// commune's calendar), in one transaction with `staff.leave_recorded`. While it lasts, no file is given
    /// to the person's account.
    pub async fn record_leave(
        &self,
        principal: &Principal,
        commune: &Commune,
        staff: StaffId,
        input: LeaveInput,
    ) -> Result<LeaveView, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageStaff)?;
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        store::staff_by_id(&tx, staff).await?.ok_or(Error::NotFound("staff record"))?;
        let settings = settings(&tx).await?;
        let input = hr::validate_leave(&input, &settings).map_err(Error::Validation)?;
        let leave = Leave {
            id: LeaveId::new(),
            staff,
            kind: input.kind,
            starts_on: input.starts_on,
            ends_on: input.ends_on,
            note: input.note,
            recorded_at: now,
            recorded_by: principal.actor(),
        };
        store::insert_leave(&tx, &leave).await?;
        let working_days = leave.working_days(&commune.spec.calendar);
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::StaffLeaveRecorded,
                AuditSubject::Staff(staff),
                serde_json::json!({
                    "leave": leave.id.to_string(),
                    "kind": leave.kind,
                    "from": leave.starts_on.to_string(),
                    "to": leave.ends_on.to_string(),
                    "workingDays": working_days,
                }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(LeaveView { leave, working_days })
    }

    /// Cancels a leave (recorded by mistake, or the person came back), with `staff.leave_cancelled`.
    pub async fn cancel_leave(&self, principal: &Principal, commune: &Commune, id: LeaveId) -> Result<Leave, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageStaff)?;
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        let leave = store::leave_by_id(&tx, id).await?.ok_or(Error::NotFound("leave"))?;
        if !store::delete_leave(&tx, id).await? {
            return Err(Error::NotFound("leave"));
        }
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::StaffLeaveCancelled,
                AuditSubject::Staff(leave.staff),
                serde_json::json!({
                    "leave": id.to_string(),
                    "kind": leave.kind,
                    "from": leave.starts_on.to_string(),
                    "to": leave.ends_on.to_string(),
                }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(leave)
    }

    /// Checks what a record names: its department is the commune's, its account a member of the commune not
    /// linked to another record. Answers the account.
    async fn check_links(
        &self,
        tx: &TenantTx,
        commune: &Commune,
        input: &StaffInput,
        this: Option<StaffId>,
    ) -> Result<Option<StaffMember>, Error> {
        if let Some(department) = input.department
            && !store::departments(tx).await?.iter().any(|d| d.id == department)
        {
            return Err(unknown("input.departmentId", "department"));
        }
        let path = if input.user.is_some() { "input.userId" } else { "input.userLogin" };
        let not_member = || Error::field(path, FieldErrorCode::InvalidValue, messages::staff_user_not_member());
        let account = match (input.user, input.user_login.as_deref()) {
            (Some(user), _) => users::by_id(tx.conn(), user).await?,
            (None, Some(login)) => users::by_login(tx.conn(), login).await?,
            (None, None) => return Ok(None),
        }
        .ok_or_else(not_member)?;
        let user = account.id;
        users::membership_in(tx.conn(), user, commune.id).await?.ok_or_else(not_member)?;
        if let Some(other) = store::staff_by_user(tx, user).await?
            && Some(other.record.id) != this
        {
            return Err(Error::field(path, FieldErrorCode::InvalidValue, messages::staff_user_taken()));
        }
        Ok(Some(StaffMember::from(&account)))
    }

    /// Seals a record's personal data under the commune's current data key, with the national id's blind index.
    async fn seal(
        &self,
        tx: &TenantTx,
        record: StaffRecord,
        personal: &StaffPersonal,
        now: DateTime<Utc>,
    ) -> Result<StaffRow, Error> {
        let (key_id, key) = keys::current(tx, &self.keyring, now).await?;
        let text = serde_json::to_vec(personal).map_err(Error::internal)?;
        let sealed = crypto::seal(&key, &text, record.id.as_uuid().as_bytes())?;
        let digest =
            personal.national_id.as_deref().map(|value| crypto::blind_index(&key, NATIONAL_ID, value)).transpose()?;
        Ok(StaffRow { record, personal: sealed, data_key_id: key_id, national_id_digest: digest })
    }
}

/// The audit event of a record written: what changed, never the personal data.
fn staff_event(principal: &Principal, kind: AuditKind, record: &StaffRecord) -> NewEvent {
    NewEvent::new(
        principal.actor(),
        kind,
        AuditSubject::Staff(record.id),
        serde_json::json!({
            "grade": record.grade,
            "position": record.position,
            "department": record.department.map(|d| d.to_string()),
            "enteredOn": record.entered_on.to_string(),
            "leftOn": record.left_on.map(|d| d.to_string()),
            "user": record.user.map(|u| u.to_string()),
        }),
    )
}
