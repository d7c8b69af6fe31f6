// AwsSecretsManagerProvider against a scripted peer: the exact request it signs and sends, how
// every kind of answer is turned into values or into an error that names the secret id but
// never a value, a credential or AWS's own message text. The emulator tests (moto_test.cpp)
// prove the signature itself.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "secrets/aws_secrets_manager_provider.h"
#include "secrets/secret_store.h"
#include "support/mini_http_server.h"

namespace fraudgov::secrets {
namespace {

using testing::MiniHttpServer;
using testing::MiniRequest;
using testing::MiniResponse;

constexpr const char* kSecretId = "fraudgov/prod/app";
constexpr const char* kCanary = "canary-value-7f3a9c";

std::string envelope(const std::string& secret_string) {
  return boost::json::serialize(boost::json::object{{"Name", kSecretId}, {"SecretString", secret_string}});
}

AwsCredentialSource fixedCredentials(std::string session_token = "") {
  return [session_token] {
    return Result<AwsCredentials>(AwsCredentials{"AKIDTEST1234", "s3cr3t/Key+x", session_token});
  };
}

class AwsProviderTest : public ::testing::Test {
 protected:
  AwsProviderTest()
      : peer_([this](const MiniRequest& r) {
          std::lock_guard lock(mu_);
          last_ = r;
          return answer_(r);
        }) {}

  void answer(std::function<MiniResponse(const MiniRequest&)> fn) {
    std::lock_guard lock(mu_);
    answer_ = std::move(fn);
  }
  MiniRequest last() {
    std::lock_guard lock(mu_);
    return last_;
  }
  AwsSecretsManagerSettings settings() const {
    AwsSecretsManagerSettings s;
    s.secret_id = kSecretId;
    s.region = "eu-west-1";
    s.endpoint = peer_.baseUrl();
    s.timeout = std::chrono::milliseconds(1500);
    return s;
  }
  std::shared_ptr<AwsSecretsManagerProvider> provider(AwsCredentialSource credentials = fixedCredentials()) {
    return std::make_shared<AwsSecretsManagerProvider>(settings(), std::move(credentials),
                                                       std::make_shared<net::CurlHttpClient>());
  }
  // The refresh error, checked for leaks of anything the peer said or the provider knows.
  std::string refreshError(AwsSecretsManagerProvider& p) {
    auto status = p.refresh();
    EXPECT_FALSE(status);
    if (status) return {};
    const std::string& message = status.error().message;
    for (const char* secret : {kCanary, "s3cr3t/Key+x", "AWS4-HMAC-SHA256", "Credential="}) {
      EXPECT_EQ(message.find(secret), std::string::npos) << "'" << secret << "' leaked into: " << message;
    }
    EXPECT_NE(message.find(kSecretId), std::string::npos) << message;
    return message;
  }

  std::mutex mu_;
  MiniRequest last_;
  std::function<MiniResponse(const MiniRequest&)> answer_ = [](const MiniRequest&) {
    return MiniResponse::json(envelope(R"({"HEALTH_TOKEN":"h-1","METRICS_TOKEN":"m-1"})"));
  };
  MiniHttpServer peer_;
};

TEST_F(AwsProviderTest, SendsOneSignedGetSecretValueAndMapsTheJsonKeys) {
  auto p = provider();
  ASSERT_TRUE(p->refresh());
  EXPECT_EQ(p->get("HEALTH_TOKEN")->value_or(""), "h-1");
  EXPECT_EQ(p->get("METRICS_TOKEN")->value_or(""), "m-1");
  EXPECT_FALSE(p->get("DATABASE_PASSWORD")->has_value());
  EXPECT_EQ(peer_.requestCount(), 1u) << "values come from the one fetch";

  const MiniRequest r = last();
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/");
  EXPECT_EQ(r.header("X-Amz-Target").value_or(""), "secretsmanager.GetSecretValue");
  EXPECT_EQ(r.header("Content-Type").value_or(""), "application/x-amz-json-1.1");
  EXPECT_FALSE(r.header("X-Amz-Security-Token"));
  EXPECT_EQ(boost::json::parse(r.body), (boost::json::object{{"SecretId", kSecretId}}));
  const std::string auth = r.header("Authorization").value_or("");
  EXPECT_EQ(auth.rfind("AWS4-HMAC-SHA256 Credential=AKIDTEST1234/", 0), 0u) << auth;
  EXPECT_NE(auth.find("/eu-west-1/secretsmanager/aws4_request"), std::string::npos) << auth;
  EXPECT_NE(auth.find("x-amz-target"), std::string::npos) << "the action is covered by the signature: " << auth;
  EXPECT_NE(auth.find("Signature="), std::string::npos);
  EXPECT_TRUE(r.header("X-Amz-Date"));
  EXPECT_EQ(auth.find("s3cr3t"), std::string::npos);
}

TEST_F(AwsProviderTest, SessionTokenIsSentAndSigned) {
  auto p = provider(fixedCredentials("FQoGZXIvYXdzEJr-session"));
  ASSERT_TRUE(p->refresh());
  const MiniRequest r = last();
  EXPECT_EQ(r.header("X-Amz-Security-Token").value_or(""), "FQoGZXIvYXdzEJr-session");
  EXPECT_NE(r.header("Authorization").value_or("").find("x-amz-security-token"), std::string::npos);
}

TEST_F(AwsProviderTest, StoreReloadFetchesOncePerReloadAndKeepsValuesWhenAFetchFails) {
  SecretStore store(provider(), applicationSecretNames());
  ASSERT_TRUE(store.reload());
  EXPECT_EQ(peer_.requestCount(), 1u) << applicationSecretNames().size() << " names, one call";
  EXPECT_EQ(store.get("HEALTH_TOKEN").value_or(""), "h-1");

  answer([](const MiniRequest&) { return MiniResponse::json(envelope(R"({"HEALTH_TOKEN":"h-2"})")); });
  ASSERT_TRUE(store.reload());
  EXPECT_EQ(peer_.requestCount(), 2u);
  EXPECT_EQ(store.get("HEALTH_TOKEN").value_or(""), "h-2");
  EXPECT_FALSE(store.get("METRICS_TOKEN")) << "a key removed from the secret is gone after the reload";

  answer([](const MiniRequest&) { return MiniResponse::json(R"({"__type":"InternalFailure"})", 500); });
  EXPECT_FALSE(store.reload());
  EXPECT_EQ(store.get("HEALTH_TOKEN").value_or(""), "h-2") << "a failed reload keeps the previous values";
}

TEST_F(AwsProviderTest, MissingSecretIsAClearError) {
  answer([](const MiniRequest&) {
    return MiniResponse::json(std::string(R"({"__type":"ResourceNotFoundException","message":")") + kCanary + "\"}",
                              400);
  });
  auto p = provider();
  const std::string message = refreshError(*p);
  EXPECT_NE(message.find("does not exist"), std::string::npos) << message;
  EXPECT_NE(message.find("ResourceNotFoundException"), std::string::npos) << message;
  EXPECT_NE(message.find("HTTP 400"), std::string::npos) << message;
}

TEST_F(AwsProviderTest, RefusedCredentialsAreAClearErrorWithoutAwsMessageText) {
  // AWS's SignatureDoesNotMatch text can include the canonical request; it is never echoed.
  answer([](const MiniRequest&) {
    MiniResponse r;
    r.status = 403;
    r.body = std::string("<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>canonical request ") +
             kCanary + "</Message></Error></ErrorResponse>";
    return r;
  });
  auto p = provider();
  std::string message = refreshError(*p);
  EXPECT_NE(message.find("credentials were refused"), std::string::npos) << message;
  EXPECT_NE(message.find("SignatureDoesNotMatch"), std::string::npos) << message;

  answer([](const MiniRequest&) {
    return MiniResponse::json(
        std::string(R"({"__type":"com.amazon.coral#UnrecognizedClientException","message":")") + kCanary + "\"}", 400);
  });
  message = refreshError(*p);
  EXPECT_NE(message.find("UnrecognizedClientException"), std::string::npos) << message;
}

TEST_F(AwsProviderTest, HostileErrorTypesAreNotEchoed) {
  answer([](const MiniRequest&) {
    return MiniResponse::json(std::string(R"({"__type":"<script>)") + kCanary + "\"}", 400);
  });
  auto p = provider();
  const std::string message = refreshError(*p);
  EXPECT_EQ(message.find("<script>"), std::string::npos) << message;
  EXPECT_NE(message.find("HTTP 400"), std::string::npos) << message;
}

TEST_F(AwsProviderTest, ServerErrorsAreRetriedOnceThenReportedUnavailable) {
  answer([](const MiniRequest&) { return MiniResponse::json(R"({"__type":"InternalFailure"})", 500); });
  auto p = provider();
  auto status = p->refresh();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(peer_.requestCount(), 2u);
}

TEST_F(AwsProviderTest, AHangingEndpointIsBoundedByTheTimeout) {
  answer([](const MiniRequest&) { return MiniResponse::hang(std::chrono::seconds(30)); });
  auto p = provider();
  const auto start = std::chrono::steady_clock::now();
  const std::string message = refreshError(*p);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(6)) << "two attempts of 1.5 s each";
  EXPECT_NE(message.find("cannot reach the endpoint"), std::string::npos) << message;
}

TEST_F(AwsProviderTest, MalformedSecretsAreRefusedWithoutShowingTheirContent) {
  struct Case {
    std::string body;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {std::string("not json ") + kCanary, "not a JSON object"},
      {boost::json::serialize(boost::json::object{{"SecretBinary", kCanary}}), "no SecretString"},
      {envelope(kCanary), "not a JSON object of names to values"},
      {envelope(std::string("[\"") + kCanary + "\"]"), "not a JSON object of names to values"},
      {envelope(std::string(R"({"HEALTH_TOKEN":{"v":")") + kCanary + "\"}}"), "key 'HEALTH_TOKEN' is not a string"},
      {envelope(std::string(R"({"HEALTH_TOKEN":"a","HEALTH_TOKEN":")") + kCanary + "\"}"), "not a JSON object"},
      {envelope(std::string("{\"") + kCanary + " x\":1}"), "a key that is not a secret name"},
  };
  for (const auto& c : cases) {
    answer([body = c.body](const MiniRequest&) { return MiniResponse::json(body); });
    auto p = provider();
    const std::string message = refreshError(*p);
    EXPECT_NE(message.find(c.expected), std::string::npos) << c.body << " -> " << message;
  }
}

TEST_F(AwsProviderTest, MissingOrMalformedBootstrapCredentialsAreNamed) {
  auto files = std::make_shared<FileSecretProvider>(
      [](std::string_view) -> std::optional<std::string> { return std::nullopt; }, true);
  auto p = provider(credentialsFromProvider(files));
  auto status = p->refresh();
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"), std::string::npos);
  EXPECT_EQ(peer_.requestCount(), 0u);

  auto bad = std::make_shared<FileSecretProvider>(
      [](std::string_view name) -> std::optional<std::string> {
        if (name == "AWS_ACCESS_KEY_ID") return "AKID:with-colon";
        if (name == "AWS_SECRET_ACCESS_KEY") return kCanary;
        return std::nullopt;
      },
      true);
  auto q = provider(credentialsFromProvider(bad));
  status = q->refresh();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message, "AWS_ACCESS_KEY_ID is malformed");
}

TEST(AwsSettings, EndpointRules) {
  auto problems = [](std::string endpoint, bool prod, std::string region = "us-east-1") {
    AwsSecretsManagerSettings s;
    s.secret_id = "x";
    s.endpoint = std::move(endpoint);
    s.production = prod;
    s.region = std::move(region);
    auto p = validateSettings(s);
    std::string joined;
    for (auto& line : p) joined += line + "\n";
    return joined;
  };
  EXPECT_EQ(problems("", true), "");
  EXPECT_EQ(problems("https://secretsmanager.eu-west-1.amazonaws.com", true), "");
  EXPECT_EQ(problems("https://vpce-1.secretsmanager.internal:8443", true), "");
  EXPECT_EQ(problems("http://127.0.0.1:5000", false), "");
  EXPECT_EQ(problems("http://localhost:5000", false), "");
  EXPECT_EQ(problems("http://[::1]:5000", false), "");
  EXPECT_NE(problems("http://127.0.0.1:5000", true).find("must use https in prod"), std::string::npos);
  EXPECT_NE(problems("http://secrets.example.com", false).find("only for a loopback host"), std::string::npos);
  EXPECT_NE(problems("ftp://127.0.0.1", false).find("must be an https URL"), std::string::npos);
  EXPECT_NE(problems("https://user:pw@host", false).find("without credentials"), std::string::npos);
  EXPECT_NE(problems("not a url", false).find("must be an http(s) URL"), std::string::npos);
  EXPECT_NE(problems("", false, "EU WEST").find("AWS_REGION"), std::string::npos);
  AwsSecretsManagerSettings no_id;
  ASSERT_EQ(validateSettings(no_id).size(), 1u);
  EXPECT_NE(validateSettings(no_id)[0].find("AWS_SECRETS_MANAGER_SECRET_ID is required"), std::string::npos);

  AwsSecretsManagerSettings s;
  s.region = "ap-southeast-2";
  EXPECT_EQ(endpointUrl(s), "https://secretsmanager.ap-southeast-2.amazonaws.com/");
  s.endpoint = "http://127.0.0.1:4566/";
  EXPECT_EQ(endpointUrl(s), "http://127.0.0.1:4566/");
}

}  // namespace
}  // namespace fraudgov::secrets
