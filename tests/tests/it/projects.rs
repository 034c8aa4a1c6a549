//! The commune's action-plan projects over real HTTP, on SQLite and PostgreSQL: the planning officer files a
//! project of Oujda's action plan, its title and description in each of the commune's four languages, its
//! budget line one of the imported budget's expense lines; adds a milestone and reaches it; records progress.
//! The published project and its progress then appear in the open data (JSON and CSV) and on the commune's
//! site (a list and the project's page, Arabic right to left); an unpublished project appears in neither.
//! Only the planning officer and the administrators keep projects.

use anyhow::{Context as _, Result, ensure};
use jamaa_core::service::demo::DEMO_PASSWORD;
use jamaa_tests::app::{Backend, TestApp, error_codes, field_paths};
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(a_project_s_progress_appears_in_the_open_data_and_on_the_commune_site);

const CATEGORIES: &str = "{ projectCategories(commune: \"oujda\", locale: \"fr\") { key label legalReference } }";
const CREATE: &str = "mutation($i: ProjectInput!) { createProject(commune: \"oujda\", input: $i) {
  id code title status progress published plannedTotal budgetLines { year chapter article paragraph planned } } }";
const MILESTONE: &str = "mutation($p: ID!, $i: MilestoneInput!) {
  addProjectMilestone(commune: \"oujda\", projectId: $p, input: $i) { id title dueOn doneOn } }";
const REACH: &str = "mutation($id: ID!, $i: MilestoneInput!) {
  updateProjectMilestone(commune: \"oujda\", id: $id, input: $i) { id doneOn } }";
const PROGRESS: &str = "mutation($p: ID!, $i: ProgressInput!) {
  recordProjectProgress(commune: \"oujda\", projectId: $p, input: $i) {
    progress status updates { on progress note } milestones { title doneOn } } }";
const LIST: &str =
    "{ projects(commune: \"oujda\", locale: \"fr\", first: 10) { totalCount nodes { code progress published } } }";

fn four(ar: &str, tzm: &str, fr: &str, en: &str) -> Value {
    json!([
        { "locale": "ar", "text": ar }, { "locale": "tzm", "text": tzm },
        { "locale": "fr", "text": fr }, { "locale": "en", "text": en },
    ])
}

fn project(code: &str, published: bool) -> Value {
    json!({
        "code": code,
        "title": four("تهيئة شارع محمد الخامس", "ⴰⵙⵎⵓⵜⵜⴳ ⵏ ⵓⴱⵔⵉⴷ ⵎⵓⵃⵎⵎⴷ ⵡⵉⵙⵙ ⵙⵎⵎⵓⵙ",
                      "Aménagement du boulevard Mohammed V", "Mohammed V boulevard works"),
        "description": four("إعادة تهيئة الأرصفة والإنارة", "ⴰⵙⵎⵓⵜⵜⴳ ⵏ ⵉⴱⵔⵉⴷⵏ",
                            "Trottoirs et éclairage refaits", "Pavements and lighting redone"),
        "category": "roads",
        "periodFrom": 2022, "periodTo": 2027,
        "startsOn": "2025-03-01", "endsOn": "2026-06-30",
        "place": "Boulevard Mohammed V, Oujda", "latitude": 34.6814, "longitude": -1.9086,
        // An expense line of Oujda's imported 2025 budget: Aménagement de voirie et de trottoirs.
        "budgetLines": [{ "year": 2025, "chapter": "20", "article": "10", "paragraph": "1", "planned": "1500000.00" }],
        "published": published,
    })
}

async fn get(app: &TestApp, path: &str) -> Result<(u16, String)> {
    let response = app.client.get(app.url(path)).send().await?;
    let status = response.status().as_u16();
    Ok((status, response.text().await?))
}

async fn a_project_s_progress_appears_in_the_open_data_and_on_the_commune_site(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let officer = app.login("oujda.planning_officer", DEMO_PASSWORD).await?;
    let agent = app.login("oujda.counter_agent", DEMO_PASSWORD).await?;

    let categories = app.data(Some(&officer), CATEGORIES, json!({})).await?;
    let roads = categories["projectCategories"].as_array().into_iter().flatten().find(|c| c["key"] == "roads");
    ensure!(roads.is_some_and(|c| c["legalReference"].is_string()), "{categories}");

    // Every failure at once: a text missing in Tamazight, a budget line the budget does not have.
    let mut bad = project("PAC-2022-07", true);
    bad["title"] = json!([{ "locale": "ar", "text": "تهيئة" }, { "locale": "fr", "text": "Aménagement" },
                          { "locale": "en", "text": "Works" }]);
    let body = app.graphql(Some(&officer), CREATE, json!({ "i": bad })).await?;
    assert_eq!(field_paths(&body), ["input.title.tzm"], "{body}");
    let mut unknown_line = project("PAC-2022-07", true);
    unknown_line["budgetLines"][0]["chapter"] = json!("99");
    let body = app.graphql(Some(&officer), CREATE, json!({ "i": unknown_line })).await?;
    assert_eq!(field_paths(&body), ["input.budgetLines[0]"], "{body}");

    let created = app.data(Some(&officer), CREATE, json!({ "i": project("PAC-2022-07", true) })).await?;
    let created = &created["createProject"];
    assert_eq!(created["title"], "تهيئة شارع محمد الخامس", "{created}");
    assert_eq!((&created["progress"], &created["status"]), (&json!(0), &json!("PLANNED")), "{created}");
    assert_eq!(created["plannedTotal"], "1500000.00", "{created}");
    let id = created["id"].as_str().context("no id")?.to_owned();
    let taken = app.graphql(Some(&officer), CREATE, json!({ "i": project("PAC-2022-07", true) })).await?;
    assert_eq!(field_paths(&taken), ["input.code"], "{taken}");
    // A project kept unpublished.
    app.data(Some(&officer), CREATE, json!({ "i": project("PAC-2022-09", false) })).await?;

    // A milestone, reached.
    let title = four("التسليم المؤقت", "ⴰⵙⵙⵍⴽⵎ ⴰⵣⵎⵣⴰⵏ", "Réception provisoire", "Provisional acceptance");
    let milestone =
        app.data(Some(&officer), MILESTONE, json!({ "p": id, "i": { "title": title, "dueOn": "2025-12-31" } })).await?;
    let milestone_id = milestone["addProjectMilestone"]["id"].as_str().context("no milestone id")?.to_owned();
    let reached = json!({ "id": milestone_id, "i": { "title": title, "dueOn": "2025-12-31", "doneOn": "2025-11-20" } });
    let reached = app.data(Some(&officer), REACH, reached).await?;
    assert_eq!(reached["updateProjectMilestone"]["doneOn"], "2025-11-20", "{reached}");

    // Progress: a percent, dated, noted in each language; once begun, the project is in progress.
    let note = four("أشغال الطريق منتهية", "ⵜⵉⵡⵓⵔⵉⵡⵉⵏ ⵏ ⵓⴱⵔⵉⴷ ⵜⵜⵓⵙⵎⴷⵏⵜ", "Chaussée terminée", "Roadway finished");
    let too_much = app
        .graphql(
            Some(&officer),
            PROGRESS,
            json!({ "p": id, "i": { "on": "2025-11-20", "progress": 120, "note": note } }),
        )
        .await?;
    assert_eq!(field_paths(&too_much), ["input.progress"], "{too_much}");
    let progressed = app
        .data(Some(&officer), PROGRESS, json!({ "p": id, "i": { "on": "2025-11-20", "progress": 45, "note": note } }))
        .await?;
    let progressed = &progressed["recordProjectProgress"];
    assert_eq!((&progressed["progress"], &progressed["status"]), (&json!(45), &json!("IN_PROGRESS")), "{progressed}");
    assert_eq!(progressed["updates"][0]["progress"], 45, "{progressed}");

    // Only the planning officer and the administrators keep projects.
    let body = app.graphql(Some(&agent), LIST, json!({})).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");
    let body = app.graphql(Some(&agent), CREATE, json!({ "i": project("PAC-2022-10", true) })).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");
    let admin = app.login("oujda.commune_admin", DEMO_PASSWORD).await?;
    let listed = app.data(Some(&admin), LIST, json!({})).await?;
    // With the demo's own project (PAC-2022-01, published).
    assert_eq!(listed["projects"]["totalCount"], 3, "{listed}");

    // The open data: the published project only, its progress, texts in the commune's languages.
    let (status, text) = get(&app, "/opendata/oujda/projects.json").await?;
    ensure!(status == 200, "{status}: {text}");
    let file: Value = serde_json::from_str(&text)?;
    let projects = file["projects"].as_array().cloned().unwrap_or_default();
    ensure!(projects.len() == 2, "{file}");
    let published = projects.iter().find(|p| p["code"] == "PAC-2022-07").context("the project is not published")?;
    assert_eq!(published["code"], "PAC-2022-07", "{published}");
    assert_eq!(published["progress"], 45, "{published}");
    assert_eq!(published["status"], "in_progress", "{published}");
    assert_eq!(published["plannedTotal"], "1500000.00", "{published}");
    assert_eq!(published["title"]["tzm"], "ⴰⵙⵎⵓⵜⵜⴳ ⵏ ⵓⴱⵔⵉⴷ ⵎⵓⵃⵎⵎⴷ ⵡⵉⵙⵙ ⵙⵎⵎⵓⵙ", "{published}");
    assert_eq!(published["milestones"][0]["doneOn"], "2025-11-20", "{published}");
    assert_eq!(published["updates"][0]["note"]["fr"], "Chaussée terminée", "{published}");
    assert_eq!(file["languages"], json!(["ar", "tzm", "fr", "en"]), "{file}");

    let (status, csv) = get(&app, "/opendata/oujda/projects.csv").await?;
    ensure!(status == 200, "{status}: {csv}");
    let mut lines = csv.lines();
    let header = lines.next().context("empty CSV")?;
    ensure!(header.starts_with("code,category,status,progress,") && header.ends_with(",description_en"), "{header}");
    let rows: Vec<&str> = lines.collect();
    ensure!(
        rows.len() == 2 && rows.iter().any(|r| r.starts_with("PAC-2022-07,roads,in_progress,45,2022,2027,")),
        "{csv}"
    );
    ensure!(rows.iter().any(|r| r.starts_with("PAC-2022-01,lighting,in_progress,30,2022,2027,")), "{csv}");

    // The commune's site: the list in Arabic, right to left, with the progress; the project's page in French.
    let (status, page) = get(&app, "/projects/oujda?lang=ar").await?;
    ensure!(status == 200, "{status}: {page}");
    ensure!(page.contains(r#"<html lang="ar" dir="rtl">"#), "{page}");
    ensure!(page.contains("تهيئة شارع محمد الخامس") && page.contains(r#"value="45""#), "{page}");
    ensure!(page.contains("/projects/oujda/PAC-2022-07") && !page.contains("PAC-2022-09"), "{page}");
    let (status, page) = get(&app, "/projects/oujda/PAC-2022-07?lang=fr").await?;
    ensure!(status == 200, "{status}: {page}");
    ensure!(page.contains(r#"<html lang="fr" dir="ltr">"#), "{page}");
    for expected in
        ["Aménagement du boulevard Mohammed V", "45 %", "Réception provisoire", "Chaussée terminée", "1500000.00 MAD"]
    {
        ensure!(page.contains(expected), "{expected} not in {page}");
    }
    let (_, page) = get(&app, "/projects/oujda/PAC-2022-07?lang=tzm").await?;
    ensure!(page.contains(r#"<html lang="tzm" dir="ltr">"#) && page.contains("ⴰⵙⵎⵓⵜⵜⴳ ⵏ ⵓⴱⵔⵉⴷ"), "{page}");
    // Spanish is none of Oujda's languages: its default, Arabic, is shown.
    let (_, page) = get(&app, "/projects/oujda?lang=es").await?;
    ensure!(page.contains(r#"<html lang="ar" dir="rtl">"#), "{page}");
    // The unpublished project has no page.
    let (status, _) = get(&app, "/projects/oujda/PAC-2022-09").await?;
    ensure!(status == 404, "{status}");
    let (status, _) = get(&app, "/projects/nowhere").await?;
    ensure!(status == 404, "{status}");
    Ok(())
}
