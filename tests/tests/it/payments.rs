//! Fees owed and paid at the counter over real HTTP, on SQLite and PostgreSQL: a citizen's legalisation gets
//! a demand that its tracking says (what is owed, on what basis, how to pay); the counter agent finds it by the
//! tracking code and records a cash payment, exactly what is owed in the commune's currency (never a card
//! number), with a quittance numbered per commune and year whose code `/verify` confirms; the revenue officer
//! cancels it by a counter-entry with its reason, and the demand is owed again; a card payment takes the next
//! number; the agent's day report adds up; the month's fees per procedure reach the open data (aggregates
//! only); an action that waits for payment (`"check": "fees_paid"`) is refused until the fees are paid.

use anyhow::{Context as _, Result, ensure};
use jamaa_core::service::demo::DEMO_PASSWORD;
use jamaa_tests::app::{Backend, TestApp, error_codes, field_errors};
use serde_json::{Value, json};

use crate::snapshot::replacing;

jamaa_tests::on_both_backends!(a_legalisation_is_paid_at_the_counter, an_action_waits_for_the_fees);

const SUBMIT: &str = r#"mutation($input: SubmitRequestInput!) {
  submitRequest(commune: "oujda", input: $input) { request { id trackingCode } secret receipt { fees { amountMinor } } }
}"#;
const TRACK: &str = "query($code: String!, $secret: String!) { trackRequest(trackingCode: $code, secret: $secret) {
  fees { total paid outstanding status howToPay lines { label amount legalBasis communeDecision } } } }";
const DEMAND: &str = "query($code: String!) { paymentDemand(commune: \"oujda\", trackingCode: $code) {
  trackingCode serviceCode currency total outstanding status payments { number kind } } }";
const PAY: &str = "mutation($i: CounterPayment!) { recordCounterPayment(commune: \"oujda\", input: $i) {
  payment { id number kind channel amount currency day terminalSlip verificationCode recordedBy }
  demand { status paid outstanding } document { code kind text verifyPath } } }";
const CANCEL: &str = "mutation($id: ID!, $r: String!) { cancelPayment(commune: \"oujda\", paymentId: $id, reason: $r) {
  payment { id number kind amount cancels reason verificationCode } demand { status outstanding } } }";
const REPORT: &str = "query($agent: String) { paymentsDayReport(commune: \"oujda\", agent: $agent) {
  agent cashCount cash cardCount card cancellationCount cashCancelled cashNet payments { number } } }";
const DOCUMENT: &str = "query($id: ID!) { paymentDocument(commune: \"oujda\", paymentId: $id) { code text } }";
const VERIFY: &str =
    "query($code: String!) { verifyDocument(code: $code) { kind commune { slug } withdrawn withdrawnBy } }";
const FEES: &str = "query($y: Int) { collectedFees(commune: \"oujda\", year: $y) {
  year month serviceCode currency payments amount } }";

fn legalisation(service: &str) -> Value {
    json!({
        "serviceCode": service,
        "data": { "signatory_name": "Khadija Ait Taleb", "cin": "UA445566", "phone": "0612345678",
                  "document_title": "Procuration", "copies": 1 },
        "documents": [
            { "code": "document_to_sign", "fileName": "procuration.pdf", "mediaType": "application/pdf", "sizeBytes": 52000 }
        ]
    })
}

async fn submit(app: &TestApp, service: &str) -> Result<(String, String, String)> {
    let data = app.data(None, SUBMIT, json!({ "input": legalisation(service) })).await?;
    let submitted = &data["submitRequest"];
    ensure!(submitted["receipt"]["fees"] == json!([{ "amountMinor": 200 }]), "{data}");
    let text = |v: &Value| v.as_str().map(str::to_owned).with_context(|| format!("not a string: {v}"));
    Ok((text(&submitted["request"]["id"])?, text(&submitted["request"]["trackingCode"])?, text(&submitted["secret"])?))
}

fn cash(code: &str, amount: &str) -> Value {
    json!({ "i": { "trackingCode": code, "channel": "CASH", "amount": amount, "currency": "MAD" } })
}

fn refused_at(body: &Value, path: &str, code: &str) -> Result<()> {
    ensure!(error_codes(body) == ["VALIDATION_FAILED"], "{body}");
    ensure!(field_errors(body).contains(&(path.to_owned(), code.to_owned())), "{body}");
    Ok(())
}

async fn a_legalisation_is_paid_at_the_counter(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let agent = app.login("oujda.counter_agent", DEMO_PASSWORD).await?;
    let officer = app.login("oujda.revenue_officer", DEMO_PASSWORD).await?;
    let (_, code, secret) = submit(&app, "legalisation-signature").await?;

    // The citizen's tracking says what is owed, on what basis, and how to pay.
    let tracked = app.data(None, TRACK, json!({ "code": code, "secret": secret })).await?;
    insta::assert_json_snapshot!("legalisation_fees_owed", tracked["trackRequest"]["fees"]);

    // The counter agent finds the demand by the receipt's code.
    let demand = app.data(Some(&agent), DEMAND, json!({ "code": code.to_lowercase() })).await?;
    insta::assert_json_snapshot!("legalisation_demand", demand["paymentDemand"], {
        ".trackingCode" => replacing(&[(code.as_str(), "[tracking code]")]),
    });

    // Amounts and currencies are checked against the demand; the counter takes no online payment and keeps
    // no card number.
    refused_at(&app.graphql(Some(&agent), PAY, cash(&code, "1.00")).await?, "input.amount", "RULE_NOT_MET")?;
    let euros = json!({ "i": { "trackingCode": code, "channel": "CASH", "amount": "2.00", "currency": "EUR" } });
    refused_at(&app.graphql(Some(&agent), PAY, euros).await?, "input.currency", "INVALID_VALUE")?;
    let online = json!({ "i": { "trackingCode": code, "channel": "ONLINE", "amount": "2.00", "currency": "MAD" } });
    refused_at(&app.graphql(Some(&agent), PAY, online).await?, "input.channel", "NOT_AN_OPTION")?;
    let card_number = json!({ "i": { "trackingCode": code, "channel": "CARD", "amount": "2.00", "currency": "MAD",
                                      "terminalSlip": "4111 1111 1111 1111" } });
    refused_at(&app.graphql(Some(&agent), PAY, card_number).await?, "input.terminalSlip", "INVALID_VALUE")?;

    // The cash payment: the first quittance of the year, its code verifiable by anyone.
    let paid = app.data(Some(&agent), PAY, cash(&code, "2.00")).await?;
    let paid = &paid["recordCounterPayment"];
    let day = paid["payment"]["day"].as_str().context("day")?.to_owned();
    let year: i32 = day[..4].parse()?;
    let month: u32 = day[5..7].parse()?;
    let quittance = paid["document"]["code"].as_str().context("code")?.to_owned();
    ensure!(quittance.starts_with("OUJ-"), "{paid}");
    let text = paid["document"]["text"].as_str().context("text")?.to_owned();
    ensure!(!text.contains("Khadija") && !text.contains("UA445566"), "a quittance names no payer: {text}");
    let payment_id = paid["payment"]["id"].as_str().context("id")?.to_owned();
    let agent_actor = paid["payment"]["recordedBy"].as_str().context("recordedBy")?.to_owned();
    // The codes, the day and the year are the run's: the rest is the payment and its quittance.
    let made_up = {
        let (year, date) = (year.to_string(), format!("{}/{}/{}", &day[8..10], &day[5..7], &day[..4]));
        replacing(&[
            (quittance.as_str(), "[quittance]"),
            (code.as_str(), "[tracking code]"),
            (day.as_str(), "[day]"),
            (date.as_str(), "[date]"),
            (year.as_str(), "[year]"),
        ])
    };
    insta::assert_json_snapshot!("cash_payment_and_its_quittance", paid, {
        ".payment.id" => "[id]",
        ".payment.recordedBy" => "[agent]",
        ".*.*" => made_up,
    });
    let again = app.graphql(Some(&agent), PAY, cash(&code, "2.00")).await?;
    refused_at(&again, "input.amount", "RULE_NOT_MET")?;
    let printed = app.data(Some(&agent), DOCUMENT, json!({ "id": payment_id })).await?;
    ensure!(printed["paymentDocument"] == json!({ "code": quittance, "text": text }), "{printed}");

    // `/verify` confirms the quittance over HTTP, as it does a decision.
    let verified = app.data(None, VERIFY, json!({ "code": quittance })).await?;
    ensure!(verified["verifyDocument"]["kind"] == "payment.quittance", "{verified}");
    ensure!(verified["verifyDocument"]["commune"]["slug"] == "oujda", "{verified}");
    let http = reqwest::Client::new();
    let page = http.get(app.url(&format!("/verify/{quittance}?lang=fr"))).send().await?;
    ensure!(page.status() == 200, "{}", page.status());
    let html = page.text().await?;
    ensure!(html.contains("Document authentique") && html.contains(&quittance), "{html}");

    // The tracking shows it paid.
    let tracked = app.data(None, TRACK, json!({ "code": code, "secret": secret })).await?;
    ensure!(tracked["trackRequest"]["fees"]["status"] == "PAID", "{tracked}");

    // Only the revenue officer cancels, by a counter-entry with its reason; the demand is owed again.
    let forbidden = app.graphql(Some(&agent), CANCEL, json!({ "id": payment_id, "r": "Erreur" })).await?;
    ensure!(error_codes(&forbidden) == ["FORBIDDEN"], "{forbidden}");
    let no_reason = app.graphql(Some(&officer), CANCEL, json!({ "id": payment_id, "r": "  " })).await?;
    refused_at(&no_reason, "reason", "REQUIRED")?;
    let cancelled = app
        .data(Some(&officer), CANCEL, json!({ "id": payment_id, "r": "Montant encaissé sur la mauvaise demande" }))
        .await?;
    let cancelled = &cancelled["cancelPayment"];
    ensure!(cancelled["payment"]["number"] == format!("AN-{year}-000001"), "{cancelled}");
    ensure!(cancelled["payment"]["kind"] == "CANCELLATION" && cancelled["payment"]["cancels"] == payment_id.as_str());
    ensure!(cancelled["demand"]["status"] == "UNPAID" && cancelled["demand"]["outstanding"] == "2.00", "{cancelled}");
    let twice = app.graphql(Some(&officer), CANCEL, json!({ "id": payment_id, "r": "Encore" })).await?;
    refused_at(&twice, "paymentId", "RULE_NOT_MET")?;
    // The quittance stays, never deleted, but verifying it now says it was withdrawn, by the notice's code.
    ensure!(verified["verifyDocument"]["withdrawn"] == false && verified["verifyDocument"]["withdrawnBy"].is_null());
    let notice = cancelled["payment"]["verificationCode"].as_str().context("the notice's code")?.to_owned();
    let still = app.data(None, VERIFY, json!({ "code": quittance })).await?;
    let still = &still["verifyDocument"];
    ensure!(still["kind"] == "payment.quittance" && still["withdrawn"] == true, "{still}");
    ensure!(still["withdrawnBy"] == notice.as_str(), "{still}");
    let notice_verified = app.data(None, VERIFY, json!({ "code": notice })).await?;
    ensure!(notice_verified["verifyDocument"]["kind"] == "payment.cancellation", "{notice_verified}");
    ensure!(notice_verified["verifyDocument"]["withdrawn"] == false, "{notice_verified}");
    let page = http.get(app.url(&format!("/verify/{quittance}?lang=fr"))).send().await?.text().await?;
    ensure!(page.contains("Document retiré") && page.contains(&notice), "{page}");
    ensure!(!page.contains("Document authentique"), "{page}");

    // Paid again by card, with the terminal's slip number: the next number of the year, no gap.
    let card = json!({ "i": { "trackingCode": code, "channel": "CARD", "amount": "2.00", "currency": "MAD",
                              "terminalSlip": "TPE-004512" } });
    let by_card = app.data(Some(&agent), PAY, card).await?;
    let by_card = &by_card["recordCounterPayment"];
    ensure!(by_card["payment"]["number"] == format!("QR-{year}-000002"), "{by_card}");
    ensure!(by_card["payment"]["terminalSlip"] == "TPE-004512" && by_card["demand"]["status"] == "PAID");

    // The agent's day: one cash and one card payment; the cancellation is the officer's, who reads any agent's.
    let report = app.data(Some(&agent), REPORT, json!({})).await?;
    let report = &report["paymentsDayReport"];
    ensure!(report["agent"] == agent_actor.as_str(), "{report}");
    ensure!(report["cashCount"] == 1 && report["cash"] == "2.00" && report["cardCount"] == 1, "{report}");
    ensure!(report["card"] == "2.00" && report["cancellationCount"] == 0 && report["cashNet"] == "2.00", "{report}");
    let others = app.graphql(Some(&agent), REPORT, json!({ "agent": "user:someone-else" })).await?;
    ensure!(error_codes(&others) == ["FORBIDDEN"], "{others}");
    let read_by_officer = app.data(Some(&officer), REPORT, json!({ "agent": agent_actor })).await?;
    ensure!(read_by_officer["paymentsDayReport"]["payments"].as_array().map(Vec::len) == Some(2));
    let own = app.data(Some(&officer), REPORT, json!({})).await?;
    let own = &own["paymentsDayReport"];
    ensure!(own["cancellationCount"] == 1 && own["cashCancelled"] == "2.00" && own["cashNet"] == "-2.00", "{own}");

    // The month's fees per procedure in the open data: net of the cancellation, and never a payer or request.
    let months = app.data(None, FEES, json!({ "y": year })).await?;
    let expected = json!([{ "year": year, "month": month, "serviceCode": "legalisation-signature",
                            "currency": "MAD", "payments": 1, "amount": "2.00" }]);
    ensure!(months["collectedFees"] == expected, "{months}");
    let opendata = http.get(app.url(&format!("/opendata/oujda/collected-fees.json?year={year}"))).send().await?;
    ensure!(opendata.status() == 200, "{}", opendata.status());
    let body: Value = opendata.json().await?;
    ensure!(body["collectedFees"][0]["amount"] == "2.00" && body["collectedFees"][0]["payments"] == 1, "{body}");
    let csv = http.get(app.url("/opendata/oujda/collected-fees.csv")).send().await?.text().await?;
    ensure!(csv.starts_with("year,month,service_code,currency,payments,amount"), "{csv}");
    ensure!(csv.contains(&format!("{year},{month},legalisation-signature,MAD,1,2.00")), "{csv}");
    for public in [body.to_string(), csv] {
        ensure!(!public.contains(&code) && !public.contains(&agent_actor), "aggregates only: {public}");
    }

    // Another commune's counter sees nothing of Oujda's demand.
    let chefchaouen = app.staff("chefchaouen").to_owned();
    let elsewhere = "query($code: String!) { paymentDemand(commune: \"chefchaouen\", trackingCode: $code) { total } }";
    let elsewhere = app.graphql(Some(&chefchaouen), elsewhere, json!({ "code": code })).await?;
    ensure!(error_codes(&elsewhere) == ["NOT_FOUND"], "{elsewhere}");
    app.stop().await
}

async fn an_action_waits_for_the_fees(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let staff = app.staff("oujda").to_owned();
    let agent = app.login("oujda.counter_agent", DEMO_PASSWORD).await?;

    // A legalisation whose certification waits for payment: the template's data says so.
    let service = "query($code: String!) { service(commune: \"oujda\", code: $code) { definition } }";
    let mut definition =
        app.data(None, service, json!({ "code": "legalisation-signature" })).await?["service"]["definition"].clone();
    definition["code"] = json!("legalisation-payee");
    let actions = definition["workflow"]["actions"].as_array_mut().context("actions")?;
    let certify = actions.iter_mut().find(|a| a["key"] == "certify").context("certify")?;
    certify["check"] = json!("fees_paid");
    let publish = "mutation($d: JSON!) { publishService(commune: \"oujda\", definition: $d) }";
    app.data(Some(&staff), publish, json!({ "d": definition })).await?;

    // A fee without basis is refused at publication.
    let mut unsourced = definition.clone();
    unsourced["code"] = json!("legalisation-sans-base");
    unsourced["fees"][0].as_object_mut().context("fee")?.remove("basis");
    let refused = app.graphql(Some(&staff), publish, json!({ "d": unsourced })).await?;
    ensure!(error_codes(&refused) == ["VALIDATION_FAILED"], "{refused}");
    ensure!(field_errors(&refused).iter().any(|(path, _)| path.ends_with("fees[0].basis")), "{refused}");

    let (id, code, _) = submit(&app, "legalisation-payee").await?;
    let act =
        "mutation($id: ID!) { actOnRequest(commune: \"oujda\", id: $id, action: \"certify\", expectedVersion: 1) {
      state } }";
    let early = app.graphql(Some(&staff), act, json!({ "id": id })).await?;
    refused_at(&early, "action", "RULE_NOT_MET")?;
    app.data(Some(&agent), PAY, cash(&code, "2.00")).await?;
    let certified = app.data(Some(&staff), act, json!({ "id": id })).await?;
    ensure!(certified["actOnRequest"]["state"] == "certified", "{certified}");
    app.stop().await
}
