#pragma once
// Compact JWS access-token verification following RFC 8725 (JWT BCP): algorithm from our
// allow-list and the key's type, never from the token alone; signature checked before any claim
// is believed; exp required; exact iss; aud match; nbf/iat with bounded leeway.

#include <atomic>
#include <boost/json/object.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "auth/auth_settings.h"
#include "auth/jwk.h"
#include "auth/key_lookup.h"
#include "common/error.h"
#include "common/time.h"

namespace fraudgov::auth {

// Why a token was refused. For debug logs and tests only: callers outside auth must never tell
// the client which check failed.
enum class JwtRejection {
  kNone,
  kTooLarge,
  kMalformed,            // not three strict base64url parts, or not JSON objects
  kAlgorithmNotAllowed,  // none, HS*, anything unsupported or not configured
  kBadHeader,            // kid missing, crit present, wrong typ, embedded key references
  kUnknownKid,
  kNoKeys,
  kKeyAlgorithmMismatch,
  kBadSignature,
  kBadClaims,  // a registered claim of the wrong type
  kExpired,
  kNotYetValid,
  kIssuedInFuture,
  kWrongIssuer,
  kWrongAudience,
  kMissingSubject,
};

std::string_view rejectionName(JwtRejection r);

struct VerifiedJwt {
  JwsAlg alg;
  std::string kid;
  boost::json::object claims;
};

class JwtVerifier {
 public:
  explicit JwtVerifier(AuthSettings settings);

  // Every refusal is Error::unauthenticated() ("Invalid or expired token", no details), except
  // kNoKeys which is Error::unavailable(..., 1): with no keys we cannot tell good from bad.
  Result<VerifiedJwt> verify(std::string_view token, const KeyLookupFn& lookup, Timestamp now,
                             JwtRejection* why = nullptr) const;

  // Every check verify() makes except the signature: shape, algorithm, header, key lookup, then
  // the claims (expiry, issuer, audience, subject). Passing it proves nothing — the claims are
  // unauthenticated — but failing it is a sure refusal that cost no cryptography, which is what
  // the rate limiter needs for tokens from an address that is guessing (rate_limit_middleware.h).
  Status precheck(std::string_view token, const KeyLookupFn& lookup, Timestamp now,
                  JwtRejection* why = nullptr) const;

  const AuthSettings& settings() const { return settings_; }
  // How many signatures this verifier has checked (the CPU-heavy step; for metrics and tests).
  std::uint64_t signatureChecks() const { return signature_checks_->load(std::memory_order_relaxed); }
  // The same count, readable after this verifier is gone (a metrics callback holds it).
  std::shared_ptr<const std::atomic<std::uint64_t>> signatureCheckCounter() const { return signature_checks_; }

 private:
  enum class Signature { kVerify, kSkip };
  Result<VerifiedJwt> check(std::string_view token, const KeyLookupFn& lookup, Timestamp now, JwtRejection* why,
                            Signature signature) const;

  AuthSettings settings_;
  std::shared_ptr<std::atomic<std::uint64_t>> signature_checks_ = std::make_shared<std::atomic<std::uint64_t>>(0);
  bool allow_rs256_ = false;
  bool allow_es256_ = false;
};

}  // namespace fraudgov::auth
