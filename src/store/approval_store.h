#pragma once
// Persistence of approval records: one row per submission, decided once by a checker. The
// database refuses a checker equal to the maker or the author (SPEC §3 invariant 1).

#include <optional>
#include <vector>

#include "domain/rule.h"
#include "store/keyset_bounds.h"
#include "store/sql.h"

namespace fraudgov::store {

struct ApprovalFilter {
  std::optional<std::string> status;
  std::optional<std::string> entity_type;
  std::optional<std::string> entity_id;
};

class ApprovalStore {
 public:
  static Status insert(SqlSession& s, const domain::Approval& a);
  static Result<std::optional<domain::Approval>> findPending(SqlSession& s, std::string_view entity_id);
  static Result<std::optional<domain::Approval>> findByIdempotencyKey(SqlSession& s, std::string_view entity_type,
                                                                      std::string_view entity_id, std::string_view key);
  // Records the decision if the approval is still pending; false when someone decided first.
  static Result<bool> decide(SqlSession& s, const domain::Approval& a);
  static Result<std::vector<domain::Approval>> list(SqlSession& s, const ApprovalFilter& filter,
                                                    const TimeIdBounds& page);
};

}  // namespace fraudgov::store
