//! The commune's disputes over real HTTP, on SQLite and PostgreSQL: the legal-affairs office opens a case
//! (numbered per year, its parties sealed, referring to a complaint of the commune), sets a hearing whose
//! reminder the scheduler records once, a few working days before, for the member who follows the case; a
//! decision counts the appeal deadline, an appeal is lodged by it; the indicators show the open cases and
//! their stakes, never a party. Only the legal-affairs office and the administrators read the cases.

use anyhow::{Context as _, Result, ensure};
use chrono::{DateTime, Datelike, Duration, Utc, Weekday};
use jamaa_core::service::demo::DEMO_PASSWORD;
use jamaa_tests::app::{Backend, TestApp, error_codes, field_paths};
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(a_dispute_with_a_hearing_reminder);

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
    assert_eq!(case["number"], json!(format!("LIT-{year}-000001")), "{opened}");
    assert_eq!((&case["status"], &case["stakesCentimes"]), (&json!("OPEN"), &json!("12500000")), "{opened}");
    assert_eq!(case["requestCode"], json!(code), "{opened}");
    ensure!(!app.database_bytes()?.contains("Benali-Zerhouni"), "a party's name is stored in clear");
    let second = app.data(Some(&legal), OPEN, json!({ "i": case_input(&code) })).await?;
    assert_eq!(second["openDisputeCase"]["number"], json!(format!("LIT-{year}-000002")), "{second}");

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

    // The indicators: two open cases and their stakes, and no party.
    let figures = app.data(None, INDICATORS, json!({})).await?;
    assert_eq!(figures["indicators"]["disputes"], json!({ "open": 2, "stakesCentimes": "25000000" }));
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
    assert_eq!(figures["indicators"]["disputes"], json!({ "open": 1, "stakesCentimes": "12500000" }));
    Ok(())
}
