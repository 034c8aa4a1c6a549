//! Jamaa's end-to-end test support: the server spawned on a free port of 127.0.0.1 with the demo loaded, on a
//! fresh SQLite file or on a throwaway PostgreSQL ([`pg`]), and a small GraphQL client over real HTTP.

pub mod app;
pub mod clock;
pub mod sim;
/// The throwaway PostgreSQL server (the crate `jamaa-pg`, which core's store tests use too).
pub use jamaa_pg as pg;
pub mod ws;

/// The Python of the venv that `scripts/install-test-deps` makes for the tests that drive PyPI tools (the
/// Open311 client georeport, the SMTP server aiosmtpd): `$CARGO_TARGET_DIR/py`, or `JAMAA_TEST_PYTHON`.
pub fn test_python() -> std::path::PathBuf {
    if let Some(python) = std::env::var_os("JAMAA_TEST_PYTHON") {
        return std::path::PathBuf::from(python);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("py/bin/python")
}

/// Runs each named scenario, an `async fn(Backend) -> anyhow::Result<()>` of the test file, as two tests: one on
/// SQLite, one on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() -> ::anyhow::Result<()> {
                super::$name($crate::app::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() -> ::anyhow::Result<()> {
                super::$name($crate::app::Backend::Postgres).await
            }
        }
    )*};
}
