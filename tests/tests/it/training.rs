//! Training communes end to end, on SQLite and on PostgreSQL: made from Oujda (as `jamaa commune training
//! create` does), a trainee logs in with their own account and moves a fictitious file; the national figures
//! and the public listings do not see it, its open data and its Open311 jurisdiction are absent (404); a reset
//! brings the same starting files back, its audit chain restarted and valid, and the trainee's session and the
//! training staff token still work. The training commune's staff never reach Oujda's files, nor Oujda's staff
//! the training commune's; the nightly reset runs once a night.

use std::collections::BTreeMap;

use anyhow::{Context as _, Result, ensure};
use jamaa_core::auth::Principal;
use jamaa_core::model::commune::TrainingReset;
use jamaa_core::service::{NewTrainingCommune, TrainingCommune};
use jamaa_tests::app::{Backend, TestApp, error_codes};
use reqwest::StatusCode;
use secrecy::ExposeSecret;
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(
    a_trainee_works_and_a_reset_brings_the_start_back,
    training_and_real_staff_never_cross,
    nightly_training_resets_run_once_a_night
);

const SLUG: &str = "oujda-training";

const INBOX: &str = r#"query($c: String!) { requests(commune: $c, first: 50) {
  edges { node { id trackingCode state version serviceCode availableActions { key commentRequired } } } } }"#;

const ACT: &str = r#"
mutation($c: String!, $id: ID!, $action: String!, $version: Int!) {
  actOnRequest(commune: $c, id: $id, action: $action, expectedVersion: $version, comment: "Dossier d'exercice")
    { state version }
}"#;

const NATIONAL: &str = "{ nationalIndicators { communes { commune } total { submitted decided } } }";

async fn make(app: &TestApp, reset: TrainingReset) -> Result<TrainingCommune> {
    let jamaa = app.jamaa().await?;
    let input = NewTrainingCommune { from: "oujda".into(), slug: None, reset };
    Ok(jamaa.create_training_commune(&Principal::Platform, input).await?)
}

/// The commune's files: tracking code → state.
async fn files(app: &TestApp, token: &str, commune: &str) -> Result<BTreeMap<String, String>> {
    let data = app.data(Some(token), INBOX, json!({ "c": commune })).await?;
    let edges = data["requests"]["edges"].as_array().context("no edges")?;
    Ok(edges
        .iter()
        .map(|e| {
            let node = &e["node"];
            (node["trackingCode"].as_str().unwrap_or("").to_owned(), node["state"].as_str().unwrap_or("").to_owned())
        })
        .collect())
}

async fn a_trainee_works_and_a_reset_brings_the_start_back(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let national_before = app.data(Some(&app.operator), NATIONAL, json!({})).await?;

    // Made by an operator over GraphQL.
    let create = "mutation { createTrainingCommune(from: \"oujda\", reset: MANUAL) {
        commune { slug status } logins { role login } password token } }";
    let made = app.data(Some(&app.operator), create, json!({})).await?;
    let made = &made["createTrainingCommune"];
    ensure!(made["commune"]["slug"] == SLUG && made["commune"]["status"] == "TRAINING", "{made}");
    let logins = made["logins"].as_array().context("no logins")?;
    let login = logins.iter().find(|l| l["role"] == "head_of_service").context("no head of service")?;
    ensure!(login["login"] == format!("{SLUG}.head_of_service"));
    let password = made["password"].as_str().context("no password")?;
    let token = made["token"].as_str().context("no token")?.to_owned();
    let session = app.login(login["login"].as_str().unwrap_or_default(), password).await?;
    let status = app.data(Some(&session), "query($c: String!) { commune(slug: $c) { status } }", json!({ "c": SLUG }));
    ensure!(status.await?["commune"]["status"] == "TRAINING");

    // The fictitious files: the demo's applicants, in several states; never Oujda's own files.
    let start = files(&app, &session, SLUG).await?;
    ensure!(start.len() == 3, "{start:?}");
    ensure!(start.keys().all(|code| !code.starts_with("OUJ-")), "{start:?}");
    let states: std::collections::BTreeSet<&String> = start.values().collect();
    ensure!(states.len() >= 2, "files in one state only: {start:?}");

    // The trainee moves a file.
    let inbox = app.data(Some(&session), INBOX, json!({ "c": SLUG })).await?;
    let edges = inbox["requests"]["edges"].as_array().context("no edges")?;
    let (node, action) = edges
        .iter()
        .map(|e| &e["node"])
        .find_map(|node| {
            let actions = node["availableActions"].as_array()?;
            let action = actions.first()?;
            Some((node.clone(), action["key"].as_str()?.to_owned()))
        })
        .with_context(|| format!("no action for the head of service: {inbox}"))?;
    let variables = json!({ "c": SLUG, "id": node["id"], "action": action, "version": node["version"] });
    let moved = app.data(Some(&session), ACT, variables).await?;
    ensure!(moved["actOnRequest"]["state"] != node["state"], "{moved}");
    let code = node["trackingCode"].as_str().context("no code")?.to_owned();
    ensure!(files(&app, &session, SLUG).await?[&code] != start[&code]);

    // No national figure moves, and the training commune is not among the communes counted.
    let national_after = app.data(Some(&app.operator), NATIONAL, json!({})).await?;
    ensure!(national_after == national_before, "{national_before} → {national_after}");
    let counted = national_after["nationalIndicators"]["communes"].as_array().context("no communes")?;
    ensure!(counted.iter().all(|c| c["commune"] != SLUG));

    // Absent from the public directory (listed to operators), from open data and from Open311.
    let list = "{ communes(first: 100) { totalCount nodes { slug status } } }";
    let public = app.data(None, list, json!({})).await?;
    let slugs = |v: &Value| -> Vec<String> {
        v["communes"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|n| n["slug"].as_str())
            .map(str::to_owned)
            .collect()
    };
    ensure!(!slugs(&public).contains(&SLUG.to_owned()), "{public}");
    let operators = app.data(Some(&app.operator), list, json!({})).await?;
    ensure!(slugs(&operators).contains(&SLUG.to_owned()), "{operators}");
    ensure!(operators["communes"]["totalCount"].as_u64() == public["communes"]["totalCount"].as_u64().map(|n| n + 1));
    for path in ["indicators.json", "indicators.csv", "audit-head.json", "audit-heads.json", "decisions.json"] {
        let response = app.client.get(app.url(&format!("/opendata/{SLUG}/{path}"))).send().await?;
        ensure!(response.status() == StatusCode::NOT_FOUND, "{path}: {}", response.status());
    }
    let real = app.client.get(app.url("/opendata/oujda/indicators.json")).send().await?;
    ensure!(real.status() == StatusCode::OK);
    let open311 = app.client.get(app.url(&format!("/open311/v2/services.json?jurisdiction_id={SLUG}"))).send().await?;
    ensure!(open311.status() == StatusCode::NOT_FOUND, "{}", open311.status());

    // Reset: the same starting files, a fresh and valid audit chain; sessions and tokens still work.
    let reset = "mutation($c: String!) { resetTrainingCommune(commune: $c) { commune requests } }";
    let report = app.data(Some(&app.operator), reset, json!({ "c": SLUG })).await?;
    ensure!(report["resetTrainingCommune"] == json!({ "commune": SLUG, "requests": 3 }), "{report}");
    ensure!(files(&app, &session, SLUG).await? == start);
    ensure!(files(&app, &token, SLUG).await? == start);
    let jamaa = app.jamaa().await?;
    let commune = jamaa.commune(SLUG).await?;
    let chain = jamaa.verify_audit(&Principal::Platform, &commune).await?;
    ensure!(chain.valid, "{chain:?}");
    let head =
        app.data(None, "query($c: String!) { auditHead(commune: $c) { sequence } }", json!({ "c": SLUG })).await?;
    ensure!(head["auditHead"]["sequence"].as_i64().is_some_and(|s| s < 40), "{head}");
    let after_reset = app.data(Some(&app.operator), NATIONAL, json!({})).await?;
    ensure!(after_reset == national_before, "{after_reset}");

    // The commune's pages carry the training mark, in every language; a real commune's do not.
    let code = start.keys().next().context("no file")?;
    for (lang, mark) in [
        ("ar", "جماعة للتدريب — البيانات وهمية"),
        ("fr", "Commune de formation — les données sont fictives"),
        ("tzm", "ⵜⴰⵊⵎⴰⵄⵜ ⵏ ⵓⵙⵍⵎⴷ — ⵉⵙⴼⴽⴰ ⵓⵔ ⴷ ⵉⴷⵜⵏ"),
        ("en", "Training commune — data is fictitious"),
    ] {
        let page = app.client.get(app.url(&format!("/receipts/{code}?lang={lang}"))).send().await?.text().await?;
        ensure!(page.contains(mark), "{lang}: {page}");
        let secret = jamaa_core::service::training_secret(SLUG, 1);
        let form = [("secret", secret.as_str())];
        let first = start.keys().find(|c| c.ends_with("000001")).context("no first file")?;
        let url = app.url(&format!("/receipts/{first}?lang={lang}"));
        let receipt = app.client.post(url).form(&form).send().await?;
        ensure!(receipt.status() == StatusCode::OK);
        ensure!(receipt.text().await?.contains(mark), "{lang}: receipt without the mark");
    }
    let real = app.client.get(app.url("/receipts/OUJ-2026-000001?lang=en")).send().await?.text().await?;
    ensure!(!real.contains("Training commune"), "{real}");

    // A real commune is never reset.
    let refused = app.graphql(Some(&app.operator), reset, json!({ "c": "oujda" })).await?;
    ensure!(error_codes(&refused) == ["VALIDATION_FAILED"], "{refused}");
    ensure!(files(&app, app.staff("oujda"), "oujda").await?.keys().any(|code| code.starts_with("OUJ-")));
    app.stop().await
}

async fn training_and_real_staff_never_cross(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let made = make(&app, TrainingReset::Manual).await?;
    let login = made.logins.iter().find(|(role, _)| role == "commune_admin").context("no administrator")?;
    let session = app.login(&login.1, made.password.expose_secret()).await?;
    let oujda_files = app.data(Some(app.staff("oujda")), INBOX, json!({ "c": "oujda" })).await?;
    let oujda_id = oujda_files["requests"]["edges"][0]["node"]["id"].clone();
    let training_files = app.data(Some(&session), INBOX, json!({ "c": SLUG })).await?;
    let training_id = training_files["requests"]["edges"][0]["node"]["id"].clone();

    let one = "query($c: String!, $id: ID!) { request(commune: $c, id: $id) { id trackingCode } }";
    for token in [session.as_str(), made.token.expose_secret()] {
        let body = app.graphql(Some(token), INBOX, json!({ "c": "oujda" })).await?;
        ensure!(error_codes(&body) == ["FORBIDDEN"], "{body}");
        // Oujda's file named in the training commune is unknown there.
        let body = app.graphql(Some(token), one, json!({ "c": SLUG, "id": oujda_id })).await?;
        ensure!(body["data"]["request"].is_null(), "{body}");
        let body = app.graphql(Some(token), one, json!({ "c": "oujda", "id": oujda_id })).await?;
        ensure!(error_codes(&body) == ["FORBIDDEN"], "{body}");
    }
    let body = app.graphql(Some(app.staff("oujda")), INBOX, json!({ "c": SLUG })).await?;
    ensure!(error_codes(&body) == ["FORBIDDEN"], "{body}");
    let body = app.graphql(Some(app.staff("oujda")), one, json!({ "c": "oujda", "id": training_id })).await?;
    ensure!(body["data"]["request"].is_null(), "{body}");
    // The training commune's staff cannot reset it, nor make another: operators only.
    let jamaa = app.jamaa().await?;
    let staff = jamaa.authenticate(&made.token).await?;
    let refused = jamaa.reset_training_commune(&staff, &made.commune).await;
    ensure!(
        matches!(refused, Err(jamaa_core::Error::Forbidden(_) | jamaa_core::Error::Unauthenticated)),
        "{refused:?}"
    );
    app.stop().await
}

async fn nightly_training_resets_run_once_a_night(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let made = make(&app, TrainingReset::Nightly).await?;
    let jamaa = app.jamaa().await?;
    let now = chrono::Utc::now();
    // Made today: the first night comes tomorrow.
    ensure!(jamaa.run_training_resets(now).await?.is_empty());
    let tomorrow = now + chrono::Duration::days(1);
    let done = jamaa.run_training_resets(tomorrow).await?;
    ensure!(done.len() == 1 && done[0].slug == SLUG, "{done:?}");
    ensure!(jamaa.run_training_resets(tomorrow).await?.is_empty());
    let start = files(&app, made.token.expose_secret(), SLUG).await?;
    ensure!(start.len() == 3, "{start:?}");
    app.stop().await
}
