//! `bench_hub_scale`: the Hub-scale benchmark in one command.
//!
//! For each corpus size it generates synthetic Hub listing items, imports them with
//! `catalog import` (time, rate, peak RSS), reports database and index sizes, builds an SQLite
//! FTS5 baseline over the same rows, and times whole-process `catalog query` against whole-process
//! `sqlite3` for the same queries with the same filters and ranking. The markdown report goes to
//! stdout and to `--out`.

mod card;
mod corpus;
#[cfg(test)]
mod corpus_tests;
mod fts;
mod measure;
mod process;
mod queries;
mod report;
mod rng;
mod vocab;

use process::{fail, BenchError, Invocation, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: bench_hub_scale [--sizes 10000,100000,600000] [--runs 30] \
[--catalog target/release/catalog] [--work bench-data] [--out BENCHMARKS-results.md] \
[--seed 42] [--sqlite3 /usr/bin/sqlite3] [--light]

--light stores ordinary datasets as the whole-Hub pass does (light listing keys, no card).

Generates synthetic Hub corpora, imports them with `catalog import`, builds an SQLite FTS5
baseline from the same rows, and times whole-process queries on both. Needs GNU time at
/usr/bin/time (`apt-get install -y time`) and the sqlite3 CLI with FTS5.";

/// Parsed command line.
struct Options {
    sizes: Vec<u64>,
    runs: usize,
    catalog: PathBuf,
    work: PathBuf,
    out: PathBuf,
    seed: u64,
    sqlite3: PathBuf,
    light: bool,
}

fn parse_options(args: &[String]) -> Result<Options> {
    let mut options = Options {
        sizes: vec![10_000, 100_000, 600_000],
        runs: 30,
        catalog: PathBuf::from("target/release/catalog"),
        work: PathBuf::from("bench-data"),
        out: PathBuf::from("BENCHMARKS-results.md"),
        seed: 42,
        sqlite3: PathBuf::from("/usr/bin/sqlite3"),
        light: false,
    };
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        if flag == "--light" {
            options.light = true;
            continue;
        }
        let Some(value) = rest.next() else {
            return fail(format!("{flag} needs a value\n\n{USAGE}"));
        };
        let number = |what: &str, text: &str| -> Result<u64> {
            text.trim()
                .parse::<u64>()
                .map_err(|_| BenchError(format!("{what}: `{text}` is not a whole number")))
        };
        match flag.as_str() {
            "--sizes" => {
                options.sizes = value
                    .split(',')
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| number("--sizes", s))
                    .collect::<Result<_>>()?;
            }
            "--runs" => options.runs = number("--runs", value)? as usize,
            "--catalog" => options.catalog = PathBuf::from(value),
            "--work" => options.work = PathBuf::from(value),
            "--out" => options.out = PathBuf::from(value),
            "--seed" => options.seed = number("--seed", value)?,
            "--sqlite3" => options.sqlite3 = PathBuf::from(value),
            other => return fail(format!("unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    if options.sizes.is_empty() || options.sizes.contains(&0) {
        return fail("--sizes needs at least one positive size");
    }
    if options.runs == 0 {
        return fail("--runs must be at least 1");
    }
    Ok(options)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    match parse_options(&args).and_then(|options| run(&options, &args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_hub_scale: error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(options: &Options, args: &[String]) -> Result<()> {
    process::check_tools(&options.catalog, &options.sqlite3)?;
    std::fs::create_dir_all(&options.work)
        .map_err(|e| BenchError(format!("cannot create {}: {e}", options.work.display())))?;
    let machine = machine_info(&options.catalog, &options.sqlite3);
    eprintln!("{machine}");
    let mut results = Vec::with_capacity(options.sizes.len());
    for &n in &options.sizes {
        let setup = measure::Setup {
            catalog: &options.catalog,
            sqlite3: &options.sqlite3,
            dir: options.work.join(format!("n{n}")),
            seed: options.seed,
            runs: options.runs,
            light: options.light,
        };
        let result = measure::bench_size(&setup, n)?;
        println!("{}", report::render_size(&result));
        results.push(result);
    }
    println!("{}", report::render_overall(&results));
    let command = std::iter::once(
        "cargo build --release && cargo run --release --bin bench_hub_scale --".to_string(),
    )
    .chain(args.iter().cloned())
    .collect::<Vec<_>>()
    .join(" ");
    let document = report::render_document(&machine, &command, options.runs, &results);
    std::fs::write(&options.out, document)
        .map_err(|e| BenchError(format!("cannot write {}: {e}", options.out.display())))?;
    eprintln!("wrote {}", options.out.display());
    Ok(())
}

/// CPU, cores, memory, OS and tool versions as markdown bullets.
fn machine_info(catalog: &Path, sqlite3: &Path) -> String {
    let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
    let cpuinfo = read("/proc/cpuinfo");
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown", |(_, v)| v.trim())
        .to_string();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory_gb = read("/proc/meminfo")
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or("unknown".to_string(), |kib| {
            format!("{:.1} GB", kib * 1024.0 / 1e9)
        });
    let os = read("/etc/os-release")
        .lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
        .map_or("unknown".to_string(), |v| v.trim_matches('"').to_string());
    let kernel = read("/proc/sys/kernel/osrelease").trim().to_string();
    let version = |program: &Path, flag: &str| {
        Invocation::new(program, vec![flag.to_string()])
            .run()
            .map(|f| f.stdout.trim().to_string())
            .unwrap_or_else(|e| format!("unknown ({})", e.0.lines().next().unwrap_or("")))
    };
    format!(
        "- CPU: {cpu}, {cores} cores available\n- memory: {memory_gb}\n- OS: {os}, kernel {kernel}\n\
         - catalog: {} ({})\n- sqlite3: {}\n",
        version(catalog, "--version"),
        catalog.display(),
        version(sqlite3, "--version")
    )
}
