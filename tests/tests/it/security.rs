//! The findings of an outside attack, each turned into a test over real HTTP: limits on the size of a GraphQL
//! document, limits per address, token and account on every transport, and outbound requests.

use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, ensure};
use jamaa_tests::app::{Backend, TestApp, error_codes};
use serde_json::json;

/// A generous bound on what must be quick: far above the milliseconds it takes, far below the minutes that
/// expanding the fragments would take.
const QUICK: Duration = Duration::from_secs(5);

/// An anonymous query whose fragments each spread the previous one twice: `levels` levels, 2^levels fields
/// once expanded, about 1 KB of text.
fn doubling_fragments(levels: usize) -> String {
    let mut text = format!("query {{ ...f{levels} }} fragment f0 on QueryRoot {{ __typename }}");
    for i in 1..=levels {
        text.push_str(&format!(" fragment f{i} on QueryRoot {{ ...f{p} ...f{p} }}", p = i - 1));
    }
    text
}

async fn fragment_fan_out_is_refused_before_it_is_expanded(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let attack = doubling_fragments(24);
    ensure!(attack.len() < 1600, "{}", attack.len());
    let normal = "{ communes(first: 1) { edges { node { slug } } } }";
    let started = Instant::now();
    let (refused, answered) = tokio::join!(tokio::time::timeout(QUICK, app.graphql(None, &attack, json!({}))), async {
        tokio::time::sleep(Duration::from_millis(20)).await;
        tokio::time::timeout(QUICK, app.data(None, normal, json!({}))).await
    });
    let refused = refused.context("the fan-out query was not refused in time")??;
    assert_eq!(error_codes(&refused), ["QUERY_TOO_COMPLEX"], "{refused}");
    let answered = answered.context("a normal query waited behind the fan-out")??;
    ensure!(answered["communes"]["edges"][0]["node"]["slug"].is_string(), "{answered}");
    ensure!(started.elapsed() < QUICK);

    // The same fragments, unused: validation would still walk them expanded.
    let unused = attack.replacen("query { ...f24 }", "query { __typename }", 1);
    let body = tokio::time::timeout(QUICK, app.graphql(None, &unused, json!({}))).await??;
    assert_eq!(error_codes(&body), ["QUERY_TOO_COMPLEX"], "{body}");
    // Depth and aliases keep their codes; a fragment spreading itself is refused, not followed.
    let deep = format!("{{ {}__typename{} }}", "me { ".repeat(13), " }".repeat(13));
    assert_eq!(error_codes(&app.graphql(None, &deep, json!({})).await?), ["QUERY_TOO_DEEP"]);
    let cycle = "query { ...a } fragment a on QueryRoot { ...b } fragment b on QueryRoot { ...a }";
    let body = tokio::time::timeout(QUICK, app.graphql(None, cycle, json!({}))).await??;
    assert_eq!(error_codes(&body), ["GRAPHQL_VALIDATION_FAILED"], "{body}");
    // Ten levels of fragments (1,024 fields) are within the limits and answered.
    let within = app.data(None, &doubling_fragments(10), json!({})).await?;
    assert_eq!(within["__typename"], "QueryRoot");
    app.stop().await
}

jamaa_tests::on_both_backends!(fragment_fan_out_is_refused_before_it_is_expanded);

/// The `extensions.code` of a graphql-ws `error` message, or of the errors of a `next` one.
fn ws_codes(message: &serde_json::Value) -> Vec<String> {
    let errors = if message["type"] == "error" { &message["payload"] } else { &message["payload"]["errors"] };
    errors
        .as_array()
        .map(|errors| errors.iter().map(|e| e["extensions"]["code"].as_str().unwrap_or("").to_owned()).collect())
        .unwrap_or_default()
}

async fn every_transport_counts_against_one_limit(backend: Backend) -> Result<()> {
    let app = TestApp::spawn_with(backend, |settings| settings.rate_limit_per_minute = 20).await?;
    // Each operation a WebSocket carries counts: well before 40, they are refused.
    let mut ws = jamaa_tests::ws::GraphqlWs::connect(&app, None).await?;
    let track = "query { __typename }";
    let mut refused = 0;
    for i in 0..40 {
        let id = format!("op{i}");
        ws.subscribe(&id, track, json!({})).await?;
        let message = ws.next_of(&id).await?;
        if ws_codes(&message) == ["RATE_LIMITED"] {
            refused += 1;
        } else {
            ensure!(message["type"] == "next", "{message}");
            let done = ws.next_of(&id).await?;
            ensure!(done["type"] == "complete", "{done}");
        }
    }
    ensure!((19..=22).contains(&refused), "{refused} of 40 operations refused");
    // The address is spent on every other transport too: pages, verification, Open311, open data.
    for path in [
        "/verify/OUJ-AAAA-AAAA-AAAA",
        "/receipts/OUJ-2026-000001",
        "/open311/v2/services.xml?jurisdiction_id=oujda",
        "/open311/v2/services.json?jurisdiction_id=oujda",
        "/opendata/oujda/budget-execution.csv",
        "/opendata/oujda/audit-heads.json",
    ] {
        let response = app.client.get(app.url(path)).send().await?;
        ensure!(response.status() == 429, "{path}: {}", response.status());
        ensure!(response.headers().get("retry-after").is_some(), "{path}");
        let body = response.text().await?;
        if path.ends_with(".xml") {
            ensure!(body.contains("<code>429</code>"), "{body}");
        }
    }
    let body = app.graphql(None, track, json!({})).await?;
    assert_eq!(error_codes(&body), ["RATE_LIMITED"]);
    let proof = r#"{ auditProof(trackingCode: "OUJ-2026-000001", secret: "K7RM2-PX9QD-4HWTA", since: 0) { since } }"#;
    let body = app.graphql(None, proof, json!({})).await?;
    assert_eq!(error_codes(&body), ["RATE_LIMITED"]);
    // Health probes are not counted.
    ensure!(app.client.get(app.url("/healthz")).send().await?.status() == 200);
    app.stop().await
}

async fn forwarded_addresses_count_only_from_trusted_proxies(backend: Backend) -> Result<()> {
    let loopback = std::net::IpAddr::from([127, 0, 0, 1]);
    let app = TestApp::spawn_with(backend, |settings| {
        settings.rate_limit_per_minute = 3;
        settings.trusted_proxies = vec![loopback.into()];
    })
    .await?;
    let get = |client: &'static str| {
        app.client.get(app.url("/open311/v2/services.json?jurisdiction_id=oujda")).header("x-forwarded-for", client)
    };
    for _ in 0..3 {
        ensure!(get("198.51.100.1").send().await?.status() == 200);
    }
    ensure!(get("198.51.100.1").send().await?.status() == 429, "the client behind the proxy is limited");
    ensure!(get("198.51.100.2").send().await?.status() == 200, "another client behind the proxy is not");
    app.stop().await?;

    // Without trusted proxies, the header is the client's word and changes nothing.
    let app = TestApp::spawn_with(backend, |settings| settings.rate_limit_per_minute = 3).await?;
    let url = app.url("/open311/v2/services.json?jurisdiction_id=oujda");
    for i in 0..4 {
        let status = app.client.get(&url).header("x-forwarded-for", format!("198.51.100.{i}")).send().await?.status();
        ensure!(status == if i < 3 { 200 } else { 429 }, "request {i}: {status}");
    }
    app.stop().await
}

const LOGIN: &str = "mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }";

async fn failed_logins_delay_that_address_not_the_owner(backend: Backend) -> Result<()> {
    let loopback = std::net::IpAddr::from([127, 0, 0, 1]);
    let app = TestApp::spawn_with(backend, |settings| settings.trusted_proxies = vec![loopback.into()]).await?;
    let (login, password) = app.agent.clone();
    let attempt = |from: &'static str, password: String| {
        let body = json!({ "query": LOGIN, "variables": { "l": login, "p": password } });
        let request = app.client.post(app.url("/graphql")).header("x-forwarded-for", from).json(&body);
        async move { anyhow::Ok(request.send().await?.json::<serde_json::Value>().await?) }
    };
    let attacker = "203.0.113.66";
    for i in 0..5 {
        let body = attempt(attacker, format!("guess-{i}")).await?;
        assert_eq!(error_codes(&body), ["UNAUTHENTICATED"], "{body}");
    }
    // The sixth guess, and even the right password, wait from that address: the password is not tried.
    let body = attempt(attacker, "guess-5".to_owned()).await?;
    assert_eq!(error_codes(&body), ["RATE_LIMITED"], "{body}");
    ensure!(body["errors"][0]["extensions"]["retryAfter"].as_u64().is_some_and(|s| s >= 1), "{body}");
    let body = attempt(attacker, password.clone()).await?;
    assert_eq!(error_codes(&body), ["RATE_LIMITED"], "{body}");
    // The owner, elsewhere, logs in.
    let body = attempt("198.51.100.20", password.clone()).await?;
    ensure!(body["data"]["login"]["token"].as_str().is_some_and(|t| t.starts_with("jm_session_")), "{body}");

    // Over a WebSocket (the peer's address), guesses are delayed alike.
    let mut ws = jamaa_tests::ws::GraphqlWs::connect(&app, None).await?;
    let mut codes = Vec::new();
    for i in 0..8 {
        let id = format!("login{i}");
        ws.subscribe(&id, LOGIN, json!({ "l": login, "p": format!("guess-{i}") })).await?;
        codes.push(ws_codes(&ws.next_of(&id).await?).join(","));
    }
    assert_eq!(codes[..5], ["UNAUTHENTICATED"; 5]);
    assert_eq!(codes[5..], ["RATE_LIMITED"; 3]);
    app.stop().await
}

async fn token_issuing_checks_the_caller_before_reading_its_input(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let create = "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { id } }";
    // A 1 MiB body of known slugs: refused at once, without a look-up each.
    let communes = vec!["oujda"; 110_000];
    let input = json!({ "i": { "kind": "PARTNER", "communes": communes, "label": "x" } });
    let issued = app
        .data(
            Some(&app.operator),
            "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }",
            json!({ "i": { "kind": "PARTNER", "communes": ["oujda"], "label": "app" } }),
        )
        .await?;
    let partner = issued["createApiToken"]["token"].as_str().map(str::to_owned);
    for (token, code) in [(None, "UNAUTHENTICATED"), (partner, "FORBIDDEN")] {
        let started = Instant::now();
        let body = tokio::time::timeout(QUICK, app.graphql(token.as_deref(), create, input.clone())).await??;
        assert_eq!(error_codes(&body), [code], "{body}");
        ensure!(started.elapsed() < QUICK);
    }
    app.stop().await
}

jamaa_tests::on_both_backends!(
    every_transport_counts_against_one_limit,
    forwarded_addresses_count_only_from_trusted_proxies,
    failed_logins_delay_that_address_not_the_owner,
    token_issuing_checks_the_caller_before_reading_its_input,
);

/// One text column of a query, straight from the database (the server's own view is tested elsewhere).
async fn column(app: &TestApp, sql: &str) -> Result<Vec<String>> {
    match &app.pg {
        Some((server, database)) => Ok(server
            .psql(&database.name, sql)?
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()),
        None => {
            use sea_orm::{ConnectionTrait, Database, Statement};
            let db = Database::connect(jamaa_graphql::settings::sqlite_url(app.dir.path())).await?;
            let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await?;
            rows.iter().map(|row| Ok(row.try_get_by_index::<String>(0)?)).collect()
        }
    }
}

async fn events_checked(app: &TestApp) -> Result<i64> {
    let query = "{ auditVerify(commune: \"oujda\") { valid eventsChecked } }";
    let data = app.data(Some(&app.operator), query, json!({})).await?;
    ensure!(data["auditVerify"]["valid"] == true, "{data}");
    data["auditVerify"]["eventsChecked"].as_i64().context("no count")
}

async fn issuing_and_revoking_tokens_is_in_the_communes_trail(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let before = events_checked(&app).await?;
    // An operator gives itself a staff role in Oujda: allowed, and written in Oujda's own trail.
    let create = "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { id token } }";
    let staff = json!({ "kind": "STAFF", "communes": ["oujda"], "roles": ["counter_agent"], "label": "support" });
    let issued = app.data(Some(&app.operator), create, json!({ "i": staff })).await?;
    let id = issued["createApiToken"]["id"].as_str().context("no id")?.to_owned();
    ensure!(events_checked(&app).await? == before + 1);
    let issued_events =
        column(&app, "SELECT actor || ' ' || subject FROM audit_events WHERE kind = 'token.issued'").await?;
    ensure!(
        issued_events.iter().any(|e| e.starts_with("operator:") && e.ends_with(&format!("token:{id}"))),
        "{issued_events:?}"
    );
    let issuers = column(&app, "SELECT issued_by FROM api_tokens WHERE issued_by LIKE 'operator:%'").await?;
    ensure!(issuers.len() == 1, "{issuers:?}");
    // Its revocation by the commune's administrator is there too, with who revoked it.
    app.data(Some(app.staff("oujda")), "mutation($id: ID!) { revokeApiToken(id: $id) }", json!({ "id": id })).await?;
    ensure!(events_checked(&app).await? == before + 2);
    let revoked = column(&app, "SELECT actor || ' ' || subject FROM audit_events WHERE kind = 'token.revoked'").await?;
    ensure!(revoked.len() == 1 && revoked[0].starts_with("staff:") && revoked[0].ends_with(&id), "{revoked:?}");
    app.stop().await
}

async fn every_answer_carries_security_headers(backend: Backend) -> Result<()> {
    // The checkout's website, found from the test binary's place.
    let site = jamaa_graphql::settings::SiteDirs::find(std::path::Path::new("/nonexistent"), None, None, None);
    let app = TestApp::spawn_with_site(backend, Some(site)).await?;
    for path in ["/", "/receipts/OUJ-2026-000001", "/verify/OUJ-AAAA-AAAA-AAAA", "/graphql", "/healthz"] {
        let response = app.client.get(app.url(path)).send().await?;
        let headers = response.headers();
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        // Scripts from this server only, or none at all (the printable pages run no script).
        let csp = header("content-security-policy");
        let no_script = csp.starts_with("default-src 'none'") && !csp.contains("script-src");
        ensure!(csp.contains("script-src 'self'") || no_script, "{path}: {headers:?}");
        ensure!(header("content-security-policy").contains("frame-ancestors 'none'"), "{path}");
        ensure!(header("x-content-type-options") == "nosniff", "{path}");
        ensure!(header("x-frame-options") == "DENY", "{path}");
        ensure!(header("referrer-policy") == "no-referrer", "{path}");
    }
    app.stop().await
}

/// A listener that counts the connections it is offered.
async fn counting_listener() -> Result<(u16, std::sync::Arc<std::sync::atomic::AtomicUsize>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        while let Ok((_socket, _)) = listener.accept().await {
            seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    });
    Ok((port, count))
}

async fn webhooks_reach_no_internal_address(backend: Backend) -> Result<()> {
    let app = TestApp::spawn_with(backend, |settings| {
        settings.notifications.interval = Duration::from_millis(20);
    })
    .await?;
    let (port, connections) = counting_listener().await?;
    let staff = app.staff("oujda");
    let create =
        "mutation($i: WebhookEndpointInput!) { createWebhookEndpoint(commune: \"oujda\", input: $i) { secret } }";
    for host in ["localhost", "127.0.0.1", "2130706433", "127.1", "[::ffff:127.0.0.1]", "0.0.0.0"] {
        app.data(Some(staff), create, json!({ "i": { "url": format!("http://{host}:{port}/hook") } })).await?;
    }
    let submit = "mutation($i: SubmitRequestInput!) { submitRequest(commune: \"oujda\", input: $i) { secret } }";
    let input = json!({ "serviceCode": "reclamation", "data": {
        "subject": "roads", "description": "Un nid-de-poule dangereux devant l'école primaire." } });
    app.data(None, submit, json!({ "i": input })).await?;
    let list = "{ notificationDeliveries(commune: \"oujda\", first: 100) { nodes { channel attempts lastError } } }";
    let deadline = Instant::now() + Duration::from_secs(60);
    let tried = loop {
        let data = app.data(Some(staff), list, json!({})).await?;
        let hooks: Vec<serde_json::Value> = data["notificationDeliveries"]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|d| d["channel"].as_str().is_some_and(|c| c.starts_with("webhook")))
            .collect();
        if hooks.len() >= 6 && hooks.iter().all(|d| d["attempts"].as_i64().unwrap_or(0) >= 1) {
            break hooks;
        }
        ensure!(Instant::now() < deadline, "never attempted: {data}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    for delivery in &tried {
        ensure!(delivery["lastError"] == jamaa_graphql::outbound::NOT_ALLOWED, "{delivery}");
    }
    ensure!(connections.load(std::sync::atomic::Ordering::SeqCst) == 0, "an internal address was reached");
    app.stop().await
}

jamaa_tests::on_both_backends!(
    issuing_and_revoking_tokens_is_in_the_communes_trail,
    every_answer_carries_security_headers,
    webhooks_reach_no_internal_address,
);

/// Sends `head`, then one more byte of `trickle` every 200 ms, and waits for the server to close the
/// connection; how long it took, or `None` if it was still open after `patience`.
async fn held_open(app: &TestApp, head: &str, trickle: &'static [u8], patience: Duration) -> Result<Option<Duration>> {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let stream = tokio::net::TcpStream::connect(app.address).await?;
    let (mut reader, mut writer) = stream.into_split();
    writer.write_all(head.as_bytes()).await?;
    let started = Instant::now();
    let feeder = tokio::spawn(async move {
        for byte in trickle.iter().cycle() {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if writer.write_all(&[*byte]).await.is_err() {
                break;
            }
        }
        // Never closed from this side: the server must be the one to end it.
        std::future::pending::<()>().await;
        drop(writer);
    });
    // Whatever the server answers before closing is read and dropped; EOF or a reset is the close.
    let closed = tokio::time::timeout(patience, async {
        let mut buffer = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buffer).await {
            if n == 0 {
                break;
            }
        }
    })
    .await;
    feeder.abort();
    Ok(closed.ok().map(|()| started.elapsed()))
}

async fn slow_clients_are_cut_off_at_the_transport(backend: Backend) -> Result<()> {
    let app = TestApp::spawn_with(backend, |settings| {
        settings.slow_clients = jamaa_graphql::connections::SlowClients {
            header_timeout: Duration::from_secs(1),
            body_grace: Duration::from_secs(1),
            body_min_bytes_per_second: 100,
        };
    })
    .await?;
    let patience = Duration::from_secs(8);
    // Headers that never end: a new header line, a byte at a time, forever.
    let headers = held_open(&app, "GET /healthz HTTP/1.1\r\nHost: jamaa\r\n", b"X-Slow: a\r\n", patience).await?;
    let headers = headers.context("a request whose headers never end is held open")?;
    ensure!(headers < Duration::from_secs(4), "{headers:?}");
    // A body of a byte every 200 ms: behind 100 bytes a second once the grace is spent.
    let post =
        "POST /graphql HTTP/1.1\r\nHost: jamaa\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n";
    let body = held_open(&app, post, b"{ ", patience).await?.context("a body of a byte at a time is held open")?;
    ensure!(body < Duration::from_secs(5), "{body:?}");
    // An idle keep-alive connection is closed too; an ordinary request on a connection is answered.
    let idle = "GET /healthz HTTP/1.1\r\nHost: jamaa\r\n\r\n";
    let idle = held_open(&app, idle, b"", patience).await?.context("an idle connection is held open")?;
    ensure!(idle < Duration::from_secs(4), "{idle:?}");
    let data = app.data(None, "{ __typename }", json!({})).await?;
    assert_eq!(data["__typename"], "QueryRoot");
    app.stop().await
}

jamaa_tests::on_both_backends!(slow_clients_are_cut_off_at_the_transport);

/// What async-graphql refuses itself, and bodies that are no GraphQL request, get a stable code in the API's
/// shape like every other error, over HTTP and over the WebSocket.
async fn every_refusal_has_a_code(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let post = |body: serde_json::Value| app.client.post(app.url("/graphql")).json(&body).send();
    for (body, code) in [
        (json!({ "query": "{ communes(" }), "GRAPHQL_PARSE_FAILED"),
        (json!({ "query": "{ nowhere }" }), "GRAPHQL_VALIDATION_FAILED"),
        (
            json!({ "query": "query($s: String!) { commune(slug: $s) { slug } }", "variables": { "s": { "a": 1 } } }),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (json!({ "query": "query($s: String!) { commune(slug: $s) { slug } }", "variables": {} }), "BAD_USER_INPUT"),
    ] {
        let response = post(body.clone()).await?;
        let answer: serde_json::Value = response.json().await?;
        assert_eq!(error_codes(&answer), [code], "{body}: {answer}");
    }
    // Variables that are not an object, a body that is not JSON: 400, in the API's shape.
    let variables = post(json!({ "query": "{ __typename }", "variables": "oujda" })).await?;
    let not_json = app.client.post(app.url("/graphql")).header("content-type", "application/json").body("{ nope");
    for response in [variables, not_json.send().await?] {
        ensure!(response.status() == 400, "{}", response.status());
        let answer: serde_json::Value = response.json().await?;
        assert_eq!(error_codes(&answer), ["BAD_REQUEST"], "{answer}");
        ensure!(!answer.to_string().contains("BatchRequest"), "the parser's inside is shown: {answer}");
    }
    let mut ws = jamaa_tests::ws::GraphqlWs::connect(&app, None).await?;
    ws.subscribe("bad", "{ nowhere }", json!({})).await?;
    assert_eq!(ws_codes(&ws.next_of("bad").await?), ["GRAPHQL_VALIDATION_FAILED"]);
    app.stop().await
}

jamaa_tests::on_both_backends!(every_refusal_has_a_code);
