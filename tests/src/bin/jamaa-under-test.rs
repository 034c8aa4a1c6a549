//! The `jamaa` program itself (`jamaa_graphql::cli::program`, as graphql/src/main.rs), built with the end-to-end
//! tests so that they find it at `CARGO_BIN_EXE_jamaa-under-test`: `faults` starts it as a process of its own,
//! kills it with SIGKILL and starts it again on the same database.

fn main() -> anyhow::Result<()> {
    jamaa_graphql::cli::program()
}
