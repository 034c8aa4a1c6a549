//! The `jamaa` binary as an operator runs it: `serve --demo` prints the tokens, `audit verify` passes on the
//! demo and fails once an event was edited by hand.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on the first broken step")]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use sea_orm::{ConnectionTrait, Database};

fn jamaa(dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jamaa"));
    command.arg("--data-dir").arg(dir).env_remove("JAMAA_DATABASE_URL").env("JAMAA_LOG", "warn");
    command
}

/// Starts `jamaa serve --demo` on a free port, reads the token lines, and stops it.
fn serve_demo_once(dir: &std::path::Path) -> Vec<String> {
    let mut server =
        jamaa(dir).args(["serve", "--demo", "--bind", "127.0.0.1:0"]).stdout(Stdio::piped()).spawn().unwrap();
    let stdout = server.stdout.take().unwrap();
    let lines: Vec<String> = BufReader::new(stdout).lines().take(4).map(Result::unwrap).collect();
    server.kill().unwrap();
    server.wait().unwrap();
    lines
}

#[tokio::test]
async fn demo_tokens_and_audit_verify() {
    let dir = tempfile::tempdir().unwrap();
    let lines = serve_demo_once(dir.path());
    let names: Vec<&str> = lines.iter().map(|l| l.split_whitespace().next().unwrap_or("")).collect();
    assert_eq!(names, ["operator", "oujda", "chefchaouen", "kaedi"]);
    assert!(lines[0].split_whitespace().nth(1).unwrap().starts_with("jm_op_"));
    assert!(lines[1].split_whitespace().nth(1).unwrap().starts_with("jm_staff_"));

    // Loading the demo again adds no commune and no event: it is idempotent.
    let again = serve_demo_once(dir.path());
    assert_eq!(again.len(), 4);
    assert_ne!(again[0], lines[0], "fresh tokens each time");

    let verify = jamaa(dir.path()).args(["audit", "verify"]).output().unwrap();
    let report = String::from_utf8_lossy(&verify.stdout);
    assert!(verify.status.success(), "{report}");
    assert_eq!(report.lines().filter(|l| l.starts_with("ok")).count(), 3, "{report}");
    // Each commune: creation, the services of the standard and three sample files, once.
    let events = 1 + jamaa_core::model::standard::moroccan_services().unwrap().len() + 3;
    assert!(report.lines().all(|l| l.contains(&format!(": {events} events"))), "{report}");

    // Someone edits an event by hand.
    let url = format!("sqlite://{}", dir.path().join("jamaa.db").display());
    let db = Database::connect(url).await.unwrap();
    db.execute_unprepared(
        "UPDATE audit_events SET payload = replace(payload, 'legalisation', 'legalisatiom') \
         WHERE tenant_id = (SELECT id FROM communes WHERE slug = 'chefchaouen') AND kind = 'service.published'",
    )
    .await
    .unwrap();
    db.close().await.unwrap();

    let verify = jamaa(dir.path()).args(["audit", "verify"]).output().unwrap();
    let report = String::from_utf8_lossy(&verify.stdout);
    assert!(!verify.status.success(), "{report}");
    assert!(report.lines().any(|l| l.starts_with("BROKEN  chefchaouen")), "{report}");
    assert!(report.lines().any(|l| l.starts_with("ok") && l.contains("oujda")), "{report}");
}
