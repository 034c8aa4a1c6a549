//! The commune's human resources over real HTTP, on SQLite and PostgreSQL: the HR officer keeps the
//! organisation chart (a tree) and a staff record linked to a member's account, its personal data sealed and
//! read on one record only (audited); the person is then assigned a file, named by the record in the
//! workload; on leave, the person is shown absent in the directory and given no file, until the leave is
//! cancelled. Only HR and the commune's administrators read the records.

use anyhow::{Context as _, Result, ensure};
use jamaa_core::service::demo::DEMO_PASSWORD;
use jamaa_tests::app::{Backend, TestApp, error_codes, field_paths};
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(a_staff_record_names_who_is_assigned_and_leave_keeps_files_away);

const SUBMIT: &str = r#"mutation { submitRequest(commune: "oujda", input: {
  serviceCode: "reclamation", data: { subject: "roads", description: "Un nid-de-poule dangereux devant l'école." }
}) { request { id } } }"#;
const ASSIGN: &str = "mutation($r: ID!, $m: ID!) { assignRequest(commune: \"oujda\", requestId: $r, memberId: $m) {
  assignee { login } } }";
const MEMBERS: &str = "query($r: ID!) { assignableMembers(commune: \"oujda\", requestId: $r) { login } }";
const WORKLOAD: &str = "{ workload(commune: \"oujda\") { member { login } fullName awayUntil open } }";
const DIRECTORY: &str = "{ staffDirectory(commune: \"oujda\") { staffId fullName position departmentId absent awayUntil
  account { login } } }";
const ADD_DEPARTMENT: &str = "mutation($i: DepartmentInput!) { addDepartment(commune: \"oujda\", input: $i) {
  id name parentId headId } }";
const UPDATE_DEPARTMENT: &str = "mutation($id: ID!, $i: DepartmentInput!) {
  updateDepartment(commune: \"oujda\", id: $id, input: $i) { id parentId headId } }";
const CREATE: &str = "mutation($i: StaffRecordInput!) { createStaffRecord(commune: \"oujda\", input: $i) {
  id fullName account { login } personal { nationalId phone } } }";
const RECORD: &str = "query($id: ID!) { staffRecord(commune: \"oujda\", id: $id) {
  fullName grade departmentId awayUntil personal { nationalId birthDate address phone }
  leaves { id kind startsOn endsOn workingDays } } }";
const LEAVE: &str = "mutation($s: ID!, $i: LeaveInput!) { recordLeave(commune: \"oujda\", staffId: $s, input: $i) {
  id kind workingDays } }";
const CANCEL: &str = "mutation($id: ID!) { cancelLeave(commune: \"oujda\", id: $id) { id } }";

async fn login(app: &TestApp, role: &str) -> Result<String> {
    app.login(&format!("oujda.{role}"), DEMO_PASSWORD).await
}

fn text(value: &Value) -> Result<String> {
    value.as_str().map(str::to_owned).with_context(|| format!("not a string: {value}"))
}

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

async fn logins(app: &TestApp, token: &str, request: &str) -> Result<Vec<String>> {
    let members = app.data(Some(token), MEMBERS, json!({ "r": request })).await?;
    Ok(members["assignableMembers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["login"].as_str())
        .map(str::to_owned)
        .collect())
}

async fn a_staff_record_names_who_is_assigned_and_leave_keeps_files_away(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let hr = login(&app, "hr_officer").await?;
    let head = login(&app, "head_of_service").await?;
    let agent = login(&app, "counter_agent").await?;
    let agent_id = member_id(&app, "oujda.counter_agent").await?;

    // The organisation chart: a department under another; none under its own sub-department.
    let general =
        app.data(Some(&hr), ADD_DEPARTMENT, json!({ "i": { "name": "Direction générale des services" } })).await?;
    let general = text(&general["addDepartment"]["id"])?;
    let office = json!({ "name": "Bureau d'ordre", "parentId": general });
    let office = app.data(Some(&hr), ADD_DEPARTMENT, json!({ "i": office })).await?;
    let office = text(&office["addDepartment"]["id"])?;
    let cycle = json!({ "id": general, "i": { "name": "Direction générale des services", "parentId": office } });
    let body = app.graphql(Some(&hr), UPDATE_DEPARTMENT, cycle).await?;
    assert_eq!(field_paths(&body), ["input.parentId"], "{body}");

    // A staff record linked to the counter agent's account, its personal data sealed.
    let input = json!({
        "fullName": "Samira Alaoui", "grade": "Adjointe administrative", "position": "Agente de guichet",
        "departmentId": office, "enteredOn": "2015-09-01", "userId": agent_id,
        "nationalId": "FB123987", "birthDate": "1988-04-12", "address": "12 rue Zerktouni, Oujda", "phone": "0661234567",
    });
    let created = app.data(Some(&hr), CREATE, json!({ "i": input })).await?;
    let staff = text(&created["createStaffRecord"]["id"])?;
    assert_eq!(created["createStaffRecord"]["account"]["login"], "oujda.counter_agent", "{created}");
    assert_eq!(created["createStaffRecord"]["personal"]["phone"], "+212661234567", "{created}");
    // One account, one record.
    let again = app.graphql(Some(&hr), CREATE, json!({ "i": input })).await?;
    assert_eq!(field_paths(&again), ["input.userId"], "{again}");
    let head_of = json!({ "id": office, "i": { "name": "Bureau d'ordre", "parentId": general, "headId": staff } });
    let headed = app.data(Some(&hr), UPDATE_DEPARTMENT, head_of).await?;
    assert_eq!(headed["updateDepartment"]["headId"], json!(staff), "{headed}");
    ensure!(!app.database_bytes()?.contains("FB123987"), "the national id is stored in clear");

    // Only HR and the administrators read records; the staff read the directory, without personal data.
    let body = app.graphql(Some(&agent), RECORD, json!({ "id": staff })).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");
    let body =
        app.graphql(Some(&head), "{ staffRecords(commune: \"oujda\", first: 10) { totalCount } }", json!({})).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");
    let admin = login(&app, "commune_admin").await?;
    let read = app.data(Some(&admin), RECORD, json!({ "id": staff })).await?;
    assert_eq!(read["staffRecord"]["personal"]["nationalId"], "FB123987", "{read}");
    let directory = app.data(Some(&agent), DIRECTORY, json!({})).await?;
    let entry = &directory["staffDirectory"][0];
    assert_eq!((&entry["fullName"], &entry["absent"]), (&json!("Samira Alaoui"), &json!(false)), "{directory}");
    ensure!(!directory.to_string().contains("FB123987"), "{directory}");

    // The linked account is assigned a file, and the workload names the person.
    let submitted = app.data(None, SUBMIT, json!({})).await?;
    let first = text(&submitted["submitRequest"]["request"]["id"])?;
    let assigned = app.data(Some(&head), ASSIGN, json!({ "r": first, "m": agent_id })).await?;
    assert_eq!(assigned["assignRequest"]["assignee"]["login"], "oujda.counter_agent", "{assigned}");
    let workload = app.data(Some(&head), WORKLOAD, json!({})).await?;
    let row =
        workload["workload"].as_array().into_iter().flatten().find(|w| w["member"]["login"] == "oujda.counter_agent");
    let row = row.with_context(|| format!("{workload}"))?;
    assert_eq!((&row["fullName"], &row["open"], &row["awayUntil"]), (&json!("Samira Alaoui"), &json!(1), &Value::Null));

    // On leave (a type of the template, days around the commune's today): not assigned, shown absent.
    let today = chrono::Utc::now().date_naive();
    let (from, to) = (today - chrono::Days::new(2), today + chrono::Days::new(5));
    let wrong = json!({ "kind": "sabbatical", "startsOn": from.to_string(), "endsOn": to.to_string() });
    let body = app.graphql(Some(&hr), LEAVE, json!({ "s": staff, "i": wrong })).await?;
    assert_eq!(field_paths(&body), ["input.kind"], "{body}");
    let leave = json!({ "kind": "annual", "startsOn": from.to_string(), "endsOn": to.to_string() });
    let leave = app.data(Some(&hr), LEAVE, json!({ "s": staff, "i": leave })).await?;
    let leave_id = text(&leave["recordLeave"]["id"])?;
    ensure!(leave["recordLeave"]["workingDays"].as_i64().is_some_and(|d| (1..=8).contains(&d)), "{leave}");

    let submitted = app.data(None, SUBMIT, json!({})).await?;
    let second = text(&submitted["submitRequest"]["request"]["id"])?;
    let eligible = logins(&app, &head, &second).await?;
    ensure!(!eligible.contains(&"oujda.counter_agent".to_owned()), "{eligible:?}");
    ensure!(eligible.contains(&"oujda.head_of_service".to_owned()), "{eligible:?}");
    let body = app.graphql(Some(&head), ASSIGN, json!({ "r": second, "m": agent_id })).await?;
    assert_eq!(field_paths(&body), ["memberId"], "{body}");
    let file = app
        .data(
            Some(&head),
            "query($id: ID!) { request(commune: \"oujda\", id: $id) { assignee { login } } }",
            json!({ "id": second }),
        )
        .await?;
    assert_eq!(file["request"]["assignee"], Value::Null, "{file}");
    let directory = app.data(Some(&agent), DIRECTORY, json!({})).await?;
    assert_eq!(directory["staffDirectory"][0]["absent"], true, "{directory}");
    assert_eq!(directory["staffDirectory"][0]["awayUntil"], json!(to.to_string()), "{directory}");
    let workload = app.data(Some(&head), WORKLOAD, json!({})).await?;
    ensure!(workload.to_string().contains(&to.to_string()), "{workload}");
    let read = app.data(Some(&hr), RECORD, json!({ "id": staff })).await?;
    assert_eq!(read["staffRecord"]["leaves"][0]["kind"], "annual", "{read}");

    // The leave cancelled, the person is assigned again.
    app.data(Some(&hr), CANCEL, json!({ "id": leave_id })).await?;
    let assigned = app.data(Some(&head), ASSIGN, json!({ "r": second, "m": agent_id })).await?;
    assert_eq!(assigned["assignRequest"]["assignee"]["login"], "oujda.counter_agent", "{assigned}");

    let audit = app.data(Some(&app.operator), "{ auditVerify(commune: \"oujda\") { valid } }", json!({})).await?;
    assert_eq!(audit["auditVerify"]["valid"], true, "{audit}");
    Ok(())
}
