//! The SDK's offline validation and the server agree: every case of `sdk-wasm/tests/cases.json` is submitted to a
//! live server, and the failures it reports (`extensions.fields`: path, code, and the message where the case
//! gives one) are those the case expects. The SDK's Node.js tests run the same table against the WebAssembly
//! build (`sdk-wasm/tests/rules.test.mjs`).

use anyhow::{Context as _, Result, bail};
use jamaa_tests::app::{Backend, TestApp};
use serde_json::{Value, json};

const SUBMIT: &str = r#"
mutation($commune: String!, $input: SubmitRequestInput!, $locale: String) {
  submitRequest(commune: $commune, input: $input, locale: $locale) { receipt { trackingCode } }
}"#;

fn cases() -> Result<Vec<Value>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../sdk-wasm/tests/cases.json");
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {path}"))?;
    let table: Value = serde_json::from_str(&text)?;
    let cases = table["cases"].as_array().context("cases.json has no `cases` list")?;
    Ok(cases.clone())
}

/// The failures as the case lists them: path and code, and the message only where the case gives one.
fn comparable(reported: &[Value], expected: &[Value]) -> Vec<Value> {
    reported
        .iter()
        .enumerate()
        .map(|(i, field)| {
            let mut kept = json!({ "path": field["path"], "code": field["code"] });
            if expected.get(i).is_some_and(|e| e.get("message").is_some()) {
                kept["message"] = field["message"].clone();
            }
            kept
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_reports_the_failures_of_the_shared_table() -> Result<()> {
    let app = TestApp::spawn(Backend::Sqlite).await?;
    let cases = cases()?;
    assert!(cases.len() >= 10, "the table has {} cases", cases.len());
    let mut mismatches = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        let variables = json!({
            "commune": case["commune"],
            "locale": case["locale"],
            "input": { "serviceCode": case["service"], "data": case["data"], "documents": case["documents"] },
        });
        let body = app.graphql(None, SUBMIT, variables).await?;
        let expected = case["expected"].as_array().context("a case without `expected`")?;
        let reported = match body.get("errors") {
            None => Vec::new(),
            Some(errors) => {
                let error = &errors[0];
                if error["extensions"]["code"] != "VALIDATION_FAILED" {
                    bail!("{name}: not a validation failure: {error}");
                }
                error["extensions"]["fields"].as_array().cloned().unwrap_or_default()
            }
        };
        if body.get("errors").is_none() && body["data"]["submitRequest"]["receipt"]["trackingCode"].as_str().is_none() {
            bail!("{name}: neither an error nor a receipt: {body}");
        }
        let reported = comparable(&reported, expected);
        if reported != *expected {
            mismatches.push(format!(
                "{name}:\n  expected {}\n  reported {}",
                Value::Array(expected.clone()),
                Value::Array(reported)
            ));
        }
    }
    app.stop().await?;
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    Ok(())
}
