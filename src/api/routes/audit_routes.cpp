// GET /api/v1/audit-log (predecessor filters, keyset pages) and GET /api/v1/audit-log/verify.
#include "api/audit_redaction.h"
#include "api/routes/routes.h"
#include "api/views.h"
#include "common/uuid.h"

namespace fraudgov::api {

namespace {

Result<std::optional<Timestamp>> timeParam(const http::Request& request, std::string_view name) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto raw, singleQueryParam(request, name));
  if (!raw) return std::optional<Timestamp>{};
  // Clients often forget to encode '+' in offsets, which then arrives as a space.
  std::string text = *raw;
  if (const auto t = text.find_first_of("Tt "); t != std::string::npos) {
    for (std::size_t i = t + 1; i < text.size(); ++i) {
      if (text[i] == ' ') text[i] = '+';
    }
  }
  auto parsed = parseIso(text);
  if (!parsed) {
    return fail(domain::validationError("query." + std::string(name),
                                        "Invalid date format for '" + std::string(name) + "'; use ISO-8601"));
  }
  return std::optional<Timestamp>(*parsed);
}

Result<store::AuditFilter> readFilter(const http::Request& request) {
  store::AuditFilter f;
  FRAUDGOV_ASSIGN_OR_RETURN(f.entity_type, singleQueryParam(request, "entity_type"));
  if (f.entity_type && !domain::isAuditEntityType(*f.entity_type)) {
    return fail(domain::validationError("query.entity_type", "Unknown entity_type"));
  }
  FRAUDGOV_ASSIGN_OR_RETURN(auto entity_id, singleQueryParam(request, "entity_id"));
  if (entity_id) {
    auto normalized = uuid::normalize(*entity_id);
    if (!normalized) return fail(domain::validationError("query.entity_id", "entity_id must be a UUID"));
    f.entity_id = *normalized;
  }
  FRAUDGOV_ASSIGN_OR_RETURN(f.action, singleQueryParam(request, "action"));
  if (f.action && (f.action->empty() || f.action->size() > 64)) {
    return fail(domain::validationError("query.action", "action must be 1 to 64 characters"));
  }
  FRAUDGOV_ASSIGN_OR_RETURN(f.performed_by, singleQueryParam(request, "performed_by"));
  if (f.performed_by && (f.performed_by->empty() || f.performed_by->size() > 512)) {
    return fail(domain::validationError("query.performed_by", "performed_by must be 1 to 512 characters"));
  }
  FRAUDGOV_ASSIGN_OR_RETURN(f.since, timeParam(request, "since"));
  FRAUDGOV_ASSIGN_OR_RETURN(f.until, timeParam(request, "until"));
  return f;
}

}  // namespace

void addAuditRoutes(RouteTable& routes, service::AuditService& audit) {
  routes.add(http::Method::kGet, "/api/v1/audit-log", Access::authenticated(),
             [&audit](http::Request& request, const auth::Principal& principal) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto filter, readFilter(request));
               FRAUDGOV_ASSIGN_OR_RETURN(auto paging, pageParams(request, 100, 1000));
               FRAUDGOV_ASSIGN_OR_RETURN(auto page, audit.list(filter, paging));
               // Content about entities the caller may not read is redacted (api/audit_redaction.h).
               return jsonResponse(200, pageJson(page, [&principal](const domain::AuditRecord& r) {
                                     return auditEntryJson(principal, r);
                                   }));
             });

  routes.add(http::Method::kGet, "/api/v1/audit-log/verify", Access::authenticated(),
             [&audit](http::Request&, const auth::Principal&) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto verification, audit.verify());
               return jsonResponse(200, verificationJson(verification));
             });
}

}  // namespace fraudgov::api
