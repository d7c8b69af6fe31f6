#pragma once
// The built-in development identity provider: one ES256 key persisted under ./var, its JWKS, and
// token minting. The server verifies these tokens through the same JWKS path as real ones.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "common/time.h"
#include "devtools/signing_key.h"

namespace fraudgov::devtools {

struct TokenClaims {
  std::string issuer;
  std::string subject;
  std::string audience;
  std::string email;                     // omitted when empty
  std::string name;                      // omitted when empty
  std::vector<std::string> roles;        // emitted as "{audience}/roles"
  std::vector<std::string> permissions;  // emitted as "permissions"
  std::chrono::seconds ttl{3600};
  std::optional<std::string> gty;  // "client-credentials" marks a machine token
};

class DevIssuer {
 public:
  // Loads the PKCS#8 PEM key at key_path, or creates it (mode 0600, parent directories 0700).
  // Two processes racing to create it end up sharing whichever key was written first.
  // `clock` dates the tokens it mints (iat, nbf, exp); it must outlive the issuer.
  static Result<DevIssuer> loadOrCreate(const std::string& key_path, const Clock& clock = systemClock());

  const std::string& kid() const { return key_.kid(); }
  std::string jwksJson() const;
  const Clock& clock() const { return *clock_; }
  // A compact ES256 JWT; `now` defaults to the issuer's clock.
  Result<std::string> mint(const TokenClaims& claims, std::optional<Timestamp> now = std::nullopt) const;

 private:
  DevIssuer(SigningKey key, const Clock& clock) : key_(std::move(key)), clock_(&clock) {}
  SigningKey key_;
  const Clock* clock_;
};

}  // namespace fraudgov::devtools
