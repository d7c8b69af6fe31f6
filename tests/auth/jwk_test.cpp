#include "auth/jwk.h"

#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "common/base64.h"
#include "support/token_factory.h"

namespace fraudgov::auth {
namespace {

using testing::TestKey;
using testing::TokenFactory;

boost::json::object jwk(TestKey k, std::string_view kid) { return TokenFactory::get().key(k).publicJwk(kid); }

std::string jwks(std::initializer_list<boost::json::object> keys) {
  boost::json::array list;
  for (const auto& k : keys) list.push_back(k);
  return boost::json::serialize(boost::json::object{{"keys", std::move(list)}});
}

KeySet parseOk(const std::string& doc) {
  auto set = parseJwks(doc);
  EXPECT_TRUE(set) << (set ? "" : set.error().message);
  return set ? std::move(*set) : KeySet{};
}

TEST(Jwk, ParsesRsaAndEcKeysWithTheirOnlyAlgorithm) {
  const auto set = parseOk(TokenFactory::get().jwks({TestKey::kRsa, TestKey::kEc}));
  ASSERT_EQ(set.keys.size(), 2u);
  EXPECT_EQ(set.find("test-rsa")->alg(), JwsAlg::kRs256);
  EXPECT_EQ(set.find("test-ec")->alg(), JwsAlg::kEs256);
  EXPECT_EQ(set.find("nope"), nullptr);
  EXPECT_TRUE(set.skipped.empty());
}

TEST(Jwk, SkipsSmallRsaKeysButKeepsGoodOnes) {
  auto small = jwk(TestKey::kRsa, "small");
  // First 128 bytes of a real modulus, made odd: a well-formed 1024-bit modulus.
  std::string n = *base64::decodeUrl(std::string(small["n"].as_string()));
  n.resize(128);
  n.back() = static_cast<char>(n.back() | 1);
  small["n"] = base64::encodeUrl(n);
  const auto set = parseOk(jwks({small, jwk(TestKey::kRsa, "good")}));
  EXPECT_EQ(set.keys.size(), 1u);
  EXPECT_TRUE(set.find("good"));
  EXPECT_FALSE(set.find("small"));
  ASSERT_EQ(set.skipped.size(), 1u);
  EXPECT_NE(set.skipped[0].find("2048"), std::string::npos);
}

TEST(Jwk, SkipsOtherCurvesAndInvalidPoints) {
  auto p384 = jwk(TestKey::kEc, "p384");
  p384["crv"] = "P-384";
  auto off_curve = jwk(TestKey::kEc, "off-curve");
  std::string y = *base64::decodeUrl(std::string(off_curve["y"].as_string()));
  y[31] = static_cast<char>(y[31] ^ 0x01);
  off_curve["y"] = base64::encodeUrl(y);
  auto short_x = jwk(TestKey::kEc, "short-x");
  short_x["x"] = base64::encodeUrl(std::string(31, '\x01'));
  auto secp256k1 = jwk(TestKey::kEc, "k1");
  secp256k1["crv"] = "secp256k1";
  const auto set = parseOk(jwks({p384, off_curve, short_x, secp256k1, jwk(TestKey::kEc, "good")}));
  EXPECT_EQ(set.keys.size(), 1u);
  EXPECT_TRUE(set.find("good"));
  EXPECT_EQ(set.skipped.size(), 4u);
}

TEST(Jwk, SkipsKeysNotMeantForSignatureVerification) {
  auto enc = jwk(TestKey::kRsa, "enc");
  enc["use"] = "enc";
  auto sign_only = jwk(TestKey::kRsa, "sign-only");
  sign_only["key_ops"] = boost::json::array{"sign"};
  auto rs512 = jwk(TestKey::kRsa, "rs512");
  rs512["alg"] = "RS512";
  auto rsa_claims_es = jwk(TestKey::kRsa, "rsa-es");
  rsa_claims_es["alg"] = "ES256";
  auto ec_claims_rs = jwk(TestKey::kEc, "ec-rs");
  ec_claims_rs["alg"] = "RS256";
  auto no_kid = jwk(TestKey::kRsa, "x");
  no_kid.erase("kid");
  boost::json::object oct{{"kty", "oct"}, {"kid", "hmac"}, {"k", "c2VjcmV0"}};
  auto no_alg = jwk(TestKey::kRsa, "no-alg");
  no_alg.erase("alg");
  no_alg.erase("use");
  const auto set = parseOk(jwks({enc, sign_only, rs512, rsa_claims_es, ec_claims_rs, no_kid, oct, no_alg}));
  EXPECT_EQ(set.keys.size(), 1u);
  EXPECT_TRUE(set.find("no-alg"));  // alg and use are optional in a JWK
  EXPECT_EQ(set.skipped.size(), 7u);
}

TEST(Jwk, DuplicateKidsAreAmbiguousAndDropped) {
  const auto set = parseOk(
      jwks({jwk(TestKey::kRsa, "dup"), jwk(TestKey::kEc, "dup"), jwk(TestKey::kRsa, "dup"), jwk(TestKey::kEc, "ok")}));
  EXPECT_FALSE(set.find("dup"));
  EXPECT_TRUE(set.find("ok"));
}

TEST(Jwk, RefusesMalformedDocuments) {
  EXPECT_FALSE(parseJwks("not json"));
  EXPECT_FALSE(parseJwks(R"({"keys":{}})"));
  EXPECT_FALSE(parseJwks(R"({"kees":[]})"));
  EXPECT_FALSE(parseJwks(R"([])"));
  EXPECT_FALSE(parseJwks(R"({"keys":[],"keys":[]})"));  // duplicate member
  auto empty = parseJwks(R"({"keys":[]})");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->keys.empty());
}

TEST(Jwk, NonObjectEntriesAreSkipped) {
  boost::json::array list{1, "x", nullptr, jwk(TestKey::kEc, "ok")};
  const auto set = parseOk(boost::json::serialize(boost::json::object{{"keys", list}}));
  EXPECT_EQ(set.keys.size(), 1u);
  EXPECT_EQ(set.skipped.size(), 3u);
}

}  // namespace
}  // namespace fraudgov::auth
