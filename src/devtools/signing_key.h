#pragma once
// A private key that signs development tokens: ES256 (P-256) or RS256 (RSA >= 2048 bits).
// Development only; never linked into the production binary.

#include <openssl/evp.h>

#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "common/error.h"

namespace fraudgov::devtools {

enum class JwsAlgorithm { kRs256, kEs256 };

std::string_view algorithmName(JwsAlgorithm alg);  // "RS256" / "ES256"

class SigningKey {
 public:
  static Result<SigningKey> generateEs256();
  static Result<SigningKey> generateRs256(int bits = 2048);
  // PKCS#8 or traditional PEM; unencrypted only (an encrypted key would prompt on the terminal).
  static Result<SigningKey> fromPrivatePem(std::string_view pem);

  JwsAlgorithm algorithm() const { return alg_; }
  // RFC 7638 JWK thumbprint (SHA-256, base64url): a kid that changes exactly when the key does.
  const std::string& kid() const { return kid_; }
  EVP_PKEY* pkey() const { return pkey_.get(); }

  Result<std::string> privatePem() const;  // PKCS#8 "BEGIN PRIVATE KEY"
  Result<std::string> publicPem() const;   // SubjectPublicKeyInfo "BEGIN PUBLIC KEY"
  Result<std::string> publicDer() const;
  // Public JWK with kid, use=sig and alg; `kid` overrides the thumbprint when non-empty.
  boost::json::object publicJwk(std::string_view kid = {}) const;

 private:
  SigningKey(std::shared_ptr<EVP_PKEY> pkey, JwsAlgorithm alg);
  static Result<SigningKey> adopt(EVP_PKEY* pkey);

  std::shared_ptr<EVP_PKEY> pkey_;  // immutable once built; shared by copies
  JwsAlgorithm alg_;
  std::string kid_;
};

}  // namespace fraudgov::devtools
