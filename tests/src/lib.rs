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

/// The runtime a scenario runs on, with the server it spawns: two workers, as `#[tokio::test(flavor =
/// "multi_thread", worker_threads = 2)]` has, whose stacks are 8 MiB rather than 2: a debug build's futures
/// (a mutation resolved through every merged mutation object of the schema, down to a training commune's
/// onboarding and fictitious files) need more than 2 MiB; a release build's far less.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).thread_stack_size(8 << 20).enable_all().build()
}

/// Runs each named scenario, an `async fn(Backend) -> anyhow::Result<()>` of the test file, as two tests: one on
/// SQLite, one on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() -> ::anyhow::Result<()> {
                $crate::runtime()?.block_on(super::$name($crate::app::Backend::Sqlite))
            }
            #[test]
            fn postgres() -> ::anyhow::Result<()> {
                $crate::runtime()?.block_on(super::$name($crate::app::Backend::Postgres))
            }
        }
    )*};
}
