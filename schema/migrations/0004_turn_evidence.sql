-- Turn figures from several sources: which source the shown figure came from, how far it can be
-- trusted, an honest lower bound, every piece of evidence tried, and a per-dataset retry schedule.
ALTER TABLE turn_stats ADD COLUMN source TEXT;           -- viewer_statistics | viewer_rows | repo_files | schema | card
ALTER TABLE turn_stats ADD COLUMN figure_kind TEXT;      -- exact | sample | lower_bound | stated
ALTER TABLE turn_stats ADD COLUMN lower_bound REAL;      -- avg turns is at least this (figure_kind lower_bound)
ALTER TABLE turn_stats ADD COLUMN source_detail TEXT;    -- config/split, file path(s) or the quoted card sentence
ALTER TABLE turn_stats ADD COLUMN evidence TEXT;         -- JSON array: every source tried and what it gave
ALTER TABLE turn_stats ADD COLUMN next_attempt_at TEXT;  -- status retry: not asked again before this time

-- Full README of candidates (resolve/README.md), with the ETag for conditional refetches.
CREATE TABLE cards (
    dataset_id  TEXT PRIMARY KEY,
    sha         TEXT,            -- dataset sha when fetched
    etag        TEXT,
    readme      TEXT NOT NULL,
    fetched_at  TEXT NOT NULL
);
