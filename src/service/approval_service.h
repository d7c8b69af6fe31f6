#pragma once
// Listing approvals (GET /api/v1/approvals).

#include "domain/rule.h"
#include "service/paging.h"
#include "store/approval_store.h"
#include "store/database.h"

namespace fraudgov::service {

class ApprovalService {
 public:
  ApprovalService(store::Database& db, const CursorCodec& cursors) : db_(db), paging_(cursors) {}
  Result<Page<domain::Approval>> list(const store::ApprovalFilter& filter, const PageQuery& query);

 private:
  store::Database& db_;
  Paginator paging_;
};

}  // namespace fraudgov::service
