// Configuration settings owned by src/app/config.cpp that have no better home.
#include "app/config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "support/api_harness.h"
#include "support/test_env.h"

namespace fraudgov {
namespace {

using Env = std::map<std::string, std::string>;

bool mentions(const app::LoadedConfig& loaded, std::string_view needle) {
  return std::any_of(loaded.problems.begin(), loaded.problems.end(),
                     [&](const std::string& p) { return p.find(needle) != std::string::npos; });
}

Env prodEnv() {
  return {{"APP_ENV", "prod"},
          {"AUTH_ISSUER", "https://idp.example.com/"},
          {"AUTH_AUDIENCE", "https://fraudgov.example.com"}};
}

TEST(Config, ReadCacheBudgetDefaultsTo32MiBAndZeroTurnsItOff) {
  EXPECT_EQ(app::loadConfig(testing::mapLookup({{"APP_ENV", "local"}})).config.read_cache.max_bytes, 32u << 20);
  EXPECT_EQ(app::loadConfig(testing::mapLookup({{"APP_ENV", "local"}, {"READ_CACHE_MAX_BYTES", "0"}}))
                .config.read_cache.max_bytes,
            0u);
  auto bad = app::loadConfig(testing::mapLookup({{"APP_ENV", "local"}, {"READ_CACHE_MAX_BYTES", "-1"}}));
  EXPECT_TRUE(mentions(bad, "READ_CACHE_MAX_BYTES"));
}

// Found by the config fuzzer: a float where an integer is expected made toml++ convert 1e79 to
// an integer (undefined behaviour). Settings of the wrong type are reported, never coerced.
TEST(Config, FileValuesOfTheWrongTypeAreProblemsNotConversions) {
  const std::string dir = testing::makeTempDir("toml-types");
  std::ofstream(dir + "/fraudgov.toml") << "DATABASE_POOL_SIZE = 1e79\n"
                                        << "HTTP_WORKER_THREADS = 4.0\n"
                                        << "CORS_ORIGINS = [\"https://a.example\", 7]\n";
  auto loaded = app::loadConfig(
      testing::mapLookup({{"APP_ENV", "local"}, {"FRAUDGOV_CONFIG", dir + "/fraudgov.toml"}}));
  EXPECT_TRUE(mentions(loaded, "DATABASE_POOL_SIZE must be a string, integer, boolean or list"));
  EXPECT_TRUE(mentions(loaded, "HTTP_WORKER_THREADS must be a string, integer, boolean or list"));
  EXPECT_TRUE(mentions(loaded, "CORS_ORIGINS must be a list of strings"));
}

TEST(Config, ScopeGrantsNothingByDefault) {
  auto loaded = app::loadConfig(testing::mapLookup({{"APP_ENV", "local"}}));
  EXPECT_FALSE(loaded.config.auth.scope_grants_permissions);
}

TEST(Config, ScopeOptInIsAcceptedOutsideProd) {
  auto loaded = app::loadConfig(testing::mapLookup({{"APP_ENV", "test"},
                                                    {"AUTH_ISSUER", "https://idp.example.com/"},
                                                    {"AUTH_AUDIENCE", "a"},
                                                    {"AUTH_SCOPE_GRANTS_PERMISSIONS", "true"}}));
  EXPECT_TRUE(loaded.config.auth.scope_grants_permissions);
  EXPECT_FALSE(mentions(loaded, "AUTH_SCOPE_GRANTS_PERMISSIONS"));
}

TEST(Config, ScopeOptInIsRefusedInProdWithoutTheSecondSetting) {
  Env env = prodEnv();
  EXPECT_FALSE(mentions(app::loadConfig(testing::mapLookup(env)), "AUTH_SCOPE_GRANTS_PERMISSIONS"));
  env["AUTH_SCOPE_GRANTS_PERMISSIONS"] = "true";
  EXPECT_TRUE(mentions(app::loadConfig(testing::mapLookup(env)), "AUTH_SCOPE_GRANTS_PERMISSIONS_IN_PROD"));
  env["AUTH_SCOPE_GRANTS_PERMISSIONS_IN_PROD"] = "yes";
  EXPECT_TRUE(mentions(app::loadConfig(testing::mapLookup(env)), "AUTH_SCOPE_GRANTS_PERMISSIONS_IN_PROD"));
  env["AUTH_SCOPE_GRANTS_PERMISSIONS_IN_PROD"] = "i-understand";
  auto loaded = app::loadConfig(testing::mapLookup(env));
  EXPECT_FALSE(mentions(loaded, "AUTH_SCOPE_GRANTS_PERMISSIONS"));
  EXPECT_TRUE(loaded.config.auth.scope_grants_permissions);
}

}  // namespace
}  // namespace fraudgov
