//! Expenditures and revenues recorded over real HTTP, on SQLite and PostgreSQL: the finance officer commits
//! against an expense line of the demo's 2025 budget (never beyond what the line has left), the authorising
//! officer approves it (the member who recorded a commitment may not) and orders its payment, the finance
//! officer pays; the public budget execution shows the line committed and paid the more. A counter-entry
//! takes part of the commitment back; a revenue title and its collection raise the line's collected revenue;
//! the year, now recorded here, is no longer imported.

use anyhow::{Context as _, Result, ensure};
use jamaa_core::service::demo::DEMO_PASSWORD;
use jamaa_tests::app::{Backend, TestApp, error_codes, field_errors};
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(a_commitment_and_a_payment_change_the_budget_execution);

const COMMIT: &str = "mutation($i: CommitmentInput!) { recordCommitment(commune: \"oujda\", input: $i) {
  id kind number amount net approved } }";
const APPROVE: &str = "mutation($id: ID!) { approveCommitment(commune: \"oujda\", commitmentId: $id) {
  id approved } }";
const ORDER: &str =
    "mutation($id: ID!, $a: String!) { orderPayment(commune: \"oujda\", commitmentId: $id, amount: $a) {
  id kind number parentId } }";
const PAY: &str =
    "mutation($id: ID!, $a: String!) { recordPayment(commune: \"oujda\", paymentOrderId: $id, amount: $a) {
  id kind number } }";
const TITLE: &str = "mutation($i: RevenueTitleInput!) { recordRevenueTitle(commune: \"oujda\", input: $i) {
  id number revenueType } }";
const COLLECT: &str =
    "mutation($id: ID!, $a: String!) { recordCollection(commune: \"oujda\", titleId: $id, amount: $a) {
  id number } }";
const CORRECT: &str = "mutation($id: ID!, $a: String!, $r: String!) {
  correctFinanceEntry(commune: \"oujda\", entryId: $id, amount: $a, reason: $r) { id net ordered paid } }";
const EXECUTION: &str = "{ budgetExecution(commune: \"oujda\", year: 2025) {
  lines { kind chapter article paragraph committed paid collected }
  chapters { chapter committed paid } } }";
const IMPORT: &str = "mutation($csv: String!) { importBudget(commune: \"oujda\", year: 2025, csv: $csv) { lines } }";

async fn login(app: &TestApp, role: &str) -> Result<String> {
    app.login(&format!("oujda.{role}"), DEMO_PASSWORD).await
}

fn text(value: &Value) -> Result<String> {
    value.as_str().map(str::to_owned).with_context(|| format!("not a string: {value}"))
}

fn commitment(amount: &str) -> Value {
    json!({ "i": { "line": { "year": 2025, "chapter": "20", "article": "10", "paragraph": "1" },
                   "amount": amount, "object": "Réfection des trottoirs du boulevard Mohammed V",
                   "supplier": "Société Oriental Travaux" } })
}

/// The public execution's line `kind chapter.article.paragraph`.
async fn line(app: &TestApp, kind: &str, codes: [&str; 3]) -> Result<Value> {
    let execution = app.data(None, EXECUTION, json!({})).await?;
    execution["budgetExecution"]["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|l| {
            l["kind"] == kind && l["chapter"] == codes[0] && l["article"] == codes[1] && l["paragraph"] == codes[2]
        })
        .cloned()
        .with_context(|| format!("no line {kind} {codes:?}: {execution}"))
}

/// The public execution's aggregates of expense chapter `code`.
async fn chapter(app: &TestApp, code: &str) -> Result<Value> {
    let execution = app.data(None, EXECUTION, json!({})).await?;
    execution["budgetExecution"]["chapters"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["chapter"] == code)
        .cloned()
        .with_context(|| format!("no chapter {code}: {execution}"))
}

/// An amount of the API (`1250.50`) in centimes.
fn cents(value: &Value) -> Result<i64> {
    let text = value.as_str().with_context(|| format!("not an amount: {value}"))?;
    Ok(text.replace('.', "").parse()?)
}

fn refused_at(body: &Value, path: &str, code: &str) -> Result<()> {
    ensure!(error_codes(body) == ["VALIDATION_FAILED"], "{body}");
    ensure!(field_errors(body) == [(path.to_owned(), code.to_owned())], "{body}");
    Ok(())
}

async fn a_commitment_and_a_payment_change_the_budget_execution(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let finance = login(&app, "finance_officer").await?;
    let officer = login(&app, "authorising_officer").await?;
    let every_role = app.staff("oujda").to_owned();

    // The demo's 2025 line 20.10.1: 62,000,000.00 appropriated, 48,300,000.00 committed, 31,200,000.00 paid.
    let before = line(&app, "EXPENSE", ["20", "10", "1"]).await?;
    ensure!(before["committed"] == "48300000.00" && before["paid"] == "31200000.00", "{before}");
    let chapter_before = chapter(&app, "20").await?;

    // A commitment, numbered first of the year; the next one beyond what the line has left is refused.
    let first = app.data(Some(&finance), COMMIT, commitment("1500000.00")).await?;
    let first = &first["recordCommitment"];
    ensure!(first["number"] == 1 && first["kind"] == "COMMITMENT" && first["approved"] == false, "{first}");
    let commitment_id = text(&first["id"])?;
    let beyond = app.graphql(Some(&finance), COMMIT, commitment("12200000.01")).await?;
    refused_at(&beyond, "input.amount", "OUT_OF_RANGE")?;
    let unknown = json!({ "i": { "line": { "year": 2025, "chapter": "99", "article": "1" }, "amount": "1",
                                 "object": "x", "supplier": "y" } });
    refused_at(&app.graphql(Some(&finance), COMMIT, unknown).await?, "input.line", "INVALID_VALUE")?;
    let line_after_commitment = line(&app, "EXPENSE", ["20", "10", "1"]).await?;
    ensure!(line_after_commitment["committed"] == "49800000.00", "{line_after_commitment}");

    // No payment before the visa; the finance officer may not give it, nor may whoever recorded a commitment.
    let early = app.graphql(Some(&officer), ORDER, json!({ "id": commitment_id, "a": "10.00" })).await?;
    refused_at(&early, "commitmentId", "RULE_NOT_MET")?;
    let not_theirs = app.graphql(Some(&finance), APPROVE, json!({ "id": commitment_id })).await?;
    ensure!(error_codes(&not_theirs) == ["FORBIDDEN"], "{not_theirs}");
    let own = app.data(Some(&every_role), COMMIT, commitment("100.00")).await?;
    ensure!(own["recordCommitment"]["number"] == 2, "{own}");
    let own_approval = app.graphql(Some(&every_role), APPROVE, json!({ "id": own["recordCommitment"]["id"] })).await?;
    refused_at(&own_approval, "commitmentId", "RULE_NOT_MET")?;

    // The authorising officer approves and orders 1,000,000.00; no more than the commitment.
    let approved = app.data(Some(&officer), APPROVE, json!({ "id": commitment_id })).await?;
    ensure!(approved["approveCommitment"]["approved"] == true, "{approved}");
    let twice = app.graphql(Some(&officer), APPROVE, json!({ "id": commitment_id })).await?;
    refused_at(&twice, "commitmentId", "RULE_NOT_MET")?;
    let order = app.data(Some(&officer), ORDER, json!({ "id": commitment_id, "a": "1000000.00" })).await?;
    ensure!(order["orderPayment"]["parentId"] == commitment_id.as_str(), "{order}");
    let order_id = text(&order["orderPayment"]["id"])?;
    let too_much = app.graphql(Some(&officer), ORDER, json!({ "id": commitment_id, "a": "500000.01" })).await?;
    refused_at(&too_much, "amount", "OUT_OF_RANGE")?;

    // The payment, never beyond the order: the public execution shows the line paid the more.
    let paid = app.data(Some(&finance), PAY, json!({ "id": order_id, "a": "1000000.00" })).await?;
    ensure!(paid["recordPayment"]["number"] == 1, "{paid}");
    let over = app.graphql(Some(&finance), PAY, json!({ "id": order_id, "a": "0.01" })).await?;
    refused_at(&over, "amount", "OUT_OF_RANGE")?;
    let after = line(&app, "EXPENSE", ["20", "10", "1"]).await?;
    ensure!(after["committed"] == "49800100.00" && after["paid"] == "32200000.00", "{after}");
    // The open data's aggregates are computed from the same figures: chapter 20 grew by as much.
    let chapter_after = chapter(&app, "20").await?;
    ensure!(cents(&chapter_after["paid"])? - cents(&chapter_before["paid"])? == 100_000_000, "{chapter_after}");
    ensure!(
        cents(&chapter_after["committed"])? - cents(&chapter_before["committed"])? == 150_010_000,
        "{chapter_after}"
    );

    // A counter-entry takes back what was not ordered, no more; the entry itself is never edited.
    let no_reason = app.graphql(Some(&finance), CORRECT, json!({ "id": commitment_id, "a": "1.00", "r": " " })).await?;
    refused_at(&no_reason, "reason", "REQUIRED")?;
    let too_far = app
        .graphql(Some(&finance), CORRECT, json!({ "id": commitment_id, "a": "500000.01", "r": "Marché réduit" }))
        .await?;
    refused_at(&too_far, "amount", "OUT_OF_RANGE")?;
    let corrected = app
        .data(Some(&finance), CORRECT, json!({ "id": commitment_id, "a": "500000.00", "r": "Marché réduit" }))
        .await?;
    ensure!(corrected["correctFinanceEntry"]["net"] == "1000000.00", "{corrected}");
    let after = line(&app, "EXPENSE", ["20", "10", "1"]).await?;
    ensure!(after["committed"] == "49300100.00" && after["paid"] == "32200000.00", "{after}");

    // A revenue title on line 10.20.1 (local taxes) and a collection against it, never beyond it.
    let title = json!({ "i": { "line": { "year": 2025, "chapter": "10", "article": "20", "paragraph": "1" },
                               "amount": "100000.00", "object": "Taxe de services communaux 2025",
                               "debtor": "Redevable n° 4521" } });
    let title = app.data(Some(&finance), TITLE, title).await?;
    ensure!(title["recordRevenueTitle"]["revenueType"] == "local_taxes", "{title}");
    let title_id = text(&title["recordRevenueTitle"]["id"])?;
    app.data(Some(&finance), COLLECT, json!({ "id": title_id, "a": "60000.00" })).await?;
    let beyond = app.graphql(Some(&finance), COLLECT, json!({ "id": title_id, "a": "40000.01" })).await?;
    refused_at(&beyond, "amount", "OUT_OF_RANGE")?;
    let revenue = line(&app, "REVENUE", ["10", "20", "1"]).await?;
    ensure!(revenue["collected"] == "63910400.25", "{revenue}");

    // The year is recorded here now: the file that would replace its lines is refused.
    let csv = include_str!("../../../core/data/demo/oujda-budget-2025.csv");
    let reimport = app.graphql(Some(&every_role), IMPORT, json!({ "csv": csv })).await?;
    refused_at(&reimport, "year", "RULE_NOT_MET")?;

    // The ledger: every entry numbered per kind, and the audit trail has one event per entry.
    let ledger = app
        .data(
            Some(&officer),
            "{ financeLedger(commune: \"oujda\", year: 2025) { entries { kind number } } }",
            json!({}),
        )
        .await?;
    let entries = ledger["financeLedger"]["entries"].as_array().cloned().unwrap_or_default();
    ensure!(entries.len() == 8, "{ledger}");
    Ok(())
}
