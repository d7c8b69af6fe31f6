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

constexpr std::string_view kV2Rules = R"sql(
CREATE TABLE rules (
  rule_id UUID PRIMARY KEY,
  rule_name TEXT NOT NULL,
  description TEXT,
  rule_type TEXT NOT NULL CHECK (rule_type IN ('ALLOWLIST','BLOCKLIST','AUTH','MONITORING')),
  status TEXT NOT NULL CHECK (status IN ('DRAFT','PENDING_APPROVAL','APPROVED','REJECTED','SUPERSEDED')),
  current_version INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_by_issuer TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX rules_page ON rules (created_at, rule_id);
CREATE INDEX rules_type ON rules (rule_type, created_at);

CREATE TABLE rule_versions (
  rule_version_id UUID PRIMARY KEY,
  rule_id UUID NOT NULL REFERENCES rules(rule_id),
  version INTEGER NOT NULL,
  condition_tree JSON NOT NULL,  -- as authored: JSON (not JSONB) keeps the author's member order
  normalized_tree JSONB NOT NULL,
  scope JSONB NOT NULL,
  priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 1000),
  action TEXT NOT NULL CHECK (action IN ('APPROVE','DECLINE','REVIEW')),
  status TEXT NOT NULL CHECK (status IN ('DRAFT','PENDING_APPROVAL','APPROVED','REJECTED','SUPERSEDED')),
  created_by TEXT NOT NULL,
  created_by_issuer TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  approved_by TEXT,
  approved_by_issuer TEXT,
  approved_at TIMESTAMPTZ,
  UNIQUE (rule_id, version),
  CHECK (status NOT IN ('APPROVED','SUPERSEDED') OR (approved_by IS NOT NULL AND approved_at IS NOT NULL))
);
CREATE INDEX rule_versions_status ON rule_versions (rule_id, status);

-- Versions are immutable: content never changes; status only moves forward; approval data is
-- written once; rows are never deleted.
CREATE FUNCTION fraudgov_rule_version_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'rule versions are immutable' USING ERRCODE = 'P0001';
  END IF;
  IF NEW.rule_id IS DISTINCT FROM OLD.rule_id OR NEW.version IS DISTINCT FROM OLD.version
     OR NEW.condition_tree::text IS DISTINCT FROM OLD.condition_tree::text
     OR NEW.normalized_tree IS DISTINCT FROM OLD.normalized_tree
     OR NEW.scope IS DISTINCT FROM OLD.scope OR NEW.priority IS DISTINCT FROM OLD.priority
     OR NEW.action IS DISTINCT FROM OLD.action OR NEW.created_by IS DISTINCT FROM OLD.created_by
     OR NEW.created_by_issuer IS DISTINCT FROM OLD.created_by_issuer OR NEW.created_at IS DISTINCT FROM OLD.created_at
     OR (OLD.approved_at IS NOT NULL AND (NEW.approved_at IS DISTINCT FROM OLD.approved_at
         OR NEW.approved_by IS DISTINCT FROM OLD.approved_by
         OR NEW.approved_by_issuer IS DISTINCT FROM OLD.approved_by_issuer)) THEN
    RAISE EXCEPTION 'rule version content is immutable' USING ERRCODE = 'P0001';
  END IF;
  IF NOT (NEW.status = OLD.status
          OR (OLD.status IN ('DRAFT','REJECTED') AND NEW.status = 'PENDING_APPROVAL')
          OR (OLD.status = 'PENDING_APPROVAL' AND NEW.status IN ('APPROVED','REJECTED'))
          OR (OLD.status = 'APPROVED' AND NEW.status = 'SUPERSEDED')) THEN
    RAISE EXCEPTION 'illegal rule version status transition % -> %', OLD.status, NEW.status USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER rule_versions_guard BEFORE UPDATE OR DELETE ON rule_versions
  FOR EACH ROW EXECUTE FUNCTION fraudgov_rule_version_guard();

CREATE TABLE approvals (
  approval_id UUID PRIMARY KEY,
  entity_type TEXT NOT NULL CHECK (entity_type IN ('RULE_VERSION','RULESET_VERSION','FIELD_VERSION')),
  entity_id UUID NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('SUBMIT','APPROVE','REJECT')),
  status TEXT NOT NULL CHECK (status IN ('PENDING','APPROVED','REJECTED')),
  maker TEXT NOT NULL,
  maker_issuer TEXT NOT NULL,
  author TEXT NOT NULL,
  author_issuer TEXT NOT NULL,
  checker TEXT,
  checker_issuer TEXT,
  content_digest TEXT NOT NULL CHECK (length(content_digest) = 64),
  remarks TEXT,
  idempotency_key TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  decided_at TIMESTAMPTZ,
  -- Separation of duties, enforced by the database as well (SPEC §3 invariant 1).
  CONSTRAINT approvals_checker_not_maker
    CHECK (checker IS NULL OR checker_issuer IS NULL OR NOT (checker = maker AND checker_issuer = maker_issuer)),
  CONSTRAINT approvals_checker_not_author
    CHECK (checker IS NULL OR checker_issuer IS NULL OR NOT (checker = author AND checker_issuer = author_issuer)),
  CHECK ((status = 'PENDING') = (checker IS NULL)),
  CHECK ((status = 'PENDING') = (decided_at IS NULL)),
  CHECK (status = 'PENDING' OR checker_issuer IS NOT NULL),
  UNIQUE (entity_type, entity_id, idempotency_key)
);
CREATE UNIQUE INDEX approvals_one_pending ON approvals (entity_id) WHERE status = 'PENDING';
CREATE INDEX approvals_page ON approvals (created_at, approval_id);
CREATE INDEX approvals_entity ON approvals (entity_id);

CREATE FUNCTION fraudgov_approval_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'approvals are never deleted' USING ERRCODE = 'P0001';
  END IF;
  IF OLD.status <> 'PENDING' OR NEW.approval_id IS DISTINCT FROM OLD.approval_id
     OR NEW.entity_id IS DISTINCT FROM OLD.entity_id OR NEW.entity_type IS DISTINCT FROM OLD.entity_type
     OR NEW.maker IS DISTINCT FROM OLD.maker OR NEW.maker_issuer IS DISTINCT FROM OLD.maker_issuer
     OR NEW.author IS DISTINCT FROM OLD.author OR NEW.author_issuer IS DISTINCT FROM OLD.author_issuer
     OR NEW.content_digest IS DISTINCT FROM OLD.content_digest OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
    RAISE EXCEPTION 'approvals are decided once' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER approvals_guard BEFORE UPDATE OR DELETE ON approvals
  FOR EACH ROW EXECUTE FUNCTION fraudgov_approval_guard();

CREATE TABLE idempotency_keys (
  issuer TEXT NOT NULL,
  subject TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('IN_PROGRESS','COMPLETED')),
  response_status INTEGER,
  response_content_type TEXT,
  response_body TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (issuer, subject, idempotency_key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);
)sql";

// Every committed change to governance data, by anyone, wakes the read caches of every instance
// (store/postgres/change_listener.h). Statement-level, so a bulk UPDATE is one notification; the
// constant payload lets PostgreSQL fold all of a transaction's notifications into one.
constexpr std::string_view kV3ChangeNotifications = R"sql(
CREATE FUNCTION fraudgov_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('fraudgov_changes', '');
  RETURN NULL;
END;
$$;
CREATE TRIGGER rule_fields_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rule_fields
  FOR EACH STATEMENT EXECUTE FUNCTION fraudgov_notify_change();
CREATE TRIGGER rule_field_versions_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rule_field_versions
  FOR EACH STATEMENT EXECUTE FUNCTION fraudgov_notify_change();
CREATE TRIGGER rule_field_metadata_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rule_field_metadata
  FOR EACH STATEMENT EXECUTE FUNCTION fraudgov_notify_change();
CREATE TRIGGER audit_log_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION fraudgov_notify_change();
CREATE TRIGGER rules_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rules
  FOR EACH STATEMENT EXECUTE FUNCTION fraudgov_notify_change();
CREATE TRIGGER rule_versions_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rule_versions
  FOR EACH STATEMENT EXECUTE FUNCTION fraudgov_notify_change();
CREATE TRIGGER approvals_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON approvals
  FOR EACH STATEMENT EXECUTE FUNCTION fraudgov_notify_change();
)sql";

}  // namespace

const std::vector<Migration>& postgresMigrations() {
  static const std::vector<Migration> migrations = {
      {1, "catalog_and_audit", kV1Catalog},
      {2, "rules_and_approvals", kV2Rules},
      {3, "change_notifications", kV3ChangeNotifications},
  };
  return migrations;
}

}  // namespace fraudgov::store
