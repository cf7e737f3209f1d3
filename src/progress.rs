//! Progress and warnings on stderr. Progress lines appear only when stderr is a terminal and
//! `-q` was not given; warnings appear unless `-q`. Stdout is left to results.

use std::io::{IsTerminal, Write};

/// Where progress and warnings go.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    live: bool,
    warnings: bool,
    verbose: bool,
}

impl Progress {
    /// Progress for the current process: live lines only on a terminal and when not quiet;
    /// `verbose` adds one line per finished step.
    pub fn for_stderr(quiet: bool, verbose: bool) -> Progress {
        Progress {
            live: !quiet && std::io::stderr().is_terminal(),
            warnings: !quiet,
            verbose: verbose && !quiet,
        }
    }

    /// No output at all (tests, library use).
    pub fn silent() -> Progress {
        Progress {
            live: false,
            warnings: false,
            verbose: false,
        }
    }

    /// Rewrites the live status line.
    pub fn update(&self, line: &str) {
        if self.live {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K{}", crate::sanitize::clean_line(line, 160));
            let _ = err.flush();
        }
    }

    /// Clears the live status line.
    pub fn finish(&self) {
        if self.live {
            let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
        }
    }

    /// Prints a detail line with `-v`.
    pub fn note(&self, message: &str) {
        if self.verbose {
            self.finish();
            let _ = writeln!(
                std::io::stderr().lock(),
                "{}",
                crate::sanitize::clean_line(message, 400)
            );
        }
    }

    /// Prints a warning line (untrusted parts must already be sanitised by the caller).
    pub fn warn(&self, message: &str) {
        if self.warnings {
            self.finish();
            let _ = writeln!(
                std::io::stderr().lock(),
                "warning: {}",
                crate::sanitize::clean_line(message, 400)
            );
        }
    }
}
