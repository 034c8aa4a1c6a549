//! The commune's action-plan projects (organic law 113.14, arts 78–82): the planning officer and the commune's
//! administrators (`manage_projects`) create and change projects (their budget lines checked against the
//! commune's imported budget), their milestones and their progress, each change one transaction with its
//! audit event. Published projects are read by anyone (open data, the commune's site).

use chrono::{DateTime, NaiveDate, Utc};

use crate::auth::{Permission, Principal};
use crate::error::{Error, FieldError, FieldErrorCode};
use crate::model::audit::{AuditKind, AuditSubject, NewEvent};
use crate::model::commune::Commune;
use crate::model::form::messages;
use crate::model::i18n::Locale;
use crate::model::ids::{MilestoneId, ProjectId, ProjectUpdateId};
use crate::model::settings::SettingsSection;
use crate::modules::finance::model::LineKind;
use crate::modules::projects::model::{
    self as model, BudgetLink, Milestone, MilestoneInput, ProgressInput, ProgressUpdate, Project, ProjectCategory,
    ProjectInput, ProjectSettings,
};
use crate::modules::projects::store;
use crate::service::{CountedPage, Jamaa, MAX_PAGE_SIZE};
use crate::store::{TenantTx, audit, config};

/// A project with its budget lines, milestones (by due date) and progress notes (latest first).
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectView {
    pub project: Project,
    pub budget_lines: Vec<BudgetLink>,
    pub milestones: Vec<Milestone>,
    pub updates: Vec<ProgressUpdate>,
}

impl ProjectView {
    /// What the project plans to spend, in centimes.
    pub fn planned_total(&self) -> i64 {
        model::planned_total(&self.budget_lines)
    }
}

/// A commune's published projects, by code, and its categories (for their labels).
#[derive(Clone, Debug, PartialEq)]
pub struct PublishedProjects {
    pub commune: Commune,
    pub categories: Vec<ProjectCategory>,
    pub projects: Vec<ProjectView>,
}

/// The languages a commune speaks, its default first, each once.
pub fn commune_locales(commune: &Commune) -> Vec<Locale> {
    commune.fallbacks().into_iter().fold(Vec::new(), |mut all, l| {
        if !all.contains(&l) {
            all.push(l);
        }
        all
    })
}

fn local_today(commune: &Commune, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&commune.time_zone()).date_naive()
}

/// The commune's project settings.
async fn settings(tx: &TenantTx) -> Result<ProjectSettings, Error> {
    let config = config::get(tx).await?;
    match ProjectSettings::from_settings(&config.settings) {
        Some(Ok(settings)) => Ok(settings),
        Some(Err(problem)) => Err(Error::internal(format!("settings.projects does not load: {problem}"))),
        None => Err(Error::field(
            "settings.projects",
            FieldErrorCode::InvalidDefinition,
            messages::projects_settings_missing(),
        )),
    }
}

/// Every budget line a project names exists in the commune's imported budget of its year, as an expense line.
async fn check_budget_lines(tx: &TenantTx, lines: &[BudgetLink]) -> Result<(), Error> {
    let mut years: Vec<i32> = lines.iter().map(|l| l.year).collect();
    years.sort_unstable();
    years.dedup();
    let mut budget = Vec::new();
    for year in years {
        let lines = crate::modules::finance::store::lines_with_ids(tx, Some(year)).await?;
        budget.extend(lines.into_iter().map(|(year, _, line)| (year, line)));
    }
    let errors: Vec<FieldError> = lines
        .iter()
        .enumerate()
        .filter(|(_, link)| {
            !budget.iter().any(|(year, line)| {
                line.kind() == LineKind::Expense && link.names(*year, &line.chapter, &line.article, &line.paragraph)
            })
        })
        .map(|(i, _)| {
            FieldError::new(
                format!("input.budgetLines[{i}]"),
                FieldErrorCode::InvalidValue,
                messages::project_budget_line_unknown(),
            )
        })
        .collect();
    if errors.is_empty() { Ok(()) } else { Err(Error::Validation(errors)) }
}

/// The views of `projects`, with their lines, milestones and notes.
async fn views(tx: &TenantTx, projects: Vec<Project>) -> Result<Vec<ProjectView>, Error> {
    let ids: Vec<ProjectId> = projects.iter().map(|p| p.id).collect();
    let lines = store::budget_lines_of(tx, &ids).await?;
    let milestones = store::milestones_of(tx, &ids).await?;
    let updates = store::updates_of(tx, &ids).await?;
    Ok(projects
        .into_iter()
        .map(|project| ProjectView {
            budget_lines: lines.iter().filter(|(p, _)| *p == project.id).map(|(_, l)| l.clone()).collect(),
            milestones: milestones.iter().filter(|m| m.project == project.id).cloned().collect(),
            updates: updates.iter().filter(|u| u.project == project.id).cloned().collect(),
            project,
        })
        .collect())
}

async fn view(tx: &TenantTx, project: Project) -> Result<ProjectView, Error> {
    views(tx, vec![project]).await?.pop().ok_or(Error::NotFound("project"))
}

fn project_event(principal: &Principal, kind: AuditKind, view: &ProjectView) -> NewEvent {
    let p = &view.project;
    NewEvent::new(
        principal.actor(),
        kind,
        AuditSubject::Project(p.id),
        serde_json::json!({
            "code": p.code,
            "category": p.category,
            "status": p.status.as_str(),
            "progress": p.progress,
            "published": p.published,
            "period": [p.period_from, p.period_to],
            "plannedCentimes": view.planned_total(),
            "budgetLines": view.budget_lines.len(),
        }),
    )
}

impl Jamaa {
    /// Whether the caller may keep the commune's projects (for screens that offer them).
    pub fn may_manage_projects(&self, principal: &Principal, commune: &Commune) -> Result<(), Error> {
        principal.authorize(commune.id, Permission::ManageProjects).map(|_| ())
    }

    /// The categories of the commune's projects (`settings.projects.categories`).
    pub async fn project_categories(
        &self,
        principal: &Principal,
        commune: &Commune,
    ) -> Result<Vec<ProjectCategory>, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageProjects)?;
        let tx = self.store.tenant_read_tx(scope).await?;
        let settings = settings(&tx).await?;
        tx.commit().await?;
        Ok(settings.categories)
    }

    /// Creates a project: checked (every failure at once, its texts in each of the commune's languages), its
    /// code free in the commune, its budget lines in the imported budget; at 0 %, in one transaction with
    /// `project.created`.
    #[tracing::instrument(skip_all, fields(commune = %commune.spec.slug))]
    pub async fn create_project(
        &self,
        principal: &Principal,
        commune: &Commune,
        input: ProjectInput,
    ) -> Result<ProjectView, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageProjects)?;
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        let settings = settings(&tx).await?;
        let input = model::validate_project(&input, &settings, &commune_locales(commune)).map_err(Error::Validation)?;
        if store::project_by_code(&tx, &input.code).await?.is_some() {
            return Err(Error::field("input.code", FieldErrorCode::InvalidValue, messages::project_code_taken()));
        }
        check_budget_lines(&tx, &input.budget_lines).await?;
        let (project, budget_lines) = Project::written(ProjectId::new(), input, 0, now, now);
        store::insert_project(&tx, &project).await?;
        store::replace_budget_lines(&tx, project.id, &budget_lines).await?;
        let view = ProjectView { project, budget_lines, milestones: Vec::new(), updates: Vec::new() };
        audit::append(&tx, project_event(principal, AuditKind::ProjectCreated, &view), now).await?;
        tx.commit().await?;
        tracing::info!(project.id = %view.project.id, "project created");
        Ok(view)
    }

    /// Replaces a project's fields and budget lines (its progress kept), unless it changed since `seen` (its
    /// `updatedAt`), in one transaction with `project.updated`.
    pub async fn update_project(
        &self,
        principal: &Principal,
        commune: &Commune,
        id: ProjectId,
        seen: Option<DateTime<Utc>>,
        input: ProjectInput,
    ) -> Result<ProjectView, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageProjects)?;
        let now = self.now();
        let tx = self.store.tenant_tx(scope).await?;
        let before = store::project_by_id(&tx, id).await?.ok_or(Error::NotFound("project"))?;
        let settings = settings(&tx).await?;
        let input = model::validate_project(&input, &settings, &commune_locales(commune)).map_err(Error::Validation)?;
        if store::project_by_code(&tx, &input.code).await?.is_some_and(|other| other.id != id) {
            return Err(Error::field("input.code", FieldErrorCode::InvalidValue, messages::project_code_taken()));
        }
        check_budget_lines(&tx, &input.budget_lines).await?;
        let (project, budget_lines) = Project::written(id, input, before.progress, before.created_at, now);
        if !store::update_project(&tx, &project, seen.unwrap_or(before.updated_at)).await? {
            return Err(Error::Conflict("the project changed meanwhile: reload it".into()));
        }
        store::replace_budget_lines(&tx, id, &budget_lines).await?;
        let view = view(&tx, project).await?;
        audit::append(&tx, project_event(principal, AuditKind::ProjectUpdated, &view), now).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// One project with its budget lines, milestones and progress notes.
    pub async fn project(&self, principal: &Principal, commune: &Commune, id: ProjectId) -> Result<ProjectView, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageProjects)?;
        let tx = self.store.tenant_read_tx(scope).await?;
        let project = store::project_by_id(&tx, id).await?.ok_or(Error::NotFound("project"))?;
        let view = view(&tx, project).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// The commune's projects, published or not, in the order they were made, a page at a time.
    pub async fn projects(
        &self,
        principal: &Principal,
        commune: &Commune,
        after: Option<ProjectId>,
        first: u64,
    ) -> Result<CountedPage<ProjectView>, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageProjects)?;
        let first = first.clamp(1, MAX_PAGE_SIZE);
        let tx = self.store.tenant_read_tx(scope).await?;
        let mut projects = store::projects_page(&tx, after, first + 1, false).await?;
        let total = store::projects_count(&tx).await?;
        let has_next = projects.len() as u64 > first;
        projects.truncate(first as usize);
        let items = views(&tx, projects).await?;
        tx.commit().await?;
        Ok(CountedPage { items, has_next, total })
    }

    /// Adds a milestone to a project (`id` none) or changes one (its title, due date, done date), in one
    /// transaction with `project.milestone_saved`.
    pub async fn save_milestone(
        &self,
        principal: &Principal,
        commune: &Commune,
        project: Option<ProjectId>,
        id: Option<MilestoneId>,
        input: MilestoneInput,
    ) -> Result<Milestone, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageProjects)?;
        let now = self.now();
        let input = model::validate_milestone(&input, &commune_locales(commune), local_today(commune, now))
            .map_err(Error::Validation)?;
        let tx = self.store.tenant_tx(scope).await?;
        let (project, id, new) = match (project, id) {
            (Some(project), None) => {
                store::project_by_id(&tx, project).await?.ok_or(Error::NotFound("project"))?;
                (project, MilestoneId::new(), true)
            }
            (_, Some(id)) => {
                let before = store::milestone_by_id(&tx, id).await?.ok_or(Error::NotFound("milestone"))?;
                (before.project, id, false)
            }
            (None, None) => return Err(Error::NotFound("project")),
        };
        let milestone = Milestone { id, project, title: input.title, due_on: input.due_on, done_on: input.done_on };
        store::save_milestone(&tx, &milestone, now, new).await?;
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::ProjectMilestoneSaved,
                AuditSubject::Project(project),
                serde_json::json!({
                    "milestone": id.to_string(),
                    "new": new,
                    "dueOn": milestone.due_on.to_string(),
                    "doneOn": milestone.done_on.map(|d| d.to_string()),
                }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(milestone)
    }

    /// Records a project's progress: a dated note with the percent reached (0–100), which becomes the
    /// project's, and its status (given, or following the progress: `model::status_after`), in one
    /// transaction with `project.progress_recorded`.
    pub async fn record_progress(
        &self,
        principal: &Principal,
        commune: &Commune,
        id: ProjectId,
        input: ProgressInput,
    ) -> Result<ProjectView, Error> {
        let scope = principal.authorize(commune.id, Permission::ManageProjects)?;
        let now = self.now();
        let (input, percent) = model::validate_progress(&input, &commune_locales(commune), local_today(commune, now))
            .map_err(Error::Validation)?;
        let tx = self.store.tenant_tx(scope).await?;
        let before = store::project_by_id(&tx, id).await?.ok_or(Error::NotFound("project"))?;
        let update = ProgressUpdate {
            id: ProjectUpdateId::new(),
            project: id,
            on: input.on,
            progress: percent,
            note: input.note,
            recorded_at: now,
            recorded_by: principal.actor(),
        };
        store::insert_update(&tx, &update).await?;
        let project = Project {
            progress: percent,
            status: model::status_after(before.status, percent, input.status),
            updated_at: now,
            ..before.clone()
        };
        if !store::update_project(&tx, &project, before.updated_at).await? {
            return Err(Error::Conflict("the project changed meanwhile: reload it".into()));
        }
        let view = view(&tx, project).await?;
        audit::append(
            &tx,
            NewEvent::new(
                principal.actor(),
                AuditKind::ProjectProgressRecorded,
                AuditSubject::Project(id),
                serde_json::json!({
                    "update": update.id.to_string(),
                    "on": update.on.to_string(),
                    "progress": percent,
                    "from": before.progress,
                    "status": view.project.status.as_str(),
                }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(view)
    }

    /// The commune's published projects, by code, with their budget lines, milestones and progress notes
    /// (anyone: open data and the commune's site).
    pub async fn published_projects(&self, commune: &Commune) -> Result<PublishedProjects, Error> {
        let scope = Principal::Anonymous.authorize(commune.id, Permission::ReadCatalog)?;
        let tx = self.store.tenant_read_tx(scope).await?;
        let categories = match ProjectSettings::from_settings(&config::get(&tx).await?.settings) {
            Some(Ok(settings)) => settings.categories,
            _ => Vec::new(),
        };
        let projects = store::published_projects(&tx).await?;
        let projects = views(&tx, projects).await?;
        tx.commit().await?;
        Ok(PublishedProjects { commune: commune.clone(), categories, projects })
    }
}
