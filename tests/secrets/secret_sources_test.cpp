// The file provider, the layering used with the secrets manager, the prod plain-environment rule
// and the store's reload semantics.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "secrets/plain_environment.h"
#include "secrets/secret_store.h"
#include "support/test_env.h"

namespace fraudgov::secrets {
namespace {

constexpr const char* kValue = "value-5b1e0d-do-not-print";

EnvLookup lookup(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::string writeFile(const std::string& dir, const std::string& name, const std::string& content) {
  const std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

TEST(FileSecretProvider, ReadsNameFileThenCredentialsDirectoryThenPlainOutsideProd) {
  const std::string dir = testing::makeTempDir("secret-files");
  const std::string file = writeFile(dir, "health", "from-file\n");
  std::filesystem::create_directories(dir + "/creds");
  writeFile(dir + "/creds", "HEALTH_TOKEN", "from-credentials");
  writeFile(dir + "/creds", "METRICS_TOKEN", "metrics-from-credentials\r\n");

  FileSecretProvider all(lookup({{"HEALTH_TOKEN_FILE", file},
                                 {"CREDENTIALS_DIRECTORY", dir + "/creds"},
                                 {"HEALTH_TOKEN", "plain"},
                                 {"CURSOR_HMAC_KEY", "plain-cursor"}}),
                         true);
  EXPECT_EQ(all.get("HEALTH_TOKEN")->value_or(""), "from-file") << "one trailing newline removed";
  EXPECT_EQ(all.get("METRICS_TOKEN")->value_or(""), "metrics-from-credentials");
  EXPECT_EQ(all.get("CURSOR_HMAC_KEY")->value_or(""), "plain-cursor");
  EXPECT_FALSE(all.get("REDIS_PASSWORD")->has_value());
}

TEST(FileSecretProvider, PlainVariableInProdIsRefusedNamingItButNotItsValue) {
  FileSecretProvider prod(lookup({{"HEALTH_TOKEN", kValue}}), false);
  auto r = prod.get("HEALTH_TOKEN");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("HEALTH_TOKEN is set as a plain environment variable"), std::string::npos);
  EXPECT_EQ(r.error().message.find(kValue), std::string::npos);
}

TEST(FileSecretProvider, UnreadableOrHugeFilesAreErrorsThatShowNoContent) {
  const std::string dir = testing::makeTempDir("secret-files");
  FileSecretProvider missing(lookup({{"HEALTH_TOKEN_FILE", dir + "/nope"}}), false);
  auto r = missing.get("HEALTH_TOKEN");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("cannot be read"), std::string::npos);
  const std::string big = writeFile(dir, "big", std::string(70 * 1024, 'k') + kValue);
  FileSecretProvider huge(lookup({{"HEALTH_TOKEN_FILE", big}}), false);
  r = huge.get("HEALTH_TOKEN");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("larger than 64 KiB"), std::string::npos);
  EXPECT_EQ(r.error().message.find(kValue), std::string::npos);
}

class FakeProvider final : public SecretProvider {
 public:
  explicit FakeProvider(std::map<std::string, std::string> values) : values_(std::move(values)) {}
  Status refresh() override {
    ++refreshes;
    if (fail_refresh) return fail(Error::unavailable("fake refresh failed"));
    return {};
  }
  Result<std::optional<std::string>> get(std::string_view name) override {
    ++gets;
    if (failing_name == name) return fail(Error::validation(std::string(name) + " is broken"));
    auto it = values_.find(std::string(name));
    if (it == values_.end()) return std::optional<std::string>{};
    return std::optional<std::string>(it->second);
  }
  std::string_view describe() const override { return "fake"; }

  std::map<std::string, std::string> values_;
  int refreshes = 0;
  int gets = 0;
  bool fail_refresh = false;
  std::string failing_name;
};

TEST(LayeredSecretProvider, FirstLayerWinsAndErrorsAreNeverSkipped) {
  auto remote = std::make_shared<FakeProvider>(std::map<std::string, std::string>{{"HEALTH_TOKEN", "remote"}});
  auto files = std::make_shared<FakeProvider>(
      std::map<std::string, std::string>{{"HEALTH_TOKEN", "file"}, {"DATABASE_PASSWORD", "file-db"}});
  LayeredSecretProvider layered({remote, files});
  EXPECT_EQ(layered.describe(), "fake+fake");
  ASSERT_TRUE(layered.refresh());
  EXPECT_EQ(remote->refreshes, 1);
  EXPECT_EQ(files->refreshes, 1);
  EXPECT_EQ(layered.get("HEALTH_TOKEN")->value_or(""), "remote");
  EXPECT_EQ(layered.get("DATABASE_PASSWORD")->value_or(""), "file-db");
  EXPECT_FALSE(layered.get("REDIS_PASSWORD")->has_value());
  remote->failing_name = "DATABASE_PASSWORD";
  EXPECT_FALSE(layered.get("DATABASE_PASSWORD")) << "a broken first layer is an error, not a fallback";
  remote->fail_refresh = true;
  EXPECT_FALSE(layered.refresh());
}

TEST(SecretStore, RefreshesOncePerReloadAndAFailedReloadChangesNothing) {
  auto provider = std::make_shared<FakeProvider>(std::map<std::string, std::string>{{"HEALTH_TOKEN", "one"}});
  SecretStore store(provider, applicationSecretNames());
  ASSERT_TRUE(store.reload());
  EXPECT_EQ(provider->refreshes, 1);
  EXPECT_EQ(provider->gets, static_cast<int>(applicationSecretNames().size()));
  EXPECT_EQ(store.get("HEALTH_TOKEN").value_or(""), "one");

  store.setForProcess("CURSOR_HMAC_KEY", "generated-for-this-process-0123456789");
  provider->values_["HEALTH_TOKEN"] = "two";
  provider->failing_name = "REDIS_PASSWORD";
  auto failed = store.reload();
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("REDIS_PASSWORD"), std::string::npos);
  EXPECT_EQ(store.get("HEALTH_TOKEN").value_or(""), "one");

  provider->failing_name.clear();
  provider->fail_refresh = true;
  EXPECT_FALSE(store.reload());
  EXPECT_EQ(store.get("HEALTH_TOKEN").value_or(""), "one");

  provider->fail_refresh = false;
  provider->values_.erase("HEALTH_TOKEN");
  ASSERT_TRUE(store.reload());
  EXPECT_FALSE(store.get("HEALTH_TOKEN")) << "a secret removed at the source is removed from the store";
  EXPECT_TRUE(store.get("CURSOR_HMAC_KEY")) << "values set for the process survive reloads";
}

TEST(SecretNames, EverySecretOfTheSpecIsKnown) {
  for (const char* name : {"CURSOR_HMAC_KEY", "HEALTH_TOKEN", "METRICS_TOKEN", "DATABASE_PASSWORD", "REDIS_PASSWORD",
                           "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "ARTIFACT_SIGNING_KEY"}) {
    const auto& app = applicationSecretNames();
    EXPECT_NE(std::find(app.begin(), app.end(), name), app.end()) << name;
  }
  const auto& all = allSecretNames();
  for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "METRICS_TOKEN"}) {
    EXPECT_NE(std::find(all.begin(), all.end(), name), all.end()) << name;
  }
}

TEST(PlainEnvironment, EverySecretVariableAndEveryPasswordInAUrlIsNamedOncePerLine) {
  std::map<std::string, std::string> vars;
  for (const auto& name : allSecretNames()) vars[name] = kValue;
  vars["HEALTH_TOKEN_FILE"] = "/run/secrets/health";  // a _FILE variable is fine
  vars["DATABASE_URL"] = std::string("postgresql://app:") + kValue + "@db.internal/fraudgov?sslmode=require";
  vars["REDIS_URL"] = std::string("rediss://:") + kValue + "@redis.internal:6380/0";
  vars["AUTH_JWKS_URL"] = "https://idp.example.com/.well-known/jwks.json";
  auto problems = plainEnvironmentViolations(lookup(vars), allSecretNames());
  const auto url_problems = passwordInUrlViolations(lookup(vars));
  problems.insert(problems.end(), url_problems.begin(), url_problems.end());
  ASSERT_EQ(problems.size(), allSecretNames().size() + 2);
  for (const auto& name : allSecretNames()) {
    EXPECT_TRUE(std::any_of(problems.begin(), problems.end(), [&](const std::string& p) {
      return p.rfind(name + " is set as a plain environment variable", 0) == 0;
    })) << name;
  }
  EXPECT_NE(problems[problems.size() - 2].find("DATABASE_URL contains a password"), std::string::npos);
  EXPECT_NE(problems[problems.size() - 2].find("DATABASE_PASSWORD_FILE"), std::string::npos);
  EXPECT_NE(problems.back().find("REDIS_URL contains a password"), std::string::npos);
  for (const auto& p : problems) {
    EXPECT_EQ(p.find(kValue), std::string::npos) << p;
    EXPECT_EQ(p.find('\n'), std::string::npos) << "one line per problem";
  }
  EXPECT_TRUE(plainEnvironmentViolations(lookup({{"HEALTH_TOKEN_FILE", "/x"}, {"HEALTH_TOKEN", ""}}), allSecretNames())
                  .empty());
}

TEST(PlainEnvironment, SecretsInTheConfigFileAreNamed) {
  const auto env = lookup({{"HEALTH_TOKEN", "from-env"}});
  const auto settings = lookup({{"HEALTH_TOKEN", "from-env"}, {"METRICS_TOKEN", kValue}, {"HTTP_PORT", "8080"}});
  const auto problems = configFileSecretViolations(env, settings, allSecretNames());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rfind("METRICS_TOKEN is set in the FRAUDGOV_CONFIG file, which is never read for secrets", 0),
            0u)
      << problems[0];
  EXPECT_EQ(problems[0].find(kValue), std::string::npos);
}

TEST(PlainEnvironment, PasswordsInUrlsAreRecognised) {
  EXPECT_TRUE(embedsPassword("postgresql://u:p@h/db"));
  EXPECT_TRUE(embedsPassword("postgres://u:p@h:5432/db?sslmode=require"));
  EXPECT_TRUE(embedsPassword("postgresql://h/db?user=u&password=p"));
  EXPECT_TRUE(embedsPassword("host=h dbname=d PASSWORD=p"));
  EXPECT_TRUE(embedsPassword("redis://:p@h:6379"));
  EXPECT_FALSE(embedsPassword("postgresql://u@h/db?sslmode=verify-full"));
  EXPECT_FALSE(embedsPassword("postgresql://u:@h/db"));
  EXPECT_FALSE(embedsPassword("https://h/path/with:colon@at"));
  EXPECT_FALSE(embedsPassword("sqlite:./var/fraudgov.db"));
  EXPECT_FALSE(embedsPassword("redis://h:6379/0"));
}

}  // namespace
}  // namespace fraudgov::secrets
