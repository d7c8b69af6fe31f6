#pragma once
// The ruleset compiler (SPEC §5, predecessor-spec §9.4/§9.6): the approved rule versions of one
// ruleset version -> the AST the runtime evaluates -> its RFC 8785 bytes (the artifact) -> the
// checksum that manifests and approvals bind. Pure: the same input gives the same bytes on every
// machine; there is nothing in the AST that depends on time, randomness or the environment.
//
// Besides each tree (validated against the catalog and normalized), every member must carry a
// non-empty rule_id and rule_version_id (unique within the ruleset), a priority within
// domain::kMinPriority..kMaxPriority, an action the rule type allows (domain::actionAllowed) and a
// scope domain::checkScope accepts: the artifact is only as trustworthy as its weakest member.
//
// Errors are kCompilationFailed (422, Error::compilation); one about a member names its rule_id and
// rule_version_id in the message and in details, with details.errors [{path, message}] where the
// paths are those of the tree ("$.and[1].op") or of the member ("$.priority").

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/crypto.h"
#include "compiler/field_catalog.h"
#include "domain/rule.h"

namespace fraudgov::compiler {

struct RulesetMember {  // one approved rule version in a ruleset version
  std::string rule_id;
  std::string rule_version_id;
  int priority = 100;
  boost::json::object scope;
  boost::json::value when;  // the rule version's normalized and/or/not tree
  domain::RuleAction action = domain::RuleAction::kReview;
  bool operator==(const RulesetMember&) const = default;
};

struct RulesetSource {
  std::string ruleset_id;
  int version = 1;  // the ruleset version number
  domain::RuleType rule_type = domain::RuleType::kAuth;
  std::vector<RulesetMember> rules;
  bool operator==(const RulesetSource&) const = default;
};

// ast is built in an arena (ast_arena.h) that copies of it share; bj::object(ast, {}) makes a
// copy in the default heap for anyone who wants to edit one at length.
struct CompiledRuleset {
  boost::json::object ast;  // predecessor-spec §9.6 shape
  std::string bytes;        // RFC 8785 canonical JSON of ast (the artifact)
  std::string checksum;     // "sha256:" + 64 lowercase hex of bytes
};

inline constexpr std::string_view kCompilerVersion = "fraudgov-compiler/1";

inline constexpr std::string_view kFirstMatch = "FIRST_MATCH";
inline constexpr std::string_view kAllMatching = "ALL_MATCHING";

// FIRST_MATCH for ALLOWLIST/BLOCKLIST/AUTH, ALL_MATCHING for MONITORING.
std::string_view evaluationMode(domain::RuleType t);

// AST: {rulesetId, version, ruleType, evaluation:{mode}, velocityFailurePolicy:"SKIP",
// rules:[{ruleId, ruleVersionId, priority, scope, when, action}]}, rules ordered by priority
// descending, then rule_id ascending, then rule_version_id ascending (byte order). An empty
// member list compiles to "rules":[].
Result<CompiledRuleset> compileRuleset(const RulesetSource& source, const FieldCatalog& catalog);


}  // namespace fraudgov::compiler
