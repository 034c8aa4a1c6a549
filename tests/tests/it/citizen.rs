//! Citizens' rights over real HTTP, on both backends: law 31.13 deadlines on the commune's calendar (moved by
//! the extension, whose reason reaches the requester), petitions (signatures once per person, admissibility,
//! inscription on the council's agenda), the proactive-publication list, and the printable receipt page.

use anyhow::Result;
use jamaa_tests::app::{Backend, TestApp, error_codes, field_errors};
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

const ACT: &str = r#"mutation($c: String!, $id: ID!, $a: String!, $v: Int!, $comment: String, $secret: String) {
  actOnRequest(commune: $c, id: $id, action: $a, expectedVersion: $v, comment: $comment, secret: $secret) {
    state version decisionDue
  }
}"#;

const TRACK: &str = r#"query($code: String!, $secret: String!) {
  trackRequest(trackingCode: $code, secret: $secret, locale: "fr") {
    state decisionDue receipt { decisionDue }
    messages { action actionLabel body }
    history { action comment }
  }
}"#;

fn information_request(urgent: bool) -> Value {
    let mut data = json!({
        "requester_name": "Samira Bennani",
        "cin": "AB123456",
        "information_requested": "Le procès-verbal de la dernière session du conseil communal.",
        "delivery_mode": "email",
    });
    if urgent {
        data["urgent"] = json!(true);
        data["urgency_reason"] = json!("Une personne est menacée d'expulsion demain matin.");
    }
    data
}

async fn act(app: &TestApp, token: Option<&str>, vars: Value) -> Result<Value> {
    app.graphql(token, ACT, vars).await
}

async fn the_decision_date_follows_law_31_13(backend: Backend) -> Result<()> {
    // Thursday 30 April 2026 at 11:00 in Oujda; Friday 1 May is Labour Day.
    let clock = TestClock::at("2026-04-30T10:00:00Z")?;
    let app = TestApp::spawn_with_clock(backend, clock.clock()).await?;
    let staff = app.staff("oujda").to_owned();
    let vars = json!({ "c": "oujda", "s": "acces-information", "d": information_request(false) });
    let submitted = app.data(None, SUBMIT, vars).await?;
    let submitted = &submitted["submitRequest"];
    // 20 working days: 4–8 May (5), 11–15 (10), 18–22 (15), 25–26 (17), 27–28 are Aïd al-Adha (as shipped),
    // 29 May (18), 1–2 June (20).
    assert_eq!(submitted["receipt"]["decisionDue"], "2026-06-02");
    assert_eq!(submitted["request"]["decisionDue"], "2026-06-02");
    let id = submitted["request"]["id"].clone();
    let code = submitted["request"]["trackingCode"].clone();
    let secret = submitted["secret"].clone();

    clock.set("2026-05-04T09:00:00Z")?;
    let taken = app.data(Some(&staff), ACT, json!({ "c": "oujda", "id": id, "a": "take_charge", "v": 1 })).await?;
    assert_eq!(taken["actOnRequest"]["state"], "in_progress");

    // The extension needs its written reason, at `comment`; nothing moves without it.
    let refused = act(&app, Some(&staff), json!({ "c": "oujda", "id": id, "a": "extend", "v": 2 })).await?;
    assert_eq!(error_codes(&refused), ["VALIDATION_FAILED"]);
    assert_eq!(field_errors(&refused), [("comment".to_owned(), "REQUIRED".to_owned())]);
    let too_long = "x".repeat(4001);
    let vars = json!({ "c": "oujda", "id": id, "a": "extend", "v": 2, "comment": too_long });
    let refused = act(&app, Some(&staff), vars).await?;
    assert_eq!(field_errors(&refused), [("comment".to_owned(), "TOO_LONG".to_owned())]);

    let reason = "Les procès-verbaux sont archivés hors du siège ; leur recherche demande un délai.";
    let vars = json!({ "c": "oujda", "id": id, "a": "extend", "v": 2, "comment": reason });
    let extended = app.data(Some(&staff), ACT, vars).await?;
    // 20 more working days: 3–5 June (3), 8–12 (8), 15 (9), 16 is 1 Muharram (as shipped), 17–19 (12),
    // 22–26 (17), 29 June–1 July (20).
    assert_eq!(extended["actOnRequest"]["decisionDue"], "2026-07-01");
    // Only once.
    let again =
        act(&app, Some(&staff), json!({ "c": "oujda", "id": id, "a": "extend", "v": 3, "comment": reason })).await?;
    assert_eq!(error_codes(&again), ["CONFLICT"]);

    // The requester sees the new date on the request and its receipt, and the reason as a message.
    let tracked = app.data(None, TRACK, json!({ "code": code, "secret": secret })).await?;
    let tracked = &tracked["trackRequest"];
    assert_eq!(tracked["state"], "extended");
    assert_eq!(tracked["decisionDue"], "2026-07-01");
    assert_eq!(tracked["receipt"]["decisionDue"], "2026-07-01");
    assert_eq!(
        tracked["messages"],
        json!([{ "action": "extend", "actionLabel":
        "Proroger le délai une fois par avis écrit et motivé (motif obligatoire)", "body": reason }])
    );
    assert_eq!(tracked["history"][2], json!({ "action": "extend", "comment": reason }));

    // A refusal on one of the law's grounds, with its reasons; the requester complains to the president.
    let grounds = "Ce document n'est pas détenu par la commune mais par la préfecture.";
    let vars = json!({ "c": "oujda", "id": id, "a": "refuse_not_held", "v": 3, "comment": grounds });
    app.data(Some(&staff), ACT, vars).await?;
    let vars = json!({ "c": "oujda", "id": id, "a": "complain_to_head", "v": 4, "secret": secret,
        "comment": "La préfecture m'a renvoyé vers la commune." });
    let complained = app.data(None, ACT, vars).await?;
    assert_eq!(complained["actOnRequest"]["state"], "complaint_to_head");
    let tracked = app.data(None, TRACK, json!({ "code": code, "secret": secret })).await?;
    let bodies: Vec<&str> = tracked["trackRequest"]["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["body"].as_str())
        .collect();
    assert_eq!(bodies, [reason, grounds], "the applicant's own complaint is in the history, not a message to them");

    // The urgent path: 3 working days from the request (Friday 1 May is off), 3 more on extension.
    clock.set("2026-04-30T10:00:00Z")?;
    let vars = json!({ "c": "oujda", "s": "acces-information", "d": information_request(true) });
    let urgent = app.data(None, SUBMIT, vars).await?;
    let id = urgent["submitRequest"]["request"]["id"].clone();
    let vars = json!({ "c": "oujda", "id": id, "a": "treat_as_urgent", "v": 1 });
    let treated = app.data(Some(&staff), ACT, vars).await?;
    assert_eq!(treated["actOnRequest"]["decisionDue"], "2026-05-06");
    let vars = json!({ "c": "oujda", "id": id, "a": "extend_urgent", "v": 2, "comment": reason });
    let extended = app.data(Some(&staff), ACT, vars).await?;
    assert_eq!(extended["actOnRequest"]["decisionDue"], "2026-05-11");
    app.stop().await
}

const PETITIONS: &str = r#"query($c: String!) { petitions(commune: $c) { nodes {
  id subject text petitionerType associationName state signatures signatureThreshold openForSignatures
} } }"#;
const SIGN: &str = r#"mutation($c: String!, $p: ID!, $n: String!, $name: String!) {
  signPetition(commune: $c, petition: $p, nationalId: $n, name: $name) { signatures }
}"#;

fn petition_by_citizens() -> Value {
    json!({
        "petitioner_type": "citizens",
        "representative_name": "Youssef El Amrani",
        "cin": "CD654321",
        "phone": "0612345678",
        "subject": "Éclairage public du quartier Al Qods",
        "petition_text": "Nous demandons l'inscription à l'ordre du jour de l'éclairage public du quartier Al Qods.",
        "signatures_count": 350,
    })
}

fn petition_by_an_association() -> Value {
    json!({
        "petitioner_type": "association",
        "association_name": "Association Al Amal pour le développement",
        "association_founded_on": "2019-03-01",
        "association_seated_in_commune": true,
        "association_in_good_standing": true,
        "representative_name": "Fatima Zahra Idrissi",
        "cin": "EF112233",
        "phone": "0661122334",
        "subject": "Aménagement d'un espace vert",
        "petition_text": "L'association demande l'inscription à l'ordre du jour de l'aménagement d'un espace vert.",
    })
}

async fn petitions_collect_signatures_once_and_reach_the_agenda(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let staff = app.staff("oujda").to_owned();
    let submitted =
        app.data(None, SUBMIT, json!({ "c": "oujda", "s": "petition", "d": petition_by_citizens() })).await?;
    let id = submitted["submitRequest"]["request"]["id"].clone();

    // Anyone reads it, without its petitioners' personal data.
    let listed = app.data(None, PETITIONS, json!({ "c": "oujda" })).await?;
    let text = listed.to_string();
    assert!(!text.contains("Youssef") && !text.contains("CD654321") && !text.contains("0612345678"));
    let petition = &listed["petitions"]["nodes"][0];
    assert_eq!((petition["id"].clone(), petition["signatures"].clone()), (id.clone(), json!(0)));
    assert_eq!(petition["petitionerType"], "CITIZENS");
    assert_eq!(
        (petition["signatureThreshold"].clone(), petition["openForSignatures"].clone()),
        (json!(200), json!(true))
    );

    // One signature per national id, however it is written.
    let sign = |n: &str, name: &str| json!({ "c": "oujda", "p": id, "n": n, "name": name });
    let signed = app.data(None, SIGN, sign("GH778899", "Karim Tazi")).await?;
    assert_eq!(signed["signPetition"]["signatures"], 1);
    let twice = app.graphql(None, SIGN, sign("gh 778899", "Karim Tazi")).await?;
    assert_eq!(error_codes(&twice), ["VALIDATION_FAILED"]);
    assert_eq!(field_errors(&twice), [("nationalId".to_owned(), "ALREADY_SIGNED".to_owned())]);
    let invalid = app.graphql(None, SIGN, sign("123", "K")).await?;
    assert_eq!(
        field_errors(&invalid),
        [("nationalId".to_owned(), "INVALID_NATIONAL_ID".to_owned()), ("name".to_owned(), "TOO_SHORT".to_owned())]
    );
    app.data(None, SIGN, sign("JK445566", "Nadia Berrada")).await?;
    // Another commune does not know the petition.
    let elsewhere =
        app.graphql(None, SIGN, json!({ "c": "chefchaouen", "p": id, "n": "LM123123", "name": "Ali" })).await?;
    assert_eq!(error_codes(&elsewhere), ["NOT_FOUND"]);

    // The admissibility decision refuses while the rules do not hold: 2 signatures of 200 (Oujda has more
    // than 35,000 inhabitants).
    let step =
        |a: &str, v: i64, comment: Option<&str>| json!({ "c": "oujda", "id": id, "a": a, "v": v, "comment": comment });
    app.data(Some(&staff), ACT, step("start_admissibility_check", 1, None)).await?;
    app.data(Some(&staff), ACT, step("forward_to_president", 2, Some("Signatures insuffisantes à ce jour."))).await?;
    let refused = act(&app, Some(&staff), step("declare_admissible", 3, None)).await?;
    assert_eq!(error_codes(&refused), ["VALIDATION_FAILED"]);
    assert_eq!(field_errors(&refused), [("signatures".to_owned(), "RULE_NOT_MET".to_owned())]);
    assert!(refused["errors"][0]["extensions"]["fields"][0]["message"].as_str().unwrap_or("").contains("200"));
    let reasons = "La pétition ne réunit pas le nombre de signatures requis.";
    app.data(Some(&staff), ACT, step("declare_inadmissible", 3, Some(reasons))).await?;
    let closed = app.graphql(None, SIGN, sign("NP998877", "Omar Alaoui")).await?;
    assert_eq!(error_codes(&closed), ["CONFLICT"], "an inadmissible petition collects no more signatures");

    // An association's petition meets the rules and becomes admissible, then the council takes it.
    let submitted =
        app.data(None, SUBMIT, json!({ "c": "oujda", "s": "petition", "d": petition_by_an_association() })).await?;
    let id = submitted["submitRequest"]["request"]["id"].clone();
    let step =
        |a: &str, v: i64, comment: Option<&str>| json!({ "c": "oujda", "id": id, "a": a, "v": v, "comment": comment });
    app.data(Some(&staff), ACT, step("start_admissibility_check", 1, None)).await?;
    app.data(Some(&staff), ACT, step("forward_to_president", 2, Some("Conditions remplies."))).await?;
    let admissible = app.data(Some(&staff), ACT, step("declare_admissible", 3, None)).await?;
    assert_eq!(admissible["actOnRequest"]["state"], "admissible");
    let association =
        app.graphql(None, SIGN, json!({ "c": "oujda", "p": id, "n": "QR112211", "name": "Ali Zine" })).await?;
    assert_eq!(error_codes(&association), ["CONFLICT"], "an association's petition is not signed online");

    // The council's side, in core: the admissible petitions, and the inscription in one transaction.
    let jamaa = app.jamaa().await?;
    let secretary = jamaa.authenticate(&secrecy::SecretString::from(staff.clone())).await?;
    let waiting = jamaa.admissible_petitions(&secretary, &jamaa.commune("oujda").await?).await?;
    assert_eq!(
        waiting.iter().map(|p| p.record.id.to_string()).collect::<Vec<_>>(),
        [jamaa_tests::app::entity_id(id.as_str().unwrap_or(""))]
    );
    let anonymous =
        jamaa.admissible_petitions(&jamaa_core::auth::Principal::Anonymous, &jamaa.commune("oujda").await?).await;
    assert_eq!(anonymous.err().map(|e| e.code()), Some("UNAUTHENTICATED"));
    let chefchaouen = jamaa.authenticate(&secrecy::SecretString::from(app.staff("chefchaouen").to_owned())).await?;
    let record_id = waiting[0].record.id;
    let foreign = jamaa.inscribe_petition(&chefchaouen, &jamaa.commune("oujda").await?, record_id).await;
    assert_eq!(foreign.err().map(|e| e.code()), Some("FORBIDDEN"));
    let inscribed = jamaa.inscribe_petition(&secretary, &jamaa.commune("oujda").await?, record_id).await?;
    assert_eq!(inscribed.record.state, "inscribed_on_agenda");
    assert!(jamaa.admissible_petitions(&secretary, &jamaa.commune("oujda").await?).await?.is_empty());
    let again = jamaa.inscribe_petition(&secretary, &jamaa.commune("oujda").await?, record_id).await;
    assert_eq!(again.err().map(|e| e.code()), Some("CONFLICT"));

    let listed = app.data(None, PETITIONS, json!({ "c": "oujda" })).await?;
    let states: Vec<&str> =
        listed["petitions"]["nodes"].as_array().into_iter().flatten().filter_map(|p| p["state"].as_str()).collect();
    assert_eq!(states, ["inscribed_on_agenda"], "the inadmissible petition is no longer listed");
    let foreign = app.data(None, PETITIONS, json!({ "c": "chefchaouen" })).await?;
    assert_eq!(foreign["petitions"]["nodes"], json!([]));
    app.stop().await
}

const PUBLICATIONS: &str =
    r#"query($c: String!) { publications(commune: $c) { nodes { key label published location } } }"#;
const MARK: &str = r#"mutation($c: String!, $i: String!, $l: String!) {
  markPublished(commune: $c, item: $i, location: $l) { key published location publishedAt }
}"#;

async fn the_commune_publishes_what_law_31_13_lists(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let listed = app.data(None, PUBLICATIONS, json!({ "c": "oujda" })).await?;
    let items = listed["publications"]["nodes"].as_array().cloned().unwrap_or_default();
    assert!(items.len() >= 8 && items.iter().all(|i| i["published"] == false));
    assert!(items.iter().any(|i| i["key"] == "budget"));

    let address = "https://oujda.ma/budget-2026.pdf";
    let mark = |l: &str| json!({ "c": "oujda", "i": "budget", "l": l });
    assert_eq!(error_codes(&app.graphql(None, MARK, mark(address)).await?), ["UNAUTHENTICATED"]);
    let create = "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }";
    let agent =
        json!({ "i": { "kind": "STAFF", "communes": ["oujda"], "roles": ["counter_agent"], "label": "guichet" } });
    let agent = app.data(Some(app.staff("oujda")), create, agent).await?;
    let agent = agent["createApiToken"]["token"].as_str().unwrap_or("").to_owned();
    assert_eq!(error_codes(&app.graphql(Some(&agent), MARK, mark(address)).await?), ["FORBIDDEN"]);
    let officer =
        json!({ "i": { "kind": "STAFF", "communes": ["oujda"], "roles": ["information_officer"], "label": "cdai" } });
    let officer = app.data(Some(app.staff("oujda")), create, officer).await?;
    let officer = officer["createApiToken"]["token"].as_str().unwrap_or("").to_owned();

    let blank = app.graphql(Some(&officer), MARK, mark("  ")).await?;
    assert_eq!(field_errors(&blank), [("location".to_owned(), "REQUIRED".to_owned())]);
    let unknown = app.graphql(Some(&officer), MARK, json!({ "c": "oujda", "i": "horoscope", "l": address })).await?;
    assert_eq!(field_errors(&unknown), [("item".to_owned(), "NOT_AN_OPTION".to_owned())]);
    let marked = app.data(Some(&officer), MARK, mark(&format!(" {address} "))).await?;
    assert_eq!(marked["markPublished"]["location"], address);

    let listed = app.data(None, PUBLICATIONS, json!({ "c": "oujda" })).await?;
    let budget =
        listed["publications"]["nodes"].as_array().into_iter().flatten().find(|i| i["key"] == "budget").cloned();
    assert_eq!(budget.map(|b| (b["published"].clone(), b["location"].clone())), Some((json!(true), json!(address))));
    let other = app.data(None, PUBLICATIONS, json!({ "c": "chefchaouen" })).await?;
    assert!(other["publications"]["nodes"].as_array().into_iter().flatten().all(|i| i["published"] == false));
    app.stop().await
}

async fn the_receipt_page_needs_the_secret(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let vars = json!({ "c": "oujda", "s": "acces-information", "d": information_request(false) });
    let submitted = app.data(None, SUBMIT, vars).await?;
    let code = submitted["submitRequest"]["request"]["trackingCode"].as_str().unwrap_or("").to_owned();
    let secret = submitted["submitRequest"]["secret"].as_str().unwrap_or("").to_owned();
    let url = app.url(&format!("/receipts/{code}"));
    let service_fr = "Demande d'accès à l'information";

    // The code alone: a form, nothing of the request.
    let page = app.client.get(&url).header("accept-language", "ar").send().await?;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
    let html = page.text().await?;
    assert!(html.contains(r#"dir="rtl""#) && html.contains(r#"method="post""#) && html.contains(r#"name="secret""#));
    assert!(!html.contains("الحصول على المعلومات") && !html.contains("<dl>"), "nothing of the request");

    let post = |secret: &str, lang: &str| {
        app.client
            .post(format!("{url}?lang={lang}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("secret={secret}"))
            .send()
    };
    let wrong = post("AAAAA-BBBBB-CCCCC", "fr").await?;
    assert_eq!(wrong.status(), 404);
    let html = wrong.text().await?;
    assert!(html.contains("incorrect") && !html.contains(service_fr));
    let unknown = app
        .client
        .post(app.url("/receipts/OUJ-2026-999999?lang=fr"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("secret={secret}"))
        .send()
        .await?;
    assert_eq!(unknown.status(), 404, "an unknown code looks like a wrong secret");

    let shown = post(&secret, "fr").await?;
    assert_eq!(shown.status(), 200);
    let html = shown.text().await?;
    assert!(html.contains(r#"lang="fr" dir="ltr""#) && html.contains(&code));
    assert!(html.contains(&service_fr.replace('\'', "&#39;")) || html.contains(service_fr));
    assert!(html.contains("<svg") && html.contains("@media print"));
    assert!(html.contains(&format!("/receipts/{code}?lang=fr")), "the QR code's address is on the page");
    for personal in ["Samira", "Bennani", "AB123456", &secret] {
        assert!(!html.contains(personal), "the page shows no personal data nor the secret");
    }
    let arabic = post(&secret, "ar").await?.text().await?;
    assert!(arabic.contains(r#"lang="ar" dir="rtl""#) && arabic.contains("طلب الحصول على المعلومات"));
    app.stop().await
}

async fn the_receipt_page_is_rate_limited(backend: Backend) -> Result<()> {
    let app = TestApp::spawn_with(backend, |settings| settings.rate_limit_per_minute = 3).await?;
    let url = app.url("/receipts/OUJ-2026-000001?lang=fr");
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let response = app
            .client
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("secret=AAAAA-BBBBB-CCCCC")
            .send()
            .await?;
        statuses.push(response.status().as_u16());
    }
    // Guessing secrets is limited like any anonymous call.
    assert_eq!(statuses, [404, 404, 404, 429]);
    app.stop().await
}

on_both_backends!(
    the_receipt_page_is_rate_limited,
    the_decision_date_follows_law_31_13,
    petitions_collect_signatures_once_and_reach_the_agenda,
    the_commune_publishes_what_law_31_13_lists,
    the_receipt_page_needs_the_secret,
);
