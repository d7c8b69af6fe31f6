#pragma once
// Ed25519 keys that sign published ruleset manifests (SPEC §4 "Artifacts"). The private key comes
// from the ARTIFACT_SIGNING_KEY secret; runtimes hold only public keys. A key's kid is its RFC 7638
// JWK thumbprint, so a kid can never name two different keys.

#include <openssl/evp.h>

#include <boost/json/object.hpp>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "common/error.h"

namespace fraudgov::publish {

inline constexpr std::size_t kEd25519PublicKeyBytes = 32;
inline constexpr std::size_t kEd25519SignatureBytes = 64;

// RFC 7638 thumbprint of the OKP/Ed25519 JWK with public key `raw_public_key` (RFC 8037 §2),
// base64url without padding.
std::string ed25519Thumbprint(std::string_view raw_public_key);

class ArtifactPublicKey {
 public:
  static Result<ArtifactPublicKey> fromRaw(std::string_view raw_public_key);  // 32 bytes
  static Result<ArtifactPublicKey> fromPem(std::string_view pem);             // SubjectPublicKeyInfo
  // OKP/Ed25519 only. A kid, if present, must be the thumbprint; alg, if present, "EdDSA";
  // use, if present, "sig". A JWK holding private material ("d") is refused.
  static Result<ArtifactPublicKey> fromJwk(const boost::json::object& jwk);

  const std::string& kid() const { return kid_; }
  const std::string& publicRaw() const { return raw_; }
  const std::string& publicPem() const { return pem_; }
  // {"kid","kty":"OKP","alg":"EdDSA","crv":"Ed25519","x"}
  boost::json::object jwk() const;
  // True only for a valid 64-byte Ed25519 signature of `message` under this key.
  bool verify(std::string_view message, std::string_view signature) const;

 private:
  ArtifactPublicKey(std::shared_ptr<EVP_PKEY> pkey, std::string raw, std::string pem);

  std::shared_ptr<EVP_PKEY> pkey_;  // immutable once built; shared by copies
  std::string raw_;
  std::string pem_;
  std::string kid_;
};

class ArtifactSigningKey {
 public:
  static Result<ArtifactSigningKey> generate();
  // PKCS#8 PEM, unencrypted (an encrypted key would prompt on the terminal), Ed25519 only.
  static Result<ArtifactSigningKey> fromPrivatePem(std::string_view pem);

  // PKCS#8 "BEGIN PRIVATE KEY". Secret material: the caller must not log it.
  std::string privatePem() const;
  std::string publicPem() const { return public_.publicPem(); }
  std::string publicRaw() const { return public_.publicRaw(); }
  std::string kid() const { return public_.kid(); }
  const ArtifactPublicKey& publicKey() const { return public_; }
  // The 64-byte Ed25519 signature of `message` (deterministic, RFC 8032 §5.1.6).
  std::string sign(std::string_view message) const;

 private:
  ArtifactSigningKey(std::shared_ptr<EVP_PKEY> pkey, ArtifactPublicKey public_key);
  static Result<ArtifactSigningKey> adopt(EVP_PKEY* pkey);

  std::shared_ptr<EVP_PKEY> pkey_;
  ArtifactPublicKey public_;
};

}  // namespace fraudgov::publish
