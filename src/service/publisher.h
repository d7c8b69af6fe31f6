#pragma once
// Publication of approved ruleset versions to the runtime (SPEC §4 Artifacts; issue 8 items 5, 7):
//   at approval   the immutable JCS artifact and its signed version manifest are written under
//                 rulesets/{env}/{region}/{country}/{key}/v{N}/ and recorded;
//   at activation a signed activation record (sequence strictly increasing per ruleset key)
//                 replaces the runtime pointer rulesets/{env}/{region}/{country}/{key}/manifest.json.
// Everything runs inside the caller's write transaction: the database rows commit only after
// the object store accepted the bytes, and a failed upload fails the whole operation (503).

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "compiler/ruleset_compiler.h"
#include "observability/governance_metrics.h"
#include "domain/ruleset.h"
#include "publish/artifact_store.h"
#include "publish/signing_key.h"
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

class Publisher {
 public:
  explicit Publisher(PublisherSettings settings) : settings_(std::move(settings)) {}

  const std::string& environment() const { return settings_.environment; }
  // Records a compile (SPEC §7 fraudgov_compile_*), whoever ran it.
  void recordCompile(std::chrono::duration<double> duration, const Result<compiler::CompiledRuleset>& result,
                     std::size_t rule_count) const;

  // Writes artifact + signed manifest and records them; returns the manifest row.
  Result<domain::PublishedArtifact> publishVersion(store::SqlSession& s, const domain::Ruleset& ruleset,
                                                   const domain::RulesetVersion& version,
                                                   const compiler::CompiledRuleset& compiled,
                                                   const ApprovalParties& parties, Timestamp now);

  // Signs and records the activation of `version` (its manifest must exist). The pointer bytes
  // are returned, not written: the caller writes them last, after every database statement of
  // the activation succeeded, so a failed statement never leaves the runtime pointing at a
  // version the governance database does not record as active.
  // rollback: the version returns after a newer one was active (marked in the signed record).
  Result<std::pair<domain::ActivationRecordRow, PendingPointer>> recordActivation(
      store::SqlSession& s, const domain::RulesetVersion& version, bool rollback, const domain::Actor& activator,
      Timestamp now);
  Status writePointer(const PendingPointer& pointer);

  // Registers the current signing key as the active one (others retired) and publishes the key
  // set next to the artifacts; nothing is written when the key is already the registered one.
  Status registerSigningKey(store::SqlSession& s, Timestamp now);
  // {"keys":[{kid, alg, crv, x, public_key_pem, status, created_at}]}
  static Result<boost::json::object> keySetJson(const std::vector<store::ArtifactKeyRow>& keys);

 private:
  Result<std::shared_ptr<const publish::ArtifactSigningKey>> signingKey() const;
  Result<domain::PublishedArtifact> publish(store::SqlSession& s, const domain::Ruleset& ruleset,
                                            const domain::RulesetVersion& version,
                                            const compiler::CompiledRuleset& compiled, const ApprovalParties& parties,
                                            Timestamp now);

  PublisherSettings settings_;
};

}  // namespace fraudgov::service
