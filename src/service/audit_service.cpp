#include "service/audit_service.h"


namespace fraudgov::service {

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

Result<Page<domain::AuditRecord>> AuditService::list(const store::AuditFilter& filter, const PageQuery& query) {
  return paging_.page<std::int64_t>(
      "audit-log", filterFingerprint(filter), query,
      [&](const store::SeqBounds& bounds) {
        return store::inStatement(db_, [&](store::SqlSession& s) { return store::AuditStore::list(s, filter, bounds); });
      },
      [](const domain::AuditRecord& r) { return r.seq; });
}

Result<store::AuditVerification> AuditService::verify() {
  return store::inRead(db_, [](store::SqlSession& s) { return store::AuditStore::verify(s); });
}

}  // namespace fraudgov::service
