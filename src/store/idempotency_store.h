#pragma once
// Idempotency-Key bookkeeping (SPEC §3 invariant 8): one row per (principal, key) holding a
// fingerprint of the first request and, once it finished, its response.
//
// A claim is a lease (issue 11 item 6): the request that holds it owns the key until
// lease_expires_at. If its process dies mid-request, the claim stays IN_PROGRESS until the lease
// ends; then a retry of the same request takes it over — one conditional UPDATE (state still
// IN_PROGRESS, lease already over), so of two concurrent retries exactly one wins — and runs the
// request again. Completion and release name the claim's token, so a request whose claim was
// taken over cannot overwrite its successor's answer.

#include <chrono>
#include <optional>
#include <string>

#include "store/sql.h"

namespace fraudgov::store {

// How long keys are remembered (purged afterwards by the runtime's maintenance task).
inline constexpr std::chrono::hours kIdempotencyRetention{24};

struct IdempotencyKeyRef {
  std::string issuer;
  std::string subject;
  std::string key;
};

struct IdempotencyRecord {
  std::string request_hash;
  bool completed = false;
  int response_status = 0;
  std::string response_content_type;
  std::string response_body;
  // For an IN_PROGRESS claim: when its lease ends (nullopt: a claim from before leases, treated
  // as expired).
  std::optional<Timestamp> lease_expires_at;
};

struct IdempotencyClaim {
  Timestamp now;                // the claim's time (created_at)
  Timestamp lease_expires_at;   // when another request with the same fingerprint may take over
  std::string token;            // identifies this claim for complete()/release()
};

class IdempotencyStore {
 public:
  // Claims the key for `claim` unless another holds it: inserts an IN_PROGRESS row when there is
  // none, or takes over an IN_PROGRESS row with the same request_hash whose lease ended before
  // claim.now. Returns nullopt when the key is now ours, else the existing row (completed, in
  // progress under a live lease, or a different request).
  static Result<std::optional<IdempotencyRecord>> claim(SqlSession& s, const IdempotencyKeyRef& key,
                                                        std::string_view request_hash, const IdempotencyClaim& claim);
  // Records the response of the claim `token`. Fails (kFailedPrecondition) when the claim is no
  // longer ours, e.g. taken over after its lease ended.
  static Status complete(SqlSession& s, const IdempotencyKeyRef& key, std::string_view token, int status,
                         std::string_view content_type, std::string_view body);
  // Forgets our claim (its request failed on our side, or the response is too large to keep), so
  // the client may retry with the same key at once.
  static Status release(SqlSession& s, const IdempotencyKeyRef& key, std::string_view token);
  // Deletes keys created before `cutoff`; returns how many.
  static Result<std::int64_t> purgeOlderThan(SqlSession& s, Timestamp cutoff);
};

}  // namespace fraudgov::store
