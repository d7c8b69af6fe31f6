#include "service/approval_service.h"

#include "service/audit_service.h"

namespace fraudgov::service {

Result<store::Page<domain::Approval>> ApprovalService::list(const store::ApprovalFilter& filter,
                                                            std::string_view cursor, store::Direction direction,
                                                            int limit) {
  boost::json::object fingerprint;
  if (filter.status) fingerprint["status"] = *filter.status;
  if (filter.entity_type) fingerprint["entity_type"] = *filter.entity_type;
  if (filter.entity_id) fingerprint["entity_id"] = *filter.entity_id;
  const std::string scope = cursorScope("approvals", fingerprint);
  store::PageRequest request{std::nullopt, direction, limit};
  if (!cursor.empty()) {
    FRAUDGOV_ASSIGN_OR_RETURN(request.cursor_keys, cursors_.decode(scope, cursor));
  }
  FRAUDGOV_ASSIGN_OR_RETURN(auto rows, store::inStatement(db_, [&](store::SqlSession& s) {
                              return store::ApprovalStore::list(s, filter, request);
                            }));
  return store::assemblePage(
      std::move(rows), request, [](const domain::Approval& a) { return store::timeIdKey(a.created_at, a.approval_id); },
      cursors_, scope);
}

}  // namespace fraudgov::service
