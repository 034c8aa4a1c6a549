//! Personal data at rest, on SQLite and PostgreSQL: no submitted national id or name appears in the database
//! files or a dump; staff find a request by CIN through its blind index; only staff working the request (and
//! the applicant) read the personal fields, and each reading is in the audit trail; master keys rotate.

use anyhow::{Context as _, Result};
use jamaa_tests::app::{Backend, TestApp, error_codes};
use secrecy::SecretString;
use serde_json::json;

const CIN: &str = "ZK918273";
const NAME: &str = "Zineb Kettani-Lahlou";

const SUBMIT: &str = r#"mutation($i: SubmitRequestInput!) { submitRequest(commune: "oujda", input: $i) {
  secret request { id trackingCode data sealedFields } } }"#;
const READ: &str = "query($id: ID!) { request(commune: \"oujda\", id: $id) { data sealedFields } }";

async fn events(app: &TestApp) -> Result<i64> {
    let data =
        app.data(Some(&app.operator), "{ auditVerify(commune: \"oujda\") { eventsChecked } }", json!({})).await?;
    data["auditVerify"]["eventsChecked"].as_i64().context("no count")
}

async fn personal_data_is_sealed_found_and_read_by_the_right_people(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let input = json!({
        "serviceCode": "legalisation-signature",
        "data": { "signatory_name": NAME, "cin": "zk 918273", "phone": "0661 23 45 67", "document_title": "Acte de vente", "copies": 1 },
        "documents": [{ "code": "document_to_sign", "fileName": "vente.pdf", "mediaType": "application/pdf", "sizeBytes": 5000 }]
    });
    let submitted = app.data(None, SUBMIT, json!({ "i": input })).await?;
    let request = &submitted["submitRequest"]["request"];
    let id = request["id"].clone();
    assert_eq!(request["data"]["cin"], CIN, "the applicant sees what they submitted");

    // Nowhere in the database in clear.
    let bytes = app.database_bytes()?;
    assert!(bytes.contains("Acte de vente"), "the check reads the data it should: non-personal fields are there");
    for secret in [CIN, NAME, "+212661234567"] {
        assert!(!bytes.contains(secret), "`{secret}` is stored in clear");
    }

    // Staff who work legalisations read it, and the reading is recorded.
    let oujda = app.staff("oujda").to_owned();
    let before = events(&app).await?;
    let read = app.data(Some(&oujda), READ, json!({ "id": id })).await?;
    assert_eq!(read["request"]["data"]["cin"], CIN);
    assert_eq!(read["request"]["data"]["signatory_name"], NAME);
    assert_eq!(read["request"]["sealedFields"], json!([]));
    assert_eq!(events(&app).await?, before + 1, "one personal_data.read event");

    // A civil registrar does not work legalisations: the personal fields stay sealed, and nothing is read.
    let jamaa = app.jamaa().await?;
    let commune = jamaa.commune("oujda").await?;
    let registrar = jamaa
        .issue_token(
            jamaa_core::service::NewApiToken::Staff { tenant: commune.id, roles: vec!["civil_registrar".into()] },
            "registrar",
            None,
        )
        .await?;
    let registrar = secrecy::ExposeSecret::expose_secret(&registrar.token).to_owned();
    let sealed = app.data(Some(&registrar), READ, json!({ "id": id })).await?;
    assert!(sealed["request"]["data"].get("cin").is_none(), "{sealed}");
    assert_eq!(sealed["request"]["sealedFields"], json!(["signatory_name", "cin", "phone"]));
    assert_eq!(sealed["request"]["data"]["document_title"], "Acte de vente");
    assert_eq!(events(&app).await?, before + 1);

    // The applicant following the request's state opens nothing and writes nothing; asking for the data opens
    // the personal fields, and that reading is recorded.
    let code = request["trackingCode"].clone();
    let secret = submitted["submitRequest"]["secret"].clone();
    let state =
        "query($c: String!, $s: String!) { trackRequest(trackingCode: $c, secret: $s) { state history { action } } }";
    let tracked = app.data(None, state, json!({ "c": code, "s": secret })).await?;
    assert_eq!(tracked["trackRequest"]["state"], "submitted");
    assert_eq!(events(&app).await?, before + 1, "a tracking that reads no personal field recorded a reading");
    let data =
        "query($c: String!, $s: String!) { trackRequest(trackingCode: $c, secret: $s) { ... on Request { data } } }";
    let tracked = app.data(None, data, json!({ "c": code, "s": secret })).await?;
    assert_eq!(tracked["trackRequest"]["data"]["cin"], CIN);
    assert_eq!(events(&app).await?, before + 2, "the applicant's reading is not recorded");

    // Found by CIN as citizens write it, without opening anything; not from another commune.
    let find =
        "query($v: String!) { findRequests(commune: \"oujda\", field: CIN, value: $v) { nodes { id sealedFields } } }";
    let found = app.data(Some(&oujda), find, json!({ "v": " zk 918273" })).await?;
    assert_eq!(found["findRequests"]["nodes"].as_array().map(Vec::len), Some(1), "{found}");
    assert_eq!(found["findRequests"]["nodes"][0]["id"], id);
    let none = app.data(Some(&oujda), find, json!({ "v": "ZK918274" })).await?;
    assert_eq!(none["findRequests"]["nodes"], json!([]));
    let body = app.graphql(Some(app.staff("chefchaouen")), find, json!({ "v": CIN })).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"]);
    // The searchable fields are a closed set: any other is refused before anything runs.
    let other = "{ findRequests(commune: \"oujda\", field: signatory_name, value: \"x\") { totalCount } }";
    assert_eq!(error_codes(&app.graphql(Some(&oujda), other, json!({})).await?), ["GRAPHQL_VALIDATION_FAILED"]);
    let inbox = app.data(Some(&oujda), "{ requests(first: 50) { edges { node { data } } } }", json!({})).await?;
    assert!(!inbox.to_string().contains(CIN), "the inbox opens nothing");

    // A new master key: the data keys are re-wrapped, the data stays readable, the old key alone no longer
    // opens anything.
    let store_url = |app: &TestApp| match &app.pg {
        Some((_, database)) => database.app_url.clone(),
        None => jamaa_graphql::settings::sqlite_url(app.dir.path()),
    };
    let connect = |key: SecretString, previous: Vec<SecretString>| {
        let url = store_url(&app);
        async move {
            let store = jamaa_core::store::Store::connect(&jamaa_core::store::StoreConfig {
                url: SecretString::from(url),
                max_connections: 2,
                acquire_timeout: jamaa_core::store::DEFAULT_ACQUIRE_TIMEOUT,
                sqlite_synchronous: jamaa_core::store::SqliteSynchronous::Normal,
            })
            .await?;
            anyhow::Ok(jamaa_core::service::Jamaa::new(store, jamaa_core::crypto::Keyring::new(&key, &previous)?))
        }
    };
    let new_key = jamaa_core::crypto::Keyring::generate_master_key();
    let rotating = connect(new_key.clone(), vec![app.master_key.clone()]).await?;
    assert!(rotating.rotate_master_key().await? >= 1);
    assert_eq!(rotating.rotate_master_key().await?, 0, "nothing left to re-wrap");
    let code = request["trackingCode"].as_str().unwrap_or_default().to_owned();
    let secret = SecretString::from(submitted["submitRequest"]["secret"].as_str().unwrap_or_default().to_owned());
    let tracked = connect(new_key, vec![]).await?.track_request(&code, &secret).await?;
    assert!(matches!(&tracked.request.personal, jamaa_core::service::PersonalData::Open(p) if p["cin"] == CIN));
    let stale = connect(app.master_key.clone(), vec![]).await?.track_request(&code, &secret).await;
    assert!(matches!(stale, Err(jamaa_core::Error::Internal(_))), "the old key no longer unwraps anything");
    app.stop().await
}

jamaa_tests::on_both_backends!(personal_data_is_sealed_found_and_read_by_the_right_people);
