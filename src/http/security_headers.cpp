#include "http/security_headers.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/text.h"

namespace fraudgov::http {

namespace {

constexpr std::string_view kPermissionsPolicy =
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(), "
    "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), sync-xhr=(), usb=(), "
    "web-share=(), xr-spatial-tracking=()";

// with_csp: false for a response that brings its own Content-Security-Policy (an HTML page's
// nonce-based one), which is kept.
std::shared_ptr<const SharedFields> securityBlock(const SecurityHeaderPolicy& policy, bool with_csp) {
  Fields fields{{"Strict-Transport-Security", hstsValue(policy)}, {"X-Frame-Options", "DENY"}};
  if (with_csp) fields.emplace_back("Content-Security-Policy", kApiContentSecurityPolicy);
  fields.insert(fields.end(), {{"X-Content-Type-Options", "nosniff"},
                               {"Referrer-Policy", "no-referrer"},
                               {"Permissions-Policy", std::string(kPermissionsPolicy)},
                               {"Cross-Origin-Opener-Policy", "same-origin"},
                               {"Cross-Origin-Resource-Policy", "same-origin"},
                               {"Cache-Control", "no-store"},
                               {"X-XSS-Protection", "0"},
                               {"X-Permitted-Cross-Domain-Policies", "none"}});
  return SharedFields::make(std::move(fields));
}

// Both variants of the header set, rendered once per policy.
class SecurityHeaders {
 public:
  explicit SecurityHeaders(const SecurityHeaderPolicy& policy)
      : with_csp_(securityBlock(policy, true)), own_csp_(securityBlock(policy, false)) {}

  void apply(Response& response) const {
    Headers& h = response.headers;
    const bool has_csp = h.items().end() != std::find_if(h.items().begin(), h.items().end(), [](const auto& kv) {
      return text::iequals(kv.first, "Content-Security-Policy");
    });
    h.share(has_csp ? own_csp_ : with_csp_);
    h.remove("Server");
    h.remove("X-Powered-By");
  }

 private:
  std::shared_ptr<const SharedFields> with_csp_;
  std::shared_ptr<const SharedFields> own_csp_;
};

}  // namespace

std::string hstsValue(const SecurityHeaderPolicy& policy) {
  std::string v = fmt::format("max-age={}", policy.hsts_max_age);
  if (policy.hsts_include_subdomains) v += "; includeSubDomains";
  if (policy.hsts_preload) v += "; preload";
  return v;
}

void applySecurityHeaders(Response& response, const SecurityHeaderPolicy& policy) {
  SecurityHeaders(policy).apply(response);
}

Middleware securityHeadersMiddleware(SecurityHeaderPolicy policy) {
  return [headers = std::make_shared<const SecurityHeaders>(policy)](Request& request, const Next& next) {
    Response response = next(request);
    headers->apply(response);
    return response;
  };
}

}  // namespace fraudgov::http
