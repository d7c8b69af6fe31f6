#pragma once
// What the identity layer needs from configuration (SPEC §2.1, §6.2). Config code fills it in;
// the auth code never reads the environment itself.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace fraudgov::auth {

struct AuthSettings {
  std::string issuer;  // exact `iss`, e.g. "https://tenant.auth0.com/"
  std::string jwks_url;
  std::vector<std::string> audiences;                     // a token must carry one of them
  std::vector<std::string> algorithms{"RS256", "ES256"};  // allow-list; none/HS* never pass anyway
  std::chrono::seconds leeway{30};
  std::chrono::seconds jwks_ttl{600};
  std::chrono::seconds max_stale{86400};  // serve the last good keys this long after the last success
  std::size_t max_token_bytes = 8192;
  unsigned breaker_failure_threshold = 5;
  std::chrono::seconds breaker_open_for{30};
  std::chrono::seconds unknown_kid_cooldown{30};
  std::chrono::milliseconds unknown_kid_wait{2000};  // 0: trigger the refresh but answer at once
  std::chrono::milliseconds fetch_timeout{5000};
  // AUTH_SCOPE_GRANTS_PERMISSIONS: also count the OAuth `scope` claim as permissions. Off by
  // default (SPEC §6.2); config refuses it in prod without a second, deliberate setting.
  bool scope_grants_permissions = false;
};

}  // namespace fraudgov::auth
