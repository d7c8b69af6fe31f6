#pragma once
// Keys and tokens for identity tests: an RSA-2048 key, an EC P-256 key and a second RSA key (for
// rotation), generated once per process, their JWKS, and builders for good and hostile tokens.

#include <boost/json/object.hpp>
#include <chrono>
#include <initializer_list>
#include <string>
#include <string_view>

#include "devtools/signing_key.h"

namespace fraudgov::testing {

enum class TestKey { kRsa, kEc, kRsaNext };

class TokenFactory {
 public:
  static const TokenFactory& get();  // thread-safe; first call generates the keys

  const devtools::SigningKey& key(TestKey k) const;
  static std::string kid(TestKey k);  // "test-rsa", "test-ec", "test-rsa-next"
  std::string jwks(std::initializer_list<TestKey> keys = {TestKey::kRsa, TestKey::kEc}) const;

  // {"iss","sub","aud","iat","nbf","exp"} around the current time.
  static boost::json::object claims(std::string_view issuer, std::string_view audience,
                                    std::string_view subject = "user-1",
                                    std::chrono::seconds ttl = std::chrono::hours(1));
  static boost::json::object header(std::string_view alg, std::string_view kid, std::string_view typ = "JWT");

  // Well-formed tokens signed with the key's own algorithm.
  std::string rs256(const boost::json::object& claims, TestKey key = TestKey::kRsa) const;
  std::string es256(const boost::json::object& claims) const;
  // Signs exactly these header and payload texts with `key` (lets tests send duplicate keys etc.).
  std::string signRaw(TestKey key, std::string_view header_json, std::string_view payload_json) const;
  std::string sign(TestKey key, const boost::json::object& header, const boost::json::object& claims) const;

  // Hostile tokens.
  std::string algNone(const boost::json::object& claims) const;  // {"alg":"none"}, empty signature
  // HS256 "signed" with the RSA public key as the HMAC secret (the classic key-confusion attack).
  enum class SecretForm { kPem, kDer };
  std::string hs256WithPublicKey(const boost::json::object& claims, SecretForm form = SecretForm::kPem) const;
  std::string unknownKid(const boost::json::object& claims) const;
  std::string tamperedPayload(const boost::json::object& claims) const;    // sub changed after signing
  std::string tamperedSignature(const boost::json::object& claims) const;  // one signature bit flipped
  std::string oversized(const boost::json::object& claims, std::size_t at_least = 9000) const;  // validly signed
  std::string es256HeaderWithRsaKid(const boost::json::object& claims) const;                   // EC-signed, RSA kid
  std::string rs256HeaderWithEcKid(const boost::json::object& claims) const;                    // RSA-signed, EC kid

 private:
  TokenFactory();
  devtools::SigningKey rsa_;
  devtools::SigningKey ec_;
  devtools::SigningKey rsa_next_;
};

}  // namespace fraudgov::testing
