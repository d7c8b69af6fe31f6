// The S3 store's wire format and failure handling without an emulator: URL building for both
// addressing styles, settings checks, error mapping, the checksum header against a fake that
// verifies it the way S3 does, and deadlines against a closed port and a hanging endpoint.
#include <gtest/gtest.h>

#include <map>
#include <mutex>

#include "common/base64.h"
#include "common/crypto.h"
#include "publish/s3_artifact_store.h"
#include "publish/s3_artifact_store_errors.h"
#include "publish/s3_artifact_store_url.h"
#include "support/child_process.h"
#include "support/mini_http_server.h"
#include "tampering_client.h"

namespace fraudgov::publish {
namespace {

using testing::MiniHttpServer;
using testing::MiniRequest;
using testing::MiniResponse;

constexpr const char* kKey = "rulesets/prod/APAC/IN/CARD_AUTH/v3/ruleset.json";
constexpr const char* kSecret = "fake-secret-3f9a1c";

// The error of a call expected to fail; an unexpected success becomes a visible mismatch.
template <class T>
Error errorOf(const Result<T>& r) {
  return r ? Error::internal("unexpected success") : r.error();
}

S3Settings settingsFor(const std::string& endpoint) {
  S3Settings s;
  s.endpoint_url = endpoint;
  s.bucket = "artifacts";
  s.credentials = [] { return std::make_optional(std::make_pair(std::string("AKIDFAKE0001"), std::string(kSecret))); };
  s.timeout = std::chrono::seconds(5);
  return s;
}

MiniResponse s3Error(int status, const std::string& code) {
  MiniResponse r;
  r.status = status;
  r.headers = {{"Content-Type", "application/xml"}};
  r.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code +
           "</Code><Message>the request was refused; endpoint http://secret-host/artifacts</Message></Error>";
  return r;
}

// A fake S3 that checks what real S3 checks about a PutObject's integrity and signing.
class FakeS3 {
 public:
  FakeS3() : server_([this](const MiniRequest& r) { return handle(r); }) {}
  std::string endpoint() const { return server_.baseUrl(); }
  std::optional<std::string> lastContentType() {
    std::lock_guard lock(mu_);
    return content_type_;
  }

 private:
  MiniResponse handle(const MiniRequest& r) {
    const auto auth = r.header("Authorization").value_or("");
    if (!auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDFAKE0001/") ||
        auth.find("/us-east-1/s3/aws4_request") == std::string::npos) {
      return s3Error(403, "SignatureDoesNotMatch");
    }
    if (r.header("x-amz-content-sha256") != crypto::sha256Hex(r.body)) return s3Error(400, "XAmzContentSHA256Mismatch");
    std::lock_guard lock(mu_);
    if (r.method == "PUT") {
      if (r.header("x-amz-checksum-sha256") != base64::encode(crypto::sha256(r.body))) return s3Error(400, "BadDigest");
      objects_[r.path()] = r.body;
      content_type_ = r.header("Content-Type");
      return MiniResponse{};
    }
    auto it = objects_.find(r.path());
    if (it == objects_.end()) return s3Error(404, "NoSuchKey");
    MiniResponse ok;
    ok.body = it->second;
    return ok;
  }

  std::mutex mu_;
  std::map<std::string, std::string> objects_;
  std::optional<std::string> content_type_;
  MiniHttpServer server_;  // last: stopped first, before the state its handler uses
};

TEST(S3ObjectUrl, PathStyleAndVirtualHostedStyle) {
  S3Settings s;
  s.endpoint_url = "http://127.0.0.1:9000/";
  s.bucket = "fraud-gov-artifacts";
  EXPECT_EQ(s3ObjectUrl(s, kKey), std::string("http://127.0.0.1:9000/fraud-gov-artifacts/") + kKey);
  s.force_path_style = false;
  s.endpoint_url = "https://minio.internal:9000";
  EXPECT_EQ(s3ObjectUrl(s, kKey), std::string("https://fraud-gov-artifacts.minio.internal:9000/") + kKey);
  s.endpoint_url.clear();
  s.region = "eu-west-1";
  EXPECT_EQ(s3ObjectUrl(s, "a.json"), "https://fraud-gov-artifacts.s3.eu-west-1.amazonaws.com/a.json");
  s.force_path_style = true;
  EXPECT_EQ(s3ObjectUrl(s, "a.json"), "https://s3.eu-west-1.amazonaws.com/fraud-gov-artifacts/a.json");
  s.endpoint_url = "https://gateway.example/s3";
  EXPECT_EQ(s3ObjectUrl(s, "a.json"), "https://gateway.example/s3/fraud-gov-artifacts/a.json") << "a path prefix stays";
}

TEST(S3ObjectUrl, EachSegmentIsPercentEncodedWithUnreservedCharactersKept) {
  EXPECT_EQ(encodeS3Key("rulesets/A-z_0.9~/x.json"), "rulesets/A-z_0.9~/x.json");
  EXPECT_EQ(encodeS3Key("a b/c+d/e%f/\xc3\xa9?#"), "a%20b/c%2Bd/e%25f/%C3%A9%3F%23");
}

TEST(S3Settings, ValidationNamesWhatIsWrong) {
  S3Settings ok;
  EXPECT_TRUE(validateS3Settings(ok).empty());
  ok.endpoint_url = "http://127.0.0.1:9000";
  EXPECT_TRUE(validateS3Settings(ok).empty());

  S3Settings bad;
  bad.endpoint_url = "ftp://user:pw@host/?q";
  bad.bucket = "Bad_Bucket";
  bad.region = "US East";
  bad.timeout = std::chrono::milliseconds(0);
  const auto problems = validateS3Settings(bad);
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_NE(problems[0].find("S3_ENDPOINT_URL"), std::string::npos);
  EXPECT_NE(problems[1].find("S3_BUCKET_NAME"), std::string::npos);
  EXPECT_NE(problems[2].find("S3_REGION"), std::string::npos);
  for (const auto& p : problems) EXPECT_EQ(p.find("pw"), std::string::npos) << "no credentials echoed: " << p;

  S3Settings dotted;
  dotted.bucket = "artifacts.example.com";
  dotted.force_path_style = false;
  EXPECT_EQ(validateS3Settings(dotted).size(), 1u) << "a dotted bucket breaks virtual-hosted TLS";
}

TEST(S3Errors, CodesAreParsedAndMappedWithoutLeakingS3Text) {
  EXPECT_EQ(s3ErrorCode("<Error><Code>NoSuchKey</Code></Error>"), "NoSuchKey");
  EXPECT_EQ(s3ErrorCode("<Error><Code>evil text with spaces</Code></Error>"), "");
  EXPECT_EQ(s3ErrorCode("not xml"), "");

  auto refusal = [](int status, const std::string& code) {
    net::OutboundResponse r;
    r.status = status;
    r.body = s3Error(status, code).body;
    return s3Refusal(r, "PutObject", "artifacts");
  };
  for (const char* code : {"SignatureDoesNotMatch", "InvalidAccessKeyId"}) {
    const Error e = refusal(403, code);
    EXPECT_EQ(e.code, ErrorCode::kUnavailable);
    EXPECT_TRUE(e.message.starts_with("S3 rejected the credentials")) << e.message;
    EXPECT_NE(e.message.find(code), std::string::npos) << e.message;
  }
  EXPECT_TRUE(refusal(404, "NoSuchBucket").message.starts_with("S3 bucket 'artifacts' does not exist"));
  const Error other = refusal(503, "SlowDown");
  EXPECT_EQ(other.code, ErrorCode::kUnavailable);
  EXPECT_EQ(other.message, "S3 request failed (PutObject answered SlowDown, HTTP 503)");
  EXPECT_EQ(refusal(500, "").message.find("secret-host"), std::string::npos) << "S3's Message text is not echoed";
}

TEST(S3ArtifactStoreWire, PutSendsTheChecksumTheContentTypeAndASignature) {
  FakeS3 fake;
  S3ArtifactStore store(settingsFor(fake.endpoint()), std::make_shared<net::CurlHttpClient>());
  const std::string bytes = R"({"schema_version":"1.1"})";
  auto stored = store.put(kKey, bytes, "application/json");
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(stored->uri, std::string("s3://artifacts/") + kKey);
  EXPECT_EQ(stored->checksum, "sha256:" + crypto::sha256Hex(bytes));
  EXPECT_EQ(fake.lastContentType().value_or(""), "application/json");
  EXPECT_EQ(store.get(kKey)->value_or(""), bytes);
  auto absent = store.get("rulesets/none.json");
  ASSERT_TRUE(absent) << absent.error().message;
  EXPECT_FALSE(absent->has_value());
}

TEST(S3ArtifactStoreWire, AChecksumThatDoesNotMatchTheBytesIsRefused) {
  FakeS3 fake;
  auto tampering = std::make_shared<testing::TamperingClient>("x-amz-checksum-sha256",
                                                              base64::encode(crypto::sha256("other bytes")));
  S3ArtifactStore store(settingsFor(fake.endpoint()), tampering);
  auto stored = store.put(kKey, "the real bytes", "application/json");
  ASSERT_FALSE(stored);
  EXPECT_EQ(stored.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(stored.error().message, "S3 request failed (PutObject answered BadDigest, HTTP 400)");
  EXPECT_FALSE(store.get(kKey)->has_value()) << "nothing was stored";
}

TEST(S3ArtifactStoreWire, MissingOrMalformedCredentialsStopBeforeAnyRequest) {
  FakeS3 fake;
  S3Settings s = settingsFor(fake.endpoint());
  s.credentials = nullptr;
  EXPECT_EQ(errorOf(S3ArtifactStore(s, std::make_shared<net::CurlHttpClient>()).put(kKey, "x", "")).message,
            "S3 credentials are not configured");
  s.credentials = [] { return std::optional<std::pair<std::string, std::string>>{}; };
  EXPECT_EQ(errorOf(S3ArtifactStore(s, std::make_shared<net::CurlHttpClient>()).get(kKey)).message,
            "S3 credentials are not configured");
  s.credentials = [] { return std::make_optional(std::make_pair(std::string("AKID:x"), std::string(kSecret))); };
  EXPECT_EQ(errorOf(S3ArtifactStore(s, std::make_shared<net::CurlHttpClient>()).put(kKey, "x", "")).message,
            "S3 credentials are malformed");
}

TEST(S3ArtifactStoreWire, InvalidKeysAreRefusedBeforeAnyRequest) {
  FakeS3 fake;
  S3ArtifactStore store(settingsFor(fake.endpoint()), std::make_shared<net::CurlHttpClient>());
  for (const char* key : {"../x.json", "/x.json", "a//b", "a/%2e%2e/b", "a?b"}) {
    EXPECT_EQ(errorOf(store.put(key, "x", "application/json")).code, ErrorCode::kMalformed) << key;
    EXPECT_EQ(errorOf(store.get(key)).code, ErrorCode::kMalformed) << key;
  }
  EXPECT_EQ(errorOf(store.put(kKey, "x", "application/json\r\nx-amz-acl: public-read")).code, ErrorCode::kMalformed)
      << "no header injection through the content type";
}

TEST(S3ArtifactStoreDeadline, AClosedPortIsUnavailableAtOnce) {
  const unsigned short port = testing::freePort();  // nothing listens there
  S3ArtifactStore store(settingsFor("http://127.0.0.1:" + std::to_string(port)),
                        std::make_shared<net::CurlHttpClient>());
  const auto start = std::chrono::steady_clock::now();
  auto stored = store.put(kKey, "x", "application/json");
  ASSERT_FALSE(stored);
  EXPECT_EQ(stored.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(stored.error().message.starts_with("S3 endpoint unreachable during PutObject")) << stored.error().message;
  EXPECT_EQ(stored.error().message.find(std::to_string(port)), std::string::npos) << "no URL in the message";
  EXPECT_EQ(stored.error().message.find(kSecret), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(errorOf(store.get(kKey)).code, ErrorCode::kUnavailable);
}

TEST(S3ArtifactStoreDeadline, AHangingEndpointIsCutOffAtTheTimeout) {
  MiniHttpServer hanging([](const MiniRequest&) { return MiniResponse::hang(); });
  S3Settings s = settingsFor(hanging.baseUrl());
  s.timeout = std::chrono::milliseconds(700);
  S3ArtifactStore store(s, std::make_shared<net::CurlHttpClient>());
  for (int i = 0; i < 2; ++i) {
    const auto start = std::chrono::steady_clock::now();
    auto result = i == 0 ? errorOf(store.put(kKey, "x", "application/json")) : errorOf(store.get(kKey));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(result.code, ErrorCode::kUnavailable);
    EXPECT_TRUE(result.message.starts_with("S3 endpoint unreachable")) << result.message;
    EXPECT_GE(elapsed, std::chrono::milliseconds(600));
    EXPECT_LT(elapsed, std::chrono::milliseconds(3000)) << "the deadline bounds the call";
  }
  hanging.stop();
}

}  // namespace
}  // namespace fraudgov::publish
