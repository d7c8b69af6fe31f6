#include "net/http_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "support/mini_http_server.h"

namespace fraudgov::net {
namespace {

using testing::MiniHttpServer;
using testing::MiniRequest;
using testing::MiniResponse;
using Clock = std::chrono::steady_clock;

TEST(CurlHttpClient, ReturnsStatusBodyAndHeaders) {
  MiniHttpServer server([](const MiniRequest& req) {
    MiniResponse r = MiniResponse::json(R"({"path":")" + req.path() + R"("})", 201);
    r.headers.emplace_back("X-Answer", "42");
    return r;
  });
  CurlHttpClient client;
  auto res = client.send({.url = server.url("/hello?x=1")});
  ASSERT_TRUE(res) << res.error().message;
  EXPECT_EQ(res->status, 201);
  EXPECT_EQ(res->body, R"({"path":"/hello"})");
  EXPECT_EQ(res->header("x-answer"), "42");
  EXPECT_EQ(res->header("content-type"), "application/json");
  EXPECT_EQ(server.requestCount(), 1u);
}

TEST(CurlHttpClient, SendsMethodHeadersAndBody) {
  MiniRequest seen;
  MiniHttpServer server([&seen](const MiniRequest& req) {
    seen = req;
    return MiniResponse{204, {}, "", {}};
  });
  CurlHttpClient client;
  auto res = client.send({.method = "PUT",
                          .url = server.url("/objects/a"),
                          .headers = {{"Content-Type", "application/json"}, {"X-Trace", "t1"}},
                          .body = R"({"a":1})"});
  ASSERT_TRUE(res) << res.error().message;
  EXPECT_EQ(res->status, 204);
  EXPECT_EQ(seen.method, "PUT");
  EXPECT_EQ(seen.target, "/objects/a");
  EXPECT_EQ(seen.body, R"({"a":1})");
  EXPECT_EQ(seen.header("X-Trace"), "t1");
  EXPECT_EQ(seen.header("Content-Type"), "application/json");
  EXPECT_FALSE(seen.header("Expect"));
}

TEST(CurlHttpClient, HttpErrorStatusIsNotATransportError) {
  MiniHttpServer server([](const MiniRequest&) { return MiniResponse::json(R"({"error":"x"})", 503); });
  CurlHttpClient client;
  auto res = client.send({.url = server.url("/")});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
}

TEST(CurlHttpClient, DoesNotFollowRedirects) {
  MiniHttpServer server([](const MiniRequest& req) {
    if (req.path() == "/elsewhere") return MiniResponse::json("{}", 200);
    return MiniResponse{302, {{"Location", "/elsewhere"}}, "", {}};
  });
  CurlHttpClient client;
  auto res = client.send({.url = server.url("/start")});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 302);
  EXPECT_EQ(server.requestCount(), 1u);
}

TEST(CurlHttpClient, TimesOutOnAHangingServer) {
  MiniHttpServer server([](const MiniRequest&) { return MiniResponse::hang(std::chrono::seconds(10)); });
  CurlHttpClient client;
  const auto start = Clock::now();
  auto res = client.send({.url = server.url("/slow"), .timeout = std::chrono::milliseconds(300)});
  const auto elapsed = Clock::now() - start;
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::kUnavailable);
  EXPECT_GE(elapsed, std::chrono::milliseconds(250));
  EXPECT_LT(elapsed, std::chrono::seconds(3));
  const auto stop_start = Clock::now();
  server.stop();  // must interrupt the hanging handler, not wait 10 s
  EXPECT_LT(Clock::now() - stop_start, std::chrono::seconds(2));
}

TEST(CurlHttpClient, RefusesResponsesOverTheCap) {
  MiniHttpServer server([](const MiniRequest&) { return MiniResponse{200, {}, std::string(10'000, 'a'), {}}; });
  CurlHttpClient client;
  auto res = client.send({.url = server.url("/big"), .max_response_bytes = 1000});
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(res.error().message.find("exceeded"), std::string::npos);

  auto fits = client.send({.url = server.url("/big"), .max_response_bytes = 10'000});
  ASSERT_TRUE(fits);
  EXPECT_EQ(fits->body.size(), 10'000u);
}

TEST(CurlHttpClient, ConnectionRefusedIsUnavailableWithoutLeakingCredentials) {
  std::string url;
  {
    MiniHttpServer closed([](const MiniRequest&) { return MiniResponse{}; });
    url = "http://admin:hunter2@127.0.0.1:" + std::to_string(closed.port()) + "/x?token=sekrit";
  }
  CurlHttpClient client;
  auto res = client.send({.url = url, .timeout = std::chrono::milliseconds(1000), .user_pwd = "AKID:hunter3"});
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::kUnavailable);
  for (const char* secret : {"hunter2", "hunter3", "sekrit", "admin", "127.0.0.1"}) {
    EXPECT_EQ(res.error().message.find(secret), std::string::npos) << res.error().message;
  }
}

TEST(CurlHttpClient, SpeaksOnlyHttpAndHttps) {
  CurlHttpClient client;
  for (const char* url : {"file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/"}) {
    auto res = client.send({.url = url, .timeout = std::chrono::milliseconds(500)});
    ASSERT_FALSE(res) << url;
    EXPECT_EQ(res.error().code, ErrorCode::kUnavailable);
  }
}

TEST(CurlHttpClient, RefusesHeaderInjection) {
  CurlHttpClient client;
  auto res = client.send({.url = "http://127.0.0.1:1/", .headers = {{"X-A", "v\r\nX-Injected: 1"}}});
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::kInternal);
}

TEST(CurlHttpClient, SignsWithAwsSigV4WhenAsked) {
  MiniRequest seen;
  MiniHttpServer server([&seen](const MiniRequest& req) {
    seen = req;
    return MiniResponse::json("{}");
  });
  CurlHttpClient client;
  auto res = client.send({.method = "POST",
                          .url = server.url("/"),
                          .headers = {{"Content-Type", "application/x-amz-json-1.1"}},
                          .body = R"({"SecretId":"db"})",
                          .aws_sigv4 = "aws:amz:us-east-1:secretsmanager",
                          .user_pwd = "AKIDEXAMPLE:wJalrXUtnFEMI"});
  ASSERT_TRUE(res) << res.error().message;
  const auto auth = seen.header("Authorization");
  ASSERT_TRUE(auth);
  EXPECT_TRUE(auth->starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")) << *auth;
  EXPECT_NE(auth->find("/us-east-1/secretsmanager/aws4_request"), std::string::npos) << *auth;
  EXPECT_EQ(auth->find("wJalrXUtnFEMI"), std::string::npos);
  EXPECT_TRUE(seen.header("X-Amz-Date"));
}

TEST(CurlHttpClient, IsUsableFromManyThreads) {
  MiniHttpServer server([](const MiniRequest& req) { return MiniResponse::json(req.path()); });
  CurlHttpClient client;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        auto res = client.send({.url = server.url("/t" + std::to_string(t))});
        if (res && res->body == "/t" + std::to_string(t)) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 80);
}

}  // namespace
}  // namespace fraudgov::net
