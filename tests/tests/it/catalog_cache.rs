//! The catalog served from memory, over real HTTP on SQLite and PostgreSQL: a commune's current services are
//! never answered for another commune, a publication is seen at once by the server that made it and by another
//! server on the same database that held the old catalog, and so is an onboarding. Answers kept for anonymous
//! catalog reads (`jamaa_graphql::response_cache`) follow the commune named by the `X-Commune` header, and a
//! document that reads anything beside the catalog is executed every time.

use anyhow::{Context as _, Result};
use jamaa_core::auth::Principal;
use jamaa_tests::app::{Backend, TestApp};
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(
    each_commune_gets_its_own_catalog,
    a_publication_is_seen_by_every_server,
    an_onboarded_commune_is_served_its_catalog,
    kept_answers_follow_what_they_read,
);

const SERVICES: &str = r#"query($c: String!) { services(commune: $c, locale: "fr", first: 100) { edges { node { id code version description } } } }"#;
const DEFINITION: &str =
    "query($c: String!, $code: String!) { service(commune: $c, code: $code) { id version definition } }";
const PUBLISH: &str = "mutation($c: String!, $d: JSON!) { publishService(commune: $c, definition: $d) }";

/// `(id, code, version, description)` of each current service.
async fn catalog(app: &TestApp, commune: &str) -> Result<Vec<(String, String, i64, String)>> {
    let data = app.data(None, SERVICES, json!({ "c": commune })).await?;
    let edges = data["services"]["edges"].as_array().context("no services")?;
    Ok(edges
        .iter()
        .map(|e| {
            let node = &e["node"];
            (
                node["id"].as_str().unwrap_or_default().to_owned(),
                node["code"].as_str().unwrap_or_default().to_owned(),
                node["version"].as_i64().unwrap_or(0),
                node["description"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect())
}

async fn each_commune_gets_its_own_catalog(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    // Read both several times, interleaved, so that both are held in memory.
    let mut seen = Vec::new();
    for _ in 0..3 {
        for commune in ["oujda", "chefchaouen"] {
            seen.push((commune, catalog(&app, commune).await?));
        }
    }
    let oujda: Vec<_> = seen.iter().filter(|(c, _)| *c == "oujda").map(|(_, s)| s.clone()).collect();
    let chefchaouen: Vec<_> = seen.iter().filter(|(c, _)| *c == "chefchaouen").map(|(_, s)| s.clone()).collect();
    assert!(oujda.windows(2).all(|w| w[0] == w[1]), "Oujda's catalog changed without a publication");
    assert!(chefchaouen.windows(2).all(|w| w[0] == w[1]), "Chefchaouen's catalog changed without a publication");
    let oujda_ids: Vec<&str> = oujda[0].iter().map(|s| s.0.as_str()).collect();
    assert!(!oujda_ids.is_empty());
    // The two communes offer the same procedures from the same template, but never the other's versions.
    assert!(
        chefchaouen[0].iter().all(|s| !oujda_ids.contains(&s.0.as_str())),
        "a service of Oujda in Chefchaouen's catalog"
    );

    // Oujda publishes: Chefchaouen's catalog stays as it was, Oujda's shows the new version at once.
    let token = app.staff("oujda").to_owned();
    let data = app.data(None, DEFINITION, json!({ "c": "oujda", "code": "legalisation-signature" })).await?;
    let mut definition = data["service"]["definition"].clone();
    definition["description"]["fr"] = json!("Une description publiée par Oujda seulement.");
    let published = app.data(Some(&token), PUBLISH, json!({ "c": "oujda", "d": definition })).await?;
    let version = published["publishService"].as_i64().context("no version")?;
    let after = catalog(&app, "oujda").await?;
    let legalisation = after.iter().find(|s| s.1 == "legalisation-signature").context("no legalisation")?;
    assert_eq!(legalisation.2, version);
    assert_eq!(legalisation.3, "Une description publiée par Oujda seulement.");
    assert_eq!(catalog(&app, "chefchaouen").await?, chefchaouen[0], "Oujda's publication reached Chefchaouen");

    // Through the one-service query too.
    let one = app.data(None, DEFINITION, json!({ "c": "oujda", "code": "legalisation-signature" })).await?;
    assert_eq!(one["service"]["version"].as_i64(), Some(version));
    let other = app.data(None, DEFINITION, json!({ "c": "chefchaouen", "code": "legalisation-signature" })).await?;
    assert_ne!(
        other["service"]["definition"]["description"]["fr"],
        json!("Une description publiée par Oujda seulement.")
    );
    app.stop().await
}

async fn a_publication_is_seen_by_every_server(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    // A second server on the same database, which reads (and holds) Oujda's catalog first.
    let other = app.jamaa().await?;
    let before = other.services(&Principal::Anonymous, "oujda").await?;
    let old = before.iter().find(|s| s.service.definition.code == "legalisation-signature").context("none")?;
    let old_version = old.service.version;
    assert_eq!(other.services(&Principal::Anonymous, "oujda").await?, before);

    // The first server publishes.
    let token = app.staff("oujda").to_owned();
    let data = app.data(None, DEFINITION, json!({ "c": "oujda", "code": "legalisation-signature" })).await?;
    let mut definition: Value = data["service"]["definition"].clone();
    definition["description"]["fr"] = json!("Publiée par le premier serveur.");
    app.data(Some(&token), PUBLISH, json!({ "c": "oujda", "d": definition })).await?;

    // The second server answers the new version on its next read.
    let after = other.services(&Principal::Anonymous, "oujda").await?;
    let new = after.iter().find(|s| s.service.definition.code == "legalisation-signature").context("none")?;
    assert_eq!(new.service.version, old_version + 1);
    assert_eq!(
        new.service.definition.description.get(jamaa_core::model::i18n::Locale::Fr, &[]),
        "Publiée par le premier serveur."
    );
    let one = other.service(&Principal::Anonymous, "oujda", "legalisation-signature").await?;
    assert_eq!(one.service.version, old_version + 1);
    // And the other communes' catalogs are the same as before.
    assert_eq!(after.len(), before.len());
    app.stop().await
}

async fn an_onboarded_commune_is_served_its_catalog(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let other = app.jamaa().await?;
    // The second server learns that the commune does not exist yet.
    assert!(other.services(&Principal::Anonymous, "berkane").await.is_err());
    let operator = app.operator.clone();
    let onboard = r#"mutation($input: OnboardCommuneInput!) { onboardCommune(input: $input) { slug } }"#;
    app.data(
        Some(&operator),
        onboard,
        json!({ "input": {
            "from": "oujda@1",
            "slug": "berkane",
            "nameAr": "بركان",
            "nameFr": "Berkane",
            "trackingPrefix": "BRK"
        }}),
    )
    .await?;
    let services = other.services(&Principal::Anonymous, "berkane").await?;
    let oujda = other.services(&Principal::Anonymous, "oujda").await?;
    assert_eq!(services.len(), oujda.len());
    assert!(services.iter().all(|s| s.commune.spec.slug.as_str() == "berkane"));
    assert!(services.iter().zip(&oujda).all(|(b, o)| b.service.id != o.service.id));
    assert_eq!(catalog(&app, "berkane").await?.len(), services.len());
    app.stop().await
}

/// The server's count of kept answers with this result (`kept`, `given`, `stale`), from `/metrics`.
async fn kept_answers(app: &TestApp, result: &str) -> Result<u64> {
    let text = reqwest::get(app.url("/metrics")).await?.text().await?;
    let line = format!("jamaa_graphql_kept_answers_total{{result=\"{result}\"}} ");
    Ok(text.lines().find_map(|l| l.strip_prefix(&line)).map_or(Ok(0), str::parse)?)
}

/// Posts `query` anonymously with an `X-Commune` header; the whole response.
async fn in_commune(app: &TestApp, commune: &str, query: &str, variables: Value) -> Result<Value> {
    let response = reqwest::Client::new()
        .post(app.url("/graphql"))
        .header("x-commune", commune)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await?;
    Ok(response.json().await?)
}

async fn kept_answers_follow_what_they_read(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    // The same document, the commune named by the header only: each commune its own answer, every time.
    let ids = r#"{ services(first: 3) { edges { node { id } } } }"#;
    let mut answers = Vec::new();
    for _ in 0..3 {
        for commune in ["oujda", "chefchaouen"] {
            answers.push((commune, in_commune(&app, commune, ids, json!({})).await?));
        }
    }
    let oujda = &answers[0].1;
    let chefchaouen = &answers[1].1;
    assert!(oujda.get("errors").is_none(), "{oujda}");
    assert_ne!(oujda, chefchaouen, "one commune answered the other's catalog");
    for (commune, answer) in &answers {
        assert_eq!(answer, if *commune == "oujda" { oujda } else { chefchaouen });
    }
    // Kept the first time, given the four others.
    assert_eq!(kept_answers(&app, "kept").await?, 2);
    assert_eq!(kept_answers(&app, "given").await?, 4);

    // A document reading the catalog and a request: the request's new state shows at once.
    let submit = r#"mutation($input: SubmitRequestInput!) {
        submitRequest(commune: "oujda", input: $input) { secret request { id trackingCode } } }"#;
    let input = json!({
        "serviceCode": "legalisation-signature",
        "data": { "signatory_name": "Fatima Zahra El Idrissi", "cin": "AB123456", "phone": "0612345678",
                  "document_title": "Contrat de bail", "copies": 2 },
        "documents": [{ "code": "document_to_sign", "fileName": "bail.pdf", "mediaType": "application/pdf",
                        "sizeBytes": 120000 }]
    });
    let submitted = app.data(None, submit, json!({ "input": input })).await?;
    let request = &submitted["submitRequest"];
    let both = r#"query($code: String!, $secret: String!) {
        services(commune: "oujda", first: 1) { totalCount }
        trackRequest(trackingCode: $code, secret: $secret) { state version } }"#;
    let vars = json!({ "code": request["request"]["trackingCode"], "secret": request["secret"] });
    for _ in 0..2 {
        let before = app.data(None, both, vars.clone()).await?;
        assert_eq!(before["trackRequest"]["state"], "submitted", "{before}");
    }
    let act = r#"mutation($id: ID!) { actOnRequest(commune: "oujda", id: $id, action: "certify", expectedVersion: 1) {
        state } }"#;
    let token = app.staff("oujda").to_owned();
    app.data(Some(&token), act, json!({ "id": request["request"]["id"] })).await?;
    let after = app.data(None, both, vars).await?;
    assert_eq!(after["trackRequest"]["state"], "certified", "a kept answer hid the request's new state: {after}");
    assert_eq!(kept_answers(&app, "kept").await?, 2, "a document reading a request was kept");

    app.stop().await
}
