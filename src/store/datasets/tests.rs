//! Unit tests of the dataset rows: round trips, the index flags, the kept evidence.

use super::*;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_or_create(&dir.path().join("c.sqlite3")).unwrap();
    (dir, store)
}

/// Rows written while a full rebuild follows carry no flag; a flag once set is never
/// cleared by a later unflagged write.
#[test]
fn index_flags_are_written_only_when_asked_and_never_cleared() {
    let (_dir, mut store) = store();
    let pending = |store: &Store| store.counts(0.5).unwrap().pending_index;
    let mut record = full_record();
    store
        .upsert_batch_with(&[(record.clone(), scores(0.5))], IndexFlags::RebuildFollows)
        .unwrap();
    assert_eq!(pending(&store), 0);
    record.likes += 1;
    store
        .upsert_batch(&[(record.clone(), scores(0.5))])
        .unwrap();
    assert_eq!(pending(&store), 1);
    record.likes += 1;
    store
        .upsert_batch_with(&[(record, scores(0.5))], IndexFlags::RebuildFollows)
        .unwrap();
    assert_eq!(pending(&store), 1);
}

/// Every column of the select list is found at its position without the lookup by name.
#[test]
fn selected_positions_match_the_select_list() {
    let (_dir, store) = store();
    let statement = store.conn.prepare(&SELECT_DATASET).unwrap();
    let names = statement.column_names();
    assert_eq!(names.len(), columns::SELECTED_POSITIONS.len());
    for (at, name) in names.iter().enumerate() {
        assert_eq!(columns::SELECTED_POSITIONS.get(name), Some(&at), "{name}");
    }
}

/// A record with a distinct, non-default value in every field.
fn full_record() -> DatasetRecord {
    DatasetRecord {
        id: "owner/name".into(),
        mongo_id: Some("mongo".into()),
        author: Some("owner".into()),
        sha: Some("sha1".into()),
        created_at: Some("2024-01-01T00:00:00.000Z".into()),
        last_modified: Some("2025-02-02T00:00:00.000Z".into()),
        private: true,
        gated: Some("manual".into()),
        disabled: true,
        downloads: 3,
        downloads_all_time: Some(4),
        likes: 5,
        trending_score: Some(6.5),
        tags: vec!["tag".into()],
        description: Some("description".into()),
        card_data: Some(serde_json::json!({"pretty_name": "card"})),
        citation: Some("citation".into()),
        paperswithcode_id: Some("pwc".into()),
        used_storage: Some(7),
        main_size: Some(8),
        pretty_name: Some("Pretty".into()),
        licenses: vec!["mit".into()],
        languages: vec!["en".into(), "zh".into()],
        task_categories: vec!["text-generation".into()],
        card_tags: vec!["card-tag".into()],
        size_bytes: Some(9),
        card_num_rows: Some(10),
    }
}

fn scores(relevance: f64) -> Scores {
    let lexicon = crate::score::Lexicon::builtin().expect("built-in lexicon");
    let scorer = crate::score::Scorer::new(lexicon, chrono::NaiveDate::MIN);
    let scored = scorer.score(&full_record());
    Scores {
        relevance,
        quality: 0.25,
        ..scored
    }
}

#[test]
fn every_record_field_round_trips() {
    let (_dir, mut store) = store();
    let record = full_record();
    let outcome = store
        .upsert_batch(&[(record.clone(), scores(0.75))])
        .unwrap();
    assert_eq!(outcome, [UpsertOutcome::New]);
    let stored = store.get("owner/name").unwrap().unwrap();
    assert_eq!(stored.record, record);
    assert_eq!(stored.scores, scores(0.75));
    assert_eq!(stored.first_seen, stored.changed_at);
    assert_eq!(stored.gone_at, None);
    // A default record (nulls, empty lists) round-trips too.
    let empty = DatasetRecord {
        id: "owner/empty".into(),
        ..DatasetRecord::default()
    };
    store
        .upsert_batch(&[(empty.clone(), Scores::default())])
        .unwrap();
    assert_eq!(store.get("owner/empty").unwrap().unwrap().record, empty);
}

#[test]
fn only_candidates_and_mental_health_text_keep_their_evidence_and_the_rest_is_recomputed() {
    let (_dir, mut store) = store();
    let scorer = crate::score::Scorer::new(
        crate::score::Lexicon::builtin().expect("built-in lexicon"),
        chrono::NaiveDate::MIN,
    );
    let candidate = DatasetRecord {
        id: "lab/therapy-counseling-dialogues".into(),
        description: Some(
            "Multi-turn counseling conversations between a therapist and a client.".into(),
        ),
        ..DatasetRecord::default()
    };
    let bulk = DatasetRecord {
        id: "someone/stock-prices".into(),
        description: Some("Daily closing prices of listed companies.".into()),
        ..DatasetRecord::default()
    };
    let (candidate_scores, bulk_scores) = (scorer.score(&candidate), scorer.score(&bulk));
    assert!(candidate_scores.keeps_evidence(), "{candidate_scores:?}");
    assert!(!bulk_scores.keeps_evidence(), "{bulk_scores:?}");
    store
        .upsert_batch(&[
            (candidate.clone(), candidate_scores.clone()),
            (bulk.clone(), bulk_scores.clone()),
        ])
        .unwrap();
    let stored_detail = |id: &str| -> Option<String> {
        store
            .conn
            .query_row(
                "SELECT relevance_detail FROM datasets WHERE id = ?1",
                [id],
                |row| row.get(0),
            )
            .unwrap()
    };
    assert!(stored_detail(&candidate.id).is_some());
    assert_eq!(
        stored_detail(&bulk.id),
        None,
        "no evidence stored for the bulk"
    );
    let read = store.get(&candidate.id).unwrap().unwrap();
    assert_eq!(read.scores, candidate_scores);
    // The bulk row keeps its figures; its evidence comes back, equal, from the record.
    let mut read = store.get(&bulk.id).unwrap().unwrap();
    assert_eq!(read.scores.relevance, bulk_scores.relevance);
    assert_eq!(read.scores.quality, bulk_scores.quality);
    assert_eq!(read.scores.relevance_detail, None);
    scorer.fill_evidence(&read.record, &mut read.scores);
    assert_eq!(read.scores, bulk_scores);
}

#[test]
fn an_update_rewrites_every_column_but_keeps_first_seen() {
    let (_dir, mut store) = store();
    let old = DatasetRecord {
        id: "owner/name".into(),
        sha: Some("sha0".into()),
        ..DatasetRecord::default()
    };
    store.upsert_batch(&[(old.clone(), scores(0.1))]).unwrap();
    let first = store.get("owner/name").unwrap().unwrap();
    assert_eq!(
        store.upsert_batch(&[(old, scores(0.1))]).unwrap(),
        [UpsertOutcome::Unchanged]
    );
    std::thread::sleep(std::time::Duration::from_millis(5));
    let outcome = store
        .upsert_batch(&[(full_record(), scores(0.75))])
        .unwrap();
    assert_eq!(outcome, [UpsertOutcome::Changed { sha_changed: true }]);
    let updated = store.get("owner/name").unwrap().unwrap();
    assert_eq!(updated.record, full_record());
    assert_eq!(updated.scores, scores(0.75));
    assert_eq!(updated.first_seen, first.first_seen);
    assert!(updated.changed_at > first.changed_at);
}

#[test]
fn record_columns_are_the_table_columns() {
    let (_dir, store) = store();
    let table: Vec<String> = store
        .conn
        .prepare("SELECT name FROM pragma_table_info('datasets')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let known: Vec<&str> = RECORD_COLUMNS
        .iter()
        .chain(&SCORE_COLUMNS)
        .chain(&columns::BOOKKEEPING_COLUMNS)
        .chain(&["content_hash", "index_dirty"])
        .copied()
        .collect();
    let mut sorted_table = table.clone();
    sorted_table.sort();
    let mut sorted_known: Vec<String> = known.iter().map(|c| c.to_string()).collect();
    sorted_known.sort();
    assert_eq!(sorted_table, sorted_known);
    assert_eq!(&table[..RECORD_COLUMNS.len()], RECORD_COLUMNS);
}

#[test]
fn timestamps_are_written_in_the_stored_format() {
    let (_dir, mut store) = store();
    store.upsert_batch(&[(full_record(), scores(0.5))]).unwrap();
    let (first_seen, changed_at): (String, String) = store
        .conn
        .query_row(
            "SELECT first_seen, changed_at FROM datasets WHERE id = 'owner/name'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(first_seen, changed_at);
    assert_eq!(first_seen.len(), "2026-01-01T00:00:00.000Z".len());
    assert_eq!(first_seen.as_bytes()[10], b'T');
    assert!(first_seen.ends_with('Z'));
    // A row written by an older build reads back typed.
    store
        .conn
        .execute(
            "UPDATE datasets SET first_seen = '2020-05-06T07:08:09.010Z',
                gone_at = '2021-01-01T00:00:00.000Z'",
            [],
        )
        .unwrap();
    let stored = store.get("owner/name").unwrap().unwrap();
    assert_eq!(stored.first_seen.to_string(), "2020-05-06T07:08:09.010Z");
    assert_eq!(
        stored.gone_at.map(|t| t.to_string()).as_deref(),
        Some("2021-01-01T00:00:00.000Z")
    );
}
