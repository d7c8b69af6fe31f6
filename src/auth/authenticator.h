#pragma once
// Turns an Authorization header into a Principal: Bearer scheme, JWT verified against the cached
// identity-provider keys. The only entry point request handlers need.

#include <memory>
#include <optional>
#include <string_view>

#include "auth/auth_settings.h"
#include "auth/jwks_cache.h"
#include "auth/jwt.h"
#include "auth/principal.h"
#include "auth/verified_token_cache.h"
#include "common/clock.h"
#include "common/error.h"
#include "common/time.h"

namespace fraudgov::auth {

class Authenticator {
 public:
  // `keys` is shared with whoever starts/stops it and reports its status (readyz, metrics).
  // `clock` decides exp/nbf and the verified-token cache's expiry; it must outlive this object.
  Authenticator(AuthSettings settings, std::shared_ptr<JwksCache> keys, const Clock& clock = systemClock());

  // Missing header, other scheme or any token defect: Error::unauthenticated() (401, same message
  // whatever the cause). No usable keys at all: Error::unavailable(..., retry_after >= 1) (503).
  // `why`, when given, receives the internal reason for debug logs; never show it to clients.
  Result<Principal> authenticate(std::optional<std::string_view> authorization_header,
                                 JwtRejection* why = nullptr) const;
  // Same, with an explicit clock reading (tests, benchmarks).
  Result<Principal> authenticateAt(std::optional<std::string_view> authorization_header, Timestamp now,
                                   JwtRejection* why = nullptr) const;
  // A verdict without cryptography: Error::unauthenticated() when the header is sure to be refused
  // (no bearer token, malformed, disallowed algorithm, a key id not among the cached keys, expired,
  // foreign issuer or audience, ...), success when only the signature check could tell — or when
  // the token verified recently. Never waits for the identity provider.
  Status precheck(std::optional<std::string_view> authorization_header) const;
  // The verdict authenticate() would give, when it is known without checking a signature or
  // waiting for the identity provider: a token that verified recently, or one the cheap checks
  // refuse for a reason no key-set refresh can change. nullopt otherwise (a signature to check,
  // or a key id that a refresh might bring).
  std::optional<Result<Principal>> authenticateWithoutWaiting(std::optional<std::string_view> authorization_header) const;
  // Signatures checked so far (fraudgov_auth_signature_verifications_total).
  std::uint64_t signatureVerifications() const { return verifier_.signatureChecks(); }
  std::shared_ptr<const std::atomic<std::uint64_t>> signatureVerificationCounter() const {
    return verifier_.signatureCheckCounter();
  }

 private:
  JwtVerifier verifier_;
  std::shared_ptr<JwksCache> keys_;
  KeyLookupFn lookup_;
  KeyLookupFn cached_lookup_;  // never waits for a refresh
  mutable VerifiedTokenCache verified_;
  const Clock& clock_;
};

// The token of "Bearer <token>" (scheme case-insensitive, exactly one space), or nullopt.
std::optional<std::string_view> bearerToken(std::string_view authorization_header);

}  // namespace fraudgov::auth
