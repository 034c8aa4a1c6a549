//! The projects tables: projects, the budget lines each plans to spend on, milestones, and progress notes.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entity::{project, project_budget_line, project_milestone, project_update};
use super::model::{BudgetLink, Location, Milestone, ProgressUpdate, Project};
use crate::error::Error;
use crate::model::i18n::LocalizedText;
use crate::model::ids::{MilestoneId, ProjectId, ProjectUpdateId};
use crate::store::TenantTx;

fn to_json(text: &LocalizedText) -> Result<serde_json::Value, Error> {
    serde_json::to_value(text).map_err(Error::internal)
}

fn from_json(value: serde_json::Value) -> Result<LocalizedText, Error> {
    serde_json::from_value(value).map_err(Error::internal)
}

fn project_model(tx: &TenantTx, p: &Project) -> Result<project::ActiveModel, Error> {
    Ok(project::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(p.id.as_uuid()),
        code: Set(p.code.clone()),
        title: Set(to_json(&p.title)?),
        description: Set(to_json(&p.description)?),
        category: Set(p.category.clone()),
        period_from: Set(p.period_from),
        period_to: Set(p.period_to),
        status: Set(p.status),
        progress: Set(i32::from(p.progress)),
        starts_on: Set(p.starts_on),
        ends_on: Set(p.ends_on),
        place: Set(p.location.place.clone()),
        latitude: Set(p.location.latitude),
        longitude: Set(p.location.longitude),
        published: Set(p.published),
        created_at: Set(p.created_at),
        updated_at: Set(p.updated_at),
    })
}

fn project_from(model: project::Model) -> Result<Project, Error> {
    Ok(Project {
        id: ProjectId::from_uuid(model.id),
        code: model.code,
        title: from_json(model.title)?,
        description: from_json(model.description)?,
        category: model.category,
        period_from: model.period_from,
        period_to: model.period_to,
        status: model.status,
        progress: u8::try_from(model.progress.clamp(0, 100)).unwrap_or(0),
        starts_on: model.starts_on,
        ends_on: model.ends_on,
        location: Location { place: model.place, latitude: model.latitude, longitude: model.longitude },
        published: model.published,
        created_at: model.created_at,
        updated_at: model.updated_at,
    })
}

pub(crate) async fn insert_project(tx: &TenantTx, p: &Project) -> Result<(), Error> {
    project::Entity::insert(project_model(tx, p)?).exec_without_returning(tx.conn()).await?;
    Ok(())
}

/// Replaces a project's fields, if it was last changed at `seen`; false when another change won.
pub(crate) async fn update_project(tx: &TenantTx, p: &Project, seen: DateTime<Utc>) -> Result<bool, Error> {
    let mut model = project_model(tx, p)?;
    model.created_at = sea_orm::ActiveValue::NotSet;
    let result = project::Entity::update_many()
        .set(model)
        .filter(project::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(project::Column::Id.eq(p.id.as_uuid()))
        .filter(project::Column::UpdatedAt.eq(seen))
        .exec(tx.conn())
        .await?;
    Ok(result.rows_affected == 1)
}

pub(crate) async fn project_by_id(tx: &TenantTx, id: ProjectId) -> Result<Option<Project>, Error> {
    project::Entity::find_by_id((tx.tenant_uuid(), id.as_uuid())).one(tx.conn()).await?.map(project_from).transpose()
}

pub(crate) async fn project_by_code(tx: &TenantTx, code: &str) -> Result<Option<Project>, Error> {
    project::Entity::find()
        .filter(project::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(project::Column::Code.eq(code))
        .one(tx.conn())
        .await?
        .map(project_from)
        .transpose()
}

/// The projects after `after`, in the order they were made; only published ones when `published_only`.
pub(crate) async fn projects_page(
    tx: &TenantTx,
    after: Option<ProjectId>,
    limit: u64,
    published_only: bool,
) -> Result<Vec<Project>, Error> {
    let mut query = project::Entity::find()
        .filter(project::Column::TenantId.eq(tx.tenant_uuid()))
        .order_by_asc(project::Column::Id)
        .limit(limit);
    if let Some(after) = after {
        query = query.filter(project::Column::Id.gt(after.as_uuid()));
    }
    if published_only {
        query = query.filter(project::Column::Published.eq(true));
    }
    query.all(tx.conn()).await?.into_iter().map(project_from).collect()
}

pub(crate) async fn projects_count(tx: &TenantTx) -> Result<u64, Error> {
    Ok(project::Entity::find().filter(project::Column::TenantId.eq(tx.tenant_uuid())).count(tx.conn()).await?)
}

/// The published projects, by code.
pub(crate) async fn published_projects(tx: &TenantTx) -> Result<Vec<Project>, Error> {
    project::Entity::find()
        .filter(project::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(project::Column::Published.eq(true))
        .order_by_asc(project::Column::Code)
        .all(tx.conn())
        .await?
        .into_iter()
        .map(project_from)
        .collect()
}

/// Replaces a project's budget lines with `lines` (in their order).
pub(crate) async fn replace_budget_lines(tx: &TenantTx, id: ProjectId, lines: &[BudgetLink]) -> Result<(), Error> {
    project_budget_line::Entity::delete_many()
        .filter(project_budget_line::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(project_budget_line::Column::ProjectId.eq(id.as_uuid()))
        .exec(tx.conn())
        .await?;
    let mut rows = Vec::with_capacity(lines.len());
    for (position, line) in lines.iter().enumerate() {
        rows.push(project_budget_line::ActiveModel {
            tenant_id: Set(tx.tenant_uuid()),
            id: Set(uuid::Uuid::now_v7()),
            project_id: Set(id.as_uuid()),
            position: Set(i32::try_from(position).map_err(Error::internal)?),
            year: Set(line.year),
            chapter: Set(line.chapter.clone()),
            article: Set(line.article.clone()),
            paragraph: Set(line.paragraph.clone()),
            planned: Set(line.planned),
        });
    }
    if !rows.is_empty() {
        project_budget_line::Entity::insert_many(rows).exec_without_returning(tx.conn()).await?;
    }
    Ok(())
}

/// The budget lines of the projects `ids`, each with its project, in their order.
pub(crate) async fn budget_lines_of(tx: &TenantTx, ids: &[ProjectId]) -> Result<Vec<(ProjectId, BudgetLink)>, Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = project_budget_line::Entity::find()
        .filter(project_budget_line::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(project_budget_line::Column::ProjectId.is_in(ids.iter().map(|id| id.as_uuid())))
        .order_by_asc(project_budget_line::Column::ProjectId)
        .order_by_asc(project_budget_line::Column::Position)
        .all(tx.conn())
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            (
                ProjectId::from_uuid(row.project_id),
                BudgetLink {
                    year: row.year,
                    chapter: row.chapter,
                    article: row.article,
                    paragraph: row.paragraph,
                    planned: row.planned,
                },
            )
        })
        .collect())
}

fn milestone_from(model: project_milestone::Model) -> Result<Milestone, Error> {
    Ok(Milestone {
        id: MilestoneId::from_uuid(model.id),
        project: ProjectId::from_uuid(model.project_id),
        title: from_json(model.title)?,
        due_on: model.due_on,
        done_on: model.done_on,
    })
}

/// Inserts a milestone, or replaces the one of its id.
pub(crate) async fn save_milestone(
    tx: &TenantTx,
    milestone: &Milestone,
    now: DateTime<Utc>,
    new: bool,
) -> Result<(), Error> {
    let model = project_milestone::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(milestone.id.as_uuid()),
        project_id: Set(milestone.project.as_uuid()),
        title: Set(to_json(&milestone.title)?),
        due_on: Set(milestone.due_on),
        done_on: Set(milestone.done_on),
        updated_at: Set(now),
    };
    if new {
        project_milestone::Entity::insert(model).exec_without_returning(tx.conn()).await?;
    } else {
        project_milestone::Entity::update_many()
            .set(model)
            .filter(project_milestone::Column::TenantId.eq(tx.tenant_uuid()))
            .filter(project_milestone::Column::Id.eq(milestone.id.as_uuid()))
            .exec(tx.conn())
            .await?;
    }
    Ok(())
}

pub(crate) async fn milestone_by_id(tx: &TenantTx, id: MilestoneId) -> Result<Option<Milestone>, Error> {
    project_milestone::Entity::find_by_id((tx.tenant_uuid(), id.as_uuid()))
        .one(tx.conn())
        .await?
        .map(milestone_from)
        .transpose()
}

/// The milestones of the projects `ids`, by due date.
pub(crate) async fn milestones_of(tx: &TenantTx, ids: &[ProjectId]) -> Result<Vec<Milestone>, Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    project_milestone::Entity::find()
        .filter(project_milestone::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(project_milestone::Column::ProjectId.is_in(ids.iter().map(|id| id.as_uuid())))
        .order_by_asc(project_milestone::Column::DueOn)
        .order_by_asc(project_milestone::Column::Id)
        .all(tx.conn())
        .await?
        .into_iter()
        .map(milestone_from)
        .collect()
}

pub(crate) async fn insert_update(tx: &TenantTx, update: &ProgressUpdate) -> Result<(), Error> {
    project_update::Entity::insert(project_update::ActiveModel {
        tenant_id: Set(tx.tenant_uuid()),
        id: Set(update.id.as_uuid()),
        project_id: Set(update.project.as_uuid()),
        on_date: Set(update.on),
        progress: Set(i32::from(update.progress)),
        note: Set(to_json(&update.note)?),
        recorded_at: Set(update.recorded_at),
        recorded_by: Set(update.recorded_by.clone()),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(())
}

/// The progress notes of the projects `ids`, latest first.
pub(crate) async fn updates_of(tx: &TenantTx, ids: &[ProjectId]) -> Result<Vec<ProgressUpdate>, Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    project_update::Entity::find()
        .filter(project_update::Column::TenantId.eq(tx.tenant_uuid()))
        .filter(project_update::Column::ProjectId.is_in(ids.iter().map(|id| id.as_uuid())))
        .order_by_desc(project_update::Column::OnDate)
        .order_by_desc(project_update::Column::Id)
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|row| {
            Ok(ProgressUpdate {
                id: ProjectUpdateId::from_uuid(row.id),
                project: ProjectId::from_uuid(row.project_id),
                on: row.on_date,
                progress: u8::try_from(row.progress.clamp(0, 100)).unwrap_or(0),
                note: from_json(row.note)?,
                recorded_at: row.recorded_at,
                recorded_by: row.recorded_by,
            })
        })
        .collect()
}
