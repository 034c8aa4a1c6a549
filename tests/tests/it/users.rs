//! User accounts over real HTTP: the demo's provincial agent works in Oujda and Chefchaouen and nowhere else,
//! sessions end at logout and at expiry, failed logins all look the same, passwords are stored salted, and
//! roles are granted only where the granter may.

use anyhow::{Context as _, Result, ensure};
use jamaa_core::auth::Principal;
use jamaa_core::service::NewUser;
use jamaa_tests::app::{Backend, TestApp, error_codes};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};

jamaa_tests::on_both_backends!(
    the_provincial_agent_works_in_two_communes_only,
    sessions_end_at_logout_and_expiry,
    passwords_are_salted_and_grants_checked,
);

const SUBMIT: &str = r#"mutation($c: String!) { submitRequest(commune: $c, input: {
  serviceCode: "reclamation", data: { subject: "roads", description: "Un nid-de-poule dangereux devant l'école primaire." }
}) { request { id } } }"#;
const ACT: &str = r#"mutation($c: String, $id: ID!) {
  actOnRequest(commune: $c, id: $id, action: "acknowledge", expectedVersion: 1) { state version }
}"#;
const INBOX: &str = "query($c: String) { requests(commune: $c, first: 5) { nodes { id } } }";
const ME: &str = "{ me { login displayName operator memberships { commune roles } } }";
const LOGIN: &str = "mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token expiresAt } }";

async fn submitted(app: &TestApp, commune: &str) -> Result<String> {
    let data = app.data(None, SUBMIT, json!({ "c": commune })).await?;
    data["submitRequest"]["request"]["id"].as_str().map(str::to_owned).context("no request id")
}

async fn the_provincial_agent_works_in_two_communes_only(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let (login, password) = app.agent.clone();
    let session = app.login(&login, &password).await?;
    ensure!(session.starts_with("jm_session_"), "{session}");

    let me = app.data(Some(&session), ME, json!({})).await?;
    insta::assert_json_snapshot!("provincial_agent_me", me["me"]);

    for commune in ["oujda", "chefchaouen"] {
        app.data(Some(&session), INBOX, json!({ "c": commune })).await?;
        let id = submitted(&app, commune).await?;
        let acted = app.data(Some(&session), ACT, json!({ "c": commune, "id": id })).await?;
        assert_eq!(acted["actOnRequest"], json!({ "state": "in_progress", "version": 2 }), "{commune}");
    }
    // Kaédi is not the agent's: neither its inbox nor its files.
    let kaedi = submitted(&app, "kaedi").await?;
    let body = app.graphql(Some(&session), INBOX, json!({ "c": "kaedi" })).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");
    let body = app.graphql(Some(&session), ACT, json!({ "c": "kaedi", "id": kaedi })).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");
    // With two communes, the operation must name one.
    let body = app.graphql(Some(&session), INBOX, json!({})).await?;
    assert_eq!(error_codes(&body), ["VALIDATION_FAILED"], "{body}");
    // Roles count where they are held: no publishing anywhere, no verification of an audit trail.
    let audit = "query($c: String) { auditVerify(commune: $c) { valid } }";
    let body = app.graphql(Some(&session), audit, json!({ "c": "oujda" })).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");
    app.stop().await
}

async fn sessions_end_at_logout_and_expiry(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let (login, password) = app.agent.clone();
    let session = app.login(&login, &password).await?;
    let other = app.login(&login, &password).await?;
    app.data(Some(&session), ME, json!({})).await?;

    let logout = app.data(Some(&session), "mutation { logout }", json!({})).await?;
    assert_eq!(logout["logout"], true);
    for query in [ME, "mutation { logout }", "{ communes(first: 1) { nodes { slug } } }"] {
        let body = app.graphql(Some(&session), query, json!({})).await?;
        assert_eq!(error_codes(&body), ["UNAUTHENTICATED"], "a logged-out session is refused at once: {body}");
    }
    // Only that session ended.
    app.data(Some(&other), ME, json!({})).await?;

    // A wrong password, an unknown login and a malformed one get the same answer.
    let mut answers = Vec::new();
    for (l, p) in [(login.as_str(), "not the password at all"), ("nobody.here", password.as_str()), ("x", "y")] {
        let body = app.graphql(None, LOGIN, json!({ "l": l, "p": p })).await?;
        assert_eq!(error_codes(&body), ["UNAUTHENTICATED"], "{body}");
        ensure!(!body.to_string().contains(p), "the answer repeats the password: {body}");
        answers.push(body["errors"][0]["message"].clone());
    }
    ensure!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");

    // An API token has no session to end.
    let body = app.graphql(Some(app.staff("oujda")), "mutation { logout }", json!({})).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");

    // A session opened 13 hours ago has expired (sessions last 12 hours).
    let earlier = app
        .jamaa()
        .await?
        .with_clock(std::sync::Arc::new(|| chrono::Utc::now() - chrono::Duration::hours(13)))
        .login(&login, &SecretString::from(password.clone()))
        .await?;
    let body = app.graphql(Some(earlier.token.expose_secret()), ME, json!({})).await?;
    assert_eq!(error_codes(&body), ["UNAUTHENTICATED"], "{body}");

    // A disabled user is logged out everywhere and cannot log in.
    let jamaa = app.jamaa().await?;
    jamaa.set_user_disabled(&Principal::Platform, &login, true).await?;
    let body = app.graphql(Some(&other), ME, json!({})).await?;
    assert_eq!(error_codes(&body), ["UNAUTHENTICATED"], "{body}");
    let body = app.graphql(None, LOGIN, json!({ "l": login, "p": password })).await?;
    assert_eq!(error_codes(&body), ["UNAUTHENTICATED"], "{body}");
    app.stop().await
}

/// The stored password hash of `login`, read from the database itself.
async fn stored_hash(app: &TestApp, login: &str) -> Result<String> {
    let sql = format!("SELECT password_hash FROM users WHERE login = '{login}'");
    match &app.pg {
        Some((server, database)) => server.psql(&database.name, &sql),
        None => {
            use sea_orm::{ConnectionTrait, Database, Statement};
            let db = Database::connect(jamaa_graphql::settings::sqlite_url(app.dir.path())).await?;
            let row = db
                .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
                .await?
                .context("no such user")?;
            Ok(row.try_get::<String>("", "password_hash")?)
        }
    }
}

async fn passwords_are_salted_and_grants_checked(backend: Backend) -> Result<()> {
    let app = TestApp::spawn(backend).await?;
    let jamaa = app.jamaa().await?;
    let password = "la même phrase de passe";
    for login in ["registrar.one", "registrar.two"] {
        let new = NewUser {
            login: login.to_owned(),
            display_name: login.to_owned(),
            password: SecretString::from(password),
            operator: false,
        };
        jamaa.create_user(&Principal::Platform, new).await?;
    }
    let (one, two) = (stored_hash(&app, "registrar.one").await?, stored_hash(&app, "registrar.two").await?);
    ensure!(one.starts_with("$argon2id$") && two.starts_with("$argon2id$"), "{one} {two}");
    ensure!(one != two, "the same password is stored twice the same: {one}");
    ensure!(!one.contains(password) && !two.contains(password));

    // Too short a password, and a taken login, are refused with their fields.
    let short = NewUser {
        login: "Registrar.One".to_owned(),
        display_name: "x".to_owned(),
        password: SecretString::from("short"),
        operator: false,
    };
    let error = jamaa.create_user(&Principal::Platform, short).await.err().context("accepted")?;
    ensure!(error.code() == "VALIDATION_FAILED" && format!("{error:?}").contains("password"), "{error:?}");
    ensure!(!format!("{error:?}").contains("short\""), "{error:?}");

    // Chefchaouen's administrator grants roles at home, not in Oujda; a commune's roles only.
    let chefchaouen_admin = jamaa.authenticate(&SecretString::from(app.staff("chefchaouen").to_owned())).await?;
    let roles = |r: &[&str]| r.iter().map(|r| jamaa_core::model::keys::RoleKey::from(*r)).collect::<Vec<_>>();
    jamaa
        .grant_membership(
            &chefchaouen_admin,
            "registrar.one",
            &jamaa.commune("chefchaouen").await?,
            roles(&["civil_registrar"]),
        )
        .await?;
    let error = jamaa
        .grant_membership(
            &chefchaouen_admin,
            "registrar.one",
            &jamaa.commune("oujda").await?,
            roles(&["civil_registrar"]),
        )
        .await
        .err()
        .context("granted in another commune")?;
    assert_eq!(error.code(), "FORBIDDEN");
    let error = jamaa
        .grant_membership(&chefchaouen_admin, "registrar.two", &jamaa.commune("chefchaouen").await?, roles(&["mayor"]))
        .await
        .err()
        .context("granted an unknown role")?;
    match &error {
        jamaa_core::Error::Validation(fields) => assert_eq!(fields[0].path, "roles"),
        other => anyhow::bail!("{other:?}"),
    }
    // The registrar logs in and works in Chefchaouen only: its one commune is its home.
    let session = app.login("registrar.one", password).await?;
    let inbox: Value = app.data(Some(&session), INBOX, json!({})).await?;
    ensure!(inbox["requests"]["nodes"].as_array().is_some_and(|n| !n.is_empty()), "{inbox}");
    let body = app.graphql(Some(&session), INBOX, json!({ "c": "oujda" })).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");
    jamaa.revoke_membership(&chefchaouen_admin, "registrar.one", &jamaa.commune("chefchaouen").await?).await?;
    let session = app.login("registrar.one", password).await?;
    let body = app.graphql(Some(&session), INBOX, json!({ "c": "chefchaouen" })).await?;
    assert_eq!(error_codes(&body), ["FORBIDDEN"], "{body}");
    app.stop().await
}
