//! `catalog` binary: parse the command line, run, map errors to exit codes.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = catalog::cli::Cli::parse();
    match catalog::cli::run(cli) {
        Ok(code) => code,
        Err(error) => {
            let message = format!("{error:#}");
            eprintln!(
                "error: {}",
                catalog::output::sanitize::clean_line(&message, 2_000)
            );
            ExitCode::from(catalog::cli::exit_code_for(&error))
        }
    }
}
