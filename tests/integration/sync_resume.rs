//! kill -9 in the middle of a quick pass: the catalog stays intact and queryable, and the next
//! sync resumes the interrupted run without redoing finished queries. (The full pass's resume is
//! tested in `sync_full.rs`.)

use crate::common::fake_hub::{FakeHub, Fault};
use crate::common::{assert_ok, stdout, therapy_item, Sandbox};
use std::collections::HashSet;
use std::time::{Duration, Instant};

fn searched_terms(hub: &FakeHub) -> Vec<String> {
    hub.requests()
        .iter()
        .filter(|r| r.path == "/api/datasets" && r.status == Some(200))
        .filter_map(|r| {
            r.query_value("search")
                .map(|t| format!("search:{t}"))
                .or_else(|| r.query_value("filter").map(|t| format!("filter:{t}")))
        })
        .collect()
}

/// Starts a slow sync (every listing page takes 150 ms) and returns once `queries` queries are done.
fn spawn_slow_sync(hub: &FakeHub, sandbox: &Sandbox, queries: usize) -> std::process::Child {
    hub.inject(
        "/api/datasets",
        Fault::Delay(Duration::from_millis(150)),
        10_000,
    );
    let child = sandbox
        .command(&[
            "sync",
            "--quick",
            "--no-samples",
            "--hub-url",
            &hub.url(),
            "--viewer-url",
            &hub.url(),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while searched_terms(hub).len() < queries {
        assert!(Instant::now() < deadline, "sync made no progress");
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

#[test]
fn kill_9_mid_sync_keeps_the_catalog_and_the_next_sync_resumes() {
    let hub = FakeHub::start();
    hub.set_quota(100_000);
    hub.add_dataset(therapy_item(
        "clinic/cbt-therapy-transcripts",
        "CBT therapy session transcripts",
    ));
    hub.add_dataset(therapy_item(
        "peer/mental-health-support",
        "peer support conversations",
    ));
    let sandbox = Sandbox::new();
    assert_ok(&sandbox.sync(&hub.url(), &["--quick", "--no-samples"]));
    let before = stdout(&sandbox.run(&["query", "therapy", "--output", "jsonl"]));
    assert!(before.contains("clinic/cbt-therapy-transcripts"));

    // Upstream changes; the next sync is slow (every listing page takes 150 ms) and gets killed.
    hub.add_dataset(therapy_item(
        "new/counseling-dialogues",
        "counseling dialogues",
    ));
    hub.clear_log();
    let mut child = spawn_slow_sync(&hub, &sandbox, 8);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let done_before_kill: HashSet<String> = searched_terms(&hub).into_iter().collect();

    // Intact: integrity check passes and the previous state is still queryable.
    let conn = rusqlite::Connection::open(sandbox.catalog_db()).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let run_status: String = conn
        .query_row(
            "SELECT status FROM sync_runs ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        run_status, "running",
        "a killed run is left for the next sync to resume"
    );
    drop(conn);
    let during = sandbox.run(&["query", "therapy", "--output", "jsonl"]);
    assert_ok(&during);
    assert!(stdout(&during).contains("clinic/cbt-therapy-transcripts"));

    // Resume: finished queries are not requested again.
    hub.clear_log();
    let resumed = sandbox.sync(&hub.url(), &["--quick", "--no-samples"]);
    assert_ok(&resumed);
    let out = stdout(&resumed);
    assert!(out.contains("resumed an interrupted run"), "{out}");
    let after: HashSet<String> = searched_terms(&hub).into_iter().collect();
    let redone: Vec<&String> = after.intersection(&done_before_kill).collect();
    // At most the page in flight when the kill landed is fetched twice.
    assert!(
        redone.len() <= 1,
        "finished queries fetched again: {redone:?}"
    );
    println!(
        "killed after {} queries; resume fetched {} queries, {} of them again\n{out}",
        done_before_kill.len(),
        after.len(),
        redone.len()
    );
    let q = stdout(&sandbox.run(&["query", "counseling", "--output", "jsonl"]));
    assert!(q.contains("new/counseling-dialogues"), "{q}");
}

#[test]
fn ctrl_c_marks_the_run_interrupted_and_exits_130() {
    let hub = FakeHub::start();
    hub.set_quota(100_000);
    hub.add_dataset(therapy_item(
        "clinic/cbt-therapy-transcripts",
        "CBT therapy session transcripts",
    ));
    let sandbox = Sandbox::new();
    let child = spawn_slow_sync(&hub, &sandbox, 3);
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        crate::common::stderr(&out)
    );
    assert!(crate::common::stderr(&out).contains("run `catalog sync` again to resume"));
    let conn = rusqlite::Connection::open(sandbox.catalog_db()).unwrap();
    let run_status: String = conn
        .query_row(
            "SELECT status FROM sync_runs ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(run_status, "interrupted");
}
