//! Which repository files to read for turn counting, from the `siblings` list alone.
//!
//! Data files are JSON Lines, JSON, CSV/TSV and plain text (see [`FileFormat::from_path`]);
//! scripts, archives, images, Parquet and metadata files (`dataset_info.json`, `state.json`,
//! `*config*.json`, `metadata.*`) are never read. The best file prefers a train split, a data
//! folder, and a real size; the files beside it (same folder, same extension) form its group —
//! shards of one split, or one conversation per file — read in natural order while the byte
//! budget lasts. Paths are used only to build `resolve` URLs, never touched on a file system.

use super::FileFormat;
use crate::turns::names;

/// One repository file: path and size (when the Hub said).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoFile {
    /// `rfilename`: the path inside the repository.
    pub path: String,
    /// Size in bytes (`size`, or `lfs.size`), when known.
    pub size: Option<u64>,
}

/// The files to read, best first: the chosen file, then the rest of its group.
pub fn choose_data_files(siblings: &[RepoFile]) -> Vec<RepoFile> {
    let candidates: Vec<(&RepoFile, FileFormat, i32)> = siblings
        .iter()
        .filter_map(|f| {
            let format = FileFormat::from_path(&f.path)?;
            (!is_metadata(&f.path)).then(|| (f, format, score(f, format)))
        })
        .collect();
    let Some(&(best, format, _)) = candidates.iter().max_by(|a, b| {
        a.2.cmp(&b.2)
            .then_with(|| natural_key(&b.0.path).cmp(&natural_key(&a.0.path)))
    }) else {
        return Vec::new();
    };
    let folder = parent(&best.path);
    let mut group: Vec<RepoFile> = candidates
        .iter()
        .filter(|(f, fmt, _)| *fmt == format && parent(&f.path) == folder && f.path != best.path)
        .map(|(f, _, _)| (*f).clone())
        .collect();
    group.sort_by_key(|f| natural_key(&f.path));
    std::iter::once(best.clone()).chain(group).collect()
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// Metadata, configuration and media-index files that are not conversations.
fn is_metadata(path: &str) -> bool {
    let lower = path.to_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let hidden = lower.split('/').any(|part| part.starts_with('.'));
    hidden
        || matches!(
            name,
            "dataset_info.json"
                | "dataset_infos.json"
                | "dataset_dict.json"
                | "state.json"
                | "license.txt"
                | "requirements.txt"
                | "croissant.json"
        )
        || name.contains("config")
        || name.starts_with("metadata")
        || name.starts_with("readme")
        || name.contains("schema")
}

fn score(file: &RepoFile, format: FileFormat) -> i32 {
    let words = names::tokens(&file.path);
    let has = |w: &[&str]| words.iter().any(|t| w.contains(&t.as_str()));
    let mut score = match format {
        FileFormat::JsonLines | FileFormat::Json => 3,
        FileFormat::Csv | FileFormat::Tsv => 2,
        FileFormat::Text => 1,
    };
    if has(&["train", "training"]) {
        score += 4;
    }
    if has(&[
        "test",
        "valid",
        "validation",
        "dev",
        "eval",
        "evaluation",
        "val",
    ]) {
        score -= 2;
    }
    if has(&["sample", "example", "demo", "toy"]) {
        score -= 1;
    }
    if has(&[
        "data",
        "dataset",
        "dialogues",
        "dialogue",
        "conversations",
        "sessions",
    ]) {
        score += 1;
    }
    match file.size {
        Some(size) if size < 200 => score -= 4,
        Some(_) => score += 1,
        None => {}
    }
    score
}

/// Sort key that orders `2.json` before `10.json`.
fn natural_key(path: &str) -> Vec<(String, u64)> {
    let mut key = Vec::new();
    let mut text = String::new();
    let mut digits = String::new();
    for c in path.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            if !digits.is_empty() {
                key.push((
                    std::mem::take(&mut text),
                    digits.parse().unwrap_or(u64::MAX),
                ));
                digits.clear();
            }
            text.push(c);
        }
    }
    key.push((text, digits.parse().unwrap_or(0)));
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(paths: &[(&str, Option<u64>)]) -> Vec<RepoFile> {
        paths
            .iter()
            .map(|(p, s)| RepoFile {
                path: p.to_string(),
                size: *s,
            })
            .collect()
    }

    fn chosen(paths: &[(&str, Option<u64>)]) -> Vec<String> {
        choose_data_files(&files(paths))
            .into_iter()
            .map(|f| f.path)
            .collect()
    }

    #[test]
    fn prefers_train_data_and_skips_scripts_archives_and_metadata() {
        let picked = chosen(&[
            (".gitattributes", Some(2000)),
            ("README.md", Some(4000)),
            ("esconv.py", Some(3000)),
            ("data/test.jsonl", Some(50_000)),
            ("data/train.jsonl", Some(500_000)),
            ("data/dataset_info.json", Some(900)),
            ("images/cover.png", Some(9000)),
            ("raw.zip", Some(9_000_000)),
        ]);
        assert_eq!(picked, ["data/train.jsonl", "data/test.jsonl"]);
        assert!(chosen(&[("a.py", None), ("b.parquet", None), ("c.tar.gz", None)]).is_empty());
    }

    #[test]
    fn groups_files_of_one_folder_in_natural_order() {
        let picked = chosen(&[
            ("dialogue/10.json", Some(5000)),
            ("dialogue/2.json", Some(5000)),
            ("dialogue/1.json", Some(5000)),
            ("dialogue_test.csv", Some(50_000)),
        ]);
        assert_eq!(
            picked,
            ["dialogue/1.json", "dialogue/2.json", "dialogue/10.json"]
        );
    }
}
