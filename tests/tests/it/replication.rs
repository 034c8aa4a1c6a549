//! Replication end to end, over real HTTP on SQLite and PostgreSQL: Oujda's configuration onboards
//! Chefchaouen; Oujda improves a procedure and publishes v2; Chefchaouen upgrades and keeps its own edits.

use anyhow::{Context, Result};
use jamaa_tests::app::{Backend, TestApp, error_codes, field_paths};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(
    an_upgrade_brings_improvements_and_keeps_local_edits,
    conflicts_are_reported_and_resolved_by_choice,
    onboarding_round_trips_and_fails_whole,
    imports_refuse_bad_bundles,
);

const DEFINITION: &str =
    "query($c: String!, $code: String!) { service(commune: $c, code: $code) { version definition } }";
const PUBLISH: &str = "mutation($c: String!, $d: JSON!) { publishService(commune: $c, definition: $d) }";
const EXPORT: &str =
    "mutation($c: String!, $n: String!) { exportTemplate(commune: $c, name: $n) { reference contentHash } }";
const UPGRADE: &str = r#"mutation($c: String!, $to: String!, $r: [ConflictResolution!], $dry: Boolean) {
  upgradeCommune(commune: $c, to: $to, resolutions: $r, dryRun: $dry) {
    upgraded from to servicesPublished servicesRetired
    changes { path kind summary } localChanges { path } conflicts { path base theirs ours } unresolved { path }
  }
}"#;
const ONBOARD: &str =
    r#"mutation($input: OnboardCommuneInput!) { onboardCommune(input: $input) { slug currency country } }"#;

async fn definition(app: &TestApp, commune: &str, code: &str) -> Result<(i64, Value)> {
    let data = app.data(None, DEFINITION, json!({ "c": commune, "code": code })).await?;
    Ok((data["service"]["version"].as_i64().unwrap_or(0), data["service"]["definition"].clone()))
}

/// How many definitions the database stores, for all communes (the SQLite file, or PostgreSQL's superuser).
async fn stored_definitions(app: &TestApp) -> Result<i64> {
    let url = match &app.pg {
        Some((_, database)) => database.superuser_url.clone(),
        None => jamaa_graphql::settings::sqlite_url(app.dir.path()),
    };
    let db = sea_orm::Database::connect(url).await?;
    let sql = "SELECT count(*) AS n FROM definitions";
    let row = db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql)).await?;
    Ok(row.context("no count")?.try_get::<i64>("", "n")?)
}

async fn publish(app: &TestApp, token: &str, commune: &str, definition: &Value) -> Result<i64> {
    let data = app.data(Some(token), PUBLISH, json!({ "c": commune, "d": definition })).await?;
    Ok(data["publishService"].as_i64().unwrap_or(0))
}

async fn an_upgrade_brings_improvements_and_keeps_local_edits(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let (oujda, chefchaouen) = (app.staff("oujda").to_owned(), app.staff("chefchaouen").to_owned());

    let templates = app.data(None, "{ templates(first: 100) { nodes { reference } } }", json!({})).await?;
    let references: Vec<&str> = templates["templates"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["reference"].as_str())
        .collect();
    assert_eq!(references, ["ma-commune@1", "mr-commune@1", "oujda@1"]);
    let lineage = app.data(None, "{ commune(slug: \"chefchaouen\") { slug } }", json!({})).await?;
    assert_eq!(lineage["commune"]["slug"], "chefchaouen");

    // A citizen's file is open in Chefchaouen on the first version of the legalisation.
    let submitted = app
        .data(
            None,
            "mutation($i: SubmitRequestInput!) { submitRequest(commune: \"chefchaouen\", input: $i) { request { id version serviceVersion } } }",
            json!({ "i": {
                "serviceCode": "legalisation-signature",
                "data": { "signatory_name": "Amina Tazi", "cin": "L123456", "document_title": "Procuration", "copies": 1 },
                "documents": [{ "code": "document_to_sign", "fileName": "p.pdf", "mediaType": "application/pdf", "sizeBytes": 1000 }]
            }}),
        )
        .await?;
    let open_request = submitted["submitRequest"]["request"]["id"].clone();
    assert_eq!(submitted["submitRequest"]["request"]["serviceVersion"], 1);

    // Chefchaouen edits its complaint procedure.
    let (_, mut complaint) = definition(&app, "chefchaouen", "reclamation").await?;
    complaint["description"]["fr"] =
        json!("Réclamations de la commune de Chefchaouen, traitées par le bureau des relations avec les citoyens.");
    assert_eq!(publish(&app, &chefchaouen, "chefchaouen", &complaint).await?, 2);

    // Oujda improves the legalisation: a new optional field, and a clearer description.
    let (_, mut legalisation) = definition(&app, "oujda", "legalisation-signature").await?;
    legalisation["description"]["fr"] = json!(
        "Légalisation de signature : présentez-vous au guichet avec votre CNIE ; la demande en ligne vous fait gagner du temps."
    );
    if let Some(fields) = legalisation["form"]["fields"].as_array_mut() {
        fields.push(
            json!({ "key": "purpose", "type": "text", "label": { "ar": "الغرض", "fr": "Objet" }, "required": false }),
        );
    }
    assert_eq!(publish(&app, &oujda, "oujda", &legalisation).await?, 2);
    let exported = app.data(Some(&oujda), EXPORT, json!({ "c": "oujda", "n": "oujda" })).await?;
    assert_eq!(exported["exportTemplate"]["reference"], "oujda@2");
    // A commune's administrators export under its own name only: not Oujda's next version, nor the standard's.
    for name in ["oujda", "ma-commune"] {
        let body = app.graphql(Some(&chefchaouen), EXPORT, json!({ "c": "chefchaouen", "n": name })).await?;
        assert_eq!(error_codes(&body), ["FORBIDDEN"], "{name}: {body}");
    }

    let diff = app.data(None, "{ templateDiff(from: \"oujda@1\", to: \"oujda@2\") { path kind } }", json!({})).await?;
    insta::assert_json_snapshot!("oujda_template_diff", diff["templateDiff"]);

    // Another commune's staff cannot upgrade Chefchaouen.
    let body = app.graphql(Some(&oujda), UPGRADE, json!({ "c": "chefchaouen", "to": "oujda@2" })).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"]);

    let preview =
        app.data(Some(&chefchaouen), UPGRADE, json!({ "c": "chefchaouen", "to": "oujda@2", "dry": true })).await?;
    assert_eq!(preview["upgradeCommune"]["upgraded"], false);
    assert_eq!(definition(&app, "chefchaouen", "legalisation-signature").await?.0, 1, "a dry run writes nothing");

    let upgraded = app.data(Some(&chefchaouen), UPGRADE, json!({ "c": "chefchaouen", "to": "oujda@2" })).await?;
    // Upgraded from oujda@1: Oujda's improvements published, Chefchaouen's own edit kept, no conflict.
    insta::assert_json_snapshot!("upgrade_to_oujda_2", upgraded["upgradeCommune"]);

    let (version, now) = definition(&app, "chefchaouen", "legalisation-signature").await?;
    assert_eq!(version, 2);
    assert_eq!(now["description"]["fr"], legalisation["description"]["fr"], "the improvement arrived");
    assert!(now["form"]["fields"].as_array().is_some_and(|f| f.iter().any(|f| f["key"] == "purpose")));
    let (_, kept) = definition(&app, "chefchaouen", "reclamation").await?;
    assert_eq!(kept["description"]["fr"], complaint["description"]["fr"], "the local edit survived");

    // The open file finishes on the version it started on.
    let request = app
        .data(
            Some(&chefchaouen),
            "query($id: ID!) { request(id: $id) { serviceVersion version } }",
            json!({ "id": open_request }),
        )
        .await?;
    assert_eq!(request["request"]["serviceVersion"], 1);
    let acted = app
        .data(
            Some(&chefchaouen),
            "mutation($id: ID!) { actOnRequest(id: $id, action: \"certify\", expectedVersion: 1) { state serviceVersion } }",
            json!({ "id": open_request }),
        )
        .await?;
    assert_eq!(acted["actOnRequest"], json!({ "state": "certified", "serviceVersion": 1 }));

    // Upgrading again to the same version changes nothing.
    let again = app.data(Some(&chefchaouen), UPGRADE, json!({ "c": "chefchaouen", "to": "oujda@2" })).await?;
    assert_eq!(again["upgradeCommune"]["servicesPublished"], json!([]));
    assert_eq!(again["upgradeCommune"]["changes"], json!([]));

    let audit = app.data(Some(&app.operator), "{ auditVerify(commune: \"chefchaouen\") { valid } }", json!({})).await?;
    assert_eq!(audit["auditVerify"]["valid"], true);
    app.stop().await
}

async fn conflicts_are_reported_and_resolved_by_choice(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let (oujda, chefchaouen) = (app.staff("oujda").to_owned(), app.staff("chefchaouen").to_owned());
    let (_, mut theirs) = definition(&app, "oujda", "extrait-acte-naissance").await?;
    theirs["name"]["fr"] = json!("Extrait d'acte de naissance (copie abrégée)");
    publish(&app, &oujda, "oujda", &theirs).await?;
    app.data(Some(&oujda), EXPORT, json!({ "c": "oujda", "n": "oujda" })).await?;
    let (_, mut ours) = definition(&app, "chefchaouen", "extrait-acte-naissance").await?;
    ours["name"]["fr"] = json!("Extrait d'acte de naissance — Chefchaouen");
    publish(&app, &chefchaouen, "chefchaouen", &ours).await?;

    let path = "services[extrait-acte-naissance].name.fr";
    let blocked = app.data(Some(&chefchaouen), UPGRADE, json!({ "c": "chefchaouen", "to": "oujda@2" })).await?;
    // Not upgraded: the name both sides changed is a conflict, theirs and ours, left unresolved.
    insta::assert_json_snapshot!("upgrade_blocked_by_a_conflict", blocked["upgradeCommune"]);
    assert_eq!(definition(&app, "chefchaouen", "extrait-acte-naissance").await?.1["name"]["fr"], ours["name"]["fr"]);

    let resolved = app
        .data(
            Some(&chefchaouen),
            UPGRADE,
            json!({ "c": "chefchaouen", "to": "oujda@2", "r": [{ "path": path, "take": "THEIRS" }] }),
        )
        .await?;
    assert_eq!(resolved["upgradeCommune"]["upgraded"], true);
    assert_eq!(definition(&app, "chefchaouen", "extrait-acte-naissance").await?.1["name"]["fr"], theirs["name"]["fr"]);
    app.stop().await
}

async fn onboarding_round_trips_and_fails_whole(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let operator = app.operator.clone();
    let identity = |slug: &str, prefix: &str| json!({ "slug": slug, "nameFr": "Berkane", "nameAr": "بركان", "trackingPrefix": prefix, "from": "oujda@1" });
    let body = app.graphql(Some(app.staff("oujda")), ONBOARD, json!({ "input": identity("berkane", "BRK") })).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "only operators onboard");
    let body = app.graphql(None, ONBOARD, json!({ "input": identity("berkane", "BRK") })).await?;
    assert_eq!(error_codes(&body), ["UNAUTHENTICATED"]);

    let shared = stored_definitions(&app).await?;
    let onboarded = app.data(Some(&operator), ONBOARD, json!({ "input": identity("berkane", "BRK") })).await?;
    assert_eq!(onboarded["onboardCommune"], json!({ "slug": "berkane", "currency": "MAD", "country": "MA" }));
    assert_eq!(
        stored_definitions(&app).await?,
        shared,
        "a commune onboarded from a template refers to its definitions: it stores none of its own"
    );
    let exported = app.data(Some(&operator), EXPORT, json!({ "c": "berkane", "n": "berkane" })).await?;
    let templates = app.data(None, "{ templates(first: 100) { nodes { reference contentHash } } }", json!({})).await?;
    let oujda_hash = templates["templates"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["reference"] == "oujda@1")
        .map(|t| t["contentHash"].clone());
    assert_eq!(
        Some(exported["exportTemplate"]["contentHash"].clone()),
        oujda_hash,
        "export → onboard → export keeps the content hash"
    );

    // From another commune, with Mauritania's overrides.
    let mut from_commune = identity("rosso", "ROS");
    from_commune["from"] = Value::Null;
    from_commune["fromCommune"] = json!("kaedi");
    let rosso = app.data(Some(&operator), ONBOARD, json!({ "input": from_commune })).await?;
    assert_eq!(rosso["onboardCommune"]["currency"], "MRU");

    // Fees in dirhams for a commune that counts in ouguiyas: refused while publishing its services, after the
    // commune, its roles and its first services were written — and nothing of it stays.
    let mut broken = identity("nouadhibou", "NDB");
    broken["currency"] = json!("MRU");
    broken["country"] = json!("MR");
    broken["timeZone"] = json!("Africa/Nouakchott");
    let before = app.data(None, "{ communes(first: 100) { edges { node { slug } } } }", json!({})).await?;
    let body = app.graphql(Some(&operator), ONBOARD, json!({ "input": broken })).await?;
    assert_eq!(error_codes(&body), ["VALIDATION_FAILED"], "{body}");
    let paths = field_paths(&body);
    assert!(paths.iter().all(|p| p.starts_with("content.services[") && p.ends_with(".currency")), "{paths:?}");
    let after = app.data(None, "{ communes(first: 100) { edges { node { slug } } } }", json!({})).await?;
    assert_eq!(before, after, "no trace of the failed onboarding");
    let body = app.graphql(None, "{ commune(slug: \"nouadhibou\") { slug } }", json!({})).await?;
    assert_eq!(error_codes(&body), ["NOT_FOUND"]);
    if let Some((server, database)) = &app.pg {
        for table in [
            "communes WHERE slug = 'nouadhibou'",
            "roles r WHERE NOT EXISTS (SELECT 1 FROM communes c WHERE c.id = r.tenant_id)",
        ] {
            assert_eq!(server.psql(&database.name, &format!("SELECT count(*) FROM {table}"))?, "0", "{table}");
        }
        // An onboarded commune writes no role of its own: it names its template's role set, stored once.
        let own = "SELECT count(*) FROM roles r JOIN communes c ON c.id = r.tenant_id WHERE c.slug = 'rosso'";
        assert_eq!(server.psql(&database.name, own)?, "0");
        let set = "SELECT count(*) FROM communes c JOIN definitions d ON d.hash = c.roles_hash WHERE c.slug = 'rosso'";
        assert_eq!(server.psql(&database.name, set)?, "1");
    }
    // The same commune onboards once its fees are dropped.
    let mut fixed = identity("nouadhibou", "NDB");
    fixed["currency"] = json!("MRU");
    fixed["dropFees"] = json!(true);
    app.data(Some(&operator), ONBOARD, json!({ "input": fixed })).await?;
    app.stop().await
}

async fn imports_refuse_bad_bundles(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let operator = app.operator.clone();
    let bundle = app.data(None, "{ templates(first: 100) { nodes { reference bundle } } }", json!({})).await?;
    let original = bundle["templates"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["reference"] == "oujda@1")
        .map(|t| t["bundle"].clone())
        .unwrap_or_default();
    let import = "mutation($b: JSON!) { importTemplate(bundle: $b) { reference } }";
    let before = app.data(None, "{ templates(first: 100) { nodes { reference contentHash } } }", json!({})).await?;

    let mut tampered = original.clone();
    tampered["name"] = json!("tampered");
    tampered["content"]["services"][0]["deadline"]["days"] = json!(1);
    let mut future = original.clone();
    future["format"] = json!("jamaa.template/2");
    future["name"] = json!("future");
    let mut malformed = original.clone();
    malformed["name"] = json!("malformed");
    malformed["content"].as_object_mut().map(|c| c.remove("services"));
    for (case, bad, expected) in [
        ("tampered", tampered, "changed after it was made"),
        ("future", future, "unknown bundle format"),
        ("malformed", malformed, "not a template bundle"),
        ("not a bundle", json!({ "hello": "world" }), "not a template bundle"),
    ] {
        let body = app.graphql(Some(&operator), import, json!({ "b": bad })).await?;
        assert_eq!(error_codes(&body), ["VALIDATION_FAILED"], "{case}: {body}");
        let message = body["errors"][0]["extensions"]["fields"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains(expected), "{case}: {message}");
    }
    let body = app.graphql(Some(app.staff("oujda")), import, json!({ "b": original })).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"]);
    // The same bundle again is accepted and changes nothing; another one under its name@version is refused.
    app.data(Some(&operator), import, json!({ "b": original })).await?;
    assert_eq!(
        app.data(None, "{ templates(first: 100) { nodes { reference contentHash } } }", json!({})).await?,
        before,
        "nothing was written"
    );
    app.stop().await
}
