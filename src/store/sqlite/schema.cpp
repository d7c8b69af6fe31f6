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

constexpr std::string_view kV2Rules = R"sql(
CREATE TABLE rules (
  rule_id TEXT PRIMARY KEY,
  rule_name TEXT NOT NULL,
  description TEXT,
  rule_type TEXT NOT NULL CHECK (rule_type IN ('ALLOWLIST','BLOCKLIST','AUTH','MONITORING')),
  status TEXT NOT NULL CHECK (status IN ('DRAFT','PENDING_APPROVAL','APPROVED','REJECTED','SUPERSEDED')),
  current_version INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_by_issuer TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX rules_page ON rules (created_at, rule_id);
CREATE INDEX rules_type ON rules (rule_type, created_at);

CREATE TABLE rule_versions (
  rule_version_id TEXT PRIMARY KEY,
  rule_id TEXT NOT NULL REFERENCES rules(rule_id),
  version INTEGER NOT NULL,
  condition_tree TEXT NOT NULL,
  normalized_tree TEXT NOT NULL,
  scope TEXT NOT NULL,
  priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 1000),
  action TEXT NOT NULL CHECK (action IN ('APPROVE','DECLINE','REVIEW')),
  status TEXT NOT NULL CHECK (status IN ('DRAFT','PENDING_APPROVAL','APPROVED','REJECTED','SUPERSEDED')),
  created_by TEXT NOT NULL,
  created_by_issuer TEXT NOT NULL,
  created_at TEXT NOT NULL,
  approved_by TEXT,
  approved_by_issuer TEXT,
  approved_at TEXT,
  UNIQUE (rule_id, version),
  CHECK (status NOT IN ('APPROVED','SUPERSEDED') OR (approved_by IS NOT NULL AND approved_at IS NOT NULL))
) STRICT;
CREATE INDEX rule_versions_status ON rule_versions (rule_id, status);
-- Versions are immutable: content never changes; status only moves forward; approval data is
-- written once; rows are never deleted.
CREATE TRIGGER rule_versions_content_immutable BEFORE UPDATE ON rule_versions
WHEN NEW.rule_id IS NOT OLD.rule_id OR NEW.version IS NOT OLD.version
  OR NEW.condition_tree IS NOT OLD.condition_tree OR NEW.normalized_tree IS NOT OLD.normalized_tree
  OR NEW.scope IS NOT OLD.scope OR NEW.priority IS NOT OLD.priority OR NEW.action IS NOT OLD.action
  OR NEW.created_by IS NOT OLD.created_by OR NEW.created_by_issuer IS NOT OLD.created_by_issuer
  OR NEW.created_at IS NOT OLD.created_at
  OR (OLD.approved_at IS NOT NULL AND (NEW.approved_at IS NOT OLD.approved_at OR NEW.approved_by IS NOT OLD.approved_by
      OR NEW.approved_by_issuer IS NOT OLD.approved_by_issuer))
BEGIN SELECT RAISE(ABORT, 'rule version content is immutable'); END;
CREATE TRIGGER rule_versions_status_flow BEFORE UPDATE OF status ON rule_versions
WHEN NOT (NEW.status = OLD.status
  OR (OLD.status IN ('DRAFT','REJECTED') AND NEW.status = 'PENDING_APPROVAL')
  OR (OLD.status = 'PENDING_APPROVAL' AND NEW.status IN ('APPROVED','REJECTED'))
  OR (OLD.status = 'APPROVED' AND NEW.status = 'SUPERSEDED'))
BEGIN SELECT RAISE(ABORT, 'illegal rule version status transition'); END;
CREATE TRIGGER rule_versions_no_delete BEFORE DELETE ON rule_versions
BEGIN SELECT RAISE(ABORT, 'rule versions are immutable'); END;

CREATE TABLE approvals (
  approval_id TEXT PRIMARY KEY,
  entity_type TEXT NOT NULL CHECK (entity_type IN ('RULE_VERSION','RULESET_VERSION','FIELD_VERSION')),
  entity_id TEXT NOT NULL,
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
  created_at TEXT NOT NULL,
  decided_at TEXT,
  -- Separation of duties, enforced by the database as well (SPEC §3 invariant 1).
  CHECK (checker IS NULL OR checker_issuer IS NULL OR NOT (checker = maker AND checker_issuer = maker_issuer)),
  CHECK (checker IS NULL OR checker_issuer IS NULL OR NOT (checker = author AND checker_issuer = author_issuer)),
  CHECK ((status = 'PENDING') = (checker IS NULL)),
  CHECK ((status = 'PENDING') = (decided_at IS NULL)),
  CHECK (status = 'PENDING' OR checker_issuer IS NOT NULL),
  UNIQUE (entity_type, entity_id, idempotency_key)
) STRICT;
CREATE UNIQUE INDEX approvals_one_pending ON approvals (entity_id) WHERE status = 'PENDING';
CREATE INDEX approvals_page ON approvals (created_at, approval_id);
CREATE INDEX approvals_entity ON approvals (entity_id);
CREATE TRIGGER approvals_decided_once BEFORE UPDATE ON approvals
WHEN OLD.status <> 'PENDING' OR NEW.approval_id IS NOT OLD.approval_id OR NEW.entity_id IS NOT OLD.entity_id
  OR NEW.entity_type IS NOT OLD.entity_type OR NEW.maker IS NOT OLD.maker OR NEW.maker_issuer IS NOT OLD.maker_issuer
  OR NEW.author IS NOT OLD.author OR NEW.author_issuer IS NOT OLD.author_issuer
  OR NEW.content_digest IS NOT OLD.content_digest OR NEW.created_at IS NOT OLD.created_at
BEGIN SELECT RAISE(ABORT, 'approvals are decided once'); END;
CREATE TRIGGER approvals_no_delete BEFORE DELETE ON approvals
BEGIN SELECT RAISE(ABORT, 'approvals are never deleted'); END;

CREATE TABLE idempotency_keys (
  issuer TEXT NOT NULL,
  subject TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('IN_PROGRESS','COMPLETED')),
  response_status INTEGER,
  response_content_type TEXT,
  response_body TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (issuer, subject, idempotency_key)
) STRICT;
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);
)sql";

// PostgreSQL's version 3 adds change notifications; SQLite needs no schema for that, since
// PRAGMA data_version reports every commit by any connection (sqlite_database.cpp).
constexpr std::string_view kV3ChangeNotifications = "SELECT 1;";


// Rulesets, their versions and membership, published artifacts, activation records, artifact
// signing keys and field-registry manifests (issue 8).
constexpr std::string_view kV4Rulesets = R"sql(
CREATE TABLE rulesets (
  ruleset_id TEXT PRIMARY KEY,
  environment TEXT NOT NULL,
  region TEXT NOT NULL,
  country TEXT NOT NULL,
  rule_type TEXT NOT NULL CHECK (rule_type IN ('ALLOWLIST','BLOCKLIST','AUTH','MONITORING')),
  name TEXT,
  description TEXT,
  created_by TEXT NOT NULL,
  created_by_issuer TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CONSTRAINT rulesets_identity UNIQUE (environment, region, country, rule_type)
) STRICT;
CREATE INDEX rulesets_page ON rulesets (created_at, ruleset_id);

CREATE TABLE ruleset_versions (
  ruleset_version_id TEXT PRIMARY KEY,
  ruleset_id TEXT NOT NULL REFERENCES rulesets(ruleset_id),
  version INTEGER NOT NULL CHECK (version >= 1),
  status TEXT NOT NULL
    CHECK (status IN ('DRAFT','PENDING_APPROVAL','APPROVED','REJECTED','ACTIVE','SUPERSEDED')),
  created_by TEXT NOT NULL,
  created_by_issuer TEXT NOT NULL,
  created_at TEXT NOT NULL,
  approved_by TEXT,
  approved_by_issuer TEXT,
  approved_at TEXT,
  activated_at TEXT,
  UNIQUE (ruleset_id, version),
  CHECK (status NOT IN ('APPROVED','ACTIVE') OR (approved_by IS NOT NULL AND approved_at IS NOT NULL)),
  CHECK (status <> 'ACTIVE' OR activated_at IS NOT NULL)
) STRICT;
CREATE INDEX ruleset_versions_page ON ruleset_versions (ruleset_id, created_at, ruleset_version_id);
CREATE UNIQUE INDEX ruleset_versions_one_active ON ruleset_versions (ruleset_id) WHERE status = 'ACTIVE';
CREATE TRIGGER ruleset_versions_content_immutable BEFORE UPDATE ON ruleset_versions
WHEN NEW.ruleset_id IS NOT OLD.ruleset_id OR NEW.version IS NOT OLD.version
  OR NEW.created_by IS NOT OLD.created_by OR NEW.created_by_issuer IS NOT OLD.created_by_issuer
  OR NEW.created_at IS NOT OLD.created_at
  OR (OLD.approved_at IS NOT NULL AND (NEW.approved_at IS NOT OLD.approved_at OR NEW.approved_by IS NOT OLD.approved_by
      OR NEW.approved_by_issuer IS NOT OLD.approved_by_issuer))
BEGIN SELECT RAISE(ABORT, 'ruleset version content is immutable'); END;
CREATE TRIGGER ruleset_versions_status_flow BEFORE UPDATE OF status ON ruleset_versions
WHEN NOT (NEW.status = OLD.status
  OR (OLD.status IN ('DRAFT','REJECTED') AND NEW.status = 'PENDING_APPROVAL')
  OR (OLD.status = 'PENDING_APPROVAL' AND NEW.status IN ('APPROVED','REJECTED'))
  OR (OLD.status IN ('APPROVED','ACTIVE') AND NEW.status = 'SUPERSEDED')
  OR (OLD.status = 'APPROVED' AND NEW.status = 'ACTIVE')
  OR (OLD.status = 'SUPERSEDED' AND NEW.status = 'ACTIVE' AND OLD.approved_at IS NOT NULL))
BEGIN SELECT RAISE(ABORT, 'illegal ruleset version status transition'); END;
CREATE TRIGGER ruleset_versions_no_delete BEFORE DELETE ON ruleset_versions
BEGIN SELECT RAISE(ABORT, 'ruleset versions are immutable'); END;

CREATE TABLE ruleset_version_rules (
  ruleset_version_id TEXT NOT NULL REFERENCES ruleset_versions(ruleset_version_id),
  rule_version_id TEXT NOT NULL REFERENCES rule_versions(rule_version_id),
  position INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (ruleset_version_id, rule_version_id)
) STRICT;
CREATE INDEX ruleset_version_rules_rule ON ruleset_version_rules (rule_version_id);
CREATE TRIGGER ruleset_version_rules_immutable BEFORE UPDATE ON ruleset_version_rules
BEGIN SELECT RAISE(ABORT, 'ruleset membership is immutable'); END;
CREATE TRIGGER ruleset_version_rules_no_delete BEFORE DELETE ON ruleset_version_rules
BEGIN SELECT RAISE(ABORT, 'ruleset membership is immutable'); END;

CREATE TABLE ruleset_manifests (
  manifest_id TEXT PRIMARY KEY,
  ruleset_version_id TEXT NOT NULL UNIQUE REFERENCES ruleset_versions(ruleset_version_id),
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
  created_at TEXT NOT NULL,
  UNIQUE (environment, region, country, rule_type, publication)
) STRICT;
CREATE TRIGGER ruleset_manifests_immutable BEFORE UPDATE ON ruleset_manifests
BEGIN SELECT RAISE(ABORT, 'published manifests are immutable'); END;
CREATE TRIGGER ruleset_manifests_no_delete BEFORE DELETE ON ruleset_manifests
BEGIN SELECT RAISE(ABORT, 'published manifests are immutable'); END;

CREATE TABLE ruleset_activations (
  activation_id TEXT PRIMARY KEY,
  ruleset_version_id TEXT NOT NULL REFERENCES ruleset_versions(ruleset_version_id),
  manifest_id TEXT NOT NULL REFERENCES ruleset_manifests(manifest_id),
  environment TEXT NOT NULL,
  region TEXT NOT NULL,
  country TEXT NOT NULL,
  ruleset_key TEXT NOT NULL,
  sequence INTEGER NOT NULL CHECK (sequence >= 1),
  pointer_uri TEXT NOT NULL,
  record TEXT NOT NULL,
  activated_by TEXT NOT NULL,
  activated_by_issuer TEXT NOT NULL,
  activated_at TEXT NOT NULL,
  UNIQUE (environment, region, country, ruleset_key, sequence)
) STRICT;
CREATE TRIGGER ruleset_activations_immutable BEFORE UPDATE ON ruleset_activations
BEGIN SELECT RAISE(ABORT, 'activation records are immutable'); END;
CREATE TRIGGER ruleset_activations_no_delete BEFORE DELETE ON ruleset_activations
BEGIN SELECT RAISE(ABORT, 'activation records are immutable'); END;

CREATE TABLE artifact_keys (
  kid TEXT PRIMARY KEY,
  public_key_pem TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active','retired')),
  created_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX artifact_keys_one_active ON artifact_keys (status) WHERE status = 'active';

CREATE TABLE field_registry_manifests (
  manifest_id TEXT PRIMARY KEY,
  registry_version INTEGER NOT NULL UNIQUE CHECK (registry_version >= 1),
  artifact_uri TEXT NOT NULL,
  checksum TEXT NOT NULL CHECK (length(checksum) = 71),
  field_count INTEGER NOT NULL,
  fields TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_by_issuer TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE TRIGGER field_registry_manifests_immutable BEFORE UPDATE ON field_registry_manifests
BEGIN SELECT RAISE(ABORT, 'registry manifests are immutable'); END;
CREATE TRIGGER field_registry_manifests_no_delete BEFORE DELETE ON field_registry_manifests
BEGIN SELECT RAISE(ABORT, 'registry manifests are immutable'); END;
)sql";

// Idempotency claims are leases (issue 11 item 6): a claim left by a process that died mid-request
// can be taken over by a retry of the same request once lease_expires_at has passed; claim_token
// names the request holding it.
constexpr std::string_view kV5IdempotencyLeases = R"sql(
ALTER TABLE idempotency_keys ADD COLUMN lease_expires_at TEXT;
ALTER TABLE idempotency_keys ADD COLUMN claim_token TEXT;
)sql";

// Signed checkpoints of the audit chain's head (issue 11 item 5), kept outside audit_log; the
// artifact store holds the authoritative copy, this one is append-only like the chain itself.
constexpr std::string_view kV6AuditCheckpoints = R"sql(
CREATE TABLE audit_checkpoints (
  sequence INTEGER PRIMARY KEY CHECK (sequence >= 1),
  head_hash TEXT NOT NULL CHECK (length(head_hash) = 64),
  checkpointed_at TEXT NOT NULL,
  environment TEXT NOT NULL,
  kid TEXT NOT NULL,
  document TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_by_issuer TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
)sql";

// The audit log filtered by entity_id alone (the usual "history of this object" query) had no
// index leading with entity_id: 1,000,000 rows took ~230 ms per page (docs/performance.md).
constexpr std::string_view kV7AuditEntityIdIndex = R"sql(
CREATE INDEX audit_log_entity_id ON audit_log (entity_id, seq);
)sql";

}  // namespace

const std::vector<Migration>& sqliteMigrations() {
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
