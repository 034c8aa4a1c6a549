//! The back office's server side over real HTTP, on SQLite and PostgreSQL: a demo login per role and what it
//! may do, the assignment of files (assign, claim, release, reassign; only members of the request's workflow;
//! each a step of the history and an audit event, hidden from the applicant), the inbox's filters, order,
//! totals and counts, the download of uploaded files (workflow staff only, audited, never another commune's),
//! the administration of a commune's accounts and the listing of its API tokens, a commune's lineage (template,
//! version, whether a newer version is published) and onboarding with a tracking prefix the server picks.

use anyhow::{Context as _, Result, ensure};
use jamaa_core::service::demo::DEMO_PASSWORD;
use jamaa_tests::app::{Backend, TestApp, error_codes, field_paths};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(
    a_demo_login_per_role_with_its_permissions,
    files_are_assigned_claimed_released_and_reassigned,
    the_inbox_filters_sorts_pages_and_counts,
    uploaded_files_are_downloaded_by_workflow_staff_only,
    accounts_are_administered_commune_by_commune,
    a_commune_shows_its_lineage_and_whether_an_upgrade_is_available,
    onboarding_without_a_tracking_prefix_picks_a_free_one,
);

const ME: &str = "{ me { login memberships { commune roles permissions } } }";
const SUBMIT: &str = r#"mutation($c: String!) { submitRequest(commune: $c, input: {
  serviceCode: "reclamation", data: { subject: "roads", description: "Un nid-de-poule dangereux devant l'école." }
}) { request { id trackingCode } secret } }"#;
const ASSIGN: &str = "mutation($r: ID!, $m: ID!) { assignRequest(commune: \"oujda\", requestId: $r, memberId: $m) {
  id assignee { id login displayName } } }";
const CLAIM: &str = "mutation($r: ID!) { claimRequest(commune: \"oujda\", requestId: $r) { assignee { login } } }";
const RELEASE: &str = "mutation($r: ID!) { releaseRequest(commune: \"oujda\", requestId: $r) { assignee { login } } }";
const MEMBERS: &str =
    "query($r: ID!) { assignableMembers(commune: \"oujda\", requestId: $r) { id login displayName } }";
const AUDIT: &str = "query($c: String!) { auditVerify(commune: $c) { valid eventsChecked } }";

async fn login(app: &TestApp, commune: &str, role: &str) -> Result<String> {
    app.login(&format!("{commune}.{role}"), DEMO_PASSWORD).await
}

async fn submitted(app: &TestApp, commune: &str) -> Result<(String, String, String)> {
    let data = app.data(None, SUBMIT, json!({ "c": commune })).await?;
    let submitted = &data["submitRequest"];
    Ok((
        submitted["request"]["id"].as_str().context("no id")?.to_owned(),
        submitted["request"]["trackingCode"].as_str().context("no code")?.to_owned(),
        submitted["secret"].as_str().context("no secret")?.to_owned(),
    ))
}

async fn audit_events(app: &TestApp, commune: &str) -> Result<i64> {
    let data = app.data(Some(&app.operator), AUDIT, json!({ "c": commune })).await?;
    ensure!(data["auditVerify"]["valid"] == true, "{data}");
    data["auditVerify"]["eventsChecked"].as_i64().context("no count")
}

/// The id of a member of Oujda, as an administrator lists them.
async fn member_id(app: &TestApp, login: &str) -> Result<String> {
    let data = app.data(Some(&app.operator), "{ communeUsers(commune: \"oujda\") { id login } }", json!({})).await?;
    data["communeUsers"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|u| u["login"] == login)
        .and_then(|u| u["id"].as_str())
        .map(str::to_owned)
        .with_context(|| format!("{login} is no member of Oujda"))
}

async fn a_demo_login_per_role_with_its_permissions(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    for commune in ["oujda", "chefchaouen"] {
        for role in [
            "counter_agent",
            "head_of_service",
            "civil_registrar",
            "information_officer",
            "council_secretary",
            "president",
            "commune_admin",
        ] {
            let session = login(&app, commune, role).await?;
            let me = app.data(Some(&session), ME, json!({})).await?;
            let memberships = &me["me"]["memberships"];
            assert_eq!(memberships.as_array().map(Vec::len), Some(1), "{me}");
            assert_eq!(memberships[0]["commune"], commune);
            assert_eq!(memberships[0]["roles"], json!([role]));
            let permissions: Vec<&str> =
                memberships[0]["permissions"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            ensure!(permissions.contains(&"read_requests"), "{role}: {permissions:?}");
            let assigns = ["head_of_service", "president", "commune_admin"].contains(&role);
            assert_eq!(permissions.contains(&"assign_requests"), assigns, "{role}: {permissions:?}");
            assert_eq!(permissions.contains(&"manage_access"), role == "commune_admin", "{role}: {permissions:?}");
        }
    }
    // Kaédi has no demo logins; a wrong password is refused like any.
    let body = app
        .graphql(
            None,
            "mutation { login(login: \"kaedi.counter_agent\", password: \"jamaa-demo-2026\") { token } }",
            json!({}),
        )
        .await?;
    assert_eq!(error_codes(&body), ["UNAUTHENTICATED"], "{body}");
    let body = app
        .graphql(
            None,
            "mutation { login(login: \"oujda.president\", password: \"not the demo password\") { token } }",
            json!({}),
        )
        .await?;
    assert_eq!(error_codes(&body), ["UNAUTHENTICATED"], "{body}");
    Ok(())
}

async fn files_are_assigned_claimed_released_and_reassigned(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let head = login(&app, "oujda", "head_of_service").await?;
    let agent = login(&app, "oujda", "counter_agent").await?;
    let secretary = login(&app, "oujda", "council_secretary").await?;
    let (request, code, secret) = submitted(&app, "oujda").await?;
    let agent_id = member_id(&app, "oujda.counter_agent").await?;
    let head_id = member_id(&app, "oujda.head_of_service").await?;
    let secretary_id = member_id(&app, "oujda.council_secretary").await?;
    let before = audit_events(&app, "oujda").await?;

    // Those who hold a role of the complaint's workflow (counter agents, heads of service), none of elsewhere.
    let members = app.data(Some(&head), MEMBERS, json!({ "r": request })).await?;
    let logins: Vec<&str> =
        members["assignableMembers"].as_array().into_iter().flatten().filter_map(|m| m["login"].as_str()).collect();
    assert_eq!(logins, ["agent.provincial", "oujda.counter_agent", "oujda.head_of_service"], "{members}");
    let body = app.graphql(Some(&agent), MEMBERS, json!({ "r": request })).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");

    // A counter agent does not assign others; a head of service does, to eligible members only.
    let body = app.graphql(Some(&agent), ASSIGN, json!({ "r": request, "m": head_id })).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");
    for ineligible in [secretary_id.clone(), uuid::Uuid::now_v7().to_string(), "not-an-id".to_owned()] {
        let body = app.graphql(Some(&head), ASSIGN, json!({ "r": request, "m": ineligible })).await?;
        assert_eq!(error_codes(&body), ["VALIDATION_FAILED"], "{body}");
        assert_eq!(body["errors"][0]["extensions"]["fields"][0]["path"], "memberId", "{body}");
    }
    let assigned = app.data(Some(&head), ASSIGN, json!({ "r": request, "m": agent_id })).await?;
    assert_eq!(assigned["assignRequest"]["assignee"]["login"], "oujda.counter_agent", "{assigned}");
    // Assigning it again to the same person changes nothing.
    app.data(Some(&head), ASSIGN, json!({ "r": request, "m": agent_id })).await?;

    // Nobody claims what someone holds; a member outside the workflow claims nothing.
    let body = app.graphql(Some(&head), CLAIM, json!({ "r": request })).await?;
    assert_eq!(error_codes(&body), ["CONFLICT"], "{body}");
    let body = app.graphql(Some(&secretary), CLAIM, json!({ "r": request })).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");
    // An API token is no person: it claims nothing.
    let body = app.graphql(Some(app.staff("oujda")), CLAIM, json!({ "r": request })).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");
    // Only the holder (or who may assign) releases.
    let body = app.graphql(Some(&secretary), RELEASE, json!({ "r": request })).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");
    let released = app.data(Some(&agent), RELEASE, json!({ "r": request })).await?;
    assert_eq!(released["releaseRequest"]["assignee"], Value::Null);
    let claimed = app.data(Some(&agent), CLAIM, json!({ "r": request })).await?;
    assert_eq!(claimed["claimRequest"]["assignee"]["login"], "oujda.counter_agent");
    let reassigned = app.data(Some(&head), ASSIGN, json!({ "r": request, "m": head_id })).await?;
    assert_eq!(reassigned["assignRequest"]["assignee"]["login"], "oujda.head_of_service");

    // Four steps of the history for the staff, each an audit event; none for the applicant.
    let file = app
        .data(
            Some(&head),
            "query($id: ID!) { request(commune: \"oujda\", id: $id) { assignee { login }
               history { action actionLabel actor assignee { login } } } }",
            json!({ "id": request }),
        )
        .await?;
    let steps: Vec<(&str, Option<&str>)> = file["request"]["history"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| (s["action"].as_str().unwrap_or(""), s["assignee"]["login"].as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            ("submit", None),
            ("assignment.assign", Some("oujda.counter_agent")),
            ("assignment.release", None),
            ("assignment.claim", Some("oujda.counter_agent")),
            ("assignment.reassign", Some("oujda.head_of_service")),
        ],
        "{file}"
    );
    for step in file["request"]["history"].as_array().into_iter().flatten() {
        ensure!(step["actionLabel"].as_str().is_some_and(|l| !l.is_empty()), "{step}");
    }
    assert_eq!(audit_events(&app, "oujda").await?, before + 4);
    let tracked = app
        .data(
            None,
            "query($c: String!, $s: String!) { trackRequest(trackingCode: $c, secret: $s) {
               assignee { login } history { action } } }",
            json!({ "c": code, "s": secret }),
        )
        .await?;
    assert_eq!(tracked["trackRequest"], json!({ "assignee": null, "history": [{ "action": "submit" }] }));

    // The workload: who holds what (for those who may assign).
    let workload =
        app.data(Some(&head), "{ workload(commune: \"oujda\") { member { login } open overdue } }", json!({})).await?;
    let rows = workload["workload"].as_array().context("no workload")?;
    let of = |login: &str| rows.iter().find(|w| w["member"]["login"] == login).cloned();
    assert_eq!(
        of("oujda.head_of_service"),
        Some(json!({ "member": { "login": "oujda.head_of_service" }, "open": 1, "overdue": 0 }))
    );
    assert_eq!(of("oujda.counter_agent").map(|w| w["open"].clone()), Some(json!(0)));
    // Every member holding a role of one of the commune's procedures, not the administrator (who holds none).
    ensure!(of("oujda.civil_registrar").is_some() && of("oujda.commune_admin").is_none(), "{workload}");
    let body = app.graphql(Some(&agent), "{ workload(commune: \"oujda\") { open } }", json!({})).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");

    let head_file = app
        .data(
            Some(&head),
            "query($id: ID!) { request(commune: \"oujda\", id: $id) { version } }",
            json!({ "id": request }),
        )
        .await?;
    assert_eq!(head_file["request"]["version"], 1, "assignment does not move the version actions name");
    Ok(())
}

async fn the_inbox_filters_sorts_pages_and_counts(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let head = login(&app, "oujda", "head_of_service").await?;
    let (claimed, code, _) = submitted(&app, "oujda").await?;
    submitted(&app, "oujda").await?;
    app.data(Some(&head), CLAIM, json!({ "r": claimed })).await?;
    const INBOX: &str = "query($f: Int, $a: String, $state: String, $service: String, $overdue: Boolean,
        $due: NaiveDate, $assignment: AssignmentFilter, $search: String) {
      requests(commune: \"oujda\", first: $f, after: $a, state: $state, serviceCode: $service, overdue: $overdue,
        dueBefore: $due, assignment: $assignment, search: $search) {
        totalCount pageInfo { hasNextPage endCursor } nodes { id trackingCode serviceCode decisionDue assignee { login } }
      } }";
    let inbox = |variables: Value| {
        let head = head.clone();
        let app = &app;
        async move { app.data(Some(&head), INBOX, variables).await.map(|d| d["requests"].clone()) }
    };

    // Every request, by decision date, page after page; the total beside each page.
    let all = inbox(json!({ "f": 100 })).await?;
    let total = all["totalCount"].as_i64().context("no total")?;
    assert_eq!(total, 5, "three demo files and two complaints: {all}");
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = inbox(json!({ "f": 2, "a": after })).await?;
        assert_eq!(page["totalCount"], total);
        seen.extend(page["nodes"].as_array().into_iter().flatten().cloned());
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(Value::Array(seen.clone()), all["nodes"]);
    let dues: Vec<&str> = seen.iter().filter_map(|n| n["decisionDue"].as_str()).collect();
    ensure!(dues.windows(2).all(|w| w[0] <= w[1]), "not by decision date: {dues:?}");

    // Filters, alone and together.
    let mine = inbox(json!({ "assignment": "MINE" })).await?;
    assert_eq!(mine["totalCount"], 1);
    assert_eq!(mine["nodes"][0]["assignee"]["login"], "oujda.head_of_service");
    assert_eq!(inbox(json!({ "assignment": "UNASSIGNED" })).await?["totalCount"], 4);
    let complaints = inbox(json!({ "service": "reclamation" })).await?;
    assert_eq!(complaints["totalCount"], 3);
    ensure!(complaints["nodes"].as_array().into_iter().flatten().all(|n| n["serviceCode"] == "reclamation"));
    assert_eq!(inbox(json!({ "service": "reclamation", "assignment": "UNASSIGNED" })).await?["totalCount"], 2);
    assert_eq!(inbox(json!({ "state": "submitted" })).await?["totalCount"], 5);
    assert_eq!(inbox(json!({ "overdue": true })).await?["totalCount"], 0);
    assert_eq!(inbox(json!({ "overdue": false })).await?["totalCount"], 5);
    assert_eq!(inbox(json!({ "due": "2000-01-01" })).await?["totalCount"], 0);
    assert_eq!(inbox(json!({ "due": "2999-01-01" })).await?["totalCount"], 5);
    // Search: a tracking code as typed, or a national id through the blind index (two demo files hold it).
    let found = inbox(json!({ "search": code.to_lowercase() })).await?;
    assert_eq!((found["totalCount"].clone(), found["nodes"][0]["id"].clone()), (json!(1), json!(claimed)));
    assert_eq!(inbox(json!({ "search": " ab123456 " })).await?["totalCount"], 2);
    assert_eq!(inbox(json!({ "search": "ZZ999999" })).await?["totalCount"], 0);
    let body = app.graphql(Some(&head), INBOX, json!({ "search": "rue principale" })).await?;
    assert_eq!(error_codes(&body), ["VALIDATION_FAILED"], "{body}");
    assert_eq!(body["errors"][0]["extensions"]["fields"][0]["path"], "search");
    // MINE needs a person.
    let body = app.graphql(Some(app.staff("oujda")), INBOX, json!({ "assignment": "MINE" })).await?;
    assert_eq!(error_codes(&body), ["VALIDATION_FAILED"], "{body}");

    // The counts beside it.
    const COUNTS: &str = "query($service: String, $state: String) {
      inboxCounts(commune: \"oujda\", serviceCode: $service, state: $state, locale: \"fr\") {
        total overdue mine unassigned byState { state label count } } }";
    let counts = app.data(Some(&head), COUNTS, json!({ "state": "submitted" })).await?;
    assert_eq!(
        counts["inboxCounts"],
        json!({ "total": 5, "overdue": 0, "mine": 1, "unassigned": 4,
                "byState": [{ "state": "submitted", "label": "Déposée", "count": 5 }] })
    );
    let counts = app.data(Some(&head), COUNTS, json!({ "service": "reclamation" })).await?;
    assert_eq!(counts["inboxCounts"]["total"], 3);
    assert_eq!(counts["inboxCounts"]["unassigned"], 2);
    // Chefchaouen's staff count nothing of Oujda.
    let body = app.graphql(Some(app.staff("chefchaouen")), COUNTS, json!({})).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");
    Ok(())
}

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

async fn uploaded_files_are_downloaded_by_workflow_staff_only(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let submission = json!({
        "commune": "oujda",
        "serviceCode": "legalisation-signature",
        "data": { "signatory_name": "Salma Bennani", "cin": "AB123456", "phone": "0612345678",
                  "document_title": "Procuration", "copies": 1 }
    });
    let form = Form::new()
        .text("submission", submission.to_string())
        .part("document_to_sign", Part::bytes(PDF.to_vec()).file_name("procuration signée.pdf"));
    let response = app.client.post(app.url("/submissions")).multipart(form).send().await?;
    let body: Value = response.json().await?;
    let request = body["id"].as_str().context("no id")?.to_owned();
    let file = app
        .data(
            Some(app.staff("oujda")),
            "query($id: ID!) { request(commune: \"oujda\", id: $id) { documents { code fileName fileId } } }",
            json!({ "id": request }),
        )
        .await?;
    let file_id = file["request"]["documents"][0]["fileId"].as_str().context("no file id")?.to_owned();
    // A demo file submitted without content has no file to download.
    let before = audit_events(&app, "oujda").await?;

    let get = |commune: &str, token: Option<String>, file: &str| {
        let mut request = app.client.get(app.url(&format!("/files/{commune}/{request}/{file}")));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    // The counter agent of Oujda (a role of the legalisation's workflow) gets the bytes.
    let agent = login(&app, "oujda", "counter_agent").await?;
    let response = get("oujda", Some(agent.clone()), &file_id).await?;
    assert_eq!(response.status().as_u16(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers.get("content-type").and_then(|v| v.to_str().ok()), Some("application/pdf"));
    assert_eq!(headers.get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
    let disposition = headers.get("content-disposition").and_then(|v| v.to_str().ok()).unwrap_or("");
    ensure!(
        disposition.starts_with(
            "attachment; filename=\"procuration_sign_e.pdf\"; filename*=UTF-8''procuration%20sign%C3%A9e%2Epdf"
        ),
        "{disposition}"
    );
    assert_eq!(response.bytes().await?.as_ref(), PDF);
    assert_eq!(audit_events(&app, "oujda").await?, before + 1, "the download is an audit event");
    // The request's id as the API gives it, with the locale of its view, names the same request.
    let localized = format!("/files/oujda/{request}@fr/{file_id}");
    let response = app.client.get(app.url(&localized)).bearer_auth(&agent).send().await?;
    assert_eq!(response.status().as_u16(), 200, "{localized}");
    assert_eq!(response.bytes().await?.as_ref(), PDF);

    // Nobody else: no token, a member outside the workflow, another commune's staff naming Oujda or itself,
    // an unknown file, a file of another request.
    let secretary = login(&app, "oujda", "council_secretary").await?;
    let refusals = [
        ("oujda", None, file_id.clone(), 401, "UNAUTHENTICATED"),
        ("oujda", Some(secretary), file_id.clone(), 403, "FORBIDDEN"),
        ("oujda", Some(app.staff("chefchaouen").to_owned()), file_id.clone(), 403, "FORBIDDEN"),
        ("chefchaouen", Some(app.staff("chefchaouen").to_owned()), file_id.clone(), 404, "NOT_FOUND"),
        ("oujda", Some(agent.clone()), uuid::Uuid::now_v7().to_string(), 404, "NOT_FOUND"),
        ("oujda", Some(agent.clone()), "not-a-file-id".to_owned(), 404, "NOT_FOUND"),
    ];
    for (commune, token, file, status, code) in refusals {
        let response = get(commune, token, &file).await?;
        assert_eq!(response.status().as_u16(), status, "{commune} {file}");
        let body: Value = response.json().await?;
        assert_eq!(error_codes(&body), [code], "{body}");
    }
    let (other, _, _) = submitted(&app, "oujda").await?;
    let response =
        app.client.get(app.url(&format!("/files/oujda/{other}/{file_id}"))).bearer_auth(&agent).send().await?;
    assert_eq!(response.status().as_u16(), 404);
    assert_eq!(audit_events(&app, "oujda").await?, before + 3, "only the downloads and the complaint were written");
    Ok(())
}

async fn accounts_are_administered_commune_by_commune(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let admin = login(&app, "oujda", "commune_admin").await?;
    const USERS: &str = "query($c: String) { communeUsers(commune: $c) { id login displayName disabled roles } }";
    let users = app.data(Some(&admin), USERS, json!({ "c": "oujda" })).await?;
    let logins: Vec<&str> =
        users["communeUsers"].as_array().into_iter().flatten().filter_map(|u| u["login"].as_str()).collect();
    ensure!(logins.contains(&"oujda.counter_agent") && logins.contains(&"agent.provincial"), "{logins:?}");
    ensure!(!logins.iter().any(|l| l.starts_with("chefchaouen.")), "{logins:?}");
    let agent_row = users["communeUsers"].as_array().into_iter().flatten().find(|u| u["login"] == "agent.provincial");
    assert_eq!(agent_row.map(|u| u["roles"].clone()), Some(json!(["counter_agent", "head_of_service"])));
    for (token, commune) in [(login(&app, "oujda", "counter_agent").await?, "oujda"), (admin.clone(), "chefchaouen")] {
        let body = app.graphql(Some(&token), USERS, json!({ "c": commune })).await?;
        assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");
    }
    let before = audit_events(&app, "oujda").await?;

    // A new account: every bad field at once, nothing written; then a good one that logs in.
    const CREATE: &str = "mutation($i: CreateUserInput!) { createUser(commune: \"oujda\", input: $i) {
        id login displayName disabled roles } }";
    let bad = json!({ "login": "x", "displayName": " ", "password": "short", "roles": ["mayor"] });
    let body = app.graphql(Some(&admin), CREATE, json!({ "i": bad })).await?;
    assert_eq!(error_codes(&body), ["VALIDATION_FAILED"], "{body}");
    let paths = field_paths(&body);
    assert_eq!(paths, ["login", "password", "displayName"], "{body}");
    let body = app
        .graphql(
            Some(&admin),
            CREATE,
            json!({ "i": { "login": "oujda.nouvel.agent", "displayName": "Nouvel agent",
            "password": "un mot de passe assez long", "roles": ["mayor"] } }),
        )
        .await?;
    assert_eq!(body["errors"][0]["extensions"]["fields"][0]["path"], "input.roles", "{body}");
    assert_eq!(audit_events(&app, "oujda").await?, before, "nothing was written");
    let created = app
        .data(
            Some(&admin),
            CREATE,
            json!({ "i": { "login": "Oujda.Nouvel.Agent", "displayName": "Nouvel agent",
            "password": "un mot de passe assez long", "roles": ["counter_agent"] } }),
        )
        .await?;
    let user = created["createUser"]["id"].as_str().context("no id")?.to_owned();
    assert_eq!(created["createUser"]["login"], "oujda.nouvel.agent");
    assert_eq!(created["createUser"]["roles"], json!(["counter_agent"]));
    let session = app.login("oujda.nouvel.agent", "un mot de passe assez long").await?;
    let body = app
        .graphql(
            Some(&admin),
            CREATE,
            json!({ "i": { "login": "oujda.nouvel.agent", "displayName": "Bis",
            "password": "un mot de passe assez long", "roles": ["counter_agent"] } }),
        )
        .await?;
    assert_eq!(error_codes(&body), ["CONFLICT"], "{body}");

    // Roles: granted and revoked in this commune only.
    const GRANT: &str =
        "mutation($c: String!, $u: ID!, $r: String!) { grantRole(commune: $c, userId: $u, role: $r) { roles } }";
    const REVOKE: &str =
        "mutation($c: String!, $u: ID!, $r: String!) { revokeRole(commune: $c, userId: $u, role: $r) { roles } }";
    let granted = app.data(Some(&admin), GRANT, json!({ "c": "oujda", "u": user, "r": "head_of_service" })).await?;
    assert_eq!(granted["grantRole"]["roles"], json!(["counter_agent", "head_of_service"]));
    let body = app.graphql(Some(&admin), GRANT, json!({ "c": "oujda", "u": user, "r": "mayor" })).await?;
    assert_eq!(error_codes(&body), ["VALIDATION_FAILED"], "{body}");
    let revoked = app.data(Some(&admin), REVOKE, json!({ "c": "oujda", "u": user, "r": "counter_agent" })).await?;
    assert_eq!(revoked["revokeRole"]["roles"], json!(["head_of_service"]));
    let body = app.graphql(Some(&admin), GRANT, json!({ "c": "chefchaouen", "u": user, "r": "counter_agent" })).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");

    // Disabled: its session ends and it logs in no more; enabled again. A new password ends sessions too.
    const DISABLE: &str = "mutation($u: ID!, $d: Boolean!) { setUserDisabled(commune: \"oujda\", userId: $u, disabled: $d) { disabled } }";
    const RESET: &str =
        "mutation($u: ID!, $p: String!) { resetUserPassword(commune: \"oujda\", userId: $u, password: $p) }";
    let disabled = app.data(Some(&admin), DISABLE, json!({ "u": user, "d": true })).await?;
    assert_eq!(disabled["setUserDisabled"]["disabled"], true);
    let body = app.graphql(Some(&session), ME, json!({})).await?;
    assert_eq!(error_codes(&body), ["UNAUTHENTICATED"], "{body}");
    ensure!(app.login("oujda.nouvel.agent", "un mot de passe assez long").await.is_err());
    app.data(Some(&admin), DISABLE, json!({ "u": user, "d": false })).await?;
    let session = app.login("oujda.nouvel.agent", "un mot de passe assez long").await?;
    let body = app.graphql(Some(&admin), RESET, json!({ "u": user, "p": "court" })).await?;
    assert_eq!(error_codes(&body), ["VALIDATION_FAILED"], "{body}");
    assert_eq!(
        app.data(Some(&admin), RESET, json!({ "u": user, "p": "un tout autre mot de passe" })).await?["resetUserPassword"],
        true
    );
    let body = app.graphql(Some(&session), ME, json!({})).await?;
    assert_eq!(error_codes(&body), ["UNAUTHENTICATED"], "{body}");
    ensure!(app.login("oujda.nouvel.agent", "un mot de passe assez long").await.is_err());
    app.login("oujda.nouvel.agent", "un tout autre mot de passe").await?;
    // created, granted, granted, revoked, disabled, enabled, password reset: each in Oujda's chain.
    assert_eq!(audit_events(&app, "oujda").await?, before + 7);

    // The provincial agent also works in Chefchaouen: Oujda's administrator changes its roles in Oujda only,
    // and neither disables it nor sets its password; operators do.
    let agent = member_id(&app, "agent.provincial").await?;
    let body = app.graphql(Some(&admin), DISABLE, json!({ "u": agent, "d": true })).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");
    let body = app.graphql(Some(&admin), RESET, json!({ "u": agent, "p": "un tout autre mot de passe" })).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");
    app.data(Some(&admin), REVOKE, json!({ "c": "oujda", "u": agent, "r": "head_of_service" })).await?;
    let (login_name, password) = app.agent.clone();
    let agent_session = app.login(&login_name, &password).await?;
    let me = app.data(Some(&agent_session), "{ me { memberships { commune roles } } }", json!({})).await?;
    assert_eq!(
        me["me"]["memberships"],
        json!([{ "commune": "oujda", "roles": ["counter_agent"] }, { "commune": "chefchaouen", "roles": ["counter_agent"] }])
    );
    // A member of Chefchaouen only is no business of Oujda's administrator.
    let chefchaouen_agent = app.data(Some(&app.operator), USERS, json!({ "c": "chefchaouen" })).await?["communeUsers"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|u| u["login"] == "chefchaouen.counter_agent")
        .and_then(|u| u["id"].as_str().map(str::to_owned))
        .context("no chefchaouen.counter_agent")?;
    for (query, variables) in [
        (DISABLE, json!({ "u": chefchaouen_agent, "d": true })),
        (RESET, json!({ "u": chefchaouen_agent, "p": "un tout autre mot de passe" })),
        (REVOKE, json!({ "c": "oujda", "u": chefchaouen_agent, "r": "counter_agent" })),
    ] {
        let body = app.graphql(Some(&admin), query, variables).await?;
        assert_eq!(error_codes(&body), ["NOT_FOUND"], "{body}");
    }
    let disabled = app.data(Some(&app.operator), DISABLE, json!({ "u": agent, "d": true })).await?;
    assert_eq!(disabled["setUserDisabled"]["disabled"], true);

    // The commune's API tokens, without secrets; not for a counter agent.
    const TOKENS: &str = "{ apiTokens(commune: \"oujda\", first: 100) { nodes { id kind label roles createdAt expiresAt lastUsedAt revokedAt } } }";
    let tokens = app.data(Some(&admin), TOKENS, json!({})).await?;
    let listed = tokens["apiTokens"]["nodes"].as_array().context("no tokens")?;
    let staff = listed.iter().find(|t| t["label"] == "demo staff of oujda").context("no demo staff token")?;
    assert_eq!(staff["kind"], "staff");
    ensure!(staff["lastUsedAt"].is_string(), "{staff}");
    ensure!(!tokens.to_string().contains(app.staff("oujda")), "a secret was listed");
    ensure!(!listed.iter().any(|t| t["label"] == "demo staff of chefchaouen"), "{tokens}");
    let body = app.graphql(Some(&login(&app, "oujda", "counter_agent").await?), TOKENS, json!({})).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");
    Ok(())
}

const LINEAGE: &str = "templateName templateVersion latestTemplateVersion upgradeAvailable";

/// The lineage of every commune of the list, by slug.
async fn listed_lineage(app: &TestApp) -> Result<Vec<(String, Value)>> {
    let data =
        app.data(None, &format!("{{ communes(first: 100) {{ nodes {{ slug {LINEAGE} }} }} }}"), json!({})).await?;
    Ok(data["communes"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let lineage =
                json!([c["templateName"], c["templateVersion"], c["latestTemplateVersion"], c["upgradeAvailable"]]);
            (c["slug"].as_str().unwrap_or_default().to_owned(), lineage)
        })
        .collect())
}

async fn a_commune_shows_its_lineage_and_whether_an_upgrade_is_available(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    // The demo onboards Oujda from the Moroccan standard, and Chefchaouen from Oujda's template.
    let listed = listed_lineage(&app).await?;
    let of = |slug: &str| listed.iter().find(|(s, _)| s == slug).map(|(_, l)| l.clone());
    assert_eq!(of("oujda"), Some(json!(["ma-commune", 1, 1, false])), "{listed:?}");
    assert_eq!(of("chefchaouen"), Some(json!(["oujda", 1, 1, false])), "{listed:?}");

    // Oujda publishes its template's next version: the list (one read of the latest versions) and one commune
    // alone, read anonymously and by the commune's own staff, say an upgrade is available.
    app.data(
        Some(&app.operator),
        "mutation { exportTemplate(commune: \"oujda\", name: \"oujda\") { reference } }",
        json!({}),
    )
    .await?;
    let listed = listed_lineage(&app).await?;
    let chefchaouen = listed.iter().find(|(s, _)| s == "chefchaouen").map(|(_, l)| l.clone());
    assert_eq!(chefchaouen, Some(json!(["oujda", 1, 2, true])), "{listed:?}");
    let staff = login(&app, "chefchaouen", "counter_agent").await?;
    for token in [None, Some(staff.as_str())] {
        let data = app.data(token, &format!("{{ commune(slug: \"chefchaouen\") {{ {LINEAGE} }} }}"), json!({})).await?;
        assert_eq!(
            data["commune"],
            json!({ "templateName": "oujda", "templateVersion": 1, "latestTemplateVersion": 2, "upgradeAvailable": true })
        );
    }

    // After the upgrade, the commune follows the latest version.
    let upgrade =
        "mutation { upgradeCommune(commune: \"chefchaouen\", to: \"oujda@2\") { upgraded unresolved { path } } }";
    let data = app.data(Some(&app.operator), upgrade, json!({})).await?;
    ensure!(data["upgradeCommune"]["upgraded"] == true, "{data}");
    let data = app.data(None, &format!("{{ commune(slug: \"chefchaouen\") {{ {LINEAGE} }} }}"), json!({})).await?;
    assert_eq!(data["commune"]["templateVersion"], 2);
    assert_eq!(data["commune"]["upgradeAvailable"], false);
    app.stop().await
}

async fn onboarding_without_a_tracking_prefix_picks_a_free_one(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    const ONBOARD: &str = "mutation($i: OnboardCommuneInput!) { onboardCommune(input: $i) { slug trackingPrefix
        templateName templateVersion } }";
    let input = |slug: &str| json!({ "from": "oujda@1", "slug": slug, "nameFr": slug, "nameAr": "بني درار" });
    // Only operators: an anonymous caller and a commune's administrator are refused, nothing written.
    let admin = login(&app, "oujda", "commune_admin").await?;
    for (token, code) in [(None, "UNAUTHENTICATED"), (Some(admin.as_str()), "FORBIDDEN")] {
        let body = app.graphql(token, ONBOARD, json!({ "i": input("bni-drar") })).await?;
        assert_eq!(error_codes(&body), [code], "{body}");
    }
    let mut prefixes = Vec::new();
    for slug in ["bni-drar", "bni-drar-2", "bni-drar-3"] {
        let data = app.data(Some(&app.operator), ONBOARD, json!({ "i": input(slug) })).await?;
        let commune = &data["onboardCommune"];
        assert_eq!(commune["templateName"], "oujda");
        assert_eq!(commune["templateVersion"], 1);
        prefixes.push(commune["trackingPrefix"].as_str().context("no prefix")?.to_owned());
    }
    let mut unique = prefixes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 3, "{prefixes:?}");
    ensure!(prefixes[0].starts_with('B'), "{prefixes:?}");
    // A commune that exists is a CONFLICT, and nothing is written twice.
    let body = app.graphql(Some(&app.operator), ONBOARD, json!({ "i": input("bni-drar") })).await?;
    assert_eq!(error_codes(&body), ["CONFLICT"], "{body}");
    app.stop().await
}
