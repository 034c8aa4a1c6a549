//! The server killed mid-flight, on both backends. A real `jamaa serve --demo` process (the `jamaa` program,
//! built with these tests as `jamaa-under-test`) on a data directory (SQLite) or a database of its own
//! (PostgreSQL); [`CLIENTS`] clients submit over HTTP, each submission with its `Idempotency-Key`, and resend it
//! with the same key until it is answered with a tracking code. The server is killed with SIGKILL [`ROUNDS`]
//! times while they do, and started again on the same data. Then:
//!
//! - every answered submission is found by `trackRequest` with its tracking code and secret;
//! - each key filed exactly one request: the commune holds as many new requests as there were keys, under as
//!   many tracking codes, and each key that went unanswered at least once (its call cut by a kill, or refused
//!   while the server was down) answers again with its one tracking code and secret;
//! - the audit chains verify (`jamaa audit verify` on the same data).
//!
//! Everything is bounded: each HTTP call, each start, the whole scenario ([`WHOLE`]); the server is killed when
//! the test ends, whichever way it ends (the child is killed on drop).

use std::collections::{BTreeSet, VecDeque};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail, ensure};
use jamaa_tests::app::{Backend, error_codes};
use jamaa_tests::pg::{APP_ROLE, PgDatabase, PgServer};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

jamaa_tests::on_both_backends!(
    killed_mid_flight_loses_nothing_files_nothing_twice,
    stopped_between_commit_and_answer_creates_nothing_twice
);

/// Clients submitting at once.
const CLIENTS: usize = 8;
/// Kills (SIGKILL) of the server, each followed by a start on the same data.
const ROUNDS: usize = 3;
/// New answers the clients get between two kills, and after the last start.
const ANSWERS_PER_ROUND: usize = CLIENTS;
/// The longest a start of the server may take (migrations, the demo, binding).
const START: Duration = Duration::from_secs(30);
/// The whole scenario, starts included.
const WHOLE: Duration = Duration::from_secs(50);

const SUBMIT: &str = r#"
mutation($input: SubmitRequestInput!) {
  submitRequest(commune: "oujda", input: $input) { secret request { trackingCode } }
}"#;

const TRACK: &str = r#"
query($code: String!, $secret: String!) { trackRequest(trackingCode: $code, secret: $secret) { trackingCode state } }"#;

const COUNT: &str = r#"query { requests(commune: "oujda", first: 1) { totalCount } }"#;

fn input() -> Value {
    json!({
        "serviceCode": "legalisation-signature",
        "data": { "signatory_name": "Salma Bennani", "cin": "AB123456", "phone": "0612345678",
                  "document_title": "Procuration", "copies": 1 },
        "documents": [
            { "code": "document_to_sign", "fileName": "procuration.pdf", "mediaType": "application/pdf", "sizeBytes": 120000 }
        ]
    })
}

/// Where the server keeps its data across its lives: a data directory, and on PostgreSQL a database of the
/// run's server (dropped at the end).
struct Data {
    dir: tempfile::TempDir,
    pg: Option<(PgServer, PgDatabase)>,
    master_key: String,
}

impl Data {
    async fn new(backend: Backend) -> Result<Self> {
        let pg = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => {
                let server = PgServer::for_tests()?;
                let database = jamaa_tests::app::migrated_database(&server).await?;
                Some((server, database))
            }
        };
        let master_key = jamaa_core::crypto::Keyring::generate_master_key();
        Ok(Self {
            dir: tempfile::tempdir()?,
            pg,
            master_key: secrecy::ExposeSecret::expose_secret(&master_key).to_owned(),
        })
    }

    /// The `jamaa` program on this data, with no setting from the environment of the test but these.
    fn jamaa(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_jamaa-under-test"));
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("JAMAA_") {
                command.env_remove(name);
            }
        }
        command
            .arg("--data-dir")
            .arg(self.dir.path())
            .current_dir(self.dir.path())
            .env("JAMAA_MASTER_KEY", &self.master_key)
            // The address line, warnings and errors only.
            .env("JAMAA_LOG", "warn,jamaa_graphql::cli=info")
            .env("NO_COLOR", "1")
            .env("JAMAA_RATE_LIMIT_PER_MINUTE", "0")
            .env("JAMAA_SCHEDULER_INTERVAL_SECONDS", "3600")
            .stdin(Stdio::null())
            .kill_on_drop(true);
        if let Some((_, database)) = &self.pg {
            command
                .env("JAMAA_DATABASE_URL", &database.app_url)
                .env("JAMAA_ADMIN_DATABASE_URL", &database.owner_url)
                .env("JAMAA_APP_ROLE", APP_ROLE);
        }
        command
    }
}

impl Drop for Data {
    fn drop(&mut self) {
        if let Some((server, database)) = &self.pg
            && server.is_shared()
            && let Err(error) = server.drop_database(&database.name)
        {
            eprintln!("jamaa-tests: {error:#}");
        }
    }
}

/// One life of `jamaa serve --demo`: its address, and Oujda's staff token and the operator's of this life.
struct Serving {
    child: Child,
    url: String,
    staff: String,
    operator: String,
    log: Arc<Mutex<VecDeque<String>>>,
}

impl Serving {
    /// The first life loads the demo and gives Oujda's staff token; a later one (`staff`: that token) starts as
    /// a server restarts in production, without `--demo`.
    async fn start(data: &Data, staff: Option<&str>) -> Result<Self> {
        Self::start_with(data, staff.map(|staff| (staff, "")), &[]).await
    }

    /// A life as [`Serving::start`]'s, `known` the staff and operator tokens of the first, with more variables.
    async fn start_with(data: &Data, known: Option<(&str, &str)>, variables: &[(&str, &str)]) -> Result<Self> {
        let staff = known.map(|(staff, _)| staff);
        let operator = Arc::new(Mutex::new(known.map(|(_, operator)| operator.to_owned())));
        let mut command = data.jamaa();
        command.args(["serve", "--bind", "127.0.0.1:0"]).envs(variables.iter().copied());
        if staff.is_none() {
            command.arg("--demo");
        }
        let mut child =
            command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().context("cannot start jamaa serve")?;
        let log = Arc::new(Mutex::new(VecDeque::new()));
        let (address, address_found) = tokio::sync::oneshot::channel();
        let (token, token_found) = tokio::sync::oneshot::channel();
        let token = match staff {
            Some(staff) => {
                let _ = token.send(staff.to_owned());
                None
            }
            None => Some(token),
        };
        // Both pipes are read to their end, so that the server never blocks on a full one.
        let stderr = child.stderr.take().context("no stderr")?;
        let kept = log.clone();
        tokio::spawn(async move {
            let mut address = Some(address);
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(rest) = line.split_once("http://").map(|(_, rest)| rest)
                    && let Some((found, _)) = rest.split_once("/graphql")
                    && let Some(address) = address.take()
                {
                    let _ = address.send(found.to_owned());
                }
                keep(&kept, line);
            }
        });
        let stdout = child.stdout.take().context("no stdout")?;
        let operator_found = operator.clone();
        tokio::spawn(async move {
            let mut token = token;
            let mut lines = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(operator) = line.strip_prefix("operator jm_")
                    && let Ok(mut found) = operator_found.lock()
                {
                    *found = Some(format!("jm_{operator}"));
                }
                if let Some(staff) = line.strip_prefix("oujda jm_")
                    && let Some(token) = token.take()
                {
                    let _ = token.send(format!("jm_{staff}"));
                }
            }
        });
        let started =
            tokio::time::timeout(START, async { Ok::<_, anyhow::Error>((address_found.await?, token_found.await?)) });
        match started.await {
            Ok(Ok((address, staff))) => {
                // Printed before Oujda's staff token.
                let operator = operator.lock().ok().and_then(|o| o.clone()).unwrap_or_default();
                Ok(Self { child, url: format!("http://{address}"), staff, operator, log })
            }
            outcome => {
                let exited = child.try_wait()?;
                let _ = child.kill().await;
                let log = log.lock().map(|l| l.iter().cloned().collect::<Vec<_>>().join("\n")).unwrap_or_default();
                bail!("jamaa serve did not start ({outcome:?}, exited: {exited:?}); its last lines:\n{log}")
            }
        }
    }

    /// SIGKILL, and waits for the process to be gone.
    async fn kill(mut self) -> Result<()> {
        tokio::time::timeout(Duration::from_secs(10), self.child.kill())
            .await
            .context("the server outlived SIGKILL")??;
        Ok(())
    }

    fn log(&self) -> String {
        self.log.lock().map(|l| l.iter().cloned().collect::<Vec<_>>().join("\n")).unwrap_or_default()
    }
}

/// Keeps the last lines a server wrote, for a failure's message.
fn keep(log: &Mutex<VecDeque<String>>, line: String) {
    if let Ok(mut log) = log.lock() {
        if log.len() == 40 {
            log.pop_front();
        }
        log.push_back(line);
    }
}

/// What the clients share: the server's address of the moment, when to stop taking new keys, the answers so far.
struct Shared {
    url: RwLock<String>,
    stop: AtomicBool,
    answered: AtomicUsize,
    deadline: Instant,
}

impl Shared {
    fn url(&self) -> String {
        self.url.read().map(|u| u.clone()).unwrap_or_default()
    }
}

/// A submission answered with its tracking code, and how many of its calls went unanswered first.
#[derive(Debug)]
struct Filed {
    key: String,
    code: String,
    secret: String,
    unanswered: u32,
}

/// Posts the submission under `key`: `Some((code, secret))` when answered, `None` when the server was not there,
/// was killed during the call or answered UNAVAILABLE; any other answer is an error.
async fn submit(http: &reqwest::Client, url: &str, key: &str) -> Result<Option<(String, String)>> {
    let body = json!({ "query": SUBMIT, "variables": { "input": input() } });
    let response = match http.post(format!("{url}/graphql")).header("idempotency-key", key).json(&body).send().await {
        Ok(response) => response,
        Err(_) => return Ok(None),
    };
    let Ok(answer) = response.json::<Value>().await else { return Ok(None) };
    let filed = &answer["data"]["submitRequest"];
    if let (Some(code), Some(secret)) = (filed["request"]["trackingCode"].as_str(), filed["secret"].as_str()) {
        return Ok(Some((code.to_owned(), secret.to_owned())));
    }
    ensure!(error_codes(&answer) == ["UNAVAILABLE"], "key {key}: {answer}");
    Ok(None)
}

/// One client: a new key after each answer, the same key again after each failure, until told to stop.
async fn client(number: usize, shared: Arc<Shared>, http: reqwest::Client) -> Result<Vec<Filed>> {
    let mut filed = Vec::new();
    while !shared.stop.load(Ordering::SeqCst) {
        let key = format!("crash-{number:02}-{:04}-{}", filed.len(), uuid::Uuid::now_v7().simple());
        let mut unanswered = 0;
        loop {
            ensure!(Instant::now() < shared.deadline, "client {number}: {key} still unanswered at the deadline");
            match submit(&http, &shared.url(), &key).await? {
                Some((code, secret)) => {
                    filed.push(Filed { key, code, secret, unanswered });
                    shared.answered.fetch_add(1, Ordering::SeqCst);
                    break;
                }
                None => {
                    unanswered += 1;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        }
    }
    Ok(filed)
}

/// Waits until the clients got `more` answers beyond `from`.
async fn answers(shared: &Shared, from: usize, more: usize, serving: &Serving) -> Result<usize> {
    let started = Instant::now();
    loop {
        let now = shared.answered.load(Ordering::SeqCst);
        if now >= from + more {
            return Ok(now);
        }
        if started.elapsed() > Duration::from_secs(20) {
            bail!("{} answers in 20 s after a start; the server's last lines:\n{}", now - from, serving.log());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn graphql(
    http: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> Result<Value> {
    let mut request = http.post(format!("{url}/graphql")).json(&json!({ "query": query, "variables": variables }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let answer: Value = request.send().await?.json().await?;
    ensure!(answer.get("errors").is_none(), "{answer}");
    Ok(answer["data"].clone())
}

async fn count(http: &reqwest::Client, serving: &Serving) -> Result<usize> {
    let data = graphql(http, &serving.url, Some(&serving.staff), COUNT, json!({})).await?;
    let count = data["requests"]["totalCount"].as_u64().context("no count")?;
    Ok(usize::try_from(count)?)
}

async fn killed_mid_flight_loses_nothing_files_nothing_twice(backend: Backend) -> Result<()> {
    let began = Instant::now();
    let data = Data::new(backend).await?;
    let outcome = tokio::time::timeout(WHOLE, scenario(&data)).await;
    eprintln!("faults: {backend:?}: {:?} in all", began.elapsed());
    outcome.context("the scenario took longer than its bound")?
}

async fn scenario(data: &Data) -> Result<()> {
    let http =
        reqwest::Client::builder().timeout(Duration::from_secs(10)).connect_timeout(Duration::from_secs(1)).build()?;
    let mut serving = Serving::start(data, None).await?;
    let before = count(&http, &serving).await?;

    let shared = Arc::new(Shared {
        url: RwLock::new(serving.url.clone()),
        stop: AtomicBool::new(false),
        answered: AtomicUsize::new(0),
        deadline: Instant::now() + WHOLE,
    });
    let clients: Vec<_> =
        (0..CLIENTS).map(|number| tokio::spawn(client(number, shared.clone(), http.clone()))).collect();
    let mut answered = 0;
    for round in 0..ROUNDS {
        answered = answers(&shared, answered, ANSWERS_PER_ROUND, &serving).await?;
        // Not always at the same point of a call.
        tokio::time::sleep(Duration::from_millis(7 + 31 * round as u64)).await;
        let staff = serving.staff.clone();
        serving.kill().await?;
        serving = Serving::start(data, Some(&staff)).await?;
        if let Ok(mut url) = shared.url.write() {
            url.clone_from(&serving.url);
        }
    }
    answers(&shared, answered, ANSWERS_PER_ROUND, &serving).await?;
    shared.stop.store(true, Ordering::SeqCst);
    let mut filed = Vec::new();
    for client in clients {
        filed.extend(client.await??);
    }

    // Each key filed one request: as many new requests as keys, each under its own tracking code.
    let codes: BTreeSet<&str> = filed.iter().map(|f| f.code.as_str()).collect();
    ensure!(codes.len() == filed.len(), "two keys were answered with one tracking code");
    let after = count(&http, &serving).await?;
    ensure!(after == before + filed.len(), "{} keys filed {} requests", filed.len(), after - before);
    // Every answered submission is there, with its secret.
    for chunk in filed.chunks(16) {
        let found = futures_util::future::join_all(
            chunk
                .iter()
                .map(|f| graphql(&http, &serving.url, None, TRACK, json!({ "code": f.code, "secret": f.secret }))),
        )
        .await;
        for (f, found) in chunk.iter().zip(found) {
            let found = found?;
            ensure!(found["trackRequest"]["trackingCode"] == f.code.as_str(), "{} not found: {found}", f.code);
        }
    }
    // A key that went unanswered is answered again as it was, after the kills.
    let retried: Vec<&Filed> = filed.iter().filter(|f| f.unanswered > 0).collect();
    ensure!(retried.len() >= ROUNDS, "only {} keys went unanswered across {ROUNDS} kills", retried.len());
    for f in &retried {
        let again = submit(&http, &serving.url, &f.key).await?;
        ensure!(again.as_ref() == Some(&(f.code.clone(), f.secret.clone())), "{}: {again:?}, first {f:?}", f.key);
    }
    ensure!(count(&http, &serving).await? == after, "a key sent again filed again");
    eprintln!(
        "faults: {} submissions by {CLIENTS} clients across {ROUNDS} kills, {} answered after a failed call",
        filed.len(),
        retried.len()
    );

    // The audit chains hold, on the data the kills left.
    serving.kill().await?;
    let verify = tokio::time::timeout(START, data.jamaa().args(["audit", "verify"]).output())
        .await
        .context("jamaa audit verify took too long")??;
    let report = String::from_utf8_lossy(&verify.stdout);
    ensure!(verify.status.success(), "{report}\n{}", String::from_utf8_lossy(&verify.stderr));
    ensure!(report.lines().any(|line| line.starts_with("ok") && line.contains("oujda:")), "{report}");
    Ok(())
}

/// The server stopped dead between a call's commit and the record of its answer (the fault point
/// `JAMAA_TEST_FAULT=exit-before-answer`, which aborts the process there), for a commune's call (a webhook
/// endpoint of Oujda, by its staff) and for an operator's call naming no commune (`onboardCommune`). Started
/// again without the fault, each call sent again with its key: IDEMPOTENCY_KEY_DONE (the work was done, its
/// answer lost), one record each, and the same after the 180 s a pending claim is held would have passed (the
/// key's work is marked done in the use case's own transaction, so the key is kept its whole time).
async fn stopped_between_commit_and_answer_creates_nothing_twice(backend: Backend) -> Result<()> {
    let data = Data::new(backend).await?;
    let outcome = tokio::time::timeout(Duration::from_secs(120), cut_calls(&data)).await;
    outcome.context("the scenario took longer than its bound")?
}

const ENDPOINT: &str = r#"
mutation($key: String) {
  createWebhookEndpoint(commune: "oujda", input: { url: "https://hooks.example.ma/cut" }, idempotencyKey: $key) {
    endpoint { id url } secret } }"#;
const ENDPOINTS: &str = r#"query { webhookEndpoints(commune: "oujda") { nodes { url } } }"#;
const ONBOARD: &str = r#"
mutation($key: String) {
  onboardCommune(idempotencyKey: $key, input: { from: "oujda@1", slug: "berkane", nameAr: "بركان", nameFr: "Berkane",
                                                trackingPrefix: "BRK" }) { id slug } }"#;
const COMMUNE: &str = r#"query { commune(slug: "berkane") { slug } }"#;

/// Sends `document` with `key` and gives the whole answer; `None` when the call got no answer (the server
/// stopped during it).
async fn keyed(http: &reqwest::Client, url: &str, token: &str, document: &str, key: &str) -> Result<Option<Value>> {
    let body = json!({ "query": document, "variables": { "key": key } });
    let sent = http.post(format!("{url}/graphql")).bearer_auth(token).json(&body).send().await;
    let Ok(response) = sent else { return Ok(None) };
    Ok(response.json::<Value>().await.ok())
}

async fn cut_calls(data: &Data) -> Result<()> {
    let http =
        reqwest::Client::builder().timeout(Duration::from_secs(20)).connect_timeout(Duration::from_secs(1)).build()?;
    let first = Serving::start(data, None).await?;
    let (staff, operator) = (first.staff.clone(), first.operator.clone());
    ensure!(operator.starts_with("jm_"), "no operator token printed");
    let endpoints = |serving: &Serving| {
        let (http, url, staff) = (http.clone(), serving.url.clone(), staff.clone());
        async move {
            let data = graphql(&http, &url, Some(&staff), ENDPOINTS, json!({})).await?;
            let nodes = data["webhookEndpoints"]["nodes"].as_array().context("no endpoints")?.clone();
            Ok::<_, anyhow::Error>(nodes.iter().filter(|n| n["url"] == "https://hooks.example.ma/cut").count())
        }
    };
    ensure!(endpoints(&first).await? == 0);
    first.kill().await?;
    let fault = [("JAMAA_TEST_FAULT", "exit-before-answer")];

    // Each call cut after its commit: no answer, and the process gone.
    let endpoint_key = format!("cut-endpoint-{}", uuid::Uuid::now_v7().simple());
    let platform_key = format!("cut-onboard-{}", uuid::Uuid::now_v7().simple());
    for (token, document, key) in [(&staff, ENDPOINT, &endpoint_key), (&operator, ONBOARD, &platform_key)] {
        let mut cut = Serving::start_with(data, Some((&staff, &operator)), &fault).await?;
        let answer = keyed(&http, &cut.url, token, document, key).await?;
        ensure!(answer.is_none(), "the call was answered: {answer:?}");
        let exited = tokio::time::timeout(Duration::from_secs(10), cut.child.wait()).await;
        ensure!(matches!(exited, Ok(Ok(status)) if !status.success()), "the server did not stop: {exited:?}");
    }

    // Started again: each key says its work was done, and nothing is created twice.
    let serving = Serving::start_with(data, Some((&staff, &operator)), &[]).await?;
    for _ in 0..2 {
        let again = keyed(&http, &serving.url, &staff, ENDPOINT, &endpoint_key).await?.context("no answer")?;
        ensure!(error_codes(&again) == ["IDEMPOTENCY_KEY_DONE"], "{again}");
        let again = keyed(&http, &serving.url, &operator, ONBOARD, &platform_key).await?.context("no answer")?;
        ensure!(error_codes(&again) == ["IDEMPOTENCY_KEY_DONE"], "{again}");
    }
    ensure!(endpoints(&serving).await? == 1, "the endpoint is not there once");
    let berkane = graphql(&http, &serving.url, None, COMMUNE, json!({})).await?;
    ensure!(berkane["commune"]["slug"] == "berkane", "{berkane}");

    // Past the time a pending claim is held, the keys still hold: the server's wall clock moved 200 s on by
    // Debian's libfaketime (scripts/install-test-deps).
    serving.kill().await?;
    let library = ["x86_64-linux-gnu", "aarch64-linux-gnu"]
        .iter()
        .map(|dir| format!("/usr/lib/{dir}/faketime/libfaketime.so.1"))
        .find(|path| std::path::Path::new(path).exists())
        .context("libfaketime is missing: run scripts/install-test-deps (Debian's faketime)")?;
    let later = [("LD_PRELOAD", library.as_str()), ("FAKETIME", "+200s"), ("FAKETIME_DONT_FAKE_MONOTONIC", "1")];
    let serving = Serving::start_with(data, Some((&staff, &operator)), &later).await?;
    let again = keyed(&http, &serving.url, &staff, ENDPOINT, &endpoint_key).await?.context("no answer")?;
    ensure!(error_codes(&again) == ["IDEMPOTENCY_KEY_DONE"], "{again}");
    ensure!(endpoints(&serving).await? == 1, "a retry created a second endpoint");
    serving.kill().await
}
