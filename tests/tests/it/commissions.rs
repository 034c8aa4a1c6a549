//! Commissions, end to end over real HTTP on SQLite and PostgreSQL, on the Moroccan standard's large-project
//! building permit as Oujda runs it: the counter accepts the file, which goes before a commission of three
//! bodies (the urban agency, civil protection, the commune's technical service), each with its delay in working
//! days; civil protection is favourable with conditions, the technical service favourable, the urban agency
//! says nothing and its silence counts at the end of its delay, so the request moves by itself. Its review then
//! runs late and escalates to the president; the technical service files its site-visit report (a staff form);
//! the head of service approves; the decision, stating the condition, is issued as a bilingual PDF that
//! `/verify` confirms. A second file meets an unfavourable opinion: only a refusal remains, and no silence can
//! approve it. The applicant sees the commission's decision, not each body's opinion.

use anyhow::{Context as _, Result, ensure};
use jamaa_core::service::demo::DEMO_PASSWORD;
use jamaa_tests::app::{Backend, TestApp, error_codes, field_paths};
use jamaa_tests::clock::TestClock;
use sea_orm::{ConnectionTrait as _, DbBackend, Statement, TransactionTrait as _};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::staff_forms::large_project;

jamaa_tests::on_both_backends!(a_large_project_goes_through_a_commission_to_a_verified_decision);

const SUBMIT: &str = "mutation($input: SubmitRequestInput!) { submitRequest(commune: \"oujda\", input: $input) {
    secret request { id trackingCode version }
} }";
const ACT: &str = "mutation($id: ID!, $a: String!, $v: Int!, $form: JSON, $c: String) {
    actOnRequest(commune: \"oujda\", id: $id, action: $a, expectedVersion: $v, form: $form, comment: $c) {
        state version
    }
}";
const OPINION: &str = "mutation($id: ID!, $body: String, $o: Opinion!, $r: String) {
    giveOpinion(commune: \"oujda\", id: $id, body: $body, opinion: $o, reasons: $r) {
        state version commission { outcome bodies { role opinion { opinion silent reasons } } yours }
    }
}";
const REQUEST: &str = "query($id: ID!) { request(commune: \"oujda\", id: $id, locale: \"fr\") {
    state version stepDueDate stepOverdue availableActions { key }
    commission {
        state rule silenceCountsAs enteredOn outcome yours
        bodies { role label delayDays delayBasis due opinion { opinion silent reasons givenBy } }
    }
    history { action actionLabel actor comment }
} }";
const TRACK: &str = "query($code: String!, $secret: String!) {
    trackRequest(trackingCode: $code, secret: $secret) { state commission { outcome } history { action } }
}";
const DECISION: &str = "mutation($id: ID!) { issueRequestDecision(commune: \"oujda\", requestId: $id) {
    code text pdfPath pdfFingerprint
} }";
const VERIFY: &str = "query($code: String!, $pdf: String) { verifyDocument(code: $code, pdfFingerprint: $pdf) {
    pdfMatches kind
} }";
const AUDIT: &str = "{ auditVerify(commune: \"oujda\") { valid } }";

fn text(value: &Value) -> Result<String> {
    value.as_str().map(str::to_owned).with_context(|| format!("not a string: {value}"))
}

/// The sessions of Oujda's counter agent, head of service, president and of a member of each body (signed in
/// again after the clock moves: a session lasts a working day).
async fn logins(app: &TestApp) -> Result<[String; 6]> {
    let mut tokens = Vec::new();
    for role in
        ["counter_agent", "head_of_service", "president", "urban_agency", "civil_protection", "technical_service"]
    {
        tokens.push(app.login(&format!("oujda.{role}"), DEMO_PASSWORD).await?);
    }
    <[String; 6]>::try_from(tokens).map_err(|_| anyhow::anyhow!("six logins"))
}

fn actions(request: &Value) -> Vec<String> {
    request["availableActions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["key"].as_str())
        .map(Into::into)
        .collect()
}

async fn a_large_project_goes_through_a_commission_to_a_verified_decision(backend: Backend) -> Result<()> {
    // Monday 13 April 2026, 10:00 in Oujda.
    let clock = TestClock::at("2026-04-13T09:00:00Z")?;
    let app = TestApp::spawn_with_clock(backend, clock.clock()).await?;
    let [counter, head, _, _, protection, technical] = logins(&app).await?;
    let staff = app.staff("oujda").to_owned();
    let jamaa = app.jamaa().await?;
    let request = |id: &Value, token: &str| {
        let token = token.to_owned();
        let id = id.clone();
        let app = &app;
        async move {
            Ok::<Value, anyhow::Error>(app.data(Some(&token), REQUEST, json!({ "id": id })).await?["request"].clone())
        }
    };

    let filed = app.data(None, SUBMIT, json!({ "input": large_project() })).await?;
    let filed = &filed["submitRequest"];
    let (id, code, secret) = (&filed["request"]["id"], &filed["request"]["trackingCode"], &filed["secret"]);
    // No body gives an opinion before the file is accepted.
    let early = app.graphql(Some(&protection), OPINION, json!({ "id": id, "o": "FAVOURABLE" })).await?;
    assert_eq!(error_codes(&early), ["CONFLICT"], "{early}");
    let accepted = app.data(Some(&counter), ACT, json!({ "id": id, "a": "accept_file", "v": 1 })).await?;
    assert_eq!(accepted["actOnRequest"], json!({ "state": "in_commission", "version": 2 }));

    // The commission: three bodies, their delays (commune settings) counted on Oujda's calendar from Monday.
    let seen = request(id, &head).await?;
    let commission = &seen["commission"];
    assert_eq!(commission["state"], "in_commission");
    assert_eq!(commission["rule"], "ANY_UNFAVOURABLE_BLOCKS");
    assert_eq!(commission["silenceCountsAs"], "FAVOURABLE");
    assert_eq!(commission["enteredOn"], "2026-04-13");
    assert_eq!(commission["outcome"], "PENDING");
    assert_eq!(commission["yours"], json!([]), "the head of service is of no body");
    let bodies: Vec<(String, Value, Value)> = commission["bodies"]
        .as_array()
        .context("bodies")?
        .iter()
        .map(|b| Ok((text(&b["role"])?, b["delayDays"].clone(), b["due"].clone())))
        .collect::<Result<_>>()?;
    assert_eq!(
        bodies,
        [
            ("urban_agency".to_owned(), json!(10), json!("2026-04-27")),
            ("civil_protection".to_owned(), json!(10), json!("2026-04-27")),
            ("technical_service".to_owned(), json!(7), json!("2026-04-22")),
        ]
    );
    assert_eq!(commission["bodies"][0]["label"], "Agence urbaine");
    assert!(commission["bodies"][0]["delayBasis"].is_null(), "a commune setting");
    assert!(actions(&seen).iter().all(|a| a == "tacit_approval" || a == "withdraw"), "{seen}");
    let theirs = request(id, &protection).await?;
    assert_eq!(theirs["commission"]["yours"], json!(["civil_protection"]));

    // Who may not give an opinion, and an opinion without its reasons.
    let refused = app.graphql(Some(&counter), OPINION, json!({ "id": id, "o": "FAVOURABLE" })).await?;
    assert_eq!(error_codes(&refused), ["FORBIDDEN"], "{refused}");
    let refused = app.graphql(Some(&head), OPINION, json!({ "id": id, "o": "FAVOURABLE" })).await?;
    assert_eq!(error_codes(&refused), ["FORBIDDEN"], "{refused}");
    let refused = app
        .graphql(Some(&protection), OPINION, json!({ "id": id, "o": "FAVOURABLE_WITH_CONDITIONS", "r": " " }))
        .await?;
    assert_eq!(field_paths(&refused), ["reasons"], "{refused}");
    // A member of every body names the one whose opinion it gives.
    let refused = app.graphql(Some(&staff), OPINION, json!({ "id": id, "o": "FAVOURABLE" })).await?;
    assert_eq!(field_paths(&refused), ["body"], "{refused}");
    let refused =
        app.graphql(Some(&protection), OPINION, json!({ "id": id, "body": "urban_agency", "o": "FAVOURABLE" }));
    assert_eq!(field_paths(&refused.await?), ["body"]);

    // Civil protection sets conditions; the technical service agrees. The urban agency is still to speak.
    let condition = "Prévoir deux issues de secours par cage d'escalier et une colonne sèche.";
    let given = app
        .data(Some(&protection), OPINION, json!({ "id": id, "o": "FAVOURABLE_WITH_CONDITIONS", "r": condition }))
        .await?;
    let given = &given["giveOpinion"];
    assert_eq!((given["state"].clone(), given["version"].clone()), (json!("in_commission"), json!(2)));
    assert_eq!(given["commission"]["outcome"], "PENDING");
    assert_eq!(given["commission"]["yours"], json!([]));
    let again = app.graphql(Some(&protection), OPINION, json!({ "id": id, "o": "UNFAVOURABLE", "r": "Non." })).await?;
    assert_eq!(error_codes(&again), ["CONFLICT"], "{again}");
    app.data(Some(&technical), OPINION, json!({ "id": id, "o": "FAVOURABLE" })).await?;

    // Before the end of the agency's delay nothing moves; the day after, its silence counts and the request
    // moves by itself to review.
    jamaa.run_due_timers("2026-04-27T12:00:00Z".parse()?).await?;
    assert_eq!(request(id, &head).await?["state"], "in_commission");
    clock.set("2026-04-28T08:00:00Z")?;
    if let Some((_, database)) = &app.pg {
        // A change of the request under way (its row locked, as a member's opinion locks it) does not hold the
        // scheduler: it leaves the agency's silence to its next run rather than wait for the request while it
        // holds the timers that change would cancel (the two would deadlock).
        let other = sea_orm::Database::connect(database.superuser_url.clone()).await?;
        let holding = other.begin().await?;
        let row: uuid::Uuid = jamaa_tests::app::entity_id(&text(id)?).parse()?;
        let lock = "SELECT 1 FROM requests WHERE id = $1 FOR UPDATE";
        holding.execute_raw(Statement::from_sql_and_values(DbBackend::Postgres, lock, [row.into()])).await?;
        let waited = std::time::Duration::from_secs(20);
        let run = tokio::time::timeout(waited, jamaa.run_due_timers("2026-04-28T08:00:00Z".parse()?)).await;
        run.context("the scheduler waited for a request another transaction holds")??;
        let held = request(id, &staff).await?;
        assert_eq!((held["state"].clone(), held["version"].clone()), (json!("in_commission"), json!(2)), "{held}");
        holding.rollback().await?;
    }
    jamaa.run_due_timers("2026-04-28T08:00:00Z".parse()?).await?;
    let head = logins(&app).await?[1].clone();
    let reviewed = request(id, &head).await?;
    assert_eq!(reviewed["state"], "under_review", "{reviewed}");
    assert_eq!(reviewed["version"], 3);
    assert!(reviewed["commission"].is_null(), "{reviewed}");
    // Review: 5 working days from Tuesday 28 April, 1 May off: Wednesday 6 May.
    assert_eq!(reviewed["stepDueDate"], "2026-05-06");
    let history = reviewed["history"].as_array().context("history")?;
    let step = |action: &str| history.iter().find(|s| s["action"] == action).cloned().unwrap_or(Value::Null);
    let conditions = step("commission.favourable_with_conditions.civil_protection");
    assert_eq!(conditions["actionLabel"], "Avis favorable sous conditions");
    assert_eq!(conditions["comment"], condition);
    assert_eq!(step("commission.favourable.technical_service")["actor"], "user");
    let silence = step("commission.silence.urban_agency");
    assert_eq!(silence["actor"], "system");
    assert!(text(&silence["actionLabel"])?.starts_with("Délai de l'organisme écoulé"), "{silence}");
    assert_eq!(step("commission_favourable")["actionLabel"], "Avis favorable de la commission");

    // The review runs past its due day: the holder is reminded, then the president is told.
    clock.set("2026-05-07T08:00:00Z")?;
    jamaa.run_due_timers("2026-05-07T08:00:00Z".parse()?).await?;
    let [counter, head, president, agency, protection, technical] = logins(&app).await?;
    let late = request(id, &president).await?;
    assert_eq!(late["stepOverdue"], true, "{late}");
    let late_steps: Vec<&Value> = late["history"].as_array().context("history")?.iter().map(|s| &s["action"]).collect();
    assert!(late_steps.contains(&&json!("sla.reminder")) && late_steps.contains(&&json!("sla.escalated")), "{late}");

    // No approval before the site visit; the technical service's report; then the decision.
    ensure!(!actions(&request(id, &head).await?).contains(&"approve".to_owned()), "approval before the visit");
    let report =
        json!({ "visited_on": "2026-05-07", "conforms": true, "observations": "Implantation conforme au plan." });
    let refused = app.graphql(Some(&head), ACT, json!({ "id": id, "a": "site_visit", "v": 3, "form": report })).await?;
    assert_eq!(error_codes(&refused), ["FORBIDDEN"], "the technical service visits: {refused}");
    let visited =
        app.data(Some(&technical), ACT, json!({ "id": id, "a": "site_visit", "v": 3, "form": report })).await?;
    assert_eq!(visited["actOnRequest"]["version"], 4);
    let approved = app.data(Some(&head), ACT, json!({ "id": id, "a": "approve", "v": 4 })).await?;
    assert_eq!(approved["actOnRequest"]["state"], "approved");

    // The decision, with the condition, as a bilingual PDF that `/verify` confirms.
    let issued = app.data(Some(&head), DECISION, json!({ "id": id })).await?;
    let issued = &issued["issueRequestDecision"];
    ensure!(text(&issued["text"])?.contains(condition), "{issued}");
    let (code_of_document, fingerprint) = (text(&issued["code"])?, text(&issued["pdfFingerprint"])?);
    let pdf = reqwest::get(app.url(&text(&issued["pdfPath"])?)).await?.bytes().await?.to_vec();
    ensure!(pdf.starts_with(b"%PDF-") && hex::encode(Sha256::digest(&pdf)) == fingerprint, "the PDF issued");
    let extracted = crate::document_pdfs::pdftotext(&pdf)?;
    for expected in ["وجدة", "Oujda", "Condition", "issues de secours", code_of_document.as_str()] {
        ensure!(extracted.contains(expected), "{expected:?} is not in the PDF:\n{extracted}");
    }
    let verified = app.data(None, VERIFY, json!({ "code": code_of_document, "pdf": fingerprint })).await?;
    assert_eq!(verified["verifyDocument"], json!({ "pdfMatches": true, "kind": "request.decision" }));

    // The applicant sees the commission's decision, not each body's opinion.
    let tracked = app.data(None, TRACK, json!({ "code": code, "secret": secret })).await?;
    let steps: Vec<String> = tracked["trackRequest"]["history"]
        .as_array()
        .context("history")?
        .iter()
        .filter_map(|s| s["action"].as_str().map(Into::into))
        .collect();
    ensure!(steps.contains(&"commission_favourable".to_owned()), "{tracked}");
    ensure!(!steps.iter().any(|s| s.starts_with("commission.")), "{tracked}");
    assert!(tracked["trackRequest"]["commission"].is_null());

    // A second file meets an unfavourable opinion: the commission decides at once, only a refusal remains, and
    // the legal deadline passing approves nothing.
    let filed = app.data(None, SUBMIT, json!({ "input": large_project() })).await?;
    let other = filed["submitRequest"]["request"]["id"].clone();
    app.data(Some(&counter), ACT, json!({ "id": other, "a": "accept_file", "v": 1 })).await?;
    let reasons = "Le projet empiète sur la servitude de passage des engins de secours.";
    let blocked =
        app.data(Some(&protection), OPINION, json!({ "id": other, "o": "UNFAVOURABLE", "r": reasons })).await?;
    assert_eq!(blocked["giveOpinion"]["state"], "unfavourable_opinion", "{blocked}");
    let late_body = app.graphql(Some(&agency), OPINION, json!({ "id": other, "o": "FAVOURABLE" })).await?;
    assert_eq!(error_codes(&late_body), ["CONFLICT"], "{late_body}");
    assert_eq!(actions(&request(&other, &head).await?), ["refuse"]);
    clock.set("2026-07-01T08:00:00Z")?;
    jamaa.run_due_timers("2026-07-01T08:00:00Z".parse()?).await?;
    let head = logins(&app).await?[1].clone();
    assert_eq!(request(&other, &head).await?["state"], "unfavourable_opinion");

    assert_eq!(app.data(Some(&staff), AUDIT, json!({})).await?["auditVerify"]["valid"], true);
    app.stop().await
}
