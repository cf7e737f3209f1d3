//! The HTTP client's waits — rate-limit pacing, 429 resets, timeouts, backoff — on tokio's
//! paused clock: the fake hub runs as a task of the test's own runtime, so its rate-limit
//! windows and injected delays share the client's virtual clock. Minutes of waiting take
//! milliseconds, and every wait is checked to the second instead of "at least this long".

use crate::common::fake_hub::{FakeHub, Fault};
use catalog::hub::{Bucket, HttpClient, HttpSettings};
use std::time::Duration;
use tokio::time::Instant;

async fn hub_with_one_dataset() -> FakeHub {
    let hub = FakeHub::start_in_current_runtime().await;
    hub.add_dataset(FakeHub::dataset_item(
        "someone/counseling-chats",
        "Counseling conversations.",
        &["language:en"],
    ));
    hub
}

fn listing_url(hub: &FakeHub) -> String {
    format!("{}/api/datasets?limit=10", hub.url())
}

fn client(settings: HttpSettings) -> HttpClient {
    HttpClient::new(settings).expect("HTTP client")
}

#[tokio::test(start_paused = true)]
async fn a_429_waits_for_its_reset_plus_one_second() {
    let hub = hub_with_one_dataset().await;
    hub.inject(
        "/api/datasets",
        Fault::TooManyRequests { reset_secs: 120 },
        1,
    );
    let client = client(HttpSettings::default());
    let started = Instant::now();
    client
        .get_json(&listing_url(&hub), Bucket::Api)
        .await
        .expect("the page after the wait");
    let elapsed = started.elapsed();
    let requests = hub.requests();
    assert_eq!(requests.len(), 2, "one 429, then the page");
    assert_eq!(requests[0].status, Some(429));
    let gap = requests[1].at.duration_since(requests[0].at);
    assert_eq!(gap, Duration::from_secs(121), "t=120 plus one second");
    assert!(elapsed < Duration::from_secs(122), "{elapsed:?}");
    assert_eq!(
        client
            .stats()
            .waits_429
            .load(std::sync::atomic::Ordering::Relaxed),
        1
    );
}

#[tokio::test(start_paused = true)]
async fn a_small_quota_is_paced_from_the_headers_without_a_single_429() {
    let hub = hub_with_one_dataset().await;
    hub.set_quota(5);
    hub.set_window(Duration::from_secs(60));
    let client = client(HttpSettings::default());
    let started = Instant::now();
    for _ in 0..12 {
        client
            .get_json(&listing_url(&hub), Bucket::Api)
            .await
            .expect("paced page");
    }
    let elapsed = started.elapsed();
    let requests = hub.requests();
    assert_eq!(requests.len(), 12, "no request was refused and retried");
    assert!(requests.iter().all(|r| r.status == Some(200)));
    // 12 requests at 5 per 60-second window need two window resets, and the pacer should not
    // waste more than a window on top.
    assert!(
        elapsed >= Duration::from_secs(120) && elapsed < Duration::from_secs(200),
        "{elapsed:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_silent_server_times_out_and_the_request_is_retried_after_the_backoff() {
    let hub = hub_with_one_dataset().await;
    hub.inject("/api/datasets", Fault::Delay(Duration::from_secs(3600)), 1);
    let settings = HttpSettings {
        timeout: Duration::from_secs(20),
        first_contact_timeout: Duration::from_secs(15),
        backoff_base: Duration::from_secs(2),
        ..HttpSettings::default()
    };
    let client = client(settings);
    let started = Instant::now();
    client
        .get_json(&listing_url(&hub), Bucket::Api)
        .await
        .expect("the retry is answered");
    let elapsed = started.elapsed();
    let requests = hub.requests();
    assert_eq!(requests.len(), 2);
    // First contact: the 15-second timeout, not the 20-second one; then a 2-second backoff.
    assert_eq!(
        requests[1].at.duration_since(requests[0].at),
        Duration::from_secs(17)
    );
    assert!(elapsed < Duration::from_secs(18), "{elapsed:?}");
}

#[tokio::test(start_paused = true)]
async fn a_black_holed_endpoint_is_given_up_exactly_at_the_documented_worst_case() {
    let hub = hub_with_one_dataset().await;
    hub.inject(
        "/api/datasets",
        Fault::Delay(Duration::from_secs(3600)),
        100,
    );
    let settings = HttpSettings::default();
    let worst_case = settings.worst_case_unreachable();
    let client = client(settings);
    let started = Instant::now();
    let error = client
        .get_json(&listing_url(&hub), Bucket::Api)
        .await
        .expect_err("nothing ever answers");
    let elapsed = started.elapsed();
    assert!(!error.to_string().is_empty());
    assert_eq!(hub.requests().len(), 3, "the first try and two retries");
    assert!(
        elapsed >= worst_case && elapsed < worst_case + Duration::from_secs(1),
        "gave up after {elapsed:?}; documented worst case {worst_case:?}"
    );
    assert!(worst_case <= Duration::from_secs(60), "{worst_case:?}");
}

#[tokio::test(start_paused = true)]
async fn server_errors_back_off_doubling_up_to_the_cap() {
    let hub = hub_with_one_dataset().await;
    hub.inject("/api/datasets", Fault::Status(503), 5);
    let settings = HttpSettings {
        backoff_base: Duration::from_secs(1),
        backoff_cap: Duration::from_secs(4),
        ..HttpSettings::default()
    };
    let client = client(settings);
    client
        .get_json(&listing_url(&hub), Bucket::Api)
        .await
        .expect("the sixth attempt is answered");
    let requests = hub.requests();
    assert_eq!(requests.len(), 6);
    let gaps: Vec<u64> = requests
        .windows(2)
        .map(|pair| pair[1].at.duration_since(pair[0].at).as_secs())
        .collect();
    assert_eq!(gaps, vec![1, 2, 4, 4, 4]);
}
