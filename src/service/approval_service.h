#pragma once
// Listing approvals (GET /api/v1/approvals).

#include "domain/rule.h"
#include "store/database.h"
#include "store/keyset.h"
#include "store/rule_store.h"

namespace fraudgov::service {

class ApprovalService {
 public:
  ApprovalService(store::Database& db, const store::CursorCodec& cursors) : db_(db), cursors_(cursors) {}
  Result<store::Page<domain::Approval>> list(const store::ApprovalFilter& filter, std::string_view cursor,
                                             store::Direction direction, int limit);

 private:
  store::Database& db_;
  const store::CursorCodec& cursors_;
};

}  // namespace fraudgov::service
