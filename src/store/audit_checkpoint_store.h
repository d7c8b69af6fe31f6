#pragma once
// The database copy of signed audit checkpoints (table audit_checkpoints, append-only). The
// artifact store holds the authoritative copy; this one lets a deployment without one still
// verify, and lets verification report when the two copies disagree.

#include <cstdint>
#include <optional>
#include <string>

#include "common/time.h"
#include "store/sql.h"

namespace fraudgov::store {

struct AuditCheckpointRow {
  std::int64_t sequence = 0;
  std::string head_hash;
  Timestamp checkpointed_at;
  std::string environment;
  std::string kid;
  std::string document;  // the signed bytes, exactly as stored in the artifact store
  std::string created_by;
  std::string created_by_issuer;
};

class AuditCheckpointStore {
 public:
  static Status insert(SqlSession& s, const AuditCheckpointRow& row);
  static Result<std::optional<AuditCheckpointRow>> latest(SqlSession& s);
  static Result<std::optional<AuditCheckpointRow>> find(SqlSession& s, std::int64_t sequence);
};

}  // namespace fraudgov::store
