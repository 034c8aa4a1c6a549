//! The command line on a real SQLite file: onboarding communes from the national list (the CSV of
//! examples/national-onboarding), once, and again without onboarding anything twice.

use std::path::Path;

use anyhow::{Context, Result};
use clap::Parser;
use jamaa_graphql::cli::{Cli, run};
use secrecy::SecretString;

/// The first rows of the national list (HCP), its header included.
fn national_rows(count: usize) -> Result<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/national-onboarding/ma_communes.csv");
    let text = std::fs::read_to_string(&path).with_context(|| path.display().to_string())?;
    Ok(text.lines().take(count + 1).map(|line| format!("{line}\n")).collect())
}

async fn onboard_csv(dir: &Path, csv: &Path) -> Result<()> {
    let (dir, csv) = (dir.to_string_lossy(), csv.to_string_lossy());
    let args = ["jamaa", "commune", "onboard", "--data-dir", &dir, "--from", "ma-commune@1", "--csv", &csv];
    run(Cli::try_parse_from(args)?).await
}

#[tokio::test]
async fn communes_are_onboarded_from_the_national_list_once() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let csv = dir.path().join("communes.csv");
    std::fs::write(&csv, national_rows(3)?)?;
    onboard_csv(dir.path(), &csv).await?;

    let store = jamaa_core::store::Store::connect(&jamaa_core::store::StoreConfig {
        url: SecretString::from(jamaa_graphql::settings::sqlite_url(dir.path())),
        max_connections: 1,
    })
    .await?;
    // Reading communes opens no sealed data: any master key does.
    let keyring = jamaa_core::crypto::Keyring::new(&jamaa_core::crypto::Keyring::generate_master_key(), &[])?;
    let jamaa = jamaa_core::service::Jamaa::new(store, keyring);
    let tanger = jamaa.commune("tanger").await?;
    assert_eq!(tanger.spec.official_code.as_deref(), Some("01.511.01.0"));
    // The list gives the region's code ("01"); the commune holds the region's name.
    assert_eq!(tanger.spec.region.as_deref(), Some("Tanger-Tétouan-Al Hoceima"));
    assert_eq!(tanger.spec.population, Some(1_275_428));
    assert_eq!(jamaa.all_communes().await?.len(), 3);

    // Run again with one more row: only that one is onboarded.
    std::fs::write(&csv, national_rows(4)?)?;
    onboard_csv(dir.path(), &csv).await?;
    assert_eq!(jamaa.all_communes().await?.len(), 4, "the rows onboarded already are skipped");
    Ok(())
}
