-- Case-insensitive id lookups (`catalog show Owner/Name` typed in another case) without a scan.
CREATE INDEX datasets_id_nocase ON datasets(id COLLATE NOCASE);
