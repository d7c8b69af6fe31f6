#include "store/idempotency_store.h"

namespace fraudgov::store {

namespace {
constexpr Sql kFind{"idem_find",
                    "SELECT request_hash, state, response_status, response_content_type, response_body, "
                    "lease_expires_at FROM idempotency_keys WHERE issuer = $1 AND subject = $2 AND idempotency_key = $3"};
constexpr Sql kInsert{"idem_insert",
                      "INSERT INTO idempotency_keys (issuer, subject, idempotency_key, request_hash, state, created_at, "
                      "lease_expires_at, claim_token) VALUES ($1, $2, $3, $4, 'IN_PROGRESS', $5, $6, $7)"};
// The takeover: only a claim still in progress, of the same request, whose lease is over.
constexpr Sql kTakeOver{"idem_take_over",
                        "UPDATE idempotency_keys SET created_at = $5, lease_expires_at = $6, claim_token = $7 "
                        "WHERE issuer = $1 AND subject = $2 AND idempotency_key = $3 AND request_hash = $4 "
                        "AND state = 'IN_PROGRESS' AND (lease_expires_at IS NULL OR lease_expires_at < $5)"};
constexpr Sql kComplete{"idem_complete",
                        "UPDATE idempotency_keys SET state = 'COMPLETED', response_status = $5, "
                        "response_content_type = $6, response_body = $7, lease_expires_at = NULL "
                        "WHERE issuer = $1 AND subject = $2 AND idempotency_key = $3 AND claim_token = $4 "
                        "AND state = 'IN_PROGRESS'"};
constexpr Sql kRelease{"idem_release",
                       "DELETE FROM idempotency_keys WHERE issuer = $1 AND subject = $2 AND idempotency_key = $3 "
                       "AND claim_token = $4 AND state = 'IN_PROGRESS'"};
constexpr Sql kPurge{"idem_purge", "DELETE FROM idempotency_keys WHERE created_at < $1"};

Result<std::optional<IdempotencyRecord>> find(SqlSession& s, const IdempotencyKeyRef& key) {
  const SqlParam params[] = {key.issuer, key.subject, key.key};
  FRAUDGOV_ASSIGN_OR_RETURN(Rows rows, s.query(kFind, params));
  if (rows.empty()) return std::optional<IdempotencyRecord>{};
  const Row& r = rows[0];
  const std::string& state = r.text(1);
  if (state != "COMPLETED" && state != "IN_PROGRESS") {
    return fail(Error::dataLoss("undecodable stored value: table=idempotency_keys id=" + key.key + " column=state"));
  }
  IdempotencyRecord rec{r.text(0), state == "COMPLETED", static_cast<int>(r.integer(2)), r.text(3), r.text(4),
                        r.optionalTimestamp(5)};
  return std::optional<IdempotencyRecord>(std::move(rec));
}
}  // namespace

Result<std::optional<IdempotencyRecord>> IdempotencyStore::claim(SqlSession& s, const IdempotencyKeyRef& key,
                                                                 std::string_view request_hash,
                                                                 const IdempotencyClaim& claim) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto existing, find(s, key));
  const SqlParam params[] = {key.issuer, key.subject,           key.key,    std::string(request_hash),
                             claim.now,  claim.lease_expires_at, claim.token};
  if (!existing) {
    FRAUDGOV_RETURN_IF_ERROR(s.execute(kInsert, params));
    return std::optional<IdempotencyRecord>{};
  }
  if (existing->completed || existing->request_hash != request_hash) return existing;
  if (existing->lease_expires_at && !(existing->lease_expires_at->micros < claim.now.micros)) return existing;
  FRAUDGOV_ASSIGN_OR_RETURN(std::int64_t taken, s.execute(kTakeOver, params));
  if (taken == 1) return std::optional<IdempotencyRecord>{};
  // Another retry took it over first: report the claim as it is now.
  FRAUDGOV_ASSIGN_OR_RETURN(auto now_held, find(s, key));
  if (!now_held) return fail(Error::internal("idempotency claim vanished during takeover"));
  return now_held;
}

Status IdempotencyStore::complete(SqlSession& s, const IdempotencyKeyRef& key, std::string_view token, int status,
                                  std::string_view content_type, std::string_view body) {
  const SqlParam params[] = {key.issuer,           key.subject,              key.key,
                             std::string(token),   std::int64_t{status},     std::string(content_type),
                             std::string(body)};
  FRAUDGOV_ASSIGN_OR_RETURN(std::int64_t updated, s.execute(kComplete, params));
  if (updated != 1) return fail(Error::conflict("The idempotency claim is no longer held by this request"));
  return {};
}

Status IdempotencyStore::release(SqlSession& s, const IdempotencyKeyRef& key, std::string_view token) {
  const SqlParam params[] = {key.issuer, key.subject, key.key, std::string(token)};
  FRAUDGOV_ASSIGN_OR_RETURN(std::int64_t deleted, s.execute(kRelease, params));
  if (deleted != 1) return fail(Error::conflict("The idempotency claim is no longer held by this request"));
  return {};
}

Result<std::int64_t> IdempotencyStore::purgeOlderThan(SqlSession& s, Timestamp cutoff) {
  const SqlParam params[] = {cutoff};
  return s.execute(kPurge, params);
}

}  // namespace fraudgov::store
