//! Verifiable documents over real HTTP, on SQLite and on PostgreSQL: staff issue a closed request's decision;
//! anyone verifies its code through GraphQL and the `/verify` page, and learns whether a text is the one
//! issued, never the text; open requests and other communes' staff are refused.

use anyhow::{Context as _, Result, ensure};
use jamaa_tests::app::{Backend, TestApp, error_codes};
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(a_decision_is_issued_and_verified, documents_are_refused_where_they_must_be);

const SUBMIT: &str = r#"mutation($input: SubmitRequestInput!) {
  submitRequest(commune: "oujda", input: $input) { request { id trackingCode } }
}"#;
const CERTIFY: &str = r#"mutation($id: ID!) { actOnRequest(commune: "oujda", id: $id, action: "certify", expectedVersion: 1) { state } }"#;
const ISSUE: &str = r#"mutation($c: String, $id: ID!) {
  issueRequestDecision(commune: $c, requestId: $id) { id code kind title fingerprint text verifyPath issuedAt }
}"#;
const VERIFY: &str = r#"query($code: String!, $text: String) {
  verifyDocument(code: $code, text: $text, locale: "fr") { code commune { slug } kind title fingerprint textMatches }
}"#;

fn legalisation() -> Value {
    json!({
        "serviceCode": "legalisation-signature",
        "data": { "signatory_name": "Khadija Ait Taleb", "cin": "UA445566", "phone": "0612345678",
                  "document_title": "Procuration", "copies": 1 },
        "documents": [
            { "code": "document_to_sign", "fileName": "procuration.pdf", "mediaType": "application/pdf", "sizeBytes": 52000 }
        ]
    })
}

async fn submit(app: &TestApp) -> Result<(String, String)> {
    let data = app.data(None, SUBMIT, json!({ "input": legalisation() })).await?;
    let request = &data["submitRequest"]["request"];
    Ok((request["id"].as_str().context("id")?.to_owned(), request["trackingCode"].as_str().context("code")?.to_owned()))
}

async fn a_decision_is_issued_and_verified(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let staff = app.staff("oujda").to_owned();
    let (id, tracking_code) = submit(&app).await?;
    app.data(Some(&staff), CERTIFY, json!({ "id": id })).await?;

    let issued = app.data(Some(&staff), ISSUE, json!({ "c": "oujda", "id": id })).await?;
    let issued = &issued["issueRequestDecision"];
    let code = issued["code"].as_str().context("code")?.to_owned();
    let text = issued["text"].as_str().context("text")?.to_owned();
    ensure!(code.starts_with("OUJ-") && code.len() == "OUJ-7K3M-9XQ2-HT4P".len(), "{code}");
    ensure!(text.contains(&tracking_code) && text.contains("Légalisation"), "{text}");
    ensure!(!text.contains("Khadija") && !text.contains("UA445566"), "a decision carries no personal data: {text}");
    assert_eq!(issued["kind"], "request.decision");
    assert_eq!(issued["verifyPath"], format!("/verify/{code}"));
    let fingerprint = issued["fingerprint"].as_str().context("fingerprint")?.to_owned();
    assert_eq!(fingerprint.len(), 64);

    // Anyone verifies the code, as typed, and checks a text.
    let anyone = app.data(None, VERIFY, json!({ "code": code.to_lowercase() })).await?;
    let v = &anyone["verifyDocument"];
    assert_eq!(v["code"], code.as_str());
    assert_eq!(v["commune"]["slug"], "oujda");
    assert_eq!(v["fingerprint"], fingerprint.as_str());
    assert_eq!(v["textMatches"], Value::Null);
    ensure!(!anyone.to_string().contains(&tracking_code), "verifying reveals no content: {anyone}");
    let copied = text.replace('\n', "\r\n") + "\r\n";
    let same = app.data(None, VERIFY, json!({ "code": code, "text": copied })).await?;
    assert_eq!(same["verifyDocument"]["textMatches"], true);
    let forged =
        app.data(None, VERIFY, json!({ "code": code, "text": text.replace("(approved)", "(rejected)") })).await?;
    assert_eq!(forged["verifyDocument"]["textMatches"], false);

    // The staff read it back; the reading is audited.
    let documents = "query($id: ID!) { requestDocuments(commune: \"oujda\", requestId: $id) { nodes { code text } } }";
    let read = app.data(Some(&staff), documents, json!({ "id": id })).await?;
    assert_eq!(read["requestDocuments"]["nodes"], json!([{ "code": code, "text": text }]));

    // The page: authentic, in French or Arabic, with the check of a pasted text.
    let http = reqwest::Client::new();
    let page = http.get(app.url(&format!("/verify/{code}?lang=fr"))).send().await?;
    assert_eq!(page.status(), 200);
    let html = page.text().await?;
    ensure!(html.contains("Document authentique") && html.contains(&code), "{html}");
    ensure!(!html.contains(&tracking_code), "the page shows no content: {html}");
    let arabic = http.get(app.url(&format!("/verify/{code}"))).header("accept-language", "ar").send().await?;
    let arabic = arabic.text().await?;
    ensure!(arabic.contains(r#"dir="rtl""#) && arabic.contains("وثيقة أصلية"), "{arabic}");
    let checked = http
        .post(app.url(&format!("/verify/{code}?lang=fr")))
        .form(&[("text", copied.as_str())])
        .send()
        .await?
        .text()
        .await?;
    ensure!(checked.contains("n'a pas été modifié"), "{checked}");
    let changed = http
        .post(app.url(&format!("/verify/{code}?lang=fr")))
        .form(&[("text", text.replace("Procédure", "Procedure").as_str())])
        .send()
        .await?
        .text()
        .await?;
    ensure!(changed.contains("diffère"), "{changed}");

    // Unknown and malformed codes.
    let unknown = http.get(app.url("/verify/OUJ-2222-3333-4444?lang=fr")).send().await?;
    assert_eq!(unknown.status(), 404);
    assert_eq!(http.get(app.url("/verify/not-a-code")).send().await?.status(), 400);
    let unknown = app.graphql(None, VERIFY, json!({ "code": "OUJ-2222-3333-4444" })).await?;
    assert_eq!(error_codes(&unknown), ["NOT_FOUND"]);

    // The QR code printed on the document points at the page.
    let qr = http.get(app.url(&format!("/verify/{code}/qr.svg"))).send().await?;
    assert_eq!(qr.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("image/svg+xml"));
    ensure!(qr.text().await?.contains("<svg"));

    app.stop().await
}

async fn documents_are_refused_where_they_must_be(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let staff = app.staff("oujda").to_owned();
    let (id, _) = submit(&app).await?;

    // An open request has no decision to issue.
    let open = app.graphql(Some(&staff), ISSUE, json!({ "c": "oujda", "id": id })).await?;
    assert_eq!(error_codes(&open), ["VALIDATION_FAILED"]);
    assert_eq!(open["errors"][0]["extensions"]["fields"][0]["path"], "requestId");

    app.data(Some(&staff), CERTIFY, json!({ "id": id })).await?;
    let chefchaouen = app.staff("chefchaouen").to_owned();
    let named = app.graphql(Some(&chefchaouen), ISSUE, json!({ "c": "oujda", "id": id })).await?;
    assert_eq!(error_codes(&named), ["FORBIDDEN"]);
    let own = app.graphql(Some(&chefchaouen), ISSUE, json!({ "c": "chefchaouen", "id": id })).await?;
    assert_eq!(error_codes(&own), ["NOT_FOUND"]);
    let citizen = app.graphql(None, ISSUE, json!({ "c": "oujda", "id": id })).await?;
    assert_eq!(error_codes(&citizen), ["UNAUTHENTICATED"]);

    // A code of one commune is not found under another's prefix.
    let issued = app.data(Some(&staff), ISSUE, json!({ "c": "oujda", "id": id })).await?;
    let code = issued["issueRequestDecision"]["code"].as_str().context("code")?.to_owned();
    let elsewhere = code.replacen("OUJ", "CHF", 1);
    let moved = app.graphql(None, VERIFY, json!({ "code": elsewhere })).await?;
    assert_eq!(error_codes(&moved), ["NOT_FOUND"]);
    app.stop().await
}
