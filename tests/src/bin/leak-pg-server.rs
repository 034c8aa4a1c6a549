//! Starts a throwaway PostgreSQL server, prints where it is, and exits without stopping it: the process that
//! `pg_harness::server_is_gone_after_the_test_process_ends` runs to check that an abandoned server stops.

fn main() -> anyhow::Result<()> {
    let server = jamaa_tests::pg::PgServer::start()?;
    println!("leaked-server {} {}", server.port(), server.socket_dir().display());
    std::mem::forget(server);
    Ok(())
}
