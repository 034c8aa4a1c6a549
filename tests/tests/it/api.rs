//! End to end over real HTTP, on SQLite and on PostgreSQL: a citizen submits, staff act, the citizen tracks,
//! the audit chain verifies; bad input is coded and writes nothing; roles, versions and communes are
//! enforced; timers fire once.

use anyhow::Result;
use chrono::{Duration, Utc};
use jamaa_tests::app::{Backend, TestApp, error_codes, field_errors};
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(
    citizen_submits_staff_acts_citizen_tracks,
    bad_submissions_are_coded_and_write_nothing,
    wrong_role_is_forbidden_and_stale_version_is_conflict,
    another_communes_staff_cannot_read_or_act,
    tacit_approval_fires_once_at_the_legal_deadline,
    catalog_is_public_and_localized,
);

const SUBMIT: &str = r#"
mutation($commune: String!, $input: SubmitRequestInput!, $locale: String) {
  submitRequest(commune: $commune, input: $input, locale: $locale) {
    secret
    request { id trackingCode state version decisionDue }
    receipt { trackingCode serviceName decisionDue silence silenceMeans direction fees { amountMinor currency } }
  }
}"#;

const ACT: &str = r#"
mutation($commune: String, $id: ID!, $action: String!, $version: Int!, $comment: String) {
  actOnRequest(commune: $commune, id: $id, action: $action, expectedVersion: $version, comment: $comment) {
    state outcome version
  }
}"#;

const TRACK: &str = r#"
query($code: String!, $secret: String!) {
  trackRequest(trackingCode: $code, secret: $secret, locale: "fr") {
    trackingCode state stateLabel outcome version decisionDue
    history { action toState actor }
    availableActions { key }
  }
}"#;

const INBOX: &str = r#"
query($commune: String, $state: String) {
  requests(commune: $commune, state: $state, first: 50) { edges { node { id trackingCode state } } pageInfo { hasNextPage } }
}"#;

fn legalisation(cin: &str) -> Value {
    json!({
        "serviceCode": "legalisation-signature",
        "data": {
            "signatory_name": "Fatima Zahra El Idrissi",
            "cin": cin,
            "phone": "0612345678",
            "document_title": "Contrat de bail",
            "copies": 2
        },
        "documents": [
            { "code": "document_to_sign", "fileName": "bail.pdf", "mediaType": "application/pdf", "sizeBytes": 120000 }
        ]
    })
}

fn building_permit() -> Value {
    json!({
        "serviceCode": "autorisation-construire-petits-projets",
        "data": {
            "applicant_name": "Youssef Benali",
            "cin": "F123456",
            "phone": "+212661234567",
            "parcel_location": { "lat": 34.6814, "lng": -1.9086, "address": "Hay Al Qods, Oujda" },
            "floors": 2,
            "built_surface": 140,
            "project_type": "new_house"
        },
        "documents": [
            { "code": "architectural_plans", "fileName": "plans.pdf", "mediaType": "application/pdf", "sizeBytes": 4000000 },
            { "code": "property_title", "fileName": "titre.pdf", "mediaType": "application/pdf", "sizeBytes": 300000 },
            { "code": "topographic_plan", "fileName": "topo.pdf", "mediaType": "application/pdf", "sizeBytes": 900000 }
        ]
    })
}

/// Oujda's events after the demo: its onboarding (one event naming what it published by hash), its export as template
/// `oujda@1`, three sample files, the provincial agent's membership, the memberships of its fourteen demo logins
/// (one per role), its courier registry's three letters, one of them routed, a project of its action plan (made,
/// a milestone, its progress) and a case (opened, a hearing set).
fn demo_events() -> Result<i64> {
    // Oujda's onboarding is one event, naming the template's content (its services) by hash.
    let onboarding = 1;
    // The council's demo: 7 members, a session, 3 agenda items, 3 deliberations, their publication, 2 budgets.
    let council = 7 + 1 + 3 + 3 + 1 + 2;
    // The action plan's project (created, a milestone, progress) and the case (opened, a hearing).
    let plan_and_disputes = 3 + 2;
    Ok(onboarding + 1 + 3 + 1 + 17 + council + 4 + plan_and_disputes)
}

async fn audit_events(app: &TestApp, slug: &str) -> Result<i64> {
    let data = app
        .data(
            Some(&app.operator),
            "query($c: String!) { auditVerify(commune: $c) { valid eventsChecked } }",
            json!({ "c": slug }),
        )
        .await?;
    assert_eq!(data["auditVerify"]["valid"], true, "{data}");
    Ok(data["auditVerify"]["eventsChecked"].as_i64().unwrap_or(-1))
}

async fn submit(app: &TestApp, slug: &str, input: Value) -> Result<Value> {
    let data = app.data(None, SUBMIT, json!({ "commune": slug, "input": input })).await?;
    Ok(data["submitRequest"].clone())
}

async fn citizen_submits_staff_acts_citizen_tracks(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let year = Utc::now().format("%Y").to_string();

    // The demo put three sample files in Oujda's inbox: this is the fourth of the year.
    let submitted = submit(&app, "oujda", legalisation("ab 123456")).await?;
    let code = submitted["request"]["trackingCode"].as_str().unwrap_or_default().to_owned();
    assert_eq!(code, format!("OUJ-{year}-000004"));
    let secret = submitted["secret"].as_str().unwrap_or_default().to_owned();
    assert_eq!(secret.len(), 17, "{secret}");
    assert_eq!(submitted["receipt"]["trackingCode"], code.as_str());
    assert_eq!(submitted["receipt"]["fees"][0], json!({ "amountMinor": 200, "currency": "MAD" }));
    assert_eq!(submitted["receipt"]["direction"], "rtl", "Oujda speaks Arabic first");
    assert_eq!(submitted["receipt"]["silence"], "NOTHING");
    assert!(!submitted["receipt"]["silenceMeans"].as_str().unwrap_or_default().is_empty());
    let id = submitted["request"]["id"].as_str().unwrap_or_default().to_owned();

    // The second request of the year gets the next number.
    let second = submit(&app, "oujda", legalisation("J12345")).await?;
    assert_eq!(second["request"]["trackingCode"], format!("OUJ-{year}-000005"));

    let staff = app.staff("oujda");
    let inbox = app.data(Some(staff), INBOX, json!({ "commune": "oujda", "state": "submitted" })).await?;
    let codes: Vec<&str> = inbox["requests"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["node"]["trackingCode"].as_str())
        .collect();
    assert!(codes.contains(&code.as_str()), "{inbox}");

    let acted =
        app.data(Some(staff), ACT, json!({ "commune": "oujda", "id": id, "action": "certify", "version": 1 })).await?;
    assert_eq!(acted["actOnRequest"], json!({ "state": "certified", "outcome": "APPROVED", "version": 2 }));

    let tracked =
        app.data(None, TRACK, json!({ "code": code.to_lowercase(), "secret": secret.to_lowercase() })).await?;
    let tracked = &tracked["trackRequest"];
    assert_eq!(tracked["state"], "certified");
    assert_eq!(tracked["outcome"], "APPROVED");
    assert_eq!(tracked["history"].as_array().map(Vec::len), Some(2));
    assert_eq!(tracked["history"][1], json!({ "action": "certify", "toState": "certified", "actor": "staff" }));
    assert_eq!(tracked["availableActions"], json!([]), "nothing is left to do on a certified request");

    // A wrong secret and an unknown code look the same.
    for (code, secret) in [(code.as_str(), "AAAAA-BBBBB-CCCCC"), ("OUJ-2026-999999", secret.as_str())] {
        let body = app.graphql(None, TRACK, json!({ "code": code, "secret": secret })).await?;
        assert_eq!(error_codes(&body), ["NOT_FOUND"], "{body}");
    }

    // The demo's events, then two submissions and one action: the citizen's tracking read no personal field,
    // so it recorded no reading.
    assert_eq!(audit_events(&app, "oujda").await?, demo_events()? + 3);
    app.stop().await
}

async fn bad_submissions_are_coded_and_write_nothing(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let before = audit_events(&app, "oujda").await?;
    let inbox_before = app.data(Some(app.staff("oujda")), INBOX, json!({ "commune": "oujda" })).await?;

    let mut input = legalisation("123456");
    if let Some(data) = input["data"].as_object_mut() {
        data.remove("signatory_name");
    }
    input["documents"] = json!([]);
    let body = app.graphql(None, SUBMIT, json!({ "commune": "oujda", "input": input, "locale": "ar" })).await?;
    assert_eq!(error_codes(&body), ["VALIDATION_FAILED"], "{body}");
    let mut paths = field_errors(&body);
    paths.sort();
    assert_eq!(
        paths,
        [
            ("input.data.cin".to_owned(), "INVALID_NATIONAL_ID".to_owned()),
            ("input.data.signatory_name".to_owned(), "REQUIRED".to_owned()),
            ("input.documents.document_to_sign".to_owned(), "DOCUMENT_MISSING".to_owned()),
        ]
    );
    let message = body["errors"][0]["extensions"]["fields"][0]["message"].as_str().unwrap_or_default();
    assert!(message.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)), "Arabic message asked: {message}");

    let mut unknown = legalisation("AB123456");
    unknown["serviceCode"] = json!("permis-de-chasse");
    let body = app.graphql(None, SUBMIT, json!({ "commune": "oujda", "input": unknown })).await?;
    assert_eq!(field_errors(&body), [("input.serviceCode".to_owned(), "UNKNOWN_SERVICE".to_owned())]);

    // A document the procedure does not publish may not be asked for, nor given (law 55.19).
    let mut extra = legalisation("AB123456");
    if let Some(documents) = extra["documents"].as_array_mut() {
        documents.push(json!({ "code": "certificat_de_vie", "fileName": "c.pdf", "mediaType": "application/pdf", "sizeBytes": 10 }));
    }
    let body = app.graphql(None, SUBMIT, json!({ "commune": "oujda", "input": extra })).await?;
    assert_eq!(field_errors(&body), [("input.documents[1].code".to_owned(), "DOCUMENT_NOT_ALLOWED".to_owned())]);

    let body = app.graphql(None, SUBMIT, json!({ "commune": "atlantis", "input": legalisation("AB123456") })).await?;
    assert_eq!(error_codes(&body), ["NOT_FOUND"]);

    let inbox = app.data(Some(app.staff("oujda")), INBOX, json!({ "commune": "oujda" })).await?;
    assert_eq!(inbox, inbox_before, "nothing was written");
    assert_eq!(audit_events(&app, "oujda").await?, before, "no event was written");
    app.stop().await
}

async fn wrong_role_is_forbidden_and_stale_version_is_conflict(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let submitted = submit(&app, "oujda", legalisation("AB123456")).await?;
    let id = submitted["request"]["id"].as_str().unwrap_or_default().to_owned();

    let jamaa = app.jamaa().await?;
    let oujda = jamaa.commune("oujda").await?;
    let registrar = jamaa
        .issue_token(
            jamaa_core::service::NewApiToken::Staff { tenant: oujda.id, roles: vec!["civil_registrar".into()] },
            "registrar",
            None,
        )
        .await?;
    let registrar = secrecy::ExposeSecret::expose_secret(&registrar.token).to_owned();
    let body = app
        .graphql(Some(&registrar), ACT, json!({ "commune": "oujda", "id": id, "action": "certify", "version": 1 }))
        .await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");

    // A rejection needs a reason.
    let staff = app.staff("oujda");
    let body = app.graphql(Some(staff), ACT, json!({ "id": id, "action": "reject", "version": 1 })).await?;
    assert_eq!(error_codes(&body), ["VALIDATION_FAILED"], "{body}");
    assert_eq!(field_errors(&body), [("comment".to_owned(), "REQUIRED".to_owned())]);

    app.data(Some(staff), ACT, json!({ "id": id, "action": "certify", "version": 1 })).await?;
    let body =
        app.graphql(Some(staff), ACT, json!({ "id": id, "action": "reject", "version": 1, "comment": "late" })).await?;
    assert_eq!(error_codes(&body), ["CONFLICT"], "{body}");

    let body = app.graphql(Some("jm_staff_nonsense"), INBOX, json!({ "commune": "oujda" })).await?;
    assert_eq!(error_codes(&body), ["UNAUTHENTICATED"]);
    let body = app.graphql(None, INBOX, json!({ "commune": "oujda" })).await?;
    assert_eq!(error_codes(&body), ["UNAUTHENTICATED"]);
    app.stop().await
}

async fn another_communes_staff_cannot_read_or_act(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let submitted = submit(&app, "oujda", legalisation("AB123456")).await?;
    let id = submitted["request"]["id"].as_str().unwrap_or_default().to_owned();
    let code = submitted["request"]["trackingCode"].as_str().unwrap_or_default().to_owned();
    let intruder = app.staff("chefchaouen");
    let request = "query($c: String, $id: ID!) { request(commune: $c, id: $id) { id data } }";

    // Naming Oujda: forbidden. Naming its own commune with Oujda's id: not found. Naming none: its own.
    let attempts = [
        (request, json!({ "c": "oujda", "id": id }), "FORBIDDEN"),
        (request, json!({ "c": "chefchaouen", "id": id }), "NOT_FOUND"),
        (request, json!({ "id": id }), "NOT_FOUND"),
        (INBOX, json!({ "commune": "oujda" }), "FORBIDDEN"),
        (ACT, json!({ "commune": "oujda", "id": id, "action": "certify", "version": 1 }), "FORBIDDEN"),
        (ACT, json!({ "commune": "chefchaouen", "id": id, "action": "certify", "version": 1 }), "NOT_FOUND"),
        (ACT, json!({ "id": id, "action": "reject", "version": 1, "comment": "x" }), "NOT_FOUND"),
        ("query { auditVerify(commune: \"oujda\") { valid } }", json!({}), "FORBIDDEN"),
    ];
    for (query, variables, expected) in attempts {
        let body = app.graphql(Some(intruder), query, variables.clone()).await?;
        assert_eq!(error_codes(&body), [expected], "{variables}: {body}");
        assert!(
            body["data"].is_null() || body["data"].as_object().is_some_and(|d| d.values().all(Value::is_null)),
            "{body}"
        );
    }

    // The X-Commune header is no way around it.
    let response = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(intruder)
        .header("X-Commune", "oujda")
        .json(&json!({ "query": INBOX, "variables": {} }))
        .send()
        .await?
        .json::<Value>()
        .await?;
    assert_eq!(error_codes(&response), ["FORBIDDEN"], "{response}");

    // Chefchaouen's own inbox does not show it: only its own files.
    let own = app.data(Some(intruder), INBOX, json!({})).await?;
    let own: Vec<&str> = own["requests"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["node"]["trackingCode"].as_str())
        .collect();
    assert!(!own.is_empty() && own.iter().all(|c| c.starts_with("CHF-")), "{own:?}");

    // And Oujda's request is untouched.
    let tracked = app.data(None, TRACK, json!({ "code": code, "secret": submitted["secret"] })).await?;
    assert_eq!(tracked["trackRequest"]["version"], 1);
    assert_eq!(tracked["trackRequest"]["state"], "submitted");

    if let Some((server, database)) = &app.pg {
        rls_holds_without_the_application_filter(server, database, &id).await?;
    }
    app.stop().await
}

/// On PostgreSQL, the database itself keeps communes apart: the application's role, scoped to Chefchaouen,
/// runs queries with no tenant filter at all and sees nothing of Oujda.
async fn rls_holds_without_the_application_filter(
    server: &jamaa_tests::pg::PgServer,
    database: &jamaa_tests::pg::PgDatabase,
    oujda_request: &str,
) -> Result<()> {
    let oujda_request = jamaa_tests::app::entity_id(oujda_request);
    let tenant = |slug: &str| server.psql(&database.name, &format!("SELECT id FROM communes WHERE slug = '{slug}'"));
    let chefchaouen = tenant("chefchaouen")?;
    let oujda = tenant("oujda")?;
    let as_app = |tenant: &str, sql: &str| {
        server.psql_as(
            "jamaa_app",
            &database.name,
            &format!("BEGIN; SELECT set_config('jamaa.tenant_id', '{tenant}', true) \\g /dev/null\n{sql}; COMMIT;"),
        )
    };
    // The rows exist…
    let oujda_rows =
        server.psql(&database.name, &format!("SELECT count(*) FROM requests WHERE tenant_id = '{oujda}'"))?;
    assert_eq!(oujda_rows, "4", "three samples and the test's request");
    assert_eq!(as_app(&oujda, "SELECT count(*) FROM requests")?, oujda_rows);
    assert_eq!(as_app(&oujda, &format!("SELECT count(*) FROM requests WHERE id = '{oujda_request}'"))?, "1");
    // …but not for Chefchaouen, nor for no commune at all, whatever the query.
    for sql in [
        format!("SELECT count(*) FROM requests WHERE tenant_id = '{oujda}'"),
        "SELECT count(*) FROM requests WHERE tenant_id <> (SELECT id FROM communes WHERE slug = 'chefchaouen')"
            .to_owned(),
        format!("SELECT count(*) FROM requests WHERE id = '{oujda_request}'"),
        "SELECT count(*) FROM audit_events WHERE tenant_id <> (SELECT id FROM communes WHERE slug = 'chefchaouen')"
            .to_owned(),
        "SELECT count(*) FROM services WHERE tenant_id = (SELECT id FROM communes WHERE slug = 'oujda')".to_owned(),
    ] {
        assert_eq!(as_app(&chefchaouen, &sql)?, "0", "{sql}");
    }
    assert_eq!(server.psql_as("jamaa_app", &database.name, "SELECT count(*) FROM requests")?, "0");
    // Writing into Oujda's rows from Chefchaouen's scope changes nothing, and inserting as Oujda is refused.
    let update = format!(
        "WITH u AS (UPDATE requests SET state = 'x' WHERE tenant_id = '{oujda}' RETURNING 1) SELECT count(*) FROM u"
    );
    assert_eq!(as_app(&chefchaouen, &update)?, "0");
    let insert =
        as_app(&chefchaouen, &format!("INSERT INTO counters (tenant_id, name, value) VALUES ('{oujda}', 'x', 1)"));
    assert!(insert.is_err(), "row-level security refuses another commune's rows");
    // The application cannot rewrite history, even in its own commune.
    let rewrite = as_app(&oujda, "UPDATE audit_events SET payload = '{}'");
    assert!(rewrite.is_err(), "the application role may not update audit events");
    Ok(())
}

async fn tacit_approval_fires_once_at_the_legal_deadline(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let submitted = submit(&app, "oujda", building_permit()).await?;
    assert_eq!(submitted["receipt"]["silence"], "TACIT_APPROVAL");
    let code = submitted["request"]["trackingCode"].clone();
    let secret = submitted["secret"].clone();

    let jamaa = app.jamaa().await?;
    // Ten days on, the 15-day deadline has not passed: the permit waits.
    jamaa.run_due_timers(Utc::now() + Duration::days(10)).await?;
    let tracked = app.data(None, TRACK, json!({ "code": code, "secret": secret })).await?;
    assert_eq!(tracked["trackRequest"]["state"], "submitted");

    // Two schedulers at once, well after the deadline, then a third: every timer fires exactly once.
    let other = app.jamaa().await?;
    let later = Utc::now() + Duration::days(40);
    let (a, b) = tokio::join!(jamaa.run_due_timers(later), other.run_due_timers(later));
    assert!(a?.fired + b?.fired >= 1);
    assert_eq!(jamaa.run_due_timers(later).await?.fired, 0, "nothing is left to fire");

    let tracked = app.data(None, TRACK, json!({ "code": code, "secret": secret })).await?;
    let tracked = &tracked["trackRequest"];
    assert_eq!(tracked["state"], "approved_tacitly");
    assert_eq!(tracked["outcome"], "APPROVED");
    assert_eq!(tracked["history"].as_array().map(Vec::len), Some(2), "submitted, then approved once: {tracked}");
    assert_eq!(tracked["history"][1]["actor"], "system");
    app.stop().await
}

async fn catalog_is_public_and_localized(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let query = r#"query($c: String!, $l: String) {
        services(commune: $c, locale: $l, first: 50) { edges { node { code name deadline { days } silence fees { currency } } } }
    }"#;
    let fr = app.data(None, query, json!({ "c": "oujda", "l": "fr" })).await?;
    let services = fr["services"]["edges"].as_array().cloned().unwrap_or_default();
    let find = |list: &[Value], code: &str| list.iter().find(|e| e["node"]["code"] == code).map(|e| e["node"].clone());
    let legalisation = find(&services, "legalisation-signature").unwrap_or_default();
    assert_eq!(legalisation["name"], "Légalisation de signature");
    let permit = find(&services, "autorisation-construire-petits-projets").unwrap_or_default();
    assert_eq!(permit["deadline"]["days"], 15);
    assert_eq!(permit["silence"], "TACIT_APPROVAL");
    assert_eq!(find(&services, "reclamation").unwrap_or_default()["deadline"]["days"], 60);
    assert!(find(&services, "extrait-acte-naissance").is_some());

    let ar = app.data(None, query, json!({ "c": "oujda", "l": "ar" })).await?;
    let arabic = ar["services"]["edges"].as_array().cloned().unwrap_or_default();
    assert_eq!(find(&arabic, "legalisation-signature").unwrap_or_default()["name"], "تصحيح الإمضاء");

    // Kaédi: the same procedures, adapted (no Moroccan fees).
    let kaedi = app.data(None, query, json!({ "c": "kaedi" })).await?;
    let kaedi = kaedi["services"]["edges"].as_array().cloned().unwrap_or_default();
    assert_eq!(find(&kaedi, "legalisation-signature").unwrap_or_default()["fees"], json!([]));

    let communes = app
        .data(None, "{ communes(first: 2) { edges { node { slug } } pageInfo { hasNextPage endCursor } } }", json!({}))
        .await?;
    assert_eq!(communes["communes"]["edges"][0]["node"]["slug"], "chefchaouen");
    assert_eq!(communes["communes"]["pageInfo"]["hasNextPage"], true);
    let cursor = communes["communes"]["pageInfo"]["endCursor"].clone();
    let next = app
        .data(
            None,
            "query($a: String) { communes(first: 2, after: $a) { edges { node { slug } } pageInfo { hasNextPage } } }",
            json!({ "a": cursor }),
        )
        .await?;
    assert_eq!(next["communes"]["edges"][0]["node"]["slug"], "oujda");
    assert_eq!(next["communes"]["pageInfo"]["hasNextPage"], false);
    app.stop().await
}

#[tokio::test]
async fn health_readiness_graphiql_and_limits() -> Result<()> {
    let app = TestApp::spawn(Backend::Sqlite).await?;
    assert_eq!(app.client.get(app.url("/healthz")).send().await?.status(), 200);
    assert_eq!(app.client.get(app.url("/readyz")).send().await?.status(), 200);
    let graphiql = app.client.get(app.url("/graphql")).header("accept", "text/html").send().await?.text().await?;
    assert!(graphiql.to_lowercase().contains("graphiql"));

    // Deeper than even introspection's own bound.
    let deep = format!(
        "{{ __schema {{ types {{ fields {{ type {{ {} name {} }} }} }} }} }}",
        "ofType { ".repeat(20),
        "} ".repeat(20)
    );
    let deep = deep.as_str();
    let body = app.graphql(None, deep, json!({})).await?;
    let message = body["errors"][0]["message"].as_str().unwrap_or_default().to_lowercase();
    assert!(message.contains("too deep"), "{body}");

    let big = "x".repeat(jamaa_graphql::app::MAX_BODY_BYTES + 10);
    let response = app.client.post(app.url("/graphql")).json(&json!({ "query": big })).send().await?;
    assert_eq!(response.status(), 413);
    app.stop().await
}

async fn tracked_state(app: &TestApp, code: &Value, secret: &Value) -> Result<Value> {
    let tracked = app.data(None, TRACK, json!({ "code": code, "secret": secret })).await?;
    Ok(tracked["trackRequest"]["state"].clone())
}

/// A commune whose timers fail (here PostgreSQL refuses every change of its timers) holds back no other: the
/// scheduler goes on with the other communes, then answers the failure; the failed commune's timers stay due and
/// fire at the next run, once the cause is gone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commune_whose_timers_fail_holds_back_no_other_postgres() -> Result<()> {
    use anyhow::{Context as _, ensure};
    let app = TestApp::spawn(Backend::Postgres).await?;
    let (server, database) = app.pg.as_ref().context("a PostgreSQL server")?;
    let mut permits = Vec::new();
    for slug in ["oujda", "chefchaouen"] {
        let submitted = submit(&app, slug, building_permit()).await?;
        permits.push((slug, submitted["request"]["trackingCode"].clone(), submitted["secret"].clone()));
    }
    // The commune the scheduler takes first is the one that fails.
    let later = Utc::now() + Duration::days(40);
    let due = format!("(SELECT t FROM jamaa_tenants_with_due_timers('{}') t LIMIT 1)", later.to_rfc3339());
    let failing = server.psql(&database.name, &format!("SELECT slug FROM communes WHERE id = {due}"))?;
    let tenant = server.psql(&database.name, &format!("SELECT id FROM communes WHERE slug = '{failing}'"))?;
    server.psql(
        &database.name,
        &format!(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$;
             CREATE TRIGGER refuse BEFORE UPDATE ON timers FOR EACH ROW WHEN (OLD.tenant_id = '{tenant}')
             EXECUTE FUNCTION refuse();"
        ),
    )?;

    let jamaa = app.jamaa().await?;
    let run = jamaa.run_due_timers(later).await;
    ensure!(run.as_ref().is_err_and(|e| e.code() == "INTERNAL"), "{failing}'s failure is answered: {run:?}");
    for (slug, code, secret) in &permits {
        let expected = if *slug == failing { "submitted" } else { "approved_tacitly" };
        assert_eq!(tracked_state(&app, code, secret).await?, expected, "{slug} (the failing commune: {failing})");
    }
    server.psql(&database.name, "DROP TRIGGER refuse ON timers")?;
    jamaa.run_due_timers(later).await?;
    for (slug, code, secret) in &permits {
        assert_eq!(tracked_state(&app, code, secret).await?, "approved_tacitly", "{slug}");
    }
    app.stop().await
}
