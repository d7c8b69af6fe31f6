// CORS from an exact allow-list (http/cors.h): who gets an Access-Control-Allow-Origin, what a
// preflight is, and that caches are told the answer depends on the Origin.
#include "http/cors.h"

#include <gtest/gtest.h>

namespace fraudgov::http {

namespace {

constexpr const char* kPortal = "https://portal.example.com";

Response served(Request&) { return Response::json(200, "{}"); }

Response run(Request& request, std::vector<std::string> origins = {kPortal}) {
  Pipeline pipeline;
  pipeline.use(corsMiddleware(std::move(origins)));
  return pipeline.run(request, Handler(served));
}

Request withOrigin(Method method, const std::string& origin) {
  Request r;
  r.method = method;
  r.headers.set("Origin", origin);
  return r;
}

Request preflight(const std::string& origin, const std::string& method = "POST") {
  Request r = withOrigin(Method::kOptions, origin);
  r.headers.set("Access-Control-Request-Method", method);
  return r;
}

}  // namespace

TEST(Cors, ListedOriginGetsExactlyItselfBack) {
  Request r = withOrigin(Method::kGet, kPortal);
  const Response response = run(r);
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(response.headers.get("Access-Control-Allow-Origin"), kPortal);
  EXPECT_EQ(response.headers.get("Access-Control-Expose-Headers"), kCorsExposedHeaders);
  EXPECT_FALSE(response.headers.has("Access-Control-Allow-Credentials"));
  EXPECT_EQ(response.headers.get("Vary"), "Origin");
}

TEST(Cors, UnknownOriginsGetNoCorsHeaderButAreServed) {
  for (const char* origin : {"https://evil.example.com", "https://portal.example.com.evil.com",
                             "http://portal.example.com", "https://portal.example.com:8443", "null", "*", ""}) {
    Request r = withOrigin(Method::kGet, origin);
    const Response response = run(r);
    EXPECT_EQ(response.status, 200u) << origin;
    EXPECT_FALSE(response.headers.has("Access-Control-Allow-Origin")) << origin;
    EXPECT_FALSE(response.headers.has("Access-Control-Expose-Headers")) << origin;
    EXPECT_EQ(response.headers.get("Vary"), "Origin") << "refusals vary on Origin too: " << origin;
  }
}

TEST(Cors, RequestsWithoutOriginOnlyGainVary) {
  Request r;
  r.method = Method::kGet;
  const Response response = run(r);
  EXPECT_FALSE(response.headers.has("Access-Control-Allow-Origin"));
  EXPECT_EQ(response.headers.get("Vary"), "Origin");
}

TEST(Cors, AnEmptyListTurnsCorsOff) {
  Request r = withOrigin(Method::kGet, kPortal);
  const Response response = run(r, {});
  EXPECT_FALSE(response.headers.has("Access-Control-Allow-Origin"));
  EXPECT_FALSE(response.headers.has("Vary"));
}

TEST(Cors, VaryIsAppendedToAnExistingValue) {
  Pipeline pipeline;
  pipeline.use(corsMiddleware({kPortal}));
  Request r = withOrigin(Method::kGet, kPortal);
  const Response response = pipeline.run(r, Handler([](Request&) {
                                           Response out;
                                           out.headers.set("Vary", "Accept-Encoding");
                                           return out;
                                         }));
  EXPECT_EQ(response.headers.get("Vary"), "Accept-Encoding, Origin");
}

TEST(Cors, AllowedPreflightIsAnsweredWithoutReachingTheHandler) {
  bool reached = false;
  Pipeline pipeline;
  pipeline.use(corsMiddleware({kPortal}));
  Request r = preflight(kPortal, "PATCH");
  r.headers.set("Access-Control-Request-Headers", "authorization, Content-Type, idempotency-key");
  const Response response = pipeline.run(r, Handler([&](Request&) {
                                           reached = true;
                                           return Response::json(200, "{}");
                                         }));
  EXPECT_FALSE(reached) << "a preflight carries no credentials and must not reach authentication";
  EXPECT_EQ(response.status, 204u);
  EXPECT_EQ(response.headers.get("Access-Control-Allow-Origin"), kPortal);
  EXPECT_EQ(response.headers.get("Access-Control-Allow-Methods"), kCorsAllowedMethods);
  EXPECT_EQ(response.headers.get("Access-Control-Allow-Headers"), kCorsAllowedHeaders);
  EXPECT_EQ(response.headers.get("Access-Control-Max-Age"), std::to_string(kCorsMaxAgeSeconds));
  EXPECT_EQ(response.headers.get("Vary"), "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
  EXPECT_FALSE(response.headers.has("Access-Control-Allow-Credentials"));
}

TEST(Cors, RefusedPreflightsAre403WithoutCorsHeaders) {
  Request unknown_origin = preflight("https://evil.example.com");
  Request bad_method = preflight(kPortal, "TRACE");
  Request bad_header = preflight(kPortal);
  bad_header.headers.set("Access-Control-Request-Headers", "Authorization, X-Debug");
  for (Request* r : {&unknown_origin, &bad_method, &bad_header}) {
    const Response response = run(*r);
    EXPECT_EQ(response.status, 403u) << r->headers.get("Origin").value_or("");
    EXPECT_FALSE(response.headers.has("Access-Control-Allow-Origin"));
    EXPECT_FALSE(response.headers.has("Access-Control-Allow-Methods"));
    EXPECT_NE(response.headers.get("Vary").value_or("").find("Origin"), std::string::npos);
  }
}

TEST(Cors, ARequestWithABodyIsNeverAPreflight) {
  Request with_body = preflight(kPortal);
  with_body.body = "{}";
  Request declared_length = preflight(kPortal);
  declared_length.headers.set("Content-Length", "5");
  Request chunked = preflight(kPortal);
  chunked.headers.set("Transfer-Encoding", "chunked");
  for (Request* r : {&with_body, &declared_length, &chunked}) {
    const Response response = run(*r);
    EXPECT_EQ(response.status, 200u) << "passed on to the handler";
    EXPECT_FALSE(response.headers.has("Access-Control-Allow-Methods"));
    EXPECT_EQ(response.headers.get("Access-Control-Allow-Origin"), kPortal) << "still an allowed origin";
  }
  Request zero_length = preflight(kPortal);
  zero_length.headers.set("Content-Length", "0");
  EXPECT_EQ(run(zero_length).status, 204u);
}

TEST(Cors, OptionsWithoutRequestMethodIsNotAPreflight) {
  Request r = withOrigin(Method::kOptions, kPortal);
  EXPECT_EQ(run(r).status, 200u);
}

TEST(CorsOrigins, AreNormalizedAndStrict) {
  EXPECT_EQ(normalizeOrigin("HTTPS://Portal.Example.com:443/").value(), "https://portal.example.com");
  EXPECT_EQ(normalizeOrigin("http://localhost:80").value(), "http://localhost");
  EXPECT_EQ(normalizeOrigin("http://localhost:5173").value(), "http://localhost:5173");
  EXPECT_EQ(normalizeOrigin("https://[::1]:8443").value(), "https://[::1]:8443");
  for (const char* bad :
       {"*", "https://*.example.com", "null", "ftp://example.com", "example.com", "https://user@example.com",
        "https://example.com/path", "https://example.com?q", "https://example.com#f", "https://example.com:0",
        "https://example.com:65536", "https://example.com:", "https://", "https://.example.com", "https://[zz]"}) {
    EXPECT_FALSE(normalizeOrigin(bad)) << bad;
  }
}

TEST(CorsOrigins, ListReportsEachBadEntryAndDeduplicates) {
  std::vector<std::string> problems;
  const auto origins =
      parseOriginList("https://a.example, *, HTTPS://A.EXAMPLE:443, http://b.example:8080", "CORS_ORIGINS", problems);
  EXPECT_EQ(origins, (std::vector<std::string>{"https://a.example", "http://b.example:8080"}));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rfind("CORS_ORIGINS: '*'", 0), 0u) << problems[0];
}

}  // namespace fraudgov::http
