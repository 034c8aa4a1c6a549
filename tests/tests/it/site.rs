//! The static files beside the API: the website at `/`, the SDK package at `/sdk/` and the back office at
//! `/office/`, only when asked for.

use anyhow::Result;
use jamaa_graphql::settings::SiteDirs;
use jamaa_tests::app::{Backend, TestApp};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_site_and_the_sdk_are_served_beside_the_api() -> Result<()> {
    let files = tempfile::tempdir()?;
    let site = files.path().join("site");
    let sdk = files.path().join("sdk");
    std::fs::create_dir_all(&site)?;
    std::fs::create_dir_all(&sdk)?;
    std::fs::write(site.join("index.html"), "<!doctype html><title>Commune</title>")?;
    std::fs::write(sdk.join("index.js"), "export const ok = true;")?;
    std::fs::write(sdk.join("jamaa_sdk_bg.wasm"), b"\0asm\x01\0\0\0")?;

    let office = files.path().join("office");
    std::fs::create_dir_all(&office)?;
    std::fs::write(office.join("index.html"), "<!doctype html><title>Back office</title>")?;
    let app = TestApp::spawn_with_site(Backend::Sqlite, Some(SiteDirs { site, sdk, office: Some(office) })).await?;
    let get = |path: &str| app.client.get(app.url(path)).send();

    let page = get("/").await?;
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"].to_str()?.starts_with("text/html"));
    assert!(page.text().await?.contains("<title>Commune</title>"));

    let module = get("/sdk/index.js").await?;
    assert_eq!(module.status(), 200);
    assert!(module.headers()["content-type"].to_str()?.contains("javascript"));
    let wasm = get("/sdk/jamaa_sdk_bg.wasm").await?;
    assert_eq!(wasm.headers()["content-type"], "application/wasm");

    let office = get("/office/").await?;
    assert_eq!(office.status(), 200);
    assert!(office.text().await?.contains("<title>Back office</title>"));

    assert_eq!(get("/missing.html").await?.status(), 404);
    assert_eq!(get("/sdk/../site/index.html").await?.status(), 404);
    assert_eq!(get("/healthz").await?.status(), 200);
    let data = app.data(None, "{ communes { nodes { slug } } }", json!({})).await?;
    assert_eq!(data["communes"]["nodes"][0]["slug"], "chefchaouen");
    app.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_site_nothing_is_served_at_the_root() -> Result<()> {
    let app = TestApp::spawn(Backend::Sqlite).await?;
    assert_eq!(app.client.get(app.url("/")).send().await?.status(), 404);
    assert_eq!(app.client.get(app.url("/sdk/index.js")).send().await?.status(), 404);
    assert_eq!(app.client.get(app.url("/office/")).send().await?.status(), 404);
    app.stop().await
}

/// `scripts/demo --check`, in a copy of the parts of a checkout it reads: a package newer than every source is
/// up to date (no rebuild); a source changed after it, or no package, is not.
#[test]
fn the_demo_script_rebuilds_the_sdk_only_when_a_source_changed() -> Result<()> {
    let root = tempfile::tempdir()?;
    let checkout = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::create_dir_all(root.path().join("scripts"))?;
    std::fs::copy(checkout.join("scripts/demo"), root.path().join("scripts/demo"))?;
    let source = root.path().join("sdk-wasm/src/lib.rs");
    std::fs::create_dir_all(root.path().join("sdk-wasm/src"))?;
    std::fs::write(&source, "// the SDK")?;
    let check = || -> Result<bool> {
        let status = std::process::Command::new("bash")
            .arg(root.path().join("scripts/demo"))
            .arg("--check")
            .stderr(std::process::Stdio::null())
            .status()?;
        Ok(status.success())
    };
    assert!(!check()?, "no package yet");

    let stamp = root.path().join("sdk-wasm/pkg/package.json");
    std::fs::create_dir_all(root.path().join("sdk-wasm/pkg"))?;
    std::fs::write(&stamp, "{}")?;
    let now = std::time::SystemTime::now();
    let hour = std::time::Duration::from_secs(3600);
    std::fs::File::options().write(true).open(&source)?.set_modified(now - hour)?;
    std::fs::File::options().write(true).open(&stamp)?.set_modified(now)?;
    assert!(check()?, "the package is newer than its sources");

    std::fs::File::options().write(true).open(&source)?.set_modified(now + hour)?;
    assert!(!check()?, "a source changed after the package");
    Ok(())
}
