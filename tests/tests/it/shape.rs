//! The shape of answers, as the GraphQL specification and the usual clients expect it, over real HTTP on SQLite
//! and PostgreSQL: a failed non-null field makes its closest nullable parent `null` (up to `data`), errors carry
//! the location of their field and a request error none; objects with localized text carry their locale in
//! their `id`, which arguments take with or without it.

use anyhow::{Context, Result, ensure};
use jamaa_tests::app::{Backend, TestApp};
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(
    failed_fields_are_null_as_the_spec_says,
    localized_objects_have_one_id_per_locale,
    pages_are_counted_and_capped,
    every_list_pages_the_same_way,
);

async fn failed_fields_are_null_as_the_spec_says(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;

    // A failed non-null root field: `data` is null (present, not missing), the error points at the field.
    let body = app.graphql(None, "{\n  commune(slug: \"nope\") { slug }\n}", json!({})).await?;
    assert_eq!(body.get("data"), Some(&Value::Null), "{body}");
    assert_eq!(body["errors"][0]["locations"], json!([{ "line": 2, "column": 3 }]), "{body}");
    assert_eq!(body["errors"][0]["path"], json!(["commune"]));
    assert_eq!(body["errors"][0]["extensions"]["code"], "NOT_FOUND");

    // Beside a field that worked, the same: the null of a non-null root field reaches `data`.
    let both = "query {\n  ok: commune(slug: \"oujda\") { slug }\n  bad: commune(slug: \"nope\") { slug }\n}";
    let body = app.graphql(None, both, json!({})).await?;
    assert_eq!(body.get("data"), Some(&Value::Null), "{body}");
    assert_eq!(body["errors"][0]["path"], json!(["bad"]));
    assert_eq!(body["errors"][0]["locations"], json!([{ "line": 3, "column": 3 }]), "{body}");

    // Through a fragment.
    let fragment = "query { ...F }\nfragment F on QueryRoot { ok: commune(slug: \"oujda\") { slug } bad: commune(slug: \"nope\") { slug } }";
    let body = app.graphql(None, fragment, json!({})).await?;
    assert_eq!(body.get("data"), Some(&Value::Null), "{body}");

    // A nullable field that failed is null, and its siblings stay.
    let nullable = "{ ok: commune(slug: \"oujda\") { slug } smtpSettings(commune: \"oujda\") { host } }";
    let body = app.graphql(None, nullable, json!({})).await?;
    assert_eq!(body["data"], json!({ "ok": { "slug": "oujda" }, "smtpSettings": null }), "{body}");
    assert_eq!(body["errors"][0]["path"], json!(["smtpSettings"]));

    // A request refused before any field runs (a bad token) has no location, rather than line 0.
    let response = reqwest::Client::new()
        .post(app.url("/graphql"))
        .bearer_auth("jm_not_a_token")
        .json(&json!({ "query": "{ communes { edges { node { slug } } } }" }))
        .send()
        .await?;
    let body: Value = response.json().await?;
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{body}");
    assert!(body["errors"][0].get("locations").is_none(), "{body}");
    app.stop().await
}

async fn localized_objects_have_one_id_per_locale(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let service =
        "query($l: String) { service(commune: \"oujda\", code: \"legalisation-signature\", locale: $l) { id name } }";
    let ar = app.data(None, service, json!({ "l": "ar" })).await?;
    let fr = app.data(None, service, json!({ "l": "fr" })).await?;
    let (ar_id, fr_id) = (text(&ar["service"]["id"])?, text(&fr["service"]["id"])?);
    assert!(ar_id.ends_with("@ar") && fr_id.ends_with("@fr"), "{ar_id} {fr_id}");
    assert_eq!(ar_id.trim_end_matches("@ar"), fr_id.trim_end_matches("@fr"));
    assert_ne!(ar["service"]["name"], fr["service"]["name"]);

    let submit = r#"mutation($input: SubmitRequestInput!) {
        submitRequest(commune: "oujda", input: $input, locale: "fr") { request { id trackingCode version } } }"#;
    let input = json!({
        "serviceCode": "legalisation-signature",
        "data": { "signatory_name": "Fatima Zahra El Idrissi", "cin": "AB123456", "phone": "0612345678",
                  "document_title": "Contrat de bail", "copies": 2 },
        "documents": [{ "code": "document_to_sign", "fileName": "bail.pdf", "mediaType": "application/pdf", "sizeBytes": 1000 }]
    });
    let submitted = app.data(None, submit, json!({ "input": input })).await?;
    let request = &submitted["submitRequest"]["request"];
    let id = text(&request["id"])?;
    assert!(id.ends_with("@fr"), "{id}");
    let bare = id.trim_end_matches("@fr").to_owned();

    // The staff read it by either form of its id; the answer's id names the answer's locale.
    let read = "query($id: ID!) { request(commune: \"oujda\", id: $id, locale: \"ar\") { id trackingCode } }";
    let staff = Some(app.staff("oujda"));
    for given in [&id, &bare] {
        let found = app.data(staff, read, json!({ "id": given })).await?;
        assert_eq!(found["request"]["trackingCode"], request["trackingCode"]);
        assert_eq!(found["request"]["id"], json!(format!("{bare}@ar")));
    }
    // An id with something else than a locale after `@` is unknown, not another request.
    let body = app.graphql(staff, read, json!({ "id": format!("{bare}@xx") })).await?;
    assert_eq!(body["errors"][0]["extensions"]["code"], "NOT_FOUND", "{body}");
    app.stop().await
}

async fn pages_are_counted_and_capped(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;

    // Past the cap (100) or below 1, `first` is refused with its field, never cut silently.
    for first in [0, 101, 1000] {
        let body =
            app.graphql(None, "query($f: Int) { communes(first: $f) { totalCount } }", json!({ "f": first })).await?;
        assert_eq!(body["errors"][0]["extensions"]["code"], "VALIDATION_FAILED", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["fields"][0]["path"], "first");
        assert_eq!(body["errors"][0]["extensions"]["fields"][0]["code"], "OUT_OF_RANGE");
        assert_eq!(body.get("data"), Some(&Value::Null));
    }

    // Every connection counts the whole list and says whether a page follows.
    let communes = app
        .data(None, "{ communes(first: 2) { totalCount pageInfo { hasNextPage } nodes { slug status country defaultLocale locales } } }", json!({}))
        .await?;
    let communes = &communes["communes"];
    assert_eq!(communes["totalCount"], 3);
    assert_eq!(communes["pageInfo"]["hasNextPage"], true);
    assert_eq!(
        communes["nodes"][0],
        json!({ "slug": "chefchaouen", "status": "ACTIVE", "country": "MA", "defaultLocale": "ar", "locales": ["ar", "tzm", "fr", "en"] })
    );

    let services = app
        .data(None, "{ services(commune: \"oujda\", first: 100) { totalCount pageInfo { hasNextPage } nodes { code states { key kind outcome } } } }", json!({}))
        .await?;
    let services = &services["services"];
    assert_eq!(services["totalCount"].as_u64(), services["nodes"].as_array().map(|n| n.len() as u64));
    assert_eq!(services["pageInfo"]["hasNextPage"], false);
    let legalisation =
        services["nodes"].as_array().into_iter().flatten().find(|s| s["code"] == "legalisation-signature");
    let states = legalisation.map(|s| s["states"].clone()).unwrap_or_default();
    assert_eq!(states[0], json!({ "key": "submitted", "kind": "START", "outcome": null }), "{states}");

    let mail = "{ mailItems(commune: \"oujda\", first: 1) { totalCount pageInfo { hasNextPage } nodes { number } } }";
    let mail = app.data(Some(app.staff("oujda")), mail, json!({})).await?;
    let total = mail["mailItems"]["totalCount"].as_u64().context("totalCount")?;
    assert!(total >= 1, "the demo registers mail: {mail}");
    assert_eq!(mail["mailItems"]["pageInfo"]["hasNextPage"], total > 1);

    let acts =
        "{ civilActs(commune: \"chefchaouen\", first: 1) { totalCount pageInfo { hasNextPage } nodes { number } } }";
    let acts = app.data(Some(app.staff("chefchaouen")), acts, json!({})).await?;
    let total = acts["civilActs"]["totalCount"].as_u64().context("totalCount")?;
    assert!(total >= 1, "the demo registers acts: {acts}");
    assert_eq!(acts["civilActs"]["pageInfo"]["hasNextPage"], total > 1);
    app.stop().await
}

/// Every list that grows, its items walked one page of one at a time: each page holds one item, the walk finds
/// `totalCount` distinct items and ends where `hasNextPage` is false; and one list of more items than a page
/// holds (101 council members) read past the cap in two pages.
async fn every_list_pages_the_same_way(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let admin = app.staff("oujda").to_owned();
    let roles = ["council_secretary", "civil_registrar"];
    let input = json!({ "kind": "STAFF", "communes": ["oujda"], "roles": roles, "label": "pages" });
    let create = "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }";
    let created = app.data(Some(&admin), create, json!({ "i": input })).await?;
    let clerk = text(&created["createApiToken"]["token"])?;
    let operator = app.operator.clone();
    // A request of the demo's, for `requestDocuments`; a webhook endpoint, so that the list has one.
    let inbox = app.data(Some(&admin), "{ requests(first: 1) { nodes { id } } }", json!({})).await?;
    let request = inbox["requests"]["nodes"][0]["id"].clone();
    let hook = "mutation { createWebhookEndpoint(commune: \"oujda\", input: { url: \"https://example.org/hook\" }) {
        secret } }";
    app.data(Some(&admin), hook, json!({})).await?;

    // (list, caller, arguments, whether the demo gives it items): each list is asked as
    // `list(<arguments> first: 1, after: $after)`.
    let lists: [(&str, Option<&str>, &str, bool); 15] = [
        ("requests", Some(&admin), "commune: \"oujda\",", true),
        ("findRequests", Some(&admin), "commune: \"oujda\", field: CIN, value: \"AB123456\",", true),
        ("requestDocuments", Some(&admin), "commune: \"oujda\", requestId: $id,", false),
        ("publicComplaints", None, "commune: \"oujda\",", true),
        ("petitions", None, "commune: \"oujda\",", false),
        ("publications", None, "commune: \"oujda\",", true),
        ("councilMembers", None, "commune: \"oujda\",", true),
        ("councilSessions", Some(&clerk), "commune: \"oujda\",", false),
        ("councilDecisions", None, "commune: \"oujda\",", true),
        ("findCivilActs", Some(app.staff("chefchaouen")), "commune: \"chefchaouen\", nationalId: \"S458123\",", false),
        ("webhookEndpoints", Some(&admin), "commune: \"oujda\",", true),
        ("notificationDeliveries", Some(&admin), "commune: \"oujda\",", false),
        ("apiTokens", Some(&admin), "commune: \"oujda\",", true),
        ("templates", Some(&operator), "", true),
        ("communes", None, "", true),
    ];
    for (list, caller, arguments, demo_has_items) in lists {
        // A document declares only the variables it uses.
        let id = if arguments.contains("$id") { ", $id: ID!" } else { "" };
        let query = format!(
            "query($after: String{id}) {{ {list}({arguments} first: 1, after: $after) {{
                totalCount pageInfo {{ hasNextPage endCursor }} edges {{ cursor }} }} }}"
        );
        let mut after = Value::Null;
        let mut cursors = Vec::new();
        let total = loop {
            let page = app.data(caller, &query, vars(after.clone(), arguments, &request)).await?;
            let page = &page[list];
            let edges = page["edges"].as_array().cloned().unwrap_or_default();
            ensure!(edges.len() <= 1, "{list}: a page of one holds one: {page}");
            cursors.extend(edges.iter().map(|e| e["cursor"].clone()));
            if page["pageInfo"]["hasNextPage"] != true {
                break page["totalCount"].as_u64().context("totalCount")?;
            }
            after = page["pageInfo"]["endCursor"].clone();
        };
        ensure!(cursors.len() as u64 == total, "{list}: {} items walked, totalCount {total}", cursors.len());
        ensure!(total >= 1 || !demo_has_items, "{list}: the demo and this test give it items");
        let distinct: std::collections::HashSet<String> = cursors.iter().map(ToString::to_string).collect();
        ensure!(distinct.len() == cursors.len(), "{list}: each item once");
        // A cursor that is not one is refused, with the stable code.
        let body = app.graphql(caller, &query, vars(json!("nonsense"), arguments, &request)).await?;
        ensure!(body["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED", "{list}: {body}");
    }

    // Past the cap: 101 members more than the demo's, in two pages of at most 100, counted.
    let add = "mutation($i: CouncilMemberInput!) { addCouncilMember(commune: \"oujda\", input: $i) { id } }";
    for i in 0..101 {
        let member = json!({ "nameAr": format!("عضو {i}"), "nameLatin": format!("Membre {i}"), "party": "Liste P",
            "role": "MEMBER", "mandateStart": "2027-10-01" });
        app.data(Some(&clerk), add, json!({ "i": member })).await?;
    }
    let members = "query($after: String) { councilMembers(commune: \"oujda\", first: 100, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { id } } }";
    let first = app.data(None, members, json!({ "after": null })).await?;
    let total = first["councilMembers"]["totalCount"].as_u64().context("totalCount")?;
    ensure!(total > 101 && total <= 200, "{total}");
    ensure!(first["councilMembers"]["nodes"].as_array().map(Vec::len) == Some(100));
    ensure!(first["councilMembers"]["pageInfo"]["hasNextPage"] == true);
    let after = first["councilMembers"]["pageInfo"]["endCursor"].clone();
    let second = app.data(None, members, json!({ "after": after })).await?;
    ensure!(second["councilMembers"]["nodes"].as_array().map(Vec::len) == Some(total as usize - 100), "{second}");
    ensure!(second["councilMembers"]["pageInfo"]["hasNextPage"] == false);
    app.stop().await
}

/// The variables of a page's document: `after`, and `id` when its arguments name it.
fn vars(after: Value, arguments: &str, id: &Value) -> Value {
    if arguments.contains("$id") { json!({ "after": after, "id": id }) } else { json!({ "after": after }) }
}

fn text(value: &Value) -> Result<String> {
    value.as_str().map(str::to_owned).context("not a string")
}
