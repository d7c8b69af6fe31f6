#include "devtools/dev_issuer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>

#include "auth/jwt.h"
#include "common/base64.h"
#include "common/crypto.h"
#include "devtools/jws_signer.h"
#include "support/test_env.h"

namespace fraudgov::devtools {
namespace {

namespace fs = std::filesystem;

const std::string kIssuer = "http://127.0.0.1:8080/";
const std::string kAudience = "https://fraud-governance-api";

unsigned modeOf(const fs::path& p) {
  struct stat st {};
  ::stat(p.c_str(), &st);
  return st.st_mode & 0777;
}

auth::KeyLookupFn lookupFrom(const std::string& jwks) {
  auto set = std::make_shared<const auth::KeySet>(*auth::parseJwks(jwks));
  return [set](std::string_view kid) {
    auto key = set->find(kid);
    return key ? auth::KeyLookup{auth::KeyLookupOutcome::kFound, key}
               : auth::KeyLookup{auth::KeyLookupOutcome::kUnknownKid, nullptr};
  };
}

TEST(DevIssuer, CreatesAPrivateKeyFileOnceAndReusesIt) {
  const fs::path dir = fs::path(testing::makeTempDir("devissuer")) / "var" / "keys";
  const std::string path = (dir / "dev-signing-key.pem").string();
  auto first = DevIssuer::loadOrCreate(path);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(modeOf(path), 0600u);
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "-----BEGIN PRIVATE KEY-----");

  auto second = DevIssuer::loadOrCreate(path);
  ASSERT_TRUE(second);
  EXPECT_EQ(first->kid(), second->kid());
  EXPECT_EQ(first->jwksJson(), second->jwksJson());
  EXPECT_EQ(first->kid().size(), 43u);  // base64url of a SHA-256 thumbprint
}

TEST(DevIssuer, TightensLoosePermissionsAndRefusesGarbage) {
  const fs::path dir = testing::makeTempDir("devissuer");
  const std::string path = (dir / "key.pem").string();
  ASSERT_TRUE(DevIssuer::loadOrCreate(path));
  fs::permissions(path, fs::perms::others_read | fs::perms::group_read, fs::perm_options::add);
  ASSERT_TRUE(DevIssuer::loadOrCreate(path));
  EXPECT_EQ(modeOf(path), 0600u);

  const std::string junk = (dir / "junk.pem").string();
  std::ofstream(junk) << "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n";
  EXPECT_FALSE(DevIssuer::loadOrCreate(junk));

  const std::string rsa = (dir / "rsa.pem").string();
  std::ofstream(rsa) << *(*SigningKey::generateRs256()).privatePem();
  EXPECT_FALSE(DevIssuer::loadOrCreate(rsa));  // the development issuer is ES256 only
}

TEST(DevIssuer, MintsTokensTheProductionVerifierAccepts) {
  auto issuer = DevIssuer::loadOrCreate((fs::path(testing::makeTempDir("devissuer")) / "k.pem").string());
  ASSERT_TRUE(issuer);
  TokenClaims claims{.issuer = kIssuer,
                     .subject = "dev|maker",
                     .audience = kAudience,
                     .email = "maker@local.test",
                     .name = "Dev Maker",
                     .roles = {"RULE_MAKER"},
                     .permissions = {"rule:create", "rule:read"},
                     .ttl = std::chrono::seconds(600),
                     .gty = "client-credentials"};
  auto token = issuer->mint(claims);
  ASSERT_TRUE(token) << token.error().message;

  const auto header = boost::json::parse(*base64::decodeUrl(token->substr(0, token->find('.')))).as_object();
  EXPECT_EQ(header.at("alg").as_string(), "ES256");
  EXPECT_EQ(header.at("typ").as_string(), "JWT");
  EXPECT_EQ(header.at("kid").as_string(), issuer->kid());

  auth::AuthSettings settings;
  settings.issuer = kIssuer;
  settings.audiences = {kAudience};
  const auth::JwtVerifier verifier(settings);
  auth::JwtRejection why{};
  auto verified = verifier.verify(*token, lookupFrom(issuer->jwksJson()), nowUtc(), &why);
  ASSERT_TRUE(verified) << auth::rejectionName(why);
  const auto& c = verified->claims;
  EXPECT_EQ(c.at("sub").as_string(), "dev|maker");
  EXPECT_EQ(c.at("aud").as_string(), kAudience);
  EXPECT_EQ(c.at("exp").as_int64() - c.at("iat").as_int64(), 600);
  EXPECT_EQ(c.at("nbf").as_int64(), c.at("iat").as_int64());
  EXPECT_EQ(c.at(kAudience + "/roles").as_array().size(), 1u);
  EXPECT_EQ(c.at("permissions").as_array().size(), 2u);
  EXPECT_EQ(c.at("email").as_string(), "maker@local.test");
  EXPECT_EQ(c.at("gty").as_string(), "client-credentials");

  // Expired by construction: minted two hours ago with a one-hour lifetime.
  claims.ttl = std::chrono::seconds(3600);
  auto old = issuer->mint(claims, Timestamp{nowUtc().micros - 7200LL * 1'000'000});
  ASSERT_TRUE(old);
  EXPECT_FALSE(verifier.verify(*old, lookupFrom(issuer->jwksJson()), nowUtc(), &why));
  EXPECT_EQ(why, auth::JwtRejection::kExpired);
}

TEST(JwsSigner, ThumbprintMatchesRfc7638Example) {
  // RFC 7638 §3.1: the example RSA key's thumbprint.
  const std::string n =
      "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n"
      "3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZ"
      "Hzu6qMQvRL5hajr"
      "n1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
  const std::string canonical = R"({"e":"AQAB","kty":"RSA","n":")" + n + R"("})";
  EXPECT_EQ(base64::encodeUrl(crypto::sha256(canonical)), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
}

TEST(JwsSigner, SigningKeyKidIsItsThumbprint) {
  auto key = SigningKey::generateEs256();
  ASSERT_TRUE(key);
  const auto jwk = key->publicJwk();
  const std::string canonical = R"({"crv":"P-256","kty":"EC","x":")" + std::string(jwk.at("x").as_string()) +
                                R"(","y":")" + std::string(jwk.at("y").as_string()) + R"("})";
  EXPECT_EQ(key->kid(), base64::encodeUrl(crypto::sha256(canonical)));
  EXPECT_EQ(jwk.at("kid").as_string(), key->kid());
  EXPECT_EQ(jwk.at("alg").as_string(), "ES256");
}

}  // namespace
}  // namespace fraudgov::devtools
