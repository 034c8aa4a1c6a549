//! GraphQL over HTTP as clients expect it: the standard introspection query for anyone (and the limits still
//! holding for other documents), queries over GET, the `application/graphql-response+json` format with its
//! status codes, GraphiQL from the binary, CORS, compression, request ids, `/metrics`, and graphql-ws close
//! codes.

use anyhow::Result;
use jamaa_tests::app::{Backend, TestApp, error_codes, field_errors};
use jamaa_tests::on_both_backends;
use jamaa_tests::ws::GraphqlWs;
use serde_json::{Value, json};

/// graphql-js `getIntrospectionQuery()` as GraphiQL, graphql-codegen and Python `gql` send it.
const INTROSPECTION: &str = include_str!("introspection.graphql");

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

on_both_backends!(the_standard_introspection_query_answers_anyone_and_limits_still_hold);

async fn the_standard_introspection_query_answers_anyone_and_limits_still_hold(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let body = app.graphql(None, INTROSPECTION, json!({})).await?;
    assert_eq!(body.get("errors"), None, "{body}");
    let types = body["data"]["__schema"]["types"].as_array().cloned().unwrap_or_default();
    assert!(types.iter().any(|t| t["name"] == "Commune"), "the schema's types are listed");
    assert_eq!(body["data"]["__schema"]["mutationType"]["name"], "MutationRoot");

    // The same nesting beside a real field runs under the ordinary limits.
    let deep = "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { \
                ofType { ofType { name } } } } } } } } } } } } } communes(first: 1) { __typename } }";
    let body = app.graphql(None, deep, json!({})).await?;
    assert!(body["errors"][0]["message"].as_str().unwrap_or("").contains("nested too deep"), "{body}");
    app.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn introspection_can_be_turned_off() -> Result<()> {
    let app = TestApp::spawn_with(Backend::Sqlite, |settings| settings.introspection = false).await?;
    let body = app.graphql(None, INTROSPECTION, json!({})).await?;
    assert!(body["data"]["__schema"]["types"].as_array().is_none(), "no schema: {body}");
    // Queries still run.
    let data = app.data(None, "{ communes(first: 1) { __typename } }", json!({})).await?;
    assert!(data["communes"].is_object());
    app.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queries_run_over_get_and_mutations_do_not() -> Result<()> {
    let app = TestApp::spawn(Backend::Sqlite).await?;
    let get = |query: &[(&str, &str)], accept: &str| {
        let url = format!("{}?{}", app.url("/graphql"), serde_urlencoded::to_string(query).unwrap_or_default());
        app.client.get(url).header("accept", accept).send()
    };

    let response = get(
        &[
            ("query", "query Named($first: Int) { communes(first: $first) { __typename } }"),
            ("operationName", "Named"),
            ("variables", r#"{"first": 2}"#),
        ],
        "application/json",
    )
    .await?;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: Value = response.json().await?;
    assert_eq!(body.get("errors"), None, "{body}");
    assert!(body["data"]["communes"].is_object());

    let response = get(&[("query", r#"mutation { logout }"#)], "application/json").await?;
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "POST");
    let body: Value = response.json().await?;
    assert_eq!(error_codes(&body), ["METHOD_NOT_ALLOWED"]);

    // GraphiQL only for a browser asking for a page without a query; a client without a query gets 400.
    let page = get(&[], "text/html,application/xhtml+xml").await?;
    assert_eq!(page.status(), 200);
    let html = page.text().await?;
    assert!(html.contains("/graphiql/3.9.0/graphiql.min.js"), "{html}");
    assert!(!html.contains("<script>"), "no inline script: {html}");
    assert!(!html.contains("https://"), "no third-party file: {html}");
    assert_eq!(get(&[], "application/json").await?.status(), 400);
    let asset = app.client.get(app.url("/graphiql/3.9.0/graphiql.min.js")).send().await?;
    assert_eq!(asset.status(), 200);
    assert!(asset.headers()["cache-control"].to_str()?.contains("immutable"));
    assert!(asset.headers()["content-type"].to_str()?.contains("javascript"));
    assert_eq!(app.client.get(app.url("/graphiql/0.0.1/graphiql.min.js")).send().await?.status(), 404);
    app.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_graphql_response_format_has_the_specifications_status_codes() -> Result<()> {
    let app = TestApp::spawn(Backend::Sqlite).await?;
    let post = |query: &str, token: Option<&str>| {
        let mut request = app
            .client
            .post(app.url("/graphql"))
            .header("accept", format!("{GRAPHQL_RESPONSE_JSON}, application/json;q=0.9"))
            .json(&json!({ "query": query }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };

    let ok = post("{ communes(first: 1) { __typename } }", None).await?;
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.headers()["content-type"], GRAPHQL_RESPONSE_JSON);

    // A document that does not parse or validate: 400, and no `data` entry.
    for broken in ["{ communes(first: 1) {", "{ noSuchField }"] {
        let response = post(broken, None).await?;
        assert_eq!(response.status(), 400, "{broken}");
        let body: Value = response.json().await?;
        assert!(body.get("data").is_none(), "{body}");
        assert!(body["errors"].as_array().is_some_and(|e| !e.is_empty()));
    }
    // A refused token: 401.
    let refused = post("{ communes(first: 1) { __typename } }", Some("jm_staff_nope_nope")).await?;
    assert_eq!(refused.status(), 401);
    let body: Value = refused.json().await?;
    assert_eq!(error_codes(&body), ["UNAUTHENTICATED"]);

    // The legacy format keeps 200 and application/json.
    let legacy = app.client.post(app.url("/graphql")).json(&json!({ "query": "{ noSuchField }" })).send().await?;
    assert_eq!(legacy.status(), 200);
    assert_eq!(legacy.headers()["content-type"], "application/json");
    app.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_answers_the_operators_origins_only() -> Result<()> {
    let app = TestApp::spawn_with(Backend::Sqlite, |settings| {
        settings.cors_origins = vec!["https://oujda.example".to_owned()];
    })
    .await?;
    let preflight = |origin: &str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/graphql"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "authorization, content-type")
            .send()
    };
    let allowed = preflight("https://oujda.example").await?;
    assert_eq!(allowed.status(), 204);
    let headers = allowed.headers();
    assert_eq!(headers["access-control-allow-origin"], "https://oujda.example");
    assert_eq!(headers["access-control-allow-credentials"], "true");
    assert!(headers["access-control-allow-methods"].to_str()?.contains("POST"));
    assert!(headers["access-control-allow-headers"].to_str()?.contains("authorization"));

    let other = preflight("https://elsewhere.example").await?;
    assert!(other.headers().get("access-control-allow-origin").is_none());

    let response = app
        .client
        .post(app.url("/graphql"))
        .header("origin", "https://oujda.example")
        .json(&json!({ "query": "{ communes(first: 1) { __typename } }" }))
        .send()
        .await?;
    assert_eq!(response.headers()["access-control-allow-origin"], "https://oujda.example");
    assert!(response.headers()["access-control-expose-headers"].to_str()?.contains("x-request-id"));
    app.stop().await?;

    // A wildcard allows any origin, never with credentials.
    let app = TestApp::spawn_with(Backend::Sqlite, |settings| settings.cors_origins = vec!["*".to_owned()]).await?;
    let response = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/sdk/index.js"))
        .header("origin", "https://any.example")
        .header("access-control-request-method", "GET")
        .send()
        .await?;
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    assert!(response.headers().get("access-control-allow-credentials").is_none());
    app.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_has_a_request_id_and_metrics_count_operations() -> Result<()> {
    let app = TestApp::spawn(Backend::Sqlite).await?;
    let response = app.client.get(app.url("/healthz")).send().await?;
    let id = response.headers()["x-request-id"].to_str()?.to_owned();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let given = app.client.get(app.url("/healthz")).header("x-request-id", "abc-123").send().await?;
    assert_eq!(given.headers()["x-request-id"], "abc-123");

    app.data(None, "{ communes(first: 1) { __typename } }", json!({})).await?;
    let metrics = app.client.get(app.url("/metrics")).send().await?;
    assert_eq!(metrics.status(), 200);
    let text = metrics.text().await?;
    assert!(text.contains(r#"jamaa_graphql_field_total{field="communes",outcome="ok"}"#), "{text}");
    assert!(text.contains("jamaa_graphql_field_duration_seconds_bucket"), "{text}");
    assert!(text.contains("jamaa_http_requests_total"), "{text}");
    assert!(text.contains("jamaa_db_pool_connections"), "{text}");
    app.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_responses_are_compressed() -> Result<()> {
    let app = TestApp::spawn(Backend::Sqlite).await?;
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("accept-encoding", "br")
        .json(&json!({ "query": INTROSPECTION }))
        .send()
        .await?;
    assert_eq!(response.headers()["content-encoding"], "br");
    let response =
        app.client.get(app.url("/graphiql/3.9.0/graphiql.min.css")).header("accept-encoding", "gzip").send().await?;
    assert_eq!(response.headers()["content-encoding"], "gzip");
    app.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_token_closes_graphql_ws_with_4403() -> Result<()> {
    let app = TestApp::spawn(Backend::Sqlite).await?;
    assert_eq!(GraphqlWs::close_code(&app, "jm_staff_nope_nope").await?, Some(4403));
    let operator = app.operator.clone();
    assert_eq!(GraphqlWs::close_code(&app, &operator).await?, None);
    app.stop().await
}

on_both_backends!(a_communes_site_origins_are_allowed_at_once_and_set_by_its_administrators_only);

/// The audit chain of `slug` is whole; how many events it holds.
async fn audit_events(app: &TestApp, slug: &str) -> Result<i64> {
    let data = app
        .data(
            Some(&app.operator),
            "query($c: String!) { auditVerify(commune: $c) { valid eventsChecked } }",
            json!({ "c": slug }),
        )
        .await?;
    assert_eq!(data["auditVerify"]["valid"], true, "{data}");
    Ok(data["auditVerify"]["eventsChecked"].as_i64().unwrap_or(-1))
}

async fn a_communes_site_origins_are_allowed_at_once_and_set_by_its_administrators_only(
    backend: Backend,
) -> Result<()> {
    let app = TestApp::spawn_with(backend, |settings| {
        settings.cors_origins = vec!["https://portail.example".to_owned()];
    })
    .await?;
    // The preflight of a page on `origin`: the origin it is allowed, if any, and whether with credentials.
    let preflight = |origin: &'static str| {
        let request = app
            .client
            .request(reqwest::Method::OPTIONS, app.url("/graphql"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send();
        async move {
            let response = request.await?;
            let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
            anyhow::Ok((header("access-control-allow-origin"), header("access-control-allow-credentials")))
        }
    };
    const SET: &str = "mutation($c: String!, $o: [String!]!) { setSiteOrigins(commune: $c, origins: $o) }";
    const READ: &str = "query($c: String!) { siteOrigins(commune: $c) }";
    assert_eq!(preflight("https://www.oujda.ma").await?.0, None);
    assert_eq!(app.data(None, READ, json!({ "c": "oujda" })).await?["siteOrigins"], json!([]));

    // Oujda's administrator names the site; it is allowed at once, with credentials, beside the operator's.
    let admin = app.login("oujda.commune_admin", jamaa_core::service::demo::DEMO_PASSWORD).await?;
    let before = audit_events(&app, "oujda").await?;
    let set = app
        .data(Some(&admin), SET, json!({ "c": "oujda", "o": ["https://WWW.Oujda.ma/", "https://oujda.ma:8443"] }))
        .await?;
    assert_eq!(set["setSiteOrigins"], json!(["https://www.oujda.ma", "https://oujda.ma:8443"]));
    assert_eq!(audit_events(&app, "oujda").await?, before + 1);
    assert_eq!(
        preflight("https://www.oujda.ma").await?,
        (Some("https://www.oujda.ma".to_owned()), Some("true".to_owned()))
    );
    assert_eq!(preflight("https://oujda.ma:8443").await?.0.as_deref(), Some("https://oujda.ma:8443"));
    assert_eq!(preflight("https://portail.example").await?.0.as_deref(), Some("https://portail.example"));
    assert_eq!(preflight("http://www.oujda.ma").await?.0, None);
    let read = app.data(None, READ, json!({ "c": "oujda" })).await?;
    assert_eq!(read["siteOrigins"], json!(["https://www.oujda.ma", "https://oujda.ma:8443"]));

    // Bad origins: every one named, nothing written.
    let refused = app
        .graphql(
            Some(&admin),
            SET,
            json!({ "c": "oujda", "o": ["https://ok.oujda.ma", "http://oujda.ma", "https://oujda.ma/site", "*"] }),
        )
        .await?;
    assert_eq!(error_codes(&refused), ["VALIDATION_FAILED"]);
    let fields = field_errors(&refused);
    let expected: Vec<(String, String)> =
        (1..4).map(|i| (format!("origins[{i}]"), "INVALID_ORIGIN".to_owned())).collect();
    assert_eq!(fields, expected);
    assert_eq!(audit_events(&app, "oujda").await?, before + 1);
    assert_eq!(app.data(None, READ, json!({ "c": "oujda" })).await?, read);

    // Another commune's administrator, a counter agent of Oujda, a partner-less anonymous caller: refused.
    let elsewhere = app.login("chefchaouen.commune_admin", jamaa_core::service::demo::DEMO_PASSWORD).await?;
    let counter = app.login("oujda.counter_agent", jamaa_core::service::demo::DEMO_PASSWORD).await?;
    for (token, code) in [(Some(&elsewhere), "FORBIDDEN"), (Some(&counter), "FORBIDDEN"), (None, "UNAUTHENTICATED")] {
        let body =
            app.graphql(token.map(String::as_str), SET, json!({ "c": "oujda", "o": ["https://evil.example"] })).await?;
        assert_eq!(error_codes(&body), [code], "{body}");
    }
    assert_eq!(preflight("https://evil.example").await?.0, None);
    assert_eq!(app.data(None, READ, json!({ "c": "oujda" })).await?, read);

    // The operator clears them: refused at once.
    let cleared = app.data(Some(&app.operator), SET, json!({ "c": "oujda", "o": [] })).await?;
    assert_eq!(cleared["setSiteOrigins"], json!([]));
    assert_eq!(preflight("https://www.oujda.ma").await?.0, None);
    app.stop().await
}
