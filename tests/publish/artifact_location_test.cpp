// The artifact key layout (SPEC §4: the region is part of it) and the key rule that keeps
// user-supplied region/country/ruleset names from escaping the artifact root.
#include "publish/artifact_location.h"

#include <gtest/gtest.h>

#include <string>

namespace fraudgov::publish {
namespace {

TEST(ArtifactLocation, RulesetKeysFollowTheSpecLayout) {
  EXPECT_EQ(rulesetArtifactKey("prod", "APAC", "IN", "CARD_AUTH", 3).value(),
            "rulesets/prod/APAC/IN/CARD_AUTH/v3/ruleset.json");
  EXPECT_EQ(rulesetManifestKey("prod", "APAC", "IN", "CARD_AUTH", 3).value(),
            "rulesets/prod/APAC/IN/CARD_AUTH/v3/manifest.json");
  EXPECT_EQ(rulesetPointerKey("local", "EMEA", "GB", "CARD_MONITORING").value(),
            "rulesets/local/EMEA/GB/CARD_MONITORING/manifest.json");
  EXPECT_EQ(artifactKeysKey(), "keys/artifact-keys.json");
  EXPECT_EQ(fieldRegistryKey(12).value(), "fields/registry/v12/fields.json");
  for (const auto& key : {rulesetArtifactKey("prod", "APAC", "IN", "CARD_AUTH", 3).value(), artifactKeysKey(),
                          fieldRegistryKey(1).value()}) {
    EXPECT_TRUE(validateArtifactKey(key)) << key << " must satisfy the store's own key rule";
  }
}

TEST(ArtifactLocation, AnUnsafeSegmentIsRefusedByName) {
  struct Case {
    std::string env, region, country, key, named;
  };
  const Case cases[] = {
      {"prod", "..", "IN", "CARD_AUTH", "region"},
      {"prod", "APAC", "../../etc", "CARD_AUTH", "country"},
      {"prod", "APAC", "IN", "CARD/AUTH", "ruleset_key"},
      {"", "APAC", "IN", "CARD_AUTH", "environment"},
      {"prod", "AP AC", "IN", "CARD_AUTH", "region"},
      {"prod", "APAC", std::string("I\0N", 3), "CARD_AUTH", "country"},
      {"prod", "APAC", "IN\n", "CARD_AUTH", "country"},
      {"prod", ".", "IN", "CARD_AUTH", "region"},
      {"prod", "APAC", "IN", std::string(256, 'K'), "ruleset_key"},
      {"prod", "APAC", "IN", "CARD\\AUTH", "ruleset_key"},
  };
  for (const auto& c : cases) {
    auto key = rulesetArtifactKey(c.env, c.region, c.country, c.key, 1);
    ASSERT_FALSE(key) << *key;
    EXPECT_EQ(key.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(key.error().message.find(c.named), std::string::npos) << key.error().message;
    EXPECT_EQ(key.error().details.at("segment").as_string(), c.named);
    EXPECT_FALSE(rulesetPointerKey(c.env, c.region, c.country, c.key));
  }
}

TEST(ArtifactLocation, VersionsStartAtOne) {
  EXPECT_FALSE(rulesetArtifactKey("prod", "APAC", "IN", "CARD_AUTH", 0));
  EXPECT_FALSE(rulesetManifestKey("prod", "APAC", "IN", "CARD_AUTH", -1));
  EXPECT_FALSE(fieldRegistryKey(0));
}

TEST(ArtifactKey, TraversalAbsoluteEmptyAndControlCharactersAreBadRequests) {
  const std::string bad[] = {"",
                             "/etc/passwd",
                             "../escape.json",
                             "rulesets/../../escape.json",
                             "rulesets/./x.json",
                             "rulesets//x.json",
                             "rulesets/x.json/",
                             "rulesets/x\n.json",
                             std::string("rulesets/x\0.json", 17),
                             "rulesets/x y.json",
                             "rulesets\\x.json",
                             "rulesets/%2e%2e/x.json",
                             "rulesets/\xc3\xa9.json",
                             std::string(1025, 'a')};
  for (const auto& key : bad) {
    auto status = validateArtifactKey(key);
    ASSERT_FALSE(status) << key;
    EXPECT_EQ(status.error().code, ErrorCode::kMalformed) << key;
  }
}

TEST(ArtifactKey, TheLimitIsInclusive) {
  std::string key = std::string(255, 'a') + "/" + std::string(255, 'b') + "/" + std::string(255, 'c') + "/";
  key += std::string(1024 - key.size() - 2, 'd') + "/e";  // segments stay within 255 bytes
  ASSERT_EQ(key.size(), 1024u);
  EXPECT_TRUE(validateArtifactKey(key));
  EXPECT_TRUE(validateArtifactKey("a"));
  EXPECT_TRUE(validateArtifactKey("..a/b..c/.hidden"));
}

}  // namespace
}  // namespace fraudgov::publish
