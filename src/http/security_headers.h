#pragma once
// SPEC §6.1: the header set every response carries, whatever produced it.

#include <string>

#include "http/pipeline.h"

namespace fraudgov::http {

struct SecurityHeaderPolicy {
  unsigned hsts_max_age = 63072000;  // two years (OWASP Secure Headers 2026)
  bool hsts_include_subdomains = true;
  bool hsts_preload = false;
};

std::string hstsValue(const SecurityHeaderPolicy& policy);
// The strict API policy. HTML pages replace it with their own nonce-based policy before this runs.
inline constexpr const char* kApiContentSecurityPolicy =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

void applySecurityHeaders(Response& response, const SecurityHeaderPolicy& policy);
Middleware securityHeadersMiddleware(SecurityHeaderPolicy policy);

}  // namespace fraudgov::http
