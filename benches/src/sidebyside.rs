//! Jamaa beside PostGraphile v4, driven by the same external load tool.
//!
//! One PostgreSQL server (started as the tests do) holds Jamaa's database and a second database with the same
//! catalog for PostGraphile (a `services` table under row-level security, the tenant set per transaction from
//! the `X-Commune` header). Jamaa runs twice, on that PostgreSQL and on a SQLite file, each with the demo;
//! PostGraphile runs in library mode under Node (`benches/postgraphile`). `wrk` (16 connections) drives every
//! target in turn, the order rotating from round to round so that the machine's other work hits all alike; every
//! response is checked for a 200 status and for GraphQL `errors`. Beside the HTTP figures, a raw loop of the
//! same statements a submission and a tracking run (sqlx, no Jamaa code) gives the database's own transaction
//! rate for the same rows.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context as _, Result, bail};
use serde_json::{Value, json};
use tokio::process::{Child, Command};

use crate::drive::{Http, Seed};
use crate::machine::Machine;
use crate::server::{Server, seed_requests};
use crate::{Backend, COMMUNE, Config};

/// What to run.
#[derive(Clone, Debug)]
pub struct SideBySide {
    /// wrk's connections.
    pub connections: usize,
    /// wrk's threads.
    pub threads: usize,
    /// Seconds of each target in each round.
    pub seconds: u64,
    /// Rounds (each runs every target once, in a rotated order).
    pub rounds: usize,
    /// Requests submitted before tracking, per Jamaa server.
    pub requests: usize,
}

impl Default for SideBySide {
    fn default() -> Self {
        Self { connections: 16, threads: 2, seconds: 5, rounds: 3, requests: 200 }
    }
}

/// The query of the catalog, for Jamaa: the first 10 services of one commune with code, name in French,
/// category and fees.
const JAMAA_CATALOG: &str = r#"{ services(commune: "oujda", locale: "fr", first: 10) { edges { node { code name category fees { amountMinor currency } } } } }"#;

/// The same for PostGraphile, over the same rows.
const POSTGRAPHILE_CATALOG: &str =
    r#"{ allServices(first: 10, orderBy: CODE_ASC) { nodes { code localizedName(locale: "fr") category fees } } }"#;

const TRACK: &str = r#"query($code: String!, $secret: String!) { trackRequest(trackingCode: $code, secret: $secret, locale: "fr") { trackingCode state stateLabel decisionDue history { action toState } availableActions { key } } }"#;

const SUBMIT: &str = r#"mutation($input: SubmitRequestInput!) { submitRequest(commune: "oujda", input: $input, locale: "fr") { secret request { trackingCode state decisionDue } } }"#;

/// One measured target.
#[derive(Clone, Debug)]
struct Target {
    /// `catalog`, `trackRequest`, `submitRequest`.
    scenario: &'static str,
    /// `PostGraphile (PostgreSQL)`, `Jamaa (PostgreSQL)`, `Jamaa (SQLite)`.
    system: &'static str,
    url: String,
    script: PathBuf,
}

/// What wrk measured of one target in one round.
#[derive(Clone, Copy, Debug, Default)]
struct Round {
    requests: u64,
    duration_us: u64,
    p50_us: u64,
    p99_us: u64,
    graphql_errors: u64,
    bad_status: u64,
    socket_errors: u64,
}

/// A line of the table.
#[derive(Clone, Debug)]
pub struct Line {
    pub scenario: &'static str,
    pub system: &'static str,
    pub rate: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub errors: u64,
}

/// The database's own transaction rate for the rows of one use case.
#[derive(Clone, Debug)]
pub struct RawLine {
    pub scenario: &'static str,
    pub backend: &'static str,
    pub rate: f64,
}

/// Everything one run measured.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub machine: Machine,
    pub load_after: Option<String>,
    pub options: SideBySide,
    pub lines: Vec<Line>,
    pub raw: Vec<RawLine>,
    pub first_error: Option<String>,
}

/// Runs the whole comparison and stops everything it started, also on failure.
pub async fn run(options: &SideBySide) -> Result<Comparison> {
    if options.rounds == 0 || options.seconds == 0 || options.connections == 0 {
        bail!("rounds, seconds and connections must be positive");
    }
    let wrk = ensure_wrk().await?;
    let node_dir = ensure_postgraphile().await?;
    let machine = Machine::probe();
    let config = Config { max_connections: 16, ..Config::default() };

    let mut pg = Server::start(&Config { backend: Backend::Postgres, ..config.clone() }).await?;
    let mut sqlite = Server::start(&Config { backend: Backend::Sqlite, ..config.clone() }).await?;
    eprintln!("Jamaa on PostgreSQL at http://{}, on SQLite at http://{}", pg.address, sqlite.address);

    let pg_http = Http::new(&pg, 16)?;
    let sqlite_http = Http::new(&sqlite, 16)?;
    let communes = [COMMUNE.to_owned()];
    let pg_seeds = seed_requests(&pg_http, &communes, options.requests, 16).await?;
    let sqlite_seeds = seed_requests(&sqlite_http, &communes, options.requests, 16).await?;

    // The same catalog rows for PostGraphile, read from Jamaa's API.
    let catalog = read_catalogs(&pg_http).await?;
    let oujda = catalog.iter().find(|c| c.slug == COMMUNE).map(|c| c.id.clone()).context("no Oujda")?;
    let database = load_postgraphile_database(&pg, &catalog)?;
    let port = free_port()?;
    let mut postgraphile = start_postgraphile(&node_dir, &database, port).await?;

    let dir = tempfile::tempdir()?;
    let targets = vec![
        target(&dir, "catalog", "PostGraphile (PostgreSQL)", postgraphile_url(port), {
            static_script(&json!({ "query": POSTGRAPHILE_CATALOG }), Some(&oujda))
        })?,
        target(
            &dir,
            "catalog",
            "Jamaa (PostgreSQL)",
            graphql_url(&pg),
            static_script(&json!({ "query": JAMAA_CATALOG }), None),
        )?,
        target(
            &dir,
            "catalog",
            "Jamaa (SQLite)",
            graphql_url(&sqlite),
            static_script(&json!({ "query": JAMAA_CATALOG }), None),
        )?,
        target(&dir, "trackRequest", "Jamaa (PostgreSQL)", graphql_url(&pg), track_script(&pg_seeds)?)?,
        target(&dir, "trackRequest", "Jamaa (SQLite)", graphql_url(&sqlite), track_script(&sqlite_seeds)?)?,
        target(&dir, "submitRequest", "Jamaa (PostgreSQL)", graphql_url(&pg), submit_script(1))?,
        target(&dir, "submitRequest", "Jamaa (SQLite)", graphql_url(&sqlite), submit_script(2))?,
    ];

    // Each catalog answers the same ten services before anything is measured.
    let postgraphile_codes =
        codes(&postgraphile_url(port), Some(&oujda), POSTGRAPHILE_CATALOG, "/allServices/nodes").await?;
    for server in [&pg, &sqlite] {
        let jamaa_codes = codes(&graphql_url(server), None, JAMAA_CATALOG, "/services/edges").await?;
        if jamaa_codes != postgraphile_codes || jamaa_codes.len() != 10 {
            bail!("the catalogs differ: Jamaa {jamaa_codes:?}, PostGraphile {postgraphile_codes:?}");
        }
    }

    let measured = measure(&wrk, options, &targets).await;
    let raw = match &measured {
        Ok(_) => raw_rates(&pg, &sqlite, options).await,
        Err(_) => Ok(Vec::new()),
    };
    let load_after = Machine::probe().load_average;

    // Stop everything, whatever happened.
    let _ = postgraphile.kill().await;
    pg.stop_http().await?;
    sqlite.stop_http().await?;
    pg.shutdown().await?;
    sqlite.shutdown().await?;

    let (lines, first_error) = measured?;
    Ok(Comparison { machine, load_after, options: options.clone(), lines, raw: raw?, first_error })
}

fn postgraphile_url(port: u16) -> String {
    format!("http://127.0.0.1:{port}/graphql")
}

/// The service codes a catalog query answers (`list` points at the list of nodes or edges in `data`).
async fn codes(url: &str, commune: Option<&str>, query: &str, list: &str) -> Result<Vec<String>> {
    let client = reqwest::Client::builder().no_proxy().build()?;
    let mut request = client.post(url).json(&json!({ "query": query }));
    if let Some(commune) = commune {
        request = request.header("X-Commune", commune);
    }
    let body: Value = request.send().await?.json().await?;
    if body.get("errors").is_some() {
        bail!("{url}: {body}");
    }
    let items = body["data"].pointer(list).and_then(Value::as_array).with_context(|| format!("{url}: {body}"))?;
    Ok(items.iter().filter_map(|item| item.get("node").unwrap_or(item)["code"].as_str().map(str::to_owned)).collect())
}

fn graphql_url(server: &Server) -> String {
    format!("http://{}/graphql", server.address)
}

fn target(
    dir: &tempfile::TempDir,
    scenario: &'static str,
    system: &'static str,
    url: String,
    script: String,
) -> Result<Target> {
    let name = format!("{}-{}.lua", scenario, system.replace(|c: char| !c.is_ascii_alphanumeric(), "_"));
    let path = dir.path().join(name);
    std::fs::write(&path, script)?;
    Ok(Target { scenario, system, url, script: path })
}

/// Runs every target once per round, in an order rotated each round, and adds the rounds up.
async fn measure(wrk: &Path, options: &SideBySide, targets: &[Target]) -> Result<(Vec<Line>, Option<String>)> {
    let mut rounds: Vec<Vec<Round>> = vec![Vec::new(); targets.len()];
    let mut first_error = None;
    for round in 0..options.rounds {
        for k in 0..targets.len() {
            let index = (k + round) % targets.len();
            let Some(target) = targets.get(index) else { continue };
            let (measured, error) = run_wrk(wrk, options, target).await?;
            eprintln!(
                "round {} {} {}: {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms, errors {}",
                round + 1,
                target.scenario,
                target.system,
                rate(measured.requests, measured.duration_us),
                measured.p50_us as f64 / 1000.0,
                measured.p99_us as f64 / 1000.0,
                measured.graphql_errors + measured.bad_status + measured.socket_errors
            );
            if first_error.is_none() {
                first_error = error;
            }
            if let Some(list) = rounds.get_mut(index) {
                list.push(measured);
            }
        }
    }
    let lines = targets
        .iter()
        .zip(rounds)
        .map(|(target, rounds)| {
            let requests: u64 = rounds.iter().map(|r| r.requests).sum();
            let duration: u64 = rounds.iter().map(|r| r.duration_us).sum();
            let mut p50: Vec<u64> = rounds.iter().map(|r| r.p50_us).collect();
            p50.sort_unstable();
            Line {
                scenario: target.scenario,
                system: target.system,
                rate: rate(requests, duration),
                p50_ms: p50.get(p50.len() / 2).copied().unwrap_or(0) as f64 / 1000.0,
                p99_ms: rounds.iter().map(|r| r.p99_us).max().unwrap_or(0) as f64 / 1000.0,
                errors: rounds.iter().map(|r| r.graphql_errors + r.bad_status + r.socket_errors).sum(),
            }
        })
        .collect();
    Ok((lines, first_error))
}

fn rate(requests: u64, duration_us: u64) -> f64 {
    if duration_us == 0 { 0.0 } else { requests as f64 * 1_000_000.0 / duration_us as f64 }
}

async fn run_wrk(wrk: &Path, options: &SideBySide, target: &Target) -> Result<(Round, Option<String>)> {
    let output = Command::new(wrk)
        .arg(format!("-t{}", options.threads.min(options.connections)))
        .arg(format!("-c{}", options.connections))
        .arg(format!("-d{}s", options.seconds))
        .arg("--timeout")
        .arg("10s")
        .arg("-s")
        .arg(&target.script)
        .arg(&target.url)
        .kill_on_drop(true)
        .output()
        .await
        .with_context(|| format!("cannot run {}", wrk.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!(
            "wrk failed on {} {}: {}{}",
            target.scenario,
            target.system,
            stdout,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let line = stdout.lines().find_map(|l| l.strip_prefix("RESULT ")).context("wrk printed no result")?;
    let value: Value = serde_json::from_str(line).with_context(|| format!("wrk's result: {line}"))?;
    let number = |key: &str| value[key].as_u64().unwrap_or(0);
    let round = Round {
        requests: number("requests"),
        duration_us: number("duration_us"),
        p50_us: number("p50_us"),
        p99_us: number("p99_us"),
        graphql_errors: number("graphql_errors"),
        bad_status: number("bad_status"),
        socket_errors: number("socket_errors"),
    };
    let error = value["sample"]
        .as_str()
        .filter(|s| !s.is_empty())
        .map(|s| format!("{} {}: {s}", target.scenario, target.system));
    Ok((round, error))
}

/// The part of every script that checks each response and prints the totals as one JSON line.
const CHECKS: &str = r#"
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  graphql_errors = 0
  bad_status = 0
  sample = ""
end
function response(status, headers, body)
  if status ~= 200 then
    bad_status = bad_status + 1
    if sample == "" then sample = "HTTP " .. status .. " " .. string.sub(body, 1, 300) end
  elseif string.find(body, '"errors"', 1, true) then
    graphql_errors = graphql_errors + 1
    if sample == "" then sample = string.sub(body, 1, 300) end
  end
end
function done(summary, latency, requests)
  local g, b, s = 0, 0, ""
  for _, t in ipairs(threads) do
    g = g + t:get("graphql_errors")
    b = b + t:get("bad_status")
    local one = t:get("sample")
    if s == "" and one ~= nil then s = one end
  end
  local e = summary.errors
  s = string.gsub(s, '[%c"\\]', " ")
  io.write(string.format('RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"graphql_errors":%d,"bad_status":%d,"socket_errors":%d,"sample":"%s"}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), g, b,
    e.connect + e.read + e.write + e.timeout, s))
end
"#;

/// Lua's long bracket string of `text`, with a level of `=` it does not contain.
fn lua_string(text: &str) -> String {
    let mut level = String::new();
    while text.contains(&format!("]{level}]")) {
        level.push('=');
    }
    format!("[{level}[{text}]{level}]")
}

fn static_script(body: &Value, commune_id: Option<&str>) -> String {
    let mut script = String::from("wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n");
    if let Some(id) = commune_id {
        let _ = writeln!(script, "wrk.headers[\"X-Commune\"] = \"{id}\"");
    }
    let _ = writeln!(script, "wrk.body = {}", lua_string(&body.to_string()));
    script.push_str(CHECKS);
    script
}

/// Each request tracks a seeded request at random.
fn track_script(seeds: &[Seed]) -> Result<String> {
    let mut script =
        String::from("wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\nlocal bodies = {\n");
    for seed in seeds {
        let body = json!({ "query": TRACK, "variables": { "code": seed.code, "secret": seed.secret } });
        let _ = writeln!(script, "  {},", lua_string(&body.to_string()));
    }
    script.push_str("}\nfunction request()\n  return wrk.format(nil, nil, nil, bodies[math.random(#bodies)])\nend\n");
    script.push_str(CHECKS);
    Ok(script)
}

/// Each request submits a légalisation with another CNIE number.
fn submit_script(seed: u64) -> String {
    let input = json!({
        "serviceCode": "legalisation-signature",
        "data": {
            "signatory_name": "Fatima Zahra El Idrissi",
            "cin": "CIN_HERE",
            "phone": "0612345678",
            "document_title": "Contrat de bail",
            "copies": 2
        },
        "documents": [
            { "code": "document_to_sign", "fileName": "bail.pdf", "mediaType": "application/pdf", "sizeBytes": 120000 }
        ]
    });
    let body = json!({ "query": SUBMIT, "variables": { "input": input } }).to_string();
    let (before, after) = body.split_once("CIN_HERE").unwrap_or((&body, ""));
    format!(
        "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n\
         local before, after = {}, {}\nlocal n = 0\n\
         math.randomseed({seed} + os.time())\nlocal base = math.random(0, 900000)\n\
         function request()\n  n = n + 1\n  \
         return wrk.format(nil, nil, nil, before .. string.format(\"AB%06d\", (base + n) % 1000000) .. after)\nend\n{CHECKS}",
        lua_string(before),
        lua_string(after)
    )
}

/// A commune's services as PostGraphile gets them.
struct CatalogOf {
    id: String,
    slug: String,
    services: Vec<Value>,
}

const CATALOG_ROWS: &str = r#"query($commune: String!) { commune(slug: $commune) { id } services(commune: $commune, first: 100) { edges { node { code names { locale text } category fees { amountMinor currency } } } } }"#;

async fn read_catalogs(http: &Http) -> Result<Vec<CatalogOf>> {
    let communes = http.query(&json!({ "query": "{ communes(first: 100) { edges { node { slug } } } }" })).await?;
    let mut all = Vec::new();
    for edge in communes["communes"]["edges"].as_array().context("no communes")? {
        let slug = edge["node"]["slug"].as_str().context("no slug")?.to_owned();
        let data = http.query(&json!({ "query": CATALOG_ROWS, "variables": { "commune": slug } })).await?;
        // The API's node id names the language it answered in (`…@fr`): the commune's id is before the `@`.
        let node = data["commune"]["id"].as_str().context("no id")?;
        let id = node.split('@').next().unwrap_or(node).to_owned();
        let services =
            data["services"]["edges"].as_array().context("no services")?.iter().map(|e| e["node"].clone()).collect();
        all.push(CatalogOf { id, slug, services });
    }
    Ok(all)
}

/// Makes the database `postgraphile` on Jamaa's PostgreSQL server: the table `bench.services` under row-level
/// security (the same policy as Jamaa's), read by the same unprivileged role, with every commune's catalog.
fn load_postgraphile_database(server: &Server, catalog: &[CatalogOf]) -> Result<jamaa_tests::pg::PgDatabase> {
    let pg = server.pg().context("Jamaa's PostgreSQL")?;
    let database = pg.create_database("postgraphile")?;
    let app = jamaa_tests::pg::APP_ROLE;
    let mut sql = format!(
        "CREATE SCHEMA bench AUTHORIZATION jamaa_owner;\n\
         GRANT USAGE ON SCHEMA bench TO {app};\n\
         SET ROLE jamaa_owner;\n\
         CREATE TABLE bench.services (\n\
           tenant_id uuid NOT NULL,\n\
           code text NOT NULL,\n\
           name jsonb NOT NULL,\n\
           category text NOT NULL,\n\
           fees jsonb NOT NULL,\n\
           PRIMARY KEY (tenant_id, code)\n\
         );\n\
         COMMENT ON TABLE bench.services IS 'The current services of a commune.';\n\
         COMMENT ON COLUMN bench.services.tenant_id IS E'@omit';\n\
         ALTER TABLE bench.services ENABLE ROW LEVEL SECURITY;\n\
         CREATE POLICY tenant_isolation ON bench.services\n\
           USING (tenant_id = NULLIF(current_setting('jamaa.tenant_id', true), '')::uuid);\n\
         CREATE FUNCTION bench.services_localized_name(s bench.services, locale text) RETURNS text\n\
           LANGUAGE sql STABLE AS $$ SELECT coalesce(s.name ->> locale, s.name ->> 'fr', s.name ->> 'ar') $$;\n\
         GRANT SELECT ON bench.services TO {app};\n\
         GRANT EXECUTE ON FUNCTION bench.services_localized_name(bench.services, text) TO {app};\n"
    );
    for commune in catalog {
        for service in &commune.services {
            let names: serde_json::Map<String, Value> = service["names"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|n| Some((n["locale"].as_str()?.to_owned(), n["text"].clone())))
                .collect();
            let _ = writeln!(
                sql,
                "INSERT INTO bench.services VALUES ({}, {}, {}, {}, {});",
                literal(&commune.id),
                literal(service["code"].as_str().unwrap_or_default()),
                literal(&Value::Object(names).to_string()),
                literal(service["category"].as_str().unwrap_or_default()),
                literal(&service["fees"].to_string()),
            );
        }
    }
    pg.psql(&database.name, &sql)?;
    Ok(database)
}

/// An SQL string literal.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

async fn start_postgraphile(dir: &Path, database: &jamaa_tests::pg::PgDatabase, port: u16) -> Result<Child> {
    let mut child = Command::new("node")
        .current_dir(dir)
        .arg("server.js")
        .arg(&database.app_url)
        .arg("bench")
        .arg(port.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .context("cannot start node")?;
    let started = std::time::Instant::now();
    loop {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return Ok(child);
        }
        if let Some(status) = child.try_wait()? {
            bail!("PostGraphile stopped before listening: {status}");
        }
        if started.elapsed() > Duration::from_secs(60) {
            bail!("PostGraphile did not listen within 60 s");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The directory of the PostGraphile server, its packages installed from the lock file when missing.
async fn ensure_postgraphile() -> Result<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("postgraphile");
    if !dir.join("node_modules/postgraphile").is_dir() {
        eprintln!("installing PostGraphile (npm ci) in {}", dir.display());
        let status = Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir).status().await?;
        if !status.success() {
            bail!("npm ci failed in {}", dir.display());
        }
    }
    Ok(dir)
}

/// wrk from the PATH, installed from Debian when missing.
async fn ensure_wrk() -> Result<PathBuf> {
    if let Some(found) = find_on_path("wrk") {
        return Ok(found);
    }
    eprintln!("installing wrk (apt-get install wrk)");
    let status = Command::new("apt-get")
        .args(["install", "-y", "--no-install-recommends", "wrk"])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .await
        .context("cannot run apt-get")?;
    if !status.success() {
        bail!("apt-get install wrk failed; install wrk and run again");
    }
    find_on_path("wrk").context("wrk is still not on the PATH")
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// The database's own rate for the rows of a tracking and of a submission: see [`crate::raw`].
async fn raw_rates(pg: &Server, sqlite: &Server, options: &SideBySide) -> Result<Vec<RawLine>> {
    let duration = Duration::from_secs(options.seconds);
    let mut lines = Vec::new();
    for (server, backend) in [(pg, "PostgreSQL"), (sqlite, "SQLite")] {
        for scenario in [crate::raw::Scenario::Track, crate::raw::Scenario::Submit] {
            let rate = crate::raw::rate(server, scenario, options.connections, duration).await?;
            eprintln!("raw {} {backend}: {rate:.0} tx/s", scenario.name());
            lines.push(RawLine { scenario: scenario.name(), backend, rate });
        }
    }
    Ok(lines)
}

impl Comparison {
    pub fn errors(&self) -> u64 {
        self.lines.iter().map(|l| l.errors).sum()
    }

    fn line(&self, scenario: &str, system: &str) -> Option<&Line> {
        self.lines.iter().find(|l| l.scenario == scenario && l.system == system)
    }

    /// The table, in Markdown.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "- machine: {}", self.machine.describe());
        let _ = writeln!(
            out,
            "- load average (1, 5, 15 min) at start: {}; at end: {}",
            self.machine.load_average.as_deref().unwrap_or("?"),
            self.load_after.as_deref().unwrap_or("?")
        );
        let _ = writeln!(
            out,
            "- wrk, {} connections, {} threads; {} rounds of {} s per target, the order rotated each round; req/s over \
             all rounds, p50 the median of the rounds', p99 the worst round's",
            self.options.connections, self.options.threads, self.options.rounds, self.options.seconds
        );
        out.push('\n');
        let base = self.line("catalog", "PostGraphile (PostgreSQL)").map(|l| l.rate).filter(|r| *r > 0.0);
        let _ = writeln!(out, "| scenario | server | req/s | p50 ms | p99 ms | errors | × PostGraphile's catalog |");
        let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---:|");
        for line in &self.lines {
            let ratio = base.map(|b| format!("{:.2}", line.rate / b)).unwrap_or_default();
            let _ = writeln!(
                out,
                "| {} | {} | {:.0} | {:.2} | {:.2} | {} | {} |",
                line.scenario, line.system, line.rate, line.p50_ms, line.p99_ms, line.errors, ratio
            );
        }
        if !self.raw.is_empty() {
            out.push('\n');
            let _ = writeln!(out, "| the same rows, raw sqlx loop | database | tx/s | Jamaa's req/s ÷ raw |");
            let _ = writeln!(out, "|---|---|---:|---:|");
            for raw in &self.raw {
                let system = if raw.backend == "SQLite" { "Jamaa (SQLite)" } else { "Jamaa (PostgreSQL)" };
                let ratio = self
                    .line(raw.scenario, system)
                    .filter(|_| raw.rate > 0.0)
                    .map(|l| format!("{:.2}", l.rate / raw.rate))
                    .unwrap_or_default();
                let _ = writeln!(out, "| {} | {} | {:.0} | {} |", raw.scenario, raw.backend, raw.rate, ratio);
            }
        }
        out
    }
}
