//! Online payment end to end, over real HTTP on SQLite and PostgreSQL, through the local provider simulator (a
//! Node process, `tests/sim/payment-provider.mjs`): a citizen asks Chefchaouen for a full copy of a birth act
//! (2.00 MAD) and pays it online. A refused card leaves the fee owed and the return page says refused; a card
//! whose callback comes twice records one payment (one quittance, one provider reference), and a forged
//! callback is refused with `payment.callback_refused`; a payment whose callback never comes reads pending,
//! then the day's statement imported by the payments controller records it and lists it. A refund is
//! requested with its reason and approved by another member, never by the one who asked. Nothing of the card
//! is kept.

use anyhow::{Context as _, Result, ensure};
use jamaa_core::modules::payments::model::{Channel, DemandStatus, PaymentKind};
use jamaa_core::service::demo::DEMO_PASSWORD;
use jamaa_tests::app::{Backend, TestApp, error_codes, field_errors};
use jamaa_tests::sim::{self, PaymentSim};
use secrecy::SecretString;
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(a_fee_is_paid_online_once_through_the_provider);

const SUBMIT: &str = "mutation($input: SubmitRequestInput!) { submitRequest(commune: \"chefchaouen\", input: $input) {
    secret request { id trackingCode } } }";
const START: &str = "mutation($code: String!, $secret: String!) {
    startOnlinePayment(trackingCode: $code, secret: $secret, locale: \"fr\") {
        action fields { name value } payment { id orderId amount currency state }
    } }";
const PAYMENTS: &str = "{ onlinePayments(commune: \"chefchaouen\") {
    id orderId amount state providerReference refusalCode settledBy } }";
const IMPORT: &str = "mutation($day: NaiveDate!, $csv: String!) {
    importPaymentStatement(commune: \"chefchaouen\", day: $day, csv: $csv) {
        id lines mismatches { kind orderId providerReference recordedAmount statedAmount settled }
    } }";
const REFUND: &str = "mutation($id: ID!, $a: String!, $r: String!) {
    requestRefund(commune: \"chefchaouen\", paymentId: $id, amount: $a, reason: $r) { id amount status requestedBy } }";
const DECIDE: &str = "mutation($id: ID!, $ok: Boolean!) {
    decideRefund(commune: \"chefchaouen\", refundId: $id, approve: $ok) { id status decidedBy } }";
const REFUSED: &str = "{ refusedPaymentCallbacks(commune: \"chefchaouen\") { reason orderId } }";

/// A request for a full copy of a birth act (2.00 MAD): `(tracking code, secret)`.
async fn ask(app: &TestApp, n: u32) -> Result<(String, String)> {
    let data = json!({
        "lookup_by": "act_reference", "act_number": n.to_string(), "act_year": 2026,
        "person_name": "Yassmine Alami", "cin": "LB402918", "relation": "parent"
    });
    let input = json!({ "serviceCode": "copie-integrale-acte-naissance", "data": data, "documents": [] });
    let submitted = app.data(None, SUBMIT, json!({ "input": input })).await?["submitRequest"].clone();
    let field = |path: &str| submitted.pointer(path).and_then(Value::as_str).map(str::to_owned).context("no answer");
    Ok((field("/request/trackingCode")?, field("/secret")?))
}

/// The hidden fields and action of the first form of an HTML page (the simulator's return page).
fn form_of(html: &str) -> Option<(String, Vec<(String, String)>)> {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
        let end = tag[start..].find('"')? + start;
        Some(tag[start..end].replace("&amp;", "&").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">"))
    };
    let form_at = html.find("<form")?;
    let form_tag = &html[form_at..form_at + html[form_at..].find('>')?];
    let action = attr(form_tag, "action")?;
    let mut fields = Vec::new();
    for part in html[form_at..].split("<input").skip(1) {
        let tag = &part[..part.find('>')?];
        fields.push((attr(tag, "name")?, attr(tag, "value").unwrap_or_default()));
    }
    Some((action, fields))
}

struct Paid {
    order_id: String,
    /// The page the citizen's browser ended on (ours, or the simulator's when it never returns).
    page: String,
}

/// Starts paying the request's fee and pays at the simulator with `card`; follows the browser back.
async fn pay(app: &TestApp, code: &str, secret: &str, card: &str) -> Result<Paid> {
    let started = app.data(None, START, json!({ "code": code, "secret": secret })).await?["startOnlinePayment"].clone();
    ensure!(started["payment"]["amount"] == "2.00" && started["payment"]["currency"] == "504", "{started}");
    ensure!(started["payment"]["state"] == "PENDING", "{started}");
    let action = started["action"].as_str().context("action")?;
    let mut form: Vec<(String, String)> = started["fields"]
        .as_array()
        .context("fields")?
        .iter()
        .map(|f| (f["name"].as_str().unwrap_or("").to_owned(), f["value"].as_str().unwrap_or("").to_owned()))
        .collect();
    ensure!(form.iter().any(|(k, _)| k == "HASH"), "the fields are signed: {form:?}");
    form.push(("pan".into(), card.into()));
    let client = reqwest::Client::new();
    let at_provider = client.post(action).form(&form).send().await?;
    ensure!(at_provider.status().is_success(), "the provider takes the form: {}", at_provider.status());
    let html = at_provider.text().await?;
    let order_id = started["payment"]["orderId"].as_str().context("order")?.to_owned();
    let page = match form_of(&html) {
        Some((back, fields)) => {
            ensure!(back == app.url(&format!("/payments/chefchaouen/return/{order_id}")), "{back}");
            client.post(&back).form(&fields).send().await?.text().await?
        }
        None => html,
    };
    Ok(Paid { order_id, page })
}

fn page_state(page: &str) -> Option<&str> {
    let at = page.find("data-state=\"")? + "data-state=\"".len();
    Some(&page[at..at + page[at..].find('"')?])
}

async fn payments(app: &TestApp, token: &str) -> Result<Vec<Value>> {
    let data = app.data(Some(token), PAYMENTS, json!({})).await?;
    data["onlinePayments"].as_array().cloned().context("payments")
}

async fn payment_of(app: &TestApp, token: &str, order: &str) -> Result<Value> {
    payments(app, token).await?.into_iter().find(|p| p["orderId"] == order).context("the payment is listed")
}

/// The request's demand and its payments, as its tracking reads them.
async fn fees(app: &TestApp, code: &str, secret: &str) -> Result<jamaa_core::modules::payments::model::DemandState> {
    let jamaa = app.jamaa().await?;
    let tracking = jamaa.track_request(code, &SecretString::from(secret.to_owned())).await?;
    tracking.fees.context("the request owes its fee")
}

async fn a_fee_is_paid_online_once_through_the_provider(backend: Backend) -> Result<()> {
    let sim = PaymentSim::start().await?;
    let merchant = sim.merchant();
    let app = TestApp::spawn_with(backend, move |s| {
        s.payment_providers.insert("chefchaouen".to_owned(), merchant);
    })
    .await?;
    let controller = app.login("chefchaouen.payments_controller", DEMO_PASSWORD).await?;
    let officer = app.login("chefchaouen.authorising_officer", DEMO_PASSWORD).await?;

    // A refused card: the callback records the refusal, the fee is still owed, the page says refused.
    let (code, secret) = ask(&app, 11).await?;
    let refused = pay(&app, &code, &secret, sim::CARD_REFUSED).await?;
    assert_eq!(page_state(&refused.page), Some("refused"), "{}", refused.page);
    let listed = payment_of(&app, &controller, &refused.order_id).await?;
    assert_eq!(listed["state"], "REFUSED");
    assert_eq!(listed["refusalCode"], "05");
    assert_eq!(fees(&app, &code, &secret).await?.status, DemandStatus::Unpaid);

    // Then an approved card whose callback comes twice: one payment, one quittance, the page says paid.
    let twice = pay(&app, &code, &secret, sim::CARD_CALLBACK_TWICE).await?;
    assert_eq!(page_state(&twice.page), Some("paid"), "{}", twice.page);
    let state = fees(&app, &code, &secret).await?;
    assert_eq!(state.status, DemandStatus::Paid);
    let recorded: Vec<_> = state.payments.iter().filter(|p| p.kind == PaymentKind::Payment).collect();
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    assert_eq!(recorded[0].channel, Channel::Online);
    assert_eq!(recorded[0].amount, 200);
    assert!(recorded[0].document_code.is_some(), "a quittance is issued");
    let paid = payment_of(&app, &controller, &twice.order_id).await?;
    assert_eq!(paid["state"], "PAID");
    assert_eq!(paid["settledBy"], "callback");
    assert_eq!(recorded[0].provider_ref.as_deref(), paid["providerReference"].as_str());
    let transactions: Value = reqwest::get(format!("{}/transactions", sim.url)).await?.json().await?;
    let acks: Vec<(i64, String)> = transactions
        .as_array()
        .context("transactions")?
        .iter()
        .filter(|t| t["oid"] == twice.order_id.as_str())
        .flat_map(|t| t["callbacks"].as_array().cloned().unwrap_or_default())
        .map(|c| (c["status"].as_i64().unwrap_or(0), c["body"].as_str().unwrap_or("").to_owned()))
        .collect();
    assert_eq!(acks, vec![(200, "ACTION=POSTAUTH".to_owned()); 2], "both callbacks acknowledged");
    // Nothing is owed any more: a new start is refused.
    let again = app.graphql(None, START, json!({ "code": code, "secret": secret })).await?;
    assert_eq!(error_codes(&again), ["VALIDATION_FAILED"], "{again}");
    assert_eq!(field_errors(&again)[0].0, "trackingCode");
    // A wrong secret is an unknown request.
    let wrong = app.graphql(None, START, json!({ "code": code, "secret": "K7RM2-PX9QD-4HWTA" })).await?;
    assert_eq!(error_codes(&wrong), ["NOT_FOUND"], "{wrong}");

    // A forged callback (signed with another amount) is refused and audited; nothing is recorded.
    let (code2, secret2) = ask(&app, 12).await?;
    let forged = pay(&app, &code2, &secret2, sim::CARD_FORGED_CALLBACK).await?;
    assert_eq!(page_state(&forged.page), Some("pending"), "{}", forged.page);
    assert_eq!(payment_of(&app, &controller, &forged.order_id).await?["state"], "PENDING");
    assert_eq!(fees(&app, &code2, &secret2).await?.status, DemandStatus::Unpaid);
    let refusals = app.data(Some(&controller), REFUSED, json!({})).await?["refusedPaymentCallbacks"].clone();
    assert_eq!(refusals, json!([{ "reason": "signature", "orderId": forged.order_id }]));
    // A callback made up by anyone else, for an order of the commune, is refused too.
    let made_up = [
        ("clientid", sim::CLIENT_ID),
        ("oid", forged.order_id.as_str()),
        ("amount", "2.00"),
        ("currency", "504"),
        ("TransId", "FAKE1"),
        ("ProcReturnCode", "00"),
        ("Response", "Approved"),
        ("HASH", "bm90IGEgc2lnbmF0dXJl"),
    ];
    let answer = reqwest::Client::new().post(app.url("/payments/chefchaouen/callback")).form(&made_up).send().await?;
    assert_eq!(answer.status(), 403);
    let refusals = app.data(Some(&controller), REFUSED, json!({})).await?["refusedPaymentCallbacks"].clone();
    assert_eq!(refusals.as_array().map(Vec::len), Some(2), "{refusals}");
    assert_eq!(payment_of(&app, &controller, &forged.order_id).await?["state"], "PENDING");

    // A payment whose callback never comes reads pending until the day's statement is imported.
    let (code3, secret3) = ask(&app, 13).await?;
    let silent = pay(&app, &code3, &secret3, sim::CARD_NO_CALLBACK).await?;
    assert_eq!(page_state(&silent.page), Some("pending"), "{}", silent.page);
    assert_eq!(fees(&app, &code3, &secret3).await?.status, DemandStatus::Unpaid);
    let day = chrono::Utc::now().date_naive().to_string();
    let statement =
        reqwest::get(format!("{}/statement.csv?clientid={}&date={day}", sim.url, sim::CLIENT_ID)).await?.text().await?;
    let imported = app.data(Some(&controller), IMPORT, json!({ "day": day, "csv": statement })).await?;
    let imported = imported["importPaymentStatement"].clone();
    assert_eq!(imported["lines"], 4, "{imported}");
    let mismatches = imported["mismatches"].as_array().context("mismatches")?;
    // The silent one and the forged one were paid at the provider: both recorded now, with their amount right.
    let mut settled: Vec<&str> = mismatches
        .iter()
        .filter(|m| m["kind"] == "PAID_NOT_RECORDED" && m["settled"] == true)
        .filter_map(|m| m["orderId"].as_str())
        .collect();
    settled.sort_unstable();
    let mut expected = vec![forged.order_id.as_str(), silent.order_id.as_str()];
    expected.sort_unstable();
    assert_eq!(settled, expected, "{imported}");
    assert_eq!(mismatches.len(), 2, "nothing else differs: {imported}");
    assert_eq!(fees(&app, &code3, &secret3).await?.status, DemandStatus::Paid);
    let listed = payment_of(&app, &controller, &silent.order_id).await?;
    assert_eq!((listed["state"].as_str(), listed["settledBy"].as_str()), (Some("PAID"), Some("statement")));
    let back =
        reqwest::get(app.url(&format!("/payments/chefchaouen/return/{}", silent.order_id))).await?.text().await?;
    assert_eq!(page_state(&back), Some("paid"));
    // Imported again, the statement records nothing more.
    let again = app.data(Some(&controller), IMPORT, json!({ "day": day, "csv": statement })).await?;
    assert_eq!(again["importPaymentStatement"]["mismatches"], json!([]), "{again}");
    // A statement cell that cannot be read is named.
    let bad = format!(
        "{}\n{day}T10:00:00Z,x,y,2.0x,504,approved\n",
        jamaa_core::modules::payments::provider::STATEMENT_HEADER.join(",")
    );
    let refused_import = app.graphql(Some(&controller), IMPORT, json!({ "day": day, "csv": bad })).await?;
    assert_eq!(field_errors(&refused_import), [("csv".to_owned(), "INVALID_VALUE".to_owned())], "{refused_import}");

    // A refund: requested with its reason by the controller, never beyond what was paid, approved by another.
    let beyond = app
        .graphql(Some(&controller), REFUND, json!({ "id": paid["id"], "a": "2.50", "r": "Double paiement" }))
        .await?;
    assert_eq!(field_errors(&beyond), [("amount".to_owned(), "INVALID_VALUE".to_owned())], "{beyond}");
    let no_reason = app.graphql(Some(&controller), REFUND, json!({ "id": paid["id"], "a": "2.00", "r": " " })).await?;
    assert_eq!(field_errors(&no_reason), [("reason".to_owned(), "REQUIRED".to_owned())], "{no_reason}");
    let asked =
        app.data(Some(&controller), REFUND, json!({ "id": paid["id"], "a": "2.00", "r": "Demande retirée" })).await?;
    let refund = asked["requestRefund"].clone();
    assert_eq!(refund["status"], "requested");
    let not_allowed = app.graphql(Some(&controller), DECIDE, json!({ "id": refund["id"], "ok": true })).await?;
    assert_eq!(error_codes(&not_allowed), ["FORBIDDEN"], "the controller does not approve: {not_allowed}");
    let approved = app.data(Some(&officer), DECIDE, json!({ "id": refund["id"], "ok": true })).await?;
    assert_eq!(approved["decideRefund"]["status"], "approved");
    let twice = app.graphql(Some(&officer), DECIDE, json!({ "id": refund["id"], "ok": false })).await?;
    assert_eq!(field_errors(&twice), [("refund".to_owned(), "INVALID_VALUE".to_owned())], "{twice}");

    // No card number is kept anywhere.
    let bytes = app.database_bytes()?;
    for card in [sim::CARD_REFUSED, sim::CARD_CALLBACK_TWICE, sim::CARD_FORGED_CALLBACK, sim::CARD_NO_CALLBACK] {
        ensure!(!bytes.contains(card), "the card {card} is stored");
    }
    ensure!(!bytes.contains("******"), "a masked card number is stored");
    drop(sim);
    app.stop().await
}
