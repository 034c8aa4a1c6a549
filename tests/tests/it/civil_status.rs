//! Civil status end to end, over real HTTP on SQLite and PostgreSQL: Chefchaouen's registrar registers a
//! birth, issues an extract whose `/verify` page confirms it, adds a marginal mention that the next extract
//! (verified too) and the act's audit trail show;
//! Oujda's registrar neither reads nor adds to Chefchaouen's acts; a counter agent does not read the full
//! record; the database holds no name of the child in clear, and refuses to change or remove an act.

use anyhow::{Context as _, Result, ensure};
use jamaa_tests::app::{Backend, TestApp, error_codes};
use serde_json::{Value, json};

use crate::snapshot::replacing;

jamaa_tests::on_both_backends!(a_birth_yields_extracts_that_show_later_mentions);

const CHILD_LATIN: &str = "Nourelhouda";
const CHILD_AR: &str = "نور الهدى";
const FAMILY_LATIN: &str = "Bakkali-Soussi";
const FATHER_CIN: &str = "LB402918";
const PLACE: &str = "Clinique Al Andalous, Chefchaouen";

const CREATE_TOKEN: &str = "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }";
const REGISTER: &str = "mutation($c: String, $i: RegisterCivilActInput!) { registerCivilAct(commune: $c, input: $i) {
    id number office year actNumber subject { givenLatin familyAr } father { nationalId birthDate } history { kind }
} }";
const ISSUE: &str = "mutation($c: String, $id: ID!, $k: CivilDocumentKind!) {
    issueCivilDocument(commune: $c, actId: $id, kind: $k) {
        number kind title titleAr text fields { key value } code fingerprint verifyPath pdfPath
    }
}";
const MENTION: &str = "mutation($c: String, $id: ID!, $i: CivilMentionInput!) {
    addCivilMention(commune: $c, actId: $id, input: $i) { sequence kind text reference }
}";
const READ: &str = "query($c: String, $id: ID!) { civilAct(commune: $c, id: $id) {
    number subject { givenLatin givenAr familyLatin } mentions { sequence kind text reference }
    history { kind actor payload }
} }";

const VERIFY: &str = "query($code: String!, $text: String) {
    verifyDocument(code: $code, text: $text, locale: \"fr\") { commune { slug } kind textMatches }
}";

/// Anyone checks an issued document: GraphQL says who issued what and that the text is the one issued, and
/// the `/verify` page says it is authentic without showing its content. Returns its code.
async fn verified(app: &TestApp, document: &Value, text: &str) -> Result<String> {
    let code = document["code"].as_str().context("no code")?.to_owned();
    ensure!(code.starts_with("CHF-"), "{code}");
    assert_eq!(document["verifyPath"], format!("/verify/{code}"));
    let check = app.data(None, VERIFY, json!({ "code": code, "text": text })).await?;
    assert_eq!(
        check["verifyDocument"],
        json!({ "commune": { "slug": "chefchaouen" }, "kind": "civil_status.extract", "textMatches": true })
    );
    let http = reqwest::Client::new();
    let page = http.get(app.url(&format!("/verify/{code}?lang=fr"))).send().await?;
    assert_eq!(page.status(), 200);
    let html = page.text().await?;
    ensure!(html.contains("Document authentique") && html.contains(&code), "{html}");
    ensure!(!html.contains(CHILD_LATIN), "the page shows no content: {html}");
    let checked = http.post(app.url(&format!("/verify/{code}?lang=fr"))).form(&[("text", text)]).send().await?;
    let checked = checked.text().await?;
    ensure!(checked.contains("n'a pas été modifié"), "{checked}");
    Ok(code)
}

async fn token(app: &TestApp, admin: &str, commune: &str, role: &str) -> Result<String> {
    let input = json!({ "kind": "STAFF", "communes": [commune], "roles": [role], "label": role });
    let data = app.data(Some(admin), CREATE_TOKEN, json!({ "i": input })).await?;
    data["createApiToken"]["token"].as_str().map(str::to_owned).context("no token")
}

fn name(given_ar: &str, family_ar: &str, given: &str, family: &str) -> Value {
    json!({ "givenAr": given_ar, "familyAr": family_ar, "givenLatin": given, "familyLatin": family })
}

fn birth(office: &str) -> Value {
    json!({
        "kind": "BIRTH",
        "office": office,
        "sex": "FEMALE",
        "event": { "date": "2026-01-02", "time": "06:40", "place": PLACE },
        // Declared more than 30 days after the birth (law 36.21): on a judgment.
        "judgmentReference": "Jugement n° 54/2026 du TPI de Chefchaouen",
        "subject": name(CHILD_AR, "البقالي السوسي", CHILD_LATIN, FAMILY_LATIN),
        "father": {
            "name": name("عادل", "البقالي السوسي", "Adil", FAMILY_LATIN),
            "nationality": "marocaine", "birthDate": "1988", "birthPlace": "Tétouan", "nationalId": "lb 402918"
        },
        "mother": { "name": name("هند", "الوزاني", "Hind", "Ouazzani"), "nationality": "marocaine", "birthDate": "1991-07" },
        "declarant": { "name": name("عادل", "البقالي السوسي", "Adil", FAMILY_LATIN), "relation": "father" }
    })
}

/// Tries to change and to remove civil-status rows behind the application's back: each attempt must fail.
async fn registers_refuse_changes(app: &TestApp) -> Result<()> {
    let statements = [
        "UPDATE civil_acts SET office = 'XX-9'",
        "DELETE FROM civil_acts",
        "UPDATE civil_mentions SET reference = 'forged'",
        "DELETE FROM civil_mentions",
    ];
    match &app.pg {
        Some((server, database)) => {
            for statement in statements {
                // Even the tables' owner is refused by the trigger; the application's role has no privilege.
                let owner = server.psql(&database.name, &format!("{statement};"));
                ensure!(owner.is_err_and(|e| format!("{e:#}").contains("never changed")), "{statement} ran");
                let app_role = server.psql_as("jamaa_app", &database.name, &format!("{statement};"));
                ensure!(app_role.is_err_and(|e| format!("{e:#}").contains("permission denied")), "{statement} ran");
            }
        }
        None => {
            use sea_orm::ConnectionTrait as _;
            let db = sea_orm::Database::connect(jamaa_graphql::settings::sqlite_url(app.dir.path())).await?;
            for statement in statements {
                let result = db.execute_unprepared(statement).await;
                ensure!(result.is_err_and(|e| e.to_string().contains("never changed")), "{statement} ran");
            }
            db.close().await?;
        }
    }
    Ok(())
}

async fn a_birth_yields_extracts_that_show_later_mentions(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let chefchaouen_admin = app.staff("chefchaouen").to_owned();
    let registrar = token(&app, &chefchaouen_admin, "chefchaouen", "civil_registrar").await?;
    let agent = token(&app, &chefchaouen_admin, "chefchaouen", "counter_agent").await?;
    let oujda_registrar = token(&app, app.staff("oujda"), "oujda", "civil_registrar").await?;

    // Registered in office CHF-2's register of the year: numbers 1, 2, … without gaps.
    let act = app.data(Some(&registrar), REGISTER, json!({ "i": birth("chf-2") })).await?["registerCivilAct"].clone();
    let year = act["year"].as_i64().context("no year")?;
    // The register's number of the act, the names as declared, the national id normalized.
    let in_year = || replacing(&[(year.to_string().as_str(), "[year]")]);
    insta::assert_json_snapshot!("birth_registered", act, {
        ".id" => "[id]",
        ".year" => "[year]",
        ".number" => in_year(),
    });
    let id = act["id"].clone();
    let second = app.data(Some(&registrar), REGISTER, json!({ "i": birth("CHF-2") })).await?;
    assert_eq!(second["registerCivilAct"]["number"], format!("CHF-2/{year}/2"));

    // The extract, before any mention.
    let extract =
        app.data(Some(&registrar), ISSUE, json!({ "id": id, "k": "EXTRACT" })).await?["issueCivilDocument"].clone();
    let text = extract["text"].as_str().context("no text")?;
    assert!(text.starts_with("Extrait d'acte de naissance\n"), "{text}");
    for expected in [CHILD_LATIN, CHILD_AR, FAMILY_LATIN, "Date de naissance: 02/01/2026", PLACE, "Adil"] {
        assert!(text.contains(expected), "{expected} missing from {text}");
    }
    assert!(!text.contains("Mention"), "{text}");
    assert!(!text.contains(FATHER_CIN), "an extract shows no national id: {text}");
    assert_eq!(extract["titleAr"], "نسخة موجزة من رسم الولادة");
    // Its PDF is served where the document says, to whoever holds the code.
    let code = extract["code"].as_str().context("no code")?;
    assert_eq!(extract["pdfPath"], format!("/documents/chefchaouen/{code}.pdf"));
    let pdf = app.client.get(app.url(extract["pdfPath"].as_str().unwrap_or_default())).send().await?;
    assert_eq!(pdf.status(), 200);
    assert!(pdf.bytes().await?.starts_with(b"%PDF-"));
    let first_code = verified(&app, &extract, text).await?;

    // A rectification by judgment, added later.
    let mention = json!({
        "kind": "RECTIFICATION",
        "text": "Le nom de famille de la mère se lit Ouazzani-Idrissi.",
        "reference": "Jugement n° 118/2026 du TPI de Chefchaouen",
        "effectiveOn": "2026-01-20"
    });
    let added = app.data(Some(&registrar), MENTION, json!({ "id": id, "i": mention })).await?;
    assert_eq!(added["addCivilMention"]["sequence"], 1);
    let next =
        app.data(Some(&registrar), ISSUE, json!({ "id": id, "k": "EXTRACT" })).await?["issueCivilDocument"].clone();
    let text = next["text"].as_str().context("no text")?;
    let line = "Mention marginale: Rectification par jugement du 20/01/2026 (Jugement n° 118/2026 du TPI de \
                Chefchaouen) : Le nom de famille de la mère se lit Ouazzani-Idrissi.";
    assert!(text.contains(line), "the next extract shows the mention: {text}");
    let next_code = verified(&app, &next, text).await?;
    ensure!(next_code != first_code, "each issuance is its own document");
    // The first extract's code does not vouch for the new text.
    let vars = json!({ "code": first_code, "text": text });
    let stale = app.data(None, VERIFY, vars).await?;
    assert_eq!(stale["verifyDocument"]["textMatches"], false);
    let copy = app.data(Some(&registrar), ISSUE, json!({ "id": id, "k": "FULL_COPY" })).await?;
    let copy = copy["issueCivilDocument"]["text"].as_str().context("no text")?.to_owned();
    for expected in [FATHER_CIN, "06:40", "Déclarant", line] {
        assert!(copy.contains(expected), "{expected} missing from the full copy: {copy}");
    }

    // A mention without its judgment's reference is refused, with its path.
    let unreasoned = json!({ "kind": "RECTIFICATION", "text": "Autre prénom.", "effectiveOn": "2026-01-20" });
    let refused = app.graphql(Some(&registrar), MENTION, json!({ "id": id, "i": unreasoned })).await?;
    assert_eq!(error_codes(&refused), ["VALIDATION_FAILED"]);
    assert_eq!(refused["errors"][0]["extensions"]["fields"][0]["path"], "input.reference");
    // A birth of 2019 declared today without a judgment is refused.
    let mut late = birth("CHF-2");
    late["event"]["date"] = json!("2019-05-14");
    late["judgmentReference"] = Value::Null;
    let refused = app.graphql(Some(&registrar), REGISTER, json!({ "i": late })).await?;
    assert_eq!(error_codes(&refused), ["VALIDATION_FAILED"]);
    assert_eq!(refused["errors"][0]["extensions"]["fields"][0]["path"], "input.judgmentReference", "{refused}");
    assert_eq!(refused["errors"][0]["extensions"]["fields"][0]["code"], "REQUIRED");
    let mut bad = birth("CHF-2");
    bad["event"]["time"] = json!("6h40");
    bad["father"]["birthDate"] = json!("88");
    let refused = app.graphql(Some(&registrar), REGISTER, json!({ "i": bad })).await?;
    insta::assert_json_snapshot!("birth_refused_with_two_paths", refused);

    // The full record, and its audit trail: registration, documents, the mention, and this reading.
    let record = app.data(Some(&registrar), READ, json!({ "id": id })).await?["civilAct"].clone();
    insta::assert_json_snapshot!("birth_record_and_trail", record, {
        ".number" => in_year(),
        ".history[].actor" => "[actor]",
        ".history[].payload.number" => in_year(),
        ".history[].payload.code" => "[code]",
        ".history[].payload.fingerprint" => "[fingerprint]",
    });
    assert!(!record["history"].to_string().contains(CHILD_LATIN), "no name in the audit trail");

    // Oujda's registrar: Chefchaouen's act is not theirs, named or not.
    for commune in [json!("chefchaouen"), json!(null), json!("oujda")] {
        let vars = json!({ "c": commune, "id": id });
        let read = app.graphql(Some(&oujda_registrar), READ, vars.clone()).await?;
        let issued =
            app.graphql(Some(&oujda_registrar), ISSUE, json!({ "c": commune, "id": id, "k": "EXTRACT" })).await?;
        let added =
            app.graphql(Some(&oujda_registrar), MENTION, json!({ "c": commune, "id": id, "i": mention })).await?;
        for body in [&read, &issued, &added] {
            let codes = error_codes(body);
            ensure!(codes == ["FORBIDDEN"] || codes == ["NOT_FOUND"], "{commune}: {body}");
            ensure!(!body.to_string().contains(CHILD_LATIN), "{body}");
        }
    }
    // Chefchaouen's counter agent: no full record, no registering, no document.
    for (query, vars) in [
        (READ, json!({ "id": id })),
        (REGISTER, json!({ "i": birth("CHF-2") })),
        (ISSUE, json!({ "id": id, "k": "FULL_COPY" })),
        (MENTION, json!({ "id": id, "i": mention })),
    ] {
        let body = app.graphql(Some(&agent), query, vars).await?;
        ensure!(error_codes(&body) == ["FORBIDDEN"], "{body}");
    }
    // Nothing of that reached the act.
    let after = app.data(Some(&registrar), READ, json!({ "id": id })).await?["civilAct"].clone();
    assert_eq!(after["mentions"].as_array().map(Vec::len), Some(1));

    // The acts are found by the subject's national id through a blind index only; listings show no names.
    let list = "query($o: String, $y: Int) { civilActs(office: $o, year: $y, first: 1) {
        nodes { number } pageInfo { hasNextPage endCursor } } }";
    let page = app.data(Some(&registrar), list, json!({ "o": "CHF-2", "y": year })).await?;
    assert_eq!(page["civilActs"]["nodes"][0]["number"], format!("CHF-2/{year}/1"));
    assert_eq!(page["civilActs"]["pageInfo"]["hasNextPage"], true);

    // At rest: no name of the child, in either script; the event's place (in clear) shows the check reads.
    let bytes = app.database_bytes()?;
    ensure!(bytes.contains(PLACE), "the check reads the data it should");
    for secret in [CHILD_LATIN, CHILD_AR, FAMILY_LATIN, FATHER_CIN, "Ouazzani-Idrissi"] {
        ensure!(!bytes.contains(secret), "`{secret}` is stored in clear");
    }
    registers_refuse_changes(&app).await?;
    app.stop().await
}
