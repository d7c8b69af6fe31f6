#pragma once
// JSON Web Keys (RFC 7517/7518) from the identity provider, turned into ready-to-use OpenSSL
// public keys once per JWKS fetch, never per request.

#include <openssl/evp.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "auth/openssl_handles.h"
#include "common/error.h"

namespace fraudgov::auth {

enum class JwsAlg { kRs256, kEs256 };

// Parses "RS256"/"ES256" exactly; everything else (none, HS*, PS*, EdDSA...) is unsupported.
std::optional<JwsAlg> parseJwsAlg(std::string_view name);

class VerificationKey {
 public:
  VerificationKey(std::string kid, JwsAlg alg, ossl::PkeyPtr pkey)
      : kid_(std::move(kid)), alg_(alg), pkey_(std::move(pkey)) {}
  const std::string& kid() const { return kid_; }
  // The only algorithm this key may verify: its key type decides, never the token.
  JwsAlg alg() const { return alg_; }
  // Safe to use from many threads at once: OpenSSL only reads a fully built key.
  EVP_PKEY* pkey() const { return pkey_.get(); }

 private:
  std::string kid_;
  JwsAlg alg_;
  ossl::PkeyPtr pkey_;
};

// Lets the key map be searched with the token's kid as a string_view, without a copy.
struct KidHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view kid) const noexcept { return std::hash<std::string_view>{}(kid); }
};

struct KeySet {
  std::unordered_map<std::string, std::shared_ptr<const VerificationKey>, KidHash, std::equal_to<>> keys;

  std::shared_ptr<const VerificationKey> find(std::string_view kid) const {
    const auto it = keys.find(kid);
    return it == keys.end() ? nullptr : it->second;
  }
  // Why individual keys were left out (for logs and tests); never fatal on its own.
  std::vector<std::string> skipped;
};

// Parses a JWKS document (strict JSON, {"keys":[...]}). Unusable keys are skipped, not fatal:
// RSA under 2048 bits, curves other than P-256, use other than "sig", an alg that contradicts the
// key type, a missing kid, or a kid that appears twice (ambiguous, so both are dropped).
// Fails only when the document itself is malformed; an empty result is the caller's call.
Result<KeySet> parseJwks(std::string_view json);

}  // namespace fraudgov::auth
