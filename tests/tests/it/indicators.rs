//! Indicators end to end, on SQLite and on PostgreSQL: the national indicators of the demo communes (and of a
//! second commune of the Oriental region) match what this test counts itself, with its own SQL over the
//! tables, after files were decided, some late, some long ago, and complaints answered, rated and reopened; a commune's
//! indicators are public, and its open-data files carry the same figures, within the API's rate limit.

use std::collections::{BTreeMap, HashMap};

use anyhow::{Context as _, Result, ensure};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use jamaa_tests::app::{Backend, TestApp, error_codes};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement, Value as SqlValue};
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(national_indicators_match_a_count_in_the_database, commune_indicators_are_open_data);

const SUBMIT: &str = r#"
mutation($commune: String!, $input: SubmitRequestInput!) {
  submitRequest(commune: $commune, input: $input) { request { id version } }
}"#;

const ACT: &str = r#"
mutation($commune: String!, $id: ID!, $action: String!, $version: Int!, $comment: String) {
  actOnRequest(commune: $commune, id: $id, action: $action, expectedVersion: $version, comment: $comment) { version }
}"#;

const FIGURES: &str = "submitted decided decidedWithinDeadline withinDeadlineShare
    byOutcome { open approved rejected withdrawn closed }
    byService { serviceCode submitted decided decidedWithinDeadline byState { state count } }
    backlog { total buckets { minDays maxDays count } }
    complaints { received reopened ratings satisfaction }";

fn legalisation(country: &str) -> Value {
    let (cin, phone) = if country == "MR" { ("1234567890", "+22222123456") } else { ("AB123456", "0612345678") };
    json!({
        "serviceCode": "legalisation-signature",
        "data": { "signatory_name": "Fatima Zahra El Idrissi", "cin": cin, "phone": phone,
                  "document_title": "Contrat de bail", "copies": 1 },
        "documents": [{ "code": "document_to_sign", "fileName": "bail.pdf", "mediaType": "application/pdf",
                        "sizeBytes": 120000 }]
    })
}

/// Submits a legalisation and returns its id.
async fn submit(app: &TestApp, commune: &str, country: &str) -> Result<String> {
    let data = app.data(None, SUBMIT, json!({ "commune": commune, "input": legalisation(country) })).await?;
    Ok(data["submitRequest"]["request"]["id"].as_str().context("no id")?.to_owned())
}

async fn act(app: &TestApp, token: &str, commune: &str, id: &str, action: &str) -> Result<()> {
    let variables = json!({ "commune": commune, "id": id, "action": action, "version": 1, "comment": "motif" });
    app.data(Some(token), ACT, variables).await?;
    Ok(())
}

const ACT_AS_APPLICANT: &str = r#"
mutation($commune: String!, $id: ID!, $action: String!, $version: Int!, $comment: String, $secret: String) {
  actOnRequest(commune: $commune, id: $id, action: $action, expectedVersion: $version, comment: $comment,
               secret: $secret) { version }
}"#;

/// A complaint as its applicant holds it.
struct Complaint {
    id: String,
    code: String,
    secret: String,
}

/// Files a complaint about the lighting.
async fn complain(app: &TestApp, commune: &str) -> Result<Complaint> {
    let input = json!({ "serviceCode": "reclamation",
                        "data": { "subject": "lighting", "description": "La rue est dans le noir.", "public": true } });
    let data = app
        .data(
            None,
            "mutation($commune: String!, $input: SubmitRequestInput!) { submitRequest(commune: $commune, input: $input) {
                secret request { id trackingCode } } }",
            json!({ "commune": commune, "input": input }),
        )
        .await?;
    let submitted = &data["submitRequest"];
    Ok(Complaint {
        id: submitted["request"]["id"].as_str().context("id")?.to_owned(),
        code: submitted["request"]["trackingCode"].as_str().context("code")?.to_owned(),
        secret: submitted["secret"].as_str().context("secret")?.to_owned(),
    })
}

/// Staff take the complaint in hand and answer it.
async fn answer(app: &TestApp, token: &str, commune: &str, complaint: &Complaint) -> Result<()> {
    for (action, version) in [("acknowledge", 1), ("answer", 2)] {
        let variables = json!({ "commune": commune, "id": complaint.id, "action": action, "version": version,
                                "comment": "réparé" });
        app.data(Some(token), ACT, variables).await?;
    }
    Ok(())
}

/// The applicant rates the answer.
async fn rate(app: &TestApp, complaint: &Complaint, rating: i64) -> Result<()> {
    app.data(
        None,
        "mutation($code: String!, $secret: String!, $rating: Int!) {
            rateComplaint(trackingCode: $code, secret: $secret, rating: $rating) { rating } }",
        json!({ "code": complaint.code, "secret": complaint.secret, "rating": rating }),
    )
    .await?;
    Ok(())
}

/// A connection that sees every commune's rows: the SQLite file, or PostgreSQL's superuser.
async fn direct(app: &TestApp) -> Result<DatabaseConnection> {
    let url = match &app.pg {
        Some((_, database)) => database.superuser_url.clone(),
        None => jamaa_graphql::settings::sqlite_url(app.dir.path()),
    };
    Ok(Database::connect(url).await?)
}

fn statement(db: &DatabaseConnection, sql: &str, values: Vec<SqlValue>) -> Statement {
    let sql = match db.get_database_backend() {
        DbBackend::Postgres => {
            let mut numbered = String::new();
            for (i, part) in sql.split('?').enumerate() {
                if i > 0 {
                    numbered.push_str(&format!("${i}"));
                }
                numbered.push_str(part);
            }
            numbered
        }
        _ => sql.to_owned(),
    };
    Statement::from_sql_and_values(db.get_database_backend(), sql, values)
}

async fn execute(db: &DatabaseConnection, sql: &str, values: Vec<SqlValue>) -> Result<()> {
    let result = db.execute_raw(statement(db, sql, values)).await?;
    ensure!(result.rows_affected() == 1, "`{sql}` changed {} rows", result.rows_affected());
    Ok(())
}

/// Moves a request back in time (submission, decision and due date), as if it had been filed `days` ago.
async fn file_earlier(
    db: &DatabaseConnection,
    id: &str,
    submitted_days_ago: i64,
    decided_days_ago: Option<i64>,
    due: Option<NaiveDate>,
) -> Result<()> {
    let now = Utc::now();
    let id = uuid::Uuid::parse_str(jamaa_tests::app::entity_id(id))?;
    execute(
        db,
        "UPDATE requests SET submitted_at = ? WHERE id = ?",
        vec![(now - Duration::days(submitted_days_ago) - Duration::hours(5)).into(), id.into()],
    )
    .await?;
    if let Some(days) = decided_days_ago {
        execute(
            db,
            "UPDATE requests SET closed_at = ? WHERE id = ?",
            vec![(now - Duration::days(days)).into(), id.into()],
        )
        .await?;
    }
    if let Some(due) = due {
        execute(db, "UPDATE requests SET decision_due = ? WHERE id = ?", vec![due.into(), id.into()]).await?;
    }
    Ok(())
}

/// One request as this test reads it from the tables.
struct Row {
    commune: String,
    service: String,
    state: String,
    outcome: Option<String>,
    submitted_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
    decision_due: NaiveDate,
}

/// What this test expects of one commune (or a sum of several).
#[derive(Debug, Default, PartialEq)]
struct Expected {
    submitted: u64,
    by_state: BTreeMap<(String, String), u64>,
    by_outcome: BTreeMap<String, u64>,
    decided: u64,
    within: u64,
    durations: Vec<f64>,
    backlog: [u64; 5],
    complaints: u64,
    reopened: u64,
    ratings: Vec<i64>,
}

fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => None,
        n if n % 2 == 1 => Some(sorted[n / 2]),
        n => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

fn count(value: &Value) -> u64 {
    value.as_u64().unwrap_or(u64::MAX)
}

/// Compares an answer's figures with the expected ones; `with_median` for a single commune.
fn compare(label: &str, got: &Value, expected: &Expected, with_median: bool) -> Result<()> {
    ensure!(
        count(&got["submitted"]) == expected.submitted,
        "{label}: submitted {} ≠ {}",
        got["submitted"],
        expected.submitted
    );
    let mut by_state = BTreeMap::new();
    for service in got["byService"].as_array().context("byService")? {
        for state in service["byState"].as_array().context("byState")? {
            let key = (
                service["serviceCode"].as_str().unwrap_or("").to_owned(),
                state["state"].as_str().unwrap_or("").to_owned(),
            );
            by_state.insert(key, count(&state["count"]));
        }
    }
    ensure!(by_state == expected.by_state, "{label}: by state {by_state:?} ≠ {:?}", expected.by_state);
    for outcome in ["open", "approved", "rejected", "withdrawn", "closed"] {
        let want = expected.by_outcome.get(outcome).copied().unwrap_or(0);
        ensure!(count(&got["byOutcome"][outcome]) == want, "{label}: {outcome} {} ≠ {want}", got["byOutcome"][outcome]);
    }
    ensure!(count(&got["decided"]) == expected.decided, "{label}: decided {} ≠ {}", got["decided"], expected.decided);
    ensure!(
        count(&got["decidedWithinDeadline"]) == expected.within,
        "{label}: within deadline {} ≠ {}",
        got["decidedWithinDeadline"],
        expected.within
    );
    let share = (expected.decided > 0).then(|| expected.within as f64 / expected.decided as f64);
    ensure!(got["withinDeadlineShare"].as_f64() == share, "{label}: share {} ≠ {share:?}", got["withinDeadlineShare"]);
    if with_median {
        let want = median(&expected.durations);
        let close = match (got["medianProcessingSeconds"].as_f64(), want) {
            (Some(got), Some(want)) => (got - want).abs() < 0.01,
            (None, None) => true,
            _ => false,
        };
        ensure!(close, "{label}: median {} ≠ {want:?}", got["medianProcessingSeconds"]);
    }
    let buckets: Vec<u64> =
        got["backlog"]["buckets"].as_array().context("buckets")?.iter().map(|b| count(&b["count"])).collect();
    ensure!(buckets == expected.backlog, "{label}: backlog {buckets:?} ≠ {:?}", expected.backlog);
    ensure!(count(&got["backlog"]["total"]) == expected.backlog.iter().sum::<u64>(), "{label}: backlog total");
    ensure!(count(&got["complaints"]["received"]) == expected.complaints, "{label}: complaints {}", got["complaints"]);
    ensure!(count(&got["complaints"]["reopened"]) == expected.reopened, "{label}: reopened {}", got["complaints"]);
    ensure!(count(&got["complaints"]["ratings"]) == expected.ratings.len() as u64, "{label}: {}", got["complaints"]);
    let mean = (!expected.ratings.is_empty())
        .then(|| expected.ratings.iter().sum::<i64>() as f64 / expected.ratings.len() as f64);
    ensure!(
        got["complaints"]["satisfaction"].as_f64() == mean,
        "{label}: satisfaction {} ≠ {mean:?}",
        got["complaints"]
    );
    Ok(())
}

async fn national_indicators_match_a_count_in_the_database(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let operator = app.operator.clone();

    // A second commune of the Oriental region, with a counter agent.
    app.data(
        Some(&operator),
        "mutation($i: OnboardCommuneInput!) { onboardCommune(input: $i) { id } }",
        json!({ "i": { "from": "oujda@1", "slug": "berkane", "nameFr": "Berkane", "region": "Oriental",
                       "trackingPrefix": "BRK" } }),
    )
    .await?;
    let berkane = app
        .data(
            Some(&operator),
            "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }",
            json!({ "i": { "kind": "STAFF", "communes": ["berkane"], "roles": ["counter_agent"], "label": "b" } }),
        )
        .await?["createApiToken"]["token"]
        .as_str()
        .context("token")?
        .to_owned();

    // Files decided at once, decided late, decided long ago, and left open at every age.
    let db = direct(&app).await?;
    let today = Utc::now().date_naive();
    let (oujda, chefchaouen, kaedi) = (app.staff("oujda"), app.staff("chefchaouen"), app.staff("kaedi"));
    let o =
        [submit(&app, "oujda", "MA").await?, submit(&app, "oujda", "MA").await?, submit(&app, "oujda", "MA").await?];
    let o4 = submit(&app, "oujda", "MA").await?;
    act(&app, oujda, "oujda", &o[0], "certify").await?;
    act(&app, oujda, "oujda", &o[1], "reject").await?;
    act(&app, oujda, "oujda", &o[2], "certify").await?;
    file_earlier(&db, &o[0], 12, Some(2), Some(today + Duration::days(5))).await?; // 10 days, on time
    file_earlier(&db, &o[1], 3, Some(1), Some(today - Duration::days(20))).await?; // 2 days, late
    file_earlier(&db, &o[2], 40, Some(9), Some(today - Duration::days(30))).await?; // 31 days, late
    file_earlier(&db, &o4, 100, None, None).await?; // open for 100 days
    let c = [submit(&app, "chefchaouen", "MA").await?, submit(&app, "chefchaouen", "MA").await?];
    act(&app, chefchaouen, "chefchaouen", &c[0], "certify").await?;
    file_earlier(&db, &c[0], 6, Some(1), Some(today + Duration::days(3))).await?;
    file_earlier(&db, &c[1], 45, None, None).await?;
    let k = submit(&app, "kaedi", "MR").await?;
    act(&app, kaedi, "kaedi", &k, "reject").await?;
    file_earlier(&db, &k, 20, Some(0), Some(today + Duration::days(5))).await?;
    let b = submit(&app, "berkane", "MA").await?;
    act(&app, &berkane, "berkane", &b, "certify").await?;
    file_earlier(&db, &b, 65, Some(60), Some(today - Duration::days(59))).await?;

    // Complaints of Oujda and Chefchaouen: answered and rated by their applicants, one of them then reopened.
    let oujda_complaint = complain(&app, "oujda").await?;
    answer(&app, oujda, "oujda", &oujda_complaint).await?;
    rate(&app, &oujda_complaint, 2).await?;
    let reopen = json!({ "commune": "oujda", "id": oujda_complaint.id, "action": "reopen", "version": 3,
                         "comment": "toujours en panne", "secret": oujda_complaint.secret });
    app.data(None, ACT_AS_APPLICANT, reopen).await?;
    let chefchaouen_complaint = complain(&app, "chefchaouen").await?;
    answer(&app, chefchaouen, "chefchaouen", &chefchaouen_complaint).await?;
    rate(&app, &chefchaouen_complaint, 5).await?;

    // The platform's answer, over a period that holds every file.
    let (from, to) = (today - Duration::days(200), today + Duration::days(2));
    let query = format!(
        "query($from: NaiveDate, $to: NaiveDate) {{ nationalIndicators(from: $from, to: $to) {{
            from to
            communes {{ commune region asOf medianProcessingSeconds {FIGURES} }}
            regions {{ country region communes {FIGURES} }}
            total {{ medianProcessingSeconds {FIGURES} }}
        }} }}"
    );
    let answer = app.data(Some(&operator), &query, json!({ "from": from, "to": to })).await?;
    let national = &answer["nationalIndicators"];

    // This test's own count, from the tables.
    let rows: Vec<Row> = db
        .query_all_raw(statement(
            &db,
            "SELECT c.slug AS commune, s.code AS service, r.state AS state, r.outcome AS outcome, \
             r.submitted_at AS submitted_at, r.closed_at AS closed_at, r.decision_due AS decision_due \
             FROM requests r JOIN services s ON s.tenant_id = r.tenant_id AND s.id = r.service_id \
             JOIN communes c ON c.id = r.tenant_id",
            vec![],
        ))
        .await?
        .iter()
        .map(|row| {
            Ok(Row {
                commune: row.try_get("", "commune")?,
                service: row.try_get("", "service")?,
                state: row.try_get("", "state")?,
                outcome: row.try_get("", "outcome")?,
                submitted_at: row.try_get("", "submitted_at")?,
                closed_at: row.try_get("", "closed_at")?,
                decision_due: row.try_get("", "decision_due")?,
            })
        })
        .collect::<Result<_>>()?;
    let reopened: HashMap<String, u64> = db
        .query_all_raw(statement(
            &db,
            "SELECT m.slug AS commune, COUNT(DISTINCT t.request_id) AS n FROM request_transitions t \
             JOIN complaints c ON c.tenant_id = t.tenant_id AND c.request_id = t.request_id \
             JOIN communes m ON m.id = t.tenant_id WHERE t.action = ? GROUP BY m.slug",
            vec!["reopen".into()],
        ))
        .await?
        .iter()
        .map(|row| Ok((row.try_get("", "commune")?, row.try_get::<i64>("", "n")? as u64)))
        .collect::<Result<_>>()?;
    // Complaints by commune, and their ratings.
    let complaints: HashMap<String, (u64, Vec<i64>)> = db
        .query_all_raw(statement(
            &db,
            "SELECT m.slug AS commune, c.rating AS rating FROM complaints c JOIN communes m ON m.id = c.tenant_id",
            vec![],
        ))
        .await?
        .iter()
        .try_fold(HashMap::new(), |mut all: HashMap<String, (u64, Vec<i64>)>, row| {
            let entry = all.entry(row.try_get("", "commune")?).or_default();
            entry.0 += 1;
            entry.1.extend(row.try_get::<Option<i16>>("", "rating")?.map(i64::from));
            Ok::<_, anyhow::Error>(all)
        })?;
    let regions: BTreeMap<String, (String, Option<String>)> = db
        .query_all_raw(statement(&db, "SELECT slug, country, region FROM communes", vec![]))
        .await?
        .iter()
        .map(|row| Ok((row.try_get("", "slug")?, (row.try_get("", "country")?, row.try_get("", "region")?))))
        .collect::<Result<_>>()?;
    ensure!(regions.len() == 4, "four communes: {regions:?}");
    ensure!(reopened.get("oujda") == Some(&1), "the reopened complaint is counted: {reopened:?}");

    let communes = national["communes"].as_array().context("communes")?;
    ensure!(communes.len() == regions.len(), "every commune is in the national view");
    let mut by_region: BTreeMap<(String, Option<String>), Expected> = BTreeMap::new();
    let mut total = Expected::default();
    for got in communes {
        let slug = got["commune"].as_str().context("slug")?;
        let as_of: DateTime<Utc> = serde_json::from_value(got["asOf"].clone())?;
        let (received, ratings) = complaints.get(slug).cloned().unwrap_or_default();
        let mut expected = Expected {
            reopened: reopened.get(slug).copied().unwrap_or(0),
            complaints: received,
            ratings,
            ..Expected::default()
        };
        for row in rows.iter().filter(|r| r.commune == slug) {
            expected.submitted += 1;
            *expected.by_state.entry((row.service.clone(), row.state.clone())).or_default() += 1;
            *expected.by_outcome.entry(row.outcome.clone().unwrap_or_else(|| "open".to_owned())).or_default() += 1;
            if let (Some(closed), Some(outcome)) = (row.closed_at, &row.outcome)
                && outcome != "withdrawn"
            {
                expected.decided += 1;
                // The test's due dates are days away from the decisions: the UTC day tells.
                if closed.date_naive() <= row.decision_due {
                    expected.within += 1;
                }
                expected.durations.push((closed - row.submitted_at).num_milliseconds() as f64 / 1000.0);
            }
            if row.closed_at.is_none_or(|closed| closed > as_of) && row.submitted_at <= as_of {
                let age = (as_of - row.submitted_at).num_days();
                let bucket = [7, 30, 60, 90].iter().position(|bound| age < *bound).unwrap_or(4);
                expected.backlog[bucket] += 1;
            }
        }
        compare(slug, got, &expected, true)?;
        let region = regions.get(slug).cloned().context("region")?;
        ensure!(got["region"].as_str().map(str::to_owned) == region.1, "{slug}: region");
        for sum in [by_region.entry(region).or_default(), &mut total] {
            sum.submitted += expected.submitted;
            for (key, n) in &expected.by_state {
                *sum.by_state.entry(key.clone()).or_default() += n;
            }
            for (key, n) in &expected.by_outcome {
                *sum.by_outcome.entry(key.clone()).or_default() += n;
            }
            sum.decided += expected.decided;
            sum.within += expected.within;
            for (s, e) in sum.backlog.iter_mut().zip(expected.backlog) {
                *s += e;
            }
            sum.complaints += expected.complaints;
            sum.reopened += expected.reopened;
            sum.ratings.extend(&expected.ratings);
        }
    }
    // Oujda: 2, 10 and 31 days (and 5 hours); the one open 100 days is in the last bucket.
    let oujda_figures = communes.iter().find(|c| c["commune"] == "oujda").context("oujda")?;
    let median_days = oujda_figures["medianProcessingSeconds"].as_f64().map(|s| s / 86_400.0);
    ensure!(median_days.is_some_and(|d| (d - 10.0 - 5.0 / 24.0).abs() < 0.001), "median {median_days:?}");
    ensure!(oujda_figures["decidedWithinDeadline"] == 1 && oujda_figures["decided"] == 3, "{oujda_figures}");
    ensure!(oujda_figures["complaints"] == json!({ "received": 2, "reopened": 1, "ratings": 1, "satisfaction": 2.0 }));
    ensure!(oujda_figures["backlog"]["buckets"][4]["count"] == 1, "{}", oujda_figures["backlog"]);

    let got_regions = national["regions"].as_array().context("regions")?;
    ensure!(got_regions.len() == by_region.len(), "one total per region: {got_regions:?}");
    for got in got_regions {
        let key = (got["country"].as_str().unwrap_or("").to_owned(), got["region"].as_str().map(str::to_owned));
        let expected = by_region.get(&key).with_context(|| format!("region {key:?}"))?;
        compare(&format!("region {key:?}"), got, expected, false)?;
    }
    let oriental = got_regions.iter().find(|r| r["region"] == "Oriental").context("Oriental")?;
    ensure!(oriental["communes"] == 2 && count(&oriental["decided"]) == 4, "Oriental adds Oujda and Berkane");
    compare("total", &national["total"], &total, false)?;
    ensure!(national["total"]["medianProcessingSeconds"].is_null(), "medians do not add up");
    ensure!(national["total"]["complaints"]["satisfaction"] == 3.5, "{}", national["total"]["complaints"]);
    app.stop().await
}

async fn commune_indicators_are_open_data(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let id = submit(&app, "oujda", "MA").await?;
    act(&app, app.staff("oujda"), "oujda", &id, "certify").await?;

    // Anyone reads a commune's indicators, in its language.
    let query = format!(
        "query($c: String, $from: NaiveDate, $to: NaiveDate) {{ indicators(commune: $c, from: $from, to: $to, locale: \"fr\") {{
            commune communeName from to asOf medianProcessingSeconds medianProcessingDays
            byService {{ serviceName }} {FIGURES}
        }} }}"
    );
    let public = app.data(None, &query, json!({ "c": "oujda" })).await?["indicators"].clone();
    let year = Utc::now().date_naive().format("%Y").to_string();
    ensure!(public["from"] == format!("{year}-01-01") && public["to"] == format!("{year}-12-31"), "{public}");
    ensure!(public["communeName"] == "Oujda" && count(&public["submitted"]) == 4 && count(&public["decided"]) == 1);
    ensure!(public["withinDeadlineShare"] == 1.0, "decided at once: {}", public["withinDeadlineShare"]);
    ensure!(count(&public["byOutcome"]["open"]) == 3 && count(&public["byOutcome"]["approved"]) == 1);
    ensure!(count(&public["backlog"]["total"]) == 3, "{}", public["backlog"]);
    ensure!(count(&public["complaints"]["received"]) == 1 && count(&public["complaints"]["reopened"]) == 0);
    let names: Vec<&str> =
        public["byService"].as_array().context("services")?.iter().filter_map(|s| s["serviceName"].as_str()).collect();
    ensure!(names.contains(&"Réclamation"), "services are named: {names:?}");
    // The staff see the same; a period before the files holds none of them (but the backlog then).
    let mut staff = app.data(Some(app.staff("oujda")), &query, json!({})).await?["indicators"].clone();
    staff["asOf"] = public["asOf"].clone();
    ensure!(staff == public, "staff and public read the same figures");
    let past = app.data(None, &query, json!({ "c": "oujda", "from": "2020-01-01", "to": "2020-12-31" })).await?;
    ensure!(count(&past["indicators"]["submitted"]) == 0 && count(&past["indicators"]["backlog"]["total"]) == 0);

    // Bad periods are coded with their field.
    let reversed = app.graphql(None, &query, json!({ "c": "oujda", "from": "2026-02-01", "to": "2026-01-01" })).await?;
    ensure!(error_codes(&reversed) == ["VALIDATION_FAILED"], "{reversed}");
    ensure!(reversed["errors"][0]["extensions"]["fields"][0]["path"] == "to", "{reversed}");
    // The national view is the operators'.
    let national = app
        .graphql(Some(app.staff("oujda")), "query { nationalIndicators { total { submitted } } }", json!({}))
        .await?;
    ensure!(error_codes(&national) == ["FORBIDDEN"] && national["data"].is_null(), "{national}");
    let national = app.graphql(None, "query { nationalIndicators { total { submitted } } }", json!({})).await?;
    ensure!(error_codes(&national) == ["UNAUTHENTICATED"], "{national}");

    // The open-data JSON is the public answer.
    let json: Value = app.client.get(app.url("/opendata/oujda/indicators.json?locale=fr")).send().await?.json().await?;
    for key in ["commune", "communeName", "from", "to", "submitted", "decided", "byOutcome", "backlog", "complaints"] {
        ensure!(json[key] == public[key], "{key}: {} ≠ {}", json[key], public[key]);
    }
    let services = |v: &Value| -> Vec<(Value, Value, Value)> {
        v["byService"].as_array().map_or_else(Vec::new, |list| {
            list.iter().map(|s| (s["serviceCode"].clone(), s["serviceName"].clone(), s["submitted"].clone())).collect()
        })
    };
    ensure!(!services(&json).is_empty() && services(&json) == services(&public), "{}", json["byService"]);
    // The CSV: one figure a row.
    let response =
        app.client.get(app.url("/opendata/oujda/indicators.csv?from=2026-01-01&to=2026-12-31")).send().await?;
    ensure!(response.status() == 200);
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    ensure!(content_type.starts_with("text/csv"), "{content_type}");
    let csv = response.text().await?;
    let mut lines = csv.lines();
    ensure!(lines.next() == Some("commune,from,to,as_of,indicator,service,key,value"), "{csv}");
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let value = |indicator: &str, service: &str, key: &str| {
        rows.iter().find(|r| r[4] == indicator && r[5] == service && r[6] == key).map(|r| r[7].to_owned())
    };
    if year == "2026" {
        ensure!(value("submitted", "", "").as_deref() == Some("4"), "{csv}");
        ensure!(value("requests_by_state", "legalisation-signature", "certified").as_deref() == Some("1"), "{csv}");
        ensure!(value("requests_by_outcome", "", "open").as_deref() == Some("3"), "{csv}");
        ensure!(value("complaints_satisfaction", "", "").as_deref() == Some(""), "nothing rated yet: {csv}");
    }
    ensure!(rows.iter().all(|r| r.len() == 8 && r[0] == "oujda" && r[1] == "2026-01-01"), "{csv}");
    ensure!(rows.iter().filter(|r| r[4] == "backlog_by_age_days").count() == 5, "{csv}");

    // Bad input and unknown communes: coded, with their HTTP status.
    let bad = app.client.get(app.url("/opendata/oujda/indicators.csv?from=janvier")).send().await?;
    ensure!(bad.status() == 400);
    let bad: Value = bad.json().await?;
    ensure!(bad["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED", "{bad}");
    ensure!(bad["errors"][0]["extensions"]["fields"][0]["path"] == "from", "{bad}");
    let unknown = app.client.get(app.url("/opendata/atlantis/indicators.json")).send().await?;
    ensure!(unknown.status() == 404);
    app.stop().await
}

/// Downloads share the API's per-address budget: each one runs queries.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_data_downloads_are_rate_limited() -> Result<()> {
    let app = TestApp::spawn_with(Backend::Sqlite, |settings| settings.rate_limit_per_minute = 3).await?;
    for _ in 0..3 {
        let response = app.client.get(app.url("/opendata/oujda/indicators.csv")).send().await?;
        ensure!(response.status() == 200, "{}", response.status());
    }
    let response = app.client.get(app.url("/opendata/oujda/indicators.json")).send().await?;
    ensure!(response.status() == 429, "{}", response.status());
    let body: Value = response.json().await?;
    ensure!(error_codes(&body) == ["RATE_LIMITED"], "{body}");
    // And so does GraphQL, from the same address.
    let body = app.graphql(None, "{ communes(first: 1) { nodes { slug } } }", json!({})).await?;
    ensure!(error_codes(&body) == ["RATE_LIMITED"], "{body}");
    app.stop().await
}
