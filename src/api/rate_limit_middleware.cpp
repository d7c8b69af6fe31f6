#include "api/rate_limit_middleware.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <array>
#include <cstring>

#include "common/crypto.h"
#include "http/problem.h"
#include "observability/governance_metrics.h"
#include "observability/log.h"
#include "api/request_state.h"
#include "ratelimit/recent_keys.h"

namespace fraudgov::api {

namespace {

using ratelimit::Decision;
using ratelimit::Policy;

constexpr std::array<std::string_view, 4> kOperationalPaths = {"/api/v1/health", "/api/v1/readyz", "/metrics",
                                                               "/api/v1/metrics"};
// Credentials that verified recently: enough for every active client of a busy instance, a
// couple of MiB at most, and short-lived so a revoked token does not stay privileged for long.
constexpr std::size_t kVerifiedCredentials = 16384;
constexpr std::chrono::minutes kVerifiedFor{15};
// Tokens whose signature did not verify: consulted only for addresses over their failure budget,
// so a forger replaying one costs a hash lookup. Bounded like the verified set.
constexpr std::size_t kRefusedCredentials = 16384;
constexpr std::chrono::minutes kRefusedFor{15};

bool isOperational(const http::Request& request) {
  for (auto path : kOperationalPaths) {
    if (request.path == path) return true;
  }
  return false;
}

bool isRead(http::Method method) { return method == http::Method::kGet || method == http::Method::kHead; }

// Identities are hashed: they do not belong in Redis keys, and the key length stays fixed.
std::string principalKey(const auth::Principal& principal) {
  if (!principal.identity_digest.empty()) return principal.identity_digest;
  return auth::identityDigest(principal.issuer, principal.subject);
}

std::string digest(std::string_view credential) { return crypto::sha256(credential).substr(0, 16); }

// The admin credentials an operational request presents (any of the three headers), if any.
std::optional<std::string> adminCredential(const http::Request& request) {
  std::string presented;
  bool any = false;
  for (const char* name : {"Authorization", "X-Health-Token", "X-Metrics-Token"}) {
    const auto value = request.headers.get(name);
    any = any || value.has_value();
    presented.append(value.value_or("")).push_back('\n');
  }
  if (!any) return std::nullopt;
  return digest(presented);
}

// draft-ietf-httpapi-ratelimit-headers: "policy";q=limit;w=window and "policy";r=remaining;t=reset.
std::string rateLimitField(std::string_view policy, char first, std::int64_t a, char second, std::int64_t b) {
  std::string out;
  out.reserve(policy.size() + 32);
  out.append("\"").append(policy).append("\";").push_back(first);
  out.append("=").append(std::to_string(a)).append(";").push_back(second);
  out.append("=").append(std::to_string(b));
  return out;
}

void setRateLimitHeaders(http::Response& response, const Decision& d) {
  response.headers.set("RateLimit-Policy", rateLimitField(d.policy, 'q', d.limit, 'w', d.window_seconds));
  response.headers.set("RateLimit", rateLimitField(d.policy, 'r', d.remaining, 't', d.reset_seconds));
}

// The charge made for this request on a deferred first try, or a new one.
Decision chargeOnce(ratelimit::Limiter& limiter, const Policy& policy, const std::string& key,
                    http::Request& request) {
  auto& charged = requestState(request).rate_charge;
  if (charged) return *std::exchange(charged, std::nullopt);
  return limiter.consume(policy, key);
}

// The answer with the charge's headers; a deferred one keeps the charge for the request's rerun.
http::Response charged(http::Request& request, http::Response response, const Decision& d) {
  if (response.deferred) {
    requestState(request).rate_charge = d;
    return response;
  }
  setRateLimitHeaders(response, d);
  return response;
}

http::Response tooManyRequests(observability::GovernanceMetrics& metrics, const http::Request& request,
                               const Decision& d) {
  metrics.rateLimited(d.policy);
  Error error = Error::rateLimited(fmt::format("Rate limit exceeded; retry after {} seconds", d.retry_after_seconds),
                                   static_cast<int>(d.retry_after_seconds));
  error.details = {{"policy", d.policy}, {"retry_after_seconds", d.retry_after_seconds}};
  // draft-ietf-httpapi-ratelimit-headers: the quota-exceeded problem names the violated policies.
  http::Response response =
      http::problemResponse(error, request.request_id, {{"violated-policies", boost::json::array{d.policy}}});
  setRateLimitHeaders(response, d);
  return response;
}

class RateLimitGate {
 public:
  RateLimitGate(std::shared_ptr<ratelimit::Limiter> limiter, const ratelimit::Settings& settings, Guard guard,
                observability::Telemetry& telemetry)
      : limiter_(std::move(limiter)),
        policies_(RateLimitPolicies::from(settings)),
        guard_(std::move(guard)),
        telemetry_(telemetry),
        verified_(kVerifiedCredentials, kVerifiedFor, telemetry.clock()),
        refused_(kRefusedCredentials, kRefusedFor, telemetry.clock()) {}

  http::Response handle(http::Request& request, const http::Next& next) {
    if (isOperational(request)) return operational(request, next);
    const std::string address = addressBucketKey(request.client_address);
    const auto authorization = request.headers.get("Authorization");
    if (!authorization) return charge(policies_.anonymous, address, request, next);
    // Verified already (the token cache settled it before the limiter ran): no cryptography is
    // left to spare, so the failure gate has nothing to guard.
    if (const auth::Principal* settled = guard_.authenticated(request)) {
      return charge(isRead(request.method) ? policies_.read : policies_.write, principalKey(*settled), request, next);
    }

    const std::string credential = digest(*authorization);
    if (auto closed = failureGate(credential, address)) {
      // The address is over its failure budget: refuse, without cryptography, what is sure to
      // fail. What may verify is verified below, and passes if it does.
      if (refused_.contains(credential)) return tooManyRequests(telemetry_.governance(), request, *closed);
      if (auto pre = guard_.precheck(request); !pre && pre.error().code == ErrorCode::kUnauthenticated) {
        return tooManyRequests(telemetry_.governance(), request, *closed);
      }
    }
    const Result<const auth::Principal*> principal = guard_.authenticate(request);
    if (principal) {
      verified_.remember(credential);
      return charge(isRead(request.method) ? policies_.read : policies_.write, principalKey(**principal), request, next);
    }
    // A failed verification costs a unit of the address's tight bucket; the route still answers 401.
    if (principal.error().code == ErrorCode::kUnauthenticated) {
      // Remembered only when the cheap checks pass, i.e. when the signature itself was wrong: a
      // token refused for an unknown key id may verify once the key set has been refreshed.
      if (guard_.precheck(request)) refused_.remember(credential);
      return chargeFailure(address, request, next);
    }
    return charge(policies_.anonymous, address, request, next);
  }

 private:
  // When the address's failed-authentication bucket is empty, its state (unless the credential
  // verified recently).
  std::optional<Decision> failureGate(const std::string& credential, const std::string& address) {
    if (verified_.contains(credential)) return std::nullopt;
    Decision gate = limiter_->peek(policies_.auth_failures, address);
    if (gate.allowed) return std::nullopt;
    return gate;
  }

  http::Response charge(const Policy& policy, const std::string& key, http::Request& request, const http::Next& next) {
    const Decision d = chargeOnce(*limiter_, policy, key, request);
    if (!d.allowed) return tooManyRequests(telemetry_.governance(), request, d);
    return charged(request, next(request), d);
  }

  http::Response chargeFailure(const std::string& address, http::Request& request, const http::Next& next) {
    const bool rerun = requestState(request).rate_charge.has_value();
    const Decision d = chargeOnce(*limiter_, policies_.auth_failures, address, request);
    if (!d.allowed) return tooManyRequests(telemetry_.governance(), request, d);
    if (d.remaining == 0 && !rerun) reportExhausted(request, address);
    return charged(request, next(request), d);
  }

  // Once per emptying of the bucket (not per refused request), so an attack cannot flood the log.
  void reportExhausted(const http::Request& request, const std::string& address) const {
    telemetry_.log().event(spdlog::level::warn, "authentication failures limit reached",
                           {{"security_event", true},
                            {"event", "AUTH_FAILURES_RATE_LIMITED"},
                            {"request_id", request.request_id},
                            {"client", address}});
  }

  // Health, readiness and metrics: the "operational" bucket of the admin credential once it has
  // worked, of the client address otherwise. Admin credentials are plain secrets compared in
  // constant time, so checking one costs nothing worth guarding: a correct one passes even when
  // the address's failure budget is gone, a refused one then gets 429 instead of 401/403.
  http::Response operational(http::Request& request, const http::Next& next) {
    const std::string address = addressBucketKey(request.client_address);
    const auto credential = adminCredential(request);
    const bool known = credential && verified_.contains(*credential);
    const Decision d =
        limiter_->consume(policies_.operational, known ? "credential:" + crypto::toHex(*credential) : address);
    if (!d.allowed) return tooManyRequests(telemetry_.governance(), request, d);
    if (!credential) {
      http::Response response = next(request);
      setRateLimitHeaders(response, d);
      return response;
    }
    const auto closed = failureGate(*credential, address);
    http::Response response = next(request);
    if (response.status == 401 || response.status == 403) {
      if (closed) return tooManyRequests(telemetry_.governance(), request, *closed);
      const Decision f = limiter_->consume(policies_.auth_failures, address);
      if (!f.allowed) return tooManyRequests(telemetry_.governance(), request, f);
      if (f.remaining == 0) reportExhausted(request, address);
      setRateLimitHeaders(response, f);
      return response;
    }
    if (response.status < 400) verified_.remember(*credential);
    setRateLimitHeaders(response, d);
    return response;
  }

  std::shared_ptr<ratelimit::Limiter> limiter_;
  RateLimitPolicies policies_;
  Guard guard_;
  observability::Telemetry& telemetry_;
  ratelimit::RecentKeys verified_;
  ratelimit::RecentKeys refused_;  // digests of tokens whose signature was wrong
};

}  // namespace

RateLimitPolicies RateLimitPolicies::from(const ratelimit::Settings& s) {
  const std::chrono::seconds minute(60);
  return {Policy{"read", s.read_per_minute, minute}, Policy{"write", s.write_per_minute, minute},
          Policy{"anonymous", s.anonymous_per_minute, minute},
          Policy{"auth-failures", s.auth_failures_per_minute, minute},
          Policy{"operational", s.operational_per_minute, minute}};
}

http::Middleware rateLimitMiddleware(std::shared_ptr<ratelimit::Limiter> limiter, const ratelimit::Settings& settings,
                                     Guard guard, observability::Telemetry& telemetry) {
  auto gate = std::make_shared<RateLimitGate>(std::move(limiter), settings, std::move(guard), telemetry);
  return [gate](http::Request& request, const http::Next& next) { return gate->handle(request, next); };
}

std::string addressBucketKey(std::string_view address) {
  const std::string text(address);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return text;
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return "unknown";
  char buf[INET6_ADDRSTRLEN] = {};
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {
    inet_ntop(AF_INET, &v6.s6_addr[12], buf, sizeof buf);
    return buf;
  }
  std::memset(&v6.s6_addr[8], 0, 8);
  inet_ntop(AF_INET6, &v6, buf, sizeof buf);
  return std::string(buf) + "/64";
}

}  // namespace fraudgov::api
