//! Complaints over real HTTP, on SQLite and PostgreSQL: the Open311 GeoReport v2 facade in JSON and XML (its
//! shapes, the 90-day window, its error codes, a partner scoped elsewhere refused), the PyPI client georeport
//! listing Oujda's services and finding a complaint posted through Open311, and through GraphQL the public
//! listing, the satisfaction rating and reopening — never with personal data.

use std::path::PathBuf;

use anyhow::{Context as _, Result, ensure};
use chrono::{Duration, Utc};
use jamaa_tests::app::{Backend, TestApp, error_codes};
use reqwest::StatusCode;
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(open311_facade, georeport_client_finds_a_complaint, complaints_are_rated_and_reopened);

const CREATE_TOKEN: &str = "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }";
const PUBLIC: &str =
    "query($c: String!, $s: ComplaintStatus) { publicComplaints(commune: $c, status: $s, locale: \"fr\") { nodes {
    trackingCode serviceCode category categoryLabel description place { lat lng address } mediaUrl status state
    stateLabel submittedAt answerDue rating
} } }";

/// The personal data of the complaints filed here: none of it may come out of Open311 or the public listing.
const NAME: (&str, &str) = ("Samira", "Bouchikhi Oujdia");
const EMAIL: &str = "s.bouchikhi@example.ma";
const PHONE: &str = "+212661554433";

async fn partner(app: &TestApp, commune: &str) -> Result<String> {
    let input = json!({ "kind": "PARTNER", "communes": [commune], "label": "city app" });
    let created = app.data(Some(app.staff(commune)), CREATE_TOKEN, json!({ "i": input })).await?;
    created["createApiToken"]["token"].as_str().map(str::to_owned).context("no token")
}

/// `GET /open311/v2/{path}?{params}`, in French: the status and the body as text.
async fn get(app: &TestApp, path: &str, params: &[(&str, &str)]) -> Result<(StatusCode, String)> {
    let query = serde_urlencoded::to_string(params)?;
    let url = app.url(&format!("/open311/v2/{path}?{query}"));
    let response = app.client.get(url).header("accept-language", "fr").send().await?;
    Ok((response.status(), response.text().await?))
}

async fn get_json(app: &TestApp, path: &str, params: &[(&str, &str)]) -> Result<(StatusCode, Value)> {
    let (status, body) = get(app, path, params).await?;
    Ok((status, serde_json::from_str(&body).with_context(|| format!("not JSON: {body}"))?))
}

/// `POST /open311/v2/{path}` with a form-encoded body.
async fn post(app: &TestApp, path: &str, params: &[(&str, &str)]) -> Result<(StatusCode, String)> {
    let response = app
        .client
        .post(app.url(&format!("/open311/v2/{path}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept-language", "fr")
        .body(serde_urlencoded::to_string(params)?)
        .send()
        .await?;
    Ok((response.status(), response.text().await?))
}

/// A complaint as a partner's app posts it, with the applicant's contact details.
fn complaint<'a>(api_key: &'a str, public: &'a str, description: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("api_key", api_key),
        ("jurisdiction_id", "oujda"),
        ("service_code", "reclamation"),
        ("attribute[subject]", "lighting"),
        ("attribute[public]", public),
        ("lat", "34.6814"),
        ("long", "-1.9086"),
        ("address_string", "Boulevard Mohammed V, devant la poste"),
        ("description", description),
        ("first_name", NAME.0),
        ("last_name", NAME.1),
        ("email", EMAIL),
        ("phone", PHONE),
        ("media_url", "https://photos.example.ma/lampadaire.jpg"),
    ]
}

const LAMP: &str = "Le lampadaire devant la poste est éteint depuis deux semaines.";

/// Posts a complaint through Open311 and returns its service_request_id and token.
async fn post_complaint(app: &TestApp, api_key: &str, public: &str) -> Result<(String, String)> {
    let (status, body) = post(app, "requests.json", &complaint(api_key, public, LAMP)).await?;
    ensure!(status == StatusCode::OK, "{status}: {body}");
    let body: Value = serde_json::from_str(&body)?;
    let id = body[0]["service_request_id"].as_str().context("no service_request_id")?.to_owned();
    let token = body[0]["token"].as_str().context("no token")?.to_owned();
    Ok((id, token))
}

fn assert_no_personal_data(text: &str) {
    for personal in [NAME.0, NAME.1, EMAIL, PHONE, "661554433"] {
        assert!(!text.contains(personal), "personal data ({personal}) shown: {text}");
    }
}

/// The spec's error list: each code, and the HTTP status.
fn assert_error(status: StatusCode, body: &Value, expected: u16) {
    assert_eq!(status.as_u16(), expected, "{body}");
    let codes: Vec<u64> = body.as_array().into_iter().flatten().filter_map(|e| e["code"].as_u64()).collect();
    assert!(!codes.is_empty() && codes.iter().all(|c| *c == u64::from(expected)), "{body}");
    assert!(body[0]["description"].as_str().is_some_and(|d| !d.is_empty()), "{body}");
}

async fn open311_facade(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let oujda_partner = partner(&app, "oujda").await?;
    let chefchaouen_partner = partner(&app, "chefchaouen").await?;
    let jurisdiction = [("jurisdiction_id", "oujda")];

    // Services: the online complaint procedures, in JSON and XML.
    let (status, services) = get_json(&app, "services.json", &jurisdiction).await?;
    assert_eq!(status, StatusCode::OK);
    let codes: Vec<&str> =
        services.as_array().into_iter().flatten().filter_map(|s| s["service_code"].as_str()).collect();
    assert_eq!(codes, ["reclamation"], "{services}");
    let service = &services[0];
    assert_eq!((service["metadata"].clone(), service["type"].clone()), (json!(true), json!("realtime")));
    assert_eq!(service["group"], "complaints");
    assert_eq!(service["service_name"], "Réclamation", "in the language asked for");
    let (status, xml) = get(&app, "services.xml", &jurisdiction).await?;
    assert_eq!(status, StatusCode::OK);
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert!(xml.contains("<services><service><service_code>reclamation</service_code>"), "{xml}");
    assert!(xml.contains("<metadata>true</metadata>"), "{xml}");

    // The service definition: the form's own fields, in order, with their values.
    let (status, definition) = get_json(&app, "services/reclamation.json", &jurisdiction).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(definition["service_code"], "reclamation");
    let attributes = definition["attributes"].as_array().context("attributes")?;
    let attribute_codes: Vec<&str> = attributes.iter().filter_map(|a| a["code"].as_str()).collect();
    assert_eq!(attribute_codes, ["subject", "public"], "description, place, photo and contact are standard");
    let subject = &attributes[0];
    assert_eq!(
        (
            subject["datatype"].clone(),
            subject["required"].clone(),
            subject["order"].clone(),
            subject["variable"].clone()
        ),
        (json!("singlevaluelist"), json!(true), json!(1), json!(true))
    );
    assert_eq!(subject["values"][1], json!({ "key": "lighting", "name": "Éclairage public" }));
    assert_eq!(attributes[1]["values"].as_array().map(Vec::len), Some(2), "a boolean is a yes/no list");
    let (_, xml) = get(&app, "services/reclamation.xml", &jurisdiction).await?;
    assert!(
        xml.contains("<service_definition><service_code>reclamation</service_code><attributes><attribute>"),
        "{xml}"
    );
    assert!(xml.contains("<values><value><key>roads</key>"), "{xml}");
    let (status, body) = get_json(&app, "services/legalisation-signature.json", &jurisdiction).await?;
    assert_error(status, &body, 404);

    // A complaint posted by Oujda's partner, and a private one.
    let (public_id, token) = post_complaint(&app, &oujda_partner, "true").await?;
    assert!(public_id.starts_with("OUJ-"), "{public_id}");
    let (private_id, _) = post_complaint(&app, &oujda_partner, "false").await?;
    let (status, xml) = post(&app, "requests.xml", &complaint(&oujda_partner, "true", LAMP)).await?;
    assert_eq!(status, StatusCode::OK, "{xml}");
    assert!(xml.contains("<service_requests><request><service_request_id>OUJ-"), "{xml}");

    // Refused: a partner of Chefchaouen, no key, a bad key, bad input (each field at its parameter).
    let (status, body) = post(&app, "requests.json", &complaint(&chefchaouen_partner, "true", LAMP)).await?;
    assert_error(status, &serde_json::from_str(&body)?, 403);
    let mut no_key = complaint("", "true", LAMP);
    no_key.remove(0);
    let (status, body) = post(&app, "requests.json", &no_key).await?;
    assert_error(status, &serde_json::from_str(&body)?, 403);
    let (status, body) = post(&app, "requests.json", &complaint("jm_partner_nope", "true", LAMP)).await?;
    assert_error(status, &serde_json::from_str(&body)?, 403);
    let mut bad = complaint(&oujda_partner, "true", "Trop court");
    bad[3] = ("attribute[subject]", "potholes");
    bad[5] = ("lat", "134.5");
    bad[11] = ("email", "pas-une-adresse");
    let (status, body) = post(&app, "requests.json", &bad).await?;
    let body: Value = serde_json::from_str(&body)?;
    assert_error(status, &body, 400);
    let described: Vec<&str> =
        body.as_array().into_iter().flatten().filter_map(|e| e["description"].as_str()).collect();
    for parameter in ["attribute[subject]: ", "description: ", "lat: ", "email: "] {
        assert!(described.iter().any(|d| d.starts_with(parameter)), "{parameter} in {body}");
    }
    let (status, xml) = post(&app, "requests.xml", &bad).await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(xml.contains("<errors><error><code>400</code><description>"), "{xml}");

    // Requests: the public complaints only, without personal data, in the default window.
    let (status, listed) = get_json(&app, "requests.json", &jurisdiction).await?;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<&str> =
        listed.as_array().into_iter().flatten().filter_map(|r| r["service_request_id"].as_str()).collect();
    assert!(ids.contains(&public_id.as_str()) && !ids.contains(&private_id.as_str()), "{listed}");
    assert_no_personal_data(&listed.to_string());
    let (_, one) = get_json(&app, &format!("requests/{public_id}.json"), &jurisdiction).await?;
    let one = &one[0];
    assert_eq!(one["status"], "open");
    assert_eq!(one["status_notes"], "Déposée");
    assert_eq!(one["description"], LAMP);
    assert_eq!((one["lat"].as_f64(), one["long"].as_f64()), (Some(34.6814), Some(-1.9086)));
    assert_eq!(one["address"], "Boulevard Mohammed V, devant la poste");
    assert_eq!(one["media_url"], "https://photos.example.ma/lampadaire.jpg");
    assert_eq!(one["agency_responsible"], "Oujda");
    for field in ["requested_datetime", "updated_datetime", "expected_datetime"] {
        assert!(one[field].as_str().is_some_and(|d| chrono::DateTime::parse_from_rfc3339(d).is_ok()), "{field}: {one}");
    }
    let (status, xml) = get(&app, &format!("requests/{public_id}.xml"), &jurisdiction).await?;
    assert_eq!(status, StatusCode::OK);
    assert!(xml.contains(&format!("<service_requests><request><service_request_id>{public_id}</service_request_id>")));
    assert!(xml.contains("<status>open</status>") && xml.contains("<long>-1.9086</long>"), "{xml}");
    assert_no_personal_data(&xml);
    let (status, body) = get_json(&app, &format!("requests/{private_id}.json"), &jurisdiction).await?;
    assert_error(status, &body, 404);
    let ids_param = format!("{public_id},{private_id}");
    let (_, both) =
        get_json(&app, "requests.json", &[("jurisdiction_id", "oujda"), ("service_request_id", &ids_param)]).await?;
    assert_eq!(both.as_array().map(Vec::len), Some(1), "the private one stays hidden: {both}");
    let (_, closed) = get_json(&app, "requests.json", &[("jurisdiction_id", "oujda"), ("status", "closed")]).await?;
    assert_eq!(closed, json!([]));
    let (_, open) = get_json(&app, "requests.json", &[("jurisdiction_id", "oujda"), ("status", "open,closed")]).await?;
    assert_eq!(open.as_array().map(Vec::len), listed.as_array().map(Vec::len));

    // The token of the submission names its request.
    let (status, tokens) = get_json(&app, &format!("tokens/{token}.json"), &jurisdiction).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(tokens, json!([{ "service_request_id": public_id, "token": token }]));
    let (status, body) = get_json(&app, "tokens/0190a8c4-1d2e-7000-8000-000000000000.json", &jurisdiction).await?;
    assert_error(status, &body, 404);

    // The window: at most 90 days; in it, the complaint; before it, nothing.
    let now = Utc::now();
    let w3c = |d: chrono::DateTime<Utc>| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (start, end) = (w3c(now - Duration::days(89)), w3c(now + Duration::days(1)));
    let (_, within) =
        get_json(&app, "requests.json", &[("jurisdiction_id", "oujda"), ("start_date", &start), ("end_date", &end)])
            .await?;
    assert!(within.to_string().contains(&public_id), "{within}");
    let (start, end) = (w3c(now - Duration::days(200)), w3c(now - Duration::days(120)));
    let (_, before) =
        get_json(&app, "requests.json", &[("jurisdiction_id", "oujda"), ("start_date", &start), ("end_date", &end)])
            .await?;
    assert_eq!(before, json!([]));
    let (start, end) = (w3c(now - Duration::days(91)), w3c(now));
    let (status, body) =
        get_json(&app, "requests.json", &[("jurisdiction_id", "oujda"), ("start_date", &start), ("end_date", &end)])
            .await?;
    assert_error(status, &body, 400);
    let (status, xml) =
        get(&app, "requests.xml", &[("jurisdiction_id", "oujda"), ("start_date", &start), ("end_date", &end)]).await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(xml.contains("<errors><error><code>400</code><description>start_date and end_date may not span"), "{xml}");
    let (status, body) =
        get_json(&app, "requests.json", &[("jurisdiction_id", "oujda"), ("start_date", "hier")]).await?;
    assert_error(status, &body, 400);
    let (status, body) =
        get_json(&app, "requests.json", &[("jurisdiction_id", "oujda"), ("status", "pending")]).await?;
    assert_error(status, &body, 400);

    // Jurisdictions: required, known; another commune sees none of Oujda's complaints.
    let (status, body) = get_json(&app, "services.json", &[]).await?;
    assert_error(status, &body, 400);
    let (status, body) = get_json(&app, "services.json", &[("jurisdiction_id", "atlantis")]).await?;
    assert_error(status, &body, 404);
    let (status, body) =
        get_json(&app, &format!("requests/{public_id}.json"), &[("jurisdiction_id", "chefchaouen")]).await?;
    assert_error(status, &body, 404);
    let (_, theirs) = get_json(&app, "requests.json", &[("jurisdiction_id", "chefchaouen")]).await?;
    let theirs: Vec<&str> =
        theirs.as_array().into_iter().flatten().filter_map(|r| r["service_request_id"].as_str()).collect();
    assert!(!theirs.is_empty() && theirs.iter().all(|id| id.starts_with("CHF-")), "the demo's own: {theirs:?}");
    let (status, _) = get(&app, "services.csv", &jurisdiction).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The submission went through the use case: the contact details sealed, found by blind index, opened for
    // Oujda's staff working the procedure.
    let find = "query($v: String!) { findRequests(commune: \"oujda\", field: PHONE, value: $v) { nodes { id sealedFields } } }";
    let found = app.data(Some(app.staff("oujda")), find, json!({ "v": PHONE })).await?;
    let found = found["findRequests"]["nodes"].as_array().context("findRequests")?;
    assert_eq!(found.len(), 3, "three complaints with this phone");
    assert_eq!(found[0]["sealedFields"], json!(["name", "phone", "email"]));
    let open = "query($id: ID!) { request(commune: \"oujda\", id: $id) { data } }";
    let opened = app.data(Some(app.staff("oujda")), open, json!({ "id": found[0]["id"] })).await?;
    let data = &opened["request"]["data"];
    assert_eq!(data["name"], format!("{} {}", NAME.0, NAME.1));
    assert_eq!((data["email"].as_str(), data["phone"].as_str()), (Some(EMAIL), Some(PHONE)));
    app.stop().await
}

async fn georeport_client_finds_a_complaint(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let key = partner(&app, "oujda").await?;
    let (id, _) = post_complaint(&app, &key, "true").await?;
    let python = jamaa_tests::test_python();
    ensure!(python.exists(), "{} is missing: run scripts/install-test-deps", python.display());
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("open311/georeport_client.py");
    let root = app.url("/open311/v2");
    let output = tokio::process::Command::new(&python).arg(&script).arg(&root).arg("oujda").arg(&id).output().await?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    ensure!(output.status.success(), "the georeport client failed: {stderr}");
    let seen: Value = serde_json::from_slice(&output.stdout).context("the client's output is not JSON")?;
    for format in ["json", "xml"] {
        let seen = &seen[format];
        assert_eq!(seen["services"], json!(["reclamation"]), "{format}: {seen}");
        assert_eq!(seen["attributes"], json!(["subject", "public"]), "{format}: {seen}");
        assert_eq!(seen["listed"], json!([id]), "{format}: {seen}");
        assert!(seen["recent"].as_array().is_some_and(|r| r.contains(&json!(id))), "{format}: {seen}");
        let one = &seen["one"];
        assert_eq!(one["id"], json!(id), "{format}");
        assert_eq!(one["status"], "open", "{format}");
        assert_eq!(one["service_code"], "reclamation", "{format}");
        assert_eq!(one["description"], LAMP, "{format}");
        assert_eq!(one["address"], "Boulevard Mohammed V, devant la poste", "{format}");
        assert_eq!((one["lat"].as_f64(), one["long"].as_f64()), (Some(34.6814), Some(-1.9086)), "{format}");
        assert_no_personal_data(one["text"].as_str().unwrap_or_default());
    }
    app.stop().await
}

const SUBMIT: &str = "mutation($input: SubmitRequestInput!) { submitRequest(commune: \"oujda\", input: $input) {
    secret request { id trackingCode version }
} }";
const ACT: &str = "mutation($id: ID!, $a: String!, $v: Int!, $comment: String, $secret: String) {
    actOnRequest(commune: \"oujda\", id: $id, action: $a, expectedVersion: $v, comment: $comment, secret: $secret) {
        state version
    }
}";
const RATE: &str = "mutation($code: String!, $secret: String!, $r: Int!) {
    rateComplaint(trackingCode: $code, secret: $secret, rating: $r) { trackingCode rating }
}";

async fn complaints_are_rated_and_reopened(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let staff = app.staff("oujda").to_owned();
    let input = json!({ "serviceCode": "reclamation", "data": {
        "subject": "cleanliness", "description": "Les bennes de la rue Zerktouni débordent depuis cinq jours.",
        "location": { "address": "Rue Zerktouni" }, "public": true,
        "name": format!("{} {}", NAME.0, NAME.1), "email": EMAIL, "phone": PHONE
    } });
    let submitted = app.data(None, SUBMIT, json!({ "input": input })).await?;
    let submitted = &submitted["submitRequest"];
    let (id, code, secret) = (&submitted["request"]["id"], &submitted["request"]["trackingCode"], &submitted["secret"]);

    // Listed for anyone, without personal data; not yet ratable.
    let listed = app.data(None, PUBLIC, json!({ "c": "oujda" })).await?;
    let mine =
        listed["publicComplaints"]["nodes"].as_array().into_iter().flatten().find(|c| &c["trackingCode"] == code);
    let mine = mine.context("the public complaint is listed")?;
    assert_eq!(
        (mine["category"].clone(), mine["categoryLabel"].clone(), mine["status"].clone()),
        (json!("cleanliness"), json!("Propreté et collecte des déchets"), json!("OPEN"))
    );
    assert_eq!(mine["place"], json!({ "lat": null, "lng": null, "address": "Rue Zerktouni" }));
    assert_no_personal_data(&listed.to_string());
    let early = app.graphql(None, RATE, json!({ "code": code, "secret": secret, "r": 4 })).await?;
    assert_eq!(error_codes(&early), ["VALIDATION_FAILED"], "{early}");
    assert_eq!(early["errors"][0]["extensions"]["fields"][0]["path"], "rating");

    // Handled and answered: closed for Open311, ratable.
    let act = |action: &str, version: i64, comment: Option<&str>, secret: Option<&Value>| json!({ "id": id, "a": action, "v": version, "comment": comment, "secret": secret });
    app.data(Some(&staff), ACT, act("acknowledge", 1, None, None)).await?;
    app.data(Some(&staff), ACT, act("answer", 2, Some("Les bennes ont été vidées et une collecte ajoutée."), None))
        .await?;
    let (_, one) = get_json(
        &app,
        &format!("requests/{}.json", code.as_str().unwrap_or_default()),
        &[("jurisdiction_id", "oujda")],
    )
    .await?;
    assert_eq!(
        (one[0]["status"].clone(), one[0]["status_notes"].clone()),
        (json!("closed"), json!("Réponse apportée"))
    );
    for bad in [0, 6] {
        let body = app.graphql(None, RATE, json!({ "code": code, "secret": secret, "r": bad })).await?;
        assert_eq!(error_codes(&body), ["VALIDATION_FAILED"], "{bad}: {body}");
    }
    let wrong = app.graphql(None, RATE, json!({ "code": code, "secret": "K7RM2-PX9QD-4HWTA", "r": 5 })).await?;
    assert_eq!(error_codes(&wrong), ["NOT_FOUND"]);
    let rated = app.data(None, RATE, json!({ "code": code, "secret": secret, "r": 2 })).await?;
    assert_eq!(rated["rateComplaint"], json!({ "trackingCode": code, "rating": 2 }));

    // Reopened by the applicant, with a reason: open again; answered again; rated again.
    let no_reason = app.graphql(None, ACT, act("reopen", 3, None, Some(secret))).await?;
    assert_eq!(error_codes(&no_reason), ["VALIDATION_FAILED"]);
    let staff_reopen = app.graphql(Some(&staff), ACT, act("reopen", 3, Some("x"), None)).await?;
    assert_eq!(error_codes(&staff_reopen), ["FORBIDDEN"], "only the applicant reopens");
    let reopened =
        app.data(None, ACT, act("reopen", 3, Some("Les bennes débordent de nouveau."), Some(secret))).await?;
    assert_eq!(reopened["actOnRequest"]["state"], "in_progress");
    let open = app.data(None, PUBLIC, json!({ "c": "oujda", "s": "OPEN" })).await?;
    assert!(open.to_string().contains(code.as_str().unwrap_or("?")), "{open}");
    app.data(Some(&staff), ACT, act("answer", 4, Some("Collecte quotidienne mise en place."), None)).await?;
    app.data(None, RATE, json!({ "code": code, "secret": secret, "r": 5 })).await?;

    // The reopening window closes with the workflow's timer: no more reopening, still ratable.
    let jamaa = app.jamaa().await?;
    jamaa.run_due_timers(Utc::now() + Duration::days(45)).await?;
    let closed = app.data(None, PUBLIC, json!({ "c": "oujda", "s": "CLOSED" })).await?;
    let mine =
        closed["publicComplaints"]["nodes"].as_array().into_iter().flatten().find(|c| &c["trackingCode"] == code);
    let mine = mine.context("closed")?;
    assert_eq!((mine["state"].clone(), mine["rating"].clone()), (json!("closed"), json!(5)));
    let late = app.graphql(None, ACT, act("reopen", 6, Some("Encore"), Some(secret))).await?;
    assert_eq!(error_codes(&late), ["CONFLICT"], "{late}");
    app.data(None, RATE, json!({ "code": code, "secret": secret, "r": 4 })).await?;

    // Every rating is in the audit trail, which still verifies.
    let audit = app.data(Some(&staff), "{ auditVerify(commune: \"oujda\") { valid } }", json!({})).await?;
    assert_eq!(audit["auditVerify"]["valid"], true);
    app.stop().await
}
