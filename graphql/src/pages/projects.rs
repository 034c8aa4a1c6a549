//! The commune's published action-plan projects as pages of its site: `/projects/{commune}` (every published
//! project with its progress) and `/projects/{commune}/{code}` (one project: its description, place, dates,
//! budget lines, milestones and progress notes). In the commune's languages only (`?lang=`, else
//! `Accept-Language` when the commune speaks it, else its default), Arabic right to left.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use jamaa_core::model::commune::Commune;
use jamaa_core::model::i18n::{Locale, LocalizedText};
use jamaa_core::modules::finance::model::format_centimes;
use jamaa_core::modules::projects::service::commune_locales;
use jamaa_core::service::{ProjectView, PublishedProjects};
use maud::{Markup, html};
use serde::Deserialize;

use super::{PageLang, language_links, layout, page_response, training_mark};
use crate::app::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/projects/{commune}", get(list)).route("/projects/{commune}/{code}", get(one))
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

/// The page's language among the commune's: the one asked for when the commune speaks it, else its default.
fn pick(query: Option<&str>, headers: &HeaderMap, commune: &Commune) -> (PageLang, Vec<Locale>) {
    let locales = commune_locales(commune);
    let lang = PageLang::pick(query, headers, Some(commune));
    let lang = if locales.contains(&lang.locale()) {
        lang
    } else {
        PageLang::pick(Some(commune.spec.default_locale.as_str()), &HeaderMap::new(), Some(commune))
    };
    (lang, locales)
}

/// A text in the page's language, else in the commune's, marked with the language it is in.
fn text(t: &LocalizedText, lang: PageLang, locales: &[Locale]) -> Markup {
    let (locale, text) = t.resolve(lang.locale(), locales).unwrap_or((lang.locale(), ""));
    html! { span lang=(locale.as_str()) { (text) } }
}

fn not_found(lang: PageLang, locales: &[Locale], message: &str) -> Response {
    let title = lang.t("projects-title");
    let body = html! { (language_links(lang, locales)) h1 { (title) } p.bad { (message) } };
    page_response(StatusCode::NOT_FOUND, layout(lang, &title, body))
}

async fn published(
    state: &AppState,
    slug: &str,
    lang: Option<&str>,
    headers: &HeaderMap,
) -> Result<(PublishedProjects, PageLang, Vec<Locale>), Response> {
    let commune = match state.jamaa.commune(slug).await {
        Ok(commune) => commune,
        Err(error) => {
            let lang = PageLang::pick(lang, headers, None);
            return Err(match error.code() {
                "NOT_FOUND" => not_found(lang, &Locale::ALL, &lang.t("projects-no-commune")),
                _ => internal(lang, &error),
            });
        }
    };
    let (lang, locales) = pick(lang, headers, &commune);
    match state.jamaa.published_projects(&commune).await {
        Ok(published) => Ok((published, lang, locales)),
        Err(error) => Err(internal(lang, &error)),
    }
}

fn internal(lang: PageLang, error: &jamaa_core::Error) -> Response {
    tracing::error!(%error, "showing projects");
    let title = lang.t("projects-title");
    page_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        layout(lang, &title, html! { h1 { (title) } p.bad { (lang.t("internal-error")) } }),
    )
}

fn progress(view: &ProjectView, lang: PageLang) -> Markup {
    let percent = view.project.progress;
    let said = lang.t_with("project-percent", &[("percent", usize::from(percent).into())]);
    html! {
        progress max="100" value=(percent) aria-label=(lang.t("project-progress")) { (said) }
        " " span { (said) }
    }
}

fn category(published: &PublishedProjects, view: &ProjectView, lang: PageLang, locales: &[Locale]) -> Markup {
    match published.categories.iter().find(|c| c.key == view.project.category) {
        Some(c) => text(&c.label, lang, locales),
        None => html! { (view.project.category) },
    }
}

fn amount(centimes: i64, commune: &Commune) -> Markup {
    html! { span.code { (format_centimes(centimes)) " " (commune.spec.currency) } }
}

async fn list(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let (published, lang, locales) = match published(&state, &slug, query.lang.as_deref(), &headers).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let commune = &published.commune;
    let title = lang.t("projects-title");
    let slug = commune.spec.slug.as_str();
    let body = html! {
        (language_links(lang, &locales))
        (training_mark(lang, Some(commune)))
        h1 { (title) }
        p.commune { (text(&commune.spec.name, lang, &locales)) }
        p { (lang.t("projects-intro")) }
        @if published.projects.is_empty() {
            p { (lang.t("projects-none")) }
        }
        @for view in &published.projects {
            section {
                h2 {
                    a href=(format!("/projects/{slug}/{}?lang={}", view.project.code, lang.code())) {
                        (text(&view.project.title, lang, &locales))
                    }
                }
                dl {
                    dt { (lang.t("project-code")) } dd.code { (view.project.code) }
                    dt { (lang.t("project-category")) } dd { (category(&published, view, lang, &locales)) }
                    dt { (lang.t("project-status")) } dd { (text(&view.project.status.label(), lang, &locales)) }
                    dt { (lang.t("project-progress")) } dd { (progress(view, lang)) }
                    dt { (lang.t("project-place")) } dd { (view.project.location.place) }
                    dt { (lang.t("project-budget")) } dd { (amount(view.planned_total(), commune)) }
                }
            }
        }
        p.no-print {
            (lang.t("projects-open-data")) " "
            a href=(format!("/opendata/{slug}/projects.json")) { "JSON" } " · "
            a href=(format!("/opendata/{slug}/projects.csv")) { "CSV" }
        }
    };
    page_response(StatusCode::OK, layout(lang, &title, body))
}

async fn one(
    State(state): State<AppState>,
    Path((slug, code)): Path<(String, String)>,
    Query(query): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let (published, lang, locales) = match published(&state, &slug, query.lang.as_deref(), &headers).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let Some(view) = published.projects.iter().find(|v| v.project.code == code) else {
        return not_found(lang, &locales, &lang.t("project-not-found"));
    };
    let commune = &published.commune;
    let p = &view.project;
    let title = p.title.get(lang.locale(), &locales).to_owned();
    let dates = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_else(|| "—".to_owned());
    let body = html! {
        (language_links(lang, &locales))
        (training_mark(lang, Some(commune)))
        p.no-print { a href=(format!("/projects/{}?lang={}", commune.spec.slug.as_str(), lang.code())) { (lang.t("project-all")) } }
        h1 { (text(&p.title, lang, &locales)) }
        p.commune { (text(&commune.spec.name, lang, &locales)) }
        p { (text(&p.description, lang, &locales)) }
        dl {
            dt { (lang.t("project-code")) } dd.code { (p.code) }
            dt { (lang.t("project-category")) } dd { (category(&published, view, lang, &locales)) }
            dt { (lang.t("project-period")) } dd { (p.period_from) "–" (p.period_to) }
            dt { (lang.t("project-status")) } dd { (text(&p.status.label(), lang, &locales)) }
            dt { (lang.t("project-progress")) } dd { (progress(view, lang)) }
            dt { (lang.t("project-dates")) } dd { (dates(p.starts_on)) " → " (dates(p.ends_on)) }
            dt { (lang.t("project-place")) } dd {
                (p.location.place)
                @if let (Some(lat), Some(lon)) = (p.location.latitude, p.location.longitude) {
                    " " span.code { "(" (lat) ", " (lon) ")" }
                }
            }
            dt { (lang.t("project-budget")) } dd { (amount(view.planned_total(), commune)) }
        }
        @if !view.budget_lines.is_empty() {
            h2 { (lang.t("project-budget-lines")) }
            table {
                thead { tr {
                    th scope="col" { (lang.t("project-year")) }
                    th scope="col" { (lang.t("project-budget-line")) }
                    th scope="col" { (lang.t("project-amount")) }
                } }
                tbody {
                    @for line in &view.budget_lines {
                        tr {
                            td { (line.year) }
                            td.code { (line.chapter) "." (line.article) @if !line.paragraph.is_empty() { "." (line.paragraph) } }
                            td { (amount(line.planned, commune)) }
                        }
                    }
                }
            }
        }
        @if !view.milestones.is_empty() {
            h2 { (lang.t("project-milestones")) }
            ul {
                @for m in &view.milestones {
                    li {
                        (text(&m.title, lang, &locales)) " — " (lang.t("project-due")) " " (m.due_on.to_string()) " — "
                        @match m.done_on {
                            Some(done) => { (lang.t("project-done")) " " (done.to_string()) },
                            None => { (lang.t("project-not-done")) },
                        }
                    }
                }
            }
        }
        @if !view.updates.is_empty() {
            h2 { (lang.t("project-updates")) }
            ul {
                @for u in &view.updates {
                    li {
                        (u.on.to_string()) " — " (lang.t_with("project-percent", &[("percent", usize::from(u.progress).into())]))
                        " — " (text(&u.note, lang, &locales))
                    }
                }
            }
        }
    };
    page_response(StatusCode::OK, layout(lang, &title, body))
}
