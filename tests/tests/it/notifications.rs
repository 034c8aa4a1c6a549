//! Notifications end to end, on SQLite and PostgreSQL, with real parts: a webhook receiver (axum on 127.0.0.1)
//! that checks every signature, a real SMTP server (aiosmtpd, installed by `scripts/install-test-deps`), and
//! subscriptions over a real WebSocket. The server's clock is injected, so that a receiver down "for a minute"
//! and the back-off are a matter of moving the clock, not of sleeping; the test waits for things to happen,
//! never for a time.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use anyhow::{Context as _, Result, bail, ensure};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use hmac::{Hmac, Mac};
use jamaa_tests::app::{Backend, TestApp, error_codes, field_paths};
use jamaa_tests::clock::TestClock;
use jamaa_tests::ws::{GraphqlWs, PATIENCE};
use serde_json::{Value, json};
use tokio::sync::Notify;

jamaa_tests::on_both_backends!(
    a_receiver_down_for_a_minute_gets_every_event_once_in_order,
    a_delivery_is_dead_lettered_after_its_tries_and_replayed,
    the_requester_gets_an_email_in_their_language,
    subscribers_see_changes_over_a_websocket,
    a_small_receiver_never_has_more_than_its_limit_in_flight,
    a_receiver_slower_than_its_timeout_gets_a_retry_with_the_same_event_id,
    a_hanging_endpoint_does_not_hold_back_another,
);

async fn spawn(backend: Backend, clock: &TestClock, max_attempts: u32) -> Result<TestApp> {
    TestApp::spawn_full(
        backend,
        |settings| {
            let notify = &mut settings.notifications;
            notify.interval = std::time::Duration::from_millis(20);
            notify.retry.base = std::time::Duration::from_secs(5);
            notify.retry.max = std::time::Duration::from_secs(20);
            notify.retry.max_attempts = max_attempts;
            notify.lease = std::time::Duration::from_secs(60);
            notify.timeout = std::time::Duration::from_secs(10);
            // The receivers of these tests listen on the loopback, which is allowed explicitly.
            notify.outbound = loopback_allowed();
        },
        Some(clock.clock()),
    )
    .await
}

// ---------------------------------------------------------------------------------------------------------------
// The webhook receiver.

/// One POST the receiver accepted.
#[derive(Clone, Debug)]
struct Received {
    event_id: String,
    request_id: String,
    sequence: i64,
    kind: String,
    body: Value,
}

#[derive(Default)]
struct ReceiverState {
    up: bool,
    secret: String,
    received: Vec<Received>,
    /// The sequence numbers of the events refused while down.
    refused: Vec<i64>,
    /// Requests whose signature did not check.
    forged: usize,
}

#[derive(Clone)]
struct Receiver {
    state: Arc<Mutex<ReceiverState>>,
    changed: Arc<Notify>,
    url: String,
}

impl Receiver {
    async fn start() -> Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}/hooks/jamaa", listener.local_addr()?);
        let receiver = Receiver { state: Arc::default(), changed: Arc::new(Notify::new()), url };
        let app = axum::Router::new().route("/hooks/jamaa", axum::routing::post(hook)).with_state(receiver.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Ok(receiver)
    }

    fn with<T>(&self, f: impl FnOnce(&mut ReceiverState) -> T) -> T {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut state)
    }

    /// Waits until `done` holds of the state (checked at each request the receiver gets).
    async fn wait_for(&self, what: &str, done: impl Fn(&ReceiverState) -> bool) -> Result<()> {
        let wait = async {
            loop {
                let notified = self.changed.notified();
                if self.with(|s| done(s)) {
                    return;
                }
                notified.await;
            }
        };
        tokio::time::timeout(PATIENCE, wait).await.with_context(|| format!("never: {what}"))
    }
}

/// Checks `Jamaa-Signature: t=…,v1=…` as docs/WEBHOOKS.md tells receivers to.
fn signature_checks(secret: &str, headers: &HeaderMap, body: &[u8]) -> bool {
    let Some(header) = headers.get("jamaa-signature").and_then(|v| v.to_str().ok()) else { return false };
    let mut timestamp = None;
    let mut signature = None;
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", t)) => timestamp = Some(t.to_owned()),
            Some(("v1", s)) => signature = hex::decode(s).ok(),
            _ => {}
        }
    }
    let (Some(timestamp), Some(signature)) = (timestamp, signature) else { return false };
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()) else { return false };
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.verify_slice(&signature).is_ok()
}

async fn hook(State(receiver): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let status = receiver.with(|state| {
        let Ok(parsed) = serde_json::from_slice::<Value>(&body) else { return StatusCode::BAD_REQUEST };
        let sequence = parsed["sequence"].as_i64().unwrap_or(-1);
        if !state.up {
            state.refused.push(sequence);
            return StatusCode::SERVICE_UNAVAILABLE;
        }
        if !signature_checks(&state.secret, &headers, &body) {
            state.forged += 1;
            return StatusCode::UNAUTHORIZED;
        }
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        state.received.push(Received {
            event_id: header("jamaa-event-id"),
            request_id: parsed["request"]["id"].as_str().unwrap_or("").to_owned(),
            sequence,
            kind: header("jamaa-event"),
            body: parsed,
        });
        StatusCode::NO_CONTENT
    });
    receiver.changed.notify_waiters();
    status
}

// ---------------------------------------------------------------------------------------------------------------
// Requests.

const SUBMIT: &str = "mutation($i: SubmitRequestInput!, $l: String) {
    submitRequest(commune: \"oujda\", input: $i, locale: $l) { secret request { id trackingCode version } } }";
const ACT: &str = "mutation($id: ID!, $a: String!, $v: Int!, $c: String) {
    actOnRequest(commune: \"oujda\", id: $id, action: $a, expectedVersion: $v, comment: $c) { state version } }";

/// A complaint with the citizen's e-mail: (id, tracking code, secret).
async fn complain(app: &TestApp, email: &str, locale: &str) -> Result<(String, String, String)> {
    let input = json!({ "serviceCode": "reclamation", "data": {
        "subject": "lighting", "description": "Le quartier Al Qods est sans éclairage public depuis trois nuits.",
        "name": "Amina Bennani", "email": email
    } });
    let data = app.data(None, SUBMIT, json!({ "i": input, "l": locale })).await?;
    let submitted = &data["submitRequest"];
    let text = |v: &Value| v.as_str().map(str::to_owned).context("missing");
    Ok((text(&submitted["request"]["id"])?, text(&submitted["request"]["trackingCode"])?, text(&submitted["secret"])?))
}

/// Acknowledges then answers a complaint, as Oujda's staff: its events 2 and 3.
async fn work_on(app: &TestApp, id: &str) -> Result<()> {
    let staff = app.staff("oujda");
    app.data(Some(staff), ACT, json!({ "id": id, "a": "acknowledge", "v": 1 })).await?;
    let answer = "L'éclairage du quartier a été réparé.";
    app.data(Some(staff), ACT, json!({ "id": id, "a": "answer", "v": 2, "c": answer })).await?;
    Ok(())
}

async fn create_endpoint(app: &TestApp, receiver: &Receiver) -> Result<()> {
    // An event kind the outbox does not have is refused at its place in the list, naming the five it has.
    let refused = app
        .graphql(
            Some(app.staff("oujda")),
            "mutation($i: WebhookEndpointInput!) { createWebhookEndpoint(commune: \"oujda\", input: $i) {
                endpoint { id } } }",
            json!({ "i": { "url": receiver.url, "events": ["request.assigned", "request.deleted"] } }),
        )
        .await?;
    ensure!(field_paths(&refused) == ["input.events.1"], "{refused}");
    ensure!(refused.to_string().contains("request.deadline"), "{refused}");
    let data = app
        .data(
            Some(app.staff("oujda")),
            "mutation($i: WebhookEndpointInput!) { createWebhookEndpoint(commune: \"oujda\", input: $i) {
                secret endpoint { id url events active } } }",
            json!({ "i": { "url": receiver.url } }),
        )
        .await?;
    let secret = data["createWebhookEndpoint"]["secret"].as_str().context("no secret")?.to_owned();
    ensure!(secret.starts_with("whsec_"), "{secret}");
    receiver.with(|s| s.secret = secret);
    // The secret is shown once: the list does not have it.
    let list = app
        .graphql(Some(app.staff("oujda")), "{ webhookEndpoints(commune: \"oujda\") { nodes { id url } } }", json!({}))
        .await?;
    ensure!(!list.to_string().contains("whsec_") && list.to_string().contains(&receiver.url), "{list}");
    Ok(())
}

async fn deliveries(app: &TestApp, status: &str) -> Result<Vec<Value>> {
    let data = app
        .data(
            Some(app.staff("oujda")),
            "query($s: DeliveryStatus) { notificationDeliveries(commune: \"oujda\", status: $s, first: 100) {
                nodes { id requestId sequence channel status attempts lastError } } }",
            json!({ "s": status }),
        )
        .await?;
    Ok(data["notificationDeliveries"]["nodes"].as_array().cloned().unwrap_or_default())
}

/// The attempts recorded for each request's first event.
async fn first_attempts(app: &TestApp) -> Result<Vec<i64>> {
    let mut all = deliveries(app, "PENDING").await?;
    all.extend(deliveries(app, "DEAD").await?);
    Ok(all.iter().filter(|d| d["sequence"] == 1).filter_map(|d| d["attempts"].as_i64()).collect())
}

/// Waits until `check` holds, asking again after each short pause (a guard against a hang, not a timing).
async fn eventually<F, Fut>(what: &str, mut check: F) -> Result<()>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<bool>>,
{
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !check().await? {
        if tokio::time::Instant::now() > deadline {
            bail!("never: {what}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------------
// The scenarios.

/// The done-when: a receiver that answers 503 for a minute (of the server's clock) gets every event afterwards,
/// once each, and each request's events in order, while a second dispatcher competes for the same deliveries.
async fn a_receiver_down_for_a_minute_gets_every_event_once_in_order(backend: Backend) -> Result<()> {
    let clock = TestClock::new();
    let app = spawn(backend, &clock, 100).await?;
    let receiver = Receiver::start().await?;
    create_endpoint(&app, &receiver).await?;
    // A second server's dispatcher, on its own connections to the same database.
    let settings = jamaa_graphql::dispatcher::NotifySettings {
        interval: std::time::Duration::from_millis(15),
        ..app_notify_settings()
    };
    let other = jamaa_graphql::dispatcher::Dispatcher::new(app.jamaa().await?.with_clock(clock.clock()), settings)?;
    let other = tokio::spawn(other.run());

    let (first, _, _) = complain(&app, "amina.bennani@example.ma", "fr").await?;
    let (second, _, _) = complain(&app, "youssef.alaoui@example.ma", "ar").await?;
    work_on(&app, &first).await?;
    work_on(&app, &second).await?;

    // Down for a minute: each request's first event is tried, and tried again as the clock moves on (moved
    // only once the attempts are recorded, so that each retry is due).
    for tries in 1..=4i64 {
        receiver.wait_for("both first events tried", |s| s.refused.len() as i64 >= 2 * tries).await?;
        eventually("the attempts recorded", || async { Ok(first_attempts(&app).await? == [tries, tries]) }).await?;
        clock.advance(20);
    }
    let refused = receiver.with(|s| s.refused.clone());
    ensure!(refused.iter().all(|&n| n == 1), "while the first events failed, later ones were sent: {refused:?}");

    // Back up: everything arrives (the last retries are due at the latest 20 s after the last failures).
    receiver.with(|s| s.up = true);
    receiver.wait_for("all six events", |s| s.received.len() >= 6).await?;
    eventually("every delivery recorded as delivered", || async {
        Ok(deliveries(&app, "DELIVERED").await?.len() == 6)
    })
    .await?;
    // A restart later (a lease long run out) sends nothing again.
    clock.advance(600);
    let restarted = jamaa_graphql::dispatcher::Dispatcher::new(
        app.jamaa().await?.with_clock(clock.clock()),
        app_notify_settings(),
    )?;
    ensure!(restarted.run_once().await? == 0, "a restarted dispatcher found work");
    other.abort();

    let (received, forged) = receiver.with(|s| (s.received.clone(), s.forged));
    ensure!(forged == 0, "{forged} deliveries had a bad signature");
    ensure!(received.len() == 6, "{} deliveries for 6 events: {received:#?}", received.len());
    let mut by_request: BTreeMap<String, Vec<&Received>> = BTreeMap::new();
    for r in &received {
        by_request.entry(r.request_id.clone()).or_default().push(r);
    }
    ensure!(by_request.len() == 2, "{by_request:#?}");
    for (request, events) in &by_request {
        let sequences: Vec<i64> = events.iter().map(|r| r.sequence).collect();
        ensure!(sequences == [1, 2, 3], "request {request} got its events as {sequences:?}");
        let kinds: Vec<&str> = events.iter().map(|r| r.kind.as_str()).collect();
        ensure!(kinds == ["request.submitted", "request.state_changed", "request.state_changed"], "{kinds:?}");
        let last = &events[2].body;
        ensure!(last["request"]["state"] == "answered" && last["message"].as_str().is_some(), "{last}");
        ensure!(last["commune"] == "oujda" && last["type"] == "request.state_changed", "{last}");
        ensure!(events.iter().all(|r| r.body["id"].as_str() == Some(r.event_id.as_str())), "event ids differ");
    }
    // No personal data in a webhook.
    let all = serde_json::to_string(&received.iter().map(|r| &r.body).collect::<Vec<_>>())?;
    for personal in ["Amina Bennani", "amina.bennani@example.ma"] {
        ensure!(!all.contains(personal), "a webhook carries `{personal}`");
    }
    app.stop().await
}

fn app_notify_settings() -> jamaa_graphql::dispatcher::NotifySettings {
    let mut settings = jamaa_graphql::dispatcher::NotifySettings::default();
    settings.retry.base = std::time::Duration::from_secs(5);
    settings.retry.max = std::time::Duration::from_secs(20);
    settings.retry.max_attempts = 100;
    settings.lease = std::time::Duration::from_secs(60);
    settings.outbound = loopback_allowed();
    settings
}

/// The outbound policy of these tests: public addresses and the loopback, where their receivers listen.
fn loopback_allowed() -> jamaa_graphql::outbound::OutboundPolicy {
    jamaa_graphql::outbound::OutboundPolicy::allowing(vec![
        std::net::IpAddr::from([127, 0, 0, 1]).into(),
        std::net::IpAddr::from(std::net::Ipv6Addr::LOCALHOST).into(),
    ])
}

/// After its last try a delivery is dead: listed for the admin, holding back the later events of its request,
/// and sent (then the later ones) when replayed.
async fn a_delivery_is_dead_lettered_after_its_tries_and_replayed(backend: Backend) -> Result<()> {
    let clock = TestClock::new();
    let app = spawn(backend, &clock, 3).await?;
    let receiver = Receiver::start().await?;
    create_endpoint(&app, &receiver).await?;
    let (id, _, _) = complain(&app, "amina.bennani@example.ma", "fr").await?;
    app.data(Some(app.staff("oujda")), ACT, json!({ "id": id, "a": "acknowledge", "v": 1 })).await?;

    for tries in 1..=3i64 {
        receiver.wait_for("a try", |s| s.refused.len() as i64 >= tries).await?;
        eventually("the attempt recorded", || async { Ok(first_attempts(&app).await? == [tries]) }).await?;
        clock.advance(20);
    }
    eventually("the first event dead-lettered", || async { Ok(deliveries(&app, "DEAD").await?.len() == 1) }).await?;
    let dead = deliveries(&app, "DEAD").await?;
    let dead = &dead[0];
    ensure!(dead["sequence"] == 1 && dead["attempts"] == 3 && dead["lastError"] == "not delivered", "{dead}");
    let pending = deliveries(&app, "PENDING").await?;
    ensure!(pending.len() == 1 && pending[0]["sequence"] == 2 && pending[0]["attempts"] == 0, "{pending:?}");
    clock.advance(600);
    ensure!(receiver.with(|s| s.refused.len()) == 3, "tried after being dead-lettered");

    // Another commune's admin cannot replay it; Oujda's can.
    const REPLAY: &str = "mutation($c: String!, $id: ID!) { replayDelivery(commune: $c, id: $id) { status attempts } }";
    let foreign =
        app.graphql(Some(app.staff("chefchaouen")), REPLAY, json!({ "c": "oujda", "id": dead["id"] })).await?;
    ensure!(error_codes(&foreign) == ["FORBIDDEN"], "{foreign}");
    let at_home =
        app.graphql(Some(app.staff("chefchaouen")), REPLAY, json!({ "c": "chefchaouen", "id": dead["id"] })).await?;
    ensure!(error_codes(&at_home) == ["NOT_FOUND"], "{at_home}");
    receiver.with(|s| s.up = true);
    let replayed = app.data(Some(app.staff("oujda")), REPLAY, json!({ "c": "oujda", "id": dead["id"] })).await?;
    ensure!(replayed["replayDelivery"] == json!({ "status": "PENDING", "attempts": 0 }), "{replayed}");
    receiver.wait_for("both events", |s| s.received.len() >= 2).await?;
    let sequences: Vec<i64> = receiver.with(|s| s.received.iter().map(|r| r.sequence).collect());
    ensure!(sequences == [1, 2], "{sequences:?}");
    app.stop().await
}

// ---------------------------------------------------------------------------------------------------------------
// E-mail through a real SMTP server.

/// aiosmtpd, listening on a free port of 127.0.0.1 and writing what it gets to a Maildir.
struct SmtpSink {
    child: tokio::process::Child,
    port: u16,
    maildir: tempfile::TempDir,
    python: std::path::PathBuf,
}

impl SmtpSink {
    async fn start() -> Result<Self> {
        let python = jamaa_tests::test_python();
        ensure!(python.exists(), "{} is missing: run scripts/install-test-deps (aiosmtpd)", python.display());
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let maildir = tempfile::tempdir()?;
        let child = tokio::process::Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir.path().join("mail"))
            .kill_on_drop(true)
            .spawn()
            .context("aiosmtpd does not start")?;
        let sink = Self { child, port, maildir, python };
        eventually("aiosmtpd listening", || async {
            Ok(tokio::net::TcpStream::connect(("127.0.0.1", sink.port)).await.is_ok())
        })
        .await?;
        Ok(sink)
    }

    /// The messages received so far, decoded by Python's `email` package: `{to, subject, body}` each.
    fn messages(&self) -> Result<Vec<Value>> {
        let dir = self.maildir.path().join("mail/new");
        let mut messages = Vec::new();
        let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(messages) };
        for entry in entries {
            let output = std::process::Command::new(&self.python)
                .args([
                    "-c",
                    "import email, json, sys\nfrom email import policy\n\
                     m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)\n\
                     print(json.dumps({'to': str(m['to']), 'from': str(m['from']), 'subject': str(m['subject']),\n\
                     'body': m.get_body().get_content()}))",
                ])
                .arg(entry?.path())
                .output()?;
            ensure!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
            messages.push(serde_json::from_slice(&output.stdout)?);
        }
        Ok(messages)
    }
}

async fn the_requester_gets_an_email_in_their_language(backend: Backend) -> Result<()> {
    let clock = TestClock::new();
    let app = spawn(backend, &clock, 5).await?;
    let mut sink = SmtpSink::start().await?;
    let set = app
        .data(
            Some(app.staff("oujda")),
            "mutation($i: SmtpSettingsInput!) { setSmtpSettings(commune: \"oujda\", input: $i) {
                host port tls fromAddress hasPassword } }",
            json!({ "i": { "host": "127.0.0.1", "port": sink.port, "tls": "NONE",
                           "fromAddress": "notifications@oujda.ma" } }),
        )
        .await?;
    ensure!(set["setSmtpSettings"]["hasPassword"] == false, "{set}");

    let (_, code, _) = complain(&app, "amina.bennani@example.ma", "fr").await?;
    eventually("the e-mail in the mailbox", || async { Ok(!sink.messages()?.is_empty()) }).await?;
    let messages = sink.messages()?;
    ensure!(messages.len() == 1, "{messages:?}");
    let message = &messages[0];
    ensure!(message["to"] == "amina.bennani@example.ma", "{message}");
    ensure!(message["from"] == "notifications@oujda.ma", "{message}");
    let subject = message["subject"].as_str().unwrap_or("");
    ensure!(subject.contains(&code) && subject.contains("Votre demande") && subject.contains("reçue"), "{subject}");
    let body = message["body"].as_str().unwrap_or("");
    ensure!(body.contains("Déposée") && body.contains(&code), "{body}");
    eventually("the e-mail recorded as delivered", || async {
        let done = deliveries(&app, "DELIVERED").await?;
        Ok(done.iter().any(|d| d["channel"] == "email"))
    })
    .await?;

    // In Arabic for a request filed in Arabic.
    let (_, code, _) = complain(&app, "youssef.alaoui@example.ma", "ar").await?;
    eventually("the second e-mail", || async { Ok(sink.messages()?.len() == 2) }).await?;
    let arabic = sink.messages()?.into_iter().find(|m| m["to"] == "youssef.alaoui@example.ma").context("none")?;
    let subject = arabic["subject"].as_str().unwrap_or("");
    ensure!(subject.contains(&code) && subject.contains("تم استلام طلبكم"), "{subject}");
    sink.child.kill().await?;
    app.stop().await
}

// ---------------------------------------------------------------------------------------------------------------
// Subscriptions.

async fn subscribers_see_changes_over_a_websocket(backend: Backend) -> Result<()> {
    let clock = TestClock::new();
    let app = spawn(backend, &clock, 5).await?;
    let (id, code, secret) = complain(&app, "amina.bennani@example.ma", "fr").await?;

    // The citizen, with no token: the request's latest event first, then its changes.
    let mut citizen = GraphqlWs::connect(&app, None).await?;
    citizen
        .subscribe(
            "mine",
            "subscription($code: String!, $secret: String!) { requestUpdated(trackingCode: $code, secret: $secret) {
                trackingCode sequence event state version } }",
            json!({ "code": code, "secret": secret }),
        )
        .await?;
    let current = citizen.next_of("mine").await.context("citizen/mine")?;
    ensure!(current["type"] == "next", "{current}");
    ensure!(current["payload"]["data"]["requestUpdated"]["sequence"] == 1, "{current}");

    // Oujda's staff on their inbox, and on the request by id; Chefchaouen's staff on their own inbox.
    let mut staff = GraphqlWs::connect(&app, Some(app.staff("oujda"))).await?;
    staff
        .subscribe(
            "inbox",
            "subscription { inboxChanged(commune: \"oujda\") { trackingCode sequence state } }",
            json!({}),
        )
        .await?;
    staff
        .subscribe(
            "one",
            "subscription($id: ID!) { requestUpdated(commune: \"oujda\", id: $id) { sequence state } }",
            json!({ "id": id }),
        )
        .await?;
    let first = staff.next_of("one").await.context("staff/one")?;
    ensure!(first["payload"]["data"]["requestUpdated"]["sequence"] == 1, "{first}");
    let mut other = GraphqlWs::connect(&app, Some(app.staff("chefchaouen"))).await?;
    other.subscribe("theirs", "subscription { inboxChanged { trackingCode state } }", json!({})).await?;
    // Chefchaouen's staff may not follow Oujda's inbox nor its request.
    other.subscribe("oujda", "subscription { inboxChanged(commune: \"oujda\") { trackingCode } }", json!({})).await?;
    let refused = other.next_of("oujda").await.context("other/oujda")?;
    ensure!(refused["payload"]["data"].is_null() && refused.to_string().contains("FORBIDDEN"), "{refused}");
    other
        .subscribe(
            "req",
            "subscription($id: ID!) { requestUpdated(commune: \"oujda\", id: $id) { state } }",
            json!({ "id": id }),
        )
        .await?;
    let refused = other.next_of("req").await.context("other/req")?;
    ensure!(refused["payload"]["data"].is_null() && refused.to_string().contains("FORBIDDEN"), "{refused}");
    ensure!(GraphqlWs::refused(&app, "jm_staff_00000000000000000000000000_nope").await?, "a bad token was let in");

    // The change, over HTTP; then one of Chefchaouen's.
    app.data(Some(app.staff("oujda")), ACT, json!({ "id": id, "a": "acknowledge", "v": 1 })).await?;
    let theirs = json!({ "serviceCode": "reclamation", "data": {
        "subject": "roads", "description": "La route principale de Chefchaouen est pleine de nids-de-poule." } });
    let chefchaouen = app
        .data(
            None,
            "mutation($i: SubmitRequestInput!) { submitRequest(commune: \"chefchaouen\", input: $i) {
                request { trackingCode } } }",
            json!({ "i": theirs }),
        )
        .await?;

    let mine = citizen.next_of("mine").await.context("citizen/mine")?;
    ensure!(
        mine["payload"]["data"]["requestUpdated"]
            == json!({ "trackingCode": code, "sequence": 2, "event": "request.state_changed", "state": "in_progress",
                       "version": 2 }),
        "{mine}"
    );
    let inbox = staff.next_of("inbox").await.context("staff/inbox")?;
    ensure!(inbox["payload"]["data"]["inboxChanged"]["trackingCode"] == code, "{inbox}");
    ensure!(inbox["payload"]["data"]["inboxChanged"]["sequence"] == 2, "{inbox}");
    let one = staff.next_of("one").await.context("staff/one")?;
    ensure!(one["payload"]["data"]["requestUpdated"] == json!({ "sequence": 2, "state": "in_progress" }), "{one}");
    // Chefchaouen's inbox got its own submission, and nothing of Oujda's change before it.
    let own = other.next_of("theirs").await.context("other/theirs")?;
    let their_code = &chefchaouen["submitRequest"]["request"]["trackingCode"];
    ensure!(own["payload"]["data"]["inboxChanged"]["trackingCode"] == *their_code, "{own}");
    app.stop().await
}

// ---------------------------------------------------------------------------------------------------------------
// Slow receivers: how much an endpoint takes at once, and how long it has to answer.

#[derive(Default)]
struct SlowState {
    /// Requests being answered now, and the most at once.
    in_flight: usize,
    most_in_flight: usize,
    /// The `Jamaa-Event-Id` of every request, in the order they came.
    event_ids: Vec<String>,
    /// Requests answered 2xx.
    answered: usize,
}

/// A receiver on 127.0.0.1 with a small listen backlog that takes `delay` to answer each request (the first
/// `slow_first` of them only, when set); it checks no signature.
#[derive(Clone)]
struct SlowReceiver {
    state: Arc<Mutex<SlowState>>,
    changed: Arc<Notify>,
    url: String,
}

impl SlowReceiver {
    async fn start(backlog: u32, delay: std::time::Duration, slow_first: Option<usize>) -> Result<Self> {
        let socket = tokio::net::TcpSocket::new_v4()?;
        socket.bind("127.0.0.1:0".parse()?)?;
        let listener = socket.listen(backlog)?;
        let url = format!("http://{}/hooks/slow", listener.local_addr()?);
        let receiver = SlowReceiver { state: Arc::default(), changed: Arc::new(Notify::new()), url };
        let app = axum::Router::new()
            .route(
                "/hooks/slow",
                axum::routing::post(move |State(r): State<SlowReceiver>, headers: HeaderMap| async move {
                    let event_id = headers.get("jamaa-event-id").and_then(|v| v.to_str().ok()).unwrap_or("");
                    let seen = r.with(|s| {
                        s.in_flight += 1;
                        s.most_in_flight = s.most_in_flight.max(s.in_flight);
                        s.event_ids.push(event_id.to_owned());
                        s.event_ids.len()
                    });
                    r.changed.notify_waiters();
                    if slow_first.is_none_or(|n| seen <= n) {
                        tokio::time::sleep(delay).await;
                    }
                    r.with(|s| {
                        s.in_flight -= 1;
                        s.answered += 1;
                    });
                    r.changed.notify_waiters();
                    StatusCode::NO_CONTENT
                }),
            )
            .with_state(receiver.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Ok(receiver)
    }

    fn with<T>(&self, f: impl FnOnce(&mut SlowState) -> T) -> T {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut state)
    }

    async fn wait_for(&self, what: &str, done: impl Fn(&SlowState) -> bool) -> Result<()> {
        let wait = async {
            loop {
                let notified = self.changed.notified();
                if self.with(|s| done(s)) {
                    return;
                }
                notified.await;
            }
        };
        tokio::time::timeout(PATIENCE, wait).await.with_context(|| format!("never: {what}"))
    }
}

/// An endpoint of Oujda's with its limits; its id.
async fn create_limited_endpoint(app: &TestApp, url: &str, limits: Value) -> Result<String> {
    let mut input = json!({ "url": url });
    if let (Some(input), Some(limits)) = (input.as_object_mut(), limits.as_object()) {
        input.extend(limits.clone());
    }
    let data = app
        .data(
            Some(app.staff("oujda")),
            "mutation($i: WebhookEndpointInput!) { createWebhookEndpoint(commune: \"oujda\", input: $i) {
                endpoint { id maxInFlight timeoutSeconds } } }",
            json!({ "i": input }),
        )
        .await?;
    let endpoint = &data["createWebhookEndpoint"]["endpoint"];
    for (name, value) in limits.as_object().into_iter().flatten() {
        ensure!(&endpoint[name] == value, "{name}: {endpoint}");
    }
    endpoint["id"].as_str().map(str::to_owned).context("no id")
}

/// A receiver with a listen backlog of 5 that takes half a second to answer gets 12 events from two servers'
/// dispatchers, never more than its limit (2) at once, each event once.
async fn a_small_receiver_never_has_more_than_its_limit_in_flight(backend: Backend) -> Result<()> {
    let clock = TestClock::new();
    let app = spawn(backend, &clock, 100).await?;
    let receiver = SlowReceiver::start(5, std::time::Duration::from_millis(500), None).await?;
    // The limits are checked: out of bounds is INVALID_VALUE at the field.
    for (field, value) in [("maxInFlight", 0), ("maxInFlight", 17), ("timeoutSeconds", 0), ("timeoutSeconds", 31)] {
        let answer = app
            .graphql(
                Some(app.staff("oujda")),
                "mutation($i: WebhookEndpointInput!) { createWebhookEndpoint(commune: \"oujda\", input: $i) {
                    endpoint { id } } }",
                json!({ "i": { "url": receiver.url, field: value } }),
            )
            .await?;
        ensure!(error_codes(&answer) == ["VALIDATION_FAILED"], "{field} {value}: {answer}");
        ensure!(answer.to_string().contains(&format!("input.{field}")), "{answer}");
    }
    let id = create_limited_endpoint(&app, &receiver.url, json!({ "maxInFlight": 3 })).await?;
    // Lowered to 2 afterwards.
    let updated = app
        .data(
            Some(app.staff("oujda")),
            "mutation($id: ID!) { updateWebhookEndpoint(commune: \"oujda\", id: $id, input: { maxInFlight: 2 }) {
                maxInFlight timeoutSeconds } }",
            json!({ "id": id }),
        )
        .await?;
    ensure!(updated["updateWebhookEndpoint"] == json!({ "maxInFlight": 2, "timeoutSeconds": 10 }), "{updated}");

    let settings = jamaa_graphql::dispatcher::NotifySettings {
        interval: std::time::Duration::from_millis(15),
        ..app_notify_settings()
    };
    let other = jamaa_graphql::dispatcher::Dispatcher::new(app.jamaa().await?.with_clock(clock.clock()), settings)?;
    let other = tokio::spawn(other.run());
    for n in 0..12 {
        complain(&app, &format!("citoyen{n}@example.ma"), "fr").await?;
    }
    receiver.wait_for("twelve events answered", |s| s.answered >= 12).await?;
    eventually("every delivery recorded as delivered", || async {
        Ok(deliveries(&app, "DELIVERED").await?.len() == 12)
    })
    .await?;
    other.abort();
    let (most, ids) = receiver.with(|s| (s.most_in_flight, s.event_ids.clone()));
    ensure!(most <= 2, "{most} deliveries in flight at once to an endpoint that takes 2");
    ensure!(most == 2, "the endpoint was never given its 2 at once ({most})");
    let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
    ensure!(ids.len() == 12 && unique.len() == 12, "{} requests for 12 events: {ids:?}", ids.len());
    app.stop().await
}

/// A receiver slower than its endpoint's time to answer (1 s) gets the event again, with the same event id, and
/// the delivery is recorded once it answers in time.
async fn a_receiver_slower_than_its_timeout_gets_a_retry_with_the_same_event_id(backend: Backend) -> Result<()> {
    let clock = TestClock::new();
    let app = spawn(backend, &clock, 100).await?;
    let receiver = SlowReceiver::start(5, std::time::Duration::from_millis(2500), Some(1)).await?;
    create_limited_endpoint(&app, &receiver.url, json!({ "timeoutSeconds": 1 })).await?;
    complain(&app, "amina.bennani@example.ma", "fr").await?;
    receiver.wait_for("the first attempt", |s| !s.event_ids.is_empty()).await?;
    eventually("the attempt recorded as failed", || async {
        let pending = deliveries(&app, "PENDING").await?;
        Ok(pending.len() == 1 && pending[0]["attempts"] == 1)
    })
    .await?;
    // Its back-off (5 s) passes.
    clock.advance(20);
    receiver.wait_for("the retry", |s| s.event_ids.len() >= 2).await?;
    eventually("the retry recorded as delivered", || async {
        let delivered = deliveries(&app, "DELIVERED").await?;
        Ok(delivered.len() == 1 && delivered[0]["attempts"] == 2)
    })
    .await?;
    let ids = receiver.with(|s| s.event_ids.clone());
    ensure!(ids.len() == 2 && ids[0] == ids[1] && !ids[0].is_empty(), "{ids:?}");
    app.stop().await
}

/// An endpoint that never answers (until its time runs out, 10 s here) does not delay the deliveries of
/// another: a request submitted while the first hangs reaches the second within a few seconds.
async fn a_hanging_endpoint_does_not_hold_back_another(backend: Backend) -> Result<()> {
    let clock = TestClock::new();
    let app = spawn(backend, &clock, 100).await?;
    let hanging = SlowReceiver::start(5, std::time::Duration::from_secs(120), None).await?;
    let quick = SlowReceiver::start(5, std::time::Duration::ZERO, None).await?;
    create_limited_endpoint(&app, &hanging.url, json!({ "timeoutSeconds": 30 })).await?;
    create_limited_endpoint(&app, &quick.url, json!({})).await?;
    complain(&app, "amina.bennani@example.ma", "fr").await?;
    hanging.wait_for("the hanging endpoint holding an event", |s| s.in_flight == 1).await?;
    quick.wait_for("the first event at the other endpoint", |s| s.answered == 1).await?;
    let started = std::time::Instant::now();
    complain(&app, "youssef.alaoui@example.ma", "ar").await?;
    quick.wait_for("the second event at the other endpoint", |s| s.answered == 2).await?;
    let took = started.elapsed();
    ensure!(took < std::time::Duration::from_secs(3), "the other endpoint waited {took:?}");
    ensure!(hanging.with(|s| s.answered) == 0, "the hanging endpoint answered");
    app.stop().await
}
