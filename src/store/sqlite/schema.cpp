// SQLite schema. Types: ids and timestamps are TEXT (timestamps fixed-width ISO-8601 UTC, which
// sorts chronologically), JSON documents TEXT, booleans INTEGER 0/1. STRICT tables refuse
// values of the wrong type.
#include "store/migrations.h"

namespace fraudgov::store {

namespace {

constexpr std::string_view kV1Catalog = R"sql(
CREATE TABLE store_metadata (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE rule_fields (
  field_key TEXT PRIMARY KEY,
  field_id INTEGER NOT NULL UNIQUE CHECK (field_id > 0),
  display_name TEXT NOT NULL,
  description TEXT,
  data_type TEXT NOT NULL CHECK (data_type IN ('STRING','NUMBER','BOOLEAN','DATE','ENUM')),
  allowed_operators TEXT NOT NULL,
  multi_value_allowed INTEGER NOT NULL CHECK (multi_value_allowed IN (0, 1)),
  is_sensitive INTEGER NOT NULL CHECK (is_sensitive IN (0, 1)),
  current_version INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE rule_field_versions (
  rule_field_version_id TEXT PRIMARY KEY,
  field_key TEXT NOT NULL REFERENCES rule_fields(field_key),
  version INTEGER NOT NULL,
  field_id INTEGER NOT NULL,
  display_name TEXT NOT NULL,
  description TEXT,
  data_type TEXT NOT NULL,
  allowed_operators TEXT NOT NULL,
  multi_value_allowed INTEGER NOT NULL,
  is_sensitive INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('DRAFT','PENDING_APPROVAL','APPROVED','REJECTED','SUPERSEDED')),
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  approved_by TEXT,
  approved_at TEXT,
  UNIQUE (field_key, version),
  CHECK (status <> 'APPROVED' OR (approved_by IS NOT NULL AND approved_at IS NOT NULL))
) STRICT;
CREATE TRIGGER rule_field_versions_no_update BEFORE UPDATE ON rule_field_versions
BEGIN SELECT RAISE(ABORT, 'rule_field_versions rows are immutable'); END;
CREATE TRIGGER rule_field_versions_no_delete BEFORE DELETE ON rule_field_versions
BEGIN SELECT RAISE(ABORT, 'rule_field_versions rows are immutable'); END;

CREATE TABLE rule_field_metadata (
  field_key TEXT NOT NULL REFERENCES rule_fields(field_key),
  meta_key TEXT NOT NULL CHECK (length(meta_key) > 0),
  meta_value TEXT NOT NULL,
  description TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (field_key, meta_key)
) STRICT;

CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  audit_id TEXT NOT NULL UNIQUE,
  entity_type TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  action TEXT NOT NULL CHECK (length(action) > 0),
  old_value TEXT,
  new_value TEXT,
  performed_by TEXT NOT NULL,
  performed_by_issuer TEXT NOT NULL,
  performed_at TEXT NOT NULL,
  request_id TEXT,
  prev_hash TEXT NOT NULL,
  row_hash TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, seq);
CREATE INDEX audit_log_performer ON audit_log (performed_by, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_time ON audit_log (performed_at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
)sql";

}  // namespace

const std::vector<Migration>& sqliteMigrations() {
  static const std::vector<Migration> migrations = {
      {1, "catalog_and_audit", kV1Catalog},
  };
  return migrations;
}

}  // namespace fraudgov::store
