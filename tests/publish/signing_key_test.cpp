// Ed25519 artifact keys: PEM and JWK round trips, the derived kid, and the published test vectors.
#include "publish/signing_key.h"

#include <gtest/gtest.h>

#include "common/crypto.h"
#include "publish_fixtures.h"

namespace fraudgov::publish {
namespace {

using testing::fromHex;

constexpr std::string_view kP256PrivatePem = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgqKrn40n0D2Tg8EhS
PLesy6Dvo59ga6vCyGZ8R9OGLF6hRANCAARm8DW5dqEarMiAJETe4OKqKTl2qUdN
HM2XRnmk3DJaJUErjyehxHGFNBnIzGiQAzc3FtkOoAeYXaReaBLbZDvU
-----END PRIVATE KEY-----
)";
constexpr std::string_view kX25519PrivatePem = R"(-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VuBCIEIHijvSCxmcuqo3EevpbNkVzvORh8PRoCqeAcnLcp2HlZ
-----END PRIVATE KEY-----
)";
constexpr std::string_view kX25519PublicPem = R"(-----BEGIN PUBLIC KEY-----
MCowBQYDK2VuAyEAjSIIEprqcI2eVdQwQ4M4UFEk383AxwlvUj1a3jox6V8=
-----END PUBLIC KEY-----
)";

TEST(ArtifactSigningKey, GeneratedKeySurvivesPemRoundTrip) {
  const auto key = testing::freshKey();
  const std::string pem = key.privatePem();
  EXPECT_TRUE(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
  auto reloaded = ArtifactSigningKey::fromPrivatePem(pem);
  ASSERT_TRUE(reloaded) << reloaded.error().message;
  EXPECT_EQ(reloaded->kid(), key.kid());
  EXPECT_EQ(reloaded->publicRaw(), key.publicRaw());
  EXPECT_EQ(key.publicRaw().size(), kEd25519PublicKeyBytes);

  auto public_key = ArtifactPublicKey::fromPem(key.publicPem());
  ASSERT_TRUE(public_key) << public_key.error().message;
  EXPECT_EQ(public_key->kid(), key.kid());
  EXPECT_TRUE(public_key->verify("hello", reloaded->sign("hello")));
}

TEST(ArtifactSigningKey, TwoGeneratedKeysDiffer) { EXPECT_NE(testing::freshKey().kid(), testing::freshKey().kid()); }

TEST(ArtifactSigningKey, KidIsTheRfc7638ThumbprintComputedByHand) {
  const auto key = testing::freshKey();
  const std::string jwk = R"({"crv":"Ed25519","kty":"OKP","x":")" + base64::encodeUrl(key.publicRaw()) + R"("})";
  EXPECT_EQ(key.kid(), base64::encodeUrl(crypto::sha256(jwk)));
  EXPECT_EQ(key.kid().size(), 43u);  // 32 bytes, base64url, unpadded
  EXPECT_EQ(ArtifactSigningKey::fromPrivatePem(key.privatePem())->kid(), key.kid());
}

TEST(ArtifactSigningKey, Rfc8037AppendixAThumbprint) {
  const auto raw = base64::decodeUrl("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");
  ASSERT_TRUE(raw);
  auto key = ArtifactPublicKey::fromRaw(*raw);
  ASSERT_TRUE(key);
  EXPECT_EQ(key->kid(), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");  // RFC 8037 A.3
  EXPECT_EQ(testing::rfc8032Key().kid(), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
}

TEST(ArtifactSigningKey, Rfc8032TestVector1IsByteExact) {
  const auto key = testing::rfc8032Key();
  EXPECT_EQ(crypto::toHex(key.publicRaw()), testing::kRfc8032Public);
  const std::string signature = key.sign("");
  EXPECT_EQ(crypto::toHex(signature), testing::kRfc8032EmptySignature);
  EXPECT_TRUE(key.publicKey().verify("", fromHex(testing::kRfc8032EmptySignature)));
}

TEST(ArtifactSigningKey, Rfc8037AppendixA4JwsSignatureIsByteExact) {
  const auto key = testing::rfc8032Key();
  const std::string signing_input = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
  EXPECT_EQ(base64::encodeUrl(key.sign(signing_input)),
            "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg");
}

TEST(ArtifactSigningKey, SignatureVerifiesOnlyForItsMessageAndKey) {
  const auto key = testing::freshKey();
  const std::string signature = key.sign("manifest bytes");
  ASSERT_EQ(signature.size(), kEd25519SignatureBytes);
  EXPECT_TRUE(key.publicKey().verify("manifest bytes", signature));
  EXPECT_FALSE(key.publicKey().verify("manifest bytez", signature));
  std::string flipped = signature;
  flipped[10] = static_cast<char>(flipped[10] ^ 0x01);
  EXPECT_FALSE(key.publicKey().verify("manifest bytes", flipped));
  EXPECT_FALSE(key.publicKey().verify("manifest bytes", signature.substr(0, 63)));
  EXPECT_FALSE(key.publicKey().verify("manifest bytes", signature + "x"));
  EXPECT_FALSE(key.publicKey().verify("manifest bytes", ""));
  EXPECT_FALSE(testing::freshKey().publicKey().verify("manifest bytes", signature));
}

TEST(ArtifactSigningKey, RefusesKeysOtherThanEd25519) {
  EXPECT_FALSE(ArtifactSigningKey::fromPrivatePem(kP256PrivatePem));
  EXPECT_FALSE(ArtifactSigningKey::fromPrivatePem(kX25519PrivatePem));
  EXPECT_FALSE(ArtifactSigningKey::fromPrivatePem("not a pem"));
  EXPECT_FALSE(ArtifactSigningKey::fromPrivatePem(""));
  EXPECT_FALSE(ArtifactPublicKey::fromPem(kX25519PublicPem));
  EXPECT_FALSE(ArtifactPublicKey::fromPem(testing::freshKey().privatePem()));
  EXPECT_FALSE(ArtifactPublicKey::fromRaw(std::string(31, 'a')));
}

TEST(ArtifactSigningKey, ErrorsNeverQuoteTheKeyMaterial) {
  std::string pem = testing::pkcs8Pem(testing::kRfc8032Seed);
  pem[40] = '!';
  auto key = ArtifactSigningKey::fromPrivatePem(pem);
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().message.find("MC4C"), std::string::npos);
  EXPECT_TRUE(key.error().details.empty());
}

TEST(ArtifactPublicKey, JwkHasExactlyTheOkpMembers) {
  const auto key = testing::rfc8032Key().publicKey();
  EXPECT_EQ(boost::json::value(key.jwk()), boost::json::value({{"kid", "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"},
                                                               {"kty", "OKP"},
                                                               {"alg", "EdDSA"},
                                                               {"crv", "Ed25519"},
                                                               {"x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}}));
}

TEST(ArtifactPublicKey, FromJwkRoundTripsAndAcceptsTheMinimalForm) {
  const auto key = testing::freshKey().publicKey();
  auto back = ArtifactPublicKey::fromJwk(key.jwk());
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->kid(), key.kid());
  EXPECT_EQ(back->publicRaw(), key.publicRaw());
  auto minimal = ArtifactPublicKey::fromJwk(
      {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}, {"use", "sig"}});
  ASSERT_TRUE(minimal) << minimal.error().message;
  EXPECT_EQ(minimal->kid(), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
}

TEST(ArtifactPublicKey, FromJwkRefusesEverythingElse) {
  const boost::json::object good = testing::rfc8032Key().publicKey().jwk();
  auto with = [&good](std::string_view member, boost::json::value v) {
    boost::json::object jwk = good;
    jwk[member] = std::move(v);
    return ArtifactPublicKey::fromJwk(jwk);
  };
  EXPECT_TRUE(with("alg", "EdDSA"));
  EXPECT_FALSE(with("kty", "EC"));
  EXPECT_FALSE(with("kty", "RSA"));
  EXPECT_FALSE(with("crv", "X25519"));
  EXPECT_FALSE(with("crv", "Ed448"));
  EXPECT_FALSE(with("alg", "ES256"));
  EXPECT_FALSE(with("alg", "none"));
  EXPECT_FALSE(with("use", "enc"));
  EXPECT_FALSE(with("kid", "chosen-by-hand"));
  EXPECT_FALSE(with("x", boost::json::value(base64::encodeUrl(std::string(31, 'a')))));
  EXPECT_FALSE(with("x", "not base64url!"));
  EXPECT_FALSE(with("x", 42));
  EXPECT_FALSE(with("d", "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"));
  EXPECT_FALSE(with("x5c", boost::json::array{}));
  boost::json::object no_x = good;
  no_x.erase("x");
  EXPECT_FALSE(ArtifactPublicKey::fromJwk(no_x));
}

}  // namespace
}  // namespace fraudgov::publish
