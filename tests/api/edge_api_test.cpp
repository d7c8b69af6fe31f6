// Everything the edge must get right before a handler runs: unknown routes and methods, body
// limits, content types, malformed HTTP and JSON, request ids — each answered with a problem
// response that still carries the full security header set.
#include <gtest/gtest.h>

#include "support/api_harness.h"

namespace fraudgov {

using testing::ApiHarness;

class EdgeApi : public ::testing::Test {
 protected:
  ApiHarness api;
  std::string token = api.makerToken();

  testing::HttpResult postRaw(const std::string& body, const std::string& content_type = "application/json") {
    net::HeaderList headers{{"Authorization", "Bearer " + token}};
    if (!content_type.empty()) headers.emplace_back("Content-Type", content_type);
    return api.send("POST", "/api/v1/rule-fields", body, headers);
  }
};

TEST_F(EdgeApi, UnknownPathIs404Problem) {
  auto r = api.get("/api/v1/does-not-exist", token);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.json().at("error").as_string(), "NotFoundError");
  EXPECT_EQ(api.get("/", "").status, 404);
  EXPECT_EQ(api.get("/api/v1/rule-fields/amount/extra/segments", token).status, 404);
}

TEST_F(EdgeApi, WrongMethodIs405WithAllow) {
  auto r = api.send("DELETE", "/api/v1/rule-fields", "", {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("Allow").value_or(""), "GET, POST, HEAD");
  EXPECT_EQ(api.send("TRACE", "/api/v1/rule-fields").status, 405);
}

TEST_F(EdgeApi, HeadAnswersLikeGetWithoutABody) {
  auto r = api.send("HEAD", "/api/v1/rule-fields/amount", "", {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.empty());
  EXPECT_GT(std::stoul(r.header("Content-Length").value_or("0")), 100u);
}

TEST_F(EdgeApi, BodyLimitIsOneMebibyte) {
  // One byte over the limit is refused before the handler; the limit itself is not.
  std::string at_limit = R"({"field_key":"big","display_name":")";
  at_limit += std::string(1024 * 1024 - at_limit.size() - 2, 'x') + "\"}";
  ASSERT_EQ(at_limit.size(), 1024u * 1024u);
  EXPECT_EQ(postRaw(at_limit).status, 422);  // reaches validation: display_name too long etc.
  auto over = postRaw(at_limit + " ");
  EXPECT_EQ(over.status, 413);
  EXPECT_EQ(over.json().at("error").as_string(), "RequestTooLarge");
  auto huge = postRaw(std::string(10 * 1024 * 1024, 'a'));
  EXPECT_EQ(huge.status, 413);
  EXPECT_EQ(api.get("/api/v1/rule-fields/amount", token).status, 200) << "the server keeps serving";
}

TEST_F(EdgeApi, DeclaredOversizedBodyIsRefusedWithoutReadingIt) {
  auto r = testing::rawExchange(api.port(),
                                "POST /api/v1/rule-fields HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                "Content-Length: 5000000\r\n\r\n{");
  EXPECT_EQ(r.status, 413);
  testing::expectSecurityHeaders(r, "declared 413");
  // A chunked body that grows past the limit is cut off too.
  std::string chunked =
      "POST /api/v1/rule-fields HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 20; ++i) chunked += "10000\r\n" + std::string(0x10000, 'a') + "\r\n";
  chunked += "0\r\n\r\n";
  auto c = testing::rawExchange(api.port(), chunked);
  EXPECT_EQ(c.status, 413);
  testing::expectSecurityHeaders(c, "chunked 413");
}

TEST_F(EdgeApi, ContentTypeMustBeJson) {
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                           "application/json; charset=latin1", "application/jsonx", ""}) {
    auto r = postRaw(R"({"field_key":"x"})", type);
    EXPECT_EQ(r.status, 415) << type;
  }
  EXPECT_EQ(postRaw(R"({"field_key":"a_b","display_name":"A","data_type":"STRING","allowed_operators":["EQ"]})",
                    "application/json; charset=utf-8")
                .status,
            201);
}

TEST_F(EdgeApi, MalformedJsonAndWrongShapes) {
  EXPECT_EQ(postRaw("{\"field_key\":").status, 400);
  EXPECT_EQ(postRaw("{\"a\":1,\"a\":2}").status, 400);                              // duplicate keys
  EXPECT_EQ(postRaw("\xc0\xaf").status, 400);                                       // overlong UTF-8
  EXPECT_EQ(postRaw(std::string(1000, '[') + std::string(1000, ']')).status, 400);  // 1,000 deep
  EXPECT_EQ(postRaw("[]").status, 422);
  EXPECT_EQ(postRaw("\"text\"").status, 422);
  EXPECT_EQ(postRaw("").status, 422);
  EXPECT_EQ(postRaw("null").status, 422);
  auto r = postRaw(R"({"field_key":1,"display_name":true,"data_type":[],"allowed_operators":{},"is_sensitive":"no"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.json().at("details").at("errors").as_array().size(), 5u);
}

TEST_F(EdgeApi, MalformedHttpIsAProblemResponse) {
  for (const char* raw : {"GARBAGE\r\n\r\n", "GET / HTTP/9.9\r\n\r\n",
                          "GET /api/v1/rule-fields HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"}) {
    auto r = testing::rawExchange(api.port(), raw);
    EXPECT_EQ(r.status, 400) << raw;
    testing::expectSecurityHeaders(r, raw);
  }
  auto big = testing::rawExchange(
      api.port(), "GET /api/v1/rule-fields HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n");
  EXPECT_EQ(big.status, 431);
  testing::expectSecurityHeaders(big, "431");
  auto bad_target = testing::rawExchange(api.port(), "GET /api/v1/rule-fields?x=%zz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(bad_target.status, 400);
  testing::expectSecurityHeaders(bad_target, "bad target");
}

// Issue 11 item 12: the correlation id is always ours; the client's X-Request-ID is never echoed
// and never reaches an audit row (it is only logged, as client_request_id).
TEST_F(EdgeApi, RequestIdIsAlwaysOursEvenWhenTheClientSendsOne) {
  for (const std::string& inbound : {std::string("abc-123_x.y:z"), std::string(200, 'a'), std::string("a b"),
                                     std::string("<script>"), std::string("a\"b")}) {
    auto r = api.send("GET", "/api/v1/health", "", {{"X-Request-ID", inbound}});
    const auto id = r.header("X-Request-ID").value_or("");
    EXPECT_NE(id, inbound);
    EXPECT_EQ(id.size(), 36u);
  }
  auto problem = api.get("/api/v1/nowhere", "");
  EXPECT_EQ(problem.json().at("request_id").as_string(), problem.header("X-Request-ID").value_or(""));
}

TEST_F(EdgeApi, AuditRowsCarryOurRequestIdNotTheClients) {
  const std::string planted = "someone-elses-request-0001";
  auto created =
      api.send("POST", "/api/v1/rule-fields",
               R"({"field_key":"rid_probe","display_name":"Probe","data_type":"STRING",)"
               R"("allowed_operators":["EQ"]})",
               {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}, {"X-Request-ID", planted}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string ours = created.header("X-Request-ID").value_or("");
  EXPECT_NE(ours, planted);
  auto audit = api.get("/api/v1/audit-log?limit=1", api.adminToken());
  ASSERT_EQ(audit.status, 200) << audit.body;
  const boost::json::value page = audit.json();
  EXPECT_EQ(page.at("items").as_array().at(0).at("request_id").as_string(), ours);
}

TEST_F(EdgeApi, KeepAliveServesManyRequestsOnOneConnection) {
  std::string pipelined;
  for (int i = 0; i < 3; ++i) pipelined += "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n";
  pipelined += "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  auto r = testing::rawExchange(api.port(), pipelined);
  EXPECT_EQ(r.status, 200);
}

TEST_F(EdgeApi, QueryParametersAreStrict) {
  EXPECT_EQ(api.get("/api/v1/audit-log?limit=0", token).status, 422);
  EXPECT_EQ(api.get("/api/v1/audit-log?limit=-1", token).status, 422);
  EXPECT_EQ(api.get("/api/v1/audit-log?limit=1001", token).status, 422);
  EXPECT_EQ(api.get("/api/v1/audit-log?limit=abc", token).status, 422);
  EXPECT_EQ(api.get("/api/v1/audit-log?limit=1&limit=2", token).status, 400);
  EXPECT_EQ(api.get("/api/v1/audit-log?direction=PREV", token).status, 422);
  EXPECT_EQ(api.get("/api/v1/audit-log?entity_type=rule", token).status, 422);
  EXPECT_EQ(api.get("/api/v1/audit-log?entity_id=not-a-uuid", token).status, 422);
  EXPECT_EQ(api.get("/api/v1/audit-log?since=invalid-date", token).status, 422);
  EXPECT_EQ(api.get("/api/v1/audit-log?action=%00", token).status, 400);
}

TEST_F(EdgeApi, HealthAndReadiness) {
  auto health = api.get("/api/v1/health", "");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.json().at("ok").as_bool(), true);
  auto ready = api.get("/api/v1/readyz", "");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.json().at("db").as_string(), "ok");
  EXPECT_EQ(ready.json().at("keys").as_string(), "ok");
}

TEST(EdgeApiTokens, HealthTokenIsEnforcedWhenConfigured) {
  ApiHarness api({{{"HEALTH_TOKEN", "health-secret-value"}}, true});
  EXPECT_EQ(api.get("/api/v1/health", "").status, 401);
  EXPECT_EQ(api.send("GET", "/api/v1/health", "", {{"X-Health-Token", "wrong"}}).status, 403);
  EXPECT_EQ(api.send("GET", "/api/v1/health", "", {{"X-Health-Token", "health-secret-value"}}).status, 200);
  EXPECT_EQ(api.send("GET", "/api/v1/readyz", "", {{"X-Health-Token", "health-secret-value"}}).status, 200);
}

}  // namespace fraudgov

namespace fraudgov {

// Slow clients cannot hold connections open: a request whose headers do not arrive within the
// header budget loses its connection, and so does an idle keep-alive connection after the idle
// budget; the server keeps serving everyone else.
TEST(EdgeApiTimeouts, SlowHeadersAndIdleConnectionsAreClosed) {
  testing::ApiHarness api({{{"HTTP_HEADER_TIMEOUT_MS", "500"}, {"HTTP_IDLE_TIMEOUT_MS", "800"}}, true});
  const auto start = std::chrono::steady_clock::now();
  auto slow = testing::rawExchange(api.port(), "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ");
  EXPECT_EQ(slow.status, 0) << "no response, connection closed";
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));

  // One complete request, then silence: the server closes the connection after the idle budget
  // (rawExchange would otherwise wait 10 s for more data).
  const auto idle_start = std::chrono::steady_clock::now();
  auto idle = testing::rawExchange(api.port(), "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(idle.status, 200);
  testing::expectSecurityHeaders(idle, "keep-alive response");
  EXPECT_LT(std::chrono::steady_clock::now() - idle_start, std::chrono::seconds(5)) << "closed by the server";
  EXPECT_EQ(api.get("/api/v1/health", "").status, 200);
}

}  // namespace fraudgov
