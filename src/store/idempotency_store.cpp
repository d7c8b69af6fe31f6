#include "store/idempotency_store.h"

namespace fraudgov::store {

namespace {
constexpr Sql kFind{"idem_find",
                    "SELECT request_hash, state, response_status, response_content_type, response_body "
                    "FROM idempotency_keys WHERE issuer = $1 AND subject = $2 AND idempotency_key = $3"};
constexpr Sql kInsert{
    "idem_insert",
    "INSERT INTO idempotency_keys (issuer, subject, idempotency_key, request_hash, state, created_at) "
    "VALUES ($1, $2, $3, $4, 'IN_PROGRESS', $5)"};
constexpr Sql kComplete{"idem_complete",
                        "UPDATE idempotency_keys SET state = 'COMPLETED', response_status = $4, "
                        "response_content_type = $5, response_body = $6 "
                        "WHERE issuer = $1 AND subject = $2 AND idempotency_key = $3"};
constexpr Sql kRelease{"idem_release",
                       "DELETE FROM idempotency_keys WHERE issuer = $1 AND subject = $2 AND idempotency_key = $3"};
constexpr Sql kPurge{"idem_purge", "DELETE FROM idempotency_keys WHERE created_at < $1"};
}  // namespace

Result<std::optional<IdempotencyRecord>> IdempotencyStore::claim(SqlSession& s, std::string_view issuer,
                                                                 std::string_view subject, std::string_view key,
                                                                 std::string_view request_hash) {
  const SqlParam find[] = {std::string(issuer), std::string(subject), std::string(key)};
  FRAUDGOV_ASSIGN_OR_RETURN(Rows rows, s.query(kFind, find));
  if (!rows.empty()) {
    const Row& r = rows[0];
    IdempotencyRecord rec{r.text(0), r.text(1) == "COMPLETED", static_cast<int>(r.integer(2)), r.text(3), r.text(4)};
    return std::optional<IdempotencyRecord>(std::move(rec));
  }
  const SqlParam insert[] = {std::string(issuer), std::string(subject), std::string(key), std::string(request_hash),
                             nowUtc()};
  FRAUDGOV_RETURN_IF_ERROR(s.execute(kInsert, insert));
  return std::optional<IdempotencyRecord>{};
}

Status IdempotencyStore::complete(SqlSession& s, std::string_view issuer, std::string_view subject,
                                  std::string_view key, int status, std::string_view content_type,
                                  std::string_view body) {
  const SqlParam params[] = {std::string(issuer),  std::string(subject),      std::string(key),
                             std::int64_t{status}, std::string(content_type), std::string(body)};
  FRAUDGOV_RETURN_IF_ERROR(s.execute(kComplete, params));
  return {};
}

Status IdempotencyStore::release(SqlSession& s, std::string_view issuer, std::string_view subject,
                                 std::string_view key) {
  const SqlParam params[] = {std::string(issuer), std::string(subject), std::string(key)};
  FRAUDGOV_RETURN_IF_ERROR(s.execute(kRelease, params));
  return {};
}

Status IdempotencyStore::purgeOlderThan(SqlSession& s, Timestamp cutoff) {
  const SqlParam params[] = {cutoff};
  FRAUDGOV_RETURN_IF_ERROR(s.execute(kPurge, params));
  return {};
}

}  // namespace fraudgov::store
