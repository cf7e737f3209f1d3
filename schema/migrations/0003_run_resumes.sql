-- How many times a run was resumed: a run that keeps failing is given up after a few resumes,
-- so one always-failing query cannot keep every later sync from refreshing the rest.
ALTER TABLE sync_runs ADD COLUMN resumes INTEGER NOT NULL DEFAULT 0;
