#pragma once
// Reading and verifying the audit log.

#include "service/paging.h"
#include "store/audit_store.h"
#include "store/database.h"

namespace fraudgov::service {

class AuditService {
 public:
  AuditService(store::Database& db, const CursorCodec& cursors) : db_(db), paging_(cursors) {}

  Result<Page<domain::AuditRecord>> list(const store::AuditFilter& filter, const PageQuery& query);
  Result<store::AuditVerification> verify();

 private:
  store::Database& db_;
  Paginator paging_;
};

}  // namespace fraudgov::service
