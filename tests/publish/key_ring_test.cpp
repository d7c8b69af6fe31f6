// Key rotation and the published key set that runtimes pin.
#include "publish/key_ring.h"

#include <gtest/gtest.h>

#include "publish/signed_document.h"
#include "publish_fixtures.h"

namespace fraudgov::publish {
namespace {

using testing::at;

const Timestamp kT1 = at("2026-01-01T00:00:00Z");
const Timestamp kT2 = at("2026-02-01T00:00:00Z");
const Timestamp kT3 = at("2026-03-01T00:00:00Z");

std::vector<std::string> kidsOf(const ArtifactKeyRing& ring) {
  std::vector<std::string> out;
  for (const auto& info : ring.keys()) out.push_back(info.key.kid() + ":" + info.status);
  return out;
}

TEST(ArtifactKeyRing, KeySetJsonHasExactlyThePublishedMembers) {
  const auto key = testing::rfc8032Key();
  const ArtifactKeyRing ring(key, kT1);
  const boost::json::value expected = {
      {"keys", boost::json::array{boost::json::object{{"kid", "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"},
                                                      {"alg", "EdDSA"},
                                                      {"crv", "Ed25519"},
                                                      {"x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
                                                      {"public_key_pem", key.publicPem()},
                                                      {"status", "active"},
                                                      {"created_at", "2026-01-01T00:00:00Z"}}}}};
  EXPECT_EQ(boost::json::value(ring.keySetJson()), expected);
  EXPECT_TRUE(key.publicPem().starts_with("-----BEGIN PUBLIC KEY-----\n"));
}

TEST(ArtifactKeyRing, RotationKeepsOldSignaturesVerifiable) {
  const auto k1 = testing::freshKey();
  const auto k2 = testing::freshKey();
  const auto k3 = testing::freshKey();
  ArtifactKeyRing ring(k1, kT1);
  const std::string old_doc = signDocument({{"n", 1}}, *ring.signingKey());

  ASSERT_TRUE(ring.rotate(k2, kT2));
  EXPECT_EQ(ring.signingKey()->kid(), k2.kid());
  const std::string new_doc = signDocument({{"n", 2}}, *ring.signingKey());
  EXPECT_TRUE(verifyDocument(old_doc, ring)) << "a retired key still verifies what it signed";
  EXPECT_TRUE(verifyDocument(new_doc, ring));

  ASSERT_TRUE(ring.rotate(k3, kT3));
  EXPECT_EQ(kidsOf(ring),
            (std::vector<std::string>{k3.kid() + ":active", k2.kid() + ":retired", k1.kid() + ":retired"}));
  EXPECT_TRUE(verifyDocument(old_doc, ring));
  EXPECT_NE(ring.find(k1.kid()), nullptr);
}

TEST(ArtifactKeyRing, RetiredKeysAreListedNewestFirst) {
  const auto active = testing::freshKey();
  const auto older = testing::freshKey();
  const auto newer = testing::freshKey();
  ArtifactKeyRing ring(active, kT1);
  ASSERT_TRUE(ring.addRetired(older.publicKey(), kT1));
  ASSERT_TRUE(ring.addRetired(newer.publicKey(), kT3));
  EXPECT_EQ(kidsOf(ring),
            (std::vector<std::string>{active.kid() + ":active", newer.kid() + ":retired", older.kid() + ":retired"}));
  const auto set = ring.keySetJson();
  const auto& keys = set.at("keys").as_array();
  EXPECT_EQ(keys[1].at("kid"), boost::json::value(newer.kid()));
  EXPECT_EQ(keys[2].at("created_at"), "2026-01-01T00:00:00Z");
}

TEST(ArtifactKeyRing, RefusesAKeyItAlreadyHolds) {
  const auto k1 = testing::freshKey();
  const auto k2 = testing::freshKey();
  ArtifactKeyRing ring(k1, kT1);
  ASSERT_TRUE(ring.rotate(k2, kT2));
  EXPECT_FALSE(ring.rotate(k1, kT3)) << "a retired key must not come back";
  EXPECT_FALSE(ring.rotate(k2, kT3));
  EXPECT_FALSE(ring.addRetired(k1.publicKey(), kT3));
  EXPECT_EQ(ring.signingKey()->kid(), k2.kid());
}

TEST(ArtifactKeyRing, UnknownKidIsUnknownKey) {
  const ArtifactKeyRing ring(testing::freshKey(), kT1);
  const std::string doc = signDocument({{"n", 1}}, testing::freshKey());
  auto verified = verifyDocument(doc, ring);
  EXPECT_EQ(testing::reasonOf(verified), reason::kUnknownKey);
  EXPECT_EQ(ring.find("no-such-kid"), nullptr);
}

TEST(ParseKeySet, RoundTripsAndVerifiesWithoutThePrivateKey) {
  const auto k1 = testing::freshKey();
  const auto k2 = testing::freshKey();
  ArtifactKeyRing ring(k1, kT1);
  ASSERT_TRUE(ring.rotate(k2, kT2));
  const std::string doc = signDocument({{"n", 1}}, k1);

  auto loaded = parseKeySetText(json::serialize(ring.keySetJson()));
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->signingKey(), nullptr);
  EXPECT_EQ(kidsOf(*loaded), kidsOf(ring));
  EXPECT_EQ(loaded->keys()[1].created_at, kT1);
  EXPECT_EQ(boost::json::value(loaded->keySetJson()), boost::json::value(ring.keySetJson()));
  EXPECT_TRUE(verifyDocument(doc, *loaded));

  EXPECT_FALSE(loaded->attachSigningKey(k1)) << "only the active key may sign";
  EXPECT_TRUE(loaded->attachSigningKey(k2));
  EXPECT_EQ(loaded->signingKey()->kid(), k2.kid());
}

class ParseKeySetStrict : public ::testing::Test {
 protected:
  ParseKeySetStrict() : ring_(testing::freshKey(), kT1) { EXPECT_TRUE(ring_.addRetired(other_.publicKey(), kT1)); }

  template <class Edit>
  Result<ArtifactKeyRing> parseEdited(Edit edit) {
    boost::json::value set = ring_.keySetJson();
    edit(set.at("keys").as_array());
    return parseKeySet(set);
  }

  ArtifactSigningKey other_ = testing::freshKey();
  ArtifactKeyRing ring_;
};

TEST_F(ParseKeySetStrict, RefusesEveryDeviation) {
  using Keys = boost::json::array;
  EXPECT_TRUE(parseEdited([](Keys&) {}));
  EXPECT_FALSE(parseEdited([](Keys& k) { k[0].as_object()["kty"] = "OKP"; }));
  EXPECT_FALSE(parseEdited([](Keys& k) { k[0].as_object().erase("created_at"); }));
  EXPECT_FALSE(parseEdited([](Keys& k) { k[0].as_object()["alg"] = "ES256"; }));
  EXPECT_FALSE(parseEdited([](Keys& k) { k[0].as_object()["crv"] = "X25519"; }));
  EXPECT_FALSE(parseEdited([](Keys& k) { k[0].as_object()["status"] = "revoked"; }));
  EXPECT_FALSE(parseEdited([](Keys& k) { k[0].as_object()["created_at"] = "2026-01-01"; }));
  EXPECT_FALSE(parseEdited([](Keys& k) { k[0].as_object()["kid"] = "hand-picked"; }));
  EXPECT_FALSE(parseEdited([](Keys& k) { k[0].as_object()["x"] = k[1].at("x"); }));  // x and PEM differ
  EXPECT_FALSE(parseEdited([](Keys& k) { k[0].as_object()["public_key_pem"] = "garbage"; }));
  EXPECT_FALSE(parseEdited([](Keys& k) { k[1].as_object()["status"] = "active"; }));  // two active
  EXPECT_FALSE(parseEdited([](Keys& k) { k.push_back(k[1]); }));                      // kid twice
  EXPECT_FALSE(parseEdited([](Keys& k) { k.clear(); }));
  EXPECT_FALSE(parseEdited([](Keys& k) { k.push_back(42); }));
  EXPECT_FALSE(parseKeySet(boost::json::array{}));
  EXPECT_FALSE(parseKeySet(boost::json::object{{"keys", boost::json::array{}}, {"extra", 1}}));
  EXPECT_FALSE(parseKeySetText(R"({"keys":[],"keys":[]})"));
  EXPECT_FALSE(parseKeySetText("not json"));
}

TEST_F(ParseKeySetStrict, AcceptsASetWithOnlyRetiredKeys) {
  EXPECT_TRUE(parseEdited([](boost::json::array& k) { k[0].as_object()["status"] = "retired"; }));
}

}  // namespace
}  // namespace fraudgov::publish
