//! Staff forms on workflow actions, end to end on SQLite and PostgreSQL: Oujda adds to its large-project
//! building permit a site visit whose report is a form the technician fills in (the same schema language as a
//! citizen's form); the decision's guard reads a field of that report. The checks refuse a guard reading a field
//! the report does not have or a personal one; a report with missing or wrong values is refused with each field's
//! path; the report's personal field is sealed at rest, opened for the staff of the workflow (the reading
//! audited) and hidden from the applicant, who sees the step only.

use anyhow::{Context as _, Result};
use jamaa_tests::app::{Backend, TestApp, error_codes, field_paths};
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(a_site_visit_report_is_a_staff_form_checked_sealed_and_read_by_guards);

const DEFINITION: &str =
    "query { service(commune: \"oujda\", code: \"autorisation-construire-grands-projets\") { definition } }";
const PUBLISH: &str = "mutation($d: JSON!) { publishService(commune: \"oujda\", definition: $d) }";
const SUBMIT: &str = "mutation($input: SubmitRequestInput!) { submitRequest(commune: \"oujda\", input: $input) {
    secret request { id trackingCode version }
} }";
const ACT: &str = "mutation($id: ID!, $a: String!, $v: Int!, $form: JSON, $c: String) {
    actOnRequest(commune: \"oujda\", id: $id, action: $a, expectedVersion: $v, form: $form, comment: $c) {
        state version availableActions { key formSchema }
    }
}";
const REQUEST: &str = "query($id: ID!) { request(commune: \"oujda\", id: $id, locale: \"fr\") {
    state version availableActions { key formSchema }
    history { action actionLabel form { values sealedFields } }
} }";
const TRACK: &str = "query($code: String!, $secret: String!) {
    trackRequest(trackingCode: $code, secret: $secret) { history { action form { values } } }
}";
const OPINION: &str = "mutation($id: ID!, $body: String!) {
    giveOpinion(commune: \"oujda\", id: $id, body: $body, opinion: FAVOURABLE) { state version }
}";
const AUDIT: &str = "{ auditVerify(commune: \"oujda\") { valid eventsChecked } }";

/// The large-project permit of Oujda (a residential building in Hay Al Qods).
pub(crate) fn large_project() -> Value {
    json!({
        "serviceCode": "autorisation-construire-grands-projets",
        "data": {
            "applicant_name": "Société Al Bina SARL",
            "cin": "F123456",
            "phone": "+212661234567",
            "parcel_location": { "lat": 34.6814, "lng": -1.9086, "address": "Hay Al Qods, Oujda" },
            "floors": 5,
            "built_surface": 2400,
            "project_type": "collective_housing"
        },
        "documents": [
            { "code": "architectural_plans", "fileName": "plans.pdf", "mediaType": "application/pdf", "sizeBytes": 4000000 },
            { "code": "structural_plans", "fileName": "beton.pdf", "mediaType": "application/pdf", "sizeBytes": 3000000 },
            { "code": "property_title", "fileName": "titre.pdf", "mediaType": "application/pdf", "sizeBytes": 300000 },
            { "code": "topographic_plan", "fileName": "topo.pdf", "mediaType": "application/pdf", "sizeBytes": 900000 }
        ]
    })
}

/// The site-visit report: when, whether the works as planned fit the site, observations, and the phone of the
/// neighbour met on site (personal, sealed).
pub(crate) fn site_visit_action() -> Value {
    let label = |ar: &str, fr: &str, en: &str, tzm: &str| json!({ "ar": ar, "fr": fr, "en": en, "tzm": tzm });
    json!({
        "key": "site_visit",
        "label": label("محضر معاينة الموقع", "Rapport de visite des lieux", "Site-visit report", "ⴰⵎⵙⵉⵏⵉ ⵏ ⵓⵔⵣⵣⵓ ⵏ ⵓⴷⵖⴰⵔ"),
        "from": ["under_review"],
        "to": "under_review",
        "actors": [{ "role": "head_of_service" }],
        "form": { "fields": [
            { "key": "visited_on", "type": "date", "required": true,
              "label": label("تاريخ المعاينة", "Date de la visite", "Date of the visit", "ⴰⵣⵎⵣ ⵏ ⵓⵔⵣⵣⵓ") },
            { "key": "conforms", "type": "boolean", "required": true,
              "label": label("المشروع مطابق للموقع", "Projet conforme au site", "The project fits the site", "ⴰⵙⵏⴼⴰⵔ ⵉⵎⵙⴰⵙⴰ ⴷ ⵓⴷⵖⴰⵔ") },
            { "key": "observations", "type": "text", "rules": { "maxLength": 2000 },
              "label": label("ملاحظات", "Observations", "Observations", "ⵜⵉⵏⴰⵡⵉⵏ") },
            { "key": "neighbour_phone", "type": "phone", "personal": true,
              "label": label("هاتف الجار", "Téléphone du voisin", "Neighbour's phone", "ⴰⵜⵉⵍⵉⴼⵓⵏ ⵏ ⵓⵎⵣⴷⴰⵖ") }
        ] }
    })
}

async fn a_site_visit_report_is_a_staff_form_checked_sealed_and_read_by_guards(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let staff = app.staff("oujda").to_owned();
    let mut definition = app.data(None, DEFINITION, json!({})).await?["service"]["definition"].clone();
    // The shipped report is replaced by this one (with a personal field), and approval freed of its guard.
    let actions = definition["workflow"]["actions"].as_array_mut().context("actions")?;
    actions.retain(|a| a["key"] != "site_visit");
    for action in actions.iter_mut().filter(|a| a["key"] == "approve") {
        action.as_object_mut().context("approve")?.remove("guard");
    }
    actions.push(site_visit_action());
    let approve = actions.iter().position(|a| a["key"] == "approve").context("approve")?;

    // The checks: a guard reading a field the report lacks, or its personal field; a report's bad definition.
    let guard_path = format!("workflow.actions[{approve}].guard");
    let cases = [
        (json!({ "equals": { "field": "site_visit.safe", "value": true } }), guard_path.clone()),
        (json!({ "equals": { "field": "site_visit.neighbour_phone", "value": "x" } }), guard_path.clone()),
        (json!({ "equals": { "field": "inspection.conforms", "value": true } }), guard_path.clone()),
    ];
    for (guard, expected) in cases {
        let mut broken = definition.clone();
        broken["workflow"]["actions"][approve]["guard"] = guard;
        let refused = app.graphql(Some(&staff), PUBLISH, json!({ "d": broken })).await?;
        assert_eq!(error_codes(&refused), ["VALIDATION_FAILED"], "{refused}");
        assert_eq!(field_paths(&refused), [expected], "{refused}");
    }
    let visit = definition["workflow"]["actions"].as_array().context("actions")?.len() - 1;
    let mut broken = definition.clone();
    broken["workflow"]["actions"][visit]["form"]["fields"][1]["key"] = json!("Visited On");
    let refused = app.graphql(Some(&staff), PUBLISH, json!({ "d": broken })).await?;
    assert_eq!(error_codes(&refused), ["VALIDATION_FAILED"], "{refused}");
    assert!(
        field_paths(&refused).iter().all(|p| p.starts_with(&format!("workflow.actions[{visit}].form.fields[1]"))),
        "{refused}"
    );
    // A staff form is for staff: not for an action the system or the applicant takes.
    let mut broken = definition.clone();
    broken["workflow"]["actions"][visit]["actors"] = json!([{ "role": "head_of_service" }, "applicant"]);
    let refused = app.graphql(Some(&staff), PUBLISH, json!({ "d": broken })).await?;
    assert_eq!(field_paths(&refused), [format!("workflow.actions[{visit}].form")], "{refused}");
    // Approval follows a report finding the project fits its site.
    definition["workflow"]["actions"][approve]["guard"] =
        json!({ "equals": { "field": "site_visit.conforms", "value": true } });
    app.data(Some(&staff), PUBLISH, json!({ "d": definition })).await?;

    let filed = app.data(None, SUBMIT, json!({ "input": large_project() })).await?;
    let filed = &filed["submitRequest"];
    let (id, code, secret) = (&filed["request"]["id"], &filed["request"]["trackingCode"], &filed["secret"]);
    app.data(Some(&staff), ACT, json!({ "id": id, "a": "accept_file", "v": 1 })).await?;
    // The commission's three bodies find the project acceptable: the file comes back for review (version 3).
    for body in ["urban_agency", "civil_protection", "technical_service"] {
        app.data(Some(&staff), OPINION, json!({ "id": id, "body": body })).await?;
    }
    let accepted = app.data(Some(&staff), REQUEST, json!({ "id": id })).await?;
    assert_eq!(accepted["request"]["state"], "under_review", "{accepted}");
    let offered = &accepted["request"]["availableActions"];
    let keys: Vec<&Value> = offered.as_array().context("actions")?.iter().map(|a| &a["key"]).collect();
    assert!(!keys.contains(&&json!("approve")), "no approval before the visit: {offered}");
    let visit_offered = offered.as_array().into_iter().flatten().find(|a| a["key"] == "site_visit");
    let schema = &visit_offered.context("the site visit is offered")?["formSchema"];
    assert_eq!(schema["fields"][3]["personal"], true, "{schema}");
    let refused = app.graphql(Some(&staff), ACT, json!({ "id": id, "a": "approve", "v": 3 })).await?;
    assert_eq!(error_codes(&refused), ["VALIDATION_FAILED"], "{refused}");

    // A report missing its required values, then with wrong ones: every field at its path, nothing written.
    let refused = app.graphql(Some(&staff), ACT, json!({ "id": id, "a": "site_visit", "v": 3 })).await?;
    assert_eq!(error_codes(&refused), ["VALIDATION_FAILED"], "{refused}");
    assert_eq!(field_paths(&refused), ["form.visited_on", "form.conforms"], "{refused}");
    let wrong = json!({ "visited_on": "2026-02-30", "conforms": "oui", "neighbour_phone": "12", "extra": 1 });
    let refused = app.graphql(Some(&staff), ACT, json!({ "id": id, "a": "site_visit", "v": 3, "form": wrong })).await?;
    insta::assert_json_snapshot!("site_visit_report_refused", refused);
    // A form given to an action that asks for none.
    let refused = app
        .graphql(
            Some(&staff),
            ACT,
            json!({ "id": id, "a": "refuse", "v": 3, "c": "Dossier incomplet.", "form": { "x": 1 } }),
        )
        .await?;
    assert_eq!(field_paths(&refused), ["form"], "{refused}");

    // A report finding the project does not fit: still no approval. Then a second visit that finds it does.
    let report = json!({ "visited_on": "2026-02-10", "conforms": false, "observations": "Retrait non respecté.",
        "neighbour_phone": "0661 98 76 54" });
    let visited = app.data(Some(&staff), ACT, json!({ "id": id, "a": "site_visit", "v": 3, "form": report })).await?;
    let offered = visited["actOnRequest"]["availableActions"].to_string();
    assert!(!offered.contains("\"approve\""), "{offered}");
    let report = json!({ "visited_on": "2026-02-17", "conforms": true, "observations": "Retrait corrigé sur plan." });
    let visited = app.data(Some(&staff), ACT, json!({ "id": id, "a": "site_visit", "v": 4, "form": report })).await?;
    assert!(visited["actOnRequest"]["availableActions"].to_string().contains("\"approve\""), "{visited}");

    // Sealed at rest: the neighbour's phone is nowhere in clear; the report's other fields are.
    let bytes = app.database_bytes()?;
    assert!(bytes.contains("Retrait non respect"), "the check reads the data it should");
    assert!(!bytes.contains("+212661987654"), "the report's personal field is stored in clear");

    // The staff of the workflow read the reports in the history, the phone opened and its reading audited.
    let before = app.data(Some(&staff), AUDIT, json!({})).await?["auditVerify"]["eventsChecked"].as_i64();
    let seen = app.data(Some(&staff), REQUEST, json!({ "id": id })).await?;
    let history = seen["request"]["history"].as_array().context("history")?;
    let reports: Vec<&Value> = history.iter().filter(|s| s["action"] == "site_visit").collect();
    insta::assert_json_snapshot!("site_visit_reports_in_the_history", reports);
    let after = app.data(Some(&staff), AUDIT, json!({})).await?["auditVerify"]["eventsChecked"].as_i64();
    // The request's personal fields and the one report with a personal field: two readings.
    assert_eq!(after.zip(before).map(|(a, b)| a - b), Some(2));

    // The applicant sees the visits as steps, not the reports.
    let tracked = app.data(None, TRACK, json!({ "code": code, "secret": secret })).await?;
    let steps = tracked["trackRequest"]["history"].as_array().context("history")?;
    assert!(steps.iter().any(|s| s["action"] == "site_visit"));
    assert!(steps.iter().all(|s| s["form"].is_null()), "{tracked}");

    // The decision follows the report.
    let approved = app.data(Some(&staff), ACT, json!({ "id": id, "a": "approve", "v": 5 })).await?;
    assert_eq!(approved["actOnRequest"]["state"], "approved");
    app.stop().await
}
