#include "service/audit_service.h"

#include "common/canonical_json.h"

namespace fraudgov::service {

std::string cursorScope(std::string_view list, const boost::json::object& filters) {
  return std::string(list) + "|" + json::canonicalize(filters);
}

namespace {
boost::json::object filterFingerprint(const store::AuditFilter& f) {
  boost::json::object o;
  if (f.entity_type) o["entity_type"] = *f.entity_type;
  if (f.entity_id) o["entity_id"] = *f.entity_id;
  if (f.action) o["action"] = *f.action;
  if (f.performed_by) o["performed_by"] = *f.performed_by;
  if (f.since) o["since"] = f.since->micros;
  if (f.until) o["until"] = f.until->micros;
  return o;
}
}  // namespace

Result<store::Page<domain::AuditRecord>> AuditService::list(const store::AuditFilter& filter, std::string_view cursor,
                                                            store::Direction direction, int limit) {
  const std::string scope = cursorScope("audit-log", filterFingerprint(filter));
  store::PageRequest request{std::nullopt, direction, limit};
  if (!cursor.empty()) {
    FRAUDGOV_ASSIGN_OR_RETURN(request.cursor_keys, cursors_.decode(scope, cursor));
  }
  FRAUDGOV_ASSIGN_OR_RETURN(auto rows, store::inStatement(db_, [&](store::SqlSession& s) {
                              return store::AuditStore::list(s, filter, request);
                            }));
  return store::assemblePage(
      std::move(rows), request, [](const domain::AuditRecord& r) { return boost::json::array{r.seq}; }, cursors_,
      scope);
}

Result<store::AuditVerification> AuditService::verify() {
  return store::inRead(db_, [](store::SqlSession& s) { return store::AuditStore::verify(s); });
}

}  // namespace fraudgov::service
