//! The server's settings: defaults, the TOML file, the variables, and where the site is found.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test fails loudly on the first broken step")]

use std::path::PathBuf;

use figment::Figment;
use figment::providers::Serialized;
use jamaa_core::store::SqliteSynchronous;
use jamaa_graphql::settings::{Keys, LogFormat, Overrides, Settings};
use secrecy::ExposeSecret as _;

#[test]
fn the_site_is_served_in_demo_mode_or_when_named() {
    let plain = Settings::load(&Overrides::default()).unwrap();
    assert_eq!(plain.site, None);

    // The tests run in graphql/: the checkout's files are found above the binary in target/.
    let demo = Settings::load(&Overrides { demo: true, ..Overrides::default() }).unwrap();
    let site = demo.site.unwrap();
    assert!(site.site.join("index.html").is_file(), "{}", site.site.display());
    assert!(site.sdk.ends_with("sdk-wasm/pkg"));
    let office = site.office.expect("the back office is found in the checkout");
    assert!(office.join("index.html").is_file(), "{}", office.display());

    let named = Overrides { site_dir: Some(PathBuf::from("/srv/site")), ..Overrides::default() };
    let site = Settings::load(&named).unwrap().site.unwrap();
    assert_eq!(site.site, PathBuf::from("/srv/site"));
}

#[test]
fn keys_come_from_the_file_and_lists_from_commas() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("jamaa.toml");
    std::fs::write(&file, "cors_origins = [\"https://oujda.ma\"]\nintrospection = false\nlog_format = \"json\"\nsqlite_synchronous = \"normal\"\n")
        .unwrap();
    let keys = Keys::load(Some(&file)).unwrap();
    assert_eq!(keys.cors_origins, vec!["https://oujda.ma".to_owned()]);
    assert!(!keys.introspection);
    assert_eq!(keys.log_format, LogFormat::Json);
    assert_eq!(keys.sqlite_synchronous, SqliteSynchronous::Normal);
    assert_eq!(Keys::default().sqlite_synchronous, SqliteSynchronous::Full);

    std::fs::write(&file, "cors_origin = []\n").unwrap();
    let error = Keys::load(Some(&file)).unwrap_err().to_string();
    assert!(error.contains("cors_origin"), "{error}");

    let figment = Figment::from(Serialized::defaults(Keys::default()))
        .merge(Serialized::default("cors_origins", " https://a.ma, https://b.ma ,"));
    let keys: Keys = figment.extract().unwrap();
    assert_eq!(keys.cors_origins, vec!["https://a.ma".to_owned(), "https://b.ma".to_owned()]);
    assert!(Keys::names().contains(&"cors_origins".to_owned()));
}

#[test]
fn a_communes_payment_provider_comes_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("jamaa.toml");
    std::fs::write(
        &file,
        "public_url = \"https://jamaa.example.ma/\"\n[payment_providers.oujda]\ngateway_url = \"https://pay.example/gate\"\nclient_id = \"600000001\"\nstore_key = \"k3y\"\n",
    )
    .unwrap();
    let overrides = Overrides { config: Some(file), ..Overrides::default() };
    let settings = Settings::load(&overrides).unwrap();
    assert_eq!(settings.public_url.as_deref(), Some("https://jamaa.example.ma"));
    let oujda = &settings.payment_providers["oujda"];
    assert_eq!((oujda.gateway_url.as_str(), oujda.client_id.as_str()), ("https://pay.example/gate", "600000001"));
    assert_eq!(oujda.store_key.expose_secret(), "k3y");
    assert!(!format!("{settings:?}").contains("k3y"), "the store key is never logged");
}
