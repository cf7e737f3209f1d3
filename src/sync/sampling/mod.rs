//! Measuring the conversation length of candidates, from every source the Hub offers, cheapest
//! trustworthy first (see `docs/turns.md`):
//!
//! 1. the card's schema (`dataset_info.features`, no request): paired text columns;
//! 2. the dataset viewer ([`viewer`]): sampled rows, then `/statistics` over the whole split;
//! 3. repository files ([`files`]) when the viewer gave no count over whole conversations;
//! 4. the README (fetched for every candidate, `ETag`-conditional, stored for search) — its prose
//!    figure is used only when nothing was measured.
//!
//! Every source's answer is kept as evidence; [`crate::turns::evidence::best`] picks the figure
//! shown. Failures never fail a sync: a transient one (`ResponseNotReady`, 5xx, network) is
//! stored as `retry` and asked again on the schedule of `store::RETRY_SCHEDULE_SECS`, an answer
//! about the dataset (401/403/404/501, coded dataset errors) as `unavailable` until its sha
//! changes, and a failed re-measure never erases a measured figure. Only the request budget
//! stops sampling.

mod files;
mod viewer;

pub use files::FileBudget;

use super::{Counters, SyncContext, SyncOptions};
use crate::hub::{Hub, HubError, ReadmeFetch};
use crate::sanitize::clean_line;
use crate::store::{turn_status, StoredCard, StoredDataset, TurnRecord};
use crate::turns::evidence::{self, EvidenceSource, FigureKind, TurnEvidence};
use crate::turns::{card, schema};
use futures_util::stream::{FuturesUnordered, StreamExt};

/// Why sampling stopped.
#[derive(Debug)]
pub enum SamplingError {
    /// The store failed.
    Store(crate::store::StoreError),
    /// `--max-requests` reached.
    Budget(u64),
}

/// What measuring one dataset produced.
struct Measured {
    record: TurnRecord,
    /// A README fetched anew (to store).
    card: Option<StoredCard>,
    /// The detail body, fetched for a dataset the light whole-Hub listing brought without its
    /// card: stored (and the dataset re-scored) with it.
    detail: Option<serde_json::Value>,
}

/// Measures every candidate (relevance above the floor, new or changed, or due for a retry).
pub async fn sample_candidates(
    ctx: &mut SyncContext<'_>,
    options: &SyncOptions,
    counters: &mut Counters,
) -> Result<(), SamplingError> {
    let ids = ctx
        .store
        .sampling_candidates(
            options.sampling_floor,
            options.max_samples,
            ctx.hub.http.has_token(),
            options.retry_now,
        )
        .map_err(SamplingError::Store)?;
    let datasets = ctx.store.get_many(&ids).map_err(SamplingError::Store)?;
    let total = datasets.len();
    let hub = ctx.hub;
    let budget = FileBudget::new(options.max_file_bytes);
    let mut pending = datasets.into_iter();
    let mut running = FuturesUnordered::new();
    let mut done = 0usize;
    let mut spent: Option<u64> = None;
    loop {
        while spent.is_none() && running.len() < options.concurrency.max(1) {
            let Some(dataset) = pending.next() else {
                break;
            };
            let stored_card = ctx
                .store
                .card(&dataset.record.id)
                .map_err(SamplingError::Store)?;
            running.push(sample_one(hub, dataset, stored_card, options, &budget));
        }
        let Some((id, outcome)) = running.next().await else {
            break;
        };
        done += 1;
        ctx.progress
            .update(&format!("measuring conversations {done}/{total} — {id}"));
        match outcome {
            Ok(measured) => {
                match measured.record.status.as_str() {
                    turn_status::OK => counters.sampled_ok += 1,
                    turn_status::NO_LAYOUT => counters.sampled_no_layout += 1,
                    turn_status::RETRY => counters.sampled_retry += 1,
                    _ => counters.sampled_unavailable += 1,
                }
                if let Some(card) = &measured.card {
                    counters.readmes += 1;
                    ctx.store
                        .save_card(&id, card)
                        .map_err(SamplingError::Store)?;
                }
                if let Some(record) = measured
                    .detail
                    .as_ref()
                    .and_then(|d| crate::model::DatasetRecord::from_listing_item(d).ok())
                    .filter(|r| r.id == id)
                {
                    counters.details += 1;
                    let scores = ctx.scorer.score(&record);
                    ctx.store
                        .upsert_batch(&[(record, scores)])
                        .map_err(SamplingError::Store)?;
                }
                ctx.store
                    .save_turns(&id, &measured.record)
                    .map_err(SamplingError::Store)?;
                rescore(ctx, &id)?;
            }
            Err(n) => spent = Some(n),
        }
    }
    match spent {
        Some(n) => Err(SamplingError::Budget(n)),
        None => Ok(()),
    }
}

/// Scores a measured dataset again with what was learned: its README, sampled turns and
/// whether rows held a conversation.
fn rescore(ctx: &mut SyncContext<'_>, id: &str) -> Result<(), SamplingError> {
    let Some(stored) = ctx.store.get(id).map_err(SamplingError::Store)? else {
        return Ok(());
    };
    let scores = ctx.scorer.score_with(&stored.record, &stored.extras());
    ctx.store
        .update_scores(&[(id.to_string(), scores)])
        .map_err(SamplingError::Store)?;
    Ok(())
}

/// Measures one dataset; `Err` only when the request budget ran out.
async fn sample_one(
    hub: &Hub,
    dataset: StoredDataset,
    stored_card: Option<StoredCard>,
    options: &SyncOptions,
    budget: &FileBudget,
) -> (String, Result<Measured, u64>) {
    let id = dataset.record.id.clone();
    let outcome = match measure(hub, &dataset, stored_card, options, budget).await {
        Ok(measured) => Ok(measured),
        Err(HubError::BudgetExhausted(n)) => Err(n),
        Err(e) => Ok(Measured {
            record: failed(&dataset, &e),
            card: None,
            detail: None,
        }),
    };
    (id, outcome)
}

/// A record for a failure outside any source (should not happen; kept for safety).
fn failed(dataset: &StoredDataset, error: &HubError) -> TurnRecord {
    TurnRecord {
        sha: dataset.record.sha.clone(),
        status: if error.is_transient() {
            turn_status::RETRY
        } else {
            turn_status::UNAVAILABLE
        }
        .to_string(),
        reason: Some(clean_line(&error.to_string(), 300)),
        ..TurnRecord::default()
    }
}

/// Asks every source in order of cost and combines the evidence.
async fn measure(
    hub: &Hub,
    dataset: &StoredDataset,
    stored_card: Option<StoredCard>,
    options: &SyncOptions,
    budget: &FileBudget,
) -> Result<Measured, HubError> {
    let record_in = &dataset.record;
    let mut record = TurnRecord {
        sha: record_in.sha.clone(),
        ..TurnRecord::default()
    };
    let mut evidence: Vec<TurnEvidence> = Vec::new();
    // A dataset from the light whole-Hub listing has no card yet: the detail call brings it
    // (and the file list, reused below).
    let detail = match record_in.card_data {
        Some(_) => None,
        None => match hub.dataset_detail(&record_in.id).await {
            Ok(detail) => Some(detail),
            Err(HubError::BudgetExhausted(n)) => return Err(HubError::BudgetExhausted(n)),
            Err(_) => None,
        },
    };
    let card_data = record_in
        .card_data
        .as_ref()
        .or_else(|| detail.as_ref().and_then(|d| d.get("cardData")));
    if let Some(from_schema) = card_data.and_then(schema::evidence_from_card_schema) {
        evidence.push(from_schema);
    }

    let mut transient: Option<String> = None;
    let mut no_layout = false;
    let mut split_rows = None;
    match viewer::measure(hub, dataset, &mut record).await {
        Ok(outcome) => {
            transient = outcome.retry_later;
            no_layout = outcome.no_layout;
            split_rows = outcome.split_rows;
            record.sample_text = outcome.sample_text;
            evidence.extend(outcome.evidence);
        }
        Err(HubError::BudgetExhausted(n)) => return Err(HubError::BudgetExhausted(n)),
        Err(e) => {
            if e.is_transient() {
                transient = Some(clean_line(&e.to_string(), 300));
            }
            evidence.push(TurnEvidence::nothing(
                EvidenceSource::ViewerRows,
                "",
                &clean_line(&e.to_string(), 300),
            ));
        }
    }

    if !evidence.iter().any(TurnEvidence::is_measured) && options.file_bytes_per_dataset > 0 {
        match files::measure(
            hub,
            dataset,
            detail.as_ref(),
            options.file_bytes_per_dataset,
            budget,
        )
        .await
        {
            Ok(found) => {
                if found.sample_text.is_some() {
                    record.sample_text = found.sample_text;
                }
                evidence.push(found.evidence);
            }
            Err(HubError::BudgetExhausted(n)) => return Err(HubError::BudgetExhausted(n)),
            Err(e) => {
                if e.is_transient() && transient.is_none() {
                    transient = Some(clean_line(&e.to_string(), 300));
                }
                evidence.push(TurnEvidence::nothing(
                    EvidenceSource::RepoFiles,
                    "",
                    &clean_line(&e.to_string(), 300),
                ));
            }
        }
    }

    let (readme, fresh_card) = fetch_readme(hub, dataset, stored_card).await?;
    if !evidence.iter().any(TurnEvidence::is_measured) {
        if let Some(stated) = readme.as_deref().and_then(card::evidence_from_card) {
            evidence.push(stated);
        }
    }

    finish(
        &mut record,
        dataset,
        evidence,
        transient,
        no_layout,
        split_rows,
    );
    Ok(Measured {
        record,
        card: fresh_card,
        detail,
    })
}

/// The README text to read figures from, and a newly fetched copy to store. A stored copy at
/// the same sha is used without a request; otherwise the request is conditional on its `ETag`.
/// A README that cannot be fetched is no reason to fail: the stored copy (if any) is used.
async fn fetch_readme(
    hub: &Hub,
    dataset: &StoredDataset,
    stored: Option<StoredCard>,
) -> Result<(Option<String>, Option<StoredCard>), HubError> {
    let record = &dataset.record;
    if let Some(card) = stored.as_ref().filter(|c| c.sha == record.sha) {
        return Ok((Some(card.readme.clone()), None));
    }
    let revision = record.sha.as_deref().unwrap_or("main");
    let etag = stored.as_ref().and_then(|c| c.etag.as_deref());
    match hub.readme(&record.id, revision, etag).await {
        Ok(ReadmeFetch::Text { text, etag }) => {
            let card = StoredCard {
                sha: record.sha.clone(),
                etag,
                readme: text.clone(),
            };
            Ok((Some(text), Some(card)))
        }
        Ok(ReadmeFetch::NotModified) => {
            let refreshed = stored.map(|c| StoredCard {
                sha: record.sha.clone(),
                ..c
            });
            Ok((refreshed.as_ref().map(|c| c.readme.clone()), refreshed))
        }
        Ok(ReadmeFetch::Missing) => Ok((None, None)),
        Err(HubError::BudgetExhausted(n)) => Err(HubError::BudgetExhausted(n)),
        Err(_) => Ok((stored.map(|c| c.readme), None)),
    }
}

/// Fills `record` from the best evidence (or the reason there is none).
fn finish(
    record: &mut TurnRecord,
    dataset: &StoredDataset,
    evidence: Vec<TurnEvidence>,
    transient: Option<String>,
    no_layout: bool,
    split_rows: Option<(i64, i64)>,
) {
    let chosen = evidence::best(&evidence).cloned();
    record.evidence = evidence;
    let Some(chosen) = chosen else {
        let why = record
            .evidence
            .iter()
            .filter_map(|e| {
                e.note
                    .as_deref()
                    .map(|n| format!("{}: {n}", e.source.as_str()))
            })
            .collect::<Vec<_>>()
            .join("; ");
        (record.status, record.reason) = match (transient, no_layout) {
            (Some(reason), _) => (turn_status::RETRY.to_string(), Some(reason)),
            (None, true) => (turn_status::NO_LAYOUT.to_string(), Some(why)),
            (None, false) => (turn_status::UNAVAILABLE.to_string(), Some(why)),
        };
        record.reason = record.reason.take().map(|r| clean_line(&r, 300));
        return;
    };
    let Some(figure) = chosen.figure.clone() else {
        return;
    };
    record.status = turn_status::OK.to_string();
    record.source = Some(chosen.source.as_str().to_string());
    record.figure_kind = Some(figure.kind.as_str().to_string());
    record.source_detail = Some(chosen.detail.clone());
    record.layout = chosen.layout.clone().or(record.layout.take());
    record.columns = chosen.columns.clone();
    record.conversations = figure.conversations.and_then(|n| i64::try_from(n).ok());
    record.exact = Some(figure.kind == FigureKind::Exact);
    if chosen.source != EvidenceSource::ViewerRows
        && chosen.source != EvidenceSource::ViewerStatistics
    {
        record.group_by = None;
    }
    if figure.kind == FigureKind::LowerBound {
        record.lower_bound = Some(figure.avg);
    } else {
        record.avg_turns = Some(figure.avg);
        record.median_turns = figure.median;
        record.min_turns = figure.min.map(i64::from);
        record.max_turns = figure.max.map(i64::from);
    }
    let per_row = chosen.layout.as_deref() == Some("utterance_per_row");
    let rows = match chosen.source {
        EvidenceSource::ViewerRows | EvidenceSource::ViewerStatistics => split_rows.map(|(_, c)| c),
        _ => None,
    };
    (record.num_conversations, record.num_conversations_source) =
        match (rows, dataset.record.card_num_rows) {
            (Some(rows), _) if per_row && figure.avg > 0.0 => (
                Some((rows as f64 / figure.avg).round() as i64),
                Some("estimate_rows_over_turns".to_string()),
            ),
            (Some(rows), _) => (Some(rows), Some("viewer_size".to_string())),
            (None, _)
                if chosen.source == EvidenceSource::Schema && figure.conversations.is_some() =>
            {
                (record.conversations, Some("card_dataset_info".to_string()))
            }
            (None, Some(rows)) if per_row && figure.avg > 0.0 => (
                Some((rows as f64 / figure.avg).round() as i64),
                Some("estimate_rows_over_turns".to_string()),
            ),
            (None, Some(rows)) => (Some(rows), Some("card_dataset_info".to_string())),
            (None, None) => (None, None),
        };
}
