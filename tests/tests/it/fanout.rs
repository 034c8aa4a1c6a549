//! Two servers on one database, as behind a load balancer, over real HTTP and WebSockets: a catalog published
//! through one is served by it at once, and by the other as soon as it hears of it; on PostgreSQL a subscriber of one hears the changes committed
//! through the other (once each, never another commune's), and a commune's website origins set through one are
//! allowed by the other. SQLite has one server: there, the subscriber hears what its own server commits, once
//! each.

use std::time::Duration;

use anyhow::{Context as _, Result, ensure};
use jamaa_tests::app::{Backend, TestApp};
use jamaa_tests::ws::GraphqlWs;
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(two_servers_on_one_database);

/// How long a change may take to reach the other server's subscribers.
const BOUND: Duration = Duration::from_secs(10);

/// How long a change of a commune may take to reach the other server's catalog (PostgreSQL's notification, or
/// the watch of SQLite's file every 100 ms): it answers from memory meanwhile.
const HEARD: Duration = Duration::from_secs(3);

const SERVICES: &str = r#"query($c: String!) { services(commune: $c, locale: "fr", first: 100) { edges { node { code version description } } } }"#;
const DEFINITION: &str =
    "query($c: String!, $code: String!) { service(commune: $c, code: $code) { version definition } }";
const PUBLISH: &str = "mutation($c: String!, $d: JSON!) { publishService(commune: $c, definition: $d) }";
const SUBMIT: &str = "mutation($c: String!, $i: SubmitRequestInput!) {
    submitRequest(commune: $c, input: $i) { request { id trackingCode } } }";
const ACT: &str = "mutation($id: ID!, $a: String!, $v: Int!, $c: String) {
    actOnRequest(commune: \"oujda\", id: $id, action: $a, expectedVersion: $v, comment: $c) { state version } }";

/// The version and description of a service in the commune's current catalog, as `app` serves it.
async fn served(app: &TestApp, commune: &str, code: &str) -> Result<(i64, String)> {
    let data = app.data(None, SERVICES, json!({ "c": commune })).await?;
    let edges = data["services"]["edges"].as_array().context("no services")?;
    let node = &edges.iter().find(|e| e["node"]["code"] == code).context("no such service")?["node"];
    Ok((node["version"].as_i64().unwrap_or(0), node["description"].as_str().unwrap_or_default().to_owned()))
}

/// A complaint submitted through `app`: (id, tracking code).
async fn complain(app: &TestApp, commune: &str, description: &str) -> Result<(String, String)> {
    let input = json!({ "serviceCode": "reclamation", "data": { "subject": "lighting", "description": description } });
    let data = app.data(None, SUBMIT, json!({ "c": commune, "i": input })).await?;
    let request = &data["submitRequest"]["request"];
    let text = |v: &Value| v.as_str().map(str::to_owned).context("missing");
    Ok((text(&request["id"])?, text(&request["trackingCode"])?))
}

/// The next message of subscription `id`, within [`BOUND`].
async fn within_bound(ws: &mut GraphqlWs, id: &str) -> Result<Value> {
    tokio::time::timeout(BOUND, ws.next_of(id)).await.with_context(|| format!("{id}: nothing within {BOUND:?}"))?
}

async fn two_servers_on_one_database(backend: Backend) -> Result<()> {
    let a = TestApp::spawn(backend).await?;
    let b = a.spawn_beside().await?;

    // The catalog: A holds Oujda's in memory, B publishes, A serves the new version on its next read.
    let (before, _) = served(&a, "oujda", "legalisation-signature").await?;
    served(&a, "oujda", "legalisation-signature").await?;
    let data = b.data(None, DEFINITION, json!({ "c": "oujda", "code": "legalisation-signature" })).await?;
    let mut definition = data["service"]["definition"].clone();
    definition["description"]["fr"] = json!("Publiée par le second serveur.");
    let published = b.data(Some(b.staff("oujda")), PUBLISH, json!({ "c": "oujda", "d": definition })).await?;
    let version = published["publishService"].as_i64().context("no version")?;
    ensure!(version > before, "{version} after {before}");
    // B, which published, serves it at once; A as soon as it hears of it.
    let new = (version, "Publiée par le second serveur.".to_owned());
    ensure!(
        served(&b, "oujda", "legalisation-signature").await? == new,
        "the publishing server answered a stale catalog"
    );
    let started = std::time::Instant::now();
    loop {
        let seen = served(&a, "oujda", "legalisation-signature").await?;
        if seen == new {
            break;
        }
        ensure!(started.elapsed() < HEARD, "the first server still answers {seen:?} after {HEARD:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let one = a.data(None, DEFINITION, json!({ "c": "oujda", "code": "legalisation-signature" })).await?;
    ensure!(one["service"]["version"].as_i64() == Some(version), "{one}");

    // Subscribers on A: Oujda's staff on a request and on their inbox; Chefchaouen's staff on their own inbox.
    let (id, code) = complain(&a, "oujda", "Le quartier Al Qods est sans éclairage public depuis trois nuits.").await?;
    let mut oujda = GraphqlWs::connect(&a, Some(a.staff("oujda"))).await?;
    oujda
        .subscribe(
            "one",
            "subscription($id: ID!) { requestUpdated(commune: \"oujda\", id: $id) { trackingCode sequence state version } }",
            json!({ "id": id }),
        )
        .await?;
    let first = within_bound(&mut oujda, "one").await?;
    ensure!(first["payload"]["data"]["requestUpdated"]["sequence"] == 1, "{first}");
    oujda.subscribe("inbox", "subscription { inboxChanged { trackingCode sequence } }", json!({})).await?;
    let mut chefchaouen = GraphqlWs::connect(&a, Some(a.staff("chefchaouen"))).await?;
    chefchaouen.subscribe("theirs", "subscription { inboxChanged { trackingCode sequence } }", json!({})).await?;
    // Each subscription is registered once a later one of the same connection answers: Oujda's staff get the
    // request's latest event, Chefchaouen's are refused Oujda's request on this server as on any.
    let probe = "subscription($id: ID!) { requestUpdated(commune: \"oujda\", id: $id) { sequence } }";
    oujda.subscribe("probe", probe, json!({ "id": id })).await?;
    let answer = within_bound(&mut oujda, "probe").await?;
    ensure!(answer["payload"]["data"]["requestUpdated"]["sequence"] == 1, "{answer}");
    chefchaouen.subscribe("probe", probe, json!({ "id": id })).await?;
    let refused = within_bound(&mut chefchaouen, "probe").await?;
    ensure!(refused.to_string().contains("FORBIDDEN"), "{refused}");

    // A change through A: its subscribers hear it once.
    a.data(Some(a.staff("oujda")), ACT, json!({ "id": id, "a": "acknowledge", "v": 1 })).await?;
    let heard = within_bound(&mut oujda, "one").await?;
    ensure!(
        heard["payload"]["data"]["requestUpdated"]
            == json!({ "trackingCode": code, "sequence": 2, "state": "in_progress", "version": 2 }),
        "{heard}"
    );
    let inbox = within_bound(&mut oujda, "inbox").await?;
    ensure!(inbox["payload"]["data"]["inboxChanged"]["sequence"] == 2, "{inbox}");

    if backend == Backend::Postgres {
        // A change through B: A's subscribers hear it, within the bound, after the first and once.
        b.data(
            Some(b.staff("oujda")),
            ACT,
            json!({ "id": id, "a": "answer", "v": 2, "c": "L'éclairage du quartier a été réparé." }),
        )
        .await?;
        let heard = within_bound(&mut oujda, "one").await?;
        ensure!(
            heard["payload"]["data"]["requestUpdated"]["sequence"] == 3
                && heard["payload"]["data"]["requestUpdated"]["trackingCode"] == code.as_str(),
            "{heard}"
        );
        let inbox = within_bound(&mut oujda, "inbox").await?;
        ensure!(inbox["payload"]["data"]["inboxChanged"]["sequence"] == 3, "{inbox}");
    }

    // Then one of Chefchaouen's, through B on PostgreSQL (through A on SQLite): Chefchaouen's subscriber hears it
    // first, and none of Oujda's before it; Oujda's subscribers hear nothing of it.
    let through = if backend == Backend::Postgres { &b } else { &a };
    let (_, theirs) =
        complain(through, "chefchaouen", "La route principale de Chefchaouen est pleine de nids-de-poule.").await?;
    let own = within_bound(&mut chefchaouen, "theirs").await?;
    ensure!(own["payload"]["data"]["inboxChanged"]["trackingCode"] == theirs.as_str(), "{own}");
    // A last change of Oujda's: Oujda's inbox hears it next, with nothing of Chefchaouen's (nor a repeat) between.
    let last = complain(through, "oujda", "Un lampadaire est tombé devant l'école du quartier.").await?.1;
    let next = within_bound(&mut oujda, "inbox").await?;
    ensure!(next["payload"]["data"]["inboxChanged"]["trackingCode"] == last.as_str(), "{next}");

    if backend == Backend::Postgres {
        // A commune's website origins set through B: A's CORS allows them within the bound (its scheduler
        // would re-read them in an hour only), and refuses them once cleared through B.
        const SET: &str = "mutation($c: String!, $o: [String!]!) { setSiteOrigins(commune: $c, origins: $o) }";
        let site = "https://www.oujda.ma";
        ensure!(allowed_origin(&a, site).await?.is_none(), "allowed before it was set");
        b.data(Some(&b.operator), SET, json!({ "c": "oujda", "o": [site] })).await?;
        eventually(&a, site, true).await?;
        b.data(Some(&b.operator), SET, json!({ "c": "oujda", "o": [] })).await?;
        eventually(&a, site, false).await?;
    }

    b.stop().await?;
    a.stop().await
}

/// The origin `app`'s CORS preflight allows, for a request from `origin`.
async fn allowed_origin(app: &TestApp, origin: &str) -> Result<Option<String>> {
    let response = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/graphql"))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .send()
        .await?;
    Ok(response.headers().get("access-control-allow-origin").and_then(|v| v.to_str().ok()).map(str::to_owned))
}

/// Waits, within [`BOUND`], until `app` allows `origin` (or refuses it).
async fn eventually(app: &TestApp, origin: &str, allowed: bool) -> Result<()> {
    let started = std::time::Instant::now();
    while allowed_origin(app, origin).await?.is_some() != allowed {
        ensure!(
            started.elapsed() < BOUND,
            "{origin} still {}allowed after {BOUND:?}",
            if allowed { "not " } else { "" }
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

/// The listening connection is lost with the database, and comes back by itself: once PostgreSQL is back, a
/// change committed through the other server reaches this server's subscriber again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_listens_again_once_the_database_is_back() -> Result<()> {
    let a = TestApp::spawn_on_own_postgres(|_| {}).await?;
    let b = a.spawn_beside().await?;
    let mut ws = GraphqlWs::connect(&a, Some(a.staff("oujda"))).await?;
    ws.subscribe("inbox", "subscription { inboxChanged { trackingCode } }", json!({})).await?;
    // Registered: it hears a change of its own server.
    let (_, code) = complain(&a, "oujda", "Le quartier Al Qods est sans éclairage public depuis trois nuits.").await?;
    let heard = within_bound(&mut ws, "inbox").await?;
    ensure!(heard["payload"]["data"]["inboxChanged"]["trackingCode"] == code.as_str(), "{heard}");

    let (server, _) = a.pg.as_ref().context("no database")?;
    server.stop_for_a_while()?;
    server.restart()?;

    // Changes through B until A's subscriber hears one (the first may go before A listens again).
    let started = std::time::Instant::now();
    let mut sent = Vec::new();
    loop {
        ensure!(
            started.elapsed() < Duration::from_secs(60),
            "nothing of the other server heard since the database came back"
        );
        match complain(&b, "oujda", "Un lampadaire est tombé devant l'école du quartier.").await {
            Ok((_, code)) => sent.push(code),
            // The second server's pool reconnects too.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(200)).await;
                continue;
            }
        }
        if let Ok(heard) = tokio::time::timeout(Duration::from_secs(2), ws.next_of("inbox")).await {
            let heard = heard?;
            let code = heard["payload"]["data"]["inboxChanged"]["trackingCode"].as_str().unwrap_or_default();
            ensure!(sent.iter().any(|c| c == code), "{heard}");
            break;
        }
    }
    b.stop().await?;
    a.stop().await
}
