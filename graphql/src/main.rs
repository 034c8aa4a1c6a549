//! `jamaa`: the server and the command line of the platform.

use clap::Parser;
use jamaa_graphql::settings::LogFormat;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = jamaa_graphql::cli::Cli::parse();
    let filter = EnvFilter::try_from_env("JAMAA_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match cli.log_format()? {
        // One JSON object a line, with the fields of the spans it is in (the request id among them).
        LogFormat::Json => logs.json().with_current_span(true).with_span_list(false).init(),
        LogFormat::Text => logs.init(),
    }
    jamaa_graphql::cli::run(cli).await
}
