// The standard middleware chain on the paths black-box tests cannot reach: a handler that throws
// still yields a 500 problem with the full security header set and a request id, and nothing of
// the exception's text.
#include <gtest/gtest.h>

#include <stdexcept>

#include "app/application.h"
#include "http/problem.h"
#include "support/api_harness.h"

namespace fraudgov::app {

namespace {

testing::HttpResult asResult(const http::Response& r) {
  testing::HttpResult out;
  out.status = r.status;
  out.body = r.body;
  for (const auto& [k, v] : r.headers.all()) out.headers.emplace_back(k, v);
  return out;
}

Config testConfig() {
  auto loaded = loadConfig(testing::mapLookup(testing::testEnvironment("http://127.0.0.1:1/jwks")));
  EXPECT_TRUE(loaded.ok());
  return loaded.config;
}

}  // namespace

TEST(StandardMiddleware, AnExceptionBecomesA500ProblemWithEveryHeader) {
  const Config config = testConfig();
  observability::Registry registry;
  observability::HttpMetrics metrics(registry);
  http::Pipeline pipeline;
  const observability::Logger log;
  useStandardMiddleware(pipeline, config, metrics, log);
  http::Handler boom = [](http::Request&) -> http::Response {
    throw std::runtime_error("SELECT secret FROM vault WHERE leaked = true");
  };
  http::Request request;
  request.method = http::Method::kGet;
  request.method_text = "GET";
  request.route_template = "/boom";
  const http::Response response = pipeline.run(request, boom);
  EXPECT_EQ(response.status, 500u);
  testing::expectSecurityHeaders(asResult(response), "500 from a throwing handler");
  EXPECT_EQ(response.body.find("SELECT"), std::string::npos);
  EXPECT_NE(response.body.find("InternalServerError"), std::string::npos);
}

TEST(StandardMiddleware, TransportRefusalsGetTheSameTreatment) {
  const Config config = testConfig();
  observability::Registry registry;
  observability::HttpMetrics metrics(registry);
  http::Pipeline pipeline;
  const observability::Logger log;
  useStandardMiddleware(pipeline, config, metrics, log);
  for (const auto& refusal : {http::Refusal::bodyTooLarge(), http::Refusal::headerTooLarge(),
                              http::Refusal::malformed("refused"), http::Refusal::requestTimeout()}) {
    http::Request request;
    const http::Response response = rejectThrough(pipeline, request, refusal);
    EXPECT_EQ(response.status, http::statusFor(refusal.kind));
    EXPECT_TRUE(response.close_connection);
    testing::expectSecurityHeaders(asResult(response), "transport refusal");
  }
}

}  // namespace fraudgov::app
