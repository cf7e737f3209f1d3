-- Families of copies, conversions and translations (derived from the datasets; recomputed after
-- each sync and by reindex). Only datasets in a family of two or more have a row.
CREATE TABLE families (
    dataset_id  TEXT PRIMARY KEY,
    family_id   TEXT NOT NULL,   -- the root's id
    role        TEXT NOT NULL,   -- root | copy | conversion | translation | subset | derived
    evidence    TEXT NOT NULL    -- JSON array of sentences a user can check
);
CREATE INDEX families_family ON families(family_id);
