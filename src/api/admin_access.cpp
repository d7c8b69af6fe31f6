#include "api/admin_access.h"

#include "common/crypto.h"
#include "common/text.h"

namespace fraudgov::api {

namespace {

struct EndpointNames {
  const char* secret;
  const char* header;
  const char* label;  // for logs and metrics
};

EndpointNames namesFor(AdminEndpoint endpoint) {
  if (endpoint == AdminEndpoint::kHealth) return {secrets::names::kHealthToken, "X-Health-Token", "health"};
  return {secrets::names::kMetricsToken, "X-Metrics-Token", "metrics"};
}

std::optional<std::string_view> bearerToken(const http::Request& request) {
  const auto authorization = request.headers.get("Authorization");
  if (!authorization || authorization->size() < 7) return std::nullopt;
  if (!text::iequals(authorization->substr(0, 7), "bearer ")) return std::nullopt;
  const auto token = text::trim(authorization->substr(7));
  if (token.empty()) return std::nullopt;
  return token;
}

}  // namespace

Status AdminAccess::check(const http::Request& request, AdminEndpoint endpoint) const {
  const EndpointNames names = namesFor(endpoint);
  const auto expected = secrets_->get(names.secret);
  const bool token_required = expected && !expected->empty();
  const http::CidrList& cidrs = endpoint == AdminEndpoint::kHealth ? policy_.health_cidrs : policy_.metrics_cidrs;
  const auto client = http::clientIp(request, policy_.trusted_proxies);

  const auto dedicated = request.headers.get(names.header);
  const auto bearer = bearerToken(request);
  const bool presented = dedicated.has_value() || bearer.has_value();

  bool token_ok = !token_required;
  if (token_required) {
    // Both candidates are always compared, so timing does not tell which header was tried.
    const bool dedicated_ok = dedicated && crypto::constantTimeEquals(*dedicated, *expected);
    const bool bearer_ok = bearer && crypto::constantTimeEquals(*bearer, *expected);
    token_ok = dedicated_ok || bearer_ok;
  }
  bool address_ok = true;
  if (!cidrs.empty()) {
    address_ok = client && cidrs.contains(*client);
  } else if (!token_required) {
    const bool open = endpoint == AdminEndpoint::kHealth && policy_.open_health_when_unconfigured;
    address_ok = open || (client && client->isLoopback());
  }
  if (token_ok && address_ok) return {};

  telemetry_.governance().adminAccessDenied(names.label);
  const char* event = endpoint == AdminEndpoint::kHealth ? "HEALTH_ACCESS_DENIED" : "METRICS_ACCESS_DENIED";
  telemetry_.log().event(spdlog::level::warn, "admin endpoint access denied",
                         {{"security_event", true},
                          {"event", event},
                          {"request_id", request.request_id},
                          {"route", request.route_template},
                          {"client", client ? client->toString() : "unknown"},
                          {"token_presented", presented},
                          {"token_ok", token_ok},
                          {"address_ok", address_ok}});
  if (!presented) return fail(Error::make(ErrorCode::kUnauthenticated, "Credentials required"));
  return fail(Error::make(ErrorCode::kPermissionDenied, "Access denied"));
}

}  // namespace fraudgov::api
