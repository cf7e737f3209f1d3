-- The members of a family in one index walk: `query` lists each shown family's members
-- (`related`), and a family of copies can have hundreds. With the family id alone indexed, each
-- member cost a lookup of its table row; this index also holds the role and the member's id.
DROP INDEX families_family;
CREATE INDEX families_members ON families(family_id, role, dataset_id);
