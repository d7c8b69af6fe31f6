#pragma once
// Reading, exporting, checkpointing and verifying the audit log (SPEC §3 invariant 6; issue 11
// item 5). Checkpoints sign the head of the chain with the AUDIT_SIGNING_KEY key and are stored
// outside the audit table: in the artifact store (audit-checkpoints/<sequence>.json and
// latest.json, keys in keys/audit-keys.json) when one is configured, and in audit_checkpoints.
// Verification prefers the artifact-store copy (the database copy can be deleted by the same
// person who edits the chain) and reports when the two disagree.

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "domain/audit_verification.h"
#include "publish/artifact_store.h"
#include "publish/audit_checkpoint.h"
#include "publish/signing_key.h"
#include "service/paging.h"
#include "store/audit_checkpoint_store.h"
#include "store/audit_store.h"
#include "store/database.h"

namespace fraudgov::service {

struct AuditAnchoring {
  std::string environment;  // bound into every checkpoint (PUBLISH_ENVIRONMENT)
  // Where the authoritative copies go; nullptr: the database copy only.
  std::shared_ptr<publish::ArtifactStore> store;
  // The current audit signing key (re-read after SIGHUP); unset or nullptr: no checkpoints.
  std::function<std::shared_ptr<const publish::ArtifactSigningKey>()> signing_key;
};

struct CheckpointOutcome {
  store::AuditCheckpointRow checkpoint;
  bool created = false;  // false: the head was already checkpointed
};

// Where the latest checkpoint was found, and whether its two copies agree.
struct CheckpointSources {
  std::optional<std::int64_t> artifact_store;  // sequence of the artifact-store copy
  std::optional<std::int64_t> database;        // sequence of the database copy
  bool agree = true;
  std::string used;  // "artifact_store" | "database" | "" (none)
};

struct AuditReport {
  store::AuditVerification chain;  // the predecessor-compatible part (ok, checked, first_broken)
  domain::AuditVerdict verdict;
  std::optional<store::AuditHead> head;
  std::optional<publish::AuditCheckpoint> checkpoint;  // the latest one, when its signature verified
  std::optional<std::int64_t> unverified_checkpoint_sequence;  // when it did not
  CheckpointSources sources;
  std::int64_t rule_versions_checked = 0;
  std::vector<domain::ContentMismatch> content_mismatches;
};

struct AuditExportPage {
  std::vector<domain::AuditRecord> rows;  // ascending seq
  std::optional<std::int64_t> next_after;  // set when more rows follow
};

class AuditService {
 public:
  AuditService(store::Database& db, const CursorCodec& cursors, AuditAnchoring anchoring = {})
      : db_(db), paging_(cursors), anchoring_(std::move(anchoring)) {}

  Result<Page<domain::AuditRecord>> list(const store::AuditFilter& filter, const PageQuery& query);
  Result<AuditReport> verify();

  // Signs the current head unless it is checkpointed already. Refuses (409) when the chain does
  // not verify from the latest checkpoint onwards, so a tampered chain is never signed. Signing
  // and uploading run outside any database transaction (no store-wide write lock held).
  Result<CheckpointOutcome> checkpoint(const domain::Actor& actor);
  // The sequence of the latest checkpoint in the database (the scheduler's "every N entries").
  Result<std::optional<std::int64_t>> latestCheckpointSequence();
  Result<std::optional<store::AuditHead>> head();

  // Up to `limit` rows after `after_seq`, oldest first: one page of an export.
  Result<AuditExportPage> exportRows(std::int64_t after_seq, std::int64_t limit);

 private:
  struct LoadedAnchor {
    std::optional<std::string> bytes;  // the copy used
    CheckpointSources sources;
    std::optional<store::AuditCheckpointRow> db_row;
  };
  Result<LoadedAnchor> loadAnchor();
  Result<std::vector<publish::ArtifactPublicKey>> trustedKeys();
  Status publishKeySet(const publish::ArtifactSigningKey& key, Timestamp now);

  store::Database& db_;
  Paginator paging_;
  AuditAnchoring anchoring_;
  std::mutex checkpoint_mu_;  // one checkpoint at a time in this process
};

}  // namespace fraudgov::service
