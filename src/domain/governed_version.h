#pragma once
// What every governed version (rule versions, ruleset versions) has in common: the part of it
// the maker-checker workflow reads and moves. Entities derive from it, so the workflow
// (approval_workflow.h) is written once for every governed kind.

#include <optional>
#include <string>

#include "common/time.h"
#include "domain/rule_field.h"

namespace fraudgov::domain {

struct GovernedVersion {
  VersionStatus status = VersionStatus::kDraft;
  std::string created_by;  // the author, compared on (issuer, subject) with the checker
  std::string created_by_issuer;
  std::optional<std::string> approved_by;
  std::optional<std::string> approved_by_issuer;
  std::optional<Timestamp> approved_at;  // set once approved; kept through activation and supersession
};

}  // namespace fraudgov::domain
