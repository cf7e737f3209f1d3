//! The whole-Hub pass at a scale where paging matters: 20,000 datasets on the fake Hub.
//!
//! Run with `--nocapture` for the request counts quoted in notes.

use crate::common::fake_hub::{FakeHub, Fault};
use crate::common::{assert_ok, stderr, stdout, Sandbox};
use serde_json::json;
use std::collections::HashSet;
use std::time::{Duration, Instant};

const GENERIC: usize = 20_000;

/// Therapy datasets whose ids and tags carry no therapy word: only a whole-Hub pass finds them.
const HIDDEN_THERAPY: [(&str, &str); 5] = [
    (
        "tanaka-lab/kokoro-kaiwa",
        "Japanese psychological counseling dialogues between a counselor and a client.",
    ),
    (
        "jsmith/synthetic-sessions-v2",
        "Synthetic therapist and patient sessions for training supportive agents.",
    ),
    (
        "amy-chen/long-dialogues",
        "Multi-turn counseling conversations: a counselor helps a client with anxiety.",
    ),
    (
        "nlp-group/reframe",
        "Cognitive reframing conversations between a therapist and a patient (CBT).",
    ),
    (
        "oslo-nlp/samtale",
        "Counseling sessions between a counselor and clients, transcribed and anonymised.",
    ),
];

fn big_hub() -> FakeHub {
    let hub = FakeHub::start();
    hub.set_quota(10_000_000);
    for i in 0..GENERIC {
        hub.add_dataset(FakeHub::dataset_item(
            &format!("org{}/tables-{i}", i % 97),
            "Street scene images with bounding boxes for object detection.",
            &["task_categories:object-detection", "license:mit"],
        ));
    }
    for (id, description) in HIDDEN_THERAPY {
        hub.add_dataset(FakeHub::dataset_item(id, description, &["language:en"]));
    }
    hub
}

fn listing(hub: &FakeHub) -> Vec<crate::common::fake_hub::RecordedRequest> {
    hub.requests()
        .into_iter()
        .filter(|r| r.path == "/api/datasets")
        .collect()
}

fn whole_hub_pages(hub: &FakeHub) -> Vec<crate::common::fake_hub::RecordedRequest> {
    listing(hub)
        .into_iter()
        .filter(|r| r.query_value("sort") == Some("lastModified"))
        .collect()
}

fn stored_count(sandbox: &Sandbox) -> i64 {
    let conn = rusqlite::Connection::open(sandbox.catalog_db()).unwrap();
    conn.query_row("SELECT COUNT(*) FROM datasets", [], |r| r.get(0))
        .unwrap()
}

fn now_iso() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[test]
fn whole_hub_pass_finds_what_the_plan_misses_and_resyncs_are_incremental() {
    let hub = big_hub();
    hub.set_max_limit(500);
    hub.add_file(
        "oslo-nlp/samtale",
        "README.md",
        "---\nlicense: cc-by-4.0\n---\n# Samtale\n\n<!-- Template hint: name the zeppelin corpus. -->\nSessions follow the ikigai-reflection protocol.\n",
    );
    let sandbox = Sandbox::new();
    let out = sandbox.sync(&hub.url(), &[]);
    assert_ok(&out);
    let fresh = hub.requests().len();
    // Found by the light whole-Hub listing only: the detail call brought their cards.
    assert!(stdout(&out).contains("5 detail calls"), "{}", stdout(&out));
    assert_eq!(
        sandbox.show_json("tanaka-lab/kokoro-kaiwa")["pretty_name"],
        "kokoro-kaiwa"
    );
    // The whole README is searchable, beyond the listing's description.
    assert_eq!(sandbox.query_names(&["ikigai"]), ["oslo-nlp/samtale"]);
    // ...as a reader sees it: its HTML comments are not.
    assert!(sandbox.query_names(&["zeppelin"]).is_empty());
    let pages = whole_hub_pages(&hub);
    // 1000 is refused once (400); every later page of the sync asks for 500: 41 whole-Hub
    // pages for 20,005 datasets, plus the catch-up.
    let all = listing(&hub);
    assert_eq!(all.first().and_then(|r| r.status), Some(400));
    assert_eq!(all.iter().filter(|r| r.status == Some(400)).count(), 1);
    assert!(pages.iter().all(|r| r.query_value("limit") == Some("500")));
    assert_eq!(pages.len(), 42);
    assert_eq!(
        stored_count(&sandbox),
        (GENERIC + HIDDEN_THERAPY.len()) as i64
    );
    let found = sandbox.query_names(&["counseling therapist", "--limit", "20"]);
    for (id, _) in HIDDEN_THERAPY {
        assert!(found.contains(&id.to_string()), "{id} not found: {found:?}");
    }
    println!(
        "fresh sync: {fresh} requests ({} listing: {} quick, {} whole-Hub)\n{}",
        listing(&hub).len(),
        listing(&hub).len() - pages.len(),
        pages.len(),
        stdout(&out)
    );

    hub.clear_log();
    let out = sandbox.sync(&hub.url(), &[]);
    assert_ok(&out);
    assert_eq!(
        hub.requests().len(),
        1,
        "a no-change re-sync is one listing page"
    );
    println!(
        "no-change re-sync: {} requests\n{}",
        hub.requests().len(),
        stdout(&out)
    );

    // Ten datasets change upstream.
    for i in 0..10 {
        hub.update_dataset(&format!("org{}/tables-{i}", i % 97), |item| {
            item["lastModified"] = json!(now_iso());
            item["description"] = json!(format!("Updated release {i} of the street scenes."));
        });
    }
    hub.clear_log();
    let out = sandbox.sync(&hub.url(), &[]);
    assert_ok(&out);
    assert!(stdout(&out).contains("10 changed"), "{}", stdout(&out));
    let changed = sandbox.show_json("org3/tables-3");
    assert_eq!(
        changed["description"],
        "Updated release 3 of the street scenes."
    );
    println!(
        "re-sync after 10 changes: {} requests\n{}",
        hub.requests().len(),
        stdout(&out)
    );
    assert!(hub.requests().len() <= 2);
}

/// Spawns a sync whose listing pages each take `delay`.
fn spawn_slow(hub: &FakeHub, sandbox: &Sandbox, delay: Duration) -> std::process::Child {
    hub.inject("/api/datasets", Fault::Delay(delay), 100_000);
    sandbox
        .command(&[
            "sync",
            "--no-samples",
            "--hub-url",
            &hub.url(),
            "--viewer-url",
            &hub.url(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

fn wait_for_whole_hub_pages(hub: &FakeHub, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while whole_hub_pages(hub)
        .iter()
        .filter(|r| r.status == Some(200))
        .count()
        < n
    {
        assert!(Instant::now() < deadline, "the full pass made no progress");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn kill_9_mid_full_pass_resumes_from_its_checkpoint_and_stays_queryable() {
    let hub = big_hub();
    let sandbox = Sandbox::new();
    let mut child = spawn_slow(&hub, &sandbox, Duration::from_millis(40));
    wait_for_whole_hub_pages(&hub, 12);
    child.kill().unwrap();
    child.wait().unwrap();
    let before: HashSet<String> = whole_hub_pages(&hub)
        .iter()
        .filter(|r| r.status == Some(200))
        .map(|r| r.query_value("cursor").unwrap_or("first").to_string())
        .collect();
    // Queryable: the index took in the pages stored so far (every 10 pages).
    let stored = stored_count(&sandbox);
    let out = sandbox.run(&[
        "query",
        "--min-relevance",
        "0",
        "--limit",
        "20000",
        "--output",
        "jsonl",
    ]);
    assert_ok(&out);
    let searchable = stdout(&out).lines().count() as i64;
    assert!(
        searchable >= 5_000 && searchable <= stored,
        "{searchable} searchable of {stored} stored"
    );

    hub.clear_log();
    let out = sandbox.sync(&hub.url(), &["--no-samples"]);
    assert_ok(&out);
    assert!(stdout(&out).contains("resumed"), "{}", stdout(&out));
    assert!(
        !stdout(&out).contains("plan"),
        "the quick pass is not run again: {}",
        stdout(&out)
    );
    let after: Vec<String> = whole_hub_pages(&hub)
        .iter()
        .map(|r| r.query_value("cursor").unwrap_or("first").to_string())
        .collect();
    // The full pass's first page and its catch-up's first page are the same URL; pages past
    // the first carry their cursor.
    let again: Vec<&String> = after
        .iter()
        .filter(|c| *c != "first" && before.contains(*c))
        .collect();
    assert!(again.len() <= 1, "pages fetched twice: {again:?}");
    assert_eq!(
        stored_count(&sandbox),
        (GENERIC + HIDDEN_THERAPY.len()) as i64
    );
    println!(
        "killed after {} whole-Hub pages; resume fetched {} pages, {} again",
        before.len(),
        after.len(),
        again.len()
    );
}

#[test]
fn datasets_changed_during_the_pass_are_caught_and_vanished_ones_marked_gone() {
    let hub = big_hub();
    let sandbox = Sandbox::new();
    let mut child = spawn_slow(&hub, &sandbox, Duration::from_millis(40));
    wait_for_whole_hub_pages(&hub, 3);
    // Old datasets deep in the listing change now: they move to the front, behind the cursor.
    let moved: Vec<String> = (0..5)
        .map(|i| format!("org{}/tables-{}", (19_990 + i) % 97, 19_990 + i))
        .collect();
    for id in &moved {
        hub.update_dataset(id, |item| {
            item["lastModified"] = json!(now_iso());
            item["description"] = json!("Moved during the crawl.");
        });
    }
    assert!(child.wait().unwrap().success());
    for id in &moved {
        let shown = sandbox.show_json(id);
        assert_eq!(shown["description"], "Moved during the crawl.", "{id}");
    }
    let conn = rusqlite::Connection::open(sandbox.catalog_db()).unwrap();
    let gone: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM datasets WHERE gone_at IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        gone, 0,
        "nothing that moved during the pass is taken for gone"
    );
    drop(conn);

    hub.remove_dataset("org5/tables-5");
    hub.clear_log();
    let out = sandbox.sync(&hub.url(), &["--full", "--no-samples"]);
    assert_ok(&out);
    assert!(stdout(&out).contains("1 gone"), "{}", stdout(&out));
    assert!(sandbox.show_json("org5/tables-5")["name"] == "org5/tables-5");
}

#[test]
fn an_unreachable_hub_fails_fast_with_one_clear_line() {
    // A closed port: connections are refused.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let sandbox = Sandbox::new();
    let url = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    let out = sandbox.sync(&url, &[]);
    let refused_after = started.elapsed();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let message = stderr(&out);
    assert!(message.contains("cannot reach the Hub at"), "{message}");
    assert!(message.contains("HF_ENDPOINT"), "{message}");
    assert!(refused_after < Duration::from_secs(60), "{refused_after:?}");

    // A black hole: connections are accepted and never answered.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    let started = Instant::now();
    let out = sandbox.sync(&url, &["--timeout", "2"]);
    let silent_after = started.elapsed();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot reach the Hub at"),
        "{}",
        stderr(&out)
    );
    assert!(silent_after < Duration::from_secs(30), "{silent_after:?}");
    println!(
        "unreachable: refused port {refused_after:?}, black hole (--timeout 2) {silent_after:?}"
    );
}
