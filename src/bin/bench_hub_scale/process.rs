//! Running child processes for the benchmark: wall time, peak RSS through GNU `time -v`, and a
//! clear error (with the child's stderr) whenever a command fails.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// GNU time, which reports "Maximum resident set size" with `-v`.
pub const GNU_TIME: &str = "/usr/bin/time";

/// Why the benchmark stopped.
#[derive(Debug)]
pub struct BenchError(pub String);

impl fmt::Display for BenchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BenchError {}

/// Result of the benchmark's steps.
pub type Result<T> = std::result::Result<T, BenchError>;

/// Shorthand for an error with a message.
pub fn fail<T>(message: impl Into<String>) -> Result<T> {
    Err(BenchError(message.into()))
}

/// What one finished command produced.
#[derive(Debug)]
pub struct Finished {
    /// Standard output, lossily decoded.
    pub stdout: String,
    /// Wall-clock seconds from spawn to exit (including process start-up).
    pub wall_secs: f64,
    /// Peak resident set size in KiB, when measured with GNU time.
    pub max_rss_kib: Option<u64>,
}

/// One command line: program, arguments and an optional file for stdin.
#[derive(Debug, Clone)]
pub struct Invocation {
    /// The program.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<String>,
    /// File fed to stdin (none: stdin is empty).
    pub stdin: Option<PathBuf>,
}

impl Invocation {
    /// `program args...` with an empty stdin.
    pub fn new(program: impl Into<PathBuf>, args: Vec<String>) -> Invocation {
        Invocation {
            program: program.into(),
            args,
            stdin: None,
        }
    }

    /// The command line as a shell-like string, for messages.
    pub fn display(&self) -> String {
        let mut parts = vec![self.program.display().to_string()];
        parts.extend(self.args.iter().map(|a| {
            if a.is_empty() || a.contains([' ', '"', '\'']) {
                format!("{a:?}")
            } else {
                a.clone()
            }
        }));
        let mut text = parts.join(" ");
        if let Some(stdin) = &self.stdin {
            text.push_str(&format!(" < {}", stdin.display()));
        }
        text
    }

    /// Runs the command and times it; a non-zero exit is an error carrying its stderr.
    pub fn run(&self) -> Result<Finished> {
        self.run_command(Command::new(&self.program), None)
    }

    /// Runs the command under `/usr/bin/time -v` (report written to `report_file`) and also
    /// returns the peak RSS.
    pub fn run_measured(&self, report_file: &Path) -> Result<Finished> {
        let mut command = Command::new(GNU_TIME);
        command
            .arg("-v")
            .arg("-o")
            .arg(report_file)
            .arg(&self.program);
        self.run_command(command, Some(report_file))
    }

    fn run_command(&self, mut command: Command, report_file: Option<&Path>) -> Result<Finished> {
        command.args(&self.args);
        command.stdin(match &self.stdin {
            Some(path) => Stdio::from(std::fs::File::open(path).map_err(|e| {
                BenchError(format!("cannot open {} for stdin: {e}", path.display()))
            })?),
            None => Stdio::null(),
        });
        let started = Instant::now();
        let output = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| BenchError(format!("cannot run `{}`: {e}", self.display())))?;
        let wall_secs = started.elapsed().as_secs_f64();
        if !output.status.success() {
            return fail(format!(
                "`{}` failed ({})\n--- stderr ---\n{}",
                self.display(),
                output.status,
                tail(&String::from_utf8_lossy(&output.stderr), 40)
            ));
        }
        let max_rss_kib = match report_file {
            Some(path) => {
                let report = std::fs::read_to_string(path).map_err(|e| {
                    BenchError(format!("cannot read time report {}: {e}", path.display()))
                })?;
                Some(parse_max_rss_kib(&report).ok_or_else(|| {
                    BenchError(format!(
                        "no \"Maximum resident set size\" in {}",
                        path.display()
                    ))
                })?)
            }
            None => None,
        };
        Ok(Finished {
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            wall_secs,
            max_rss_kib,
        })
    }
}

/// The last `lines` lines of `text`.
fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Reads `Maximum resident set size (kbytes): N` from a GNU `time -v` report.
pub fn parse_max_rss_kib(report: &str) -> Option<u64> {
    report
        .lines()
        .find_map(|line| {
            line.trim()
                .strip_prefix("Maximum resident set size (kbytes):")
        })
        .and_then(|v| v.trim().parse().ok())
}

/// Fails with an installation hint unless GNU time, a working sqlite3 with FTS5 and the catalog
/// binary are all present.
pub fn check_tools(catalog: &Path, sqlite3: &Path) -> Result<()> {
    if !Path::new(GNU_TIME).is_file() {
        return fail(format!(
            "GNU time is missing at {GNU_TIME}; install it (Debian/Ubuntu: `apt-get install -y time`) and run again"
        ));
    }
    if !catalog.is_file() {
        return fail(format!(
            "catalog binary not found at {}; build it with `cargo build --release` or pass --catalog PATH",
            catalog.display()
        ));
    }
    let probe = Invocation::new(
        sqlite3,
        vec![
            ":memory:".into(),
            "CREATE VIRTUAL TABLE t USING fts5(a, tokenize='porter unicode61'); SELECT 'ok';"
                .into(),
        ],
    );
    match probe.run() {
        Ok(out) if out.stdout.trim() == "ok" => Ok(()),
        Ok(out) => fail(format!(
            "{} answered `{}` to an FTS5 probe; the baseline needs the sqlite3 CLI with FTS5 \
             (Debian/Ubuntu: `apt-get install -y sqlite3`)",
            sqlite3.display(),
            out.stdout.trim()
        )),
        Err(e) => fail(format!(
            "the baseline needs the sqlite3 CLI with FTS5 at {} (Debian/Ubuntu: `apt-get install -y sqlite3`): {e}",
            sqlite3.display()
        )),
    }
}

/// Bytes in a file (0 when missing).
pub fn file_bytes(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Bytes in every file below `dir` (0 when missing).
pub fn dir_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.file_type() {
            Ok(t) if t.is_dir() => dir_bytes(&entry.path()),
            Ok(_) => entry.metadata().map(|m| m.len()).unwrap_or(0),
            Err(_) => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_peak_rss_from_a_time_report() {
        let report = "\tCommand being timed: \"x\"\n\tMaximum resident set size (kbytes): 48212\n\tExit status: 0\n";
        assert_eq!(parse_max_rss_kib(report), Some(48212));
        assert_eq!(parse_max_rss_kib("nothing here"), None);
    }

    #[test]
    fn failing_command_reports_its_stderr() {
        let err = Invocation::new("sh", vec!["-c".into(), "echo boom >&2; exit 3".into()])
            .run()
            .unwrap_err();
        assert!(err.0.contains("boom"), "{err}");
        assert!(err.0.contains("exit status: 3"), "{err}");
    }
}
