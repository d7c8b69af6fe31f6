// Two real fraudgov processes sharing one Redis (SPEC §6.4: REDIS_URL makes the limits global):
// one write budget across both; then Redis dies and both keep serving on local buckets.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "net/http_client.h"
#include "support/api_harness.h"
#include "support/child_process.h"
#include "support/redis_server.h"
#include "support/test_env.h"

namespace fraudgov {
namespace {

class Instance {
 public:
  Instance(const std::string& name, const std::string& jwks_url, const std::string& redis_url)
      : port_(testing::freePort()) {
    auto env = testing::testEnvironment(jwks_url);
    env["HTTP_PORT"] = std::to_string(port_);
    env["DATABASE_URL"] = "sqlite:" + testing::makeTempDir("shared-" + name) + "/db.sqlite";
    env["REDIS_URL"] = redis_url;
    env["RATE_LIMIT_WRITE_PER_MINUTE"] = "5";
    env["LOG_LEVEL"] = "warn";
    process_ = std::make_unique<testing::ChildProcess>(testing::binaryPath("fraudgov"),
                                                       std::vector<std::string>{"serve"}, env);
  }

  bool waitUntilServing() { return testing::waitForHttp(base() + "/api/v1/health", std::chrono::seconds(20)); }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string logs() const { return process_->stdoutText() + process_->stderrText(); }

  net::OutboundResponse send(const std::string& method, const std::string& path, const std::string& token,
                             const std::string& body = "") {
    net::OutboundRequest r;
    r.method = method;
    r.url = base() + path;
    r.headers = {{"Authorization", "Bearer " + token}};
    if (!body.empty()) r.headers.emplace_back("Content-Type", "application/json");
    r.body = body;
    r.timeout = std::chrono::seconds(10);
    auto response = client_.send(r);
    EXPECT_TRUE(response) << method << " " << path;
    return response ? *response : net::OutboundResponse{};
  }

 private:
  unsigned short port_;
  std::unique_ptr<testing::ChildProcess> process_;
  net::CurlHttpClient client_;
};

std::string header(const net::OutboundResponse& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      return v;
    }
  }
  return "";
}

std::string fieldBody(const std::string& key) {
  return boost::json::serialize(boost::json::object{
      {"field_key", key}, {"display_name", "Shared"}, {"data_type", "NUMBER"}, {"allowed_operators", {"EQ"}}});
}

std::size_t occurrences(const std::string& text, std::string_view needle) {
  std::size_t n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
  return n;
}

}  // namespace

TEST(SharedRateLimit, TwoProcessesShareOneBudgetThroughRedisAndSurviveItsLoss) {
  testing::RedisServer redis;
  ASSERT_TRUE(redis.ready());
  testing::MiniHttpServer idp(
      [](const testing::MiniRequest&) { return testing::MiniResponse::json(testing::TokenFactory::get().jwks()); });
  Instance a("a", idp.url("/jwks"), redis.url());
  Instance b("b", idp.url("/jwks"), redis.url());
  ASSERT_TRUE(a.waitUntilServing()) << a.logs();
  ASSERT_TRUE(b.waitUntilServing()) << b.logs();

  auto claims = testing::TokenFactory::claims(testing::kTestIssuer, testing::kTestAudience, "shared-maker");
  claims["permissions"] = boost::json::array{"rule_field:create", "rule:read"};
  const std::string token = testing::TokenFactory::get().rs256(claims);

  // 3 writes through A, then 3 through B: one budget of 5, so exactly the last one is refused.
  std::vector<long> statuses;
  std::vector<std::string> remaining;
  for (int i = 0; i < 6; ++i) {
    Instance& target = i < 3 ? a : b;
    auto r = target.send("POST", "/api/v1/rule-fields", token, fieldBody("shared_" + std::to_string(i)));
    statuses.push_back(r.status);
    remaining.push_back(header(r, "RateLimit"));
  }
  EXPECT_EQ(statuses, (std::vector<long>{201, 201, 201, 201, 201, 429}));
  EXPECT_EQ(remaining[2].substr(0, remaining[2].find(";t=")), "\"write\";r=2") << "A's third write";
  EXPECT_EQ(remaining[3].substr(0, remaining[3].find(";t=")), "\"write\";r=1") << "B starts where A left off";
  EXPECT_EQ(remaining[5].substr(0, remaining[5].find(";t=")), "\"write\";r=0");

  // Redis goes away: both instances keep answering, from local buckets, without a single 5xx.
  redis.kill();
  for (int i = 0; i < 5; ++i) {
    for (Instance* target : {&a, &b}) {
      auto read = target->send("GET", "/api/v1/rule-fields", token);
      EXPECT_EQ(read.status, 200) << "reads keep working";
      EXPECT_FALSE(header(read, "RateLimit").empty()) << "and are still limited (locally)";
      auto write = target->send("POST", "/api/v1/rule-fields", token, fieldBody("after_" + std::to_string(i)));
      EXPECT_TRUE(write.status == 201 || write.status == 409 || write.status == 429) << write.status << write.body;
    }
  }
  for (Instance* target : {&a, &b}) {
    const std::string logs = target->logs();
    EXPECT_EQ(occurrences(logs, "redis unavailable, using local buckets"), 1u) << "logged once per transition";
  }
}

}  // namespace fraudgov
