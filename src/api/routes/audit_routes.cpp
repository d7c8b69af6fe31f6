// GET /api/v1/audit-log (predecessor filters, keyset pages), GET /api/v1/audit-log/verify (the
// chain against its latest signed checkpoint), POST /api/v1/audit-log/checkpoints (sign the head
// now) and GET /api/v1/audit-log/export (NDJSON for `fraudgov verify-audit`).
#include <boost/json/serialize.hpp>
#include <charconv>

#include "api/audit_redaction.h"
#include "api/request_body.h"
#include "api/routes/routes.h"
#include "api/views.h"
#include "common/uuid.h"
#include "domain/audit_verification.h"

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
               FRAUDGOV_ASSIGN_OR_RETURN(auto report, audit.verify());
               return jsonResponse(200, auditReportJson(report));
             });

  routes.add(http::Method::kPost, "/api/v1/audit-log/checkpoints", Access::permission(auth::Permission::kAuditAdmin),
             [&audit](http::Request& request, const auth::Principal& principal) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto body, optionalJsonObjectBody(request));
               if (!body.empty()) return fail(domain::validationError("body", "This operation takes no request body"));
               FRAUDGOV_ASSIGN_OR_RETURN(auto outcome, audit.checkpoint(actorFor(principal, request)));
               return jsonResponse(outcome.created ? 201 : 200, auditCheckpointJson(outcome.checkpoint));
             });

  // One NDJSON line per row (domain::auditExportLine), oldest first, after_seq exclusive; when
  // more rows follow, X-Audit-Export-Next-After names the after_seq of the next page.
  routes.add(http::Method::kGet, "/api/v1/audit-log/export", Access::permission(auth::Permission::kAuditAdmin),
             [&audit](http::Request& request, const auth::Principal&) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto after_text, singleQueryParam(request, "after_seq"));
               std::int64_t after = 0;
               if (after_text) {
                 const auto* end = after_text->data() + after_text->size();
                 const auto parsed = std::from_chars(after_text->data(), end, after);
                 if (after_text->empty() || parsed.ec != std::errc() || parsed.ptr != end || after < 0) {
                   return fail(domain::validationError("query.after_seq", "after_seq must be a non-negative integer"));
                 }
               }
               FRAUDGOV_ASSIGN_OR_RETURN(int limit, limitParam(request, 10000, 100000));
               FRAUDGOV_ASSIGN_OR_RETURN(auto page, audit.exportRows(after, limit));
               std::string body;
               for (const auto& row : page.rows) {
                 body += boost::json::serialize(domain::auditExportLine(row));
                 body += '\n';
               }
               http::Response response;
               response.status = 200;
               response.headers.set("Content-Type", "application/x-ndjson");
               if (page.next_after) response.headers.set("X-Audit-Export-Next-After", std::to_string(*page.next_after));
               response.body = std::move(body);
               return response;
             });
}

}  // namespace fraudgov::api
