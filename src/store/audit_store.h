#pragma once
// The append-only, hash-chained audit log. append() must run inside a write transaction (the
// store-wide write lock is what makes "read the last hash, insert the next row" safe).

#include <functional>
#include <optional>
#include <vector>

#include "domain/audit.h"
#include "store/keyset_bounds.h"
#include "store/sql.h"

namespace fraudgov::store {

struct AuditFilter {
  std::optional<std::string> entity_type;
  std::optional<std::string> entity_id;
  std::optional<std::string> action;
  std::optional<std::string> performed_by;
  std::optional<Timestamp> since;  // inclusive
  std::optional<Timestamp> until;  // inclusive
};

struct AuditVerification {
  bool ok = true;
  std::int64_t checked = 0;
  // Set when !ok: the first row whose link or hash does not hold.
  std::optional<std::int64_t> broken_seq;
  std::optional<std::string> broken_audit_id;
  std::string reason;  // "hash_mismatch", "broken_link", "sequence_gap"
};

// The newest row's sequence and hash.
struct AuditHead {
  std::int64_t seq = 0;
  std::string hash;
};

class AuditStore {
 public:
  static Result<domain::AuditRecord> append(SqlSession& s, const domain::Actor& actor, domain::AuditEvent event);
  // Newest first; the cursor key is [seq].
  static Result<std::vector<domain::AuditRecord>> list(SqlSession& s, const AuditFilter& filter,
                                                       const SeqBounds& page);
  // The chain from genesis (domain::AuditChainWalker); stops at the first row that does not hold.
  static Result<AuditVerification> verify(SqlSession& s);
  // Visits the rows after `after_seq` in ascending order, in batches, until visit returns false.
  static Status walk(SqlSession& s, std::int64_t after_seq, const std::function<bool(const domain::AuditRecord&)>& visit);
  static Result<std::optional<AuditHead>> head(SqlSession& s);
  // The stored row_hash of the row at `seq`, if there is one.
  static Result<std::optional<std::string>> hashAt(SqlSession& s, std::int64_t seq);
};

}  // namespace fraudgov::store
