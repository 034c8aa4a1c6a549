//! The partner example (`examples/partner-app`) run against a live server: it lists, submits and tracks, and
//! a bad CIN comes back as a coded field error.

use anyhow::Result;
use jamaa_tests::app::{Backend, TestApp};
use partner_app::Options;
use serde_json::json;

fn options(app: &TestApp, cin: &str) -> Options {
    Options { api: app.url("/graphql"), commune: "oujda".to_owned(), token: None, cin: cin.to_owned() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partner_app_lists_submits_and_tracks() -> Result<()> {
    let app = TestApp::spawn(Backend::Sqlite).await?;
    let report = partner_app::run(&options(&app, "AB123456")).await?;

    assert!(report.services.iter().any(|s| s.code == "legalisation-signature"), "{:?}", report.services);
    let receipt = &report.submission.receipt;
    assert!(receipt.tracking_code.starts_with("OUJ-"), "{}", receipt.tracking_code);
    assert_eq!(receipt.silence, "NOTHING");
    assert!(!receipt.silence_means.is_empty());
    assert_eq!(report.tracked.tracking_code, receipt.tracking_code);
    assert_eq!(report.tracked.state, "submitted");
    assert_eq!(report.tracked.history.len(), 1, "{:?}", report.tracked.history);

    // The server, asked directly, knows the same request.
    let tracked = app
        .data(
            None,
            "query($code: String!, $secret: String!) { trackRequest(trackingCode: $code, secret: $secret) { trackingCode state } }",
            json!({ "code": receipt.tracking_code, "secret": report.submission.secret }),
        )
        .await?;
    assert_eq!(tracked["trackRequest"], json!({ "trackingCode": receipt.tracking_code, "state": "submitted" }));
    app.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partner_app_reports_field_errors() -> Result<()> {
    let app = TestApp::spawn(Backend::Sqlite).await?;
    let error = match partner_app::run(&options(&app, "not-a-cin")).await {
        Ok(report) => anyhow::bail!("a bad CIN was accepted: {report:?}"),
        Err(error) => format!("{error:#}"),
    };
    assert!(error.contains("VALIDATION_FAILED"), "{error}");
    assert!(error.contains("input.data.cin"), "{error}");
    assert!(error.contains("INVALID_NATIONAL_ID"), "{error}");
    app.stop().await
}
