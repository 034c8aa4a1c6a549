//! The commune's published action-plan projects as open data: `/opendata/{commune}/projects.json` (each project
//! with its texts in the commune's languages, budget lines, milestones and progress notes) and
//! `/opendata/{commune}/projects.csv` (one line per project, its title and description in a column per
//! language of the commune). Amounts are exact decimals in the commune's currency.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use jamaa_core::model::i18n::{Locale, LocalizedText};
use jamaa_core::modules::finance::model::format_centimes;
use jamaa_core::modules::projects::service::commune_locales;
use jamaa_core::service::{ProjectView, PublishedProjects};
use serde_json::{Value, json};

use crate::app::AppState;
use crate::edge::PathCommune;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/opendata/{commune}/projects.json", get(projects_json))
        .route("/opendata/{commune}/projects.csv", get(projects_csv))
}

/// The columns of `projects.csv` before the texts (`title_{locale}`, `description_{locale}` per language).
pub const COLUMNS: &[&str] = &[
    "code",
    "category",
    "status",
    "progress",
    "period_from",
    "period_to",
    "starts_on",
    "ends_on",
    "place",
    "latitude",
    "longitude",
    "planned_total",
    "updated_at",
];

/// A text in the commune's languages only, as `{locale: text}`.
fn texts(text: &LocalizedText, locales: &[Locale]) -> Value {
    let map: serde_json::Map<String, Value> = locales
        .iter()
        .filter_map(|l| text.exact(*l).map(|t| (l.as_str().to_owned(), Value::String(t.to_owned()))))
        .collect();
    Value::Object(map)
}

fn project(view: &ProjectView, published: &PublishedProjects, locales: &[Locale]) -> Value {
    let p = &view.project;
    let category = published.categories.iter().find(|c| c.key == p.category);
    json!({
        "code": p.code,
        "title": texts(&p.title, locales),
        "description": texts(&p.description, locales),
        "category": p.category,
        "categoryLabel": category.map(|c| texts(&c.label, locales)),
        "period": { "from": p.period_from, "to": p.period_to },
        "status": p.status.as_str(),
        "progress": p.progress,
        "startsOn": p.starts_on,
        "endsOn": p.ends_on,
        "location": { "place": p.location.place, "latitude": p.location.latitude, "longitude": p.location.longitude },
        "plannedTotal": format_centimes(view.planned_total()),
        "budgetLines": view.budget_lines.iter().map(|l| json!({
            "year": l.year, "chapter": l.chapter, "article": l.article, "paragraph": l.paragraph,
            "planned": format_centimes(l.planned),
        })).collect::<Vec<_>>(),
        "milestones": view.milestones.iter().map(|m| json!({
            "title": texts(&m.title, locales), "dueOn": m.due_on, "doneOn": m.done_on,
        })).collect::<Vec<_>>(),
        "updates": view.updates.iter().map(|u| json!({
            "on": u.on, "progress": u.progress, "note": texts(&u.note, locales),
        })).collect::<Vec<_>>(),
        "updatedAt": p.updated_at.to_rfc3339(),
    })
}

async fn projects_json(State(state): State<AppState>, at: PathCommune) -> Response {
    match state.jamaa.published_projects(&at.commune).await {
        Ok(published) => {
            let locales = commune_locales(&at.commune);
            let projects: Vec<Value> = published.projects.iter().map(|v| project(v, &published, &locales)).collect();
            super::json(&json!({
                "commune": at.commune.spec.slug.as_str(),
                "languages": locales.iter().map(|l| l.as_str()).collect::<Vec<_>>(),
                "projects": projects,
            }))
        }
        Err(error) => super::error(error),
    }
}

async fn projects_csv(State(state): State<AppState>, at: PathCommune) -> Response {
    let published = match state.jamaa.published_projects(&at.commune).await {
        Ok(published) => published,
        Err(error) => return super::error(error),
    };
    let locales = commune_locales(&at.commune);
    let texts: Vec<String> =
        ["title", "description"].iter().flat_map(|field| locales.iter().map(move |l| format!("{field}_{l}"))).collect();
    let header: Vec<&str> = COLUMNS.iter().copied().chain(texts.iter().map(String::as_str)).collect();
    let rows = published.projects.iter().map(|view| {
        let p = &view.project;
        let mut row = vec![
            p.code.clone(),
            p.category.clone(),
            p.status.as_str().to_owned(),
            p.progress.to_string(),
            p.period_from.to_string(),
            p.period_to.to_string(),
            p.starts_on.map(|d| d.to_string()).unwrap_or_default(),
            p.ends_on.map(|d| d.to_string()).unwrap_or_default(),
            p.location.place.clone(),
            p.location.latitude.map(|v| v.to_string()).unwrap_or_default(),
            p.location.longitude.map(|v| v.to_string()).unwrap_or_default(),
            format_centimes(view.planned_total()),
            p.updated_at.to_rfc3339(),
        ];
        for text in [&p.title, &p.description] {
            row.extend(locales.iter().map(|l| text.exact(*l).unwrap_or("").to_owned()));
        }
        row
    });
    super::csv(&header, rows, &format!("{}-projects.csv", at.commune.spec.slug))
}
