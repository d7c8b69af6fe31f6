// PostgreSQL schema: native uuid, timestamptz, jsonb and boolean types; triggers make the
// audit log append-only and versions immutable even for someone with SQL access to the app role.
#include "store/migrations.h"

namespace fraudgov::store {

namespace {

constexpr std::string_view kV1Catalog = R"sql(
CREATE TABLE store_metadata (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE rule_fields (
  field_key TEXT PRIMARY KEY,
  field_id INTEGER NOT NULL UNIQUE CHECK (field_id > 0),
  display_name TEXT NOT NULL,
  description TEXT,
  data_type TEXT NOT NULL CHECK (data_type IN ('STRING','NUMBER','BOOLEAN','DATE','ENUM')),
  allowed_operators JSONB NOT NULL,
  multi_value_allowed BOOLEAN NOT NULL,
  is_sensitive BOOLEAN NOT NULL,
  current_version INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE rule_field_versions (
  rule_field_version_id UUID PRIMARY KEY,
  field_key TEXT NOT NULL REFERENCES rule_fields(field_key),
  version INTEGER NOT NULL,
  field_id INTEGER NOT NULL,
  display_name TEXT NOT NULL,
  description TEXT,
  data_type TEXT NOT NULL,
  allowed_operators JSONB NOT NULL,
  multi_value_allowed BOOLEAN NOT NULL,
  is_sensitive BOOLEAN NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('DRAFT','PENDING_APPROVAL','APPROVED','REJECTED','SUPERSEDED')),
  created_by TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  approved_by TEXT,
  approved_at TIMESTAMPTZ,
  UNIQUE (field_key, version),
  CHECK (status <> 'APPROVED' OR (approved_by IS NOT NULL AND approved_at IS NOT NULL))
);

CREATE FUNCTION fraudgov_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME USING ERRCODE = 'P0001';
END;
$$;

CREATE TRIGGER rule_field_versions_immutable BEFORE UPDATE OR DELETE ON rule_field_versions
  FOR EACH ROW EXECUTE FUNCTION fraudgov_refuse_change();

CREATE TABLE rule_field_metadata (
  field_key TEXT NOT NULL REFERENCES rule_fields(field_key),
  meta_key TEXT NOT NULL CHECK (length(meta_key) > 0),
  meta_value JSONB NOT NULL,
  description TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (field_key, meta_key)
);

CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  audit_id UUID NOT NULL UNIQUE,
  entity_type TEXT NOT NULL,
  entity_id UUID NOT NULL,
  action TEXT NOT NULL CHECK (length(action) > 0),
  old_value JSONB,
  new_value JSONB,
  performed_by TEXT NOT NULL,
  performed_by_issuer TEXT NOT NULL,
  performed_at TIMESTAMPTZ NOT NULL,
  request_id TEXT,
  prev_hash TEXT NOT NULL,
  row_hash TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, seq);
CREATE INDEX audit_log_performer ON audit_log (performed_by, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_time ON audit_log (performed_at);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION fraudgov_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION fraudgov_refuse_change();
)sql";

}  // namespace

const std::vector<Migration>& postgresMigrations() {
  static const std::vector<Migration> migrations = {
      {1, "catalog_and_audit", kV1Catalog},
  };
  return migrations;
}

}  // namespace fraudgov::store
