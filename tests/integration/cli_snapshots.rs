//! Snapshots of what a user reads: `--help` of every command and the main error messages, with
//! their exit codes. A change to any of them shows up as a reviewed diff in
//! `tests/integration/snapshots/` (`cargo insta review`, or `INSTA_UPDATE=always cargo test`
//! then `git diff`); in CI (`CI` set) a missing or different snapshot fails.

use crate::common::{stderr, stdout, Sandbox};
use std::process::Output;

/// Exit code, stdout and stderr of one run, with the sandbox's paths replaced by `[SANDBOX]`.
fn transcript(sandbox: &Sandbox, out: &Output) -> String {
    let root = sandbox.root.path().display().to_string();
    let text = format!(
        "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
        out.status.code(),
        stdout(out),
        stderr(out)
    );
    text.replace(&root, "[SANDBOX]")
}

fn run(args: &[&str]) -> String {
    let sandbox = Sandbox::new();
    let out = sandbox.run(args);
    transcript(&sandbox, &out)
}

#[test]
fn help_texts() {
    for command in [
        "", "sync", "import", "query", "show", "similar", "export", "report", "status", "reindex",
    ] {
        let mut args: Vec<&str> = command.split_whitespace().collect();
        args.push("--help");
        let name = if command.is_empty() {
            "catalog"
        } else {
            command
        };
        insta::assert_snapshot!(format!("help_{name}"), run(&args));
    }
}

#[test]
fn usage_errors_exit_2_with_the_reason() {
    insta::assert_snapshot!("limit_zero", run(&["query", "therapy", "--limit", "0"]));
    insta::assert_snapshot!("unknown_flag", run(&["query", "--min-turn", "20"]));
    insta::assert_snapshot!(
        "bad_weights",
        run(&["query", "therapy", "--weights", "match=2,bogus=1"])
    );
    insta::assert_snapshot!(
        "relevance_out_of_range",
        run(&["query", "--min-relevance", "1.5"])
    );
    insta::assert_snapshot!("bad_date", run(&["query", "--updated-since", "yesterday"]));
}

#[test]
fn a_missing_catalog_says_what_to_run() {
    insta::assert_snapshot!("query_without_catalog", run(&["query", "therapy"]));
    insta::assert_snapshot!("show_without_catalog", run(&["show", "a/b"]));
    insta::assert_snapshot!("status_without_catalog", run(&["status"]));
    let sandbox = Sandbox::new();
    let out = sandbox.run(&["reindex"]);
    insta::assert_snapshot!("reindex_without_catalog", transcript(&sandbox, &out));
    assert!(
        !sandbox.data_dir().exists(),
        "a refused reindex leaves no data dir and no sync.lock behind"
    );
}
