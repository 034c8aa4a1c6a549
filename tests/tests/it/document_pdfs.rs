//! Issued documents as PDF over real HTTP, on SQLite and PostgreSQL: a quittance paid at Oujda's counter is
//! issued as a PDF/A whose SHA-256 the API gives; whoever holds its code downloads it from
//! `/documents/oujda/{code}.pdf`; poppler's `pdftotext` reads its Arabic in logical order, unshaped letters (no
//! presentation forms), its French and its code; `/verify` confirms that exact PDF (by fingerprint over
//! GraphQL, by upload on the page) and refuses it with one byte changed; the path of another commune, or a
//! code that is not one, finds nothing.

use anyhow::{Context as _, Result, ensure};
use jamaa_core::service::demo::DEMO_PASSWORD;
use jamaa_tests::app::{Backend, TestApp};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

jamaa_tests::on_both_backends!(a_quittance_is_issued_as_a_pdf_that_verify_confirms);

const SUBMIT: &str = r#"mutation($input: SubmitRequestInput!) {
  submitRequest(commune: "oujda", input: $input) { request { trackingCode } } }"#;
const PAY: &str = "mutation($i: CounterPayment!) { recordCounterPayment(commune: \"oujda\", input: $i) {
  document { code verifyPath pdfPath pdfFingerprint } } }";
const VERIFY: &str = "query($code: String!, $pdf: String) { verifyDocument(code: $code, pdfFingerprint: $pdf) {
  pdfFingerprint pdfMatches pdfPath textMatches } }";

fn text(value: &Value) -> Result<String> {
    value.as_str().map(str::to_owned).with_context(|| format!("not a string: {value}"))
}

/// The text poppler extracts from a PDF.
pub(crate) fn pdftotext(pdf: &[u8]) -> Result<String> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, pdf)?;
    let output = std::process::Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(&path)
        .arg("-")
        .output()
        .context("pdftotext (poppler-utils, installed by scripts/install-test-deps)")?;
    ensure!(output.status.success(), "pdftotext: {}", String::from_utf8_lossy(&output.stderr));
    Ok(String::from_utf8(output.stdout)?)
}

/// The page `/verify/{code}/pdf` after uploading `pdf`, in French.
async fn upload(app: &TestApp, code: &str, pdf: &[u8]) -> Result<String> {
    let part = reqwest::multipart::Part::bytes(pdf.to_vec()).file_name("document.pdf").mime_str("application/pdf")?;
    let form = reqwest::multipart::Form::new().part("pdf", part);
    let response =
        reqwest::Client::new().post(app.url(&format!("/verify/{code}/pdf?lang=fr"))).multipart(form).send().await?;
    ensure!(response.status() == 200, "{}", response.status());
    Ok(response.text().await?)
}

async fn a_quittance_is_issued_as_a_pdf_that_verify_confirms(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let agent = app.login("oujda.counter_agent", DEMO_PASSWORD).await?;
    let input = json!({
        "serviceCode": "legalisation-signature",
        "data": { "signatory_name": "Khadija Ait Taleb", "cin": "UA445566", "phone": "0612345678",
                  "document_title": "Procuration", "copies": 1 },
        "documents": [
            { "code": "document_to_sign", "fileName": "procuration.pdf", "mediaType": "application/pdf", "sizeBytes": 52000 }
        ]
    });
    let submitted = app.data(None, SUBMIT, json!({ "input": input })).await?;
    let tracking = text(&submitted["submitRequest"]["request"]["trackingCode"])?;
    let pay = json!({ "i": { "trackingCode": tracking, "channel": "CASH", "amount": "2.00", "currency": "MAD" } });
    let paid = app.data(Some(&agent), PAY, pay).await?;
    let document = &paid["recordCounterPayment"]["document"];
    let code = text(&document["code"])?;
    let fingerprint = text(&document["pdfFingerprint"])?;
    ensure!(document["pdfPath"] == format!("/documents/oujda/{code}.pdf"), "{document}");

    // Whoever holds the code downloads the PDF issued: the bytes whose SHA-256 the API gave.
    let http = reqwest::Client::new();
    let response = http.get(app.url(&format!("/documents/oujda/{code}.pdf"))).send().await?;
    ensure!(response.status() == 200, "{}", response.status());
    ensure!(response.headers()["content-type"] == "application/pdf", "{:?}", response.headers());
    let pdf = response.bytes().await?.to_vec();
    ensure!(pdf.starts_with(b"%PDF-"), "not a PDF");
    ensure!(hex::encode(Sha256::digest(&pdf)) == fingerprint, "the PDF served is not the one issued");
    let again = http.get(app.url(&format!("/documents/oujda/{code}.pdf"))).send().await?.bytes().await?;
    ensure!(again.as_ref() == pdf.as_slice(), "the PDF changed between two downloads");

    // Its text reads back: the Arabic in logical order, as letters (no presentation forms), the French, the code.
    let extracted = pdftotext(&pdf)?;
    for expected in ["المملكة المغربية", "وجدة", "رمز التحقق", "Royaume du Maroc", "Régie de recettes", "Oujda", &code]
    {
        ensure!(extracted.contains(expected), "{expected:?} is not in the PDF's text:\n{extracted}");
    }
    let presentation_forms = |c: char| ('\u{FB50}'..='\u{FDFF}').contains(&c) || ('\u{FE70}'..='\u{FEFF}').contains(&c);
    ensure!(
        !extracted.chars().any(presentation_forms),
        "unshaped letters expected, presentation forms found:\n{extracted}"
    );

    // `/verify` confirms that exact PDF, and refuses it with one byte changed.
    let verified = app.data(None, VERIFY, json!({ "code": code, "pdf": fingerprint })).await?;
    let verified = &verified["verifyDocument"];
    ensure!(verified["pdfMatches"] == true && verified["pdfFingerprint"] == fingerprint.as_str(), "{verified}");
    ensure!(verified["pdfPath"] == document["pdfPath"] && verified["textMatches"].is_null(), "{verified}");
    let mut changed = pdf.clone();
    let middle = changed.len() / 2;
    changed[middle] ^= 0x01;
    let changed_fingerprint = hex::encode(Sha256::digest(&changed));
    let refused = app.data(None, VERIFY, json!({ "code": code, "pdf": changed_fingerprint })).await?;
    ensure!(refused["verifyDocument"]["pdfMatches"] == false, "{refused}");
    let page = upload(&app, &code, &pdf).await?;
    ensure!(page.contains("Le PDF présenté est exactement le document émis"), "{page}");
    let page = upload(&app, &code, &changed).await?;
    ensure!(
        page.contains("Le PDF présenté n&#x27;est pas le document émis")
            || page.contains("Le PDF présenté n'est pas le document émis"),
        "{page}"
    );
    let page = http.get(app.url(&format!("/verify/{code}?lang=fr"))).send().await?.text().await?;
    ensure!(page.contains(&format!("/documents/oujda/{code}.pdf")) && page.contains(&fingerprint), "{page}");

    // Another commune's path, or what is not a code, finds nothing.
    for path in [
        format!("/documents/chefchaouen/{code}.pdf"),
        format!("/documents/oujda/{code}"),
        "/documents/oujda/OUJ-2222-2222-2222.pdf".to_owned(),
        "/documents/oujda/nothing.pdf".to_owned(),
    ] {
        let response = http.get(app.url(&path)).send().await?;
        ensure!(response.status() == 404, "{path}: {}", response.status());
    }
    Ok(())
}
