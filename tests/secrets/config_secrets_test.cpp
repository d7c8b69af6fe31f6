// Configuration wiring of secrets: provider selection, the prod rule that no secret is a plain
// environment variable (whatever the provider), and the database password.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <fstream>

#include "app/config.h"
#include "support/api_harness.h"
#include "support/child_process.h"
#include "support/mini_http_server.h"
#include "support/test_env.h"

namespace fraudgov {
namespace {

using testing::MiniHttpServer;
using testing::MiniRequest;
using testing::MiniResponse;

constexpr const char* kValue = "value-c0ffee-never-shown";

std::map<std::string, std::string> prodEnv() {
  return {{"APP_ENV", "prod"},
          {"DATABASE_URL", "postgresql://fraudgov@db.internal/fraudgov?sslmode=verify-full"},
          {"AUTH_ISSUER", "https://idp.example.com/"},
          {"AUTH_AUDIENCE", "fraudgov"},
          {"FRAUDGOV_VAR_DIR", testing::makeTempDir("var")}};
}

std::string joined(const std::vector<std::string>& problems) {
  std::string out;
  for (const auto& p : problems) out += p + "\n";
  return out;
}

void expectNoValue(const app::LoadedConfig& loaded) {
  for (const auto& p : loaded.problems) EXPECT_EQ(p.find(kValue), std::string::npos) << p;
}

MiniResponse secretsManagerAnswer(const std::string& secret_string) {
  return MiniResponse::json(
      boost::json::serialize(boost::json::object{{"Name", "app"}, {"SecretString", secret_string}}));
}

TEST(SecretsConfig, ProdRefusesEveryPlainSecretVariableWithTheFileProvider) {
  auto env = prodEnv();
  env["METRICS_TOKEN"] = kValue;
  env["CURSOR_HMAC_KEY"] = kValue;
  auto loaded = app::loadConfig(testing::mapLookup(env));
  const std::string all = joined(loaded.problems);
  EXPECT_NE(all.find("METRICS_TOKEN is set as a plain environment variable"), std::string::npos) << all;
  EXPECT_NE(all.find("CURSOR_HMAC_KEY is set as a plain environment variable"), std::string::npos) << all;
  expectNoValue(loaded);
}

TEST(SecretsConfig, ProdRefusesPlainSecretsEvenWhenTheSecretsManagerWouldSupplyThem) {
  MiniHttpServer aws([](const MiniRequest&) { return secretsManagerAnswer(R"({"HEALTH_TOKEN":"from-aws"})"); });
  const std::string dir = testing::makeTempDir("creds");
  std::ofstream(dir + "/AWS_ACCESS_KEY_ID") << "AKIDEXAMPLE";
  std::ofstream(dir + "/AWS_SECRET_ACCESS_KEY") << "secret";
  auto env = prodEnv();
  env["SECRETS_PROVIDER"] = "aws-secretsmanager";
  env["AWS_SECRETS_MANAGER_SECRET_ID"] = "app";
  env["AWS_SECRETS_MANAGER_ENDPOINT"] = "https://secretsmanager.eu-west-1.amazonaws.com";
  env["CREDENTIALS_DIRECTORY"] = dir;
  env["HEALTH_TOKEN"] = kValue;       // shadowed by the secret, still refused
  env["AWS_SESSION_TOKEN"] = kValue;  // bootstrap credentials too
  auto loaded = app::loadConfig(testing::mapLookup(env));
  const std::string all = joined(loaded.problems);
  EXPECT_NE(all.find("HEALTH_TOKEN is set as a plain environment variable"), std::string::npos) << all;
  EXPECT_NE(all.find("AWS_SESSION_TOKEN is set as a plain environment variable"), std::string::npos) << all;
  EXPECT_EQ(aws.requestCount(), 0u) << "refused before anything is fetched";
  expectNoValue(loaded);
}

TEST(SecretsConfig, ProdRefusesPasswordsInUrlsAndPlainHttpSecretsManager) {
  auto env = prodEnv();
  env["DATABASE_URL"] = std::string("postgresql://fraudgov:") + kValue + "@db.internal/fraudgov?sslmode=require";
  auto loaded = app::loadConfig(testing::mapLookup(env));
  EXPECT_NE(joined(loaded.problems).find("DATABASE_URL contains a password"), std::string::npos);
  expectNoValue(loaded);

  env = prodEnv();
  env["SECRETS_PROVIDER"] = "aws-secretsmanager";
  env["AWS_SECRETS_MANAGER_SECRET_ID"] = "app";
  env["AWS_SECRETS_MANAGER_ENDPOINT"] = "http://127.0.0.1:4566";
  loaded = app::loadConfig(testing::mapLookup(env));
  EXPECT_NE(joined(loaded.problems).find("AWS_SECRETS_MANAGER_ENDPOINT must use https in prod"), std::string::npos)
      << joined(loaded.problems);
}

TEST(SecretsConfig, SecretsInTheConfigFileAreRefusedInsteadOfIgnored) {
  const std::string dir = testing::makeTempDir("toml");
  std::ofstream(dir + "/fraudgov.toml") << "HEALTH_TOKEN = \"" << kValue << "\"\n"
                                        << "DATABASE_URL = \"postgresql://u:" << kValue
                                        << "@db.internal/f?sslmode=require\"\n";
  auto env = testing::testEnvironment("http://127.0.0.1:1/jwks");
  env["FRAUDGOV_CONFIG"] = dir + "/fraudgov.toml";
  env.erase("DATABASE_URL");
  auto loaded = app::loadConfig(testing::mapLookup(env));
  EXPECT_NE(joined(loaded.problems).find("HEALTH_TOKEN is set in the FRAUDGOV_CONFIG file"), std::string::npos)
      << joined(loaded.problems);
  expectNoValue(loaded);

  auto prod = prodEnv();
  prod.erase("DATABASE_URL");
  prod["FRAUDGOV_CONFIG"] = dir + "/fraudgov.toml";
  loaded = app::loadConfig(testing::mapLookup(prod));
  EXPECT_NE(joined(loaded.problems).find("DATABASE_URL contains a password"), std::string::npos)
      << joined(loaded.problems);
  expectNoValue(loaded);
}

TEST(SecretsConfig, ProviderSelectionProblems) {
  auto env = testing::testEnvironment("http://127.0.0.1:1/jwks");
  env["SECRETS_PROVIDER"] = "vault";
  auto loaded = app::loadConfig(testing::mapLookup(env));
  EXPECT_NE(joined(loaded.problems).find("SECRETS_PROVIDER must be file or aws-secretsmanager (got 'vault')"),
            std::string::npos);
  env["SECRETS_PROVIDER"] = "aws-secretsmanager";
  loaded = app::loadConfig(testing::mapLookup(env));
  EXPECT_NE(joined(loaded.problems).find("AWS_SECRETS_MANAGER_SECRET_ID is required"), std::string::npos);
  ASSERT_TRUE(loaded.config.secrets) << "the store exists even when loading failed";
  env["AWS_SECRETS_MANAGER_SECRET_ID"] = "app";
  env["AWS_SECRETS_MANAGER_ENDPOINT"] = "http://127.0.0.1:1";
  loaded = app::loadConfig(testing::mapLookup(env));
  EXPECT_NE(joined(loaded.problems).find("needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"), std::string::npos)
      << joined(loaded.problems);
}

TEST(SecretsConfig, SecretsManagerSuppliesKeysAndFilesFillTheRest) {
  MiniHttpServer aws([](const MiniRequest&) {
    return secretsManagerAnswer(
        R"({"HEALTH_TOKEN":"aws-health","CURSOR_HMAC_KEY":"aws-cursor-key-0123456789abcdef0123456789"})");
  });
  const std::string dir = testing::makeTempDir("files");
  std::ofstream(dir + "/db") << "db-password-from-file\n";
  auto env = testing::testEnvironment("http://127.0.0.1:1/jwks");
  env["SECRETS_PROVIDER"] = "AWS-SecretsManager";
  env["AWS_SECRETS_MANAGER_SECRET_ID"] = "app";
  env["AWS_SECRETS_MANAGER_ENDPOINT"] = aws.baseUrl();
  env["AWS_REGION"] = "eu-central-1";
  env["AWS_ACCESS_KEY_ID"] = "AKIDTEST";  // plain bootstrap credentials are fine outside prod
  env["AWS_SECRET_ACCESS_KEY"] = "secret";
  env["HEALTH_TOKEN"] = "plain-health";  // the secret wins over a plain variable
  env["DATABASE_PASSWORD_FILE"] = dir + "/db";
  auto loaded = app::loadConfig(testing::mapLookup(env));
  ASSERT_TRUE(loaded.ok()) << joined(loaded.problems);
  const auto& secrets = *loaded.config.secrets;
  EXPECT_EQ(secrets.get("HEALTH_TOKEN").value_or(""), "aws-health");
  EXPECT_EQ(secrets.get("CURSOR_HMAC_KEY").value_or(""), "aws-cursor-key-0123456789abcdef0123456789");
  EXPECT_EQ(secrets.get("DATABASE_PASSWORD").value_or(""), "db-password-from-file");
  EXPECT_EQ(aws.requestCount(), 1u);
  ASSERT_TRUE(loaded.config.database.password);
  EXPECT_EQ(loaded.config.database.password().value_or(""), "db-password-from-file");

  // Rotation: the password is asked at each new connection, so a reload is enough.
  std::ofstream(dir + "/db") << "rotated-db-password\n";
  ASSERT_TRUE(loaded.config.secrets->reload());
  EXPECT_EQ(loaded.config.database.password().value_or(""), "rotated-db-password");
}

TEST(SecretsConfig, UnreachableSecretsManagerStopsStartupNamingTheSecret) {
  auto env = testing::testEnvironment("http://127.0.0.1:1/jwks");
  env["SECRETS_PROVIDER"] = "aws-secretsmanager";
  env["AWS_SECRETS_MANAGER_SECRET_ID"] = "fraudgov/test/app";
  env["AWS_SECRETS_MANAGER_ENDPOINT"] = "http://127.0.0.1:" + std::to_string(testing::freePort());
  env["AWS_ACCESS_KEY_ID"] = "AKIDTEST";
  env["AWS_SECRET_ACCESS_KEY"] = kValue;
  auto loaded = app::loadConfig(testing::mapLookup(env));
  ASSERT_EQ(loaded.problems.size(), 1u) << joined(loaded.problems);
  EXPECT_NE(loaded.problems[0].find("fraudgov/test/app"), std::string::npos) << loaded.problems[0];
  EXPECT_NE(loaded.problems[0].find("cannot reach the endpoint"), std::string::npos) << loaded.problems[0];
  expectNoValue(loaded);
}

}  // namespace
}  // namespace fraudgov
