#pragma once
// Use cases of rulesets (SPEC §3 invariants 4–5, issue 8): identities, immutable versions with
// exact membership, the four-eyes workflow shared with rule versions (approval compiles,
// signs and publishes), activation, rollback and the compile preview. Compiles and object-store
// uploads never run under the store-wide write lock (issue 9 item 5): see submit/decide/activate
// in the .cpp and service/publisher.h.

#include <optional>
#include <string>
#include <vector>

#include "compiler/ruleset_compiler.h"
#include "domain/ruleset.h"
#include "service/approval_flow.h"
#include "service/paging.h"
#include "service/publisher.h"
#include "store/database.h"
#include "store/ruleset_store.h"

namespace fraudgov::service {

struct NewRuleset {
  std::string environment;
  std::string region;
  std::string country;
  domain::RuleType rule_type = domain::RuleType::kAuth;
  std::optional<std::string> name;
  std::optional<std::string> description;
};

struct RulesetVersionView {
  domain::RulesetVersion version;
  std::vector<domain::RulesetMember> members;  // in membership order
};

struct CompilePreview {
  std::string ruleset_version_id;
  compiler::CompiledRuleset compiled;
  bool can_publish = false;
  std::vector<std::string> warnings;
};

class RulesetService {
 public:
  RulesetService(store::Database& db, const CursorCodec& cursors, Publisher& publisher)
      : db_(db), paging_(cursors), publisher_(publisher) {}

  Result<domain::Ruleset> createRuleset(const domain::Actor& actor, const NewRuleset& input);
  Result<domain::Ruleset> getRuleset(std::string_view ruleset_id);
  Result<Page<domain::Ruleset>> listRulesets(const store::RulesetFilter& filter, const PageQuery& query);

  Result<RulesetVersionView> createVersion(const domain::Actor& actor, std::string_view ruleset_id,
                                           const std::vector<std::string>& rule_version_ids);
  Result<RulesetVersionView> getVersion(std::string_view ruleset_version_id);
  // An unknown ruleset gives an empty page, as the predecessor.
  Result<Page<RulesetVersionView>> listVersions(std::string_view ruleset_id, const std::optional<std::string>& status,
                                                const PageQuery& query);

  Result<RulesetVersionView> submit(const domain::Actor& actor, std::string_view id, const SubmitInput& input);
  Result<RulesetVersionView> approve(const domain::Actor& actor, std::string_view id, const DecisionInput& input);
  Result<RulesetVersionView> reject(const domain::Actor& actor, std::string_view id, const DecisionInput& input);
  // Activation supersedes the ruleset's ACTIVE version and moves the runtime pointer; activating a
  // superseded version that was approved once is a rollback.
  Result<RulesetVersionView> activate(const domain::Actor& actor, std::string_view id);

  Result<CompilePreview> compile(std::string_view id);

 private:
  Result<RulesetVersionView> decide(const domain::Actor& actor, std::string_view id, const DecisionInput& input,
                                    bool approve);
  Result<RulesetVersionView> view(store::SqlSession& s, domain::RulesetVersion v);
  // The pending approval `actor` may approve and its version, or nullopt when nothing is pending
  // (the flow then words the refusal); separation of duties and the status checked.
  Result<std::optional<std::pair<domain::Approval, domain::RulesetVersion>>> pendingDecision(
      const domain::Actor& actor, std::string_view id);
  static bool rollingBack(const domain::RulesetVersion& v);
  void putPointerBack(const ActivationPlan& plan, const Error& cause);

  store::Database& db_;
  Paginator paging_;
  Publisher& publisher_;
};

Error rulesetNotFound(std::string_view ruleset_id);
Error rulesetVersionNotFound(std::string_view ruleset_version_id);

}  // namespace fraudgov::service
