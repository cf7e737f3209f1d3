//! `catalog sync` against the fake Hub: plan, pagination, politeness, faults, incremental re-sync,
//! token hygiene.

use crate::common::fake_hub::{FakeHub, Fault};
use crate::common::{assert_ok, stderr, stdout, therapy_item, Sandbox};
use std::time::Duration;

/// A hub with a handful of therapy datasets and some noise.
fn small_hub() -> FakeHub {
    let hub = FakeHub::start();
    hub.set_quota(100_000);
    hub.add_dataset(therapy_item(
        "counsel-lab/therapy-sessions-en",
        "Multi-turn counseling conversations between a therapist and a client (CBT).",
    ));
    hub.add_dataset(therapy_item(
        "acme/mental-health-dialogues",
        "Emotional support dialogue dataset for depression and anxiety.",
    ));
    let mut no_card =
        FakeHub::dataset_item("someone/grief-counseling", "Grief counseling Q&A.", &[]);
    if let Some(obj) = no_card.as_object_mut() {
        obj.remove("cardData");
    }
    hub.add_dataset(no_card);
    let mut list_license = FakeHub::dataset_item(
        "lab/ptsd-therapy-chat",
        "PTSD therapy chats.",
        &["license:apache-2.0"],
    );
    list_license["cardData"] = serde_json::json!({"license": ["apache-2.0"], "language": "en"});
    hub.add_dataset(list_license);
    hub.add_dataset(FakeHub::dataset_item(
        "vision/cats-and-dogs",
        "Images of cats and dogs.",
        &["task_categories:image-classification"],
    ));
    hub
}

/// Listing pages only (detail calls `/api/datasets/{id}` for repository files are not listings).
fn listing_requests(hub: &FakeHub) -> usize {
    hub.requests()
        .iter()
        .filter(|r| r.path == "/api/datasets")
        .count()
}

fn viewer_requests(hub: &FakeHub) -> usize {
    [
        "/splits",
        "/first-rows",
        "/rows",
        "/size",
        "/is-valid",
        "/statistics",
    ]
    .iter()
    .map(|p| hub.count(p))
    .sum()
}

fn table_dump(sandbox: &Sandbox) -> Vec<(String, String, String)> {
    let conn = rusqlite::Connection::open(sandbox.catalog_db()).unwrap();
    let mut stmt = conn
        .prepare("SELECT id, content_hash, changed_at FROM datasets ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn fresh_sync_then_no_change_resync_sends_listing_requests_only() {
    let hub = small_hub();
    let sandbox = Sandbox::new();
    let first = sandbox.sync(&hub.url(), &[]);
    assert_ok(&first);
    let fresh_listing = listing_requests(&hub);
    let fresh_viewer = viewer_requests(&hub);
    assert!(
        fresh_viewer >= 4,
        "relevant datasets are sampled once: {fresh_viewer}"
    );
    let listing: Vec<_> = hub
        .requests()
        .into_iter()
        .filter(|r| r.path == "/api/datasets")
        .collect();
    // The quick pass: the plan's queries, each with explicit expand keys and a 1000 page.
    let quick: Vec<_> = listing
        .iter()
        .filter(|r| r.query_value("search").is_some() || r.query_value("filter").is_some())
        .collect();
    assert!(
        quick.len() >= 25,
        "plan has at least 25 queries, sent {}",
        quick.len()
    );
    for r in &quick {
        assert!(
            r.query_values("expand").contains(&"cardData"),
            "{:?}",
            r.query
        );
        assert_eq!(r.query_value("limit"), Some("1000"));
        assert!(r.authorization.is_none(), "anonymous by default");
    }
    // Then the whole Hub by last change (one page here) and the catch-up of changes made
    // during it (one page).
    let whole = listing.len() - quick.len();
    assert_eq!(whole, 2, "full pass + catch-up");
    let out = stdout(&first);
    assert!(out.contains("sync complete"), "{out}");
    assert!(out.contains("passes:   plan, full"), "{out}");
    let before = table_dump(&sandbox);
    let ids: Vec<&str> = before.iter().map(|(id, _, _)| id.as_str()).collect();
    assert!(ids.contains(&"counsel-lab/therapy-sessions-en"));
    assert!(ids.contains(&"someone/grief-counseling"));
    assert!(
        ids.contains(&"vision/cats-and-dogs"),
        "the full pass stores every dataset, therapy or not"
    );
    println!("fresh sync: {fresh_listing} listing + {fresh_viewer} viewer requests\n{out}");

    hub.clear_log();
    let second = sandbox.sync(&hub.url(), &[]);
    assert_ok(&second);
    let resync_listing = listing_requests(&hub);
    assert_eq!(resync_listing, 1, "one page of changes since the last pass");
    assert_eq!(
        hub.requests().len(),
        resync_listing,
        "no per-dataset, file or viewer calls"
    );
    assert_eq!(table_dump(&sandbox), before, "no row changed");
    let out = stdout(&second);
    assert!(out.contains(" 0 new, 0 changed"), "{out}");
    assert!(out.contains("passes:   incremental"), "{out}");
    println!("no-change re-sync: {resync_listing} requests\n{out}");
}

#[test]
fn pagination_follows_link_over_three_pages_after_page_size_fallback() {
    let hub = FakeHub::start();
    hub.set_quota(100_000);
    hub.set_max_limit(500);
    for i in 0..1_203 {
        hub.add_dataset(therapy_item(
            &format!("org{i}/therapy-corpus-{i}"),
            "therapy conversations",
        ));
    }
    let sandbox = Sandbox::new();
    let out = sandbox.sync(&hub.url(), &["--no-samples"]);
    assert_ok(&out);
    let therapy_pages: Vec<_> = hub
        .requests()
        .into_iter()
        .filter(|r| r.query_value("search") == Some("therapy"))
        .collect();
    // 1000 is refused once, by the sync's first request; every later query asks for 500:
    // 500 + 500 + 203 following Link.
    let listing: Vec<_> = hub
        .requests()
        .into_iter()
        .filter(|r| r.path == "/api/datasets")
        .collect();
    assert_eq!(listing[0].status, Some(400));
    assert_eq!(listing.iter().filter(|r| r.status == Some(400)).count(), 1);
    assert_eq!(
        therapy_pages.len(),
        3,
        "{:?}",
        therapy_pages.iter().map(|r| &r.query).collect::<Vec<_>>()
    );
    assert!(therapy_pages
        .iter()
        .all(|r| r.query_value("limit") == Some("500")));
    assert!(therapy_pages[2].query_value("cursor").is_some());
    let conn = rusqlite::Connection::open(sandbox.catalog_db()).unwrap();
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM datasets", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1_203);
}

#[test]
fn rate_limit_429_waits_t_plus_one_and_5xx_and_truncated_bodies_are_retried() {
    let hub = small_hub();
    hub.inject("/api/datasets", Fault::TooManyRequests { reset_secs: 1 }, 1);
    hub.inject("/api/datasets", Fault::Status(503), 2);
    hub.inject("/api/datasets", Fault::TruncatedBody, 1);
    hub.inject("/api/datasets", Fault::PlainText500, 1);
    hub.inject("/api/datasets", Fault::DropConnection, 1);
    let sandbox = Sandbox::new();
    let out = sandbox.sync(&hub.url(), &["--no-samples"]);
    assert_ok(&out);
    assert_eq!(hub.pending_faults(), 0);
    let requests = hub.requests();
    let i429 = requests
        .iter()
        .position(|r| r.status == Some(429))
        .expect("a 429 was served");
    // The wait itself is timed to the second in `paused_clock.rs`; here: the binary waits at all.
    let gap = requests[i429 + 1].at.duration_since(requests[i429].at);
    assert!(
        gap >= Duration::from_secs(1),
        "waited only {gap:?} after a 429 with t=1"
    );
    let summary = stdout(&out);
    assert!(summary.contains("1 rate-limit waits"), "{summary}");
    assert!(summary.contains("5 retries"), "{summary}");
    assert!(summary.contains("sync complete"), "{summary}");
}

#[test]
fn failing_query_leaves_a_partial_run_that_the_next_sync_resumes() {
    let hub = small_hub();
    // The first query's page fails through every retry (1 + 5 attempts).
    hub.inject("/api/datasets", Fault::Status(502), 6);
    let sandbox = Sandbox::new();
    let out = sandbox.sync(&hub.url(), &["--quick", "--no-samples"]);
    assert_eq!(
        out.status.code(),
        Some(4),
        "partial sync exit code\n{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("1 failed"), "{}", stdout(&out));
    let queries_first = hub.count("/api/datasets");

    hub.clear_log();
    let again = sandbox.sync(&hub.url(), &["--quick", "--no-samples"]);
    assert_ok(&again);
    assert!(stdout(&again).contains("resumed"), "{}", stdout(&again));
    // Only the failed query is fetched again.
    assert_eq!(
        hub.count("/api/datasets"),
        1,
        "queries sent first: {queries_first}"
    );
}

#[test]
fn max_requests_is_a_hard_cap() {
    let hub = small_hub();
    let sandbox = Sandbox::new();
    let out = sandbox.sync(&hub.url(), &["--max-requests", "3"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert_eq!(hub.requests().len(), 3);
}

#[test]
fn token_is_sent_as_bearer_and_never_stored_or_printed() {
    let secret = "hf_TESTSECRETtoken0123456789abcdef";
    let hub = small_hub();
    hub.accept_only_tokens(&[secret]);
    hub.inject("/api/datasets", Fault::Status(503), 1);
    let sandbox = Sandbox::new();
    let out = sandbox
        .command(&[
            "-v",
            "sync",
            "--hub-url",
            &hub.url(),
            "--viewer-url",
            &hub.url(),
        ])
        .env("HF_TOKEN", secret)
        .output()
        .unwrap();
    assert_ok(&out);
    let want = format!("Bearer {secret}");
    assert!(hub
        .requests()
        .iter()
        .all(|r| r.authorization.as_deref() == Some(want.as_str())));
    assert!(!stdout(&out).contains(secret) && !stderr(&out).contains(secret));
    let status = sandbox
        .command(&["status", "--json"])
        .env("HF_TOKEN", secret)
        .output()
        .unwrap();
    assert!(
        stdout(&status).contains("HF_TOKEN"),
        "status names the token's origin"
    );
    assert!(!stdout(&status).contains(secret));
    for file in crate::common::files_under(&sandbox.data_dir()) {
        let bytes = std::fs::read(&file).unwrap();
        let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
        assert!(!found, "token found in {}", file.display());
    }
}

#[test]
fn full_hub_mode_marks_missing_datasets_gone_but_keeps_them() {
    let hub = small_hub();
    let sandbox = Sandbox::new();
    assert_ok(&sandbox.sync(&hub.url(), &["--all", "--no-samples"]));
    // The whole-Hub pass pages by last change and asks for light keys only.
    let whole: Vec<_> = hub
        .requests()
        .into_iter()
        .filter(|r| r.path == "/api/datasets" && r.query_value("sort") == Some("lastModified"))
        .collect();
    assert!(!whole.is_empty());
    assert!(whole
        .iter()
        .all(|r| !r.query_values("expand").contains(&"cardData")
            && r.query_values("expand").contains(&"lastModified")));
    // A dataset only the whole-Hub pass can find (no therapy word in its id or tags).
    let ids = sandbox.query_names(&["--min-relevance", "0"]);
    assert!(ids.contains(&"vision/cats-and-dogs".to_string()), "{ids:?}");
    hub.remove_dataset("vision/cats-and-dogs");
    let out = sandbox.sync(&hub.url(), &["--full", "--no-samples"]);
    assert_ok(&out);
    assert!(stdout(&out).contains("1 gone"), "{}", stdout(&out));
    let show = sandbox.run(&["show", "vision/cats-and-dogs"]);
    assert_ok(&show);
    assert!(
        stdout(&show).contains("missing from the Hub listing"),
        "{}",
        stdout(&show)
    );
}

#[test]
fn changed_sha_is_rewritten_and_resampled() {
    let hub = small_hub();
    let sandbox = Sandbox::new();
    assert_ok(&sandbox.sync(&hub.url(), &["--no-samples"]));
    hub.update_dataset("acme/mental-health-dialogues", |item| {
        item["sha"] = serde_json::json!("1111111111111111111111111111111111111111");
        item["downloads"] = serde_json::json!(999);
    });
    let out = sandbox.sync(&hub.url(), &["--no-samples"]);
    assert_ok(&out);
    assert!(
        stdout(&out).contains(" 0 new, 1 changed"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn string_or_list_fields_and_absent_card_data_are_normalised() {
    let hub = small_hub();
    let sandbox = Sandbox::new();
    assert_ok(&sandbox.sync(&hub.url(), &["--no-samples"]));
    let show = |id: &str| sandbox.show_json(id);
    let listed = show("lab/ptsd-therapy-chat");
    assert_eq!(listed["license"], "apache-2.0");
    assert_eq!(listed["languages"], serde_json::json!(["en"]));
    let found_by = listed["found_by"].as_array().unwrap();
    assert!(
        found_by.contains(&serde_json::json!("search:therapy")),
        "{found_by:?}"
    );
    assert!(
        found_by.contains(&serde_json::json!("search:ptsd")),
        "{found_by:?}"
    );
    let no_card = show("someone/grief-counseling");
    assert_eq!(no_card["card_data"], serde_json::Value::Null);
    assert!(no_card["therapeutic_relevance"].as_f64().unwrap() > 0.3);
}

#[test]
fn a_timed_out_request_is_retried() {
    let hub = small_hub();
    hub.inject(
        "/api/datasets",
        Fault::Delay(Duration::from_millis(2_500)),
        1,
    );
    let sandbox = Sandbox::new();
    let out = sandbox.sync(&hub.url(), &["--no-samples", "--timeout", "1"]);
    assert_ok(&out);
    assert!(stdout(&out).contains("1 retries"), "{}", stdout(&out));
    assert!(stdout(&out).contains("sync complete"));
}

#[test]
fn a_refused_expand_key_is_dropped_and_the_sync_goes_on() {
    let hub = small_hub();
    let accepted: Vec<&str> = catalog::hub::EXPAND_KEYS
        .iter()
        .copied()
        .filter(|k| *k != "mainSize")
        .collect();
    hub.set_expandable_keys(&accepted);
    let sandbox = Sandbox::new();
    let out = sandbox.sync(&hub.url(), &["--quick", "--no-samples"]);
    assert_ok(&out);
    assert!(
        crate::common::stderr(&out).contains("mainSize"),
        "{}",
        crate::common::stderr(&out)
    );
    let listing: Vec<_> = hub
        .requests()
        .into_iter()
        .filter(|r| r.path == "/api/datasets")
        .collect();
    assert_eq!(listing[0].status, Some(400));
    assert!(listing[1..].iter().all(|r| r.status == Some(200)
        && !r.query_values("expand").contains(&"mainSize")
        && r.query_values("expand").contains(&"cardData")));
    let lexicon = catalog::score::Lexicon::builtin().expect("built-in lexicon");
    let queries = catalog::sync::plan::build_plan(
        false,
        lexicon.crawl_terms(),
        lexicon.crawl_filters(),
        &[],
        &[],
    );
    assert_eq!(
        listing.len(),
        1 + queries.len(),
        "one refused request, then one page per query"
    );
}
