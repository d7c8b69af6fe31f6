#pragma once
// Publication of approved ruleset versions to the runtime (SPEC §4 Artifacts; issue 8 items 5, 7;
// issue 9 item 5):
//   at approval   the immutable JCS artifact and its signed version manifest are written under
//                 rulesets/{env}/{region}/{country}/{key}/v{N}/ and recorded;
//   at activation a signed activation record (sequence strictly increasing per ruleset key)
//                 replaces the runtime pointer rulesets/{env}/{region}/{country}/{key}/manifest.json.
//
// No object-store call runs under the store-wide write lock. Each publication or activation
// holds the per-scope lock (lockScope: one publication scope = env/region/country/key) from
// planning to commit, in three steps:
//   plan*    reads what the signed document depends on (v{N} = max+1, the registry version,
//            the signing keys, the previous sequence) and signs, in a read transaction;
//   upload / writePointer   PUTs the bytes (no database transaction open);
//   record*  in the caller's short write transaction, re-checks what the plan read and inserts
//            the rows. The rows and the audit row commit only after the upload succeeded; a
//            failed upload is a 503 and leaves no row.
// A write transaction that fails after an upload commits nothing. At approval the v{N} objects
// it wrote are orphans no row refers to; the next approval of the scope (holding the same lock,
// reading the same max) computes the same N and overwrites them. At activation the runtime
// pointer already moved: the caller puts the latest committed activation record back
// (restorePointer). Remaining window: between the pointer PUT and the restore (or if the restore
// itself fails, or when there was no earlier activation to restore) the pointer names a version
// the database does not record as active; its record is validly signed and its artifact exists,
// and the next activation of the scope replaces it (docs/operations.md).
//
// The scope lock is per process on SQLite and cluster-wide on PostgreSQL (store/database.h).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "compiler/ruleset_compiler.h"
#include "observability/governance_metrics.h"
#include "domain/ruleset.h"
#include "publish/artifact_store.h"
#include "publish/signing_key.h"
#include "store/database.h"
#include "store/publication_store.h"
#include "store/sql.h"

namespace fraudgov::service {

struct PublisherSettings {
  std::string environment;  // PUBLISH_ENVIRONMENT: the environment every artifact is bound to
  std::shared_ptr<publish::ArtifactStore> store;
  // The current signing key (re-read after SIGHUP); nullptr means publication is not configured.
  std::function<std::shared_ptr<const publish::ArtifactSigningKey>()> signing_key;
  // Compile and publish counts and durations (SPEC §7); nullptr records nothing.
  observability::GovernanceMetrics* metrics = nullptr;
  // How long a publication waits for another one of the same scope (its uploads) to finish.
  std::chrono::milliseconds scope_lock_wait{15000};
};

// Who made and who checked a version, as its signed manifest names them.
struct ApprovalParties {
  domain::Actor maker;
  domain::Actor checker;
  Timestamp approved_at;
};

struct PendingPointer {
  std::string key;    // storage key of the runtime pointer
  std::string bytes;  // the signed activation record
};

// A signing key to register as the active one, with the key set that lists it.
struct KeyRegistration {
  store::ArtifactKeyRow row;
  std::string key_set;         // serialized {"keys":[...]} as it will read once the row is recorded
  std::set<std::string> kids;  // every key the set lists
};

// Everything an approval's publication writes, decided before any upload.
struct PublicationPlan {
  domain::PublishedArtifact row;
  std::string artifact_key;
  std::string manifest_key;
  std::string manifest;                // signed version manifest
  std::optional<KeyRegistration> key;  // set when the signing key is not registered yet
};

// Everything an activation writes, decided before the pointer moves.
struct ActivationPlan {
  domain::ActivationRecordRow row;
  PendingPointer pointer;
  std::optional<std::string> previous;  // the latest committed record: what the pointer holds now
};

class Publisher {
 public:
  explicit Publisher(PublisherSettings settings) : settings_(std::move(settings)) {}

  const std::string& environment() const { return settings_.environment; }
  // Records a compile (SPEC §7 fraudgov_compile_*), whoever ran it.
  void recordCompile(std::chrono::duration<double> duration, const Result<compiler::CompiledRuleset>& result,
                     std::size_t rule_count) const;

  // The per-scope publication lock (see above), waiting at most scope_lock_wait.
  Result<std::unique_ptr<store::NamedLock>> lockScope(store::Database& db, std::string_view environment,
                                                      std::string_view region, std::string_view country,
                                                      std::string_view ruleset_key) const;

  // Approval. planPublication reads only (any transaction); compiled: what the checker approved.
  Result<PublicationPlan> planPublication(store::SqlSession& s, const domain::Ruleset& ruleset,
                                          const domain::RulesetVersion& version,
                                          const compiler::CompiledRuleset& compiled, const ApprovalParties& parties,
                                          Timestamp now) const;
  // Key set (when new), artifact, manifest: the bytes exist before anything refers to them.
  Status upload(const PublicationPlan& plan, std::string_view artifact_bytes) const;
  // In the write transaction: the plan still holds (nothing was published in the scope, the
  // registry and the keys did not move since) and its rows are inserted.
  Status recordPublication(store::SqlSession& s, const PublicationPlan& plan) const;

  // Activation of `version` (its manifest must exist). rollback: the version returns after a
  // newer one was active (marked in the signed record).
  Result<ActivationPlan> planActivation(store::SqlSession& s, const domain::RulesetVersion& version, bool rollback,
                                        const domain::Actor& activator, Timestamp now) const;
  Status writePointer(const PendingPointer& pointer) const;
  // In the write transaction: no other activation of the pointer committed since the plan.
  Status recordActivation(store::SqlSession& s, const ActivationPlan& plan) const;
  // After a failed activation transaction: the pointer goes back to the latest committed record.
  Status restorePointer(const ActivationPlan& plan) const;

  // Registers the current signing key as the active one (others retired) and publishes the key
  // set next to the artifacts; nothing is written when the key is already the registered one.
  // The key set is uploaded before (and outside) the write transaction that records the key.
  Status registerSigningKey(store::Database& db, Timestamp now) const;
  // {"keys":[{kid, alg, crv, x, public_key_pem, status, created_at}]}
  static Result<boost::json::object> keySetJson(const std::vector<store::ArtifactKeyRow>& keys);

 private:
  Result<std::shared_ptr<const publish::ArtifactSigningKey>> signingKey() const;
  // nullopt when `key` is already the active registered key.
  static Result<std::optional<KeyRegistration>> planKeyRegistration(store::SqlSession& s,
                                                                    const publish::ArtifactSigningKey& key,
                                                                    Timestamp now);
  static Status recordKeyRegistration(store::SqlSession& s, const KeyRegistration& planned);
  Status put(std::string_view key, std::string_view bytes) const;

  PublisherSettings settings_;
};

}  // namespace fraudgov::service
