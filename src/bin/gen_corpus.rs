//! `gen_corpus --n N [--seed S] [--out FILE|-]`: writes N synthetic Hub listing items (the
//! `/api/datasets` item JSON with the `expand=` keys the catalog requests), one per line, ready
//! for `catalog import`. Deterministic for a seed. The generator is shared with
//! `bench_hub_scale`.

#[path = "bench_hub_scale/card.rs"]
mod card;
#[path = "bench_hub_scale/corpus.rs"]
mod corpus;
#[path = "bench_hub_scale/rng.rs"]
mod rng;
#[path = "bench_hub_scale/vocab.rs"]
mod vocab;

use std::io::{BufWriter, Write};
use std::process::ExitCode;

const USAGE: &str = "usage: gen_corpus --n N [--seed S] [--out FILE|-]

Writes N synthetic Hugging Face Hub dataset listing items as JSON lines (default: stdout).
  --n N        number of items (required)
  --seed S     PRNG seed (default 42); the same seed always gives the same bytes
  --out FILE   output file, or - for stdout (default -)
  --light      ordinary datasets as the whole-Hub pass stores them (light listing keys, no card)";

/// Parsed command line.
struct Options {
    n: u64,
    seed: u64,
    out: String,
    light: bool,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut n = None;
    let mut seed = 42;
    let mut out = "-".to_string();
    let mut light = false;
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let mut value = || {
            rest.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--n" => {
                let v = value()?;
                n = Some(v.parse().map_err(|_| format!("--n `{v}` is not a count"))?);
            }
            "--seed" => {
                let v = value()?;
                seed = v
                    .parse()
                    .map_err(|_| format!("--seed `{v}` is not a number"))?;
            }
            "--out" => out = value()?,
            "--light" => light = true,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let n = n.ok_or("--n is required")?;
    Ok(Options {
        n,
        seed,
        out,
        light,
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let options = match parse_options(&args) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("gen_corpus: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let written = if options.out == "-" {
        let stdout = std::io::stdout();
        let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
        corpus::write_corpus_shaped(&mut out, options.n, options.seed, options.light)
            .and_then(|()| out.flush())
    } else {
        std::fs::File::create(&options.out).and_then(|file| {
            let mut out = BufWriter::with_capacity(1 << 20, file);
            corpus::write_corpus_shaped(&mut out, options.n, options.seed, options.light)
        })
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_corpus: cannot write {}: {e}", options.out);
            ExitCode::FAILURE
        }
    }
}
