#pragma once
// The runtime's view of a published ruleset: an artifact loaded once, then evaluated against
// transactions from any number of threads (evaluate is const and allocation-light).
//
// Loading trusts nothing in the bytes. They must be strict JSON (common/json.h parseStrict),
// have exactly the artifact shape (artifact_reader.h), compile under the runtime's field catalog,
// and be byte-for-byte what compileRuleset produces from their own content: so a reordered,
// re-encoded, hand-edited-but-inconsistent or non-canonical artifact is refused, as is one whose
// trees no longer validate against the catalog. The checksum overload also binds the bytes to
// the checksum a (verified) manifest names.
//
// Evaluation: rules are tried in artifact order (priority desc, rule_id asc, rule_version_id asc).
// A rule is tried only when the transaction is in its scope (scope_matcher.h: every scope key
// present in the transaction as a string equal to the scope value or contained in the scope list;
// an empty scope applies to all). Its condition then decides (evaluator.h semantics).
//   FIRST_MATCH  (ALLOWLIST, BLOCKLIST, AUTH): at most one decision, the first rule that matches.
//   ALL_MATCHING (MONITORING): every matching rule, in artifact order.

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "compiler/evaluator.h"
#include "compiler/field_catalog.h"
#include "compiler/scope_matcher.h"
#include "domain/rule.h"

namespace fraudgov::compiler {

class LoadedRuleset {
 public:
  struct Decision {
    std::string rule_id, rule_version_id;
    domain::RuleAction action = domain::RuleAction::kReview;
    int priority = 0;
  };

  // Errors: kValidation "Invalid ruleset artifact: ..." (details.errors [{path, message}] when
  // the problem has a location).
  static Result<LoadedRuleset> load(std::string_view artifact_bytes, const FieldCatalog& catalog);
  // Also refuses bytes whose artifactChecksum differs from expected_checksum ("sha256:<hex>").
  static Result<LoadedRuleset> load(std::string_view artifact_bytes, std::string_view expected_checksum,
                                    const FieldCatalog& catalog);

  std::vector<Decision> evaluate(const boost::json::object& transaction) const;

  std::string_view mode() const;  // FIRST_MATCH or ALL_MATCHING
  const std::string& rulesetId() const { return ruleset_id_; }
  int version() const { return version_; }
  domain::RuleType ruleType() const { return rule_type_; }
  const std::string& checksum() const { return checksum_; }
  std::size_t ruleCount() const { return rules_.size(); }

 private:
  struct Rule {
    Decision decision;
    ScopeMatcher scope;
    CompiledCondition condition;
  };

  std::string ruleset_id_;
  int version_ = 0;
  domain::RuleType rule_type_ = domain::RuleType::kAuth;
  bool all_matching_ = false;
  std::string checksum_;
  std::vector<Rule> rules_;
};

// One JSON line per transaction for batch evaluation output:
// {"transaction_id":..., "matched":[{"rule_id","rule_version_id","action","priority"}],
//  "decision": <action of the first match, or null>}
boost::json::object decisionLine(std::string_view transaction_id,
                                 const std::vector<LoadedRuleset::Decision>& decisions);

}  // namespace fraudgov::compiler
