//! The `jamaa` binary as an operator runs it: `serve --demo` prints the tokens, `audit verify` passes on the
//! demo and fails once an event was edited by hand; SIGTERM stops the server cleanly.

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

    let verify = || jamaa(dir.path()).args(["audit", "verify"]).output().unwrap();
    let first = verify();
    let report = String::from_utf8_lossy(&first.stdout).into_owned();
    assert!(first.status.success(), "{report}");
    assert_eq!(report.lines().filter(|l| l.starts_with("ok")).count(), 3, "{report}");

    // Loading the demo again adds no commune and no event: it is idempotent.
    let again = serve_demo_once(dir.path());
    assert_eq!(again.len(), 4);
    assert_ne!(again[0], lines[0], "fresh tokens each time");
    assert_eq!(String::from_utf8_lossy(&verify().stdout), report, "the same chains, to the last event");

    // Someone edits an event by hand.
    let url = format!("sqlite://{}", dir.path().join("jamaa.db").display());
    let db = Database::connect(url).await.unwrap();
    db.execute_unprepared(
        "UPDATE audit_events SET payload = replace(payload, 'chefchaouen', 'chefchaouem') \
         WHERE tenant_id = (SELECT id FROM communes WHERE slug = 'chefchaouen') AND kind = 'commune.onboarded'",
    )
    .await
    .unwrap();
    db.close().await.unwrap();

    let broken = verify();
    let report = String::from_utf8_lossy(&broken.stdout);
    assert!(!broken.status.success(), "{report}");
    assert!(report.lines().any(|l| l.starts_with("BROKEN  chefchaouen")), "{report}");
    assert!(report.lines().any(|l| l.starts_with("ok") && l.contains("oujda")), "{report}");
}

/// Runs `jamaa` with `args` and returns its standard output; fails the test when it fails.
fn run(dir: &std::path::Path, args: &[&str]) -> String {
    let output = jamaa(dir).args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "jamaa {args:?}:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    stdout
}

#[test]
fn replication_through_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let onboard = |args: &[&str]| run(d, &[&["commune", "onboard"], args].concat());
    onboard(&[
        "--from",
        "ma-commune@1",
        "--slug",
        "oujda",
        "--name-fr",
        "Oujda",
        "--name-ar",
        "وجدة",
        "--tracking-prefix",
        "OUJ",
    ]);
    assert!(run(d, &["template", "export", "--commune", "oujda", "--name", "oujda"]).starts_with("oujda@1 sha256:"));
    onboard(&["--from", "oujda@1", "--slug", "chefchaouen", "--name-fr", "Chefchaouen", "--tracking-prefix", "CHF"]);

    let edit = |commune: &str, code: &str, change: &dyn Fn(&mut serde_json::Value)| {
        let mut definition: serde_json::Value =
            serde_json::from_str(&run(d, &["service", "show", "--commune", commune, code])).unwrap();
        change(&mut definition);
        let file = d.join(format!("{commune}-{code}.json"));
        std::fs::write(&file, definition.to_string()).unwrap();
        run(d, &["service", "publish", "--commune", commune, file.to_str().unwrap()]);
    };
    edit("chefchaouen", "reclamation", &|s| s["description"]["fr"] = "Réclamations — Chefchaouen".into());
    edit("oujda", "legalisation-signature", &|s| s["description"]["fr"] = "Légalisation, mieux expliquée".into());
    assert!(run(d, &["template", "export", "--commune", "oujda", "--name", "oujda"]).starts_with("oujda@2 "));
    let diff = run(d, &["template", "diff", "oujda@1", "oujda@2"]);
    assert!(diff.contains("services[legalisation-signature].description.fr"), "{diff}");
    assert!(diff.ends_with("1 change(s)\n"), "{diff}");

    let upgrade = run(d, &["commune", "upgrade", "chefchaouen", "--to", "oujda@2"]);
    assert!(upgrade.contains("chefchaouen: oujda@1 → oujda@2"), "{upgrade}");
    assert!(upgrade.contains("local   services[reclamation].description.fr"), "{upgrade}");
    assert!(upgrade.contains("upgraded: 1 service(s) published"), "{upgrade}");
    let show = |code: &str| -> serde_json::Value {
        serde_json::from_str(&run(d, &["service", "show", "--commune", "chefchaouen", code])).unwrap()
    };
    assert_eq!(show("legalisation-signature")["description"]["fr"], "Légalisation, mieux expliquée");
    assert_eq!(show("reclamation")["description"]["fr"], "Réclamations — Chefchaouen");
    assert!(run(d, &["commune", "list"]).contains("chefchaouen  CHF  MA  oujda@2"));
}

#[test]
fn national_onboarding_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let national = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/national-onboarding/ma_communes.csv");
    let rows: Vec<String> = std::fs::read_to_string(national).unwrap().lines().take(41).map(str::to_owned).collect();
    let sample = dir.path().join("sample.csv");
    std::fs::write(&sample, rows.join("\n")).unwrap();
    let csv = sample.to_str().unwrap();
    let first = run(dir.path(), &["commune", "onboard", "--from", "ma-commune@1", "--csv", csv]);
    assert!(first.starts_with("40 onboarded, 0 already there, 0 failed"), "{first}");
    // Where the time went, and progress lines on stderr when the output is not a terminal (not checked: they come
    // every 5 seconds).
    assert!(first.contains("s looking for existing communes") && first.contains("ms a commune"), "{first}");
    let again = run(dir.path(), &["commune", "onboard", "--from", "ma-commune@1", "--csv", csv]);
    assert!(again.starts_with("0 onboarded, 40 already there, 0 failed"), "{again}");
    let list = run(dir.path(), &["commune", "list"]);
    let prefixes: std::collections::HashSet<&str> = list.lines().filter_map(|l| l.split_whitespace().nth(1)).collect();
    assert_eq!(prefixes.len(), 40, "every commune has its own tracking prefix");
    assert!(run(dir.path(), &["audit", "verify"]).lines().all(|l| l.starts_with("ok")));
}

/// SIGTERM, as a service manager or an orchestrator sends it: the request under way is answered, the WebSocket
/// subscription gets a close frame (1001), a new connection is refused, and the process exits 0 within its
/// deadline.
#[tokio::test]
async fn sigterm_finishes_what_is_under_way_and_exits_0() {
    use futures_util::{SinkExt as _, StreamExt as _};
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;

    const DEADLINE: std::time::Duration = std::time::Duration::from_secs(5);
    let dir = tempfile::tempdir().unwrap();
    let mut server = jamaa(dir.path())
        .args(["serve", "--demo", "--bind", "127.0.0.1:0"])
        .env("JAMAA_LOG", "info")
        .env("JAMAA_SHUTDOWN_SECONDS", DEADLINE.as_secs().to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The address from the log, then every further line kept for the end.
    let (found, address) = std::sync::mpsc::channel::<String>();
    let stderr = server.stderr.take().unwrap();
    let log = std::thread::spawn(move || {
        let mut lines = Vec::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some((_, rest)) = line.split_once("serving GraphQL at http://") {
                let _ = found.send(rest.split('/').next().unwrap_or_default().to_owned());
            }
            lines.push(line);
        }
        lines
    });
    // The tokens, the output read to its end (a closed pipe would fail the server's next line).
    let (told, token) = std::sync::mpsc::channel::<String>();
    let stdout = BufReader::new(server.stdout.take().unwrap());
    std::thread::spawn(move || {
        for line in stdout.lines().map_while(Result::ok) {
            if let Some(token) = line.strip_prefix("oujda ") {
                let _ = told.send(token.to_owned());
            }
        }
    });
    let token = token.recv_timeout(std::time::Duration::from_secs(60)).unwrap();
    let address = address.recv_timeout(std::time::Duration::from_secs(60)).unwrap();

    // A subscription, acknowledged.
    let mut request = format!("ws://{address}/graphql/ws").into_client_request().unwrap();
    request.headers_mut().insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse().unwrap());
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let text = |value: serde_json::Value| Message::Text(value.to_string().into());
    socket.send(text(serde_json::json!({ "type": "connection_init", "payload": { "token": token } }))).await.unwrap();
    let subscribe = serde_json::json!({ "id": "inbox", "type": "subscribe",
        "payload": { "query": "subscription { inboxChanged { trackingCode } }" } });
    socket.send(text(subscribe)).await.unwrap();
    let ack = tokio::time::timeout(DEADLINE, socket.next()).await.unwrap().unwrap().unwrap();
    assert!(ack.to_text().unwrap().contains("connection_ack"), "{ack}");

    // A request under way: its head and half its body sent, the server waiting for the rest.
    let body = serde_json::json!({ "query": "{ __typename }" }).to_string();
    let mut in_flight = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let (first, rest) = body.split_at(body.len() / 2);
    in_flight.write_all(head.as_bytes()).await.unwrap();
    in_flight.write_all(first.as_bytes()).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    let started = std::time::Instant::now();
    let killed = Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    assert!(killed.success());

    let close = loop {
        match tokio::time::timeout(DEADLINE, socket.next()).await.expect("no close frame") {
            Some(Ok(Message::Close(frame))) => break frame.expect("a close frame without a code"),
            Some(Ok(_)) => continue,
            Some(Err(error)) => panic!("the WebSocket failed instead of closing: {error}"),
            None => panic!("the WebSocket ended without a close frame"),
        }
    };
    assert_eq!(u16::from(close.code), 1001, "{close:?}");
    assert!(tokio::net::TcpStream::connect(&address).await.is_err(), "a new connection was accepted while stopping");

    in_flight.write_all(rest.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(DEADLINE, in_flight.read_to_end(&mut answer)).await.unwrap().unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#""__typename":"QueryRoot""#), "{answer}");

    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < DEADLINE, "the server still runs after its deadline");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let log = log.join().unwrap().join("\n");
    assert_eq!(status.code(), Some(0), "{log}");
    assert!(log.contains("stopped"), "{log}");
}

#[test]
fn a_commune_moves_to_another_deployment_through_the_command_line() {
    let source = tempfile::tempdir().unwrap();
    let target = tempfile::tempdir().unwrap();
    serve_demo_once(source.path());
    let archive = source.path().join("oujda.tar");
    let archive = archive.to_str().unwrap();
    let key = "aGVyZSBhcmUgMzIgYnl0ZXMgb2YgYW4gYXJjaGl2ZSE=";

    // No key: refused before anything is written.
    let output = jamaa(source.path())
        .env_remove("JAMAA_ARCHIVE_KEY")
        .args(["commune", "export", "--commune", "oujda", "--out", archive])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("an archive key is needed"));
    assert!(!std::path::Path::new(archive).exists());

    // The key from the environment; each deployment has its own master key file.
    let exported = jamaa(source.path())
        .env("JAMAA_ARCHIVE_KEY", key)
        .args(["commune", "export", "--commune", "oujda", "--out", archive])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&exported.stdout);
    assert!(exported.status.success(), "{stdout}{}", String::from_utf8_lossy(&exported.stderr));
    assert!(stdout.starts_with("exported oujda ("), "{stdout}");
    run(target.path(), &["migrate"]);
    let imported = jamaa(target.path())
        .env("JAMAA_ARCHIVE_KEY", key)
        .args(["commune", "import", "--in", archive])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&imported.stdout);
    assert!(imported.status.success(), "{stdout}{}", String::from_utf8_lossy(&imported.stderr));
    assert!(stdout.starts_with("imported oujda as oujda ("), "{stdout}");
    assert_ne!(
        std::fs::read(source.path().join("jamaa.key")).unwrap(),
        std::fs::read(target.path().join("jamaa.key")).unwrap()
    );
    let verified = run(target.path(), &["audit", "verify", "--commune", "oujda"]);
    assert!(verified.starts_with("ok      oujda: "), "{verified}");
    assert!(run(target.path(), &["commune", "list"]).contains("oujda  OUJ  MA"));
    // The source keeps its commune, its chain one event longer (the export).
    assert!(run(source.path(), &["audit", "verify", "--commune", "oujda"]).starts_with("ok      oujda: "));
}
