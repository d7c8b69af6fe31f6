#include "service/approval_service.h"

namespace fraudgov::service {

Result<Page<domain::Approval>> ApprovalService::list(const store::ApprovalFilter& filter, const PageQuery& query) {
  const auto filters = givenFilters({{"status", filter.status}, {"entity_type", filter.entity_type}, {"entity_id", filter.entity_id}});
  return paging_.page<store::TimeIdKey>(
      "approvals", filters, query,
      [&](const store::TimeIdBounds& bounds) {
        return store::inStatement(db_,
                                  [&](store::SqlSession& s) { return store::ApprovalStore::list(s, filter, bounds); });
      },
      [](const domain::Approval& a) { return store::TimeIdKey{a.created_at, a.approval_id}; });
}

}  // namespace fraudgov::service
