-- A deleted document's file leaves storage in a sweep; until then it counts against its
-- owner's quota (docs/workflow.md, Documents), so "upload, delete, repeat" cannot fill the disk.
ALTER TABLE documents ADD COLUMN purged_at BIGINT;
CREATE INDEX documents_purge ON documents (purged_at, deleted_at);
