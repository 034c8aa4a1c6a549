//! The council and finance transparency over real HTTP, on SQLite and PostgreSQL: a session with three
//! deliberations and their votes publishes its decisions (GraphQL and the open-data files); a petition is
//! inscribed on the agenda through its workflow; another commune's secretary cannot touch Oujda's session; a
//! budget imported from CSV comes back identical from the open-data export, and a bad file imports nothing
//! and names its bad rows.

use anyhow::{Context as _, Result, ensure};
use jamaa_core::modules::finance::model::parse_centimes;
use jamaa_tests::app::{Backend, TestApp, error_codes, field_errors};
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(a_session_publishes_its_decisions, oujda_budget_round_trips_through_open_data);

const CREATE_TOKEN: &str = "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }";

async fn token(app: &TestApp, admin: &str, commune: &str, roles: &[&str]) -> Result<String> {
    let input = json!({ "kind": "STAFF", "communes": [commune], "roles": roles, "label": roles.join("+") });
    let created = app.data(Some(admin), CREATE_TOKEN, json!({ "i": input })).await?;
    created["createApiToken"]["token"].as_str().map(str::to_owned).context("no token")
}

const ADD_MEMBER: &str = "mutation($i: CouncilMemberInput!) { addCouncilMember(input: $i) { id role } }";
const SCHEDULE: &str = "mutation($c: String, $i: CouncilSessionInput!) {
    scheduleCouncilSession(commune: $c, input: $i) { id kind startsOn }
}";
const ADD_ITEM: &str = "mutation($c: String, $i: AgendaItemInput!) {
    addAgendaItem(commune: $c, input: $i) { id agenda { id position requestId } }
}";
const DELIBERATE: &str = "mutation($c: String, $i: DeliberationInput!) {
    recordDeliberation(commune: $c, input: $i) {
        deliberations { number textFr count { membersInOffice present votesFor against abstain absent outcome } }
    }
}";
const PUBLISH: &str =
    "mutation($c: String, $s: ID!) { publishCouncilDecisions(commune: $c, sessionId: $s) { publishedAt } }";
const SESSIONS: &str =
    "{ councilSessions { nodes { id publishedAt agenda { id } deliberations { number votes { memberId choice } } } } }";
const DECISIONS: &str = "query($y: Int) { councilDecisions(commune: \"oujda\", year: $y) { nodes {
    sessionDate sessionKind number textAr textFr publishedAt
    count { membersInOffice present votesFor against abstain absent outcome }
    votes { nameLatin choice }
} } }";

async fn a_session_publishes_its_decisions(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let admin = app.staff("oujda").to_owned();
    let secretary = token(&app, &admin, "oujda", &["council_secretary"]).await?;
    let president = token(&app, &admin, "oujda", &["president"]).await?;
    let agent = token(&app, &admin, "oujda", &["counter_agent"]).await?;

    // The council elected in 2027 (the demo's mandates end on 30 September 2027): five members, and one whose
    // mandate ended before.
    let mut members = Vec::new();
    for (i, role) in ["PRESIDENT", "VICE_PRESIDENT", "SECRETARY", "MEMBER", "MEMBER"].iter().enumerate() {
        let input = json!({
            "nameAr": format!("عضو {i}"), "nameLatin": format!("Membre Test {i}"), "party": "Liste T",
            "role": role, "mandateStart": "2027-10-01"
        });
        let added = app.data(Some(&secretary), ADD_MEMBER, json!({ "i": input })).await?;
        members.push(added["addCouncilMember"]["id"].as_str().context("member id")?.to_owned());
    }
    let former = json!({
        "nameAr": "عضو سابق", "nameLatin": "Ancien Membre", "party": "Liste T", "role": "MEMBER",
        "mandateStart": "2021-09-20", "mandateEnd": "2027-09-30"
    });
    let former =
        app.data(Some(&secretary), ADD_MEMBER, json!({ "i": former })).await?["addCouncilMember"]["id"].clone();
    // A counter agent does not run the council.
    let refused = app
        .graphql(
            Some(&agent),
            ADD_MEMBER,
            json!({ "i": {
        "nameAr": "x", "nameLatin": "x", "party": "x", "role": "MEMBER", "mandateStart": "2027-10-01"
    } }),
        )
        .await?;
    ensure!(error_codes(&refused) == ["FORBIDDEN"], "{refused}");

    // Ordinary sessions are held in February, May and October only.
    let march = json!({ "kind": "ORDINARY", "startsOn": "2027-03-02", "titleAr": "دورة", "titleFr": "Session" });
    let body = app.graphql(Some(&secretary), SCHEDULE, json!({ "i": march })).await?;
    ensure!(field_errors(&body) == [("input.startsOn".to_owned(), "OUT_OF_RANGE".to_owned())], "{body}");
    let extraordinary =
        json!({ "kind": "EXTRAORDINARY", "startsOn": "2027-03-02", "titleAr": "دورة", "titleFr": "Session" });
    app.data(Some(&secretary), SCHEDULE, json!({ "i": extraordinary })).await?;
    let october = json!({
        "kind": "ORDINARY", "startsOn": "2027-10-05",
        "titleAr": "الدورة العادية لشهر أكتوبر 2027", "titleFr": "Session ordinaire d'octobre 2027"
    });
    let session = app.data(Some(&secretary), SCHEDULE, json!({ "i": october })).await?;
    let session_id = session["scheduleCouncilSession"]["id"].as_str().context("session id")?.to_owned();

    // A petition declared admissible by the president goes on the agenda through its workflow.
    let petition = json!({ "serviceCode": "petition", "data": {
        "petitioner_type": "association", "association_name": "Association Al Qods pour l'environnement",
        "association_founded_on": "2018-05-02", "association_seated_in_commune": true,
        "association_in_good_standing": true, "representative_name": "Samira Test", "cin": "UA123456",
        "phone": "0612345678", "subject": "Parc du quartier Al Qods",
        "petition_text": "Nous demandons l'inscription à l'ordre du jour de l'aménagement d'un parc."
    } });
    let submit =
        "mutation($i: SubmitRequestInput!) { submitRequest(commune: \"oujda\", input: $i) { request { id } } }";
    let petition_id =
        app.data(None, submit, json!({ "i": petition.clone() })).await?["submitRequest"]["request"]["id"].clone();
    let early_id = app.data(None, submit, json!({ "i": petition })).await?["submitRequest"]["request"]["id"].clone();
    let act = "mutation($id: ID!, $a: String!, $v: Int!) {
        actOnRequest(commune: \"oujda\", id: $id, action: $a, expectedVersion: $v, comment: \"Recevable\") { state version }
    }";
    app.data(Some(&secretary), act, json!({ "id": petition_id, "a": "start_admissibility_check", "v": 1 })).await?;
    app.data(Some(&secretary), act, json!({ "id": petition_id, "a": "forward_to_president", "v": 2 })).await?;
    app.data(Some(&president), act, json!({ "id": petition_id, "a": "declare_admissible", "v": 3 })).await?;
    let item = |title: &str, request: &Value| json!({ "c": "oujda", "i": { "sessionId": session_id, "titleAr": title, "titleFr": title, "requestId": request } });
    // The secretary cannot inscribe it (the president does); a petition still being checked cannot be inscribed.
    let body = app.graphql(Some(&secretary), ADD_ITEM, item("Pétition", &petition_id)).await?;
    ensure!(error_codes(&body) == ["FORBIDDEN"], "{body}");
    let body = app.graphql(Some(&president), ADD_ITEM, item("Pétition", &early_id)).await?;
    ensure!(field_errors(&body) == [("input.requestId".to_owned(), "INVALID_VALUE".to_owned())], "{body}");
    app.data(Some(&president), ADD_ITEM, item("Pétition : parc du quartier Al Qods", &petition_id)).await?;
    let state = "query($id: ID!) { request(commune: \"oujda\", id: $id) { state } }";
    let petition_state = app.data(Some(&admin), state, json!({ "id": petition_id })).await?;
    ensure!(petition_state["request"]["state"] == "inscribed_on_agenda", "{petition_state}");
    app.data(Some(&secretary), ADD_ITEM, item("Budget annexe", &Value::Null)).await?;
    let agenda = app.data(Some(&secretary), ADD_ITEM, item("Convention de jumelage", &Value::Null)).await?;
    let agenda: Vec<Value> = agenda["addAgendaItem"]["agenda"].as_array().cloned().unwrap_or_default();
    // The agenda names the request by its entity id: the request's `id` without the locale of its text.
    let petition_entity = petition_id.as_str().and_then(|id| id.split_once('@')).map(|(entity, _)| entity);
    ensure!(agenda.len() == 3 && agenda[0]["requestId"].as_str() == petition_entity, "{agenda:?}");

    // Three deliberations: adopted, without quorum, rejected.
    let votes = |choices: &[&str]| -> Value {
        members.iter().zip(choices).map(|(m, c)| json!({ "memberId": m, "choice": c })).collect()
    };
    let deliberation = |n: usize, text: &str, votes: Value| {
        json!({ "c": "oujda", "i": {
            "sessionId": session_id, "agendaItemId": agenda[n]["id"],
            "textAr": format!("قرار {text}"), "textFr": format!("Décision : {text}"), "votes": votes
        } })
    };
    // A former member's vote is refused, and nothing is recorded.
    let body = app
        .graphql(Some(&secretary), DELIBERATE, deliberation(0, "x", json!([{ "memberId": former, "choice": "FOR" }])))
        .await?;
    ensure!(field_errors(&body) == [("input.votes[0].memberId".to_owned(), "INVALID_VALUE".to_owned())], "{body}");
    let cases = [
        (
            "le parc est inscrit au plan d'action",
            votes(&["FOR", "FOR", "FOR", "AGAINST", "ABSTAIN"]),
            [5, 5, 3, 1, 1, 0],
            "ADOPTED",
        ),
        ("budget annexe", votes(&["FOR", "FOR", "ABSENT", "ABSENT"]), [5, 2, 2, 0, 0, 3], "NO_QUORUM"),
        ("jumelage", votes(&["FOR", "AGAINST", "AGAINST", "ABSTAIN"]), [5, 4, 1, 2, 1, 1], "REJECTED"),
    ];
    for (n, (text, votes, counts, outcome)) in cases.iter().enumerate() {
        let recorded = app.data(Some(&secretary), DELIBERATE, deliberation(n, text, votes.clone())).await?;
        let last = &recorded["recordDeliberation"]["deliberations"][n];
        let c = &last["count"];
        let got = ["membersInOffice", "present", "votesFor", "against", "abstain", "absent"]
            .map(|k| c[k].as_u64().unwrap_or(99));
        ensure!(got == counts.map(|x| x as u64) && c["outcome"] == *outcome, "{n}: {last}");
        ensure!(last["number"] == n + 1, "{last}");
    }

    // Nothing is public before publication.
    let before = app.data(None, DECISIONS, json!({ "y": 2027 })).await?;
    ensure!(before["councilDecisions"]["nodes"] == json!([]), "{before}");

    // Chefchaouen's secretary, and its staff with every role, cannot touch Oujda's session.
    let chefchaouen_admin = app.staff("chefchaouen").to_owned();
    let chefchaouen_secretary = token(&app, &chefchaouen_admin, "chefchaouen", &["council_secretary"]).await?;
    let before = app.data(Some(&admin), SESSIONS, json!({})).await?;
    for attacker in [&chefchaouen_secretary, &chefchaouen_admin] {
        for (commune, expected) in
            [(json!("oujda"), "FORBIDDEN"), (json!("chefchaouen"), "NOT_FOUND"), (Value::Null, "NOT_FOUND")]
        {
            let mut attempt = deliberation(0, "détournée", votes(&["FOR"]));
            attempt["c"] = commune.clone();
            let attempts = [
                (DELIBERATE, attempt),
                (ADD_ITEM, {
                    let mut i = item("Point ajouté", &Value::Null);
                    i["c"] = commune.clone();
                    i
                }),
                (PUBLISH, json!({ "c": commune, "s": session_id })),
            ];
            for (document, variables) in attempts {
                let body = app.graphql(Some(attacker), document, variables.clone()).await?;
                ensure!(error_codes(&body) == [expected], "{variables}: {body}");
            }
        }
        let sessions =
            app.graphql(Some(attacker), "{ councilSessions(commune: \"oujda\") { nodes { id } } }", json!({})).await?;
        ensure!(error_codes(&sessions) == ["FORBIDDEN"], "{sessions}");
    }
    let after = app.data(Some(&admin), SESSIONS, json!({})).await?;
    ensure!(before == after, "Oujda's sessions changed: {before} → {after}");

    // Published: the decisions are open data, and the session is closed.
    app.data(Some(&secretary), PUBLISH, json!({ "s": session_id })).await?;
    let again = app.graphql(Some(&secretary), PUBLISH, json!({ "s": session_id })).await?;
    ensure!(error_codes(&again) == ["CONFLICT"], "{again}");
    let late = app.graphql(Some(&secretary), DELIBERATE, deliberation(0, "tardive", votes(&["FOR"]))).await?;
    ensure!(error_codes(&late) == ["CONFLICT"], "{late}");
    let published = app.data(None, DECISIONS, json!({ "y": 2027 })).await?;
    let published = published["councilDecisions"]["nodes"].as_array().cloned().unwrap_or_default();
    // The three deliberations, their counts and each member's vote, as the session of 5 October 2027 took them.
    insta::assert_json_snapshot!("oujda_decisions_published", published, { "[].publishedAt" => "[publishedAt]" });

    let json_file: Value =
        app.client.get(app.url("/opendata/oujda/decisions.json?year=2027")).send().await?.json().await?;
    let from_file: Vec<Value> = json_file["decisions"].as_array().cloned().unwrap_or_default();
    ensure!(from_file.len() == 3, "{json_file}");
    for (file, graphql) in from_file.iter().zip(&published) {
        for key in ["textAr", "textFr", "number", "sessionDate", "count"] {
            ensure!(file[key] == graphql[key], "{key}: {file} vs {graphql}");
        }
    }
    let response = app.client.get(app.url("/opendata/oujda/decisions.csv?year=2027")).send().await?;
    ensure!(response.status() == 200, "{}", response.status());
    let text = response.text().await?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers()?.clone();
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>()?;
    ensure!(rows.len() == 3, "{text}");
    let column = |row: &csv::StringRecord, name: &str| {
        headers.iter().position(|h| h == name).and_then(|i| row.get(i)).unwrap_or("").to_owned()
    };
    for (row, (text, _, counts, outcome)) in rows.iter().zip(&cases) {
        ensure!(column(row, "text_fr") == format!("Décision : {text}"), "{row:?}");
        ensure!(column(row, "outcome") == *outcome && column(row, "for") == counts[2].to_string(), "{row:?}");
        ensure!(column(row, "absent") == counts[5].to_string(), "{row:?}");
    }
    // The demo's own session was published too; an unknown commune is 404.
    let demo = app.data(None, DECISIONS, json!({ "y": 2026 })).await?;
    ensure!(demo["councilDecisions"]["nodes"].as_array().map(Vec::len) == Some(3), "{demo}");
    let missing = app.client.get(app.url("/opendata/nowhere/decisions.json")).send().await?;
    ensure!(missing.status() == 404, "{}", missing.status());
    app.stop().await
}

const IMPORT: &str = "mutation($c: String, $y: Int!, $csv: String!) { importBudget(commune: $c, year: $y, csv: $csv) {
    year lines replaced
} }";

/// A year of Oujda's budget, illustrative: two chapters of expenses and three revenue types.
const BUDGET_2026: &str = "\
kind,chapter,article,paragraph,label_ar,label_fr,revenue_type,appropriated,committed,paid,planned,collected
expense,10,10,1,أجور الموظفين,Traitements du personnel,,190000000,189500000,187250000.25,,
expense,10,20,1,الإنارة العمومية,Éclairage public,,48000000,47000000,40000000,,
expense,20,10,1,تهيئة الطرق,Aménagement de voirie,,70000000,52500000,35000000.5,,
revenue,10,10,1,حصة الضريبة على القيمة المضافة,Part de la TVA,vat_share,,,,270000000,270000000
revenue,10,20,1,رسم الخدمات الجماعية,Taxe de services communaux,local_taxes,,,,75000000,60000000.75
revenue,10,20,2,الرسم على الأراضي غير المبنية,Taxe sur les terrains non bâtis,local_taxes,,,,40000000,30000000
revenue,10,30,1,كراء الأملاك الجماعية,Locations des biens communaux,property,,,,12000000,9000000
";

async fn oujda_budget_round_trips_through_open_data(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let admin = app.staff("oujda").to_owned();
    let finance = token(&app, &admin, "oujda", &["head_of_service"]).await?;
    let secretary = token(&app, &admin, "oujda", &["council_secretary"]).await?;

    let imported = app.data(Some(&finance), IMPORT, json!({ "y": 2026, "csv": BUDGET_2026 })).await?;
    ensure!(imported["importBudget"] == json!({ "year": 2026, "lines": 7, "replaced": 0 }), "{imported}");

    // The CSV export reproduces every imported figure.
    let response = app.client.get(app.url("/opendata/oujda/budget-execution.csv?year=2026")).send().await?;
    ensure!(response.status() == 200, "{}", response.status());
    ensure!(
        response.headers().get("content-type").and_then(|v| v.to_str().ok()) == Some("text/csv; charset=utf-8"),
        "{:?}",
        response.headers()
    );
    let exported = response.text().await?;
    let mut imported_rows = csv::Reader::from_reader(BUDGET_2026.as_bytes());
    let mut exported_rows = csv::Reader::from_reader(exported.as_bytes());
    let exported_headers = exported_rows.headers()?.clone();
    ensure!(exported_headers.get(0) == Some("year"), "{exported_headers:?}");
    let imported_headers = imported_rows.headers()?.clone();
    let left: Vec<csv::StringRecord> = imported_rows.records().collect::<Result<_, _>>()?;
    let right: Vec<csv::StringRecord> = exported_rows.records().collect::<Result<_, _>>()?;
    ensure!(left.len() == right.len(), "{exported}");
    for (a, b) in left.iter().zip(&right) {
        ensure!(b.get(0) == Some("2026"), "{b:?}");
        for (i, column) in imported_headers.iter().enumerate() {
            let (x, y) = (a.get(i).unwrap_or(""), b.get(i + 1).unwrap_or(""));
            if ["appropriated", "committed", "paid", "planned", "collected"].contains(&column) && !x.is_empty() {
                ensure!(parse_centimes(x) == parse_centimes(y), "{column}: imported {x}, exported {y}");
            } else {
                ensure!(x == y, "{column}: imported {x:?}, exported {y:?}");
            }
        }
    }

    // The JSON export: the lines and the aggregates, as the public query answers them.
    let file: Value =
        app.client.get(app.url("/opendata/oujda/budget-execution.json?year=2026")).send().await?.json().await?;
    let budget = &file["budget"];
    ensure!(budget["currency"] == "MAD", "{budget}");
    let query = "{ budgetExecution(commune: \"oujda\", year: 2026) {
        currency lines { chapter article paragraph labelFr appropriated committed paid planned collected revenueType }
        chapters { year chapter appropriated committed paid executionRate commitmentRate }
        revenues { year revenueType planned collected collectionRate }
        years { year paid collected executionRate collectionRate }
    } }";
    let graphql = app.data(None, query, json!({})).await?;
    let graphql = &graphql["budgetExecution"];
    ensure!(
        budget["chapters"] == graphql["chapters"] && budget["revenues"] == graphql["revenues"],
        "{budget} {graphql}"
    );
    // The imported lines, and what they add up to: chapter 10, 238,000,000.00 appropriated, 227,250,000.25 paid,
    // is 95.48 % executed.
    insta::assert_json_snapshot!("oujda_budget_2026_execution", graphql);
    // Year over year: the demo's 2024 and 2025 budgets, then 2026.
    let all =
        app.data(None, "{ budgetExecution(commune: \"oujda\") { years { year paidChange } } }", json!({})).await?;
    let years: Vec<i64> =
        all["budgetExecution"]["years"].as_array().into_iter().flatten().filter_map(|y| y["year"].as_i64()).collect();
    ensure!(years == [2024, 2025, 2026], "{all}");
    ensure!(
        all["budgetExecution"]["years"][0]["paidChange"].is_null()
            && all["budgetExecution"]["years"][1]["paidChange"].is_string(),
        "{all}"
    );

    // A bad file imports nothing, and names each bad row by line and column.
    let bad = "\
kind,chapter,article,paragraph,label_ar,label_fr,revenue_type,appropriated,committed,paid,planned,collected
expense,10,10,1,أجور,Traitements,,1000,900,800,,
expense,10,20,1,إنارة,Éclairage,,1000,900,950,,
revenue,10,10,1,حصة,TVA,vat_share,,,,5000,4000
dépense,10,30,1,ماء,Eau,,10,10,10,,
revenue,10,20,1,رسم,Taxe,local_taxes,,,,1.234,-5
expense,10,10,1,أجور,Doublon,,1,1,1,,
";
    for year in [2026, 2027] {
        let body = app.graphql(Some(&finance), IMPORT, json!({ "y": year, "csv": bad })).await?;
        ensure!(error_codes(&body) == ["VALIDATION_FAILED"], "{body}");
        let expected = [
            ("lines[3].paid", "OUT_OF_RANGE"),
            ("lines[5].kind", "NOT_AN_OPTION"),
            ("lines[6].planned", "INVALID_TYPE"),
            ("lines[6].collected", "OUT_OF_RANGE"),
            ("lines[7].paragraph", "INVALID_VALUE"),
        ]
        .map(|(p, c)| (p.to_owned(), c.to_owned()));
        ensure!(field_errors(&body) == expected, "{body}");
    }
    let none =
        app.data(None, "{ budgetExecution(commune: \"oujda\", year: 2027) { lines { chapter } } }", json!({})).await?;
    ensure!(none["budgetExecution"]["lines"] == json!([]), "{none}");
    let still = app.client.get(app.url("/opendata/oujda/budget-execution.csv?year=2026")).send().await?.text().await?;
    ensure!(still == exported, "the bad file changed 2026: {still}");

    // Neither the council's secretary nor another commune's staff import Oujda's budget.
    let body = app.graphql(Some(&secretary), IMPORT, json!({ "y": 2026, "csv": BUDGET_2026 })).await?;
    ensure!(error_codes(&body) == ["FORBIDDEN"], "{body}");
    let body =
        app.graphql(Some(app.staff("chefchaouen")), IMPORT, json!({ "c": "oujda", "y": 2026, "csv": bad })).await?;
    ensure!(error_codes(&body) == ["FORBIDDEN"], "{body}");
    // Importing again replaces the year.
    let again = app.data(Some(&finance), IMPORT, json!({ "y": 2026, "csv": BUDGET_2026 })).await?;
    ensure!(again["importBudget"]["replaced"] == 7, "{again}");
    app.stop().await
}
