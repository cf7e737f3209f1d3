-- catalog schema, version 1. SQLite is the only source of truth; the tantivy index is derived.

-- One row per dataset ever seen. Columns mirror model::DatasetRecord; list fields are JSON arrays.
CREATE TABLE datasets (
    id                  TEXT PRIMARY KEY,
    mongo_id            TEXT,
    author              TEXT,
    sha                 TEXT,
    created_at          TEXT,
    last_modified       TEXT,
    private             INTEGER NOT NULL DEFAULT 0,
    gated               TEXT,
    disabled            INTEGER NOT NULL DEFAULT 0,
    downloads           INTEGER NOT NULL DEFAULT 0,
    downloads_all_time  INTEGER,
    likes               INTEGER NOT NULL DEFAULT 0,
    trending_score      REAL,
    tags                TEXT NOT NULL DEFAULT '[]',
    description         TEXT,
    card_data           TEXT,            -- raw cardData JSON, verbatim
    citation            TEXT,
    paperswithcode_id   TEXT,
    used_storage        INTEGER,
    main_size           INTEGER,
    pretty_name         TEXT,
    licenses            TEXT NOT NULL DEFAULT '[]',
    languages           TEXT NOT NULL DEFAULT '[]',
    task_categories     TEXT NOT NULL DEFAULT '[]',
    card_tags           TEXT NOT NULL DEFAULT '[]',
    size_bytes          INTEGER,
    card_num_rows       INTEGER,
    content_hash        TEXT NOT NULL,   -- fingerprint of the normalised record: unchanged => no write
    first_seen          TEXT NOT NULL,
    changed_at          TEXT NOT NULL,
    gone_at             TEXT,            -- set when missing from a complete `sync --all`; never deleted
    relevance           REAL NOT NULL DEFAULT 0,
    relevance_detail    TEXT,            -- JSON: matched terms, modalities, negatives
    quality             REAL NOT NULL DEFAULT 0,
    quality_detail      TEXT,            -- JSON: the quality breakdown
    index_dirty         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX datasets_index_dirty ON datasets(index_dirty) WHERE index_dirty = 1;
CREATE INDEX datasets_relevance ON datasets(relevance);

-- Which crawl query found which dataset.
CREATE TABLE dataset_queries (
    dataset_id  TEXT NOT NULL,
    query_key   TEXT NOT NULL,
    first_run   INTEGER NOT NULL,
    PRIMARY KEY (dataset_id, query_key)
) WITHOUT ROWID;

-- Conversation sampling outcome per dataset (one row; replaced on re-sampling).
CREATE TABLE turn_stats (
    dataset_id          TEXT PRIMARY KEY,
    sha                 TEXT,            -- the dataset sha the figures belong to
    status              TEXT NOT NULL,   -- ok | no_layout | unavailable | retry
    reason              TEXT,            -- why unavailable / retry
    config              TEXT,
    split               TEXT,
    rows_sampled        INTEGER,
    layout              TEXT,
    columns             TEXT,            -- JSON array
    group_by            TEXT,
    conversations       INTEGER,
    avg_turns           REAL,
    median_turns        REAL,
    min_turns           INTEGER,
    max_turns           INTEGER,
    exact               INTEGER,         -- 1 exact, 0 lower bound
    num_rows            INTEGER,
    num_conversations   INTEGER,
    num_conversations_source TEXT,       -- viewer_size | card_dataset_info | estimate_rows_over_turns
    attempts            INTEGER NOT NULL DEFAULT 1,
    sampled_at          TEXT NOT NULL
);

-- Sync runs: the bookkeeping that makes a sync resumable.
CREATE TABLE sync_runs (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL,           -- running | complete | partial | interrupted | failed
    mode        TEXT NOT NULL,           -- plan | all
    plan        TEXT NOT NULL,           -- JSON array of query keys
    summary     TEXT,                    -- JSON counters
    error       TEXT
);

-- Per-query progress inside a run: `next_url` is the Link rel="next" still to fetch.
CREATE TABLE sync_queries (
    run_id      INTEGER NOT NULL,
    query_key   TEXT NOT NULL,
    status      TEXT NOT NULL,           -- pending | done
    next_url    TEXT,
    pages       INTEGER NOT NULL DEFAULT 0,
    items       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, query_key)
) WITHOUT ROWID;

-- Ids seen by a `sync --all` run, to mark the missing ones gone once the run completes.
CREATE TABLE run_seen (
    run_id      INTEGER NOT NULL,
    dataset_id  TEXT NOT NULL,
    PRIMARY KEY (run_id, dataset_id)
) WITHOUT ROWID;

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
