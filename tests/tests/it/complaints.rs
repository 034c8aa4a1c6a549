//! A complaint's answer period (decree 2-17-265: 60 days), end to end over real HTTP on SQLite and PostgreSQL:
//! its staff are reminded seven days before the end (a commune setting), and a complaint still unanswered at
//! the end has its lapse recorded, each once, whatever state it went through and however many schedulers run;
//! an answered complaint gets neither.

use anyhow::{Context as _, Result};
use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use jamaa_tests::app::{Backend, TestApp, entity_id};
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(an_unanswered_complaint_is_reminded_then_lapses_once);

const SUBMIT: &str = "mutation($input: SubmitRequestInput!) { submitRequest(commune: \"oujda\", input: $input) {
    secret request { id trackingCode version decisionDue }
} }";
const ACT: &str = "mutation($id: ID!, $a: String!, $v: Int!, $comment: String) {
    actOnRequest(commune: \"oujda\", id: $id, action: $a, expectedVersion: $v, comment: $comment) { state version }
}";
const REQUEST: &str = "query($id: ID!) { request(commune: \"oujda\", id: $id, locale: \"en\") {
    state lapsedAt history { action actionLabel actor }
} }";
const TRACK: &str = "query($code: String!, $secret: String!) {
    trackRequest(trackingCode: $code, secret: $secret, locale: \"fr\") { lapsedAt history { action actionLabel } }
}";
const INBOX: &str = "{ requests(commune: \"oujda\", serviceCode: \"reclamation\", first: 50) {
    edges { node { id lapsedAt } }
} }";
const DELIVERIES: &str = "{ notificationDeliveries(commune: \"oujda\", first: 100) { nodes { requestId sequence } } }";
const AUDIT: &str = "{ auditVerify(commune: \"oujda\") { valid eventsChecked } }";

fn complaint(description: &str) -> Value {
    json!({ "serviceCode": "reclamation", "data": {
        "subject": "lighting", "description": description, "location": { "address": "Bd Mohammed V" }
    } })
}

/// Noon (UTC) of the day `days` after `date` (before it when negative).
fn noon(date: NaiveDate, days: i64) -> Result<DateTime<Utc>> {
    let day = if days >= 0 {
        date.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        date.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    Ok(day.context("a date")?.and_time(NaiveTime::from_hms_opt(12, 0, 0).context("noon")?).and_utc())
}

/// The actions of a request's history, in order.
pub(crate) fn steps(request: &Value) -> Vec<String> {
    request["history"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["action"].as_str().map(str::to_owned))
        .collect()
}

/// The deliveries to the test's webhook of a request's events.
pub(crate) async fn deliveries_of(app: &TestApp, id: &Value) -> Result<usize> {
    let data = app.data(Some(app.staff("oujda")), DELIVERIES, json!({})).await?;
    let id = entity_id(id.as_str().context("an id")?);
    Ok(data["notificationDeliveries"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["requestId"] == id)
        .count())
}

pub(crate) async fn audit_events(app: &TestApp) -> Result<i64> {
    let data = app.data(Some(app.staff("oujda")), AUDIT, json!({})).await?;
    assert_eq!(data["auditVerify"]["valid"], true, "{data}");
    data["auditVerify"]["eventsChecked"].as_i64().context("a count")
}

async fn an_unanswered_complaint_is_reminded_then_lapses_once(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let staff = app.staff("oujda").to_owned();
    // A webhook that takes only the deadline steps: its deliveries are the outbox events of those steps.
    app.data(
        Some(&staff),
        "mutation($i: WebhookEndpointInput!) { createWebhookEndpoint(commune: \"oujda\", input: $i) { secret } }",
        json!({ "i": { "url": "https://hooks.example.org/jamaa", "events": ["request.deadline"] } }),
    )
    .await?;

    let left = app
        .data(None, SUBMIT, json!({ "input": complaint("Le lampadaire de la place est éteint depuis un mois.") }))
        .await?;
    let left = &left["submitRequest"];
    let (id, code, secret) = (&left["request"]["id"], &left["request"]["trackingCode"], &left["secret"]);
    let due: NaiveDate = serde_json::from_value(left["request"]["decisionDue"].clone())?;
    let answered =
        app.data(None, SUBMIT, json!({ "input": complaint("Un trou dangereux sur le trottoir de l'avenue.") })).await?;
    let answered_id = answered["submitRequest"]["request"]["id"].clone();
    app.data(Some(&staff), ACT, json!({ "id": answered_id, "a": "acknowledge", "v": 1 })).await?;
    app.data(
        Some(&staff),
        ACT,
        json!({ "id": answered_id, "a": "answer", "v": 2, "comment": "Le trou a été comblé." }),
    )
    .await?;

    let jamaa = app.jamaa().await?;
    let other = app.jamaa().await?;
    let request = |id: &Value| app.data(Some(&staff), REQUEST, json!({ "id": id }));

    // Eight days before the end: the workflow's own timer escalated the complaint (a state change, which the
    // answer period survives), and no reminder yet.
    jamaa.run_due_timers(noon(due, -8)?).await?;
    let seen = request(id).await?;
    assert_eq!(seen["request"]["state"], "escalated", "{seen}");
    assert_eq!(steps(&seen["request"]), ["submit", "escalate"]);
    let before = audit_events(&app).await?;

    // Seven days before: two schedulers at once, then a third; the reminder is recorded once.
    let at = noon(due, -6)?;
    let (a, b) = tokio::join!(jamaa.run_due_timers(at), other.run_due_timers(at));
    assert!(a?.fired + b?.fired >= 1);
    assert_eq!(jamaa.run_due_timers(at).await?.fired, 0, "nothing is left to fire");
    let seen = request(id).await?;
    assert_eq!(steps(&seen["request"]), ["submit", "escalate", "answer_reminder"]);
    let reminder = &seen["request"]["history"][2];
    assert_eq!(
        (reminder["actionLabel"].clone(), reminder["actor"].clone()),
        (json!("Reminder: the answer period is about to end"), json!("system"))
    );
    assert_eq!(seen["request"]["lapsedAt"], Value::Null);
    assert_eq!(deliveries_of(&app, id).await?, 1, "the reminder is an event of the outbox");
    // Its audit event, and that of the demo's sample complaint, unanswered too.
    assert_eq!(audit_events(&app).await?, before + 2);

    // The day after the end: the lapse, once, with two schedulers and a re-run.
    let at = noon(due, 1)?;
    let (a, b) = tokio::join!(jamaa.run_due_timers(at), other.run_due_timers(at));
    assert!(a?.fired + b?.fired >= 1);
    assert_eq!(jamaa.run_due_timers(at).await?.fired, 0, "nothing is left to fire");
    assert_eq!(jamaa.run_due_timers(noon(due, 30)?).await?.fired, 0, "nor later");
    let seen = request(id).await?;
    assert_eq!(steps(&seen["request"]), ["submit", "escalate", "answer_reminder", "answer_lapsed"]);
    assert_eq!(seen["request"]["history"][3]["actionLabel"], "Answer period ended without an answer");
    assert_eq!(seen["request"]["state"], "escalated", "a lapse is recorded; the complaint is still to answer");
    let lapsed_at = seen["request"]["lapsedAt"].as_str().context("lapsed")?.to_owned();
    assert_eq!(deliveries_of(&app, id).await?, 2);
    assert_eq!(audit_events(&app).await?, before + 4);

    // The inbox marks it; the applicant sees the lapse, not the reminder to the staff.
    let inbox = app.data(Some(&staff), INBOX, json!({})).await?;
    let nodes = inbox["requests"]["edges"].as_array().context("edges")?;
    let lapsed_in_inbox =
        |id: &Value| nodes.iter().find(|e| &e["node"]["id"] == id).map(|e| e["node"]["lapsedAt"].clone());
    assert_eq!(lapsed_in_inbox(id), Some(json!(lapsed_at)), "{inbox}");
    assert_eq!(lapsed_in_inbox(&answered_id), Some(Value::Null), "{inbox}");
    let tracked = app.data(None, TRACK, json!({ "code": code, "secret": secret })).await?;
    assert_eq!(steps(&tracked["trackRequest"]), ["submit", "escalate", "answer_lapsed"]);
    assert_eq!(tracked["trackRequest"]["history"][2]["actionLabel"], "Délai de réponse expiré sans réponse");

    // The complaint answered in time got neither.
    let seen = request(&answered_id).await?;
    let got = steps(&seen["request"]);
    assert!(!got.iter().any(|s| s.starts_with("answer_")), "{got:?}");
    assert_eq!(seen["request"]["lapsedAt"], Value::Null);
    assert_eq!(deliveries_of(&app, &answered_id).await?, 0);
    app.stop().await
}
