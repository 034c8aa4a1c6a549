//! The commune's disputes over real HTTP, on SQLite and PostgreSQL: the legal-affairs office opens a case
//! (numbered per year, its parties sealed, referring to a complaint of the commune), sets a hearing whose
//! reminder the scheduler records once, a few working days before, for the member who follows the case; a
//! decision counts the appeal deadline, an appeal is lodged by it; the indicators show the open cases and
//! their stakes, never a party. Only the legal-affairs office and the administrators read the cases. A case is
//! corrected (its court, lawyer, stakes, parties, object; never its number; a closed case not at all), and its
//! documents are attached over HTTP, sealed, listed in the case file and opened only by those who read the
//! case, each opening audited.

use anyhow::{Context as _, Result, ensure};
use chrono::{DateTime, Datelike, Duration, Utc, Weekday};
use jamaa_core::service::demo::DEMO_PASSWORD;
use jamaa_tests::app::{Backend, TestApp, error_codes, field_paths};
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(a_dispute_with_a_hearing_reminder, a_case_corrected_and_its_documents_sealed);

const SUBMIT: &str = r#"mutation { submitRequest(commune: "oujda", input: {
  serviceCode: "reclamation", data: { subject: "roads", description: "Un nid-de-poule dangereux devant l'école." }
}) { request { id trackingCode } } }"#;
const OPEN: &str = "mutation($i: DisputeCaseInput!) { openDisputeCase(commune: \"oujda\", input: $i) {
  id number status stakesCentimes requestCode parties { name address } } }";
const CASE: &str = "query($id: ID!) { disputeCase(commune: \"oujda\", id: $id) {
  number status parties { name } hearings { id remindedAt outcome } decisions { appealDeadline outcome }
  appeals { lodgedOn deadline } } }";
const HEARING: &str =
    "mutation($c: ID!, $i: HearingInput!) { setDisputeHearing(commune: \"oujda\", caseId: $c, input: $i) {
  id scheduledAt reminderDueAt remindedAt } }";
const UPCOMING: &str =
    "{ upcomingHearings(commune: \"oujda\") { caseNumber hearing { id reminderDueAt remindedAt } } }";
const DECIDE: &str =
    "mutation($c: ID!, $i: DecisionInput!) { recordDisputeDecision(commune: \"oujda\", caseId: $c, input: $i) {
  decidedOn appealDeadline } }";
const APPEAL: &str =
    "mutation($c: ID!, $i: AppealInput!) { lodgeDisputeAppeal(commune: \"oujda\", caseId: $c, input: $i) {
  lodgedOn deadline } }";
const INDICATORS: &str = "{ indicators(commune: \"oujda\") { disputes { open stakesCentimes } } }";
const AUDIT: &str = "{ auditVerify(commune: \"oujda\") { valid eventsChecked } }";

async fn login(app: &TestApp, role: &str) -> Result<String> {
    app.login(&format!("oujda.{role}"), DEMO_PASSWORD).await
}

fn text(value: &Value) -> Result<String> {
    value.as_str().map(str::to_owned).with_context(|| format!("not a string: {value}"))
}

fn instant(value: &Value) -> Result<DateTime<Utc>> {
    Ok(DateTime::parse_from_rfc3339(&text(value)?)?.with_timezone(&Utc))
}

async fn audit_events(app: &TestApp) -> Result<i64> {
    let data = app.data(Some(app.staff("oujda")), AUDIT, json!({})).await?;
    assert_eq!(data["auditVerify"]["valid"], true, "{data}");
    data["auditVerify"]["eventsChecked"].as_i64().context("a count")
}

async fn reminded_at(app: &TestApp, token: &str, hearing: &str) -> Result<Value> {
    let upcoming = app.data(Some(token), UPCOMING, json!({})).await?;
    let found = upcoming["upcomingHearings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|u| u["hearing"]["id"] == hearing)
        .with_context(|| format!("the hearing is not upcoming: {upcoming}"))?;
    Ok(found["hearing"]["remindedAt"].clone())
}

fn case_input(request_code: &str) -> Value {
    json!({
        "caseType": "administrative", "subject": "Recours en annulation d'un arrêté d'alignement",
        "courtName": "Tribunal administratif", "courtCity": "Oujda", "position": "DEFENDANT",
        "parties": [{ "name": "Karim Benali-Zerhouni", "address": "3 rue Al Qods, Oujda" }],
        "lawyerName": "Maître Idrissi", "lawyerBar": "Barreau d'Oujda",
        "stakesCentimes": "12500000", "requestCode": request_code, "openedOn": "2026-01-05",
    })
}

async fn a_dispute_with_a_hearing_reminder(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let legal = login(&app, "legal_affairs").await?;
    let agent = login(&app, "counter_agent").await?;

    // A complaint the case refers to.
    let submitted = app.data(None, SUBMIT, json!({})).await?;
    let code = text(&submitted["submitRequest"]["request"]["trackingCode"])?;

    // Every failure at once; then the case, numbered per year, its parties sealed.
    let mut bad = case_input("OUJ-1999-999999");
    bad["caseType"] = json!("piracy");
    bad["parties"] = json!([]);
    let body = app.graphql(Some(&legal), OPEN, json!({ "i": bad })).await?;
    assert_eq!(field_paths(&body), ["input.caseType", "input.parties"], "{body}");
    let body = app.graphql(Some(&legal), OPEN, json!({ "i": case_input("OUJ-1999-999999") })).await?;
    assert_eq!(field_paths(&body), ["input.requestCode"], "{body}");
    let opened = app.data(Some(&legal), OPEN, json!({ "i": case_input(&code) })).await?;
    let case = &opened["openDisputeCase"];
    let id = text(&case["id"])?;
    let year = Utc::now().year();
    // The demo's own case is the first of the year.
    assert_eq!(case["number"], json!(format!("LIT-{year}-000002")), "{opened}");
    assert_eq!((&case["status"], &case["stakesCentimes"]), (&json!("OPEN"), &json!("12500000")), "{opened}");
    assert_eq!(case["requestCode"], json!(code), "{opened}");
    ensure!(!app.database_bytes()?.contains("Benali-Zerhouni"), "a party's name is stored in clear");
    let second = app.data(Some(&legal), OPEN, json!({ "i": case_input(&code) })).await?;
    assert_eq!(second["openDisputeCase"]["number"], json!(format!("LIT-{year}-000003")), "{second}");

    // Only the legal-affairs office and the administrators read cases.
    let body = app.graphql(Some(&agent), CASE, json!({ "id": id })).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");
    let admin = login(&app, "commune_admin").await?;
    let file = app.data(Some(&admin), CASE, json!({ "id": id })).await?;
    assert_eq!(file["disputeCase"]["parties"][0]["name"], "Karim Benali-Zerhouni", "{file}");

    // A hearing in four weeks: its reminder falls due three working days before (settings.disputes), at the
    // start of a working day.
    let at = (Utc::now() + Duration::days(28)).date_naive().and_hms_opt(9, 30, 0).context("a time")?.and_utc();
    let hearing = app
        .data(
            Some(&legal),
            HEARING,
            json!({ "c": id, "i": { "scheduledAt": at.to_rfc3339(), "room": "Salle 2", "object": "Plaidoiries" } }),
        )
        .await?;
    let hearing = &hearing["setDisputeHearing"];
    let hearing_id = text(&hearing["id"])?;
    let due = instant(&hearing["reminderDueAt"])?;
    ensure!(due < at && at - due >= Duration::days(3) && at - due <= Duration::days(12), "{hearing}");
    ensure!(!matches!(due.weekday(), Weekday::Sat | Weekday::Sun), "{hearing}");
    assert_eq!(hearing["remindedAt"], Value::Null, "{hearing}");

    // Before it is due, the scheduler leaves it; when due, two schedulers at once record it once, with its
    // audit event; a later pass adds nothing.
    let jamaa = app.jamaa().await?;
    let other = app.jamaa().await?;
    jamaa.run_due_timers(due - Duration::hours(1)).await?;
    assert_eq!(reminded_at(&app, &legal, &hearing_id).await?, Value::Null);
    let before = audit_events(&app).await?;
    let when = due + Duration::minutes(5);
    let (a, b) = tokio::join!(jamaa.run_due_timers(when), other.run_due_timers(when));
    ensure!(a?.fired + b?.fired >= 1, "the reminder fired");
    let reminded = reminded_at(&app, &legal, &hearing_id).await?;
    ensure!(reminded.is_string(), "the reminder is recorded: {reminded}");
    assert_eq!(audit_events(&app).await?, before + 1, "one reminder, one event");
    jamaa.run_due_timers(when).await?;
    assert_eq!(reminded_at(&app, &legal, &hearing_id).await?, reminded, "recorded once");
    assert_eq!(audit_events(&app).await?, before + 1, "nothing is left to remind");

    // The indicators: three open cases (the demo's among them) and their stakes, and no party.
    let figures = app.data(None, INDICATORS, json!({})).await?;
    assert_eq!(figures["indicators"]["disputes"], json!({ "open": 3, "stakesCentimes": "33500000" }));
    ensure!(!figures.to_string().contains("Benali"), "{figures}");

    // A decision: the appeal deadline is 30 days on (moved off a weekend or holiday); an appeal after it is
    // refused, one by it accepted.
    let decided_on = "2026-02-06";
    let decision = json!({ "c": id, "i": { "decidedOn": decided_on, "outcome": "LOST", "awardedCentimes": "500000",
                                          "summary": "Annulation de l'arrêté." } });
    let decided = app.data(Some(&legal), DECIDE, decision).await?;
    assert_eq!(decided["recordDisputeDecision"]["appealDeadline"], "2026-03-09", "{decided}");
    let late = json!({ "c": id, "i": { "lodgedOn": "2026-03-10", "courtName": "Cour d'appel administrative",
                                      "courtCity": "Rabat" } });
    let body = app.graphql(Some(&legal), APPEAL, late).await?;
    assert_eq!(field_paths(&body), ["input.lodgedOn"], "{body}");
    let in_time = json!({ "c": id, "i": { "lodgedOn": "2026-03-02", "courtName": "Cour d'appel administrative",
                                         "courtCity": "Rabat" } });
    app.data(Some(&legal), APPEAL, in_time).await?;
    let file = app.data(Some(&legal), CASE, json!({ "id": id })).await?;
    assert_eq!(file["disputeCase"]["status"], "APPEALED", "{file}");
    assert_eq!(file["disputeCase"]["appeals"][0]["deadline"], "2026-03-09", "{file}");
    ensure!(file["disputeCase"]["hearings"][0]["remindedAt"].is_string(), "{file}");

    // Closing the other case takes it out of the indicators.
    let closed = app
        .data(
            Some(&legal),
            "mutation($id: ID!) { closeDisputeCase(commune: \"oujda\", id: $id) { status } }",
            json!({ "id": second["openDisputeCase"]["id"] }),
        )
        .await?;
    assert_eq!(closed["closeDisputeCase"]["status"], "CLOSED", "{closed}");
    let figures = app.data(None, INDICATORS, json!({})).await?;
    assert_eq!(figures["indicators"]["disputes"], json!({ "open": 2, "stakesCentimes": "21000000" }));
    Ok(())
}

const EDIT: &str =
    "mutation($id: ID!, $i: DisputeCaseEditInput!) { updateDisputeCase(commune: \"oujda\", id: $id, input: $i) {
  number subject courtName courtCity lawyerName stakesCentimes parties { name address } updatedAt } }";
const DOCUMENTS: &str = "query($id: ID!) { disputeCase(commune: \"oujda\", id: $id) {
  documents { id title kind fileName mediaType sizeBytes sha256 } } }";
/// A text only the document's content holds.
const SECRET: &str = "CONCLUSIONS-DE-L-EXPERT-LOT-17";

fn pdf() -> Vec<u8> {
    format!("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n% {SECRET}\ntrailer << /Root 1 0 R >>\n%%EOF\n")
        .into_bytes()
}

/// `POST /disputes/oujda/{case}/documents` with a `document` part and a file: the status and the JSON answer.
async fn attach(
    app: &TestApp,
    token: &str,
    case: &str,
    document: Value,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<(u16, Value)> {
    attach_keyed(app, token, case, document, (file_name, bytes), None).await
}

/// [`attach`] with an `Idempotency-Key`.
async fn attach_keyed(
    app: &TestApp,
    token: &str,
    case: &str,
    document: Value,
    (file_name, bytes): (&str, Vec<u8>),
    key: Option<&str>,
) -> Result<(u16, Value)> {
    let form = reqwest::multipart::Form::new()
        .text("document", document.to_string())
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned()));
    let mut request =
        app.client.post(app.url(&format!("/disputes/oujda/{case}/documents"))).bearer_auth(token).multipart(form);
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    let response = request.send().await?;
    let status = response.status().as_u16();
    Ok((status, response.json().await?))
}

/// `GET /disputes/oujda/{case}/documents/{id}`: the status, the content type and the bytes.
async fn open(app: &TestApp, token: &str, case: &str, id: &str) -> Result<(u16, String, Vec<u8>)> {
    let response =
        app.client.get(app.url(&format!("/disputes/oujda/{case}/documents/{id}"))).bearer_auth(token).send().await?;
    let status = response.status().as_u16();
    let media_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    Ok((status, media_type, response.bytes().await?.to_vec()))
}

async fn a_case_corrected_and_its_documents_sealed(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let legal = login(&app, "legal_affairs").await?;
    let agent = login(&app, "counter_agent").await?;
    let mut input = case_input("");
    input["requestCode"] = Value::Null;
    let opened = app.data(Some(&legal), OPEN, json!({ "i": input.clone() })).await?;
    let id = text(&opened["openDisputeCase"]["id"])?;
    let number = text(&opened["openDisputeCase"]["number"])?;

    // A correction: every failure at once, then the court, the stakes and the parties corrected, the number
    // kept, one audit event; the new party sealed like the first.
    let edit = json!({
        "subject": "Recours en annulation d'un arrêté d'alignement", "courtName": "Tribunal administratif",
        "courtCity": "Fès", "lawyerName": "Maître Idrissi", "lawyerBar": "Barreau d'Oujda",
        "stakesCentimes": "15000000",
        "parties": [{ "name": "Karim Benali-Zerhouni", "address": "3 rue Al Qods, Oujda" },
                    { "name": "Nadia Ouazzani-Chahdi" }],
    });
    let mut bad = edit.clone();
    bad["courtName"] = json!(" ");
    bad["parties"] = json!([]);
    let body = app.graphql(Some(&legal), EDIT, json!({ "id": id, "i": bad })).await?;
    assert_eq!(field_paths(&body), ["input.courtName", "input.parties"], "{body}");
    let body = app.graphql(Some(&agent), EDIT, json!({ "id": id, "i": edit })).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");
    let before = audit_events(&app).await?;
    let edited = app.data(Some(&legal), EDIT, json!({ "id": id, "i": edit })).await?;
    let case = &edited["updateDisputeCase"];
    assert_eq!(case["number"], json!(number), "{edited}");
    assert_eq!((&case["courtCity"], &case["stakesCentimes"]), (&json!("Fès"), &json!("15000000")), "{edited}");
    assert_eq!(case["parties"][1], json!({ "name": "Nadia Ouazzani-Chahdi", "address": null }), "{edited}");
    assert_eq!(audit_events(&app).await?, before + 1, "one correction, one event");
    let bytes = app.database_bytes()?;
    ensure!(bytes.contains("dispute.updated"), "the correction is in the trail");
    ensure!(!bytes.contains("Ouazzani-Chahdi"), "a party's name is stored in clear");
    // The same again changes nothing and records nothing.
    let again = app.data(Some(&legal), EDIT, json!({ "id": id, "i": edit })).await?;
    assert_eq!(again["updateDisputeCase"]["updatedAt"], case["updatedAt"], "{again}");
    assert_eq!(audit_events(&app).await?, before + 1, "nothing changed, nothing recorded");

    // A document: its type from its bytes, its content sealed, listed in the case file.
    let report = json!({ "title": "Rapport de l'expert géomètre", "kind": "expert_report" });
    let (status, body) = attach(&app, &legal, &id, json!({ "title": " ", "kind": "rumour" }), "a.pdf", pdf()).await?;
    assert_eq!(
        (status, field_paths(&body)),
        (422, vec!["document.title".to_owned(), "document.kind".to_owned()]),
        "{body}"
    );
    let (status, body) = attach(&app, &legal, &id, report.clone(), "rapport.docx", pdf()).await?;
    assert_eq!((status, field_paths(&body)), (422, vec!["file".to_owned()]), "{body}");
    let (status, body) = attach(&app, &agent, &id, report.clone(), "rapport.pdf", pdf()).await?;
    assert_eq!((status, error_codes(&body)), (403, vec!["FORBIDDEN".to_owned()]), "{body}");
    let before = audit_events(&app).await?;
    let key = "b7c1e0a4-5d2f-4c1e-9a3b-6f0d2e8c4a11";
    let (status, added) = attach_keyed(&app, &legal, &id, report.clone(), ("rapport.pdf", pdf()), Some(key)).await?;
    assert_eq!(status, 200, "{added}");
    // Sent again with its key (the answer lost on the way): the same document, none attached twice.
    let (status, again) = attach_keyed(&app, &legal, &id, report.clone(), ("rapport.pdf", pdf()), Some(key)).await?;
    assert_eq!((status, &again["id"]), (200, &added["id"]), "{again}");
    // The same key for another upload is refused.
    let (status, other) = attach_keyed(&app, &legal, &id, report, ("autre.pdf", pdf()), Some(key)).await?;
    assert_eq!((status, error_codes(&other)), (422, vec!["IDEMPOTENCY_KEY_REUSED".to_owned()]), "{other}");
    assert_eq!((&added["mediaType"], &added["kind"]), (&json!("application/pdf"), &json!("expert_report")), "{added}");
    assert_eq!(added["sizeBytes"], json!(pdf().len()), "{added}");
    assert_eq!(audit_events(&app).await?, before + 1, "one document, one event");
    ensure!(!app.database_bytes()?.contains(SECRET), "a document's content is stored in clear");
    let document = text(&added["id"])?;
    let listed = app.data(Some(&legal), DOCUMENTS, json!({ "id": id })).await?;
    let documents = &listed["disputeCase"]["documents"];
    assert_eq!(documents.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(documents[0]["id"], json!(document), "{listed}");
    assert_eq!(documents[0]["kind"], "EXPERT_REPORT", "{listed}");
    assert_eq!(documents[0]["sha256"], added["sha256"], "{listed}");

    // Opened by the legal office and the administrators, each opening audited; not by the counter; not
    // under another case's id.
    let before = audit_events(&app).await?;
    let (status, media_type, content) = open(&app, &legal, &id, &document).await?;
    assert_eq!((status, media_type.as_str()), (200, "application/pdf"));
    assert_eq!(content, pdf());
    let admin = login(&app, "commune_admin").await?;
    assert_eq!(open(&app, &admin, &id, &document).await?.2, pdf());
    assert_eq!(audit_events(&app).await?, before + 2, "each opening is an event");
    assert_eq!(open(&app, &agent, &id, &document).await?.0, 403);
    let other = app.data(Some(&legal), OPEN, json!({ "i": input })).await?;
    let other = text(&other["openDisputeCase"]["id"])?;
    assert_eq!(open(&app, &legal, &other, &document).await?.0, 404);

    // A closed case is neither corrected nor given documents.
    app.data(
        Some(&legal),
        "mutation($id: ID!) { closeDisputeCase(commune: \"oujda\", id: $id) { status } }",
        json!({ "id": id }),
    )
    .await?;
    let mut late = edit.clone();
    late["courtCity"] = json!("Rabat");
    let body = app.graphql(Some(&legal), EDIT, json!({ "id": id, "i": late })).await?;
    assert_eq!(field_paths(&body), ["id"], "{body}");
    let (status, body) =
        attach(&app, &legal, &id, json!({ "title": "Tardif", "kind": "other" }), "t.pdf", pdf()).await?;
    assert_eq!((status, field_paths(&body)), (422, vec!["id".to_owned()]), "{body}");
    Ok(())
}
