#pragma once
// Shared setup for identity tests: the issuer/audience the fake IdP uses, settings, and a key
// lookup over the token factory's keys that needs no cache or network.

#include <memory>
#include <string>

#include "auth/auth_settings.h"
#include "auth/jwk.h"
#include "auth/key_lookup.h"
#include "support/token_factory.h"

namespace fraudgov::auth::test {

inline const std::string kIssuer = "https://tenant.example.auth0.com/";
inline const std::string kAudience = "https://fraud-governance-api";
inline const std::string kOtherAudience = "https://fraud-governance-portal";

inline AuthSettings testSettings(std::string jwks_url = "http://127.0.0.1:1/jwks.json") {
  AuthSettings s;
  s.issuer = kIssuer;
  s.jwks_url = std::move(jwks_url);
  s.audiences = {kAudience, kOtherAudience};
  return s;
}

inline const testing::TokenFactory& tokens() { return testing::TokenFactory::get(); }

inline boost::json::object goodClaims(std::string_view subject = "user-1") {
  return testing::TokenFactory::claims(kIssuer, kAudience, subject);
}

// The factory's RSA and EC keys, parsed through the production JWK code.
inline KeyLookupFn staticLookup() {
  auto set = parseJwks(tokens().jwks());
  auto shared = std::make_shared<const KeySet>(std::move(*set));
  return [shared](std::string_view kid) {
    auto key = shared->find(kid);
    return key ? KeyLookup{KeyLookupOutcome::kFound, key} : KeyLookup{KeyLookupOutcome::kUnknownKid, nullptr};
  };
}

}  // namespace fraudgov::auth::test
