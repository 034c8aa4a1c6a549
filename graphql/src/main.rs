//! `jamaa`: the server and the command line of the platform.

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    jamaa_graphql::cli::main().await
}
