//! Legal fidelity over real HTTP, on both backends: decision dates across the lunar holidays an operator
//! sets for a year (no template upgrade), and the open requests that follow them; the signatures a petition
//! needs, from the commune's population by the tiers of organic law 113.14 (art. 123); the free text of public
//! complaints held for moderation when it holds personal data, never published through `publicComplaints` or
//! Open311 before a moderator decides; each commune's audit chain head, read by anyone; a receipt that says the
//! commune, not the law, set a deadline when the procedure cites no law (Kaédi); Kaédi's petition threshold,
//! the commune's own setting, and its catalog and receipts, which name no Moroccan law; silence that never grants
//! more than staff could (an R+6 "small project" refused at submission; a tacit approval withheld when the head of
//! service's guard fails, for a commune whose form is looser), and the certificate of tacit acceptance
//! (decree 2.22.141) issued once and verified; the heads each commune publishes daily, and a citizen's proof
//! that their request's events and a published head are in today's chain, checked with core's `verify_proof`
//! alone.

use anyhow::{Context as _, Result, ensure};
use jamaa_tests::app::{Backend, TestApp, error_codes, field_errors, field_paths};
use jamaa_tests::clock::TestClock;
use jamaa_tests::on_both_backends;
use serde_json::{Value, json};

const SUBMIT: &str = r#"mutation($c: String!, $s: String!, $d: JSON!) {
  submitRequest(commune: $c, input: { serviceCode: $s, data: $d }) {
    request { id trackingCode decisionDue version }
    receipt { decisionDue }
    secret
  }
}"#;

const TRACK: &str = r#"query($code: String!, $secret: String!) {
  trackRequest(trackingCode: $code, secret: $secret, locale: "fr") {
    decisionDue version receipt { decisionDue }
    history { action comment }
  }
}"#;

const SET_HOLIDAYS: &str = r#"mutation($country: String, $commune: String, $year: Int!, $h: [DatedHolidayInput!]!) {
  setDatedHolidays(country: $country, commune: $commune, year: $year, holidays: $h) { communes requestsMoved }
}"#;

fn information_request() -> Value {
    json!({
        "requester_name": "Samira Bennani",
        "cin": "AB123456",
        "information_requested": "Le procès-verbal de la dernière session du conseil communal.",
        "delivery_mode": "email",
    })
}

fn holiday(date: &str, fr: &str, source: &str) -> Value {
    json!({
        "date": date,
        "names": [
            { "locale": "ar", "text": "عيد الفطر" },
            { "locale": "fr", "text": fr },
            { "locale": "tzm", "text": "ⵜⴰⵎⵖⵔⴰ ⵜⴰⵎⵥⵥⵢⴰⵏⵜ" },
            { "locale": "en", "text": "Eid al-Fitr" },
        ],
        "source": source,
    })
}

/// Aïd al-Fitr 2027 as announced, with an exceptional day off on the Friday after it.
fn fitr_2027() -> Value {
    let habous = "Communiqué du ministère des Habous et des Affaires islamiques";
    let exceptional = "Décret n° 2-05-916, art. 3 : jour chômé exceptionnel";
    json!([
        holiday("2027-03-10", "Aïd al-Fitr", habous),
        holiday("2027-03-11", "Aïd al-Fitr (2e jour)", habous),
        holiday("2027-03-12", "Jour chômé exceptionnel", exceptional),
    ])
}

async fn a_due_date_across_aid_al_fitr_2027(backend: Backend) -> Result<()> {
    // Monday 1 March 2027, 10:00 in Oujda.
    let clock = TestClock::at("2027-03-01T09:00:00Z")?;
    let app = TestApp::spawn_with_clock(backend, clock.clock()).await?;
    let vars = json!({ "c": "oujda", "s": "acces-information", "d": information_request() });
    let submitted = app.data(None, SUBMIT, vars).await?;
    let submitted = &submitted["submitRequest"];
    // 20 working days on the shipped calendar, Aïd al-Fitr estimated on 10–11 March: 2–5 March (4), 8–9 (6),
    // 12 (7), 15–19 (12), 22–26 (17), 29–31 (20). Without the feast it would be Monday 29 March.
    assert_eq!(submitted["receipt"]["decisionDue"], "2027-03-31");
    let (code, secret) = (submitted["request"]["trackingCode"].clone(), submitted["secret"].clone());

    // Only operators set holidays.
    let vars = json!({ "commune": "oujda", "year": 2027, "h": fitr_2027() });
    let refused = app.graphql(Some(app.staff("oujda")), SET_HOLIDAYS, vars.clone()).await?;
    assert_eq!(error_codes(&refused), ["FORBIDDEN"]);
    let refused = app.graphql(None, SET_HOLIDAYS, vars).await?;
    assert_eq!(error_codes(&refused), ["UNAUTHENTICATED"]);
    // A date of another year, or twice, is refused with its path; nothing changes.
    let mut wrong = fitr_2027();
    wrong[0]["date"] = json!("2026-03-10");
    wrong[2]["date"] = json!("2027-03-11");
    let vars = json!({ "country": "MA", "year": 2027, "h": wrong });
    let refused = app.graphql(Some(&app.operator), SET_HOLIDAYS, vars).await?;
    assert_eq!(error_codes(&refused), ["VALIDATION_FAILED"]);
    let paths = field_paths(&refused);
    assert_eq!(paths, ["holidays[0].date", "holidays[2].date"]);

    // The next day the operator enters the announced dates for Morocco: the open request moves one working
    // day later (the exceptional Friday), and its history says why.
    clock.set("2027-03-02T09:00:00Z")?;
    let vars = json!({ "country": "MA", "year": 2027, "h": fitr_2027() });
    let set = app.data(Some(&app.operator), SET_HOLIDAYS, vars.clone()).await?;
    // Oujda and Chefchaouen are Moroccan; Kaédi is not.
    assert_eq!(set["setDatedHolidays"], json!({ "communes": 2, "requestsMoved": 1 }));
    let tracked = app.data(None, TRACK, json!({ "code": code, "secret": secret })).await?;
    let tracked = &tracked["trackRequest"];
    assert_eq!(tracked["decisionDue"], "2027-04-01");
    assert_eq!(tracked["receipt"]["decisionDue"], "2027-04-01", "the receipt shows the current date");
    let last = &tracked["history"][1];
    assert_eq!(last["action"], "holidays_changed");
    let why = last["comment"].as_str().unwrap_or_default();
    assert!(why.starts_with("2027-03-31 → 2027-04-01"), "{why}");
    assert!(why.contains("2027-03-12"), "{why}");
    // Setting the same holidays again changes nothing.
    let again = app.data(Some(&app.operator), SET_HOLIDAYS, vars).await?;
    assert_eq!(again["setDatedHolidays"], json!({ "communes": 0, "requestsMoved": 0 }));

    // A new request counts on the new calendar.
    let vars = json!({ "c": "oujda", "s": "acces-information", "d": information_request() });
    let later = app.data(None, SUBMIT, vars).await?;
    // From Tuesday 2 March: 3–5 (3), 8–9 (5), 15–19 (10), 22–26 (15), 29 March–2 April (20).
    assert_eq!(later["submitRequest"]["receipt"]["decisionDue"], "2027-04-02");

    // The calendar every client reads has the year's holidays, sourced, and no estimate left for Fitr.
    let calendar = app.data(None, r#"{ commune(slug: "oujda") { calendar } }"#, json!({})).await?;
    let days = calendar["commune"]["calendar"]["datedHolidays"].as_array().cloned().unwrap_or_default();
    let of_2027: Vec<&Value> =
        days.iter().filter(|d| d["date"].as_str().is_some_and(|d| d.starts_with("2027"))).collect();
    assert_eq!(of_2027.len(), 3);
    assert!(of_2027.iter().all(|d| d["source"].is_string() && d.get("estimated").is_none()));
    let kaedi = app.data(None, r#"{ commune(slug: "kaedi") { calendar } }"#, json!({})).await?;
    let kaedi_days = kaedi["commune"]["calendar"]["datedHolidays"].as_array().cloned().unwrap_or_default();
    assert!(kaedi_days.iter().any(|d| d["date"] == "2027-03-10" && d["estimated"] == true), "Kaédi keeps its own");

    // Oujda and Chefchaouen now hold one stored calendar (the same content, one address): a day off set for
    // Oujda alone gives Oujda a calendar of its own and leaves Chefchaouen's as it was.
    let decree = "Décret n° 2-05-916, art. 3 : jour chômé exceptionnel";
    let only_oujda = json!([holiday("2028-03-03", "Jour chômé exceptionnel", decree)]);
    let vars = json!({ "commune": "oujda", "year": 2028, "h": only_oujda });
    let set = app.data(Some(&app.operator), SET_HOLIDAYS, vars).await?;
    assert_eq!(set["setDatedHolidays"]["communes"], 1);
    let has_day_off = |calendar: &Value| {
        let days = calendar["commune"]["calendar"]["datedHolidays"].as_array().cloned().unwrap_or_default();
        days.iter().any(|d| d["date"] == "2028-03-03")
    };
    let oujda = app.data(None, r#"{ commune(slug: "oujda") { calendar } }"#, json!({})).await?;
    assert!(has_day_off(&oujda), "{oujda}");
    let chefchaouen = app.data(None, r#"{ commune(slug: "chefchaouen") { calendar } }"#, json!({})).await?;
    assert!(!has_day_off(&chefchaouen), "a commune's change reached the calendar another commune shares");
    app.stop().await
}

on_both_backends!(
    a_due_date_across_aid_al_fitr_2027,
    petition_thresholds_follow_the_population,
    personal_data_in_a_complaint_waits_for_a_moderator,
    anyone_reads_the_audit_head,
    a_deadline_without_a_law_is_the_communes,
    a_citizen_proves_their_request_is_in_the_published_chain,
    mauritania_runs_no_moroccan_rule,
    a_six_storey_small_project_is_refused_at_submission,
    silence_never_grants_what_staff_could_not,
    a_tacit_acceptance_certificate_is_issued_once_and_verified
);

const PETITIONS: &str = r#"query($c: String!, $l: String) { petitions(commune: $c, locale: $l) { edges { node {
  signatureThreshold signatureThresholdSource signatureThresholdByLaw
} } } }"#;

fn petition_by_citizens() -> Value {
    json!({
        "petitioner_type": "citizens",
        "representative_name": "Youssef El Amrani",
        "cin": "CD654321",
        "phone": "0612345678",
        "subject": "Éclairage public",
        "petition_text": "Nous demandons l'inscription à l'ordre du jour de l'éclairage public du quartier.",
        "signatures_count": 150,
    })
}

async fn petition_thresholds_follow_the_population(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    // Two communes onboarded from the standard with their 2024 populations (HCP): Aïn Taoujdate under
    // 35,000 inhabitants, Arbaoua just over.
    let onboard = r#"mutation($i: OnboardCommuneInput!) { onboardCommune(input: $i) { slug } }"#;
    for (slug, name, population, prefix) in
        [("ain-taoujdate", "Aïn Taoujdate", 33_055, "ATJ"), ("arbaoua", "Arbaoua", 35_077, "ARB")]
    {
        let input = json!({ "from": "ma-commune@1", "slug": slug, "nameFr": name, "nameAr": name,
                            "population": population, "trackingPrefix": prefix });
        app.data(Some(&app.operator), onboard, json!({ "i": input })).await?;
    }
    // Chefchaouen has 46,168 inhabitants, Oujda 506,224: 200 signatures each; Aïn Taoujdate 100.
    let expected = [("oujda", 200), ("chefchaouen", 200), ("arbaoua", 200), ("ain-taoujdate", 100)];
    for (commune, signatures) in expected {
        let vars = json!({ "c": commune, "s": "petition", "d": petition_by_citizens() });
        app.data(None, SUBMIT, vars).await?;
        let listed = app.data(None, PETITIONS, json!({ "c": commune, "l": "fr" })).await?;
        let petition = &listed["petitions"]["edges"][0]["node"];
        assert_eq!(petition["signatureThreshold"], signatures, "{commune}: {listed}");
        assert_eq!(petition["signatureThresholdByLaw"], true, "{commune}");
        let source = petition["signatureThresholdSource"].as_str().unwrap_or_default();
        assert!(source.contains("113.14") && source.contains("art. 123"), "{commune}: {source}");
    }
    app.stop().await
}

const PUBLIC_COMPLAINTS: &str = r#"query { publicComplaints(commune: "oujda", first: 100) { nodes {
  trackingCode description place { address }
} } }"#;

const QUEUE: &str = r#"query { complaintModerationQueue(commune: "oujda", first: 100) { totalCount nodes {
  trackingCode description address findings suggestedRedaction moderation publishedDescription
} } }"#;

const MODERATE: &str = r#"mutation($code: String!, $a: ModerationAction!, $d: String, $addr: String) {
  moderateComplaint(commune: "oujda", trackingCode: $code, action: $a, description: $d, address: $addr) {
    trackingCode moderation publishedDescription publishedAddress
  }
}"#;

const KARIM: &str = "appelez-moi au 0612345678 (Karim)";

fn complaint(description: &str, public: bool) -> Value {
    json!({
        "subject": "lighting",
        "description": description,
        "location": { "address": "Rue Zerktouni" },
        "public": public,
        "name": "Karim Alaoui",
        "phone": "+212612345678",
    })
}

/// The public listing and Open311's, as text.
async fn published(app: &TestApp) -> Result<String> {
    let listed = app.data(None, PUBLIC_COMPLAINTS, json!({})).await?;
    let url = app.url("/open311/v2/requests.json?jurisdiction_id=oujda");
    let open311 = app.client.get(url).send().await?.text().await?;
    Ok(format!("{listed}\n{open311}"))
}

async fn personal_data_in_a_complaint_waits_for_a_moderator(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let staff = app.staff("oujda").to_owned();
    let submit = |data: Value| json!({ "c": "oujda", "s": "reclamation", "d": data });
    let lamp = format!("Le lampadaire de la rue Zerktouni est éteint depuis une semaine, {KARIM}.");
    let held = app.data(None, SUBMIT, submit(complaint(&lamp, true))).await?;
    let held = held["submitRequest"]["request"]["trackingCode"].as_str().context("code")?.to_owned();
    // Only the applicant's name, which is sealed: found before sealing.
    let named = "Les bennes débordent devant chez Karim depuis cinq jours, rue Zerktouni.";
    let named = app.data(None, SUBMIT, submit(complaint(named, true))).await?;
    let named = named["submitRequest"]["request"]["trackingCode"].as_str().context("code")?.to_owned();
    let clean = "Les bennes de la rue Zerktouni débordent depuis cinq jours.";
    let clean = app.data(None, SUBMIT, submit(complaint(clean, true))).await?;
    let clean = clean["submitRequest"]["request"]["trackingCode"].as_str().context("code")?.to_owned();
    let private = app.data(None, SUBMIT, submit(complaint(&lamp, false))).await?;
    let private = private["submitRequest"]["request"]["trackingCode"].as_str().context("code")?.to_owned();

    // Nothing of the held ones is published, neither by GraphQL nor by Open311; the clean one is.
    let text = published(&app).await?;
    ensure!(text.contains(&clean), "the clean complaint is published: {text}");
    for absent in [held.as_str(), named.as_str(), private.as_str(), "0612345678", "Karim"] {
        ensure!(!text.contains(absent), "{absent} published unmoderated: {text}");
    }
    let one = app.url(&format!("/open311/v2/requests/{held}.json?jurisdiction_id=oujda"));
    let one = app.client.get(one).send().await?.text().await?;
    ensure!(!one.contains("0612345678"), "{one}");

    // The queue: staff only, with what was found.
    let anonymous = app.graphql(None, QUEUE, json!({})).await?;
    assert_eq!(error_codes(&anonymous), ["UNAUTHENTICATED"], "{anonymous}");
    let queue = app.data(Some(&staff), QUEUE, json!({})).await?;
    let nodes = queue["complaintModerationQueue"]["nodes"].as_array().context("nodes")?;
    let item = |code: &str| nodes.iter().find(|n| n["trackingCode"] == code).cloned();
    let first = item(&held).context("the phone number is held")?;
    assert_eq!(first["findings"], json!(["PHONE", "NAME"]));
    assert_eq!(first["moderation"], "PENDING");
    assert_eq!(first["description"], lamp.as_str());
    assert_eq!(first["publishedDescription"], Value::Null);
    let suggested = first["suggestedRedaction"].as_str().context("suggestion")?;
    ensure!(!suggested.contains("0612345678"), "{suggested}");
    assert_eq!(item(&named).context("the name is held")?["findings"], json!(["NAME"]));
    ensure!(item(&clean).is_none() && item(&private).is_none(), "{queue}");

    // A redaction must itself be clear; then it is what is published.
    let moderate = |code: &str, action: &str, d: Option<&str>| json!({ "code": code, "a": action, "d": d });
    let still =
        app.graphql(Some(&staff), MODERATE, moderate(&held, "REDACT", Some("appelez le 06 12 34 56 78"))).await?;
    assert_eq!(error_codes(&still), ["VALIDATION_FAILED"], "{still}");
    assert_eq!(field_paths(&still), ["description"]);
    let empty = app.graphql(Some(&staff), MODERATE, moderate(&held, "REDACT", None)).await?;
    assert_eq!(field_paths(&empty), ["description"]);
    let redacted_text = "Le lampadaire de la rue Zerktouni est éteint depuis une semaine.";
    let redacted = app.data(Some(&staff), MODERATE, moderate(&held, "REDACT", Some(redacted_text))).await?;
    assert_eq!(
        redacted["moderateComplaint"],
        json!({ "trackingCode": held, "moderation": "REDACTED", "publishedDescription": redacted_text,
            "publishedAddress": "Rue Zerktouni" })
    );
    app.data(Some(&staff), MODERATE, moderate(&named, "KEEP_PRIVATE", None)).await?;
    let refused = app.graphql(Some(&staff), MODERATE, moderate(&private, "APPROVE", None)).await?;
    assert_eq!(error_codes(&refused), ["VALIDATION_FAILED"], "the applicant did not make it public: {refused}");
    let anonymous = app.graphql(None, MODERATE, moderate(&held, "APPROVE", None)).await?;
    assert_eq!(error_codes(&anonymous), ["UNAUTHENTICATED"], "{anonymous}");

    let text = published(&app).await?;
    ensure!(text.contains(&held) && text.contains(redacted_text), "the redacted text is published: {text}");
    for absent in [named.as_str(), private.as_str(), "0612345678", "Karim"] {
        ensure!(!text.contains(absent), "{absent} published: {text}");
    }
    let queue = app.data(Some(&staff), QUEUE, json!({})).await?;
    assert_eq!(queue["complaintModerationQueue"]["totalCount"], 0, "{queue}");

    // Each decision is in the commune's audit trail, which still verifies.
    let audit = app.data(Some(&staff), "{ auditVerify(commune: \"oujda\") { valid } }", json!({})).await?;
    assert_eq!(audit["auditVerify"]["valid"], true);
    app.stop().await
}

const HEAD: &str = r#"{ auditHead(commune: "oujda") { sequence hash link recordedAt } }"#;
const VERIFY: &str = r#"{ auditVerify(commune: "oujda") { valid eventsChecked headHash } }"#;

async fn anyone_reads_the_audit_head(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let staff = app.staff("oujda").to_owned();
    // An anonymous caller reads the head, by GraphQL and as open data: the one the staff's verification ends on.
    let head = app.data(None, HEAD, json!({})).await?["auditHead"].clone();
    let verified = app.data(Some(&staff), VERIFY, json!({})).await?["auditVerify"].clone();
    assert_eq!(verified["valid"], true);
    assert_eq!((&head["sequence"], &head["hash"]), (&verified["eventsChecked"], &verified["headHash"]));
    ensure!(head["sequence"].as_i64().is_some_and(|s| s > 0), "the demo's events are chained: {head}");
    ensure!(head["hash"].as_str().is_some_and(|h| h.len() == 64), "{head}");
    ensure!(head["recordedAt"].is_string(), "{head}");
    let url = app.url("/opendata/oujda/audit-head.json");
    let response = app.client.get(url).send().await?;
    assert_eq!(response.headers().get("access-control-allow-origin").and_then(|v| v.to_str().ok()), Some("*"));
    let open: Value = response.json().await?;
    assert_eq!(open, json!({ "commune": "oujda", "head": head }));

    // A new event moves the head on; a commune's head is its own.
    app.data(
        None,
        SUBMIT,
        json!({ "c": "oujda", "s": "reclamation", "d": complaint("Les bennes débordent rue Zerktouni.", false) }),
    )
    .await?;
    let later = app.data(None, HEAD, json!({})).await?["auditHead"].clone();
    ensure!(later["sequence"].as_i64() > head["sequence"].as_i64() && later["hash"] != head["hash"], "{later}");
    let other = app.data(None, r#"{ auditHead(commune: "chefchaouen") { sequence hash } }"#, json!({})).await?;
    ensure!(other["auditHead"]["hash"] != later["hash"], "{other}");
    let unknown = app.client.get(app.url("/opendata/nowhere/audit-head.json")).send().await?;
    assert_eq!(unknown.status().as_u16(), 404);
    app.stop().await
}

const HEADS: &str = r#"query($c: String!, $first: Int, $after: String) {
  auditHeads(commune: $c, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { commune day sequence hash link recordedAt publishedAt }
  }
}"#;

const PROOF: &str = r#"query($code: String!, $secret: String!, $since: Int!) {
  auditProof(trackingCode: $code, secret: $secret, since: $since) {
    commune tenantId subject since sinceLink
    steps { sequence contentHash link event { occurredAt actor kind subject payload } }
  }
}"#;

async fn a_citizen_proves_their_request_is_in_the_published_chain(backend: Backend) -> Result<()> {
    use jamaa_core::model::audit::{AuditProof, KeptHead, ProofProblem, verify_proof};
    let app = TestApp::spawn(backend).await?;
    let jamaa = app.jamaa().await?;
    let now = chrono::Utc::now();
    // The day's pass publishes each commune's head once: the server's scheduler may have done it already.
    jamaa.publish_audit_heads(now).await?;
    assert_eq!(jamaa.publish_audit_heads(now).await?, 0, "one head a day");
    let heads = app.data(None, HEADS, json!({ "c": "oujda" })).await?["auditHeads"].clone();
    assert_eq!(heads["totalCount"], 1, "{heads}");
    let kept = heads["nodes"][0].clone();
    let head = app.data(None, HEAD, json!({})).await?["auditHead"].clone();
    assert_eq!((&kept["sequence"], &kept["hash"]), (&head["sequence"], &head["hash"]), "{kept} {head}");
    assert_eq!(kept["commune"], "oujda");
    let open: Value = app.client.get(app.url("/opendata/oujda/audit-heads.json")).send().await?.json().await?;
    assert_eq!(open, json!({ "commune": "oujda", "heads": heads["nodes"] }));

    // A citizen files a request after the head they keep; the chain moves on, and the next day's head is published.
    let filed = app
        .data(
            None,
            SUBMIT,
            json!({ "c": "oujda", "s": "reclamation", "d": complaint("Lampadaire éteint rue Ibn Sina.", false) }),
        )
        .await?["submitRequest"]
        .clone();
    let (code, secret) = (filed["request"]["trackingCode"].clone(), filed["secret"].clone());
    app.data(None, TRACK, json!({ "code": code, "secret": secret })).await?;
    assert_eq!(jamaa.publish_audit_heads(now + chrono::Duration::days(1)).await?, 1, "only Oujda's chain moved");
    app.data(
        None,
        SUBMIT,
        json!({ "c": "oujda", "s": "reclamation", "d": complaint("Un autre citoyen signale un trou.", false) }),
    )
    .await?;
    let heads = app.data(None, HEADS, json!({ "c": "oujda", "first": 1 })).await?["auditHeads"].clone();
    assert_eq!((&heads["totalCount"], &heads["pageInfo"]["hasNextPage"]), (&json!(2), &json!(true)), "{heads}");
    let second = heads["nodes"][0].clone();
    let cursor = heads["pageInfo"]["endCursor"].clone();
    let older =
        app.data(None, HEADS, json!({ "c": "oujda", "first": 1, "after": cursor })).await?["auditHeads"].clone();
    assert_eq!(older["nodes"][0], kept, "the latest first, then the older");

    // The proof since the kept head verifies with core's function alone.
    let since = kept["sequence"].clone();
    let answer = app.data(None, PROOF, json!({ "code": code, "secret": secret, "since": since })).await?;
    let proof: AuditProof = serde_json::from_value(answer["auditProof"].clone())?;
    let kept_head: KeptHead = serde_json::from_value(kept.clone())?;
    let report = verify_proof(&proof, &kept_head);
    ensure!(report.valid, "{report:?}");
    let now_head = app.data(None, HEAD, json!({})).await?["auditHead"].clone();
    assert_eq!(
        (json!(report.head_sequence), json!(report.head_link)),
        (now_head["sequence"].clone(), now_head["link"].clone())
    );
    let own: Vec<&str> = proof.steps.iter().filter_map(|s| s.event.as_ref()).map(|e| e.kind.as_str()).collect();
    ensure!(own.contains(&"request.submitted"), "the request's own events are shown: {own:?}");
    ensure!(report.own_events.len() == own.len() && proof.steps.len() > own.len(), "{report:?}");
    // The next day's head is inside the proof's span: checked too.
    assert!(verify_proof(&proof, &serde_json::from_value(second.clone())?).valid);

    // Tampered: an event's content hash, a shown payload, a head of another commune.
    let mut altered = proof.clone();
    altered.steps[0].content_hash = "0".repeat(64);
    assert_eq!(verify_proof(&altered, &kept_head).problem, Some(ProofProblem::LinkBroken));
    let mut altered = proof.clone();
    if let Some(event) = altered.steps.iter_mut().find_map(|s| s.event.as_mut()) {
        event.payload.insert(1, ' ');
    }
    assert_eq!(verify_proof(&altered, &kept_head).problem, Some(ProofProblem::ContentChanged));
    let theirs = app.data(None, HEADS, json!({ "c": "chefchaouen" })).await?["auditHeads"]["nodes"][0].clone();
    let theirs: KeptHead = serde_json::from_value(theirs)?;
    assert_eq!(verify_proof(&proof, &theirs).problem, Some(ProofProblem::OtherCommune));
    let unnamed = KeptHead { commune: None, ..theirs };
    ensure!(!verify_proof(&proof, &unnamed).valid, "another commune's link is not in Oujda's chain");

    // Another commune's secret is NOT_FOUND; a `since` beyond the head is OUT_OF_RANGE at `since`.
    let elsewhere = app
        .data(None, SUBMIT, json!({ "c": "chefchaouen", "s": "reclamation", "d": complaint("Panne d'éclairage public au souk.", false) }))
        .await?;
    let their_secret = elsewhere["submitRequest"]["secret"].clone();
    let body = app.graphql(None, PROOF, json!({ "code": code, "secret": their_secret, "since": since })).await?;
    assert_eq!(error_codes(&body), ["NOT_FOUND"], "{body}");
    let beyond = now_head["sequence"].as_i64().unwrap_or_default() + 100;
    let body = app.graphql(None, PROOF, json!({ "code": code, "secret": secret, "since": beyond })).await?;
    assert_eq!(error_codes(&body), ["VALIDATION_FAILED"], "{body}");
    assert_eq!(field_paths(&body), ["since"], "{body}");

    // The chain with its links still verifies, and on PostgreSQL the application may not rewrite a published head.
    let staff = app.staff("oujda").to_owned();
    let verified = app.data(Some(&staff), VERIFY, json!({})).await?["auditVerify"].clone();
    assert_eq!(verified["valid"], true, "{verified}");
    if let Some((server, database)) = &app.pg {
        for sql in ["UPDATE audit_published_heads SET link = 'x'", "DELETE FROM audit_published_heads"] {
            let tenant = server.psql(&database.name, "SELECT id FROM communes WHERE slug = 'oujda'")?;
            let as_app = server.psql_as(
                "jamaa_app",
                &database.name,
                &format!("BEGIN; SELECT set_config('jamaa.tenant_id', '{tenant}', true) \\g /dev/null\n{sql}; COMMIT;"),
            );
            ensure!(as_app.is_err(), "{sql}: the application role may only append published heads");
        }
    }
    app.stop().await
}

const RECEIPT_IN: &str = r#"query($code: String!, $secret: String!, $l: String!) {
  trackRequest(trackingCode: $code, secret: $secret, locale: $l) { receipt { deadlineSetBy deadlineBasis } }
}"#;

async fn a_deadline_without_a_law_is_the_communes(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let data = json!({ "subject": "roads", "description": "Un nid-de-poule profond devant le marché central.", "public": false });
    let mut receipts = Vec::new();
    for commune in ["kaedi", "oujda"] {
        let submitted = app.data(None, SUBMIT, json!({ "c": commune, "s": "reclamation", "d": data })).await?;
        let code = submitted["submitRequest"]["request"]["trackingCode"].clone();
        let secret = submitted["submitRequest"]["secret"].clone();
        for locale in ["fr", "ar", "tzm", "en"] {
            let tracked = app.data(None, RECEIPT_IN, json!({ "code": code, "secret": secret, "l": locale })).await?;
            receipts.push((commune, locale, tracked["trackRequest"]["receipt"].clone()));
        }
    }
    let said = |commune: &str, locale: &str| -> Value {
        receipts.iter().find(|(c, l, _)| *c == commune && *l == locale).map(|(_, _, r)| r.clone()).unwrap_or_default()
    };
    // Kaédi's procedures dropped Morocco's law: the commune set their deadlines, and the receipt says so.
    assert_eq!(
        said("kaedi", "fr"),
        json!({ "deadlineSetBy": "COMMUNE",
        "deadlineBasis": "Délai fixé par la commune, non par un texte de loi." })
    );
    assert_eq!(said("kaedi", "en")["deadlineBasis"], "Deadline set by the commune, not by a legal text.");
    assert_eq!(said("kaedi", "ar")["deadlineBasis"], "أجل حددته الجماعة، وليس نصا قانونيا.");
    ensure!(
        said("kaedi", "tzm")["deadlineBasis"].as_str().is_some_and(|t| t.starts_with('ⴰ')),
        "{:?}",
        said("kaedi", "tzm")
    );
    // Oujda's cites decree 2-17-265.
    assert_eq!(said("oujda", "fr")["deadlineSetBy"], "LAW");
    app.stop().await
}

/// The numbers of the laws the Moroccan standard cites, as its texts write them.
const MOROCCAN_LAWS: &[&str] =
    &["113.14", "55.19", "31.13", "36.21", "12-90", "12.90", "2-17-265", "2.17.265", "1839.23", "2.22.", "2-77-169"];

/// Every string inside `value`.
fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(object) => object.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// The texts of a commune's catalog, in one language, that name a Moroccan law.
async fn moroccan_law_in_catalog(app: &TestApp, commune: &str, locale: &str) -> Result<Vec<String>> {
    let query = r#"query($c: String!, $l: String!) { services(commune: $c, locale: $l, first: 100) { nodes {
      code name description legalReferences silenceMeans fees { label } documents { label }
      fields { label help options { label } } states { label }
    } } }"#;
    let catalog = app.data(None, query, json!({ "c": commune, "l": locale })).await?;
    ensure!(catalog["services"]["nodes"].as_array().is_some_and(|s| s.len() == 24), "{commune}: {catalog}");
    let mut texts = Vec::new();
    strings(&catalog, &mut texts);
    Ok(texts.into_iter().filter(|t| MOROCCAN_LAWS.iter().any(|law| t.contains(law))).collect())
}

async fn mauritania_runs_no_moroccan_rule(backend: Backend) -> Result<()> {
    use jamaa_core::model::i18n::LocalizedText;
    use jamaa_core::model::template::{TemplateBundle, TemplateContent};

    let app = TestApp::spawn(backend).await?;
    // Kaédi's catalog and receipts, in the languages of its texts, name no Moroccan law; Oujda's do.
    for locale in ["fr", "ar", "en", "tzm"] {
        let named = moroccan_law_in_catalog(&app, "kaedi", locale).await?;
        ensure!(named.is_empty(), "Kaédi's catalog in {locale} names Moroccan law: {named:?}");
    }
    ensure!(!moroccan_law_in_catalog(&app, "oujda", "fr").await?.is_empty(), "Oujda's catalog cites its laws");
    let access = "query { service(commune: \"kaedi\", code: \"acces-information\", locale: \"fr\") { description } }";
    let description = app.data(None, access, json!({})).await?["service"]["description"].clone();
    let description = description.as_str().unwrap_or_default();
    ensure!(
        description.starts_with("Demande d'accès à une information détenue par la commune. Réponse"),
        "{description}"
    );

    let petition = json!({
        "petitioner_type": "citizens",
        "representative_name": "Mariem Sall",
        "cin": "1234567890",
        "phone": "+22222123456",
        "subject": "Éclairage public",
        "petition_text": "Nous demandons l'inscription à l'ordre du jour de l'éclairage public du quartier.",
        "signatures_count": 60,
    });
    let submitted = app.data(None, SUBMIT, json!({ "c": "kaedi", "s": "petition", "d": petition })).await?;
    let code = submitted["submitRequest"]["request"]["trackingCode"].clone();
    let secret = submitted["submitRequest"]["secret"].clone();
    let receipt_query = r#"query($code: String!, $secret: String!, $l: String!) {
      trackRequest(trackingCode: $code, secret: $secret, locale: $l) { receipt {
        communeName serviceName silenceMeans deadlineSetBy deadlineBasis fees { label }
      } }
    }"#;
    for locale in ["fr", "ar", "en", "tzm"] {
        let tracked = app.data(None, receipt_query, json!({ "code": code, "secret": secret, "l": locale })).await?;
        let receipt = &tracked["trackRequest"]["receipt"];
        assert_eq!(receipt["deadlineSetBy"], "COMMUNE", "{locale}");
        let mut texts = Vec::new();
        strings(receipt, &mut texts);
        let named: Vec<&String> = texts.iter().filter(|t| MOROCCAN_LAWS.iter().any(|law| t.contains(law))).collect();
        ensure!(named.is_empty(), "Kaédi's receipt in {locale} names Moroccan law: {named:?}");
    }
    let page = app
        .client
        .post(app.url(&format!("/receipts/{}?lang=fr", code.as_str().unwrap_or_default())))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("secret={}", secret.as_str().unwrap_or_default()))
        .send()
        .await?;
    assert_eq!(page.status(), 200);
    let html = page.text().await?;
    ensure!(html.contains("Délai fixé par la commune"), "the printable receipt says who set the deadline");
    ensure!(!MOROCCAN_LAWS.iter().any(|law| html.contains(law)), "the printable receipt names Moroccan law");

    // No Moroccan tiers: until the commune sets its threshold, there is none, and none is the law's.
    let listed = app.data(None, PETITIONS, json!({ "c": "kaedi", "l": "fr" })).await?;
    let node = &listed["petitions"]["edges"][0]["node"];
    assert_eq!(
        (&node["signatureThreshold"], &node["signatureThresholdSource"], &node["signatureThresholdByLaw"]),
        (&Value::Null, &Value::Null, &Value::Null),
        "{listed}"
    );

    // The commune sets it (its configuration, exported, edited and upgraded to): 50 signatures, its own.
    let export = r#"mutation { exportTemplate(commune: "kaedi", name: "kaedi") { reference } }"#;
    let exported = app.data(Some(&app.operator), export, json!({})).await?;
    assert_eq!(exported["exportTemplate"]["reference"], "kaedi@1");
    let templates = app.data(None, "{ templates(first: 100) { nodes { reference bundle } } }", json!({})).await?;
    let current = templates["templates"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["reference"] == "kaedi@1")
        .map(|t| t["bundle"]["content"].clone())
        .context("no kaedi@1")?;
    ensure!(current["settings"]["petitions"]["basis"] == "communeSetting", "{}", current["settings"]);
    ensure!(current["settings"]["petitions"].get("signatureTiers").is_none(), "no Moroccan tiers");
    let mut content: TemplateContent = serde_json::from_value(current)?;
    let petitions = content.settings.get_mut("petitions").context("Kaédi's petition settings")?;
    petitions["signatureThreshold"] = json!(50);
    let bundle = TemplateBundle::new("kaedi", 2, LocalizedText::ar_fr("كيهيدي", "Kaédi"), content)?;
    let import = "mutation($b: JSON!) { importTemplate(bundle: $b) { reference } }";
    app.data(Some(&app.operator), import, json!({ "b": serde_json::to_value(&bundle)? })).await?;
    let upgrade = r#"mutation { upgradeCommune(commune: "kaedi", to: "kaedi@2") { upgraded unresolved { path } } }"#;
    let upgraded = app.data(Some(&app.operator), upgrade, json!({})).await?;
    assert_eq!(upgraded["upgradeCommune"]["upgraded"], true, "{upgraded}");

    let listed = app.data(None, PETITIONS, json!({ "c": "kaedi", "l": "fr" })).await?;
    let node = &listed["petitions"]["edges"][0]["node"];
    assert_eq!(node["signatureThreshold"], 50, "{listed}");
    assert_eq!(node["signatureThresholdByLaw"], false);
    assert_eq!(node["signatureThresholdSource"], "Fixé par la commune");
    let arabic = app.data(None, PETITIONS, json!({ "c": "kaedi", "l": "ar" })).await?;
    assert_eq!(arabic["petitions"]["edges"][0]["node"]["signatureThresholdSource"], "حددته الجماعة");
    // Oujda keeps the law's tier.
    app.data(None, SUBMIT, json!({ "c": "oujda", "s": "petition", "d": petition_by_citizens() })).await?;
    let oujda = app.data(None, PETITIONS, json!({ "c": "oujda", "l": "fr" })).await?;
    assert_eq!(oujda["petitions"]["edges"][0]["node"]["signatureThresholdByLaw"], true);
    app.stop().await
}

const SUBMIT_PERMIT: &str = r#"mutation($c: String!, $i: SubmitRequestInput!) {
  submitRequest(commune: $c, input: $i) { request { id trackingCode } secret }
}"#;

const TRACK_PERMIT: &str = r#"query($code: String!, $secret: String!) {
  trackRequest(trackingCode: $code, secret: $secret, locale: "fr") {
    state outcome history { action toState actor } availableActions { key }
  }
}"#;

const ISSUE_TACIT: &str = r#"mutation($id: ID!) {
  issueTacitAcceptanceCertificate(commune: "oujda", requestId: $id) { id code kind title text verifyPath }
}"#;

/// A small-project building permit of `floors` storeys above the ground floor, with its documents.
fn small_project(floors: u32) -> Value {
    json!({
        "serviceCode": "autorisation-construire-petits-projets",
        "data": {
            "applicant_name": "Youssef Benali",
            "cin": "F123456",
            "phone": "+212661234567",
            "parcel_location": { "lat": 34.6814, "lng": -1.9086, "address": "Hay Al Qods, Oujda" },
            "floors": floors,
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

/// Files a permit in Oujda: its id, tracking code and secret.
async fn file_permit(app: &TestApp, floors: u32) -> Result<(String, Value, Value)> {
    let data = app.data(None, SUBMIT_PERMIT, json!({ "c": "oujda", "i": small_project(floors) })).await?;
    let submitted = &data["submitRequest"];
    let id = submitted["request"]["id"].as_str().context("id")?.to_owned();
    Ok((id, submitted["request"]["trackingCode"].clone(), submitted["secret"].clone()))
}

async fn a_six_storey_small_project_is_refused_at_submission(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    for locale in ["fr", "ar", "tzm", "en"] {
        let query = SUBMIT_PERMIT.replace(
            "submitRequest(commune: $c, input: $i)",
            &format!("submitRequest(commune: $c, input: $i, locale: \"{locale}\")"),
        );
        let refused = app.graphql(None, &query, json!({ "c": "oujda", "i": small_project(6) })).await?;
        assert_eq!(error_codes(&refused), ["VALIDATION_FAILED"], "{refused}");
        assert_eq!(field_errors(&refused), [("input.data.floors".to_owned(), "OUT_OF_RANGE".to_owned())], "{refused}");
        let message = refused["errors"][0]["extensions"]["fields"][0]["message"].as_str().unwrap_or_default();
        let expected = match locale {
            "fr" => "La valeur doit être inférieure ou égale à 2.",
            "ar" => "يجب ألا تتجاوز القيمة 2.",
            "en" => "The value must be at most 2.",
            _ => "ⴰⵣⴰⵍ ⵓⵔ ⵉⵍⴰⵇ ⴰⴷ ⵉⵄⴷⴷⵉ 2.",
        };
        assert_eq!(message, expected, "{locale}: {refused}");
    }
    // R+2 is what the procedure covers.
    file_permit(&app, 2).await?;
    app.stop().await
}

async fn silence_never_grants_what_staff_could_not(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let staff = app.staff("oujda").to_owned();
    let read = "query { service(commune: \"oujda\", code: \"autorisation-construire-petits-projets\") { definition } }";
    let shipped = app.data(None, read, json!({})).await?["service"]["definition"].clone();
    let publish = "mutation($d: JSON!) { publishService(commune: \"oujda\", definition: $d) }";

    // The other path of a timer must exist.
    let mut broken = shipped.clone();
    broken["workflow"]["timers"][0]["onGuardFails"] = json!("grant_anyway");
    let refused = app.graphql(Some(&staff), publish, json!({ "d": broken })).await?;
    assert_eq!(error_codes(&refused), ["VALIDATION_FAILED"], "{refused}");
    assert_eq!(field_paths(&refused), ["workflow.timers[0].onGuardFails"], "{refused}");

    // A commune whose form is looser than the head of service's guard: R+6 is filed.
    let mut looser = shipped.clone();
    looser["form"].as_object_mut().context("form")?.remove("rules");
    app.data(Some(&staff), publish, json!({ "d": looser })).await?;
    let (_, six_code, six_secret) = file_permit(&app, 6).await?;
    let (_, two_code, two_secret) = file_permit(&app, 2).await?;

    // The decision date passes: R+2 is approved by silence, R+6 is not, and waits for an express decision.
    let jamaa = app.jamaa().await?;
    jamaa.run_due_timers(chrono::Utc::now() + chrono::Duration::days(40)).await?;
    let two = app.data(None, TRACK_PERMIT, json!({ "code": two_code, "secret": two_secret })).await?;
    assert_eq!(two["trackRequest"]["state"], "approved_tacitly", "{two}");
    let six = app.data(None, TRACK_PERMIT, json!({ "code": six_code, "secret": six_secret })).await?;
    let six = &six["trackRequest"];
    assert_eq!(six["state"], "awaiting_decision", "{six}");
    assert_eq!(six["outcome"], Value::Null, "{six}");
    assert_eq!(
        six["history"][1],
        json!({ "action": "withhold_tacit_approval", "toState": "awaiting_decision", "actor": "system" }),
        "{six}"
    );
    assert_eq!(six["availableActions"], json!([{ "key": "withdraw" }]), "{six}");
    // No timer is left to approve it later: the file waits for the head of service.
    jamaa.run_due_timers(chrono::Utc::now() + chrono::Duration::days(80)).await?;
    let still = app.data(None, TRACK_PERMIT, json!({ "code": six_code, "secret": six_secret })).await?;
    assert_eq!(still["trackRequest"]["state"], "awaiting_decision", "{still}");

    // Why, in the audit trail; the chain still verifies.
    let events = app.data(Some(&staff), "{ auditVerify(commune: \"oujda\") { valid } }", json!({})).await?;
    assert_eq!(events["auditVerify"]["valid"], true);
    app.stop().await
}

async fn a_tacit_acceptance_certificate_is_issued_once_and_verified(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let staff = app.staff("oujda").to_owned();
    let (id, code, secret) = file_permit(&app, 2).await?;
    let tracking_code = code.as_str().context("code")?.to_owned();

    // Before the decision date, there is no tacit acceptance to certify.
    let early = app.graphql(Some(&staff), ISSUE_TACIT, json!({ "id": id })).await?;
    assert_eq!(error_codes(&early), ["VALIDATION_FAILED"], "{early}");
    assert_eq!(field_paths(&early), ["requestId"], "{early}");

    app.jamaa().await?.run_due_timers(chrono::Utc::now() + chrono::Duration::days(40)).await?;
    let tracked = app.data(None, TRACK_PERMIT, json!({ "code": code, "secret": secret })).await?;
    assert_eq!(tracked["trackRequest"]["state"], "approved_tacitly");

    // Anonymous callers and Chefchaouen's staff are refused.
    let anonymous = app.graphql(None, ISSUE_TACIT, json!({ "id": id })).await?;
    assert_eq!(error_codes(&anonymous), ["UNAUTHENTICATED"], "{anonymous}");
    let other = app.graphql(Some(app.staff("chefchaouen")), ISSUE_TACIT, json!({ "id": id })).await?;
    ensure!(error_codes(&other) == ["FORBIDDEN"] || error_codes(&other) == ["NOT_FOUND"], "{other}");

    let issued = app.data(Some(&staff), ISSUE_TACIT, json!({ "id": id })).await?;
    let issued = &issued["issueTacitAcceptanceCertificate"];
    assert_eq!(issued["kind"], "request.tacit_acceptance");
    let text = issued["text"].as_str().context("text")?.to_owned();
    // In each of Oujda's languages, with the decree, and no personal data.
    for expected in [
        tracking_code.as_str(),
        "Attestation d'acceptation tacite n° ",
        "شهادة الموافقة الضمنية رقم ",
        "ⴰⵙⵍⴽⵉⵏ ⵏ ⵓⵇⴱⵓⵍ ⵙ ⵓⵙⵙⵓⵙⵎ",
        "Certificate of tacit approval no. ",
        "2.22.141",
    ] {
        ensure!(text.contains(expected), "{expected} missing: {text}");
    }
    ensure!(!text.contains("Youssef") && !text.contains("F123456"), "no personal data: {text}");

    // Issued again (a retry): the same certificate, not a second one.
    let again = app.data(Some(&staff), ISSUE_TACIT, json!({ "id": id })).await?;
    assert_eq!(&again["issueTacitAcceptanceCertificate"], issued);
    let listed = app
        .data(
            Some(&staff),
            "query($id: ID!) { requestDocuments(commune: \"oujda\", requestId: $id) { totalCount } }",
            json!({ "id": id }),
        )
        .await?;
    assert_eq!(listed["requestDocuments"]["totalCount"], 1, "{listed}");

    // Anyone verifies it at /verify, and that a text is the one issued.
    let document = issued["code"].as_str().context("code")?;
    let page = app.client.get(app.url(&format!("/verify/{document}?lang=fr"))).send().await?;
    assert_eq!(page.status(), 200);
    let html = page.text().await?;
    ensure!(html.contains("Document authentique") && html.contains(document), "{html}");
    ensure!(html.contains("Attestation d'acceptation tacite"), "{html}");
    let checked = app
        .client
        .post(app.url(&format!("/verify/{document}?lang=fr")))
        .form(&[("text", text.as_str())])
        .send()
        .await?
        .text()
        .await?;
    ensure!(checked.contains("n'a pas été modifié"), "{checked}");
    app.stop().await
}
