//! The courier registry end to end, over real HTTP on SQLite and PostgreSQL: Oujda registers mail numbered
//! per direction and year without gaps, links it to its own requests only, routes it with a history, follows
//! it up until closed, and lists it by year, direction, department, state and overdue, a page at a time;
//! Chefchaouen sees and changes none of it, and a registrar without the courier's roles is refused.

use anyhow::{Context as _, Result, ensure};
use jamaa_tests::app::{Backend, TestApp, error_codes};
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(mail_is_numbered_routed_followed_up_and_listed);

const REGISTER: &str = "mutation($c: String, $i: RegisterMailInput!) { registerMail(commune: $c, input: $i) {
    id number direction year department state overdue requestCode deliberationId history { kind department state }
} }";
const ROUTE: &str = "mutation($c: String, $id: ID!, $d: String!, $n: String) {
    routeMail(commune: $c, id: $id, department: $d, note: $n) { department history { kind department note actor } }
}";
const FOLLOW_UP: &str = "mutation($c: String, $id: ID!, $s: MailState!) {
    setMailFollowUp(commune: $c, id: $id, state: $s) { state overdue history { kind state } }
}";
const ONE: &str = "query($c: String, $id: ID!) { mailItem(commune: $c, id: $id) {
    number correspondent department state history { kind department }
} }";
const LIST: &str = "query($c: String, $y: Int, $dir: MailDirection, $dep: String, $s: MailState, $o: Boolean,
                          $first: Int, $after: String) {
    mailItems(commune: $c, year: $y, direction: $dir, department: $dep, state: $s, overdue: $o, first: $first,
              after: $after) { nodes { number correspondent overdue } pageInfo { hasNextPage endCursor } }
}";

fn letter(direction: &str, correspondent: &str, department: &str, date: &str, due: Option<&str>) -> Value {
    json!({
        "direction": direction, "correspondent": correspondent, "subject": format!("Courrier de {correspondent}"),
        "date": date, "department": department, "dueOn": due
    })
}

fn numbers(list: &Value) -> Vec<String> {
    list["mailItems"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["number"].as_str())
        .map(str::to_owned)
        .collect()
}

async fn mail_is_numbered_routed_followed_up_and_listed(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let oujda = app.staff("oujda").to_owned();
    let today = chrono::Utc::now().date_naive();
    let year = chrono::Datelike::year(&today);
    let day = |n: u64| (today - chrono::Days::new(n)).to_string();

    // The demo registered two incoming letters and one outgoing: numbering goes on from there.
    let demo = app.data(Some(&oujda), LIST, json!({ "first": 100 })).await?;
    assert_eq!(
        numbers(&demo),
        [format!("ARR-{year}-000001"), format!("ARR-{year}-000002"), format!("DEP-{year}-000001")]
    );
    let first = app
        .data(
            Some(&oujda),
            REGISTER,
            json!({ "i": letter("INCOMING", "Radia Benjelloun", "urbanisme", &day(10), Some(&day(1))) }),
        )
        .await?["registerMail"]
        .clone();
    assert_eq!(first["number"], format!("ARR-{year}-000003"));
    assert_eq!((first["state"].as_str(), first["overdue"].as_bool()), (Some("OPEN"), Some(true)));
    assert_eq!(first["history"], json!([{ "kind": "registered", "department": "urbanisme", "state": "OPEN" }]));
    let out =
        app.data(Some(&oujda), REGISTER, json!({ "i": letter("OUTGOING", "ONEE", "travaux", &day(0), None) })).await?;
    assert_eq!(out["registerMail"]["number"], format!("DEP-{year}-000002"));

    // Linked to one of Oujda's requests; a tracking code of Chefchaouen's is not Oujda's.
    let inbox = app.data(Some(&oujda), "{ requests(first: 1) { nodes { trackingCode } } }", json!({})).await?;
    let code = inbox["requests"]["nodes"][0]["trackingCode"].clone();
    let deliberation = uuid::Uuid::now_v7().to_string();
    let tomorrow = (today + chrono::Days::new(1)).to_string();
    let mut linked = letter("INCOMING", "Karim Zerhouni", "Urbanisme", &day(3), Some(&tomorrow));
    linked["requestCode"] = code.clone();
    linked["deliberationId"] = json!(deliberation);
    let linked = app.data(Some(&oujda), REGISTER, json!({ "i": linked })).await?["registerMail"].clone();
    assert_eq!(linked["number"], format!("ARR-{year}-000004"));
    assert_eq!((&linked["requestCode"], &linked["deliberationId"]), (&code, &json!(deliberation)));
    assert_eq!((linked["department"].as_str(), linked["overdue"].as_bool()), (Some("urbanisme"), Some(false)));
    let theirs = app
        .data(Some(app.staff("chefchaouen")), "{ requests(first: 1) { nodes { trackingCode } } }", json!({}))
        .await?;
    let mut foreign = letter("INCOMING", "X", "urbanisme", &day(0), None);
    foreign["requestCode"] = theirs["requests"]["nodes"][0]["trackingCode"].clone();
    let refused = app.graphql(Some(&oujda), REGISTER, json!({ "i": foreign })).await?;
    assert_eq!(error_codes(&refused), ["VALIDATION_FAILED"]);
    assert_eq!(refused["errors"][0]["extensions"]["fields"][0]["path"], "input.requestCode");
    // Every failure at once, with paths; nothing numbered.
    let bad =
        letter("INCOMING", " ", "Service des travaux", &(today + chrono::Days::new(2)).to_string(), Some(&day(3)));
    let refused = app.graphql(Some(&oujda), REGISTER, json!({ "i": bad })).await?;
    let paths: Vec<&Value> =
        refused["errors"][0]["extensions"]["fields"].as_array().into_iter().flatten().map(|f| &f["path"]).collect();
    assert_eq!(
        paths,
        [&json!("input.correspondent"), &json!("input.date"), &json!("input.department"), &json!("input.dueOn")]
    );
    let next = app
        .data(Some(&oujda), REGISTER, json!({ "i": letter("INCOMING", "Amina Tahiri", "etat-civil", &day(0), None) }))
        .await?;
    assert_eq!(next["registerMail"]["number"], format!("ARR-{year}-000005"), "refused letters took no number");

    // Routing, with its history; then answered and closed; a closed letter stays closed.
    let id = first["id"].clone();
    let routed = app.data(Some(&oujda), ROUTE, json!({ "id": id, "d": "travaux", "n": "Avis technique" })).await?;
    let history = &routed["routeMail"]["history"];
    assert_eq!(history[1]["kind"], "routed");
    assert_eq!((&history[1]["department"], &history[1]["note"]), (&json!("travaux"), &json!("Avis technique")));
    let again = app.graphql(Some(&oujda), ROUTE, json!({ "id": id, "d": "travaux" })).await?;
    assert_eq!(error_codes(&again), ["VALIDATION_FAILED"]);
    let answered = app.data(Some(&oujda), FOLLOW_UP, json!({ "id": id, "s": "ANSWERED" })).await?;
    assert_eq!(answered["setMailFollowUp"]["overdue"], false, "an answered letter is not overdue");
    app.data(Some(&oujda), FOLLOW_UP, json!({ "id": id, "s": "CLOSED" })).await?;
    let reopen = app.graphql(Some(&oujda), FOLLOW_UP, json!({ "id": id, "s": "OPEN" })).await?;
    assert_eq!(error_codes(&reopen), ["VALIDATION_FAILED"]);
    let one = app.data(Some(&oujda), ONE, json!({ "id": id })).await?;
    let kinds: Vec<&str> =
        one["mailItem"]["history"].as_array().into_iter().flatten().filter_map(|h| h["kind"].as_str()).collect();
    assert_eq!(kinds, ["registered", "routed", "answered", "closed"]);

    // Listings: by department, overdue (the demo's late letter), direction, year, state; and by pages.
    let by = |vars: Value| {
        let app = &app;
        let oujda = oujda.clone();
        async move { app.data(Some(&oujda), LIST, vars).await.map(|l| numbers(&l)) }
    };
    assert_eq!(by(json!({ "dep": "urbanisme" })).await?, [format!("ARR-{year}-000004")]);
    let travaux = ["ARR-{y}-000001", "ARR-{y}-000002", "ARR-{y}-000003", "DEP-{y}-000002"]
        .map(|n| n.replace("{y}", &year.to_string()));
    assert_eq!(by(json!({ "dep": "travaux" })).await?, travaux, "where each letter is now");
    assert_eq!(by(json!({ "o": true })).await?, [format!("ARR-{year}-000001")]);
    assert_eq!(by(json!({ "dir": "OUTGOING" })).await?, [format!("DEP-{year}-000001"), format!("DEP-{year}-000002")]);
    assert_eq!(by(json!({ "s": "CLOSED" })).await?, [format!("ARR-{year}-000003")]);
    assert!(by(json!({ "y": year + 1 })).await?.is_empty());
    let page = app.data(Some(&oujda), LIST, json!({ "y": year, "first": 4 })).await?;
    ensure!(page["mailItems"]["pageInfo"]["hasNextPage"] == true, "{page}");
    let rest = app
        .data(Some(&oujda), LIST, json!({ "first": 4, "after": page["mailItems"]["pageInfo"]["endCursor"] }))
        .await?;
    ensure!(numbers(&page).len() == 4 && numbers(&rest).len() == 3, "{page} {rest}");
    ensure!(rest["mailItems"]["pageInfo"]["hasNextPage"] == false, "{rest}");

    // Chefchaouen: nothing of Oujda's registry, named, by header or by id; its own registry starts at 1.
    let chefchaouen = app.staff("chefchaouen").to_owned();
    for (query, vars) in [
        (LIST, json!({ "c": "oujda" })),
        (ONE, json!({ "id": id })),
        (ONE, json!({ "c": "oujda", "id": id })),
        (ROUTE, json!({ "id": id, "d": "finances" })),
        (FOLLOW_UP, json!({ "c": "oujda", "id": linked["id"], "s": "CLOSED" })),
        (REGISTER, json!({ "c": "oujda", "i": letter("INCOMING", "Faux", "urbanisme", &day(0), None) })),
    ] {
        let body = app.graphql(Some(&chefchaouen), query, vars).await?;
        let codes = error_codes(&body);
        ensure!(codes == ["FORBIDDEN"] || codes == ["NOT_FOUND"], "{body}");
        ensure!(!body.to_string().contains("Radia Benjelloun"), "{body}");
    }
    let own = app
        .data(
            Some(&chefchaouen),
            REGISTER,
            json!({ "i": letter("INCOMING", "Chefchaouni", "urbanisme", &day(0), None) }),
        )
        .await?;
    assert_eq!(own["registerMail"]["number"], format!("ARR-{year}-000001"));
    // A registrar of Oujda keeps no mail.
    let input = json!({ "kind": "STAFF", "communes": ["oujda"], "roles": ["civil_registrar"], "label": "état civil" });
    let registrar = app
        .data(
            Some(&oujda),
            "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }",
            json!({ "i": input }),
        )
        .await?;
    let registrar = registrar["createApiToken"]["token"].as_str().context("no token")?.to_owned();
    let body = app.graphql(Some(&registrar), LIST, json!({})).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"]);
    let after = app.data(Some(&oujda), ONE, json!({ "id": id })).await?;
    assert_eq!(after["mailItem"]["state"], "CLOSED");
    assert_eq!(after["mailItem"]["department"], "travaux");
    app.stop().await
}
