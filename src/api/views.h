#pragma once
// JSON representations of entities, field for field compatible with predecessor-openapi.json
// (fraudgov only adds members).

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "domain/audit.h"
#include "domain/rule.h"
#include "domain/rule_field.h"
#include "store/audit_store.h"
#include "service/audit_service.h"
#include "service/paging.h"

namespace fraudgov::api {

boost::json::value jsonOrNull(const std::optional<std::string>& v);
boost::json::value jsonOrNull(const std::optional<Timestamp>& t);

boost::json::object fieldJson(const domain::RuleField& f);
boost::json::object fieldVersionJson(const domain::FieldVersion& v);
boost::json::object metadataJson(const domain::FieldMetadata& m);
boost::json::object auditJson(const domain::AuditRecord& r);
boost::json::object verificationJson(const store::AuditVerification& v);
// GET /api/v1/audit-log/verify: verificationJson's members (ok, checked, first_broken) plus
// status, reasons, head, checkpoint, checkpoint_sources and the rule-version content check.
boost::json::object auditReportJson(const service::AuditReport& r);
// POST /api/v1/audit-log/checkpoints: the checkpoint with its signed document.
boost::json::object auditCheckpointJson(const store::AuditCheckpointRow& row);
boost::json::object ruleJson(const domain::Rule& r);
boost::json::object ruleVersionJson(const domain::RuleVersion& v);
boost::json::object ruleVersionDetailJson(const domain::Rule& r, const domain::RuleVersion& v);
boost::json::object ruleSummaryJson(const domain::Rule& r, const std::optional<domain::RuleVersion>& latest);
boost::json::object approvalJson(const domain::Approval& a);

template <class Items, class ItemJson>
boost::json::array jsonArray(const Items& items, ItemJson itemJson) {
  boost::json::array out;
  out.reserve(items.size());
  for (const auto& item : items) out.push_back(itemJson(item));
  return out;
}

// The predecessor's keyset envelope: items, next_cursor, prev_cursor, has_next, has_prev, limit.
template <class T, class ItemJson>
boost::json::object pageJson(const service::Page<T>& page, ItemJson itemJson) {
  return {{"items", jsonArray(page.items, itemJson)},
          {"next_cursor", jsonOrNull(page.next_cursor)},
          {"prev_cursor", jsonOrNull(page.prev_cursor)},
          {"has_next", page.has_next},
          {"has_prev", page.has_prev},
          {"limit", page.limit}};
}

}  // namespace fraudgov::api
