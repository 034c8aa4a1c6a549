//! Deadlines per step, end to end over real HTTP on SQLite and PostgreSQL: Oujda publishes its access-to-
//! information procedure with the urgent path's 3 working days (law 31.13) given a reminder one working day
//! before (a commune setting) and an escalation to the president; the checks refuse a reminder outside the
//! SLA, an SLA beyond the procedure's deadline and an unknown role. An urgent request left unanswered gets its
//! step's due date on the commune's calendar, its reminder and then its escalation, each once with two
//! schedulers and a re-run (a step of its history, an outbox event, an audit event), and shows as overdue in
//! the inbox (field, filter, count); one answered in time does not. The indicators count the steps of the
//! urgent state and how many ended within their SLA. A holiday an operator sets after a step began moves its
//! due date, its reminder and its escalation one working day later.

use anyhow::{Context as _, Result};
use jamaa_tests::app::{Backend, TestApp, error_codes, field_paths};
use jamaa_tests::clock::TestClock;
use serde_json::{Value, json};

use crate::complaints::{audit_events, deliveries_of, steps};

jamaa_tests::on_both_backends!(
    an_overdue_step_is_reminded_escalated_shown_and_counted,
    a_new_holiday_moves_a_step_and_its_reminder_and_escalation
);

const DEFINITION: &str = "query { service(commune: \"oujda\", code: \"acces-information\") { definition } }";
const PUBLISH: &str = "mutation($d: JSON!) { publishService(commune: \"oujda\", definition: $d) }";
const SUBMIT: &str = "mutation($input: SubmitRequestInput!) { submitRequest(commune: \"oujda\", input: $input) {
    secret request { id trackingCode version }
} }";
const ACT: &str = "mutation($id: ID!, $a: String!, $v: Int!, $comment: String) {
    actOnRequest(commune: \"oujda\", id: $id, action: $a, expectedVersion: $v, comment: $comment) {
        state version stepDueDate stepOverdue
    }
}";
const REQUEST: &str = "query($id: ID!) { request(commune: \"oujda\", id: $id, locale: \"fr\") {
    state version stepDueDate stepOverdue history { action actionLabel actor }
} }";
const TRACK: &str = "query($code: String!, $secret: String!) {
    trackRequest(trackingCode: $code, secret: $secret) { stepDueDate stepOverdue history { action } }
}";
const OVERDUE: &str = "{
    requests(commune: \"oujda\", serviceCode: \"acces-information\", stepOverdue: true, first: 50) {
        totalCount edges { node { id stepDueDate stepOverdue } }
    }
    inboxCounts(commune: \"oujda\", serviceCode: \"acces-information\") { stepOverdue }
}";
const INDICATORS: &str = "{ indicators(commune: \"oujda\", from: \"2026-04-01\", to: \"2026-04-30\") {
    byService { serviceCode steps { state measured withinSla withinSlaShare } }
} }";

fn urgent_request() -> Value {
    json!({ "serviceCode": "acces-information", "data": {
        "requester_name": "Samira Bennani",
        "cin": "AB123456",
        "information_requested": "Le plan d'évacuation du quartier inondé hier soir.",
        "delivery_mode": "email",
        "urgent": true,
        "urgency_reason": "Des familles doivent être relogées avant la prochaine crue.",
    } })
}

/// The figures of the urgent state's steps.
async fn urgent_steps(app: &TestApp) -> Result<Value> {
    let data = app.data(None, INDICATORS, json!({})).await?;
    let services = data["indicators"]["byService"].as_array().context("byService")?;
    let service = services.iter().find(|s| s["serviceCode"] == "acces-information").context("the service")?;
    let steps = service["steps"].as_array().context("steps")?;
    Ok(steps.iter().find(|s| s["state"] == "urgent").cloned().unwrap_or(Value::Null))
}

async fn an_overdue_step_is_reminded_escalated_shown_and_counted(backend: Backend) -> Result<()> {
    // Monday 13 April 2026, 10:00 in Oujda.
    let clock = TestClock::at("2026-04-13T09:00:00Z")?;
    let app = TestApp::spawn_with_clock(backend, clock.clock()).await?;
    let staff = app.staff("oujda").to_owned();
    let shipped = app.data(None, DEFINITION, json!({})).await?["service"]["definition"].clone();
    let states = shipped["workflow"]["states"].as_array().context("states")?;
    let urgent = states.iter().position(|s| s["key"] == "urgent").context("the urgent state")?;
    assert_eq!(shipped["workflow"]["states"][urgent]["slaDays"], 3);

    // The checks: a reminder as long as the SLA, an SLA beyond the procedure's 20 working days, a role the
    // commune does not have.
    let path = |key: &str| format!("workflow.states[{urgent}].{key}");
    let cases = [
        (json!({ "reminder": { "daysBefore": 3, "basis": "communeSetting" } }), path("reminder.daysBefore")),
        (json!({ "slaDays": 25 }), path("slaDays")),
        (json!({ "escalateTo": "service_head" }), path("escalateTo")),
    ];
    for (change, expected) in cases {
        let mut broken = shipped.clone();
        for (key, value) in change.as_object().context("a change")? {
            broken["workflow"]["states"][urgent][key] = value.clone();
        }
        let refused = app.graphql(Some(&staff), PUBLISH, json!({ "d": broken })).await?;
        assert_eq!(error_codes(&refused), ["VALIDATION_FAILED"], "{refused}");
        assert_eq!(field_paths(&refused), [expected], "{refused}");
    }
    let mut timed = shipped.clone();
    timed["workflow"]["states"][urgent]["reminder"] = json!({ "daysBefore": 1, "basis": "communeSetting" });
    timed["workflow"]["states"][urgent]["escalateTo"] = json!("president");
    app.data(Some(&staff), PUBLISH, json!({ "d": timed })).await?;

    // A webhook that takes only the deadline steps: its deliveries are the outbox events of those steps.
    app.data(
        Some(&staff),
        "mutation($i: WebhookEndpointInput!) { createWebhookEndpoint(commune: \"oujda\", input: $i) { secret } }",
        json!({ "i": { "url": "https://hooks.example.org/jamaa", "events": ["request.deadline"] } }),
    )
    .await?;

    // Two urgent requests, both taken on the urgent path on Monday: due in 3 working days, Thursday 16 April.
    let late = app.data(None, SUBMIT, json!({ "input": urgent_request() })).await?;
    let late = &late["submitRequest"];
    let (id, code, secret) = (&late["request"]["id"], &late["request"]["trackingCode"], &late["secret"]);
    let in_time = app.data(None, SUBMIT, json!({ "input": urgent_request() })).await?;
    let in_time_id = in_time["submitRequest"]["request"]["id"].clone();
    for request in [id, &in_time_id] {
        let taken = app.data(Some(&staff), ACT, json!({ "id": request, "a": "treat_as_urgent", "v": 1 })).await?;
        let taken = &taken["actOnRequest"];
        assert_eq!((taken["state"].clone(), taken["stepDueDate"].clone()), (json!("urgent"), json!("2026-04-16")));
        assert_eq!(taken["stepOverdue"], false);
    }
    // One is answered on Wednesday, within its SLA: its step ends, and no reminder or escalation remains.
    clock.set("2026-04-15T09:00:00Z")?;
    let comment = "Le plan d'évacuation est joint à cette réponse.";
    let answered = app.data(Some(&staff), ACT, json!({ "id": in_time_id, "a": "answer", "v": 2, "comment": comment }));
    let answered = answered.await?;
    assert_eq!(answered["actOnRequest"]["stepDueDate"], Value::Null);

    let jamaa = app.jamaa().await?;
    let other = app.jamaa().await?;
    let request = |id: &Value| app.data(Some(&staff), REQUEST, json!({ "id": id }));

    // Thursday noon: the reminder (the end of Wednesday, one working day before the due day), with two
    // schedulers at once and a re-run; the escalation is not due yet.
    clock.set("2026-04-16T11:00:00Z")?;
    let at = "2026-04-16T11:00:00Z".parse()?;
    let before = audit_events(&app).await?;
    let (a, b) = tokio::join!(jamaa.run_due_timers(at), other.run_due_timers(at));
    // Every timer fired (the demo's own files have some) is one audit event.
    let fired = i64::try_from(a?.fired + b?.fired)?;
    assert!(fired >= 1);
    assert_eq!(audit_events(&app).await?, before + fired);
    assert_eq!(jamaa.run_due_timers(at).await?.fired, 0, "nothing is left to fire");
    let seen = request(id).await?;
    assert_eq!(steps(&seen["request"]), ["submit", "treat_as_urgent", "sla.reminder"], "{seen}");
    let reminder = &seen["request"]["history"][2];
    assert_eq!(
        (reminder["actionLabel"].clone(), reminder["actor"].clone()),
        (json!("Rappel : le délai de cette étape arrive à son terme"), json!("system"))
    );
    assert_eq!(
        (seen["request"]["state"].clone(), seen["request"]["stepOverdue"].clone()),
        (json!("urgent"), json!(false))
    );
    assert_eq!(deliveries_of(&app, id).await?, 1, "the reminder is an event of the outbox");

    // Friday noon: the due day is over. The escalation, once, with two schedulers, a re-run and later.
    clock.set("2026-04-17T11:00:00Z")?;
    let at = "2026-04-17T11:00:00Z".parse()?;
    let before = audit_events(&app).await?;
    let (a, b) = tokio::join!(jamaa.run_due_timers(at), other.run_due_timers(at));
    // Every timer fired (the demo's own files have some) is one audit event.
    let fired = i64::try_from(a?.fired + b?.fired)?;
    assert!(fired >= 1);
    assert_eq!(audit_events(&app).await?, before + fired);
    assert_eq!(jamaa.run_due_timers(at).await?.fired, 0, "nothing is left to fire");
    assert_eq!(jamaa.run_due_timers("2026-04-17T20:00:00Z".parse()?).await?.fired, 0, "nor later");
    let seen = request(id).await?;
    assert_eq!(steps(&seen["request"]), ["submit", "treat_as_urgent", "sla.reminder", "sla.escalated"], "{seen}");
    assert_eq!(seen["request"]["history"][3]["actionLabel"], "Délai de l'étape dépassé : signalé au responsable");
    assert_eq!(seen["request"]["state"], "urgent", "an escalation tells; the request is still to answer");
    assert_eq!(seen["request"]["stepOverdue"], true);
    assert_eq!(deliveries_of(&app, id).await?, 2);

    // The inbox shows it overdue (the filter, the field, the count); the one answered in time is not.
    let inbox = app.data(Some(&staff), OVERDUE, json!({})).await?;
    let nodes = inbox["requests"]["edges"].as_array().context("edges")?;
    let ids: Vec<&Value> = nodes.iter().map(|e| &e["node"]["id"]).collect();
    assert_eq!(ids, [id], "{inbox}");
    assert_eq!(nodes[0]["node"]["stepDueDate"], "2026-04-16");
    assert_eq!(nodes[0]["node"]["stepOverdue"], true);
    assert_eq!(inbox["inboxCounts"]["stepOverdue"], 1, "{inbox}");
    let others = app
        .data(
            Some(&staff),
            "query($id: ID!) { request(commune: \"oujda\", id: $id) { stepDueDate stepOverdue } }",
            json!({ "id": in_time_id }),
        )
        .await?;
    assert_eq!(others["request"], json!({ "stepDueDate": null, "stepOverdue": false }));

    // The applicant sees neither the reminder nor the escalation, nor the step's due date.
    let tracked = app.data(None, TRACK, json!({ "code": code, "secret": secret })).await?;
    let tracked = &tracked["trackRequest"];
    assert_eq!(steps(tracked), ["submit", "treat_as_urgent"]);
    assert_eq!((tracked["stepDueDate"].clone(), tracked["stepOverdue"].clone()), (Value::Null, json!(false)));

    // The indicators: two steps of the urgent state measured, one ended within its SLA; the late one still
    // counts as outside when it is answered at last.
    let expected = json!({ "state": "urgent", "measured": 2, "withinSla": 1, "withinSlaShare": 0.5 });
    assert_eq!(urgent_steps(&app).await?, expected);
    let answered = app.data(Some(&staff), ACT, json!({ "id": id, "a": "answer", "v": 2, "comment": comment })).await?;
    assert_eq!(answered["actOnRequest"]["stepOverdue"], false);
    assert_eq!(urgent_steps(&app).await?, expected);
    let inbox = app.data(Some(&staff), OVERDUE, json!({})).await?;
    assert_eq!(inbox["requests"]["totalCount"], 0, "{inbox}");
    app.stop().await
}

const SET_HOLIDAYS: &str = r#"mutation($year: Int!, $h: [DatedHolidayInput!]!) {
  setDatedHolidays(commune: "oujda", year: $year, holidays: $h) { communes requestsMoved }
}"#;

/// Publishes the access-to-information procedure with the urgent state's reminder and escalation.
async fn publish_timed(app: &TestApp, staff: &str) -> Result<()> {
    let mut definition = app.data(None, DEFINITION, json!({})).await?["service"]["definition"].clone();
    let states = definition["workflow"]["states"].as_array_mut().context("states")?;
    let urgent = states.iter_mut().find(|s| s["key"] == "urgent").context("the urgent state")?;
    urgent["reminder"] = json!({ "daysBefore": 1, "basis": "communeSetting" });
    urgent["escalateTo"] = json!("president");
    app.data(Some(staff), PUBLISH, json!({ "d": definition })).await?;
    Ok(())
}

async fn a_new_holiday_moves_a_step_and_its_reminder_and_escalation(backend: Backend) -> Result<()> {
    // Monday 13 April 2026, 10:00 in Oujda.
    let clock = TestClock::at("2026-04-13T09:00:00Z")?;
    let app = TestApp::spawn_with_clock(backend, clock.clock()).await?;
    let staff = app.staff("oujda").to_owned();
    publish_timed(&app, &staff).await?;
    let filed = app.data(None, SUBMIT, json!({ "input": urgent_request() })).await?;
    let id = filed["submitRequest"]["request"]["id"].clone();
    let taken = app.data(Some(&staff), ACT, json!({ "id": id, "a": "treat_as_urgent", "v": 1 })).await?;
    assert_eq!(taken["actOnRequest"]["stepDueDate"], "2026-04-16");

    // On Tuesday the operator makes Wednesday 15 April a day off in Oujda: the step is due on Friday 17, its
    // reminder at the end of Thursday 16 (the decision date, 3 working days too, moves as well).
    clock.set("2026-04-14T09:00:00Z")?;
    let day_off = json!([{
        "date": "2026-04-15",
        "names": [
            { "locale": "ar", "text": "يوم عطلة استثنائي" },
            { "locale": "fr", "text": "Jour chômé exceptionnel" },
            { "locale": "tzm", "text": "ⴰⵙⵙ ⵏ ⵓⵙⴳⵓⵏⴼⵓ" },
            { "locale": "en", "text": "Exceptional day off" },
        ],
        "source": "Décret n° 2-05-916, art. 3 : jour chômé exceptionnel",
    }]);
    let set = app.data(Some(&app.operator), SET_HOLIDAYS, json!({ "year": 2026, "h": day_off })).await?;
    assert_eq!(set["setDatedHolidays"]["communes"], 1, "{set}");
    let seen = app.data(Some(&staff), REQUEST, json!({ "id": id })).await?;
    assert_eq!(seen["request"]["stepDueDate"], "2026-04-17", "{seen}");

    let jamaa = app.jamaa().await?;
    let actions = |at: &'static str| {
        let (jamaa, app, staff, id) = (&jamaa, &app, &staff, &id);
        async move {
            jamaa.run_due_timers(at.parse()?).await?;
            let seen = app.data(Some(staff), REQUEST, json!({ "id": id })).await?;
            anyhow::Ok(steps(&seen["request"]))
        }
    };
    // Thursday noon: the reminder once due at the end of Wednesday waits for the end of Thursday.
    let before = ["submit", "treat_as_urgent", "holidays_changed"];
    assert_eq!(actions("2026-04-16T11:00:00Z").await?, before);
    // Friday noon: the reminder; the escalation waits for the end of Friday.
    assert_eq!(actions("2026-04-17T11:00:00Z").await?, [&before[..], &["sla.reminder"]].concat());
    // Saturday: the escalation, once.
    let all = [&before[..], &["sla.reminder", "sla.escalated"]].concat();
    assert_eq!(actions("2026-04-18T11:00:00Z").await?, all);
    assert_eq!(actions("2026-04-20T11:00:00Z").await?, all);
    app.stop().await
}
