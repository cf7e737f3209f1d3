-- Text of a few sampled conversation turns (≤ 4 KB): relevance reads it as form and topic evidence.
ALTER TABLE turn_stats ADD COLUMN sample_text TEXT;
