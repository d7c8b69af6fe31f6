#include "support/token_factory.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/base64.h"
#include "common/crypto.h"
#include "common/time.h"
#include "common/uuid.h"
#include "devtools/jws_signer.h"
#include "support/test_env.h"

namespace fraudgov::testing {

namespace {

template <class T>
T orDie(Result<T> r) {
  if (!r) {
    std::fprintf(stderr, "TokenFactory: %s\n", r.error().message.c_str());
    std::abort();
  }
  return std::move(*r);
}

// Test keys are generated once per build tree and then read back: two RSA key generations cost
// every test process a second or more. A race between processes is harmless (rename is atomic and
// either key works); the keys sign nothing but test tokens.
devtools::SigningKey cachedKey(const std::string& name, Result<devtools::SigningKey> (*generate)()) {
  const std::filesystem::path dir = std::filesystem::path(buildDir()) / "test-keys";
  const std::filesystem::path path = dir / (name + ".pem");
  if (std::ifstream in(path); in) {
    std::stringstream pem;
    pem << in.rdbuf();
    if (auto key = devtools::SigningKey::fromPrivatePem(pem.str())) return std::move(*key);
  }
  devtools::SigningKey key = orDie(generate());
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const auto pem = key.privatePem();
  const std::filesystem::path tmp = dir / (name + "." + uuid::v4() + ".tmp");
  if (pem && std::ofstream(tmp) << *pem) std::filesystem::rename(tmp, path, ec);
  std::filesystem::remove(tmp, ec);
  return key;
}

Result<devtools::SigningKey> generateRsa() { return devtools::SigningKey::generateRs256(); }

std::string encodeParts(std::string_view header_json, std::string_view payload_json) {
  return base64::encodeUrl(header_json) + "." + base64::encodeUrl(payload_json);
}

}  // namespace

TokenFactory::TokenFactory()
    : rsa_(cachedKey("rsa", &generateRsa)),
      ec_(cachedKey("ec", &devtools::SigningKey::generateEs256)),
      rsa_next_(cachedKey("rsa-next", &generateRsa)) {}

const TokenFactory& TokenFactory::get() {
  static const TokenFactory factory;
  return factory;
}

const devtools::SigningKey& TokenFactory::key(TestKey k) const {
  switch (k) {
    case TestKey::kRsa:
      return rsa_;
    case TestKey::kEc:
      return ec_;
    case TestKey::kRsaNext:
      return rsa_next_;
  }
  return rsa_;
}

std::string TokenFactory::kid(TestKey k) {
  switch (k) {
    case TestKey::kRsa:
      return "test-rsa";
    case TestKey::kEc:
      return "test-ec";
    case TestKey::kRsaNext:
      return "test-rsa-next";
  }
  return "test-rsa";
}

std::string TokenFactory::jwks(std::initializer_list<TestKey> keys) const {
  boost::json::array list;
  for (TestKey k : keys) list.push_back(key(k).publicJwk(kid(k)));
  return boost::json::serialize(boost::json::object{{"keys", std::move(list)}});
}

boost::json::object TokenFactory::claims(std::string_view issuer, std::string_view audience, std::string_view subject,
                                         std::chrono::seconds ttl) {
  const std::int64_t now = nowUtc().micros / 1'000'000;
  return {{"iss", issuer}, {"sub", subject}, {"aud", audience}, {"iat", now}, {"nbf", now}, {"exp", now + ttl.count()}};
}

boost::json::object TokenFactory::header(std::string_view alg, std::string_view kid, std::string_view typ) {
  return {{"alg", alg}, {"typ", typ}, {"kid", kid}};
}

std::string TokenFactory::signRaw(TestKey k, std::string_view header_json, std::string_view payload_json) const {
  return orDie(devtools::signCompactRaw(key(k), header_json, payload_json));
}

std::string TokenFactory::sign(TestKey k, const boost::json::object& hdr, const boost::json::object& claims) const {
  return signRaw(k, boost::json::serialize(hdr), boost::json::serialize(claims));
}

std::string TokenFactory::rs256(const boost::json::object& claims, TestKey k) const {
  return sign(k, header("RS256", kid(k)), claims);
}

std::string TokenFactory::es256(const boost::json::object& claims) const {
  return sign(TestKey::kEc, header("ES256", kid(TestKey::kEc)), claims);
}

std::string TokenFactory::algNone(const boost::json::object& claims) const {
  return encodeParts(boost::json::serialize(header("none", kid(TestKey::kRsa))), boost::json::serialize(claims)) + ".";
}

std::string TokenFactory::hs256WithPublicKey(const boost::json::object& claims, SecretForm form) const {
  const std::string secret = orDie(form == SecretForm::kPem ? rsa_.publicPem() : rsa_.publicDer());
  const std::string input =
      encodeParts(boost::json::serialize(header("HS256", kid(TestKey::kRsa))), boost::json::serialize(claims));
  return input + "." + base64::encodeUrl(crypto::hmacSha256(secret, input));
}

std::string TokenFactory::unknownKid(const boost::json::object& claims) const {
  return sign(TestKey::kRsa, header("RS256", "no-such-kid"), claims);
}

std::string TokenFactory::tamperedPayload(const boost::json::object& claims) const {
  const std::string token = rs256(claims);
  boost::json::object changed = claims;
  changed["sub"] = "attacker";
  const auto dot1 = token.find('.');
  const auto dot2 = token.find('.', dot1 + 1);
  return token.substr(0, dot1 + 1) + base64::encodeUrl(boost::json::serialize(changed)) + token.substr(dot2);
}

std::string TokenFactory::tamperedSignature(const boost::json::object& claims) const {
  const std::string token = rs256(claims);
  const auto dot2 = token.rfind('.');
  std::string sig = *base64::decodeUrl(token.substr(dot2 + 1));
  sig[sig.size() / 2] = static_cast<char>(sig[sig.size() / 2] ^ 0x01);
  return token.substr(0, dot2 + 1) + base64::encodeUrl(sig);
}

std::string TokenFactory::oversized(const boost::json::object& claims, std::size_t at_least) const {
  boost::json::object padded = claims;
  padded["padding"] = std::string(at_least, 'x');
  return rs256(padded);
}

std::string TokenFactory::es256HeaderWithRsaKid(const boost::json::object& claims) const {
  return sign(TestKey::kEc, header("ES256", kid(TestKey::kRsa)), claims);
}

std::string TokenFactory::rs256HeaderWithEcKid(const boost::json::object& claims) const {
  return sign(TestKey::kRsa, header("RS256", kid(TestKey::kEc)), claims);
}

}  // namespace fraudgov::testing
