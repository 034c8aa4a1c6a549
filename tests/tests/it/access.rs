//! API tokens over real HTTP: a partner scoped to one commune, revocation taking effect at once, expiry, and
//! who may issue what.

use anyhow::Result;
use jamaa_tests::app::{Backend, TestApp, error_codes};
use serde_json::{Value, json};

const CREATE: &str = "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { id token } }";
const REVOKE: &str = "mutation($id: ID!) { revokeApiToken(id: $id) }";
const SUBMIT: &str = r#"mutation($c: String!) { submitRequest(commune: $c, input: {
  serviceCode: "reclamation", data: { subject: "roads", description: "Un nid-de-poule dangereux devant l'école primaire." }
}) { request { trackingCode } } }"#;

async fn partner_tokens_are_scoped_and_revocable(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let created = app
        .data(
            Some(&app.operator),
            CREATE,
            json!({ "i": { "kind": "PARTNER", "communes": ["oujda"], "label": "city app" } }),
        )
        .await?;
    let partner = created["createApiToken"]["token"].as_str().unwrap_or_default().to_owned();
    let id = created["createApiToken"]["id"].clone();
    assert!(partner.starts_with("jm_partner_"));

    let ok = app.data(Some(&partner), SUBMIT, json!({ "c": "oujda" })).await?;
    assert!(ok["submitRequest"]["request"]["trackingCode"].as_str().unwrap_or_default().starts_with("OUJ-"));
    let elsewhere = app.graphql(Some(&partner), SUBMIT, json!({ "c": "chefchaouen" })).await?;
    assert_eq!(error_codes(&elsewhere), ["FORBIDDEN"]);
    let inbox =
        app.graphql(Some(&partner), "{ requests(commune: \"oujda\") { edges { node { id } } } }", json!({})).await?;
    assert_eq!(error_codes(&inbox), ["FORBIDDEN"], "a partner reads no inbox");

    // Another commune's administrator can neither revoke it nor learn that it exists.
    let body = app.graphql(Some(app.staff("chefchaouen")), REVOKE, json!({ "id": id })).await?;
    assert_eq!(error_codes(&body), ["NOT_FOUND"]);
    app.data(Some(&partner), SUBMIT, json!({ "c": "oujda" })).await?;

    // Revoked: unauthenticated at once, for any operation.
    let revoked = app.data(Some(app.staff("oujda")), REVOKE, json!({ "id": id })).await?;
    assert_eq!(revoked["revokeApiToken"], true);
    let body = app.graphql(Some(&partner), SUBMIT, json!({ "c": "oujda" })).await?;
    assert_eq!(error_codes(&body), ["UNAUTHENTICATED"]);
    let body = app.graphql(Some(&partner), "{ communes { edges { node { slug } } } }", json!({})).await?;
    assert_eq!(error_codes(&body), ["UNAUTHENTICATED"], "a revoked token is refused, not treated as anonymous");
    app.stop().await
}

async fn who_issues_what(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let admin = app.staff("oujda").to_owned();
    let staff = json!({ "kind": "STAFF", "communes": ["oujda"], "roles": ["counter_agent"], "label": "guichet 2" });
    let agent = app.data(Some(&admin), CREATE, json!({ "i": staff })).await?;
    let agent = agent["createApiToken"]["token"].as_str().unwrap_or_default().to_owned();
    // The counter agent sees the inbox but may not issue tokens.
    app.data(Some(&agent), "{ requests { edges { node { id } } } }", json!({})).await?;
    let body = app.graphql(Some(&agent), CREATE, json!({ "i": staff })).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"]);
    // An administrator issues nothing for another commune, and no operator token.
    let mut other = staff.clone();
    other["communes"] = json!(["chefchaouen"]);
    assert_eq!(error_codes(&app.graphql(Some(&admin), CREATE, json!({ "i": other })).await?), ["FORBIDDEN"]);
    let operator = json!({ "kind": "OPERATOR", "label": "x" });
    assert_eq!(error_codes(&app.graphql(Some(&admin), CREATE, json!({ "i": operator })).await?), ["FORBIDDEN"]);
    assert_eq!(error_codes(&app.graphql(None, CREATE, json!({ "i": staff })).await?), ["UNAUTHENTICATED"]);
    // Roles must exist; expiries must be in the future.
    let mut mayor = staff.clone();
    mayor["roles"] = json!(["mayor"]);
    assert_eq!(error_codes(&app.graphql(Some(&admin), CREATE, json!({ "i": mayor })).await?), ["VALIDATION_FAILED"]);
    let mut past = staff.clone();
    past["expiresAt"] = json!("2020-01-01T00:00:00Z");
    assert_eq!(error_codes(&app.graphql(Some(&admin), CREATE, json!({ "i": past })).await?), ["VALIDATION_FAILED"]);

    // A token past its expiry is refused.
    let jamaa = app.jamaa().await?;
    let oujda = jamaa.commune("oujda").await?;
    let expired = jamaa
        .issue_token(
            jamaa_core::service::NewApiToken::Staff { tenant: oujda.id, roles: vec!["counter_agent".into()] },
            "expired",
            Some(chrono::Utc::now() - chrono::Duration::minutes(1)),
        )
        .await?;
    let expired = secrecy::ExposeSecret::expose_secret(&expired.token).to_owned();
    let body = app.graphql(Some(&expired), "{ requests { edges { node { id } } } }", json!({})).await?;
    assert_eq!(error_codes(&body), ["UNAUTHENTICATED"]);
    app.stop().await
}

jamaa_tests::on_both_backends!(partner_tokens_are_scoped_and_revocable, who_issues_what);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_beyond_the_rate_limit_are_refused() -> Result<()> {
    let app = TestApp::spawn_with(Backend::Sqlite, |settings| settings.rate_limit_per_minute = 5).await?;
    let query = "{ communes(first: 1) { edges { node { slug } } } }";
    for _ in 0..5 {
        app.data(None, query, json!({})).await?;
    }
    let response = app.client.post(app.url("/graphql")).json(&json!({ "query": query })).send().await?;
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers().get("retry-after").and_then(|v| v.to_str().ok()), Some("60"));
    let body: Value = response.json().await?;
    assert_eq!(error_codes(&body), ["RATE_LIMITED"]);
    // The limit is per client address too: a token does not buy a fresh budget.
    let body = app.graphql(Some(&app.operator), query, json!({})).await?;
    assert_eq!(error_codes(&body), ["RATE_LIMITED"]);
    app.stop().await
}
