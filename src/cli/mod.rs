//! Command-line interface: clap definitions (their doc comments are the `--help` text) and the
//! dispatch to one module per subcommand.

mod args;
mod import;
mod query;
mod reindex;
mod show;
mod similar;
mod status;
#[cfg(feature = "sync")]
mod sync;

pub use args::{Cli, ColorChoice, Command};

use catalog::config::Config;
use std::process::ExitCode;

/// Exit codes (documented in the README).
#[cfg_attr(not(feature = "sync"), allow(dead_code))] // OK, 4 and 130 are sync's
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// Runtime error (network, disk, corrupt data).
    pub const RUNTIME: u8 = 1;
    /// Usage error: bad flags or values.
    pub const USAGE: u8 = 2;
    /// No catalog (or no index) yet: run `catalog sync`.
    pub const MISSING_CATALOG: u8 = 3;
    /// Sync finished partially (failed queries or `--max-requests` reached); run it again to resume.
    pub const PARTIAL_SYNC: u8 = 4;
    /// Interrupted (Ctrl-C); the catalog is intact and the next sync resumes.
    pub const INTERRUPTED: u8 = 130;
}

/// A usage error found after parsing (bad value combinations, bad weights, bad dates).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Runs the parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = Config::from_process_env(
        cli.data_dir.as_deref(),
        cli.command.hub_url(),
        cli.command.viewer_url(),
    );
    let (quiet, verbose) = (cli.quiet, cli.verbose);
    match cli.command {
        #[cfg(feature = "sync")]
        Command::Sync(args) => sync::run(&config, args, quiet, verbose),
        Command::Import(args) => import::run(&config, args, quiet, verbose),
        Command::Query(args) => query::run_query(&config, args, quiet, cli.color),
        Command::Export(args) => query::run_export(&config, args, quiet),
        Command::Report(args) => query::run_report(&config, args, quiet),
        Command::Show(args) => show::run(&config, args, quiet),
        Command::Similar(args) => similar::run(&config, args),
        Command::Status(args) => status::run(&config, args),
        Command::Reindex(args) => reindex::run(&config, args, quiet, verbose),
    }
}

/// Maps an error to its exit code.
pub fn exit_code_for(error: &anyhow::Error) -> u8 {
    use catalog::search::SearchError;
    use catalog::store::StoreError;
    for cause in error.chain() {
        if cause.downcast_ref::<UsageError>().is_some() {
            return exit::USAGE;
        }
        if matches!(
            cause.downcast_ref::<StoreError>(),
            Some(StoreError::Missing(_))
        ) || matches!(
            cause.downcast_ref::<SearchError>(),
            Some(SearchError::Missing(_) | SearchError::Outdated(_))
        ) {
            return exit::MISSING_CATALOG;
        }
    }
    exit::RUNTIME
}

/// Takes the exclusive writer lock of the data dir (one sync/import/reindex at a time).
pub(crate) fn lock_data_dir(config: &Config) -> anyhow::Result<catalog::api::WriteLock> {
    Ok(catalog::api::lock_data_dir(config)?)
}

/// Loads the lexicon: `--lexicon FILE` or the built-in `index/therapy.toml`.
pub(crate) fn load_lexicon(
    path: Option<&std::path::Path>,
) -> anyhow::Result<catalog::score::Lexicon> {
    use anyhow::Context;
    match path {
        Some(p) => catalog::score::Lexicon::from_path(p)
            .with_context(|| format!("cannot load lexicon {}", p.display())),
        None => catalog::score::Lexicon::builtin().context("built-in lexicon is invalid"),
    }
}
