//! Documents uploaded with a submission (`POST /submissions`, multipart) over real HTTP: the type comes from
//! the bytes, the procedure's formats and sizes hold, the hash is recorded, the content is stored sealed, and
//! a refused submission writes nothing. Also the GraphQL alias limit.

use anyhow::{Context as _, Result, ensure};
use jamaa_tests::app::{Backend, TestApp, error_codes, field_errors};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(uploads_are_checked_from_their_bytes_and_sealed);

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const INBOX: &str = "{ requests(commune: \"oujda\", first: 100) { nodes { id } } }";

fn submission() -> Value {
    json!({
        "commune": "oujda",
        "serviceCode": "legalisation-signature",
        "data": { "signatory_name": "Salma Bennani", "cin": "AB123456", "phone": "0612345678",
                  "document_title": "Procuration", "copies": 1 }
    })
}

async fn post(app: &TestApp, files: Vec<(&str, Vec<u8>)>) -> Result<(u16, Value)> {
    let mut form = Form::new().text("submission", submission().to_string());
    for (name, bytes) in files {
        form = form.part("document_to_sign", Part::bytes(bytes).file_name(name.to_owned()));
    }
    let response = app.client.post(app.url("/submissions")).multipart(form).send().await?;
    let status = response.status().as_u16();
    Ok((status, response.json().await?))
}

async fn inbox_size(app: &TestApp) -> Result<usize> {
    let inbox = app.data(Some(app.staff("oujda")), INBOX, json!({})).await?;
    inbox["requests"]["nodes"].as_array().map(Vec::len).context("no inbox")
}

async fn uploads_are_checked_from_their_bytes_and_sealed(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let before = inbox_size(&app).await?;

    // A PDF named .jpg: the format is allowed, the name lies about it.
    let (status, body) = post(&app, vec![("scan.jpg", PDF.to_vec())]).await?;
    assert_eq!((status, error_codes(&body)), (422, vec!["VALIDATION_FAILED".to_owned()]), "{body}");
    assert_eq!(field_errors(&body), [("input.documents[0].fileName".to_owned(), "DOCUMENT_FORMAT".to_owned())]);
    // A file larger than the procedure allows (10 MiB), whatever it says it is.
    let mut big = PDF.to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let (status, body) = post(&app, vec![("big.pdf", big)]).await?;
    assert_eq!(status, 422, "{body}");
    assert_eq!(field_errors(&body), [("input.documents[0].sizeBytes".to_owned(), "DOCUMENT_TOO_LARGE".to_owned())]);
    // Content of no accepted type, named as if it were.
    let (_, body) = post(&app, vec![("contrat.pdf", b"MZ\x90\x00 an executable".to_vec())]).await?;
    let found = field_errors(&body);
    ensure!(found.contains(&("input.documents[0].mediaType".to_owned(), "DOCUMENT_FORMAT".to_owned())), "{body}");
    ensure!(inbox_size(&app).await? == before, "a refused submission wrote something");

    // A real PDF: recorded with what its bytes say, and referenced by the request.
    let (status, body) = post(&app, vec![("procuration.pdf", PDF.to_vec())]).await?;
    assert_eq!(status, 200, "{body}");
    let digest = {
        use sha2::Digest as _;
        hex::encode(sha2::Sha256::digest(PDF))
    };
    assert_eq!(
        body["documents"],
        json!([{ "code": "document_to_sign", "fileName": "procuration.pdf", "mediaType": "application/pdf",
                 "sizeBytes": PDF.len(), "sha256": digest }])
    );
    ensure!(inbox_size(&app).await? == before + 1);
    let id: jamaa_core::model::ids::RequestId = body["id"].as_str().context("no id")?.parse()?;
    let jamaa = app.jamaa().await?;
    let staff = jamaa.authenticate(&secrecy::SecretString::from(app.staff("oujda").to_owned())).await?;
    let files = jamaa.request_files(&staff, &jamaa.commune("oujda").await?, id).await?;
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].sha256.as_deref(), Some(digest.as_str()));
    // Another commune's staff do not see them.
    let other = jamaa.authenticate(&secrecy::SecretString::from(app.staff("chefchaouen").to_owned())).await?;
    let error = jamaa
        .request_files(&other, &jamaa.commune("oujda").await?, id)
        .await
        .err()
        .context("another commune read the files")?;
    assert_eq!(error.code(), "FORBIDDEN");
    // Sealed at rest: the stored content is not the file.
    let sql = "SELECT content FROM request_files";
    let stored = match &app.pg {
        Some((server, database)) => server.psql(&database.name, sql)?,
        None => {
            use sea_orm::{ConnectionTrait, Database, Statement};
            let db = Database::connect(jamaa_graphql::settings::sqlite_url(app.dir.path())).await?;
            let row =
                db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await?.context("none")?;
            row.try_get::<String>("", "content")?
        }
    };
    ensure!(!stored.is_empty() && !stored.contains("PDF") && !stored.contains("Catalog"), "{stored}");

    // Many aliases in one request are refused before anything runs.
    let aliased: String = (0..31).map(|i| format!(" a{i}: communes(first: 1) {{ nodes {{ slug }} }}")).collect();
    let body = app.graphql(None, &format!("{{{aliased} }}"), json!({})).await?;
    assert_eq!(error_codes(&body), ["TOO_MANY_ALIASES"], "{body}");
    let sixteen: String = (0..16).map(|i| format!(" a{i}: communes(first: 1) {{ nodes {{ slug }} }}")).collect();
    let fragment = format!("query {{ ...f ...f }} fragment f on QueryRoot {{{sixteen} }}");
    let body = app.graphql(None, &fragment, json!({})).await?;
    assert_eq!(error_codes(&body), ["TOO_MANY_ALIASES"], "fragments count where they are spread: {body}");
    let few: String = (0..5).map(|i| format!(" a{i}: communes(first: 1) {{ nodes {{ slug }} }}")).collect();
    app.data(None, &format!("{{{few} }}"), json!({})).await?;
    app.stop().await
}

/// A submission with files whose JSON part also declares documents.
async fn post_declaring(app: &TestApp, declared: Value, files: Vec<(&str, Vec<u8>)>) -> Result<(u16, Value)> {
    let mut submission = submission();
    submission["documents"] = declared;
    let mut form = Form::new().text("submission", submission.to_string());
    for (name, bytes) in files {
        form = form.part("document_to_sign", Part::bytes(bytes).file_name(name.to_owned()));
    }
    let response = app.client.post(app.url("/submissions")).multipart(form).send().await?;
    let status = response.status().as_u16();
    Ok((status, response.json().await?))
}

async fn declared_documents_are_checked_and_only_measured_ones_kept(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let before = inbox_size(&app).await?;
    let digest = {
        use sha2::Digest as _;
        hex::encode(sha2::Sha256::digest(PDF))
    };
    let declared = |size: usize, sha256: &str| {
        json!([{ "code": "document_to_sign", "fileName": "procuration.pdf", "mediaType": "application/pdf",
                 "sizeBytes": size, "sha256": sha256 }])
    };
    // Another size and another digest than the file's: refused, each named.
    let (status, body) =
        post_declaring(&app, declared(999, &"0".repeat(64)), vec![("procuration.pdf", PDF.to_vec())]).await?;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        field_errors(&body),
        [
            ("input.documents[0].sizeBytes".to_owned(), "DOCUMENT_MISMATCH".to_owned()),
            ("input.documents[0].sha256".to_owned(), "DOCUMENT_MISMATCH".to_owned()),
        ]
    );
    // A second document declared without its file.
    let (status, body) = post_declaring(
        &app,
        json!([{ "code": "document_to_sign", "fileName": "a.pdf", "mediaType": "application/pdf", "sizeBytes": 10 },
               { "code": "document_to_sign", "fileName": "b.pdf", "mediaType": "application/pdf", "sizeBytes": 10 }]),
        vec![("procuration.pdf", PDF.to_vec())],
    )
    .await?;
    assert_eq!(status, 422, "{body}");
    ensure!(field_errors(&body).contains(&("input.documents[1]".to_owned(), "DOCUMENT_MISMATCH".to_owned())), "{body}");
    // A file name of 100,000 characters: refused, not stored.
    let long = format!("{}.pdf", "a".repeat(100_000));
    let (status, body) = post(&app, vec![(long.as_str(), PDF.to_vec())]).await?;
    assert_eq!(status, 422, "{body}");
    assert_eq!(field_errors(&body), [("input.documents[0].fileName".to_owned(), "TOO_LONG".to_owned())]);
    ensure!(inbox_size(&app).await? == before, "a refused submission wrote something");

    // As measured (the digest in capitals): accepted, and the request records the one measured document.
    let (status, body) =
        post_declaring(&app, declared(PDF.len(), &digest.to_uppercase()), vec![("procuration.pdf", PDF.to_vec())])
            .await?;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["documents"],
        json!([{ "code": "document_to_sign", "fileName": "procuration.pdf", "mediaType": "application/pdf",
                 "sizeBytes": PDF.len(), "sha256": digest }])
    );
    ensure!(inbox_size(&app).await? == before + 1);

    // Over GraphQL, a declared file name with control characters is refused like any bad value.
    let submit = "mutation($i: SubmitRequestInput!) { submitRequest(commune: \"oujda\", input: $i) { secret } }";
    let mut input = submission();
    if let Some(fields) = input.as_object_mut() {
        fields.remove("commune");
    }
    input["documents"] = json!([{ "code": "document_to_sign", "fileName": "scan\u{1b}[2J.pdf",
        "mediaType": "application/pdf", "sizeBytes": 100 }]);
    let body = app.graphql(None, submit, json!({ "i": input })).await?;
    assert_eq!(error_codes(&body), ["VALIDATION_FAILED"], "{body}");
    assert_eq!(field_errors(&body), [("input.documents[0].fileName".to_owned(), "INVALID_VALUE".to_owned())]);
    app.stop().await
}

jamaa_tests::on_both_backends!(declared_documents_are_checked_and_only_measured_ones_kept);
