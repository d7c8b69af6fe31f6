// AWS Secrets Manager against a real emulator with signature checking on (moto_server, started
// by the test itself): the SigV4 request libcurl signs is accepted with the right key and
// refused with a wrong one, errors are clear and leak nothing, and a full build/bin/fraudgov
// takes its tokens from Secrets Manager, enforces them and rotates them on SIGHUP.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json/serialize.hpp>
#include <fstream>

#include "common/uuid.h"
#include "fraudgov_process.h"
#include "secrets/aws_secrets_manager_provider.h"
#include "support/moto_suite.h"
#include "support/test_env.h"

namespace fraudgov {
namespace {

using testing::AwsKey;
using testing::FraudgovProcess;
using testing::MotoServer;

class SecretsManagerEmulator : public testing::MotoSuite {
 protected:
  static std::string uniqueSecretId() { return "fraudgov/test/" + uuid::v4(); }

  static secrets::AwsSecretsManagerSettings settings(const std::string& secret_id) {
    secrets::AwsSecretsManagerSettings s;
    s.secret_id = secret_id;
    s.endpoint = moto_->endpoint();
    s.timeout = std::chrono::seconds(10);
    return s;
  }

  static secrets::AwsSecretsManagerProvider provider(const std::string& secret_id, const AwsKey& key) {
    return secrets::AwsSecretsManagerProvider(
        settings(secret_id),
        [key] {
          return Result<secrets::AwsCredentials>(secrets::AwsCredentials{key.access_key_id, key.secret_access_key, ""});
        },
        std::make_shared<net::CurlHttpClient>());
  }

  // A refused fetch: the error names the secret, and holds neither the secret's values nor the key.
  static std::string refusal(secrets::AwsSecretsManagerProvider& p, const std::string& secret_id,
                             const std::vector<std::string>& must_not_appear) {
    auto status = p.refresh();
    EXPECT_FALSE(status);
    if (status) return {};
    const std::string& message = status.error().message;
    EXPECT_NE(message.find(secret_id), std::string::npos) << message;
    for (const auto& s : must_not_appear) EXPECT_EQ(message.find(s), std::string::npos) << s << " in " << message;
    return message;
  }

};


constexpr const char* kValues =
    R"({"HEALTH_TOKEN":"moto-health-5e2c","METRICS_TOKEN":"moto-metrics-91ab","CURSOR_HMAC_KEY":"moto-cursor-key-0123456789abcdef0123456789"})";

TEST_F(SecretsManagerEmulator, TheRightKeyFetchesTheJsonSecret) {
  const std::string id = uniqueSecretId();
  ASSERT_TRUE(moto_->createSecret(id, kValues));
  auto p = provider(id, moto_->key());
  ASSERT_TRUE(p.refresh());
  EXPECT_EQ(p.get("HEALTH_TOKEN")->value_or(""), "moto-health-5e2c");
  EXPECT_EQ(p.get("METRICS_TOKEN")->value_or(""), "moto-metrics-91ab");
  EXPECT_FALSE(p.get("REDIS_PASSWORD")->has_value());

  ASSERT_TRUE(moto_->putSecretValue(id, R"({"HEALTH_TOKEN":"moto-health-rotated"})"));
  ASSERT_TRUE(p.refresh());
  EXPECT_EQ(p.get("HEALTH_TOKEN")->value_or(""), "moto-health-rotated") << "the current version is fetched";
}

TEST_F(SecretsManagerEmulator, AWrongSecretKeyIsRefusedBySignatureChecking) {
  const std::string id = uniqueSecretId();
  ASSERT_TRUE(moto_->createSecret(id, kValues));
  const AwsKey wrong{moto_->key().access_key_id, "wrong-secret-access-key-8d1f"};
  auto p = provider(id, wrong);
  const std::string message =
      refusal(p, id, {"moto-health-5e2c", "wrong-secret-access-key-8d1f", moto_->key().secret_access_key});
  EXPECT_NE(message.find("credentials were refused (SignatureDoesNotMatch, HTTP 403)"), std::string::npos) << message;
  EXPECT_FALSE(p.get("HEALTH_TOKEN")) << "nothing was fetched, so nothing can be read";
}

TEST_F(SecretsManagerEmulator, AnUnknownAccessKeyIsRefused) {
  const std::string id = uniqueSecretId();
  ASSERT_TRUE(moto_->createSecret(id, kValues));
  auto p = provider(id, AwsKey{"AKIAUNKNOWN000000000", "whatever-secret"});
  const std::string message = refusal(p, id, {"moto-health-5e2c", "whatever-secret"});
  EXPECT_NE(message.find("credentials were refused (InvalidClientTokenId, HTTP 403)"), std::string::npos) << message;
}

TEST_F(SecretsManagerEmulator, AKeyWithoutPermissionIsRefused) {
  const std::string id = uniqueSecretId();
  ASSERT_TRUE(moto_->createSecret(id, kValues));
  auto reader = moto_->createUserWithoutPermissions("no-permissions-" + uuid::v4().substr(0, 8));
  ASSERT_TRUE(reader) << reader.error().message;
  auto p = provider(id, *reader);
  const std::string message = refusal(p, id, {"moto-health-5e2c", reader->secret_access_key});
  EXPECT_NE(message.find("credentials were refused (AccessDenied"), std::string::npos) << message;
}

TEST_F(SecretsManagerEmulator, AMissingSecretIsAClearError) {
  const std::string id = uniqueSecretId();
  auto p = provider(id, moto_->key());
  const std::string message = refusal(p, id, {moto_->key().secret_access_key});
  EXPECT_NE(message.find("does not exist (ResourceNotFoundException"), std::string::npos) << message;
}

// The whole binary: tokens from Secrets Manager, bootstrap credentials from files, rotation on
// SIGHUP, and none of it in the process's output.
TEST_F(SecretsManagerEmulator, FraudgovServesWithTokensFromSecretsManager) {
  const std::string id = uniqueSecretId();
  const std::string health = "sm-health-" + uuid::v4();
  const std::string rotated = "sm-health-rotated-" + uuid::v4();
  const std::string metrics = "sm-metrics-" + uuid::v4();
  const std::string cursor = "sm-cursor-" + uuid::v4();
  auto document = [&](const std::string& h) {
    return boost::json::serialize(
        boost::json::object{{"HEALTH_TOKEN", h}, {"METRICS_TOKEN", metrics}, {"CURSOR_HMAC_KEY", cursor}});
  };
  ASSERT_TRUE(moto_->createSecret(id, document(health)));
  const std::string dir = testing::makeTempDir("aws-bootstrap");
  std::ofstream(dir + "/key-id") << moto_->key().access_key_id << "\n";
  std::ofstream(dir + "/secret") << moto_->key().secret_access_key << "\n";

  FraudgovProcess server({{"SECRETS_PROVIDER", "aws-secretsmanager"},
                          {"AWS_SECRETS_MANAGER_SECRET_ID", id},
                          {"AWS_SECRETS_MANAGER_ENDPOINT", moto_->endpoint()},
                          {"AWS_ACCESS_KEY_ID_FILE", dir + "/key-id"},
                          {"AWS_SECRET_ACCESS_KEY_FILE", dir + "/secret"}});
  ASSERT_EQ(server.startError(), "");
  EXPECT_EQ(server.health("").status, 401);
  EXPECT_EQ(server.health(metrics).status, 403);
  EXPECT_EQ(server.health(health).status, 200);
  const std::string viewer = FraudgovProcess::token("viewer-1", {"rule:read", "audit:read"});
  EXPECT_EQ(server.send("GET", "/api/v1/rule-fields", {{"Authorization", "Bearer " + viewer}}).status, 200);

  ASSERT_TRUE(moto_->putSecretValue(id, document(rotated)));
  server.child().signal(SIGHUP);
  ASSERT_TRUE(testing::waitForOutput(server.child(), "secrets reloaded", std::chrono::seconds(15)))
      << server.child().stdoutText();
  EXPECT_EQ(server.health(rotated).status, 200) << server.child().stdoutText();
  EXPECT_EQ(server.health(health).status, 403);
  EXPECT_EQ(server.terminate(), 0) << server.child().stderrText();

  const std::string everything = server.child().stdoutText() + server.child().stderrText() + server.transcript() +
                                 testing::readTree(server.varDir());
  for (const auto& secret : {health, rotated, metrics, cursor, moto_->key().secret_access_key}) {
    EXPECT_EQ(everything.find(secret), std::string::npos) << "leaked: " << secret;
  }
}

TEST_F(SecretsManagerEmulator, FraudgovRefusesToStartWithAWrongKeyAndSaysWhy) {
  const std::string id = uniqueSecretId();
  ASSERT_TRUE(moto_->createSecret(id, kValues));
  testing::ChildProcess p(testing::binaryPath("fraudgov"), {"serve"},
                          {{"APP_ENV", "test"},
                           {"AUTH_ISSUER", testing::kTestIssuer},
                           {"AUTH_AUDIENCE", testing::kTestAudience},
                           {"FRAUDGOV_VAR_DIR", testing::makeTempDir("var")},
                           {"SECRETS_PROVIDER", "aws-secretsmanager"},
                           {"AWS_SECRETS_MANAGER_SECRET_ID", id},
                           {"AWS_SECRETS_MANAGER_ENDPOINT", moto_->endpoint()},
                           {"AWS_ACCESS_KEY_ID", moto_->key().access_key_id},
                           {"AWS_SECRET_ACCESS_KEY", "wrong-secret-0c7e"}});
  EXPECT_EQ(p.wait(std::chrono::seconds(30)), 2);
  const std::string err = p.stderrText();
  EXPECT_NE(err.find("configuration: AWS Secrets Manager secret '" + id +
                     "': the credentials were refused (SignatureDoesNotMatch, HTTP 403)"),
            std::string::npos)
      << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  for (const char* secret : {"wrong-secret-0c7e", "moto-health-5e2c"}) {
    EXPECT_EQ((err + p.stdoutText()).find(secret), std::string::npos) << secret;
  }
}

TEST(SecretsManagerProd, PlainSecretVariablesStopStartupEvenWithTheSecretsManagerSelected) {
  testing::ChildProcess p(testing::binaryPath("fraudgov"), {"serve"},
                          {{"APP_ENV", "prod"},
                           {"SECRETS_PROVIDER", "aws-secretsmanager"},
                           {"AWS_SECRETS_MANAGER_SECRET_ID", "fraudgov/prod/app"},
                           {"HEALTH_TOKEN", "plain-health-value-4471"},
                           {"AWS_SECRET_ACCESS_KEY", "plain-aws-secret-9a0e"}});
  EXPECT_EQ(p.wait(std::chrono::seconds(10)), 2);
  const std::string err = p.stderrText();
  EXPECT_NE(err.find("HEALTH_TOKEN is set as a plain environment variable"), std::string::npos) << err;
  EXPECT_NE(err.find("AWS_SECRET_ACCESS_KEY is set as a plain environment variable"), std::string::npos) << err;
  for (const char* value : {"plain-health-value-4471", "plain-aws-secret-9a0e"}) {
    EXPECT_EQ((err + p.stdoutText()).find(value), std::string::npos) << value;
  }
}

}  // namespace
}  // namespace fraudgov
