#pragma once
// The audit log is open to any valid token (the predecessor's contract), but what a row says
// about its entity — the before/after snapshots with condition trees, scopes, names — is only for
// callers who may read that entity through its own routes (issue 11 item 10). Everyone else gets
// the row with its content redacted: ids, entity type and id, action, actor, time, request id,
// sequence and chain hashes stay, so who did what when remains visible and the chain can still be
// followed; `old_value` and `new_value` become null and `"redacted": true` says why. Redaction is
// a view only: stored rows, their hashes and /audit-log/verify are untouched.

#include <boost/json/object.hpp>
#include <optional>
#include <string_view>

#include "api/access.h"
#include "auth/principal.h"
#include "domain/audit.h"

namespace fraudgov::api {

// The access of the routes that read entities of this audit type: rule:read for rules and rule
// versions (rule_routes.cpp); any valid token for fields, their metadata and versions, rulesets
// and their versions, approvals and registry manifests. nullopt for a type this build does not
// know, whose rows are then redacted for everyone (fail closed).
std::optional<Access> auditEntityReadAccess(std::string_view entity_type);

// Whether `principal` may see the content of rows about entities of this type.
bool mayReadAuditContent(const auth::Principal& principal, std::string_view entity_type);

// The row as `principal` may see it (api/views.h auditJson, redacted where needed).
boost::json::object auditEntryJson(const auth::Principal& principal, const domain::AuditRecord& record);

}  // namespace fraudgov::api
