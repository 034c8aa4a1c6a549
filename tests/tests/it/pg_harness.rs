//! The throwaway PostgreSQL server: it starts, makes databases the way production does, and goes away.

use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use jamaa_tests::pg::PgServer;

fn refuses_connections(port: u16) -> bool {
    TcpStream::connect_timeout(&SocketAddr::from(([127, 0, 0, 1], port)), Duration::from_secs(1)).is_err()
}

#[test]
fn starts_and_answers_the_superuser() {
    let server = PgServer::start().unwrap();
    assert!(!refuses_connections(server.port()));
    assert_eq!(server.psql("postgres", "select 1").unwrap(), "1");
    assert_eq!(server.psql("postgres", "select current_user, 2 + 2").unwrap(), "postgres|4");
    assert_eq!(server.psql("postgres", "show fsync").unwrap(), "off");
    assert_eq!(server.psql("postgres", "show max_connections").unwrap(), "200");
}

#[test]
fn create_database_makes_an_owned_database_and_urls() {
    let server = PgServer::start().unwrap();
    let db = server.create_database("jamaa_test").unwrap();
    let port = server.port();
    assert_eq!(db.name, "jamaa_test");
    assert_eq!(db.owner_url, format!("postgres://jamaa_owner@127.0.0.1:{port}/jamaa_test"));
    assert_eq!(db.app_url, format!("postgres://jamaa_app@127.0.0.1:{port}/jamaa_test"));
    assert_eq!(db.superuser_url, format!("postgres://postgres@127.0.0.1:{port}/jamaa_test"));
    assert_eq!(
        server
            .psql("jamaa_test", "select pg_get_userbyid(datdba), pg_encoding_to_char(encoding) from pg_database where datname = current_database()")
            .unwrap(),
        "jamaa_owner|UTF8"
    );
    // The roles are made once per server: a second database reuses them.
    server.create_database("jamaa_second").unwrap();
    assert_eq!(server.psql("postgres", "select count(*) from pg_database where datname like 'jamaa_%'").unwrap(), "2");
    assert!(server.create_database("jamaa_test").is_err(), "a database is made once");
    assert!(server.create_database("Not-An-Identifier").is_err());
}

#[test]
fn app_role_is_no_superuser_and_cannot_create_in_public() {
    let server = PgServer::start().unwrap();
    server.create_database("jamaa_app_test").unwrap();
    let roles = server
        .psql(
            "postgres",
            "select rolname, rolsuper, rolbypassrls, rolcreatedb, rolcanlogin from pg_roles \
             where rolname in ('jamaa_owner', 'jamaa_app') order by rolname",
        )
        .unwrap();
    assert_eq!(roles, "jamaa_app|f|f|f|t\njamaa_owner|f|f|f|t");

    let error = server.psql_as("jamaa_app", "jamaa_app_test", "create table public.t (id int)").unwrap_err();
    assert!(error.to_string().contains("permission denied for schema public"), "{error:#}");

    // The owner migrates: it may create in public, and it can let the application use what it made.
    server
        .psql_as(
            "jamaa_owner",
            "jamaa_app_test",
            "create table public.t (id int); grant select, insert on public.t to jamaa_app;",
        )
        .unwrap();
    assert_eq!(
        server.psql_as("jamaa_app", "jamaa_app_test", "insert into t values (7); select id from t").unwrap(),
        "7"
    );
}

#[test]
fn two_servers_run_side_by_side() {
    let first = PgServer::start().unwrap();
    let second = PgServer::start().unwrap();
    assert_ne!(first.port(), second.port());
    assert_ne!(first.data_dir(), second.data_dir());
    first.create_database("only_in_first").unwrap();
    assert_eq!(
        first.psql("postgres", "select count(*) from pg_database where datname = 'only_in_first'").unwrap(),
        "1"
    );
    assert_eq!(
        second.psql("postgres", "select count(*) from pg_database where datname = 'only_in_first'").unwrap(),
        "0"
    );
    assert_eq!(second.psql("postgres", "select 1").unwrap(), "1");
}

#[test]
fn server_is_gone_after_drop() {
    let server = PgServer::start().unwrap();
    let port = server.port();
    let dir = server.socket_dir().to_path_buf();
    assert_eq!(server.psql("postgres", "select 1").unwrap(), "1");
    drop(server);
    assert!(refuses_connections(port), "port {port} still accepts connections");
    assert!(!dir.exists(), "{} is still there", dir.display());
}

#[test]
fn server_is_gone_after_the_test_process_ends() {
    // A process of its own starts a server and exits without dropping it.
    let output = Command::new(env!("CARGO_BIN_EXE_leak-pg-server")).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let line = stdout.lines().find_map(|line| line.split_once("leaked-server ")).map(|(_, rest)| rest);
    let line = line.unwrap_or_else(|| panic!("no leaked-server line in:\n{stdout}"));
    let (port, dir) = line.split_once(' ').unwrap();
    let (port, dir): (u16, PathBuf) = (port.parse().unwrap(), dir.into());

    let deadline = Instant::now() + Duration::from_secs(20);
    while (!refuses_connections(port) || dir.exists()) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(refuses_connections(port), "port {port} still accepts connections");
    assert!(!dir.exists(), "{} is still there", dir.display());
}

#[test]
fn a_run_shares_one_server_that_ends_with_it() {
    // A run of its own (a shell standing for cargo-nextest) whose process asks twice for the run's server, then
    // ends a little later.
    let run_id = format!("{:x}-harness", std::process::id());
    let output = Command::new("/bin/sh")
        .args(["-c", "\"$0\" shared && sleep 1", env!("CARGO_BIN_EXE_leak-pg-server")])
        .env("NEXTEST_RUN_ID", &run_id)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let line = stdout.lines().find_map(|line| line.split_once("shared-server ")).map(|(_, rest)| rest);
    let fields: Vec<&str> = line.unwrap_or_else(|| panic!("no shared-server line in:\n{stdout}")).split(' ').collect();
    let (first, second, dir): (u16, u16, PathBuf) =
        (fields[0].parse().unwrap(), fields[1].parse().unwrap(), fields[2].into());
    assert_eq!(first, second, "the second ask started another server");
    assert!(dir.ends_with(format!("jamaa-pg-run-{run_id}")), "{}", dir.display());

    let deadline = Instant::now() + Duration::from_secs(20);
    while (!refuses_connections(first) || dir.exists()) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(refuses_connections(first), "port {first} still accepts connections");
    assert!(!dir.exists(), "{} is still there", dir.display());
}
