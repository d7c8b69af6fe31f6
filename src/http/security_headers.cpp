#include "http/security_headers.h"

#include <fmt/format.h>

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

}  // namespace fraudgov::http
