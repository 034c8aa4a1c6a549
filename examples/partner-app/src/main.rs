//! `partner-app`: lists a commune's services, submits a « légalisation de signature » and tracks it.

use std::process::ExitCode;

use clap::Parser as _;
use partner_app::{Options, Report};

#[tokio::main]
async fn main() -> ExitCode {
    let options = Options::parse();
    match partner_app::run(&options).await {
        Ok(report) => {
            print(&options, &report);
            ExitCode::SUCCESS
        }
        // A GraphQL error comes with its code and every field at fault.
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn print(options: &Options, report: &Report) {
    println!("Services of {}:", options.commune);
    for service in &report.services {
        println!("  {:<40} {}", service.code, service.name);
    }

    let receipt = &report.submission.receipt;
    println!("\nSubmitted: {}", receipt.service_name);
    println!("  tracking code  {}", receipt.tracking_code);
    println!("  decision due   {}", receipt.decision_due);
    println!("  if no answer   {} ({})", receipt.silence_means, receipt.silence);
    println!("  secret         {}  (shown once: give it to the citizen)", report.submission.secret);

    let tracked = &report.tracked;
    println!("\nTracked {}: {} ({})", tracked.tracking_code, tracked.state_label, tracked.state);
    for step in &report.tracked.history {
        println!("  {}  {} -> {} ({}) by {}", step.at, step.action, step.state_label, step.to_state, step.actor);
    }
}
