//! `jamaa`: the server and the command line of the platform.

/// The stack of each worker thread. The futures of nested resolvers are large in an unoptimised build (the one
/// `scripts/demo` runs), and tokio's default of 2 MiB leaves them little room; 8 MiB is the main thread's.
const WORKER_STACK_BYTES: usize = 8 << 20;

fn main() -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(WORKER_STACK_BYTES)
        .build()?
        .block_on(jamaa_graphql::cli::main())
}
