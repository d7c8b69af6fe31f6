#pragma once
// Reading and verifying the audit log.

#include "store/audit_store.h"
#include "store/database.h"
#include "store/keyset.h"

namespace fraudgov::service {

class AuditService {
 public:
  AuditService(store::Database& db, const store::CursorCodec& cursors) : db_(db), cursors_(cursors) {}

  // cursor: the opaque token from a previous page (empty = first page).
  Result<store::Page<domain::AuditRecord>> list(const store::AuditFilter& filter, std::string_view cursor,
                                                store::Direction direction, int limit);
  Result<store::AuditVerification> verify();

 private:
  store::Database& db_;
  const store::CursorCodec& cursors_;
};

// The scope string a list's cursors are bound to: list name plus its filters.
std::string cursorScope(std::string_view list, const boost::json::object& filters);

}  // namespace fraudgov::service
