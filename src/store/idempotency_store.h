#pragma once
// Idempotency-Key bookkeeping (SPEC §3 invariant 8): one row per (principal, key) holding a
// fingerprint of the first request and, once it finished, its response.

#include <optional>
#include <string>

#include "store/sql.h"

namespace fraudgov::store {

struct IdempotencyRecord {
  std::string request_hash;
  bool completed = false;
  int response_status = 0;
  std::string response_content_type;
  std::string response_body;
};

class IdempotencyStore {
 public:
  // Inserts an IN_PROGRESS row unless one exists; returns the existing row in that case.
  static Result<std::optional<IdempotencyRecord>> claim(SqlSession& s, std::string_view issuer,
                                                        std::string_view subject, std::string_view key,
                                                        std::string_view request_hash);
  static Status complete(SqlSession& s, std::string_view issuer, std::string_view subject, std::string_view key,
                         int status, std::string_view content_type, std::string_view body);
  // Forgets a claim whose request failed on our side, so the client may retry with the same key.
  static Status release(SqlSession& s, std::string_view issuer, std::string_view subject, std::string_view key);
  static Status purgeOlderThan(SqlSession& s, Timestamp cutoff);
};

}  // namespace fraudgov::store
