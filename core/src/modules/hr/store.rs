//! The human resources tables: staff records (their personal data sealed), departments, leave; and who is away
//! on a given day, for the assignment of files.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entity::{hr_department, hr_leave, hr_staff};
use super::model::{Department, Leave, StaffRecord};
use crate::error::Error;
use crate::model::ids::{DepartmentId, LeaveId, StaffId, UserId};
use crate::store::TenantTx;

/// A staff record as stored: the record, its sealed personal data and the key that sealed it.
#[derive(Clone, Debug)]
pub(crate) struct StaffRow {
    pub record: StaffRecord,
    pub personal: String,
    pub data_key_id: uuid::Uuid,
    pub national_id_digest: Option<String>,
}

fn staff_model(tx: &TenantTx, row: &StaffRow) -> hr_staff::ActiveModel {
    let r = &row.record;
    hr_staff::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(r.id.as_uuid()),
        full_name: Set(r.full_name.clone()),
        grade: Set(r.grade.clone()),
        position: Set(r.position.clone()),
        department_id: Set(r.department.map(|d| d.as_uuid())),
        entered_on: Set(r.entered_on),
        left_on: Set(r.left_on),
        user_id: Set(r.user.map(|u| u.as_uuid())),
        personal: Set(row.personal.clone()),
        data_key_id: Set(row.data_key_id),
        national_id_digest: Set(row.national_id_digest.clone()),
        created_at: Set(r.created_at),
        updated_at: Set(r.updated_at),
    }
}

fn staff_from(model: hr_staff::Model) -> StaffRow {
    StaffRow {
        record: StaffRecord {
            id: StaffId::from_uuid(model.id),
            full_name: model.full_name,
            grade: model.grade,
            position: model.position,
            department: model.department_id.map(DepartmentId::from_uuid),
            entered_on: model.entered_on,
            left_on: model.left_on,
            user: model.user_id.map(UserId::from_uuid),
            created_at: model.created_at,
            updated_at: model.updated_at,
        },
        personal: model.personal,
        data_key_id: model.data_key_id,
        national_id_digest: model.national_id_digest,
    }
}

pub(crate) async fn insert_staff(tx: &TenantTx, row: &StaffRow) -> Result<(), Error> {
    hr_staff::Entity::insert(staff_model(tx, row)).exec_without_returning(tx.conn()).await?;
    Ok(())
}

/// Replaces a record, if it was last changed at `seen`; false when another change won.
pub(crate) async fn update_staff(tx: &TenantTx, row: &StaffRow, seen: DateTime<Utc>) -> Result<bool, Error> {
    let mut model = staff_model(tx, row);
    model.created_at = sea_orm::ActiveValue::NotSet;
    let result = hr_staff::Entity::update_many()
        .set(model)
        .filter(hr_staff::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(hr_staff::Column::Id.eq(row.record.id.as_uuid()))
        .filter(hr_staff::Column::UpdatedAt.eq(seen))
        .exec(tx.conn())
        .await?;
    Ok(result.rows_affected == 1)
}

pub(crate) async fn staff_by_id(tx: &TenantTx, id: StaffId) -> Result<Option<StaffRow>, Error> {
    Ok(hr_staff::Entity::find_by_id((tx.tenant_uuid(), id.as_uuid())).one(tx.conn()).await?.map(staff_from))
}

pub(crate) async fn staff_by_user(tx: &TenantTx, user: UserId) -> Result<Option<StaffRow>, Error> {
    let row = hr_staff::Entity::find()
        .filter(hr_staff::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(hr_staff::Column::UserId.eq(user.as_uuid()))
        .one(tx.conn())
        .await?;
    Ok(row.map(staff_from))
}

/// The records after `after`, in the order they were made.
pub(crate) async fn staff_page(tx: &TenantTx, after: Option<StaffId>, limit: u64) -> Result<Vec<StaffRow>, Error> {
    let mut query = hr_staff::Entity::find()
        .filter(hr_staff::Column::TenantId.eq(tx.tenant_uuid()))
        .order_by_asc(hr_staff::Column::Id)
        .limit(limit);
    if let Some(after) = after {
        query = query.filter(hr_staff::Column::Id.gt(after.as_uuid()));
    }
    Ok(query.all(tx.conn()).await?.into_iter().map(staff_from).collect())
}

pub(crate) async fn staff_count(tx: &TenantTx) -> Result<u64, Error> {
    Ok(hr_staff::Entity::find().filter(hr_staff::Column::TenantId.eq(tx.tenant_uuid())).count(tx.conn()).await?)
}

/// Every record of the commune (the directory), by name.
pub(crate) async fn all_staff(tx: &TenantTx) -> Result<Vec<StaffRow>, Error> {
    let rows = hr_staff::Entity::find()
        .filter(hr_staff::Column::TenantId.eq(tx.tenant_uuid()))
        .order_by_asc(hr_staff::Column::FullName)
        .order_by_asc(hr_staff::Column::Id)
        .all(tx.conn())
        .await?;
    Ok(rows.into_iter().map(staff_from).collect())
}

fn department_from(model: hr_department::Model) -> Department {
    Department {
        id: DepartmentId::from_uuid(model.id),
        name: model.name,
        parent: model.parent_id.map(DepartmentId::from_uuid),
        head: model.head_staff_id.map(StaffId::from_uuid),
    }
}

/// The commune's departments, by name.
pub(crate) async fn departments(tx: &TenantTx) -> Result<Vec<Department>, Error> {
    let rows = hr_department::Entity::find()
        .filter(hr_department::Column::TenantId.eq(tx.tenant_uuid()))
        .order_by_asc(hr_department::Column::Name)
        .order_by_asc(hr_department::Column::Id)
        .all(tx.conn())
        .await?;
    Ok(rows.into_iter().map(department_from).collect())
}

/// Inserts a department, or replaces the one of its id.
pub(crate) async fn save_department(
    tx: &TenantTx,
    department: &Department,
    now: DateTime<Utc>,
    new: bool,
) -> Result<(), Error> {
    let model = hr_department::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(department.id.as_uuid()),
        name: Set(department.name.clone()),
        parent_id: Set(department.parent.map(|d| d.as_uuid())),
        head_staff_id: Set(department.head.map(|s| s.as_uuid())),
        updated_at: Set(now),
    };
    if new {
        hr_department::Entity::insert(model).exec_without_returning(tx.conn()).await?;
    } else {
        hr_department::Entity::update_many()
            .set(model)
            .filter(hr_department::Column::TenantId.eq(tx.tenant_uuid()))
            .filter(hr_department::Column::Id.eq(department.id.as_uuid()))
            .exec(tx.conn())
            .await?;
    }
    Ok(())
}

fn leave_from(model: hr_leave::Model) -> Leave {
    Leave {
        id: LeaveId::from_uuid(model.id),
        staff: StaffId::from_uuid(model.staff_id),
        kind: model.kind,
        starts_on: model.starts_on,
        ends_on: model.ends_on,
        note: model.note,
        recorded_at: model.recorded_at,
        recorded_by: model.recorded_by,
    }
}

pub(crate) async fn insert_leave(tx: &TenantTx, leave: &Leave) -> Result<(), Error> {
    hr_leave::Entity::insert(hr_leave::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(leave.id.as_uuid()),
        staff_id: Set(leave.staff.as_uuid()),
        kind: Set(leave.kind.clone()),
        starts_on: Set(leave.starts_on),
        ends_on: Set(leave.ends_on),
        note: Set(leave.note.clone()),
        recorded_at: Set(leave.recorded_at),
        recorded_by: Set(leave.recorded_by.clone()),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

pub(crate) async fn leave_by_id(tx: &TenantTx, id: LeaveId) -> Result<Option<Leave>, Error> {
    Ok(hr_leave::Entity::find_by_id((tx.tenant_uuid(), id.as_uuid())).one(tx.conn()).await?.map(leave_from))
}

/// Deletes a leave; false when it was gone already.
pub(crate) async fn delete_leave(tx: &TenantTx, id: LeaveId) -> Result<bool, Error> {
    let result = hr_leave::Entity::delete_many()
        .filter(hr_leave::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(hr_leave::Column::Id.eq(id.as_uuid()))
        .exec(tx.conn())
        .await?;
    Ok(result.rows_affected == 1)
}

/// A person's leave, latest first.
pub(crate) async fn leaves_of(tx: &TenantTx, staff: StaffId) -> Result<Vec<Leave>, Error> {
    let rows = hr_leave::Entity::find()
        .filter(hr_leave::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(hr_leave::Column::StaffId.eq(staff.as_uuid()))
        .order_by_desc(hr_leave::Column::StartsOn)
        .order_by_desc(hr_leave::Column::Id)
        .all(tx.conn())
        .await?;
    Ok(rows.into_iter().map(leave_from).collect())
}

/// The leave that covers `day`, everyone's.
pub(crate) async fn leaves_on(tx: &TenantTx, day: NaiveDate) -> Result<Vec<Leave>, Error> {
    let rows = hr_leave::Entity::find()
        .filter(hr_leave::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(hr_leave::Column::EndsOn.gte(day))
        .filter(hr_leave::Column::StartsOn.lte(day))
        .all(tx.conn())
        .await?;
    Ok(rows.into_iter().map(leave_from).collect())
}

/// The user accounts whose staff record is on leave on `day`, each with the last day of that leave: the
/// people no file is given to that day.
pub(crate) async fn users_away_on(tx: &TenantTx, day: NaiveDate) -> Result<Vec<(UserId, NaiveDate)>, Error> {
    let leaves = leaves_on(tx, day).await?;
    if leaves.is_empty() {
        return Ok(Vec::new());
    }
    let staff: Vec<uuid::Uuid> = leaves.iter().map(|l| l.staff.as_uuid()).collect();
    let rows = hr_staff::Entity::find()
        .filter(hr_staff::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(hr_staff::Column::Id.is_in(staff))
        .filter(hr_staff::Column::UserId.is_not_null())
        .all(tx.conn())
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let user = UserId::from_uuid(row.user_id?);
            let until = leaves.iter().filter(|l| l.staff.as_uuid() == row.id).map(|l| l.ends_on).max()?;
            Some((user, until))
        })
        .collect())
}

/// The full names of the staff records linked to accounts.
pub(crate) async fn names_of_accounts(tx: &TenantTx) -> Result<Vec<(UserId, String)>, Error> {
    let rows = hr_staff::Entity::find()
        .filter(hr_staff::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(hr_staff::Column::UserId.is_not_null())
        .all(tx.conn())
        .await?;
    Ok(rows.into_iter().filter_map(|row| Some((UserId::from_uuid(row.user_id?), row.full_name))).collect())
}
