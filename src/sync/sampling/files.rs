//! Repository files as a turn source: the detail call lists the files (`siblings` with sizes),
//! [`choose_data_files`] picks a data file and its group, and bounded prefixes are read with
//! `Range` requests within a per-dataset and a per-sync byte budget.

use crate::hub::{Hub, HubError};
use crate::store::StoredDataset;
use crate::turns::evidence::{EvidenceSource, TurnEvidence};
use crate::turns::files::{
    choose_data_files, read_files, read_rows, FileFormat, FileUnit, RepoFile,
};
use serde_json::Value;
use std::sync::atomic::{AtomicU64, Ordering};

/// Most files read for one dataset (one-conversation-per-file repositories).
const MAX_FILES: usize = 40;
/// Smallest read worth a request.
const MIN_READ: u64 = 4 * 1024;

/// Bytes left for repository files in this sync (`--max-file-bytes`).
#[derive(Debug)]
pub struct FileBudget(AtomicU64);

impl FileBudget {
    /// A budget of `bytes`.
    pub fn new(bytes: u64) -> FileBudget {
        FileBudget(AtomicU64::new(bytes))
    }

    /// Takes up to `want` bytes; returns what was granted (0 when spent).
    fn take(&self, want: u64) -> u64 {
        let mut granted = 0;
        let _ = self
            .0
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
                granted = left.min(want);
                Some(left - granted)
            });
        granted
    }

    /// Gives back bytes a read did not use.
    fn give_back(&self, bytes: u64) {
        self.0.fetch_add(bytes, Ordering::SeqCst);
    }
}

/// What the files gave: the evidence and, when a layout was found, sampled conversation text.
pub(super) struct FilesOutcome {
    /// The evidence.
    pub evidence: TurnEvidence,
    /// Text of a few sampled conversations.
    pub sample_text: Option<String>,
}

impl From<TurnEvidence> for FilesOutcome {
    fn from(evidence: TurnEvidence) -> Self {
        FilesOutcome {
            evidence,
            sample_text: None,
        }
    }
}

/// Reads the dataset's data files and counts their turns.
pub(super) async fn measure(
    hub: &Hub,
    dataset: &StoredDataset,
    detail: Option<&Value>,
    per_dataset: u64,
    budget: &FileBudget,
) -> Result<FilesOutcome, HubError> {
    let nothing =
        |note: &str| FilesOutcome::from(TurnEvidence::nothing(EvidenceSource::RepoFiles, "", note));
    let record = &dataset.record;
    if record.gated.is_some() && !hub.http.has_token() {
        return Ok(nothing("gated: its files are read only with a token"));
    }
    let fetched;
    let detail = match detail {
        Some(detail) => detail,
        None => {
            fetched = hub.dataset_detail(&record.id).await?;
            &fetched
        }
    };
    let chosen = choose_data_files(&siblings(detail));
    if chosen.is_empty() {
        return Ok(nothing(
            "no data file the catalog reads (JSON Lines, JSON, CSV/TSV, text)",
        ));
    }
    let revision = detail
        .get("sha")
        .and_then(Value::as_str)
        .or(record.sha.as_deref())
        .unwrap_or("main")
        .to_string();
    let mut left = per_dataset;
    let mut read: Vec<(FileFormat, Vec<u8>, bool)> = Vec::new();
    let mut one_per_file = false;
    for file in chosen.iter().take(MAX_FILES) {
        let Some(format) = FileFormat::from_path(&file.path) else {
            continue;
        };
        let want = file.size.map_or(left, |s| s.min(left)).max(1);
        if left < MIN_READ.min(want) {
            break;
        }
        let granted = budget.take(want);
        if granted == 0 {
            if read.is_empty() {
                return Ok(nothing(
                    "the sync's file byte budget is spent (--max-file-bytes)",
                ));
            }
            break;
        }
        let prefix = hub
            .read_file_prefix(&record.id, &revision, &file.path, granted)
            .await;
        let prefix = match prefix {
            Ok(p) => p,
            Err(e) => {
                budget.give_back(granted);
                if read.is_empty() {
                    return Err(e);
                }
                break;
            }
        };
        let used = prefix.bytes.len() as u64;
        budget.give_back(granted.saturating_sub(used));
        left = left.saturating_sub(used);
        let first = read.is_empty();
        if first {
            let rows = read_rows(format, &prefix.bytes, prefix.complete, 0);
            one_per_file = rows.unit == FileUnit::WholeFile;
            // More files of the group only for one conversation per file, or small whole files.
            let small = prefix.complete && rows.rows.len() < 200;
            read.push((format, prefix.bytes, prefix.complete));
            if !(one_per_file || small) {
                break;
            }
        } else {
            read.push((format, prefix.bytes, prefix.complete));
        }
        if left == 0 {
            break;
        }
    }
    let every_file_whole = read.len() == chosen.len() && read.iter().all(|(_, _, c)| *c);
    let (rows, whole) = read_files(read.iter().map(|(f, b, c)| (*f, b.as_slice(), *c)));
    let detail = describe(&chosen, &read);
    let Some(analysis) = crate::turns::analyze_sample(&rows, whole) else {
        return Ok(TurnEvidence::nothing(
            EvidenceSource::RepoFiles,
            &detail,
            "no conversation layout recognised in the file",
        )
        .into());
    };
    let mut evidence = TurnEvidence::from_analysis(
        EvidenceSource::RepoFiles,
        &detail,
        &analysis,
        every_file_whole,
    );
    if one_per_file {
        evidence.note = Some("one conversation per file".to_string());
    }
    Ok(FilesOutcome {
        evidence,
        sample_text: Some(crate::turns::sample_text(&rows, &analysis)),
    })
}

/// `siblings` of a detail body, with sizes (`size`, else `lfs.size`).
fn siblings(detail: &Value) -> Vec<RepoFile> {
    detail
        .get("siblings")
        .and_then(Value::as_array)
        .map(|all| {
            all.iter()
                .filter_map(|s| {
                    let path = s.get("rfilename")?.as_str()?.to_string();
                    let size = s
                        .get("size")
                        .and_then(Value::as_u64)
                        .or_else(|| s.get("lfs")?.get("size")?.as_u64());
                    Some(RepoFile { path, size })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `data/train.jsonl (64 KB of 1.2 MB)` or `dialogue/0.json + 7 more files of 12`.
fn describe(chosen: &[RepoFile], read: &[(FileFormat, Vec<u8>, bool)]) -> String {
    let Some(first) = chosen.first() else {
        return String::new();
    };
    let bytes: u64 = read.iter().map(|(_, b, _)| b.len() as u64).sum();
    if read.len() > 1 {
        return format!(
            "{} + {} more of {} files ({})",
            first.path,
            read.len() - 1,
            chosen.len(),
            human_bytes(bytes)
        );
    }
    match (first.size, read.first()) {
        (_, Some((_, _, true))) => format!("{} (whole file, {})", first.path, human_bytes(bytes)),
        (Some(size), _) => format!(
            "{} (first {} of {})",
            first.path,
            human_bytes(bytes),
            human_bytes(size)
        ),
        (None, _) => format!("{} (first {})", first.path, human_bytes(bytes)),
    }
}

fn human_bytes(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.1} GB", b as f64 / f64::from(1u32 << 30)),
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / f64::from(1u32 << 20)),
        b if b >= 1 << 10 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}
