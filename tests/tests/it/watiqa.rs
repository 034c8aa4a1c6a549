//! The watiqa path end to end, over real HTTP on SQLite and PostgreSQL: a citizen asks Chefchaouen online for
//! an extract of a birth act by its number and year; the civil registrar sees the act it matches on the file,
//! issues the register's document from it, and the request ends delivered; the citizen reads the document
//! when tracking (code and secret), and `/verify` confirms it. An applicant asking for their own act is matched
//! by the blind index of their national id; a request no act matches is refused with a reason the citizen
//! reads. A workflow action alone does not deliver; Oujda's registrar neither sees the match nor issues.

use anyhow::{Context as _, Result, ensure};
use std::time::Duration;

use jamaa_tests::app::{Backend, TestApp, error_codes, field_paths};
use sea_orm::{ConnectionTrait as _, DbBackend, Statement, TransactionTrait as _};
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(an_online_extract_request_is_issued_from_the_register_or_refused);

const CREATE_TOKEN: &str = "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }";
const REGISTER: &str = "mutation($i: RegisterCivilActInput!) { registerCivilAct(input: $i) {
    id number year actNumber
} }";
const SUBMIT: &str = "mutation($input: SubmitRequestInput!) { submitRequest(commune: \"chefchaouen\", input: $input) {
    secret request { id trackingCode version }
} }";
const MATCH: &str = "query($c: String, $id: ID!) { civilRequestMatch(commune: $c, requestId: $id) {
    trackingCode document actKind lookup actNumber actYear acts { id number } open
} }";
const ISSUE: &str = "mutation($c: String, $id: ID!, $act: ID!, $v: Int!) {
    issueCivilRequest(commune: $c, requestId: $id, actId: $act, expectedVersion: $v) {
        actId number kind text code fingerprint verifyPath
    }
}";
const REFUSE: &str = "mutation($id: ID!, $v: Int!, $reason: String!) {
    refuseCivilRequest(requestId: $id, expectedVersion: $v, reason: $reason) { state version }
}";
const ACT: &str = "mutation($id: ID!, $a: String!, $v: Int!) {
    actOnRequest(id: $id, action: $a, expectedVersion: $v) { state }
}";
const TRACK: &str = "query($code: String!, $secret: String!) {
    trackRequest(trackingCode: $code, secret: $secret, locale: \"fr\") { state messages { action body } }
    trackedDocuments(trackingCode: $code, secret: $secret, locale: \"fr\") { code kind text fingerprint verifyPath }
}";
const VERIFY: &str = "query($code: String!, $text: String) {
    verifyDocument(code: $code, text: $text, locale: \"fr\") { commune { slug } kind textMatches }
}";

const OFFERED: &str = "query($id: ID!) { request(commune: \"chefchaouen\", id: $id) { availableActions { key } } }";
const CHILD: &str = "Yassmine";
const ADULT_CIN: &str = "CD208841";

async fn token(app: &TestApp, commune: &str, role: &str) -> Result<String> {
    let input = json!({ "kind": "STAFF", "communes": [commune], "roles": [role], "label": role });
    let data = app.data(Some(app.staff(commune)), CREATE_TOKEN, json!({ "i": input })).await?;
    data["createApiToken"]["token"].as_str().map(str::to_owned).context("no token")
}

fn name(given: &str) -> Value {
    json!({ "givenAr": "ياسمين", "familyAr": "العلمي", "givenLatin": given, "familyLatin": "Alami" })
}

fn birth(date: &str, national_id: Option<&str>) -> Value {
    json!({
        "kind": "BIRTH",
        "office": "CHF-1",
        "sex": "FEMALE",
        "event": { "date": date, "place": "Chefchaouen" },
        "judgmentReference": "Jugement n° 12/2026 du TPI de Chefchaouen",
        "subject": name(CHILD),
        "subjectNationalId": national_id,
        "father": { "name": name("Karim"), "nationality": "marocaine" },
        "declarant": { "name": name("Karim"), "relation": "father" }
    })
}

/// An online request: `(id, tracking code, secret)`.
async fn ask(app: &TestApp, service: &str, data: Value) -> Result<(String, String, String)> {
    let input = json!({ "serviceCode": service, "data": data, "documents": [] });
    let submitted = app.data(None, SUBMIT, json!({ "input": input })).await?["submitRequest"].clone();
    let field = |path: &str| submitted.pointer(path).and_then(Value::as_str).map(str::to_owned).context("no answer");
    Ok((field("/request/id")?, field("/request/trackingCode")?, field("/secret")?))
}

fn by_number(number: &Value, year: &Value) -> Value {
    json!({
        "lookup_by": "act_reference", "act_number": number.to_string(), "act_year": year,
        "person_name": "Yassmine Alami", "cin": "LB402918", "relation": "parent"
    })
}

async fn an_online_extract_request_is_issued_from_the_register_or_refused(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let registrar = token(&app, "chefchaouen", "civil_registrar").await?;
    let oujda_registrar = token(&app, "oujda", "civil_registrar").await?;

    let act = app.data(Some(&registrar), REGISTER, json!({ "i": birth("2026-01-02", None) })).await?;
    let act = act["registerCivilAct"].clone();
    let other = app.data(Some(&registrar), REGISTER, json!({ "i": birth("2026-01-03", None) })).await?;
    let other = other["registerCivilAct"].clone();

    // The citizen asks by the act's number and year.
    let (id, code, secret) = ask(&app, "extrait-acte-naissance", by_number(&act["actNumber"], &act["year"])).await?;
    let found = app.data(Some(&registrar), MATCH, json!({ "id": id })).await?["civilRequestMatch"].clone();
    assert_eq!(found["lookup"], "ACT_NUMBER");
    assert_eq!(found["document"], "EXTRACT");
    assert_eq!(found["actKind"], "BIRTH");
    assert_eq!(found["actNumber"], act["actNumber"]);
    assert_eq!(found["acts"], json!([{ "id": act["id"], "number": act["number"] }]));
    assert_eq!(found["open"], true);

    // Another commune's registrar neither sees the match nor issues.
    for c in [json!("chefchaouen"), Value::Null] {
        let seen = app.graphql(Some(&oujda_registrar), MATCH, json!({ "c": c, "id": id })).await?;
        ensure!(!error_codes(&seen).is_empty() && seen["data"]["civilRequestMatch"].is_null(), "{seen}");
        let vars = json!({ "c": c, "id": id, "act": act["id"], "v": 1 });
        let issued = app.graphql(Some(&oujda_registrar), ISSUE, vars).await?;
        ensure!(!error_codes(&issued).is_empty() && issued["data"]["issueCivilRequest"].is_null(), "{issued}");
    }
    // A workflow action alone does not deliver: the document comes from the register. The registrar is not
    // offered the workflow's approving action, and taking it anyway is refused.
    let offered = app.data(Some(&registrar), OFFERED, json!({ "id": id })).await?;
    let keys: Vec<&str> = offered["request"]["availableActions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["key"].as_str())
        .collect();
    ensure!(!keys.is_empty() && !keys.contains(&"issue"), "{offered}");
    let bare = app.graphql(Some(&registrar), ACT, json!({ "id": id, "a": "issue", "v": 1 })).await?;
    assert_eq!(error_codes(&bare), ["VALIDATION_FAILED"], "{bare}");
    assert_eq!(field_paths(&bare), ["action"]);
    // An act the request does not name is refused at its path.
    let wrong = app.graphql(Some(&registrar), ISSUE, json!({ "id": id, "act": other["id"], "v": 1 })).await?;
    assert_eq!(error_codes(&wrong), ["VALIDATION_FAILED"], "{wrong}");
    assert_eq!(field_paths(&wrong), ["actId"]);

    let issuing = app.data(Some(&registrar), ISSUE, json!({ "id": id, "act": act["id"], "v": 1 }));
    let issued = match &app.pg {
        None => issuing.await?,
        Some((_, database)) => {
            // While a change of the request is under way (its row locked), the registrar's issue waits for the
            // request before it takes the commune's audit head (issuing the document appends to it): another
            // audited change of the commune goes on meanwhile, and the two never wait for each other.
            let other = sea_orm::Database::connect(database.superuser_url.clone()).await?;
            let holding = other.begin().await?;
            let row: uuid::Uuid = jamaa_tests::app::entity_id(&id).parse()?;
            let lock = "SELECT 1 FROM requests WHERE id = $1 FOR UPDATE";
            holding.execute_raw(Statement::from_sql_and_values(DbBackend::Postgres, lock, [row.into()])).await?;
            let meanwhile = async {
                let waiting = "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() \
                    AND wait_event_type = 'Lock'";
                let started = std::time::Instant::now();
                loop {
                    let found = other.query_one_raw(Statement::from_string(DbBackend::Postgres, waiting)).await?;
                    if found.context("a count")?.try_get::<i64>("", "n")? > 0 {
                        break;
                    }
                    ensure!(started.elapsed() < Duration::from_secs(10), "the issue never waited for the request");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                let registered = tokio::time::timeout(
                    Duration::from_secs(10),
                    app.data(Some(&registrar), REGISTER, json!({ "i": birth("2026-01-04", None) })),
                )
                .await
                .context("an audited change waited for the registrar's issue, itself waiting for the request")??;
                ensure!(registered["registerCivilAct"]["id"].is_string(), "{registered}");
                holding.rollback().await?;
                anyhow::Ok(())
            };
            let (issued, held) = tokio::join!(issuing, meanwhile);
            held?;
            issued?
        }
    };
    let issued = issued["issueCivilRequest"].clone();
    assert_eq!(issued["actId"], act["id"]);
    assert_eq!(issued["kind"], "EXTRACT");
    let text = issued["text"].as_str().context("no text")?.to_owned();
    ensure!(text.starts_with("Extrait d'acte de naissance\n") && text.contains(CHILD), "{text}");
    let again = app.graphql(Some(&registrar), ISSUE, json!({ "id": id, "act": act["id"], "v": 2 })).await?;
    ensure!(!error_codes(&again).is_empty(), "a delivered request is not issued twice: {again}");

    // The citizen reads and downloads it when tracking; a wrong secret reads nothing.
    let tracked = app.data(None, TRACK, json!({ "code": code, "secret": secret })).await?;
    assert_eq!(tracked["trackRequest"]["state"], "issued");
    let documents = tracked["trackedDocuments"].as_array().context("no documents")?;
    assert_eq!(documents.len(), 1, "{tracked}");
    assert_eq!(documents[0]["code"], issued["code"]);
    assert_eq!(documents[0]["kind"], "civil_status.extract");
    assert_eq!(documents[0]["text"], text.as_str());
    let stranger = app.graphql(None, TRACK, json!({ "code": code, "secret": "K7RM2-PX9QD-4HWTA" })).await?;
    assert_eq!(error_codes(&stranger), ["NOT_FOUND", "NOT_FOUND"], "{stranger}");
    // `/verify` confirms it.
    let document_code = issued["code"].as_str().context("no code")?;
    let check = app.data(None, VERIFY, json!({ "code": document_code, "text": text })).await?;
    assert_eq!(
        check["verifyDocument"],
        json!({ "commune": { "slug": "chefchaouen" }, "kind": "civil_status.extract", "textMatches": true })
    );
    let page = reqwest::get(app.url(&format!("/verify/{document_code}?lang=fr"))).await?.text().await?;
    ensure!(page.contains("Document authentique"), "{page}");
    // The printable tracking page delivers it too: its title, code, text and the link to `/verify`.
    let receipt = app
        .client
        .post(app.url(&format!("/receipts/{code}?lang=fr")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("secret={secret}"))
        .send()
        .await?
        .text()
        .await?;
    ensure!(receipt.contains("Documents délivrés") && receipt.contains(document_code), "{receipt}");
    ensure!(receipt.contains(&format!("/verify/{document_code}?lang=fr")), "{receipt}");
    let first_line = text.lines().find(|line| !line.contains(['&', '<', '>', '"', '\'']));
    ensure!(first_line.is_some_and(|line| receipt.contains(line)), "the issued text is on the page: {receipt}");
    // The act's audit trail names the delivery.
    let trail = "query($id: ID!) { civilAct(id: $id) { history { kind payload } } }";
    let history = app.data(Some(&registrar), trail, json!({ "id": act["id"] })).await?;
    let delivered =
        history["civilAct"]["history"].as_array().context("no history")?.iter().any(|event| {
            event["kind"] == "civil_act.document_issued" && event["payload"]["trackingCode"] == code.as_str()
        });
    ensure!(delivered, "{history}");

    // An applicant asking for their own full copy is matched by their national id's blind index.
    let adult = app.data(Some(&registrar), REGISTER, json!({ "i": birth("1990-04-05", Some(ADULT_CIN)) })).await?;
    let adult = adult["registerCivilAct"].clone();
    let own = json!({
        "lookup_by": "family_booklet", "family_booklet_ref": "LF 1234 Chefchaouen",
        "person_name": "Yassmine Alami", "cin": ADULT_CIN.to_lowercase(), "relation": "self"
    });
    let (own_id, _, _) = ask(&app, "copie-integrale-acte-naissance", own).await?;
    let found = app.data(Some(&registrar), MATCH, json!({ "id": own_id })).await?["civilRequestMatch"].clone();
    assert_eq!(found["lookup"], "NATIONAL_ID");
    assert_eq!(found["document"], "FULL_COPY");
    assert_eq!(found["acts"], json!([{ "id": adult["id"], "number": adult["number"] }]));

    // A request no act matches is refused with a reason, which the citizen reads.
    let missing = by_number(&json!(9999), &act["year"]);
    let (none_id, none_code, none_secret) = ask(&app, "extrait-acte-naissance", missing).await?;
    let found = app.data(Some(&registrar), MATCH, json!({ "id": none_id })).await?["civilRequestMatch"].clone();
    assert_eq!(found["acts"], json!([]));
    let unreasoned = app.graphql(Some(&registrar), REFUSE, json!({ "id": none_id, "v": 1, "reason": "  " })).await?;
    assert_eq!(error_codes(&unreasoned), ["VALIDATION_FAILED"]);
    assert_eq!(field_paths(&unreasoned), ["reason"]);
    let reason = "Aucun acte n° 9999 de cette année au registre de la commune.";
    let refused = app.data(Some(&registrar), REFUSE, json!({ "id": none_id, "v": 1, "reason": reason })).await?;
    assert_eq!(refused["refuseCivilRequest"], json!({ "state": "rejected", "version": 2 }));
    let tracked = app.data(None, TRACK, json!({ "code": none_code, "secret": none_secret })).await?;
    assert_eq!(tracked["trackRequest"]["state"], "rejected");
    assert_eq!(tracked["trackRequest"]["messages"], json!([{ "action": "reject", "body": reason }]));
    assert_eq!(tracked["trackedDocuments"], json!([]));
    let found = app.data(Some(&registrar), MATCH, json!({ "id": none_id })).await?["civilRequestMatch"].clone();
    assert_eq!(found["open"], false);

    // A request of another procedure has no match.
    let listing = "query { requests(commune: \"chefchaouen\", first: 100) { nodes { id serviceCode } } }";
    let inbox = app.data(Some(app.staff("chefchaouen")), listing, json!({})).await?;
    let other_request = inbox["requests"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|node| !node["serviceCode"].as_str().unwrap_or_default().contains("acte-naissance"))
        .map(|node| node["id"].clone());
    if let Some(other_request) = other_request {
        let none = app.graphql(Some(&registrar), MATCH, json!({ "id": other_request })).await?;
        assert_eq!(error_codes(&none), ["VALIDATION_FAILED"], "{none}");
        assert_eq!(field_paths(&none), ["requestId"]);
    }
    app.stop().await
}
