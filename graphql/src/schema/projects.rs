//! The commune's action-plan projects over GraphQL (organic law 113.14, arts 78–82): projects with their budget
//! lines of the imported budget, milestones and progress, kept by the planning officer and the commune's
//! administrators (ManageProjects). Published projects are also open data (`/opendata/{commune}/projects.json`)
//! and pages of the commune's site (`/projects/{commune}`).

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use jamaa_core::error::FieldErrorCode;
use jamaa_core::model::form::messages;
use jamaa_core::model::i18n::{Locale, LocalizedText};
use jamaa_core::model::ids::{MilestoneId, ProjectId};
use jamaa_core::modules::finance::model::{format_centimes, parse_centimes};
use jamaa_core::modules::projects::model::{
    self as core, BudgetLink, Location, MilestoneInput as CoreMilestoneInput, ProgressInput as CoreProgressInput,
    ProjectInput as CoreProjectInput,
};
use jamaa_core::service::ProjectView;

use super::Lang;
use super::call::{InCommune, InLang, subject_id};
use super::page::{Listing, after_key, connection, page_size};
use super::types::{LocalizedString, localized};

/// Where a project stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum ProjectStatus {
    Planned,
    InProgress,
    Done,
    Suspended,
}

impl From<ProjectStatus> for core::ProjectStatus {
    fn from(status: ProjectStatus) -> Self {
        match status {
            ProjectStatus::Planned => core::ProjectStatus::Planned,
            ProjectStatus::InProgress => core::ProjectStatus::InProgress,
            ProjectStatus::Done => core::ProjectStatus::Done,
            ProjectStatus::Suspended => core::ProjectStatus::Suspended,
        }
    }
}

impl From<core::ProjectStatus> for ProjectStatus {
    fn from(status: core::ProjectStatus) -> Self {
        match status {
            core::ProjectStatus::Planned => ProjectStatus::Planned,
            core::ProjectStatus::InProgress => ProjectStatus::InProgress,
            core::ProjectStatus::Done => ProjectStatus::Done,
            core::ProjectStatus::Suspended => ProjectStatus::Suspended,
        }
    }
}

/// A text in one of the commune's languages.
#[derive(InputObject)]
pub struct ProjectTextInput {
    /// `ar`, `fr`, `tzm`, `en` or `es`: one of the commune's languages.
    pub locale: String,
    pub text: String,
}

/// A line of the commune's imported budget (an expense line) and what the project plans to spend on it.
#[derive(InputObject)]
pub struct ProjectBudgetLineInput {
    pub year: i32,
    pub chapter: String,
    pub article: String,
    #[graphql(default)]
    pub paragraph: String,
    /// The amount planned, an exact decimal in the commune's currency (`1500000.00`).
    pub planned: String,
}

/// A project to write (created, or replacing the project's fields and budget lines).
#[derive(InputObject)]
pub struct ProjectInput {
    /// The project's code in the commune: 1 to 32 of A–Z, 0–9 and `-` (`PAC-2022-07`).
    pub code: String,
    /// Its title in each of the commune's languages.
    pub title: Vec<ProjectTextInput>,
    /// Its description in each of the commune's languages.
    pub description: Vec<ProjectTextInput>,
    /// A key of `projectCategories`.
    pub category: String,
    /// The first and last years of the action plan it belongs to.
    pub period_from: i32,
    pub period_to: i32,
    #[graphql(default_with = "ProjectStatus::Planned")]
    pub status: ProjectStatus,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    /// Where it is: a place name, and both coordinates (WGS 84) or neither.
    pub place: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    #[graphql(default)]
    pub budget_lines: Vec<ProjectBudgetLineInput>,
    /// Shown in the open data and on the commune's site.
    #[graphql(default)]
    pub published: bool,
}

/// A milestone to write.
#[derive(InputObject)]
pub struct MilestoneInput {
    /// Its title in each of the commune's languages.
    pub title: Vec<ProjectTextInput>,
    pub due_on: NaiveDate,
    /// The day it was reached (today or before).
    pub done_on: Option<NaiveDate>,
}

/// Progress to record.
#[derive(InputObject)]
pub struct ProgressInput {
    /// The day of the progress (today or before).
    pub on: NaiveDate,
    /// Percent reached, 0 to 100.
    pub progress: i32,
    /// What was done, in each of the commune's languages.
    pub note: Vec<ProjectTextInput>,
    /// The status, when it changes otherwise than by the progress (at 100 % a project is done; once begun, in
    /// progress).
    pub status: Option<ProjectStatus>,
}

/// Where a project is.
#[derive(SimpleObject)]
pub struct ProjectLocation {
    pub place: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// A line of the budget a project plans to spend on.
#[derive(SimpleObject)]
pub struct ProjectBudgetLine {
    pub year: i32,
    pub chapter: String,
    pub article: String,
    pub paragraph: String,
    /// Exact decimal in the commune's currency.
    pub planned: String,
}

/// A milestone of a project.
#[derive(SimpleObject)]
pub struct ProjectMilestone {
    /// `{id}@{locale}`.
    pub id: ID,
    pub title: String,
    /// Its title in each language it has.
    pub titles: Vec<LocalizedString>,
    pub due_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
}

/// A dated note of a project's progress.
#[derive(SimpleObject)]
pub struct ProjectUpdate {
    /// `{id}@{locale}`.
    pub id: ID,
    pub on: NaiveDate,
    pub progress: i32,
    pub note: String,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: String,
}

/// A project of the commune's action plan.
#[derive(SimpleObject)]
pub struct Project {
    /// `{id}@{locale}`.
    pub id: ID,
    pub code: String,
    pub title: String,
    /// Its title in each language it has.
    pub titles: Vec<LocalizedString>,
    pub description: String,
    /// Its description in each language it has.
    pub descriptions: Vec<LocalizedString>,
    pub category: String,
    pub period_from: i32,
    pub period_to: i32,
    pub status: ProjectStatus,
    /// Percent reached, 0 to 100.
    pub progress: i32,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub location: ProjectLocation,
    pub published: bool,
    /// What it plans to spend in all, exact decimal in the commune's currency.
    pub planned_total: String,
    pub budget_lines: Vec<ProjectBudgetLine>,
    /// By due date.
    pub milestones: Vec<ProjectMilestone>,
    /// Latest first.
    pub updates: Vec<ProjectUpdate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn milestone(m: core::Milestone, lang: &Lang) -> ProjectMilestone {
    ProjectMilestone {
        id: lang.id(m.id),
        title: lang.text(&m.title),
        titles: localized(&m.title),
        due_on: m.due_on,
        done_on: m.done_on,
    }
}

fn project(view: ProjectView, lang: &Lang) -> Project {
    let planned_total = format_centimes(view.planned_total());
    let p = view.project;
    Project {
        id: lang.id(p.id),
        code: p.code,
        title: lang.text(&p.title),
        titles: localized(&p.title),
        description: lang.text(&p.description),
        descriptions: localized(&p.description),
        category: p.category,
        period_from: p.period_from,
        period_to: p.period_to,
        status: p.status.into(),
        progress: i32::from(p.progress),
        starts_on: p.starts_on,
        ends_on: p.ends_on,
        location: ProjectLocation {
            place: p.location.place,
            latitude: p.location.latitude,
            longitude: p.location.longitude,
        },
        published: p.published,
        planned_total,
        budget_lines: view
            .budget_lines
            .into_iter()
            .map(|l| ProjectBudgetLine {
                year: l.year,
                chapter: l.chapter,
                article: l.article,
                paragraph: l.paragraph,
                planned: format_centimes(l.planned),
            })
            .collect(),
        milestones: view.milestones.into_iter().map(|m| milestone(m, lang)).collect(),
        updates: view
            .updates
            .into_iter()
            .map(|u| ProjectUpdate {
                id: lang.id(u.id),
                on: u.on,
                progress: i32::from(u.progress),
                note: lang.text(&u.note),
                recorded_at: u.recorded_at,
                recorded_by: u.recorded_by,
            })
            .collect(),
        created_at: p.created_at,
        updated_at: p.updated_at,
    }
}

/// A category of projects (the commune's `settings.projects.categories`).
#[derive(SimpleObject)]
pub struct ProjectCategory {
    /// `{key}@{locale}`.
    pub id: ID,
    pub key: String,
    pub label: String,
    pub legal_reference: Option<String>,
}

fn invalid(path: String, message: LocalizedText) -> jamaa_core::Error {
    jamaa_core::Error::field(path, FieldErrorCode::InvalidValue, message)
}

/// Texts by locale; a locale the platform does not speak is refused at `{path}[i].locale`.
fn texts(path: &str, list: Vec<ProjectTextInput>) -> Result<LocalizedText, jamaa_core::Error> {
    let mut text = LocalizedText::new();
    for (i, item) in list.into_iter().enumerate() {
        let locale = item
            .locale
            .parse::<Locale>()
            .map_err(|_| invalid(format!("{path}[{i}].locale"), messages::not_an_option()))?;
        text = text.with(locale, item.text);
    }
    Ok(text)
}

fn project_input(input: ProjectInput) -> Result<CoreProjectInput, jamaa_core::Error> {
    let mut budget_lines = Vec::with_capacity(input.budget_lines.len());
    for (i, line) in input.budget_lines.into_iter().enumerate() {
        let planned = parse_centimes(line.planned.trim()).map_err(|code| {
            jamaa_core::Error::field(
                format!("input.budgetLines[{i}].planned"),
                code,
                messages::project_amount_positive(),
            )
        })?;
        budget_lines.push(BudgetLink {
            year: line.year,
            chapter: line.chapter,
            article: line.article,
            paragraph: line.paragraph,
            planned,
        });
    }
    Ok(CoreProjectInput {
        code: input.code,
        title: texts("input.title", input.title)?,
        description: texts("input.description", input.description)?,
        category: input.category,
        period_from: input.period_from,
        period_to: input.period_to,
        status: input.status.into(),
        starts_on: input.starts_on,
        ends_on: input.ends_on,
        location: Location { place: input.place, latitude: input.latitude, longitude: input.longitude },
        budget_lines,
        published: input.published,
    })
}

fn milestone_input(input: MilestoneInput) -> Result<CoreMilestoneInput, jamaa_core::Error> {
    Ok(CoreMilestoneInput { title: texts("input.title", input.title)?, due_on: input.due_on, done_on: input.done_on })
}

#[derive(Default)]
pub struct ProjectsQuery;

#[Object]
impl ProjectsQuery {
    /// The commune's projects, published or not, in the order they were made, a page at a time
    /// (ManageProjects).
    async fn projects(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        locale: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Listing<Project>> {
        let call = InCommune::new(ctx, commune, locale).await?;
        let after = after_key(after, |c| c.parse::<ProjectId>().ok())?;
        let size = page_size(first, call.locale())?;
        let page = call.jamaa.projects(call.principal, &call.commune, after, size).await.in_lang(&call)?;
        Ok(connection(after.is_some(), page, |view| (view.project.id.to_string(), project(view, &call.lang))))
    }

    /// One project with its budget lines, milestones and progress (ManageProjects).
    async fn project(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        locale: Option<String>,
        id: ID,
    ) -> Result<Project> {
        let call = InCommune::new(ctx, commune, locale).await?;
        let id = subject_id::<ProjectId>(&id, "project").in_lang(&call)?;
        let view = call.jamaa.project(call.principal, &call.commune, id).await.in_lang(&call)?;
        Ok(project(view, &call.lang))
    }

    /// The categories of the commune's projects, labelled in `locale` (ManageProjects).
    async fn project_categories(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        locale: Option<String>,
    ) -> Result<Vec<ProjectCategory>> {
        let call = InCommune::new(ctx, commune, locale).await?;
        let categories = call.jamaa.project_categories(call.principal, &call.commune).await.in_lang(&call)?;
        Ok(categories
            .into_iter()
            .map(|c| ProjectCategory {
                id: call.lang.id(&c.key),
                label: call.lang.text(&c.label),
                key: c.key,
                legal_reference: c.legal_reference,
            })
            .collect())
    }
}

#[derive(Default)]
pub struct ProjectsMutation;

#[Object]
impl ProjectsMutation {
    /// Creates a project of the commune's action plan, at 0 %; its budget lines must be expense lines of the
    /// commune's imported budget (ManageProjects).
    async fn create_project(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        input: ProjectInput,
    ) -> Result<Project> {
        let call = InCommune::new(ctx, commune, None).await?;
        let input = project_input(input).in_lang(&call)?;
        let view = call.jamaa.create_project(call.principal, &call.commune, input).await.in_lang(&call)?;
        Ok(project(view, &call.lang))
    }

    /// Replaces a project's fields and budget lines, unless it changed since `updatedAt` (CONFLICT)
    /// (ManageProjects).
    async fn update_project(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        id: ID,
        input: ProjectInput,
        updated_at: Option<DateTime<Utc>>,
    ) -> Result<Project> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = subject_id::<ProjectId>(&id, "project").in_lang(&call)?;
        let input = project_input(input).in_lang(&call)?;
        let view =
            call.jamaa.update_project(call.principal, &call.commune, id, updated_at, input).await.in_lang(&call)?;
        Ok(project(view, &call.lang))
    }

    /// Adds a milestone to a project (ManageProjects).
    async fn add_project_milestone(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        project_id: ID,
        input: MilestoneInput,
    ) -> Result<ProjectMilestone> {
        let call = InCommune::new(ctx, commune, None).await?;
        let project_id = subject_id::<ProjectId>(&project_id, "project").in_lang(&call)?;
        let input = milestone_input(input).in_lang(&call)?;
        let saved = call
            .jamaa
            .save_milestone(call.principal, &call.commune, Some(project_id), None, input)
            .await
            .in_lang(&call)?;
        Ok(milestone(saved, &call.lang))
    }

    /// Changes a milestone: its title, due date, or the day it was reached (ManageProjects).
    async fn update_project_milestone(
        &self,
        ctx: &Context<'_>,
        commune: Option<String>,
        id: ID,
        input: MilestoneInput,
    ) -> Result<ProjectMilestone> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = subject_id::<MilestoneId>(&id, "milestone").in_lang(&call)?;
        let input = milestone_input(input).in_lang(&call)?;
        let saved =
            call.jamaa.save_milestone(call.principal, &call.commune, None, Some(id), input).await.in_lang(&call)?;
        Ok(milestone(saved, &call.lang))
    }

    /// Records a project's progress: a dated note with the percent reached, which becomes the project's
    /// (ManageProjects).
    async fn record_project_progress(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "idempotencyKey",
            desc = "A key that makes the call safe to retry (else the `Idempotency-Key` header): the same key, arguments and selection answer as the first call did and create nothing."
        )]
        _idempotency_key: Option<String>,
        commune: Option<String>,
        project_id: ID,
        input: ProgressInput,
    ) -> Result<Project> {
        let call = InCommune::new(ctx, commune, None).await?;
        let id = subject_id::<ProjectId>(&project_id, "project").in_lang(&call)?;
        let input = CoreProgressInput {
            on: input.on,
            progress: input.progress,
            note: texts("input.note", input.note).in_lang(&call)?,
            status: input.status.map(Into::into),
        };
        let view = call.jamaa.record_progress(call.principal, &call.commune, id, input).await.in_lang(&call)?;
        Ok(project(view, &call.lang))
    }
}
