#include "http/security_headers.h"

#include <fmt/format.h>

#include "common/uuid.h"

namespace fraudgov::http {

std::string hstsValue(const SecurityHeaderPolicy& policy) {
  std::string v = fmt::format("max-age={}", policy.hsts_max_age);
  if (policy.hsts_include_subdomains) v += "; includeSubDomains";
  if (policy.hsts_preload) v += "; preload";
  return v;
}

void applySecurityHeaders(Response& response, const SecurityHeaderPolicy& policy) {
  Headers& h = response.headers;
  h.set("Strict-Transport-Security", hstsValue(policy));
  h.set("X-Frame-Options", "DENY");
  if (!h.has("Content-Security-Policy")) h.set("Content-Security-Policy", kApiContentSecurityPolicy);
  h.set("X-Content-Type-Options", "nosniff");
  h.set("Referrer-Policy", "no-referrer");
  h.set("Permissions-Policy",
        "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(), "
        "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
        "picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), sync-xhr=(), usb=(), "
        "web-share=(), xr-spatial-tracking=()");
  h.set("Cross-Origin-Opener-Policy", "same-origin");
  h.set("Cross-Origin-Resource-Policy", "same-origin");
  h.set("Cache-Control", "no-store");
  h.set("X-XSS-Protection", "0");
  h.set("X-Permitted-Cross-Domain-Policies", "none");
  h.remove("Server");
  h.remove("X-Powered-By");
}

Middleware securityHeadersMiddleware(SecurityHeaderPolicy policy) {
  return [policy](Request& request, const Next& next) {
    Response response = next(request);
    applySecurityHeaders(response, policy);
    return response;
  };
}

std::string acceptOrGenerateRequestId(const Request& request) {
  const auto inbound = request.headers.get("X-Request-ID");
  if (inbound && !inbound->empty() && inbound->size() <= 128) {
    bool sane = true;
    for (char c : *inbound) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '.' || c == ':';
      if (!ok) {
        sane = false;
        break;
      }
    }
    if (sane) return std::string(*inbound);
  }
  return uuid::v4();
}

Middleware requestIdMiddleware() {
  return [](Request& request, const Next& next) {
    request.request_id = acceptOrGenerateRequestId(request);
    Response response = next(request);
    response.headers.set("X-Request-ID", request.request_id);
    return response;
  };
}

}  // namespace fraudgov::http
