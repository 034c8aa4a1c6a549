//! A commune moved between deployments and backends (`jamaa commune export|import`, run as the command line
//! runs them): a commune with requests, an uploaded file, a complaint, a civil act and their audit events is
//! exported from one backend and imported into the other (SQLite → PostgreSQL, and the reverse), where its chain
//! verifies and it serves its applicants and staff over HTTP, sealed data and blind indexes included. A wrong
//! key, a changed archive, another schema version and a commune already there are refused, writing nothing.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, ensure};
use clap::Parser as _;
use jamaa_tests::app::{Backend, TestApp};
use reqwest::multipart::{Form, Part};
use secrecy::ExposeSecret as _;
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(a_commune_moves_to_the_other_backend_whole);

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const CIN: &str = "AB123456";
const CHILD: &str = "Yasmine";
const COMPLAINT: &str = "Lampadaire en panne devant le marche couvert";

const ONBOARD: &str = "mutation($input: OnboardCommuneInput!) { onboardCommune(input: $input) { slug } }";
const CREATE_TOKEN: &str = "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }";
const SUBMIT: &str = "mutation($input: SubmitRequestInput!) { submitRequest(commune: \"berkane\", input: $input) {
    secret request { id trackingCode }
} }";
const ACT: &str = "mutation($id: ID!, $a: String!, $v: Int!) {
    actOnRequest(commune: \"berkane\", id: $id, action: $a, expectedVersion: $v) { state version }
}";
const REGISTER: &str = "mutation($i: RegisterCivilActInput!) { registerCivilAct(commune: \"berkane\", input: $i) {
    id number
} }";
const TRACK: &str = "query($code: String!, $secret: String!) {
    trackRequest(trackingCode: $code, secret: $secret, locale: \"fr\") { trackingCode state history { action } }
}";
const CATALOG: &str = "{ services(commune: \"berkane\", first: 100) { totalCount nodes { code } } }";
const INBOX: &str = "{ requests(commune: \"berkane\", first: 50) { totalCount nodes { id trackingCode } } }";
const REQUEST: &str = "query($id: ID!) { request(commune: \"berkane\", id: $id) {
    state data documents { code fileId sha256 }
} }";
const FIND: &str = "query($v: String!) { findRequests(commune: \"berkane\", field: CIN, value: $v, first: 10) {
    totalCount nodes { trackingCode }
} }";
const CIVIL_ACT: &str = "query($id: ID!) { civilAct(commune: \"berkane\", id: $id) { number subject { givenLatin } } }";
const AUDIT: &str = "{ auditVerify(commune: \"berkane\") { valid eventsChecked } }";

const ROLES: [&str; 7] = [
    "counter_agent",
    "head_of_service",
    "civil_registrar",
    "information_officer",
    "council_secretary",
    "president",
    "commune_admin",
];

/// A staff token of Berkane with every role, issued by the deployment's operator.
async fn staff(app: &TestApp) -> Result<String> {
    let input = json!({ "kind": "STAFF", "communes": ["berkane"], "roles": ROLES, "label": "berkane" });
    let data = app.data(Some(&app.operator), CREATE_TOKEN, json!({ "i": input })).await?;
    data["createApiToken"]["token"].as_str().map(str::to_owned).context("no token")
}

/// The settings file of a command line run against `app`'s database, with its master key.
fn config(app: &TestApp) -> Result<PathBuf> {
    let (url, admin) = match &app.pg {
        Some((_, database)) => (database.app_url.clone(), Some(database.owner_url.clone())),
        None => (jamaa_graphql::settings::sqlite_url(app.dir.path()), None),
    };
    let mut toml = format!(
        "database_url = {url:?}\nmaster_key = {:?}\ndata_dir = {:?}\n",
        app.master_key.expose_secret(),
        app.dir.path().display().to_string()
    );
    if let Some(admin) = admin {
        toml.push_str(&format!("admin_database_url = {admin:?}\napp_role = \"jamaa_app\"\n"));
    }
    let path = app.dir.path().join("cli.toml");
    std::fs::write(&path, toml)?;
    Ok(path)
}

/// Runs `jamaa --config <app's> ARGS…` in this process, as the binary would.
async fn jamaa(app: &TestApp, args: &[&str]) -> Result<()> {
    let config = config(app)?;
    let mut argv = vec!["jamaa".to_owned(), "--config".to_owned(), config.display().to_string()];
    argv.extend(args.iter().map(|a| (*a).to_owned()));
    jamaa_graphql::cli::run(jamaa_graphql::cli::Cli::try_parse_from(argv)?).await
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

/// Fills Berkane with what a commune holds: requests (one acted on), an uploaded file, a complaint and a civil
/// act. Returns the legalisation's tracking code and secret, and the civil act's id.
async fn fill(app: &TestApp, staff: &str) -> Result<(String, String, String)> {
    let submission = json!({
        "commune": "berkane",
        "serviceCode": "legalisation-signature",
        "data": { "signatory_name": "Salma Bennani", "cin": CIN, "phone": "0612345678",
                  "document_title": "Procuration", "copies": 1 }
    });
    let form = Form::new()
        .text("submission", submission.to_string())
        .part("document_to_sign", Part::bytes(PDF.to_vec()).file_name("procuration.pdf"));
    let response = app.client.post(app.url("/submissions")).multipart(form).send().await?;
    ensure!(response.status() == 200, "the submission failed: {}", response.text().await?);
    let body: Value = response.json().await?;
    let id = body["id"].as_str().context("no id")?.to_owned();
    let code = body["trackingCode"].as_str().context("no tracking code")?.to_owned();
    let secret = body["secret"].as_str().context("no secret")?.to_owned();
    app.data(Some(staff), ACT, json!({ "id": id, "a": "certify", "v": 1 })).await?;

    let complaint = json!({ "serviceCode": "reclamation", "data": {
        "subject": "lighting", "description": COMPLAINT, "location": { "address": "Bd Mohammed V" }
    } });
    app.data(None, SUBMIT, json!({ "input": complaint })).await?;

    let name = |given_ar: &str, family_ar: &str, given: &str, family: &str| json!({ "givenAr": given_ar, "familyAr": family_ar, "givenLatin": given, "familyLatin": family });
    let birth = json!({
        "kind": "BIRTH",
        "office": "BRK-1",
        "sex": "FEMALE",
        "event": { "date": "2026-01-02", "time": "06:40", "place": "Hôpital Ad-Dourrate, Berkane" },
        "judgmentReference": "Jugement n° 12/2026 du TPI de Berkane",
        "subject": name("ياسمين", "العلوي", CHILD, "Alaoui"),
        "father": {
            "name": name("كريم", "العلوي", "Karim", "Alaoui"),
            "nationality": "marocaine", "birthDate": "1985", "birthPlace": "Oujda", "nationalId": "F 402918"
        },
        "mother": { "name": name("ليلى", "الإدريسي", "Leila", "Idrissi"), "nationality": "marocaine", "birthDate": "1990" },
        "declarant": { "name": name("كريم", "العلوي", "Karim", "Alaoui"), "relation": "father" }
    });
    let act = app.data(Some(staff), REGISTER, json!({ "i": birth })).await?;
    let act = act["registerCivilAct"]["id"].as_str().context("no act")?.to_owned();
    Ok((code, secret, act))
}

/// The error of a command line run, spelled out.
async fn refused(app: &TestApp, args: Vec<String>) -> Result<String> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match jamaa(app, &args).await {
        Ok(()) => anyhow::bail!("`{}` was not refused", args.join(" ")),
        Err(error) => Ok(format!("{error:#}")),
    }
}

async fn communes(app: &TestApp) -> Result<Value> {
    let data = app.data(None, "{ communes(first: 100) { edges { node { slug } } } }", json!({})).await?;
    Ok(data["communes"]["edges"].clone())
}

async fn a_commune_moves_to_the_other_backend_whole(source: Backend) -> Result<()> {
    let target_backend = match source {
        Backend::Sqlite => Backend::Postgres,
        Backend::Postgres => Backend::Sqlite,
    };
    let from = TestApp::spawn(source).await?;
    let to = TestApp::spawn(target_backend).await?;
    let identity = json!({ "slug": "berkane", "nameFr": "Berkane", "nameAr": "بركان", "trackingPrefix": "BRK",
                           "from": "ma-commune@1" });
    from.data(Some(&from.operator), ONBOARD, json!({ "input": identity })).await?;
    let from_staff = staff(&from).await?;
    let (code, secret, act) = fill(&from, &from_staff).await?;
    let before = from.data(Some(&from_staff), AUDIT, json!({})).await?;
    assert_eq!(before["auditVerify"]["valid"], true);
    let events = before["auditVerify"]["eventsChecked"].as_i64().context("no count")?;
    let catalog = from.data(None, CATALOG, json!({})).await?["services"]["totalCount"].clone();

    let work = tempfile::tempdir()?;
    let key = work.path().join("archive.key");
    std::fs::write(&key, jamaa_core::crypto::Keyring::generate_master_key().expose_secret())?;
    let archive = work.path().join("berkane.tar");
    jamaa(&from, &["commune", "export", "--commune", "berkane", "--out", &path(&archive), "--key-file", &path(&key)])
        .await?;
    // The export is an event of the commune's chain.
    let after = from.data(Some(&from_staff), AUDIT, json!({})).await?;
    assert_eq!(after["auditVerify"], json!({ "valid": true, "eventsChecked": events + 1 }));
    let bytes = std::fs::read(&archive)?;
    for plain in [CIN, CHILD, "Salma Bennani"] {
        ensure!(!bytes.windows(plain.len()).any(|w| w == plain.as_bytes()), "{plain} is in the archive in clear");
    }
    let import = |file: &Path, key: &Path| {
        vec![
            "commune".to_owned(),
            "import".to_owned(),
            "--in".to_owned(),
            path(file),
            "--key-file".to_owned(),
            path(key),
        ]
    };
    let listed = communes(&to).await?;

    // Another key: refused.
    let wrong = work.path().join("wrong.key");
    std::fs::write(&wrong, jamaa_core::crypto::Keyring::generate_master_key().expose_secret())?;
    let error = refused(&to, import(&archive, &wrong)).await?;
    ensure!(error.contains("key INVALID_VALUE: This key does not open this archive"), "{error}");
    // One letter of the complaint changed: its part no longer matches the manifest.
    let at = bytes.windows(COMPLAINT.len()).position(|w| w == COMPLAINT.as_bytes()).context("no complaint")?;
    let mut changed = bytes.clone();
    changed[at] = b'l';
    let tampered = work.path().join("tampered.tar");
    std::fs::write(&tampered, &changed)?;
    let error = refused(&to, import(&tampered, &key)).await?;
    ensure!(error.contains("archive.tables/requests.json INVALID_VALUE"), "{error}");
    // Made at another schema version: the manifest changes, and so does its HMAC (made here with the key, as the
    // other deployment would have): refused for the version.
    let other = rewrite_manifest(&bytes, &key, |manifest| manifest["schemaVersion"] = json!("m0001_initial"))?;
    let older = work.path().join("older.tar");
    std::fs::write(&older, other)?;
    let error = refused(&to, import(&older, &key)).await?;
    ensure!(
        error.contains("archive.schemaVersion INVALID_VALUE: This archive was made at schema version m0001_initial")
    );
    // A manifest changed without the key: refused.
    let forged = rewrite_manifest(&bytes, &wrong, |manifest| manifest["parts"][0]["rows"] = json!(2))?;
    let forged_path = work.path().join("forged.tar");
    std::fs::write(&forged_path, forged)?;
    let error = refused(&to, import(&forged_path, &key)).await?;
    ensure!(error.contains("archive.manifest INVALID_VALUE"), "{error}");
    // Under a slug the target holds: refused, and its Oujda stays as it was.
    let mut as_oujda = import(&archive, &key);
    as_oujda.extend(["--as".to_owned(), "oujda".to_owned()]);
    let error = refused(&to, as_oujda).await?;
    ensure!(error.contains("commune.slug INVALID_VALUE: A commune `oujda` exists here"), "{error}");
    assert_eq!(communes(&to).await?, listed, "a refused import writes nothing");

    // Imported.
    let args = import(&archive, &key);
    jamaa(&to, &args.iter().map(String::as_str).collect::<Vec<_>>()).await?;
    // Twice: refused, it is there.
    let error = refused(&to, import(&archive, &key)).await?;
    ensure!(error.contains("commune.id INVALID_VALUE") && error.contains("commune.slug INVALID_VALUE"), "{error}");

    // Its chain verifies, with the import as its last event, on the command line and over the API.
    jamaa(&to, &["audit", "verify", "--commune", "berkane"]).await?;
    let to_staff = staff(&to).await?;
    let report = to.data(Some(&to_staff), AUDIT, json!({})).await?;
    // The export, the import and the token issued here.
    assert_eq!(report["auditVerify"], json!({ "valid": true, "eventsChecked": events + 3 }));

    // The applicant tracks the request with its secret.
    let tracked = to.data(None, TRACK, json!({ "code": code, "secret": secret })).await?;
    assert_eq!(tracked["trackRequest"]["trackingCode"], code);
    assert_eq!(tracked["trackRequest"]["state"], "certified");
    // The catalog is the same.
    assert_eq!(to.data(None, CATALOG, json!({})).await?["services"]["totalCount"], catalog);
    // The staff's inbox holds both requests; sealed data opens under the new master key; blind indexes find.
    let inbox = to.data(Some(&to_staff), INBOX, json!({})).await?;
    assert_eq!(inbox["requests"]["totalCount"], 2, "{inbox}");
    let found = to.data(Some(&to_staff), FIND, json!({ "v": CIN })).await?;
    assert_eq!(found["findRequests"]["nodes"], json!([{ "trackingCode": code }]));
    let id = inbox["requests"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|node| node["trackingCode"] == code.as_str())
        .and_then(|node| node["id"].as_str())
        .context("the request is not in the inbox")?
        .to_owned();
    let request = to.data(Some(&to_staff), REQUEST, json!({ "id": id })).await?;
    assert_eq!(request["request"]["data"]["cin"], CIN, "{request}");
    let file = request["request"]["documents"][0]["fileId"].as_str().context("no file id")?;
    let download = to.client.get(to.url(&format!("/files/berkane/{id}/{file}"))).bearer_auth(&to_staff).send().await?;
    assert_eq!(download.status(), 200);
    assert_eq!(download.bytes().await?.as_ref(), PDF);
    let act = to.data(Some(&to_staff), CIVIL_ACT, json!({ "id": act })).await?;
    assert_eq!(act["civilAct"]["subject"]["givenLatin"], CHILD);
    // The new commune works as any: a new submission is numbered after the imported ones.
    let complaint = json!({ "serviceCode": "reclamation", "data": {
        "subject": "lighting", "description": "Trottoir défoncé devant l'école primaire", "location": { "address": "Rue 12" }
    } });
    let next = to.data(None, SUBMIT, json!({ "input": complaint })).await?;
    let next_code = next["submitRequest"]["request"]["trackingCode"].as_str().unwrap_or_default();
    ensure!(next_code.starts_with("BRK-") && next_code.ends_with("000003"), "{next_code}");
    Ok(())
}

/// The archive with its manifest changed by `change` and signed again under `key` (as `service::portable` signs
/// it: HMAC-SHA256 under a key derived from the archive key).
fn rewrite_manifest(archive: &[u8], key: &Path, change: impl FnOnce(&mut Value)) -> Result<Vec<u8>> {
    use hmac::Mac as _;
    use std::io::Read as _;
    let key = jamaa_core::crypto::parse_key(&secrecy::SecretString::from(std::fs::read_to_string(key)?))?;
    let mut mac_key = [0u8; 32];
    hkdf::Hkdf::<sha2::Sha256>::new(None, key.expose_secret())
        .expand(b"jamaa archive manifest v1", &mut mac_key)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut files = Vec::new();
    for entry in tar::Archive::new(archive).entries()? {
        let mut entry = entry?;
        let name = entry.path()?.display().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes)?;
        files.push((name, bytes));
    }
    let (_, manifest) = files.iter().find(|(n, _)| n == "manifest.json").context("no manifest")?;
    let mut manifest: Value = serde_json::from_slice(manifest)?;
    change(&mut manifest);
    let manifest = serde_json::to_vec_pretty(&manifest)?;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&mac_key)?;
    mac.update(&manifest);
    let signature = hex::encode(mac.finalize().into_bytes());
    let mut builder = tar::Builder::new(Vec::new());
    for (name, bytes) in files {
        let bytes = match name.as_str() {
            "manifest.json" => manifest.clone(),
            "manifest.hmac" => signature.clone().into_bytes(),
            _ => bytes,
        };
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o600);
        header.set_cksum();
        builder.append_data(&mut header, name, bytes.as_slice())?;
    }
    Ok(builder.into_inner()?)
}
