//! Starts a throwaway PostgreSQL server, prints where it is, and exits without stopping it: the process that
//! `pg_harness::server_is_gone_after_the_test_process_ends` runs to check that an abandoned server stops.
//!
//! With the argument `shared`, asks twice for the server of the test run (`PgServer::for_tests`, which needs
//! `NEXTEST_RUN_ID`) and prints both ports: `pg_harness::a_run_shares_one_server_that_ends_with_it` checks that
//! they are the same server, and that it stops when this process's parent, the run, ends.

fn main() -> anyhow::Result<()> {
    if std::env::args().nth(1).as_deref() == Some("shared") {
        let first = jamaa_tests::pg::PgServer::for_tests()?;
        let second = jamaa_tests::pg::PgServer::for_tests()?;
        anyhow::ensure!(first.is_shared() && second.is_shared(), "not the run's server");
        println!("shared-server {} {} {}", first.port(), second.port(), first.socket_dir().display());
        return Ok(());
    }
    let server = jamaa_tests::pg::PgServer::start()?;
    println!("leaked-server {} {}", server.port(), server.socket_dir().display());
    std::mem::forget(server);
    Ok(())
}
