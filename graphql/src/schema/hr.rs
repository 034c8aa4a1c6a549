//! The commune's human resources over GraphQL: staff records (personal data opened on one record only), their
//! leave, the organisation chart, and the staff directory every member of the staff reads.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use jamaa_core::model::calendar::WorkingCalendar;
use jamaa_core::model::ids::{DepartmentId, LeaveId, StaffId, UserId};
use jamaa_core::modules::hr::model::{
    self as hr, DepartmentInput as CoreDepartmentInput, LeaveInput as CoreLeaveInput,
};
use jamaa_core::modules::hr::model::{StaffInput, StaffPersonal as CorePersonal};
use jamaa_core::service::{DirectoryEntry as CoreEntry, StaffView};

use super::call::{InCommune, InLang, input_id, subject_id};
use super::office::StaffMember;
use super::page::{Listing, after_key, connection, page_size};

/// A staff record to write (created, or replacing the record's fields).
#[derive(InputObject)]
pub struct StaffRecordInput {
    pub full_name: String,
    pub grade: String,
    pub position: String,
    /// A department of the commune's organisation chart.
    pub department_id: Option<ID>,
    pub entered_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
    /// The user account of this person (a member of the commune), so that assignment and the directory name
    /// them.
    pub user_id: Option<ID>,
    /// The same account by its login (when no `userId` is given).
    pub user_login: Option<String>,
    /// Personal data: sealed, read by HR on one record only.
    pub national_id: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub address: Option<String>,
    pub phone: Option<String>,
}

/// A leave or absence to record.
#[derive(InputObject)]
pub struct LeaveInput {
    /// One of `leaveTypes`' keys.
    pub kind: String,
    /// The first day away (the commune's day).
    pub starts_on: NaiveDate,
    /// The last day away, included.
    pub ends_on: NaiveDate,
    pub note: Option<String>,
}

/// A department of the organisation chart.
#[derive(InputObject)]
pub struct DepartmentInput {
    pub name: String,
    /// The department it belongs to (none: at the top).
    pub parent_id: Option<ID>,
    /// The staff record of who heads it.
    pub head_id: Option<ID>,
}

/// The personal data of a member of staff.
#[derive(SimpleObject)]
pub struct StaffPersonal {
    pub national_id: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub address: Option<String>,
    pub phone: Option<String>,
}

/// A leave or absence.
#[derive(SimpleObject)]
pub struct Leave {
    pub id: ID,
    pub staff_id: ID,
    /// The key of its type (`annual`, `sick`, …).
    pub kind: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The working days it takes on the commune's calendar.
    pub working_days: i32,
    pub note: Option<String>,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: String,
}

fn leave(l: &hr::Leave, calendar: &WorkingCalendar) -> Leave {
    Leave {
        id: ID(l.id.to_string()),
        staff_id: ID(l.staff.to_string()),
        kind: l.kind.clone(),
        starts_on: l.starts_on,
        ends_on: l.ends_on,
        working_days: i32::try_from(l.working_days(calendar)).unwrap_or(i32::MAX),
        note: l.note.clone(),
        recorded_at: l.recorded_at,
        recorded_by: l.recorded_by.clone(),
    }
}

/// A kind of leave the commune records (its template's `settings.hr.leaveTypes`).
#[derive(SimpleObject)]
pub struct LeaveType {
    /// `{key}@{locale}`.
    pub id: ID,
    pub key: String,
    pub label: String,
    pub legal_reference: Option<String>,
}

/// A staff record.
#[derive(SimpleObject)]
pub struct StaffRecord {
    pub id: ID,
    pub full_name: String,
    pub grade: String,
    pub position: String,
    pub department_id: Option<ID>,
    pub entered_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
    /// The linked user account.
    pub account: Option<StaffMember>,
    /// The last day of the leave the person is on today; while away, no file is assigned to them.
    pub away_until: Option<NaiveDate>,
    /// Opened on one record (its reading is audited); null in lists.
    pub personal: Option<StaffPersonal>,
    /// Its leave, latest first (on one record; null in lists).
    pub leaves: Option<Vec<Leave>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn record(view: StaffView, calendar: &WorkingCalendar) -> StaffRecord {
    let r = view.record;
    StaffRecord {
        id: ID(r.id.to_string()),
        full_name: r.full_name,
        grade: r.grade,
        position: r.position,
        department_id: r.department.map(|d| ID(d.to_string())),
        entered_on: r.entered_on,
        left_on: r.left_on,
        account: view.account.map(Into::into),
        away_until: view.away_until,
        personal: view.personal.map(|p| StaffPersonal {
            national_id: p.national_id,
            birth_date: p.birth_date,
            address: p.address,
            phone: p.phone,
        }),
        leaves: view.leaves.map(|ls| ls.iter().map(|l| leave(l, calendar)).collect()),
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

/// A person of the staff directory: no personal data.
#[derive(SimpleObject)]
pub struct DirectoryEntry {
    pub staff_id: ID,
    pub full_name: String,
    pub grade: String,
    pub position: String,
    pub department_id: Option<ID>,
    pub account: Option<StaffMember>,
    /// Away today (on leave).
    pub absent: bool,
    /// The last day of that leave.
    pub away_until: Option<NaiveDate>,
}

impl From<CoreEntry> for DirectoryEntry {
    fn from(e: CoreEntry) -> Self {
        DirectoryEntry {
            staff_id: ID(e.staff.to_string()),
            full_name: e.full_name,
            grade: e.grade,
            position: e.position,
            department_id: e.department.map(|d| ID(d.to_string())),
            account: e.account.map(Into::into),
            absent: e.away_until.is_some(),
            away_until: e.away_until,
        }
    }
}

/// A department of the organisation chart.
#[derive(SimpleObject)]
pub struct Department {
    pub id: ID,
    pub name: String,
    pub parent_id: Option<ID>,
    /// The staff record of who heads it.
    pub head_id: Option<ID>,
}

impl From<hr::Department> for Department {
    fn from(d: hr::Department) -> Self {
        Department {
            id: ID(d.id.to_string()),
            name: d.name,
            parent_id: d.parent.map(|p| ID(p.to_string())),
            head_id: d.head.map(|h| ID(h.to_string())),
        }
    }
}

fn staff_input(input: StaffRecordInput) -> Result<StaffInput, jamaa_core::Error> {
    Ok(StaffInput {
        full_name: input.full_name,
        grade: input.grade,
        position: input.position,
        department: input.department_id.map(|id| input_id::<DepartmentId>(&id, "input.departmentId")).transpose()?,
        entered_on: input.entered_on,
        left_on: input.left_on,
        user: input.user_id.map(|id| input_id::<UserId>(&id, "input.userId")).transpose()?,
        user_login: input.user_login,
        personal: CorePersonal {
            national_id: input.national_id,
            birth_date: input.birth_date,
            address: input.address,
            phone: input.phone,
        },
    })
}

fn department_input(input: DepartmentInput) -> Result<CoreDepartmentInput, jamaa_core::Error> {
    Ok(CoreDepartmentInput {
        name: input.name,
        parent: input.parent_id.map(|id| input_id::<DepartmentId>(&id, "input.parentId")).transpose()?,
        head: input.head_id.map(|id| input_id::<StaffId>(&id, "input.headId")).transpose()?,
    })
}

#[derive(Default)]
pub struct HrQuery;

#[Object]
impl HrQuery {
    /// The commune's staff records in the order they were made, a page at a time (ManageStaff).
    async fn staff_records(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<StaffRecord>> {
        let call = InCommune::new(ctx, commune, None).await?;
        let after = after_key(after, |c| c.parse::<StaffId>().ok())?;
        let size = page_size(first, call.locale())?;
        let page = call.jamaa.staff_records(call.principal, &call.commune, after, size).await.in_lang(&call)?;
        let calendar = &call.commune.spec.calendar;
        Ok(connection(after.is_some(), page, |view| (view.record.id.to_string(), record(view, calendar))))
    }

    /// One staff record with its personal data (the reading is audited) and its leave (ManageStaff).
    async fn staff_record(&self, ctx: &Context<'_>, commune: Option<String>, id: ID) -> Result<StaffRecord> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = subject_id(&id, "staff record").in_lang(&call)?;
        let view = call.jamaa.staff_record(call.principal, &call.commune, id).await.in_lang(&call)?;
        Ok(record(view, &call.commune.spec.calendar))
    }

    /// The staff directory: everyone in service, by name, with who is away today (the commune's staff).
    async fn staff_directory(&self, ctx: &Context<'_>, commune: Option<String>) -> Result<Vec<DirectoryEntry>> {
        let call = InCommune::new(ctx, commune, None).await?;
        let entries = call.jamaa.staff_directory(call.principal, &call.commune).await.in_lang(&call)?;
        Ok(entries.into_iter().map(Into::into).collect())
    }

    /// The organisation chart: the commune's departments, each with its parent and head (the commune's staff).
    async fn departments(&self, ctx: &Context<'_>, commune: Option<String>) -> Result<Vec<Department>> {
        let call = InCommune::new(ctx, commune, None).await?;
        let departments = call.jamaa.departments(call.principal, &call.commune).await.in_lang(&call)?;
        Ok(departments.into_iter().map(Into::into).collect())
    }

    /// The kinds of leave the commune records, labelled in `locale` (ManageStaff).
    async fn leave_types(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        locale: Option<String>,
    ) -> Result<Vec<LeaveType>> {
        let call = InCommune::new(ctx, commune, locale).await?;
        let types = call.jamaa.leave_types(call.principal, &call.commune).await.in_lang(&call)?;
        Ok(types
            .into_iter()
            .map(|t| LeaveType {
                id: call.lang.id(&t.key),
                label: call.lang.text(&t.label),
                key: t.key,
                legal_reference: t.legal_reference,
            })
            .collect())
    }
}

#[derive(Default)]
pub struct HrMutation;

#[Object]
impl HrMutation {
    /// Creates a staff record, its personal data sealed, linked to a member's account if one is named
    /// (ManageStaff).
    async fn create_staff_record(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        input: StaffRecordInput,
    ) -> Result<StaffRecord> {
        let call = InCommune::new(ctx, commune, None).await?;
        let input = staff_input(input).in_lang(&call)?;
        let view = call.jamaa.create_staff_record(call.principal, &call.commune, input).await.in_lang(&call)?;
        Ok(record(view, &call.commune.spec.calendar))
    }

    /// Replaces a staff record's fields, unless it changed since `updatedAt` (CONFLICT) (ManageStaff).
    async fn update_staff_record(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        id: ID,
        input: StaffRecordInput,
        updated_at: Option<DateTime<Utc>>,
    ) -> Result<StaffRecord> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = subject_id(&id, "staff record").in_lang(&call)?;
        let input = staff_input(input).in_lang(&call)?;
        let view = call
            .jamaa
            .update_staff_record(call.principal, &call.commune, id, updated_at, input)
            .await
            .in_lang(&call)?;
        Ok(record(view, &call.commune.spec.calendar))
    }

    /// Records a leave or absence; while it lasts, no file is assigned to the person (ManageStaff).
    async fn record_leave(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        staff_id: ID,
        input: LeaveInput,
    ) -> Result<Leave> {
        let call = InCommune::new(ctx, commune, None).await?;
        let staff = subject_id::<StaffId>(&staff_id, "staff record").in_lang(&call)?;
        let input =
            CoreLeaveInput { kind: input.kind, starts_on: input.starts_on, ends_on: input.ends_on, note: input.note };
        let view = call.jamaa.record_leave(call.principal, &call.commune, staff, input).await.in_lang(&call)?;
        Ok(leave(&view.leave, &call.commune.spec.calendar))
    }

    /// Cancels a leave (ManageStaff).
    async fn cancel_leave(&self, ctx: &Context<'_>, commune: Option<String>, id: ID) -> Result<Leave> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = subject_id::<LeaveId>(&id, "leave").in_lang(&call)?;
        let cancelled = call.jamaa.cancel_leave(call.principal, &call.commune, id).await.in_lang(&call)?;
        Ok(leave(&cancelled, &call.commune.spec.calendar))
    }

    /// Adds a department to the organisation chart (ManageStaff).
    async fn add_department(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        input: DepartmentInput,
    ) -> Result<Department> {
        let call = InCommune::new(ctx, commune, None).await?;
        let input = department_input(input).in_lang(&call)?;
        let saved = call.jamaa.save_department(call.principal, &call.commune, None, input).await.in_lang(&call)?;
        Ok(saved.into())
    }

    /// Renames a department, moves it under another (the chart stays a tree) or names its head (ManageStaff).
    async fn update_department(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        id: ID,
        input: DepartmentInput,
    ) -> Result<Department> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = subject_id::<DepartmentId>(&id, "department").in_lang(&call)?;
        let input = department_input(input).in_lang(&call)?;
        let saved = call.jamaa.save_department(call.principal, &call.commune, Some(id), input).await.in_lang(&call)?;
        Ok(saved.into())
    }
}
