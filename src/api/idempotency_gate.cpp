#include "api/idempotency_gate.h"

#include "common/crypto.h"
#include "common/uuid.h"
#include "http/problem.h"
#include "store/idempotency_store.h"

namespace fraudgov::api {

namespace {

// Stored responses are bounded so a caller cannot turn the idempotency table into bulk storage
// (24 h of every large answer). A larger response is not stored: its key is released, and a
// replay runs the request again instead of replaying it.
constexpr std::size_t kMaxStoredResponseBytes = 64 * 1024;

bool validKey(std::string_view key) {
  if (key.empty() || key.size() > 255) return false;
  for (char c : key) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

std::string fingerprint(const http::Request& request) {
  std::string input = request.method_text;
  input += ' ';
  input += request.target;
  input += '\n';
  input += request.body;
  return crypto::sha256Hex(input);
}

}  // namespace

http::Handler IdempotencyGate::wrap(http::Handler inner) const {
  return [this, inner = std::move(inner)](http::Request& request) { return run(request, inner); };
}

http::Response IdempotencyGate::run(http::Request& request, const http::Handler& inner) const {
  const auto header = request.headers.get("Idempotency-Key");
  if (!header) return inner(request);
  const std::string key(*header);
  if (!validKey(key)) {
    return http::problemResponse(
        Error::malformed("Idempotency-Key must be 1 to 255 visible ASCII characters", {{"header", "Idempotency-Key"}}),
        request.request_id);
  }
  auto principal = guard_.authenticate(request);
  if (!principal) return inner(request);  // the handler answers 401/503 itself
  const store::IdempotencyKeyRef ref{(*principal)->issuer, (*principal)->subject, key};
  const std::string hash = fingerprint(request);
  const Timestamp now = telemetry_.clock().now();
  const store::IdempotencyClaim claim{
      now, Timestamp{now.micros + std::chrono::duration_cast<std::chrono::microseconds>(lease_).count()}, uuid::v4()};

  auto claimed = store::inWrite(
      db_, [&](store::SqlSession& s) { return store::IdempotencyStore::claim(s, ref, hash, claim); });
  if (!claimed) return http::problemResponse(claimed.error(), request.request_id);
  if (const auto& previous = *claimed) {
    if (previous->request_hash != hash) {
      return http::problemResponse(Error::validation("Idempotency-Key was already used with a different request",
                                                     {{"header", "Idempotency-Key"}}),
                                   request.request_id);
    }
    if (!previous->completed) {
      // Until the holder's lease ends; then a retry of this request takes the claim over.
      Error busy =
          Error::conflict("A request with this Idempotency-Key is still in progress", {{"header", "Idempotency-Key"}});
      const std::int64_t left = previous->lease_expires_at ? previous->lease_expires_at->micros - now.micros : 0;
      busy.retry_after_seconds = static_cast<int>(std::max<std::int64_t>(1, (left + 999'999) / 1'000'000));
      return http::problemResponse(busy, request.request_id);
    }
    http::Response replay;
    replay.status = static_cast<unsigned>(previous->response_status);
    if (!previous->response_content_type.empty()) replay.headers.set("Content-Type", previous->response_content_type);
    replay.headers.set("Idempotent-Replayed", "true");
    replay.body = previous->response_body;
    return replay;
  }

  http::Response response = inner(request);
  const std::string content_type(response.headers.get("Content-Type").value_or(""));
  // A failure on our side must not pin the key: the client may retry it. Neither may an
  // oversized response (kMaxStoredResponseBytes).
  const bool keep = response.status < 500 && response.body.size() <= kMaxStoredResponseBytes;
  const Status recorded = db_.write([&](store::SqlSession& s) {
    return keep ? store::IdempotencyStore::complete(s, ref, claim.token, static_cast<int>(response.status),
                                                    content_type, response.body)
                : store::IdempotencyStore::release(s, ref, claim.token);
  });
  if (!recorded) {
    // The request ran, so the client gets its real answer; but a retry with this key will find the
    // claim in progress until the lease ends and then run again. Operators must know.
    telemetry_.governance().idempotencyCompletionFailed();
    telemetry_.log().event(spdlog::level::err, "idempotency completion not recorded",
                           {{"request_id", request.request_id},
                            {"route", request.route_template},
                            {"status", response.status},
                            {"outcome", keep ? "complete" : "release"},
                            {"error", recorded.error().message},
                            {"detail", recorded.error().internal_detail}});
  }
  return response;
}

}  // namespace fraudgov::api
