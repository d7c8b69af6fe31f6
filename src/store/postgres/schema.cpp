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


// Rulesets, their versions and membership, published artifacts, activation records, artifact
// signing keys and field-registry manifests (issue 8).
constexpr std::string_view kV4Rulesets = R"sql(
CREATE TABLE rulesets (
  ruleset_id UUID PRIMARY KEY,
  environment TEXT NOT NULL,
  region TEXT NOT NULL,
  country TEXT NOT NULL,
  rule_type TEXT NOT NULL CHECK (rule_type IN ('ALLOWLIST','BLOCKLIST','AUTH','MONITORING')),
  name TEXT,
  description TEXT,
  created_by TEXT NOT NULL,
  created_by_issuer TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  CONSTRAINT rulesets_identity UNIQUE (environment, region, country, rule_type)
);
CREATE INDEX rulesets_page ON rulesets (created_at, ruleset_id);

CREATE TABLE ruleset_versions (
  ruleset_version_id UUID PRIMARY KEY,
  ruleset_id UUID NOT NULL REFERENCES rulesets(ruleset_id),
  version INTEGER NOT NULL CHECK (version >= 1),
  status TEXT NOT NULL
    CHECK (status IN ('DRAFT','PENDING_APPROVAL','APPROVED','REJECTED','ACTIVE','SUPERSEDED')),
  created_by TEXT NOT NULL,
  created_by_issuer TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  approved_by TEXT,
  approved_by_issuer TEXT,
  approved_at TIMESTAMPTZ,
  activated_at TIMESTAMPTZ,
  UNIQUE (ruleset_id, version),
  CHECK (status NOT IN ('APPROVED','ACTIVE') OR (approved_by IS NOT NULL AND approved_at IS NOT NULL)),
  CHECK (status <> 'ACTIVE' OR activated_at IS NOT NULL)
);
CREATE INDEX ruleset_versions_page ON ruleset_versions (ruleset_id, created_at, ruleset_version_id);
CREATE UNIQUE INDEX ruleset_versions_one_active ON ruleset_versions (ruleset_id) WHERE status = 'ACTIVE';
CREATE FUNCTION fraudgov_ruleset_version_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'ruleset versions are immutable' USING ERRCODE = 'P0001';
  END IF;
  IF NEW.ruleset_id IS DISTINCT FROM OLD.ruleset_id OR NEW.version IS DISTINCT FROM OLD.version
     OR NEW.created_by IS DISTINCT FROM OLD.created_by OR NEW.created_by_issuer IS DISTINCT FROM OLD.created_by_issuer
     OR NEW.created_at IS DISTINCT FROM OLD.created_at
     OR (OLD.approved_at IS NOT NULL AND (NEW.approved_at IS DISTINCT FROM OLD.approved_at
         OR NEW.approved_by IS DISTINCT FROM OLD.approved_by
         OR NEW.approved_by_issuer IS DISTINCT FROM OLD.approved_by_issuer)) THEN
    RAISE EXCEPTION 'ruleset version content is immutable' USING ERRCODE = 'P0001';
  END IF;
  IF NOT (NEW.status = OLD.status
          OR (OLD.status IN ('DRAFT','REJECTED') AND NEW.status = 'PENDING_APPROVAL')
          OR (OLD.status = 'PENDING_APPROVAL' AND NEW.status IN ('APPROVED','REJECTED'))
          OR (OLD.status IN ('APPROVED','ACTIVE') AND NEW.status = 'SUPERSEDED')
          OR (OLD.status = 'APPROVED' AND NEW.status = 'ACTIVE')
          OR (OLD.status = 'SUPERSEDED' AND NEW.status = 'ACTIVE' AND OLD.approved_at IS NOT NULL)) THEN
    RAISE EXCEPTION 'illegal ruleset version status transition % -> %', OLD.status, NEW.status USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER ruleset_versions_guard BEFORE UPDATE OR DELETE ON ruleset_versions
  FOR EACH ROW EXECUTE FUNCTION fraudgov_ruleset_version_guard();

CREATE TABLE ruleset_version_rules (
  ruleset_version_id UUID NOT NULL REFERENCES ruleset_versions(ruleset_version_id),
  rule_version_id UUID NOT NULL REFERENCES rule_versions(rule_version_id),
  position INTEGER NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (ruleset_version_id, rule_version_id)
);
CREATE INDEX ruleset_version_rules_rule ON ruleset_version_rules (rule_version_id);
CREATE TRIGGER ruleset_version_rules_immutable BEFORE UPDATE OR DELETE ON ruleset_version_rules
  FOR EACH ROW EXECUTE FUNCTION fraudgov_refuse_change();

CREATE TABLE ruleset_manifests (
  manifest_id UUID PRIMARY KEY,
  ruleset_version_id UUID NOT NULL UNIQUE REFERENCES ruleset_versions(ruleset_version_id),
  environment TEXT NOT NULL,
  region TEXT NOT NULL,
  country TEXT NOT NULL,
  rule_type TEXT NOT NULL CHECK (rule_type IN ('ALLOWLIST','BLOCKLIST','AUTH','MONITORING')),
  ruleset_key TEXT NOT NULL,
  publication INTEGER NOT NULL CHECK (publication >= 1),
  field_registry_version INTEGER,
  artifact_uri TEXT NOT NULL,
  manifest_uri TEXT NOT NULL,
  checksum TEXT NOT NULL CHECK (length(checksum) = 71),
  signing_kid TEXT NOT NULL,
  manifest TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_by_issuer TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  UNIQUE (environment, region, country, rule_type, publication)
);
CREATE TRIGGER ruleset_manifests_immutable BEFORE UPDATE OR DELETE ON ruleset_manifests
  FOR EACH ROW EXECUTE FUNCTION fraudgov_refuse_change();

CREATE TABLE ruleset_activations (
  activation_id UUID PRIMARY KEY,
  ruleset_version_id UUID NOT NULL REFERENCES ruleset_versions(ruleset_version_id),
  manifest_id UUID NOT NULL REFERENCES ruleset_manifests(manifest_id),
  environment TEXT NOT NULL,
  region TEXT NOT NULL,
  country TEXT NOT NULL,
  ruleset_key TEXT NOT NULL,
  sequence BIGINT NOT NULL CHECK (sequence >= 1),
  pointer_uri TEXT NOT NULL,
  record TEXT NOT NULL,
  activated_by TEXT NOT NULL,
  activated_by_issuer TEXT NOT NULL,
  activated_at TIMESTAMPTZ NOT NULL,
  UNIQUE (environment, region, country, ruleset_key, sequence)
);
CREATE TRIGGER ruleset_activations_immutable BEFORE UPDATE OR DELETE ON ruleset_activations
  FOR EACH ROW EXECUTE FUNCTION fraudgov_refuse_change();

CREATE TABLE artifact_keys (
  kid TEXT PRIMARY KEY,
  public_key_pem TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active','retired')),
  created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX artifact_keys_one_active ON artifact_keys (status) WHERE status = 'active';

CREATE TABLE field_registry_manifests (
  manifest_id UUID PRIMARY KEY,
  registry_version INTEGER NOT NULL UNIQUE CHECK (registry_version >= 1),
  artifact_uri TEXT NOT NULL,
  checksum TEXT NOT NULL CHECK (length(checksum) = 71),
  field_count INTEGER NOT NULL,
  fields TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_by_issuer TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE TRIGGER field_registry_manifests_immutable BEFORE UPDATE OR DELETE ON field_registry_manifests
  FOR EACH ROW EXECUTE FUNCTION fraudgov_refuse_change();

CREATE TRIGGER rulesets_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rulesets
  FOR EACH STATEMENT EXECUTE FUNCTION fraudgov_notify_change();
CREATE TRIGGER ruleset_versions_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ruleset_versions
  FOR EACH STATEMENT EXECUTE FUNCTION fraudgov_notify_change();
CREATE TRIGGER ruleset_version_rules_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ruleset_version_rules
  FOR EACH STATEMENT EXECUTE FUNCTION fraudgov_notify_change();
CREATE TRIGGER ruleset_manifests_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ruleset_manifests
  FOR EACH STATEMENT EXECUTE FUNCTION fraudgov_notify_change();
CREATE TRIGGER ruleset_activations_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ruleset_activations
  FOR EACH STATEMENT EXECUTE FUNCTION fraudgov_notify_change();
CREATE TRIGGER artifact_keys_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON artifact_keys
  FOR EACH STATEMENT EXECUTE FUNCTION fraudgov_notify_change();
CREATE TRIGGER field_registry_manifests_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON field_registry_manifests FOR EACH STATEMENT EXECUTE FUNCTION fraudgov_notify_change();
)sql";

// Idempotency claims are leases (issue 11 item 6): a claim left by a process that died mid-request
// can be taken over by a retry of the same request once lease_expires_at has passed; claim_token
// names the request holding it.
constexpr std::string_view kV5IdempotencyLeases = R"sql(
ALTER TABLE idempotency_keys ADD COLUMN lease_expires_at TIMESTAMPTZ, ADD COLUMN claim_token TEXT;
)sql";

// Signed checkpoints of the audit chain's head (issue 11 item 5), kept outside audit_log; the
// artifact store holds the authoritative copy, this one is append-only like the chain itself.
constexpr std::string_view kV6AuditCheckpoints = R"sql(
CREATE TABLE audit_checkpoints (
  sequence BIGINT PRIMARY KEY CHECK (sequence >= 1),
  head_hash TEXT NOT NULL CHECK (length(head_hash) = 64),
  checkpointed_at TIMESTAMPTZ NOT NULL,
  environment TEXT NOT NULL,
  kid TEXT NOT NULL,
  document TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_by_issuer TEXT NOT NULL
);
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION fraudgov_refuse_change();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION fraudgov_refuse_change();
CREATE TRIGGER audit_checkpoints_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION fraudgov_notify_change();
)sql";

// The audit log filtered by entity_id alone (the usual "history of this object" query) had no
// index leading with entity_id: 1,000,000 rows took ~230 ms per page (docs/performance.md).
constexpr std::string_view kV7AuditEntityIdIndex = R"sql(
CREATE INDEX audit_log_entity_id ON audit_log (entity_id, seq);
)sql";

}  // namespace

const std::vector<Migration>& postgresMigrations() {
  static const std::vector<Migration> migrations = {
      {1, "catalog_and_audit", kV1Catalog},
      {2, "rules_and_approvals", kV2Rules},
      {3, "change_notifications", kV3ChangeNotifications},
      {4, "rulesets_and_publication", kV4Rulesets},
      {5, "idempotency_leases", kV5IdempotencyLeases},
      {6, "audit_checkpoints", kV6AuditCheckpoints},
      {7, "audit_entity_id_index", kV7AuditEntityIdIndex},
  };
  return migrations;
}

}  // namespace fraudgov::store
