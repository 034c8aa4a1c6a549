//! Retry-safe writes and honest outages, over real HTTP. A submission sent again with its idempotency key
//! (header or argument; one after the other, or twenty at once) files one request and answers each time with
//! the same tracking code and secret; the key with other arguments is IDEMPOTENCY_KEY_REUSED and files nothing;
//! a key is the caller's in one commune only. The other creating mutations take keys through one layer: a
//! token, a user, a council session, a webhook endpoint and a petition signature retried answer the same and
//! create once; so do an operator's calls that name no commune (an onboarding, a training commune: the first
//! answer, its password and token, again). On a PostgreSQL server of the test's own, stopped then restarted:
//! UNAVAILABLE (503, retryable) within the pool's bound, `/readyz` 503 within a second, and recovery by itself.
//! On SQLite, the file's write lock held by another connection beyond the same bound: UNAVAILABLE, then recovery.

use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, ensure};
use jamaa_tests::app::{Backend, TestApp, error_codes, field_errors};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(
    a_retried_submission_files_once,
    a_retried_upload_files_once,
    a_retried_mail_registration_numbers_once,
    every_creating_mutation_takes_a_key,
    an_operators_call_takes_a_key_too
);

const SUBMIT: &str = r#"
mutation($commune: String!, $input: SubmitRequestInput!, $key: String) {
  submitRequest(commune: $commune, input: $input, idempotencyKey: $key) {
    secret
    request { id trackingCode }
    receipt { trackingCode }
  }
}"#;

const COUNT: &str = "query($c: String!) { requests(commune: $c, first: 1) { totalCount } }";

fn input(name: &str) -> Value {
    json!({
        "serviceCode": "legalisation-signature",
        "data": { "signatory_name": name, "cin": "AB123456", "phone": "0612345678",
                  "document_title": "Procuration", "copies": 1 },
        "documents": [
            { "code": "document_to_sign", "fileName": "procuration.pdf", "mediaType": "application/pdf", "sizeBytes": 120000 }
        ]
    })
}

async fn count(app: &TestApp, slug: &str) -> Result<i64> {
    let data = app.data(Some(app.staff(slug)), COUNT, json!({ "c": slug })).await?;
    data["requests"]["totalCount"].as_i64().context("no count")
}

/// Posts the submission with `key` in the `Idempotency-Key` header.
async fn submit_with_header(app: &TestApp, slug: &str, name: &str, key: &str) -> Result<Value> {
    let body = json!({ "query": SUBMIT, "variables": { "commune": slug, "input": input(name) } });
    let response = app.client.post(app.url("/graphql")).header("idempotency-key", key).json(&body).send().await?;
    Ok(response.json().await?)
}

fn tracking(body: &Value) -> Result<(String, String)> {
    let answer = &body["data"]["submitRequest"];
    let code = answer["request"]["trackingCode"].as_str().with_context(|| format!("no tracking code: {body}"))?;
    ensure!(answer["receipt"]["trackingCode"] == code, "{body}");
    let secret = answer["secret"].as_str().context("no secret")?;
    Ok((code.to_owned(), secret.to_owned()))
}

async fn a_retried_submission_files_once(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let before = count(&app, "oujda").await?;

    // One after the other, by header: one request, the same answer.
    let key = uuid::Uuid::now_v7().to_string();
    let first = tracking(&submit_with_header(&app, "oujda", "Salma Bennani", &key).await?)?;
    let again = tracking(&submit_with_header(&app, "oujda", "Salma Bennani", &key).await?)?;
    assert_eq!(first, again);
    assert_eq!(count(&app, "oujda").await?, before + 1);

    // The same key with other arguments: refused, nothing filed.
    let other = submit_with_header(&app, "oujda", "Someone Else", &key).await?;
    assert_eq!(error_codes(&other), ["IDEMPOTENCY_KEY_REUSED"], "{other}");
    assert_eq!(count(&app, "oujda").await?, before + 1);

    // Twenty at once with one key (the argument this time): one request, one answer for all.
    let key = uuid::Uuid::now_v7().to_string();
    let variables = json!({ "commune": "oujda", "input": input("Karim Alaoui"), "key": key });
    let calls = (0..20).map(|_| app.graphql(None, SUBMIT, variables.clone()));
    let answers = futures_util::future::join_all(calls).await;
    let mut seen = std::collections::BTreeSet::new();
    for answer in answers {
        seen.insert(tracking(&answer?)?);
    }
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(count(&app, "oujda").await?, before + 2);

    // A malformed key is a field error at idempotencyKey, and files nothing.
    let short = app.graphql(None, SUBMIT, json!({ "commune": "oujda", "input": input("A"), "key": "abc" })).await?;
    assert_eq!(field_errors(&short), [("idempotencyKey".to_owned(), "INVALID_VALUE".to_owned())], "{short}");

    // The same key and arguments in another commune are another call: its own request, never the first answer.
    let shared = uuid::Uuid::now_v7().to_string();
    let in_oujda = tracking(&submit_with_header(&app, "oujda", "Salma Bennani", &shared).await?)?;
    let before_chefchaouen = count(&app, "chefchaouen").await?;
    let in_chefchaouen = tracking(&submit_with_header(&app, "chefchaouen", "Salma Bennani", &shared).await?)?;
    ensure!(in_oujda.0 != in_chefchaouen.0 && in_oujda.1 != in_chefchaouen.1);
    assert_eq!(count(&app, "chefchaouen").await?, before_chefchaouen + 1);
    // And a staff token's key is not an anonymous citizen's.
    let body = json!({ "query": SUBMIT, "variables": { "commune": "oujda", "input": input("Salma Bennani") } });
    let as_staff = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(app.staff("oujda"))
        .header("idempotency-key", &shared)
        .json(&body)
        .send()
        .await?
        .json::<Value>()
        .await?;
    ensure!(tracking(&as_staff)?.0 != in_oujda.0, "{as_staff}");
    Ok(())
}

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

async fn upload(app: &TestApp, key: &str, file: &[u8]) -> Result<(u16, Value)> {
    let submission =
        json!({ "commune": "oujda", "serviceCode": "legalisation-signature", "data": input("Salma Bennani")["data"] });
    let form = Form::new()
        .text("submission", submission.to_string())
        .part("document_to_sign", Part::bytes(file.to_vec()).file_name("procuration.pdf"));
    let response =
        app.client.post(app.url("/submissions")).header("idempotency-key", key).multipart(form).send().await?;
    Ok((response.status().as_u16(), response.json().await?))
}

async fn a_retried_upload_files_once(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let before = count(&app, "oujda").await?;
    let key = uuid::Uuid::now_v7().to_string();
    let (status, first) = upload(&app, &key, PDF).await?;
    assert_eq!(status, 200, "{first}");
    let (status, again) = upload(&app, &key, PDF).await?;
    assert_eq!(status, 200, "{again}");
    assert_eq!(
        (&first["trackingCode"], &first["secret"], &first["id"]),
        (&again["trackingCode"], &again["secret"], &again["id"])
    );
    assert_eq!(count(&app, "oujda").await?, before + 1);
    // Another file under the same key.
    let mut other = PDF.to_vec();
    other.extend_from_slice(b"% another\n");
    let (status, reused) = upload(&app, &key, &other).await?;
    assert_eq!((status, error_codes(&reused)), (422, vec!["IDEMPOTENCY_KEY_REUSED".to_owned()]), "{reused}");
    assert_eq!(count(&app, "oujda").await?, before + 1);
    Ok(())
}

const REGISTER_MAIL: &str = "mutation($i: RegisterMailInput!, $key: String) {
    registerMail(commune: \"oujda\", input: $i, idempotencyKey: $key) { id number } }";

async fn a_retried_mail_registration_numbers_once(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let staff = app.staff("oujda").to_owned();
    let today = chrono::Utc::now().date_naive().to_string();
    let letter = |from: &str| {
        json!({ "direction": "INCOMING", "correspondent": from, "subject": "Demande de raccordement",
                "date": today, "department": "urbanisme" })
    };
    let key = uuid::Uuid::now_v7().to_string();
    let first = app.data(Some(&staff), REGISTER_MAIL, json!({ "i": letter("ONEE"), "key": key })).await?;
    let again = app.data(Some(&staff), REGISTER_MAIL, json!({ "i": letter("ONEE"), "key": key })).await?;
    assert_eq!(first, again, "the same item, the same number");
    // Without a key, the next registration takes the next number: the retry took none.
    let next = app.data(Some(&staff), REGISTER_MAIL, json!({ "i": letter("ONEE") })).await?;
    let number =
        |v: &Value| v["registerMail"]["number"].as_str().and_then(|n| n.rsplit('-').next()?.parse::<u32>().ok());
    assert_eq!(number(&next), number(&first).map(|n| n + 1), "{first} {next}");
    let reused = app.graphql(Some(&staff), REGISTER_MAIL, json!({ "i": letter("Wilaya"), "key": key })).await?;
    assert_eq!(error_codes(&reused), ["IDEMPOTENCY_KEY_REUSED"], "{reused}");
    Ok(())
}

/// `/readyz`'s status, and how long it took to answer.
async fn readyz(app: &TestApp) -> Result<(u16, Duration)> {
    let started = Instant::now();
    let response = app.client.get(app.url("/readyz")).timeout(Duration::from_secs(5)).send().await?;
    Ok((response.status().as_u16(), started.elapsed()))
}

/// Polls `/readyz` until it answers `status`, each answer within a second; how long that took.
async fn readyz_becomes(app: &TestApp, status: u16, within: Duration) -> Result<Duration> {
    let started = Instant::now();
    loop {
        let (now, took) = readyz(app).await?;
        ensure!(took < Duration::from_secs(1), "/readyz took {took:?}");
        if now == status {
            return Ok(started.elapsed());
        }
        ensure!(started.elapsed() < within, "/readyz still answers {now} after {within:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_is_unavailable_then_recovers_postgres() -> Result<()> {
    let bound = Duration::from_secs(2);
    let app = TestApp::spawn_on_own_postgres(|settings| settings.db_acquire_timeout = bound).await?;
    let (server, _) = app.pg.as_ref().context("a PostgreSQL server")?;
    assert_eq!(readyz(&app).await?.0, 200);

    server.stop_for_a_while()?;
    let down = readyz_becomes(&app, 503, Duration::from_secs(3)).await?;
    ensure!(down < Duration::from_millis(2500), "/readyz saw the outage after {down:?}");

    // A submission during the outage: UNAVAILABLE within the bound, retryable, 503 to a client that asks for
    // the GraphQL-over-HTTP media type; never INTERNAL.
    let key = uuid::Uuid::now_v7().to_string();
    let body =
        json!({ "query": SUBMIT, "variables": { "commune": "oujda", "input": input("Salma Bennani"), "key": key } });
    let started = Instant::now();
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("accept", "application/graphql-response+json")
        .json(&body)
        .send()
        .await?;
    let took = started.elapsed();
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(response.headers().get("retry-after").and_then(|v| v.to_str().ok()), Some("1"));
    let answer: Value = response.json().await?;
    assert_eq!(error_codes(&answer), ["UNAVAILABLE"], "{answer}");
    assert_eq!(answer["errors"][0]["extensions"]["retryable"], true, "{answer}");
    ensure!(took < bound + Duration::from_secs(2), "UNAVAILABLE after {took:?}");
    // In the caller's language.
    let french = app.client.post(app.url("/graphql")).header("accept-language", "fr").json(&body).send().await?;
    assert_eq!(french.status().as_u16(), 200);
    let french: Value = french.json().await?;
    assert_eq!(error_codes(&french), ["UNAVAILABLE"], "{french}");
    ensure!(french["errors"][0]["message"].as_str().is_some_and(|m| m.contains("indisponible")), "{french}");

    // Back: ready again by itself, and the same call (same key) files once.
    server.restart()?;
    readyz_becomes(&app, 200, Duration::from_secs(10)).await?;
    let before = count(&app, "oujda").await?;
    let mut filed = None;
    for _ in 0..2 {
        let answer = app.graphql(None, SUBMIT, body["variables"].clone()).await?;
        let now = tracking(&answer)?;
        ensure!(filed.as_ref().is_none_or(|f| f == &now));
        filed = Some(now);
    }
    assert_eq!(count(&app, "oujda").await?, before + 1);
    Ok(())
}

/// One creating mutation retried with its key: the same answer twice, one record more.
struct Retried<'a> {
    what: &'a str,
    token: Option<&'a str>,
    document: &'a str,
    variables: Value,
    /// A query counting the records the mutation creates, and where the count is in its answer.
    count: &'a str,
    count_at: fn(&Value) -> Option<usize>,
}

async fn records(app: &TestApp, retried: &Retried<'_>) -> Result<usize> {
    let admin = app.staff("oujda");
    let data = app.data(Some(admin), retried.count, json!({})).await?;
    (retried.count_at)(&data).with_context(|| format!("{}: no count in {data}", retried.what))
}

fn nodes(v: &Value, list: &str) -> Option<usize> {
    v[list]["nodes"].as_array().map(Vec::len)
}

/// The creating mutations beside submissions take a key through one layer: a token, a user, a council
/// session, a webhook endpoint and a petition signature, each sent twice with a key, answer the same and
/// create one record; the key with other arguments is refused; a call that failed leaves its key free.
async fn every_creating_mutation_takes_a_key(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let admin = app.staff("oujda").to_owned();
    // A petition by citizens of Oujda, to sign.
    let petition = app
        .data(
            None,
            "mutation($d: JSON!) { submitRequest(commune: \"oujda\", input: { serviceCode: \"petition\", data: $d }) {
                request { id } } }",
            json!({ "d": {
                "petitioner_type": "citizens", "representative_name": "Youssef El Amrani", "cin": "CD654321",
                "phone": "0612345678", "subject": "Éclairage public du quartier Al Qods",
                "petition_text": "Nous demandons l'inscription à l'ordre du jour de l'éclairage public du quartier Al Qods.",
                "signatures_count": 350 } }),
        )
        .await?;
    let petition = petition["submitRequest"]["request"]["id"].as_str().context("no petition")?.to_owned();
    let cases = [
        Retried {
            what: "a token",
            token: Some(&admin),
            document: "mutation($i: CreateApiTokenInput!, $key: String) {
                createApiToken(input: $i, idempotencyKey: $key) { id token } }",
            variables: json!({ "i": { "kind": "STAFF", "communes": ["oujda"], "roles": ["counter_agent"],
                                      "label": "guichet" } }),
            count: "{ apiTokens(commune: \"oujda\", first: 100) { nodes { id } } }",
            count_at: |v| nodes(v, "apiTokens"),
        },
        Retried {
            what: "a user",
            token: Some(&admin),
            document: "mutation($i: CreateUserInput!, $key: String) {
                createUser(commune: \"oujda\", input: $i, idempotencyKey: $key) { id login roles } }",
            variables: json!({ "i": { "login": "salma.guichet", "displayName": "Salma", "roles": ["counter_agent"],
                                      "password": "une phrase de passe assez longue" } }),
            count: "{ communeUsers(commune: \"oujda\") { id } }",
            count_at: |v| v["communeUsers"].as_array().map(Vec::len),
        },
        Retried {
            what: "a council session",
            token: Some(&admin),
            document: "mutation($i: CouncilSessionInput!, $key: String) {
                scheduleCouncilSession(commune: \"oujda\", input: $i, idempotencyKey: $key) { id kind startsOn } }",
            variables: json!({ "i": { "kind": "EXTRAORDINARY", "startsOn": "2026-07-01",
                                      "titleAr": "دورة استثنائية", "titleFr": "Session extraordinaire" } }),
            count: "{ councilSessions(commune: \"oujda\", first: 100) { nodes { id } } }",
            count_at: |v| nodes(v, "councilSessions"),
        },
        Retried {
            what: "a webhook endpoint",
            token: Some(&admin),
            document: "mutation($i: WebhookEndpointInput!, $key: String) {
                createWebhookEndpoint(commune: \"oujda\", input: $i, idempotencyKey: $key) {
                    secret endpoint { id url maxInFlight } } }",
            variables: json!({ "i": { "url": "https://hooks.example.ma/jamaa", "maxInFlight": 2 } }),
            count: "{ webhookEndpoints(commune: \"oujda\") { nodes { id } } }",
            count_at: |v| nodes(v, "webhookEndpoints"),
        },
        Retried {
            what: "a petition signature",
            token: None,
            document: "mutation($p: ID!, $key: String) {
                signPetition(commune: \"oujda\", petition: $p, nationalId: \"RA654321\", name: \"Rachid Alami\",
                             idempotencyKey: $key) { signatures } }",
            variables: json!({ "p": petition }),
            count: "{ petitions(commune: \"oujda\") { nodes { id signatures } } }",
            count_at: |v| {
                v["petitions"]["nodes"]
                    .as_array()?
                    .iter()
                    .map(|p| p["signatures"].as_u64())
                    .sum::<Option<u64>>()
                    .and_then(|n| usize::try_from(n).ok())
            },
        },
    ];
    for retried in &cases {
        let before = records(&app, retried).await?;
        let key = uuid::Uuid::now_v7().to_string();
        let mut variables = retried.variables.clone();
        variables["key"] = json!(key);
        let first = app.graphql(retried.token, retried.document, variables.clone()).await?;
        ensure!(first["errors"].is_null() && !first["data"].is_null(), "{}: {first}", retried.what);
        let again = app.graphql(retried.token, retried.document, variables.clone()).await?;
        ensure!(again == first, "{}: the retry answered {again}, the first call {first}", retried.what);
        ensure!(records(&app, retried).await? == before + 1, "{}: not one record more", retried.what);
        // The same key by header, without the argument: the same call.
        let body = json!({ "query": retried.document, "variables": retried.variables });
        let mut request = app.client.post(app.url("/graphql")).header("idempotency-key", &key).json(&body);
        if let Some(token) = retried.token {
            request = request.bearer_auth(token);
        }
        let by_header: Value = request.send().await?.json().await?;
        ensure!(by_header == first, "{}: by header {by_header}", retried.what);
    }

    // The key with another selection: refused (the answer recorded is not the one asked for), nothing created.
    let token = &cases[0];
    let before = records(&app, token).await?;
    let key = uuid::Uuid::now_v7().to_string();
    let mut variables = token.variables.clone();
    variables["key"] = json!(key);
    app.data(token.token, token.document, variables.clone()).await?;
    let narrower = token.document.replace("{ id token }", "{ id }");
    let other = app.graphql(token.token, &narrower, variables).await?;
    ensure!(error_codes(&other) == ["IDEMPOTENCY_KEY_REUSED"], "{other}");
    ensure!(records(&app, token).await? == before + 1, "another selection created a token");

    // The same key with other arguments: IDEMPOTENCY_KEY_REUSED, nothing created.
    let key = uuid::Uuid::now_v7().to_string();
    let endpoint = &cases[3];
    let mut variables = endpoint.variables.clone();
    variables["key"] = json!(key);
    app.data(endpoint.token, endpoint.document, variables.clone()).await?;
    let before = records(&app, endpoint).await?;
    variables["i"]["url"] = json!("https://hooks.example.ma/other");
    let reused = app.graphql(endpoint.token, endpoint.document, variables).await?;
    ensure!(error_codes(&reused) == ["IDEMPOTENCY_KEY_REUSED"], "{reused}");
    ensure!(records(&app, endpoint).await? == before, "a reused key created an endpoint");

    // A call that failed leaves its key free: the corrected call with the same key goes through.
    let key = uuid::Uuid::now_v7().to_string();
    let mut variables = endpoint.variables.clone();
    variables["key"] = json!(key);
    variables["i"]["url"] = json!("ftp://hooks.example.ma");
    let refused = app.graphql(endpoint.token, endpoint.document, variables.clone()).await?;
    ensure!(field_errors(&refused).iter().any(|(path, _)| path == "input.url"), "{refused}");
    variables["i"]["url"] = json!("https://hooks.example.ma/fixed");
    let fixed = app.graphql(endpoint.token, endpoint.document, variables).await?;
    ensure!(fixed["errors"].is_null(), "{fixed}");

    // A key of Oujda's admin is nobody else's: Chefchaouen's admin with the same key creates its own.
    let key = uuid::Uuid::now_v7().to_string();
    let document = "mutation($key: String) { scheduleCouncilSession(commune: \"chefchaouen\", idempotencyKey: $key,
        input: { kind: EXTRAORDINARY, startsOn: \"2026-07-02\", titleAr: \"دورة\", titleFr: \"Session\" }) { id } }";
    let mine = app.data(Some(app.staff("chefchaouen")), document, json!({ "key": key })).await?;
    let oujda_document = document.replace("chefchaouen", "oujda");
    let theirs = app.data(Some(&admin), &oujda_document, json!({ "key": key })).await?;
    ensure!(mine != theirs, "one key answered two communes: {mine} {theirs}");
    app.stop().await
}

const ONBOARD: &str = "mutation($i: OnboardCommuneInput!, $key: String) {
    onboardCommune(input: $i, idempotencyKey: $key) { id slug trackingPrefix } }";

fn berkane(prefix: &str) -> Value {
    json!({ "from": "oujda@1", "slug": "berkane", "nameAr": "بركان", "nameFr": "Berkane", "trackingPrefix": prefix })
}

/// An operator's calls that name no commune keep their keys in the platform: an onboarding retried with its
/// key (argument or header) answers the first answer, and creates nothing; the key with other arguments is
/// IDEMPOTENCY_KEY_REUSED; a call that failed leaves its key free. A training commune retried answers its
/// first password and token, which still work; one that failed after part of its work committed answers its
/// failure again.
async fn an_operators_call_takes_a_key_too(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let operator = app.operator.clone();

    // A call that failed (a tracking prefix too long) frees its key; the corrected one takes it.
    let key = uuid::Uuid::now_v7().to_string();
    let refused = app.graphql(Some(&operator), ONBOARD, json!({ "i": berkane("BERKANE1"), "key": key })).await?;
    ensure!(!error_codes(&refused).is_empty(), "{refused}");
    let first = app.graphql(Some(&operator), ONBOARD, json!({ "i": berkane("BRK"), "key": key })).await?;
    ensure!(first["errors"].is_null() && first["data"]["onboardCommune"]["slug"] == "berkane", "{first}");
    let again = app.graphql(Some(&operator), ONBOARD, json!({ "i": berkane("BRK"), "key": key })).await?;
    ensure!(again == first, "the retry answered {again}, the first call {first}");
    let body = json!({ "query": ONBOARD, "variables": { "i": berkane("BRK") } });
    let request = app.client.post(app.url("/graphql")).bearer_auth(&operator).header("idempotency-key", &key);
    let by_header: Value = request.json(&body).send().await?.json().await?;
    ensure!(by_header == first, "by header {by_header}");
    let other = app.graphql(Some(&operator), ONBOARD, json!({ "i": berkane("BRQ"), "key": key })).await?;
    ensure!(error_codes(&other) == ["IDEMPOTENCY_KEY_REUSED"], "{other}");
    // Without a key, the same call is refused as already existing (the behaviour without a key).
    let twice = app.graphql(Some(&operator), ONBOARD, json!({ "i": berkane("BRK") })).await?;
    ensure!(error_codes(&twice) == ["CONFLICT"], "{twice}");

    // A training commune retried: the same logins, password and token, which work.
    let create =
        "mutation($key: String) { createTrainingCommune(from: \"oujda\", reset: MANUAL, idempotencyKey: $key) {
        commune { id slug } logins { role login } password token } }";
    let key = uuid::Uuid::now_v7().to_string();
    let made = app.graphql(Some(&operator), create, json!({ "key": key })).await?;
    ensure!(made["errors"].is_null(), "{made}");
    let again = app.graphql(Some(&operator), create, json!({ "key": key })).await?;
    ensure!(again == made, "the retry answered {again}, the first call {made}");
    let token = made["data"]["createTrainingCommune"]["token"].as_str().context("no token")?;
    let inbox = app.data(Some(token), COUNT, json!({ "c": "oujda-training" })).await?;
    ensure!(inbox["requests"]["totalCount"].as_i64().is_some(), "{inbox}");

    // A call that fails after part of its work committed (Chefchaouen's configuration exported as a template,
    // then the slug found taken) keeps its key: the retry answers the same failure.
    let taken = "mutation($key: String) { createTrainingCommune(from: \"chefchaouen\", slug: \"oujda\",
        idempotencyKey: $key) { commune { id } } }";
    let key = uuid::Uuid::now_v7().to_string();
    let failed = app.graphql(Some(&operator), taken, json!({ "key": key })).await?;
    ensure!(!error_codes(&failed).is_empty(), "{failed}");
    let again = app.graphql(Some(&operator), taken, json!({ "key": key })).await?;
    ensure!(again == failed, "the retry answered {again}, the first call {failed}");
    app.stop().await
}

/// SQLite's outage. There is no server to stop: the database is a file the server opens itself, and no connection
/// to it can be lost. What stops its writes and then goes away by itself is another process holding the file's
/// write lock (an operator's `sqlite3` shell left in a transaction, a maintenance tool) longer than the bound
/// (`db_acquire_timeout`, the busy timeout of SQLite's connections): a write then answers UNAVAILABLE, retryable,
/// within the bound, never INTERNAL, and goes through once the lock is released. Here the other holder is a
/// connection of the test's own, which SQLite locks out exactly as another process. `/readyz` is not asserted
/// while the lock is held: the file still answers (a lock is no lost server), and the probe shares the one writing
/// connection with the calls waiting on the lock, so its answer then depends on their timing; it is 200 once the
/// lock is released.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_is_unavailable_then_recovers_sqlite() -> Result<()> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};

    let bound = Duration::from_secs(2);
    let app = TestApp::spawn_with(Backend::Sqlite, |settings| settings.db_acquire_timeout = bound).await?;
    assert_eq!(readyz(&app).await?.0, 200);
    let before = count(&app, "oujda").await?;

    let other = sea_orm::Database::connect(jamaa_graphql::settings::sqlite_url(app.dir.path())).await?;
    let lock = other
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        })
        .await?;

    let key = uuid::Uuid::now_v7().to_string();
    let body =
        json!({ "query": SUBMIT, "variables": { "commune": "oujda", "input": input("Salma Bennani"), "key": key } });
    let started = Instant::now();
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("accept", "application/graphql-response+json")
        .json(&body)
        .send()
        .await?;
    let took = started.elapsed();
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(response.headers().get("retry-after").and_then(|v| v.to_str().ok()), Some("1"));
    let answer: Value = response.json().await?;
    assert_eq!(error_codes(&answer), ["UNAVAILABLE"], "{answer}");
    assert_eq!(answer["errors"][0]["extensions"]["retryable"], true, "{answer}");
    ensure!(took >= bound && took < bound + Duration::from_secs(2), "UNAVAILABLE after {took:?}");

    // Released: the same call (same key) files once.
    lock.rollback().await?;
    readyz_becomes(&app, 200, Duration::from_secs(5)).await?;
    let mut filed = None;
    for _ in 0..2 {
        let answer = app.graphql(None, SUBMIT, body["variables"].clone()).await?;
        let now = tracking(&answer)?;
        ensure!(filed.as_ref().is_none_or(|f| f == &now));
        filed = Some(now);
    }
    assert_eq!(count(&app, "oujda").await?, before + 1);
    other.close().await?;
    Ok(())
}

/// Two transactions that wait for each other (here on a table of their own): PostgreSQL ends one of them
/// (40P01, nothing of it written) and its caller learns UNAVAILABLE, which a client may send again, never INTERNAL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deadlock_ended_by_postgres_is_unavailable() -> Result<()> {
    use sea_orm::{ConnectionTrait as _, DbBackend, Statement, TransactionTrait as _};
    let server = jamaa_tests::pg::PgServer::for_tests()?;
    let database = server.create_database(&format!("deadlock_{}", uuid::Uuid::now_v7().simple()))?;
    let db = sea_orm::Database::connect(database.superuser_url.clone()).await?;
    let sql = |text: &str| Statement::from_string(DbBackend::Postgres, text);
    db.execute_raw(sql("CREATE TABLE probe (id int PRIMARY KEY)")).await?;
    db.execute_raw(sql("INSERT INTO probe VALUES (1), (2)")).await?;
    let (first, second) = (db.begin().await?, db.begin().await?);
    first.execute_raw(sql("UPDATE probe SET id = id WHERE id = 1")).await?;
    second.execute_raw(sql("UPDATE probe SET id = id WHERE id = 2")).await?;
    // Each now asks for the row the other holds: one waits, the other closes the cycle.
    let (a, b) = tokio::join!(
        first.execute_raw(sql("UPDATE probe SET id = id WHERE id = 2")),
        second.execute_raw(sql("UPDATE probe SET id = id WHERE id = 1"))
    );
    let ended = match (a, b) {
        (Err(error), Ok(_)) | (Ok(_), Err(error)) => error,
        other => anyhow::bail!("PostgreSQL broke no deadlock: {other:?}"),
    };
    ensure!(ended.to_string().contains("deadlock"), "{ended}");
    let error = jamaa_core::Error::from(ended);
    assert_eq!(error.code(), "UNAVAILABLE", "{error}");
    drop((first, second));
    Ok(())
}
