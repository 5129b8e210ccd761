//! `seasonlink`: parse the command line, load settings, start logging, run.

use clap::Parser;

use seasonlink::cli::{self, Cli};
use seasonlink::config::Settings;

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load() {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("error: configuration: {err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    seasonlink::telemetry::init(&settings.log);
    match cli::run(cli, settings) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
