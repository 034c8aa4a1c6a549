//! `jamaa`: the server and the command line of the platform.

fn main() -> anyhow::Result<()> {
    jamaa_graphql::cli::program()
}
